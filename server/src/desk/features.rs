//! The features of a draft, as the desk's forms and map change them: drawn
//! or placed, moved between layers, split into legs, removed, and linked to
//! the words of the article that mention them.
//!
//! A change rewrites only the layer files it touches, and in those only
//! the features it touches: every other feature is written back byte for
//! byte as it was (hand edits and version control diffs stay readable).
//! What a change leaves wrong (a feature not drawn yet, a position outside
//! the view) is for `kort check` to report, as for any draft; what cannot
//! be written at all (a geometry that is not GeoJSON) is refused with the
//! field that holds it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use kort_app::desk::{DeskFeature, DeskLayer, DeskPassage};
use kort_app::model::{Geolocation, GeolocationMethod, ParagraphView, VIEWPORT_LAYER_MIN};
use kort_app::story::article::{self, Paragraph};
use kort_app::story::blur::{self, MAX_PRECISION_M, MIN_PRECISION_M};
use kort_app::story::passages::TextQuoteSelector;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use super::drafts::{
    DeskError, Drafts, article_file, edit_manifest, editable, fields_of, read_toml, string_or,
    tables, unused,
};
use super::places::Places;
use crate::load;

/// The longest title made from a quote, in characters.
const TITLE_FROM_QUOTE: usize = 80;
/// Largest uncertainty radius accepted (as `kort check`'s).
const MAX_UNCERTAINTY_M: f64 = 1_000_000.0;

/// A feature as the desk writes it: kort's properties in the order the
/// story files give them. Keys kort does not know are kept (and reported
/// by `kort check`), never dropped.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    geometry: Value,
    properties: Properties,
    #[serde(flatten)]
    other: serde_json::Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Properties {
    #[serde(default)]
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name_ar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    layer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    passages: Vec<TextQuoteSelector>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    translated_passages: BTreeMap<String, Vec<TextQuoteSelector>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    /// Metres, written as the number was (`25000`, not `25000.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uncertainty_m: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// The title and note in other languages, as the file gives them.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    translated: serde_json::Map<String, Value>,
    /// Metres, as `uncertainty_m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published_precision_m: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    geolocation: Option<Geolocation>,
    #[serde(flatten)]
    other: serde_json::Map<String, Value>,
}

/// Metres as a JSON number: whole metres as an integer.
fn metres(metres: f64) -> Option<serde_json::Number> {
    if metres.fract() == 0.0 && metres.abs() <= MAX_UNCERTAINTY_M {
        // Whole, and within the i64 range (checked just above).
        #[expect(clippy::cast_possible_truncation)]
        Some(serde_json::Number::from(metres as i64))
    } else {
        serde_json::Number::from_f64(metres)
    }
}

/// A layer file, its features kept as written.
struct Layer {
    id: String,
    file: String,
    features: Vec<Box<RawValue>>,
    changed: bool,
}

impl Layer {
    fn text(&self) -> String {
        let features: Vec<&str> = self.features.iter().map(|raw| raw.get()).collect();
        format!(
            "{{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n{}\n  ]\n}}\n",
            features.join(",\n")
        )
    }
}

/// The draft's layers, with their features.
struct Layers(Vec<Layer>);

impl Layers {
    fn read(draft: &Path) -> Result<Self, DeskError> {
        #[derive(Deserialize)]
        struct Collection {
            #[serde(default)]
            features: Vec<Box<RawValue>>,
        }
        let manifest = read_toml(&fs::read_to_string(draft.join("story.toml"))?);
        let mut layers = Vec::new();
        for table in tables(&manifest, "layers") {
            let (id, file) = (
                string_or(table.get("id"), ""),
                string_or(table.get("file"), ""),
            );
            if file.is_empty() || table.get("url").is_some() {
                continue;
            }
            let text = load::read(draft, &file).map_err(|_| {
                DeskError::Invalid(format!(
                    "{file}: the layer {id:?} cannot be read; fix it (kort check says how) first"
                ))
            })?;
            let collection: Collection = serde_json::from_str(&text).map_err(|error| {
                DeskError::Invalid(format!(
                    "{file}: {error}; fix the layer file (kort check says how) first"
                ))
            })?;
            layers.push(Layer {
                id,
                file,
                features: collection.features,
                changed: false,
            });
        }
        Ok(Self(layers))
    }

    /// Every feature id, in every layer.
    fn ids(&self) -> BTreeSet<String> {
        self.0
            .iter()
            .flat_map(|layer| &layer.features)
            .filter_map(|raw| id_of(raw))
            .collect()
    }

    /// Where the feature `id` is: its layer's index and its own.
    fn find(&self, id: &str) -> Option<(usize, usize)> {
        self.0.iter().enumerate().find_map(|(at, layer)| {
            let index = layer
                .features
                .iter()
                .position(|raw| id_of(raw).as_deref() == Some(id))?;
            Some((at, index))
        })
    }

