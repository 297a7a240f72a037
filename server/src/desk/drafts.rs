//! The drafts: one story folder per story under `KORT_DRAFTS` (by default
//! `data/drafts`), in the very format readers' stories have, kept apart
//! from the published folders (`KORT_DATA`), which readers and
//! `kort check` see. The desk's own record of each story (who saved and
//! published which revision, and when) is `<drafts>/.desk/<slug>.toml`.
//!
//! A story's revision is the hash of its draft's files
//! ([`folders::revision`]): a save names the revision it started from and
//! is refused if the draft is at another, whoever made it (an editor, or a
//! hand edit on disk). Saves and publishes replace a folder whole
//! ([`folders::replace`]), one at a time.
//!
//! With a store (`KORT_STORE`), the drafts folder is this instance's copy
//! of the drafts the store holds, with the version of each (the folder's
//! hidden `.kort-store.toml`). Every change first brings the draft to the
//! store's version, then saves there — its files, the desk's record, and a
//! publish or unpublish with them — in one transaction that names the
//! version it was made from: of two instances saving one draft at once,
//! one wins and the other's editor gets the desk's conflict, their version
//! kept. Only then is the copy here replaced. Desk pages bring what they
//! show from the store before they are rendered (`catch_up`).

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use kort_app::desk::{
    Conflict, DeskData, DeskLayer, DeskProblem, DeskSource, DeskStory, DeskTranslation, Draft,
    StoryFields, StoryState,
};
use kort_app::model::{ChangeKind, SourceKind, Symbol};
use kort_app::story::{Problem, article, valid_id};
use serde::{Deserialize, Serialize};

use super::folders::{self, Start};
use crate::history;
use crate::load;
use crate::postgres::{DraftChange, Files, PgStore, Publication, Saved, StoreError};
use crate::remote::rfc3339;

/// The longest slug made from a title.
const SLUG_MAX: usize = 60;
/// The most refused saves kept for their editors at once.
const MAX_HELD: usize = 1_000;

/// The desk's record of a story.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Record {
    saved_by: Option<String>,
    saved_at: Option<String>,
    saved_revision: Option<String>,
    published_by: Option<String>,
    published_at: Option<String>,
    published_revision: Option<String>,
}

/// What a publish tells readers of the change it makes, where it changes
/// what they had read: a correction, an update or a clarification, and
/// why.
#[derive(Debug, Clone, Default)]
pub struct Told {
    pub kind: Option<ChangeKind>,
    pub note: String,
}

/// The longest note a publish may give readers.
const MAX_NOTE: usize = 2_000;

/// A history entry of `action` by `user`, now, with nothing else said.
fn entry(user: &str, action: history::Action) -> history::Entry {
    history::Entry {
        at: rfc3339(SystemTime::now()),
        by: user.to_owned(),
        action,
        revision: None,
        kind: None,
        note: String::new(),
        changed: history::Changes::default(),
        removed: Vec::new(),
        moved: Vec::new(),
    }
}

/// The slug of the story a desk page (or its preview) at `path` shows.
fn story_of_page(path: &str) -> Option<&str> {
    [
        "/desk/stories/",
        "/desk/preview/stories/",
        "/desk/preview/api/stories/",
    ]
    .into_iter()
    .find_map(|prefix| path.strip_prefix(prefix))
    .and_then(|rest| rest.split('/').next())
    .filter(|slug| valid_id(slug))
}

/// Notes in `record` that `user` saved the draft, at `revision`, now.
fn saved(record: &mut Record, user: &str, revision: &str) {
    record.saved_by = Some(user.to_owned());
    record.saved_at = Some(rfc3339(SystemTime::now()));
    record.saved_revision = Some(revision.to_owned());
}

/// Waits for `future` of the store on this thread: desk actions run on
/// blocking threads ([`tokio::task::spawn_blocking`]).
fn wait<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Handle::current().block_on(future)
}

/// A store's failure as the desk says it: the story files on this disk, or
/// the store away.
fn from_store(error: StoreError) -> DeskError {
    match error {
        StoreError::Disk { source, .. } => DeskError::Io(source),
        other => DeskError::Unavailable(crate::logging::chain(&other)),
    }
}

/// What the new version `work` of a story folder changes of `old`: the
/// files written or changed, with their bytes, and the files removed. A
/// file still linked to the old one ([`Start::LinkedToOld`]) is unchanged.
fn changes(old: &Path, work: &Path) -> Result<(Files, Vec<String>), DeskError> {
    use std::os::unix::fs::MetadataExt as _;
    let before: BTreeSet<PathBuf> = folders::files(old)?.into_iter().collect();
    let after: BTreeSet<PathBuf> = folders::files(work)?.into_iter().collect();
    let mut written = Vec::new();
    for relative in &after {
        let (was, is) = (old.join(relative), work.join(relative));
        let kept = before.contains(relative) && {
            let (was_meta, is_meta) = (fs::metadata(&was)?, fs::metadata(&is)?);
            (was_meta.dev(), was_meta.ino()) == (is_meta.dev(), is_meta.ino())
                || (was_meta.len() == is_meta.len() && fs::read(&was)? == fs::read(&is)?)
        };
        if !kept {
            written.push((relative.to_string_lossy().into_owned(), fs::read(&is)?));
        }
    }
    let removed = before
        .difference(&after)
        .map(|relative| relative.to_string_lossy().into_owned())
        .collect();
    Ok((written, removed))
}

/// What writing `files` over the draft in `draft` changes.
fn changed_by(draft: &Path, files: &[(String, String)]) -> history::Changes {
    let before = history::Items::of_folder(draft);
    let after = history::Items::read(&mut |name| {
        files
            .iter()
            .find(|(written, _)| written == name)
            .map(|(_, text)| text.clone())
            .or_else(|| load::read(draft, name).ok())
    });
    history::changes(&before, &after)
}

/// The history files publishing `story` (the draft in `draft`, loaded from
/// `files`) writes: its files as the next revision, and the log's entry. A story published
/// before it had a history is kept first, as revision 1, so what was cited
/// then stays readable. Refused when the change alters what readers had
/// read and `told` does not say what it was and why.
fn published_revision(
    slug: &str,
    draft: &Path,
    published: &Path,
    (story, files): (&kort_app::story::Story, &[(String, String)]),
    user: &str,
    told: &Told,
) -> Result<Vec<(String, String)>, DeskError> {
    let note = told.note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(DeskError::Invalid(format!(
            "note: is {} characters; expected at most {MAX_NOTE}",
            note.chars().count()
        )));
    }
    if told.kind.is_some() && note.is_empty() {
        return Err(DeskError::Invalid(
            "note: is empty; expected what changed and why, for readers".into(),
        ));
    }
    let now = rfc3339(SystemTime::now());
    let mut writes = Vec::new();
    let mut logged = Vec::new();
    let mut latest = history::latest(draft);
    let live = published.is_dir();
    if latest.is_none() && live {
        let files = history::story_files(slug, published);
        let at = format!("{}T00:00:00Z", story.manifest.published);
        writes.extend(history::revision_writes(1, &at, &files));
        logged.push(history::Entry {
            at,
            revision: Some(1),
            ..entry("", history::Action::Publish)
        });
        latest = Some(1);
    }
    let before = if live {
        history::Items::of_folder(published)
    } else {
        history::Items::default()
    };
    let after = history::Items::read(&mut |name| {
        files
            .iter()
            .find(|(read, _)| read == name)
            .map(|(_, text)| text.clone())
    });
    let changed = history::changes(&before, &after);
    let republished = latest.is_some();
    if republished && changed.touches_what_readers_read() && told.kind.is_none() {
        return Err(DeskError::Invalid(format!(
            "kind: this changes what readers have read ({}); expected to tell them whether it is a correction, an update or a clarification, and why",
            changed.readers_read_in_words()
        )));
    }
    let moved = match (live, told.kind) {
        (true, Some(_)) => load::story(slug, published)
            .map(|before| history::moved(&before, story))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let number = latest.map_or(1, |n| n + 1);
    writes.extend(history::revision_writes(number, &now, files));
    logged.push(history::Entry {
        at: now,
        revision: Some(number),
        kind: told.kind,
        note: note.to_owned(),
        removed: history::removed(&before, &after),
        moved,
        changed,
        ..entry(user, history::Action::Publish)
    });
    writes.push(history::appended(draft, &logged));
    Ok(writes)
}

