//! `cargo xtask load [--smoke]`: the release server under load from `wrk`,
//! on 127.0.0.1 only, for a bounded time.
//!
//! Two parts, each on a server of its own:
//!
//! - **Known URLs**: 5 s of warm-up, then 60 s at 256 connections across the
//!   story page, deep links, GeoJSON layers and preview PNGs. It passes with
//!   zero socket errors, no response outside 2xx/3xx, a resident set at the
//!   end within 10% of the one after warm-up, and a clean exit on SIGTERM.
//! - **Page states**: story pages and deep links with random `view`, `at`,
//!   `range`, `layers` and `lang`, as readers' maps write them into shared
//!   links, at 64 connections for 60 s, in three mixes of first-time and
//!   repeated addresses ([`MIXES`]). Each passes with at least
//!   [`PAGES_PER_SECOND`] pages/s, p99 at most [`P99_MS`] ms, no timeouts
//!   or errors, a resident set never over [`MAX_RSS_MB`] MB and, 10 s after
//!   the run, back within 10% of its figure after warm-up, beside what the
//!   bounded caches keep ([`Memory::unexplained`]).
//!
//! The figures go to `target/load-report.md` (and BENCHMARKS.md by hand).
//! `--smoke` is the same in a few seconds at 16 connections, for the tests;
//! it checks errors and memory, not rates, which a short run on a busy
//! machine does not measure, and memory at rest only to a leak's size
//! ([`SMOKE_BACK_PERCENT`]).

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::Result;

const SEED: &str = "arsal-convoy-2017";

/// How hard and how long.
struct Plan {
    warm_up_seconds: u32,
    seconds: u32,
    connections: u32,
}

pub fn run(root: &Path, smoke: bool) -> Result {
    let plan = if smoke {
        Plan {
            warm_up_seconds: 1,
            seconds: 3,
            connections: 16,
        }
    } else {
        Plan {
            warm_up_seconds: 5,
            seconds: 60,
            connections: 256,
        }
    };
    let (mut server, base) = crate::server::start(root)?;
    let outcome = measure(root, &base, &plan, &server);
    let exit = stop(&mut server);
    let mut report = outcome?;
    let exit = exit?;
    writeln!(report, "| exit on SIGTERM | {exit} |").ok();
    if exit != "0 (clean)" {
        return Err(format!("kort did not stop cleanly on SIGTERM: {exit}"));
    }
    let mut failures = Vec::new();
    for mix in MIXES {
        let (part, failed) = page_states(root, &mix, smoke)?;
        report.push_str(&part);
        failures.extend(failed);
    }
    let path = root.join("target/load-report.md");
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{report}");
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("load test failed: {}", failures.join("; ")))
    }
}

/// The pages per second every mix of page states must reach.
const PAGES_PER_SECOND: f64 = 1000.0;
/// The slowest 1% of page states may take at most this long.
const P99_MS: f64 = 100.0;
/// The most the server may hold in memory while page states pour in.
const MAX_RSS_MB: u64 = 300;

/// A mix of first-time and repeated page states.
pub struct Mix {
    name: &'static str,
    /// The share of requests for an address never asked for before; the
    /// rest pick from a pool of addresses every connection shares, as a
    /// story's readers share its links.
    fresh: f64,
}

/// Every mix the goals hold for: only new addresses (a crawler, a cache
/// buster), half and half, and mostly repeated (a link going round).
pub const MIXES: [Mix; 3] = [
    Mix {
        name: "all new",
        fresh: 1.0,
    },
    Mix {
        name: "half new",
        fresh: 0.5,
    },
    Mix {
        name: "one in ten new",
        fresh: 0.1,
    },
];

/// How long the server rests before its resident set is read for the
/// goal "back within 10% of its figure after warm-up, 10 s after the run".
const SETTLE: Duration = Duration::from_secs(10);

/// How far the smoke run's resident set at rest may end above its figure
/// after warm-up. The goal's 10% is for the full run. A run of 3 s at 16
/// connections is noisier: a CI run of 1 s of warm-up ended at +22.5%
/// (the pool's pages still being kept, and mimalloc holding what idle
/// threads freed until they allocate again). With 3 s of warm-up and the
/// caches subtracted, the 12 mixes of four runs here ended between −55%
/// and +4%; a leak of a page per request would add several times the
/// server's memory.
const SMOKE_BACK_PERCENT: f64 = 25.0;

