//! The HTTP surface: pages, API, static files, all behind one router.

use axum::Router;
use axum::http::{HeaderValue, Method, Request};
use axum::routing::get;
use kort_app::{App, shell};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnFailure, TraceLayer};

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::admission::Admission;
use crate::page_cache::{self, PageCache};
use crate::preview;
use crate::state::{AppState, Shared};
use crate::{api, caching, export, feeds, headers, oembed, revisions};

/// The router for the given stories and built site.
///
/// The routes are one router; what applies to every request wraps it once,
/// as one service stack. (Layers added with `Router::layer` wrap each route
/// apart and are boxed one by one, and a request clones its route's whole
/// chain of boxes: about a tenth of the CPU of a small answer.)
pub fn build(mut state: AppState) -> Router {
    let site = Arc::new(state.site.clone());
    let renders = Arc::new(Admission::per_core(
        RENDERS_PER_CORE,
        RENDERS_WAITING_PER_CORE,
        RENDER_WAIT,
    ));
    let pages = PageCache::new(state.stories.clone(), Arc::clone(&renders));
    state.pages = Some(pages.clone());
    let desk = state.desk.clone();
    let routes = routes(Shared(Arc::new(state)));
    let stack = tower::ServiceBuilder::new()
        // The id is ours to give: a client's would go into our logs unchecked.
        .layer(axum::middleware::map_request(
            |mut request: Request<axum::body::Body>| async move {
                request.headers_mut().remove("x-request-id");
                request
            },
        ))
        .layer(SetRequestIdLayer::x_request_id(RequestIds::default()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
                })
                // Whatever failed logged its error where it was handled, with
                // the cause (see `logging`); a second line here would count
                // it twice.
                .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        // Every log line of a request carries its id; so does the response.
        .layer(PropagateRequestIdLayer::x_request_id())
        // A bug in one request must not take the connection down without an answer.
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::map_request(head_as_get))
        // Nothing under /desk answers without what the desk asks (a session,
        // the request's origin), and nothing of it is kept by a cache.
        .layer(axum::middleware::from_fn_with_state(desk, crate::desk::guard))
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(
            crate::compress::DYNAMIC_LEVEL.cast_signed(),
        )))
        .layer(axum::middleware::from_fn(caching::revalidate))
        // Kept pages skip the render, its limit and the tidy-up; see `page_cache`.
        .layer(axum::middleware::from_fn_with_state(
            pages,
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(site, headers::security))
        .layer(axum::middleware::from_fn_with_state(renders, limit_renders))
        .service(routes);
    Router::new().fallback_service(stack)
}

/// A HEAD is answered as the GET it asks about, so it carries the very
/// headers the GET would: above all the validator (`ETag`), which a cache
/// in front compares with the copy it keeps, and the page's script hashes.
/// The connection still sends no body: hyper knows the request was a HEAD.
async fn head_as_get(mut request: Request<axum::body::Body>) -> Request<axum::body::Body> {
    if request.method() == Method::HEAD {
        *request.method_mut() = Method::GET;
    }
    request
}

