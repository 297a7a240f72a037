//! The photos, videos and satellite images stories cite, served from their
//! story folders: `GET /stories/<slug>/media/<name>`.
//!
//! Only a file a source of the published story names as its media is
//! served: the rest of a story folder (its layers, which may hold exact
//! positions that are published coarser) is never reachable this way.
//! `tower-http`'s `ServeFile` streams it, answers range requests (a video
//! seeks) and conditional ones.

use std::path::PathBuf;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kort_app::story::manifest::MEDIA_FOLDER;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::api::ApiError;
use crate::state::Shared;

/// How long browsers and caches keep a media file: a source's picture
/// does not change under its name (a new one is a new file).
const MEDIA_CACHE: &str = "public, max-age=86400";

/// `GET /stories/<slug>/media/<name>`.
pub async fn media(
    State(state): State<Shared>,
    Path((slug, name)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ApiError> {
    let file = format!("{MEDIA_FOLDER}{name}");
    let story = state.stories.snapshot().story(&slug)?;
    let cited = story.story.sources.iter().any(|source| {
        source
            .media
            .as_ref()
            .and_then(|media| media.file.as_deref())
            == Some(file.as_str())
    });
    let Some(folder) = state.stories_dir.as_ref().filter(|_| cited) else {
        return Ok(crate::api::error_response(
            axum::http::StatusCode::NOT_FOUND,
            &format!("the story {slug:?} cites no media file {file:?}"),
        ));
    };
    let path: PathBuf = folder.join(&slug).join(&file);
    // Its type from its extension, which `kort check` holds to a picture's or a video's.
    let served = ServeFile::new(&path).oneshot(request).await;
    let mut response = match served {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(MEDIA_CACHE));
    Ok(response)
}
