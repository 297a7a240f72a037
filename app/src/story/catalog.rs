//! The stories kort serves: every story folder found, valid or not, with what
//! readers are served precomputed once at load.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use super::viewport::LayerIndex;
use super::{Problem, Story, view};
use crate::error::KortError;
use crate::model::{StoryCard, StoryPage, StorySummary};

/// A response body built once at load, with its entity tag: answering is a
/// reference count, and a revalidation is a comparison of tags.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub body: axum::body::Bytes,
    /// A weak tag of the body (see [`etag`]).
    pub etag: String,
}

impl Prepared {
    pub fn new(body: String) -> Self {
        let etag = etag(body.as_bytes());
        Self {
            body: body.into(),
            etag,
        }
    }
}

/// A weak entity tag for `bytes`: the same body is sent gzip-, brotli- or
/// un-encoded, and is the same resource each way.
pub fn etag(bytes: &[u8]) -> String {
    format!("W/{}", strong_etag(bytes))
}

/// A strong entity tag for `bytes`, for a body sent only as it is (an
/// image). XXH3: the same bytes give the same tag in every process and
/// build, so tags kept by browsers and CDNs stay valid across restarts and
/// upgrades (the standard library's hasher promises neither).
pub fn strong_etag(bytes: &[u8]) -> String {
    format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// The next [`LoadedStory::version`].
static VERSIONS: AtomicU64 = AtomicU64::new(1);

/// A valid story and the responses built from it.
#[derive(Debug)]
pub struct LoadedStory {
    pub story: Story,
    /// Tells this load apart from every other in the process: caches key on it.
    pub version: u64,
    /// The page model, as the story page and `/api/stories/<slug>` serve it:
    /// one per text of the article and language of the story's words, the
    /// original in the data language first.
    pub pages: Vec<StoryPage>,
    /// `features.geojson`: every feature of the story; `None` when the
    /// story has a layer served by viewport, whose collection is too large
    /// to keep and is written out at each request instead
    /// ([`view::write_collection`]).
    pub features_geojson: Option<Prepared>,
    /// One FeatureCollection per layer id, but for the layers served by
    /// viewport (as `features_geojson`).
    pub layer_geojson: HashMap<String, Prepared>,
    /// The layers served by viewport, by id.
    pub viewports: HashMap<String, LayerIndex>,
}

impl LoadedStory {
    /// The page with the article in its original language.
    pub fn page(&self) -> &StoryPage {
        &self.pages[0]
    }

    /// The page with the article in `text` where the story has it (else
    /// the original), and the story's own words in `words` where it gives
    /// them in it (else in its data language).
    pub fn page_for(&self, text: Option<&str>, words: &str) -> &StoryPage {
        let text = text
            .filter(|text| self.pages.iter().any(|page| page.text.language == *text))
            .unwrap_or(&self.story.manifest.language);
        let words = self.story.manifest.words_language(words);
        self.pages
            .iter()
            .find(|page| page.text.language == text && page.summary.data_language == words)
            .unwrap_or_else(|| self.page())
    }

    /// Builds the served forms of a valid story.
    pub fn new(story: Story) -> Self {
        let manifest = &story.manifest;
        let words: Vec<&str> = std::iter::once(manifest.data_language())
            .chain(manifest.translated.keys().map(String::as_str))
            .collect();
        let pages = (0..story.texts.len())
            .flat_map(|text| words.iter().map(move |words| (text, *words)))
            .map(|(text, words)| view::page(&story, text, words))
            .collect();
        let features_geojson = (!story.layers.iter().any(super::Layer::by_viewport))
            .then(|| Prepared::new(view::feature_collection(&story, None, None)));
        let layer_geojson = story
            .layers
            .iter()
            .filter(|layer| !layer.by_viewport())
            .map(|layer| {
                (
                    layer.id.clone(),
                    Prepared::new(view::feature_collection(&story, Some(&layer.id), None)),
                )
            })
            .collect();
        let viewports = story
            .layers
            .iter()
            .filter(|layer| layer.by_viewport())
            .map(|layer| (layer.id.clone(), LayerIndex::new(layer)))
            .collect();
        Self {
            story,
            version: VERSIONS.fetch_add(1, Ordering::Relaxed),
            pages,
            features_geojson,
            layer_geojson,
            viewports,
        }
    }
}

/// A story folder as found: served, or held back with its problems.
#[derive(Debug, Clone)]
pub enum Entry {
    Ready(Arc<LoadedStory>),
    Broken(Arc<[Problem]>),
}

/// Every story folder kort knows, by slug.
#[derive(Debug, Default)]
pub struct Catalog {
    entries: BTreeMap<String, Entry>,
    /// Stories still served in their last good version because an edit
    /// broke their files: the problems of the edit.
    held: BTreeMap<String, Arc<[Problem]>>,
}

/// What a reload changed, story by story.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reload {
    /// New or changed stories now served (unchanged ones are not listed).
    pub updated: Vec<String>,
    /// Stories whose folder is gone.
    pub removed: Vec<String>,
    /// Stories whose edit does not validate: the last good version stays.
    pub held: Vec<String>,
    /// New folders with problems, not served.
    pub broken: Vec<String>,
}

