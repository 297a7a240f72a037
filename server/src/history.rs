//! A story's history: every save and every publish, kept in `history/`
//! beside the story's files so it travels with them (the desk's drafts,
//! the published folder, a copy on another machine).
//!
//! - `history/log.jsonl`: one JSON object per line, only ever appended to:
//!   who, when, what they did, which paragraphs, features, sources and
//!   layers it changed, and for a publish the revision's number and what
//!   readers are told of it (a correction, an update or a clarification,
//!   and why).
//! - `history/revisions/<n>.json`: the files of published revision `n`,
//!   each by its SHA-256, and when it was published.
//! - `history/objects/<sha256>`: each file's text, once however many
//!   revisions share it.
//!
//! A revision is read with the same [`Story::load`] as the latest, so it is
//! checked the same way and its protected positions are snapped the same
//! way: a citation made today shows the same map, text and sources later.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use kort_app::model::{ChangeKind, Correction, Moved, Removed, Revision};
use kort_app::story::Story;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::load;

/// The folder of a story that holds its history; not part of the story
/// (its revision, its checks) but copied with it.
pub const FOLDER: &str = "history";
/// The log, in the story folder.
pub const LOG: &str = "history/log.jsonl";

/// What was done to a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Save,
    Publish,
    Unpublish,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// When, RFC 3339 (UTC).
    pub at: String,
    /// The desk user who did it.
    pub by: String,
    pub action: Action,
    /// A publish's revision number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
    /// What readers are told a publish was, where it changed what they had read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ChangeKind>,
    /// Why, in the publisher's words (the public note of a correction).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default)]
    pub changed: Changes,
    /// Features a publish removed, with their titles (their tombstones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removed>,
    /// Features whose published position a publish moved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<Moved>,
}

/// Which parts of a story a change touched, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// The story's own fields (title, summary, view…).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub story: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl Changes {
    /// Whether readers of the story as published would find something
    /// different to read or check: a paragraph, a feature or a source.
    pub fn touches_what_readers_read(&self) -> bool {
        self.read_by_readers()
            .iter()
            .any(|(_, ids)| !ids.is_empty())
    }

    /// The changed paragraphs, features and sources, by kind.
    fn read_by_readers(&self) -> [(&'static str, &Vec<String>); 3] {
        [
            ("paragraphs", &self.paragraphs),
            ("features", &self.features),
            ("sources", &self.sources),
        ]
    }

    /// The changed paragraphs, features and sources in words:
    /// "paragraphs a, b; features c".
    pub fn readers_read_in_words(&self) -> String {
        in_words(&self.read_by_readers()).join("; ")
    }
}

/// Each kind with changed ids in words: "features a, b".
fn in_words(kinds: &[(&str, &Vec<String>)]) -> Vec<String> {
    kinds
        .iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(kind, ids)| format!("{kind} {}", ids.join(", ")))
        .collect()
}

/// A story's parts, each as text to compare: what [`changes`] diffs.
#[derive(Debug, Default)]
pub struct Items {
    story: String,
    layers: BTreeMap<String, String>,
    paragraphs: BTreeMap<String, String>,
    sources: BTreeMap<String, String>,
    /// A feature's JSON, and its title.
    features: BTreeMap<String, (String, String)>,
}

