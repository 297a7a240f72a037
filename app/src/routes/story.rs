//! `/stories/<slug>` and `/stories/<slug>/features/<id>`: the article beside
//! its map, with the selected feature's panel.
//!
//! Both URLs render this one page (the feature route is a child route with
//! nothing of its own), so moving between selections keeps the map alive.
//! The selection is derived from the URL, never stored beside it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};

use super::not_found::{NotFound, set_status};
use crate::components::meta::SocialMeta;
use crate::components::share::ShareButton;
use crate::components::{
    article::Article, feature_list::FeatureList, layer_control::LayerControl, panel::FeaturePanel,
};
use crate::error::KortError;
use crate::links;
use crate::map::StoryMap;
use crate::model::{Site, StoryPage};

/// A story page and the site it is served from.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StoryResponse {
    pub page: StoryPage,
    pub site: Site,
}

/// The page model of a story.
#[server(prefix = "/rpc")]
pub async fn get_story(slug: String) -> Result<StoryResponse, KortError> {
    let stories = use_context::<crate::story::Stories>()
        .ok_or_else(|| KortError::Server("the story catalog is not available".into()))?;
    let story = stories.snapshot().story(&slug)?;
    Ok(StoryResponse {
        page: story.page.clone(),
        site: use_context::<Site>().unwrap_or_default(),
    })
}

/// What the URL says the reader sees, derived from it and never stored
/// beside it; shared by the map, the article, the feature list and the panel.
#[derive(Debug, Clone, Copy)]
pub struct UrlState {
    /// The selected feature's id (`/stories/<slug>/features/<id>`).
    pub selected: Memo<Option<String>>,
    /// The layers shown (`?layers=`): `None` shows every layer.
    pub layers: Memo<Option<Vec<String>>>,
    /// The map view (`?view=zoom/lat/lon`), once the reader has moved the map.
    pub view: Memo<Option<links::MapView>>,
    /// The query string links carry, so choices survive navigation.
    pub query: Memo<String>,
    /// Where the page's own links point: `""` for story pages, `/embed` for embeds.
    pub prefix: &'static str,
}

impl UrlState {
    /// Derives the state from the current URL, for this story's layers.
    fn new(page: &StoryPage, prefix: &'static str) -> Self {
        let location = use_location();
        let params = use_query_map();
        let known: Vec<String> = page.layers.iter().map(|layer| layer.id.clone()).collect();
        let selected = Memo::new(move |_| links::selected_feature(&location.pathname.get()));
        let layers = Memo::new(move |_| {
            let values = params.read().get_all("layers").unwrap_or_default();
            links::parse_layers(&values, known.iter().map(String::as_str))
        });
        let view = Memo::new(move |_| {
            params
                .read()
                .get("view")
                .as_deref()
                .and_then(links::MapView::parse)
        });
        let query = Memo::new(move |_| links::query(layers.get().as_deref(), view.get()));
        Self {
            selected,
            layers,
            view,
            query,
            prefix,
        }
    }

    /// The link that selects a feature, keeping the reader's choices.
    pub fn feature_href(&self, slug: &str, id: &str) -> String {
        format!(
            "{}{}{}",
            self.prefix,
            links::feature(slug, id),
            self.query.get()
        )
    }

    /// The link that clears the selection, keeping the reader's choices.
    pub fn story_href(&self, slug: &str) -> String {
        format!("{}{}{}", self.prefix, links::story(slug), self.query.get())
    }

    /// Whether the layer is shown.
    pub fn shows(&self, layer: &str) -> bool {
        self.layers.with(|shown| {
            shown
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|id| id == layer))
        })
    }
}

/// How a story is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The full page: article, map, feature list.
    Page,
    /// For other sites' iframes: the map and its panel, no site chrome.
    Embed,
}

/// The story page route, `/stories/<slug>[/features/<id>]`.
#[component]
pub fn StoryRoute() -> impl IntoView {
    story_route(Mode::Page)
}

/// The embeddable route, `/embed/stories/<slug>[/features/<id>]`.
#[component]
pub fn EmbedRoute() -> impl IntoView {
    story_route(Mode::Embed)
}

