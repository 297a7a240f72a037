//! Earlier published revisions, at their own addresses, for citations:
//! `/stories/<slug>/rev/<n>[/features/<id>]` (and its embed) is the story
//! page itself, rendered from revision `n`; `/api/stories/<slug>/rev/<n>/…`
//! is the API and the exports, and `/stories/<slug>/rev/<n>[/features/<id>]/preview.png`
//! its pictures, each answered by the same handlers from that revision.
//!
//! A revision is read from the story's history ([`crate::history`]) and
//! loaded like any story; the last few loaded are kept, and one is loaded
//! at a time, so asking for many revisions costs at most that.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use kort_app::links::PageUrl;
use kort_app::story::{Catalog, Stories};
use tokio::sync::Semaphore;

use crate::history::{self, RevisionError};
use crate::state::Shared;

/// How many loaded revisions are kept.
const KEPT: usize = 8;
/// How long caches may keep a revision's answers: it never changes (only
/// taking the story off the site removes it).
const REVISION_CACHE: &str = "public, max-age=86400";

/// The revisions loaded lately, and the one loading.
#[derive(Clone)]
pub struct Revisions {
    /// By slug, revision, and the latest's load (which protects them).
    kept: Arc<quick_cache::sync::Cache<(String, u32, u64), Shared>>,
    loading: Arc<Semaphore>,
}

impl Default for Revisions {
    fn default() -> Self {
        Self {
            kept: Arc::new(quick_cache::sync::Cache::new(KEPT)),
            loading: Arc::new(Semaphore::new(1)),
        }
    }
}

/// The state that serves revision `number` of `slug` as the public state
/// serves the latest.
async fn revision_state(state: &Shared, slug: &str, number: u32) -> Result<Shared, Response> {
    let not_found = || {
        crate::api::error_response(
            StatusCode::NOT_FOUND,
            &format!("the story {slug:?} has no published revision {number}"),
        )
    };
    // Only stories readers can read now have revisions to read.
    let latest = match state.stories.snapshot().story(slug) {
        Ok(latest) if kort_app::story::valid_id(slug) => latest,
        _ => return Err(not_found()),
    };
    let key = (slug.to_owned(), number, latest.version);
    if let Some(kept) = state.revisions.kept.get(&key) {
        return Ok(kept);
    }
    let Some(folder) = state.stories_dir.as_ref().map(|dir| dir.join(slug)) else {
        return Err(not_found());
    };
    let _turn = state
        .revisions
        .loading
        .acquire()
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE.into_response())?;
    if let Some(kept) = state.revisions.kept.get(&key) {
        return Ok(kept);
    }
    let story = slug.to_owned();
    let loaded =
        tokio::task::spawn_blocking(move || history::load_revision(&story, &folder, number)).await;
    let mut story = match loaded {
        Ok(Ok(story)) => story,
        Ok(Err(RevisionError::NotFound { .. })) => return Err(not_found()),
        Ok(Err(error)) => {
            tracing::error!(%error, "revision not shown");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
        Err(error) => {
            tracing::error!(%error, "revision not loaded");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    // A position protected since is protected in every revision too.
    story.protect_as(&latest.story);
    let mut catalog = Catalog::default();
    catalog.insert(slug.to_owned(), Ok(story));
    let shown = state.serving(Stories::new(catalog));
    state.revisions.kept.insert(key, shown.clone());
    Ok(shown)
}

/// `GET /stories/<slug>/rev/<n>[/features/<id>]` and its embed: the story
/// page, from the revision.
pub async fn page(State(state): State<Shared>, request: Request) -> Response {
    let Some((slug, number)) = PageUrl::parse(&request.uri().to_string())
        .and_then(|url| Some((url.slug.clone(), url.revision?)))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let shown = match revision_state(&state, &slug, number).await {
        Ok(shown) => shown,
        Err(response) => return response,
    };
    lasting(shown.render_page(request).await)
}

/// The API, the exports and the pictures of a revision:
/// `/api/stories/<slug>/rev/<n>/…` and `/stories/<slug>/rev/<n>/…/preview.png`,
/// answered by their own handlers as the latest's, from the revision.
pub async fn data(State(state): State<Shared>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let Some((slug, number, latest_path)) = without_revision(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let shown = match revision_state(&state, &slug, number).await {
        Ok(shown) => shown,
        Err(response) => return response,
    };
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let Ok(uri) = format!("{latest_path}{query}").parse::<Uri>() else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    lasting(
        shown
            .answer(crate::router::revision_data(), request, uri)
            .await,
    )
}

/// `/api/stories/<slug>/rev/<n>[/<rest>]` → (`slug`, `n`,
/// `/api/stories/<slug>[/<rest>]`), and `/stories/<slug>/rev/<n>/<rest>`
/// (a picture) likewise.
fn without_revision(path: &str) -> Option<(String, u32, String)> {
    let (prefix, rest) = path
        .strip_prefix("/api/stories/")
        .map(|rest| ("/api/stories/", rest))
        .or_else(|| {
            path.strip_prefix("/stories/")
                .map(|rest| ("/stories/", rest))
        })?;
    let mut parts = rest.splitn(4, '/');
    let (slug, rev, number) = (parts.next()?, parts.next()?, parts.next()?);
    let number = PageUrl::parse(&format!("/stories/{slug}/rev/{number}"))?.revision?;
    let latest = match parts.next() {
        Some(tail) => format!("{prefix}{slug}/{tail}"),
        // The story itself, from the API; a page is not data.
        None if prefix == "/api/stories/" => format!("{prefix}{slug}"),
        None => return None,
    };
    (rev == "rev").then(|| (slug.to_owned(), number, latest))
}

/// A revision's answers may be kept: they do not change.
fn lasting(mut response: Response) -> Response {
    if response.status() == StatusCode::OK {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(REVISION_CACHE),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_s_address_leads_to_the_latest_s_handler() {
        assert_eq!(
            without_revision("/api/stories/a/rev/2/layers/route.geojson"),
            Some(("a".into(), 2, "/api/stories/a/layers/route.geojson".into()))
        );
        assert_eq!(
            without_revision("/stories/a/rev/12/features/b/preview.png"),
            Some(("a".into(), 12, "/stories/a/features/b/preview.png".into()))
        );
        assert_eq!(
            without_revision("/api/stories/a/rev/3"),
            Some(("a".into(), 3, "/api/stories/a".into()))
        );
        for not_one in [
            "/api/stories/a/rev/0/layers/x",
            "/api/stories/a/rev/x/layers/x",
            "/api/stories/a/layers/x",
            "/stories/a/rev/2",
        ] {
            assert_eq!(without_revision(not_one), None, "{not_one}");
        }
    }
}
