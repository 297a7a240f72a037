//! What a valid story is served as: the page model and GeoJSON.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Story;
use super::words::pick;
use crate::date::TimeFilter;
use crate::i18n::Dir;
use crate::model::{
    FeatureProperties, FeatureSummary, LayerView, MapProperties, ParagraphView, PassageRef,
    RemoteView, Segment, Source, StoryPage, StorySummary, TextView,
};

/// The page model of a story, with its article in `story.texts[text]` and
/// its own words in `words` where it gives them in it (one of
/// [`super::manifest::Manifest::word_languages`], or the data language).
pub fn page(story: &Story, text: usize, words: &str) -> StoryPage {
    let manifest = &story.manifest;
    let shown = &story.texts[text];
    let data = manifest.data_language();
    StoryPage {
        summary: StorySummary {
            slug: story.slug.clone(),
            title: manifest.title.clone(),
            language: manifest.language.clone(),
            dir: Dir::of_language(&manifest.language),
            published: manifest.published.clone(),
            summary: manifest.summary_in(words).to_owned(),
            data_language: words.to_owned(),
            data_dir: Dir::of_language(words),
            untranslated: (words != data).then(|| (data.to_owned(), Dir::of_language(data))),
        },
        byline: manifest.byline_in(words),
        view: manifest.view,
        text: TextView {
            language: shown.language.clone(),
            dir: Dir::of_language(&shown.language),
            title: shown.title.clone(),
            translator: shown.translator.clone(),
        },
        languages: story.texts.iter().map(|t| t.language.clone()).collect(),
        paragraphs: paragraphs(story, text),
        layers: story
            .layers
            .iter()
            .map(|layer| {
                let by_viewport = layer.by_viewport();
                let (translated, language) = pick(&layer.translated, words, data);
                LayerView {
                    id: layer.id.clone(),
                    title: translated.map_or(&layer.title, |w| &w.title).clone(),
                    language,
                    style: layer.style.clone(),
                    features: layer
                        .features
                        .iter()
                        .filter(|feature| {
                            !by_viewport || feature.passages.iter().any(|p| !p.is_empty())
                        })
                        .map(|feature| summary(story, feature, text, words))
                        .collect(),
                    total: layer.features.len(),
                    by_viewport,
                    remote: layer.remote.as_ref().map(|remote| RemoteView {
                        host: host_of(&remote.url).to_owned(),
                        fetched: remote.fetched.clone(),
                    }),
                }
            })
            .collect(),
        sources: story
            .sources
            .iter()
            .map(|source| {
                let (translated, language) = pick(&source.translated, words, data);
                let mut shown = Source {
                    language,
                    translated: BTreeMap::new(),
                    ..source.clone()
                };
                if let Some(words) = translated {
                    words.title.clone_into(&mut shown.title);
                    if let Some(publisher) = &words.publisher {
                        publisher.clone_into(&mut shown.publisher);
                    }
                    if words.author.is_some() {
                        shown.author.clone_from(&words.author);
                    }
                }
                shown
            })
            .collect(),
        corrections: story.corrections.clone(),
        revision: story.revision.clone(),
    }
}

/// The feature with this id, with its passages in the text in `language`
/// (the original where the story has no text in it), and its words in
/// `words` (as [`page`]'s).
pub fn feature_in(
    story: &Story,
    id: &str,
    language: &str,
    words: &str,
) -> Result<FeatureSummary, crate::error::KortError> {
    let text = story
        .texts
        .iter()
        .position(|text| text.language == language)
        .unwrap_or(0);
    story
        .features()
        .find(|feature| feature.id == id)
        .map(|feature| summary(story, feature, text, words))
        .ok_or_else(|| crate::error::KortError::FeatureNotFound {
            slug: story.slug.clone(),
            feature: id.to_owned(),
        })
}

/// What a reader needs to know about a feature, with its passages in
/// `story.texts[text]` and its words in `words` (as [`page`]'s).
pub fn summary(
    story: &Story,
    feature: &super::Feature,
    text: usize,
    words: &str,
) -> FeatureSummary {
    let (translated, language) = pick(&feature.translated, words, story.manifest.data_language());
    FeatureSummary {
        id: feature.id.clone(),
        title: translated.map_or(&feature.title, |w| &w.title).clone(),
        language,
        name_ar: feature.name_ar.clone(),
        layer: feature.layer.clone(),
        kind: super::geometry::kind(&feature.geometry),
        date: feature.date.as_ref().map(|(text, _)| text.clone()),
        uncertainty_m: feature.uncertainty_m,
        note: translated
            .map_or(feature.note.as_ref(), |w| w.note.as_ref())
            .cloned(),
        published_precision_m: feature.published_precision_m,
        geolocation: feature.geolocation.as_deref().cloned(),
        passages: passage_refs(story, feature, text),
        sources: feature.sources.clone(),
    }
}

