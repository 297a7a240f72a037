//! `kort`: serve stories (`kort serve`, the default), check them (`kort
//! check`) or import features into them (`kort import`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kort_app::story::{Entry, Stories};

use kort_server::config::{DeskArgs, FetchArgs, FetchConfig, FileArgs, ServeArgs, StoreArgs};
use kort_server::desk::users::{self, Role};
use kort_server::preview::Basemap;
use kort_server::{AppState, Config, load};

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
    /// Without a command, kort serves.
    #[command(subcommand)]
    command: Option<Command>,
}

/// `kort` without a command: the settings of `kort serve`, from the
/// environment alone. (Read only then, so that a bad server setting in the
/// environment does not stop `kort check` or `kort import`.)
#[derive(Parser)]
#[command(name = "kort")]
struct ServeFromEnv {
    #[command(flatten)]
    args: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the stories (the default; each setting is also a variable, see --help).
    Serve(Box<ServeArgs>),
    /// Check story folders and print every problem; exits non-zero if any.
    Check {
        /// A stories folder, one story's folder, or a store
        /// (postgres://…, whose stories are checked as they are copied out).
        #[arg(default_value = "data/stories")]
        dir: PathBuf,
        #[command(flatten)]
        files: FileArgs,
    },
    /// Print a story's history: every save and publish, who and when, what
    /// it changed, and what readers were told.
    History {
        /// The story's folder (published, or its draft).
        story: PathBuf,
    },
    /// Import features into a story's layer from a URL or a file (GeoJSON,
    /// NDJSON or CSV). Features that fail the story's checks are skipped and
    /// reported; the story changes only if the whole import succeeds.
    Import(Box<ImportArgs>),
    /// Move stories between stories folders and stores (`KORT_STORE`).
    Store {
        #[command(subcommand)]
        action: StoreAction,
    },
    /// Manage the desk's accounts (`KORT_USERS`, or `KORT_STORE` if set).
    User {
        #[command(subcommand)]
        action: UserAction,
        #[command(flatten)]
        desk: DeskArgs,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write a synthetic story (for benchmarks and scale tests): dated event
    /// points and wandering routes across the region, the same every time.
    GenStory {
        /// The stories folder to write it into.
        #[arg(long, default_value = "data/stories")]
        data: PathBuf,
        /// The story's folder name.
        #[arg(long, default_value = "synthetic-50k")]
        slug: String,
        #[arg(long, default_value_t = 50_000)]
        events: usize,
        #[arg(long, default_value_t = 5_000)]
        lines: usize,
        #[arg(long, default_value_t = 2017)]
        seed: u64,
    },
}

/// What `kort store` does.
#[derive(Subcommand)]
enum StoreAction {
    /// Copy every story from a stories folder or a store into a stories
    /// folder or a store; a story already there is replaced. A round trip
    /// gives back the same files, byte for byte.
    Copy {
        /// A stories folder, or postgres://user:password@host:port/database.
        #[arg(long)]
        from: String,
        /// A stories folder, or postgres://user:password@host:port/database.
        #[arg(long)]
        to: String,
    },
}

/// What `kort user` does.
#[derive(Subcommand)]
enum UserAction {
    /// Add an account. The password is read from the terminal, or from
    /// standard input when that is not a terminal (never from an argument).
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: Role,
    },
    /// List the accounts and their roles.
    List,
    /// Remove an account; their sessions end at their next request.
    Remove { name: String },
    /// Copy the accounts of the accounts file (`KORT_USERS`) into the store
    /// (`KORT_STORE`), password hashes as they are; an account the store
    /// has already is left as it is there.
    Import,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// An http(s) URL or a file.
    from: String,
    /// The story's folder name.
    #[arg(long)]
    story: String,
    /// The layer id; a new layer needs --title.
    #[arg(long)]
    layer: String,
    /// The stories folder.
    #[arg(long, default_value = "data/stories")]
    data: PathBuf,
    /// geojson, ndjson or csv, when neither the name nor the content type says.
    #[arg(long)]
    format: Option<String>,
    /// A TOML file with the mapping: id, title, date, note, `uncertainty_m`,
    /// sources, lat, lon (each a property or column name; sources a list of
    /// the story's source ids). Flags below override it.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// The property holding a stable id.
    #[arg(long)]
    id_from: Option<String>,
    /// The property holding the title (default: title, else name).
    #[arg(long)]
    title_from: Option<String>,
    /// The property holding the date.
    #[arg(long)]
    date_from: Option<String>,
    /// The property holding a note.
    #[arg(long)]
    note_from: Option<String>,
    /// A source id of the story that every imported feature cites (repeatable).
    #[arg(long = "cite")]
    cite: Vec<String>,
    /// CSV: the latitude column.
    #[arg(long)]
    lat: Option<String>,
    /// CSV: the longitude column.
    #[arg(long)]
    lon: Option<String>,
    /// The title of a new layer.
    #[arg(long)]
    title: Option<String>,
    /// The colour of a new layer, #rrggbb.
    #[arg(long)]
    color: Option<String>,
    #[command(flatten)]
    fetch: FetchArgs,
    #[command(flatten)]
    files: FileArgs,
}

