//! Point symbols that would cover one another at the current zoom are fanned
//! out side by side, so each stays visible and can be clicked or tapped: at
//! the story's opening zoom the cratered road and the destroyed bridge, 2.5 km
//! apart, fall on the same pixels. Their uncertainty halos still mark where
//! they are estimated to be.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::bindings::Layer;
use super::js;

/// Least distance between two symbols' centres, in px: each icon is a 44 px
/// target (a finger's width).
const GAP: f64 = 46.0;
/// Half the icon's width: where Leaflet anchors it.
const HALF_ICON: f64 = 22.0;

/// Spreads the icon markers among `features` (each a marker, or a group
/// holding one) as the map's zoom needs.
pub fn spread<'a>(map: &leaflet::Map, features: impl IntoIterator<Item = &'a leaflet::Layer>) {
    spread_icons(
        features
            .into_iter()
            .filter_map(|feature| icon_of(map, feature))
            .collect(),
    );
}

/// The work of [`spread`], compiled once for all its callers' iterators.
fn spread_icons(icons: Vec<(f64, f64, web_sys::HtmlElement)>) {
    let shifts = shifts(&icons.iter().map(|(x, y, _)| (*x, *y)).collect::<Vec<_>>());
    for ((_, _, icon), shift) in icons.iter().zip(shifts) {
        // Leaflet anchors the icon with negative margins; shift from there.
        let _ = icon
            .style()
            .set_property("margin-left", &format!("{}px", shift - HALF_ICON));
    }
}

/// How far each symbol at `points` (px) moves along the line, px: in
/// greedy groups, west to east, a symbol joins the group it is too close
/// to, and a group's symbols stand [`GAP`] apart round their middle. The
/// server's map (`drawn`) fans them out the same way.
pub fn shifts(points: &[(f64, f64)]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for index in order {
        let (x, y) = points[index];
        let near = groups.iter_mut().find(|group| {
            group.iter().any(|&other| {
                let (ox, oy) = points[other];
                (x - ox).hypot(y - oy) < GAP
            })
        });
        match near {
            Some(group) => group.push(index),
            None => groups.push(vec![index]),
        }
    }
    let mut shifts = vec![0.0; points.len()];
    for group in groups {
        #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
        let middle = (group.len() - 1) as f64 / 2.0;
        for (slot, &index) in group.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
            let shift = (slot as f64 - middle) * GAP;
            shifts[index] = shift;
        }
    }
    shifts
}

/// The layer point and element of the icon marker in `layer`, if it has one
/// on the map.
fn icon_of(map: &leaflet::Map, layer: &JsValue) -> Option<(f64, f64, web_sys::HtmlElement)> {
    let layer: &Layer = layer.unchecked_ref();
    layer.members().iter().find_map(|member| {
        // Only markers have an icon, and a position of their own.
        if !js::get(&js::get(&member, "options"), "icon").is_object() {
            return None;
        }
        let member: &Layer = member.unchecked_ref();
        let element = member.element()?.dyn_into::<web_sys::HtmlElement>().ok()?;
        let point = map.lat_lng_to_layer_point(&member.get_lat_lng());
        Some((point.x(), point.y(), element))
    })
}
