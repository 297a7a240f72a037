//! The panel of the selected feature: what it is, when, how certain, where
//! the article mentions it, and who says so.

use std::sync::Arc;

use leptos::prelude::*;

use super::sources::SourceCard;
use crate::i18n;
use crate::model::{FeatureSummary, StoryPage};
use crate::routes::story::UrlState;

/// Shows the selected feature, or nothing.
#[component]
pub fn FeaturePanel(
    /// The story the selection belongs to.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let UrlState { selected, .. } = expect_context::<UrlState>();
    move || {
        let id = selected.get()?;
        let feature = page.feature(&id)?.clone();
        Some(view! { <Panel feature page=Arc::clone(&page) /> })
    }
}

#[component]
fn Panel(feature: FeatureSummary, page: Arc<StoryPage>) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let close_href = {
        let slug = page.summary.slug.clone();
        move || state.story_href(&slug)
    };
    let layer = page
        .layer(&feature.layer)
        .map(|l| l.title.clone())
        .unwrap_or_default();
    let uncertainty = feature.uncertainty_m.map(
        |m| view! { <p class="uncertainty">{(texts.approximate_position)(&lang.uncertainty(m))}</p> },
    );
    let date = feature.date.clone().map(
        // Not `<time>`: HTML has no datetime syntax for a range.
        |date| view! { <p class="date">{lang.date(&date)}</p> },
    );
    let note = feature
        .note
        .clone()
        .map(|note| view! { <p class="note">{note}</p> });
    let passages = (!feature.passages.is_empty()).then(|| {
        let items = feature
            .passages
            .iter()
            .map(|passage| {
                view! {
                    <li>
                        <a href=format!("#{}", passage.anchor) rel="external" lang=page.text.language.clone()>
                            "“" {passage.exact.clone()} "”"
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
        .map(|source| view! { <SourceCard source=source.clone() /> })
        .collect_view();
    view! {
        <aside class="panel" aria-labelledby="panel-title" data-feature=feature.id.clone()>
            <a class="panel-close" href=close_href aria-label=texts.close_panel>
                "×"
            </a>
            <p class="panel-layer">{layer}</p>
            <h2 id="panel-title">{feature.title.clone()}</h2>
            {feature.name_ar.clone().map(|name| view! { <p class="name-ar" lang="ar" dir="rtl">{name}</p> })}
            {date}
            {uncertainty}
            {note}
            {passages}
            <h3>{texts.sources}</h3>
            <ul class="sources">{sources}</ul>
        </aside>
    }
    .into_any()
}
