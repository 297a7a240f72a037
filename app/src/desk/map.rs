//! The desk's islands for features: the draft's map, drawn with
//! Leaflet-Geoman, and the selection of words to link. Both only fill the
//! fields of the page's forms ([`super::features`]); the editor saves them,
//! and everything they do can be done by typing into those fields.
//!
//! Leaflet-Geoman (free edition, MIT) draws and edits points, lines,
//! polygons and rectangles, drags vertices, removes layers, edits a
//! circle's radius by a handle, and speaks Danish and English. It is
//! maintained, on npm, and works on Leaflet 1.9 as it is (Leaflet.draw, the
//! other choice, has had no release since 2018).

use leptos::prelude::*;

use super::texts::DeskTexts;
use crate::i18n::Lang;

/// The draft's map: the basemap, the draft's features in their layers'
/// colours, each point's uncertainty as a circle, and Geoman's tools. A
/// shape drawn fills the position of the feature form last used (the new
/// feature's, at first); a rectangle sets the story's view; moving a
/// feature or a circle's edge fills its form's position or uncertainty;
/// removing a feature on the map submits its remove form. Typing a place
/// suggests the basemap's places, and choosing one puts the feature there.
#[cfg_attr(feature = "desk", island)]
#[cfg_attr(not(feature = "desk"), component)]
pub fn DraftMap(
    /// The draft's drawn features, as a GeoJSON FeatureCollection whose
    /// features carry `title`, `color` and `uncertainty_m`.
    features: String,
    /// Where the map opens.
    view: crate::model::View,
    lang: Lang,
) -> impl IntoView {
    let texts = DeskTexts::of(lang);
    let status = RwSignal::new(String::new());
    let element = NodeRef::<leptos::html::Div>::new();
    let context = leptos_leaflet::prelude::provide_leaflet_context();
    #[cfg(all(feature = "hydrate", feature = "desk"))]
    Effect::new(move |_| {
        let Some(div) = element.get() else { return };
        if context.map_untracked().is_some() {
            return;
        }
        let Some(map) = crate::map::view::open(&div, view, None, lang) else {
            return;
        };
        browser::start(&map, &features, lang, status);
        context.set_map(&map);
    });
    #[cfg(not(all(feature = "hydrate", feature = "desk")))]
    let _ = (&features, view, context);
    view! {
        <div class="desk-map-frame" role="region" aria-label=texts.map aria-describedby="desk-map-help">
            <p class="desk-help" id="desk-map-help">{texts.map_help}</p>
            <div class="desk-map" node_ref=element>
                <crate::map::basemap::Basemap />
            </div>
            <p class="desk-map-status" role="status">{move || status.get()}</p>
        </div>
    }
}

/// Fills the link form from the words selected in the article: their
/// paragraph, where they start and end (in characters), and the words.
#[cfg_attr(feature = "desk", island)]
#[cfg_attr(not(feature = "desk"), component)]
pub fn LinkWords() -> impl IntoView {
    let selected = RwSignal::new(String::new());
    #[cfg(all(feature = "hydrate", feature = "desk"))]
    Effect::new(move |_| browser::follow_selection(selected));
    view! { <p class="desk-selected" role="status">{move || selected.get()}</p> }
}

