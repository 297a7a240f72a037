//! `cargo xtask bench [--smoke]`: kort against its physical floor, on this
//! machine, in one run. Absolute times drift on shared machines; each
//! figure is taken beside its floor and reported as a ratio.
//!
//! 1. **Time to map**: cold loads in Chromium of the story page and of a
//!    plain Leaflet page with the same GeoJSON served by nginx (median of
//!    11 each, interleaved). Goal: kort ≤ 1.2× the plain page. A third page
//!    in the same loads, kort's story page with the plain page's map script
//!    in place of kort's bundle, splits kort's excess into what the article
//!    costs any page and what kort itself costs.
//!    A few more loads of each, under Chromium's tracing, show where each
//!    page's main thread spends its time before the mark, by kind of work.
//! 2. **Bytes on the wire** for a first visit to the story page, as sent
//!    (brotli), by kind. Goal: total ≤ 350 KB.
//! 3. **Throughput**: `wrk`, 64 connections, 30 s each, on the story page,
//!    a deep link and a GeoJSON layer, against nginx serving the same bytes
//!    from files. Goals: kort ≥ 0.5× nginx's requests/s, p99 ≤ 20 ms.
//! 4. **The 50,000-event story** (`kort gen-story`): load and validation
//!    time (`kort check`, goal < 2 s), the server's memory with it loaded
//!    (goal < 300 MB), time to an interactive map (goal ≤ 1.5 s) and from a
//!    click on a passage to its panel (goal ≤ 100 ms).
//! 5. **The million-event story** (full runs only: it writes 220 MB):
//!    `kort check` (goal ≤ 10 s) beside the floor of parsing its layer file
//!    once as JSON, the server's memory once loaded and at its peak (goal
//!    ≤ 1 GB), and a viewport request of the whole region at zoom 7 under
//!    64 connections (goal p99 ≤ 50 ms) beside nginx serving its bytes.
//! 6. **Criterion** (`cargo bench -p kort-server`): loading the seed and the
//!    50k story, rendering the story page, rendering a preview PNG.
//!
//! The report goes to `target/bench/report.md` and `report.json`, with the
//! machine and the commit; BENCHMARKS.md keeps the latest table.
//! `--smoke` does each step once and briefly (one load, two seconds of wrk,
//! no Criterion), for the test command: it checks that the harness works,
//! not the figures.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};

use crate::Result;
use crate::load::{Ask, rss_kib, wrk};
use crate::server::{free_port, start_with, wait_for};

const SEED: &str = "arsal-convoy-2017";
const LARGE: &str = "synthetic-50k";
/// The million-event story (full runs only).
const MILLION: &str = "synthetic-1m";
/// The Criterion benches of `server/benches/story.rs`, by their result folders.
const BENCHES: &[&str] = &[
    "load_seed",
    "large/load_synthetic_50k",
    "render_story_page",
    "kept_story_page",
    "render_preview_png",
];

/// How much of everything.
struct Plan {
    runs: u32,
    /// Loads of each page under Chromium's tracing, to see where the main
    /// thread's time goes before the map mark.
    traced_runs: u32,
    large_runs: u32,
    clicks: u32,
    wrk_seconds: u32,
    connections: u32,
    criterion: bool,
}

/// One figure of the report, beside its goal.
struct Figure {
    name: &'static str,
    value: f64,
    unit: &'static str,
    /// The goal, as `value <= goal` (or `>=`, if `at_least`).
    goal: Option<f64>,
    at_least: bool,
    detail: String,
}

impl Figure {
    fn new(name: &'static str, value: f64, unit: &'static str, detail: String) -> Self {
        Self {
            name,
            value,
            unit,
            goal: None,
            at_least: false,
            detail,
        }
    }

    fn at_most(mut self, goal: f64) -> Self {
        self.goal = Some(goal);
        self
    }

    fn at_least(mut self, goal: f64) -> Self {
        self.goal = Some(goal);
        self.at_least = true;
        self
    }

    fn met(&self) -> Option<bool> {
        self.goal.map(|goal| {
            if self.at_least {
                self.value >= goal
            } else {
                self.value <= goal
            }
        })
    }
}