fn main() -> ExitCode {
    kort_server::logging::init();
    let command = Cli::parse()
        .command
        .unwrap_or_else(|| Command::Serve(Box::new(ServeFromEnv::parse_from(["kort"]).args)));
    match command {
        Command::Check { dir, files } => {
            files.apply();
            check_anywhere(&dir)
        }
        Command::Store {
            action: StoreAction::Copy { from, to },
        } => store_copy(&from, &to),
        Command::History { story } => history(&story),
        Command::User {
            action,
            desk,
            store,
        } => user(action, &desk, store.address.as_ref()),
        Command::Import(args) => import(&args),
        Command::GenStory {
            data,
            slug,
            events,
            lines,
            seed,
        } => gen_story(
            &data,
            kort_server::synthetic::Plan {
                slug,
                events,
                lines,
                seed,
                ..kort_server::synthetic::Plan::default()
            },
        ),
        Command::Serve(args) => serve(*args),
    }
}

#[expect(
    clippy::print_stdout,
    reason = "`kort history` prints for its user on stdout"
)]
fn history(story: &Path) -> ExitCode {
    if !story.join("story.toml").is_file() {
        eprintln!(
            "{}: not a story folder (it has no story.toml); expected a folder such as data/stories/<slug>",
            story.display()
        );
        return ExitCode::FAILURE;
    }
    let entries = kort_server::history::entries(story);
    if entries.is_empty() {
        println!(
            "{}: no history yet (it was not saved or published by the desk)",
            story.display()
        );
    }
    for entry in entries {
        println!("{}", kort_server::history::describe(&entry));
    }
    ExitCode::SUCCESS
}

/// A runtime for the commands that talk to a store.
fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))
}

#[expect(
    clippy::print_stdout,
    reason = "`kort store copy` reports to its user on stdout"
)]
fn store_copy(from: &str, to: &str) -> ExitCode {
    let copied = runtime().and_then(|runtime| {
        runtime
            .block_on(kort_server::postgres::copy(from, to))
            .map_err(|error| kort_server::logging::chain(&error))
    });
    match copied {
        Ok(count) => {
            println!("{count} stories copied");
            ExitCode::SUCCESS
        }
        Err(message) => {
            println!("kort store copy: {message}");
            ExitCode::FAILURE
        }
    }
}

