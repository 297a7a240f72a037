//! Stories as editors write them: loading, validating and tying features to
//! the article and the sources (server only).
//!
//! A story is a folder, `data/stories/<slug>/`:
//!
//! - `story.toml`: title, language, publication date, publisher (or
//!   `source_text`), summary, the map's `view`, `[[translations]]`, and the
//!   `[[layers]]` (id, title, file, style; a remote layer has `remote` and
//!   `mapping` instead of a file of its own);
//! - the article (`article.txt` unless `story.toml` says otherwise):
//!   paragraphs separated by blank lines, each opened by `{#id}`;
//! - `sources.toml`: `[[source]]` tables (id, kind, publisher, author, date,
//!   title, url, quote);
//! - one GeoJSON FeatureCollection per layer, whose features carry `id`,
//!   `properties.title`, `passages` (text quote selectors), `sources`,
//!   `date`, `uncertainty_m`, `note` and `published_precision_m` (a
//!   position published coarser than known: [`blur`]).
//!
//! Reading files is the caller's business (see [`Story::load`]), so the rules
//! here are the same for `kort check`, the server and the tests.

pub mod article;
pub mod blur;
pub mod catalog;
pub mod features;
pub mod fuzz;
pub mod geometry;
pub mod manifest;
pub mod mapping;
pub mod passages;
pub mod problem;
pub mod view;
pub mod viewport;
pub mod words;

use std::collections::HashMap;

pub use catalog::{Catalog, Entry, LoadedStory, Stories};
pub use problem::{Item, Problem};

use crate::date::DateSpec;
use crate::model::{LayerStyle, Source, View};
use article::Paragraph;
use manifest::Manifest;
use passages::{Quotes, Resolved, TextQuoteSelector};

/// What an id may look like: it appears in URLs and HTML anchors.
pub const ID_RULE: &str =
    "expected 1–64 lowercase letters, digits and `-`, starting with a letter or digit";

/// Whether `id` is a valid story, layer, feature, source or paragraph id.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// A new id made from `words` (in Latin letters, whatever their script),
/// at most `max` bytes, cut at a word; `fallback` where the words give
/// none; numbered (`-2`, `-3`, …) where `taken` has it already.
pub fn new_id(words: &str, max: usize, fallback: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let mut base = slug::slugify(words);
    if base.len() > max {
        let cut = base[..max].rfind('-').unwrap_or(max);
        base.truncate(cut);
    }
    if base.is_empty() {
        fallback.clone_into(&mut base);
    }
    if !taken(&base) {
        return base;
    }
    // Not every number can be taken: there are only so many ids.
    (2..u32::MAX)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

/// A story that has passed every check.
#[derive(Debug, Clone)]
pub struct Story {
    pub slug: String,
    pub manifest: Manifest,
    /// The article: the original first, then each translation.
    pub texts: Vec<Text>,
    pub sources: Vec<Source>,
    pub layers: Vec<Layer>,
    /// The changes readers are told of, from the story's history (the
    /// server reads it; the story files alone have none).
    pub corrections: Vec<crate::model::Correction>,
    /// Which earlier revision this is; `None` for the latest.
    pub revision: Option<crate::model::Revision>,
    /// A hash of the files the story was read from (XXH3): the same files
    /// make the same story, which a reload can tell without comparing a
    /// million features.
    pub fingerprint: u64,
}

/// The article in one language.
#[derive(Debug, Clone)]
pub struct Text {
    /// BCP 47 language tag.
    pub language: String,
    pub title: String,
    /// Who translated it; `None` for the original.
    pub translator: Option<String>,
    pub paragraphs: Vec<Paragraph>,
}

/// A layer of a valid story.
#[derive(Debug, Clone)]
pub struct Layer {
    pub id: String,
    pub title: String,
    /// The title in the story's other word languages.
    pub translated: words::Translated<crate::model::TitleWords>,
    pub style: LayerStyle,
    pub features: Vec<Feature>,
    /// Where a remote layer comes from, and when its copy was fetched.
    pub remote: Option<RemoteState>,
}

/// A remote layer's origin and the age of the copy served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteState {
    pub url: String,
    /// When the copy served was fetched (RFC 3339, UTC); `None` until the
    /// first fetch succeeds.
    pub fetched: Option<String>,
}

