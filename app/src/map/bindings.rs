//! The Leaflet methods kort calls that the `leaflet` crate does not bind,
//! typed, in one place: a misspelt name is a compile error here, not a
//! call that silently does nothing. Each type is the crate's, seen through
//! `unchecked_ref` (`map.unchecked_ref::<bindings::Map>()`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `L.geoJSON(data, options)`; the `leaflet` crate binds the type but not the factory.
    #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
    pub fn geo_json(data: &JsValue, options: &JsValue) -> leaflet::GeoJson;

    /// `L.circleMarker(latlng, options)`: a circle of a size in pixels.
    #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
    pub fn circle_marker(latlng: &JsValue, options: &JsValue) -> leaflet::Layer;

    /// `L.polyline(latlngs, options)`.
    #[wasm_bindgen(js_namespace = L, js_name = polyline)]
    pub fn polyline(latlngs: &js_sys::Array, options: &JsValue) -> leaflet::Layer;

    /// `L.circle(latlng, options)`: a circle of a size in metres.
    #[wasm_bindgen(js_namespace = L, js_name = circle)]
    pub fn circle(latlng: &JsValue, options: &JsValue) -> leaflet::Layer;

    /// `L.marker(latlng, options)`.
    #[wasm_bindgen(js_namespace = L, js_name = marker)]
    pub fn marker(latlng: &JsValue, options: &JsValue) -> leaflet::Layer;

    /// `L.divIcon(options)`: an icon that is an element of the page.
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    pub fn div_icon(options: &JsValue) -> JsValue;

    /// `L.layerGroup(layers, options)`.
    #[wasm_bindgen(js_namespace = L, js_name = layerGroup)]
    pub fn layer_group(layers: &js_sys::Array, options: &JsValue) -> leaflet::LayerGroup;

    /// `L.featureGroup(layers)`: a group with bounds and shared events.
    #[wasm_bindgen(js_namespace = L, js_name = featureGroup)]
    pub fn feature_group(layers: &js_sys::Array) -> leaflet::Layer;

    /// A `leaflet::Map`, for what the crate leaves out.
    #[wasm_bindgen(extends = leaflet::Map)]
    pub type Map;

    /// `map.getBoundsZoom(bounds)`: the zoom at which `bounds` fill the map.
    #[wasm_bindgen(method, js_name = getBoundsZoom)]
    pub fn get_bounds_zoom(this: &Map, bounds: &leaflet::LatLngBounds) -> f64;

    /// A `leaflet::LatLngBounds`, for what the crate leaves out.
    #[wasm_bindgen(extends = leaflet::LatLngBounds)]
    pub type LatLngBounds;

    /// `bounds.contains(other)`.
    #[wasm_bindgen(method, js_name = contains)]
    pub fn contains_bounds(this: &LatLngBounds, other: &leaflet::LatLngBounds) -> bool;

    /// `bounds.pad(ratio)`: grown by `ratio` of their size on every side.
    #[wasm_bindgen(method)]
    pub fn pad(this: &LatLngBounds, ratio: f64) -> LatLngBounds;

    #[wasm_bindgen(method, js_name = getWest)]
    pub fn get_west(this: &LatLngBounds) -> f64;

    #[wasm_bindgen(method, js_name = getSouth)]
    pub fn get_south(this: &LatLngBounds) -> f64;

    #[wasm_bindgen(method, js_name = getEast)]
    pub fn get_east(this: &LatLngBounds) -> f64;

    #[wasm_bindgen(method, js_name = getNorth)]
    pub fn get_north(this: &LatLngBounds) -> f64;

    /// A `leaflet::LatLng`, for what the crate leaves out.
    #[wasm_bindgen(extends = leaflet::LatLng)]
    pub type LatLng;

    /// `latlng.toBounds(metres)`: a square of that size around the point.
    #[wasm_bindgen(method, js_name = toBounds)]
    pub fn to_bounds(this: &LatLng, size_in_metres: f64) -> leaflet::LatLngBounds;

    /// Any Leaflet layer, for the methods only some kinds have: each is
    /// `undefined` (not a function) on the others, so call them through
    /// [`Layer::has`] first.
    #[wasm_bindgen(extends = leaflet::Layer)]
    pub type Layer;

    /// A marker's or an SVG path's element on the page.
    #[wasm_bindgen(method, js_name = getElement)]
    pub fn get_element(this: &Layer) -> JsValue;

    /// A group's members (`LayerGroup`, `FeatureGroup`, `GeoJSON`).
    #[wasm_bindgen(method, js_name = getLayers)]
    pub fn get_layers(this: &Layer) -> js_sys::Array;

    /// A path's or a feature group's bounds. Throws for a circle that is
    /// not on a map (it measures itself in the map's pixels), and so for a
    /// group that holds one, such as a point with its halo hidden in time.
    #[wasm_bindgen(method, catch, js_name = getBounds)]
    pub fn get_bounds(this: &Layer) -> Result<leaflet::LatLngBounds, JsValue>;

    /// A marker's position.
    #[wasm_bindgen(method, js_name = getLatLng)]
    pub fn get_lat_lng(this: &Layer) -> leaflet::LatLng;

    /// Draws a path (or a group's paths) above the others.
    #[wasm_bindgen(method, js_name = bringToFront)]
    pub fn bring_to_front(this: &Layer);

    /// Restyles a path (or a group's paths).
    #[wasm_bindgen(method, js_name = setStyle)]
    pub fn set_style(this: &Layer, style: &JsValue);

    /// Names the layer on hover and focus (`layer.bindTooltip(content,
    /// options)`); the content is text, or a function of the layer.
    #[wasm_bindgen(method, js_name = bindTooltip)]
    pub fn bind_tooltip(this: &Layer, content: &JsValue, options: &JsValue);

    /// `L.LineUtil.isFlat(latlngs)`: whether a line's points are one list.
    #[wasm_bindgen(js_namespace = ["L", "LineUtil"], js_name = isFlat)]
    pub fn is_flat(latlngs: &JsValue) -> bool;

    /// `L.LineUtil.polylineCenter(latlngs, crs)`: the point halfway along a
    /// line; throws for a line without points.
    #[wasm_bindgen(catch, js_namespace = ["L", "LineUtil"], js_name = polylineCenter)]
    pub fn polyline_center(latlngs: &JsValue, crs: &JsValue) -> Result<leaflet::LatLng, JsValue>;
}

impl Layer {
    /// Whether this kind of layer has the method `name` (see [`Layer`]).
    pub fn has(&self, name: &str) -> bool {
        super::js::get(self, name).is_function()
    }

    /// A group's members, or the layer itself if it is not a group.
    pub fn members(&self) -> js_sys::Array {
        if self.has("getLayers") {
            self.get_layers()
        } else {
            js_sys::Array::of1(self)
        }
    }

    /// The element on the page of a marker (HTML) or a path (SVG), if it
    /// has one.
    pub fn element(&self) -> Option<web_sys::Element> {
        use wasm_bindgen::JsCast;
        self.has("getElement")
            .then(|| self.get_element())
            .and_then(|element| element.dyn_into().ok())
    }
}
