//! Marks drawn along story lines: arrows showing the direction a route was
//! driven, and a bar where a planned route was stopped.

use wasm_bindgen::JsValue;

use super::js;
use crate::model::Symbol;

/// Segments shorter than this (in Web Mercator pixels at zoom 0, about 20 px
/// at zoom 8) get no arrow: it would hide the line.
const MIN_ARROW_SEGMENT: f64 = 0.08;

/// A mark along a line: where (Web Mercator px at zoom 0), which way it
/// points (degrees clockwise from east, on the screen), and what it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub at: (f64, f64),
    pub degrees: f64,
    pub stop: bool,
}

impl Mark {
    /// The class of its element.
    pub fn class(&self) -> &'static str {
        if self.stop {
            "route-stop"
        } else {
            "route-arrow"
        }
    }

    /// Its drawing, in `color`.
    pub fn html(&self, color: &str) -> String {
        if self.stop {
            stop_svg(self.degrees, color)
        } else {
            arrow_svg(self.degrees, color)
        }
    }
}

/// The size of a mark's icon, px, centred on its point.
pub const MARK_SIZE: f64 = 18.0;

/// The marks along one line of a `symbol`'s feature, its points projected
/// (Web Mercator px at zoom 0): an arrow halfway along each segment of a
/// driven route long enough to take one, a bar at the start of a blocked
/// one. The server's map (`drawn`) places the same.
pub fn marks_along(projected: &[(f64, f64)], symbol: Symbol) -> Vec<Mark> {
    let angle = |a: (f64, f64), b: (f64, f64)| (b.1 - a.1).atan2(b.0 - a.0).to_degrees();
    match symbol {
        Symbol::Route => projected
            .windows(2)
            .filter(|pair| {
                (pair[1].0 - pair[0].0).hypot(pair[1].1 - pair[0].1) >= MIN_ARROW_SEGMENT
            })
            .map(|pair| Mark {
                at: (
                    f64::midpoint(pair[0].0, pair[1].0),
                    f64::midpoint(pair[0].1, pair[1].1),
                ),
                degrees: angle(pair[0], pair[1]),
                stop: false,
            })
            .collect(),
        Symbol::BlockedRoute => match projected {
            [first, second, ..] => vec![Mark {
                at: *first,
                degrees: angle(*first, *second),
                stop: true,
            }],
            _ => Vec::new(),
        },
        Symbol::Area | Symbol::Strike | Symbol::Place => Vec::new(),
    }
}

/// The marks for one line feature's coordinates (`[[lon, lat], …]` or a
/// MultiLineString's array of those), as non-interactive Leaflet markers.
pub fn marks(
    map: &leaflet::Map,
    geometry: &JsValue,
    symbol: Symbol,
    color: &str,
) -> Vec<leaflet::Layer> {
    let mut marks = Vec::new();
    for line in lines(geometry) {
        let projected: Vec<(f64, f64)> = line
            .iter()
            .map(|&(lon, lat)| {
                let point = map.project_with_zoom(&leaflet::LatLng::new(lat, lon), 0.0);
                (point.x(), point.y())
            })
            .collect();
        for along in marks_along(&projected, symbol) {
            let at = map.unproject_with_zoom(&leaflet::Point::new(along.at.0, along.at.1), 0.0);
            marks.push(mark(&at, along.class(), &along.html(color)));
        }
    }
    marks
}

/// The positions of a LineString or MultiLineString geometry.
fn lines(geometry: &JsValue) -> Vec<Vec<(f64, f64)>> {
    let position = |value: JsValue| {
        let pair = js_sys::Array::from(&value);
        Some((pair.get(0).as_f64()?, pair.get(1).as_f64()?))
    };
    let line = |value: JsValue| {
        js_sys::Array::from(&value)
            .iter()
            .filter_map(position)
            .collect::<Vec<_>>()
    };
    let coordinates = js::get(geometry, "coordinates");
    match js::string(geometry, "type").as_deref() {
        Some("LineString") => vec![line(coordinates)],
        Some("MultiLineString") => js_sys::Array::from(&coordinates).iter().map(line).collect(),
        _ => Vec::new(),
    }
}

fn mark(at: &leaflet::LatLng, class: &str, html: &str) -> leaflet::Layer {
    let icon = super::bindings::div_icon(
        &js::object(&[
            ("className", class.into()),
            ("html", html.into()),
            (
                "iconSize",
                js_sys::Array::of2(&MARK_SIZE.into(), &MARK_SIZE.into()).into(),
            ),
        ])
        .into(),
    );
    let options = js::object(&[
        ("icon", icon),
        ("interactive", JsValue::FALSE),
        ("keyboard", JsValue::FALSE),
    ]);
    super::bindings::marker(at.as_ref(), &options.into())
}

/// A chevron pointing along `degrees` (screen angle, clockwise from east).
fn arrow_svg(degrees: f64, color: &str) -> String {
    format!(
        r#"<svg viewBox="-9 -9 18 18" width="18" height="18" aria-hidden="true" style="transform:rotate({degrees:.1}deg)"><path d="M-4-6 5 0-4 6" fill="none" stroke="{color}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>"#
    )
}

/// A bar across the line, where a planned route was stopped.
fn stop_svg(degrees: f64, color: &str) -> String {
    format!(
        r#"<svg viewBox="-9 -9 18 18" width="18" height="18" aria-hidden="true" style="transform:rotate({degrees:.1}deg)"><path d="M0-8V8" stroke="{color}" stroke-width="4" stroke-linecap="round"/></svg>"#
    )
}
