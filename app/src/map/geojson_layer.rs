//! A small story layer (see `model::VIEWPORT_LAYER_MIN`), fetched whole
//! and drawn in SVG: every feature is an element with its id, named for
//! assistive technology and reached by the keyboard.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::bindings::{
    self, Layer, circle, circle_marker, div_icon, feature_group, geo_json, layer_group, marker,
};
use super::js;
use super::layer::{Drawing, LayerSource, Motion, keep_in_view};
use super::style;
use crate::date::TimeFilter;
use crate::model::{MapProperties, Symbol};

/// A small layer on the map, with its features by id.
pub struct Drawn {
    map: leaflet::Map,
    layer: leaflet::GeoJson,
    /// Direction arrows and stop marks along lines, and places' names.
    marks: leaflet::LayerGroup,
    /// Each feature's marks, by feature id.
    feature_marks: Vec<(String, Vec<leaflet::Layer>)>,
    features: Rc<RefCell<Vec<(String, leaflet::Layer)>>>,
    /// Ids of the features hidden at the reader's time.
    hidden: RefCell<Vec<String>>,
    /// The selected feature's id, if it is in this layer.
    selected: RefCell<Option<String>>,
    /// Ids of the features that happened after the article.
    after_article: Vec<String>,
    symbol: Symbol,
    color: String,
    // Leaflet calls these while the layer lives; dropping them would break it.
    callbacks: Callbacks,
}

struct Callbacks {
    _style: Closure<dyn FnMut(JsValue) -> JsValue>,
    _point: Closure<dyn FnMut(JsValue, JsValue) -> JsValue>,
    _each: Closure<dyn FnMut(JsValue, JsValue)>,
    _clicks: Clicks,
    /// Enter or Space on a feature's element selects it.
    keys: Closure<dyn FnMut(web_sys::KeyboardEvent)>,
}

/// Each feature's handlers (its click; a place's hover name), freed with
/// the layer.
type Clicks = Rc<RefCell<Vec<Closure<dyn FnMut(JsValue)>>>>;

impl Drawn {
    /// Fetches the layer's features and draws them (not yet on the map).
    pub async fn draw(
        map: leaflet::Map,
        source: LayerSource,
        on_select: Callback<String>,
    ) -> Result<Self, String> {
        let data = js::fetch_json(&source.url).await?;
        retitle(&data, &source.titles);
        Ok(Self::new(&map, &data, &source, on_select))
    }

