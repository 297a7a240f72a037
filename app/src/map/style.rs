//! How each kind of story feature is drawn, resting and selected. The legend
//! (`components::legend`) describes the same symbols in words.

use wasm_bindgen::JsValue;

use super::js::object;
use crate::model::Symbol;

/// Whether a GeoJSON feature is an estimate: it states its uncertainty.
pub fn is_estimate(feature: &JsValue) -> bool {
    crate::model::MapProperties::uncertainty_of(feature).is_some()
}

/// Path options (Leaflet `Path` style) for lines and areas. An estimated
/// area's edge is dashed, as the legend says.
pub fn path(symbol: Symbol, color: &str, selected: bool, estimate: bool) -> JsValue {
    let weight = |rest: f64| JsValue::from_f64(if selected { rest + 3.0 } else { rest });
    let common = |extra: &[(&str, JsValue)]| {
        let mut entries = vec![
            ("color", JsValue::from_str(color)),
            (
                "opacity",
                JsValue::from_f64(if selected { 1.0 } else { 0.85 }),
            ),
        ];
        entries.extend_from_slice(extra);
        object(&entries).into()
    };
    match symbol {
        Symbol::Area => common(&[
            ("weight", weight(1.5)),
            (
                "dashArray",
                if estimate {
                    JsValue::from_str("6 4")
                } else {
                    JsValue::NULL
                },
            ),
            ("fillColor", JsValue::from_str(color)),
            (
                "fillOpacity",
                JsValue::from_f64(if selected { 0.35 } else { 0.2 }),
            ),
        ]),
        Symbol::Route => common(&[
            ("weight", weight(4.0)),
            ("lineCap", JsValue::from_str("round")),
        ]),
        Symbol::BlockedRoute => common(&[
            ("weight", weight(3.0)),
            ("dashArray", JsValue::from_str("2 8")),
            ("lineCap", JsValue::from_str("round")),
        ]),
        Symbol::Strike | Symbol::Place => common(&[
            (
                "weight",
                JsValue::from_f64(if selected { 4.0 } else { 2.0 }),
            ),
            (
                "radius",
                JsValue::from_f64(if selected { 9.0 } else { 6.0 }),
            ),
            ("fillColor", JsValue::from_str(color)),
            ("fillOpacity", JsValue::from_f64(1.0)),
        ]),
    }
}

/// The uncertainty halo around an estimated point: a faint dashed circle.
pub fn halo(color: &str, radius_m: f64) -> JsValue {
    object(&[
        ("radius", JsValue::from_f64(radius_m)),
        ("color", JsValue::from_str(color)),
        ("weight", JsValue::from_f64(1.0)),
        ("dashArray", JsValue::from_str("4 4")),
        ("fillColor", JsValue::from_str(color)),
        ("fillOpacity", JsValue::from_f64(0.08)),
        ("interactive", JsValue::FALSE),
    ])
    .into()
}

/// The strike symbol: a starburst, drawn as inline SVG in a Leaflet `divIcon`.
pub fn strike_icon_html(color: &str) -> String {
    format!(
        r##"<svg viewBox="-12 -12 24 24" width="24" height="24" aria-hidden="true"><path d="M0-11 3-4 10-6 5 0 10 6 3 4 0 11-3 4-10 6-5 0-10-6-3-4Z" fill="{color}" stroke="#fff" stroke-width="1.5"/></svg>"##
    )
}
