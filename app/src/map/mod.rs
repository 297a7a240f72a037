//! The story map: Leaflet (through leptos-leaflet) drawing the offline
//! basemap and every story layer, tied to the page's selection.

pub mod basemap;
pub mod bindings;
pub mod countries;
mod declutter;
#[cfg(feature = "ssr")]
pub mod drawn;
pub mod geojson_layer;
pub mod js;
pub mod layer;
pub mod lines;
pub mod locator;
pub mod moved;
pub mod places;
pub mod projection;
pub mod spread;
pub mod style;
pub mod view;
#[cfg(feature = "large-layers")]
pub mod viewport_layer;

use leptos::prelude::*;
use leptos_leaflet::prelude::{TileLayer, provide_leaflet_context};
#[cfg(feature = "ssr")]
use leptos_meta::{Meta, Stylesheet};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

use crate::links;
use crate::model::{StoryPage, TileSource};
use crate::nav;
use crate::routes::story::UrlState;
use basemap::Basemap;
use layer::{Follows, LayerSource, StoryLayer};

/// Where the map is pinned above the article, as the style sheet lays a
/// phone's page out.
pub const PINNED_MAP: &str = "(max-width: 50rem)";

/// Event listeners that must live as long as the map.
type Listeners = Vec<Closure<dyn FnMut(JsValue)>>;

/// The performance mark the map sets once every story layer is drawn and
/// clickable, over the whole basemap (and the server's drawing of the map
/// is taken away): for performance tools (and `cargo xtask bench`), and for
/// the page's start script, which starts its other islands then
/// (`crate::shell`).
pub const MAP_READY: &str = "kort-map-ready";

/// The least zoom the map opens at, however small it is.
pub const MIN_OPENING_ZOOM: f64 = 3.0;

/// The closest zoom readers may take the map to; large layers send every
/// point unclustered from it on (`story::viewport::CLUSTER_MAX_ZOOM`).
pub const MAX_ZOOM: f64 = 13.0;

/// What the map needs, in the head of the pages that have one: Leaflet's
/// style sheet, and the names of Leaflet's script, of the browser bundle
/// that runs the map and of its data, which the page's start script asks
/// for together once the page is painted (`crate::shell`); the data
/// arrives while the bundle starts (large layers are asked for by
/// viewport, so not here).
#[component]
pub fn MapHead(page: std::sync::Arc<StoryPage>) -> impl IntoView {
    // The head is the server's alone: the browser's bundle has no use for it.
    #[cfg(not(feature = "ssr"))]
    let _ = page;
    #[cfg(feature = "ssr")]
    let head = use_context::<crate::assets::Assets>().map(|assets| {
        let basemap = use_context::<crate::model::Site>().is_none_or(|site| site.tiles.is_none());
        let api = use_context::<UrlState>().map_or_else(
            || links::PageUrl::story(&page.summary.slug).api(),
            |state| state.api(),
        );
        let data = page
            .layers
            .iter()
            .filter(|layer| !layer.by_viewport)
            .map(|layer| links::layer_geojson(&api, &layer.id))
            .chain(basemap.then(basemap::files).into_iter().flatten())
            .map(|href| view! { <Meta name=crate::MAP_DATA content=href /> })
            .collect_view();
        // The bundle with large layers only for a story that has one.
        let (js, wasm) = assets.bundle(!page.lists_every_feature());
        view! {
            <Stylesheet href=assets.leaflet_css.clone() />
            <Meta name=crate::LEAFLET content=assets.leaflet_js.clone() />
            <Meta name=crate::BUNDLE content=js.to_owned() />
            <Meta name=crate::BUNDLE_WASM content=wasm.to_owned() />
            {data}
        }
    });
    #[cfg(not(feature = "ssr"))]
    let head: Option<()> = None;
    head
}

/// The interactive map of a story. The server renders its frame, which says
/// the map is loading; Leaflet is mounted in the browser once the page is
/// hydrated (Leaflet's objects live on the browser's one thread only).
#[component]
pub fn StoryMap(
    /// The story whose layers are drawn.
    page: std::sync::Arc<StoryPage>,
) -> impl IntoView {
    // Every story layer, and the basemap's files where the site has no tiles.
    let basemap_files = if use_context::<TileSource>().is_some() {
        0
    } else {
        basemap::FILE_COUNT
    };
    let parts = page.layers.len() + basemap_files;
    let drawn = RwSignal::new(0_usize);
    let ready = move || drawn.get() >= parts;
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    // The server's drawing of the map, under Leaflet's until that is whole
    // (see `drawn`).
    let first = NodeRef::<leptos::html::Div>::new();
    let take_over = move || take_over(first);
    // The moment from which the reader can use the whole map (`MAP_READY`).
    Effect::new(move |marked: Option<bool>| {
        let marked = marked.unwrap_or(false);
        if !marked && ready() {
            take_over();
            if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
                let _ = performance.mark(MAP_READY);
            }
            return true;
        }
        marked
    });
    // Hydration leaves alone what the browser's view does not have: the
    // drawing's inner HTML is the server's only.
    #[cfg(feature = "ssr")]
    let first_map =
        view! { <div class="first-map-host" node_ref=first inner_html=first_map(&page)></div> };
    #[cfg(not(feature = "ssr"))]
    let first_map = view! { <div class="first-map-host" node_ref=first></div> };
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
            {first_map}
            {move || mounted.get().then(|| view! { <LeafletMap page=std::sync::Arc::clone(&page) drawn first /> })}
            <p class="map-loading needs-js" aria-hidden="true">{texts.map_loading}</p>
            <noscript>
                <p class="map-noscript">{texts.map_needs_js}</p>
            </noscript>
        </div>
    }
    .into_any()
}

