//! What the server's integration tests share: a copy of the seed story to
//! change, an origin server on 127.0.0.1 whose answers a test sets, kort
//! served in this process on a free port, and `kort serve` run as a
//! process of its own.

#![allow(dead_code, reason = "each test file uses part of it")]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use scraper::{Html, Selector};

pub mod pg;

pub const SEED: &str = "arsal-convoy-2017";

/// kort's router over `stories`, serving the static site in `site_root`,
/// for requests sent with `tower::ServiceExt::oneshot`.
pub fn app(stories: kort_app::story::Stories, site_root: &str) -> axum::Router {
    kort_server::AppState::builder(stories)
        .site_dir(Path::new(site_root))
        .site(kort_app::model::Site {
            public_url: "https://kort.example.org".into(),
            tiles: None,
            contact: Some("mailto:corrections@kort.example.org".into()),
        })
        .assets(
            kort_app::assets::Assets::load(Path::new(site_root)).expect("the site's asset list"),
        )
        .build()
        .into_router()
}

/// The status and body of `app`'s answer to a GET of `path`.
pub async fn answer(app: &axum::Router, path: &str) -> (u16, Vec<u8>) {
    use tower::ServiceExt;
    let response = app
        .clone()
        .oneshot(
            axum::http::Request::get(path)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer");
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), 1 << 28)
        .await
        .expect("body");
    (status, body.to_vec())
}

/// A copy of `data/stories` in a temporary folder.
pub fn copy_of_seed() -> tempfile::TempDir {
    copy_of(&["data/stories"])
}

/// A copy of the stories in these folders of the repository, in one
/// stories folder.
pub fn copy_of(folders: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in folders {
        for (path, bytes) in snapshot(&root().join(folder)) {
            let to = dir.path().join(path);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("folders");
            std::fs::write(to, bytes).expect("copy");
        }
    }
    dir
}

/// Every file under `dir`, by relative path: to show nothing changed.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry"))
        {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("inside").to_path_buf();
                out.insert(relative, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// Two features as a partner newsroom might publish them: their own
/// property names, no kort properties.
pub const TWO_POSITIONS: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"P-1","geometry":{"type":"Point","coordinates":[38.28,34.56]},"properties":{"name":"Convoy seen near Tadmur","seen":"2017-08-31"}},
 {"type":"Feature","id":"P-2","geometry":{"type":"Point","coordinates":[38.87,34.63]},"properties":{"name":"Convoy stopped east of al-Sukhnah","seen":"2017-09-01"}}
]}"#;

/// What the origin answers at `/layer`.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Sent as the ETag; a request whose If-None-Match has it gets a 304.
    pub etag: Option<String>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Send the body in this many pieces, a second apart.
    pub trickle: usize,
}

impl Answer {
    pub fn ok(content_type: &str, body: &str) -> Self {
        Self {
            status: 200,
            content_type: content_type.into(),
            body: body.as_bytes().to_vec(),
            etag: None,
            delay: Duration::ZERO,
            trickle: 1,
        }
    }
}

/// An HTTP server on 127.0.0.1 standing in for someone else's data.
#[derive(Clone)]
pub struct Origin {
    pub base: String,
    pub port: u16,
    answer: Arc<Mutex<Answer>>,
    hits: Arc<AtomicUsize>,
    /// The If-None-Match of the last request to `/layer`.
    pub last_if_none_match: Arc<Mutex<Option<String>>>,
}

impl Origin {
    /// Starts the server on its own thread and runtime.
    pub fn start(answer: Answer) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().expect("address").port();
        let origin = Self {
            base: format!("http://127.0.0.1:{port}"),
            port,
            answer: Arc::new(Mutex::new(answer)),
            hits: Arc::new(AtomicUsize::new(0)),
            last_if_none_match: Arc::new(Mutex::new(None)),
        };
        let served = origin.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let counted = served.clone();
                let app = axum::Router::new()
                    .route(
                        "/layer",
                        get(move |headers: HeaderMap| layer(served.clone(), headers)),
                    )
                    .route(
                        "/to-metadata",
                        get(|| async { redirect("http://169.254.169.254/latest/meta-data/") }),
                    )
                    .route("/to-file", get(|| async { redirect("file:///etc/passwd") }))
                    .route("/to-layer", get(|| async { redirect("/layer") }))
                    .route("/loop", get(|| async { redirect("/loop") }))
                    .layer(axum::middleware::from_fn(
                        move |request, next: axum::middleware::Next| {
                            counted.hits.fetch_add(1, Ordering::SeqCst);
                            async move { next.run(request).await }
                        },
                    ));
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                axum::serve(listener, app).await
            })
        });
        origin
    }

    /// Changes what `/layer` answers.
    pub fn set(&self, change: impl FnOnce(&mut Answer)) {
        change(&mut self.answer.lock().expect("answer"));
    }

    /// How many requests reached the origin, on any path.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn redirect(to: &'static str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

