//! The article, with every passage that mentions a feature marked as a link
//! to that feature.

use std::sync::Arc;

use leptos::prelude::*;

use crate::model::{Segment, StoryPage};
use crate::routes::story::UrlState;

/// The article's paragraphs.
#[component]
pub fn Article(
    /// The story whose article is shown.
    page: Arc<StoryPage>,
) -> impl IntoView {
    page.paragraphs
        .iter()
        .map(|paragraph| {
            let segments = paragraph
                .segments
                .iter()
                .map(|segment| view! { <Run segment=segment.clone() page=Arc::clone(&page) /> })
                .collect_view();
            view! { <p id=paragraph.id.clone()>{segments}</p> }
        })
        .collect_view()
}

/// A run of text: plain, or a passage linked to the features it mentions.
#[component]
fn Run(segment: Segment, page: Arc<StoryPage>) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let selected = state.selected;
    let Some(first) = segment.features.first().cloned() else {
        return segment.text.into_any();
    };
    let first_href = {
        let first = first.clone();
        move || state.feature_href(&first)
    };
    let features = segment.features.clone();
    let is_selected = move || selected.get().is_some_and(|id| features.contains(&id));
    let names: Vec<String> = segment
        .features
        .iter()
        .filter_map(|id| page.feature(id).map(|f| f.title.clone()))
        .collect();
    let anchors = segment
        .anchors
        .iter()
        .map(|anchor| view! { <span class="anchor" id=anchor.clone()></span> })
        .collect_view();
    // A passage about several features links to the first; the others follow it.
    let others = segment
        .features
        .iter()
        .skip(1)
        .map(|id| {
            let title = page
                .feature(id)
                .map(|f| f.title.clone())
                .unwrap_or_default();
            let href = {
                let id = id.clone();
                move || state.feature_href(&id)
            };
            let label = (crate::i18n::use_texts().also_about)(&title);
            view! {
                <a class="passage-more" href=href title=label.clone() aria-label=label data-feature=id.clone()>
                    "+"
                </a>
            }
        })
        .collect_view();
    view! {
        <a
            class="passage"
            class:selected=is_selected
            href=first_href
            data-feature=first
            data-features=segment.features.join(" ")
            title=names.join(", ")
        >
            {anchors}
            {segment.text}
        </a>
        {others}
    }
    .into_any()
}
