//! A story layer file: an RFC 7946 FeatureCollection whose features carry
//! kort's properties (title, passages, sources, date, uncertainty).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::blur::{MAX_PRECISION_M, MIN_PRECISION_M};
use super::geometry;
use super::passages::TextQuoteSelector;
use super::problem::{Item, Problem};
use super::valid_id;
use crate::date::DateSpec;
use crate::model::{Geolocation, View};

/// A feature as the file gives it, checked but not yet tied to the article and sources.
#[derive(Debug, Clone)]
pub struct RawFeature {
    pub id: String,
    pub geometry: geo_types::Geometry<f64>,
    pub properties: Properties,
}

/// The properties kort reads from a feature; any other key is a mistake.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Properties {
    pub title: String,
    /// The place's name in Arabic, from a gazetteer.
    #[serde(default)]
    pub name_ar: Option<String>,
    /// The layer the feature belongs to; must be the layer whose file holds it.
    #[serde(default)]
    pub layer: Option<String>,
    /// Where the article mentions the feature.
    #[serde(default)]
    pub passages: Vec<TextQuoteSelector>,
    /// Where each translation of the article mentions the feature, by
    /// language: `{"en": [{"exact": "…"}]}`.
    #[serde(default)]
    pub translated_passages: BTreeMap<String, Vec<TextQuoteSelector>>,
    /// Ids of the sources for the feature.
    #[serde(default)]
    pub sources: Vec<String>,
    /// When it happened: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or a range `a/b`.
    #[serde(default)]
    pub date: Option<String>,
    /// Radius of the uncertainty of an estimated position, in metres.
    #[serde(default)]
    pub uncertainty_m: Option<f64>,
    /// A short editorial note shown with the feature.
    #[serde(default)]
    pub note: Option<String>,
    /// The title and note in the story's other word languages:
    /// `{"ar": {"title": "…", "note": "…"}}`.
    #[serde(default)]
    pub translated: super::words::Translated<super::words::FeatureWords>,
    /// The size in metres of the grid the position is published on, to
    /// protect the people behind it ([`super::blur`]); the exact position
    /// stays in this file.
    #[serde(default)]
    pub published_precision_m: Option<f64>,
    /// How the position was found and who checked it.
    #[serde(default)]
    pub geolocation: Option<Geolocation>,
}

/// The members RFC 7946 gives a feature; anything else is a mistake in a story file.
const FEATURE_MEMBERS: &[&str] = &["type", "id", "geometry", "properties", "bbox"];

/// Largest uncertainty radius accepted: beyond this a position says nothing.
const MAX_UNCERTAINTY_M: f64 = 1_000_000.0;

/// Parses a layer file, handing each feature without problems to `each` as
/// it is parsed (a layer of a million features is never all parsed at
/// once). Every problem in every feature is returned.
pub fn parse_each(
    file: &str,
    text: &str,
    layer: &str,
    view: &View,
    each: &mut dyn FnMut(RawFeature),
) -> Vec<Problem> {
    /// The collection with its features left as text: each is parsed on its
    /// own and dropped, so a layer of 50,000 features never exists as one
    /// JSON tree (which takes about ten times the file's size).
    #[derive(Deserialize)]
    struct Collection<'a> {
        #[serde(rename = "type")]
        kind: Option<serde_json::Value>,
        #[serde(borrow)]
        features: Option<&'a serde_json::value::RawValue>,
    }
    let mut problems = Vec::new();
    let root: Collection<'_> = match serde_json::from_str(text) {
        Ok(root) => root,
        Err(error) => {
            let message = format!("invalid JSON: {}", strip_position(&error.to_string()));
            return vec![Problem::file(file, message).at(error.line(), error.column())];
        }
    };
    if root.kind.as_ref().and_then(serde_json::Value::as_str) != Some("FeatureCollection") {
        let message = "expected a GeoJSON FeatureCollection (`\"type\": \"FeatureCollection\"`)";
        return vec![Problem::file(file, message).field("type")];
    }
    let Some(features) = root
        .features
        .and_then(|raw| serde_json::from_str::<Vec<&serde_json::value::RawValue>>(raw.get()).ok())
    else {
        return vec![Problem::file(file, "expected an array of features").field("features")];
    };
    for (index, raw) in features.iter().enumerate() {
        // The text was valid JSON as a whole, so each feature is too.
        let value: serde_json::Value =
            serde_json::from_str(raw.get()).unwrap_or(serde_json::Value::Null);
        match parse_feature(file, index, &value, layer, view) {
            Ok(feature) => each(feature),
            Err(found) => problems.extend(found),
        }
    }
    problems
}

