//! The panel of the selected feature: what it is, when, how certain, where
//! the article mentions it, and who says so.

use std::sync::Arc;

use leptos::prelude::*;

use super::sources::SourceCard;
use crate::i18n;
use crate::model::{FeatureSummary, Geolocation, StoryPage};
use crate::routes::story::UrlState;

/// Shows the selected feature, or nothing.
#[component]
pub fn FeaturePanel(
    /// The story the selection belongs to.
    page: Arc<StoryPage>,
    /// The feature the page was opened on, where the page does not list it
    /// (a large layer's): the server found it, the browser need not ask.
    arrived: Option<FeatureSummary>,
) -> impl IntoView {
    let UrlState { selected, .. } = expect_context::<UrlState>();
    focus::follow(selected);
    #[cfg(feature = "large-layers")]
    let fetched = {
        let api = expect_context::<UrlState>().api();
        unlisted::fetch(Arc::clone(&page), arrived.clone(), selected, api)
    };
    move || {
        let id = selected.get()?;
        if let Some(feature) = known(&page, arrived.as_ref(), &id).cloned() {
            return Some(view! { <Panel feature page=Arc::clone(&page) /> }.into_any());
        }
        #[cfg(feature = "large-layers")]
        return unlisted::panel(&page, &id, fetched);
        // Without large layers the page lists every feature.
        #[cfg(not(feature = "large-layers"))]
        return None;
    }
}

/// A selected feature the page does not list, from a large layer: asked for
/// from the API, shown once it is there.
#[cfg(feature = "large-layers")]
mod unlisted {
    use std::sync::Arc;

    use leptos::prelude::*;

    use super::{Panel, known};
    use crate::i18n;
    use crate::model::{FeatureSummary, StoryPage};

    /// The API's answer for a feature: the feature, or `None` where the
    /// story has no such feature.
    pub type Fetched = (String, Option<FeatureSummary>);

    /// Asks for each selection the page does not list.
    pub fn fetch(
        page: Arc<StoryPage>,
        arrived: Option<FeatureSummary>,
        selected: Memo<Option<String>>,
        api: String,
    ) -> RwSignal<Option<Fetched>> {
        let fetched = RwSignal::new(None::<Fetched>);
        Effect::new(move |_| {
            let Some(id) = selected.get().filter(|id| {
                !page.lists_every_feature() && known(&page, arrived.as_ref(), id).is_none()
            }) else {
                return;
            };
            let url = crate::links::feature_json(
                &api,
                &id,
                &page.text.language,
                &page.summary.data_language,
            );
            leptos::task::spawn_local(async move {
                match crate::map::js::fetch_text(&url).await {
                    Ok((200, body)) => match serde_json::from_str(&body) {
                        Ok(feature) => fetched.set(Some((id, Some(feature)))),
                        Err(error) => leptos::logging::error!("{url}: {error}"),
                    },
                    Ok((404, _)) => fetched.set(Some((id, None))),
                    Ok((status, _)) => leptos::logging::error!("{url}: HTTP {status}"),
                    Err(error) => leptos::logging::error!("{error}"),
                }
            });
        });
        fetched
    }

    /// The panel of `id` as the API answered, or nothing while it has not.
    pub fn panel(
        page: &Arc<StoryPage>,
        id: &str,
        fetched: RwSignal<Option<Fetched>>,
    ) -> Option<AnyView> {
        let (_, answer) = fetched.get().filter(|(asked, _)| asked == id)?;
        if let Some(feature) = answer {
            return Some(view! { <Panel feature page=Arc::clone(page) /> }.into_any());
        }
        let texts = i18n::use_texts();
        Some(
            view! {
                <aside class="panel" role="alert">
                    <p>{(texts.no_feature)(&page.text.title, id)}</p>
                </aside>
            }
            .into_any(),
        )
    }
}

/// The feature `id`, if the page lists it or the server handed it over.
fn known<'a>(
    page: &'a StoryPage,
    arrived: Option<&'a FeatureSummary>,
    id: &str,
) -> Option<&'a FeatureSummary> {
    page.feature(id)
        .or(arrived.filter(|feature| feature.id == id))
}

