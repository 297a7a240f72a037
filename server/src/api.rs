//! The JSON and GeoJSON API, for other tools and for the map.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kort_app::date::TimeFilter;
use kort_app::error::KortError;
use kort_app::model::{
    FEATURES_PER_PAGE, FeatureSummary, LayerStyle, Source, StorySummary, View, feature_pages,
};
use kort_app::nav::Address;
use std::sync::Arc;

use kort_app::story::Feature;
use kort_app::story::catalog::{LoadedStory, Prepared};
use kort_app::story::view;
use kort_app::story::viewport::Window;
use serde::Serialize;

use crate::caching;
use crate::page_cache::PageCache;
use crate::state::Shared;

/// The media type of GeoJSON (RFC 7946).
pub const GEOJSON: &str = "application/geo+json";

/// An API error: its status and `{"error": "<message>"}`.
pub struct ApiError(KortError);

impl From<KortError> for ApiError {
    fn from(error: KortError) -> Self {
        Self(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        error_response(status, &self.0.to_string())
    }
}

/// `{"error": "<message>"}` with `<`, `>` and `&` written as `\u003c` and so
/// on: an error echoes what the request said, and no sniffing browser or
/// careless consumer should find markup in it.
pub fn error_response(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message })
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// `GET /api/stories`: the served stories.
pub async fn list(State(state): State<Shared>) -> Json<Vec<StorySummary>> {
    Json(state.stories.snapshot().summaries())
}

/// A story's metadata, article, sources and layers, as `/api/stories/<slug>` serves it.
#[derive(Debug, Serialize)]
pub struct StoryDocument {
    #[serde(flatten)]
    pub summary: StorySummary,
    pub byline: String,
    pub view: View,
    /// The article in its original language.
    pub paragraphs: Vec<ParagraphText>,
    /// The article in other languages.
    pub translations: Vec<TranslationDocument>,
    pub sources: Vec<Source>,
    pub layers: Vec<LayerDocument>,
    /// Every feature, as GeoJSON.
    pub features_url: String,
}

/// A paragraph of the article.
#[derive(Debug, Serialize)]
pub struct ParagraphText {
    pub id: String,
    pub text: String,
}

/// A translation of the article.
#[derive(Debug, Serialize)]
pub struct TranslationDocument {
    pub language: String,
    pub title: String,
    pub translator: String,
    pub paragraphs: Vec<ParagraphText>,
}

impl ParagraphText {
    fn all(paragraphs: &[kort_app::story::article::Paragraph]) -> Vec<Self> {
        paragraphs
            .iter()
            .map(|p| Self {
                id: p.id.clone(),
                text: p.text.clone(),
            })
            .collect()
    }
}

/// A layer and where its GeoJSON is.
#[derive(Debug, Serialize)]
pub struct LayerDocument {
    pub id: String,
    pub title: String,
    pub style: LayerStyle,
    pub features: usize,
    pub url: String,
}

/// `GET /api/stories/<slug>`.
pub async fn story(
    State(state): State<Shared>,
    Path(slug): Path<String>,
) -> Result<Json<StoryDocument>, ApiError> {
    let loaded = state.stories.snapshot().story(&slug)?;
    let story = &loaded.story;
    // The data of the revision asked for: the latest's, or an earlier one's.
    let api = kort_app::links::PageUrl::story(&slug)
        .with_revision(story.revision.as_ref().map(|revision| revision.number))
        .api();
    Ok(Json(StoryDocument {
        summary: loaded.page().summary.clone(),
        byline: loaded.page().byline.clone(),
        view: loaded.page().view,
        paragraphs: ParagraphText::all(&story.texts[0].paragraphs),
        translations: story
            .texts
            .iter()
            .skip(1)
            .map(|text| TranslationDocument {
                language: text.language.clone(),
                title: text.title.clone(),
                translator: text.translator.clone().unwrap_or_default(),
                paragraphs: ParagraphText::all(&text.paragraphs),
            })
            .collect(),
        sources: story.sources.clone(),
        layers: story
            .layers
            .iter()
            .map(|layer| LayerDocument {
                id: layer.id.clone(),
                title: layer.title.clone(),
                style: layer.style.clone(),
                features: layer.features.len(),
                url: kort_app::links::layer_geojson(&api, &layer.id),
            })
            .collect(),
        features_url: format!("{api}/features.geojson"),
    }))
}

fn geojson(body: String) -> Response {
    ([(header::CONTENT_TYPE, GEOJSON)], body).into_response()
}

