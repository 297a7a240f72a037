//! The offline basemap: Natural Earth land, lakes and borders and GSHHG
//! rivers, simplified at build time (`cargo xtask basemap`) and served as
//! static GeoJSON from `/basemap/`. No tile server is needed.

use leptos::prelude::*;
use leptos_leaflet::prelude::use_leaflet_context;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast as _, JsValue};

use super::bindings::{geo_json, layer_group};
use super::js::{self, object};
use super::locator::Locator;
use super::places::{ZoomedLabels, label_content, name_marker};
use super::style::PathStyle;

const NATURAL_EARTH: &str = r#"<a href="https://www.naturalearthdata.com/">Natural Earth</a>"#;
const GSHHG: &str = r#"<a href="https://www.soest.hawaii.edu/pwessel/gshhg/">GSHHG</a> (LGPL-3.0)"#;
const GEONAMES: &str = r#"<a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)"#;

/// A basemap layer: file name under `/basemap/`, style, attribution.
pub struct Part {
    pub file: &'static str,
    fill: Option<&'static str>,
    stroke: &'static str,
    weight: f64,
    dash: Option<&'static str>,
    attribution: &'static str,
    /// Whether features with a `name` are labelled (the major rivers).
    pub named: bool,
}

impl Part {
    /// The class of its shapes, here and on the server's map: `basemap-land`, …
    pub fn class(&self) -> String {
        format!("basemap-{}", self.file.trim_end_matches(".geojson"))
    }

    /// How the part is drawn, here and on the server's map (`drawn`).
    pub fn style(&self) -> PathStyle<'static> {
        PathStyle {
            color: self.stroke,
            weight: self.weight,
            opacity: 1.0,
            dash: self.dash,
            fill: self.fill.map(|fill| (fill, 1.0)),
            radius: None,
        }
    }
}

/// The land's colour on the offline basemap.
pub const LAND: &str = "#f4f1ea";
/// The sea's: the map's background (`--sea` in the style sheet, light scheme).
pub const SEA: &str = "#c6dcea";

/// The region the offline basemap covers (its clip box): where the desk's
/// map opens for a story that has no view yet.
pub const REGION: crate::model::View = crate::model::View {
    west: 34.5,
    south: 32.0,
    east: 42.5,
    north: 37.5,
};

/// The countries' file: their land, and their names (`countries`).
pub const WORLD: &str = "world.geojson";

/// Drawn bottom to top.
pub const PARTS: &[Part] = &[
    // The countries around the region at 1:110m, so that beyond the
    // regional detail's clip box land is land (Iraq and Jordan are not
    // sea), with faint borders; the regional land covers them inside it.
    Part {
        file: WORLD,
        fill: Some(LAND),
        stroke: "#cfc7b8",
        weight: 0.8,
        dash: None,
        attribution: NATURAL_EARTH,
        named: false,
    },
    Part {
        file: "land.geojson",
        fill: Some(LAND),
        stroke: LAND,
        weight: 0.0,
        dash: None,
        attribution: NATURAL_EARTH,
        named: false,
    },
    Part {
        file: "lakes.geojson",
        fill: Some("#c6dcea"),
        stroke: "#7fa8c7",
        weight: 0.5,
        dash: None,
        attribution: NATURAL_EARTH,
        named: false,
    },
    Part {
        file: "rivers.geojson",
        fill: None,
        stroke: "#7fa8c7",
        weight: 1.2,
        dash: None,
        attribution: GSHHG,
        named: true,
    },
    Part {
        file: "admin1-lines.geojson",
        fill: None,
        stroke: "#b9b2a6",
        weight: 0.8,
        dash: Some("3 3"),
        attribution: NATURAL_EARTH,
        named: false,
    },
    Part {
        file: "borders.geojson",
        fill: None,
        stroke: "#6b6358",
        weight: 1.5,
        dash: None,
        attribution: NATURAL_EARTH,
        named: false,
    },
];

/// How many files the basemap draws (its parts and its places).
pub const FILE_COUNT: usize = PARTS.len() + 1;

/// The basemap's files, as the map fetches them.
pub fn files() -> impl Iterator<Item = String> {
    PARTS.iter().map(|part| part.file).chain([PLACES]).map(url)
}

/// Where the map fetches a basemap file.
fn url(file: &str) -> String {
    format!("/basemap/{file}")
}

/// The place names' file.
pub const PLACES: &str = "places.geojson";