    fn new(
        map: &leaflet::Map,
        data: &JsValue,
        source: &LayerSource,
        on_select: Callback<String>,
    ) -> Self {
        let (symbol, color) = (source.symbol, source.color.as_str());
        let features: Rc<RefCell<Vec<(String, leaflet::Layer)>>> = Rc::default();
        let clicks: Clicks = Rc::default();
        let style = {
            let color = color.to_owned();
            Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |feature: JsValue| {
                // Points are styled in `point_layer`; Leaflet would apply this
                // style to every member of a point's group, halo included.
                if matches!(symbol, Symbol::Place | Symbol::Strike) {
                    js::object(&[]).into()
                } else {
                    style::path(symbol, &color, false, style::is_estimate(&feature))
                }
            })
        };
        let point = {
            let color = color.to_owned();
            Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
                move |feature: JsValue, latlng: JsValue| {
                    point_layer(&feature, &latlng, symbol, &color).into()
                },
            )
        };
        let each = {
            let features = Rc::clone(&features);
            let clicks = Rc::clone(&clicks);
            Closure::<dyn FnMut(JsValue, JsValue)>::new(move |feature: JsValue, layer: JsValue| {
                let Some(id) = js::string(&feature, "id") else {
                    return;
                };
                let title = MapProperties::title_of(&feature).unwrap_or_default();
                let layer: leaflet::Layer = layer.unchecked_into();
                if let Some(handler) = name_on_hover(&layer, &title, &id, symbol) {
                    clicks.borrow_mut().push(handler);
                }
                let click_id = id.clone();
                let on_click = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
                    on_select.run(click_id.clone());
                });
                layer.on("click", on_click.as_ref());
                clicks.borrow_mut().push(on_click);
                features.borrow_mut().push((id, layer));
            })
        };
        let options = js::object(&[
            ("style", style.as_ref().clone()),
            ("pointToLayer", point.as_ref().clone()),
            ("onEachFeature", each.as_ref().clone()),
        ]);
        let layer = geo_json(data, &options);
        let after_article = features
            .borrow()
            .iter()
            .filter(|(_, layer)| {
                crate::date::after_publication(&source.published, date_of(layer).as_deref())
            })
            .map(|(id, _)| id.clone())
            .collect();
        let (feature_marks, marks) = feature_marks(map, &features.borrow(), symbol, color);
        let keys = select_on_keys(on_select);
        Self {
            map: map.clone(),
            layer,
            marks,
            feature_marks,
            features,
            hidden: RefCell::default(),
            selected: RefCell::default(),
            after_article,
            symbol,
            color: color.to_owned(),
            callbacks: Callbacks {
                _style: style,
                _point: point,
                _each: each,
                _clicks: clicks,
                keys,
            },
        }
    }

    /// Moves the highlight to `next`, and the map to it as `motion` says.
    fn highlight(&self, next: Option<&str>, motion: Motion) {
        let previous = self.selected.replace(next.map(str::to_owned));
        let previous = previous.as_deref();
        for (id, layer) in self.features.borrow().iter() {
            if Some(id.as_str()) == previous && Some(id.as_str()) != next {
                self.restyle(layer, false);
            }
            if Some(id.as_str()) == next {
                self.restyle(layer, true);
                let layer: &Layer = layer.unchecked_ref();
                if layer.has("bringToFront") {
                    layer.bring_to_front();
                }
                let bounds = layer
                    .has("getBounds")
                    .then(|| layer.get_bounds().ok())
                    .flatten()
                    .or_else(|| {
                        // A point: the 20 km around it.
                        layer.has("getLatLng").then(|| {
                            let at = layer.get_lat_lng();
                            at.unchecked_ref::<bindings::LatLng>().to_bounds(20_000.0)
                        })
                    });
                if let Some(bounds) = bounds {
                    keep_in_view(&self.map, &bounds, motion);
                }
            }
        }
    }

    fn restyle(&self, layer: &JsValue, selected: bool) {
        let layer: &Layer = layer.unchecked_ref();
        // A point with a halo is a group: style its members, not the halo.
        if js::get(layer, "_layers").is_object() && layer.has("setStyle") && self.is_point() {
            if layer.has("getLayers") {
                for member in layer.get_layers().iter() {
                    if js::get(&js::get(&member, "options"), "interactive") != JsValue::FALSE {
                        self.restyle(&member, selected);
                    }
                }
            }
            return;
        }
        if let Some(element) = layer.element() {
            let _ = element.class_list().toggle_with_force("selected", selected);
        }
        if layer.has("setStyle") {
            layer.set_style(&style::path(
                self.symbol,
                &self.color,
                selected,
                style::is_estimate(&js::get(layer, "feature")),
            ));
        }
    }

    fn is_point(&self) -> bool {
        matches!(self.symbol, Symbol::Place | Symbol::Strike)
    }

    /// Takes the features in `hidden` off the map and puts the others back.
    fn hide(&self, hidden: &[String]) {
        if *self.hidden.borrow() == hidden {
            return;
        }
        // A GeoJSON layer is a feature group (the `leaflet` crate's type says
        // only that it is a layer).
        let group: &leaflet::LayerGroup = self.layer.unchecked_ref();
        for (id, feature) in self.features.borrow().iter() {
            let hide = hidden.contains(id);
            let change = match (hide, group.has_layer(feature)) {
                (true, true) => leaflet::LayerGroup::remove_layer,
                (false, false) => leaflet::LayerGroup::add_layer,
                _ => continue,
            };
            change(group, feature);
            for (_, line_marks) in self
                .feature_marks
                .iter()
                .filter(|(mark_id, _)| mark_id == id)
            {
                for mark in line_marks {
                    change(&self.marks, mark);
                }
            }
            if !hide && self.map.has_layer(&self.layer) {
                self.tag(id, feature);
                // Its elements are new: a selection made while it was away shows now.
                if self.selected.borrow().as_deref() == Some(id.as_str()) {
                    self.restyle(feature, true);
                }
            }
        }
        hidden.clone_into(&mut self.hidden.borrow_mut());
    }

    /// Tags a feature's elements (see [`tag_elements`]) and marks later developments.
    fn tag(&self, id: &str, feature: &leaflet::Layer) {
        tag_elements(
            feature,
            id,
            &self.callbacks.keys,
            self.after_article.iter().any(|l| l == id),
        );
    }
}