impl Items {
    /// The parts of the story whose files `read` gives (by their names in
    /// the story folder; `None` for a file that is not there). What cannot
    /// be read is left out: `kort check` reports it.
    pub fn read(read: &mut dyn FnMut(&str) -> Option<String>) -> Self {
        let mut items = Self::default();
        let Some(manifest) = read("story.toml").and_then(|text| text.parse::<toml::Table>().ok())
        else {
            return items;
        };
        let text = |table: &toml::Table, key: &str, default: &str| {
            table
                .get(key)
                .and_then(toml::Value::as_str)
                .unwrap_or(default)
                .to_owned()
        };
        let mut own = manifest.clone();
        own.remove("layers");
        items.story = own.to_string();
        for layer in tables(&manifest, "layers") {
            let id = text(layer, "id", "");
            items.layers.insert(id, layer.to_string());
            let Some(collection) = read(&text(layer, "file", ""))
                .and_then(|file| serde_json::from_str::<serde_json::Value>(&file).ok())
            else {
                continue;
            };
            for feature in collection["features"].as_array().into_iter().flatten() {
                let id = feature["id"].as_str().unwrap_or_default().to_owned();
                let title = feature["properties"]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                items.features.insert(id, (feature.to_string(), title));
            }
        }
        let articles = std::iter::once(text(&manifest, "article", "article.txt")).chain(
            tables(&manifest, "translations").map(|translation| text(translation, "article", "")),
        );
        for file in articles {
            let Some(paragraphs) = read(&file)
                .and_then(|article| kort_app::story::article::parse(&file, &article).ok())
            else {
                continue;
            };
            for paragraph in paragraphs {
                let kept = items.paragraphs.entry(paragraph.id).or_default();
                kept.push_str(&paragraph.text);
                kept.push('\n');
            }
        }
        if let Some(sources) = read(&text(&manifest, "sources", "sources.toml"))
            .and_then(|file| file.parse::<toml::Table>().ok())
        {
            for source in tables(&sources, "source") {
                items
                    .sources
                    .insert(text(source, "id", ""), source.to_string());
            }
        }
        items
    }

    /// The parts of the story in `folder`.
    pub fn of_folder(folder: &Path) -> Self {
        Self::read(&mut |name| load::read(folder, name).ok())
    }
}

/// The tables of the array `key` of `table`.
fn tables<'a>(table: &'a toml::Table, key: &str) -> impl Iterator<Item = &'a toml::Table> {
    table
        .get(key)
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_table)
}

/// What differs from `before` to `after`: added, removed or changed.
pub fn changes(before: &Items, after: &Items) -> Changes {
    fn differ<V: PartialEq>(a: &BTreeMap<String, V>, b: &BTreeMap<String, V>) -> Vec<String> {
        a.keys()
            .chain(b.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|id| a.get(*id) != b.get(*id))
            .cloned()
            .collect()
    }
    Changes {
        story: before.story != after.story,
        layers: differ(&before.layers, &after.layers),
        paragraphs: differ(&before.paragraphs, &after.paragraphs),
        features: differ(&before.features, &after.features),
        sources: differ(&before.sources, &after.sources),
    }
}

/// The features of `before` that `after` no longer has, with their titles.
pub fn removed(before: &Items, after: &Items) -> Vec<Removed> {
    before
        .features
        .iter()
        .filter(|(id, _)| !after.features.contains_key(*id))
        .map(|(id, (_, title))| Removed {
            id: id.clone(),
            title: title.clone(),
        })
        .collect()
}

/// The features whose published (snapped) position differs from `before`
/// to `after`, with where each was and went; `before` as `after` protects
/// it (a position protected only now moves nowhere, and shows nowhere).
pub fn moved(before: &Story, after: &Story) -> Vec<Moved> {
    use geo::InteriorPoint as _;
    use kort_app::story::blur;
    let old: std::collections::HashMap<&str, &kort_app::story::Feature> = before
        .features()
        .map(|feature| (feature.id.as_str(), feature))
        .collect();
    after
        .features()
        .filter_map(|feature| {
            let old = old.get(feature.id.as_str())?;
            // Where it was, as it would be published now (`Story::protect_as`).
            let was = match blur::coarser(old.published_precision_m, feature.published_precision_m)
            {
                Some(grid) => std::borrow::Cow::Owned(blur::snap(&old.geometry, grid)),
                None => std::borrow::Cow::Borrowed(&old.geometry),
            };
            if *was == feature.geometry {
                return None;
            }
            let (from, to) = (was.interior_point()?, feature.geometry.interior_point()?);
            Some(Moved {
                id: feature.id.clone(),
                from: [from.x(), from.y()],
                to: [to.x(), to.y()],
            })
        })
        .collect()
}

