//! Populated places from GeoNames as basemap labels: bigger places first,
//! smaller ones as the reader zooms in; English names with the Arabic name
//! beneath, marked up as Arabic, right to left.
//!
//! A label is a marker with the name as its icon, not a permanent tooltip:
//! Leaflet places a tooltip by measuring it, which forces a layout of the
//! whole page per label (about 2 ms each, 50 ms for the opening view's
//! labels); a marker is placed by a transform, and the CSS sets the name
//! beside its dot.

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::*;

use super::bindings::{circle_marker, div_icon, layer_group, marker};
use super::js;
use super::style::PathStyle;

/// A place's dot.
pub const DOT: PathStyle<'static> = PathStyle {
    color: "#6b6358",
    weight: 1.0,
    opacity: 1.0,
    dash: None,
    fill: Some(("#ffffff", 1.0)),
    radius: Some(2.5),
};

/// The smallest population labelled at a zoom level.
pub fn min_population(zoom: f64) -> f64 {
    match zoom {
        z if z < 7.0 => 1_000_000.0,
        z if z < 8.0 => 250_000.0,
        z if z < 9.0 => 60_000.0,
        z if z < 10.0 => 25_000.0,
        _ => 0.0,
    }
}

/// The labels on the map, shown or hidden as the zoom changes.
pub struct PlaceLabels {
    group: leaflet::LayerGroup,
    _on_zoom: Closure<dyn FnMut(JsValue)>,
}

/// A named place, drawn the first time its zoom shows it: most of the
/// places are never shown at the zooms a reader uses.
struct Place {
    population: f64,
    feature: JsValue,
    drawn: Option<leaflet::Layer>,
}

impl PlaceLabels {
    /// Adds the places in `data` (a FeatureCollection with `name`, `name_ar`
    /// and `population`) to the map. (The basemap credits their source.)
    ///
    /// The file lists the biggest places first (`cargo xtask basemap`), and
    /// labels are added in its order; a zoom adds only places smaller than
    /// every one shown. So the names stand on the map biggest first, the
    /// order in which `declutter` keeps them where they would collide.
    pub fn new(map: &leaflet::Map, data: &JsValue) -> Self {
        let mut places: Vec<Place> = js_sys::Array::from(&js::get(data, "features"))
            .iter()
            .filter_map(|feature| {
                let properties = js::get(&feature, "properties");
                // Names are copied into the bundle's memory only for the
                // places drawn (`label`): a few of the file's hundreds.
                js::get(&properties, "name").is_string().then(|| Place {
                    population: js::number(&properties, "population").unwrap_or(0.0),
                    feature,
                    drawn: None,
                })
            })
            .collect();
        let group = layer_group(&js_sys::Array::new(), &JsValue::UNDEFINED);
        group.add_to(map);
        let mut update = {
            let group = group.clone();
            let map = map.clone();
            move || {
                let threshold = min_population(map.get_zoom());
                for place in &mut places {
                    let wanted = place.population >= threshold;
                    if wanted && place.drawn.is_none() {
                        place.drawn = label(&place.feature);
                    }
                    let Some(layer) = &place.drawn else { continue };
                    let shown = group.has_layer(layer);
                    if wanted && !shown {
                        group.add_layer(layer);
                    } else if !wanted && shown {
                        group.remove_layer(layer);
                    }
                }
            }
        };
        update();
        let on_zoom = Closure::<dyn FnMut(JsValue)>::new(move |_event| update());
        map.on("zoomend", on_zoom.as_ref());
        Self {
            group,
            _on_zoom: on_zoom,
        }
    }

    pub fn remove(&self) {
        self.group.remove();
    }
}

/// A place's dot with its name beside it.
fn label(feature: &JsValue) -> Option<leaflet::Layer> {
    let properties = js::get(feature, "properties");
    let name = js::string(&properties, "name")?;
    let at = point_of(feature)?;
    let dot = circle_marker(&at, &DOT.to_js_with(&[("interactive", JsValue::FALSE)]));
    let content = label_content(&name, js::string(&properties, "name_ar").as_deref())?;
    let name = name_marker(&at, "basemap-label basemap-place", content);
    let both = js_sys::Array::of2(dot.as_ref(), name.as_ref());
    Some(layer_group(&both, &JsValue::UNDEFINED).into())
}

/// The position of a GeoJSON Point feature, as a Leaflet `LatLng`.
pub(super) fn point_of(feature: &JsValue) -> Option<JsValue> {
    let coordinates = js_sys::Array::from(&js::get(&js::get(feature, "geometry"), "coordinates"));
    Some(leaflet::LatLng::new(coordinates.get(1).as_f64()?, coordinates.get(0).as_f64()?).into())
}

/// A name shown at `at`: a marker whose icon is `content`, in elements of
/// `class`, for the CSS to set beside the place's symbol. Not clickable,
/// not focusable, above the story's symbols (in the tooltip pane).
pub(super) fn name_marker(at: &JsValue, class: &str, content: web_sys::Element) -> leaflet::Layer {
    // No size: the icon is a point on the place, its name laid out by the CSS.
    let icon = div_icon(
        &js::object(&[
            ("className", class.into()),
            ("html", content.into()),
            ("iconSize", JsValue::NULL),
        ])
        .into(),
    );
    marker(
        at,
        &js::object(&[
            ("icon", icon),
            ("interactive", JsValue::FALSE),
            ("keyboard", JsValue::FALSE),
            ("pane", "tooltipPane".into()),
        ])
        .into(),
    )
}

/// A label: the English name, with the Arabic name beneath it marked up as
/// Arabic, right to left. Built as DOM text, never as HTML: names come from data.
pub fn label_content(name: &str, arabic: Option<&str>) -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    let content = document.create_element("span").ok()?;
    // A story's name may be written either way.
    content.set_attribute("dir", "auto").ok()?;
    content.set_text_content(Some(name));
    if let Some(arabic) = arabic.filter(|n| !n.is_empty()) {
        let line = document.create_element("span").ok()?;
        line.set_class_name("label-ar");
        line.set_attribute("lang", "ar").ok()?;
        line.set_attribute("dir", "rtl").ok()?;
        line.set_text_content(Some(arabic));
        content.append_child(&line).ok()?;
    }
    Some(content)
}
