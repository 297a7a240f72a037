//! Remote layers: a story layer whose `remote.url` names data kept
//! elsewhere. The server fetches it on start and every
//! `remote.refresh_seconds`, asking only for what changed (ETag,
//! Last-Modified), through the same guarded client and the same checks as
//! `kort import`. A good copy is written atomically into the story folder
//! (the layer's `file`, by default `remote/<id>.geojson`) with a record of
//! where and when it was fetched, and the story is reloaded; so the copy
//! survives restarts. When the remote is down, slow, too large or sends
//! junk, the failure is logged and the last good copy stays served.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};

use kort_app::date::Day;
use kort_app::story::manifest::LayerEntry;
use kort_app::story::mapping;
use kort_app::story::{Entry, REMOTE_MEMBER, Stories};

use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::import::formats::{self, Format};
use crate::import::{ProblemList, SkippedList};
use crate::load;
use crate::store::write_atomically;

/// What a refresh of one layer came to.
#[derive(Debug)]
pub enum Outcome {
    /// The remote answered 304: the copy kept is current.
    Unchanged,
    /// A new copy was written, with this many features; some may have been
    /// skipped.
    Updated { features: usize, skipped: usize },
}

/// Why a refresh changed nothing. The last good copy is still served.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{url} sent {content_type:?}, which is none of GeoJSON, NDJSON or CSV")]
    Format { url: String, content_type: String },
    #[error("{url} {message}")]
    Unreadable { url: String, message: String },
    #[error("{url}: no feature passed the story's checks; the last good copy is kept{skipped}")]
    Nothing { url: String, skipped: SkippedList },
    #[error(
        "{url}: the story's own files have problems, so the layer cannot be checked:{problems}"
    )]
    Story { url: String, problems: ProblemList },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Keeps every remote layer of the served stories fresh.
pub struct Remotes {
    fetcher: Fetcher,
    stories_dir: PathBuf,
    stories: Stories,
    /// When each layer (by story and layer id) is due again.
    due: HashMap<(String, String), Instant>,
}

/// A failed refresh is tried again after this long, or the layer's own
/// interval if that is shorter.
const RETRY: Duration = Duration::from_mins(1);

impl Remotes {
    pub fn new(fetcher: Fetcher, stories_dir: PathBuf, stories: Stories) -> Self {
        Self {
            fetcher,
            stories_dir,
            stories,
            due: HashMap::new(),
        }
    }

    /// Refreshes every remote layer whose time has come (all of them on the
    /// first call), logging each outcome. Returns what happened, by story
    /// and layer.
    pub async fn refresh_due(&mut self) -> Vec<(String, String, Result<Outcome, RemoteError>)> {
        let now = Instant::now();
        let catalog = self.stories.snapshot();
        let mut layers = Vec::new();
        for (slug, entry) in catalog.entries() {
            if let Entry::Ready(loaded) = entry {
                for layer in &loaded.story.manifest.layers {
                    if let Some(remote) = &layer.remote {
                        let key = (slug.to_owned(), layer.id.clone());
                        if self.due.get(&key).is_none_or(|due| *due <= now) {
                            layers.push((key, layer.clone(), remote.refresh_seconds));
                        }
                    }
                }
            }
        }
        let mut outcomes = Vec::new();
        for ((slug, id), layer, refresh_seconds) in layers {
            let outcome = self.refresh(&slug, &layer).await;
            let interval = Duration::from_secs(refresh_seconds);
            let next = match &outcome {
                Ok(Outcome::Updated { features, skipped }) => {
                    tracing::info!(
                        story = slug,
                        layer = id,
                        features,
                        skipped,
                        "remote layer updated"
                    );
                    interval
                }
                Ok(Outcome::Unchanged) => {
                    tracing::debug!(story = slug, layer = id, "remote layer unchanged");
                    interval
                }
                Err(error) => {
                    tracing::warn!(
                        story = slug,
                        layer = id,
                        error = crate::logging::chain(error),
                        "remote layer not refreshed; the last good copy is served"
                    );
                    interval.min(RETRY)
                }
            };
            self.due
                .insert((slug.clone(), id.clone()), Instant::now() + next);
            outcomes.push((slug, id, outcome));
        }
        if outcomes
            .iter()
            .any(|(_, _, outcome)| matches!(outcome, Ok(Outcome::Updated { .. })))
            && let Err(problem) = crate::reload::reload(&self.stories_dir, &self.stories)
        {
            tracing::error!(%problem, "stories not reloaded after a remote layer changed");
        }
        outcomes
    }