/// [`check`], of a folder or of a store's stories (copied out first).
#[expect(
    clippy::print_stdout,
    reason = "`kort check` reports to its user on stdout"
)]
fn check_anywhere(dir: &Path) -> ExitCode {
    let text = dir.to_string_lossy();
    if !kort_server::postgres::is_address(&text) {
        return check(dir);
    }
    let copied = tempfile::tempdir()
        .map_err(|error| format!("cannot make a folder to check in: {error}"))
        .and_then(|folder| {
            let to = folder.path().display().to_string();
            runtime()?
                .block_on(kort_server::postgres::copy(&text, &to))
                .map_err(|error| kort_server::logging::chain(&error))?;
            Ok(folder)
        });
    match copied {
        Ok(folder) => {
            println!(
                "the store's stories, copied to {}:",
                folder.path().display()
            );
            check(folder.path())
        }
        Err(message) => {
            println!("kort check: {message}");
            ExitCode::FAILURE
        }
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

fn gen_story(data: &std::path::Path, plan: kort_server::synthetic::Plan) -> ExitCode {
    match kort_server::synthetic::write(data, &plan) {
        Ok(()) => {
            eprintln!(
                "wrote {} ({} events, {} routes)",
                data.join(&plan.slug).display(),
                plan.events,
                plan.lines
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "error: cannot write {}: {error}",
                data.join(&plan.slug).display()
            );
            ExitCode::FAILURE
        }
    }
}

#[expect(
    clippy::print_stdout,
    reason = "`kort import` reports to its user on stdout"
)]
fn import(args: &ImportArgs) -> ExitCode {
    args.files.apply();
    let request = match import_request(args) {
        Ok(request) => request,
        Err(message) => {
            println!("kort import: {message}");
            return ExitCode::FAILURE;
        }
    };
    let config = FetchConfig::from(args.fetch.clone());
    let fetcher = kort_server::fetch::Fetcher::new(config.allow, config.limits)
        .map_err(|error| kort_server::logging::chain(&error));
    let fetcher = match fetcher {
        Ok(fetcher) => fetcher,
        Err(message) => {
            println!("kort import: {message}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = tokio::runtime::Runtime::new()
        .map_err(|error| format!("cannot start the async runtime: {error}"))
        .and_then(|runtime| {
            runtime
                .block_on(kort_server::import::import(&request, &fetcher))
                .map_err(|error| kort_server::logging::chain(&error))
        });
    match outcome {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            println!("kort import: {message}\nthe story was not changed");
            ExitCode::FAILURE
        }
    }
}

/// The import the flags ask for, with the mapping file read and the flags
/// laid over it.
fn import_request(args: &ImportArgs) -> Result<kort_server::import::Request, String> {
    use kort_app::story::mapping::Mapping;
    use kort_server::import::formats::Format;
    let mut mapping = match &args.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            toml::from_str::<Mapping>(&text).map_err(|error| {
                format!(
                    "{}: {}; expected keys id, title, date, note, uncertainty_m, sources, lat, lon",
                    path.display(),
                    error.message().trim()
                )
            })?
        }
        None => Mapping::default(),
    };
    let set = |field: &mut Option<String>, flag: &Option<String>| {
        if flag.is_some() {
            field.clone_from(flag);
        }
    };
    set(&mut mapping.id, &args.id_from);
    set(&mut mapping.title, &args.title_from);
    set(&mut mapping.date, &args.date_from);
    set(&mut mapping.note, &args.note_from);
    set(&mut mapping.lat, &args.lat);
    set(&mut mapping.lon, &args.lon);
    if !args.cite.is_empty() {
        mapping.sources.clone_from(&args.cite);
    }
    let format = match &args.format {
        Some(name) => Some(Format::from_name(name).ok_or_else(|| {
            format!("--format {name:?} is not a format; expected geojson, ndjson or csv")
        })?),
        None => None,
    };
    Ok(kort_server::import::Request {
        from: args.from.clone(),
        stories: args.data.clone(),
        story: args.story.clone(),
        layer: args.layer.clone(),
        format,
        mapping,
        new_layer: args.title.clone().map(|title| (title, args.color.clone())),
    })
}

/// The most threads the server runs blocking work on.
const MAX_BLOCKING_THREADS: usize = 32;

