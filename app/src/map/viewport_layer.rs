//! A large story layer (see `model::VIEWPORT_LAYER_MIN`), drawn from the
//! part in view: after every move the layer asks the server for the box on
//! screen at the current zoom and redraws. Points come clustered below the
//! closest zoom, lines simplified; everything is drawn on one canvas (one
//! element for thousands of shapes, where SVG would make one each).
//!
//! Features here are clickable with a pointer; the keyboard reaches them
//! through the feature list, which names every feature the article
//! mentions.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::bindings::{self, circle_marker, geo_json, layer_group};
use super::js;
use super::layer::{Drawing, Follows, LayerSource, Motion, keep_in_view};
use crate::date::TimeFilter;
use crate::model::{MapProperties, Symbol};

#[wasm_bindgen]
extern "C" {
    /// `L.canvas(options)`: a renderer that draws paths on one canvas.
    #[wasm_bindgen(js_namespace = L, js_name = canvas)]
    fn canvas(options: &JsValue) -> JsValue;

    /// `L.svg(options)`: the SVG renderer.
    #[wasm_bindgen(js_namespace = L, js_name = svg)]
    fn svg(options: &JsValue) -> JsValue;
}

/// Drawn beyond each edge of the screen, as a share of its size, so a
/// short pan does not show empty map while the next part loads.
const PAD: f64 = 0.25;

/// The map pane of large layers' lines and areas: above the basemap and
/// the other story layers (Leaflet's overlay pane, z-index 400), below
/// markers (600).
const PANE: &str = "kort-large";
/// The pane of large layers' points, above their lines.
const POINT_PANE: &str = "kort-large-points";
/// The pane of the selected feature of a large layer, above them.
const SELECTED_PANE: &str = "kort-large-selected";

/// The pane `name` of the map, made with `z_index` if it is not there yet.
fn pane(map: &leaflet::Map, name: &str, z_index: &str) {
    if map.get_pane_by_name(name).is_object() {
        return;
    }
    let _ = map
        .create_pane_by_name(name)
        .style()
        .set_property("z-index", z_index);
}

/// A Leaflet event listener.
type Listener = Closure<dyn FnMut(JsValue)>;

/// The layer on the map and what it needs to redraw.
pub struct Drawn {
    map: leaflet::Map,
    url: String,
    symbol: Symbol,
    color: String,
    /// What is drawn now.
    group: leaflet::LayerGroup,
    /// The selected feature, drawn over everything (it may be inside a
    /// cluster at this zoom).
    highlight: leaflet::LayerGroup,
    /// `&at=…` or `&range=…`, or nothing.
    time: RefCell<String>,
    /// Each load's number: an answer that arrives after a newer request's
    /// is dropped.
    loads: Cell<u32>,
    /// The selection's number, likewise.
    finds: Cell<u32>,
    /// The selected feature's id, if any (it may not be this layer's).
    selected: RefCell<Option<String>>,
    on_moveend: RefCell<Option<Listener>>,
    /// Draws the layer: one canvas for all of it.
    renderer: JsValue,
    /// Draws the selected feature: in SVG, above the canvas.
    selected_renderer: JsValue,
    // Leaflet calls these while the layer lives.
    style: Closure<dyn FnMut(JsValue) -> JsValue>,
    point: Closure<dyn FnMut(JsValue, JsValue) -> JsValue>,
    tooltip: Closure<dyn FnMut(JsValue) -> JsValue>,
    click: Closure<dyn FnMut(JsValue)>,
}

impl Drawn {
    /// Draws the part in view, with the reader's state as the page opened.
    pub async fn draw(
        map: leaflet::Map,
        source: LayerSource,
        follows: Follows,
    ) -> Result<Rc<Self>, String> {
        let layer = Rc::new(Self::new(
            map,
            source.url,
            source.symbol,
            source.color,
            follows.on_select,
        ));
        layer.set_query(follows.time.get_untracked());
        layer.put(follows.visible.get_untracked());
        // Found while the part in view loads.
        let selected = follows.selected.get_untracked();
        layer.select(selected.as_deref(), follows.opening_motion());
        layer.load().await;
        Ok(layer)
    }

