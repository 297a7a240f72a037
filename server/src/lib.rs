//! The kort server: reads story folders from disk, serves the pages (Leptos
//! SSR), the JSON/GeoJSON API and the static site, and checks stories for
//! editors (`kort check`, `kort import`).

pub mod admission;
pub mod api;
pub mod caching;
pub mod compress;
pub mod config;
pub mod desk;
pub mod export;
pub mod feeds;
pub mod fetch;
pub mod headers;
pub mod history;
pub mod import;
pub mod load;
pub mod logging;
pub mod media;
pub mod oembed;
pub mod page_cache;
pub mod postgres;
pub mod preview;
pub mod reload;
pub mod remote;
pub mod revisions;
pub mod router;
pub mod state;
pub mod store;
pub mod synthetic;

pub use config::Config;
pub use router::build;
pub use state::AppState;