fn serve(args: ServeArgs) -> ExitCode {
    args.files.apply();
    let config = match Config::try_from(args) {
        Ok(config) => config,
        Err(error) => {
            tracing::error!("{}", kort_server::logging::chain(&error));
            return ExitCode::FAILURE;
        }
    };
    // Blocking threads read static files and compress and draw what is
    // kept (each of those bounded on its own, see `admission` and
    // `page_cache`): a few dozen, not tokio's default of 512, which a flood
    // of requests would grow into hundreds of threads and their stacks.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
    {
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
    let store = config
        .store
        .as_ref()
        .map(|address| kort_server::postgres::PgStore::lazy(address.expose()))
        .transpose()
        .map_err(|error| kort_server::logging::chain(&error))?;
    if let Some(store) = &store {
        // The store's stories before the first catalog; if it is away, the
        // last copy is served until it is back.
        let pulled = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            store.ready().await?;
            kort_server::postgres::pull_all(store, &config.stories).await
        })
        .await;
        match pulled {
            Ok(Ok(changed)) => {
                tracing::info!(store = ?store, changed = changed.len(), "stories brought from the store");
            }
            Ok(Err(error)) => {
                tracing::warn!(store = ?store, error = kort_server::logging::chain(&error), "store unavailable; serving the last copy");
            }
            Err(_) => {
                tracing::warn!(store = ?store, "store did not answer within 10 s; serving the last copy");
            }
        }
    }
    let loaded = kort_server::reload::fingerprint(&config.stories);
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
    let stories = Stories::new(catalog);
    if let Some(store) = &store {
        tokio::spawn(kort_server::postgres::follow(
            store.clone(),
            config.stories.clone(),
            stories.clone(),
        ));
    }
    tokio::spawn(kort_server::reload::watch(
        config.stories.clone(),
        stories.clone(),
        config.watch_interval,
        Some(loaded),
    ));
    let fetcher =
        kort_server::fetch::Fetcher::new(config.fetch.allow.clone(), config.fetch.limits.clone())
            .map_err(|error| kort_server::logging::chain(&error))?;
    tokio::spawn(
        kort_server::remote::Remotes::new(fetcher, config.stories.clone(), stories.clone()).run(),
    );
    let assets = kort_app::assets::Assets::load(&config.site_dir)?;
    let app = AppState::builder(stories)
        .stories_dir(&config.stories)
        .site_dir(&config.site_dir)
        .addr(config.addr)
        .site(config.site.clone())
        .basemap(Basemap::load(&config.site_dir.join("basemap")))
        .assets(assets)
        .desk(config.desk.clone())
        .store(store)
        .build()
        .into_router()
        // The desk counts failed sign-ins per address.
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", config.addr))?;
    tracing::info!(%config.addr, stories = ready, broken, "kort is serving on http://{}", config.addr);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|error| format!("server error: {error}"))
}

/// `kort user …`.
#[expect(
    clippy::print_stdout,
    reason = "`kort user` reports to its user on stdout"
)]
fn user(
    action: UserAction,
    desk: &DeskArgs,
    store: Option<&kort_server::postgres::StoreAddress>,
) -> ExitCode {
    let done = runtime().and_then(|runtime| {
        runtime.block_on(async {
            let kept = match store {
                Some(address) => users::Kept::Store(Box::new(
                    kort_server::postgres::PgStore::connect(address.expose())
                        .await
                        .map_err(|error| kort_server::logging::chain(&error))?,
                )),
                None => users::Kept::File(desk.users.clone()),
            };
            match action {
                UserAction::Add { name, role } => {
                    let password = read_password()?;
                    kept.add(&name, role, &password)
                        .await
                        .map(|()| println!("added {name} ({}) to {kept}", role.as_str()))
                }
                UserAction::List => kept.list().await.map(|accounts| {
                    for account in accounts {
                        println!("{}\t{}", account.name, account.role.as_str());
                    }
                }),
                UserAction::Remove { name } => kept
                    .remove(&name)
                    .await
                    .map(|()| println!("removed {name} from {kept}")),
                UserAction::Import => kept.import(&desk.users).await.map(|(added, kept_there)| {
                    println!(
                        "{added} accounts copied from {} to {kept}; {kept_there} it had already were left as they are",
                        desk.users.display()
                    );
                }),
            }
            .map_err(|error| error.to_string())
        })
    });
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kort user: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The new password: typed twice at a terminal, without echo, or the first
/// line of standard input.
fn read_password() -> Result<String, String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|error| error.to_string())?;
        let again = rpassword::prompt_password("Again: ").map_err(|error| error.to_string())?;
        if first != again {
            return Err("the two passwords differ; nothing was changed".into());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|error| format!("cannot read the password from standard input: {error}"))?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
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
