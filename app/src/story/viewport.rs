//! Large layers, served by viewport and zoom.
//!
//! A layer of [`crate::model::VIEWPORT_LAYER_MIN`] features or more is never
//! sent whole to a reader's map. The map asks for the part in view
//! (`?bbox=west,south,east,north&zoom=z`) and gets:
//!
//! - the features whose bounding boxes meet the box (and that happened by
//!   the reader's time, if one is given);
//! - below [`FULL_DETAIL_ZOOM`], lines and areas simplified
//!   (Ramer–Douglas–Peucker, `geo`) to about a pixel at that zoom; the
//!   simplification keeps every feature and the ends of every line;
//! - below [`CLUSTER_MAX_ZOOM`], points gathered into clusters: every point
//!   in one cell of a [`CELL_PX`]-pixel grid (Web Mercator, at that zoom)
//!   becomes one `cluster` feature with its `count` and the `bbox` of its
//!   members; a point alone in its cell stays itself. The counts add up to
//!   the points in view.
//!
//! Features carry only what the map draws (title, date, uncertainty); the
//! page model and the feature API have the rest.

use geo::{BoundingRect, Simplify};
use geo_types::Geometry;
use serde_json::json;

use super::{Feature, Layer};
use crate::date::TimeFilter;

/// From this zoom on, geometry is sent as the story file gives it.
pub const FULL_DETAIL_ZOOM: u8 = 13;
/// From this zoom on, points are sent one by one: the closest zoom of the
/// story map (`map::MAX_ZOOM`), so every point can be reached.
pub const CLUSTER_MAX_ZOOM: u8 = 13;
/// The side of a cluster cell, in screen pixels.
pub const CELL_PX: f64 = 60.0;
/// The deepest zoom a request may name.
pub const MAX_ZOOM: u8 = 22;

/// The part of a layer a map asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// West, south, east, north, in degrees.
    pub bbox: [f64; 4],
    pub zoom: u8,
}

impl Window {
    /// Reads `bbox` and `zoom` from a query string's values. Neither: the
    /// whole layer (`Ok(None)`). One without the other, or either
    /// malformed: an error that says what was expected.
    pub fn parse(bbox: Option<&str>, zoom: Option<&str>) -> Result<Option<Self>, String> {
        let (bbox, zoom) = match (bbox, zoom) {
            (None, None) => return Ok(None),
            (Some(bbox), Some(zoom)) => (bbox, zoom),
            (Some(_), None) => {
                return Err("zoom: missing; expected a zoom level with bbox, e.g. zoom=7".into());
            }
            (None, Some(_)) => {
                return Err("bbox: missing; expected west,south,east,north with zoom, e.g. bbox=35.7,32.3,42.4,37.3".into());
            }
        };
        let numbers: Vec<f64> = bbox
            .split(',')
            .map(|part| part.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| {
                format!(
                    "bbox: {bbox:?} is not four numbers; expected west,south,east,north in degrees"
                )
            })?;
        let [west, south, east, north] = numbers[..] else {
            return Err(format!(
                "bbox: {bbox:?} has {} numbers; expected four: west,south,east,north",
                numbers.len()
            ));
        };
        let valid = numbers.iter().all(|n| n.is_finite())
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && west <= east
            && south <= north;
        if !valid {
            return Err(format!(
                "bbox: {bbox:?} is not a box on Earth; expected west ≤ east within ±180 and south ≤ north within ±90"
            ));
        }
        let zoom = zoom
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|zoom| *zoom <= MAX_ZOOM)
            .ok_or_else(|| format!("zoom: {zoom:?} is not a zoom level; expected a whole number from 0 to {MAX_ZOOM}"))?;
        Ok(Some(Self {
            bbox: [west, south, east, north],
            zoom,
        }))
    }

    fn meets(&self, bounds: &[f64; 4]) -> bool {
        bounds[0] <= self.bbox[2]
            && bounds[2] >= self.bbox[0]
            && bounds[1] <= self.bbox[3]
            && bounds[3] >= self.bbox[1]
    }

    /// Degrees of longitude per screen pixel at this zoom (256 px tiles).
    fn degrees_per_pixel(&self) -> f64 {
        360.0 / (256.0 * f64::from(1u32 << self.zoom.min(30)))
    }
}

/// What the map needs of one feature, computed once at load.
#[derive(Debug)]
struct Entry {
    /// Index in the layer's features.
    feature: usize,
    bounds: [f64; 4],
    /// `{"title": …, "date": …, "uncertainty_m": …}`, serialised.
    properties: Box<str>,
}

/// A large layer's features, ready to be cut by viewport.
#[derive(Debug)]
pub struct LayerIndex {
    entries: Vec<Entry>,
}

impl LayerIndex {
    pub fn new(layer: &Layer) -> Self {
        let entries = layer
            .features
            .iter()
            .enumerate()
            .map(|(index, feature)| Entry {
                feature: index,
                bounds: feature.geometry.bounding_rect().map_or([0.0; 4], |rect| {
                    [rect.min().x, rect.min().y, rect.max().x, rect.max().y]
                }),
                properties: serde_json::to_string(&super::view::map_properties(feature))
                    .unwrap_or_else(|_| "{}".into())
                    .into_boxed_str(),
            })
            .collect();
        Self { entries }
    }

