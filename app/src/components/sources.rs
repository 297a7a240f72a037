//! Sources as readers see them: in a feature's panel, and all of them under
//! the feature list (which is also what a printed story ends with).

use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n;
use crate::model::{Source, StoryPage};

/// One source: its kind, title, who and when, the quote and a link.
#[component]
pub fn SourceCard(source: Source) -> impl IntoView {
    let texts = i18n::use_texts();
    let byline = [
        Some(source.publisher.clone()),
        source.author.clone(),
        source.date.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="source">
            <p class="source-kind">{texts.source_kind(source.kind)}</p>
            <p class="source-title"><cite>{source.title.clone()}</cite></p>
            <p class="source-byline">{byline}</p>
            {source.quote.clone().map(|quote| view! { <blockquote>{quote}</blockquote> })}
            {source.url.clone().map(|url| view! {
                <a class="source-link" href=url target="_blank" rel="noopener noreferrer">
                    {texts.open_source}
                    <span class="visually-hidden">{texts.new_tab}</span>
                </a>
            })}
        </li>
    }
}

/// Every source the story cites.
#[component]
pub fn StorySources(
    /// The story whose sources are listed.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let texts = i18n::use_texts();
    let sources = page
        .sources
        .iter()
        .map(|source| view! { <SourceCard source=source.clone() /> })
        .collect_view();
    view! {
        <section class="story-sources" aria-labelledby="story-sources-title">
            <h2 id="story-sources-title">{texts.all_sources}</h2>
            <ul class="sources">{sources}</ul>
        </section>
    }
}
