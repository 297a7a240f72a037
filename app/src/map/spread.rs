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
fn spread_icons(mut icons: Vec<(f64, f64, web_sys::HtmlElement)>) {
    icons.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Greedy groups, west to east: an icon joins the group it is too close to.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, (x, y, _)) in icons.iter().enumerate() {
        let near = groups.iter_mut().find(|group| {
            group.iter().any(|&other| {
                let (ox, oy, _) = &icons[other];
                (x - ox).hypot(y - oy) < GAP
            })
        });
        match near {
            Some(group) => group.push(index),
            None => groups.push(vec![index]),
        }
    }
    for group in groups {
        #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
        let middle = (group.len() - 1) as f64 / 2.0;
        for (slot, &index) in group.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
            let shift = (slot as f64 - middle) * GAP;
            let style = icons[index].2.style();
            // Leaflet anchors the icon with negative margins; shift from there.
            let _ = style.set_property("margin-left", &format!("{}px", shift - HALF_ICON));
        }
    }
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
