//! Where a correction moved a feature's position: the old place drawn
//! faintly (a dashed ring), with a dashed arrow to the new one. Only
//! published positions are drawn (a protected one's grid node, then and
//! now), never an exact one. The panel of the feature says why it moved.

use leptos::prelude::*;
use leptos_leaflet::prelude::use_leaflet_context;
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
    let drawn: StoredValue<Vec<leaflet::Layer>, LocalStorage> = StoredValue::new_local(Vec::new());
    let Some(context) = use_leaflet_context().filter(|_| !moved.is_empty()) else {
        return;
    };
    let lines = lines(&moved);
    Effect::new(move |_| {
        let Some(map) = context.map() else { return };
        if !drawn.with_value(Vec::is_empty) {
            return;
        }
        let style = object(&[
            ("color", COLOR.into()),
            ("weight", JsValue::from_f64(2.0)),
            ("opacity", JsValue::from_f64(0.8)),
            ("dashArray", "4 4".into()),
            ("className", "moved".into()),
            ("interactive", JsValue::FALSE),
        ]);
        for line in &lines {
            let latlngs: js_sys::Array = line
                .iter()
                .map(|[lon, lat]| {
                    js_sys::Array::of2(&JsValue::from_f64(*lat), &JsValue::from_f64(*lon))
                })
                .collect();
            let layer = bindings::polyline(&latlngs, &style);
            layer.add_to(&map);
            drawn.update_value(|all| all.push(layer));
        }
    });
    on_cleanup(move || {
        for layer in drawn.get_value() {
            layer.remove();
        }
    });
}

/// The moves as lines of `[longitude, latitude]`: a ring around each old
/// place, a line from it to the new one, and an arrowhead there. Sizes are
/// a share of the move's length, measured on the ground (longitude shrunk
/// by latitude), so the drawing keeps its shape at every zoom.
pub fn lines(moved: &[Moved]) -> Vec<Vec<[f64; 2]>> {
    let mut lines = Vec::new();
    for moved in moved {
        let [x0, y0] = moved.from;
        let [x1, y1] = moved.to;
        let shrink = y0.to_radians().cos().max(0.01);
        // On the ground: east in degrees of latitude.
        let (dx, dy) = ((x1 - x0) * shrink, y1 - y0);
        let length = dx.hypot(dy);
        if length <= 0.0 {
            continue;
        }
        let (ux, uy) = (dx / length, dy / length);
        let barb = |angle: f64| {
            let (sin, cos) = angle.sin_cos();
            let (rx, ry) = (ux * cos - uy * sin, ux * sin + uy * cos);
            [x1 - rx * 0.15 * length / shrink, y1 - ry * 0.15 * length]
        };
        let radius = 0.06 * length;
        lines.push(
            (0..=16)
                .map(|step| {
                    let angle = f64::from(step) * std::f64::consts::TAU / 16.0;
                    [
                        x0 + radius * angle.cos() / shrink,
                        y0 + radius * angle.sin(),
                    ]
                })
                .collect(),
        );
        lines.push(vec![[x0, y0], [x1, y1]]);
        let head = 25_f64.to_radians();
        lines.push(vec![barb(head), [x1, y1], barb(-head)]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(clippy::float_cmp, reason = "the ends are copied, not computed")]
    fn a_move_is_a_ring_where_it_was_and_an_arrow_to_where_it_is() {
        let moved = Moved {
            id: "blocked-bridge".into(),
            from: [40.0, 34.5],
            to: [40.2, 34.5],
        };
        let drawn = lines(&[moved]);
        assert_eq!(drawn.len(), 3);
        assert_eq!(drawn[1], [[40.0, 34.5], [40.2, 34.5]]);
        // The arrowhead's tip is the new place; its barbs are behind it, west.
        let head = &drawn[2];
        assert_eq!(head[1], [40.2, 34.5]);
        assert!(head[0][0] < 40.2 && head[2][0] < 40.2);
        // Nothing is drawn for a move that goes nowhere.
        let still = Moved {
            id: "x".into(),
            from: [40.0, 34.5],
            to: [40.0, 34.5],
        };
        assert!(lines(&[still]).is_empty());
    }
}