/// A feature's passages in `story.texts[text]`, as page anchors and
/// character ranges.
fn passage_refs(story: &Story, feature: &super::Feature, text: usize) -> Vec<PassageRef> {
    let paragraphs = &story.texts[text].paragraphs;
    feature.passages[text]
        .iter()
        .enumerate()
        .map(|(index, passage)| {
            let text = &paragraphs[passage.at.paragraph].text;
            PassageRef {
                anchor: anchor(&feature.id, index),
                paragraph: paragraphs[passage.at.paragraph].id.clone(),
                start: text[..passage.at.start].chars().count(),
                end: text[..passage.at.end].chars().count(),
                exact: passage.selector.exact.clone(),
            }
        })
        .collect()
}

/// The page anchor of a feature's `index`th passage.
pub fn anchor(feature: &str, index: usize) -> String {
    format!("q-{feature}-{}", index + 1)
}

/// Cuts each paragraph of `story.texts[text]` at every passage boundary, so
/// each run of text knows which features mention it.
fn paragraphs(story: &Story, text: usize) -> Vec<ParagraphView> {
    let paragraphs = &story.texts[text].paragraphs;
    // (start, end, feature, anchor) of each passage, by paragraph: one pass
    // over the features, however many paragraphs and features there are.
    let mut passages: Vec<Vec<(usize, usize, &str, String)>> = vec![Vec::new(); paragraphs.len()];
    for feature in story.features() {
        for (n, passage) in feature.passages[text].iter().enumerate() {
            if let Some(found) = passages.get_mut(passage.at.paragraph) {
                found.push((
                    passage.at.start,
                    passage.at.end,
                    feature.id.as_str(),
                    anchor(&feature.id, n),
                ));
            }
        }
    }
    paragraphs
        .iter()
        .zip(passages)
        .map(|(paragraph, passages)| ParagraphView {
            id: paragraph.id.clone(),
            segments: segments(&paragraph.text, &passages),
        })
        .collect()
}

/// Cuts `text` at every boundary of `passages` (byte `start`, `end`, the
/// feature, the passage's anchor), so each run of text knows which
/// features mention it.
pub fn segments(text: &str, passages: &[(usize, usize, &str, String)]) -> Vec<Segment> {
    let mut cuts: Vec<usize> = passages
        .iter()
        .flat_map(|(start, end, ..)| [*start, *end])
        .chain([0, text.len()])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|cut| {
            let (from, to) = (cut[0], cut[1]);
            let covering = passages
                .iter()
                .filter(|(start, end, ..)| *start <= from && *end >= to);
            let mut features: Vec<String> = Vec::new();
            for (_, _, feature, _) in covering {
                if !features.iter().any(|f| f == feature) {
                    features.push((*feature).to_owned());
                }
            }
            Segment {
                text: text[from..to].to_owned(),
                features,
                anchors: passages
                    .iter()
                    .filter(|(start, ..)| *start == from)
                    .map(|(.., anchor)| anchor.clone())
                    .collect(),
            }
        })
        .collect()
}

/// The host of an `http(s)://` address: what a reader is told a layer
/// comes from.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority.rsplit('@').next().unwrap_or(authority)
}

/// An RFC 7946 FeatureCollection of the story's features (of one layer,
/// if given; at one time, if given: undated features are always in it).
pub fn feature_collection(story: &Story, layer: Option<&str>, time: Option<&TimeFilter>) -> String {
    collection(story, |feature| {
        layer.is_none_or(|id| feature.layer == id) && in_time(feature, time)
    })
}

/// Whether `feature` is in a collection cut by `time` (none: all are).
/// Undated features always are.
pub fn in_time(feature: &super::Feature, time: Option<&TimeFilter>) -> bool {
    time.is_none_or(|time| {
        feature
            .date
            .as_ref()
            .is_none_or(|(_, date)| time.includes(date))
    })
}

/// An RFC 7946 FeatureCollection of the story's features that `keep`.
pub fn collection(story: &Story, keep: impl Fn(&super::Feature) -> bool) -> String {
    let mut out = String::new();
    let mut at = Written::default();
    while write_collection(story, &keep, &mut at, &mut out, usize::MAX) {}
    out
}

/// How far [`write_collection`] has written a collection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// The next feature to look at: its layer, and its index in the layer.
    layer: usize,
    feature: usize,
    /// Whether the opening of the collection has been written.
    started: bool,
    /// Whether a feature has been written (the next needs a comma).
    any: bool,
    /// Whether the closing `]}` has been written.
    done: bool,
}