impl Catalog {
    /// The catalog after a reload: `fresh` as read from disk, except that a
    /// story that was served and whose files now have problems keeps being
    /// served as it was (readers lose nothing to a typo) until it is fixed.
    pub fn reloaded(previous: &Self, fresh: Self) -> (Self, Reload) {
        let mut report = Reload::default();
        let mut next = Self::default();
        for (slug, entry) in fresh.entries {
            match (entry, previous.entries.get(&slug)) {
                (Entry::Broken(problems), Some(Entry::Ready(served))) => {
                    next.entries
                        .insert(slug.clone(), Entry::Ready(Arc::clone(served)));
                    next.held.insert(slug.clone(), problems);
                    report.held.push(slug);
                }
                (Entry::Broken(problems), _) => {
                    next.entries.insert(slug.clone(), Entry::Broken(problems));
                    report.broken.push(slug);
                }
                // Unchanged: the served version stays (and what is cached for it).
                (Entry::Ready(story), Some(Entry::Ready(served)))
                    if served.pages == story.pages
                        && served.story.fingerprint == story.story.fingerprint =>
                {
                    next.entries.insert(slug, Entry::Ready(Arc::clone(served)));
                }
                (Entry::Ready(story), _) => {
                    next.entries.insert(slug.clone(), Entry::Ready(story));
                    report.updated.push(slug);
                }
            }
        }
        report.removed = previous
            .entries
            .keys()
            .filter(|slug| !next.entries.contains_key(*slug))
            .cloned()
            .collect();
        (next, report)
    }

    /// Stories served in their last good version, with the problems of
    /// their current files.
    pub fn held(&self) -> impl Iterator<Item = (&str, &[Problem])> {
        self.held
            .iter()
            .map(|(slug, problems)| (slug.as_str(), &**problems))
    }

    /// Adds the outcome of loading one story folder.
    pub fn insert(&mut self, slug: String, loaded: Result<Story, Vec<Problem>>) {
        let entry = match loaded {
            Ok(story) => Entry::Ready(Arc::new(LoadedStory::new(story))),
            Err(problems) => Entry::Broken(problems.into()),
        };
        self.entries.insert(slug, entry);
    }

    /// The story with this slug, if it is served.
    pub fn story(&self, slug: &str) -> Result<Arc<LoadedStory>, KortError> {
        match self.entries.get(slug) {
            Some(Entry::Ready(story)) => Ok(Arc::clone(story)),
            Some(Entry::Broken(_)) => Err(KortError::StoryUnavailable {
                slug: slug.to_owned(),
            }),
            None => Err(KortError::StoryNotFound {
                slug: slug.to_owned(),
            }),
        }
    }

    /// The served stories, newest first.
    pub fn summaries(&self) -> Vec<StorySummary> {
        self.newest_first()
            .map(|story| story.page().summary.clone())
            .collect()
    }

    /// The front page's list: every valid story, newest first, each with
    /// its article and its words in `language` where it has them.
    pub fn cards(&self, language: &str) -> Vec<StoryCard> {
        self.newest_first()
            .map(|story| {
                let page = story.page_for(Some(language), language);
                StoryCard {
                    summary: page.summary.clone(),
                    title: page.text.title.clone(),
                    title_language: page.text.language.clone(),
                    title_dir: page.text.dir,
                    byline: page.byline.clone(),
                    languages: page.languages.clone(),
                    view: page.view,
                }
            })
            .collect()
    }

