//! The page head for people and for social networks: title, description,
//! canonical link, OpenGraph and Twitter cards with the preview image. On a
//! feature's deep link they describe the feature.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::links::{self, PageUrl};
use crate::model::{Site, StoryPage};
use crate::routes::story::UrlState;

/// Width and height of the preview images (`/preview.png`).
pub const PREVIEW_SIZE: (u32, u32) = (1200, 630);

/// The head tags of a story page, as the server renders it. In the browser
/// only the document's title follows the selection
/// ([`crate::components::marks`]): the rest is for crawlers and link
/// previews, which read the server's HTML.
#[component]
pub fn SocialMeta(
    /// The story the page shows.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let site = use_context::<Site>().unwrap_or_default();
    let selected = expect_context::<UrlState>().selected.get_untracked();
    let lang = crate::i18n::use_lang();
    let texts = lang.texts();
    let story = &page.summary;
    let feature = selected.as_deref().and_then(|id| page.feature(id));
    let title = self::title(&page, selected.as_deref());
    let (description, path) = match feature {
        Some(feature) => (
            feature
                .passages
                .first()
                .map(|passage| format!("“{}”", passage.exact))
                .or_else(|| feature.note.clone())
                .unwrap_or_else(|| story.summary.clone()),
            PageUrl::story(&story.slug)
                .with_feature(Some(&feature.id))
                .to_string(),
        ),
        None => (
            story.summary.clone(),
            PageUrl::story(&story.slug).to_string(),
        ),
    };
    let url = format!("{}{path}", site.public_url);
    let image = format!("{url}/preview.png");
    let image_alt = match feature {
        Some(feature) => (texts.map_of_feature)(&feature.title, &page.text.title),
        None => (texts.map_of_story)(&page.text.title),
    };
    let locale = crate::i18n::Lang::parse(&page.text.language)
        .unwrap_or(lang)
        .og_locale();
    let oembed = format!(
        "{}/oembed?url={}&format=json",
        site.public_url,
        links::percent_encode(&url)
    );
    view! {
        <Title text=title_text(&title) />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=url.clone() />
        <Link rel="alternate" type_="application/json+oembed" href=oembed title=title.clone() />
        <Meta property="og:type" content="article" />
        <Meta property="og:site_name" content="kort" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=url />
        <Meta property="og:image" content=image.clone() />
        <Meta property="og:image:type" content="image/png" />
        <Meta property="og:image:width" content=PREVIEW_SIZE.0.to_string() />
        <Meta property="og:image:height" content=PREVIEW_SIZE.1.to_string() />
        <Meta property="og:image:alt" content=image_alt.clone() />
        <Meta property="og:locale" content=locale />
        <Meta property="article:published_time" content=story.published.clone() />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
        <Meta name="twitter:image" content=image />
        <Meta name="twitter:image:alt" content=image_alt />
    }
}

/// The page's title: the selected feature's and the story's, or the story's.
pub fn title(page: &StoryPage, selected: Option<&str>) -> String {
    match selected.and_then(|id| page.feature(id)) {
        Some(feature) => format!("{} — {}", feature.title, page.text.title),
        None => page.text.title.clone(),
    }
}

/// The title as the browser shows it: the page's, then the site's name
/// (the page's isolated where it is written right to left, so that the
/// name stays at its end).
pub fn document_title(title: &str) -> String {
    if title.is_empty() {
        "kort".to_owned()
    } else {
        format!(
            "{} · kort",
            crate::i18n::isolate(title, crate::i18n::Dir::Ltr)
        )
    }
}

/// The `<title>` text. `leptos_meta` writes it into the server's HTML as
/// given, and a story's title is the editors' words: escaped here, so a
/// title cannot close the element and start markup. (In the browser,
/// `follow` sets `document.title`, which is text already.)
fn title_text(title: &str) -> String {
    html_escape::encode_text(title).into_owned()
}