/// Writes the next part of the FeatureCollection of the story's features
/// that `keep` into `out`: from where `at` says, until `out` holds
/// `bytes` or more or the collection is complete. Returns whether there is
/// more to write. A collection too large to keep in memory is sent this
/// way, a part at a time; written feature by feature, it never exists as a
/// JSON tree (which would take several times the text's size).
pub fn write_collection(
    story: &Story,
    keep: impl Fn(&super::Feature) -> bool,
    at: &mut Written,
    out: &mut String,
    bytes: usize,
) -> bool {
    if at.done {
        return false;
    }
    if !at.started {
        at.started = true;
        out.push_str(r#"{"type":"FeatureCollection","features":["#);
    }
    while let Some(layer) = story.layers.get(at.layer) {
        while let Some(feature) = layer.features.get(at.feature) {
            at.feature += 1;
            if !keep(feature) {
                continue;
            }
            if at.any {
                out.push(',');
            }
            at.any = true;
            out.push_str(&geojson_feature(feature, properties(story, feature)).to_string());
            if out.len() >= bytes {
                return true;
            }
        }
        at.layer += 1;
        at.feature = 0;
    }
    out.push_str("]}");
    at.done = true;
    false
}

/// What the map draws a feature with.
pub fn map_properties(feature: &super::Feature) -> MapProperties {
    MapProperties {
        title: feature.title.clone(),
        date: feature.date.as_ref().map(|(date, _)| date.clone()),
        uncertainty_m: feature.uncertainty_m,
    }
}

/// A feature's GeoJSON properties: what the map draws it with, its layer,
/// note, passages (as page anchors and character ranges) and source ids.
pub fn properties(story: &Story, feature: &super::Feature) -> FeatureProperties {
    FeatureProperties {
        map: map_properties(feature),
        name_ar: feature.name_ar.clone(),
        layer: feature.layer.clone(),
        layer_title: None,
        note: feature.note.clone(),
        published_precision_m: feature.published_precision_m,
        geolocation: feature.geolocation.as_deref().cloned(),
        // Passages in the original; the page model has them in each translation.
        passages: passage_refs(story, feature, 0),
        sources: feature.sources.clone(),
        url: None,
    }
}

/// An RFC 7946 Feature with the feature's id and geometry and the given properties.
pub fn geojson_feature(feature: &super::Feature, properties: impl serde::Serialize) -> Value {
    json!({
        "type": "Feature",
        "id": feature.id,
        "geometry": geojson::Geometry::new(geojson::Value::from(&feature.geometry)),
        "properties": properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::tests::{files, load};

    #[test]
    fn passages_become_marked_runs_with_anchors() {
        let story = load(&files()).expect("valid");
        let page = page(&story, 0, story.manifest.data_language());
        let two = &page.paragraphs[1];
        let marked: Vec<&Segment> = two
            .segments
            .iter()
            .filter(|s| !s.features.is_empty())
            .collect();
        assert_eq!(marked.len(), 1);
        assert_eq!(marked[0].text, "en lille bro");
        assert_eq!(marked[0].features, ["bridge"]);
        assert_eq!(marked[0].anchors, ["q-bridge-1"]);
        let text: String = two.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, "Vi har ødelagt en lille bro.");
    }

    #[test]
    fn character_offsets_count_letters_not_bytes() {
        let story = load(&files()).expect("valid");
        let bridge = page(&story, 0, story.manifest.data_language())
            .feature("bridge")
            .cloned()
            .expect("bridge");
        // "Vi har ødelagt " is 15 characters but 16 bytes.
        assert_eq!((bridge.passages[0].start, bridge.passages[0].end), (15, 27));
    }

    #[test]
    fn geojson_is_a_feature_collection_with_ids() {
        let story = load(&files()).expect("valid");
        let parsed: geojson::FeatureCollection = feature_collection(&story, Some("strikes"), None)
            .parse()
            .expect("geojson");
        assert_eq!(parsed.features.len(), 1);
        assert_eq!(
            parsed.features[0].id,
            Some(geojson::feature::Id::String("bridge".into()))
        );
        assert_eq!(
            parsed.features[0].property("uncertainty_m"),
            Some(&json!(25000.0))
        );
    }

    #[test]
    fn the_timeline_reads_the_same_events_from_its_share_of_the_seed() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../data/stories/arsal-convoy-2017"
        );
        let story = Story::load("arsal-convoy-2017", dir, &mut |name| {
            std::fs::read_to_string(format!("{dir}/{name}")).map_err(|e| e.to_string())
        })
        .expect("the seed story is valid");
        let whole = page(&story, 0, story.manifest.data_language());
        let share = whole.for_the_timeline();
        let events = crate::components::timeline::events(&whole);
        assert!(events.len() > 10, "the seed has its dated features");
        assert_eq!(crate::components::timeline::events(&share), events);
        assert_eq!(share.layer_ids(), whole.layer_ids());
        // Nothing the timeline does not read: no passages, sources or notes.
        let json = serde_json::to_string(&*share).expect("serializable");
        let full = serde_json::to_string(&whole.for_the_map()).expect("serializable");
        assert!(
            json.len() * 2 < full.len(),
            "{} of {} bytes",
            json.len(),
            full.len()
        );
        assert!(share.sources.is_empty());
        assert!(
            share
                .layers
                .iter()
                .flat_map(|layer| &layer.features)
                .all(|feature| {
                    feature.date.is_some() && feature.passages.is_empty() && feature.note.is_none()
                })
        );
    }
}