#[cfg(all(feature = "hydrate", feature = "desk"))]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Array, JSON, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    use super::super::features::{LINK_FORM, NEW_FEATURE};
    use super::super::texts::DeskTexts;
    use crate::i18n::Lang;
    use crate::map::js;

    /// The map pane the draft's shapes are drawn in.
    const DRAFT_PANE: &str = "draft";

    /// The global `L`, with Geoman's `pm` on its maps.
    fn leaflet() -> JsValue {
        js::get(&window().into(), "L")
    }

    fn by_id(id: &str) -> Option<web_sys::Element> {
        document().get_element_by_id(id)
    }

    fn set_value(field: &web_sys::Element, value: &str) {
        let _ = Reflect::set(field, &"value".into(), &value.into());
        // The form's keeper and anything else listening see the change.
        if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        }) {
            let _ = field.dispatch_event(&event);
        }
    }

    /// A field of the feature form `form`.
    fn field(form: &web_sys::Element, name: &str) -> Option<web_sys::Element> {
        form.query_selector(&format!("[name={name}]"))
            .ok()
            .flatten()
    }

    /// The form of the feature `id`.
    fn form_of(id: &str) -> Option<web_sys::Element> {
        by_id(&format!("feature-{id}-form"))
    }

    /// Calls `handler` on each `event` of `target`, for as long as the page
    /// lives (the map and the forms do).
    fn on(target: &JsValue, event: &str, handler: impl FnMut(JsValue) + 'static) {
        let handler = Closure::<dyn FnMut(JsValue)>::new(handler);
        js::call(target, "on", &[event.into(), handler.as_ref().clone()]);
        handler.forget();
    }

    fn listen(
        target: &web_sys::EventTarget,
        event: &str,
        handler: impl FnMut(web_sys::Event) + 'static,
    ) {
        let handler = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        handler.forget();
    }

    /// A layer's geometry as GeoJSON text.
    fn geometry_text(layer: &JsValue) -> Option<String> {
        let feature = js::call(layer, "toGeoJSON", &[])?;
        JSON::stringify(&js::get(&feature, "geometry"))
            .ok()
            .map(String::from)
    }

    /// What the map keeps: the form drawing goes to, and each feature's
    /// uncertainty circle.
    #[derive(Default)]
    struct State {
        active: Option<web_sys::Element>,
        circles: Vec<(String, JsValue)>,
        /// Each point feature's layer and colour, for a circle typed in.
        points: Vec<(String, JsValue, String)>,
        /// The places the last search found: name, Arabic name, lon, lat.
        places: Vec<(String, Option<String>, f64, f64)>,
    }

    pub fn start(map: &leaflet::Map, features: &str, lang: Lang, status: RwSignal<String>) {
        let texts = DeskTexts::of(lang);
        let map_js: JsValue = map.clone().into();
        let state = Rc::new(RefCell::new(State {
            active: by_id(&format!("{NEW_FEATURE}-form")),
            ..State::default()
        }));
        // The draft's shapes above the basemap, whose layers arrive later.
        if let Some(pane) = js::call(&map_js, "createPane", &[DRAFT_PANE.into()]) {
            let _ = Reflect::set(&js::get(&pane, "style"), &"zIndex".into(), &"450".into());
        }
        let pm = js::get(&map_js, "pm");
        if pm.is_undefined() {
            leptos::logging::error!("Leaflet-Geoman is not loaded: the map only shows the draft");
        } else {
            js::call(&pm, "setLang", &[lang.tag().into()]);
            let options = js::object(&[
                ("position", "topleft".into()),
                ("drawCircle", JsValue::FALSE),
                ("drawCircleMarker", JsValue::FALSE),
                ("drawText", JsValue::FALSE),
                ("cutPolygon", JsValue::FALSE),
                ("rotateMode", JsValue::FALSE),
            ]);
            js::call(&pm, "addControls", &[options.into()]);
            name_buttons();
            let panes = js::object(&[("layerPane", DRAFT_PANE.into())]);
            // One shape per click of a tool: each fills one form.
            let global =
                js::object(&[("panes", panes.into()), ("continueDrawing", JsValue::FALSE)]);
            js::call(&pm, "setGlobalOptions", &[global.into()]);
        }
        draw_features(&map_js, features, &state, texts, status);
        {
            let state = Rc::clone(&state);
            on(&map_js, "pm:create", move |event| {
                created(
                    &js::get(&event, "layer"),
                    js::string(&event, "shape"),
                    &state,
                    texts,
                    status,
                );
            });
        }
        {
            let state = Rc::clone(&state);
            on(&map_js, "pm:remove", move |event| {
                removed(&js::get(&event, "layer"), &state);
            });
        }
        follow_forms(&map_js, &state, texts, status);
    }

    /// Names Geoman's tool buttons for assistive technology: they are
    /// links with only an icon, titled on their container.
    fn name_buttons() {
        let Some(map) = document().query_selector(".desk-map").ok().flatten() else {
            return;
        };
        for container in js::select_all(&map, ".leaflet-pm-toolbar .button-container[title]") {
            let title = container.get_attribute("title").unwrap_or_default();
            for button in js::select_all(&container, ".leaflet-buttons-control-button") {
                let _ = button.set_attribute("aria-label", &title);
            }
        }
    }

    /// Draws each feature as a layer Geoman can edit, tied to its form.
    fn draw_features(
        map: &JsValue,
        features: &str,
        state: &Rc<RefCell<State>>,
        texts: &'static DeskTexts,
        status: RwSignal<String>,
    ) {
        let Ok(collection) = JSON::parse(features) else {
            return;
        };
        let geojson = js::get(&leaflet(), "GeoJSON");
        // Points as small circles, not pins: close places stay apart and
        // each can be picked (the forms are the way by keyboard).
        let point = Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(|_feature, at| {
            let options = js::object(&[
                ("pane", DRAFT_PANE.into()),
                ("radius", 7.into()),
                ("weight", 2.into()),
                ("fillOpacity", JsValue::from_f64(0.9)),
            ]);
            js::call(&leaflet(), "circleMarker", &[at, options.into()]).unwrap_or(JsValue::NULL)
        });
        let in_pane = js::object(&[
            ("pane", DRAFT_PANE.into()),
            ("pointToLayer", point.as_ref().clone()),
        ]);
        // Leaflet calls it while the page lives.
        point.forget();
        for feature in Array::from(&js::get(&collection, "features")).iter() {
            let Some(id) = js::get(&feature, "id").as_string() else {
                continue;
            };
            let properties = js::get(&feature, "properties");
            let color = js::string(&properties, "color").unwrap_or_else(|| "#1d4ed8".into());
            let Some(layer) = js::call(
                &geojson,
                "geometryToLayer",
                &[feature.clone(), in_pane.clone().into()],
            ) else {
                continue;
            };
            let style = js::object(&[
                ("color", color.clone().into()),
                ("fillColor", color.clone().into()),
            ]);
            js::call(&layer, "setStyle", &[style.into()]);
            if let Some(title) = js::string(&properties, "title") {
                js::call(&layer, "bindTooltip", &[title.into()]);
            }
            js::call(&layer, "addTo", std::slice::from_ref(map));
            let _ = Reflect::set(&layer, &"kortFeature".into(), &id.clone().into());
            let moved = {
                let (id, layer, state) = (id.clone(), layer.clone(), Rc::clone(state));
                move |_event: JsValue| {
                    let Some(form) = form_of(&id) else { return };
                    if let (Some(field), Some(text)) =
                        (field(&form, "geometry"), geometry_text(&layer))
                    {
                        set_value(&field, &text);
                    }
                    // A point's circle follows it.
                    let center = js::call(&layer, "getLatLng", &[]);
                    if let Some(center) = center {
                        for (_, circle) in state.borrow().circles.iter().filter(|(of, _)| *of == id)
                        {
                            js::call(circle, "setLatLng", std::slice::from_ref(&center));
                        }
                    }
                    opened(&form, texts, status);
                }
            };
            let moved = Rc::new(RefCell::new(moved));
            for event in ["pm:edit", "pm:dragend"] {
                let moved = Rc::clone(&moved);
                on(&layer, event, move |event| (moved.borrow_mut())(event));
            }
            state.borrow_mut().points.extend(
                js::call(&layer, "getLatLng", &[])
                    .map(|_| (id.clone(), layer.clone(), color.clone())),
            );
            let radius = js::number(&properties, "uncertainty_m").filter(|metres| *metres > 0.0);
            if let (Some(radius), Some(center)) = (radius, js::call(&layer, "getLatLng", &[])) {
                add_circle(map, state, &id, (center, radius, &color), texts, status);
            }
        }
    }

    /// Draws the uncertainty circle of the point feature `id` (its centre,
    /// radius in metres and colour); dragging its edge fills the form's
    /// uncertainty.
    fn add_circle(
        map: &JsValue,
        state: &Rc<RefCell<State>>,
        id: &str,
        (center, radius, color): (JsValue, f64, &str),
        texts: &'static DeskTexts,
        status: RwSignal<String>,
    ) {
        let options = js::object(&[
            ("radius", radius.into()),
            ("color", color.into()),
            ("weight", 1.into()),
            ("fillOpacity", JsValue::from_f64(0.08)),
            ("dashArray", "4 4".into()),
            ("pane", DRAFT_PANE.into()),
        ]);
        let Some(circle) = js::call(&leaflet(), "circle", &[center, options.into()]) else {
            return;
        };
        js::call(&circle, "addTo", std::slice::from_ref(map));
        let _ = Reflect::set(&circle, &"kortUncertaintyOf".into(), &id.into());
        let (of, resized) = (id.to_owned(), circle.clone());
        on(&circle, "pm:edit", move |_| {
            let Some(form) = form_of(&of) else { return };
            let metres = js::call(&resized, "getRadius", &[]).and_then(|r| r.as_f64());
            if let (Some(field), Some(metres)) = (field(&form, "uncertainty_m"), metres) {
                set_value(&field, &format!("{}", metres.round()));
            }
            opened(&form, texts, status);
        });
        state.borrow_mut().circles.push((id.to_owned(), circle));
    }

    /// Opens the feature's entry and says which form the map now fills.
    fn opened(form: &web_sys::Element, texts: &'static DeskTexts, status: RwSignal<String>) {
        if let Ok(Some(details)) = form.closest("details") {
            let _ = details.set_attribute("open", "");
        }
        let title = form
            .get_attribute("data-title")
            .filter(|title| !title.is_empty())
            .unwrap_or_else(|| texts.new_feature.to_owned());
        status.set((texts.drawing_for)(&title));
    }

    /// A shape drawn: a rectangle sets the view, any other the position
    /// of the form in use.
    fn created(
        layer: &JsValue,
        shape: Option<String>,
        state: &Rc<RefCell<State>>,
        texts: &'static DeskTexts,
        status: RwSignal<String>,
    ) {
        if shape.as_deref() == Some("Rectangle") {
            if let Some(bounds) = js::call(layer, "getBounds", &[]) {
                for (edge, method) in [
                    ("west", "getWest"),
                    ("south", "getSouth"),
                    ("east", "getEast"),
                    ("north", "getNorth"),
                ] {
                    let value = js::call(&bounds, method, &[]).and_then(|v| v.as_f64());
                    if let (Some(field), Some(value)) = (by_id(edge), value) {
                        set_value(&field, &format!("{value:.3}"));
                    }
                }
                status.set(texts.view_drawn.to_owned());
            }
            js::call(layer, "remove", &[]);
            return;
        }
        let form = state.borrow().active.clone();
        let Some(form) = form else {
            js::call(layer, "remove", &[]);
            status.set(texts.needs_layer.to_owned());
            return;
        };
        if let (Some(field), Some(text)) = (field(&form, "geometry"), geometry_text(layer)) {
            set_value(&field, &text);
        }
        // Edits to the new shape go to the same form.
        let (edited, target) = (layer.clone(), form.clone());
        on(layer, "pm:edit", move |_| {
            if let (Some(field), Some(text)) = (field(&target, "geometry"), geometry_text(&edited))
            {
                set_value(&field, &text);
            }
        });
        // Not `form.id()`: a form's `id` property is its field named `id`.
        let form_id = form.get_attribute("id").unwrap_or_default();
        let _ = Reflect::set(layer, &"kortForm".into(), &form_id.clone().into());
        opened(&form, texts, status);
        if form_id == format!("{NEW_FEATURE}-form")
            && let Some(title) = field(&form, "title")
            && let Ok(title) = title.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = title.focus();
        }
    }

    /// A layer removed with Geoman's eraser: a feature is removed by its
    /// form, a circle clears its feature's uncertainty, a new shape its
    /// form's position.
    fn removed(layer: &JsValue, state: &Rc<RefCell<State>>) {
        if let Some(id) = js::string(layer, "kortUncertaintyOf") {
            if let Some(field) = form_of(&id).and_then(|form| field(&form, "uncertainty_m")) {
                set_value(&field, "");
            }
            state.borrow_mut().circles.retain(|(of, _)| *of != id);
        } else if let Some(id) = js::string(layer, "kortFeature") {
            let remove = document()
                .query_selector(&format!("form[data-remove=\"{id}\"]"))
                .ok()
                .flatten()
                .and_then(|form| form.dyn_into::<web_sys::HtmlFormElement>().ok());
            if let Some(remove) = remove {
                let _ = remove.request_submit();
            }
        } else if let Some(form) = js::string(layer, "kortForm").and_then(|id| by_id(&id))
            && let Some(field) = field(&form, "geometry")
        {
            set_value(&field, "");
        }
    }

    /// The forms tell the map which one drawing fills, and typed
    /// uncertainties and places show on it.
    fn follow_forms(
        map: &JsValue,
        state: &Rc<RefCell<State>>,
        texts: &'static DeskTexts,
        status: RwSignal<String>,
    ) {
        let root: web_sys::EventTarget = document().into();
        {
            let state = Rc::clone(state);
            listen(&root, "focusin", move |event| {
                let form = event
                    .target()
                    .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                    .and_then(|target| target.closest("form.desk-feature-form").ok().flatten());
                if let Some(form) = form {
                    let changed = state.borrow().active.as_ref() != Some(&form);
                    if changed {
                        opened(&form, texts, status);
                        state.borrow_mut().active = Some(form);
                    }
                }
            });
        }
        let map = map.clone();
        let state = Rc::clone(state);
        listen(&root, "input", move |event| {
            let Some(input) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Ok(Some(form)) = input.closest("form.desk-feature-form") else {
                return;
            };
            match input.name().as_str() {
                "uncertainty_m" => {
                    let id = form.get_attribute("data-feature").unwrap_or_default();
                    let Some(metres) = input.value().parse::<f64>().ok().filter(|m| *m > 0.0)
                    else {
                        return;
                    };
                    let circle = state
                        .borrow()
                        .circles
                        .iter()
                        .find(|(of, _)| *of == id)
                        .map(|(_, circle)| circle.clone());
                    if let Some(circle) = circle {
                        js::call(&circle, "setRadius", &[metres.into()]);
                    } else {
                        // A point without one yet gets its circle.
                        let point = state
                            .borrow()
                            .points
                            .iter()
                            .find(|(of, ..)| *of == id)
                            .cloned();
                        if let Some((_, layer, color)) = point
                            && let Some(center) = js::call(&layer, "getLatLng", &[])
                        {
                            add_circle(&map, &state, &id, (center, metres, &color), texts, status);
                        }
                    }
                }
                "place" => place_typed(&map, &input, &form, &state),
                _ => {}
            }
        });
    }

    /// Suggests the places that match what is typed; a place chosen puts
    /// the form's feature there, with its Arabic name.
    fn place_typed(
        map: &JsValue,
        input: &web_sys::HtmlInputElement,
        form: &web_sys::Element,
        state: &Rc<RefCell<State>>,
    ) {
        let typed = input.value();
        let chosen = state
            .borrow()
            .places
            .iter()
            .find(|(name, name_ar, ..)| {
                *name == typed || name_ar.as_deref() == Some(typed.as_str())
            })
            .cloned();
        if let Some((_, name_ar, lon, lat)) = chosen {
            let point = format!("{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}");
            if let Some(field) = field(form, "geometry") {
                set_value(&field, &point);
            }
            if let (Some(field), Some(name_ar)) = (field(form, "name_ar"), name_ar)
                && js::string(&field, "value").unwrap_or_default().is_empty()
            {
                set_value(&field, &name_ar);
            }
            let center = js::call(&leaflet(), "latLng", &[lat.into(), lon.into()]);
            if let Some(center) = center {
                js::call(map, "panTo", &[center]);
            }
            return;
        }
        let state = Rc::clone(state);
        leptos::task::spawn_local(async move {
            let url = format!(
                "/desk/places?q={}",
                String::from(js_sys::encode_uri_component(&typed))
            );
            let Ok(found) = js::fetch_json(&url).await else {
                return;
            };
            let places: Vec<(String, Option<String>, f64, f64)> = Array::from(&found)
                .iter()
                .filter_map(|place| {
                    Some((
                        js::string(&place, "name")?,
                        js::string(&place, "name_ar"),
                        js::number(&place, "lon")?,
                        js::number(&place, "lat")?,
                    ))
                })
                .collect();
            if let Some(list) = by_id("places") {
                list.set_inner_html("");
                for (name, name_ar, ..) in &places {
                    if let Ok(option) = document().create_element("option") {
                        let _ = option.set_attribute("value", name);
                        if let Some(name_ar) = name_ar {
                            let _ = option.set_attribute("label", name_ar);
                        }
                        let _ = list.append_child(&option);
                    }
                }
            }
            state.borrow_mut().places = places;
        });
    }

    /// Keeps the link form's paragraph, range and words on the selection
    /// in the article, and says what is selected.
    pub fn follow_selection(selected: RwSignal<String>) {
        let root: web_sys::EventTarget = document().into();
        listen(&root, "selectionchange", move |_| {
            if let Some((paragraph, start, end, words)) = selection() {
                let form = by_id(LINK_FORM);
                let set = |name: &str, value: &str| {
                    if let Some(field) = form.as_ref().and_then(|form| field(form, name)) {
                        let _ = Reflect::set(&field, &"value".into(), &value.into());
                    }
                };
                set("paragraph", &paragraph);
                set("start", &start.to_string());
                set("end", &end.to_string());
                set("quote", words.trim());
                selected.set(format!("“{}” (¶ {paragraph})", words.trim()));
            }
        });
        // Words typed by hand are looked for in the paragraph instead.
        if let Some(quote) = by_id("link-quote") {
            let form = by_id(LINK_FORM);
            listen(&quote.into(), "input", move |_| {
                for name in ["start", "end"] {
                    if let Some(field) = form.as_ref().and_then(|form| field(form, name)) {
                        let _ = Reflect::set(&field, &"value".into(), &"".into());
                    }
                }
            });
        }
    }

    /// The selection in the article: its paragraph's id, its start and end
    /// in characters, and its words; none if it is empty or crosses
    /// paragraphs.
    fn selection() -> Option<(String, usize, usize, String)> {
        let selection = window().get_selection().ok()??;
        if selection.is_collapsed() || selection.range_count() == 0 {
            return None;
        }
        let range = selection.get_range_at(0).ok()?;
        let paragraph_of = |node: web_sys::Node| -> Option<web_sys::Element> {
            let element = match node.dyn_into::<web_sys::Element>() {
                Ok(element) => element,
                Err(node) => node.parent_element()?,
            };
            element
                .closest("#linking-article p[data-paragraph]")
                .ok()
                .flatten()
        };
        let paragraph = paragraph_of(range.start_container().ok()?)?;
        if paragraph_of(range.end_container().ok()?)? != paragraph {
            return None;
        }
        let before = document().create_range().ok()?;
        before.select_node_contents(&paragraph).ok()?;
        before
            .set_end(&range.start_container().ok()?, range.start_offset().ok()?)
            .ok()?;
        let start = String::from(before.to_string()).chars().count();
        let words = String::from(range.to_string());
        let end = start + words.chars().count();
        Some((
            paragraph.get_attribute("data-paragraph")?,
            start,
            end,
            words,
        ))
    }
}