/// What went wrong with a desk action, for the editor.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("there is no story {0:?}")]
    NotFound(String),
    #[error("the draft changed since you opened it")]
    Conflict,
    #[error("the story has problems to fix first: {0}")]
    Problems(String),
    #[error("only a publisher may do that")]
    NotAllowed,
    #[error("{0}")]
    Invalid(String),
    #[error("the story files could not be written: {0}")]
    Io(#[from] std::io::Error),
    /// The store shared with other instances (`KORT_STORE`) is away.
    #[error("the store cannot be reached: {0}")]
    Unavailable(String),
}

/// The drafts, the published stories and the desk's records of them.
#[derive(Clone)]
pub struct Drafts {
    /// The drafts' folder.
    root: PathBuf,
    published: PathBuf,
    /// One change at a time.
    writing: Arc<Mutex<()>>,
    /// Each editor's refused save, by (user, slug), until they save again.
    held: Arc<Mutex<HashMap<(String, String), Conflict>>>,
    /// Why each editor's last change was refused, by (user, slug), until shown.
    refusals: Arc<Mutex<HashMap<(String, String), String>>>,
    /// What each editor's last change did, where there is more to say than
    /// that it was saved (an import's report), until shown.
    told: Arc<Mutex<HashMap<(String, String), String>>>,
    /// The store the drafts and published stories are shared through, if
    /// any (`KORT_STORE`): every change is written there before anywhere else.
    store: Option<crate::postgres::PgStore>,
}

impl Drafts {
    /// Keeps the drafts in `store`, shared with the other instances.
    #[must_use]
    pub fn with_store(mut self, store: Option<crate::postgres::PgStore>) -> Self {
        self.store = store;
        self
    }

    /// Replaces the draft of `slug` (as [`folders::replace`]: from
    /// `start`, finished by `fill`) and notes it in the desk's record
    /// (`note`, given the new revision); returns the new revision. With a
    /// store, the change is saved there first, with what it does to the
    /// published story, in one transaction: if the store holds a version of
    /// the draft this copy is not at (another instance saved it), the
    /// change is refused ([`DeskError::Conflict`]); if the store is away,
    /// nothing changes anywhere.
    fn write_draft(
        &self,
        slug: &str,
        start: Start<'_>,
        fill: impl FnOnce(&Path) -> std::io::Result<()>,
        note: impl FnOnce(&mut Record, &str),
        published: Publication,
    ) -> Result<(String, Option<Saved>), DeskError> {
        let draft = self.draft_dir(slug);
        let mut record = self.record(slug);
        let mut revision = String::new();
        let mut saved = Ok(None);
        let replaced = folders::replace(&draft, start, |work| {
            fill(work)?;
            revision = folders::revision(work)?;
            note(&mut record, &revision);
            if let Some(store) = &self.store {
                saved = self.save_to(store, slug, (&draft, work), &record, published);
                if saved.is_err() {
                    return Err(std::io::Error::other("not saved in the store"));
                }
            }
            Ok(())
        });
        let saved = saved?;
        replaced?;
        self.set_record(slug, &record)?;
        if let Some(Saved { draft: version, .. }) = saved
            && let Err(error) = crate::postgres::record_copy(&self.root, slug, version)
        {
            // Then the next change brings this very version from the store.
            tracing::warn!(
                error = crate::logging::chain(&error),
                "the store's version of a draft was not noted"
            );
        }
        Ok((revision, saved))
    }

    /// Saves the new version `work` of the draft of `slug` (whose copy here
    /// is `old`), with the desk's `record`, in `store`: what changed, if the
    /// store holds the version this copy is at, else every file.
    fn save_to(
        &self,
        store: &PgStore,
        slug: &str,
        (old, work): (&Path, &Path),
        record: &Record,
        published: Publication,
    ) -> Result<Option<Saved>, DeskError> {
        let from = crate::postgres::copied(&self.root, slug).filter(|_| old.is_dir());
        let (written, removed) = match from {
            Some(_) => changes(old, work)?,
            None => (
                crate::postgres::read_folder(work).map_err(from_store)?,
                Vec::new(),
            ),
        };
        let record =
            toml::to_string(record).map_err(|error| DeskError::Invalid(error.to_string()))?;
        let change = DraftChange {
            from,
            written,
            removed,
            record: &record,
            published,
        };
        match wait(store.save_draft(slug, &change)).map_err(from_store)? {
            Some(saved) => Ok(Some(saved)),
            None => Err(DeskError::Conflict),
        }
    }

