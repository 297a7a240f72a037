//! Where a correction moved a feature's position: the old place drawn
//! faintly (a dashed ring), with a dashed arrow to the new one. Only
//! published positions are drawn (a protected one's grid node, then and
//! now), never an exact one. The panel of the feature says why it moved.

use leptos::prelude::*;
use leptos_leaflet::prelude::use_leaflet_context;
use serde_json::{Value, json};
use wasm_bindgen::JsValue;

use super::bindings;
use super::js::object;
use crate::model::Moved;

/// The faint grey of what was.
const COLOR: &str = "#57534e";

/// Draws every move of the story's corrections on the map.
#[component]
pub fn MovedPositions(
    /// The moves, oldest first.
    moved: Vec<Moved>,
) -> impl IntoView {
    let drawn: StoredValue<Option<leaflet::GeoJson>, LocalStorage> = StoredValue::new_local(None);
    let Some(context) = use_leaflet_context().filter(|_| !moved.is_empty()) else {
        return;
    };
    let data = collection(&moved).to_string();
    Effect::new(move |_| {
        let Some(map) = context.map() else { return };
        if drawn.with_value(Option::is_some) {
            return;
        }
        let Ok(data) = js_sys::JSON::parse(&data) else {
            return;
        };
        let style = object(&[
            ("color", COLOR.into()),
            ("weight", JsValue::from_f64(2.0)),
            ("opacity", JsValue::from_f64(0.8)),
            ("dashArray", "4 4".into()),
            ("className", "moved".into()),
        ]);
        let options = object(&[("style", style.into()), ("interactive", JsValue::FALSE)]);
        let layer = bindings::geo_json(&data, &options.into());
        layer.add_to(&map);
        drawn.set_value(Some(layer));
    });
    on_cleanup(move || {
        if let Some(layer) = drawn.get_value() {
            layer.remove();
        }
    });
}

/// The moves as GeoJSON lines: a ring around each old place, a line from
/// it to the new one, and an arrowhead there. Sizes are a share of the
/// move's length, measured on the ground (longitude shrunk by latitude), so
/// the drawing keeps its shape at every zoom.
pub fn collection(moved: &[Moved]) -> Value {
    let features: Vec<Value> = moved
        .iter()
        .flat_map(|moved| {
            let [x0, y0] = moved.from;
            let [x1, y1] = moved.to;
            let shrink = y0.to_radians().cos().max(0.01);
            // On the ground: east in degrees of latitude.
            let (dx, dy) = ((x1 - x0) * shrink, y1 - y0);
            let length = dx.hypot(dy);
            let back = |angle: f64, share: f64| {
                let (sin, cos) = angle.sin_cos();
                let (ux, uy) = (dx / length, dy / length);
                let (rx, ry) = (ux * cos - uy * sin, ux * sin + uy * cos);
                [x1 - rx * share * length / shrink, y1 - ry * share * length]
            };
            let radius = 0.06 * length;
            let ring: Vec<[f64; 2]> = (0..=16)
                .map(|step| {
                    let angle = f64::from(step) * std::f64::consts::TAU / 16.0;
                    [
                        x0 + radius * angle.cos() / shrink,
                        y0 + radius * angle.sin(),
                    ]
                })
                .collect();
            let head = 25_f64.to_radians();
            let line = |coordinates: Value| {
                json!({
                    "type": "Feature",
                    "properties": {"id": moved.id},
                    "geometry": {"type": "LineString", "coordinates": coordinates},
                })
            };
            (length > 0.0)
                .then(|| {
                    [
                        line(json!(ring)),
                        line(json!([[x0, y0], [x1, y1]])),
                        line(json!([back(head, 0.15), [x1, y1], back(-head, 0.15)])),
                    ]
                })
                .into_iter()
                .flatten()
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_is_a_ring_where_it_was_and_an_arrow_to_where_it_is() {
        let moved = Moved {
            id: "blocked-bridge".into(),
            from: [40.0, 34.5],
            to: [40.2, 34.5],
        };
        let drawn = collection(&[moved]);
        let features = drawn["features"].as_array().expect("features");
        assert_eq!(features.len(), 3);
        assert_eq!(
            features[1]["geometry"]["coordinates"],
            json!([[40.0, 34.5], [40.2, 34.5]])
        );
        // The arrowhead's tip is the new place; its barbs are behind it, west.
        let head = &features[2]["geometry"]["coordinates"];
        assert_eq!(head[1], json!([40.2, 34.5]));
        assert!(head[0][0].as_f64().expect("x") < 40.2);
        assert!(head[2][0].as_f64().expect("x") < 40.2);
        // Nothing is drawn for a move that goes nowhere.
        let still = Moved {
            id: "x".into(),
            from: [40.0, 34.5],
            to: [40.0, 34.5],
        };
        assert_eq!(collection(&[still])["features"], json!([]));
    }
}
