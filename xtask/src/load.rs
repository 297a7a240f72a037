//! `cargo xtask load [--smoke]`: the release server under load from `wrk`,
//! on 127.0.0.1 only, for a bounded time.
//!
//! Full run: 5 s of warm-up, then 60 s at 256 connections across the story
//! page, deep links, GeoJSON layers and preview PNGs. It passes with zero
//! socket errors, no response outside 2xx/3xx, a resident set at the end
//! within 10% of the one after warm-up, and a clean exit on SIGTERM. The
//! figures go to `target/load-report.md` (and BENCHMARKS.md by hand).
//! `--smoke` is the same in a few seconds at 16 connections, for the tests.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Command};
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
    let path = root.join("target/load-report.md");
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{report}");
    if exit != "0 (clean)" {
        return Err(format!("kort did not stop cleanly on SIGTERM: {exit}"));
    }
    Ok(())
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
        paths
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ")
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
    let growth = (f64::from(u32::try_from(rss_end).unwrap_or(u32::MAX))
        / f64::from(u32::try_from(rss_warm.max(1)).unwrap_or(u32::MAX))
        - 1.0)
        * 100.0;
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
    let mut failures = Vec::new();
    if result.socket_errors > 0 {
        failures.push(format!("{} socket errors", result.socket_errors));
    }
    if result.non_2xx > 0 {
        failures.push(format!("{} responses not 2xx/3xx", result.non_2xx));
    }
    if result.requests == 0 {
        failures.push("no requests completed".to_owned());
    }
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
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("cannot read the server's memory use: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| "no VmRSS in /proc status".to_owned())
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
