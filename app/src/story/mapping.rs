//! Layers from elsewhere: turning someone else's GeoJSON features into
//! kort's, and admitting into a story only those that pass the same checks
//! as an editor's own files. Used by `kort import` and by remote layers.
//!
//! Foreign data names things its own way, so a [`Mapping`] says which
//! property holds the id, the title, the date and so on, and which of the
//! story's sources every imported feature cites.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::problem::Item;
use super::{Problem, ReadFile, Story, valid_id};

/// Which foreign property becomes which of kort's, with the sources every
/// feature cites. In `story.toml` it is a layer's `mapping` table; for
/// `kort import` a TOML file of the same keys, or flags.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The property with a stable id (else the feature's own `id`, else its
    /// position in the file). Ids are prefixed with the layer id.
    #[serde(default)]
    pub id: Option<String>,
    /// The property with the title (default: `title`, else `name`).
    #[serde(default)]
    pub title: Option<String>,
    /// The property with the date (`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `a/b`).
    #[serde(default)]
    pub date: Option<String>,
    /// The property with a short note.
    #[serde(default)]
    pub note: Option<String>,
    /// The property with the uncertainty radius in metres.
    #[serde(default)]
    pub uncertainty_m: Option<String>,
    /// Ids of the story's sources that every imported feature cites.
    #[serde(default)]
    pub sources: Vec<String>,
    /// For CSV: the column with the latitude (default `lat`, `latitude` or `y`).
    #[serde(default)]
    pub lat: Option<String>,
    /// For CSV: the column with the longitude (default `lon`, `lng`,
    /// `long`, `longitude` or `x`).
    #[serde(default)]
    pub lon: Option<String>,
}

/// A foreign feature that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The feature's id if it got one, else `#<n>` (1-based position).
    pub feature: String,
    pub reason: String,
}

impl Mapping {
    /// Turns the `index`th foreign feature into a kort feature of `layer`,
    /// or says why it cannot be one.
    pub fn apply(&self, layer: &str, index: usize, feature: &Value) -> Result<Value, String> {
        let Some(object) = feature.as_object() else {
            return Err("expected a GeoJSON Feature object".into());
        };
        if object.get("type").and_then(Value::as_str) != Some("Feature") {
            return Err("expected `\"type\": \"Feature\"`".into());
        }
        let geometry = match object.get("geometry") {
            Some(Value::Object(geometry)) => Value::Object(geometry.clone()),
            _ => return Err("has no geometry; expected a GeoJSON geometry object".into()),
        };
        let empty = Map::new();
        let properties = object
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let own_id = match &self.id {
            Some(key) => Some(
                scalar(properties.get(key))
                    .ok_or_else(|| format!("has no property `{key}` to take its id from"))?,
            ),
            None => scalar(object.get("id")),
        };
        let id = match own_id {
            Some(own) => {
                let id = format!("{layer}-{}", slug(&own));
                if !valid_id(&id) {
                    return Err(format!(
                        "its id {own:?} does not make a valid kort id ({id:?}); {}",
                        super::ID_RULE
                    ));
                }
                id
            }
            None => format!("{layer}-{}", index + 1),
        };
        let title_key = self.title.as_deref().unwrap_or_else(|| {
            if properties.contains_key("title") {
                "title"
            } else {
                "name"
            }
        });
        let title = scalar(properties.get(title_key))
            .filter(|title| !title.trim().is_empty())
            .ok_or_else(|| {
                format!("{id}: has no title; expected a property `{title_key}` (set the mapping's `title` to the property that names the feature)")
            })?;
        let mut kort = Map::new();
        kort.insert("title".into(), json!(title));
        if let Some(key) = &self.date
            && let Some(date) = scalar(properties.get(key))
        {
            kort.insert("date".into(), json!(date));
        }
        if let Some(key) = &self.note
            && let Some(note) = scalar(properties.get(key))
        {
            kort.insert("note".into(), json!(note));
        }
        if let Some(key) = &self.uncertainty_m
            && let Some(radius) = properties.get(key).and_then(Value::as_f64)
        {
            kort.insert("uncertainty_m".into(), json!(radius));
        }
        kort.insert("sources".into(), json!(self.sources));
        Ok(json!({
            "type": "Feature",
            "id": id,
            "geometry": geometry,
            "properties": kort,
        }))
    }
}

impl Mapping {
    /// [`Mapping::apply`] to every foreign feature: the kort features, with
    /// each one that cannot be mapped added to `skipped` as `#<n>` (1-based).
    pub fn apply_all(
        &self,
        layer: &str,
        foreign: &[Value],
        skipped: &mut Vec<Skipped>,
    ) -> Vec<Value> {
        let mut features = Vec::new();
        for (index, feature) in foreign.iter().enumerate() {
            match self.apply(layer, index, feature) {
                Ok(feature) => features.push(feature),
                Err(reason) => skipped.push(Skipped {
                    feature: format!("#{}", index + 1),
                    reason,
                }),
            }
        }
        features
    }
}

