//! `cargo xtask quality`: Lighthouse (npm `lighthouse`, run with Debian's
//! Chromium) on a story page and a deep link of the release server, on
//! 127.0.0.1, with its default mobile settings. Writes the four category
//! scores and the paint figures (largest contentful paint, layout shift,
//! blocking time) to `target/quality-report.md`. A report, not a gate: the
//! aims are accessibility 100, best practices ≥ 95, SEO ≥ 95, performance
//! 100 with LCP ≤ 1.5 s, CLS 0 and TBT ≤ 50 ms.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::Result;

/// The Lighthouse release the scores come from (fetched by npx on first use).
const LIGHTHOUSE: &str = "lighthouse@12.8.2";
const SEED: &str = "arsal-convoy-2017";
const CATEGORIES: [(&str, &str); 4] = [
    ("performance", "Performance"),
    ("accessibility", "Accessibility"),
    ("best-practices", "Best practices"),
    ("seo", "SEO"),
];
/// How a figure is written.
type Write = fn(f64) -> String;

/// Lighthouse's audits reported beside the scores: id, heading, and how a
/// value is written.
const FIGURES: [(&str, &str, Write); 4] = [
    ("first-contentful-paint", "FCP", seconds),
    ("largest-contentful-paint", "LCP", seconds),
    ("cumulative-layout-shift", "CLS", |value| {
        format!("{value:.3}")
    }),
    ("total-blocking-time", "TBT", |value| {
        format!("{value:.0} ms")
    }),
];

fn seconds(ms: f64) -> String {
    format!("{:.2} s", ms / 1000.0)
}

pub fn run(root: &Path) -> Result {
    let (mut server, base) = crate::server::start(root)?;
    let report = audit(root, &base);
    server.kill().ok();
    server.wait().ok();
    let report = report?;
    let path = root.join("target/quality-report.md");
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{report}");
    Ok(())
}

fn audit(root: &Path, base: &str) -> Result<String> {
    let pages = [
        ("story page", format!("/stories/{SEED}")),
        (
            "deep link",
            format!("/stories/{SEED}/features/blocked-bridge"),
        ),
    ];
    let mut report = format!(
        "## Lighthouse ({LIGHTHOUSE}, mobile, Debian Chromium)\n\n| page | {} | {} |\n|---|---|---|---|---|---|---|---|---|\n",
        CATEGORIES.map(|(_, name)| name).join(" | "),
        FIGURES.map(|(_, name, _)| name).join(" | ")
    );
    for (name, path) in pages {
        let out = root.join(format!("target/lighthouse-{}.json", name.replace(' ', "-")));
        let status = Command::new("npx")
            .args([
                "--yes",
                LIGHTHOUSE,
                &format!("{base}{path}"),
                "--quiet",
                "--output=json",
                &format!("--output-path={}", out.display()),
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync",
            ])
            .env("CHROME_PATH", "/usr/bin/chromium")
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run npx: {e}"))?;
        if !status.success() {
            return Err(format!("lighthouse failed on {path} ({status})"));
        }
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?,
        )
        .map_err(|e| format!("{}: {e}", out.display()))?;
        let scores: Vec<String> = CATEGORIES
            .iter()
            .map(|(id, _)| {
                json["categories"][id]["score"]
                    .as_f64()
                    .map_or_else(|| "–".to_owned(), |score| format!("{:.0}", score * 100.0))
            })
            .chain(FIGURES.iter().map(|(id, _, write)| {
                json["audits"][id]["numericValue"]
                    .as_f64()
                    .map_or_else(|| "–".to_owned(), write)
            }))
            .collect();
        writeln!(report, "| {name} (`{path}`) | {} |", scores.join(" | ")).ok();
    }
    Ok(report)
}