    fn new(
        map: leaflet::Map,
        url: String,
        symbol: Symbol,
        color: String,
        on_select: Callback<String>,
    ) -> Self {
        let own_pane = if matches!(symbol, Symbol::Strike | Symbol::Place) {
            pane(&map, POINT_PANE, "455");
            POINT_PANE
        } else {
            pane(&map, PANE, "450");
            PANE
        };
        pane(&map, SELECTED_PANE, "460");
        let renderer = canvas(
            &js::object(&[
                ("padding", JsValue::from_f64(PAD)),
                ("pane", own_pane.into()),
            ])
            .into(),
        );
        let style = {
            let color = color.clone();
            Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |_feature: JsValue| {
                super::style::path(symbol, &color, false, false)
            })
        };
        let point = {
            let (color, renderer) = (color.clone(), renderer.clone());
            Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
                move |feature: JsValue, latlng: JsValue| {
                    let count = js::number(&js::get(&feature, "properties"), "count");
                    let options = js::object(&[
                        ("renderer", renderer.clone()),
                        // Clusters grow with the log of their count.
                        (
                            "radius",
                            count.map_or(7.0, |n| 12.0 + 4.0 * n.log10()).into(),
                        ),
                        ("color", "#ffffff".into()),
                        ("weight", JsValue::from_f64(1.5)),
                        ("fillColor", color.as_str().into()),
                        ("fillOpacity", JsValue::from_f64(0.85)),
                    ]);
                    circle_marker(&latlng, &options.into()).into()
                },
            )
        };
        let texts = crate::i18n::use_texts();
        let tooltip = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |layer: JsValue| {
            let properties = js::get(&js::get(&layer, "feature"), "properties");
            match js::number(&properties, "count") {
                Some(count) => (texts.cluster_label)(count),
                None => MapProperties::title_of(&js::get(&layer, "feature")).unwrap_or_default(),
            }
            .into()
        });
        let click = {
            let map = map.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let layer = js::get(&event, "propagatedFrom");
                let feature = js::get(&layer, "feature");
                let properties = js::get(&feature, "properties");
                if js::number(&properties, "count").is_some() {
                    // A cluster opens where its members are.
                    let bbox = js::get(&properties, "bbox");
                    let at = |i: u32| {
                        js_sys::Reflect::get_u32(&bbox, i)
                            .ok()
                            .and_then(|v| v.as_f64())
                    };
                    if let (Some(w), Some(s), Some(e), Some(n)) = (at(0), at(1), at(2), at(3)) {
                        let bounds = leaflet::LatLngBounds::new(
                            &leaflet::LatLng::new(s, w),
                            &leaflet::LatLng::new(n, e),
                        );
                        let options = js::object(&[(
                            "padding",
                            js_sys::Array::of2(&40.into(), &40.into()).into(),
                        )]);
                        map.fit_bounds_with_options(&bounds, &options);
                    }
                } else if let Some(id) = js::string(&feature, "id") {
                    on_select.run(id);
                }
            })
        };
        Self {
            group: layer_group(&js_sys::Array::new(), &JsValue::UNDEFINED),
            highlight: layer_group(&js_sys::Array::new(), &JsValue::UNDEFINED),
            map,
            url,
            symbol,
            color,
            time: RefCell::default(),
            loads: Cell::new(0),
            finds: Cell::new(0),
            selected: RefCell::default(),
            on_moveend: RefCell::default(),
            renderer,
            selected_renderer: svg(&js::object(&[("pane", SELECTED_PANE.into())]).into()),
            style,
            point,
            tooltip,
            click,
        }
    }

    /// Sets the time's part of the query; `true` if it changed.
    fn set_query(&self, time: Option<TimeFilter>) -> bool {
        let query = time
            .map(|time| format!("&{}", time.query()))
            .unwrap_or_default();
        self.time.replace(query.clone()) != query
    }

    /// Puts the layer on the map (redrawing after each move) or takes it
    /// off. It draws what it last loaded until it loads again.
    fn put(self: &Rc<Self>, visible: bool) {
        let on_map = self.map.has_layer(&self.group);
        if visible && !on_map {
            self.group.add_to(&self.map);
            self.highlight.add_to(&self.map);
            let weak = Rc::downgrade(self);
            let on_moveend = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
                if let Some(layer) = weak.upgrade() {
                    layer.reload();
                }
            });
            self.map.on("moveend", on_moveend.as_ref());
            *self.on_moveend.borrow_mut() = Some(on_moveend);
        } else if !visible && on_map {
            self.group.remove();
            self.highlight.remove();
            if let Some(on_moveend) = self.on_moveend.borrow_mut().take() {
                self.map.off("moveend", on_moveend.as_ref());
            }
        }
    }

    fn reload(self: &Rc<Self>) {
        if !self.map.has_layer(&self.group) {
            return;
        }
        let layer = Rc::clone(self);
        leptos::task::spawn_local(async move { layer.load().await });
    }

    /// Asks for the part in view and draws it.
    async fn load(&self) {
        let bounds = self
            .map
            .get_bounds()
            .unchecked_ref::<bindings::LatLngBounds>()
            .pad(PAD);
        let zoom = self.map.get_zoom().round().max(0.0);
        let url = format!(
            "{}?bbox={:.4},{:.4},{:.4},{:.4}&zoom={zoom}{}",
            self.url,
            bounds.get_west().clamp(-180.0, 180.0),
            bounds.get_south().clamp(-90.0, 90.0),
            bounds.get_east().clamp(-180.0, 180.0),
            bounds.get_north().clamp(-90.0, 90.0),
            self.time.borrow(),
        );
        let number = self.loads.get().wrapping_add(1);
        self.loads.set(number);
        match js::fetch_json(&url).await {
            Ok(data) if self.loads.get() == number => self.replace_with(&data),
            Ok(_) => {}
            Err(error) => leptos::logging::error!("cannot draw layer: {error}"),
        }
    }

    /// Replaces what is drawn with the FeatureCollection `data`.
    fn replace_with(&self, data: &JsValue) {
        self.group.clear_layers();
        let drawn = geo_json(data, &self.options().into());
        drawn.unchecked_ref::<bindings::Layer>().bind_tooltip(
            self.tooltip.as_ref(),
            &js::object(&[("direction", "top".into()), ("sticky", JsValue::TRUE)]),
        );
        drawn.on("click", self.click.as_ref());
        self.group.add_layer(&drawn);
    }

    fn options(&self) -> js_sys::Object {
        // Lines and areas take their renderer from these options.
        js::object(&[
            ("renderer", self.renderer.clone()),
            ("style", self.style.as_ref().clone()),
            ("pointToLayer", self.point.as_ref().clone()),
        ])
    }

    /// Draws the selected feature over the layer and brings it into view
    /// as `motion` says, if it is this layer's (the server says; a large
    /// layer's ids are not all on the page).
    fn find(self: &Rc<Self>, id: Option<String>, motion: Motion) {
        self.highlight.clear_layers();
        let number = self.finds.get().wrapping_add(1);
        self.finds.set(number);
        let Some(id) = id else { return };
        let layer = Rc::clone(self);
        leptos::task::spawn_local(async move {
            // Ids are lowercase letters, digits and `-`: nothing to escape.
            let url = format!("{}?id={id}", layer.url);
            let Ok(data) = js::fetch_json(&url).await else {
                return;
            };
            let found = js_sys::Array::from(&js::get(&data, "features")).length() > 0;
            if !found || layer.finds.get() != number {
                return;
            }
            let style = super::style::path(layer.symbol, &layer.color, true, false);
            let _ = js_sys::Reflect::set(&style, &"interactive".into(), &JsValue::FALSE);
            let _ = js_sys::Reflect::set(&style, &"renderer".into(), &layer.selected_renderer);
            let options = js::object(&[
                ("style", style.clone()),
                ("renderer", layer.selected_renderer.clone()),
            ]);
            let point = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
                move |_feature: JsValue, latlng: JsValue| circle_marker(&latlng, &style).into(),
            );
            let _ = js_sys::Reflect::set(&options, &"pointToLayer".into(), point.as_ref());
            let shape = geo_json(&data, &options.into());
            // The closure is called while the shape is built, and not after.
            drop(point);
            let bounds = shape.unchecked_ref::<bindings::Layer>().get_bounds();
            layer.highlight.add_layer(&shape);
            if let Ok(bounds) = bounds {
                keep_in_view(&layer.map, &bounds, motion);
            }
        });
    }
}

impl Drawing for Rc<Drawn> {
    fn show(&self, visible: bool) {
        let on_map = self.map.has_layer(&self.group);
        self.put(visible);
        if visible && !on_map {
            // What is in view now, not when the layer was hidden.
            self.reload();
        }
    }

    fn select(&self, id: Option<&str>, motion: Motion) {
        // Already found, or being found.
        if self.selected.borrow().as_deref() == id {
            return;
        }
        *self.selected.borrow_mut() = id.map(str::to_owned);
        self.find(id.map(str::to_owned), motion);
    }

    fn set_time(&self, time: Option<TimeFilter>) {
        if self.set_query(time) {
            self.reload();
        }
    }

    fn remove(&self) {
        self.put(false);
    }
}