    /// Brings this instance's copy of the draft of `slug` to the store's
    /// version (with a store; called with `writing` held).
    fn follow(&self, slug: &str) -> Result<(), DeskError> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        let held = crate::postgres::copied(&self.root, slug);
        match wait(store.draft_version(slug)).map_err(from_store)? {
            Some(version) if held == Some(version) && self.draft_dir(slug).is_dir() => Ok(()),
            Some(_) => self.pull(store, slug),
            // The store has no draft of it: this copy, if there is one,
            // goes there whole with its next change.
            None => crate::postgres::forget_copy(&self.root, slug).map_err(from_store),
        }
    }

    /// Brings every draft the store holds to its version there (called
    /// with `writing` held).
    fn follow_every(&self) -> Result<(), DeskError> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        let versions = wait(store.draft_versions()).map_err(from_store)?;
        for (slug, version) in &versions {
            let held = crate::postgres::copied(&self.root, slug);
            if held != Some(*version) || !self.draft_dir(slug).is_dir() {
                self.pull(store, slug)?;
            }
        }
        // Drafts only this instance holds: made before it had a store.
        let only_here: Vec<String> = fs::read_dir(&self.root)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|slug| valid_id(slug) && !versions.contains_key(slug))
            .collect();
        for slug in only_here {
            self.push(store, &slug)?;
        }
        Ok(())
    }

    /// Saves the draft of `slug`, which the store does not hold, there
    /// whole, with the desk's record of it.
    fn push(&self, store: &PgStore, slug: &str) -> Result<(), DeskError> {
        let record = toml::to_string(&self.record(slug))
            .map_err(|error| DeskError::Invalid(error.to_string()))?;
        let change = DraftChange {
            from: None,
            written: crate::postgres::read_folder(&self.draft_dir(slug)).map_err(from_store)?,
            removed: Vec::new(),
            record: &record,
            published: Publication::Unchanged,
        };
        if let Some(saved) = wait(store.save_draft(slug, &change)).map_err(from_store)? {
            crate::postgres::record_copy(&self.root, slug, saved.draft).map_err(from_store)
        } else {
            // Another instance saved one of that slug first: the store's
            // is the draft (two drafts of one slug made before the store).
            tracing::warn!(
                story = slug,
                "this instance's draft differs from the store's, which is kept"
            );
            self.pull(store, slug)
        }
    }

    /// Copies the draft of `slug`, and the desk's record of it, from the store.
    fn pull(&self, store: &PgStore, slug: &str) -> Result<(), DeskError> {
        if !valid_id(slug) {
            return Err(from_store(StoreError::BadSlug(slug.to_owned())));
        }
        let Some((version, record, files)) = wait(store.draft(slug)).map_err(from_store)? else {
            return Ok(());
        };
        crate::postgres::write_folder(slug, &self.draft_dir(slug), &files).map_err(from_store)?;
        crate::store::write_atomically(&self.record_path(slug), record.as_bytes())?;
        crate::postgres::record_copy(&self.root, slug, version).map_err(from_store)
    }

    /// Before the desk page at `path` is shown to `user`: with a store,
    /// brings what it shows to the store's version (every draft for the
    /// list; for a story's pages, its draft and the user's refused save).
    pub fn catch_up(&self, user: &str, path: &str) -> Result<(), DeskError> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        if path == super::DESK {
            return self.follow_every();
        }
        let Some(slug) = story_of_page(path) else {
            return Ok(());
        };
        match self.draft_for_change(slug) {
            Ok(_) | Err(DeskError::NotFound(_)) => {}
            Err(error) => return Err(error),
        }
        let kept = wait(store.held(user, slug))
            .map_err(from_store)?
            .and_then(|json| serde_json::from_str::<Conflict>(&json).ok());
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (user.to_owned(), slug.to_owned());
        match kept {
            Some(conflict) => held.insert(key, conflict),
            None => held.remove(&key),
        };
        Ok(())
    }

    /// The draft of `slug` at the store's version, made from the published
    /// story if it has none yet (called with `writing` held).
    fn draft_for_change(&self, slug: &str) -> Result<PathBuf, DeskError> {
        if !valid_id(slug) {
            return Err(DeskError::NotFound(slug.to_owned()));
        }
        self.follow(slug)?;
        match self.ensure_draft(slug) {
            // Another instance made it from the published story meanwhile.
            Err(DeskError::Conflict) => {
                self.follow(slug)?;
                self.ensure_draft(slug)
            }
            found => found,
        }
    }

    pub fn new(drafts: PathBuf, published: PathBuf) -> Self {
        folders::sweep(&drafts);
        folders::sweep(&published);
        // Uploads a crash cut short.
        let _ = fs::remove_dir_all(drafts.join(".uploads"));
        Self {
            root: drafts,
            published,
            writing: Arc::default(),
            held: Arc::default(),
            refusals: Arc::default(),
            told: Arc::default(),
            store: None,
        }
    }

    /// Where uploads are written as they arrive: beside the drafts (on the
    /// same disk, so a finished one is moved in, not copied), hidden.
    pub fn uploads_dir(&self) -> PathBuf {
        self.root.join(".uploads")
    }

    fn draft_dir(&self, slug: &str) -> PathBuf {
        self.root.join(slug)
    }

    fn published_dir(&self, slug: &str) -> PathBuf {
        self.published.join(slug)
    }

    fn record_path(&self, slug: &str) -> PathBuf {
        self.root.join(".desk").join(format!("{slug}.toml"))
    }

    fn record(&self, slug: &str) -> Record {
        fs::read_to_string(self.record_path(slug))
            .ok()
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn set_record(&self, slug: &str, record: &Record) -> Result<(), DeskError> {
        let text =
            toml::to_string(record).map_err(|error| DeskError::Invalid(error.to_string()))?;
        crate::store::write_atomically(&self.record_path(slug), text.as_bytes())?;
        Ok(())
    }

    /// The slugs of every story, drafts and published, sorted.
    fn slugs(&self) -> BTreeSet<String> {
        [&self.root, &self.published]
            .into_iter()
            .filter_map(|dir| fs::read_dir(dir).ok())
            .flatten()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| valid_id(name))
            .collect()
    }

    /// The draft of `slug`, made from the published story if it has none
    /// yet (a story made by hand, or before the desk).
    fn ensure_draft(&self, slug: &str) -> Result<PathBuf, DeskError> {
        // First: a slug from an address may be `..` (percent-encoded).
        if !valid_id(slug) {
            return Err(DeskError::NotFound(slug.to_owned()));
        }
        let draft = self.draft_dir(slug);
        if draft.is_dir() {
            return Ok(draft);
        }
        let published = self.published_dir(slug);
        if !published.is_dir() {
            return Err(DeskError::NotFound(slug.to_owned()));
        }
        self.write_draft(
            slug,
            Start::CopyOf(&published),
            |_| Ok(()),
            |record, revision| record.published_revision = Some(revision.to_owned()),
            Publication::Unchanged,
        )?;
        Ok(draft)
    }

    /// Where a story stands, and who changed its draft last and when.
    fn standing(
        &self,
        slug: &str,
        revision: Option<&str>,
    ) -> (StoryState, Option<String>, Option<String>) {
        let record = self.record(slug);
        let published = self.published_dir(slug).is_dir();
        let state = match (published, revision) {
            (false, _) => StoryState::Draft,
            (true, None) => StoryState::Published,
            (true, Some(revision)) if record.published_revision.as_deref() == Some(revision) => {
                StoryState::Published
            }
            (true, Some(_)) => StoryState::PublishedWithChanges,
        };
        let by_desk = revision.is_none() || record.saved_revision.as_deref() == revision;
        let published_here = record.published_revision.as_deref() == revision;
        let (by, at) = if by_desk && record.saved_by.is_some() {
            (record.saved_by, record.saved_at)
        } else if published_here {
            (record.published_by, record.published_at)
        } else {
            (Some("on disk".to_owned()), None)
        };
        (state, by, at)
    }

    /// Makes a new draft from `fields`, by `user`; returns its slug.
    pub fn create(&self, user: &str, fields: &StoryFields) -> Result<String, DeskError> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        if fields.title.trim().is_empty() {
            return Err(DeskError::Invalid(
                "the story needs a title; expected a headline".into(),
            ));
        }
        // The slugs of drafts made on other instances are taken too.
        self.follow_every()?;
        let slug = self.new_slug(&fields.title);
        let language = fields.language.trim();
        let article = format!("article.{}.txt", unused(language, "text", &BTreeSet::new()));
        let manifest = manifest(fields, &article)?;
        let made = history::Entry {
            changed: history::Changes {
                story: true,
                ..history::Changes::default()
            },
            ..entry(user, history::Action::Save)
        };
        let (log, log_text) = history::appended(Path::new(""), &[made]);
        self.write_draft(
            &slug,
            Start::Empty,
            |work| {
                folders::write(work, "story.toml", manifest.as_bytes())?;
                folders::write(work, &article, b"")?;
                folders::write(work, "sources.toml", b"")?;
                folders::write(work, &log, log_text.as_bytes())
            },
            |record, revision| {
                *record = Record::default();
                saved(record, user, revision);
            },
            Publication::Unchanged,
        )?;
        Ok(slug)
    }

    /// A slug from the title, unused by any story.
    fn new_slug(&self, title: &str) -> String {
        unused(title, "story", &self.slugs())
    }

    /// Saves `fields` and `article` over the draft of `slug` at revision
    /// `base`, by `user`; returns the new revision. If the draft is no
    /// longer at `base`, nothing is written and the editor's version is
    /// kept for them ([`DeskData::draft`] shows it).
    pub fn save(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        fields: StoryFields,
        article: &str,
    ) -> Result<String, DeskError> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let draft = self.draft_for_change(slug)?;
        let current = folders::revision(&draft)?;
        if current != base {
            return Err(self.keep_yours(user, slug, (&draft, &current), fields, article));
        }
        let toml_text = fs::read_to_string(draft.join("story.toml"))?;
        let article_file = article_file(&read_toml(&toml_text));
        let edited = edit_manifest(&toml_text, &fields)?;
        let files = vec![
            ("story.toml".to_owned(), edited),
            (article_file, article::with_ids(article)),
        ];
        let revision = match self.write_logged(slug, user, files, |_| Ok(())) {
            // Another instance saved the draft first: the editor's version
            // is kept, against that one.
            Err(DeskError::Conflict) => {
                self.follow(slug)?;
                let current = folders::revision(&draft)?;
                return Err(self.keep_yours(user, slug, (&draft, &current), fields, article));
            }
            saved => saved?,
        };
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&(user.to_owned(), slug.to_owned()));
        if let Some(store) = &self.store
            && let Err(error) = wait(store.release(user, slug))
        {
            tracing::warn!(
                error = crate::logging::chain(&error),
                "a refused save, merged, is still kept in the store"
            );
        }
        Ok(revision)
    }

    /// Keeps `user`'s refused save of `fields` and `article` for them, as
    /// it differs from the draft of `slug` now (`draft`, at `current`), and
    /// says so: [`DeskError::Conflict`], or why the draft could not be read.
    fn keep_yours(
        &self,
        user: &str,
        slug: &str,
        (draft, current): (&Path, &str),
        fields: StoryFields,
        article: &str,
    ) -> DeskError {
        let now = match self.read_draft(slug, draft, current) {
            Ok(now) => now,
            Err(error) => return error,
        };
        let (_, by, at) = self.standing(slug, Some(current));
        let mut changed: Vec<String> = fields
            .pairs()
            .iter()
            .zip(now.fields.pairs())
            .filter(|((_, yours), (_, theirs))| yours.trim() != theirs.trim())
            .map(|((name, _), _)| (*name).to_owned())
            .collect();
        if article::with_ids(article) != now.article {
            changed.push("article".into());
        }
        self.hold(
            user,
            slug,
            Conflict {
                by: by.unwrap_or_else(|| "on disk".into()),
                at,
                changed,
                yours: fields,
                your_article: article.to_owned(),
            },
        );
        DeskError::Conflict
    }

    /// Adds an empty layer to the draft of `slug` at revision `base`.
    pub fn add_layer(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        title: &str,
        symbol: &str,
        color: &str,
    ) -> Result<String, DeskError> {
        let (title, color) = layer_fields(title, symbol, color)?;
        self.edit(user, slug, base, |draft| {
            let mut doc = editable("story.toml", &fs::read_to_string(draft.join("story.toml"))?)?;
            let taken: BTreeSet<String> = doc
                .get("layers")
                .and_then(toml_edit::Item::as_array_of_tables)
                .map(|layers| {
                    layers
                        .iter()
                        .filter_map(|layer| {
                            layer
                                .get("id")
                                .and_then(|id| id.as_str())
                                .map(str::to_owned)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let id = unused(&title, "layer", &taken);
            let file = format!("layers/{id}.geojson");
            let mut layer = toml_edit::Table::new();
            layer["id"] = toml_edit::value(&id);
            layer["title"] = toml_edit::value(&title);
            layer["file"] = toml_edit::value(&file);
            let mut style = toml_edit::InlineTable::new();
            style.insert("symbol", symbol.into());
            style.insert("color", color.as_str().into());
            layer["style"] = toml_edit::value(style);
            if !doc.contains_array_of_tables("layers") {
                doc["layers"] = toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new());
            }
            if let Some(layers) = doc["layers"].as_array_of_tables_mut() {
                layers.push(layer);
            }
            let empty = "{\"type\": \"FeatureCollection\", \"features\": []}\n".to_owned();
            Ok((
                vec![("story.toml".to_owned(), doc.to_string()), (file, empty)],
                id,
            ))
        })
    }

    /// Adds `source` to the draft of `slug` at revision `base`, or changes
    /// the source with its id; returns the id.
    pub fn save_source(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        source: &DeskSource,
    ) -> Result<String, DeskError> {
        if SourceKind::from_name(&source.kind).is_none() {
            return Err(DeskError::Invalid(format!(
                "the kind {:?} is not one kort knows; expected wire-report, social-media-post, official-statement, monitoring-group, other-press, gazetteer or other",
                source.kind
            )));
        }
        if source.title.trim().is_empty() || source.publisher.trim().is_empty() {
            return Err(DeskError::Invalid(
                "a source needs a title and a publisher".into(),
            ));
        }
        self.edit(user, slug, base, |draft| {
            let toml_text = fs::read_to_string(draft.join("story.toml"))?;
            let file = sources_file(&read_toml(&toml_text));
            let mut doc = editable(&file, &load::read(draft, &file).unwrap_or_default())?;
            if !doc.contains_array_of_tables("source") {
                doc["source"] = toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new());
            }
            let Some(sources) = doc["source"].as_array_of_tables_mut() else {
                return Err(DeskError::Invalid(format!(
                    "{file}: `source` is not a list of tables"
                )));
            };
            let id = if source.id.is_empty() {
                let taken: BTreeSet<String> = sources
                    .iter()
                    .filter_map(|table| {
                        table
                            .get("id")
                            .and_then(toml_edit::Item::as_str)
                            .map(str::to_owned)
                    })
                    .collect();
                let id = unused(&source.title, "source", &taken);
                let mut table = toml_edit::Table::new();
                table["id"] = toml_edit::value(&id);
                sources.push(table);
                id
            } else {
                source.id.clone()
            };
            let Some(table) = sources.iter_mut().find(|table| {
                table.get("id").and_then(toml_edit::Item::as_str) == Some(id.as_str())
            }) else {
                return Err(DeskError::NotFound(format!("{slug}: source {id}")));
            };
            table["kind"] = toml_edit::value(source.kind.trim());
            table["publisher"] = toml_edit::value(source.publisher.trim());
            table["title"] = toml_edit::value(source.title.trim());
            for (key, value) in source.optional() {
                if value.trim().is_empty() {
                    table.remove(key);
                } else {
                    table[key] = toml_edit::value(value.trim());
                }
            }
            Ok((vec![(file, doc.to_string())], id))
        })
    }

    /// Saves the translation of `slug` into `language` at revision `base`
    /// (adding it if the story has none in that language): its title, its
    /// translator and its paragraphs, by the original's ids.
    pub fn save_translation(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        translation: &DeskTranslation,
    ) -> Result<(), DeskError> {
        let language = translation.language.trim();
        if language.is_empty()
            || translation.title.trim().is_empty()
            || translation.translator.trim().is_empty()
        {
            return Err(DeskError::Invalid(
                "a translation needs its language, its title and who translated it".into(),
            ));
        }
        self.edit(user, slug, base, |draft| {
            let mut doc = editable("story.toml", &fs::read_to_string(draft.join("story.toml"))?)?;
            if doc.get("language").and_then(toml_edit::Item::as_str) == Some(language) {
                return Err(DeskError::Invalid(format!(
                    "the story is written in {language:?}; expected another language for a translation"
                )));
            }
            if !doc.contains_array_of_tables("translations") {
                doc["translations"] = toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new());
            }
            let Some(entries) = doc["translations"].as_array_of_tables_mut() else {
                return Err(DeskError::Invalid(
                    "story.toml: `translations` is not a list of tables".into(),
                ));
            };
            let at = entries.iter().position(|entry| {
                entry.get("language").and_then(toml_edit::Item::as_str) == Some(language)
            });
            let at = at.unwrap_or_else(|| {
                let mut entry = toml_edit::Table::new();
                entry["language"] = toml_edit::value(language);
                let file = format!("article.{}.txt", unused(language, "text", &BTreeSet::new()));
                entry["article"] = toml_edit::value(file);
                entries.push(entry);
                entries.len() - 1
            });
            let Some(entry) = entries.get_mut(at) else {
                return Err(DeskError::Invalid(
                    "story.toml: the translation went missing".into(),
                ));
            };
            entry["title"] = toml_edit::value(translation.title.trim());
            entry["translator"] = toml_edit::value(translation.translator.trim());
            let file = entry
                .get("article")
                .and_then(toml_edit::Item::as_str)
                .unwrap_or_default()
                .to_owned();
            // The original's ids, in its order, each with its translated text.
            let original = load::read(draft, &article_file(&doc)).unwrap_or_default();
            let ids = paragraph_ids(&original);
            let text = ids
                .iter()
                .map(|id| {
                    let translated = translation
                        .paragraphs
                        .iter()
                        .find(|(paragraph, _, _)| paragraph == id)
                        .map(|(_, _, text)| text.split_whitespace().collect::<Vec<_>>().join(" "))
                        .unwrap_or_default();
                    format!("{{#{id}}} {translated}")
                })
                .collect::<Vec<_>>()
                .join("\n\n");
            Ok((
                vec![("story.toml".to_owned(), doc.to_string()), (file, format!("{text}\n"))],
                (),
            ))
        })
    }

    /// Changes the draft of `slug` at revision `base`, by `user`: `change`
    /// reads the draft folder and gives the files to write (paths in the
    /// folder, and their text) with its answer. The folder is replaced
    /// whole ([`folders::replace`]); if the draft is no longer at `base`,
    /// nothing is written.
    pub(super) fn edit<T>(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        change: impl FnOnce(&Path) -> Result<(Vec<(String, String)>, T), DeskError>,
    ) -> Result<T, DeskError> {
        self.edit_and(user, slug, base, change, |_| Ok(()))
    }

    /// [`Self::edit`], and `also` finishes the new version of the folder
    /// (given as it is being built) after the files are written: what is
    /// not text, such as a picture moved in.
    pub(super) fn edit_and<T>(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        change: impl FnOnce(&Path) -> Result<(Vec<(String, String)>, T), DeskError>,
        also: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> Result<T, DeskError> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let draft = self.draft_for_change(slug)?;
        if folders::revision(&draft)? != base {
            return Err(DeskError::Conflict);
        }
        let (files, answer) = change(&draft)?;
        self.write_logged(slug, user, files, also)?;
        Ok(answer)
    }

    /// Writes `files` (names in the folder, and their text) over the draft
    /// of `slug`, with the history's entry for `user`'s save, and then
    /// `also`, in one replace; returns the new revision.
    fn write_logged(
        &self,
        slug: &str,
        user: &str,
        mut files: Vec<(String, String)>,
        also: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> Result<String, DeskError> {
        let draft = self.draft_dir(slug);
        files.push(history::appended(
            &draft,
            &[history::Entry {
                changed: changed_by(&draft, &files),
                ..entry(user, history::Action::Save)
            }],
        ));
        let (revision, _) = self.write_draft(
            slug,
            Start::LinkedToOld,
            |work| {
                files
                    .iter()
                    .try_for_each(|(name, text)| folders::write(work, name, text.as_bytes()))?;
                also(work)
            },
            |record, revision| saved(record, user, revision),
            Publication::Unchanged,
        )?;
        Ok(revision)
    }

    /// Calls `read` with the draft of `slug` and its revision, no change
    /// being written meanwhile.
    pub fn read_draft_folder<T>(
        &self,
        slug: &str,
        read: impl FnOnce(&Path, &str) -> T,
    ) -> Result<T, DeskError> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let draft = self.draft_for_change(slug)?;
        let revision = folders::revision(&draft)?;
        Ok(read(&draft, &revision))
    }

    /// Keeps why `user`'s change to `slug` was refused, for their page.
    pub fn refused(&self, user: &str, slug: &str, error: &DeskError) {
        if let DeskError::Invalid(message) = error {
            let mut refusals = self.refusals.lock().unwrap_or_else(PoisonError::into_inner);
            if refusals.len() >= MAX_HELD {
                refusals.clear();
            }
            refusals.insert((user.to_owned(), slug.to_owned()), message.clone());
        }
    }

    /// Keeps what `user`'s change to `slug` did, for their page.
    pub(super) fn tell(&self, user: &str, slug: &str, text: &str) {
        let mut told = self.told.lock().unwrap_or_else(PoisonError::into_inner);
        if told.len() >= MAX_HELD {
            told.clear();
        }
        told.insert((user.to_owned(), slug.to_owned()), text.to_owned());
    }

    fn hold(&self, user: &str, slug: &str, conflict: Conflict) {
        if let Some(store) = &self.store {
            // For whichever instance the editor opens the story on next.
            let kept = serde_json::to_string(&conflict)
                .map_err(|error| error.to_string())
                .and_then(|json| {
                    wait(store.hold(user, slug, &json, MAX_HELD))
                        .map_err(|error| crate::logging::chain(&error))
                });
            if let Err(error) = kept {
                tracing::warn!(%error, "a refused save is kept on this instance only");
            }
        }
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held.len() >= MAX_HELD {
            // Rare: as many refused saves as that, unclaimed. The oldest
            // editor's work is still in their browser.
            if let Some(key) = held.keys().next().cloned() {
                held.remove(&key);
            }
        }
        held.insert((user.to_owned(), slug.to_owned()), conflict);
    }

    /// Publishes the draft of `slug` at `revision`: readers see it from now
    /// on, as its next revision, with what `told` tells them of the change.
    pub fn publish(
        &self,
        user: &str,
        slug: &str,
        revision: &str,
        told: &Told,
    ) -> Result<(), DeskError> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let draft = self.draft_for_change(slug)?;
        if folders::revision(&draft)? != revision {
            return Err(DeskError::Conflict);
        }
        let (story, files) = load::story_and_files(slug, &draft).map_err(|problems| {
            DeskError::Problems(
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let published = self.published_dir(slug);
        let writes = published_revision(slug, &draft, &published, (&story, &files), user, told)?;
        let (_, saved) = self.write_draft(
            slug,
            Start::LinkedToOld,
            |work| {
                writes
                    .iter()
                    .try_for_each(|(name, text)| folders::write(work, name, text.as_bytes()))
            },
            |record, _| {
                record.published_by = Some(user.to_owned());
                record.published_at = Some(rfc3339(SystemTime::now()));
                record.published_revision = Some(revision.to_owned());
            },
            Publication::Publish,
        )?;
        folders::replace(&published, Start::CopyOf(&draft), |_| Ok(()))?;
        if let Some(version) = saved.and_then(|saved| saved.story)
            && let Err(error) = crate::postgres::record_copy(&self.published, slug, version)
        {
            // Then this instance brings its own publish back from the store.
            tracing::warn!(
                error = crate::logging::chain(&error),
                "the store's version was not noted"
            );
        }
        Ok(())
    }

    /// Takes `slug` off the public site; its draft stays.
    pub fn unpublish(&self, user: &str, slug: &str) -> Result<(), DeskError> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let draft = self.draft_for_change(slug)?;
        let published = self.published_dir(slug);
        if published.is_dir() {
            let (name, text) =
                history::appended(&draft, &[entry(user, history::Action::Unpublish)]);
            self.write_draft(
                slug,
                Start::LinkedToOld,
                |work| folders::write(work, &name, text.as_bytes()),
                |record, _| record.published_revision = None,
                Publication::Unpublish,
            )?;
            folders::remove(&published)?;
        } else {
            let mut record = self.record(slug);
            record.published_revision = None;
            self.set_record(slug, &record)?;
        }
        Ok(())
    }

    /// The draft's fields, article and problems.
    fn read_draft(&self, slug: &str, draft: &Path, revision: &str) -> Result<Draft, DeskError> {
        let toml_text = fs::read_to_string(draft.join("story.toml"))?;
        let manifest = read_toml(&toml_text);
        let fields = fields_of(&manifest);
        let article = load::read(draft, &article_file(&manifest)).unwrap_or_default();
        let mut layers = layers_of(&manifest);
        let paragraphs = super::features::read(draft, &article, &mut layers);
        let sources_text = load::read(draft, &sources_file(&manifest)).unwrap_or_default();
        let sources_doc = read_toml(&sources_text);
        let sources = sources_of(&sources_doc);
        let translations = translations_of(draft, &manifest, &article);
        let (data_language, words) = super::words::read(&manifest, &sources_doc, &layers);
        let problems = match load::story(slug, draft) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(place).collect(),
        };
        let (state, changed_by, changed_at) = self.standing(slug, Some(revision));
        Ok(Draft {
            slug: slug.to_owned(),
            state,
            revision: revision.to_owned(),
            fields,
            article,
            paragraphs,
            layers,
            sources,
            translations,
            data_language,
            words,
            problems,
            changed_by,
            changed_at,
            conflict: None,
            refused: None,
            told: None,
            history: history::entries(draft)
                .iter()
                .rev()
                .take(kort_app::desk::HISTORY_SHOWN)
                .map(history::describe)
                .collect(),
        })
    }
}

