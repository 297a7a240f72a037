//! The panel of the selected feature: what it is, when, how certain, where
//! the article mentions it, and who says so.

use std::sync::Arc;

use leptos::prelude::*;

use super::sources::SourceCard;
use crate::i18n;
use crate::model::{FeatureSummary, StoryPage};
use crate::routes::story::UrlState;

/// A feature of the story, with its passages in the text `language`, for
/// features the page model leaves out: a large layer's page lists only the
/// features the article mentions (`model::VIEWPORT_LAYER_MIN`).
#[server(prefix = "/rpc")]
pub async fn get_feature(
    slug: String,
    id: String,
    language: String,
) -> Result<Option<FeatureSummary>, crate::error::KortError> {
    find_feature(&slug, &id, &language)
}

/// A feature of a loaded story, with its passages in the text `language`
/// (the original where the story has no such text); `Ok(None)` if the
/// story has no such feature.
#[cfg(feature = "ssr")]
pub fn find_feature(
    slug: &str,
    id: &str,
    language: &str,
) -> Result<Option<FeatureSummary>, crate::error::KortError> {
    let stories = use_context::<crate::story::Stories>().ok_or_else(|| {
        crate::error::KortError::Server("the story catalog is not available".into())
    })?;
    let loaded = stories.snapshot().story(slug)?;
    let story = &loaded.story;
    let text = story
        .texts
        .iter()
        .position(|text| text.language == language)
        .unwrap_or(0);
    Ok(story
        .features()
        .find(|feature| feature.id == id)
        .map(|feature| crate::story::view::summary(story, feature, text)))
}

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
    let known = {
        let page = Arc::clone(&page);
        move |id: &str| {
            page.feature(id)
                .or(arrived.as_ref().filter(|feature| feature.id == id))
                .cloned()
        }
    };
    // A selection the page does not list is asked for (large layers only).
    let unlisted = {
        let (listed, known) = (Arc::clone(&page), known.clone());
        crate::codec::resource(
            move || {
                selected
                    .get()
                    .filter(|id| !listed.lists_every_feature() && known(id).is_none())
            },
            {
                let (slug, language) = (page.summary.slug.clone(), page.text.language.clone());
                move |id| {
                    let (slug, language) = (slug.clone(), language.clone());
                    async move {
                        match id {
                            Some(id) => get_feature(slug, id, language).await.ok().flatten(),
                            None => None,
                        }
                    }
                }
            },
        )
    };
    move || {
        let id = selected.get()?;
        if let Some(feature) = known(&id) {
            return Some(view! { <Panel feature page=Arc::clone(&page) /> }.into_any());
        }
        let page = Arc::clone(&page);
        Some(
            view! {
                <Suspense>
                    {move || {
                        let page = Arc::clone(&page);
                        let id = id.clone();
                        Suspend::new(async move {
                            if let Some(feature) = unlisted.await {
                                view! { <Panel feature page /> }.into_any()
                            } else {
                                let texts = i18n::use_texts();
                                view! {
                                    <aside class="panel" role="alert">
                                        <p>{(texts.no_feature)(&page.text.title, &id)}</p>
                                    </aside>
                                }
                                .into_any()
                            }
                        })
                    }}
                </Suspense>
            }
            .into_any(),
        )
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