/// The member of a remote layer's copy that records where and when it was
/// fetched (a foreign member, which RFC 7946 allows).
pub const REMOTE_MEMBER: &str = "kort_remote";

/// When a remote layer's copy was fetched, from its [`REMOTE_MEMBER`].
fn remote_fetched(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Copy {
        kort_remote: Option<Fetched>,
    }
    #[derive(serde::Deserialize)]
    struct Fetched {
        fetched: String,
    }
    serde_json::from_str::<Copy>(text)
        .ok()?
        .kort_remote
        .map(|member| member.fetched)
}

/// A feature of a valid story, tied to its passages and sources.
#[derive(Debug, Clone)]
pub struct Feature {
    pub id: String,
    pub title: String,
    /// The name in Arabic, for places that have one.
    pub name_ar: Option<String>,
    pub layer: String,
    pub geometry: geo_types::Geometry<f64>,
    /// Where each text mentions the feature, in the order of [`Story::texts`].
    pub passages: Vec<Vec<Passage>>,
    pub sources: Vec<String>,
    pub date: Option<(String, DateSpec)>,
    pub uncertainty_m: Option<f64>,
    pub note: Option<String>,
    /// The title and note in the story's other word languages.
    pub translated: words::Translated<words::FeatureWords>,
    /// The grid the position is published on, in metres; the geometry is
    /// already snapped to it and the uncertainty widened by it.
    pub published_precision_m: Option<f64>,
    /// Boxed: few features have one, and a layer may have a million.
    pub geolocation: Option<Box<crate::model::Geolocation>>,
}

/// A passage of the article that mentions a feature.
#[derive(Debug, Clone)]
pub struct Passage {
    pub selector: TextQuoteSelector,
    pub at: Resolved,
}

/// Reads a file of the story, given its path relative to the story folder.
/// The error is the reason, in words (e.g. "no such file").
pub type ReadFile<'a> = dyn FnMut(&str) -> Result<String, String> + 'a;

impl Story {
    /// Loads and validates the story in `dir` (shown in messages), reading its
    /// files through `read`. Returns every problem found, not just the first.
    pub fn load(slug: &str, dir: &str, read: &mut ReadFile<'_>) -> Result<Self, Vec<Problem>> {
        let path = |name: &str| format!("{}/{name}", dir.trim_end_matches('/'));
        let mut problems = Vec::new();
        if !valid_id(slug) {
            problems.push(Problem::file(
                dir,
                format!("the folder name {slug:?} is not a valid story slug; {ID_RULE}"),
            ));
        }
        let mut files = xxhash_rust::xxh3::Xxh3::new();
        let mut load_text = |name: &str, problems: &mut Vec<Problem>| {
            read(name)
                .inspect(|text| {
                    for part in [name.as_bytes(), &[0], text.as_bytes(), &[0]] {
                        files.update(part);
                    }
                })
                .map_err(|reason| {
                    problems.push(Problem::file(
                        path(name),
                        format!("cannot be read: {reason}"),
                    ));
                })
                .ok()
        };
        let manifest_file = path("story.toml");
        let Some(manifest_text) = load_text("story.toml", &mut problems) else {
            return Err(problems);
        };
        let manifest = match Manifest::parse(&manifest_file, &manifest_text) {
            Ok(manifest) => manifest,
            Err(found) => {
                problems.extend(found);
                return Err(problems);
            }
        };
        let texts = load_texts(&manifest, &mut load_text, &path, &mut problems);
        let sources = load_text(&manifest.sources, &mut problems)
            .and_then(|text| {
                manifest::parse_sources(&path(&manifest.sources), &text, &manifest.word_languages())
                    .map_err(|found| problems.extend(found))
                    .ok()
            })
            .unwrap_or_default();
        let languages = manifest.word_languages();
        // Each feature is tied as it is parsed, its passages left to find:
        // the quotes of every layer are looked for in one pass over the
        // article once all are known, and a layer of a million features is
        // never held twice, parsed and tied.
        let mut layers = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (number, entry) in manifest.layers.iter().enumerate() {
            let file = path(&entry.file);
            let Some((text, remote)) = layer_text(entry, &mut load_text, &mut problems) else {
                continue;
            };
            let mut layer_features = Vec::new();
            let found = features::parse_each(&file, &text, &entry.id, &manifest.view, &mut |raw| {
                if let Some(other) = seen.insert(raw.id.clone(), number) {
                    problems.push(
                        Problem::file(
                            &file,
                            format!(
                                "this id is also used in {}; feature ids must be unique",
                                path(&manifest.layers[other].file)
                            ),
                        )
                        .item(Item::Feature(raw.id.clone()))
                        .field("id"),
                    );
                    return;
                }
                let (feature, found) = tie(&file, entry, raw, &texts, &sources, &languages);
                problems.extend(found);
                layer_features.push(feature);
            });
            drop(text);
            problems.extend(found);
            layers.push((file, Layer::new(entry, layer_features, remote)));
        }
        drop(seen);
        resolve_passages(&mut layers, &texts, &mut problems);
        let layers = layers.into_iter().map(|(_, layer)| layer).collect();
        if problems.is_empty() {
            Ok(Self {
                slug: slug.to_owned(),
                manifest,
                texts,
                sources,
                layers,
                corrections: Vec::new(),
                revision: None,
                fingerprint: files.digest(),
            })
        } else {
            Err(problems)
        }
    }

