//! Sources as readers see them: in a feature's panel, and all of them under
//! the feature list (which is also what a printed story ends with).

use std::sync::Arc;

use leptos::prelude::*;

use crate::model::{Media, MediaKind, Source, StoryPage};
use crate::routes::story::UrlState;
use crate::{i18n, links};

/// One source: its kind, title, who and when, the quote, its picture, a
/// link and its archived copy.
#[component]
pub fn SourceCard(
    source: Source,
    /// The story citing it, at the revision shown ([`UrlState::published_path`]):
    /// its media files are under it.
    story: String,
    /// The `lang` and `dir` of its words ([`crate::model::StorySummary::words_in`]).
    words: (String, &'static str),
    /// Those of its article's original, which quotes are in.
    quoted: (String, &'static str),
) -> impl IntoView {
    let (data, data_dir) = words;
    let (original, original_dir) = quoted;
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let who = [Some(source.publisher.clone()), source.author.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let when = source
        .date
        .as_deref()
        .map(|date| format!("{}{}", texts.separator, lang.date(date)));
    let link = match (&source.url, &source.archived_url) {
        (Some(url), _) => Some(
            view! {
                <a class="source-link" href=url.clone() target="_blank" rel="noopener noreferrer">
                    {texts.open_source}
                    <span class="visually-hidden">{texts.new_tab}</span>
                </a>
            }
            .into_any(),
        ),
        (None, None) => {
            Some(view! { <p class="source-no-link">{texts.no_public_link}</p> }.into_any())
        }
        (None, Some(_)) => None,
    };
    let archived = source.archived_url.clone().map(|url| {
        let made = source
            .archived_at
            .as_deref()
            .map(|date| format!(" ({})", (texts.archived_on)(&lang.date(date))));
        view! {
            <p class="source-archived">
                <a href=url target="_blank" rel="noopener noreferrer">
                    {texts.archived_copy}
                    <span class="visually-hidden">{texts.new_tab}</span>
                </a>
                {made}
            </p>
        }
    });
    let hash = source.sha256.clone().map(|hash| {
        view! { <p class="source-hash">{texts.file_hash} " " <code>{hash.to_ascii_lowercase()}</code></p> }
    });
    view! {
        <li class="source">
            <p class="source-kind">{texts.source_kind(source.kind)}</p>
            // In the story's words; a quote in the article's.
            <p class="source-title" lang=data.clone() dir=data_dir><cite>{source.title.clone()}</cite></p>
            <p class="source-byline"><bdi lang=data dir=data_dir>{who}</bdi>{when}</p>
            {source.quote.clone().map(|quote| view! { <blockquote lang=original dir=original_dir>{quote}</blockquote> })}
            {source.media.clone().map(|media| view! { <Picture media story /> })}
            {link}
            {archived}
            {hash}
        </li>
    }
}

/// A source's photo, video or satellite image: shown where the story holds
/// its file, described in words always, and held back behind its warning
/// where it has one (a video never plays by itself, nor loads before asked).
#[component]
fn Picture(media: Media, story: String) -> impl IntoView {
    let texts = i18n::use_texts();
    let shown = media.file.as_deref().map(|file| {
        let src = links::media(&story, file);
        if media.kind == MediaKind::Video {
            view! {
                <video controls preload="none" src=src aria-label=media.alt.clone()></video>
            }
            .into_any()
        } else {
            view! { <img src=src alt=media.alt.clone() loading="lazy" decoding="async" /> }
                .into_any()
        }
    });
    let described = media
        .file
        .is_none()
        .then(|| view! { <p class="media-alt">{media.alt.clone()}</p> });
    let caption = format!(
        "{}{}{}",
        texts.media_kind(media.kind),
        texts.separator,
        (texts.credit)(&media.credit)
    );
    let body = view! {
        {shown}
        {described}
    };
    let held = match media.content_warning.clone() {
        Some(warning) => view! {
            <details class="media-warning">
                <summary>{(texts.show_media)(&warning)}</summary>
                {body}
            </details>
        }
        .into_any(),
        None => body.into_any(),
    };
    view! {
        <figure class="source-media">
            {held}
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// Every source the story cites.
#[component]
pub fn StorySources(
    /// The story whose sources are listed.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let texts = i18n::use_texts();
    let story = expect_context::<UrlState>().published_path();
    let sources = page
        .sources
        .iter()
        .map(|source| view! { <SourceCard source=source.clone() story=story.clone() words=page.summary.words_in(source.language.as_ref()) quoted=page.summary.original_words() /> })
        .collect_view();
    view! {
        <section class="story-sources" aria-labelledby="story-sources-title">
            <h2 id="story-sources-title">{texts.all_sources}</h2>
            <ul class="sources">{sources}</ul>
        </section>
    }
}