impl DeskData for Drafts {
    fn stories(&self) -> Vec<DeskStory> {
        self.slugs()
            .into_iter()
            .map(|slug| {
                let draft = self.draft_dir(&slug);
                let folder = if draft.is_dir() {
                    draft.clone()
                } else {
                    self.published_dir(&slug)
                };
                let toml_text = fs::read_to_string(folder.join("story.toml")).unwrap_or_default();
                let fields = fields_of(&read_toml(&toml_text));
                let revision = draft
                    .is_dir()
                    .then(|| folders::revision(&draft).ok())
                    .flatten();
                let (state, changed_by, changed_at) = self.standing(&slug, revision.as_deref());
                DeskStory {
                    title: if fields.title.is_empty() {
                        slug.clone()
                    } else {
                        fields.title
                    },
                    slug,
                    language: fields.language,
                    state,
                    changed_by,
                    changed_at,
                }
            })
            .collect()
    }

    fn draft(&self, slug: &str, user: &str) -> Option<Draft> {
        let draft = {
            let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
            if self.store.is_some() {
                // Brought from the store before the page (`catch_up`):
                // a page is never kept waiting on the store.
                let draft = self.draft_dir(slug);
                (valid_id(slug) && draft.is_dir()).then_some(draft)?
            } else {
                self.ensure_draft(slug).ok()?
            }
        };
        let revision = folders::revision(&draft).ok()?;
        let mut shown = self.read_draft(slug, &draft, &revision).ok()?;
        shown.conflict = self
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(user.to_owned(), slug.to_owned()))
            .cloned();
        shown.refused = self
            .refusals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&(user.to_owned(), slug.to_owned()));
        shown.told = self
            .told
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&(user.to_owned(), slug.to_owned()));
        Some(shown)
    }
}