/// Draws the basemap under the story layers; `on_ready` is run as each of
/// its files is drawn (or could not be).
#[component]
pub fn Basemap(#[prop(optional)] on_ready: Option<Callback<()>>) -> impl IntoView {
    let on_ready = move || {
        if let Some(on_ready) = on_ready {
            on_ready.run(());
        }
    };
    let layers: StoredValue<Vec<leaflet::Layer>, LocalStorage> = StoredValue::new_local(Vec::new());
    // Places' and countries' names, as their files arrive.
    let labels: StoredValue<Vec<ZoomedLabels>, LocalStorage> = StoredValue::new_local(Vec::new());
    let lang = crate::i18n::use_lang();
    let locator: StoredValue<Option<Locator>, LocalStorage> = StoredValue::new_local(None);
    if let Some(context) = use_leaflet_context() {
        Effect::new(move |_| {
            let Some(map) = context.map() else { return };
            if !layers.with_value(Vec::is_empty) {
                return;
            }
            // Each source is credited once, by an empty layer. (On the
            // GeoJSON layers, the credit would be copied to every feature,
            // and Leaflet rewrites the attribution control for each one.)
            // All at once, before any file arrives: a credit added later
            // could wrap the control onto another line and move the zoom
            // buttons above it.
            let mut credited: Vec<&str> = Vec::new();
            for attribution in PARTS.iter().map(|part| part.attribution).chain([GEONAMES]) {
                if !credited.contains(&attribution) {
                    credited.push(attribution);
                    let credit = layer_group(
                        &js_sys::Array::new(),
                        &object(&[("attribution", attribution.into())]).into(),
                    );
                    credit.add_to(&map);
                    layers.update_value(|all| all.push(credit.into()));
                }
            }
            for part in PARTS {
                // An empty placeholder keeps the stacking order while files arrive.
                let style = part.style().to_js_with(&[
                    ("interactive", JsValue::FALSE),
                    ("className", part.class().into()),
                ]);
                let mut options = vec![("style", style), ("interactive", JsValue::FALSE)];
                if part.named {
                    let names = layer_group(&js_sys::Array::new(), &JsValue::UNDEFINED);
                    names.add_to(&map);
                    options.push(("onEachFeature", name_label(names.clone())));
                    layers.update_value(|all| all.push(names.into()));
                }
                let layer = geo_json(&JsValue::NULL, &object(&options).into());
                layer.add_to(&map);
                layers.update_value(|all| all.push(layer.clone().into()));
                let map = map.clone();
                leptos::task::spawn_local(async move {
                    match js::fetch_json(&url(part.file)).await {
                        Ok(data) => {
                            layer.add_data(&data);
                            if part.file == WORLD {
                                let countries = super::countries::labels(&map, &data, lang);
                                labels.update_value(|all| all.push(countries));
                                locator.set_value(Locator::new(&map, &data));
                            }
                        }
                        Err(error) => leptos::logging::error!("basemap: {error}"),
                    }
                    on_ready();
                });
            }
            leptos::task::spawn_local(async move {
                match js::fetch_json(&url(PLACES)).await {
                    Ok(data) => {
                        let places = super::places::labels(&map, &data);
                        labels.update_value(|all| all.push(places));
                    }
                    Err(error) => leptos::logging::error!("basemap: {error}"),
                }
                on_ready();
            });
        });
    }
    on_cleanup(move || {
        labels.with_value(|labels| labels.iter().for_each(ZoomedLabels::remove));
        locator.with_value(|locator| locator.iter().for_each(Locator::remove));
        layers.update_value(|all| {
            for layer in all.drain(..) {
                layer.remove();
            }
        });
    });
}

/// Leaflet's `onEachFeature` that labels named features (the major rivers)
/// in `names`, halfway along the line, as Leaflet would place a tooltip.
/// The label is a marker, not a permanent tooltip, which Leaflet would
/// measure, laying the page out again (see `places`). Leaflet owns the
/// function from then on, for as long as the layer lives.
fn name_label(names: leaflet::LayerGroup) -> JsValue {
    let label =
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |feature: JsValue, layer: JsValue| {
            let properties = js::get(&feature, "properties");
            let Some(name) = js::string(&properties, "name") else {
                return;
            };
            let Some(content) = label_content(&name, js::string(&properties, "name_ar").as_deref())
            else {
                return;
            };
            let Some(at) = line_center(&layer) else {
                return;
            };
            let marker = name_marker(&at, "basemap-label river-label", content);
            names.add_layer(&marker);
        });
    label.into_js_value()
}

/// The point halfway along a line (the first part of a multi-line), by
/// Leaflet's own reckoning in the map's projection; `None` for an empty line.
fn line_center(line: &JsValue) -> Option<JsValue> {
    let line: &leaflet::Polyline = line.unchecked_ref();
    let mut latlngs: JsValue = line.get_lat_lngs().into();
    if !super::bindings::is_flat(&latlngs) {
        latlngs = js_sys::Array::from(&latlngs).get(0);
    }
    let crs = js::get(
        &js::get(&js::get(&web_sys::window()?.into(), "L"), "CRS"),
        "EPSG3857",
    );
    super::bindings::polyline_center(&latlngs, &crs)
        .ok()
        .map(Into::into)
}