#[component]
fn Panel(feature: FeatureSummary, page: Arc<StoryPage>) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let close_href = move || state.story_href();
    // In place of the selected state in the history (as Escape does): Back
    // does not reopen what the reader closed.
    let close = move |click: leptos::ev::MouseEvent| {
        if !(click.ctrl_key() || click.meta_key() || click.shift_key()) {
            click.prevent_default();
            crate::nav::go(&untrack(|| state.story_href()), true);
        }
    };
    // The language and direction of the feature's title and note, and of
    // its layer's name.
    let words = page.summary.words_in(feature.language.as_ref());
    let (layer, layer_words) = page.layer(&feature.layer).map_or_else(
        || (String::new(), page.summary.data_words()),
        |l| (l.title.clone(), page.summary.words_in(l.language.as_ref())),
    );
    let uncertainty = feature.uncertainty_m.map(
        |m| view! { <p class="uncertainty">{(texts.approximate_position)(&lang.uncertainty(m))}</p> },
    );
    let protected = feature.published_precision_m.map(
        |m| view! { <p class="protected">{(texts.protected_position)(&lang.uncertainty(m))}</p> },
    );
    let date = feature.date.clone().map(
        // Not `<time>`: HTML has no datetime syntax for a range.
        |date| view! { <p class="date">{lang.date(&date)}</p> },
    );
    let chain = feature
        .geolocation
        .clone()
        .map(|geolocation| view! { <Provenance geolocation feature=feature.clone() page=Arc::clone(&page) /> });
    // Opened from a passage or a list, a feature on a hidden layer is not on
    // the map: the panel says so, and offers to show its layer.
    let hidden = {
        let layer = feature.layer.clone();
        let all = page.layer_ids();
        move || {
            (!state.shows(&layer)).then(|| {
                let href = state.with_layer(&all, &layer, true);
                view! {
                    <p class="panel-hidden">
                        {texts.layer_hidden} " " <a href=href>{texts.show_layer}</a>
                    </p>
                }
            })
        }
    };
    let note = feature
        .note
        .clone()
        .map(|note| view! { <p class="note" lang=words.0.clone() dir=words.1>{note}</p> });
    let passages = (!feature.passages.is_empty()).then(|| {
        let items = feature
            .passages
            .iter()
            .map(|passage| {
                view! {
                    <li>
                        <a href=format!("#{}", passage.anchor) rel="external">
                            {texts.quotes[0]}
                            <span lang=page.text.language.clone() dir=page.text.dir.name()>{passage.exact.clone()}</span>
                            {texts.quotes[1]}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>{texts.in_the_article}</h3>
            <ul class="passages">{items}</ul>
        }
    });
    let sources = feature
        .sources
        .iter()
        .filter_map(|id| page.source(id))
        .map(|source| view! { <SourceCard source=source.clone() story=state.published_path() words=page.summary.words_in(source.language.as_ref()) quoted=page.summary.original_words() /> })
        .collect_view();
    view! {
        <aside class="panel" aria-labelledby="panel-title" data-feature=feature.id.clone()>
            <p class="panel-layer" lang=layer_words.0 dir=layer_words.1>{layer}</p>
            // Focus moves here when the panel opens; the close button is
            // the next stop.
            <h2 id="panel-title" lang=words.0.clone() dir=words.1 tabindex="-1">{feature.title.clone()}</h2>
            <a class="panel-close" href=close_href aria-label=texts.close_panel on:click=close>
                "×"
            </a>
            {feature.name_ar.clone().filter(|name| *name != feature.title).map(|name| view! { <p class="name-ar" lang="ar" dir="rtl">{name}</p> })}
            {hidden}
            {date}
            {uncertainty}
            {protected}
            {chain}
            {note}
            {super::corrections::feature_notes(&page.corrections, &feature.id, lang)}
            {passages}
            <h3>{texts.sources}</h3>
            <ul class="sources">{sources}</ul>
        </aside>
    }
    .into_any()
}

/// How a feature's position is known, in one line: the post, who
/// geolocated it and how, and the archived copy ("Video posted by … →
/// geolocated by … by matching … → archived copy"), then the evidence.
#[component]
fn Provenance(
    geolocation: Geolocation,
    feature: FeatureSummary,
    page: Arc<StoryPage>,
) -> impl IntoView {
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let source = geolocation
        .source
        .as_ref()
        .or(feature.sources.first())
        .and_then(|id| page.source(id))
        .cloned();
    let posted = source.as_ref().map(|source| {
        let what = source.media.as_ref().map_or_else(
            || texts.source_kind(source.kind),
            |media| texts.media_kind(media.kind),
        );
        let who = source.author.as_deref().unwrap_or(&source.publisher);
        let when = source
            .date
            .as_deref()
            .map(|date| format!(" ({})", lang.date(date)));
        view! { <li>{(texts.posted_by)(what, who)}{when}</li> }
    });
    let when = geolocation
        .at
        .as_deref()
        .map(|date| format!(" ({})", lang.date(date)));
    let archived = source.and_then(|source| source.archived_url).map(|url| {
        view! {
            <li>
                <a href=url target="_blank" rel="noopener noreferrer">
                    {texts.archived_copy}
                    <span class="visually-hidden">{texts.new_tab}</span>
                </a>
            </li>
        }
    });
    let evidence = geolocation
        .links
        .iter()
        .enumerate()
        .map(|(index, url)| {
            view! {
                <li>
                    <a href=url.clone() target="_blank" rel="noopener noreferrer">
                        {(texts.evidence)(index + 1)}
                        <span class="visually-hidden">{texts.new_tab}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="provenance" aria-label=texts.provenance>
            <ol class="chain">
                {posted}
                <li>{(texts.geolocated_by)(&geolocation.by, texts.method(geolocation.method))}{when}</li>
                {archived}
            </ol>
            <ul class="evidence">{evidence}</ul>
        </section>
    }
}

/// Where the keyboard's focus goes as the panel opens and closes: into the
/// panel (its heading) when the reader selects a feature, and back to what
/// they selected it with (a list entry, a symbol on the map) when they
/// close it; to the map if that is gone. Not as the page opens on a
/// feature (the reader starts at the top), nor as the timeline steps (the
/// reader keeps its control, to step on). On a phone, a feature opened
/// brings the map to its pinned place, above the panel.
mod focus {
    use leptos::prelude::*;

    /// Moves the focus as `selected` changes.
    pub fn follow(selected: Memo<Option<String>>) {
        #[cfg(feature = "hydrate")]
        {
            let opener = StoredValue::new_local(None::<web_sys::Element>);
            Effect::new(move |before: Option<Option<String>>| {
                let now = selected.get();
                if now.is_some() && before.as_ref() != Some(&now) {
                    pin_the_map();
                }
                if let Some(before) = before.filter(|before| *before != now) {
                    if now.is_some() {
                        opened(opener, before.is_some());
                    } else {
                        closed(opener);
                    }
                }
                now
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = selected;
    }

    /// On a phone the panel opens fixed at the foot of the screen, up to
    /// where the pinned map ends. With the page still at its headline, the
    /// map stands lower, and the panel would cover it: the page scrolls on
    /// until the map is pinned, the feature over the panel. (A reader in
    /// the article has the map pinned already; nothing moves.)
    #[cfg(feature = "hydrate")]
    fn pin_the_map() {
        let Some(window) = web_sys::window() else {
            return;
        };
        let phone = window
            .match_media(crate::map::PINNED_MAP)
            .ok()
            .flatten()
            .is_some_and(|query| query.matches());
        let stage = document().query_selector(".map-stage").ok().flatten();
        if let (true, Some(stage)) = (phone, stage) {
            let below = stage.get_bounding_client_rect().top();
            if below > 0.5 {
                window.scroll_by_with_x_and_y(0.0, below);
            }
        }
    }

    #[cfg(feature = "hydrate")]
    fn opened(opener: StoredValue<Option<web_sys::Element>, LocalStorage>, was_open: bool) {
        let focused = document().active_element();
        let in_panel = focused
            .as_ref()
            .is_some_and(|element| element.closest(".panel").ok().flatten().is_some());
        // Stepping through time (Next, Previous, Play, a mark), the reader
        // keeps the timeline's control: they step on with it.
        let in_timeline = focused
            .as_ref()
            .is_some_and(|element| element.closest(".timeline").ok().flatten().is_some());
        // From one feature to another inside the panel ("Also about"), the
        // first opener stays the one to go back to.
        if !(was_open && in_panel) {
            opener.set_value(focused.filter(|element| element.tag_name() != "BODY"));
        }
        if in_timeline {
            return;
        }
        // The panel is in sight (over the pinned map, or fixed on a
        // phone): the page stays where the reader is.
        if let Some(heading) = document()
            .get_element_by_id("panel-title")
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = heading.focus_with_options(&options);
        }
    }

    #[cfg(feature = "hydrate")]
    fn closed(opener: StoredValue<Option<web_sys::Element>, LocalStorage>) {
        let back = opener
            .try_update_value(Option::take)
            .flatten()
            .and_then(|element| {
                if element.is_connected() {
                    return Some(element);
                }
                // A symbol on the map is drawn anew as its selection ends:
                // the same feature's new one, where the old one was.
                let feature = element.get_attribute("data-feature")?;
                let in_map = element.closest(".map").ok().flatten().is_some();
                let scope = if in_map {
                    ".map [data-feature]"
                } else {
                    "[data-feature]"
                };
                let candidates = document().query_selector_all(scope).ok()?;
                (0..candidates.length())
                    .filter_map(|index| candidates.item(index)?.dyn_into::<web_sys::Element>().ok())
                    .find(|candidate| {
                        candidate.get_attribute("data-feature").as_deref() == Some(&feature)
                            && candidate.tag_name() == element.tag_name()
                    })
            });
        // An HTML element or a symbol on the map (SVG): either can take the focus.
        let target = back.map(wasm_bindgen::JsValue::from).or_else(|| {
            document()
                .get_element_by_id("map")
                .map(wasm_bindgen::JsValue::from)
        });
        if let Some(target) = target {
            crate::map::js::call(&target, "focus", &[]);
        }
    }

    #[cfg(feature = "hydrate")]
    use wasm_bindgen::JsCast;
}
