//! The article, with every passage that mentions a feature marked as a link
//! to that feature.

use std::sync::Arc;

use leptos::prelude::*;

use super::marks;
use crate::links::PageUrl;
use crate::model::{Segment, StoryPage};
use crate::routes::story::UrlState;

/// The article's paragraphs, marked for the address the page was asked at
/// (the browser keeps the marks in step: [`marks`]).
#[component]
pub fn Article(
    /// The story whose article is shown.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let url = untrack(|| state.applied());
    page.paragraphs
        .iter()
        .map(|paragraph| {
            let segments = paragraph
                .segments
                .iter()
                .map(|segment| run(segment, &page, &url))
                .collect_view();
            view! { <p id=paragraph.id.clone()>{segments}</p> }
        })
        .collect_view()
}

/// A run of text: plain, or a passage linked to the features it mentions.
fn run(segment: &Segment, page: &StoryPage, url: &PageUrl) -> AnyView {
    let Some(first) = segment.features.first().cloned() else {
        return segment.text.clone().into_any();
    };
    let features = segment.features.join(" ");
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
            let label = (crate::i18n::use_texts().also_about)(&title);
            view! {
                <a
                    class="passage-more"
                    href=marks::FEATURE_LINK.value(url, id)
                    title=label.clone()
                    aria-label=label
                    data-feature=id.clone()
                >
                    "+"
                </a>
            }
        })
        .collect_view();
    view! {
        <a
            class="passage"
            class:selected=marks::SELECTED_PASSAGE.is_set(url, &features)
            href=marks::FEATURE_LINK.value(url, &first)
            data-feature=first
            data-features=features
            title=names.join(", ")
        >
            {anchors}
            {segment.text.clone()}
        </a>
        {others}
    }
    .into_any()
}