/// Every route: pages, API, previews and static files.
fn routes(state: Shared) -> Router {
    // A draft's preview renders the same pages from the draft (`desk::preview`).
    let routes: Vec<_> = generate_route_list(App)
        .into_iter()
        .filter(|route| !route.path().starts_with(kort_app::links::PREVIEW_PREFIX))
        // An earlier revision renders the same pages from it (`revisions`).
        .filter(|route| !route.path().contains("/rev/"))
        .collect();
    let stories = state.stories.clone();
    let site = state.site.clone();
    let geography = state.basemap.geography();
    let assets = Arc::clone(&state.assets);
    let page_assets = Arc::clone(&assets);
    let desk_data = state
        .desk
        .as_ref()
        .map(|desk| kort_app::desk::DeskContext(Arc::new(desk.drafts.clone())));
    Router::new()
        .route("/api/stories", get(api::list))
        .merge(story_api())
        .merge(exports())
        .route("/api/{*rest}", get(api::unknown))
        .route("/healthz", get(api::health))
        .route("/oembed", get(oembed::oembed))
        .route("/updates.atom", get(feeds::site))
        .route("/stories/{slug}/updates.atom", get(feeds::story))
        .route("/stories/{slug}/preview.png", get(preview::story_png))
        .route("/stories/{slug}/media/{name}", get(crate::media::media))
        .route(
            "/stories/{slug}/features/{id}/preview.png",
            get(preview::feature_png),
        )
        .merge(desk_routes(state.desk.as_ref()))
        .route("/stories/{slug}/rev/{rev}", get(revisions::page))
        .route(
            "/stories/{slug}/rev/{rev}/features/{id}",
            get(revisions::page),
        )
        .route("/embed/stories/{slug}/rev/{rev}", get(revisions::page))
        .route(
            "/embed/stories/{slug}/rev/{rev}/features/{id}",
            get(revisions::page),
        )
        .route("/api/stories/{slug}/rev/{rev}", get(revisions::data))
        .route(
            "/stories/{slug}/rev/{rev}/media/{name}",
            get(revisions::data),
        )
        .route(
            "/api/stories/{slug}/rev/{rev}/{*rest}",
            get(revisions::data),
        )
        .route(
            "/stories/{slug}/rev/{rev}/preview.png",
            get(revisions::data),
        )
        .route(
            "/stories/{slug}/rev/{rev}/features/{id}/preview.png",
            get(revisions::data),
        )
        .route(
            "/desk/preview/stories/{slug}",
            get(crate::desk::preview::page),
        )
        .route(
            "/desk/preview/stories/{slug}/features/{id}",
            get(crate::desk::preview::page),
        )
        .route(
            "/desk/preview/api/stories/{*rest}",
            get(crate::desk::preview::api),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(stories.clone());
                provide_context(site.clone());
                provide_context(Arc::clone(&geography));
                if let Some(desk) = &desk_data {
                    provide_context(desk.clone());
                }
            },
            move || shell(&page_assets),
        )
        .fallback(leptos_axum::file_and_error_handler::<Shared, _>(
            move |_| shell(&assets),
        ))
        .with_state(state)
}

/// What the API tells of one story; a draft's preview serves the same
/// from the draft (`desk::preview`).
pub fn story_api() -> Router<Shared> {
    Router::new()
        .route("/api/stories/{slug}", get(api::story))
        .route("/api/stories/{slug}/features.geojson", get(api::features))
        .route("/api/stories/{slug}/layers/{file}", get(api::layer))
        .route("/api/stories/{slug}/features/{id}", get(api::feature))
        .route(
            "/api/stories/{slug}/layers/{layer}/features",
            get(api::feature_page),
        )
}

/// What a revision's data requests are answered by, from the revision
/// (`revisions::data`): the API, the exports and the pictures.
pub fn revision_data() -> Router<Shared> {
    story_api()
        .merge(exports())
        .route("/stories/{slug}/media/{name}", get(crate::media::media))
        .route("/stories/{slug}/preview.png", get(preview::story_png))
        .route(
            "/stories/{slug}/features/{id}/preview.png",
            get(preview::feature_png),
        )
}

