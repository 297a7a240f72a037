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

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let outcome = match args.first().map(String::as_str) {
        Some("setup") => setup(&root, args.iter().any(|a| a == "--browser")),
        Some("build") => build(&root),
        Some("run") => setup(&root, false)
            .and_then(|()| build(&root))
            .and_then(|()| serve(&root)),
        Some("test") => test(&root),
        Some("load") => load::run(&root, args.iter().any(|a| a == "--smoke")),
        Some("quality") => quality::run(&root),
        Some("bench") => bench::run(&root, args.iter().any(|a| a == "--smoke")),
        Some("fuzz") => match args.iter().position(|a| a == "--seconds") {
            None => fuzz::run_for(&root, 600),
            Some(at) => match args.get(at + 1).and_then(|s| s.parse().ok()) {
                Some(seconds) => fuzz::run_for(&root, seconds),
                None => Err("usage: cargo xtask fuzz [--seconds N]".into()),
            },
        },
        Some("basemap") => match args.get(1) {
            Some(from) => basemap::run(Path::new(from), &root.join("public/basemap")),
            None => Err("usage: cargo xtask basemap <reference basemap dir>".into()),
        },
        _ => {
            Err("usage: cargo xtask setup [--browser] | build | run | test | load [--smoke] | bench [--smoke] | quality | fuzz [--seconds N] | basemap <dir>".into())
        }
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
    eprintln!("xtask: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
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

/// The crates built from `vendor/` with a patch (see `vendor/README.md`).
const PATCHED: &[&str] = &["tachys", "leptos_macro"];

fn read_lock(root: &Path) -> Result<String> {
    std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))
}

/// A package's entry in Cargo.lock, from its name to the next entry.
fn locked_entry<'a>(lock: &'a str, package: &str) -> Result<&'a str> {
    let start = lock
        .find(&format!("name = \"{package}\"\n"))
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?;
    let end = lock[start..]
        .find("\n\n")
        .map_or(lock.len(), |end| start + end);
    Ok(&lock[start..end])
}

/// The version of a package pinned in Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = read_lock(root)?;
    let entry = locked_entry(&lock, package)?;
    entry
        .lines()
        .find_map(|line| line.strip_prefix("version = \"")?.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| format!("Cargo.lock: {package} has no version"))
}

/// Fails where a patched crate comes from a registry: after a Leptos
/// upgrade, a patch for the old version would be left out without a word.
fn check_patches(lock: &str) -> Result {
    for package in PATCHED {
        if let Some(source) = locked_entry(lock, package)?
            .lines()
            .find_map(|line| line.strip_prefix("source = "))
        {
            return Err(format!(
                "Cargo.lock takes {package} from {source}, not from vendor/{package}: \
                 bring the vendored copy and its patch up to that version (vendor/README.md)"
            ));
        }
    }
    Ok(())
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
        || !root.join("node_modules/leaflet/dist/leaflet.js").exists()
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
        (browser, "/usr/bin/wrk", "wrk"),
        // The benchmark harness's floor.
        (browser, "/usr/sbin/nginx", "nginx-light"),
        (
            true,
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "fonts-dejavu-core",
        ),
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

/// Builds the server (release) and the site: wasm bundle, CSS, Leaflet, public files.
fn build(root: &Path) -> Result {
    check_patches(&read_lock(root)?)?;
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
    for folder in [&pkg, &site.join("leaflet")] {
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
    let leaflet = root.join("node_modules/leaflet/dist");
    copy(
        &leaflet.join("leaflet.js"),
        &site.join("leaflet/leaflet.js"),
    )?;
    copy(
        &leaflet.join("leaflet.css"),
        &site.join("leaflet/leaflet.css"),
    )?;
    copy_dir(&leaflet.join("images"), &site.join("leaflet/images"))?;
    assets::name_by_content(&site)?;
    compress::site(&site)?;
    eprintln!("xtask: site built in {}", site.display());
    Ok(())
}

/// The browser's bundles (`kort_app::assets::Assets`), by their features
/// and names: without large layers, for most pages, and with them.
const BUNDLES: [(&str, &str); 2] = [("hydrate", "kort"), ("hydrate,large-layers", "kort-large")];

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
    //
    // One test at a time: the HTTP tests each start a kort server inside the
    // test process, and with many of them at once a page request now and
    // then never got its answer (3 runs in 20). kort runs one server per
    // process, where 5,500 requests at 64 at once all got theirs; the cause
    // in the shared process is not found yet.
    run(
        root,
        "cargo",
        &[
            "test",
            "--workspace",
            "--release",
            "--features",
            "kort-app/ssr",
            "--",
            "--test-threads=1",
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

#[cfg(test)]
mod tests {
    use super::{check_patches, locked_entry};

    const PATCHED_LOCK: &str = "[[package]]\nname = \"leptos_macro\"\nversion = \"0.8.20\"\n\n[[package]]\nname = \"tachys\"\nversion = \"0.2.19\"\ndependencies = [\n \"any_spawner\",\n]\n\n[[package]]\nname = \"tachys-extra\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

    #[test]
    fn an_entry_is_its_package_alone() {
        let entry = locked_entry(PATCHED_LOCK, "tachys").expect("listed");
        assert!(entry.contains("0.2.19") && !entry.contains("tachys-extra"));
        assert!(locked_entry(PATCHED_LOCK, "leptos").is_err());
    }

    #[test]
    fn a_patch_left_out_fails_the_build() {
        assert_eq!(check_patches(PATCHED_LOCK), Ok(()));
        let unpatched = PATCHED_LOCK.replace(
            "version = \"0.2.19\"\n",
            "version = \"0.2.20\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
        );
        let error = check_patches(&unpatched).expect_err("from a registry");
        assert!(
            error.contains("vendor/tachys") && error.contains("registry+"),
            "{error}"
        );
    }
}
