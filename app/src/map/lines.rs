//! Marks drawn along story lines: arrows showing the direction a route was
//! driven, and a bar where a planned route was stopped.

use wasm_bindgen::JsValue;

use super::js;
use crate::model::Symbol;

/// Segments shorter than this (in Web Mercator pixels at zoom 0, about 20 px
/// at zoom 8) get no arrow: it would hide the line.
const MIN_ARROW_SEGMENT: f64 = 0.08;

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
        let projected: Vec<leaflet::Point> = line
            .iter()
            .map(|&(lon, lat)| map.project_with_zoom(&leaflet::LatLng::new(lat, lon), 0.0))
            .collect();
        match symbol {
            Symbol::Route => {
                for pair in projected.windows(2) {
                    let (dx, dy) = (pair[1].x() - pair[0].x(), pair[1].y() - pair[0].y());
                    if dx.hypot(dy) < MIN_ARROW_SEGMENT {
                        continue;
                    }
                    let middle = leaflet::Point::new(
                        f64::midpoint(pair[0].x(), pair[1].x()),
                        f64::midpoint(pair[0].y(), pair[1].y()),
                    );
                    let at = map.unproject_with_zoom(&middle, 0.0);
                    marks.push(mark(
                        &at,
                        "route-arrow",
                        &arrow_svg(dy.atan2(dx).to_degrees(), color),
                    ));
                }
            }
            Symbol::BlockedRoute => {
                if let [first, second, ..] = projected.as_slice() {
                    let angle = (second.y() - first.y())
                        .atan2(second.x() - first.x())
                        .to_degrees();
                    let at = map.unproject_with_zoom(first, 0.0);
                    marks.push(mark(&at, "route-stop", &stop_svg(angle, color)));
                }
            }
            Symbol::Area | Symbol::Strike | Symbol::Place => {}
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
                js_sys::Array::of2(&18.into(), &18.into()).into(),
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