impl Drawing for Drawn {
    fn show(&self, visible: bool) {
        let on_map = self.map.has_layer(&self.layer);
        if visible && !on_map {
            self.marks.add_to(&self.map);
            self.layer.add_to(&self.map);
            // Elements exist once the layer is on the map.
            for (id, feature) in self.features.borrow().iter() {
                self.tag(id, feature);
            }
        } else if !visible && on_map {
            self.layer.remove();
            self.marks.remove();
        }
    }

    fn remove(&self) {
        self.layer.remove();
        self.marks.remove();
    }
    fn select(&self, id: Option<&str>, motion: Motion) {
        self.highlight(id, motion);
    }

    fn set_time(&self, time: Option<TimeFilter>) {
        let hidden: Vec<String> = self
            .features
            .borrow()
            .iter()
            .filter(|(_, layer)| !TimeFilter::shows(time.as_ref(), date_of(layer).as_deref()))
            .map(|(id, _)| id.clone())
            .collect();
        self.hide(&hidden);
    }
}

/// The date of the feature a Leaflet layer draws.
fn date_of(layer: &leaflet::Layer) -> Option<String> {
    MapProperties::date_of(&js::get(layer, "feature"))
}

/// Each feature's marks, by feature id: direction arrows and stop marks
/// along lines, a place's name beside it; and all of them as one layer
/// group, shown and hidden with their features.
fn feature_marks(
    map: &leaflet::Map,
    features: &[(String, leaflet::Layer)],
    symbol: Symbol,
    color: &str,
) -> (Vec<(String, Vec<leaflet::Layer>)>, leaflet::LayerGroup) {
    let by_feature: Vec<(String, Vec<leaflet::Layer>)> = features
        .iter()
        .map(|(id, feature)| {
            let feature = js::get(feature, "feature");
            let geometry = js::get(&feature, "geometry");
            let mut marks = super::lines::marks(map, &geometry, symbol, color);
            if symbol == Symbol::Place {
                marks.extend(place_name(&feature));
            }
            (id.clone(), marks)
        })
        .collect();
    let all: js_sys::Array = by_feature
        .iter()
        .flat_map(|(_, marks)| marks.iter().map(JsValue::from))
        .collect();
    let group = layer_group(&all, &JsValue::UNDEFINED);
    (by_feature, group)
}

/// Names a feature on hover and on keyboard focus (Leaflet opens a bound
/// tooltip on both), but a place whose name stands beside it (see
/// `feature_marks`, and `declutter`, which leaves a name out where there is
/// no room for it): a place's tooltip opens only while its name is left
/// out. Returns what sees to that, for a place.
fn name_on_hover(
    layer: &leaflet::Layer,
    title: &str,
    id: &str,
    symbol: Symbol,
) -> Option<Closure<dyn FnMut(JsValue)>> {
    let options = js::object(&[("direction", "top".into()), ("sticky", JsValue::TRUE)]);
    // The crate's `bind_tooltip_with_content` binds a method Leaflet does not have.
    layer
        .unchecked_ref::<Layer>()
        .bind_tooltip(&title.into(), &options);
    if symbol != Symbol::Place {
        return None;
    }
    // Leaflet opens the tooltip through the layer's `openTooltip`, for the
    // mouse and the keyboard alike: this layer's asks first whether the
    // name is on the map. (Closed once opened, the tooltip would still be
    // in the page, fading out.) Nothing chains on it, so it need not return
    // the layer as Leaflet's does.
    let open = js::get(layer, "openTooltip")
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let named = format!(".place-label:not(.label-hidden) [data-names=\"{id}\"]");
    let place = layer.clone();
    let guarded = Closure::<dyn FnMut(JsValue)>::new(move |latlng: JsValue| {
        let shown = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.query_selector(&named).ok().flatten())
            .is_some();
        if !shown {
            let _ = open.call1(&place, &latlng);
        }
    });
    let _ = js_sys::Reflect::set(layer, &"openTooltip".into(), guarded.as_ref());
    Some(guarded)
}

/// Gives the features of `data` the titles the page has for them, in the
/// same order (see [`LayerSource::titles`]).
fn retitle(data: &JsValue, titles: &[(String, String)]) {
    let features = js_sys::Array::from(&js::get(data, "features"));
    for ((id, title), feature) in titles.iter().zip(features.iter()) {
        if js::string(&feature, "id").as_ref() == Some(id) {
            MapProperties::set_title(&feature, title);
        }
    }
}