/// The log of the story in `folder`, as its text (empty if there is none).
pub fn log_text(folder: &Path) -> String {
    fs::read_to_string(folder.join(LOG)).unwrap_or_default()
}

/// The log of the story in `folder` with `added` appended, as the file to
/// write (its name in the folder, and its text).
pub fn appended(folder: &Path, added: &[Entry]) -> (String, String) {
    let mut text = log_text(folder);
    for entry in added {
        // A line per entry: serde_json writes no newline inside one.
        text.push_str(&serde_json::to_string(entry).unwrap_or_default());
        text.push('\n');
    }
    (LOG.to_owned(), text)
}

/// The entries of the log of the story in `folder`, oldest first. A line
/// that is not an entry is skipped with a warning (the log is kept by
/// kort; a hand's mistake must not hide the rest).
pub fn entries(folder: &Path) -> Vec<Entry> {
    log_text(folder)
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .filter_map(|(number, line)| match serde_json::from_str(line) {
            Ok(entry) => Some(entry),
            Err(error) => {
                tracing::warn!(folder = %folder.display(), line = number + 1, %error, "history entry skipped");
                None
            }
        })
        .collect()
}

/// An entry in one line, for `kort history`: when, who, what, and what
/// it changed.
pub fn describe(entry: &Entry) -> String {
    let who = if entry.by.is_empty() {
        "(before the desk)"
    } else {
        &entry.by
    };
    let what = match (entry.action, entry.revision, entry.kind) {
        (Action::Publish, Some(number), Some(kind)) => {
            format!(
                "published revision {number}, a {}: {}",
                kind.name(),
                entry.note
            )
        }
        (Action::Publish, Some(number), None) => format!("published revision {number}"),
        (Action::Publish, None, _) => "published".to_owned(),
        (Action::Save, ..) => "saved".to_owned(),
        (Action::Unpublish, ..) => "took it off the site".to_owned(),
    };
    let changed = &entry.changed;
    let parts: Vec<String> = in_words(&[("layers", &changed.layers)])
        .into_iter()
        .chain(in_words(&changed.read_by_readers()))
        .chain(changed.story.then(|| "the story's fields".to_owned()))
        .chain(
            entry
                .removed
                .iter()
                .map(|removed| format!("removed {} ({})", removed.id, removed.title)),
        )
        .collect();
    if parts.is_empty() {
        format!("{}  {who}  {what}", entry.at)
    } else {
        format!("{}  {who}  {what}  [{}]", entry.at, parts.join("; "))
    }
}

/// What readers are told of the changes published up to revision `upto`
/// (all, if `None`).
pub fn corrections(entries: &[Entry], upto: Option<u32>) -> Vec<Correction> {
    entries
        .iter()
        .filter(|entry| entry.action == Action::Publish)
        .filter_map(|entry| {
            let revision = entry.revision?;
            let kind = entry.kind?;
            upto.is_none_or(|upto| revision <= upto)
                .then(|| Correction {
                    revision,
                    at: entry.at.clone(),
                    kind,
                    note: entry.note.clone(),
                    features: entry.changed.features.clone(),
                    removed: entry.removed.clone(),
                    moved: entry.moved.clone(),
                })
        })
        .collect()
}

/// The publish that removed feature `id` last, if one did.
pub fn removal<'a>(entries: &'a [Entry], id: &str) -> Option<(&'a Entry, &'a Removed)> {
    entries.iter().rev().find_map(|entry| {
        entry
            .removed
            .iter()
            .find(|removed| removed.id == id)
            .map(|removed| (entry, removed))
    })
}

/// A published revision's files, by their SHA-256.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RevisionFile {
    revision: u32,
    published_at: String,
    files: BTreeMap<String, String>,
}

fn revision_path(number: u32) -> String {
    format!("{FOLDER}/revisions/{number}.json")
}