/// GeoJSON prepared at load, tagged already: a revalidation is answered
/// without reading the body (`caching::revalidate` leaves tagged answers be).
fn prepared_geojson(prepared: &Prepared, request: &HeaderMap) -> Response {
    let mut headers = HeaderMap::new();
    if let Some(not_modified) = caching::tag(
        &mut headers,
        &prepared.etag,
        request.get(header::IF_NONE_MATCH),
    ) {
        return not_modified;
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(GEOJSON));
    (headers, prepared.body.clone()).into_response()
}

/// How much of a streamed collection is written before it is sent.
const PART_BYTES: usize = 64 * 1024;

/// The features of `loaded` that `keep`, as a FeatureCollection written
/// out while it is sent, a part of [`PART_BYTES`] at a time: a request
/// holds a part in memory, never the collection. For collections too large
/// to keep (a layer served by viewport, a story with one) and those cut by
/// time. As many are written at once as there are cores; a request beyond
/// that is told to come back (`503`, `Retry-After`).
///
/// The body is not there to be tagged, but it is made only from the
/// story's files (their fingerprint), this build of kort, and the URL that
/// asks for it: those tag it, the same in every process.
fn streamed_geojson(
    state: &Shared,
    loaded: Arc<LoadedStory>,
    request: &HeaderMap,
    asked: &str,
    keep: impl Fn(&Feature) -> bool + Send + 'static,
) -> Response {
    let mut headers = HeaderMap::new();
    let made_of = format!(
        "{:016x} {} {asked}",
        loaded.story.fingerprint,
        env!("CARGO_PKG_VERSION")
    );
    let etag = kort_app::story::catalog::etag(made_of.as_bytes());
    if let Some(not_modified) =
        caching::tag(&mut headers, &etag, request.get(header::IF_NONE_MATCH))
    {
        return not_modified;
    }
    let Ok(place) = Arc::clone(&state.writers).try_acquire_owned() else {
        return crate::admission::Busy.into_response();
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(GEOJSON));
    let parts = futures_util::stream::unfold(
        (loaded, keep, place, view::Written::default(), true),
        |(loaded, keep, place, mut at, more)| async move {
            if !more {
                return None;
            }
            let mut part = String::with_capacity(PART_BYTES + 4096);
            let more = view::write_collection(&loaded.story, &keep, &mut at, &mut part, PART_BYTES);
            Some((
                Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(part)),
                (loaded, keep, place, at, more),
            ))
        },
    );
    (headers, axum::body::Body::from_stream(parts)).into_response()
}

/// A query string's parameters, read as the pages read theirs.
fn params(query: Option<&str>) -> Address {
    Address::parse(&format!("?{}", query.unwrap_or_default()))
}

/// The `at` or `range` of a query string, as story pages read them; a
/// malformed value is no filter at all.
fn time_filter(params: &Address) -> Option<TimeFilter> {
    TimeFilter::from_params(params.get("at"), params.get("range"))
}

/// `GET /api/stories/<slug>/features.geojson[?at=…|?range=…]`.
pub async fn features(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let loaded = state.stories.snapshot().story(&slug)?;
    let time = time_filter(&params(query.as_deref()));
    Ok(match (&loaded.features_geojson, time) {
        (Some(prepared), None) => prepared_geojson(prepared, &headers),
        (_, time) => streamed_geojson(
            &state,
            loaded,
            &headers,
            &format!("features {}", query.as_deref().unwrap_or_default()),
            move |feature| view::in_time(feature, time.as_ref()),
        ),
    })
}

