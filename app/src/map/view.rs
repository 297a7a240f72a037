//! Where the map looks: the view it opens on, how far it may go, and the
//! reader's own moves, which the address records.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::{Listeners, MAX_ZOOM, MIN_OPENING_ZOOM, bindings, js};
use crate::i18n::{Dir, Lang};
use crate::links;
use crate::model::View;

/// How long the map must rest before its view is written to the URL.
const VIEW_SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// Makes Leaflet's map in `element`, opening on `opening` (the address's
/// view) or else on the story's region `view`, and kept near that region;
/// its controls speak `lang`, on the side its direction puts them.
pub fn open(
    element: &web_sys::HtmlDivElement,
    view: View,
    opening: Option<links::MapView>,
    lang: Lang,
) -> Option<leaflet::Map> {
    let texts = lang.texts();
    // Its own zoom control goes elsewhere (below).
    let options = js::object(&[("zoomControl", JsValue::FALSE)]);
    let Ok(map) = leaflet::Map::new_with_element(element, &options.unchecked_into()) else {
        leptos::logging::error!("Leaflet could not make the map");
        return None;
    };
    // At the bottom, at the end of the line (right, or left in a
    // right-to-left language) with the credits: the panel opens over the
    // top at its start and the layer control sits at the top at its end.
    let corner = match lang.dir() {
        Dir::Ltr => "bottomright",
        Dir::Rtl => "bottomleft",
    };
    js::call(
        &js::get(&map, "attributionControl"),
        "setPosition",
        &[corner.into()],
    );
    let mut zoom = leaflet::ZoomOptions::new();
    zoom.set_position(corner);
    zoom.set_zoom_in_title(texts.zoom_in);
    zoom.set_zoom_out_title(texts.zoom_out);
    leaflet::Zoom::new(&zoom).add_to(&map);
    let bounds = leaflet::LatLngBounds::new(
        &leaflet::LatLng::new(view.south, view.west),
        &leaflet::LatLng::new(view.north, view.east),
    );
    let fitted = Some(
        map.unchecked_ref::<bindings::Map>()
            .get_bounds_zoom(&bounds),
    )
    .filter(|zoom| zoom.is_finite())
    .unwrap_or(6.0);
    map.set_min_zoom((fitted - 2.0).max(MIN_OPENING_ZOOM));
    map.set_max_zoom(MAX_ZOOM);
    let at_once = js::object(&[("animate", JsValue::FALSE)]);
    match opening {
        Some(opening) => {
            let zoom = opening
                .zoom
                .clamp((fitted - 2.0).max(MIN_OPENING_ZOOM), MAX_ZOOM);
            let center = leaflet::LatLng::new(opening.lat, opening.lon);
            map.set_view_with_options(&center, zoom, &at_once);
        }
        None => {
            map.fit_bounds_with_options(&bounds, &at_once);
        }
    }
    // Bounds after the opening view, which is not animated: an animated
    // opening would be cut short by the bounds' own pan. A margin of twice
    // the region's size: zoomed out so that a feature fits beside the
    // panel, the map is wider than the region, and bounds any tighter would
    // pan the feature back under the panel (with half the region's size,
    // the convoy's route stayed three-quarters under it at 1280 px).
    let margin = (view.east - view.west).max(view.north - view.south) * 2.0;
    map.set_max_bounds(&leaflet::LatLngBounds::new(
        &leaflet::LatLng::new(view.south - margin, view.west - margin),
        &leaflet::LatLng::new(view.north + margin, view.east + margin),
    ));
    Some(map)
}

/// A hint over the map (`element`), shown for a moment each time it is
/// needed, in the words it is given.
#[derive(Clone)]
pub struct Hint {
    element: web_sys::HtmlElement,
    hiding: Rc<Cell<Option<TimeoutHandle>>>,
}

impl Hint {
    pub fn new(element: web_sys::HtmlElement) -> Self {
        Self {
            element,
            hiding: Rc::default(),
        }
    }

    /// Shows `words` for a moment (longer, if asked again meanwhile).
    fn flash(&self, words: &str) {
        self.element.set_text_content(Some(words));
        let _ = self.element.remove_attribute("hidden");
        if let Some(previous) = self.hiding.take() {
            previous.clear();
        }
        let element = self.element.clone();
        self.hiding.set(
            set_timeout_with_handle(
                move || {
                    let _ = element.set_attribute("hidden", "");
                },
                std::time::Duration::from_millis(1500),
            )
            .ok(),
        );
    }
}

/// An embedded map zooms with Ctrl (or ⌘) and the wheel, or two fingers,
/// as news embeds do: the wheel alone scrolls the host page past it, and
/// the map says once in a while how to zoom it (`hint`). Returns the
/// listener, which must live as long as the map.
pub fn cooperative_wheel(map: &leaflet::Map, hint: Hint, lang: Lang) -> Listeners {
    js::call(&js::get(map, "scrollWheelZoom"), "disable", &[]);
    let target = map.clone();
    let wheel = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let event: web_sys::WheelEvent = event.unchecked_into();
        if event.ctrl_key() || event.meta_key() {
            event.prevent_default();
            let step = if event.delta_y() < 0.0 { 1.0 } else { -1.0 };
            let at = js::call(&target, "mouseEventToContainerPoint", &[event.into()]);
            let zoom = js::call(&target, "getZoom", &[]).and_then(|zoom| zoom.as_f64());
            if let (Some(at), Some(zoom)) = (at, zoom) {
                js::call(
                    &target,
                    "setZoomAround",
                    &[at, JsValue::from_f64(zoom + step)],
                );
            }
            return;
        }
        hint.flash(lang.texts().wheel_hint);
    });
    let _ = map
        .get_container()
        .add_event_listener_with_callback("wheel", wheel.as_ref().unchecked_ref());
    vec![wheel]
}