/// A string or number property as text.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Lowercase letters, digits and single `-`: how a foreign id becomes part of ours.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// What [`admit`] made of a layer.
#[derive(Debug, Clone)]
pub struct Admitted {
    /// The layer file to write: a FeatureCollection of the kept features.
    pub collection: Value,
    pub kept: usize,
    pub skipped: Vec<Skipped>,
}

/// Checks candidate features as the layer file `layer_file` of the story in
/// `dir`, with the story's other files read through `read` (and
/// `overrides`, files not yet written, read first). Features with problems
/// are left out with their reasons; problems elsewhere in the story fail
/// the whole admission, since no layer can fix them.
pub fn admit(
    slug: &str,
    dir: &str,
    read: &mut ReadFile<'_>,
    overrides: &[(&str, &str)],
    layer_file: &str,
    candidates: Vec<Value>,
    mut skipped: Vec<Skipped>,
) -> Result<Admitted, Vec<Problem>> {
    let mut features = Vec::new();
    let mut ids = HashSet::new();
    for feature in candidates {
        let id = feature
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if ids.insert(id.clone()) {
            features.push(feature);
        } else {
            skipped.push(Skipped {
                feature: id,
                reason: "the same id as an earlier feature; expected unique ids".into(),
            });
        }
    }
    let file_path = format!("{}/{layer_file}", dir.trim_end_matches('/'));
    // Each pass leaves out the features that had problems; a second pass
    // can only find problems the first one did, so two passes settle it.
    for _ in 0..3 {
        let collection = json!({ "type": "FeatureCollection", "features": features });
        let text = collection.to_string();
        let loaded = Story::load(slug, dir, &mut |name| {
            if name == layer_file {
                return Ok(text.clone());
            }
            match overrides.iter().find(|(file, _)| *file == name) {
                Some((_, content)) => Ok((*content).to_owned()),
                None => read(name),
            }
        });
        let Err(problems) = loaded else {
            return Ok(Admitted {
                kept: features.len(),
                collection,
                skipped,
            });
        };
        let (ours, theirs): (Vec<Problem>, Vec<Problem>) = problems
            .into_iter()
            .partition(|p| p.file == file_path && matches!(p.item, Some(Item::Feature(_))));
        if !theirs.is_empty() || ours.is_empty() {
            return Err(theirs);
        }
        let mut bad: Vec<(String, String)> = Vec::new();
        for problem in ours {
            if let Some(Item::Feature(id)) = &problem.item {
                let reason = match &problem.field {
                    Some(field) => format!("{field}: {}", problem.message),
                    None => problem.message.clone(),
                };
                bad.push((id.clone(), reason));
            }
        }
        features.retain(|f| {
            let id = f.get("id").and_then(Value::as_str).unwrap_or_default();
            !bad.iter().any(|(bad_id, _)| bad_id == id)
        });
        for (feature, reason) in bad {
            match skipped.iter_mut().find(|s| s.feature == feature) {
                Some(earlier) => earlier.reason = format!("{}; {reason}", earlier.reason),
                None => skipped.push(Skipped { feature, reason }),
            }
        }
    }
    Err(vec![Problem::file(
        file_path,
        "the imported features kept failing the story's checks",
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foreign(properties: Value) -> Value {
        json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [38.42, 34.55] },
            "properties": properties,
        })
    }

    #[test]
    fn properties_are_mapped_and_ids_prefixed_with_the_layer() {
        let mapping = Mapping {
            id: Some("event_id".into()),
            title: Some("label".into()),
            date: Some("when".into()),
            sources: vec!["acled".into()],
            ..Mapping::default()
        };
        let kort = mapping
            .apply(
                "events",
                0,
                &foreign(json!({"event_id": "SYR 123", "label": "Strike near Palmyra", "when": "2017-08-30"})),
            )
            .expect("mapped");
        assert_eq!(kort["id"], "events-syr-123");
        assert_eq!(kort["properties"]["title"], "Strike near Palmyra");
        assert_eq!(kort["properties"]["date"], "2017-08-30");
        assert_eq!(kort["properties"]["sources"], json!(["acled"]));
    }

    #[test]
    fn without_an_id_the_position_is_used_and_name_is_a_title() {
        let kort = Mapping::default()
            .apply("events", 4, &foreign(json!({"name": "Tadmur"})))
            .expect("mapped");
        assert_eq!(kort["id"], "events-5");
        assert_eq!(kort["properties"]["title"], "Tadmur");
    }

    #[test]
    fn what_cannot_be_mapped_says_why() {
        let none = Mapping::default();
        let no_title = none.apply("x", 0, &foreign(json!({"label": "?"})));
        assert!(no_title.expect_err("no title").contains("`name`"));
        let no_geometry = none.apply(
            "x",
            0,
            &json!({"type": "Feature", "geometry": null, "properties": {"name": "a"}}),
        );
        assert!(no_geometry.expect_err("no geometry").contains("geometry"));
        let wanted_id = Mapping {
            id: Some("uid".into()),
            ..Mapping::default()
        };
        let missing = wanted_id.apply("x", 0, &foreign(json!({"name": "a"})));
        assert!(missing.expect_err("no id").contains("`uid`"));
    }
}
