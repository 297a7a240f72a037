//! What every request handler can reach, and the one way to make it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::FromRef;
use kort_app::assets::Assets;
use kort_app::model::Site;
use kort_app::story::Stories;
use leptos::prelude::LeptosOptions;

use crate::desk::{Desk, DeskConfig};
use crate::preview::{Basemap, Previews};

/// What every request handler can reach. Made with [`AppState::builder`].
#[derive(Clone)]
pub struct AppState {
    pub stories: Stories,
    pub leptos: LeptosOptions,
    /// Public URL and tiles.
    pub site: Site,
    /// Social preview images.
    pub previews: Arc<Previews>,
    /// The basemap, which the pages' maps are drawn on by the server.
    pub basemap: Basemap,
    /// The names the site's scripts and stylesheets are served under.
    pub assets: Arc<Assets>,
    /// The desk, where it is set up (`AppStateBuilder::desk`); without it
    /// nothing under `/desk` answers.
    pub desk: Option<Desk>,
    /// The published stories' folder, which their media files are served
    /// from; without it none are.
    pub stories_dir: Option<PathBuf>,
    /// Earlier revisions, loaded as readers ask for them.
    pub revisions: crate::revisions::Revisions,
    /// Places for collections too large to keep, written out as they are
    /// sent (`api::streamed_geojson`): one per core.
    pub writers: Arc<tokio::sync::Semaphore>,
    /// The pages kept compressed, which `router::build` sets up: here so
    /// that `/healthz` can say how much they hold.
    pub pages: Option<crate::page_cache::PageCache>,
}

impl AppState {
    /// The state for `stories`. Unless told otherwise, the site is the one
    /// `cargo xtask build` leaves in `target/site`, its scripts go by their
    /// plain names, previews are drawn without a basemap and the public URL
    /// is empty (links are relative).
    pub fn builder(stories: Stories) -> AppStateBuilder {
        AppStateBuilder {
            stories,
            site_dir: PathBuf::from("target/site"),
            addr: None,
            site: Site::default(),
            basemap: Basemap::default(),
            assets: Assets::default(),
            desk: None,
            stories_dir: None,
            store: None,
        }
    }

    /// The router serving this state (see [`crate::router::build`]).
    pub fn into_router(self) -> axum::Router {
        crate::router::build(self)
    }
}

/// Builds an [`AppState`]; see [`AppState::builder`].
pub struct AppStateBuilder {
    stories: Stories,
    site_dir: PathBuf,
    addr: Option<SocketAddr>,
    site: Site,
    basemap: Basemap,
    assets: Assets,
    desk: Option<DeskConfig>,
    stories_dir: Option<PathBuf>,
    store: Option<crate::postgres::PgStore>,
}

impl AppStateBuilder {
    /// Sets up the desk with its files.
    #[must_use]
    pub fn desk(mut self, config: DeskConfig) -> Self {
        self.desk = Some(config);
        self
    }

    /// The store the desk publishes into too (`KORT_STORE`).
    #[must_use]
    pub fn store(mut self, store: Option<crate::postgres::PgStore>) -> Self {
        self.store = store;
        self
    }

    /// The published stories' folder, for their media files.
    #[must_use]
    pub fn stories_dir(mut self, dir: &Path) -> Self {
        self.stories_dir = Some(dir.to_path_buf());
        self
    }

    /// The built static site the pages' scripts and styles come from.
    #[must_use]
    pub fn site_dir(mut self, dir: &Path) -> Self {
        self.site_dir = dir.to_path_buf();
        self
    }

    /// The address kort listens on.
    #[must_use]
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = Some(addr);
        self
    }

    /// The public URL and tiles.
    #[must_use]
    pub fn site(mut self, site: Site) -> Self {
        self.site = site;
        self
    }

    /// The basemap preview images and the pages' maps are drawn on.
    #[must_use]
    pub fn basemap(mut self, basemap: Basemap) -> Self {
        self.basemap = basemap;
        self
    }

    /// The names the site's files are served under (`Assets::load`).
    #[must_use]
    pub fn assets(mut self, assets: Assets) -> Self {
        self.assets = assets;
        self
    }

    pub fn build(self) -> AppState {
        let options = LeptosOptions::builder()
            .output_name("kort")
            .site_root(self.site_dir.display().to_string())
            .site_pkg_dir("pkg");
        let leptos = match self.addr {
            Some(addr) => options.site_addr(addr).build(),
            None => options.build(),
        };
        let desk = self.desk.map(|config| {
            let places = crate::desk::places::Places::load(
                &self.site_dir.join("basemap").join("places.geojson"),
            );
            Desk::new(
                config,
                self.stories.clone(),
                &self.site.public_url,
                places,
                self.store.clone(),
            )
        });
        AppState {
            desk,
            stories: self.stories,
            leptos,
            site: self.site,
            previews: Arc::new(Previews::new(self.basemap.clone())),
            basemap: self.basemap,
            assets: Arc::new(self.assets),
            stories_dir: self.stories_dir,
            revisions: crate::revisions::Revisions::default(),
            writers: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            )),
            pages: None,
        }
    }
}

impl AppState {
    /// This state serving `stories` instead (a draft's, an earlier
    /// revision's), with no desk of its own.
    pub fn serving(&self, stories: Stories) -> Shared {
        Shared(Arc::new(Self {
            stories,
            leptos: self.leptos.clone(),
            site: self.site.clone(),
            previews: Arc::clone(&self.previews),
            basemap: self.basemap.clone(),
            assets: Arc::clone(&self.assets),
            desk: None,
            stories_dir: self.stories_dir.clone(),
            revisions: crate::revisions::Revisions::default(),
            writers: Arc::clone(&self.writers),
            pages: None,
        }))
    }
}

impl Shared {
    /// The app's page for `request`, rendered from this state's stories.
    pub async fn render_page(&self, request: axum::extract::Request) -> axum::response::Response {
        use leptos::prelude::provide_context;
        let (stories, site, options) =
            (self.stories.clone(), self.site.clone(), self.leptos.clone());
        let geography = self.basemap.geography();
        let assets = Arc::clone(&self.assets);
        let render = leptos_axum::render_app_async_with_context(
            move || {
                provide_context(options.clone());
                provide_context(stories.clone());
                provide_context(site.clone());
                provide_context(Arc::clone(&geography));
            },
            move || kort_app::shell(&assets),
        );
        render(request).await
    }

    /// `request`, sent to `uri` instead, answered by `router` on this state.
    pub async fn answer(
        &self,
        router: axum::Router<Self>,
        request: axum::extract::Request,
        uri: axum::http::Uri,
    ) -> axum::response::Response {
        use tower::ServiceExt as _;
        // A new request: the outer route's path parameters, kept in the
        // request's extensions, would be added to the inner route's.
        let (parts, body) = request.into_parts();
        let mut inner = axum::extract::Request::new(body);
        *inner.method_mut() = parts.method;
        *inner.uri_mut() = uri;
        *inner.headers_mut() = parts.headers;
        match router.with_state(self.clone()).oneshot(inner).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}

/// What handlers are given: the [`AppState`] behind one `Arc`. axum clones
/// a route's state for every request; this way that is a counter, not a
/// copy of the Leptos options and the site's strings (about a tenth of a
/// request's time on the CPU, before).
#[derive(Clone)]
pub struct Shared(pub(crate) Arc<AppState>);

impl std::ops::Deref for Shared {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl FromRef<Shared> for LeptosOptions {
    fn from_ref(state: &Shared) -> Self {
        state.leptos.clone()
    }
}
