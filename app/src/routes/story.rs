//! `/stories/<slug>` and `/stories/<slug>/features/<id>`: the article beside
//! its map, with the selected feature's panel.
//!
//! Both URLs render this one page (the feature route is a child route with
//! nothing of its own), so moving between selections keeps the map alive.
//! The selection is derived from the URL, never stored beside it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Html;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};

use super::not_found::{NotFound, set_status};
use crate::components::meta::SocialMeta;
use crate::components::share::ShareButton;
use crate::components::site::{SiteHeader, SkipLinks};
use crate::components::sources::StorySources;
use crate::components::timeline::Timeline;
use crate::components::{
    article::Article, feature_list::FeatureList, layer_control::LayerControl, panel::FeaturePanel,
};
use crate::date::TimeFilter;
use crate::error::KortError;
use crate::i18n::{self, Lang};
use crate::links;
use crate::map::StoryMap;
use crate::model::{Site, StoryPage};

/// A story page, the site it is served from and the interface language.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StoryResponse {
    pub page: StoryPage,
    pub site: Site,
    pub lang: Lang,
}

/// The page model of a story. `lang` is the page's `?lang=`: it picks the
/// interface language and, where the story has a text in it, the article's;
/// without it the article is shown in its original language.
#[server(prefix = "/rpc")]
pub async fn get_story(slug: String, lang: Option<String>) -> Result<StoryResponse, KortError> {
    let stories = use_context::<crate::story::Stories>()
        .ok_or_else(|| KortError::Server("the story catalog is not available".into()))?;
    let story = stories.snapshot().story(&slug)?;
    let original = story.page();
    let chosen = lang.as_deref().and_then(Lang::from_param);
    let page = chosen
        .and_then(|lang| story.page_in(lang.tag()))
        .unwrap_or(original);
    Ok(StoryResponse {
        page: page.clone(),
        site: use_context::<Site>().unwrap_or_default(),
        lang: i18n::request_lang(chosen.map(Lang::tag), Some(&original.summary.language)),
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
    /// The language the reader chose (`?lang=`), if they chose one.
    pub lang: Memo<Option<Lang>>,
    /// The point or span in time the reader looks at (`?at=`, `?range=`).
    pub time: Memo<Option<TimeFilter>>,
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
        let lang = Memo::new(move |_| {
            params
                .read()
                .get("lang")
                .as_deref()
                .and_then(Lang::from_param)
        });
        let time = Memo::new(move |_| {
            let params = params.read();
            TimeFilter::from_params(params.get("at").as_deref(), params.get("range").as_deref())
        });
        let query = Memo::new(move |_| {
            links::query(layers.get().as_deref(), view.get(), lang.get(), time.get())
        });
        Self {
            selected,
            layers,
            view,
            lang,
            time,
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

    /// The current page in another language, keeping every other choice.
    pub fn in_language(&self, path: &str, lang: Lang) -> String {
        format!(
            "{path}{}",
            links::query(
                self.layers.get().as_deref(),
                self.view.get(),
                Some(lang),
                self.time.get()
            )
        )
    }

    /// A feature's deep link at a time: selecting it and showing the map as
    /// it was then.
    pub fn feature_at(&self, slug: &str, id: &str, time: Option<TimeFilter>) -> String {
        let query = links::query(
            self.layers.get().as_deref(),
            self.view.get(),
            self.lang.get(),
            time,
        );
        format!("{}{}{query}", self.prefix, links::feature(slug, id))
    }

    /// The current page at another time (or at none), keeping every other choice.
    pub fn at_time(&self, path: &str, time: Option<TimeFilter>) -> String {
        let query = links::query(
            self.layers.get().as_deref(),
            self.view.get(),
            self.lang.get(),
            time,
        );
        format!("{path}{query}")
    }

    /// Whether a feature with this date is shown at the reader's time.
    pub fn shows_date(&self, date: Option<&str>) -> bool {
        self.time
            .with(|time| TimeFilter::shows(time.as_ref(), date))
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
    let query = use_query_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let lang = Memo::new(move |_| query.read().get("lang"));
    let story = crate::codec::resource(
        move || (slug.get(), lang.get()),
        |(slug, lang)| get_story(slug, lang),
    );

    view! {
        <Suspense fallback=|| view! { <p class="loading">{i18n::use_texts().loading_story}</p> }>
            {move || Suspend::new(async move {
                match story.await {
                    Ok(StoryResponse { page, site, lang }) => {
                        provide_context(site);
                        provide_context(lang);
                        view! { <StoryView page=Arc::new(page) mode /> }.into_any()
                    }
                    Err(error) => {
                        set_status(error.status());
                        let lang = i18n::request_lang(query.read_untracked().get("lang").as_deref(), None);
                        provide_context(lang);
                        let texts = lang.texts();
                        let message = match &error {
                            KortError::StoryNotFound { slug } => (texts.no_such_story)(slug),
                            KortError::StoryUnavailable { slug } => (texts.unavailable)(slug),
                            other => other.to_string(),
                        };
                        view! {
                            <NotFound message back_href="/".to_owned() back_label=texts.all_stories.to_owned() />
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
    // A selection the page does not list is a 404, unless a large layer
    // (whose features the page lists only in part) may have it: the panel
    // asks the server then.
    let missing = {
        let page = Arc::clone(&page);
        Memo::new(move |_| {
            selected
                .get()
                .filter(|id| page.lists_every_feature() && page.feature(id).is_none())
        })
    };
    close_on_escape(page.summary.slug.clone());
    let announcement = {
        let page = Arc::clone(&page);
        let texts = i18n::use_texts();
        // Nothing to say on arrival; "cleared" only after a selection.
        Memo::new(move |said: Option<&String>| match selected.get() {
            Some(id) => page
                .feature(&id)
                .map(|feature| (texts.selected_announcement)(&feature.title))
                .unwrap_or_default(),
            None if said.is_some_and(|said| !said.is_empty()) => {
                texts.cleared_announcement.to_owned()
            }
            None => String::new(),
        })
    };
    let story = Arc::clone(&page);
    view! {
        <Show
            when=move || missing.get().is_none()
            fallback=move || {
                set_status(404);
                let feature = missing.get().unwrap_or_default();
                let texts = i18n::use_texts();
                view! {
                    <NotFound
                        message=(texts.no_feature)(&story.text.title, &feature)
                        back_href=links::story(&story.summary.slug)
                        back_label=(texts.back_to)(&story.text.title)
                    />
                }
            }
        >
            {match mode {
                Mode::Page => view! { <StoryLayout page=Arc::clone(&page) /> }.into_any(),
                Mode::Embed => view! { <EmbedLayout page=Arc::clone(&page) /> }.into_any(),
            }}
        </Show>
        // Selection changes, said aloud by screen readers.
        <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {announcement}
        </p>
    }
}

#[component]
fn StoryLayout(page: Arc<StoryPage>) -> impl IntoView {
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let summary = &page.summary;
    let text = &page.text;
    view! {
        <Html {..} lang=lang.tag() dir="ltr" />
        <SocialMeta page=Arc::clone(&page) />
        <SkipLinks targets=vec![("#article", texts.skip_to_article), ("#map", texts.skip_to_map)] />
        <SiteHeader in_language=Callback::new({
            let location = use_location();
            let state = expect_context::<UrlState>();
            move |lang| state.in_language(&location.pathname.get(), lang)
        }) />
        <main class="story" id="main">
            <article class="article" id="article" lang=text.language.clone() tabindex="-1">
                <h1>{text.title.clone()}</h1>
                <p class="byline" lang=lang.tag()>
                    {format!("{} · ", page.byline)}
                    <time datetime=summary.published.clone()>{lang.date(&summary.published)}</time>
                </p>
                <TextNotice page=Arc::clone(&page) />
                <p class="summary" lang="en">{summary.summary.clone()}</p>
                <div class="share-row" lang=lang.tag()>
                    <ShareButton title=text.title.clone() />
                </div>
                <details class="downloads" lang=lang.tag()>
                    <summary>{texts.download}</summary>
                    <ul>
                        <li>
                            <a href=format!("/api/stories/{}/export.geojson", summary.slug) download="">
                                "GeoJSON"
                            </a>
                            {texts.download_geojson}
                        </li>
                        <li>
                            <a href=format!("/api/stories/{}/export.kml", summary.slug) download="">"KML"</a>
                            {texts.download_kml}
                        </li>
                    </ul>
                </details>
                <Article page=Arc::clone(&page) />
                // On paper the live map gives way to its picture; on screen
                // this loads only a 1-pixel placeholder.
                <picture class="print-map">
                    <source media="print" srcset=format!("/stories/{}/preview.png", summary.slug) />
                    <img
                        src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
                        alt=(texts.print_map)(&text.title)
                        width="1200"
                        height="630"
                    />
                </picture>
            </article>
            <div class="map-column">
                <div class="map-stage">
                    <StoryMap page=Arc::clone(&page) />
                    <LayerControl page=Arc::clone(&page) />
                    <FeaturePanel page=Arc::clone(&page) />
                </div>
                <Timeline page=Arc::clone(&page) />
            </div>
            <div class="story-lists">
                <FeatureList page=Arc::clone(&page) />
                <StorySources page=Arc::clone(&page) />
            </div>
        </main>
    }
    .into_any()
}

/// Under the headline: who translated the text and a link to the original,
/// or a link to a translation into the reader's language.
#[component]
fn TextNotice(page: Arc<StoryPage>) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let location = use_location();
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let original = page.summary.language.clone();
    let link = |to: Lang, label: String| {
        let href = move || state.in_language(&location.pathname.get(), to);
        view! { <a href=href hreflang=to.tag()>{label}</a> }
    };
    if let Some(translator) = &page.text.translator {
        let from = (texts.language_name)(&original);
        let back = Lang::parse(&original).map(|to| link(to, (texts.read_original)(&from)));
        Some(
            view! {
                <p class="text-notice" lang=lang.tag()>
                    {format!("{}. ", (texts.translated_by)(&from, translator))}
                    {back}
                </p>
            }
            .into_any(),
        )
    } else if lang.tag() != original && page.languages.iter().any(|l| l == lang.tag()) {
        let name = (texts.language_name)(lang.tag());
        Some(
            view! { <p class="text-notice" lang=lang.tag()>{link(lang, (texts.read_translation)(&name))}</p> }
                .into_any(),
        )
    } else {
        None
    }
}

/// The embed: the map and its panel, with a link back to the full story.
#[component]
fn EmbedLayout(page: Arc<StoryPage>) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let lang = i18n::use_lang();
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
        <Html {..} lang=lang.tag() dir="ltr" />
        <SocialMeta page=Arc::clone(&page) />
        <main class="embed" id="main">
            <div class="map-column">
                <StoryMap page=Arc::clone(&page) />
                <FeaturePanel page=Arc::clone(&page) />
            </div>
            <p class="embed-credit">
                <a href=full target="_blank" rel="noopener">
                    <span lang=page.text.language.clone()>{page.text.title.clone()}</span>
                    {lang.texts().read_on_kort}
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
