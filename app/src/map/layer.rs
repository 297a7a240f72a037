//! A story layer on the map, small or large, in leptos-leaflet's shape: the
//! layer is drawn once the map exists, follows the reader's state (shown or
//! not, the selection, the time) and is removed with the component.
//!
//! How a layer is drawn depends on its size: a small one is fetched whole
//! and drawn in SVG, every feature an element the keyboard reaches
//! ([`super::geojson_layer`]); a large one is fetched by viewport and drawn
//! on a canvas ([`super::viewport_layer`]). Both are a [`Drawing`], and
//! [`StoryLayer`] ties either to the state.

use leptos::prelude::*;
use leptos_leaflet::prelude::use_leaflet_context;
use wasm_bindgen::{JsCast, JsValue};

use super::{bindings, js};
use crate::date::TimeFilter;
use crate::model::Symbol;

/// Map widths (px) from which the panel sits over the map's left edge (see the CSS).
const PANEL_BESIDE_MIN_WIDTH: f64 = 700.0;
/// The panel's width over the map and its left inset, in px (at most).
const PANEL_WIDTH: f64 = 370.0;
/// Space kept around a feature brought into view, in px.
const MARGIN: f64 = 40.0;

/// What a layer is drawn from.
#[derive(Debug, Clone)]
pub struct LayerSource {
    /// The layer's GeoJSON URL (large layers add their viewport's query).
    pub url: String,
    /// The symbol the features are drawn with.
    pub symbol: Symbol,
    /// The layer's colour, `#rrggbb`.
    pub color: String,
    /// The story's publication date: what happened after it is drawn set
    /// apart (small layers).
    pub published: String,
    /// A small layer's features' ids and titles, in the layer's order, as
    /// the page gives them: in the reader's language where the story has
    /// them in it (the GeoJSON's are in its data language).
    pub titles: Vec<(String, String)>,
}

/// The reader's state a layer follows, and what it tells the map.
#[derive(Clone, Copy)]
pub struct Follows {
    /// Whether the layer is on the map.
    pub visible: Signal<bool>,
    /// The selected feature's id; its feature is highlighted and kept in view.
    pub selected: Signal<Option<String>>,
    /// The reader's time: only what had happened is drawn.
    pub time: Signal<Option<TimeFilter>>,
    /// Called with a feature's id when a reader clicks it (or presses Enter on it).
    pub on_select: Callback<String>,
    /// Called once the features are drawn and clickable.
    pub on_ready: Callback<()>,
    /// Leave the map where it opened, even if a feature is selected (the
    /// URL gave the view).
    pub hold_initial_view: bool,
}

impl Follows {
    /// How the map follows the selection the page opened with.
    pub fn opening_motion(&self) -> Motion {
        if self.hold_initial_view {
            Motion::Stay
        } else {
            Motion::Jump
        }
    }
}

/// A layer drawn on the map.
pub trait Drawing: 'static {
    /// Puts the layer on the map or takes it off.
    fn show(&self, visible: bool);
    /// Highlights the feature `id` if it is this layer's (none for
    /// `None`), bringing it into view as `motion` says.
    fn select(&self, id: Option<&str>, motion: Motion);
    /// Draws only what had happened at `time`.
    fn set_time(&self, time: Option<TimeFilter>);
    /// Takes the layer off the map for good.
    fn remove(&self);
}

/// One story layer: drawn as `large` says, following the reader's state.
#[component]
pub fn StoryLayer(source: LayerSource, large: bool, follows: Follows) -> impl IntoView {
    // The server hands the pages of stories with a large layer the bundle
    // that draws it (`assets::Assets`).
    #[cfg(feature = "large-layers")]
    if large {
        return follow(follows, move |map| {
            super::viewport_layer::Drawn::draw(map, source, follows)
        });
    }
    #[cfg(not(feature = "large-layers"))]
    if large {
        leptos::logging::error!("{}: this bundle draws no large layers", source.url);
        follows.on_ready.run(());
        return;
    }
    follow(follows, move |map| {
        super::geojson_layer::Drawn::draw(map, source, follows.on_select)
    });
}