/// `GET /api/stories/<slug>/layers/<layer>.geojson[?at=…|?range=…][&bbox=w,s,e,n&zoom=z]`,
/// or `?id=<feature>` for one feature (none if the layer has no such one).
/// With `bbox` and `zoom`, a layer served by viewport answers with the part
/// in view, clustered and simplified for the zoom (`story::viewport`); any
/// other layer is small and answers whole.
pub async fn layer(
    State(state): State<Shared>,
    Path((slug, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let loaded = state
        .stories
        .snapshot()
        .story(&slug)
        .map_err(|error| ApiError(error).into_response())?;
    let not_found = || {
        ApiError(KortError::LayerNotFound {
            slug: slug.clone(),
            layer: file.clone(),
        })
        .into_response()
    };
    let id = file.strip_suffix(".geojson").ok_or_else(not_found)?;
    if loaded.story.layer(id).is_err() {
        return Err(not_found());
    }
    let params = params(query.as_deref());
    if let Some(feature) = params.get("id") {
        // One feature, if the layer has it: how the map finds a selection
        // in a layer it draws only in part.
        return Ok(geojson(view::collection(&loaded.story, |f| {
            f.layer == id && f.id == feature
        })));
    }
    let window = Window::parse(params.get("bbox"), params.get("zoom"))
        .map_err(|message| error_response(StatusCode::BAD_REQUEST, &message))?;
    let time = time_filter(&params);
    if let (Some(window), Some(index)) = (window, loaded.viewports.get(id)) {
        let layer = loaded
            .story
            .layer(id)
            .map_err(|error| ApiError(error).into_response())?;
        return Ok(geojson(index.collection(layer, &window, time.as_ref())));
    }
    Ok(match (loaded.layer_geojson.get(id), time) {
        (Some(prepared), None) => prepared_geojson(prepared, &headers),
        (_, time) => {
            let asked = format!("layer {id} {}", query.as_deref().unwrap_or_default());
            let id = id.to_owned();
            streamed_geojson(&state, loaded, &headers, &asked, move |feature| {
                feature.layer == id && view::in_time(feature, time.as_ref())
            })
        }
    })
}

/// A page of a layer's features.
#[derive(Debug, Serialize)]
pub struct FeaturePage {
    pub layer: String,
    /// Features in the layer.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    pub features: Vec<FeatureSummary>,
}

/// `GET /api/stories/<slug>/layers/<layer>/features[?page=n]`: a layer's
/// features in story order, [`FEATURES_PER_PAGE`] at a time, with passages in the
/// original text.
pub async fn feature_page(
    State(state): State<Shared>,
    Path((slug, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Json<FeaturePage>, Response> {
    let loaded = state
        .stories
        .snapshot()
        .story(&slug)
        .map_err(|error| ApiError(error).into_response())?;
    let layer = loaded
        .story
        .layer(&id)
        .map_err(|error| ApiError(error).into_response())?;
    let pages = feature_pages(layer.features.len());
    let params = params(query.as_deref());
    let page = match params.get("page") {
        None => 1,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|page| (1..=pages).contains(page))
            .ok_or_else(|| {
                error_response(
                    StatusCode::BAD_REQUEST,
                    &format!("page: {text:?} is not a page of this layer; expected a whole number from 1 to {pages}"),
                )
            })?,
    };
    Ok(Json(FeaturePage {
        layer: layer.id.clone(),
        total: layer.features.len(),
        page,
        pages,
        per_page: FEATURES_PER_PAGE,
        features: layer
            .features
            .iter()
            .skip((page - 1) * FEATURES_PER_PAGE)
            .take(FEATURES_PER_PAGE)
            .map(|feature| {
                let words = loaded.story.manifest.data_language();
                view::summary(&loaded.story, feature, 0, words)
            })
            .collect(),
    }))
}

/// `GET /api/stories/<slug>/features/<id>[?lang=xx][&words=yy]`: one
/// feature, with its passages in the story's text in `lang` (the original
/// where the story has none in it), and its title and note in `words`
/// (else `lang`) where the story gives them in it. The map asks for a
/// large layer's features here when they are selected, since its page
/// lists only those the article mentions.
pub async fn feature(
    State(state): State<Shared>,
    Path((slug, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Json<FeatureSummary>, ApiError> {
    let loaded = state.stories.snapshot().story(&slug)?;
    let params = params(query.as_deref());
    let manifest = &loaded.story.manifest;
    let language = params.get("lang").unwrap_or(&manifest.language);
    let words = manifest.words_language(params.get("words").unwrap_or(language));
    Ok(Json(view::feature_in(&loaded.story, &id, language, words)?))
}

/// `GET /healthz`: alive, how many stories are served or held back, and
/// how many bytes the page and preview caches keep.
pub async fn health(State(state): State<Shared>) -> Json<serde_json::Value> {
    let catalog = state.stories.snapshot();
    let (loaded, broken) = catalog.counts();
    // Served in their last good version: their files have an edit that does not validate.
    let held = catalog.held().count();
    // What the bounded caches hold: an operator watching memory, and the
    // load test, tell a cache filling up to its bound from a leak.
    let pages = state.pages.as_ref().map_or(0, PageCache::kept_bytes);
    Json(serde_json::json!({
        "status": "ok",
        "stories": { "loaded": loaded, "broken": broken, "held_back_edits": held },
        "kept_bytes": { "pages": pages, "previews": state.previews.kept_bytes() }
    }))
}

/// Any other `/api/` path.
pub async fn unknown() -> Response {
    error_response(StatusCode::NOT_FOUND, "there is no such API endpoint")
}