/// A layer's title and colour as `story.toml` takes them, checked with its
/// symbol.
pub(super) fn layer_fields(
    title: &str,
    symbol: &str,
    color: &str,
) -> Result<(String, String), DeskError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(DeskError::Invalid("title: the layer needs a title".into()));
    }
    if Symbol::from_name(symbol).is_none() {
        return Err(DeskError::Invalid(format!(
            "symbol: {symbol:?} is not one kort draws; expected area, route, blocked-route, strike or place"
        )));
    }
    let color = color.trim().to_ascii_lowercase();
    if !(color.len() == 7
        && color.starts_with('#')
        && color[1..].bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(DeskError::Invalid(format!(
            "color: {color:?} is not a colour; expected #rrggbb"
        )));
    }
    Ok((title.to_owned(), color))
}

/// A new story, layer or source id from `words` (see `story::new_id`).
pub(super) fn unused(words: &str, fallback: &str, taken: &BTreeSet<String>) -> String {
    kort_app::story::new_id(words, SLUG_MAX, fallback, &|id| taken.contains(id))
}

/// The form field a problem concerns, with the problem in `kort check`'s words.
fn place(problem: &Problem) -> DeskProblem {
    let field = if problem.file.ends_with("story.toml") {
        problem.field.as_deref().and_then(|field| {
            let top = field.split('.').next().unwrap_or(field);
            match top {
                "title" | "language" | "published" | "publisher" | "summary" => {
                    Some(top.to_owned())
                }
                "source_text" => Some("publisher".to_owned()),
                "view" => Some(
                    field
                        .split('.')
                        .nth(1)
                        .filter(|edge| matches!(*edge, "west" | "south" | "east" | "north"))
                        .unwrap_or("west")
                        .to_owned(),
                ),
                _ => None,
            }
        })
    } else if problem.file.contains("article")
        || problem
            .field
            .as_deref()
            .is_some_and(|field| field.contains("passages"))
    {
        Some("article".to_owned())
    } else {
        None
    };
    DeskProblem {
        field,
        feature: match &problem.item {
            Some(kort_app::story::Item::Feature(id)) => Some(id.clone()),
            _ => None,
        },
        text: problem.to_string(),
    }
}

