//! kort: a news story as text beside an interactive map.
//!
//! This crate is both halves of the web app: compiled with `ssr` it is the
//! library the server renders pages with (and holds story loading and
//! validation); compiled with `hydrate` to WebAssembly it runs the pages'
//! islands in the browser (the map and its controls; the rest of a page
//! stays the server's HTML). It holds only the shell, [`App`] and
//! [`hydrate`] here; pages live in [`routes`], the map in [`map`], the
//! address the islands share in [`nav`].

// The server renders type-erased views and the browser hydrates them; a
// build of either half without `--cfg erase_components` renders or
// expects other markers, and the page would not hydrate. The flag comes
// from `.cargo/config.toml`, which an `RUSTFLAGS` in the environment
// silently replaces: stop the build instead of shipping a bundle that
// disagrees with the server.
#[cfg(all(any(feature = "ssr", feature = "hydrate"), not(erase_components)))]
compile_error!(
    "kort is built with `--cfg erase_components` (set in .cargo/config.toml): \
     add it to RUSTFLAGS when you set RUSTFLAGS yourself"
);

#[cfg(feature = "ssr")]
pub mod assets;
pub mod components;
pub mod date;
pub mod desk;
pub mod error;
pub mod i18n;
pub mod links;
pub mod map;
pub mod model;
pub mod named;
pub mod nav;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod story;

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{Meta, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// How long after the map's island the page's other islands start at the
/// latest, in milliseconds, if the map is not drawn by then (`shell`).
#[cfg(feature = "ssr")]
const LATER_MS: u32 = 1500;

/// The performance mark a page sets once every island on it has started
/// (`shell`): the map's first, then the rest. For performance tools (and
/// `cargo xtask bench`) and the browser tests.
pub const PAGE_READY: &str = "kort-page-ready";

/// The `<meta>` names under which a page with a map names the bundle that
/// runs it, its script and its WebAssembly (`map::MapHead`); the start
/// script asks for them once the page is painted.
pub const BUNDLE: &str = "kort-bundle";
pub const BUNDLE_WASM: &str = "kort-bundle-wasm";

/// The `<meta>` names under which a story page names Leaflet's script and,
/// one each, the data files its map draws; the start script asks for them
/// with its bundle (`map::MapHead`).
pub const LEAFLET: &str = "kort-leaflet";
pub const MAP_DATA: &str = "kort-map-data";

/// How long a story page waits for its first paint before it asks for its
/// bundle all the same, ms.
#[cfg(feature = "ssr")]
const PAINT_WAIT_MS: u32 = 2_000;

/// The HTML document around the app, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(assets: &assets::Assets) -> impl IntoView + use<> {
    let assets::Assets { js, wasm, css, .. } = assets.clone();
    // Starts the islands once the document is parsed (module scripts wait
    // for it), and once Leaflet, which they expect as `L`, has run (on a
    // story page, the script the page names, `LEAFLET`; the desk's pages
    // load theirs as deferred scripts): each `<leptos-island>` names the
    // function that takes it over. A page
    // without islands (the front page, a 404) loads no WebAssembly and no
    // Leaflet; a page with them runs the bundle it names
    // (`assets::Assets`: the one without large layers where a page asks
    // for none). The desk's pages preload theirs. A story page asks for
    // Leaflet, its bundle (script and WebAssembly) and its map's data
    // (`MAP_DATA`, at a low priority: it is drawn after the bundle runs),
    // all at once; where the server has drawn its map, when the browser
    // reports its first contentful paint (or at once in a tab not shown,
    // or after `PAINT_WAIT_MS`): most of the page's bytes, which would
    // otherwise share the network with what the first paint needs, and
    // which tools that judge a page (Lighthouse) count against its largest
    // paint if they are asked for before it. The script's nonce marks it
    // as the page's own: the server allows such scripts by hash and takes
    // the nonce out (the server's `headers::tidy`).
    //
    // The map's island starts first; the others (the timeline, the share
    // button) once the map is drawn (its `MAP_READY` mark), or at the
    // latest after `LATER_MS`, as a map whose data fails to load is never
    // drawn. On the page's one thread they would otherwise hold the map up
    // (BENCHMARKS.md); until they start, their server HTML stands, and its
    // links work. Then the page marks `PAGE_READY`.
    let start = format!(
        "const islands = [...document.querySelectorAll('leptos-island')]; \
         const asked = (link, plain) => document.querySelector(link)?.getAttribute('href') ?? plain; \
         const named = (name, plain) => document.querySelector(`meta[name=${{name}}]`)?.content ?? plain; \
         const go = () => {{ \
         const leaflet = new Promise((loaded, failed) => {{ const src = named({leaflet:?}, null); if (!src) return loaded(); \
         document.head.append(Object.assign(document.createElement('script'), {{ src, fetchPriority: 'high', onload: loaded, onerror: failed }})); }}); \
         const wasm = fetch(named({bundle_wasm:?}, asked('link[rel=preload][type=\"application/wasm\"]', {wasm:?}))); \
         document.querySelectorAll('meta[name={map_data}]').forEach((data) => document.head.append(Object.assign(document.createElement('link'), \
         {{ rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', fetchPriority: 'low', href: data.content }}))); \
         import(named({bundle:?}, asked('link[rel=modulepreload]', {js:?}))).then(async (kort) => {{ \
         await Promise.all([kort.default({{ module_or_path: wasm }}), leaflet]); \
         kort.hydrate(); \
         const start = (island) => kort[island.dataset.component]?.(island); \
         const map = islands.filter((island) => island.querySelector('#map')); \
         let rest = islands.filter((island) => !map.includes(island)); \
         const later = () => {{ if (rest) {{ rest.forEach(start); rest = null; performance.mark({page_ready:?}); }} }}; \
         map.forEach(start); \
         if (!map.length) later(); \
         else {{ new PerformanceObserver((marks, observer) => {{ \
         if (marks.getEntriesByName({ready:?}).length) {{ observer.disconnect(); later(); }} }}).observe({{ type: 'mark', buffered: true }}); \
         setTimeout(later, {LATER_MS}); }} }}); }}; \
         const painted = (then) => {{ let done = false; \
         const once = () => {{ if (!done) {{ done = true; setTimeout(then); }} }}; \
         if (document.visibilityState === 'hidden' || !PerformanceObserver.supportedEntryTypes?.includes('paint')) return once(); \
         new PerformanceObserver((list, observer) => {{ \
         if (list.getEntriesByName('first-contentful-paint').length) {{ observer.disconnect(); once(); }} }}).observe({{ type: 'paint', buffered: true }}); \
         document.addEventListener('visibilitychange', once, {{ once: true }}); \
         setTimeout(once, {PAINT_WAIT_MS}); }}; \
         if (islands.length) {{ if (document.querySelector('.first-map')) painted(go); else go(); }}",
        ready = map::MAP_READY,
        page_ready = PAGE_READY,
        bundle = BUNDLE,
        bundle_wasm = BUNDLE_WASM,
        leaflet = LEAFLET,
        map_data = MAP_DATA,
    );
    // The map finds the bundle's and Leaflet's names here (`map::MapHead`).
    provide_context(assets.clone());
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // Controls that need JavaScript (`needs-js`) are laid out
                // from the first paint where it runs, so nothing moves when
                // the islands start, and hidden where it does not.
                <script nonce=leptos::nonce::use_nonce()>
                    "document.documentElement.classList.add('js')"
                </script>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Before the module below: the page's own tags, among them
                // Leaflet's stylesheet (which kort's overrides) and its
                // deferred script, which runs after parsing and before the
                // module; the article is not held up.
                <MetaTags />
                <link rel="stylesheet" href=css />
                <script type="module" nonce=leptos::nonce::use_nonce()>{start}</script>
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
        <Meta name="color-scheme" content="light dark" />
        <Title formatter=|title: String| components::meta::document_title(&title) />
        <Router>
            <Routes fallback=routes::not_found::NotFoundPage>
                <Route path=StaticSegment("") view=routes::home::HomePage ssr=SsrMode::Async />
                <Route path=StaticSegment("about") view=routes::about::AboutPage ssr=SsrMode::Async />
                <Route path=StaticSegment("desk") view=desk::pages::DeskHome ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("desk"), StaticSegment("login"))
                    view=desk::pages::LoginPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("desk"), StaticSegment("stories"), ParamSegment("slug"))
                    view=desk::pages::DeskStoryPage
                    ssr=SsrMode::Async
                />
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
                // An earlier published revision: the same page, read from it
                // (the server provides it).
                <ParentRoute
                    path=(StaticSegment("stories"), ParamSegment("slug"), StaticSegment("rev"), ParamSegment("rev"))
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
                    path=(
                        StaticSegment("embed"),
                        StaticSegment("stories"),
                        ParamSegment("slug"),
                        StaticSegment("rev"),
                        ParamSegment("rev"),
                    )
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
                <ParentRoute
                    path=(
                        StaticSegment("desk"),
                        StaticSegment("preview"),
                        StaticSegment("stories"),
                        ParamSegment("slug"),
                    )
                    view=routes::story::PreviewRoute
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

/// Entry point of the WebAssembly bundle: readies the page for its islands
/// (the map and the controls that run in the browser), which the page's
/// start script then hands over one by one. The rest of the page stays the
/// server's HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    nav::start();
    leptos::mount::hydrate_islands();
}
