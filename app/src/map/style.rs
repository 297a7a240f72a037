//! How each kind of story feature is drawn, resting and selected: for
//! Leaflet in the browser, and for the map the server draws under it
//! (`drawn`), from the same figures. The legend (`components::legend`)
//! describes the same symbols in words.

use wasm_bindgen::JsValue;

use super::js::object;
use crate::model::Symbol;

/// Whether a GeoJSON feature is an estimate: it states its uncertainty.
pub fn is_estimate(feature: &JsValue) -> bool {
    crate::model::MapProperties::uncertainty_of(feature).is_some()
}

/// A path's style, in Leaflet's terms (its `Path` options); what is not
/// here is Leaflet's default (round caps and joins, the even-odd rule).
#[derive(Debug, Clone, PartialEq)]
pub struct PathStyle<'a> {
    /// The stroke's colour, width (px) and opacity.
    pub color: &'a str,
    pub weight: f64,
    pub opacity: f64,
    /// Dashes and gaps, px.
    pub dash: Option<&'static str>,
    /// The fill's colour and opacity; `None`: not filled.
    pub fill: Option<(&'a str, f64)>,
    /// A circle marker's radius, px.
    pub radius: Option<f64>,
}

impl PathStyle<'_> {
    /// As Leaflet's path options.
    pub fn to_js(&self) -> JsValue {
        self.to_js_with(&[])
    }

    /// As Leaflet's path options, and `extra` ones.
    pub fn to_js_with(&self, extra: &[(&str, JsValue)]) -> JsValue {
        let mut entries = vec![
            ("color", JsValue::from_str(self.color)),
            ("weight", JsValue::from_f64(self.weight)),
            ("opacity", JsValue::from_f64(self.opacity)),
            (
                "dashArray",
                self.dash.map_or(JsValue::NULL, JsValue::from_str),
            ),
            ("fill", JsValue::from_bool(self.fill.is_some())),
        ];
        if let Some((color, opacity)) = self.fill {
            entries.push(("fillColor", JsValue::from_str(color)));
            entries.push(("fillOpacity", JsValue::from_f64(opacity)));
        }
        if let Some(radius) = self.radius {
            entries.push(("radius", JsValue::from_f64(radius)));
        }
        entries.extend_from_slice(extra);
        object(&entries).into()
    }
}

/// The style of a story feature's line, area or point. An estimated
/// area's edge is dashed, as the legend says.
pub fn path_style(symbol: Symbol, color: &str, selected: bool, estimate: bool) -> PathStyle<'_> {
    let weight = |rest: f64| if selected { rest + 3.0 } else { rest };
    let line = PathStyle {
        color,
        weight: 0.0,
        opacity: if selected { 1.0 } else { 0.85 },
        dash: None,
        fill: None,
        radius: None,
    };
    match symbol {
        Symbol::Area => PathStyle {
            weight: weight(1.5),
            dash: estimate.then_some("6 4"),
            fill: Some((color, if selected { 0.35 } else { 0.2 })),
            ..line
        },
        Symbol::Route => PathStyle {
            weight: weight(4.0),
            ..line
        },
        Symbol::BlockedRoute => PathStyle {
            weight: weight(3.0),
            dash: Some("2 8"),
            ..line
        },
        Symbol::Strike | Symbol::Place => PathStyle {
            weight: if selected { 4.0 } else { 2.0 },
            fill: Some((color, 1.0)),
            radius: Some(if selected { 9.0 } else { 6.0 }),
            ..line
        },
    }
}

/// Path options (Leaflet `Path` style) for a story feature: [`path_style`].
pub fn path(symbol: Symbol, color: &str, selected: bool, estimate: bool) -> JsValue {
    path_style(symbol, color, selected, estimate).to_js()
}

/// The uncertainty halo around an estimated point, a faint dashed circle
/// (its radius is in metres).
pub fn halo_style(color: &str) -> PathStyle<'_> {
    PathStyle {
        color,
        weight: 1.0,
        opacity: 1.0,
        dash: Some("4 4"),
        fill: Some((color, 0.08)),
        radius: None,
    }
}

/// Leaflet's options for an uncertainty halo of `radius_m` metres.
pub fn halo(color: &str, radius_m: f64) -> JsValue {
    halo_style(color).to_js_with(&[
        ("radius", JsValue::from_f64(radius_m)),
        ("interactive", JsValue::FALSE),
    ])
}

/// The strike symbol, a starburst 24 px across around its point.
pub const STRIKE_PATH: &str = "M0-11 3-4 10-6 5 0 10 6 3 4 0 11-3 4-10 6-5 0-10-6-3-4Z";

/// The strike symbol as inline SVG, for a Leaflet `divIcon`.
pub fn strike_icon_html(color: &str) -> String {
    format!(
        r##"<svg viewBox="-12 -12 24 24" width="24" height="24" aria-hidden="true"><path d="{STRIKE_PATH}" fill="{color}" stroke="#fff" stroke-width="1.5"/></svg>"##
    )
}
