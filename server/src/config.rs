//! Settings, from flags or the environment (clap's `env`), with defaults
//! that run the seed story. `kort serve --help` lists each with its
//! variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use kort_app::model::{Site, TileSource};

use crate::fetch::{AllowList, Limits};

/// The settings of `kort serve`, as given.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(
        long,
        env = "KORT_ADDR",
        value_name = "KORT_ADDR",
        default_value = "127.0.0.1:3000"
    )]
    pub addr: SocketAddr,
    /// The folder of story folders.
    #[arg(
        long,
        env = "KORT_DATA",
        value_name = "KORT_DATA",
        default_value = "data/stories"
    )]
    pub data: PathBuf,
    /// The built static site (`cargo xtask build`).
    #[arg(
        long,
        env = "KORT_SITE",
        value_name = "KORT_SITE",
        default_value = "target/site"
    )]
    pub site: PathBuf,
    /// The public origin, for canonical links, social previews and oEmbed
    /// (default `http://<KORT_ADDR>`).
    #[arg(long, env = "KORT_PUBLIC_URL", value_name = "KORT_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// Raster tiles under the story layers, `http(s)://…/{z}/{x}/{y}.png`
    /// (unset: the offline basemap); needs `KORT_TILE_ATTRIBUTION`.
    #[arg(long, env = "KORT_TILE_URL", value_name = "KORT_TILE_URL", value_parser = tile_url)]
    pub tile_url: Option<String>,
    /// The credit the tile server asks for.
    #[arg(
        long,
        env = "KORT_TILE_ATTRIBUTION",
        value_name = "KORT_TILE_ATTRIBUTION"
    )]
    pub tile_attribution: Option<String>,
    /// Where readers write to about the stories (corrections, tips): an
    /// e-mail or web address, shown in every page's footer.
    #[arg(long, env = "KORT_CONTACT", value_name = "KORT_CONTACT", value_parser = contact)]
    pub contact: Option<String>,
    /// How often the story files are looked at for edits, in seconds
    /// (SIGHUP reloads at once).
    #[arg(long, env = "KORT_WATCH_SECONDS", value_name = "KORT_WATCH_SECONDS", default_value = "2", value_parser = watch_interval)]
    pub watch_seconds: Duration,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub desk: DeskArgs,
    #[command(flatten)]
    pub files: FileArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// The store several instances share, for `kort serve` and `kort user`.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The store the published stories, the drafts and the desk's accounts
    /// and sessions are shared through by every instance:
    /// `postgres://user:password@host:port/database` (unset: the files
    /// alone). `KORT_DATA` and `KORT_DRAFTS` then hold this instance's
    /// copies, and `KORT_USERS` is not read.
    #[arg(long = "store", env = "KORT_STORE", value_name = "KORT_STORE", hide_env_values = true, value_parser = crate::postgres::StoreAddress::parse)]
    pub address: Option<crate::postgres::StoreAddress>,
}

/// How large a story file may be, shared by `kort serve`, `kort check` and
/// `kort import`: they must agree on what a valid story is.
#[derive(Debug, Clone, clap::Args)]
pub struct FileArgs {
    /// The largest story file (a layer, an article) read, imported or
    /// uploaded, in megabytes (1 to 4096). A layer of a million events is
    /// about 220.
    #[arg(long, env = "KORT_MAX_FILE_MB", value_name = "KORT_MAX_FILE_MB", default_value_t = crate::load::DEFAULT_MAX_FILE_MB, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_file_mb: u64,
}

impl FileArgs {
    /// Makes this the limit of every story file read from now on.
    pub fn apply(&self) {
        crate::load::set_max_file_mb(self.max_file_mb);
    }
}

/// Where the desk keeps its files, shared by `kort serve` and `kort user`.
#[derive(Debug, Clone, clap::Args)]
pub struct DeskArgs {
    /// The desk's accounts (made with `kort user add`); outside every story
    /// folder, and served by no URL.
    #[arg(
        long,
        env = "KORT_USERS",
        value_name = "KORT_USERS",
        default_value = "data/users.toml"
    )]
    pub users: PathBuf,
    /// The desk's drafts, one story folder each, apart from the published
    /// stories (`KORT_DATA`).
    #[arg(
        long,
        env = "KORT_DRAFTS",
        value_name = "KORT_DRAFTS",
        default_value = "data/drafts"
    )]
    pub drafts: PathBuf,
}