    /// The FeatureCollection for `window`, at `time` if given. Besides the
    /// features it says how many features are in view (`kort_in_view`).
    pub fn collection(&self, layer: &Layer, window: &Window, time: Option<&TimeFilter>) -> String {
        let in_view: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|entry| window.meets(&entry.bounds))
            .filter(|entry| {
                time.is_none_or(|time| {
                    layer.features[entry.feature]
                        .date
                        .as_ref()
                        .is_none_or(|(_, date)| time.includes(date))
                })
            })
            .collect();
        let mut out = String::with_capacity(64 + in_view.len() * 160);
        out.push_str(r#"{"type":"FeatureCollection","kort_in_view":"#);
        out.push_str(&in_view.len().to_string());
        out.push_str(r#","features":["#);
        let mut first = true;
        let mut push = |out: &mut String, feature: &str| {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(feature);
        };
        let clustering = window.zoom < CLUSTER_MAX_ZOOM;
        let mut cells: std::collections::HashMap<(i64, i64), Vec<&Entry>> =
            std::collections::HashMap::new();
        for entry in in_view {
            let feature = &layer.features[entry.feature];
            if let (true, Geometry::Point(point)) = (clustering, &feature.geometry) {
                cells
                    .entry(cell(point.x(), point.y(), window.zoom))
                    .or_default()
                    .push(entry);
                continue;
            }
            let geometry = if window.zoom < FULL_DETAIL_ZOOM {
                simplified(&feature.geometry, window.degrees_per_pixel())
            } else {
                feature.geometry.clone()
            };
            push(
                &mut out,
                &feature_json(feature, &geometry, &entry.properties),
            );
        }
        // Cells in a fixed order, so the same request gets the same bytes.
        let mut cells: Vec<_> = cells.into_iter().collect();
        cells.sort_unstable_by_key(|(key, _)| *key);
        for (_, members) in cells {
            if let [only] = members[..] {
                let feature = &layer.features[only.feature];
                push(
                    &mut out,
                    &feature_json(feature, &feature.geometry, &only.properties),
                );
            } else {
                push(&mut out, &cluster_json(&members));
            }
        }
        out.push_str("]}");
        out
    }
}

/// The grid cell of a position at a zoom: Web Mercator pixels over [`CELL_PX`].
#[allow(clippy::cast_possible_truncation)]
fn cell(lon: f64, lat: f64, zoom: u8) -> (i64, i64) {
    let size = 256.0 * f64::from(1u32 << zoom.min(30));
    let x = (lon + 180.0) / 360.0 * size;
    let sin = lat.to_radians().sin().clamp(-0.9999, 0.9999);
    let y = (0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * std::f64::consts::PI)) * size;
    ((x / CELL_PX).floor() as i64, (y / CELL_PX).floor() as i64)
}

fn simplified(geometry: &Geometry<f64>, epsilon: f64) -> Geometry<f64> {
    match geometry {
        Geometry::LineString(line) => Geometry::LineString(line.simplify(epsilon)),
        Geometry::MultiLineString(lines) => Geometry::MultiLineString(lines.simplify(epsilon)),
        Geometry::Polygon(polygon) => Geometry::Polygon(polygon.simplify(epsilon)),
        Geometry::MultiPolygon(polygons) => Geometry::MultiPolygon(polygons.simplify(epsilon)),
        other => other.clone(),
    }
}

fn feature_json(feature: &Feature, geometry: &Geometry<f64>, properties: &str) -> String {
    let geometry = serde_json::to_string(&geojson::Geometry::new(geojson::Value::from(geometry)))
        .unwrap_or_else(|_| "null".into());
    format!(
        r#"{{"type":"Feature","id":{},"geometry":{geometry},"properties":{properties}}}"#,
        json!(feature.id)
    )
}

fn cluster_json(members: &[&Entry]) -> String {
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let (mut lon, mut lat) = (0.0, 0.0);
    for member in members {
        let b = &member.bounds;
        bbox = [
            bbox[0].min(b[0]),
            bbox[1].min(b[1]),
            bbox[2].max(b[2]),
            bbox[3].max(b[3]),
        ];
        lon += b[0];
        lat += b[1];
    }
    #[allow(clippy::cast_precision_loss)]
    let n = members.len() as f64;
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon / n, lat / n]},
        "properties": {"cluster": true, "count": members.len(), "bbox": bbox},
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_read_or_refused_with_the_field_named() {
        assert_eq!(Window::parse(None, None), Ok(None));
        let window = Window::parse(Some("35.7,32.3,42.4,37.3"), Some("7"))
            .expect("valid")
            .expect("a window");
        assert!(
            window
                .bbox
                .iter()
                .zip([35.7, 32.3, 42.4, 37.3])
                .all(|(got, want)| (got - want).abs() < 1e-12)
        );
        assert_eq!(window.zoom, 7);
        for (bbox, zoom, field) in [
            (Some("1,2,3"), Some("7"), "bbox: \"1,2,3\" has 3 numbers"),
            (
                Some("a,b,c,d"),
                Some("7"),
                "bbox: \"a,b,c,d\" is not four numbers",
            ),
            (Some("40,30,35,31"), Some("7"), "is not a box on Earth"),
            (Some("1,2,3,NaN"), Some("7"), "is not a box on Earth"),
            (
                Some("1,2,3,4"),
                Some("23"),
                "zoom: \"23\" is not a zoom level",
            ),
            (Some("1,2,3,4"), Some("-1"), "zoom: \"-1\""),
            (Some("1,2,3,4"), None, "zoom: missing"),
            (None, Some("3"), "bbox: missing"),
        ] {
            let error = Window::parse(bbox, zoom).expect_err(field);
            assert!(error.contains(field), "{error}");
        }
    }

    #[test]
    fn at_the_map_s_closest_zoom_points_are_not_clustered() {
        assert!((f64::from(CLUSTER_MAX_ZOOM) - crate::map::MAX_ZOOM).abs() < f64::EPSILON);
    }

    #[test]
    fn cells_grow_finer_with_zoom() {
        assert_eq!(cell(38.0, 34.0, 3), cell(38.1, 34.1, 3));
        assert_ne!(cell(38.0, 34.0, 12), cell(38.1, 34.1, 12));
    }
}
