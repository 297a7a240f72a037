//! Logs: `tracing` lines on stderr, one per event, each inside its request's
//! span (so it carries the request id). An error is logged once, where it is
//! handled, with its whole cause chain ([`chain`]); a panic is logged like
//! an error, with where it happened.

use std::error::Error;
use std::fmt::Write as _;

use tracing_subscriber::EnvFilter;

/// Logs to stderr at `RUST_LOG`'s levels (default `info`), and routes
/// panics into the log.
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        let location = info
            .location()
            .map(|at| format!("{}:{}", at.file(), at.line()))
            .unwrap_or_default();
        tracing::error!(%location, "panic: {message}");
    }));
}

/// An error and every error under it, outermost first: "cannot listen on
/// 127.0.0.1:3000: Address already in use (os error 98)".
pub fn chain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let line = inner.to_string();
        // Some errors repeat their source in their own message.
        if !text.ends_with(&line) {
            let _ = write!(text, ": {line}");
        }
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read the layer file")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_chain_names_every_cause_once() {
        let error = Outer(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file",
        ));
        assert_eq!(chain(&error), "cannot read the layer file: no such file");
    }
}