fn parse_feature(
    file: &str,
    index: usize,
    value: &serde_json::Value,
    layer: &str,
    view: &View,
) -> Result<RawFeature, Vec<Problem>> {
    let id = match value.get("id") {
        Some(serde_json::Value::String(id)) if valid_id(id) => id.clone(),
        Some(serde_json::Value::String(id)) => {
            let message = format!("{id:?} is not a valid id; {}", super::ID_RULE);
            return Err(vec![
                Problem::file(file, message).field(format!("features[{index}].id")),
            ]);
        }
        Some(other) => {
            let message = format!(
                "{other} is not a valid id; expected a string: {}",
                super::ID_RULE
            );
            return Err(vec![
                Problem::file(file, message).field(format!("features[{index}].id")),
            ]);
        }
        None => {
            let message = format!("missing; expected a stable id: {}", super::ID_RULE);
            return Err(vec![
                Problem::file(file, message).field(format!("features[{index}].id")),
            ]);
        }
    };
    let at = |field: &str, message: String| {
        Problem::file(file, message)
            .item(Item::Feature(id.clone()))
            .field(field)
    };
    let mut problems = Vec::new();
    if value.get("type").and_then(serde_json::Value::as_str) != Some("Feature") {
        problems.push(at("type", "expected \"Feature\"".into()));
    }
    if let Some(members) = value.as_object() {
        for key in members
            .keys()
            .filter(|key| !FEATURE_MEMBERS.contains(&key.as_str()))
        {
            problems.push(at(
                key,
                "is not a GeoJSON feature member; put kort's fields under `properties`".into(),
            ));
        }
    }
    // Properties and geometry are read apart, so a mistake in one does not hide the other's.
    let properties = read_properties(value, &at, &mut problems);
    if let Some(props) = &properties {
        check_properties(props, layer, &at, &mut problems);
    }
    let raw_geometry = match value.get("geometry") {
        None | Some(serde_json::Value::Null) => {
            problems.push(at(
                "geometry",
                "is missing; expected a geometry for the map".into(),
            ));
            return Err(problems);
        }
        Some(raw) => match geojson::Geometry::from_json_value(raw.clone()) {
            Ok(geometry) => geometry,
            Err(error) => {
                problems.push(at(
                    "geometry",
                    format!("{error}; expected RFC 7946 geometry"),
                ));
                return Err(problems);
            }
        },
    };
    let mut geometry_problems: Vec<Problem> = geometry::check(&raw_geometry.value, view)
        .into_iter()
        .map(|(field, message)| at(&field, message))
        .collect();
    if geometry_problems.is_empty() {
        match geo_types::Geometry::<f64>::try_from(raw_geometry) {
            Ok(geometry) => {
                geometry_problems.extend(
                    geometry::check_topology(&geometry)
                        .into_iter()
                        .map(|message| at("geometry", message)),
                );
                if let Some(properties) = properties
                    && problems.is_empty()
                    && geometry_problems.is_empty()
                {
                    return Ok(RawFeature {
                        id,
                        geometry,
                        properties,
                    });
                }
            }
            Err(error) => geometry_problems.push(at(
                "geometry",
                format!("{error}; expected RFC 7946 geometry"),
            )),
        }
    }
    problems.extend(geometry_problems);
    Err(problems)
}

/// Reads `properties`, naming the field serde stumbled on.
fn read_properties(
    value: &serde_json::Value,
    at: &dyn Fn(&str, String) -> Problem,
    problems: &mut Vec<Problem>,
) -> Option<Properties> {
    let properties = value.get("properties").unwrap_or(&serde_json::Value::Null);
    match serde_path_to_error::deserialize(properties) {
        Ok(properties) => Some(properties),
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner().to_string();
            // serde names a missing field in its message, at the path of its parent.
            let missing = inner
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split_once('`'));
            let (field, message) = match missing {
                Some((name, _)) if path == "." => {
                    (format!("properties.{name}"), "missing".to_owned())
                }
                Some((name, _)) => (format!("properties.{path}.{name}"), "missing".to_owned()),
                None if path == "." => ("properties".to_owned(), inner),
                None => (format!("properties.{path}"), inner),
            };
            problems.push(at(&field, message));
            None
        }
    }
}