pub fn run(root: &Path, smoke: bool) -> Result {
    let plan = if smoke {
        Plan {
            runs: 1,
            traced_runs: 1,
            large_runs: 1,
            clicks: 2,
            wrk_seconds: 2,
            connections: 8,
            criterion: false,
        }
    } else {
        Plan {
            runs: 11,
            traced_runs: 5,
            large_runs: 5,
            clicks: 10,
            wrk_seconds: 30,
            connections: 64,
            criterion: true,
        }
    };
    let dir = root.join("target/bench");
    let stories = dir.join("stories");
    if stories.exists() {
        std::fs::remove_dir_all(&stories).map_err(|e| format!("{}: {e}", stories.display()))?;
    }
    crate::copy_dir(&root.join("data/stories").join(SEED), &stories.join(SEED))?;
    let kort = root.join("target/release/kort");
    let data = stories.display().to_string();
    crate::run(
        root,
        &kort.display().to_string(),
        &["gen-story", "--data", &data],
    )?;

    let mut figures = Vec::new();
    let started = Instant::now();
    crate::run(
        root,
        &kort.display().to_string(),
        &["check", &stories.join(LARGE).display().to_string()],
    )?;
    figures.push(
        Figure::new(
            "50k story: load and validate (`kort check`, whole process)",
            started.elapsed().as_secs_f64(),
            "s",
            "55,000 features in 2 layers".into(),
        )
        .at_most(2.0),
    );

    let (mut server, base) = start_with(root, &[("KORT_DATA", &stories)])?;
    // nginx stops when dropped, whatever happened; kort is stopped here.
    let measured = Nginx::start(root, &dir)
        .and_then(|nginx| measure(root, &dir, &plan, &base, &nginx, &server, &mut figures));
    let stopped = crate::load::stop(&mut server);
    measured?;
    stopped?;
    if !smoke {
        let nginx = Nginx::start(root, &dir)?;
        million(root, &dir, &plan, &nginx, &mut figures)?;
    }

    if plan.criterion {
        figures.extend(criterion(root)?);
    }
    let report = report(root, &figures, smoke)?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("report.md"), &report.0)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("report.json"), &report.1)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    eprintln!("{}", report.0);
    eprintln!("xtask: report in {}", dir.join("report.md").display());
    Ok(())
}

/// nginx on a free loopback port, serving `target/bench/floor`.
struct Nginx {
    process: Child,
    base: String,
    floor: PathBuf,
}

impl Nginx {
    fn start(root: &Path, dir: &Path) -> Result<Self> {
        let floor = dir.join("floor");
        let state = dir.join("nginx");
        for folder in [&floor, &state] {
            if folder.exists() {
                std::fs::remove_dir_all(folder)
                    .map_err(|e| format!("{}: {e}", folder.display()))?;
            }
            std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        }
        let port = free_port()?;
        // As close to kort's own serving as nginx allows: precompressed
        // gzip where there is a `.gz` beside the file, gzip on the fly
        // elsewhere (brotli is not in nginx-light), two workers for two cores.
        let config = format!(
            "daemon off;\nmaster_process on;\nworker_processes 2;\nuser root;\npid {state}/nginx.pid;\nerror_log {state}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  include /etc/nginx/mime.types;\n  types {{ application/geo+json geojson; }}\n  access_log off;\n  sendfile on;\n  keepalive_requests 100000;\n\
               gzip on;\n  gzip_static on;\n  gzip_types application/geo+json application/json text/css application/javascript;\n\
               client_body_temp_path {state}/body;\n  proxy_temp_path {state}/proxy;\n  fastcgi_temp_path {state}/fastcgi;\n  uwsgi_temp_path {state}/uwsgi;\n  scgi_temp_path {state}/scgi;\n\
               server {{\n    listen 127.0.0.1:{port};\n    root {floor};\n  }}\n}}\n",
            state = state.display(),
            floor = floor.display(),
        );
        let conf = state.join("nginx.conf");
        std::fs::write(&conf, config).map_err(|e| format!("{}: {e}", conf.display()))?;
        let process = Command::new("nginx")
            .args([
                "-c",
                &conf.display().to_string(),
                "-p",
                &state.display().to_string(),
            ])
            .current_dir(root)
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start nginx (apt-get install nginx-light): {e}"))?;
        let address = format!("127.0.0.1:{port}");
        let nginx = Self {
            process,
            base: format!("http://{address}"),
            floor,
        };
        if !wait_for(&address, 10) {
            return Err(format!(
                "nginx did not listen on {address}; see {}",
                state.join("error.log").display()
            ));
        }
        Ok(nginx)
    }
}

