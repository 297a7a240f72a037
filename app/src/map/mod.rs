//! The story map: Leaflet (through leptos-leaflet) drawing the offline
//! basemap and every story layer, tied to the page's selection.

pub mod basemap;
pub mod bindings;
mod declutter;
pub mod geojson_layer;
pub mod js;
pub mod lines;
pub mod places;
pub mod spread;
pub mod style;
#[cfg(feature = "large-layers")]
pub mod viewport_layer;

use leptos::prelude::*;
use leptos_leaflet::prelude::{TileLayer, provide_leaflet_context};
use leptos_meta::Link;
#[cfg(feature = "ssr")]
use leptos_meta::{Script, Stylesheet};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::links;
use crate::model::{Site, StoryPage, TileSource};
use crate::nav;
use crate::routes::story::UrlState;
use basemap::Basemap;
use geojson_layer::GeoJsonLayer;
#[cfg(feature = "large-layers")]
use viewport_layer::ViewportLayer;

/// Event listeners that must live as long as the map.
type Listeners = Vec<Closure<dyn FnMut(JsValue)>>;

/// How long the map must rest before its view is written to the URL.
const VIEW_SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// The performance mark the map sets once every story layer is drawn and
/// clickable: for performance tools (and `cargo xtask bench`), and for the
/// page's start script, which starts its other islands then (`crate::shell`).
pub const MAP_READY: &str = "kort-map-ready";

/// The closest zoom readers may take the map to; large layers send every
/// point unclustered from it on (`story::viewport::CLUSTER_MAX_ZOOM`).
pub const MAX_ZOOM: f64 = 13.0;

/// Calls `on_move` with the map's view after each move the reader made
/// (pointer, wheel or keys on the map), not after the map's own fits and
/// flights, so the URL records where the reader looked, not where kort went.
/// Returns the listeners, which must live as long as the map.
fn record_reader_moves(
    map: &leaflet::Map,
    on_move: impl Fn(links::MapView) + 'static,
) -> Listeners {
    let by_reader = std::rc::Rc::new(std::cell::Cell::new(false));
    let mut listeners = Vec::new();
    let container = map.get_container();
    for event in ["pointerdown", "wheel", "keydown"] {
        let by_reader = std::rc::Rc::clone(&by_reader);
        let mark = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| by_reader.set(true));
        let _ = container.add_event_listener_with_callback(event, mark.as_ref().unchecked_ref());
        listeners.push(mark);
    }
    // Written once the map has settled: Leaflet may still pan it back inside
    // its bounds after the reader's move, which ends in a move of its own.
    let pending: std::rc::Rc<std::cell::Cell<Option<TimeoutHandle>>> = std::rc::Rc::default();
    let on_move = std::rc::Rc::new(on_move);
    let moved = {
        let map = map.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
            if !by_reader.get() {
                return;
            }
            if let Some(previous) = pending.take() {
                previous.clear();
            }
            let (map, by_reader, on_move) = (
                map.clone(),
                std::rc::Rc::clone(&by_reader),
                std::rc::Rc::clone(&on_move),
            );
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

/// What the map needs, in the head of the pages that have one: Leaflet, the
/// browser bundle that runs the map (asked for early), and its data, which
/// arrives while the bundle starts (large layers are asked for by viewport,
/// so not here).
#[component]
pub fn MapHead(page: std::sync::Arc<StoryPage>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let bundle = use_context::<crate::assets::Assets>().map(|assets| {
        // The bundle with large layers only for a story that has one; the
        // page's start script runs the bundle asked for here.
        let (js, wasm) = assets.bundle(!page.lists_every_feature());
        view! {
            <Stylesheet href=assets.leaflet_css.clone() />
            <Script src=assets.leaflet_js.clone() defer="" />
            <Link rel="modulepreload" href=js.to_owned() crossorigin="anonymous" />
            <Link rel="preload" href=wasm.to_owned() as_="fetch" type_="application/wasm" crossorigin="anonymous" />
        }
    });
    #[cfg(not(feature = "ssr"))]
    let bundle: Option<()> = None;
    let basemap = use_context::<Site>().is_none_or(|site| site.tiles.is_none());
    let data = page
        .layers
        .iter()
        .filter(|layer| !layer.by_viewport)
        .map(|layer| links::layer_geojson(&page.summary.slug, &layer.id))
        .chain(basemap.then(basemap::files).into_iter().flatten())
        // Low priority: over HTTP/1.1's six connections, the files would
        // otherwise hold up the style sheets and scripts the page needs first.
        .map(|href| {
            view! {
                <Link rel="preload" href=href as_="fetch" crossorigin="anonymous" fetchpriority="low" />
            }
        })
        .collect_view();
    view! {
        {bundle}
        {data}
    }
}

/// The interactive map of a story. The server renders its frame, which says
/// the map is loading; Leaflet is mounted in the browser once the page is
/// hydrated (Leaflet's objects live on the browser's one thread only).
#[component]
pub fn StoryMap(
    /// The story whose layers are drawn.
    page: std::sync::Arc<StoryPage>,
) -> impl IntoView {
    let layer_count = page.layers.len();
    let drawn = RwSignal::new(0_usize);
    let ready = move || drawn.get() >= layer_count;
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    // The moment from which the reader can use the whole map (`MAP_READY`).
    Effect::new(move |marked: Option<bool>| {
        let marked = marked.unwrap_or(false);
        if !marked && ready() {
            if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
                let _ = performance.mark(MAP_READY);
            }
            return true;
        }
        marked
    });
    let texts = crate::i18n::use_texts();
    let label = (texts.map_label)(&page.text.title);
    view! {
        <div
            class="map-frame"
            id="map"
            role="region"
            tabindex="-1"
            aria-label=label
            aria-describedby="map-help"
            data-ready=move || ready().then_some("true")
        >
            <p class="visually-hidden" id="map-help">{texts.map_help}</p>
            {move || mounted.get().then(|| view! { <LeafletMap page=std::sync::Arc::clone(&page) drawn /> })}
            <p class="map-loading needs-js" aria-hidden="true">{texts.map_loading}</p>
            <noscript>
                <p class="map-noscript">{texts.map_needs_js}</p>
            </noscript>
        </div>
    }
    .into_any()
}

