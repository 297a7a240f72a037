//! `/stories/<slug>` and `/stories/<slug>/features/<id>`: the article beside
//! its map, with the selected feature's panel.
//!
//! Both URLs render this one page (the feature route is a child route with
//! nothing of its own). In the browser only the map and what floats over it
//! run (an island, [`StoryStage`]), and after it the timeline (another,
//! [`StoryTimeline`]); moving between selections changes the address in
//! place ([`crate::nav`]) and keeps the map alive. The selection is derived
//! from the address, never stored beside it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::{Html, Link};
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::not_found::{NotFound, set_status};
use crate::components::corrections::{Corrections, RevisionNotice, day};
use crate::components::marks;
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
pub use crate::links::Mode;
use crate::links::{self, PageUrl};
use crate::map::{MapHead, StoryMap};
use crate::model::{Site, StoryPage, TileSource};
use crate::nav;

/// A story page, the site it is served from and the interface language.
#[derive(Debug, Clone)]
pub struct StoryResponse {
    pub page: StoryPage,
    pub site: Site,
    pub lang: Lang,
}

/// The page model of a story. `lang` is the page's `?lang=`: it picks the
/// interface language and, where the story has a text in it, the article's;
/// without it the article is shown in its original language.
///
/// Read on the server, as it renders the page: only the page's islands run
/// in the browser, and they are handed what they need.
pub fn load_story(slug: &str, lang: Option<&str>) -> Result<StoryResponse, KortError> {
    #[cfg(feature = "ssr")]
    {
        let story = crate::story::Stories::current()?.story(slug)?;
        let chosen = lang.and_then(Lang::from_param);
        let lang = i18n::request_lang(chosen.map(Lang::tag), Some(&story.page().summary.language));
        Ok(StoryResponse {
            page: story.page_for(chosen.map(Lang::tag), lang.tag()).clone(),
            site: use_context::<Site>().unwrap_or_default(),
            lang,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (slug, lang);
        Err(KortError::Server(
            "story pages are rendered by the server".into(),
        ))
    }
}

/// What the URL says the reader sees, derived from it and never stored
/// beside it; shared by the map, the article, the feature list and the panel.
#[derive(Debug, Clone, Copy)]
pub struct UrlState {
    /// The page's address, read ([`PageUrl`]).
    pub url: Memo<PageUrl>,
    /// The selected feature's id (`/stories/<slug>/features/<id>`).
    pub selected: Memo<Option<String>>,
    /// The layers shown (`?layers=`), of the story's own: `None` shows every layer.
    pub layers: Memo<Option<Vec<String>>>,
    /// The map view (`?view=zoom/lat/lon`), once the reader has moved the map.
    pub view: Memo<Option<links::MapView>>,
    /// The language the reader chose (`?lang=`), if they chose one.
    pub lang: Memo<Option<Lang>>,
    /// The point or span in time the reader looks at (`?at=`, `?range=`).
    pub time: Memo<Option<TimeFilter>>,
}

impl UrlState {
    /// Derives the state from the page's address ([`crate::nav`]), for the
    /// story `slug` with these layers, shown as `mode`. (An address that is
    /// not the story's page, which only a test would give, reads as the
    /// story with nothing chosen.)
    pub fn new(slug: &str, known: Vec<String>, mode: Mode) -> Self {
        let address = nav::address();
        let fallback = PageUrl::story(slug).with_mode(mode);
        let url = Memo::new(move |_| {
            address.with(|address| {
                PageUrl::from_parts(&address.path, &address.params)
                    .unwrap_or_else(|| fallback.clone())
            })
        });
        let selected = Memo::new(move |_| url.with(|url| url.feature.clone()));
        let layers = Memo::new(move |_| {
            url.with(|url| {
                links::parse_layers(
                    url.choices.layers.as_deref(),
                    known.iter().map(String::as_str),
                )
            })
        });
        let view = Memo::new(move |_| url.with(|url| url.choices.view));
        let lang = Memo::new(move |_| url.with(|url| url.choices.lang));
        let time = Memo::new(move |_| url.with(|url| url.choices.time));
        Self {
            url,
            selected,
            layers,
            view,
            lang,
            time,
        }
    }

    /// Which page this is (the full page, an embed, a draft's preview).
    pub fn mode(&self) -> Mode {
        self.url.with_untracked(|url| url.mode)
    }

    /// The published story's own address at the revision shown (its
    /// media files are under it), whatever the page's mode.
    pub fn published_path(&self) -> String {
        self.url
            .with_untracked(|url| PageUrl::story(&url.slug).with_revision(url.revision).path())
    }

    /// Where the page reads its story's data ([`PageUrl::api`]).
    pub fn api(&self) -> String {
        self.url.with_untracked(PageUrl::api)
    }

    /// The current address with the reader's choices as the page applies
    /// them (only the story's own layers).
    pub fn applied(&self) -> PageUrl {
        self.url.get().with_layers(self.layers.get())
    }

    /// The current address, as [`Self::applied`], changed by `change`.
    pub fn link(&self, change: impl FnOnce(PageUrl) -> PageUrl) -> String {
        change(self.applied()).to_string()
    }

    /// The link that selects a feature, keeping the reader's choices.
    pub fn feature_href(&self, id: &str) -> String {
        self.link(|url| url.with_feature(Some(id)))
    }

    /// The link that clears the selection, keeping the reader's choices.
    pub fn story_href(&self) -> String {
        self.link(|url| url.with_feature(None))
    }

    /// A feature's deep link at a time: selecting it and showing the map as
    /// it was then.
    pub fn feature_at(&self, id: &str, time: Option<TimeFilter>) -> String {
        self.link(|url| url.with_feature(Some(id)).with_time(time))
    }

    /// The current page at another time (or at none), keeping every other choice.
    pub fn at_time(&self, time: Option<TimeFilter>) -> String {
        self.link(|url| url.with_time(time))
    }

    /// Whether a feature with this date is shown at the reader's time.
    pub fn shows_date(&self, date: Option<&str>) -> bool {
        self.url.with(|url| url.choices.shows_date(date))
    }

    /// Whether the layer is shown.
    pub fn shows(&self, layer: &str) -> bool {
        self.layers
            .with(|shown| links::shows_layer(shown.as_deref(), layer))
    }

    /// The current address with the layer `changed` shown (`on`) or
    /// hidden, and the others as they are; of the story's layers, `all`.
    pub fn with_layer(&self, all: &[String], changed: &str, on: bool) -> String {
        let shown: Vec<String> = all
            .iter()
            .filter(|id| {
                if id.as_str() == changed {
                    on
                } else {
                    self.shows(id)
                }
            })
            .cloned()
            .collect();
        let layers = (shown.len() != all.len()).then_some(shown);
        self.link(|url| url.with_layers(layers))
    }
}

/// The story page route, `/stories/<slug>[/features/<id>]`.
#[component]
pub fn StoryRoute() -> impl IntoView {
    story_route(Mode::Page)
}

/// A draft's preview at the desk, `/desk/preview/stories/<slug>[/features/<id>]`:
/// the story page itself, read from the draft (the server provides it).
#[component]
pub fn PreviewRoute() -> impl IntoView {
    story_route(Mode::Preview)
}

/// The embeddable route, `/embed/stories/<slug>[/features/<id>]`.
#[component]
pub fn EmbedRoute() -> impl IntoView {
    story_route(Mode::Embed)
}

fn story_route(mode: Mode) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    let lang = query.read_untracked().get("lang");
    let view = match load_story(&slug, lang.as_deref()) {
        Ok(StoryResponse { page, site, lang }) => {
            provide_context(site.clone());
            provide_context(lang);
            view! { <StoryView page=Arc::new(page) mode site /> }.into_any()
        }
        Err(error) => {
            set_status(error.status());
            let lang = i18n::request_lang(lang.as_deref(), None);
            provide_context(lang);
            let texts = lang.texts();
            let message = match &error {
                KortError::StoryNotFound { slug } => (texts.no_such_story)(slug),
                KortError::StoryUnavailable { slug } => (texts.unavailable)(slug),
                other => other.to_string(),
            };
            view! { <NotFound message back_href="/".to_owned() back_label=texts.all_stories.to_owned() /> }
                .into_any()
        }
    };
    view! {
        {view}
        <Outlet />
    }
}

/// The story itself, or a 404 if the URL selects a feature it does not have.
#[component]
fn StoryView(page: Arc<StoryPage>, mode: Mode, site: Site) -> impl IntoView {
    let state = UrlState::new(&page.summary.slug, page.layer_ids(), mode);
    provide_context(state);
    // A selection the page does not list is a 404, unless a large layer
    // (whose features the page lists only in part) has it: the panel is
    // handed it then.
    let selected = state.selected.get_untracked();
    let unlisted = selected.filter(|id| page.feature(id).is_none());
    #[cfg(feature = "ssr")]
    let find = |id: &str| {
        let loaded = crate::story::Stories::current()
            .ok()?
            .story(&page.summary.slug)
            .ok()?;
        let words = &page.summary.data_language;
        crate::story::view::feature_in(&loaded.story, id, &page.text.language, words).ok()
    };
    #[cfg(not(feature = "ssr"))]
    let find = |_: &str| None;
    let arrived = unlisted
        .as_deref()
        .filter(|_| !page.lists_every_feature())
        .and_then(find);
    if let (Some(feature), None) = (&unlisted, &arrived) {
        if let Some(tombstone) = tombstone(&page, feature) {
            return tombstone;
        }
        set_status(404);
        let texts = i18n::use_texts();
        return view! {
            <NotFound
                message=(texts.no_feature)(&page.text.title, feature)
                back_href=PageUrl::story(&page.summary.slug).to_string()
                back_label=(texts.back_to)(&page.text.title)
            />
        }
        .into_any();
    }
    let stage = view! {
        <StoryStage page=page.for_the_map() arrived mode lang=i18n::use_lang() tiles=site.tiles.clone() />
    }
    .into_any();
    match mode {
        Mode::Page => view! { <StoryLayout page stage /> }.into_any(),
        Mode::Preview => {
            let texts = i18n::use_texts();
            let desk = crate::desk::story_path(&page.summary.slug);
            view! {
                <leptos_meta::Meta name="robots" content="noindex" />
                <p class="preview-notice" role="note">
                    {texts.preview_notice} " " <a href=desk>{texts.back_to_desk}</a>
                </p>
                <StoryLayout page stage />
            }
            .into_any()
        }
        Mode::Embed => view! { <EmbedLayout page stage /> }.into_any(),
    }
}

/// A removed feature's old address: when and why it was removed (410
/// Gone, not a bare 404), and a link to the story as it was with it.
fn tombstone(page: &StoryPage, id: &str) -> Option<AnyView> {
    let (correction, removed) = page.corrections.iter().rev().find_map(|correction| {
        correction
            .removed
            .iter()
            .find(|removed| removed.id == id)
            .map(|removed| (correction, removed))
    })?;
    set_status(410);
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let when = lang.date(day(&correction.at));
    let message = format!(
        "{} {}",
        (texts.removed_feature)(&removed.title, &when),
        correction.note
    );
    let before = correction.revision.checked_sub(1).filter(|n| *n > 0);
    let (href, label) = match before {
        Some(number) => (
            PageUrl::story(&page.summary.slug)
                .with_revision(Some(number))
                .with_feature(Some(id))
                .to_string(),
            texts.as_it_was.to_owned(),
        ),
        None => (
            PageUrl::story(&page.summary.slug).to_string(),
            (texts.back_to)(&page.text.title),
        ),
    };
    Some(view! { <NotFound message back_href=href back_label=label /> }.into_any())
}

/// What runs in the browser (a Leptos island): the map, the layer control
/// and the panel on story pages, the map, the panel and the link out on
/// embeds. Everything else on the page is the server's HTML, which
/// [`crate::components::marks`] keeps in step with the address, but for
/// the timeline ([`StoryTimeline`]) and the share button, islands that the
/// page starts once the map is drawn (`crate::shell`).
#[island]
fn StoryStage(
    page: Arc<StoryPage>,
    /// The selected feature, where the page does not list it.
    arrived: Option<crate::model::FeatureSummary>,
    mode: Mode,
    lang: Lang,
    /// The site's raster tiles, if it has any (`Site`: the rest of it is
    /// the server's).
    tiles: Option<TileSource>,
) -> impl IntoView {
    provide_context(lang);
    if let Some(tiles) = tiles {
        provide_context(tiles);
    }
    let state = UrlState::new(&page.summary.slug, page.layer_ids(), mode);
    provide_context(state);
    let selected = state.selected;
    close_on_escape();
    let texts = lang.texts();
    marks::follow(Arc::clone(&page), state);
    let announcement = {
        let page = Arc::clone(&page);
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
    let stage = match mode {
        // The timeline is an island of its own ([`StoryTimeline`]), which
        // starts once the map is drawn.
        Mode::Page | Mode::Preview => view! {
            <div class="map-stage">
                <StoryMap page=Arc::clone(&page) />
                <LayerControl page=Arc::clone(&page) />
                <FeaturePanel page=Arc::clone(&page) arrived />
            </div>
        }
        .into_any(),
        Mode::Embed => {
            // Out of the iframe, to the full page in the same state.
            let full = move || state.link(|url| url.with_mode(Mode::Page));
            view! {
                <div class="map-column">
                    <StoryMap page=Arc::clone(&page) />
                    // However small, an embed explains its symbols.
                    <LayerControl page=Arc::clone(&page) />
                    <FeaturePanel page=Arc::clone(&page) arrived />
                </div>
                <p class="embed-credit">
                    <a href=full target="_blank" rel="noopener">
                        <span class="embed-title" lang=page.text.language.clone() dir=page.text.dir.name()>{page.text.title.clone()}</span>
                        // Never cut off: the headline gives way.
                        <span class="embed-more">{texts.read_on_kort}</span>
                    </a>
                </p>
            }
            .into_any()
        }
    };
    view! {
        {stage}
        // Selection changes, said aloud by screen readers.
        <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {announcement}
        </p>
    }
}

/// The timeline under the map of a story page: an island of its own, so
/// that the page can start it after the map (`crate::shell`); it follows
/// the same address as the map ([`UrlState`]).
#[island]
fn StoryTimeline(
    /// What the timeline reads of the story ([`StoryPage::for_the_timeline`]).
    page: Arc<StoryPage>,
    lang: Lang,
) -> impl IntoView {
    provide_context(lang);
    provide_context(UrlState::new(
        &page.summary.slug,
        page.layer_ids(),
        Mode::Page,
    ));
    view! { <Timeline page /> }
}

#[component]
fn StoryLayout(page: Arc<StoryPage>, stage: AnyView) -> impl IntoView {
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let state = expect_context::<UrlState>();
    let summary = &page.summary;
    let text = &page.text;
    // The public story's (a preview's draft has none), at the revision shown.
    let exports = state
        .url
        .with_untracked(|url| PageUrl::story(&url.slug).with_revision(url.revision).api());
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir().name() />
        <SocialMeta page=Arc::clone(&page) />
        <MapHead page=Arc::clone(&page) />
        // On a phone the map and the timeline stand above the article, but
        // come after it in the document: painted before they are parsed,
        // the article would then move down. The first paint waits for what
        // follows them (where browsers know `rel=expect`).
        <Link rel="expect" href="#lists" blocking="render" />
        // Feed readers find the story's corrections and updates.
        <Link
            rel="alternate"
            type_="application/atom+xml"
            title=texts.corrections
            href=format!("/stories/{}/updates.atom", summary.slug)
        />
        <SkipLinks targets=vec![("#article", texts.skip_to_article), ("#map", texts.skip_to_map)] />
        <SiteHeader in_language=Callback::new(move |lang: Lang| {
            marks::LANGUAGE_LINK.value(&untrack(|| state.applied()), lang.tag()).unwrap_or_default()
        }) />
        <main class="story" id="main">
            // The headline and what stands with it come first on every
            // screen (on a phone, above the pinned map); the article
            // follows, labelled by the headline, with what a reader does
            // with it (share, download) at its top.
            <header class="story-head" lang=text.language.clone() dir=text.dir.name()>
                <h1 id="story-title">{text.title.clone()}</h1>
                <p class="byline" lang=lang.tag() dir=lang.dir().name()>
                    <bdi lang=summary.data_language.clone() dir=summary.data_dir.name()>{page.byline.clone()}</bdi>
                    {texts.separator}
                    <time datetime=summary.published.clone()>{lang.date(&summary.published)}</time>
                </p>
                <RevisionNotice page=Arc::clone(&page) />
                <TextNotice page=Arc::clone(&page) />
                <p class="summary" lang=summary.data_language.clone() dir=summary.data_dir.name()>{summary.summary.clone()}</p>
            </header>
            <article class="article" id="article" lang=text.language.clone() dir=text.dir.name() tabindex="-1" aria-labelledby="story-title">
                <div class="share-row" lang=lang.tag() dir=lang.dir().name()>
                    <ShareButton title=text.title.clone() lang />
                </div>
                <details class="downloads" lang=lang.tag() dir=lang.dir().name()>
                    <summary>{texts.download}</summary>
                    <ul>
                        <li>
                            <a href=format!("{exports}/export.geojson") download="">
                                "GeoJSON"
                            </a>
                            {texts.download_geojson}
                        </li>
                        <li>
                            <a href=format!("{exports}/export.kml") download="">"KML"</a>
                            {texts.download_kml}
                        </li>
                    </ul>
                </details>
                <Article page=Arc::clone(&page) />
                <Corrections page=Arc::clone(&page) />
            </article>
            <div class="map-column">
                {stage}
                <StoryTimeline page=page.for_the_timeline() lang />
            </div>
            <div class="story-lists" id="lists">
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
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let original = page.summary.language.clone();
    let url = untrack(|| state.applied());
    let link = |to: Lang, label: String| {
        let href = marks::LANGUAGE_LINK.value(&url, to.tag());
        view! { <a href=href hreflang=to.tag() data-lang=to.tag()>{label}</a> }
    };
    if let Some(translator) = &page.text.translator {
        let from = (texts.language_name)(&original);
        let back = Lang::parse(&original).map(|to| link(to, (texts.read_original)(&from)));
        Some(
            view! {
                <p class="text-notice" lang=lang.tag() dir=lang.dir().name()>
                    {format!("{}. ", (texts.translated_by)(&from, translator))}
                    {back}
                </p>
            }
            .into_any(),
        )
    } else if lang.tag() != original && page.languages.iter().any(|l| l == lang.tag()) {
        let name = (texts.language_name)(lang.tag());
        Some(
            view! { <p class="text-notice" lang=lang.tag() dir=lang.dir().name()>{link(lang, (texts.read_translation)(&name))}</p> }
                .into_any(),
        )
    } else {
        None
    }
}

/// The embed: the map and its panel, with a link back to the full story.
#[component]
fn EmbedLayout(page: Arc<StoryPage>, stage: AnyView) -> impl IntoView {
    let lang = i18n::use_lang();
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir().name() />
        <SocialMeta page=Arc::clone(&page) />
        <MapHead page=Arc::clone(&page) />
        <main class="embed" id="main">{stage}</main>
    }
    .into_any()
}

/// Escape clears the selection, as the panel's close button does: in
/// place of the selected state in the history, so that Back does not
/// reopen what the reader closed.
fn close_on_escape() {
    let state = expect_context::<UrlState>();
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && state.selected.get_untracked().is_some() {
            let url = untrack(|| state.story_href());
            nav::go(&url, true);
        }
    });
    on_cleanup(move || handle.remove());
}
