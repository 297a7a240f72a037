//! Settings from the environment, with defaults that run the seed story.

use std::net::SocketAddr;
use std::path::PathBuf;

use kort_app::model::{Site, TileSource};

use crate::fetch::{AllowList, Limits};

/// Where kort listens and what it serves.
#[derive(Debug, Clone)]
pub struct Config {
    /// `KORT_ADDR`, default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `KORT_DATA`, default `data/stories`: one folder per story.
    pub stories: PathBuf,
    /// `KORT_SITE`, default `target/site`: the built static site (`cargo xtask build`).
    pub site_dir: PathBuf,
    /// `KORT_PUBLIC_URL` (default `http://<KORT_ADDR>`), and
    /// `KORT_TILE_URL` with `KORT_TILE_ATTRIBUTION` for raster tiles under
    /// the story layers (unset: the offline basemap).
    pub site: Site,
    /// `KORT_WATCH_SECONDS`, default 2: how often the story files are
    /// looked at for edits (SIGHUP reloads at once).
    pub watch_interval: std::time::Duration,
    /// What remote layers may be fetched from: `KORT_FETCH_ALLOW` (CIDR
    /// blocks of non-public addresses allowed, e.g. an intranet's; none by
    /// default), `KORT_FETCH_TIMEOUT_SECONDS` (default 20) and
    /// `KORT_FETCH_MAX_MB` (default 20).
    pub fetch: FetchConfig,
}

/// The fetch settings; see [`Config::fetch`].
#[derive(Debug, Clone, Default)]
pub struct FetchConfig {
    pub allow: AllowList,
    pub limits: Limits,
}

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error(
        "KORT_WATCH_SECONDS={0:?} is not a usable interval; expected seconds between 0.1 and 3600"
    )]
    WatchInterval(String),
    #[error("KORT_ADDR={value:?} is not a socket address; expected e.g. 127.0.0.1:3000")]
    Addr {
        value: String,
        #[source]
        source: std::net::AddrParseError,
    },
    #[error("KORT_TILE_URL={0:?} is not a tile URL; expected http(s)://…/{{z}}/{{x}}/{{y}}.png")]
    TileUrl(String),
    #[error("KORT_TILE_URL is set but KORT_TILE_ATTRIBUTION is not; tiles must be credited")]
    TileAttribution,
    #[error("KORT_PUBLIC_URL={0:?} is not a web address; expected e.g. https://kort.example.org")]
    PublicUrl(String),
    #[error("KORT_FETCH_ALLOW: {0}")]
    FetchAllow(String),
    #[error("{key}={value:?} is not usable; expected a number from 1 to {max}")]
    FetchLimit {
        key: &'static str,
        value: String,
        max: u64,
    },
}

impl Config {
    /// Reads the settings from the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let addr = match std::env::var("KORT_ADDR") {
            Ok(value) => value
                .parse()
                .map_err(|source| ConfigError::Addr { value, source })?,
            Err(_) => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };
        let path = |key: &str, default: &str| {
            std::env::var_os(key).map_or_else(|| PathBuf::from(default), PathBuf::from)
        };
        let tiles = match std::env::var("KORT_TILE_URL") {
            Ok(url) if !url.trim().is_empty() => Some(tile_source(
                url,
                std::env::var("KORT_TILE_ATTRIBUTION").ok(),
            )?),
            _ => None,
        };
        let public_url = match std::env::var("KORT_PUBLIC_URL") {
            Ok(url) if kort_app::links::is_web_url(&url) => url.trim_end_matches('/').to_owned(),
            Ok(url) => return Err(ConfigError::PublicUrl(url)),
            Err(_) => format!("http://{addr}"),
        };
        let watch_interval = match std::env::var("KORT_WATCH_SECONDS") {
            Ok(value) => match value.trim().parse::<f64>() {
                Ok(seconds) if seconds.is_finite() && (0.1..=3600.0).contains(&seconds) => {
                    std::time::Duration::from_secs_f64(seconds)
                }
                _ => return Err(ConfigError::WatchInterval(value)),
            },
            Err(_) => std::time::Duration::from_secs(2),
        };
        let fetch = FetchConfig::from_env()?;
        Ok(Self {
            fetch,
            addr,
            stories: path("KORT_DATA", "data/stories"),
            site_dir: path("KORT_SITE", "target/site"),
            site: Site { public_url, tiles },
            watch_interval,
        })
    }
}

impl FetchConfig {
    /// Reads `KORT_FETCH_ALLOW`, `KORT_FETCH_TIMEOUT_SECONDS` and `KORT_FETCH_MAX_MB`.
    pub fn from_env() -> Result<Self, ConfigError> {
        let allow = AllowList::parse(&std::env::var("KORT_FETCH_ALLOW").unwrap_or_default())
            .map_err(ConfigError::FetchAllow)?;
        let number = |key: &'static str, default: u64, max: u64| match std::env::var(key) {
            Ok(value) => match value.trim().parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ConfigError::FetchLimit { key, value, max }),
            },
            Err(_) => Ok(default),
        };
        Ok(Self {
            allow,
            limits: Limits {
                timeout: std::time::Duration::from_secs(number(
                    "KORT_FETCH_TIMEOUT_SECONDS",
                    20,
                    600,
                )?),
                max_bytes: number("KORT_FETCH_MAX_MB", 20, 1024)? * 1024 * 1024,
            },
        })
    }
}

/// Checks a tile server setting.
fn tile_source(url: String, attribution: Option<String>) -> Result<TileSource, ConfigError> {
    let templated = ["{z}", "{x}", "{y}"].iter().all(|part| url.contains(part));
    if !templated || !kort_app::links::is_web_url(&url) {
        return Err(ConfigError::TileUrl(url));
    }
    let attribution = attribution
        .filter(|a| !a.trim().is_empty())
        .ok_or(ConfigError::TileAttribution)?;
    Ok(TileSource { url, attribution })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_need_a_template_and_a_credit() {
        let url = "https://tiles.example.org/{z}/{x}/{y}.png".to_owned();
        let ok = tile_source(url.clone(), Some("© Example".into())).expect("valid");
        assert_eq!(ok.attribution, "© Example");
        assert!(matches!(
            tile_source(url, None),
            Err(ConfigError::TileAttribution)
        ));
        let no_template = tile_source(
            "https://tiles.example.org/tile.png".into(),
            Some("x".into()),
        );
        assert!(matches!(no_template, Err(ConfigError::TileUrl(_))));
        let script = tile_source("javascript:alert(1)//{z}{x}{y}".into(), Some("x".into()));
        assert!(matches!(script, Err(ConfigError::TileUrl(_))));
    }
}