    /// The valid stories, newest first (then by slug).
    fn newest_first(&self) -> impl Iterator<Item = &LoadedStory> {
        let mut list: Vec<&LoadedStory> = self
            .entries
            .values()
            .filter_map(|entry| match entry {
                Entry::Ready(story) => Some(story.as_ref()),
                Entry::Broken(_) => None,
            })
            .collect();
        list.sort_by(|a, b| {
            let (a, b) = (&a.page().summary, &b.page().summary);
            b.published
                .cmp(&a.published)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        list.into_iter()
    }

    /// Every entry, by slug.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries
            .iter()
            .map(|(slug, entry)| (slug.as_str(), entry))
    }

    /// How many stories are served and how many are held back.
    pub fn counts(&self) -> (usize, usize) {
        let ready = self
            .entries
            .values()
            .filter(|entry| matches!(entry, Entry::Ready(_)))
            .count();
        (ready, self.entries.len() - ready)
    }
}

/// The catalog shared by every request; replaced whole when stories reload,
/// so a request sees one consistent version from start to end.
#[derive(Debug, Clone, Default)]
pub struct Stories(Arc<RwLock<Arc<Catalog>>>);

impl Stories {
    pub fn new(catalog: Catalog) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(catalog))))
    }

    /// The current catalog of the stories the server gave the page being
    /// rendered (a context it provides to every render).
    pub fn current() -> Result<Arc<Catalog>, KortError> {
        leptos::prelude::use_context::<Self>()
            .map(|stories| stories.snapshot())
            .ok_or_else(|| KortError::Server("the story catalog is not available".into()))
    }

    /// The current catalog.
    pub fn snapshot(&self) -> Arc<Catalog> {
        Arc::clone(&self.0.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Swaps in a new catalog.
    pub fn replace(&self, catalog: Catalog) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(catalog);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::tests::{files, load};

    #[test]
    fn a_broken_edit_keeps_the_last_good_version_and_a_deletion_removes() {
        let mut before = Catalog::default();
        before.insert("kept".into(), Ok(load(&files()).expect("valid")));
        before.insert("edited".into(), Ok(load(&files()).expect("valid")));
        before.insert("gone".into(), Ok(load(&files()).expect("valid")));
        let mut fresh = Catalog::default();
        fresh.insert("kept".into(), Err(vec![Problem::file("x", "typo")]));
        let mut edited = files();
        edited.insert(
            "story.toml",
            edited["story.toml"].replace("Konvoj", "Konvojen"),
        );
        fresh.insert("edited".into(), Ok(load(&edited).expect("valid")));
        fresh.insert("new-broken".into(), Err(vec![Problem::file("y", "bad")]));
        let (after, report) = Catalog::reloaded(&before, fresh);
        assert_eq!(
            report,
            Reload {
                updated: vec!["edited".into()],
                removed: vec!["gone".into()],
                held: vec!["kept".into()],
                broken: vec!["new-broken".into()],
            }
        );
        assert!(
            after.story("kept").is_ok(),
            "the last good version is served"
        );
        assert_eq!(
            after.held().map(|(slug, _)| slug).collect::<Vec<_>>(),
            ["kept"]
        );
        assert!(matches!(
            after.story("gone"),
            Err(KortError::StoryNotFound { .. })
        ));
        assert_eq!(after.counts(), (2, 1));
    }

    #[test]
    fn broken_stories_are_held_back_and_counted() {
        let mut catalog = Catalog::default();
        catalog.insert("konvoj".into(), Ok(load(&files()).expect("valid")));
        catalog.insert("broken".into(), Err(vec![Problem::file("x", "bad")]));
        assert_eq!(catalog.counts(), (1, 1));
        assert_eq!(catalog.summaries().len(), 1);
        assert_eq!(
            catalog.story("broken").expect_err("held back"),
            KortError::StoryUnavailable {
                slug: "broken".into()
            }
        );
        assert!(matches!(
            catalog.story("nope"),
            Err(KortError::StoryNotFound { .. })
        ));
        assert!(catalog.story("konvoj").is_ok());
    }
}