/// A story's `story.toml` or sources file (`file`), read to be changed:
/// one that does not parse cannot be, and says why.
pub(super) fn editable(file: &str, text: &str) -> Result<toml_edit::DocumentMut, DeskError> {
    text.parse()
        .map_err(|error| DeskError::Invalid(format!("{file}: {error}")))
}

/// A story's `story.toml` or sources file, read for the desk's forms: one
/// that does not parse reads as empty (`kort check` reports why).
pub(super) fn read_toml(text: &str) -> toml_edit::DocumentMut {
    text.parse().unwrap_or_default()
}

/// The text at `item`, or `default` where there is none.
pub(super) fn string_or(item: Option<&toml_edit::Item>, default: &str) -> String {
    item.and_then(toml_edit::Item::as_str)
        .unwrap_or(default)
        .to_owned()
}

/// The tables of the array of tables `key` (none where it has none).
pub(super) fn tables<'a>(
    doc: &'a toml_edit::DocumentMut,
    key: &str,
) -> impl Iterator<Item = &'a toml_edit::Table> {
    doc.get(key)
        .and_then(toml_edit::Item::as_array_of_tables)
        .into_iter()
        .flat_map(toml_edit::ArrayOfTables::iter)
}

/// The article file a manifest names (`article.txt` if it names none).
pub(super) fn article_file(manifest: &toml_edit::DocumentMut) -> String {
    string_or(manifest.get("article"), "article.txt")
}

/// A paragraph's id and text, for each paragraph of an article that opens
/// with one (what does not, `kort check` reports).
fn paragraphs(article: &str) -> Vec<(String, String)> {
    article
        .split("\n\n")
        .filter_map(|block| {
            let rest = block.trim().strip_prefix("{#")?;
            let (id, text) = rest.split_once('}')?;
            Some((
                id.to_owned(),
                text.split_whitespace().collect::<Vec<_>>().join(" "),
            ))
        })
        .collect()
}

/// The ids of an article's paragraphs, in order.
fn paragraph_ids(article: &str) -> Vec<String> {
    paragraphs(article).into_iter().map(|(id, _)| id).collect()
}

