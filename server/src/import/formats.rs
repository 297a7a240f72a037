//! The formats features come in: a GeoJSON FeatureCollection,
//! newline-delimited GeoJSON (one Feature per line, RFC 8142's record
//! separators allowed) and CSV with latitude and longitude columns.

use serde_json::{Map, Value, json};

use kort_app::story::mapping::{Mapping, Skipped};

/// A format of foreign features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    NdJson,
    Csv,
}

impl Format {
    /// By name, as `--format` takes it.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "geojson" | "json" => Some(Self::GeoJson),
            "ndjson" | "geojsonl" | "geojsonseq" | "jsonl" => Some(Self::NdJson),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }

    /// By a file name's or URL path's extension.
    pub fn from_path(path: &str) -> Option<Self> {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let extension = path.rsplit_once('.')?.1;
        Self::from_name(extension)
    }

    /// Every format kort reads.
    pub const ALL: [Self; 3] = [Self::GeoJson, Self::NdJson, Self::Csv];

    /// By a response's content type (without parameters).
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|format| format.content_types().contains(&content_type))
    }

    /// The content types of every format: what to accept when any will do.
    pub fn any_content_type() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .flat_map(|format| format.content_types().iter().copied())
            .collect()
    }

    /// The content types a server may send this format as.
    pub fn content_types(self) -> &'static [&'static str] {
        match self {
            Self::GeoJson => &[
                "application/geo+json",
                "application/vnd.geo+json",
                "application/json",
            ],
            Self::NdJson => &[
                "application/geo+json-seq",
                "application/x-ndjson",
                "application/ndjson",
                "application/jsonl",
            ],
            Self::Csv => &["text/csv", "application/csv"],
        }
    }
}

const LAT_NAMES: &[&str] = &["lat", "latitude", "y"];
const LON_NAMES: &[&str] = &["lon", "lng", "long", "longitude", "x"];

/// The features in `bytes`, and the records that are not features, with
/// why. Fails when the whole input is unreadable. CSV's position columns
/// are the mapping's `lat` and `lon`, or found by name.
pub fn read(
    bytes: &[u8],
    format: Format,
    columns: &Mapping,
) -> Result<(Vec<Value>, Vec<Skipped>), String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|error| format!("is not UTF-8 text ({error}); expected GeoJSON, NDJSON or CSV"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::GeoJson => geojson(text),
        Format::NdJson => Ok(ndjson(text)),
        Format::Csv => csv(text, columns),
    }
}

fn geojson(text: &str) -> Result<(Vec<Value>, Vec<Skipped>), String> {
    let root: Value = serde_json::from_str(text)
        .map_err(|error| format!("is not JSON: {error}; expected a GeoJSON FeatureCollection"))?;
    match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match root.get("features") {
            Some(Value::Array(features)) => Ok((features.clone(), Vec::new())),
            _ => Err("is a FeatureCollection without a `features` array".into()),
        },
        Some("Feature") => Ok((vec![root], Vec::new())),
        other => Err(format!(
            "is GeoJSON of type {other:?}; expected a FeatureCollection"
        )),
    }
}

fn ndjson(text: &str) -> (Vec<Value>, Vec<Skipped>) {
    let mut features = Vec::new();
    let mut skipped = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_matches(|c: char| c == '\u{1e}' || c.is_whitespace());
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(feature) => features.push(feature),
            Err(error) => skipped.push(Skipped {
                feature: format!("line {}", index + 1),
                reason: format!("is not JSON: {error}; expected one GeoJSON Feature per line"),
            }),
        }
    }
    (features, skipped)
}