/// Where one finger on the map scrolls the page instead of moving the map:
/// a touch screen, with the map pinned over the article (a phone's layout,
/// as the style sheet has it) or embedded in another page.
fn one_finger_scrolls(embedded: bool) -> String {
    if embedded {
        "(pointer: coarse)".to_owned()
    } else {
        format!("(pointer: coarse) and {}", super::PINNED_MAP)
    }
}

/// On a touch screen where the map stands over the text (see
/// [`one_finger_scrolls`]), one finger scrolls the page and two move and
/// zoom the map, as news maps do: a swipe to read on that starts on the map
/// reads on. Leaflet's dragging is off there (its style then lets the
/// browser scroll), its pinch moves the map, and a one-finger swipe says how
/// (`hint`). Returns the listeners, which must live as long as the map.
pub fn cooperative_touch(map: &leaflet::Map, hint: Hint, lang: Lang, embedded: bool) -> Listeners {
    let Some(query) = web_sys::window().and_then(|window| {
        window
            .match_media(&one_finger_scrolls(embedded))
            .ok()
            .flatten()
    }) else {
        return Vec::new();
    };
    let dragging = js::get(map, "dragging");
    let apply = {
        let query = query.clone();
        move || {
            let method = if query.matches() { "disable" } else { "enable" };
            js::call(&dragging, method, &[]);
        }
    };
    apply();
    let changed = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| apply());
    let _ = query.add_event_listener_with_callback("change", changed.as_ref().unchecked_ref());
    let swiped = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let event: web_sys::TouchEvent = event.unchecked_into();
        if event.touches().length() == 1 && query.matches() {
            hint.flash(lang.texts().touch_hint);
        }
    });
    let _ = map
        .get_container()
        .add_event_listener_with_callback("touchmove", swiped.as_ref().unchecked_ref());
    vec![changed, swiped]
}

/// Calls `on_touch` as the reader starts to move the map, and `on_move`
/// with the map's view after each move the reader made
/// (pointer, wheel or keys on the map), not after the map's own fits and
/// flights, so the URL records where the reader looked, not where kort went.
/// Returns the listeners, which must live as long as the map.
pub fn record_reader_moves(
    map: &leaflet::Map,
    on_move: impl Fn(links::MapView) + 'static,
    on_touch: impl Fn() + 'static,
) -> Listeners {
    let by_reader = Rc::new(Cell::new(false));
    let mut listeners = Vec::new();
    let container = map.get_container();
    let on_touch = Rc::new(on_touch);
    for event in ["pointerdown", "wheel", "keydown"] {
        let (by_reader, on_touch) = (Rc::clone(&by_reader), Rc::clone(&on_touch));
        let mark = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
            by_reader.set(true);
            on_touch();
        });
        let _ = container.add_event_listener_with_callback(event, mark.as_ref().unchecked_ref());
        listeners.push(mark);
    }
    // Written once the map has settled: Leaflet may still pan it back inside
    // its bounds after the reader's move, which ends in a move of its own.
    let pending: Rc<Cell<Option<TimeoutHandle>>> = Rc::default();
    let on_move = Rc::new(on_move);
    let moved = {
        let map = map.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
            if !by_reader.get() {
                return;
            }
            if let Some(previous) = pending.take() {
                previous.clear();
            }
            let (map, by_reader, on_move) =
                (map.clone(), Rc::clone(&by_reader), Rc::clone(&on_move));
            let write = move || {
                by_reader.set(false);
                let center = map.get_center();
                on_move(links::MapView {
                    zoom: map.get_zoom(),
                    lat: center.lat(),
                    lon: center.lng(),
                });
            };
            pending.set(set_timeout_with_handle(write, VIEW_SETTLE).ok());
        })
    };
    map.on("moveend", moved.as_ref());
    listeners.push(moved);
    listeners
}

/// The most a printed map takes of a page, CSS px: narrower than A4's and
/// Letter's width inside the browser's margins, and low enough to leave
/// the headline room on the first page.
const PRINT_ROOM: (f64, f64) = (680.0, 540.0);

/// On paper the map prints as the reader sees it: the same view, at its
/// size on the screen, scaled down to fit the page. Keeps the map's
/// element telling the print style sheet that size (`--map-w`, `--map-h`)
/// and scale (`--print-zoom`), as the map is resized. Returns the listener,
/// which must live as long as the map.
pub fn keep_print_size(map: &leaflet::Map) -> Listeners {
    let element: web_sys::HtmlElement = map.get_container().unchecked_into();
    let tell = move || {
        let (width, height) = (
            f64::from(element.client_width()),
            f64::from(element.client_height()),
        );
        if width < 1.0 || height < 1.0 {
            return;
        }
        let scale = (PRINT_ROOM.0 / width).min(PRINT_ROOM.1 / height).min(1.0);
        let style = element.style();
        let _ = style.set_property("--map-w", &format!("{width}px"));
        let _ = style.set_property("--map-h", &format!("{height}px"));
        let _ = style.set_property("--print-zoom", &format!("{scale:.3}"));
    };
    tell();
    let resized = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| tell());
    map.on("resize", resized.as_ref());
    vec![resized]
}