impl Drop for Nginx {
    /// A graceful stop: the master finishes its workers and exits.
    fn drop(&mut self) {
        Command::new("kill")
            .args(["-QUIT", &self.process.id().to_string()])
            .status()
            .ok();
        self.process.wait().ok();
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => f64::midpoint(sorted[n / 2 - 1], sorted[n / 2]),
    }
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .map(|values| values.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

#[allow(clippy::too_many_lines)]
fn measure(
    root: &Path,
    dir: &Path,
    plan: &Plan,
    base: &str,
    nginx: &Nginx,
    server: &Child,
    figures: &mut Vec<Figure>,
) -> Result {
    #[allow(clippy::cast_precision_loss)]
    let mb = |kib: u64| kib as f64 / 1024.0;
    let loaded = rss_kib(server.id())?;
    let site = root.join("target/site").display().to_string();
    crate::run(
        root,
        "node",
        &[
            "bench/browser.mjs",
            "prepare",
            base,
            &site,
            &nginx.floor.display().to_string(),
            SEED,
        ],
    )?;
    let plan_file = dir.join("browser-plan.json");
    let browser_plan = json!({
        "runs": plan.runs,
        "traced_runs": plan.traced_runs,
        "large_runs": plan.large_runs,
        "clicks": plan.clicks,
        "story_url": format!("{base}/stories/{SEED}"),
        "plain_url": format!("{}/plain.html", nginx.base),
        "article_url": format!("{}/article.html", nginx.base),
        "large_url": format!("{base}/stories/{LARGE}"),
    });
    std::fs::write(&plan_file, browser_plan.to_string())
        .map_err(|e| format!("{}: {e}", plan_file.display()))?;
    let output = Command::new("node")
        .args([
            "bench/browser.mjs",
            "measure",
            &plan_file.display().to_string(),
        ])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !output.status.success() {
        return Err("the browser measurements failed (see above)".into());
    }
    let browser: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the browser measurements printed no JSON: {e}"))?;

    let kort = median(&numbers(&browser["time_to_map_ms"]["kort"]));
    let floor = median(&numbers(&browser["time_to_map_ms"]["plain"]));
    figures.push(Figure::new(
        "time to map: kort story page (median)",
        kort,
        "ms",
        format!("{} cold loads", plan.runs),
    ));
    figures.push(Figure::new(
        "time to map: plain Leaflet page on nginx (median)",
        floor,
        "ms",
        format!("{} cold loads, the same GeoJSON", plan.runs),
    ));
    figures.push(Figure::new(
        "time to map: kort / plain",
        kort / floor,
        "×",
        "the map interactive, against the fair floor".into(),
    ));
    // The map the server draws into the page, painted with it.
    let visible = median(&numbers(&browser["map_visible_ms"]));
    figures.push(Figure::new(
        "map visible: kort story page (median)",
        visible,
        "ms",
        format!(
            "{} cold loads; the server's map painted (the first contentful paint)",
            plan.runs
        ),
    ));
    figures.push(
        Figure::new(
            "map visible: kort / plain time to map",
            visible / floor,
            "×",
            String::new(),
        )
        .at_most(0.6),
    );
    // What the article costs any page that shows it beside the map, and
    // what kort costs beyond that: kort's page with the plain page's map
    // script in place of kort's bundle (`prepareArticle` in browser.mjs).
    let article = median(&numbers(&browser["time_to_map_ms"]["article"]));
    figures.push(Figure::new(
        "time to map: kort's page, its bundle swapped for the plain page's map script (median)",
        article,
        "ms",
        format!(
            "{} cold loads, the same HTML, CSS and GeoJSON on nginx",
            plan.runs
        ),
    ));
    figures.push(Figure::new(
        "time to map: that page / plain",
        article / floor,
        "×",
        "the article's cost, with no framework".into(),
    ));
    figures.push(
        Figure::new(
            "time to map: kort / that page",
            kort / article,
            "×",
            "kort's own cost: its bundle's start, the map made from wasm".into(),
        )
        .at_most(1.15),
    );
    figures.push(Figure::new(
        "every island started: kort story page (median)",
        median(&numbers(&browser["islands_started_ms"])),
        "ms",
        "the same loads; the timeline and the share button start after the map".into(),
    ));

    // Where the time goes: each page's main thread up to its mark, by kind
    // of work, from traced loads (`mainThread` in bench/browser.mjs).
    let thread = &browser["main_thread_ms"];
    let traced = |page: &str, kind: usize| -> Vec<f64> {
        thread[page]
            .as_array()
            .map(|runs| runs.iter().filter_map(|run| run[kind].as_f64()).collect())
            .unwrap_or_default()
    };
    let work = thread["kinds"].as_array().cloned().unwrap_or_default();
    for (index, kind) in work.iter().enumerate() {
        figures.push(Figure::new(
            "main thread before the map mark: kort (median)",
            median(&traced("kort", index)),
            "ms",
            format!(
                "{}; plain page {:.1} ms; {} traced loads each",
                kind.as_str().unwrap_or("?"),
                median(&traced("plain", index)),
                plan.traced_runs
            ),
        ));
    }

    let bytes = browser["bytes"]["first"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let total: f64 = bytes.values().filter_map(Value::as_f64).sum();
    let mut kinds: Vec<_> = bytes.iter().collect();
    kinds.sort_by(|a, b| a.0.cmp(b.0));
    for (kind, size) in kinds {
        let figure = Figure::new(
            "bytes on the wire",
            size.as_f64().unwrap_or(0.0) / 1000.0,
            "KB",
            kind.clone(),
        );
        figures.push(figure);
    }
    figures.push(
        Figure::new(
            "bytes on the wire: total",
            total / 1000.0,
            "KB",
            "first visit, brotli".into(),
        )
        .at_most(350.0),
    );
    let repeat: f64 = browser["bytes"]["repeat"]
        .as_object()
        .map_or(f64::NAN, |kinds| {
            kinds.values().filter_map(Value::as_f64).sum()
        });
    figures.push(
        Figure::new(
            "bytes on the wire: repeat visit",
            repeat / 1000.0,
            "KB",
            "a new tab in the same browser, brotli".into(),
        )
        .at_most(60.0),
    );

    let large_ready = median(&numbers(&browser["large"]["ready_ms"]));
    let clicks = numbers(&browser["large"]["click_to_panel_ms"]);
    figures.push(
        Figure::new(
            "50k story: time to an interactive map (median)",
            large_ready,
            "ms",
            format!("{} cold loads", plan.large_runs),
        )
        .at_most(1500.0),
    );
    figures.push(
        Figure::new(
            "50k story: click on a passage → its panel (median)",
            median(&clicks),
            "ms",
            format!("{} clicks", clicks.len()),
        )
        .at_most(100.0),
    );
    figures.push(
        Figure::new(
            "50k story: server memory (RSS) once loaded",
            mb(loaded),
            "MB",
            "the seed and the 50k story".into(),
        )
        .at_most(300.0),
    );

    // Browsers ask for compression; wrk does not unless told. Asked, kort
    // sends its kept brotli copy and nginx its precompressed gzip file.
    let browser = Some("Accept-Encoding: gzip, deflate, br, zstd");
    for (what, kort_path, floor_path, header) in [
        (
            "story page",
            format!("/stories/{SEED}"),
            "/story.html",
            None,
        ),
        (
            "story page, compressed as browsers ask",
            format!("/stories/{SEED}"),
            "/story.html",
            browser,
        ),
        (
            "deep link",
            format!("/stories/{SEED}/features/blocked-bridge"),
            "/deep.html",
            None,
        ),
        (
            "GeoJSON layer",
            format!("/api/stories/{SEED}/layers/route.geojson"),
            "/layers/route.geojson",
            None,
        ),
    ] {
        let ask = |url: &str| {
            let ask = Ask {
                url,
                script: None,
                header,
            };
            wrk(&ask, plan.wrk_seconds, plan.connections)
        };
        let ours = ask(&format!("{base}{kort_path}"))?;
        let floor = ask(&format!("{}{floor_path}", nginx.base))?;
        if ours.requests == 0 || ours.socket_errors > 0 || ours.non_2xx > 0 {
            return Err(format!(
                "wrk on {kort_path}: {} requests, {} socket errors, {} not 2xx/3xx",
                ours.requests, ours.socket_errors, ours.non_2xx
            ));
        }
        let detail = format!(
            "{} connections, {} s; nginx {:.0} req/s, p99 {}",
            plan.connections, plan.wrk_seconds, floor.per_second, floor.p99
        );
        figures.push(Figure::new(
            "throughput: kort requests/s",
            ours.per_second,
            "req/s",
            format!("{what}; {detail}"),
        ));
        figures.push(
            Figure::new(
                "throughput: kort / nginx",
                ours.per_second / floor.per_second.max(f64::MIN_POSITIVE),
                "×",
                what.into(),
            )
            .at_least(0.5),
        );
        figures.push(
            Figure::new(
                "latency p99: kort",
                ours.p99_ms().unwrap_or(f64::NAN),
                "ms",
                what.into(),
            )
            .at_most(20.0),
        );
    }
    figures.push(Figure::new(
        "50k story: server memory (RSS) after the runs",
        mb(rss_kib(server.id())?),
        "MB",
        String::new(),
    ));
    Ok(())
}

/// The million-event story: load, memory and viewport requests, each
/// beside its floor.
#[allow(clippy::cast_precision_loss)]
fn million(
    root: &Path,
    dir: &Path,
    plan: &Plan,
    nginx: &Nginx,
    figures: &mut Vec<Figure>,
) -> Result {
    let stories = dir.join("million");
    if stories.exists() {
        std::fs::remove_dir_all(&stories).map_err(|e| format!("{}: {e}", stories.display()))?;
    }
    let kort = root.join("target/release/kort").display().to_string();
    let data = stories.display().to_string();
    crate::run(
        root,
        &kort,
        &[
            "gen-story",
            "--data",
            &data,
            "--slug",
            MILLION,
            "--events",
            "1000000",
        ],
    )?;
    // The floor: reading the layer file and parsing it once as JSON.
    let layer = stories.join(MILLION).join("layers/events.geojson");
    let started = Instant::now();
    let text = std::fs::read(&layer).map_err(|e| format!("{}: {e}", layer.display()))?;
    let parsed: Value =
        serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", layer.display()))?;
    let floor = started.elapsed().as_secs_f64();
    drop((text, parsed));
    let started = Instant::now();
    let checked = Command::new(&kort)
        .args(["check", &stories.join(MILLION).display().to_string()])
        .env("KORT_MAX_FILE_MB", "512")
        .current_dir(root)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run kort check: {e}"))?;
    let check = started.elapsed().as_secs_f64();
    if !checked.success() {
        return Err(format!(
            "kort check failed on the million-event story: {checked}"
        ));
    }
    figures.push(
        Figure::new(
            "1M story: load and validate (`kort check`, whole process)",
            check,
            "s",
            format!("1,005,000 features; parsing the layer once as JSON: {floor:.2} s"),
        )
        .at_most(10.0),
    );
    million_served(root, plan, nginx, &stories, figures)?;
    std::fs::remove_dir_all(&stories).map_err(|e| format!("{}: {e}", stories.display()))
}

/// The million-event story served: memory, and viewport requests beside
/// nginx serving the same bytes.
#[allow(clippy::cast_precision_loss)]
fn million_served(
    root: &Path,
    plan: &Plan,
    nginx: &Nginx,
    stories: &Path,
    figures: &mut Vec<Figure>,
) -> Result {
    const VIEWPORT: &str = "bbox=35.7,32.3,42.4,37.3&zoom=7";
    let max_file = PathBuf::from("512");
    let started = Instant::now();
    let (mut server, base) = start_with(
        root,
        &[("KORT_DATA", stories), ("KORT_MAX_FILE_MB", &max_file)],
    )?;
    let listening = started.elapsed().as_secs_f64();
    let mut measured = || {
        let mb = |kib: u64| kib as f64 / 1024.0;
        figures.push(
            Figure::new(
                "1M story: server memory (RSS) once loaded",
                mb(rss_kib(server.id())?),
                "MB",
                format!(
                    "listening after {listening:.1} s; peak while loading {:.0} MB",
                    mb(crate::load::peak_kib(server.id())?)
                ),
            )
            .at_most(1024.0),
        );
        let path = format!("/api/stories/{MILLION}/layers/events.geojson?{VIEWPORT}");
        let body = crate::server::http_get(&base, &path)?;
        std::fs::write(nginx.floor.join("viewport.json"), &body)
            .map_err(|e| format!("{}: {e}", nginx.floor.display()))?;
        let ask = |url: &str| {
            wrk(
                &Ask {
                    url,
                    script: None,
                    header: None,
                },
                plan.wrk_seconds,
                64,
            )
        };
        let ours = ask(&format!("{base}{path}"))?;
        let floor = ask(&format!("{}/viewport.json", nginx.base))?;
        if ours.requests == 0 || ours.socket_errors > 0 || ours.non_2xx > 0 {
            return Err(format!(
                "wrk on {path}: {} requests, {} socket errors, {} not 2xx/3xx",
                ours.requests, ours.socket_errors, ours.non_2xx
            ));
        }
        let output = Command::new("node")
            .args([
                "bench/browser.mjs",
                "large",
                &format!("{base}/stories/{MILLION}"),
                &plan.large_runs.to_string(),
                &plan.clicks.to_string(),
            ])
            .current_dir(root)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("node: {e}"))?;
        let browser: Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("the browser measurements printed no JSON: {e}"))?;
        figures.push(
            Figure::new(
                "1M story: time to an interactive map (median)",
                median(&numbers(&browser["ready_ms"])),
                "ms",
                format!("{} cold loads in Chromium", plan.large_runs),
            )
            .at_most(2000.0),
        );
        figures.push(
            Figure::new(
                "1M story: click on a passage to its panel (median)",
                median(&numbers(&browser["click_to_panel_ms"])),
                "ms",
                format!("{} clicks per load", plan.clicks),
            )
            .at_most(100.0),
        );
        figures.push(
            Figure::new(
                "1M story: viewport request p99, 64 connections",
                ours.p99_ms().unwrap_or(f64::NAN),
                "ms",
                format!(
                    "whole region at zoom 7, {} bytes, {:.0} req/s; nginx serving the same bytes: {:.0} req/s, p99 {}",
                    body.len(),
                    ours.per_second,
                    floor.per_second,
                    floor.p99
                ),
            )
            .at_most(50.0),
        );
        Ok(())
    };
    let measured = measured();
    let stopped = crate::load::stop(&mut server);
    measured?;
    stopped.map(drop)
}

/// Runs the Criterion benches and reads their medians.
fn criterion(root: &Path) -> Result<Vec<Figure>> {
    crate::run(
        root,
        "cargo",
        &[
            "bench",
            "--package",
            "kort-server",
            "--bench",
            "story",
            "--",
            "--noplot",
        ],
    )?;
    let results = root.join("target/criterion");
    let mut figures = Vec::new();
    for name in BENCHES {
        let path = results.join(name).join("new/estimates.json");
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let estimates: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let nanos = estimates["median"]["point_estimate"]
            .as_f64()
            .unwrap_or(f64::NAN);
        figures.push(Figure::new(
            "criterion (median)",
            nanos / 1e6,
            "ms",
            (*name).into(),
        ));
    }
    Ok(figures)
}

/// The report as markdown and JSON.
fn report(root: &Path, figures: &[Figure], smoke: bool) -> Result<(String, String)> {
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default();
    let dirty = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(root)
        .output()
        .is_ok_and(|out| !out.stdout.is_empty());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .next()
                .map(|line| line.split_whitespace().nth(1).unwrap_or("").to_owned())
        })
        .and_then(|kib| kib.parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024 / 1024);
    let when = Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default();
    let commit = if dirty {
        format!("{commit} (with uncommitted changes)")
    } else {
        commit
    };
    let mode = if smoke {
        "smoke (not figures to trust)"
    } else {
        "full"
    };
    let mut md = format!(
        "## kort benchmarks ({mode})\n\n{when}, commit {commit}; {cores} cores ({cpu}), {memory} GiB.\n\n| figure | | value | goal | met |\n|---|---|---|---|---|\n"
    );
    let mut rows = Vec::new();
    for figure in figures {
        let goal = figure.goal.map_or_else(String::new, |goal| {
            format!(
                "{} {goal} {}",
                if figure.at_least { "≥" } else { "≤" },
                figure.unit
            )
        });
        let met = match figure.met() {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        writeln!(
            md,
            "| {} | {} | {:.2} {} | {goal} | {met} |",
            figure.name, figure.detail, figure.value, figure.unit
        )
        .ok();
        rows.push(json!({
            "figure": figure.name,
            "detail": figure.detail,
            "value": figure.value,
            "unit": figure.unit,
            "goal": figure.goal,
            "at_least": figure.at_least,
            "met": figure.met(),
        }));
    }
    let json = json!({
        "mode": mode,
        "when": when,
        "commit": commit,
        "machine": {"cores": cores, "cpu": cpu, "memory_gib": memory},
        "figures": rows,
    });
    let json = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    Ok((md, json))
}