    /// The region the map opens on.
    pub fn view(&self) -> View {
        self.manifest.view
    }

    /// Every feature, layer by layer.
    pub fn features(&self) -> impl Iterator<Item = &Feature> {
        self.layers.iter().flat_map(|layer| &layer.features)
    }

    /// Protects every position of this story (an earlier revision) as
    /// `latest` protects the same feature now ([`blur::protect_as_now`]).
    pub fn protect_as(&mut self, latest: &Self) {
        // By id: a revision of 50,000 features looks each up once.
        let now: HashMap<&str, f64> = latest
            .features()
            .filter_map(|current| Some((current.id.as_str(), current.published_precision_m?)))
            .collect();
        for feature in self.layers.iter_mut().flat_map(|layer| &mut layer.features) {
            blur::protect_as_now(feature, now.get(feature.id.as_str()).copied());
        }
    }

    /// The layer with this id, or the error that says the story has none.
    pub fn layer(&self, id: &str) -> Result<&Layer, crate::error::KortError> {
        self.layers
            .iter()
            .find(|layer| layer.id == id)
            .ok_or_else(|| crate::error::KortError::LayerNotFound {
                slug: self.slug.clone(),
                layer: id.to_owned(),
            })
    }
}

impl Layer {
    fn new(
        entry: &manifest::LayerEntry,
        mut features: Vec<Feature>,
        remote: Option<RemoteState>,
    ) -> Self {
        features.shrink_to_fit();
        Self {
            id: entry.id.clone(),
            title: entry.title.clone(),
            translated: entry.translated.clone(),
            style: entry.style.clone(),
            features,
            remote,
        }
    }

    /// Whether the layer is served by viewport (see
    /// [`crate::model::VIEWPORT_LAYER_MIN`]).
    pub fn by_viewport(&self) -> bool {
        self.features.len() >= crate::model::VIEWPORT_LAYER_MIN
    }
}

/// A layer's file, and for a remote layer where it comes from and when
/// its copy was fetched. `None` when a local layer's file cannot be read
/// (which is a problem); a remote layer not fetched yet is empty (which is
/// not: the server fetches it in the background).
fn layer_text(
    entry: &manifest::LayerEntry,
    load_text: &mut dyn FnMut(&str, &mut Vec<Problem>) -> Option<String>,
    problems: &mut Vec<Problem>,
) -> Option<(String, Option<RemoteState>)> {
    let Some(remote) = &entry.remote else {
        return Some((load_text(&entry.file, problems)?, None));
    };
    let text = load_text(&entry.file, &mut Vec::new());
    let state = RemoteState {
        url: remote.url.clone(),
        fetched: text.as_deref().and_then(remote_fetched),
    };
    let empty = || r#"{"type": "FeatureCollection", "features": []}"#.to_owned();
    Some((text.unwrap_or_else(empty), Some(state)))
}

