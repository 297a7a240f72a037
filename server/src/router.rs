//! The HTTP surface: pages, API, static files, all behind one router.

use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use kort_app::model::Site;
use kort_app::story::Stories;
use kort_app::{App, shell};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use std::sync::Arc;

use crate::preview::{self, Previews};
use crate::{api, export, headers, oembed};

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub stories: Stories,
    pub leptos: LeptosOptions,
    /// Public URL and tiles.
    pub site: Site,
    /// Social preview images.
    pub previews: Arc<Previews>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The router for the given stories and built site.
pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let stories = state.stories.clone();
    let site = state.site.clone();
    let options = state.leptos.clone();
    Router::new()
        .route("/api/stories", get(api::list))
        .route("/api/stories/{slug}", get(api::story))
        .route("/api/stories/{slug}/features.geojson", get(api::features))
        .route("/api/stories/{slug}/layers/{file}", get(api::layer))
        .route("/api/stories/{slug}/export.geojson", get(export::geojson))
        .route("/api/stories/{slug}/export.kml", get(export::kml))
        .route("/api/{*rest}", get(api::unknown))
        .route("/healthz", get(api::health))
        .route("/oembed", get(oembed::oembed))
        .route("/stories/{slug}/preview.png", get(preview::story_png))
        .route(
            "/stories/{slug}/features/{id}/preview.png",
            get(preview::feature_png),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(stories.clone());
                provide_context(site.clone());
            },
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.site.clone(),
            headers::security,
        ))
        .layer(CompressionLayer::new())
        // A bug in one request must not take the connection down without an answer.
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
