//! Every feature on the map, grouped by layer: the map's text alternative and
//! a way to every deep link without the map.

use std::sync::Arc;

use leptos::prelude::*;

use super::layer_control::Swatch;
use crate::i18n;
use crate::model::{RemoteView, StoryPage};
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
    let selected = state.selected;
    let slug = page.summary.slug.clone();
    let published = page.summary.published.clone();
    let layers = page
        .layers
        .iter()
        .map(|layer| {
            let items = layer
                .features
                .iter()
                .map(|feature| {
                    let id = feature.id.clone();
                    let href = {
                        let (slug, id) = (slug.clone(), feature.id.clone());
                        move || state.feature_href(&slug, &id)
                    };
                    let current = move || (selected.get().as_deref() == Some(id.as_str())).then_some("page");
                    let later = crate::date::after_publication(&published, feature.date.as_deref());
                    let happened = {
                        let date = feature.date.clone();
                        move || state.shows_date(date.as_deref())
                    };
                    let not_yet = {
                        let happened = happened.clone();
                        move || (!happened()).then_some("true")
                    };
                    let details = [
                        Some(texts.kind(feature.kind).to_owned()),
                        feature.date.as_deref().map(|date| lang.date(date)),
                        later.then(|| texts.after_the_article.to_owned()),
                        feature.uncertainty_m.map(|m| (texts.approximate)(&lang.uncertainty(m))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                    view! {
                        <li data-later=later.then_some("true") data-not-yet=not_yet>
                            <a href=href aria-current=current data-feature=feature.id.clone()>
                                {feature.title.clone()}
                            </a>
                            {feature.name_ar.clone().map(|name| view! { " " <span class="name-ar" lang="ar" dir="rtl">{name}</span> })}
                            <span class="feature-details">{details}</span>
                            {move || (!happened()).then(|| view! { <span class="not-yet">{format!(" · {}", texts.not_yet)}</span> })}
                        </li>
                    }
                })
                .collect_view();
            let id = layer.id.clone();
            let hidden = Memo::new(move |_| !state.shows(&id));
            view! {
                <section class="layer" data-layer=layer.id.clone() data-hidden=move || hidden.get().then_some("true")>
                    <h3>
                        <Swatch symbol=layer.style.symbol color=layer.style.color.clone() />
                        {layer.title.clone()}
                        <Show when=move || hidden.get()>
                            <span class="layer-hidden">{texts.hidden_on_map}</span>
                        </Show>
                    </h3>
                    {layer.remote.as_ref().map(|remote| view! { <p class="layer-remote">{remote_note(lang, remote)}</p> })}
                    <ul>{items}</ul>
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