fn object_path(hash: &str) -> String {
    format!("{FOLDER}/objects/{hash}")
}

/// The number of the latest published revision of the story in `folder`.
pub fn latest(folder: &Path) -> Option<u32> {
    fs::read_dir(folder.join(FOLDER).join("revisions"))
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            entry
                .file_name()
                .to_str()?
                .strip_suffix(".json")?
                .parse::<u32>()
                .ok()
        })
        .max()
}

/// The files to write to keep `files` (a story's, by name, as loading it
/// reads them) as revision `number`, published at `at`.
pub fn revision_writes(number: u32, at: &str, files: &[(String, String)]) -> Vec<(String, String)> {
    let mut writes = Vec::new();
    let mut listed = BTreeMap::new();
    for (name, text) in files {
        let hash = hex::encode(sha2::Sha256::digest(text.as_bytes()));
        writes.push((object_path(&hash), text.clone()));
        listed.insert(name.clone(), hash);
    }
    let revision = RevisionFile {
        revision: number,
        published_at: at.to_owned(),
        files: listed,
    };
    writes.push((
        revision_path(number),
        serde_json::to_string_pretty(&revision).unwrap_or_default(),
    ));
    writes
}

/// The files loading the story in `folder` reads, with their text: what a
/// revision keeps.
pub fn story_files(slug: &str, folder: &Path) -> Vec<(String, String)> {
    let mut read = Vec::new();
    // Its problems do not matter here: it was published, so checked.
    let _ = Story::load(
        slug,
        &folder.display().to_string(),
        &mut load::recording(folder, &mut read),
    );
    read
}

/// Why a revision cannot be shown.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RevisionError {
    /// The story has no such revision.
    #[error("the story {slug:?} has no revision {number}")]
    NotFound { slug: String, number: u32 },
    /// Its files are damaged: kort's own records no longer load.
    #[error("revision {number} of {slug:?} does not load: {reason}")]
    Damaged {
        slug: String,
        number: u32,
        reason: String,
    },
}

/// Revision `number` of the story `slug` in `folder`, loaded as readers
/// got it then, with the corrections published up to it.
pub fn load_revision(slug: &str, folder: &Path, number: u32) -> Result<Story, RevisionError> {
    let listed: RevisionFile = load::read(folder, &revision_path(number))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or_else(|| RevisionError::NotFound {
            slug: slug.to_owned(),
            number,
        })?;
    let shown = format!("{}/{}", folder.display(), revision_path(number));
    let mut story = Story::load(slug, &shown, &mut |name| {
        let hash = listed
            .files
            .get(name)
            .ok_or_else(|| format!("revision {number} keeps no file {name:?}"))?;
        load::read(folder, &object_path(hash))
    })
    .map_err(|problems| RevisionError::Damaged {
        slug: slug.to_owned(),
        number,
        reason: problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    })?;
    story.corrections = corrections(&entries(folder), Some(number));
    story.revision = Some(Revision {
        number,
        published_at: listed.published_at,
    });
    Ok(story)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/stories/arsal-convoy-2017")
    }

    #[test]
    fn a_changed_feature_paragraph_and_source_are_named() {
        let before = Items::of_folder(&seed());
        let mut after = Items::of_folder(&seed());
        assert_eq!(changes(&before, &after), Changes::default());
        after.features.remove("arsal");
        after
            .paragraphs
            .get_mut("luftangreb")
            .expect("luftangreb")
            .push_str("more");
        after.sources.insert("new".into(), "id = \"new\"".into());
        let changed = changes(&before, &after);
        assert_eq!(changed.features, ["arsal"]);
        assert_eq!(changed.paragraphs, ["luftangreb"]);
        assert_eq!(changed.sources, ["new"]);
        assert!(changed.touches_what_readers_read());
        assert_eq!(
            removed(&before, &after),
            [Removed {
                id: "arsal".into(),
                title: "Arsal".into()
            }]
        );
    }
}
