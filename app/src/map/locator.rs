//! The locator inset: zoomed in far, a reader loses where on earth the map
//! is. A small map of the countries around the region, in the map's
//! corner, outlines the part the map shows. It is drawn once from the
//! world file the basemap draws anyway (`countries`), as an SVG, and its
//! outline follows every move; it takes no pointer (the map stays
//! whole under it) and is hidden from screen readers (the map's own
//! description says where it is).

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::*;

use super::js;
use super::projection::mercator;

/// The inset's size, px (the style sheet's).
const SIZE: (f64, f64) = (128.0, 108.0);
/// The lon/lat box the inset shows (west, south, east, north): the offline
/// basemap's region and as much again round it, the countries of a story
/// there.
const EXTENT: [f64; 4] = [30.5, 29.25, 46.5, 40.25];
/// From this zoom on, the inset is shown.
pub const FROM_ZOOM: f64 = 9.0;

/// The inset on a map; its listener lives as long as it.
pub struct Locator {
    map: leaflet::Map,
    element: web_sys::Element,
    on_move: Closure<dyn FnMut(JsValue)>,
}

impl Locator {
    /// Draws the countries of the world file's `data` into an inset on
    /// `map`, and keeps its outline on the map's view.
    pub fn new(map: &leaflet::Map, data: &JsValue) -> Option<Self> {
        let document = web_sys::window()?.document()?;
        let element = document.create_element("div").ok()?;
        element.set_class_name("locator");
        element.set_attribute("aria-hidden", "true").ok()?;
        element.set_attribute("hidden", "").ok()?;
        let (width, height) = SIZE;
        element.set_inner_html(&format!(
            r#"<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}"><path class="locator-land" d="{}"/><rect class="locator-view" x="0" y="0" width="0" height="0"/></svg>"#,
            land(data)
        ));
        let container: web_sys::Element = map.get_container().into();
        container.append_child(&element).ok()?;
        let view = element.query_selector(".locator-view").ok()??;
        let follow = {
            let map = map.clone();
            let element = element.clone();
            move || {
                let bounds = map.get_bounds();
                let (west, north) =
                    inset(bounds.get_north_west().lng(), bounds.get_north_west().lat());
                let (east, south) =
                    inset(bounds.get_south_east().lng(), bounds.get_south_east().lat());
                let shown = map.get_zoom() >= FROM_ZOOM;
                let _ = element.toggle_attribute_with_force("hidden", !shown);
                // At least a few px: at zoom 12 the view is a dot.
                let (w, h) = ((east - west).max(4.0), (south - north).max(4.0));
                let centre = (f64::midpoint(west, east), f64::midpoint(north, south));
                for (name, value) in [
                    ("x", centre.0 - w / 2.0),
                    ("y", centre.1 - h / 2.0),
                    ("width", w),
                    ("height", h),
                ] {
                    let _ = view.set_attribute(name, &format!("{value:.1}"));
                }
            }
        };
        follow();
        let on_move = Closure::<dyn FnMut(JsValue)>::new(move |_event| follow());
        map.on("moveend", on_move.as_ref());
        Some(Self {
            map: map.clone(),
            element,
            on_move,
        })
    }

    /// Takes the inset off the map, and its listener.
    pub fn remove(&self) {
        self.map.off("moveend", self.on_move.as_ref());
        self.element.remove();
    }
}

/// Where a lon/lat point is in the inset, px from its top left.
fn inset(lon: f64, lat: f64) -> (f64, f64) {
    let [west, south, east, north] = EXTENT;
    let (left, top) = mercator(west, north);
    let (right, bottom) = mercator(east, south);
    let (x, y) = mercator(lon, lat);
    (
        (x - left) / (right - left) * SIZE.0,
        (y - top) / (bottom - top) * SIZE.1,
    )
}

/// The outlines of the countries of the world file's `data` as one SVG
/// path, in the inset's px, to a tenth of a pixel.
fn land(data: &JsValue) -> String {
    let mut d = String::new();
    for feature in js_sys::Array::from(&js::get(data, "features")).iter() {
        let geometry = js::get(&feature, "geometry");
        let coordinates = js::get(&geometry, "coordinates");
        let polygons = match js::string(&geometry, "type").as_deref() {
            Some("Polygon") => vec![coordinates],
            Some("MultiPolygon") => js_sys::Array::from(&coordinates).iter().collect(),
            _ => continue,
        };
        for polygon in polygons {
            for ring in js_sys::Array::from(&polygon).iter() {
                let points: Vec<(f64, f64)> = js_sys::Array::from(&ring)
                    .iter()
                    .filter_map(|point| {
                        let point: js_sys::Array = point.dyn_into().ok()?;
                        Some(inset(point.get(0).as_f64()?, point.get(1).as_f64()?))
                    })
                    .collect();
                ring_path(&points, &mut d);
            }
        }
    }
    d
}

/// A closed ring as SVG path data, appended to `d`.
fn ring_path(points: &[(f64, f64)], d: &mut String) {
    use std::fmt::Write as _;
    for (index, (x, y)) in points.iter().enumerate() {
        let command = if index == 0 { 'M' } else { 'L' };
        let _ = write!(d, "{command}{x:.1} {y:.1}");
    }
    if !points.is_empty() {
        d.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_insets_corners_are_its_extents_corners() {
        let [west, south, east, north] = EXTENT;
        let (x, y) = inset(west, north);
        assert!(x.abs() < 1e-9 && y.abs() < 1e-9);
        let (x, y) = inset(east, south);
        assert!((x - SIZE.0).abs() < 1e-9 && (y - SIZE.1).abs() < 1e-9);
        // Arsal, in Lebanon, is inside it, towards the west.
        let (x, y) = inset(36.42, 34.18);
        assert!(
            x > 0.0 && x < SIZE.0 / 2.0 && y > 0.0 && y < SIZE.1,
            "{x} {y}"
        );
    }

    #[test]
    fn a_ring_is_a_closed_path() {
        let mut d = String::new();
        ring_path(&[(0.0, 0.0), (10.0, 0.0), (10.0, 5.25)], &mut d);
        assert_eq!(d, "M0.0 0.0L10.0 0.0L10.0 5.2Z");
    }
}