/// The article in its original language and in each translation.
fn load_texts(
    manifest: &Manifest,
    load_text: &mut dyn FnMut(&str, &mut Vec<Problem>) -> Option<String>,
    path: &dyn Fn(&str) -> String,
    problems: &mut Vec<Problem>,
) -> Vec<Text> {
    let mut load_article = |name: &str, problems: &mut Vec<Problem>| {
        load_text(name, problems)
            .and_then(|text| {
                article::parse(&path(name), &text)
                    .map_err(|found| problems.extend(found))
                    .ok()
            })
            .unwrap_or_default()
    };
    let mut texts = vec![Text {
        language: manifest.language.clone(),
        title: manifest.title.clone(),
        translator: None,
        paragraphs: load_article(&manifest.article, problems),
    }];
    for translation in &manifest.translations {
        let paragraphs = load_article(&translation.article, problems);
        if !texts[0].paragraphs.is_empty() && !paragraphs.is_empty() {
            problems.extend(article::check_same_paragraphs(
                &path(&translation.article),
                &texts[0].paragraphs,
                &paragraphs,
            ));
        }
        texts.push(Text {
            language: translation.language.clone(),
            title: translation.title.clone(),
            translator: Some(translation.translator.clone()),
            paragraphs,
        });
    }
    texts
}

/// Makes a feature of a layer file's, with what is wrong with it; its
/// passages are found later ([`resolve_passages`]).
fn tie(
    file: &str,
    layer: &manifest::LayerEntry,
    raw: features::RawFeature,
    texts: &[Text],
    sources: &[Source],
    languages: &[String],
) -> (Feature, Vec<Problem>) {
    let mut problems = Vec::new();
    let at = |field: String, message: String| {
        Problem::file(file, message)
            .item(Item::Feature(raw.id.clone()))
            .field(field)
    };
    let mut props = raw.properties;
    for language in props.translated_passages.keys() {
        if !texts.iter().skip(1).any(|text| &text.language == language) {
            let known: Vec<&str> = texts.iter().skip(1).map(|t| t.language.as_str()).collect();
            problems.push(at(
                format!("properties.translated_passages.{language}"),
                format!(
                    "the story has no translation into {language:?}; expected one of the languages of its [[translations]] ({})",
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                ),
            ));
        }
    }
    let mut passages = Vec::new();
    for (index, text) in texts.iter().enumerate() {
        let selectors = if index == 0 {
            std::mem::take(&mut props.passages)
        } else {
            let selectors = props
                .translated_passages
                .remove(&text.language)
                .unwrap_or_default();
            if selectors.is_empty() && !passages.first().is_none_or(Vec::is_empty) {
                problems.push(at(
                    passages_field(text, index),
                    format!(
                        "is missing; the feature has passages in the original, so expected where the {} translation mentions it",
                        text.language
                    ),
                ));
            }
            selectors
        };
        passages.push(
            selectors
                .into_iter()
                .map(|selector| Passage {
                    selector,
                    at: Resolved::default(),
                })
                .collect(),
        );
    }
    problems.extend(
        word_problems(&props, languages)
            .into_iter()
            .map(|(field, message)| at(field, message)),
    );
    problems.extend(
        citation_problems(&props, sources)
            .into_iter()
            .map(|(field, message)| at(field, message)),
    );
    let date = props
        .date
        .and_then(|text| DateSpec::parse(&text).ok().map(|spec| (text, spec)));
    let feature = Feature {
        id: raw.id,
        title: props.title,
        name_ar: props.name_ar,
        layer: layer.id.clone(),
        // The exact position goes no further than this: everything readers
        // get is made from the snapped one.
        geometry: match props.published_precision_m {
            Some(precision) => blur::snap(&raw.geometry, precision),
            None => raw.geometry,
        },
        passages,
        sources: props.sources,
        date,
        uncertainty_m: match props.published_precision_m {
            Some(precision) => Some(blur::published_uncertainty(props.uncertainty_m, precision)),
            None => props.uncertainty_m,
        },
        note: props.note,
        translated: props.translated,
        published_precision_m: props.published_precision_m,
        geolocation: props.geolocation.map(Box::new),
    };
    (feature, problems)
}

