//! Every feature on the map, grouped by layer: the map's text alternative and
//! a way to every deep link without the map.

use std::sync::Arc;

use leptos::prelude::*;

use super::layer_control::Swatch;
use super::marks;
use crate::i18n;
use crate::model::{RemoteView, StoryPage, feature_pages};
use crate::routes::story::UrlState;

/// The feature list.
#[component]
pub fn FeatureList(
    /// The story whose features are listed.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let url = untrack(|| state.applied());
    let slug = page.summary.slug.clone();
    let published = page.summary.published.clone();
    let summary = &page.summary;
    let layers = page
        .layers
        .iter()
        .map(|layer| {
            let items = layer
                .features
                .iter()
                .map(|feature| {
                    // The language and direction of its title.
                    let words = summary.words_in(feature.language.as_ref());
                    let later = crate::date::after_publication(&published, feature.date.as_deref());
                    let not_yet = feature
                        .date
                        .as_deref()
                        .and_then(|date| marks::NOT_YET.value(&url, date));
                    let details = [
                        Some(texts.kind(feature.kind).to_owned()),
                        feature.date.as_deref().map(|date| lang.date(date)),
                        later.then(|| texts.after_the_article.to_owned()),
                        feature.uncertainty_m.map(|m| (texts.approximate)(&lang.uncertainty(m))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(texts.separator);
                    view! {
                        <li data-later=later.then_some("true") data-not-yet=not_yet data-date=feature.date.clone()>
                            <a
                                href=marks::FEATURE_LINK.value(&url, &feature.id)
                                aria-current=marks::CURRENT_ENTRY.value(&url, &feature.id)
                                data-feature=feature.id.clone()
                                lang=words.0
                                dir=words.1
                            >
                                {feature.title.clone()}
                            </a>
                            {feature.name_ar.clone().filter(|name| *name != feature.title).map(|name| view! { " " <span class="name-ar" lang="ar" dir="rtl">{name}</span> })}
                            <span class="feature-details">{details}</span>
                            // Shown by the style sheet while the entry is `data-not-yet`.
                            <span class="not-yet">{format!("{}{}", texts.separator, texts.not_yet)}</span>
                        </li>
                    }
                })
                .collect_view();
            let words = summary.words_in(layer.language.as_ref());
            view! {
                <section class="layer" data-layer=layer.id.clone() data-hidden=marks::HIDDEN_LAYER.value(&url, &layer.id)>
                    <h3>
                        <Swatch symbol=layer.style.symbol color=layer.style.color.clone() />
                        <span lang=words.0 dir=words.1>{layer.title.clone()}</span>
                        // Shown by the style sheet while the section is `data-hidden`.
                        <span class="layer-hidden">{texts.hidden_on_map}</span>
                    </h3>
                    {layer.remote.as_ref().map(|remote| view! { <p class="layer-remote">{remote_note(lang, remote)}</p> })}
                    <ul>{items}</ul>
                    {layer.by_viewport.then(|| view! {
                        <LayerPages
                            slug=slug.clone()
                            layer=layer.id.clone()
                            total=layer.total
                            listed=layer.features.len()
                            layers=page.layer_ids()
                            lang
                        />
                    })}
                </section>
            }
        })
        .collect_view();
    view! {
        <nav class="feature-list" aria-labelledby="feature-list-title">
            <h2 id="feature-list-title">{texts.on_the_map}</h2>
            {layers}
        </nav>
    }
    .into_any()
}

/// The rest of a large layer (see `model::VIEWPORT_LAYER_MIN`): the page
/// lists what the article mentions; here the reader pages through all of
/// it, [`crate::model::FEATURES_PER_PAGE`] at a time, fetched from the API
/// when asked for. An island: it runs in the browser, in the bundle with
/// large layers (see `assets::Assets`); the other bundle leaves it out.
#[cfg_attr(feature = "large-layers", island)]
#[cfg_attr(not(feature = "large-layers"), component)]
fn LayerPages(
    slug: String,
    layer: String,
    total: usize,
    listed: usize,
    /// Every layer of the story, to read the address with.
    layers: Vec<String>,
    lang: i18n::Lang,
) -> impl IntoView {
    let state = UrlState::new(&slug, layers, crate::links::Mode::Page);
    let texts = lang.texts();
    let pages = feature_pages(total);
    // `None` until the reader opens the list.
    let page = RwSignal::new(None::<usize>);
    let features = RwSignal::new(Vec::<(String, String, Option<String>)>::new());
    let url = format!("{}/layers/{layer}/features", state.api());
    Effect::new(move |_| {
        let Some(number) = page.get() else { return };
        let url = format!("{url}?page={number}");
        leptos::task::spawn_local(async move {
            match crate::map::js::fetch_json(&url).await {
                Ok(data) => {
                    let read = |feature: &wasm_bindgen::JsValue, key: &str| {
                        crate::map::js::string(feature, key)
                    };
                    features.set(
                        js_sys::Array::from(&crate::map::js::get(&data, "features"))
                            .iter()
                            .filter_map(|f| {
                                Some((read(&f, "id")?, read(&f, "title")?, read(&f, "date")))
                            })
                            .collect(),
                    );
                }
                Err(error) => leptos::logging::error!("cannot list features: {error}"),
            }
        });
    });
    let items = move || {
        features
            .get()
            .into_iter()
            .map(|(id, title, date)| {
                let href = move || state.feature_href(&id);
                let date =
                    date.map(|date| format!("{}{}", lang.texts().separator, lang.date(&date)));
                view! {
                    <li>
                        <a href=href>{title}</a>
                        <span class="feature-details">{date}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let step = move |by: isize| {
        page.update(|page| {
            let next = page.unwrap_or(1).saturating_add_signed(by).clamp(1, pages);
            *page = Some(next);
        });
    };
    let current = move || page.get().unwrap_or(1);
    let first = move || current() <= 1;
    let last = move || current() >= pages;
    view! {
        <p class="layer-more">{(texts.layer_mentioned)(&lang.count(listed), &lang.count(total))}</p>
        <details
            class="layer-pages"
            on:toggle=move |_| {
                if page.get_untracked().is_none() {
                    page.set(Some(1));
                }
            }
        >
            <summary>{(texts.browse_all)(&lang.count(total))}</summary>
            <ul>{items}</ul>
            <p class="pager">
                <button class="tl-button" type="button" disabled=first on:click=move |_| step(-1)>
                    {texts.previous_page}
                </button>
                <span aria-live="polite">{move || (texts.page_of)(current(), pages)}</span>
                <button class="tl-button" type="button" disabled=last on:click=move |_| step(1)>
                    {texts.next_page}
                </button>
            </p>
        </details>
    }
}

/// Where a remote layer comes from and how old the copy shown is.
fn remote_note(lang: i18n::Lang, remote: &RemoteView) -> String {
    let texts = lang.texts();
    let when = remote
        .fetched
        .as_deref()
        .and_then(|at| Some((at.get(..10)?, at.get(11..16)?)));
    match when {
        Some((date, time)) => (texts.remote_fetched)(&remote.host, &lang.date(date), time),
        None => (texts.remote_pending)(&remote.host),
    }
}
