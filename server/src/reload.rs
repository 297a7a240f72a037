//! Stories change while kort runs: editors edit, add and delete story
//! folders. kort notices (it looks at the files every few seconds, and at
//! once on SIGHUP) and swaps in the new catalog atomically. An edit that
//! does not validate never replaces what readers see: the last good version
//! stays, and the problems are logged (and `kort check` shows them).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use kort_app::story::catalog::Reload;
use kort_app::story::{Catalog, Problem, Stories};

use crate::load;

/// Reads `dir` again and swaps the result in. Fails, changing nothing, when
/// the folder cannot be listed.
#[expect(
    clippy::result_large_err,
    reason = "called on reload only, never on a request"
)]
pub fn reload(dir: &Path, stories: &Stories) -> Result<Reload, Problem> {
    let fresh = load::catalog(dir)?;
    let (next, report) = Catalog::reloaded(&stories.snapshot(), fresh);
    for (slug, problems) in next.held() {
        for problem in problems {
            tracing::warn!(story = slug, %problem, "edit not applied; the last good version is still served");
        }
    }
    stories.replace(next);
    if !report.updated.is_empty() || !report.removed.is_empty() {
        tracing::info!(updated = ?report.updated, removed = ?report.removed, "stories reloaded");
    }
    for slug in &report.broken {
        tracing::warn!(
            story = slug,
            "new story not served: run `kort check` for details"
        );
    }
    Ok(report)
}

/// Watches `dir`: reloads whenever a file's size or modification time
/// changes (checked every `interval`), and at once on SIGHUP. Runs until the
/// task is dropped.
///
/// `loaded` is the [`fingerprint`] taken before the catalog being served
/// was read: an edit made since is noticed at the first look, and an
/// unchanged folder is not read a second time (for a story of 50,000
/// features that would double the memory for a moment, for nothing).
/// `None` reloads at the first look.
pub async fn watch(dir: PathBuf, stories: Stories, interval: Duration, loaded: Option<u64>) {
    let mut seen = loaded;
    #[cfg(unix)]
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        #[cfg(unix)]
        let forced = {
            let hangup_received = async {
                match hangup.as_mut() {
                    Some(signal) => signal.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = hangup_received => true,
                () = tokio::time::sleep(interval) => false,
            }
        };
        #[cfg(not(unix))]
        let forced = {
            tokio::time::sleep(interval).await;
            false
        };
        let now = Some(fingerprint(&dir));
        if forced || now != seen {
            seen = now;
            if let Err(problem) = reload(&dir, &stories) {
                tracing::error!(%problem, "stories not reloaded; the current ones are still served");
            }
        }
    }
}

/// A hash of every file's path, size and modification time under `dir`.
pub fn fingerprint(dir: &Path) -> u64 {
    let mut files = Vec::new();
    collect(dir, &mut files, 0);
    files.sort();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    files.hash(&mut hasher);
    hasher.finish()
}

/// Deep enough for `<slug>/layers/<file>`; deeper folders are not stories'.
const MAX_DEPTH: usize = 4;

fn collect(
    dir: &Path,
    files: &mut Vec<(PathBuf, u64, Option<std::time::SystemTime>)>,
    depth: usize,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            if depth < MAX_DEPTH {
                collect(&path, files, depth + 1);
            }
        } else {
            files.push((path, meta.len(), meta.modified().ok()));
        }
    }
}