/// Checks what serde cannot: the values of the properties.
fn check_properties(
    props: &Properties,
    layer: &str,
    at: &dyn Fn(&str, String) -> Problem,
    problems: &mut Vec<Problem>,
) {
    if props.title.trim().is_empty() {
        problems.push(at(
            "properties.title",
            "is empty; expected a title for readers".into(),
        ));
    }
    if let Some(name) = &props.name_ar
        && !name.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
    {
        problems.push(at(
            "properties.name_ar",
            format!("{name:?} has no Arabic letters; expected the name in Arabic script"),
        ));
    }
    if let Some(own) = &props.layer
        && own != layer
    {
        problems.push(at(
            "properties.layer",
            format!("{own:?}, but this file holds layer {layer:?}; expected {layer:?} (or move the feature)"),
        ));
    }
    if let Some(date) = &props.date
        && let Err(error) = DateSpec::parse(date)
    {
        problems.push(at("properties.date", error.to_string()));
    }
    if let Some(metres) = props.uncertainty_m
        && !(metres.is_finite() && metres > 0.0 && metres <= MAX_UNCERTAINTY_M)
    {
        problems.push(at(
            "properties.uncertainty_m",
            format!(
                "{metres} is not a usable radius; expected metres, more than 0 and at most 1000000"
            ),
        ));
    }
    if let Some(geolocation) = &props.geolocation {
        if geolocation.by.trim().is_empty() {
            problems.push(at(
                "properties.geolocation.by",
                "is empty; expected who geolocated it".to_owned(),
            ));
        }
        if let Some(date) = &geolocation.at
            && crate::date::Day::parse_iso(date).is_none()
        {
            problems.push(at(
                "properties.geolocation.at",
                format!("{date:?} is not a day; expected when it was geolocated, YYYY-MM-DD"),
            ));
        }
        for (index, link) in geolocation.links.iter().enumerate() {
            if !crate::links::is_web_url(link) {
                problems.push(at(
                    &format!("properties.geolocation.links[{index}]"),
                    format!("{link:?} is not a web address; expected an http:// or https:// URL"),
                ));
            }
        }
    }
    if let Some(metres) = props.published_precision_m
        && !(metres.is_finite() && (MIN_PRECISION_M..=MAX_PRECISION_M).contains(&metres))
    {
        problems.push(at(
            "properties.published_precision_m",
            format!(
                "{metres} is not a usable grid; expected metres from {MIN_PRECISION_M} to {MAX_PRECISION_M} (the position is published to this size)"
            ),
        ));
    }
}