fn story_route(mode: Mode) -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let story = Resource::new(move || slug.get(), get_story);

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the story…"</p> }>
            {move || Suspend::new(async move {
                match story.await {
                    Ok(StoryResponse { page, site }) => {
                        provide_context(site);
                        view! { <StoryView page=Arc::new(page) mode /> }.into_any()
                    }
                    Err(error) => {
                        set_status(error.status());
                        view! {
                            <NotFound message=error.to_string() back_href="/".to_owned() back_label="All stories".to_owned() />
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
        <Outlet />
    }
}

/// The story itself, or a 404 if the URL selects a feature it does not have.
#[component]
fn StoryView(page: Arc<StoryPage>, mode: Mode) -> impl IntoView {
    let prefix = match mode {
        Mode::Page => "",
        Mode::Embed => links::EMBED_PREFIX,
    };
    let state = UrlState::new(&page, prefix);
    provide_context(state);
    let selected = state.selected;
    let missing = {
        let page = Arc::clone(&page);
        Memo::new(move |_| selected.get().filter(|id| page.feature(id).is_none()))
    };
    close_on_escape(page.summary.slug.clone());
    let story = Arc::clone(&page);
    view! {
        <Show
            when=move || missing.get().is_none()
            fallback=move || {
                set_status(404);
                let feature = missing.get().unwrap_or_default();
                view! {
                    <NotFound
                        message=format!("The story “{}” has no feature “{feature}”.", story.summary.title)
                        back_href=links::story(&story.summary.slug)
                        back_label=format!("Back to “{}”", story.summary.title)
                    />
                }
            }
        >
            {match mode {
                Mode::Page => view! { <StoryLayout page=Arc::clone(&page) /> }.into_any(),
                Mode::Embed => view! { <EmbedLayout page=Arc::clone(&page) /> }.into_any(),
            }}
        </Show>
    }
}

#[component]
fn StoryLayout(page: Arc<StoryPage>) -> impl IntoView {
    let summary = &page.summary;
    view! {
        <SocialMeta page=Arc::clone(&page) />
        <header class="site-header">
            <a class="site-name" href="/">"kort"</a>
        </header>
        <main class="story" id="main">
            <article class="article" lang=summary.language.clone()>
                <h1>{summary.title.clone()}</h1>
                <p class="byline">
                    {page.byline.clone()} " · "
                    <time datetime=summary.published.clone()>{summary.published.clone()}</time>
                </p>
                <p class="summary" lang="en">{summary.summary.clone()}</p>
                <p class="share-row">
                    <ShareButton title=summary.title.clone() />
                </p>
                <details class="downloads">
                    <summary>"Download the map data"</summary>
                    <ul>
                        <li>
                            <a href=format!("/api/stories/{}/export.geojson", summary.slug) download="">
                                "GeoJSON"
                            </a>
                            " — every layer, with dates, uncertainty, passages and sources"
                        </li>
                        <li>
                            <a href=format!("/api/stories/{}/export.kml", summary.slug) download="">"KML"</a>
                            " — for Google Earth and other globes"
                        </li>
                    </ul>
                </details>
                <Article page=Arc::clone(&page) />
            </article>
            <div class="map-column">
                <StoryMap page=Arc::clone(&page) />
                <LayerControl page=Arc::clone(&page) />
                <FeaturePanel page=Arc::clone(&page) />
            </div>
            <FeatureList page=Arc::clone(&page) />
        </main>
    }
    .into_any()
}

/// The embed: the map and its panel, with a link back to the full story.
#[component]
fn EmbedLayout(page: Arc<StoryPage>) -> impl IntoView {
    let state = expect_context::<UrlState>();
    // Out of the iframe, to the full page in the same state.
    let slug = page.summary.slug.clone();
    let full = move || {
        let path = match state.selected.get() {
            Some(id) => links::feature(&slug, &id),
            None => links::story(&slug),
        };
        format!("{path}{}", state.query.get())
    };
    view! {
        <SocialMeta page=Arc::clone(&page) />
        <main class="embed" id="main">
            <div class="map-column">
                <StoryMap page=Arc::clone(&page) />
                <FeaturePanel page=Arc::clone(&page) />
            </div>
            <p class="embed-credit">
                <a href=full target="_blank" rel="noopener">
                    {page.summary.title.clone()}
                    " — read the story on kort"
                </a>
            </p>
        </main>
    }
    .into_any()
}

/// Escape clears the selection.
fn close_on_escape(slug: String) {
    let navigate = use_navigate();
    let state = expect_context::<UrlState>();
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && state.selected.get_untracked().is_some() {
            let url = untrack(|| state.story_href(&slug));
            navigate(&url, NavigateOptions::default());
        }
    });
    on_cleanup(move || handle.remove());
}