/// The desk's actions; its pages are the app's (`kort_app::desk::pages`).
/// Without a desk, nothing: the pages then refuse, having no session.
fn desk_routes(desk: Option<&crate::desk::Desk>) -> Router<Shared> {
    use crate::desk;
    use axum::routing::post;
    let Some(state) = desk.cloned() else {
        return Router::new();
    };
    Router::new()
        .route(kort_app::desk::LOGIN, post(desk::sign_in))
        .route(kort_app::desk::LOGOUT, post(desk::sign_out))
        .route("/desk/stories", post(desk::create))
        .route("/desk/stories/{slug}", post(desk::save))
        .route("/desk/stories/{slug}/layers", post(desk::add_layer))
        .route("/desk/stories/{slug}/layers/edit", post(desk::save_layer))
        .route("/desk/stories/{slug}/layers/move", post(desk::move_layer))
        .route("/desk/stories/{slug}/sources", post(desk::save_source))
        .route(
            "/desk/stories/{slug}/translations",
            post(desk::save_translation),
        )
        .route("/desk/stories/{slug}/words", post(desk::save_words))
        .route("/desk/stories/{slug}/features", post(desk::save_feature))
        .route(
            "/desk/stories/{slug}/features/remove",
            post(desk::remove_feature),
        )
        .route(
            "/desk/stories/{slug}/features/split",
            post(desk::split_route),
        )
        .route("/desk/stories/{slug}/links", post(desk::link_passage))
        .route("/desk/stories/{slug}/fit", post(desk::fit_view))
        .route(
            "/desk/stories/{slug}/import",
            post(desk::import).layer(axum::extract::DefaultBodyLimit::max(
                usize::try_from(crate::load::max_file_bytes()).unwrap_or(usize::MAX) + 64 * 1024,
            )),
        )
        .route(
            "/desk/stories/{slug}/sources/media",
            post(desk::attach_media).layer(axum::extract::DefaultBodyLimit::max(
                usize::try_from(crate::load::MAX_MEDIA_BYTES).unwrap_or(usize::MAX) + 64 * 1024,
            )),
        )
        .route(
            "/desk/stories/{slug}/links/remove",
            post(desk::unlink_passage),
        )
        .route("/desk/places", get(desk::places))
        .route("/desk/stories/{slug}/publish", post(desk::publish))
        .route("/desk/stories/{slug}/unpublish", post(desk::unpublish))
        .with_state(state)
}

/// The downloads (`export.geojson`, `export.kml`): each is built afresh
/// from the whole story, which for a large story is a hundred milliseconds
/// of CPU and tens of megabytes. One is built at a time, so the other
/// cores keep serving readers; a few wait, the rest are turned away.
fn exports() -> Router<Shared> {
    Router::new()
        .route("/api/stories/{slug}/export.geojson", get(export::geojson))
        .route("/api/stories/{slug}/export.kml", get(export::kml))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(Admission::new(1, EXPORTS_WAITING, EXPORT_WAIT)),
            admit,
        ))
}

/// Downloads waiting their turn.
const EXPORTS_WAITING: usize = 16;
/// The longest a download waits its turn.
const EXPORT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Lets requests through an [`Admission`], or answers that kort is busy.
async fn admit(
    axum::extract::State(admission): axum::extract::State<Arc<Admission>>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match admission.enter().await {
        Ok(_pass) => next.run(request).await,
        Err(busy) => {
            // Not a warning: under a flood, one a request would be a flood.
            tracing::debug!(uri = %request.uri(), "turned away: too many waiting");
            axum::response::IntoResponse::into_response(busy)
        }
    }
}

/// Page renders at once, per core. A render is mostly CPU work, but not
/// only: two per core kept both cores busy and served the most pages (1,680
/// a second, against 1,070 with one per core and 1,520 with four, in 15 s
/// of new page states at 64 connections). More at once would only add
/// memory: each render holds its page and reactive graph.
const RENDERS_PER_CORE: usize = 2;
/// Page renders waiting their turn, per core, beyond which a request is
/// turned away (`503`, `Retry-After`). A render takes about a millisecond,
/// so a full line is still answered well within [`RENDER_WAIT`].
const RENDERS_WAITING_PER_CORE: usize = 128;
/// The longest a page render waits its turn.
const RENDER_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether a path is a page Leptos renders (not the API, a file, a preview).
pub fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path.starts_with("/leaflet/")
        || path.starts_with("/geoman/")
        || path.starts_with("/basemap/")
        || path.ends_with("/preview.png")
        || path.ends_with("/updates.atom")
        || (path.starts_with("/stories/") && path.contains("/media/"))
        || path == "/healthz"
        || path == "/oembed"
        || crate::desk::is_desk(path))
}

/// Lets page renders through their [`Admission`]; files, the API and
/// previews (which have their own) pass freely. Pages kept by `page_cache`
/// never get here.
async fn limit_renders(
    state: axum::extract::State<Arc<Admission>>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if is_page(request.uri().path()) {
        admit(state, request, next).await
    } else {
        next.run(request).await
    }
}

/// Request ids: this process's start time and a counter, `k1a2b3c-42`, so
/// ids from restarts do not repeat.
#[derive(Clone)]
pub struct RequestIds {
    prefix: String,
    next: Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        Self {
            prefix: format!("k{started:x}"),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}
