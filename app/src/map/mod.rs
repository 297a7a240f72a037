//! The story map: Leaflet (through leptos-leaflet) drawing the offline
//! basemap and every story layer, tied to the page's selection.

pub mod basemap;
pub mod geojson_layer;
pub mod js;
pub mod lines;
pub mod places;
pub mod style;

use leptos::prelude::*;
use leptos_leaflet::prelude::{MapContainer, Position, TileLayer, create_map_signal};
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::links;
use crate::model::{Site, StoryPage};
use crate::routes::story::UrlState;
use basemap::Basemap;
use geojson_layer::GeoJsonLayer;

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
    view! {
        <div class="map-frame" data-ready=move || ready().then_some("true")>
            <Show when=move || mounted.get()>
                <LeafletMap page=std::sync::Arc::clone(&page) drawn />
            </Show>
            <p class="map-loading" aria-hidden="true">"Loading the map…"</p>
            <noscript>
                <p class="map-noscript">"The map needs JavaScript. Every feature is also listed beside the article."</p>
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
    let slug = page.summary.slug.clone();
    let view = page.view;
    let (map, set_map) = create_map_signal();

    // Open on the story's region and keep it in sight.
    Effect::new(move |_| {
        let Some(map) = map.get() else { return };
        let bounds = leaflet::LatLngBounds::new(
            &leaflet::LatLng::new(view.south, view.west),
            &leaflet::LatLng::new(view.north, view.east),
        );
        map.fit_bounds(&bounds);
        let margin = ((view.east - view.west).max(view.north - view.south)) * 0.5;
        map.set_max_bounds(&leaflet::LatLngBounds::new(
            &leaflet::LatLng::new(view.south - margin, view.west - margin),
            &leaflet::LatLng::new(view.north + margin, view.east + margin),
        ));
        map.set_min_zoom((map.get_zoom() - 2.0).max(3.0));
        map.set_max_zoom(13.0);
    });

    let navigate = use_navigate();
    let on_select = Callback::new(move |id: String| {
        let url = untrack(|| state.feature_href(&slug, &id));
        navigate(&url, NavigateOptions::default());
    });
    let on_ready = Callback::new(move |()| drawn.update(|count| *count += 1));

    let center = Position::new(
        f64::midpoint(view.south, view.north),
        f64::midpoint(view.west, view.east),
    );
    view! {
        // Children run inside MapContainer, after it provides the map's context.
        <MapContainer class="map" center=center zoom=7.0 map=set_map>
            {match use_context::<Site>().and_then(|site| site.tiles) {
                Some(tiles) => view! { <TileLayer url=tiles.url attribution=tiles.attribution /> }.into_any(),
                None => view! { <Basemap /> }.into_any(),
            }}
            {page
                .layers
                .iter()
                .map(|layer| {
                    view! {
                        <GeoJsonLayer
                            url=links::layer_geojson(&page.summary.slug, &layer.id)
                            visible={
                                let id = layer.id.clone();
                                Signal::derive(move || state.shows(&id))
                            }
                            symbol=layer.style.symbol
                            color=layer.style.color.clone()
                            selected=selected
                            on_select=on_select
                            on_ready=on_ready
                        />
                    }
                })
                .collect_view()}
        </MapContainer>
    }
    .into_any()
}