/// The field of a feature's passages in `text`, the `index`th of the story.
fn passages_field(text: &Text, index: usize) -> String {
    if index == 0 {
        "properties.passages".to_owned()
    } else {
        format!("properties.translated_passages.{}", text.language)
    }
}

/// Finds every feature's passages in the article: all the quotes of a
/// text in one pass over it ([`Quotes`]). A passage that is not found, or
/// found more than once, is a problem of its feature.
fn resolve_passages(layers: &mut [(String, Layer)], texts: &[Text], problems: &mut Vec<Problem>) {
    for (index, text) in texts.iter().enumerate() {
        let exacts = layers
            .iter()
            .flat_map(|(_, layer)| &layer.features)
            .flat_map(|feature| &feature.passages[index])
            .map(|passage| passage.selector.exact.clone());
        let quotes = Quotes::find(&text.paragraphs, exacts);
        for (file, layer) in layers.iter_mut() {
            for feature in &mut layer.features {
                let passages = &mut feature.passages[index];
                let mut n = 0;
                passages.retain_mut(|passage| {
                    let found = passage.selector.resolve_in(&quotes);
                    n += 1;
                    match found {
                        Ok(at) => {
                            passage.at = at;
                            true
                        }
                        // With no article to search, the article's own
                        // problems say it all.
                        Err(_) if text.paragraphs.is_empty() => false,
                        Err(error) => {
                            problems.push(
                                Problem::file(file.as_str(), error.to_string())
                                    .item(Item::Feature(feature.id.clone()))
                                    .field(format!(
                                        "{}[{}].exact",
                                        passages_field(text, index),
                                        n - 1
                                    )),
                            );
                            false
                        }
                    }
                });
            }
        }
    }
}

/// What is wrong with a feature's words in other languages, as
/// `(field, message)`; `languages` are those the story gives its words in.
fn word_problems(props: &features::Properties, languages: &[String]) -> Vec<(String, String)> {
    words::problems(
        &props.translated,
        languages,
        &[
            (
                "title",
                words::Need::Required,
                |words: &words::FeatureWords| Some(words.title.as_str()),
            ),
            (
                "note",
                words::Need::as_given(props.note.is_some()),
                |words: &words::FeatureWords| words.note.as_deref(),
            ),
        ],
    )
    .into_iter()
    .map(|(field, message)| (format!("properties.{field}"), message))
    .collect()
}