/// A story place's name, right of its symbol: a marker with the name as its
/// icon, placed by a transform. (A permanent tooltip would be measured as
/// it is placed, forcing a layout of the page; see `places`.)
fn place_name(feature: &JsValue) -> Option<leaflet::Layer> {
    let title = MapProperties::title_of(feature)?;
    let content = super::places::label_content(&title, None)?;
    // For the feature's hover name, which gives way to this one.
    content
        .set_attribute("data-names", &js::string(feature, "id")?)
        .ok()?;
    Some(super::places::name_marker(
        &super::places::point_of(feature)?,
        "place-label",
        content,
    ))
}

/// The Leaflet layer for a point feature: its symbol, inside its uncertainty halo if it has one.
fn point_layer(feature: &JsValue, latlng: &JsValue, symbol: Symbol, color: &str) -> leaflet::Layer {
    let title = MapProperties::title_of(feature).unwrap_or_default();
    let mark = if symbol == Symbol::Strike {
        let icon = div_icon(
            &js::object(&[
                ("className", "strike-icon".into()),
                ("html", style::strike_icon_html(color).into()),
                (
                    "iconSize",
                    // A 44 px target around the 24 px symbol.
                    js_sys::Array::of2(&44.into(), &44.into()).into(),
                ),
            ])
            .into(),
        );
        marker(
            latlng,
            &js::object(&[
                ("icon", icon),
                ("title", title.clone().into()),
                ("alt", title.into()),
            ])
            .into(),
        )
    } else {
        // Marked as a place's dot, which strikes stand clear of (`spread`).
        circle_marker(
            latlng,
            &style::path_style(symbol, color, false, false)
                .to_js_with(&[("className", "story-dot".into())]),
        )
    };
    match MapProperties::uncertainty_of(feature) {
        Some(radius) => {
            let halo = circle(latlng, &style::halo(color, radius));
            feature_group(&js_sys::Array::of2(&halo, &mark))
        }
        None => mark,
    }
}

/// A `keydown` handler for feature elements: Enter or Space selects the
/// feature the element shows (its `data-feature`).
fn select_on_keys(on_select: Callback<String>) -> Closure<dyn FnMut(web_sys::KeyboardEvent)> {
    Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
        if !matches!(event.key().as_str(), "Enter" | " ") {
            return;
        }
        let id = event
            .current_target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.get_attribute("data-feature"));
        if let Some(id) = id {
            // Space would scroll the page; Enter would also "click" a marker.
            event.prevent_default();
            on_select.run(id);
        }
    })
}

/// Marks the feature's DOM elements with its id, for styling, tests and
/// assistive technology, and makes each a button the keyboard reaches.
fn tag_elements(
    layer: &JsValue,
    id: &str,
    keys: &Closure<dyn FnMut(web_sys::KeyboardEvent)>,
    after_article: bool,
) {
    let title = MapProperties::title_of(&js::get(layer, "feature"));
    let layer: &Layer = layer.unchecked_ref();
    for member in layer.members().iter() {
        if js::get(&js::get(&member, "options"), "interactive") == JsValue::FALSE {
            // An uncertainty halo: drawn, not a Tab stop (Chrome makes such
            // circles one), and nothing to announce beside its feature.
            if let Some(element) = member.unchecked_ref::<Layer>().element() {
                let _ = element.set_attribute("tabindex", "-1");
                let _ = element.set_attribute("aria-hidden", "true");
            }
            continue;
        }
        if let Some(element) = member.unchecked_ref::<Layer>().element() {
            let _ = element.set_attribute("data-feature", id);
            let class_list = element.class_list();
            let _ = class_list.add_1("story-feature");
            let _ = class_list.toggle_with_force("later", after_article);
            // Markers are focusable already; shapes drawn in SVG are made so.
            for (name, value) in [
                ("tabindex", "0"),
                ("role", "button"),
                ("aria-label", title.as_deref().unwrap_or(id)),
            ] {
                let _ = element.set_attribute(name, value);
            }
            // A property, not a listener: showing the layer again replaces it.
            let _ = js_sys::Reflect::set(&element, &"onkeydown".into(), keys.as_ref());
        }
    }
}
