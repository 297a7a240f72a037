//! Settings from the environment, with defaults that run the seed story.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Where kort listens and what it serves.
#[derive(Debug, Clone)]
pub struct Config {
    /// `KORT_ADDR`, default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `KORT_DATA`, default `data/stories`: one folder per story.
    pub stories: PathBuf,
    /// `KORT_SITE`, default `target/site`: the built static site (`cargo xtask build`).
    pub site: PathBuf,
}

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("KORT_ADDR={value:?} is not a socket address; expected e.g. 127.0.0.1:3000")]
    Addr {
        value: String,
        #[source]
        source: std::net::AddrParseError,
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
        Ok(Self {
            addr,
            stories: path("KORT_DATA", "data/stories"),
            site: path("KORT_SITE", "target/site"),
        })
    }
}
