//! `kort`: serve stories (`kort serve`, the default) or check them (`kort check`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kort_app::story::{Entry, Stories};
use std::sync::Arc;

use kort_server::preview::{Basemap, Previews};
use kort_server::{AppState, Config, build, load};
use leptos::prelude::LeptosOptions;

/// mimalloc rather than the system allocator: under hundreds of concurrent
/// connections glibc's per-thread arenas let the resident set drift upward
/// by tens of megabytes (measured with `cargo xtask load`); mimalloc gives
/// memory back and keeps it flat.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "kort",
    version,
    about = "News stories told as text beside a map"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the stories (`KORT_ADDR`, `KORT_DATA`, `KORT_SITE` configure it).
    Serve,
    /// Check story folders and print every problem; exits non-zero if any.
    Check {
        /// A stories folder, or one story's folder.
        #[arg(default_value = "data/stories")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    kort_server::logging::init();
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Check { dir } => check(&dir),
        Command::Serve => serve(),
    }
}

#[expect(
    clippy::print_stdout,
    reason = "`kort check` reports to its user on stdout"
)]
fn check(dir: &Path) -> ExitCode {
    let catalog = if dir.join("story.toml").is_file() {
        let slug = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut catalog = kort_app::story::Catalog::default();
        catalog.insert(slug.clone(), load::story(&slug, dir));
        catalog
    } else {
        match load::catalog(dir) {
            Ok(catalog) => catalog,
            Err(problem) => {
                println!("{problem}");
                return ExitCode::FAILURE;
            }
        }
    };
    let mut problems = 0;
    for (slug, entry) in catalog.entries() {
        match entry {
            Entry::Ready(story) => {
                let features = story.story.features().count();
                println!(
                    "ok      {slug}: {features} features in {} layers",
                    story.story.layers.len()
                );
            }
            Entry::Broken(found) => {
                println!("FAILED  {slug}: {} problem(s)", found.len());
                for problem in found.iter() {
                    println!("  {problem}");
                }
                problems += found.len();
            }
        }
    }
    let (ready, broken) = catalog.counts();
    println!(
        "{} stories checked: {ready} ok, {broken} with {problems} problem(s)",
        ready + broken
    );
    if broken == 0 && ready > 0 {
        ExitCode::SUCCESS
    } else {
        if ready + broken == 0 {
            println!("no story folders found in {}", dir.display());
        }
        ExitCode::FAILURE
    }
}

fn serve() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            tracing::error!("{}", kort_server::logging::chain(&error));
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let catalog = load::catalog(&config.stories).map_err(|problem| problem.to_string())?;
    for (slug, entry) in catalog.entries() {
        if let Entry::Broken(problems) = entry {
            tracing::warn!(
                story = slug,
                problems = problems.len(),
                "story not served: run `kort check` for details"
            );
        }
    }
    let (ready, broken) = catalog.counts();
    let leptos = LeptosOptions::builder()
        .output_name("kort")
        .site_root(config.site_dir.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let stories = Stories::new(catalog);
    tokio::spawn(kort_server::reload::watch(
        config.stories.clone(),
        stories.clone(),
        config.watch_interval,
    ));
    let app = build(AppState {
        stories,
        leptos,
        site: config.site.clone(),
        previews: Arc::new(Previews::new(Basemap::load(
            &config.site_dir.join("basemap"),
        ))),
    });
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", config.addr))?;
    tracing::info!(%config.addr, stories = ready, broken, "kort is serving on http://{}", config.addr);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|error| format!("server error: {error}"))
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