/// The fetch settings, shared by `kort serve` and `kort import`.
#[derive(Debug, Clone, clap::Args)]
pub struct FetchArgs {
    /// Non-public addresses remote layers may be fetched from, as CIDR
    /// blocks, comma- or space-separated (an intranet's; none by default).
    #[arg(long = "allow", env = "KORT_FETCH_ALLOW", value_name = "KORT_FETCH_ALLOW", value_parser = AllowList::parse)]
    pub allow: Vec<AllowList>,
    /// The longest a fetch may take, in seconds (1 to 600).
    #[arg(long, env = "KORT_FETCH_TIMEOUT_SECONDS", value_name = "KORT_FETCH_TIMEOUT_SECONDS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub fetch_timeout_seconds: u64,
    /// The largest answer a fetch reads, in megabytes (1 to 1024).
    #[arg(long, env = "KORT_FETCH_MAX_MB", value_name = "KORT_FETCH_MAX_MB", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub fetch_max_mb: u64,
}

/// Where kort listens and what it serves.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// One folder per story.
    pub stories: PathBuf,
    /// The built static site.
    pub site_dir: PathBuf,
    /// The public URL, and the raster tiles under the story layers (`None`:
    /// the offline basemap).
    pub site: Site,
    /// How often the story files are looked at for edits.
    pub watch_interval: Duration,
    /// What remote layers may be fetched from, and how much.
    pub fetch: FetchConfig,
    /// The desk's files.
    pub desk: crate::desk::DeskConfig,
    /// The store shared with other instances, if any.
    pub store: Option<crate::postgres::StoreAddress>,
}

/// The fetch settings; see [`Config::fetch`].
#[derive(Debug, Clone, Default)]
pub struct FetchConfig {
    pub allow: AllowList,
    pub limits: Limits,
}

/// Settings that each read well but do not go together.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("KORT_TILE_URL is set but KORT_TILE_ATTRIBUTION is not; tiles must be credited")]
    TileAttribution,
}

impl TryFrom<ServeArgs> for Config {
    type Error = ConfigError;

    fn try_from(args: ServeArgs) -> Result<Self, ConfigError> {
        let tiles = match args.tile_url.filter(|url| !url.is_empty()) {
            Some(url) => Some(TileSource {
                url,
                attribution: args
                    .tile_attribution
                    .filter(|credit| !credit.trim().is_empty())
                    .ok_or(ConfigError::TileAttribution)?,
            }),
            None => None,
        };
        let public_url = args
            .public_url
            .unwrap_or_else(|| format!("http://{}", args.addr));
        Ok(Self {
            addr: args.addr,
            stories: args.data.clone(),
            site_dir: args.site,
            site: Site {
                public_url,
                tiles,
                contact: args.contact,
            },
            watch_interval: args.watch_seconds,
            fetch: args.fetch.into(),
            desk: crate::desk::DeskConfig {
                users: args.desk.users,
                drafts: args.desk.drafts,
                published: args.data.clone(),
            },
            store: args.store.address,
        })
    }
}

impl From<FetchArgs> for FetchConfig {
    fn from(args: FetchArgs) -> Self {
        let mut allow = AllowList::default();
        for blocks in args.allow {
            allow.extend(blocks);
        }
        Self {
            allow,
            limits: Limits {
                timeout: Duration::from_secs(args.fetch_timeout_seconds),
                max_bytes: args.fetch_max_mb * 1024 * 1024,
            },
        }
    }
}

/// `KORT_PUBLIC_URL`: a web address, kept without a trailing slash.
fn public_url(value: &str) -> Result<String, String> {
    if kort_app::links::is_web_url(value) {
        Ok(value.trim_end_matches('/').to_owned())
    } else {
        Err("not a web address; expected e.g. https://kort.example.org".into())
    }
}

/// `KORT_CONTACT`: an e-mail address (kept as a `mailto:` link) or a web
/// address.
fn contact(value: &str) -> Result<String, String> {
    let value = value.trim();
    if kort_app::links::is_web_url(value) {
        return Ok(value.to_owned());
    }
    let address = value.strip_prefix("mailto:").unwrap_or(value);
    match address.split_once('@') {
        Some((user, host))
            if !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && address
                    .chars()
                    .all(|c| c.is_alphanumeric() || "@.+-_".contains(c)) =>
        {
            Ok(format!("mailto:{address}"))
        }
        _ => Err(
            "neither an e-mail nor a web address; expected e.g. corrections@example.org or https://example.org/contact"
                .into(),
        ),
    }
}

/// `KORT_TILE_URL`: a templated web address; empty means none.
fn tile_url(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Ok(String::new());
    }
    let templated = ["{z}", "{x}", "{y}"]
        .iter()
        .all(|part| value.contains(part));
    if templated && kort_app::links::is_web_url(value) {
        Ok(value.to_owned())
    } else {
        Err("not a tile URL; expected http(s)://…/{z}/{x}/{y}.png".into())
    }
}

