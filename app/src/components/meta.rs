//! The page head for people and for social networks: title, description,
//! canonical link, OpenGraph and Twitter cards with the preview image. On a
//! feature's deep link they describe the feature.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::links;
use crate::model::{Site, StoryPage};
use crate::routes::story::UrlState;

/// Width and height of the preview images (`/preview.png`).
pub const PREVIEW_SIZE: (u32, u32) = (1200, 630);

/// The head tags of a story page.
#[component]
pub fn SocialMeta(
    /// The story the page shows.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let site = use_context::<Site>().unwrap_or_default();
    let selected = expect_context::<UrlState>().selected;
    let lang = crate::i18n::use_lang();
    let texts = lang.texts();
    let story = page.summary.clone();
    let title = page.text.title.clone();
    let page_language = page.text.language.clone();
    let public_url = site.public_url.clone();
    let published = story.published.clone();
    let head = Memo::new(move |_| {
        let feature = selected.get().and_then(|id| page.feature(&id).cloned());
        let (title, description, path) = match &feature {
            Some(feature) => (
                format!("{} — {title}", feature.title),
                feature
                    .passages
                    .first()
                    .map(|passage| format!("“{}”", passage.exact))
                    .or_else(|| feature.note.clone())
                    .unwrap_or_else(|| story.summary.clone()),
                links::feature(&story.slug, &feature.id),
            ),
            None => (
                title.clone(),
                story.summary.clone(),
                links::story(&story.slug),
            ),
        };
        let url = format!("{}{path}", site.public_url);
        let image_alt = match &feature {
            Some(feature) => (texts.map_of_feature)(&feature.title, &title),
            None => (texts.map_of_story)(&title),
        };
        Head {
            title,
            description,
            image: format!("{url}/preview.png"),
            url,
            image_alt,
        }
    });
    let locale = crate::i18n::Lang::parse(&page_language)
        .unwrap_or(lang)
        .og_locale();
    // Rebuilt whole on each change, with plain strings: the head outlives
    // this component (a language switch replaces it), so its tags must not
    // read this component's signals.
    move || {
        let Head {
            title,
            description,
            url,
            image,
            image_alt,
        } = head.get();
        let oembed = format!(
            "{public_url}/oembed?url={}&format=json",
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
            <Meta property="article:published_time" content=published.clone() />
            <Meta name="twitter:card" content="summary_large_image" />
            <Meta name="twitter:title" content=title />
            <Meta name="twitter:description" content=description />
            <Meta name="twitter:image" content=image />
            <Meta name="twitter:image:alt" content=image_alt />
        }
    }
}

/// The `<title>` text. `leptos_meta` writes it into the server's HTML as
/// given, and a story's title is the editors' words: escaped there, so a
/// title cannot close the element and start markup. In the browser the text
/// becomes `document.title` as it is.
fn title_text(title: &str) -> String {
    if cfg!(feature = "ssr") {
        title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        title.to_owned()
    }
}

/// What the head says about the page.
#[derive(Debug, Clone, PartialEq)]
struct Head {
    title: String,
    description: String,
    url: String,
    image: String,
    image_alt: String,
}