    /// Fetches one remote layer and, if it changed and passes the checks,
    /// writes the new copy.
    pub async fn refresh(&self, slug: &str, layer: &LayerEntry) -> Result<Outcome, RemoteError> {
        let Some(remote) = &layer.remote else {
            return Ok(Outcome::Unchanged);
        };
        let url = remote.url.clone();
        let folder = self.stories_dir.join(slug);
        let copy = folder.join(&layer.file);
        let known = kept_validators(&copy, &url);
        let accept = Format::any_content_type();
        let (bytes, content_type, validators) =
            match self.fetcher.get(&url, &known, &accept).await? {
                Fetched::NotModified => return Ok(Outcome::Unchanged),
                Fetched::Body {
                    bytes,
                    content_type,
                    validators,
                } => (bytes, content_type, validators),
            };
        let format =
            Format::from_content_type(&content_type).ok_or_else(|| RemoteError::Format {
                url: url.clone(),
                content_type: content_type.clone(),
            })?;
        let mapping = layer.mapping.clone().unwrap_or_default();
        let (foreign, mut skipped) =
            formats::read(&bytes, format, &mapping).map_err(|message| RemoteError::Unreadable {
                url: url.clone(),
                message,
            })?;
        let candidates = mapping.apply_all(&layer.id, &foreign, &mut skipped);
        let had_features = !foreign.is_empty();
        let admitted = mapping::admit(
            slug,
            &folder.display().to_string(),
            &mut |name| load::read(&folder, name),
            &[],
            &layer.file,
            candidates,
            skipped,
        )
        .map_err(|problems| RemoteError::Story {
            url: url.clone(),
            problems: ProblemList(problems),
        })?;
        if admitted.kept == 0 && had_features {
            return Err(RemoteError::Nothing {
                url,
                skipped: SkippedList(admitted.skipped),
            });
        }
        let mut collection = admitted.collection;
        collection[REMOTE_MEMBER] = json!({
            "url": url,
            "fetched": rfc3339(SystemTime::now()),
            "etag": validators.etag,
            "last_modified": validators.last_modified,
            "skipped": admitted.skipped.len(),
        });
        let mut text = serde_json::to_string_pretty(&collection).unwrap_or_default();
        text.push('\n');
        write_atomically(&copy, text.as_bytes()).map_err(|source| RemoteError::Write {
            path: copy.clone(),
            source,
        })?;
        Ok(Outcome::Updated {
            features: admitted.kept,
            skipped: admitted.skipped.len(),
        })
    }

    /// Refreshes for as long as the server runs, looking every second for
    /// layers that are due.
    pub async fn run(mut self) {
        loop {
            self.refresh_due().await;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// The validators of the copy kept, if it was fetched from `url`.
fn kept_validators(copy: &Path, url: &str) -> Validators {
    let Ok(text) = std::fs::read_to_string(copy) else {
        return Validators::default();
    };
    let Ok(root) = serde_json::from_str::<Value>(&text) else {
        return Validators::default();
    };
    let member = &root[REMOTE_MEMBER];
    if member["url"].as_str() != Some(url) {
        return Validators::default();
    }
    let text = |key: &str| member[key].as_str().map(str::to_owned);
    Validators {
        etag: text("etag"),
        last_modified: text("last_modified"),
    }
}

/// `2026-11-25T03:40:12Z`: a time as RFC 3339, in UTC.
pub fn rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let day = Day::from_ordinal(i64::try_from(seconds / 86_400).unwrap_or(0));
    let rest = seconds % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(
        clippy::duration_suboptimal_units,
        reason = "Unix times are counted in seconds"
    )]
    fn times_are_written_as_rfc_3339_in_utc() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let strike = SystemTime::UNIX_EPOCH + Duration::from_secs(1_504_089_000);
        assert_eq!(rfc3339(strike), "2017-08-30T10:30:00Z");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00Z");
    }
}