/// The Leaflet map with the basemap and every story layer.
#[component]
fn LeafletMap(
    page: std::sync::Arc<StoryPage>,
    /// Counts the story layers drawn so far.
    drawn: RwSignal<usize>,
) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let selected = state.selected;
    let view = page.view;
    // The map's element, and Leaflet's map in it once it is on the page: what
    // leptos-leaflet's `MapContainer` does, without what kort does not use
    // (its geolocation, its event props, its boxed children): 4.9 KB less
    // wasm. The layers below find the map in this context.
    let context = provide_leaflet_context();
    let element = NodeRef::<leptos::html::Div>::new();
    on_cleanup(move || {
        if let Some(map) = context.map_untracked() {
            map.remove();
        }
    });

    // Open where the URL says, else on the story's region; keep the region in sight.
    let opening = state.view.get_untracked();
    let listeners: StoredValue<Listeners, LocalStorage> = StoredValue::new_local(Vec::new());
    let write_view = move |moved: links::MapView| {
        let url = untrack(|| state.link(|url| url.with_view(Some(moved))));
        nav::go(&url, true);
    };
    let texts = crate::i18n::use_texts();
    Effect::new(move |_| {
        let Some(element) = element.get() else { return };
        // Its own zoom control goes elsewhere (below).
        let options = js::object(&[("zoomControl", JsValue::FALSE)]);
        let Ok(map) = leaflet::Map::new_with_element(&element, &options.unchecked_into()) else {
            leptos::logging::error!("Leaflet could not make the map");
            return;
        };
        // Bottom right: the panel opens over the top left and the layer
        // control sits at the top right.
        let mut zoom = leaflet::ZoomOptions::new();
        zoom.set_position("bottomright");
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
        map.set_min_zoom((fitted - 2.0).max(3.0));
        map.set_max_zoom(MAX_ZOOM);
        let at_once = js::object(&[("animate", JsValue::FALSE)]);
        match opening {
            Some(opening) => {
                let zoom = opening.zoom.clamp((fitted - 2.0).max(3.0), MAX_ZOOM);
                let center = leaflet::LatLng::new(opening.lat, opening.lon);
                map.set_view_with_options(&center, zoom, &at_once);
            }
            None => {
                map.fit_bounds_with_options(&bounds, &at_once);
            }
        }
        // Bounds after the opening view, which is not animated: an animated
        // opening would be cut short by the bounds' own pan.
        let margin = ((view.east - view.west).max(view.north - view.south)) * 0.5;
        map.set_max_bounds(&leaflet::LatLngBounds::new(
            &leaflet::LatLng::new(view.south - margin, view.west - margin),
            &leaflet::LatLng::new(view.north + margin, view.east + margin),
        ));
        let mut kept = record_reader_moves(&map, write_view);
        kept.extend(declutter::watch(&map));
        listeners.set_value(kept);
        // Now the layers draw, on the opening view.
        context.set_map(&map);
    });

    let on_select = Callback::new(move |id: String| {
        let url = untrack(|| state.feature_href(&id));
        nav::go(&url, false);
    });
    let on_ready = Callback::new(move |()| drawn.update(|count| *count += 1));

    view! {
        <div class="map" node_ref=element>
            // The story island provides the site's tiles, if it has any.
            {match use_context::<TileSource>() {
                Some(tiles) => view! { <TileLayer url=tiles.url attribution=tiles.attribution /> }.into_any(),
                None => view! { <Basemap /> }.into_any(),
            }}
            {page
                .layers
                .iter()
                .map(|layer| {
                    let url = links::layer_geojson(&page.summary.slug, &layer.id);
                    let visible = {
                        let id = layer.id.clone();
                        Signal::derive(move || state.shows(&id))
                    };
                    // The server hands the pages of stories with a large
                    // layer the bundle that draws it (`assets::Assets`).
                    #[cfg(not(feature = "large-layers"))]
                    if layer.by_viewport {
                        leptos::logging::error!("layer {}: this bundle draws no large layers", layer.id);
                        on_ready.run(());
                        return ().into_any();
                    }
                    #[cfg(feature = "large-layers")]
                    if layer.by_viewport {
                        return view! {
                            <ViewportLayer
                                url=url
                                symbol=layer.style.symbol
                                color=layer.style.color.clone()
                                visible=visible
                                selected=selected
                                time=state.time
                                on_select=on_select
                                on_ready=on_ready
                                hold_initial_view=opening.is_some()
                            />
                        }
                        .into_any();
                    }
                    let after_article: Vec<String> = layer
                        .features
                        .iter()
                        .filter(|feature| {
                            crate::date::after_publication(&page.summary.published, feature.date.as_deref())
                        })
                        .map(|feature| feature.id.clone())
                        .collect();
                    let dated: Vec<(String, Option<String>)> = layer
                        .features
                        .iter()
                        .map(|feature| (feature.id.clone(), feature.date.clone()))
                        .collect();
                    let hidden = Signal::derive(move || {
                        dated
                            .iter()
                            .filter(|(_, date)| !state.shows_date(date.as_deref()))
                            .map(|(id, _)| id.clone())
                            .collect::<Vec<_>>()
                    });
                    view! {
                        <GeoJsonLayer
                            url=url
                            visible=visible
                            symbol=layer.style.symbol
                            color=layer.style.color.clone()
                            selected=selected
                            on_select=on_select
                            on_ready=on_ready
                            hold_initial_view=opening.is_some()
                            hidden=hidden
                            after_article=after_article
                        />
                    }
                    .into_any()
                })
                .collect_view()}
        </div>
    }
    .into_any()
}