async fn layer(origin: Origin, headers: HeaderMap) -> Response {
    let answer = origin.answer.lock().expect("answer").clone();
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    origin
        .last_if_none_match
        .lock()
        .expect("header")
        .clone_from(&if_none_match);
    tokio::time::sleep(answer.delay).await;
    if answer.etag.is_some() && if_none_match == answer.etag {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let status = StatusCode::from_u16(answer.status).expect("status");
    let mut response = if answer.trickle > 1 {
        let size = answer.body.len().div_ceil(answer.trickle);
        let pieces: Vec<Vec<u8>> = answer.body.chunks(size).map(<[u8]>::to_vec).collect();
        let stream = futures_util::stream::unfold(pieces.into_iter(), |mut rest| async move {
            let piece = rest.next()?;
            tokio::time::sleep(Duration::from_secs(1)).await;
            Some((Ok::<_, std::io::Error>(piece), rest))
        });
        (status, Body::from_stream(stream)).into_response()
    } else {
        (status, answer.body).into_response()
    };
    if let Ok(value) = answer.content_type.parse() {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    if let Some(etag) = answer.etag.as_ref().and_then(|e| e.parse().ok()) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Serves the app `build` makes on a free port of 127.0.0.1, on a runtime
/// of its own (two workers, as the machine has two cores); its address.
/// Requests carry their peer's address, as `kort serve` gives them.
pub fn serve(
    build: impl FnOnce(SocketAddr) -> kort_server::state::AppStateBuilder + Send + 'static,
    before: impl FnOnce() + Send + 'static,
) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            before();
            let app = build(addr)
                .build()
                .into_router()
                .into_make_service_with_connect_info::<SocketAddr>();
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await
        })
    });
    addr
}

/// Serves the stories in `dir` (their media files too) as
/// `https://kort.example.org`, with the basemap previews are drawn on; the
/// base URL to ask.
pub fn serve_stories(dir: &Path) -> String {
    let catalog = kort_server::load::catalog(dir).expect("the stories folder");
    let stories = kort_app::story::Stories::new(catalog);
    let stories_dir = dir.to_path_buf();
    let addr = serve(
        move |_| {
            kort_server::AppState::builder(stories)
                .stories_dir(&stories_dir)
                .site(kort_app::model::Site {
                    public_url: "https://kort.example.org".into(),
                    tiles: None,
                    contact: None,
                })
                .basemap(kort_server::preview::Basemap::load(
                    &root().join("public/basemap"),
                ))
        },
        || {},
    );
    format!("http://{addr}")
}

/// Runs `kort serve` with `env` (besides a free `KORT_ADDR`, the built
/// site, no reloading and quiet logs) and waits until it answers
/// `/healthz`, 20 s at most.
pub fn spawn_kort(env: &[(&str, PathBuf)]) -> (Child, SocketAddr) {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    let mut command = Command::new(env!("CARGO_BIN_EXE_kort"));
    command
        .arg("serve")
        .env("KORT_ADDR", addr.to_string())
        .env("KORT_SITE", root().join("target/site"))
        .env("KORT_WATCH_SECONDS", "3600")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("kort starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if raw_get(addr, "/healthz").is_ok_and(|answer| answer.starts_with("HTTP/1.1 200")) {
            return (child, addr);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("kort did not answer on {addr} within 20 s");
}

/// A whole GET on a connection of its own; the answer as text.
pub fn raw_get(addr: SocketAddr, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

/// The `value` of the first element of `html` that `css` matches.
pub fn value(html: &Html, css: &str) -> String {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .next()
        .and_then(|element| element.attr("value"))
        .unwrap_or_else(|| panic!("nothing matches {css}"))
        .to_owned()
}

/// The story form as the page fills it, with `changes` made: what the
/// browser would send.
pub fn story_form(story: &Html, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        "title",
        "language",
        "published",
        "publisher",
        "west",
        "south",
        "east",
        "north",
        "base",
    ]
    .iter()
    .map(|name| {
        (
            (*name).to_owned(),
            value(story, &format!("input[name={name}]")),
        )
    })
    .collect();
    form.push((
        "summary".into(),
        texts(story, "textarea[name=summary]").concat(),
    ));
    form.push((
        "article".into(),
        texts(story, "textarea[name=article]").concat(),
    ));
    for (name, changed) in changes {
        if let Some(field) = form.iter_mut().find(|(field, _)| field == name) {
            (*changed).clone_into(&mut field.1);
        }
    }
    form
}

/// The text of every element of `html` that `css` matches, trimmed.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .map(|element| element.text().collect::<String>().trim().to_owned())
        .collect()
}