/// How many addresses the repeated share is drawn from.
const POOL: u32 = 300;

/// The seed story's features (for deep links) and layers.
const FEATURES: [&str; 14] = [
    "arsal-enclave",
    "enclave-before-offensive",
    "stranded-area",
    "convoy-route-blocked",
    "arsal",
    "qara",
    "humaymah",
    "albu-kamal",
    "convoy-split",
    "al-mayadin",
    "convoy-route",
    "convoy-loop",
    "road-craters",
    "blocked-bridge",
];
const LAYERS: [&str; 5] = ["areas", "route", "blocked", "places", "strikes"];

/// A `wrk` script asking for random states of the seed story's pages:
/// the share `fresh` new (no thread makes the same one twice: the view
/// carries the thread and a counter), the rest from a pool that every
/// thread makes alike from one seed.
fn page_state_script(fresh: f64) -> String {
    format!(
        r#"local features = {{{features}}}
local layers = {{{layers}}}
local fresh, pool_size = {fresh}, {pool}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local function state(serial)
  local path = "/stories/{SEED}"
  if math.random() < 0.5 then
    path = path .. "/features/" .. features[math.random(#features)]
  end
  local query = string.format("?view=%d/%.5f/%.5f", math.random(6, 12),
    33.6 + math.random() * 1.6, 35.9 + math.random() * 5.4)
  query = query .. string.format("%07d", serial)
  local r = math.random()
  if r < 0.4 then
    query = query .. string.format("&at=2017-08-%02d", math.random(1, 31))
  elseif r < 0.6 then
    local from = math.random(1, 20)
    query = query .. string.format("&range=2017-08-%02d..2017-08-%02d", from, from + math.random(1, 11))
  end
  if math.random() < 0.7 then
    local shown = {{}}
    for _, layer in ipairs(layers) do
      if math.random() < 0.6 then shown[#shown + 1] = layer end
    end
    if #shown > 0 then query = query .. "&layers=" .. table.concat(shown, ",") end
  end
  if math.random() < 0.3 then query = query .. "&lang=en" end
  return path .. query
end
local pool = {{}}
local serial = 0
function init(args)
  math.randomseed(7)
  for i = 1, pool_size do pool[i] = state(i) end
  math.randomseed(os.time() * 100 + id)
  serial = id * 1000000
end
function request()
  local path
  if math.random() < fresh then
    serial = serial + 1
    path = state(serial)
  else
    path = pool[math.random(pool_size)]
  end
  return wrk.format("GET", path, {{["Accept-Encoding"] = "br, gzip", ["Accept-Language"] = "da"}})
end
"#,
        features = lua_strings(&FEATURES),
        layers = lua_strings(&LAYERS),
        pool = POOL,
    )
}

/// One mix of page states on a server of its own: its section of the
/// report, and what failed.
fn page_states(root: &Path, mix: &Mix, smoke: bool) -> Result<(String, Vec<String>)> {
    // The warm-up is long enough for nearly every address of the shared
    // pool to be asked for twice, and so kept (the smoke run's caches hold
    // over nine tenths of their final bytes by its end).
    let (warm_up, seconds, connections) = if smoke { (3, 3, 16) } else { (5, 60, 64) };
    let script = root.join(format!(
        "target/load-states-{}.lua",
        mix.name.replace(' ', "-")
    ));
    std::fs::write(&script, page_state_script(mix.fresh))
        .map_err(|e| format!("{}: {e}", script.display()))?;
    let script = script.display().to_string();
    let (mut server, base) = crate::server::start(root)?;
    let ask = Ask {
        url: &base,
        script: Some(&script),
        header: None,
    };
    let outcome = (|| {
        // The highest figures are read from the first request on: a
        // server's first seconds under a flood count too.
        let sampler = Sampler::start(server.id());
        let warmed = wrk(&ask, warm_up, connections).and_then(|_| memory(&base, server.id()));
        let result =
            warmed.and_then(|start| wrk(&ask, seconds, connections).map(|result| (result, start)));
        let (peak, most_threads) = sampler.stop();
        let (result, start) = result?;
        std::thread::sleep(SETTLE);
        let after = memory(&base, server.id())?;
        Ok::<_, String>((result, start, peak, most_threads, after))
    })();
    let exit = stop(&mut server)?;
    let (result, start, peak, most_threads, after) = outcome?;
    let back = percent(after.unexplained(), start.unexplained());
    let mut report = format!(
        "\n## Page states, {}: {} s at {} connections, {:.0}% new addresses\n\n| figure | value |\n|---|---|\n",
        mix.name,
        seconds,
        connections,
        mix.fresh * 100.0
    );
    for (name, value) in [
        ("requests", result.requests.to_string()),
        ("pages/s", format!("{:.0}", result.per_second)),
        ("latency p50", result.p50.clone()),
        ("latency p99", result.p99.clone()),
        (
            "socket errors (timeouts included)",
            result.socket_errors.to_string(),
        ),
        ("responses not 2xx/3xx", result.non_2xx.to_string()),
        ("RSS after warm-up", start.to_string()),
        (
            "RSS at its highest, warm-up included",
            format!("{peak} KiB"),
        ),
        ("threads at the most", most_threads.to_string()),
        ("RSS 10 s after", after.to_string()),
        ("RSS beside the caches, 10 s after", format!("{back:+.1}%")),
        ("exit on SIGTERM", exit.clone()),
    ] {
        writeln!(report, "| {name} | {value} |").ok();
    }
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(format!("{}: {what}", mix.name));
    for failure in result.failures() {
        fail(failure);
    }
    if peak > MAX_RSS_MB * 1024 {
        fail(format!("RSS reached {peak} KiB (limit {MAX_RSS_MB} MB)"));
    }
    let limit = if smoke { SMOKE_BACK_PERCENT } else { 10.0 };
    if back > limit {
        fail(format!(
            "RSS beside the caches 10 s after the run was {back:+.1}% of its figure after warm-up (limit {limit:.0}%)"
        ));
    }
    if exit != "0 (clean)" {
        fail(format!("kort did not stop cleanly on SIGTERM: {exit}"));
    }
    if !smoke {
        if result.per_second < PAGES_PER_SECOND {
            fail(format!(
                "{:.0} pages/s (goal {PAGES_PER_SECOND:.0})",
                result.per_second
            ));
        }
        match result.p99_ms() {
            Some(p99) if p99 <= P99_MS => {}
            _ => fail(format!("p99 {} (goal {P99_MS:.0} ms)", result.p99)),
        }
    }
    Ok((report, failures))
}

/// `items` as the items of a Lua table: `"a", "b"`.
fn lua_strings(items: &[impl std::fmt::Debug]) -> String {
    items
        .iter()
        .map(|item| format!("{item:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The server's memory: its resident set, and what its bounded caches keep
/// (`/healthz`), both in KiB.
struct Memory {
    rss: u64,
    kept: u64,
}

impl Memory {
    /// The resident set the caches do not explain. A run too short for the
    /// caches to fill during the warm-up fills them during the run, within
    /// their bounds (72 MB of pages, 32 MB of previews): as much as a tenth
    /// of the server's memory that is not a failure to give memory back.
    fn unexplained(&self) -> u64 {
        self.rss.saturating_sub(self.kept)
    }
}

impl std::fmt::Display for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} KiB, {} KiB of it kept by the caches",
            self.rss, self.kept
        )
    }
}

/// The server's memory now.
fn memory(base: &str, pid: u32) -> Result<Memory> {
    let health = crate::server::http_get(base, "/healthz")?;
    let health: serde_json::Value =
        serde_json::from_slice(&health).map_err(|e| format!("/healthz: {e}"))?;
    let kept = ["pages", "previews"]
        .iter()
        .map(|cache| {
            health["kept_bytes"][cache]
                .as_u64()
                .ok_or_else(|| format!("/healthz: no kept_bytes.{cache}"))
        })
        .sum::<Result<u64>>()?;
    Ok(Memory {
        rss: rss_kib(pid)?,
        kept: kept / 1024,
    })
}

/// `after` against `before`, in percent.
fn percent(after: u64, before: u64) -> f64 {
    let as_f64 = |kib: u64| f64::from(u32::try_from(kib).unwrap_or(u32::MAX));
    (as_f64(after) / as_f64(before.max(1)) - 1.0) * 100.0
}

/// Reads a process's resident set and thread count every 100 ms,
/// keeping the highest of each.
struct Sampler {
    running: Arc<AtomicBool>,
    rss: Arc<AtomicU64>,
    threads: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl Sampler {
    fn start(pid: u32) -> Self {
        let running = Arc::new(AtomicBool::new(true));
        let (rss, threads) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let thread = std::thread::spawn({
            let (running, rss, threads) =
                (Arc::clone(&running), Arc::clone(&rss), Arc::clone(&threads));
            move || {
                while running.load(Ordering::Relaxed) {
                    if let Ok(kib) = rss_kib(pid) {
                        rss.fetch_max(kib, Ordering::Relaxed);
                    }
                    if let Ok(count) = self::threads(pid) {
                        threads.fetch_max(count, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        });
        Self {
            running,
            rss,
            threads,
            thread,
        }
    }

    /// The highest resident set (KiB) and thread count read.
    fn stop(self) -> (u64, u64) {
        self.running.store(false, Ordering::Relaxed);
        self.thread.join().ok();
        (
            self.rss.load(Ordering::Relaxed),
            self.threads.load(Ordering::Relaxed),
        )
    }
}

fn measure(root: &Path, base: &str, plan: &Plan, server: &Child) -> Result<String> {
    let script = root.join("target/load-paths.lua");
    let paths = [
        format!("/stories/{SEED}"),
        format!("/stories/{SEED}/features/blocked-bridge"),
        format!("/stories/{SEED}/features/arsal?lang=en"),
        format!("/api/stories/{SEED}/layers/route.geojson"),
        format!("/api/stories/{SEED}/features.geojson"),
        format!("/stories/{SEED}/preview.png"),
        format!("/stories/{SEED}/features/road-craters/preview.png"),
    ];
    let lua = format!(
        "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
        lua_strings(&paths)
    );
    std::fs::write(&script, lua).map_err(|e| format!("{}: {e}", script.display()))?;
    let script = script.display().to_string();
    let ask = Ask {
        url: base,
        script: Some(&script),
        header: None,
    };
    wrk(&ask, plan.warm_up_seconds, plan.connections)?;
    let rss_warm = rss_kib(server.id())?;
    let result = wrk(&ask, plan.seconds, plan.connections)?;
    let rss_end = rss_kib(server.id())?;
    let growth = percent(rss_end, rss_warm);
    let mut report = format!(
        "## Load: {} s at {} connections, {} URLs in turn\n\n| figure | value |\n|---|---|\n",
        plan.seconds,
        plan.connections,
        paths.len()
    );
    for (name, value) in [
        ("requests", result.requests.to_string()),
        ("requests/s", format!("{:.0}", result.per_second)),
        ("latency p50", result.p50.clone()),
        ("latency p99", result.p99.clone()),
        ("socket errors", result.socket_errors.to_string()),
        ("responses not 2xx/3xx", result.non_2xx.to_string()),
        ("RSS after warm-up", format!("{rss_warm} KiB")),
        ("RSS at the end", format!("{rss_end} KiB ({growth:+.1}%)")),
    ] {
        writeln!(report, "| {name} | {value} |").ok();
    }
    let mut failures = result.failures();
    if growth > 10.0 {
        failures.push(format!("RSS grew {growth:.1}% under load (limit 10%)"));
    }
    if failures.is_empty() {
        Ok(report)
    } else {
        Err(format!(
            "{report}\nload test failed: {}",
            failures.join("; ")
        ))
    }
}

/// What `wrk` reported.
pub struct WrkResult {
    pub requests: u64,
    pub per_second: f64,
    pub p50: String,
    pub p99: String,
    pub socket_errors: u64,
    pub non_2xx: u64,
}

impl WrkResult {
    /// What went wrong on the wire: socket errors (timeouts among them),
    /// answers outside 2xx/3xx, no answer at all.
    pub fn failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        if self.socket_errors > 0 {
            failures.push(format!(
                "{} socket errors (timeouts included)",
                self.socket_errors
            ));
        }
        if self.non_2xx > 0 {
            failures.push(format!("{} responses not 2xx/3xx", self.non_2xx));
        }
        if self.requests == 0 {
            failures.push("no requests completed".to_owned());
        }
        failures
    }

    /// The 99th percentile latency in milliseconds (`wrk` writes `812.00us`,
    /// `3.05ms` or `1.20s`).
    pub fn p99_ms(&self) -> Option<f64> {
        let text = self.p99.trim();
        let (number, scale) = if let Some(n) = text.strip_suffix("us") {
            (n, 0.001)
        } else if let Some(n) = text.strip_suffix("ms") {
            (n, 1.0)
        } else if let Some(n) = text.strip_suffix('s') {
            (n, 1000.0)
        } else {
            return None;
        };
        number.parse::<f64>().ok().map(|n| n * scale)
    }
}

/// What `wrk` asks for: `url` alone, with a request `header` if given,
/// or the requests `script` makes against it.
pub struct Ask<'a> {
    pub url: &'a str,
    pub script: Option<&'a str>,
    pub header: Option<&'a str>,
}

/// Runs `wrk` on 127.0.0.1 for `seconds`.
pub fn wrk(ask: &Ask, seconds: u32, connections: u32) -> Result<WrkResult> {
    let mut args = vec![
        "--threads".to_owned(),
        "2".to_owned(),
        "--connections".to_owned(),
        connections.to_string(),
        "--duration".to_owned(),
        format!("{seconds}s"),
        "--timeout".to_owned(),
        "10s".to_owned(),
        "--latency".to_owned(),
    ];
    if let Some(script) = ask.script {
        args.extend(["--script".to_owned(), script.to_owned()]);
    }
    if let Some(header) = ask.header {
        args.extend(["--header".to_owned(), header.to_owned()]);
    }
    args.push(ask.url.to_owned());
    let output = Command::new("wrk")
        .args(&args)
        .output()
        .map_err(|e| format!("cannot run wrk (apt-get install wrk): {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let field = |prefix: &str| {
        text.lines().find_map(|line| {
            line.trim()
                .strip_prefix(prefix)
                .map(str::trim)
                .map(str::to_owned)
        })
    };
    let requests = text
        .lines()
        .find(|line| line.contains(" requests in "))
        .and_then(|line| line.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let socket_errors = field("Socket errors:").map_or(0, |errors| {
        errors
            .split(',')
            .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
            .sum()
    });
    Ok(WrkResult {
        requests,
        per_second: field("Requests/sec:")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0),
        p50: field("50%").unwrap_or_default(),
        p99: field("99%").unwrap_or_default(),
        socket_errors,
        non_2xx: field("Non-2xx or 3xx responses:")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
    })
}

/// The resident set of a process, from /proc.
pub fn rss_kib(pid: u32) -> Result<u64> {
    status_number(pid, "VmRSS:")
}

/// The most memory a process has held at once (its peak resident set).
pub fn peak_kib(pid: u32) -> Result<u64> {
    status_number(pid, "VmHWM:")
}

/// How many threads a process runs, from /proc.
fn threads(pid: u32) -> Result<u64> {
    status_number(pid, "Threads:")
}

/// The number after `field` in a process's /proc status.
fn status_number(pid: u32, field: &str) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("cannot read the server's /proc status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no {field} in /proc status"))
}

/// SIGTERM, then the exit status within 10 s.
pub fn stop(server: &mut Child) -> Result<String> {
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .map_err(|e| format!("kill: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.try_wait().map_err(|e| e.to_string())? {
            return Ok(if status.success() {
                "0 (clean)".to_owned()
            } else {
                status.to_string()
            });
        }
        if Instant::now() > deadline {
            server.kill().ok();
            return Ok("did not stop within 10 s".to_owned());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
