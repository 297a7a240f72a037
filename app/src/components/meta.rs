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
    let field = move |pick: fn(&Head) -> String| move || head.with(pick);
    view! {
        <Title text=field(|h| h.title.clone()) />
        <Meta name="description" content=field(|h| h.description.clone()) />
        {move || view! { <Link rel="canonical" href=head.with(|h| h.url.clone()) /> }}
        {move || {
            let (url, title) = head.with(|h| (h.url.clone(), h.title.clone()));
            let href = format!("{public_url}/oembed?url={}&format=json", links::percent_encode(&url));
            view! { <Link rel="alternate" type_="application/json+oembed" href=href title=title /> }
        }}
        <Meta property="og:type" content="article" />
        <Meta property="og:site_name" content="kort" />
        <Meta property="og:title" content=field(|h| h.title.clone()) />
        <Meta property="og:description" content=field(|h| h.description.clone()) />
        <Meta property="og:url" content=field(|h| h.url.clone()) />
        <Meta property="og:image" content=field(|h| h.image.clone()) />
        <Meta property="og:image:type" content="image/png" />
        <Meta property="og:image:width" content=PREVIEW_SIZE.0.to_string() />
        <Meta property="og:image:height" content=PREVIEW_SIZE.1.to_string() />
        <Meta property="og:image:alt" content=field(|h| h.image_alt.clone()) />
        <Meta property="og:locale" content=crate::i18n::Lang::parse(&page_language).unwrap_or(lang).og_locale() />
        <Meta property="article:published_time" content=published />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=field(|h| h.title.clone()) />
        <Meta name="twitter:description" content=field(|h| h.description.clone()) />
        <Meta name="twitter:image" content=field(|h| h.image.clone()) />
        <Meta name="twitter:image:alt" content=field(|h| h.image_alt.clone()) />
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
