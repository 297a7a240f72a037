//! Build driver for kort, run as `cargo xtask <command>`.
//!
//! kort is a Leptos app, which is usually built with cargo-leptos. Here that
//! costs ~19 minutes to install and downloads wasm-bindgen and wasm-opt from
//! the internet at build time, which a machine limited to package registries
//! cannot do. This task does the same steps with tools from the registries:
//! `wasm-bindgen-cli` from crates.io (at the version in Cargo.lock) and
//! `wasm-opt` from npm's `binaryen`.
//!
//! - `setup`: install what is missing (wasm target, wasm-bindgen, npm packages; Chromium with `--browser`)
//! - `build`: the server binary and the static site in `target/site`
//! - `run`: setup, build, then serve the seed story on `KORT_ADDR` (default 127.0.0.1:3000)
//! - `test`: setup, fmt, clippy, unit and integration tests, build, browser tests
//! - `bench [--smoke]`: kort against nginx and a plain Leaflet page, and the Criterion benches (see `bench.rs`)
//! - `fuzz [--seconds N]`: the story loader under libFuzzer (nightly), 600 s by default
//! - `basemap <reference dir>`: simplify the basemap GeoJSON into `public/basemap`

mod assets;
mod basemap;
mod bench;
mod compress;
mod fuzz;
mod load;
mod quality;
mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

type Result<T = ()> = std::result::Result<T, String>;

/// kort's build driver (`cargo xtask <command>`).
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about, disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Install what is missing: wasm target, wasm-bindgen, npm packages.
    Setup {
        /// Also Chromium and what the browser tests and benchmarks run.
        #[arg(long)]
        browser: bool,
    },
    /// The server binary and the static site in `target/site`.
    Build,
    /// Setup, build, then serve the seed story on `KORT_ADDR`.
    Run,
    /// Every test: fmt, clippy, unit and integration, browser, load and bench smoke.
    Test,
    /// The release server under load from wrk (see `load.rs`).
    Load {
        /// A few seconds at 16 connections, for the tests.
        #[arg(long)]
        smoke: bool,
    },
    /// The built site's accessibility and HTML checks (see `quality.rs`).
    Quality,
    /// kort against nginx and a plain Leaflet page, and the Criterion benches.
    Bench {
        /// Each step once and briefly, so the harness cannot rot.
        #[arg(long)]
        smoke: bool,
    },
    /// The story loader under libFuzzer (nightly).
    Fuzz {
        /// How long to fuzz.
        #[arg(long, default_value_t = 600)]
        seconds: u64,
    },
    /// Simplify the reference basemap GeoJSON into `public/basemap`.
    Basemap {
        /// The reference basemap folder.
        from: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let outcome = match cli.command {
        Task::Setup { browser } => setup(&root, browser),
        Task::Build => build(&root),
        Task::Run => setup(&root, false)
            .and_then(|()| build(&root))
            .and_then(|()| serve(&root)),
        Task::Test => test(&root),
        Task::Load { smoke } => load::run(&root, smoke),
        Task::Quality => quality::run(&root),
        Task::Bench { smoke } => bench::run(&root, smoke),
        Task::Fuzz { seconds } => fuzz::run_for(&root, seconds),
        Task::Basemap { from } => basemap::run(&from, &root.join("public/basemap")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), Path::to_path_buf)
}

/// Runs a command in `dir`, failing with its name if it fails.
fn run(dir: &Path, program: &str, args: &[&str]) -> Result {
    run_with_env(dir, program, args, &[])
}

/// [`run`], with these environment variables set.
fn run_with_env(dir: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result {
    eprintln!("xtask: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|error| format!("cannot start {program}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Whether `program --version` runs and prints `expected`.
fn has_version(program: &str, expected: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|out| {
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains(expected)
        })
}

/// The version of a package pinned in Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Lock {
        package: Vec<Locked>,
    }
    #[derive(serde::Deserialize)]
    struct Locked {
        name: String,
        version: String,
    }
    let text =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let lock: Lock = toml::from_str(&text).map_err(|e| format!("Cargo.lock: {e}"))?;
    lock.package
        .into_iter()
        .find(|locked| locked.name == package)
        .map(|locked| locked.version)
        .ok_or_else(|| format!("Cargo.lock: {package} is not in it"))
}

