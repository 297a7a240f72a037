//! Checks that a feature's geometry is RFC 7946 GeoJSON that belongs on this
//! story's map, before it is turned into `geo-types`.
//!
//! The raw GeoJSON is checked, not the converted geometry, because
//! `geo-types` silently closes open polygon rings.

use geo::Validation;
use geojson::{PolygonType, Position, Value};

use crate::model::{GeometryKind, View};

/// Checks positions and rings, returning each problem as `(field, message)`.
pub fn check(value: &Value, view: &View) -> Vec<(String, String)> {
    let mut checker = Checker {
        view,
        margin: view_margin(view),
        problems: Vec::new(),
    };
    let root = "geometry.coordinates";
    match value {
        Value::Point(position) => checker.position(root.to_owned(), position),
        Value::MultiPoint(positions) => {
            for (index, position) in positions.iter().enumerate() {
                checker.position(format!("{root}[{index}]"), position);
            }
        }
        Value::LineString(line) => checker.line(root, line),
        Value::MultiLineString(lines) => {
            for (index, line) in lines.iter().enumerate() {
                checker.line(&format!("{root}[{index}]"), line);
            }
        }
        Value::Polygon(rings) => checker.polygon(root, rings),
        Value::MultiPolygon(polygons) => {
            for (index, rings) in polygons.iter().enumerate() {
                checker.polygon(&format!("{root}[{index}]"), rings);
            }
        }
        Value::GeometryCollection(geometries) => checker.problems.push((
            "geometry".to_owned(),
            format!(
                "is a GeometryCollection of {}; expected one geometry per feature (split it into features)",
                geometries.len()
            ),
        )),
    }
    checker.problems
}

struct Checker<'a> {
    view: &'a View,
    margin: f64,
    problems: Vec<(String, String)>,
}

impl Checker<'_> {
    fn position(&mut self, path: String, position: &Position) {
        let (lon, lat) = match position.as_slice() {
            [lon, lat] | [lon, lat, _] => (*lon, *lat),
            _ => {
                let message = format!(
                    "has {} numbers; expected [longitude, latitude]",
                    position.len()
                );
                self.problems.push((path, message));
                return;
            }
        };
        let in_range = lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat);
        if !in_range {
            let message = format!(
                "[{lon}, {lat}] is out of range; expected longitude -180..180 and latitude -90..90"
            );
            self.problems.push((path, message));
        } else if !self.view.contains_with_margin(lon, lat, self.margin) {
            let hint = if self.view.contains_with_margin(lat, lon, self.margin) {
                " (longitude and latitude look swapped)"
            } else {
                ""
            };
            let message = format!(
                "[{lon}, {lat}] is far outside the story's view{hint}; expected [longitude, latitude] inside it"
            );
            self.problems.push((path, message));
        }
    }

    fn line(&mut self, path: &str, line: &[Position]) {
        for (index, position) in line.iter().enumerate() {
            self.position(format!("{path}[{index}]"), position);
        }
        if line.len() < 2 {
            let message = format!("the line has {} positions; expected at least 2", line.len());
            self.problems.push((path.to_owned(), message));
        }
    }

    fn polygon(&mut self, path: &str, rings: &PolygonType) {
        for (index, ring) in rings.iter().enumerate() {
            let path = format!("{path}[{index}]");
            for (index, position) in ring.iter().enumerate() {
                self.position(format!("{path}[{index}]"), position);
            }
            if ring.len() < 4 {
                let message = format!("the ring has {} positions; expected at least 4", ring.len());
                self.problems.push((path, message));
            } else if ring.first() != ring.last() {
                let message =
                    "the ring is not closed; expected its last position to repeat its first";
                self.problems.push((path, message.to_owned()));
            }
        }
    }
}

/// How far outside the story's view a position may lie before it is suspect:
/// a quarter of the view's larger side, and at least half a degree.
fn view_margin(view: &View) -> f64 {
    ((view.east - view.west).max(view.north - view.south) * 0.25).max(0.5)
}

/// Checks the converted geometry for what only geometry can tell: rings that
/// cross themselves or each other.
pub fn check_topology(geometry: &geo_types::Geometry<f64>) -> Vec<String> {
    geometry
        .validation_errors()
        .into_iter()
        .map(|error| format!("{error}; expected a simple polygon whose rings do not cross"))
        .collect()
}

/// The RFC 7946 name of a geometry's type.
pub fn kind(geometry: &geo_types::Geometry<f64>) -> GeometryKind {
    use geo_types::Geometry as G;
    match geometry {
        G::Point(_) => GeometryKind::Point,
        G::MultiPoint(_) => GeometryKind::MultiPoint,
        G::LineString(_) | G::Line(_) => GeometryKind::LineString,
        G::MultiLineString(_) => GeometryKind::MultiLineString,
        G::Polygon(_) | G::Rect(_) | G::Triangle(_) => GeometryKind::Polygon,
        G::MultiPolygon(_) => GeometryKind::MultiPolygon,
        G::GeometryCollection(_) => GeometryKind::GeometryCollection,
    }
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

    fn problems(json: &str) -> Vec<(String, String)> {
        let geometry: geojson::Geometry = json
            .parse::<geojson::GeoJson>()
            .expect("json")
            .try_into()
            .expect("geometry");
        check(&geometry.value, &VIEW)
    }

    #[test]
    fn a_point_at_arsal_is_fine() {
        assert!(problems(r#"{"type":"Point","coordinates":[36.4208,34.1794]}"#).is_empty());
    }

    #[test]
    fn swapped_coordinates_are_called_out() {
        let found = problems(r#"{"type":"Point","coordinates":[34.1794,36.4208]}"#);
        assert_eq!(found.len(), 1);
        assert!(found[0].1.contains("look swapped"), "{found:?}");
    }

    #[test]
    fn out_of_range_and_open_rings_are_reported() {
        let found = problems(r#"{"type":"Point","coordinates":[200.0,34.0]}"#);
        assert!(found[0].1.contains("out of range"));
        let open = problems(
            r#"{"type":"Polygon","coordinates":[[[36.5,34.3],[36.6,34.3],[36.6,34.4],[36.5,34.4]]]}"#,
        );
        assert_eq!(open[0].0, "geometry.coordinates[0]");
        assert!(open[0].1.contains("not closed"));
    }

    #[test]
    fn a_bow_tie_polygon_crosses_itself() {
        let ring = vec![
            (36.5, 34.3),
            (36.6, 34.4),
            (36.6, 34.3),
            (36.5, 34.4),
            (36.5, 34.3),
        ];
        let bow_tie: geo_types::Geometry<f64> = geo_types::Polygon::new(ring.into(), vec![]).into();
        let found = check_topology(&bow_tie);
        assert!(
            found.iter().any(|m| m.contains("self-intersection")),
            "{found:?}"
        );
    }
}