/// Takes the server's drawing of the map away (`first`, its host), for
/// Leaflet's.
fn take_over(first: NodeRef<leptos::html::Div>) {
    if let Some(first) = first.get_untracked() {
        first.set_inner_html("");
    }
}

/// The server's drawing of the story's map as the page's address shows it
/// (see `drawn`); empty where the site draws its map on tiles.
#[cfg(feature = "ssr")]
fn first_map(page: &StoryPage) -> String {
    let Some(geography) = use_context::<std::sync::Arc<drawn::Geography>>() else {
        return String::new();
    };
    if use_context::<TileSource>().is_some() {
        return String::new();
    }
    let Ok(story) = crate::story::catalog::Stories::current()
        .and_then(|catalog| catalog.story(&page.summary.slug))
    else {
        return String::new();
    };
    let state = use_context::<UrlState>();
    let layer_shown = |layer: &str| state.is_none_or(|state| state.shows(layer));
    let selected = state.and_then(|state| state.selected.get_untracked());
    let shown = drawn::Shown {
        opening: state.and_then(|state| state.view.get_untracked()),
        layer: &layer_shown,
        time: state.and_then(|state| state.time.get_untracked()),
        selected: selected.as_deref(),
        lang: crate::i18n::use_lang(),
    };
    drawn::draw(&geography, &story, &shown)
}

/// The Leaflet map with the basemap and every story layer.
#[component]
fn LeafletMap(
    page: std::sync::Arc<StoryPage>,
    /// Counts the story layers and basemap files drawn so far.
    drawn: RwSignal<usize>,
    /// The server's drawing of the map, taken away if the reader moves the
    /// map before Leaflet's is whole (it would not follow).
    first: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let selected = state.selected;
    let page_view = page.view;
    // The map's element, and Leaflet's map in it once it is on the page: what
    // leptos-leaflet's `MapContainer` does, without what kort does not use
    // (its geolocation, its event props, its boxed children): 4.9 KB less
    // wasm. The layers below find the map in this context.
    let context = provide_leaflet_context();
    let element = NodeRef::<leptos::html::Div>::new();
    let hint = NodeRef::<leptos::html::P>::new();
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
    let lang = crate::i18n::use_lang();
    Effect::new(move |_| {
        let Some(element) = element.get() else { return };
        let Some(map) = view::open(&element, page_view, opening, lang) else {
            return;
        };
        let mut kept = view::record_reader_moves(&map, write_view, move || take_over(first));
        kept.extend(declutter::watch(&map));
        kept.extend(view::keep_print_size(&map));
        // Embedded in another page, the map leaves the wheel to its scroll;
        // over the text on a touch screen, it leaves one finger to it.
        if let Some(hint) = hint.get_untracked() {
            let hint = view::Hint::new(hint.into());
            let embedded = state.mode() == crate::links::Mode::Embed;
            if embedded {
                kept.extend(view::cooperative_wheel(&map, hint.clone(), lang));
            }
            kept.extend(view::cooperative_touch(&map, hint, lang, embedded));
        }
        listeners.set_value(kept);
        // Now the layers draw, on the opening view.
        context.set_map(&map);
    });

    let on_select = Callback::new(move |id: String| {
        let url = untrack(|| state.feature_href(&id));
        nav::go(&url, false);
    });
    let on_ready = Callback::new(move |()| drawn.update(|count| *count += 1));
    let label = (lang.texts().map_label)(&page.text.title);

    view! {
        <p class="map-hint" node_ref=hint hidden="" aria-hidden="true"></p>
        // Leaflet makes its map a Tab stop (for the arrow keys): named as
        // the map, and told how to use it, like the frame around it.
        <div class="map" node_ref=element role="group" aria-label=label aria-describedby="map-help">
            // The story island provides the site's tiles, if it has any.
            {match use_context::<TileSource>() {
                Some(tiles) => view! { <TileLayer url=tiles.url attribution=tiles.attribution /> }.into_any(),
                None => view! { <Basemap on_ready /> }.into_any(),
            }}
            {page
                .layers
                .iter()
                .map(|layer| {
                    let id = layer.id.clone();
                    let source = LayerSource {
                        url: links::layer_geojson(&state.api(), &layer.id),
                        symbol: layer.style.symbol,
                        color: layer.style.color.clone(),
                        published: page.summary.published.clone(),
                        titles: layer
                            .features
                            .iter()
                            .filter(|_| !layer.by_viewport)
                            .map(|feature| (feature.id.clone(), feature.title.clone()))
                            .collect(),
                    };
                    let follows = Follows {
                        visible: Signal::derive(move || state.shows(&id)),
                        selected: selected.into(),
                        time: state.time.into(),
                        on_select,
                        on_ready,
                        hold_initial_view: opening.is_some(),
                    };
                    view! { <StoryLayer source large=layer.by_viewport follows /> }
                })
                .collect_view()}
            <moved::MovedPositions moved=page.corrections.iter().flat_map(|c| c.moved.clone()).collect() />
        </div>
    }
    .into_any()
}
