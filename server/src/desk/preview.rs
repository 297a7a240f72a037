//! Drafts as readers will see them: `/desk/preview/stories/<slug>…` is the
//! story page itself (the app's `PreviewRoute`, the reader's code), read
//! from the draft, and `/desk/preview/api/stories/<slug>/…` is the API the
//! page's map and panel read, answered from the draft by the API's own
//! handlers. Only signed-in users get here (the desk's guard), and nothing
//! of a draft is ever served under a public address or kept by a cache.
//!
//! A draft is loaded (and checked) once per revision: the last few loaded
//! are kept, so the page and its data requests share one load.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use kort_app::desk::story_path;
use kort_app::links::PREVIEW_PREFIX;
use kort_app::story::{Catalog, Stories};

use super::drafts::DeskError;
use crate::load;
use crate::state::Shared;

/// How many loaded drafts are kept for previews.
const KEPT: usize = 4;

/// The drafts loaded for previews lately: slug, revision, and the state
/// that serves them.
#[derive(Clone, Default)]
pub struct Kept(Arc<Mutex<VecDeque<(String, String, Shared)>>>);

/// Why a draft cannot be previewed.
enum Unshown {
    /// No such story, or no desk.
    NotFound,
    /// `kort check` finds problems: readers could not be shown it either.
    Problems,
    /// The draft could not be read.
    Failed(String),
}

/// The state that serves the draft of `slug` as the public state serves
/// the published stories.
async fn draft_state(state: &Shared, slug: &str) -> Result<Shared, Unshown> {
    let Some(desk) = state.desk.clone() else {
        return Err(Unshown::NotFound);
    };
    let (drafts, kept, story) = (desk.drafts.clone(), desk.previews.clone(), slug.to_owned());
    let public = state.clone();
    let found = tokio::task::spawn_blocking(move || {
        drafts.read_draft_folder(&story, |folder, revision| {
            let shown = kept
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .find(|(slug, at, _)| *slug == story && at == revision)
                .map(|(_, _, state)| state.clone());
            if let Some(shown) = shown {
                return Ok(shown);
            }
            let loaded = load::story(&story, folder).map_err(|_| Unshown::Problems)?;
            let mut catalog = Catalog::default();
            catalog.insert(story.clone(), Ok(loaded));
            let shown = public.serving(Stories::new(catalog));
            let mut kept = kept.0.lock().unwrap_or_else(PoisonError::into_inner);
            kept.retain(|(slug, ..)| *slug != story);
            if kept.len() >= KEPT {
                kept.pop_front();
            }
            kept.push_back((story.clone(), revision.to_owned(), shown.clone()));
            Ok(shown)
        })
    })
    .await;
    match found {
        Ok(Ok(shown)) => shown,
        Ok(Err(DeskError::NotFound(_))) => Err(Unshown::NotFound),
        Ok(Err(error)) => Err(Unshown::Failed(error.to_string())),
        Err(error) => Err(Unshown::Failed(error.to_string())),
    }
}

/// The slug in `/desk/preview/stories/<slug>…` or `/desk/preview/api/stories/<slug>…`.
fn slug_of(path: &str) -> String {
    let rest = path.strip_prefix(PREVIEW_PREFIX).unwrap_or(path);
    let rest = rest.strip_prefix("/api").unwrap_or(rest);
    rest.strip_prefix("/stories/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned()
}

fn unshown(why: Unshown, slug: &str) -> Response {
    match why {
        Unshown::NotFound => (StatusCode::NOT_FOUND, "there is no such story").into_response(),
        Unshown::Problems => {
            Redirect::to(&format!("{}?error=preview", story_path(slug))).into_response()
        }
        Unshown::Failed(error) => {
            tracing::error!(%error, story = slug, "draft not previewed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the draft could not be read",
            )
                .into_response()
        }
    }
}

/// `GET /desk/preview/stories/<slug>[/features/<id>]`: the story page,
/// from the draft.
pub async fn page(State(state): State<Shared>, request: Request) -> Response {
    let slug = slug_of(request.uri().path());
    let draft = match draft_state(&state, &slug).await {
        Ok(draft) => draft,
        Err(why) => return unshown(why, &slug),
    };
    draft.render_page(request).await
}

/// `GET /desk/preview/api/stories/<slug>/…`: the API, from the draft.
pub async fn api(State(state): State<Shared>, request: Request) -> Response {
    let slug = slug_of(request.uri().path());
    let draft = match draft_state(&state, &slug).await {
        Ok(draft) => draft,
        Err(why) => return unshown(why, &slug),
    };
    let public = request
        .uri()
        .path_and_query()
        .map(|path| path.as_str().replacen(PREVIEW_PREFIX, "", 1))
        .and_then(|path| path.parse::<Uri>().ok());
    let Some(public) = public else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    draft
        .answer(crate::router::story_api(), request, public)
        .await
}