/// The translations `story.toml` lists, each beside the original `article`.
fn translations_of(
    draft: &Path,
    manifest: &toml_edit::DocumentMut,
    article: &str,
) -> Vec<DeskTranslation> {
    let original = paragraphs(article);
    tables(manifest, "translations")
        .map(|entry| {
            let text = |key: &str| string_or(entry.get(key), "");
            let translated = paragraphs(&load::read(draft, &text("article")).unwrap_or_default());
            DeskTranslation {
                language: text("language"),
                title: text("title"),
                translator: text("translator"),
                paragraphs: original
                    .iter()
                    .map(|(id, source)| {
                        let theirs = translated
                            .iter()
                            .find(|(other, _)| other == id)
                            .map(|(_, text)| text.clone())
                            .unwrap_or_default();
                        (id.clone(), source.clone(), theirs)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The sources file a manifest names (`sources.toml` if it names none).
fn sources_file(manifest: &toml_edit::DocumentMut) -> String {
    string_or(manifest.get("sources"), "sources.toml")
}

/// The sources a sources file lists (what it cannot read, it leaves out;
/// `kort check` reports it).
fn sources_of(file: &toml_edit::DocumentMut) -> Vec<DeskSource> {
    tables(file, "source")
        .map(|table| {
            let text = |key: &str| string_or(table.get(key), "");
            let media =
                |key: &str| string_or(table.get("media").and_then(|media| media.get(key)), "");
            DeskSource {
                id: text("id"),
                kind: text("kind"),
                publisher: text("publisher"),
                author: text("author"),
                date: text("date"),
                title: text("title"),
                url: text("url"),
                quote: text("quote"),
                archived_url: text("archived_url"),
                archived_at: text("archived_at"),
                sha256: text("sha256"),
                media_kind: media("kind"),
                media_file: media("file"),
                media_credit: media("credit"),
                media_alt: media("alt"),
                media_warning: media("content_warning"),
            }
        })
        .collect()
}

/// The layers `story.toml` lists.
fn layers_of(manifest: &toml_edit::DocumentMut) -> Vec<DeskLayer> {
    tables(manifest, "layers")
        .map(|layer| {
            let style = layer.get("style");
            DeskLayer {
                id: string_or(layer.get("id"), ""),
                title: string_or(layer.get("title"), ""),
                symbol: string_or(style.and_then(|style| style.get("symbol")), ""),
                color: string_or(style.and_then(|style| style.get("color")), ""),
                features: Vec::new(),
                unlisted: 0,
            }
        })
        .collect()
}

/// The desk's fields as `story.toml` gives them (what it cannot read is empty).
pub(super) fn fields_of(manifest: &toml_edit::DocumentMut) -> StoryFields {
    let text = |key: &str| string_or(manifest.get(key), "");
    let edge = |key: &str| {
        manifest
            .get("view")
            .and_then(|view| view.get(key))
            .and_then(|item| {
                item.as_float()
                    .map(|value| value.to_string())
                    .or_else(|| item.as_integer().map(|value| value.to_string()))
                    .or_else(|| item.as_str().map(str::to_owned))
            })
            .unwrap_or_default()
    };
    let publisher = text("publisher");
    StoryFields {
        title: text("title"),
        language: text("language"),
        published: text("published"),
        publisher: if publisher.is_empty() {
            text("source_text")
        } else {
            publisher
        },
        summary: text("summary"),
        west: edge("west"),
        south: edge("south"),
        east: edge("east"),
        north: edge("north"),
    }
}

/// A view edge as TOML: a number where the field reads as one, else the
/// text as given (which `kort check` then reports, next to the field).
fn edge_value(text: &str) -> toml_edit::Value {
    match text.trim().parse::<f64>() {
        Ok(number) if number.is_finite() => number.into(),
        _ => text.trim().into(),
    }
}

/// `story.toml` with the desk's fields set, and everything else in it
/// (layers, translations, comments) as it was.
pub(super) fn edit_manifest(toml_text: &str, fields: &StoryFields) -> Result<String, DeskError> {
    let mut doc = editable("story.toml", toml_text)?;
    for (key, value) in [
        ("title", &fields.title),
        ("language", &fields.language),
        ("published", &fields.published),
        ("summary", &fields.summary),
    ] {
        doc[key] = toml_edit::value(value.trim());
    }
    // The source line is the publisher's name unless the story gives what
    // the text is instead.
    let key = if doc.contains_key("source_text") && !doc.contains_key("publisher") {
        "source_text"
    } else {
        "publisher"
    };
    doc[key] = toml_edit::value(fields.publisher.trim());
    let mut view = toml_edit::InlineTable::new();
    for (edge, value) in [
        ("west", &fields.west),
        ("south", &fields.south),
        ("east", &fields.east),
        ("north", &fields.north),
    ] {
        view.insert(edge, edge_value(value));
    }
    doc["view"] = toml_edit::value(view);
    Ok(doc.to_string())
}

/// A new story's `story.toml`.
fn manifest(fields: &StoryFields, article: &str) -> Result<String, DeskError> {
    let start = format!(
        "# Made at kort's desk.\narticle = {}\nsources = \"sources.toml\"\n",
        toml_edit::value(article)
    );
    edit_manifest(&start, fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> StoryFields {
        StoryFields {
            title: "Strikes cut the road".into(),
            language: "en".into(),
            published: "2017-08-30".into(),
            publisher: "AFP".into(),
            summary: "The coalition cratered the road.".into(),
            west: "35.9".into(),
            south: "33.6".into(),
            east: "41.3".into(),
            north: "35.2".into(),
        }
    }

    #[test]
    fn a_story_is_made_saved_published_and_unpublished() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (drafts_dir, published_dir) = (dir.path().join("drafts"), dir.path().join("stories"));
        fs::create_dir_all(&published_dir).expect("stories");
        let drafts = Drafts::new(drafts_dir, published_dir.clone());
        let slug = drafts.create("anna", &fields()).expect("created");
        assert_eq!(slug, "strikes-cut-the-road");
        let draft = drafts.draft(&slug, "anna").expect("draft");
        assert_eq!(draft.fields, fields());
        assert_eq!(draft.state, StoryState::Draft);
        assert_eq!(draft.changed_by.as_deref(), Some("anna"));
        assert!(
            draft.problems.iter().any(|p| p.text.contains("no layers")),
            "{:?}",
            draft.problems
        );
        // Publishing a story with problems is refused.
        assert!(matches!(
            drafts.publish("anna", &slug, &draft.revision, &Told::default()),
            Err(DeskError::Problems(_))
        ));
        assert!(matches!(
            drafts.add_layer("anna", &slug, &draft.revision, "Strikes", "star", "#b91c1c"),
            Err(DeskError::Invalid(_))
        ));
        drafts
            .add_layer(
                "anna",
                &slug,
                &draft.revision,
                "Strikes",
                "strike",
                "#B91C1C",
            )
            .expect("layer added");
        let draft = drafts.draft(&slug, "anna").expect("draft");
        assert_eq!(draft.layers.len(), 1);
        assert_eq!(
            (draft.layers[0].id.as_str(), draft.layers[0].color.as_str()),
            ("strikes", "#b91c1c")
        );
        assert!(
            draft
                .problems
                .iter()
                .any(|p| p.field.as_deref() == Some("article")),
            "an empty article is a problem: {:?}",
            draft.problems
        );

        let text = "The coalition cratered the road.\n\nIt destroyed a small bridge.";
        let saved = drafts
            .save("anna", &slug, &draft.revision, fields(), text)
            .expect("saved");
        let draft = drafts.draft(&slug, "anna").expect("draft");
        assert_eq!(draft.revision, saved);
        assert!(
            draft.article.starts_with("{#the-coalition-cratered-the} "),
            "{}",
            draft.article
        );
        assert!(draft.problems.is_empty(), "{:?}", draft.problems);

        // A save from the old revision is refused and kept for its editor.
        let mut theirs = fields();
        theirs.title = "Another title".into();
        let stale = drafts.save("bo", &slug, "0000", theirs, "Other text.");
        assert!(matches!(stale, Err(DeskError::Conflict)));
        let held = drafts
            .draft(&slug, "bo")
            .and_then(|d| d.conflict)
            .expect("held");
        assert_eq!(held.by, "anna");
        assert_eq!(held.changed, ["title", "article"]);
        assert_eq!(held.your_article, "Other text.");
        assert!(
            drafts
                .draft(&slug, "anna")
                .and_then(|d| d.conflict)
                .is_none()
        );

        drafts
            .publish("anna", &slug, &saved, &Told::default())
            .expect("published");
        assert!(load::story(&slug, &published_dir.join(&slug)).is_ok());
        let listed = drafts.stories();
        assert_eq!(listed[0].state, StoryState::Published);

        // A hand edit on disk is a new revision.
        let article_path = dir.path().join("drafts").join(&slug).join("article.en.txt");
        fs::write(
            &article_path,
            "{#the-coalition-cratered-the} Edited by hand.\n",
        )
        .expect("edit");
        let listed = drafts.stories();
        assert_eq!(listed[0].state, StoryState::PublishedWithChanges);
        assert_eq!(listed[0].changed_by.as_deref(), Some("on disk"));
        assert!(matches!(
            drafts.save("anna", &slug, &saved, fields(), text),
            Err(DeskError::Conflict)
        ));
        republish_with_a_correction(&drafts, &slug, &published_dir);

        drafts.unpublish("anna", &slug).expect("unpublished");
        assert!(!published_dir.join(&slug).exists());
        assert_eq!(drafts.stories()[0].state, StoryState::Draft);
    }

    /// Republishes the hand-edited story of
    /// [`a_story_is_made_saved_published_and_unpublished`]: refused until
    /// readers are told what changed, then kept as revision 2 beside 1.
    fn republish_with_a_correction(drafts: &Drafts, slug: &str, published_dir: &Path) {
        use history::Action::{Publish, Save};
        let edited = drafts.draft(slug, "anna").expect("draft").revision;
        let refused = drafts.publish("anna", slug, &edited, &Told::default());
        assert!(
            matches!(&refused, Err(DeskError::Invalid(message)) if message.starts_with("kind: this changes what readers have read (paragraphs it-destroyed-a-small, the-coalition-cratered-the)")),
            "{refused:?}"
        );
        let told = Told {
            kind: Some(ChangeKind::Correction),
            note: "The strike was on Wednesday, not Tuesday.".into(),
        };
        drafts
            .publish("anna", slug, &edited, &told)
            .expect("republished");
        let folder = published_dir.join(slug);
        let log = history::entries(&folder);
        let actions: Vec<_> = log
            .iter()
            .map(|entry| (entry.action, entry.revision))
            .collect();
        assert_eq!(
            actions,
            [
                (Save, None),
                (Save, None),
                (Save, None),
                (Publish, Some(1)),
                (Publish, Some(2))
            ]
        );
        assert_eq!(log[2].changed.paragraphs.len(), 2, "{:?}", log[2]);
        let first = history::load_revision(slug, &folder, 1).expect("revision 1");
        assert_eq!(
            first.texts[0].paragraphs[0].text,
            "The coalition cratered the road."
        );
        let latest = load::story(slug, &folder).expect("latest");
        assert_eq!(latest.texts[0].paragraphs[0].text, "Edited by hand.");
        assert_eq!(latest.corrections.len(), 1);
        assert_eq!(latest.corrections[0].note, told.note);
        assert!(first.corrections.is_empty());
    }

    #[test]
    fn a_desk_page_names_the_story_it_shows_if_its_slug_is_one() {
        for (path, slug) in [
            ("/desk/stories/arsal-convoy-2017", Some("arsal-convoy-2017")),
            (
                "/desk/stories/arsal-convoy-2017/features",
                Some("arsal-convoy-2017"),
            ),
            ("/desk/preview/stories/two/features/a", Some("two")),
            (
                "/desk/preview/api/stories/two/layers/b.geojson",
                Some("two"),
            ),
            ("/desk/stories/%2e%2e/x", None),
            ("/desk/stories/", None),
            ("/desk/login", None),
            ("/stories/two", None),
        ] {
            assert_eq!(story_of_page(path), slug, "{path}");
        }
    }

    #[test]
    fn a_published_story_gets_its_draft_when_first_opened() {
        let dir = tempfile::tempdir().expect("temp dir");
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/stories/arsal-convoy-2017");
        let published = dir.path().join("stories");
        folders::replace(
            &published.join("arsal-convoy-2017"),
            Start::CopyOf(&seed),
            |_| Ok(()),
        )
        .expect("copied");
        let drafts = Drafts::new(dir.path().join("drafts"), published);
        let listed = drafts.stories();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].state, StoryState::Published);
        let draft = drafts.draft("arsal-convoy-2017", "anna").expect("draft");
        assert_eq!(draft.state, StoryState::Published);
        assert!(
            draft
                .sources
                .iter()
                .any(|source| source.id == "dillon-afp" && source.publisher == "AFP")
        );
        assert!(draft.problems.is_empty(), "{:?}", draft.problems);
        assert_eq!(draft.fields.language, "da");
        assert_eq!(
            draft.fields.publisher,
            "Danish news article (wire copy), 30 August 2017; headline added by kort"
        );
        assert!(draft.article.contains("{#kratre}"));
    }

    #[test]
    fn sources_are_added_and_changed_and_bad_kinds_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let drafts = Drafts::new(dir.path().join("drafts"), dir.path().join("stories"));
        let slug = drafts.create("anna", &fields()).expect("created");
        let revision = drafts.draft(&slug, "anna").expect("draft").revision;
        let mut source = DeskSource {
            kind: "wire-report".into(),
            publisher: "AFP".into(),
            title: "Coalition spokesman to AFP".into(),
            date: "2017-08-30".into(),
            ..DeskSource::default()
        };
        let id = drafts
            .save_source("anna", &slug, &revision, &source)
            .expect("added");
        assert_eq!(id, "coalition-spokesman-to-afp");
        let draft = drafts.draft(&slug, "anna").expect("draft");
        assert_eq!(draft.sources.len(), 1);
        assert_eq!(draft.sources[0].date, "2017-08-30");

        source.id = id;
        source.date = String::new();
        source.url = "https://example.org/afp".into();
        drafts
            .save_source("anna", &slug, &draft.revision, &source)
            .expect("changed");
        let draft = drafts.draft(&slug, "anna").expect("draft");
        assert_eq!(draft.sources.len(), 1);
        assert_eq!(draft.sources[0].date, "", "an emptied field is removed");
        assert_eq!(draft.sources[0].url, "https://example.org/afp");

        source.kind = "rumour".into();
        assert!(matches!(
            drafts.save_source("anna", &slug, &draft.revision, &source),
            Err(DeskError::Invalid(_))
        ));
        assert!(matches!(
            drafts.save_source(
                "anna",
                &slug,
                "stale",
                &DeskSource {
                    kind: "other".into(),
                    ..source
                }
            ),
            Err(DeskError::Conflict)
        ));
    }
}