    fn layer(&self, id: &str) -> Result<usize, DeskError> {
        self.0.iter().position(|layer| layer.id == id).ok_or_else(|| {
            let ids: Vec<&str> = self.0.iter().map(|layer| layer.id.as_str()).collect();
            DeskError::Invalid(format!(
                "layer: {id:?} is not a layer of this story drawn from a file; expected one of {}",
                ids.join(", ")
            ))
        })
    }

    /// The feature `id`, read for a change.
    fn stored(&self, id: &str) -> Result<(usize, usize, Stored), DeskError> {
        let (layer, index) = self
            .find(id)
            .ok_or_else(|| DeskError::Invalid(format!("there is no feature {id:?}")))?;
        let raw = self.0[layer].features[index].get();
        let stored = serde_json::from_str(raw).map_err(|error| {
            DeskError::Invalid(format!(
                "{}: feature {id:?}: {error}; fix it by hand (kort check says how) first",
                self.0[layer].file
            ))
        })?;
        Ok((layer, index, stored))
    }

    /// The feature at `index` of `layer`, read for a change.
    fn stored_at(&self, layer: usize, index: usize) -> Result<Stored, DeskError> {
        let held = &self.0[layer];
        serde_json::from_str(held.features[index].get()).map_err(|error| {
            DeskError::Invalid(format!(
                "{}: feature {}: {error}; fix it by hand (kort check says how) first",
                held.file,
                index + 1
            ))
        })
    }

    /// Writes `feature` in place of the one at `index` of `layer`.
    fn replace(&mut self, layer: usize, index: usize, feature: &Stored) -> Result<(), DeskError> {
        self.take(layer, index);
        self.put(layer, index, feature)
    }

    /// Puts `feature` at `index` of `layer` (after the last if past it).
    fn put(&mut self, layer: usize, index: usize, feature: &Stored) -> Result<(), DeskError> {
        let text = serde_json::to_string_pretty(feature)
            .map_err(|error| DeskError::Invalid(error.to_string()))?;
        let indented = text
            .lines()
            .map(|line| format!("    {line}"))
            .collect::<Vec<_>>()
            .join("\n");
        let raw = RawValue::from_string(indented)
            .map_err(|error| DeskError::Invalid(error.to_string()))?;
        let layer = &mut self.0[layer];
        layer.features.insert(index.min(layer.features.len()), raw);
        layer.changed = true;
        Ok(())
    }

    fn take(&mut self, layer: usize, index: usize) {
        self.0[layer].features.remove(index);
        self.0[layer].changed = true;
    }

    /// The files to write: the layers changed.
    fn files(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|layer| layer.changed)
            .map(|layer| (layer.file.clone(), layer.text()))
            .collect()
    }
}

/// A feature's title and note in one language, as the words form posts
/// them (empty: none).
pub(super) struct FeatureWords<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub note: &'a str,
}