/// `serde_json` appends " at line L column C" to its messages; kort puts the position in front.
fn strip_position(message: &str) -> &str {
    message
        .rsplit_once(" at line ")
        .map_or(message, |(head, _)| head)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: View = View {
        west: 35.9,
        south: 33.3,
        east: 41.3,
        north: 35.6,
    };

    /// The features of a layer file without problems, and the problems.
    fn parse(file: &str, text: &str, layer: &str, view: &View) -> (Vec<RawFeature>, Vec<Problem>) {
        let mut parsed = Vec::new();
        let problems = parse_each(file, text, layer, view, &mut |feature| parsed.push(feature));
        (parsed, problems)
    }

    fn messages(text: &str) -> Vec<String> {
        let (_, problems) = parse("places.geojson", text, "places", &VIEW);
        problems.iter().map(ToString::to_string).collect()
    }

    fn collection(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    const ARSAL: &str = r#"{"type":"Feature","id":"arsal","geometry":{"type":"Point","coordinates":[36.4208,34.1794]},
        "properties":{"title":"Arsal","layer":"places","uncertainty_m":1000}}"#;

    #[test]
    fn a_good_feature_parses() {
        let (features, problems) = parse("places.geojson", &collection(ARSAL), "places", &VIEW);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(features[0].id, "arsal");
        assert_eq!(features[0].properties.uncertainty_m, Some(1000.0));
    }

    #[test]
    fn invalid_json_has_line_and_column() {
        let found = messages("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [,]\n}");
        assert_eq!(found, ["places.geojson:3:16: invalid JSON: expected value"]);
    }

    #[test]
    fn a_missing_title_names_the_feature_and_field() {
        let found = messages(&collection(&ARSAL.replace(r#""title":"Arsal","#, "")));
        assert_eq!(
            found,
            ["places.geojson: feature `arsal`: properties.title: missing"]
        );
    }

    #[test]
    fn a_typo_in_a_property_is_refused() {
        let found = messages(&collection(
            &ARSAL.replace("uncertainty_m", "uncertainty_km"),
        ));
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with(
                "places.geojson: feature `arsal`: properties.uncertainty_km: unknown field `uncertainty_km`, expected one of"
            ),
            "{found:?}"
        );
    }

    #[test]
    fn a_published_precision_is_a_grid_of_100_m_to_100_km() {
        let with = |metres: &str| {
            messages(&collection(&ARSAL.replace(
                r#""uncertainty_m":1000"#,
                &format!(r#""published_precision_m":{metres}"#),
            )))
        };
        assert!(with("5000").is_empty());
        for bad in ["5", "250000", "-1000"] {
            assert_eq!(
                with(bad),
                [format!(
                    "places.geojson: feature `arsal`: properties.published_precision_m: {bad} is not a usable grid; expected metres from 100 to 100000 (the position is published to this size)"
                )],
            );
        }
    }

    #[test]
    fn an_arabic_name_must_be_in_arabic_script() {
        let good = ARSAL.replace(r#""title":"Arsal""#, r#""title":"Arsal","name_ar":"عرسال""#);
        assert!(messages(&collection(&good)).is_empty());
        let latin = ARSAL.replace(r#""title":"Arsal""#, r#""title":"Arsal","name_ar":"Arsal""#);
        assert_eq!(
            messages(&collection(&latin)),
            [
                "places.geojson: feature `arsal`: properties.name_ar: \"Arsal\" has no Arabic letters; expected the name in Arabic script"
            ]
        );
    }

    #[test]
    fn ids_must_be_url_safe_strings() {
        let found = messages(&collection(
            &ARSAL.replace(r#""id":"arsal""#, r#""id":"Arsal town""#),
        ));
        assert!(
            found[0]
                .starts_with("places.geojson: features[0].id: \"Arsal town\" is not a valid id")
        );
        let found = messages(&collection(&ARSAL.replace(r#""id":"arsal""#, r#""id":7"#)));
        assert!(found[0].contains("expected a string"), "{found:?}");
    }

    #[test]
    fn every_problem_of_every_feature_is_reported() {
        let bad_date = ARSAL.replace(
            r#""layer":"places""#,
            r#""layer":"routes","date":"2017-13-01""#,
        );
        let swapped = ARSAL
            .replace("arsal", "swapped")
            .replace("[36.4208,34.1794]", "[34.1794,36.4208]");
        let found = messages(&collection(&format!("{bad_date},{swapped}")));
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("feature `arsal`: properties.layer"));
        assert!(found[1].contains("feature `arsal`: properties.date"));
        assert!(found[2].contains(
            "feature `swapped`: geometry.coordinates: [34.1794, 36.4208] is far outside"
        ));
    }

    #[test]
    fn a_self_intersecting_ring_is_refused() {
        let bow_tie = r#"{"type":"Feature","id":"pocket","geometry":{"type":"Polygon","coordinates":[[[36.5,34.3],[36.6,34.4],[36.6,34.3],[36.5,34.4],[36.5,34.3]]]},
            "properties":{"title":"Pocket"}}"#;
        let found = messages(&collection(bow_tie));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("feature `pocket`: geometry: "),
            "{found:?}"
        );
        assert!(found[0].contains("self-intersection"), "{found:?}");
    }

    #[test]
    fn not_a_feature_collection() {
        let found = messages(r#"{"type":"Feature"}"#);
        assert_eq!(
            found,
            [
                "places.geojson: type: expected a GeoJSON FeatureCollection (`\"type\": \"FeatureCollection\"`)"
            ]
        );
    }
}
