//! kort: a news story as text beside an interactive map.
//!
//! This crate is both halves of the web app: compiled with `ssr` it is the
//! library the server renders pages with (and holds story loading and
//! validation); compiled with `hydrate` to WebAssembly it makes those pages
//! interactive in the browser. It holds only the shell, [`App`] and
//! [`hydrate`] here; pages live in [`routes`], the map in [`map`].

pub mod components;
pub mod date;
pub mod error;
pub mod i18n;
pub mod links;
pub mod map;
pub mod model;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod story;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Leaflet first: the deferred hydration module expects `L`.
                <script src="/leaflet/leaflet.js"></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: routes to the story list and the story pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="stylesheet" href="/leaflet/leaflet.css" />
        <Link rel="stylesheet" href="/pkg/kort.css" />
        <Meta name="color-scheme" content="light dark" />
        <Title formatter=|title: String| if title.is_empty() { "kort".to_owned() } else { format!("{title} · kort") } />
        <Router>
            <Routes fallback=routes::not_found::NotFoundPage>
                <Route path=StaticSegment("") view=routes::home::HomePage ssr=SsrMode::Async />
                <ParentRoute
                    path=(StaticSegment("stories"), ParamSegment("slug"))
                    view=routes::story::StoryRoute
                    ssr=SsrMode::Async
                >
                    <Route path=StaticSegment("") view=|| () ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("features"), ParamSegment("id"))
                        view=|| ()
                        ssr=SsrMode::Async
                    />
                </ParentRoute>
                <ParentRoute
                    path=(StaticSegment("embed"), StaticSegment("stories"), ParamSegment("slug"))
                    view=routes::story::EmbedRoute
                    ssr=SsrMode::Async
                >
                    <Route path=StaticSegment("") view=|| () ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("features"), ParamSegment("id"))
                        view=|| ()
                        ssr=SsrMode::Async
                    />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Entry point of the WebAssembly bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