/// What is wrong with the sources a feature cites, as `(field, message)`.
fn citation_problems(props: &features::Properties, sources: &[Source]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (index, id) in props.sources.iter().enumerate() {
        if !sources.iter().any(|source| &source.id == id) {
            found.push((
                format!("properties.sources[{index}]"),
                format!("{id:?} is not in the story's sources; expected the id of a [[source]]"),
            ));
        }
    }
    if let Some(id) = props
        .geolocation
        .as_ref()
        .and_then(|geolocation| geolocation.source.as_ref())
        && !props.sources.contains(id)
    {
        found.push((
            "properties.geolocation.source".into(),
            format!("{id:?} is not one of the feature's sources; expected the id of the source that was geolocated, listed in properties.sources"),
        ));
    }
    if props.sources.is_empty() {
        found.push((
            "properties.sources".into(),
            "is empty; expected at least one source id, so readers can check the feature".into(),
        ));
    }
    found
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small valid story, as files, for tests to break one piece at a time.
    pub(crate) fn files() -> HashMap<&'static str, String> {
        let mut files = HashMap::new();
        files.insert(
            "story.toml",
            r##"title = "Konvoj"
language = "da"
published = "2017-08-30"
publisher = "Test"
summary = "A convoy."
view = { west = 35.9, south = 33.3, east = 41.3, north = 35.6 }

[[layers]]
id = "places"
title = "Places"
file = "places.geojson"
style = { symbol = "place", color = "#224488" }

[[layers]]
id = "strikes"
title = "Strikes"
file = "strikes.geojson"
style = { symbol = "strike", color = "#aa2200" }
"##
            .to_owned(),
        );
        files.insert(
            "article.txt",
            "{#one} Soldaterne blev taget til fange i byen Arsal i august 2014.\n\n{#two} Vi har ødelagt en lille bro.\n"
                .to_owned(),
        );
        files.insert(
            "sources.toml",
            "[[source]]\nid = \"afp\"\nkind = \"wire-report\"\npublisher = \"AFP\"\ntitle = \"Dillon to AFP\"\n".to_owned(),
        );
        files.insert(
            "places.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"arsal",
              "geometry":{"type":"Point","coordinates":[36.4208,34.1794]},
              "properties":{"title":"Arsal","passages":[{"exact":"Arsal"}],"sources":["afp"]}}]}"#
                .to_owned(),
        );
        files.insert(
            "strikes.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"bridge",
              "geometry":{"type":"Point","coordinates":[39.88,34.5]},
              "properties":{"title":"Bridge","passages":[{"exact":"en lille bro"}],"sources":["afp"],
                            "uncertainty_m":25000,"date":"2017-08-30"}}]}"#
                .to_owned(),
        );
        files
    }

    pub(crate) fn load(files: &HashMap<&'static str, String>) -> Result<Story, Vec<String>> {
        Story::load("konvoj", "stories/konvoj", &mut |name| {
            files
                .get(name)
                .cloned()
                .ok_or_else(|| "no such file".to_owned())
        })
        .map_err(|problems| problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_valid_story_loads_with_passages_resolved() {
        let story = load(&files()).expect("valid");
        let bridge = story.features().find(|f| f.id == "bridge").expect("bridge");
        assert_eq!(bridge.passages[0][0].at.paragraph, 1);
        assert_eq!(bridge.uncertainty_m, Some(25_000.0));
        assert_eq!(story.layers.len(), 2);
    }

    #[test]
    fn a_missing_quote_and_unknown_source_are_named() {
        let mut files = files();
        let strikes = files["strikes.geojson"]
            .replace("en lille bro", "en stor bro")
            .replace("[\"afp\"]", "[\"reuters\"]");
        files.insert("strikes.geojson", strikes);
        let problems = load(&files).expect_err("invalid");
        // Passages are looked for once every layer is read, so theirs come last.
        assert_eq!(
            problems,
            [
                "stories/konvoj/strikes.geojson: feature `bridge`: properties.sources[0]: \"reuters\" is not in the story's sources; expected the id of a [[source]]",
                "stories/konvoj/strikes.geojson: feature `bridge`: properties.passages[0].exact: the quote \"en stor bro\" is not in the article; expected the exact words of a passage (check spelling and punctuation)",
            ]
        );
    }

    #[test]
    fn an_ambiguous_quote_asks_for_prefix_or_suffix() {
        let mut files = files();
        files.insert(
            "article.txt",
            files["article.txt"].replace("i august", "i Arsal i august"),
        );
        let problems = load(&files).expect_err("invalid");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("feature `arsal`: properties.passages[0].exact: the quote \"Arsal\" is in the article 2 times; add a `prefix` or `suffix`"));
    }

    #[test]
    fn duplicate_feature_ids_across_layers_are_refused() {
        let mut files = files();
        files.insert(
            "strikes.geojson",
            files["strikes.geojson"].replace("\"bridge\"", "\"arsal\""),
        );
        let problems = load(&files).expect_err("invalid");
        assert_eq!(
            problems,
            [
                "stories/konvoj/strikes.geojson: feature `arsal`: id: this id is also used in stories/konvoj/places.geojson; feature ids must be unique"
            ]
        );
    }

    #[test]
    fn a_missing_layer_file_is_named() {
        let mut files = files();
        files.remove("places.geojson");
        let problems = load(&files).expect_err("invalid");
        assert_eq!(
            problems,
            ["stories/konvoj/places.geojson: cannot be read: no such file"]
        );
    }

    /// The test story with an English translation.
    fn translated() -> HashMap<&'static str, String> {
        let mut files = files();
        let manifest = format!(
            "{}\n[[translations]]\nlanguage = \"en\"\ntitle = \"Convoy\"\narticle = \"article.en.txt\"\ntranslator = \"The desk\"\n",
            files["story.toml"]
        );
        files.insert("story.toml", manifest);
        files.insert(
            "article.en.txt",
            "{#one} The soldiers were captured in the town of Arsal in August 2014.\n\n{#two} We destroyed a small bridge.\n".to_owned(),
        );
        for (file, feature, quote) in [
            ("places.geojson", "arsal", "Arsal"),
            ("strikes.geojson", "bridge", "a small bridge"),
        ] {
            let text = files[file].replace(
                "\"sources\":[\"afp\"]",
                &format!("\"translated_passages\":{{\"en\":[{{\"exact\":\"{quote}\"}}]}},\"sources\":[\"afp\"]"),
            );
            assert!(text.contains(feature));
            files.insert(file, text);
        }
        files
    }

    #[test]
    fn a_translation_has_its_own_passages() {
        let story = load(&translated()).expect("valid");
        assert_eq!(story.texts.len(), 2);
        assert_eq!(story.texts[1].language, "en");
        let bridge = story.features().find(|f| f.id == "bridge").expect("bridge");
        assert_eq!(bridge.passages[1][0].selector.exact, "a small bridge");
        let english = view::page(&story, 1, story.manifest.data_language());
        assert_eq!(english.text.title, "Convoy");
        assert_eq!(
            english.feature("bridge").expect("bridge").passages[0].exact,
            "a small bridge"
        );
        assert_eq!(english.languages, ["da", "en"]);
    }

    #[test]
    fn a_translation_missing_a_passage_or_a_paragraph_is_named() {
        let mut files = translated();
        files.insert(
            "strikes.geojson",
            files["strikes.geojson"].replace("a small bridge", "a big bridge"),
        );
        files.insert(
            "places.geojson",
            files["places.geojson"].replace(
                "\"translated_passages\":{\"en\"",
                "\"translated_passages\":{\"fr\"",
            ),
        );
        files.insert(
            "article.en.txt",
            files["article.en.txt"].replace("{#two}", "{#three}"),
        );
        let problems = load(&files).expect_err("invalid");
        assert_eq!(
            problems,
            [
                "stories/konvoj/article.en.txt: paragraph `two`: is missing; expected every paragraph of the original, translated",
                "stories/konvoj/article.en.txt: paragraph `three`: is not in the original; expected the original's paragraph ids",
                "stories/konvoj/places.geojson: feature `arsal`: properties.translated_passages.fr: the story has no translation into \"fr\"; expected one of the languages of its [[translations]] (en)",
                "stories/konvoj/places.geojson: feature `arsal`: properties.translated_passages.en: is missing; the feature has passages in the original, so expected where the en translation mentions it",
                "stories/konvoj/strikes.geojson: feature `bridge`: properties.translated_passages.en[0].exact: the quote \"a big bridge\" is not in the article; expected the exact words of a passage (check spelling and punctuation)",
            ]
        );
    }

    /// The test story with its words in Arabic too: the summary, the
    /// places layer, Arsal and the source; not the strikes nor the bridge.
    fn in_arabic() -> HashMap<&'static str, String> {
        let mut files = files();
        let manifest = files["story.toml"].replace(
            "title = \"Places\"\n",
            "title = \"Places\"\ntranslated = { ar = { title = \"أماكن\" } }\n",
        );
        files.insert(
            "story.toml",
            format!("{manifest}\n[translated.ar]\nsummary = \"قافلة.\"\n"),
        );
        files.insert(
            "places.geojson",
            files["places.geojson"].replace(
                "\"title\":\"Arsal\"",
                "\"title\":\"Arsal\",\"translated\":{\"ar\":{\"title\":\"عرسال\"}}",
            ),
        );
        files.insert(
            "sources.toml",
            format!(
                "{}translated = {{ ar = {{ title = \"ديلون لفرانس برس\", publisher = \"فرانس برس\" }} }}\n",
                files["sources.toml"]
            ),
        );
        files
    }

    #[test]
    fn words_show_in_the_readers_language_where_given_and_are_marked_where_not() {
        let story = load(&in_arabic()).expect("valid");
        let page = view::page(&story, 0, "ar");
        assert_eq!(page.summary.summary, "قافلة.");
        assert_eq!(page.summary.data_language, "ar");
        let places = page.layer("places").expect("places");
        assert_eq!(
            (places.title.as_str(), places.language.as_deref()),
            ("أماكن", None)
        );
        let strikes = page.layer("strikes").expect("strikes");
        assert_eq!(
            (strikes.title.as_str(), strikes.language.as_deref()),
            ("Strikes", Some("da"))
        );
        let arsal = page.feature("arsal").expect("arsal");
        assert_eq!(
            (arsal.title.as_str(), arsal.language.as_deref()),
            ("عرسال", None)
        );
        let bridge = page.feature("bridge").expect("bridge");
        assert_eq!(
            (bridge.title.as_str(), bridge.language.as_deref()),
            ("Bridge", Some("da"))
        );
        assert_eq!(
            page.summary.words_in(bridge.language.as_ref()),
            ("da".to_owned(), "ltr"),
            "what has no Arabic is marked as the data language"
        );
        assert_eq!(page.summary.words_in(None), ("ar".to_owned(), "rtl"));
        let afp = page.source("afp").expect("afp");
        assert_eq!(
            (afp.title.as_str(), afp.publisher.as_str()),
            ("ديلون لفرانس برس", "فرانس برس")
        );
        // In the data language, the story's own words, unmarked.
        let data = view::page(&story, 0, "da");
        assert_eq!(data.feature("arsal").expect("arsal").title, "Arsal");
        assert_eq!(data.summary.untranslated, None);
        assert!(data.layers.iter().all(|layer| layer.language.is_none()));
        // The catalog picks the page by the reader's language.
        let loaded = LoadedStory::new(story);
        assert_eq!(loaded.page_for(None, "ar").summary.data_language, "ar");
        assert_eq!(loaded.page_for(None, "en").summary.data_language, "da");
        assert_eq!(loaded.page_for(Some("fr"), "ar").text.language, "da");
    }

    #[test]
    fn translated_words_that_do_not_match_the_story_are_named() {
        let mut files = in_arabic();
        files.insert(
            "story.toml",
            files["story.toml"].replace("summary = \"قافلة.\"", "summary = \" \""),
        );
        files.insert(
            "strikes.geojson",
            files["strikes.geojson"].replace(
                "\"title\":\"Bridge\"",
                "\"title\":\"Bridge\",\"translated\":{\"fr\":{\"title\":\"Pont\"},\"ar\":{\"title\":\"جسر\",\"note\":\"تقدير\"}}",
            ),
        );
        let problems = load(&files).expect_err("invalid");
        assert_eq!(
            problems,
            [
                "stories/konvoj/story.toml: translated.ar.summary: is empty; expected the summary in ar",
            ]
        );
        let sources =
            files["sources.toml"].replace("publisher = \"فرانس برس\"", "author = \"ديلون\"");
        let problems = manifest::parse_sources("sources.toml", &sources, &["ar".to_owned()])
            .expect_err("invalid");
        assert_eq!(
            problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "sources.toml: source `afp`: translated.ar.author: there is no author in the data language to translate; expected none here either",
            ]
        );
        files.insert(
            "story.toml",
            files["story.toml"].replace("summary = \" \"", "summary = \"قافلة.\""),
        );
        let problems = load(&files).expect_err("invalid");
        assert_eq!(
            problems,
            [
                "stories/konvoj/strikes.geojson: feature `bridge`: properties.translated.ar.note: there is no note in the data language to translate; expected none here either",
                "stories/konvoj/strikes.geojson: feature `bridge`: properties.translated.fr: the story gives no words in \"fr\"; expected one of the languages of story.toml's [translated] tables (ar), or a [translated.fr] table with the summary there",
            ]
        );
    }

    #[test]
    fn ids_are_url_safe() {
        assert!(valid_id("blocked-bridge"));
        assert!(valid_id("t2"));
        for bad in [
            "",
            "-x",
            "Arsal",
            "a b",
            "a/b",
            "../x",
            "ø",
            &"a".repeat(65),
        ] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
