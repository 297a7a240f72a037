//! oEmbed 1.0 (<https://oembed.com>): newsroom CMSs turn a kort link into an
//! embedded map. `type: rich`, an iframe of the embed page.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use html_escape::encode_double_quoted_attribute;
use kort_app::links::{Mode, PageUrl};
use serde::Deserialize;
use serde_json::json;
use url::Url;

use crate::preview;
use crate::state::Shared;

/// Size of the iframe when the consumer sets no limit.
const DEFAULT_SIZE: (u32, u32) = (640, 480);

/// The request's parameters; all optional here so that a missing or
/// malformed one is answered as the spec says, not with a parse error.
#[derive(Debug, Deserialize)]
pub struct OEmbedQuery {
    url: Option<String>,
    format: Option<String>,
    maxwidth: Option<String>,
    maxheight: Option<String>,
}

fn error(status: StatusCode, message: &str) -> Response {
    crate::api::error_response(status, message)
}

/// `GET /oembed?url=<page url>&format=json[&maxwidth=&maxheight=]`.
pub async fn oembed(State(state): State<Shared>, Query(query): Query<OEmbedQuery>) -> Response {
    if query
        .format
        .as_deref()
        .is_some_and(|format| format != "json")
    {
        return error(StatusCode::NOT_IMPLEMENTED, "only format=json is supported");
    }
    let Some(url) = query.url.as_deref() else {
        return error(StatusCode::NOT_FOUND, "the url parameter is required");
    };
    let Some(page) = page_of(&state.site.public_url, url) else {
        return error(
            StatusCode::NOT_FOUND,
            "the url is not a kort story page of this site",
        );
    };
    let Ok(story) = state.stories.snapshot().story(&page.slug) else {
        return error(StatusCode::NOT_FOUND, "there is no such story");
    };
    let chosen = match &page.feature {
        Some(id) => match story.story.features().find(|f| &f.id == id) {
            Some(feature) => Some(feature),
            None => return error(StatusCode::NOT_FOUND, "the story has no such feature"),
        },
        None => None,
    };
    let limit = |value: &Option<String>| {
        value
            .as_deref()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|v| *v > 0)
    };
    let (max_width, max_height) = (limit(&query.maxwidth), limit(&query.maxheight));
    let width = max_width.map_or(DEFAULT_SIZE.0, |max| max.min(DEFAULT_SIZE.0));
    let height = max_height.map_or(DEFAULT_SIZE.1, |max| max.min(DEFAULT_SIZE.1));
    let title = match chosen {
        Some(feature) => format!("{} — {}", feature.title, story.story.manifest.title),
        None => story.story.manifest.title.clone(),
    };
    let src = format!(
        "{}{}",
        state.site.public_url,
        page.clone().with_mode(Mode::Embed)
    );
    let html = format!(
        r#"<iframe src="{}" width="{width}" height="{height}" style="border:0" loading="lazy" title="{}" allowfullscreen></iframe>"#,
        encode_double_quoted_attribute(&src),
        encode_double_quoted_attribute(&title)
    );
    let page = page.with_mode(Mode::Page);
    let mut body = json!({
        "version": "1.0",
        "type": "rich",
        "provider_name": "kort",
        "provider_url": state.site.public_url,
        "title": title,
        "author_name": story.page().byline,
        "html": html,
        "width": width,
        "height": height,
        "cache_age": 3600,
    });
    // The thumbnail is offered only where it fits the consumer's limits.
    let fits = max_width.is_none_or(|max| max >= preview::WIDTH)
        && max_height.is_none_or(|max| max >= preview::HEIGHT);
    if fits {
        body["thumbnail_url"] = json!(format!("{}{page}/preview.png", state.site.public_url));
        body["thumbnail_width"] = json!(preview::WIDTH);
        body["thumbnail_height"] = json!(preview::HEIGHT);
    }
    Json(body).into_response()
}

/// The story page (story and selection, not the reader's other choices)
/// a URL of this site shows, if it is one: same origin as `public_url`,
/// under its path.
fn page_of(public_url: &str, url: &str) -> Option<PageUrl> {
    let (site, url) = (Url::parse(public_url).ok()?, Url::parse(url).ok()?);
    if url.origin() != site.origin() {
        return None;
    }
    let path = url.path().strip_prefix(site.path().trim_end_matches('/'))?;
    PageUrl::from_parts(path, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_sites_story_pages_are_embeddable() {
        let site = "https://kort.example.org";
        let story = PageUrl::story("a");
        assert_eq!(
            page_of(site, "https://kort.example.org/stories/a"),
            Some(story.clone())
        );
        assert_eq!(
            page_of(
                site,
                "https://kort.example.org/stories/a/features/b?layers=x#q"
            ),
            Some(story.clone().with_feature(Some("b")))
        );
        assert_eq!(
            page_of(site, "https://kort.example.org/embed/stories/a"),
            Some(story.clone().with_mode(Mode::Embed))
        );
        assert_eq!(
            page_of(
                "https://example.org/maps/",
                "https://example.org/maps/stories/a"
            ),
            Some(story)
        );
        assert_eq!(page_of(site, "http://kort.example.org/stories/a"), None);
        assert_eq!(page_of(site, "https://evil.example.com/stories/a"), None);
        assert_eq!(
            page_of(site, "https://kort.example.org.evil.com/stories/a"),
            None
        );
        assert_eq!(page_of(site, "https://kort.example.org/stories/a/b"), None);
        assert_eq!(page_of(site, "https://kort.example.org/"), None);
    }
}