/// `KORT_WATCH_SECONDS`: seconds between 0.1 and 3600.
fn watch_interval(value: &str) -> Result<Duration, String> {
    match value.trim().parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && (0.1..=3600.0).contains(&seconds) => {
            Ok(Duration::from_secs_f64(seconds))
        }
        _ => Err("not a usable interval; expected seconds between 0.1 and 3600".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    fn config(flags: &[&str]) -> Result<Config, String> {
        let args = Serve::try_parse_from(std::iter::once("kort").chain(flags.iter().copied()))
            .map_err(|error| error.to_string())?
            .args;
        Config::try_from(args).map_err(|error| error.to_string())
    }

    #[test]
    fn the_defaults_run_the_seed_story() {
        // The test runner's environment sets none of kort's variables.
        let config = config(&[]).expect("defaults");
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.stories, PathBuf::from("data/stories"));
        assert_eq!(config.site.public_url, "http://127.0.0.1:3000");
        assert_eq!(config.site.tiles, None);
        assert_eq!(config.watch_interval, Duration::from_secs(2));
        assert_eq!(config.fetch.limits.max_bytes, 20 * 1024 * 1024);
    }

    #[test]
    fn tiles_need_a_template_and_a_credit() {
        let url = "https://tiles.example.org/{z}/{x}/{y}.png";
        let ok = config(&["--tile-url", url, "--tile-attribution", "© Example"]).expect("valid");
        assert_eq!(
            ok.site.tiles.map(|tiles| tiles.attribution).as_deref(),
            Some("© Example")
        );
        let uncredited = config(&["--tile-url", url]).expect_err("no credit");
        assert!(uncredited.contains("KORT_TILE_ATTRIBUTION"), "{uncredited}");
        for bad in [
            "https://tiles.example.org/tile.png",
            "javascript:alert(1)//{z}{x}{y}",
        ] {
            let error = config(&["--tile-url", bad, "--tile-attribution", "x"]).expect_err(bad);
            assert!(
                error.contains("KORT_TILE_URL") && error.contains("{z}/{x}/{y}"),
                "{error}"
            );
        }
        assert_eq!(
            config(&["--tile-url", " "]).expect("empty").site.tiles,
            None
        );
    }

    #[test]
    fn a_contact_is_an_e_mail_or_a_web_address() {
        let contact = |value: &str| config(&["--contact", value]).map(|c| c.site.contact);
        assert_eq!(
            contact("corrections@example.org").expect("e-mail"),
            Some("mailto:corrections@example.org".into())
        );
        assert_eq!(
            contact("mailto:tips@example.org").expect("mailto"),
            Some("mailto:tips@example.org".into())
        );
        assert_eq!(
            contact("https://example.org/contact").expect("web"),
            Some("https://example.org/contact".into())
        );
        for bad in [
            "javascript:alert(1)",
            "a@b",
            "@example.org",
            "x@example.org?cc=y@z.org",
            "<a@b.org>",
        ] {
            assert!(contact(bad).is_err(), "{bad}");
        }
        assert_eq!(config(&[]).expect("defaults").site.contact, None);
    }

    #[test]
    fn each_bad_setting_is_named_with_what_was_expected() {
        for (flags, named, expected) in [
            (&["--addr", "here"][..], "KORT_ADDR", "socket address"),
            (
                &["--watch-seconds", "0"][..],
                "KORT_WATCH_SECONDS",
                "between 0.1 and 3600",
            ),
            (
                &["--public-url", "kort.example.org"][..],
                "KORT_PUBLIC_URL",
                "https://",
            ),
            (
                &["--allow", "intranet"][..],
                "KORT_FETCH_ALLOW",
                "10.0.0.0/8",
            ),
            (
                &["--fetch-max-mb", "0"][..],
                "KORT_FETCH_MAX_MB",
                "1..=1024",
            ),
            (
                &["--contact", "write to us"][..],
                "KORT_CONTACT",
                "corrections@example.org",
            ),
        ] {
            let error = config(flags).expect_err(named);
            assert!(
                error.contains(named) && error.contains(expected),
                "{flags:?}: {error}"
            );
        }
        let allowed =
            config(&["--allow", "10.1.0.0/16 127.0.0.1", "--allow", "fd00::/8"]).expect("blocks");
        assert!(
            allowed
                .fetch
                .allow
                .contains("127.0.0.1".parse().expect("address"))
        );
        assert!(
            allowed
                .fetch
                .allow
                .contains("fd00::1".parse().expect("address"))
        );
    }
}