/// Draws the layer with `draw` once the map exists, then keeps the drawing
/// in step with `follows` until the component goes.
fn follow<D, F>(follows: Follows, draw: impl FnOnce(leaflet::Map) -> F + 'static)
where
    D: Drawing,
    F: Future<Output = Result<D, String>> + 'static,
{
    let Some(context) = use_leaflet_context() else {
        return;
    };
    let drawn: StoredValue<Option<D>, LocalStorage> = StoredValue::new_local(None);
    let draw = StoredValue::new_local(Some(draw));
    Effect::new(move |_| {
        let Some(map) = context.map() else { return };
        let Some(draw) = draw.try_update_value(Option::take).flatten() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match draw(map).await {
                Ok(layer) => {
                    layer.set_time(follows.time.get_untracked());
                    layer.show(follows.visible.get_untracked());
                    let selected = follows.selected.get_untracked();
                    layer.select(selected.as_deref(), follows.opening_motion());
                    drawn.set_value(Some(layer));
                    follows.on_ready.run(());
                }
                Err(error) => leptos::logging::error!("cannot draw layer: {error}"),
            }
        });
    });
    let with = move |f: &dyn Fn(&D)| drawn.with_value(|layer| layer.iter().for_each(f));
    Effect::watch(
        move || follows.selected.get(),
        move |next, _, _| with(&|layer| layer.select(next.as_deref(), Motion::Fly)),
        false,
    );
    Effect::watch(
        move || follows.time.get(),
        move |time, _, _| with(&|layer| layer.set_time(*time)),
        false,
    );
    Effect::watch(
        move || follows.visible.get(),
        move |visible, _, _| with(&|layer| layer.show(*visible)),
        false,
    );
    on_cleanup(move || {
        drawn.update_value(|layer| {
            if let Some(layer) = layer.take() {
                layer.remove();
            }
        });
    });
}

/// How the map follows a new selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// Not at all.
    Stay,
    /// At once, if the feature is out of view.
    Jump,
    /// Flying there, if the feature is out of view (at once under reduced motion).
    Fly,
}

/// Moves the map as `motion` says so that `bounds` (a selected feature's)
/// are on screen and clear of the panel, without zooming out of a closer
/// look; a feature already in the clear leaves the map where it is.
pub fn keep_in_view(map: &leaflet::Map, bounds: &leaflet::LatLngBounds, motion: Motion) {
    let animate = match motion {
        Motion::Stay => return,
        Motion::Jump => false,
        Motion::Fly => !js::prefers_reduced_motion(),
    };
    // On wide maps the panel covers the edge where lines start (the left,
    // or the right in a right-to-left page): keep the feature clear of it.
    let size = map.get_size();
    let (width, height) = (size.x(), size.y());
    let beside = if width >= PANEL_BESIDE_MIN_WIDTH {
        PANEL_WIDTH + MARGIN
    } else {
        MARGIN
    };
    let right_to_left = document()
        .document_element()
        .is_some_and(|html| html.get_attribute("dir").as_deref() == Some("rtl"));
    let (left, right) = if right_to_left {
        (MARGIN, beside)
    } else {
        (beside, MARGIN)
    };
    let corner = |x: f64, y: f64| map.container_point_to_lat_lng(&leaflet::Point::new(x, y));
    let clear = leaflet::LatLngBounds::new(
        &corner(left, MARGIN),
        &corner(width - right, height - MARGIN),
    );
    if clear
        .unchecked_ref::<bindings::LatLngBounds>()
        .contains_bounds(bounds)
    {
        return;
    }
    let options = js::object(&[
        (
            "paddingTopLeft",
            js_sys::Array::of2(&left.into(), &MARGIN.into()).into(),
        ),
        (
            "paddingBottomRight",
            js_sys::Array::of2(&right.into(), &MARGIN.into()).into(),
        ),
        ("maxZoom", JsValue::from_f64(9.0)),
        ("animate", JsValue::from_bool(animate)),
        ("duration", JsValue::from_f64(0.8)),
    ]);
    if animate {
        map.fly_to_bounds_with_options(bounds, &options);
    } else {
        map.fit_bounds_with_options(bounds, &options);
    }
}