/// Installs what the build and the tests need, skipping what is present.
fn setup(root: &Path, browser: bool) -> Result {
    let targets = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup: {e}"))?;
    if !String::from_utf8_lossy(&targets.stdout).contains("wasm32-unknown-unknown") {
        run(root, "rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    let version = locked_version(root, "wasm-bindgen")?;
    if !has_version("wasm-bindgen", &version) {
        // Without --locked: one of the CLI's pinned dependencies may be missing from the registry.
        run(
            root,
            "cargo",
            &["install", &format!("wasm-bindgen-cli@{version}")],
        )?;
    }
    if !root.join("node_modules/.bin/wasm-opt").exists()
        || VENDORED
            .iter()
            .any(|(from, _)| !root.join("node_modules").join(from).exists())
        || !root.join("node_modules/playwright-core").exists()
        || !root.join("node_modules/axe-core/axe.min.js").exists()
        || !root
            .join("node_modules/vnu-jar/build/dist/vnu.jar")
            .exists()
    {
        run(root, "npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    // Chromium for the browser tests; DejaVu for the text of preview images.
    let missing: Vec<&str> = [
        (browser, "/usr/bin/chromium", "chromium"),
        // The Nu Html Checker runs on Java; the load test drives wrk.
        (browser, "/usr/bin/java", "default-jre-headless"),
        // RFC 4287's schema checks the Atom feeds.
        (browser, "/usr/bin/jing", "jing"),
        (browser, "/usr/bin/wrk", "wrk"),
        // The benchmark harness's floor.
        (browser, "/usr/sbin/nginx", "nginx-light"),
        (
            true,
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "fonts-dejavu-core",
        ),
        // The store's tests run a throwaway PostgreSQL cluster (the server,
        // not only the client some machines have).
        (true, POSTGRES_INITDB, "postgresql"),
    ]
    .into_iter()
    .filter(|(wanted, path, _)| *wanted && !Path::new(path).exists())
    .map(|(_, _, package)| package)
    .collect();
    if !missing.is_empty() {
        run(root, "apt-get", &["update"])?;
        let mut args = vec!["install", "-y", "--no-install-recommends"];
        args.extend(missing);
        run(root, "apt-get", &args)?;
    }
    Ok(())
}

/// Debian's PostgreSQL server (bookworm's is 15).
const POSTGRES_INITDB: &str = "/usr/lib/postgresql/15/bin/initdb";

/// Builds the server (release) and the site: wasm bundle, CSS, Leaflet, public files.
fn build(root: &Path) -> Result {
    run(
        root,
        "cargo",
        &[
            "build",
            "--release",
            "--package",
            "kort-server",
            "--bin",
            "kort",
        ],
    )?;
    let site = root.join("target/site");
    let pkg = site.join("pkg");
    // Content-named files of earlier builds would pile up.
    for folder in [&pkg, &site.join("leaflet"), &site.join("geoman")] {
        if folder.exists() {
            std::fs::remove_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        }
    }
    std::fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    for (features, name) in BUNDLES {
        wasm_bundle(root, features, name)?;
    }
    copy(&root.join("style/kort.css"), &pkg.join("kort.css"))?;
    copy_dir(&root.join("public"), &site)?;
    for (from, to) in VENDORED {
        copy(&root.join("node_modules").join(from), &site.join(to))?;
    }
    copy_dir(
        &root.join("node_modules/leaflet/dist/images"),
        &site.join("leaflet/images"),
    )?;
    assets::name_by_content(&site)?;
    compress::site(&site)?;
    eprintln!("xtask: site built in {}", site.display());
    Ok(())
}

/// The browser files taken from npm packages: where each is in
/// `node_modules`, and where the site serves it.
const VENDORED: [(&str, &str); 4] = [
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    // The desk map's drawing tools (`kort_app::desk::map`).
    (
        "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.min.js",
        "geoman/leaflet-geoman.js",
    ),
    (
        "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css",
        "geoman/leaflet-geoman.css",
    ),
];

/// The browser's bundles (`kort_app::assets::Assets`), by their features
/// and names: without large layers, for most pages, with them, and the
/// desk's, which readers never load.
const BUNDLES: [(&str, &str); 3] = [
    ("hydrate", "kort"),
    ("hydrate,large-layers", "kort-large"),
    ("hydrate,desk", "kort-desk"),
];

/// Builds the app for the browser with `features`, into
/// `target/site/pkg/<name>.js` and `<name>_bg.wasm`: wasm-bindgen, then
/// wasm-opt.
fn wasm_bundle(root: &Path, features: &str, name: &str) -> Result {
    run(
        root,
        "cargo",
        &[
            "build",
            "--package",
            "kort-app",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "--no-default-features",
            "--features",
            features,
        ],
    )?;
    run(
        root,
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            name,
            "--out-dir",
            "target/site/pkg",
            "target/wasm32-unknown-unknown/wasm-release/kort_app.wasm",
        ],
    )?;
    let wasm = format!("target/site/pkg/{name}_bg.wasm");
    run(
        root,
        "node_modules/.bin/wasm-opt",
        &[
            "-Oz",
            // Until nothing shrinks: 0.6% smaller, for 10 s more of build.
            "--converge",
            // The low 1 KB of memory is the far end of the 1 MB stack
            // (rust-lld puts the stack first and data from 1 MB up), which
            // no call reaches: constant offsets fold into loads and stores.
            // 0.4% smaller.
            "--low-memory-unused",
            // Inline more small functions and fewer big ones with one
            // caller (-Oz alone: up to 2 bytes, and any size): 9% fewer
            // functions and 1.2% smaller. V8 compiles each function on its
            // first call, on the page's one thread; as the map starts,
            // that took 7 ms less in traces (BENCHMARKS.md).
            "--always-inline-max-function-size=8",
            "--one-caller-inline-max-function-size=200",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-multivalue",
            "--enable-mutable-globals",
            &wasm,
            "-o",
            &wasm,
        ],
    )
}

fn copy(from: &Path, to: &Path) -> Result {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map_err(|e| format!("copy {} → {}: {e}", from.display(), to.display()))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            copy_dir(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Serves the built site with the seed story, until interrupted.
fn serve(root: &Path) -> Result {
    run(root, "target/release/kort", &["serve"])
}

/// Every test: formatting, lints, unit and integration tests, browser tests.
fn test(root: &Path) -> Result {
    setup(root, true)?;
    run(root, "cargo", &["fmt", "--all", "--", "--check"])?;
    run(
        root,
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "kort-app/ssr",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    for (features, _) in BUNDLES {
        run(
            root,
            "cargo",
            &[
                "clippy",
                "--package",
                "kort-app",
                "--lib",
                "--target",
                "wasm32-unknown-unknown",
                "--no-default-features",
                "--features",
                features,
                "--",
                "-D",
                "warnings",
            ],
        )?;
    }
    // Tests build in the release profile, which the server build below
    // reuses: one optimised dependency tree instead of a debug one as well,
    // half the disk and less time.
    run(
        root,
        "cargo",
        &[
            "test",
            "--workspace",
            "--release",
            "--features",
            "kort-app/ssr",
        ],
    )?;
    build(root)?;
    run(root, "target/release/kort", &["check", "data/stories"])?;
    run(
        root,
        "node",
        &["--test", "--test-concurrency=1", "end2end/"],
    )?;
    // The load script in its short form: no errors, no leak, a clean stop.
    load::run(root, true)?;
    // The benchmark harness in its short form, so it cannot rot.
    bench::run(root, true)
}