fn csv(text: &str, columns: &Mapping) -> Result<(Vec<Value>, Vec<Skipped>), String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| format!("has no header row: {error}; expected CSV with named columns"))?
        .iter()
        .map(str::to_owned)
        .collect();
    let find = |given: &Option<String>, names: &[&str], what: &str| {
        let position = match given {
            Some(name) => headers.iter().position(|h| h == name),
            None => headers
                .iter()
                .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str())),
        };
        position.ok_or_else(|| match given {
            Some(name) => {
                format!("has no column {name:?} for the {what}; its columns are {headers:?}")
            }
            None => format!(
                "has no {what} column; expected one named {} (or name it with --{})",
                names.join(", "),
                &what[..3]
            ),
        })
    };
    let lat = find(&columns.lat, LAT_NAMES, "latitude")?;
    let lon = find(&columns.lon, LON_NAMES, "longitude")?;
    let mut features = Vec::new();
    let mut skipped = Vec::new();
    for (index, record) in reader.records().enumerate() {
        // Row 1 is the header.
        let row = format!("row {}", index + 2);
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                skipped.push(Skipped {
                    feature: row,
                    reason: format!("cannot be read: {error}"),
                });
                continue;
            }
        };
        let number = |at: usize| {
            record
                .get(at)
                .and_then(|cell| cell.trim().parse::<f64>().ok())
                .filter(|value| value.is_finite())
        };
        let (Some(y), Some(x)) = (number(lat), number(lon)) else {
            skipped.push(Skipped {
                feature: row,
                reason: format!(
                    "{:?}, {:?} is not a position; expected decimal degrees in {:?} and {:?}",
                    record.get(lat).unwrap_or_default(),
                    record.get(lon).unwrap_or_default(),
                    headers[lat],
                    headers[lon]
                ),
            });
            continue;
        };
        let properties: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .enumerate()
            .filter(|(at, _)| *at != lat && *at != lon)
            .map(|(_, (name, cell))| (name.clone(), json!(cell)))
            .collect();
        features.push(json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [x, y] },
            "properties": properties,
        }));
    }
    Ok((features, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_name_extension_and_content_type() {
        assert_eq!(Format::from_path("events.csv"), Some(Format::Csv));
        assert_eq!(
            Format::from_path("https://x.org/a.geojson?v=2"),
            Some(Format::GeoJson)
        );
        assert_eq!(Format::from_path("a.ndjson"), Some(Format::NdJson));
        assert_eq!(Format::from_path("a"), None);
        assert_eq!(
            Format::from_content_type("application/geo+json"),
            Some(Format::GeoJson)
        );
        assert_eq!(Format::from_content_type("text/html"), None);
    }

    #[test]
    fn csv_rows_become_points_and_bad_rows_are_skipped_with_their_row() {
        let text =
            "name,latitude,longitude,when\nTadmur,34.56,38.28,2017-08-31\nNowhere,north,38,\n";
        let (features, skipped) =
            read(text.as_bytes(), Format::Csv, &Mapping::default()).expect("csv");
        assert_eq!(features.len(), 1);
        assert_eq!(
            features[0]["geometry"]["coordinates"],
            json!([38.28, 34.56])
        );
        assert_eq!(features[0]["properties"]["name"], "Tadmur");
        assert_eq!(skipped[0].feature, "row 3");
        assert!(skipped[0].reason.contains("\"north\""));
        let none = read(b"a,b\n1,2\n", Format::Csv, &Mapping::default());
        assert!(none.expect_err("no position").contains("latitude"));
    }

    #[test]
    fn ndjson_lines_are_features_and_broken_lines_are_skipped() {
        let text = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n\n\u{1e}{broken\n";
        let (features, skipped) =
            read(text.as_bytes(), Format::NdJson, &Mapping::default()).expect("read");
        assert_eq!(features.len(), 1);
        assert_eq!(skipped[0].feature, "line 3");
    }

    #[test]
    fn garbage_is_refused_whole() {
        assert!(read(b"<html>", Format::GeoJson, &Mapping::default()).is_err());
        assert!(
            read(
                b"{\"type\":\"Point\"}",
                Format::GeoJson,
                &Mapping::default()
            )
            .is_err()
        );
        assert!(read(&[0xff, 0xfe], Format::Csv, &Mapping::default()).is_err());
    }
}
