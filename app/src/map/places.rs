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

/// A place's dot's class (the dark scheme's style sheet colours it).
pub const DOT_CLASS: &str = "basemap-dot";

/// The zoom a place of `population` is labelled from: the millions at
/// every zoom, smaller places as the reader zooms in.
pub fn shown_from(population: f64) -> f64 {
    const FROM: [(f64, f64); 5] = [
        (1_000_000.0, 0.0),
        (250_000.0, 7.0),
        (60_000.0, 8.0),
        (25_000.0, 9.0),
        (0.0, 10.0),
    ];
    FROM.iter()
        .find(|(least, _)| population >= *least)
        .map_or(10.0, |(_, zoom)| *zoom)
}

/// The places of `data` (a FeatureCollection with `name`, `name_ar` and
/// `population`) as labels on `map`, each from the zoom its size is
/// shown at. (The basemap credits their source.) The file lists the
/// biggest places first (`cargo xtask basemap`), the order in which
/// `declutter` keeps them where they would collide.
pub fn labels(map: &leaflet::Map, data: &JsValue) -> ZoomedLabels {
    let places = js_sys::Array::from(&js::get(data, "features"))
        .iter()
        .filter_map(|feature| {
            let properties = js::get(&feature, "properties");
            js::get(&properties, "name").is_string().then(|| {
                let population = js::number(&properties, "population").unwrap_or(0.0);
                (shown_from(population), feature)
            })
        })
        .collect();
    ZoomedLabels::new(map, places, Box::new(label))
}

/// How a label is drawn from its feature (`None`: it cannot be).
pub type Draw = Box<dyn Fn(&JsValue) -> Option<leaflet::Layer>>;

/// Labels on the map, each shown from its zoom on.
pub struct ZoomedLabels {
    map: leaflet::Map,
    group: leaflet::LayerGroup,
    on_zoom: Closure<dyn FnMut(JsValue)>,
}

/// A label, drawn the first time its zoom shows it: most of the places
/// are never shown at the zooms a reader uses.
struct Zoomed {
    from: f64,
    feature: JsValue,
    drawn: Option<leaflet::Layer>,
}

impl ZoomedLabels {
    /// Adds to `map` each feature of `features` as `draw` draws it, shown
    /// from the zoom paired with it on. Labels are added in the list's
    /// order; a zoom in adds only labels after every one shown, so labels
    /// stand on the map in the list's order, the order in which `declutter`
    /// keeps them where they would collide.
    pub fn new(map: &leaflet::Map, features: Vec<(f64, JsValue)>, draw: Draw) -> Self {
        // Names are copied into the bundle's memory only for the labels
        // drawn: a few of the file's hundreds.
        let mut labels: Vec<Zoomed> = features
            .into_iter()
            .map(|(from, feature)| Zoomed {
                from,
                feature,
                drawn: None,
            })
            .collect();
        let group = layer_group(&js_sys::Array::new(), &JsValue::UNDEFINED);
        group.add_to(map);
        let mut update = {
            let group = group.clone();
            let map = map.clone();
            move || {
                let zoom = map.get_zoom();
                for label in &mut labels {
                    let wanted = zoom >= label.from;
                    if wanted && label.drawn.is_none() {
                        label.drawn = draw(&label.feature);
                    }
                    let Some(layer) = &label.drawn else { continue };
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
            map: map.clone(),
            group,
            on_zoom,
        }
    }

    /// Takes the labels off the map, and their listener: it is not called
    /// once they are dropped.
    pub fn remove(&self) {
        self.map.off("zoomend", self.on_zoom.as_ref());
        self.group.remove();
    }
}

/// A place's dot with its name beside it.
fn label(feature: &JsValue) -> Option<leaflet::Layer> {
    let properties = js::get(feature, "properties");
    let name = js::string(&properties, "name")?;
    let at = point_of(feature)?;
    let dot = circle_marker(
        &at,
        &DOT.to_js_with(&[
            ("interactive", JsValue::FALSE),
            ("className", DOT_CLASS.into()),
        ]),
    );
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