/// Sets the features' title and note in `language` (an empty title takes
/// the feature's words in it away), or with `everything`, takes every
/// feature's words in `language` away. Gives the layer files to write.
pub(super) fn put_words(
    draft: &Path,
    language: &str,
    words: &[FeatureWords<'_>],
    everything: bool,
) -> Result<Vec<(String, String)>, DeskError> {
    let mut layers = Layers::read(draft)?;
    // Where each feature is, found once: a layer may hold 50,000.
    let mut at = std::collections::HashMap::new();
    for (layer, held) in layers.0.iter().enumerate() {
        for (index, raw) in held.features.iter().enumerate() {
            // Only a feature with words in other languages can lose them.
            if everything && !raw.get().contains("\"translated\"") {
                continue;
            }
            if let Some(id) = id_of(raw) {
                at.insert(id, (layer, index));
            }
        }
    }
    let change = |layers: &mut Layers, (layer, index): (usize, usize), to: Option<Value>| {
        let mut feature = layers.stored_at(layer, index)?;
        let translated = &mut feature.properties.translated;
        if translated.get(language) == to.as_ref() {
            return Ok(());
        }
        match to {
            Some(words) => translated.insert(language.to_owned(), words),
            None => translated.remove(language),
        };
        layers.replace(layer, index, &feature)
    };
    if everything {
        let all: Vec<(usize, usize)> = at.values().copied().collect();
        for position in all {
            change(&mut layers, position, None)?;
        }
        return Ok(layers.files());
    }
    for feature in words {
        let (title, note) = (feature.title.trim(), feature.note.trim());
        if title.is_empty() && !note.is_empty() {
            return Err(invalid(format!(
                "feature:{}:title: the note in {language} needs the title in {language} too",
                feature.id
            )));
        }
        let position = at.get(feature.id).copied().ok_or_else(|| {
            invalid(format!(
                "feature:{}:title: there is no feature {:?}",
                feature.id, feature.id
            ))
        })?;
        let to = (!title.is_empty()).then(|| {
            let mut words = serde_json::Map::new();
            words.insert("title".into(), title.into());
            if !note.is_empty() {
                words.insert("note".into(), note.into());
            }
            Value::Object(words)
        });
        change(&mut layers, position, to)?;
    }
    Ok(layers.files())
}

/// A feature's id, if it has one.
fn id_of(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Id {
        id: Value,
    }
    match serde_json::from_str::<Id>(raw.get()).ok()?.id {
        Value::String(id) => Some(id),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// The geolocation a feature's form gives: none where no method is chosen;
/// else who did it, when, from which of the feature's sources, and links.
fn geolocation_of(form: &DeskFeature) -> Result<Option<Geolocation>, DeskError> {
    let method = form.geolocation_method.trim();
    if method.is_empty() {
        return Ok(None);
    }
    let method = GeolocationMethod::from_name(method).ok_or_else(|| {
        invalid(format!(
            "geolocation_method: {method:?} is not a method kort knows; expected one of {}",
            GeolocationMethod::VARIANTS
                .iter()
                .map(|m| m.name())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let by = form.geolocation_by.trim();
    if by.is_empty() {
        return Err(invalid(
            "geolocation_by: is empty; expected who geolocated it".into(),
        ));
    }
    let at = Some(form.geolocation_at.trim()).filter(|at| !at.is_empty());
    if let Some(at) = at
        && kort_app::date::Day::parse_iso(at).is_none()
    {
        return Err(invalid(format!(
            "geolocation_at: {at:?} is not a day; expected YYYY-MM-DD"
        )));
    }
    let source = Some(form.geolocation_source.trim()).filter(|id| !id.is_empty());
    if let Some(id) = source
        && !form.sources.iter().any(|cited| cited == id)
    {
        return Err(invalid(format!(
            "geolocation_source: {id:?} is not a source the feature cites; tick it under the sources first"
        )));
    }
    let links: Vec<String> = form
        .geolocation_links
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(bad) = links.iter().find(|link| !kort_app::links::is_web_url(link)) {
        return Err(invalid(format!(
            "geolocation_links: {bad:?} is not a web address; expected one http:// or https:// URL per line"
        )));
    }
    Ok(Some(Geolocation {
        method,
        by: by.to_owned(),
        at: at.map(str::to_owned),
        source: source.map(str::to_owned),
        links,
    }))
}

/// A form's field of metres: nothing, or a number in `range`; else the
/// refusal `told` words for the text given.
fn metres_field(
    text: &str,
    range: std::ops::RangeInclusive<f64>,
    told: impl Fn(&str) -> String,
) -> Result<Option<f64>, DeskError> {
    match text.trim() {
        "" => Ok(None),
        text => text
            .parse::<f64>()
            .ok()
            .filter(|metres| range.contains(metres))
            .map(Some)
            .ok_or_else(|| invalid(told(text))),
    }
}

fn invalid(message: String) -> DeskError {
    DeskError::Invalid(message)
}

/// The article's paragraphs, for linking.
fn article_of(draft: &Path) -> Result<Vec<Paragraph>, DeskError> {
    let manifest = read_toml(&fs::read_to_string(draft.join("story.toml"))?);
    let file = article_file(&manifest);
    let text = load::read(draft, &file).unwrap_or_default();
    article::parse(&file, &text).map_err(|problems| {
        invalid(format!(
            "article: fix its problems before linking words ({})",
            problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        ))
    })
}

/// The sources file's ids.
fn source_ids(draft: &Path) -> Result<BTreeSet<String>, DeskError> {
    let manifest = read_toml(&fs::read_to_string(draft.join("story.toml"))?);
    let file = string_or(manifest.get("sources"), "sources.toml");
    let sources = read_toml(&load::read(draft, &file).unwrap_or_default());
    Ok(tables(&sources, "source")
        .map(|source| string_or(source.get("id"), ""))
        .collect())
}

/// Where to link words, as the link form gives it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Link {
    /// The feature to link to; empty for a new feature named after the words.
    #[serde(default)]
    pub feature: String,
    /// The layer of a new feature.
    #[serde(default)]
    pub layer: String,
    /// The id of the paragraph that holds the words.
    pub paragraph: String,
    /// The words, as selected or typed.
    #[serde(default)]
    pub quote: String,
    /// Where the selection starts and ends in the paragraph, in characters
    /// (the desk's page sets them from the reader's selection); without
    /// them, the first place the quote occurs in the paragraph.
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
}

impl Drafts {
    /// Adds `form`'s feature to the draft of `slug` at revision `base`, or
    /// changes the feature with its id (moving it to another layer if
    /// asked); returns its id. A feature with no geometry and no `place` is
    /// kept without a position, for the editor to draw.
    pub fn save_feature(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        form: &DeskFeature,
        places: &Places,
    ) -> Result<String, DeskError> {
        let title = form.title.trim();
        if title.is_empty() {
            return Err(invalid(
                "title: the feature needs a title; expected what readers call it".into(),
            ));
        }
        let mut geometry = match form.geometry.trim() {
            "" => None,
            text => Some(
                text.parse::<geojson::Geometry>()
                    .map_err(|error| error.to_string())
                    .and_then(|geometry| {
                        serde_json::to_value(&geometry).map_err(|error| error.to_string())
                    })
                    .map_err(|error| {
                        invalid(format!(
                            "geometry: {error}; expected RFC 7946 geometry as JSON (the map writes it)"
                        ))
                    })?,
            ),
        };
        let mut name_ar = Some(form.name_ar.trim().to_owned()).filter(|name| !name.is_empty());
        if geometry.is_none() && !form.place.trim().is_empty() {
            let place = places.find(&form.place).ok_or_else(|| {
                invalid(format!(
                    "place: {:?} is not a place on the basemap; expected one of its names, as the search suggests",
                    form.place.trim()
                ))
            })?;
            geometry = Some(serde_json::json!({
                "type": "Point",
                "coordinates": [place.lon, place.lat],
            }));
            if name_ar.is_none() {
                name_ar.clone_from(&place.name_ar);
            }
        }
        let uncertainty_m = metres_field(&form.uncertainty_m, 0.0..=MAX_UNCERTAINTY_M, |text| {
            format!(
                "uncertainty_m: {text:?} is not a radius; expected metres from 0 to {MAX_UNCERTAINTY_M}"
            )
        })?;
        let published_precision_m = metres_field(
            &form.published_precision_m,
            MIN_PRECISION_M..=MAX_PRECISION_M,
            |text| {
                format!(
                    "published_precision_m: {text:?} is not a grid size; expected metres from {MIN_PRECISION_M} to {MAX_PRECISION_M}, or nothing to publish the exact position"
                )
            },
        )?;
        let date = form.date_text().map_err(invalid)?;
        let geolocation = geolocation_of(form)?;
        self.edit(user, slug, base, |draft| {
            let known = source_ids(draft)?;
            if let Some(unknown) = form.sources.iter().find(|id| !known.contains(*id)) {
                return Err(invalid(format!(
                    "source: {unknown:?} is not a source of this story; add it under Sources first"
                )));
            }
            let mut layers = Layers::read(draft)?;
            let target = layers.layer(form.layer.trim())?;
            let (mut feature, index) = if form.id.is_empty() {
                let id = unused(title, "feature", &layers.ids());
                let feature = Stored {
                    kind: "Feature".into(),
                    id,
                    geometry: Value::Null,
                    properties: Properties::default(),
                    other: serde_json::Map::new(),
                };
                (feature, usize::MAX)
            } else {
                let (layer, index, feature) = layers.stored(&form.id)?;
                layers.take(layer, index);
                (feature, if layer == target { index } else { usize::MAX })
            };
            if let Some(geometry) = geometry {
                feature.geometry = geometry;
            }
            let properties = &mut feature.properties;
            title.clone_into(&mut properties.title);
            properties.name_ar = name_ar;
            properties.layer = Some(layers.0[target].id.clone());
            // The sources still cited keep their order; new ones follow.
            properties.sources.retain(|id| form.sources.contains(id));
            for id in &form.sources {
                if !properties.sources.contains(id) {
                    properties.sources.push(id.clone());
                }
            }
            properties.date = Some(date).filter(|date| !date.is_empty());
            properties.uncertainty_m = uncertainty_m.and_then(metres);
            properties.published_precision_m = published_precision_m.and_then(metres);
            properties.geolocation = geolocation;
            properties.note = Some(form.note.trim().to_owned()).filter(|note| !note.is_empty());
            layers.put(target, index, &feature)?;
            Ok((layers.files(), feature.id))
        })
    }

    /// Removes the feature `id`, with its links, from the draft of `slug`.
    pub fn remove_feature(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        id: &str,
    ) -> Result<(), DeskError> {
        self.edit(user, slug, base, |draft| {
            let mut layers = Layers::read(draft)?;
            let (layer, index) = layers
                .find(id)
                .ok_or_else(|| invalid(format!("there is no feature {id:?}")))?;
            layers.take(layer, index);
            Ok((layers.files(), ()))
        })
    }

    /// Splits the route `id` at its vertex `at` (counted from 0) into two
    /// legs: the feature keeps the first, with its links, and a new feature
    /// after it takes the second, with the same sources, date and note.
    /// Returns the new leg's id.
    pub fn split_route(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        id: &str,
        at: usize,
    ) -> Result<String, DeskError> {
        self.edit(user, slug, base, |draft| {
            let mut layers = Layers::read(draft)?;
            let (layer, index, mut first) = layers.stored(id)?;
            let points = match first.geometry.get("type").and_then(Value::as_str) {
                Some("LineString") => first
                    .geometry
                    .get("coordinates")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
                _ => {
                    return Err(invalid(format!(
                        "feature {id:?} is not a route; only a LineString splits into legs"
                    )));
                }
            };
            if at == 0 || at + 1 >= points.len() {
                return Err(invalid(format!(
                    "at: a route of {} points splits at a point from 2 to {}; expected one of those",
                    points.len(),
                    points.len().saturating_sub(1)
                )));
            }
            let mut second = first.clone();
            second.id = unused(&format!("{id} 2"), "leg", &layers.ids());
            second.properties.title = format!("{} (2)", first.properties.title);
            second.properties.passages.clear();
            second.properties.translated_passages.clear();
            first.geometry["coordinates"] = Value::Array(points[..=at].to_vec());
            second.geometry["coordinates"] = Value::Array(points[at..].to_vec());
            layers.take(layer, index);
            layers.put(layer, index, &first)?;
            layers.put(layer, index + 1, &second)?;
            Ok((layers.files(), second.id))
        })
    }

    /// Links the words `link` names to a feature (a new one if it names
    /// none), by a text-quote selector with as much context as tells the
    /// words apart; returns the feature's id.
    pub fn link_passage(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        link: &Link,
    ) -> Result<String, DeskError> {
        self.edit(user, slug, base, |draft| {
            let paragraphs = article_of(draft)?;
            let selector = selector(&paragraphs, link)?;
            let mut layers = Layers::read(draft)?;
            let (layer, index, mut feature) = if link.feature.is_empty() {
                let target = layers.layer(link.layer.trim())?;
                let title: String = selector.exact.chars().take(TITLE_FROM_QUOTE).collect();
                let feature = Stored {
                    kind: "Feature".into(),
                    id: unused(&title, "feature", &layers.ids()),
                    geometry: Value::Null,
                    properties: Properties {
                        title,
                        layer: Some(layers.0[target].id.clone()),
                        ..Properties::default()
                    },
                    other: serde_json::Map::new(),
                };
                (target, usize::MAX, feature)
            } else {
                let (layer, index, feature) = layers.stored(&link.feature)?;
                layers.take(layer, index);
                (layer, index, feature)
            };
            if !feature.properties.passages.contains(&selector) {
                feature.properties.passages.push(selector);
            }
            layers.put(layer, index, &feature)?;
            Ok((layers.files(), feature.id))
        })
    }

    /// Removes the passage `index` (counted from 0) of the feature `id`.
    pub fn unlink_passage(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        id: &str,
        index: usize,
    ) -> Result<(), DeskError> {
        self.edit(user, slug, base, |draft| {
            let mut layers = Layers::read(draft)?;
            let (layer, at, mut feature) = layers.stored(id)?;
            if index >= feature.properties.passages.len() {
                return Err(invalid(format!(
                    "feature {id:?} has no passage {}; it has {}",
                    index + 1,
                    feature.properties.passages.len()
                )));
            }
            feature.properties.passages.remove(index);
            layers.take(layer, at);
            layers.put(layer, at, &feature)?;
            Ok((layers.files(), ()))
        })
    }
}

/// The selector for the words `link` names.
fn selector(paragraphs: &[Paragraph], link: &Link) -> Result<TextQuoteSelector, DeskError> {
    let index = paragraphs
        .iter()
        .position(|paragraph| paragraph.id == link.paragraph)
        .ok_or_else(|| {
            invalid(format!(
                "paragraph: the article has no paragraph {:?}",
                link.paragraph
            ))
        })?;
    let text = &paragraphs[index].text;
    let byte = |chars: usize| {
        text.char_indices()
            .map(|(at, _)| at)
            .chain([text.len()])
            .nth(chars)
    };
    let quote = link.quote.split_whitespace().collect::<Vec<_>>().join(" ");
    let selected = link
        .start
        .trim()
        .parse()
        .ok()
        .zip(link.end.trim().parse().ok());
    let (start, end) = if let Some((start, end)) = selected {
        let range = byte(start)
            .zip(byte(end))
            .filter(|(start, end)| start < end);
        let (start, end) = range.ok_or_else(|| {
            invalid("start: the selection is not in the paragraph; select the words again".into())
        })?;
        if !quote.is_empty() && text[start..end].trim() != quote {
            return Err(invalid(
                    "quote: the paragraph changed since the page was loaded; reload it and select the words again".into(),
                ));
        }
        (start, end)
    } else {
        if quote.is_empty() {
            return Err(invalid(
                "quote: no words given; select words of the article, or type them".into(),
            ));
        }
        let start = text.find(&quote).ok_or_else(|| {
            invalid(format!(
                "quote: {quote:?} is not in paragraph {:?}; expected its exact words",
                link.paragraph
            ))
        })?;
        (start, start + quote.len())
    };
    // A selection often takes a space at either end; the quote does not.
    let words = &text[start..end];
    let start = start + (words.len() - words.trim_start().len());
    let end = end - (words.len() - words.trim_end().len());
    TextQuoteSelector::for_passage(paragraphs, index, start, end).ok_or_else(|| {
        invalid(format!(
            "quote: {:?} occurs in the same words elsewhere; select more of the sentence",
            text.get(start..end).unwrap_or_default()
        ))
    })
}

/// The draft's features, into its layers, each with its passages found in
/// the article; and the article's paragraphs, the linked words marked.
pub(super) fn read(
    draft: &Path,
    article_text: &str,
    layers: &mut [DeskLayer],
) -> Vec<ParagraphView> {
    let paragraphs = article::parse("article", article_text).unwrap_or_default();
    let Ok(files) = Layers::read(draft) else {
        return Vec::new();
    };
    // (paragraph, start, end, feature, anchor) of each passage found.
    let mut found: Vec<(usize, usize, usize, String, String)> = Vec::new();
    for file in &files.0 {
        let Some(layer) = layers.iter_mut().find(|layer| layer.id == file.id) else {
            continue;
        };
        // A large layer (an import of events) is listed by what the article
        // links; a page of every feature's form would have no bound.
        let large = file.features.len() >= VIEWPORT_LAYER_MIN;
        for raw in &file.features {
            let Ok(stored) = serde_json::from_str::<Stored>(raw.get()) else {
                continue;
            };
            if large && stored.properties.passages.is_empty() {
                layer.unlisted += 1;
                continue;
            }
            let mut feature = desk_feature(&stored, &file.id);
            feature.passages = stored
                .properties
                .passages
                .iter()
                .enumerate()
                .map(|(n, selector)| DeskPassage {
                    exact: selector.exact.clone(),
                    found: selector
                        .resolve(&paragraphs)
                        .map(|at| {
                            found.push((
                                at.paragraph,
                                at.start,
                                at.end,
                                stored.id.clone(),
                                kort_app::story::view::anchor(&stored.id, n),
                            ));
                            paragraphs[at.paragraph].id.clone()
                        })
                        .map_err(|error| error.to_string()),
                })
                .collect();
            layer.features.push(feature);
        }
    }
    paragraphs
        .iter()
        .enumerate()
        .map(|(index, paragraph)| {
            let passages: Vec<(usize, usize, &str, String)> = found
                .iter()
                .filter(|(at, ..)| *at == index)
                .map(|(_, start, end, feature, anchor)| {
                    (*start, *end, feature.as_str(), anchor.clone())
                })
                .collect();
            ParagraphView {
                id: paragraph.id.clone(),
                segments: kort_app::story::view::segments(&paragraph.text, &passages),
            }
        })
        .collect()
}

/// `geometry` as readers get it from a grid of `precision_m` metres, as
/// GeoJSON text; `None` where it is no geometry yet.
fn published(geometry: &Value, precision_m: f64) -> Option<String> {
    let exact = geojson::Geometry::from_json_value(geometry.clone()).ok()?;
    let exact = geo_types::Geometry::<f64>::try_from(exact.value).ok()?;
    let snapped = blur::snap(&exact, precision_m);
    Some(geojson::Geometry::new(geojson::Value::from(&snapped)).to_string())
}

/// The form's fields for a stored feature.
fn desk_feature(stored: &Stored, layer: &str) -> DeskFeature {
    let properties = &stored.properties;
    let mut feature = DeskFeature {
        id: stored.id.clone(),
        layer: layer.to_owned(),
        title: properties.title.clone(),
        name_ar: properties.name_ar.clone().unwrap_or_default(),
        geometry: if stored.geometry.is_null() {
            String::new()
        } else {
            stored.geometry.to_string()
        },
        kind: stored
            .geometry
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        uncertainty_m: properties
            .uncertainty_m
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        note: properties.note.clone().unwrap_or_default(),
        published_precision_m: properties
            .published_precision_m
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        published_geometry: properties
            .published_precision_m
            .as_ref()
            .and_then(serde_json::Number::as_f64)
            .and_then(|precision| published(&stored.geometry, precision))
            .unwrap_or_default(),
        sources: properties.sources.clone(),
        words: properties
            .translated
            .iter()
            .map(|(language, words)| {
                let text = |key: &str| {
                    words
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                (language.clone(), text("title"), text("note"))
            })
            .collect(),
        ..geolocation_fields(properties.geolocation.as_ref())
    };
    feature.set_date(properties.date.as_deref().unwrap_or_default());
    feature
}

/// A form with only its geolocation's fields filled.
fn geolocation_fields(geolocation: Option<&Geolocation>) -> DeskFeature {
    let Some(geolocation) = geolocation else {
        return DeskFeature::default();
    };
    DeskFeature {
        geolocation_method: geolocation.method.name().to_owned(),
        geolocation_by: geolocation.by.clone(),
        geolocation_at: geolocation.at.clone().unwrap_or_default(),
        geolocation_source: geolocation.source.clone().unwrap_or_default(),
        geolocation_links: geolocation.links.join("\n"),
        ..DeskFeature::default()
    }
}

/// A file to import into a layer of a draft, as the import form gives it.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The file's name, for messages and its format.
    pub name: String,
    pub bytes: Vec<u8>,
    /// `geojson`, `ndjson` or `csv`; empty to tell by the name.
    pub format: String,
    /// The layer to import into.
    pub layer: String,
    /// Which of the file's properties become kort's (as `kort import --mapping`).
    pub mapping: kort_app::story::mapping::Mapping,
}

impl Drafts {
    /// Imports `upload` into a layer of the draft of `slug` at revision
    /// `base`, with the mapping and checks of `kort import`; returns what
    /// was imported and what was skipped, and why.
    pub fn import(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        upload: &Upload,
    ) -> Result<String, DeskError> {
        use crate::import::formats::Format;
        let format = if upload.format.is_empty() {
            Format::from_path(&upload.name)
        } else {
            Format::from_name(&upload.format)
        }
        .ok_or_else(|| {
            invalid(format!(
                "file: cannot tell the format of {:?}; expected a .geojson, .ndjson or .csv file, or the format chosen",
                upload.name
            ))
        })?;
        self.edit(user, slug, base, |draft| {
            let request = crate::import::Request {
                from: upload.name.clone(),
                stories: draft.parent().map(Path::to_path_buf).unwrap_or_default(),
                story: slug.to_owned(),
                layer: upload.layer.clone(),
                format: Some(format),
                mapping: upload.mapping.clone(),
                new_layer: None,
            };
            let (files, report) = crate::import::prepare(&request, draft, &upload.bytes, format)
                .map_err(|error| invalid(format!("file: {error}")))?;
            let mut told = format!(
                "Imported {} feature(s) into layer {:?}.",
                report.imported, report.layer
            );
            for skipped in &report.skipped {
                let _ = write!(told, " Skipped {}: {}.", skipped.feature, skipped.reason);
            }
            Ok((files, told))
        })
        .inspect(|told| self.tell(user, slug, told))
    }
}

/// The least margin around the features a fitted view leaves, in degrees.
const FIT_MARGIN: f64 = 0.1;

impl Drafts {
    /// Sets the view of the draft of `slug` to its features' extent, with
    /// a margin of a tenth of it on each side (at least [`FIT_MARGIN`]).
    pub fn fit_view(&self, user: &str, slug: &str, base: &str) -> Result<(), DeskError> {
        self.edit(user, slug, base, |draft| {
            let layers = Layers::read(draft)?;
            let mut extent: Option<(f64, f64, f64, f64)> = None;
            for raw in layers.0.iter().flat_map(|layer| &layer.features) {
                #[derive(Deserialize)]
                struct Shape {
                    geometry: Value,
                    #[serde(default)]
                    properties: Precision,
                }
                #[derive(Deserialize, Default)]
                struct Precision {
                    published_precision_m: Option<f64>,
                }
                let Ok(shape) = serde_json::from_str::<Shape>(raw.get()) else {
                    continue;
                };
                positions(&shape.geometry["coordinates"], &mut |lon, lat| {
                    // A protected position may not show through the view.
                    let geo_types::Coord { x: lon, y: lat } =
                        match shape.properties.published_precision_m {
                            Some(precision) => blur::snap_position((lon, lat).into(), precision),
                            None => (lon, lat).into(),
                        };
                    let (west, south, east, north) = extent.unwrap_or((lon, lat, lon, lat));
                    extent = Some((west.min(lon), south.min(lat), east.max(lon), north.max(lat)));
                });
            }
            let (west, south, east, north) = extent.ok_or_else(|| {
                invalid("view: the story has no feature on the map to fit the view to".into())
            })?;
            let margin_x = ((east - west) * 0.1).max(FIT_MARGIN);
            let margin_y = ((north - south) * 0.1).max(FIT_MARGIN);
            let text = fs::read_to_string(draft.join("story.toml"))?;
            let mut fields = fields_of(&read_toml(&text));
            let edge = |value: f64| format!("{value:.3}");
            fields.west = edge((west - margin_x).max(-180.0));
            fields.south = edge((south - margin_y).max(-90.0));
            fields.east = edge((east + margin_x).min(180.0));
            fields.north = edge((north + margin_y).min(90.0));
            Ok((
                vec![("story.toml".to_owned(), edit_manifest(&text, &fields)?)],
                (),
            ))
        })
    }
}

/// Calls `each` with every position (lon, lat) in GeoJSON `coordinates`.
fn positions(coordinates: &Value, each: &mut impl FnMut(f64, f64)) {
    let Some(items) = coordinates.as_array() else {
        return;
    };
    match (
        items.first().and_then(Value::as_f64),
        items.get(1).and_then(Value::as_f64),
    ) {
        (Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => each(lon, lat),
        _ => {
            for item in items {
                positions(item, each);
            }
        }
    }
}

impl Drafts {
    /// Renames and restyles the layer `id` of the draft of `slug`.
    pub fn save_layer(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        id: &str,
        (title, symbol, color): (&str, &str, &str),
    ) -> Result<(), DeskError> {
        let (title, color) = super::drafts::layer_fields(title, symbol, color)?;
        self.edit_layers(user, slug, base, |layers| {
            let layer = layers
                .iter_mut()
                .find(|layer| layer.get("id").and_then(toml_edit::Item::as_str) == Some(id))
                .ok_or_else(|| invalid(format!("there is no layer {id:?}")))?;
            layer["title"] = toml_edit::value(&title);
            let mut style = toml_edit::InlineTable::new();
            style.insert("symbol", symbol.into());
            style.insert("color", color.as_str().into());
            layer["style"] = toml_edit::value(style);
            Ok(())
        })
    }

    /// Moves the layer `id` one place earlier (`up`) or later in the
    /// draft's list, which is the order the map and the legend show.
    pub fn move_layer(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        id: &str,
        up: bool,
    ) -> Result<(), DeskError> {
        self.edit(user, slug, base, |draft| {
            let text = fs::read_to_string(draft.join("story.toml"))?;
            let layers_of = |text: &str| -> Vec<toml::Value> {
                toml::from_str::<toml::Table>(text)
                    .ok()
                    .and_then(|table| table.get("layers")?.as_array().cloned())
                    .unwrap_or_default()
            };
            let mut expected = layers_of(&text);
            let at = expected
                .iter()
                .position(|layer| layer.get("id").and_then(toml::Value::as_str) == Some(id))
                .ok_or_else(|| invalid(format!("there is no layer {id:?}")))?;
            let to = if up { at.checked_sub(1) } else { Some(at + 1) };
            let Some(to) = to.filter(|to| *to < expected.len()) else {
                return Ok((Vec::new(), ()));
            };
            expected.swap(at, to);
            let mut doc = editable("story.toml", &text)?;
            let Some(layers) = doc
                .get_mut("layers")
                .and_then(toml_edit::Item::as_array_of_tables_mut)
            else {
                return Err(invalid("the story has no layers".into()));
            };
            // A table is written where its position says: the two trade theirs.
            let mut tables: Vec<toml_edit::Table> = layers.iter().cloned().collect();
            let (first, second) = (tables[at].position(), tables[to].position());
            tables.swap(at, to);
            if let (Some(first), Some(second)) = (first, second) {
                tables[at].set_position(first);
                tables[to].set_position(second);
            }
            layers.clear();
            for table in tables {
                layers.push(table);
            }
            let edited = doc.to_string();
            // Sub-tables written apart (`[layers.mapping]`) keep their own
            // places; where the file reads back otherwise, nothing is written.
            if layers_of(&edited) != expected {
                return Err(invalid(
                    "layers: this story.toml lays its layers out so that the desk cannot reorder them; reorder them by hand".into(),
                ));
            }
            Ok((vec![("story.toml".to_owned(), edited)], ()))
        })
    }

    /// Changes the draft's `[[layers]]` with `change`.
    fn edit_layers(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        change: impl FnOnce(&mut toml_edit::ArrayOfTables) -> Result<(), DeskError>,
    ) -> Result<(), DeskError> {
        self.edit(user, slug, base, |draft| {
            let text = fs::read_to_string(draft.join("story.toml"))?;
            let mut doc = editable("story.toml", &text)?;
            let layers = doc
                .get_mut("layers")
                .and_then(toml_edit::Item::as_array_of_tables_mut)
                .ok_or_else(|| invalid("the story has no layers".into()))?;
            change(layers)?;
            Ok((vec![("story.toml".to_owned(), doc.to_string())], ()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::folders::{self, Start};
    use kort_app::desk::DeskData;

    #[test]
    fn layers_written_as_sub_tables_are_moved_whole_or_not_at_all() {
        let dir = tempfile::tempdir().expect("temp dir");
        let story = dir.path().join("drafts").join("two");
        let manifest = "title = \"Two\"\nlanguage = \"en\"\n\n\
            [[layers]]\nid = \"a\"\ntitle = \"A\"\nfile = \"layers/a.geojson\"\n\n[layers.style]\nsymbol = \"place\"\ncolor = \"#1d4ed8\"\n\n\
            [[layers]]\nid = \"b\"\ntitle = \"B\"\nfile = \"layers/b.geojson\"\n\n[layers.style]\nsymbol = \"route\"\ncolor = \"#b91c1c\"\n";
        folders::replace(&story, Start::Empty, |work| {
            folders::write(work, "story.toml", manifest.as_bytes())
        })
        .expect("story");
        let drafts = Drafts::new(dir.path().join("drafts"), dir.path().join("stories"));
        let base = folders::revision(&story).expect("revision");
        let moved = drafts.move_layer("anna", "two", &base, "b", true);
        let written = std::fs::read_to_string(story.join("story.toml")).expect("story.toml");
        let layers: Vec<(String, String)> = toml::from_str::<toml::Table>(&written).expect("TOML")
            ["layers"]
            .as_array()
            .expect("layers")
            .iter()
            .map(|layer| {
                (
                    layer["id"].as_str().unwrap_or_default().to_owned(),
                    layer["style"]["symbol"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect();
        match moved {
            // Moved: each layer with its own style.
            Ok(()) => assert_eq!(
                layers,
                [("b".into(), "route".into()), ("a".into(), "place".into())]
            ),
            // Refused: the file as it was.
            Err(_) => assert_eq!(written, manifest),
        }
        assert!(drafts.draft("two", "anna").is_some());
    }
}
