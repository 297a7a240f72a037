//! PostgreSQL as the store of the published stories, for kort on more than
//! one machine (`KORT_STORE=postgres://…`), and of the desk's drafts,
//! accounts, sessions and refused saves (their use is in `desk`).
//!
//! A story is kept as the files of its folder, byte for byte: the same
//! files `kort check` reads on disk, so `kort store copy` takes a stories
//! folder into the store and back unchanged, and everything that reads a
//! story folder (validation, history, revisions, media) reads it as it
//! always has. Each instance keeps a copy of the store in its own stories
//! folder (`KORT_DATA`), serves readers from its catalog as before, and
//! follows the store:
//!
//! - at start, and whenever it reconnects, it brings every story whose
//!   version differs from its copy's ([`pull_all`]);
//! - a write (a publish on the desk, `kort store copy`) raises the story's
//!   version and announces the slug on the channel [`CHANNEL`], in the
//!   transaction that writes the files, so a reader of the store sees all
//!   of a version or none of it; every instance listening brings that
//!   story and reloads ([`follow`]);
//! - while the database is away, readers are served from the last copy;
//!   the connection is tried again every [`RETRY`], and what changed
//!   meanwhile is brought on reconnecting.
//!
//! The versions each story folder holds are listed in the stories folder's
//! hidden file [`COPIES`]; story folders not listed there (made by hand on
//! this machine) are left alone.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr as _;
use std::time::Duration;

use kort_app::story::{Stories, valid_id};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};

use crate::desk::folders::{self, Start};
use crate::desk::users::{Role, User};

/// The channel writes are announced on; the payload is the story's slug.
pub const CHANNEL: &str = "kort_stories";
/// The hidden file of a stories folder that lists each copied story's version.
pub const COPIES: &str = ".kort-store.toml";
/// How long a lost connection waits before it is tried again.
pub const RETRY: Duration = Duration::from_secs(1);
/// Connections each instance holds at most: reads of whole stories are
/// rare (a start, a publish), so a few do.
const MAX_CONNECTIONS: u32 = 4;

/// What went wrong with the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error(
        "KORT_STORE is not a PostgreSQL address ({0}); expected postgres://user:password@host:port/database"
    )]
    Address(String),
    #[error("the store ({at}) cannot be reached: {source}")]
    Unreachable {
        at: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("the store's tables could not be set up: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the store failed: {0}")]
    Query(#[from] sqlx::Error),
    #[error(
        "{slug}: the store holds a file named {path:?}; expected a path inside the story folder"
    )]
    BadPath { slug: String, path: String },
    #[error("{0}: not a story slug; expected lowercase letters, digits and hyphens")]
    BadSlug(String),
    #[error(
        "{from} and {to} are both folders; expected one of them to be a store, postgres://user:password@host:port/database"
    )]
    NoStore { from: String, to: String },
    #[error("{path}: {source}")]
    Disk {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn disk(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Disk {
        path: path.to_path_buf(),
        source,
    }
}

/// A story's files: paths relative to its folder, with their bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// The store: a pool of connections to one PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    options: PgConnectOptions,
}

impl std::fmt::Debug for PgStore {
    /// The address without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&shown(&self.options))
    }
}

/// Where a store is, for logs and messages: host, port and database,
/// never the password.
fn shown(options: &PgConnectOptions) -> String {
    format!(
        "postgres://{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or_default()
    )
}

/// `KORT_STORE`: the address of a store, with its password, which is
/// never shown (`Debug` gives host, port and database only).
#[derive(Clone)]
pub struct StoreAddress(String);

impl StoreAddress {
    /// Reads `KORT_STORE`, or says what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        if is_address(text) && PgConnectOptions::from_str(text).is_ok() {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "{} is not a PostgreSQL address; expected postgres://user:password@host:port/database",
                redacted(text)
            ))
        }
    }

    /// The address, password and all, for connecting.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for StoreAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redacted(&self.0))
    }
}

/// Whether `text` names a PostgreSQL store rather than a folder.
pub fn is_address(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

impl PgStore {
    /// The store at `url`, connected to when first used: a server starts
    /// (and serves its last copy) while the database is away.
    pub fn lazy(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| StoreError::Address(redacted(url)))?
            .application_name("kort");
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(5))
            .connect_lazy_with(options.clone());
        Ok(Self { pool, options })
    }

    /// Connects to the store at `url` and brings its tables up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let store = Self::lazy(url)?;
        store.ready().await?;
        Ok(store)
    }

    /// Brings the store's tables up to date (the migrations in
    /// `server/migrations`, each run once, by one instance at a time).
    pub async fn ready(&self) -> Result<(), StoreError> {
        let mut connection =
            self.pool
                .acquire()
                .await
                .map_err(|source| StoreError::Unreachable {
                    at: shown(&self.options),
                    source,
                })?;
        // `run_direct` on the connection: `run`, generic over `Acquire`,
        // makes a future rustc cannot show `Send` for every lifetime.
        sqlx::migrate!("./migrations")
            .run_direct(&mut *connection)
            .await?;
        Ok(())
    }

    /// Every story in the store, with its version.
    pub async fn versions(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT slug, version FROM stories")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The version of the story `slug` in the store, if it holds it.
    pub async fn version(&self, slug: &str) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT version FROM stories WHERE slug = $1")
            .bind(slug.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(version,)| version))
    }

    /// The story `slug` as the store holds it now, with its version; `None`
    /// if it holds no such story. One statement: one version, whole.
    pub async fn story(&self, slug: &str) -> Result<Option<(i64, Files)>, StoreError> {
        let rows: Vec<(i64, Option<String>, Option<Vec<u8>>)> = sqlx::query_as(
            "SELECT s.version, f.path, f.content FROM stories s \
             LEFT JOIN story_files f ON f.slug = s.slug WHERE s.slug = $1 ORDER BY f.path",
        )
        // Owned: a query that borrows its arguments makes a future rustc
        // cannot show `Send` for every lifetime (launchbadge/sqlx#1636),
        // and this one runs in the spawned follower.
        .bind(slug.to_owned())
        .fetch_all(&self.pool)
        .await?;
        let Some(version) = rows.first().map(|row| row.0) else {
            return Ok(None);
        };
        let files = rows
            .into_iter()
            .filter_map(|(_, path, content)| Some((path?, content?)))
            .collect();
        Ok(Some((version, files)))
    }

    /// Writes `files` as the story `slug`, replacing whatever the store
    /// held of it, and announces it: all in one transaction. Returns its
    /// new version.
    pub async fn put(&self, slug: &str, files: &[(String, Vec<u8>)]) -> Result<i64, StoreError> {
        if !valid_id(slug) {
            return Err(StoreError::BadSlug(slug.to_owned()));
        }
        for (path, _) in files {
            checked_path(slug, path)?;
        }
        let mut transaction = self.pool.begin().await?;
        let version = write_story(&mut transaction, slug, files).await?;
        transaction.commit().await?;
        Ok(version)
    }
}

/// Removes the published story `slug` in `transaction`, and announces it.
async fn remove_story(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    slug: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM stories WHERE slug = $1")
        .bind(slug)
        .execute(&mut **transaction)
        .await?;
    announce(transaction, slug).await
}

/// Writes `files` as the published story `slug` in `transaction`,
/// replacing whatever the store held of it, and announces it; returns its
/// new version.
async fn write_story(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    slug: &str,
    files: &[(String, Vec<u8>)],
) -> Result<i64, StoreError> {
    let version = new_story_version(transaction, slug).await?;
    for (path, content) in files {
        sqlx::query("INSERT INTO story_files (slug, path, content) VALUES ($1, $2, $3)")
            .bind(slug)
            .bind(path)
            .bind(content)
            .execute(&mut **transaction)
            .await?;
    }
    announce(transaction, slug).await?;
    Ok(version)
}

/// Publishes the draft of `slug` as the store holds it in `transaction`
/// (its files, written there already), and announces it; returns the
/// story's new version.
async fn publish_draft(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    slug: &str,
) -> Result<i64, StoreError> {
    let version = new_story_version(transaction, slug).await?;
    sqlx::query(
        "INSERT INTO story_files (slug, path, content) \
         SELECT slug, path, content FROM draft_files WHERE slug = $1",
    )
    .bind(slug)
    .execute(&mut **transaction)
    .await?;
    announce(transaction, slug).await?;
    Ok(version)
}

/// Raises the version of the published story `slug` (or makes it, at 1)
/// and clears its files, in `transaction`; returns the new version.
async fn new_story_version(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    slug: &str,
) -> Result<i64, StoreError> {
    let (version,): (i64,) = sqlx::query_as(
        "INSERT INTO stories (slug, version) VALUES ($1, 1) \
         ON CONFLICT (slug) DO UPDATE SET version = stories.version + 1, updated_at = now() \
         RETURNING version",
    )
    .bind(slug)
    .fetch_one(&mut **transaction)
    .await?;
    sqlx::query("DELETE FROM story_files WHERE slug = $1")
        .bind(slug)
        .execute(&mut **transaction)
        .await?;
    Ok(version)
}

/// Announces a write of `slug` on [`CHANNEL`], when `transaction` commits
/// (PostgreSQL delivers a notification only then, and only once).
async fn announce(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    slug: &str,
) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(slug)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// A change to a draft, as [`PgStore::save_draft`] writes it.
pub struct DraftChange<'a> {
    /// The version of the draft the change was made from; `None` for a
    /// draft the store does not hold yet.
    pub from: Option<i64>,
    /// The files written or changed, with their bytes (every file, for a
    /// draft new to the store).
    pub written: Files,
    /// The files removed.
    pub removed: Vec<String>,
    /// The desk's record of the story, as TOML.
    pub record: &'a str,
    /// What the change does to the published story.
    pub published: Publication,
}

/// What a change to a draft does to the published story, in the same
/// transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    Unchanged,
    /// Publishes the draft as it is after the change.
    Publish,
    /// Takes the story off the public site.
    Unpublish,
}

/// What a saved change became: the draft's new version, and the published
/// story's, if it was published.
#[derive(Debug, Clone, Copy)]
pub struct Saved {
    pub draft: i64,
    pub story: Option<i64>,
}

/// The desk's drafts, when they are kept in the store (see `desk::drafts`).
impl PgStore {
    /// Every draft in the store, with its version.
    pub async fn draft_versions(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT slug, version FROM drafts")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The version of the draft of `slug` in the store, if it holds it.
    pub async fn draft_version(&self, slug: &str) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT version FROM drafts WHERE slug = $1")
            .bind(slug.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(version,)| version))
    }

    /// The draft of `slug` as the store holds it now: its version, the
    /// desk's record and its files, all of one version.
    pub async fn draft(&self, slug: &str) -> Result<Option<(i64, String, Files)>, StoreError> {
        // Version, record, and each file's path and bytes.
        type Row = (i64, String, Option<String>, Option<Vec<u8>>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT d.version, d.record, f.path, f.content FROM drafts d \
             LEFT JOIN draft_files f ON f.slug = d.slug WHERE d.slug = $1 ORDER BY f.path",
        )
        .bind(slug.to_owned())
        .fetch_all(&self.pool)
        .await?;
        let Some((version, record)) = rows.first().map(|row| (row.0, row.1.clone())) else {
            return Ok(None);
        };
        let files: Files = rows
            .into_iter()
            .filter_map(|(_, _, path, content)| Some((path?, content?)))
            .collect();
        for (path, _) in &files {
            checked_path(slug, path)?;
        }
        Ok(Some((version, record, files)))
    }

    /// Saves `change` to the draft of `slug`, and publishes or unpublishes
    /// the story with it: one transaction. `None` if the draft is no longer
    /// at the version the change was made from (another instance saved it
    /// meanwhile): then nothing is written.
    pub async fn save_draft(
        &self,
        slug: &str,
        change: &DraftChange<'_>,
    ) -> Result<Option<Saved>, StoreError> {
        if !valid_id(slug) {
            return Err(StoreError::BadSlug(slug.to_owned()));
        }
        for (path, _) in &change.written {
            checked_path(slug, path)?;
        }
        let mut transaction = self.pool.begin().await?;
        let raised: Option<(i64,)> = match change.from {
            Some(version) => {
                sqlx::query_as(
                    "UPDATE drafts SET version = version + 1, record = $3, updated_at = now() \
                     WHERE slug = $1 AND version = $2 RETURNING version",
                )
                .bind(slug)
                .bind(version)
                .bind(change.record)
                .fetch_optional(&mut *transaction)
                .await?
            }
            None => {
                sqlx::query_as(
                    "INSERT INTO drafts (slug, version, record) VALUES ($1, 1, $2) \
                     ON CONFLICT (slug) DO NOTHING RETURNING version",
                )
                .bind(slug)
                .bind(change.record)
                .fetch_optional(&mut *transaction)
                .await?
            }
        };
        // Dropped, the transaction rolls back.
        let Some((draft,)) = raised else {
            return Ok(None);
        };
        sqlx::query("DELETE FROM draft_files WHERE slug = $1 AND path = ANY($2)")
            .bind(slug)
            .bind(&change.removed)
            .execute(&mut *transaction)
            .await?;
        for (path, content) in &change.written {
            sqlx::query(
                "INSERT INTO draft_files (slug, path, content) VALUES ($1, $2, $3) \
                 ON CONFLICT (slug, path) DO UPDATE SET content = EXCLUDED.content",
            )
            .bind(slug)
            .bind(path)
            .bind(content)
            .execute(&mut *transaction)
            .await?;
        }
        let story = match &change.published {
            Publication::Unchanged => None,
            Publication::Publish => Some(publish_draft(&mut transaction, slug).await?),
            Publication::Unpublish => {
                remove_story(&mut transaction, slug).await?;
                None
            }
        };
        transaction.commit().await?;
        Ok(Some(Saved { draft, story }))
    }
}

/// The desk's sessions, when they are kept in the store (see
/// `desk::sessions`): by the SHA-256 of their tokens.
impl PgStore {
    /// Keeps a new session, and makes room as the in-memory table does:
    /// sessions idle for `idle` end, a user keeps their `per_user` latest,
    /// and the store its `most` latest.
    pub async fn start_session(
        &self,
        digest: [u8; 32],
        name: &str,
        account: &str,
        (idle, per_user, most): (Duration, usize, usize),
    ) -> Result<(), StoreError> {
        let idle = idle.as_secs_f64();
        let (per_user, most) = (
            i64::try_from(per_user).unwrap_or(i64::MAX),
            i64::try_from(most).unwrap_or(i64::MAX),
        );
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM desk_sessions WHERE last_seen < now() - make_interval(secs => $1)",
        )
        .bind(idle)
        .execute(&mut *transaction)
        .await?;
        sqlx::query("INSERT INTO desk_sessions (digest, name, account) VALUES ($1, $2, $3)")
            .bind(digest.to_vec())
            .bind(name.to_owned())
            .bind(account.to_owned())
            .execute(&mut *transaction)
            .await?;
        sqlx::query(
            "DELETE FROM desk_sessions WHERE name = $1 AND digest NOT IN \
             (SELECT digest FROM desk_sessions WHERE name = $1 ORDER BY last_seen DESC LIMIT $2)",
        )
        .bind(name.to_owned())
        .bind(per_user)
        .execute(&mut *transaction)
        .await?;
        sqlx::query(
            "DELETE FROM desk_sessions WHERE digest NOT IN \
             (SELECT digest FROM desk_sessions ORDER BY last_seen DESC LIMIT $1)",
        )
        .bind(most)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Who the session `digest` is of and the account they signed in
    /// with, if it has not been idle for `idle`; counts as its latest
    /// request.
    pub async fn find_session(
        &self,
        digest: [u8; 32],
        idle: Duration,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "UPDATE desk_sessions SET last_seen = now() \
             WHERE digest = $1 AND last_seen >= now() - make_interval(secs => $2) \
             RETURNING name, account",
        )
        .bind(digest.to_vec())
        .bind(idle.as_secs_f64())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Ends the session `digest`.
    pub async fn end_session(&self, digest: [u8; 32]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM desk_sessions WHERE digest = $1")
            .bind(digest.to_vec())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The editors' refused saves, when the drafts are kept in the store (see
/// `desk::drafts`): as JSON, by editor and story.
impl PgStore {
    /// Keeps `conflict` for `name`'s story `slug`, and the `most` latest
    /// of all.
    pub async fn hold(
        &self,
        name: &str,
        slug: &str,
        conflict: &str,
        most: usize,
    ) -> Result<(), StoreError> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO desk_held (name, slug, conflict) VALUES ($1, $2, $3) \
             ON CONFLICT (name, slug) DO UPDATE SET conflict = EXCLUDED.conflict, held_at = now()",
        )
        .bind(name)
        .bind(slug)
        .bind(conflict)
        .execute(&mut *transaction)
        .await?;
        sqlx::query(
            "DELETE FROM desk_held WHERE (name, slug) NOT IN \
             (SELECT name, slug FROM desk_held ORDER BY held_at DESC LIMIT $1)",
        )
        .bind(i64::try_from(most).unwrap_or(i64::MAX))
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// The refused save kept for `name`'s story `slug`, if any.
    pub async fn held(&self, name: &str, slug: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT conflict FROM desk_held WHERE name = $1 AND slug = $2")
                .bind(name.to_owned())
                .bind(slug.to_owned())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(conflict,)| conflict))
    }

    /// Lets go of the refused save kept for `name`'s story `slug`.
    pub async fn release(&self, name: &str, slug: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM desk_held WHERE name = $1 AND slug = $2")
            .bind(name)
            .bind(slug)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The desk's accounts, when they are kept in the store (see `desk::users`).
impl PgStore {
    /// The account called `name`.
    pub async fn account(&self, name: &str) -> Result<Option<User>, StoreError> {
        let row: Option<(String, String, String)> =
            sqlx::query_as("SELECT name, role, password_hash FROM desk_accounts WHERE name = $1")
                .bind(name.to_owned())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(account))
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT name, role, password_hash FROM desk_accounts ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(account).collect())
    }

    /// Adds `user`; `false` if there is an account of that name already.
    pub async fn add_account(&self, user: &User) -> Result<bool, StoreError> {
        let added = sqlx::query(
            "INSERT INTO desk_accounts (name, role, password_hash) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .execute(&self.pool)
        .await?;
        Ok(added.rows_affected() == 1)
    }

    /// Removes the account `name` and ends its sessions, in one
    /// transaction; `false` if there is no such account.
    pub async fn remove_account(&self, name: &str) -> Result<bool, StoreError> {
        let mut transaction = self.pool.begin().await?;
        let removed = sqlx::query("DELETE FROM desk_accounts WHERE name = $1")
            .bind(name)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM desk_sessions WHERE name = $1")
            .bind(name)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(removed.rows_affected() == 1)
    }
}

/// An account from its row; a role the table's check lets through is one
/// of the two.
fn account((name, role, password_hash): (String, String, String)) -> User {
    User {
        name,
        role: if role == Role::Publisher.as_str() {
            Role::Publisher
        } else {
            Role::Editor
        },
        password_hash,
    }
}

/// `url` with its password, if any, replaced.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "(unreadable)".to_owned(),
    }
}

/// A path the store gives for a file of `slug`, if it stays inside the
/// story folder and is not hidden.
fn checked_path(slug: &str, path: &str) -> Result<(), StoreError> {
    let inside = !path.is_empty()
        && Path::new(path).components().all(|part| {
            matches!(part, Component::Normal(name) if !name.to_string_lossy().starts_with('.'))
        });
    if inside {
        Ok(())
    } else {
        Err(StoreError::BadPath {
            slug: slug.to_owned(),
            path: path.to_owned(),
        })
    }
}

/// The files of the story folder `folder`, as the store keeps them.
pub fn read_folder(folder: &Path) -> Result<Files, StoreError> {
    folders::files(folder)
        .map_err(disk(folder))?
        .into_iter()
        .map(|relative| {
            let path = folder.join(&relative);
            let bytes = std::fs::read(&path).map_err(disk(&path))?;
            Ok((relative.to_string_lossy().into_owned(), bytes))
        })
        .collect()
}

/// Replaces the story folder `folder` with `files`, at once (a reader
/// sees the old folder or the new one, never a mix).
pub fn write_folder(
    slug: &str,
    folder: &Path,
    files: &[(String, Vec<u8>)],
) -> Result<(), StoreError> {
    for (path, _) in files {
        checked_path(slug, path)?;
    }
    folders::replace(folder, Start::Empty, |work| {
        files
            .iter()
            .try_for_each(|(path, bytes)| folders::write(work, path, bytes))
    })
    .map_err(disk(folder))
}

/// The versions of the stories a stories folder holds copies of.
fn copies(dir: &Path) -> BTreeMap<String, i64> {
    std::fs::read_to_string(dir.join(COPIES))
        .ok()
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_default()
}

/// The version of `slug` the folder `dir` holds a copy of, if it is one.
pub fn copied(dir: &Path, slug: &str) -> Option<i64> {
    copies(dir).get(slug).copied()
}

/// Records that the stories folder `dir` holds `slug` at `version`, as
/// this instance wrote it there itself (a publish on its desk): its own
/// announcement then brings nothing.
pub fn record_copy(dir: &Path, slug: &str, version: i64) -> Result<(), StoreError> {
    let mut held = copies(dir);
    held.insert(slug.to_owned(), version);
    set_copies(dir, &held)
}

/// Records that the folder `dir` holds no copy of `slug` from the store
/// (the store has none).
pub fn forget_copy(dir: &Path, slug: &str) -> Result<(), StoreError> {
    let mut held = copies(dir);
    if held.remove(slug).is_some() {
        set_copies(dir, &held)
    } else {
        Ok(())
    }
}

fn set_copies(dir: &Path, copies: &BTreeMap<String, i64>) -> Result<(), StoreError> {
    let text = toml::to_string(copies).unwrap_or_default();
    let path = dir.join(COPIES);
    crate::store::write_atomically(&path, text.as_bytes()).map_err(disk(&path))
}

/// Brings into the stories folder `dir` every story whose version in the
/// store differs from its copy's, and removes the copies of stories the
/// store no longer has. Returns the slugs changed.
pub async fn pull_all(store: &PgStore, dir: &Path) -> Result<Vec<String>, StoreError> {
    let versions = store.versions().await?;
    let mut held = copies(dir);
    let mut changed = Vec::new();
    for (slug, version) in &versions {
        if held.get(slug) != Some(version) || !dir.join(slug).is_dir() {
            pull(store, dir, slug, &mut held).await?;
            changed.push(slug.clone());
        }
    }
    let gone: Vec<String> = held
        .keys()
        .filter(|slug| !versions.contains_key(*slug))
        .cloned()
        .collect();
    for slug in gone {
        remove_copy(dir, &slug, &mut held)?;
        changed.push(slug);
    }
    Ok(changed)
}

/// Brings the story `slug` as the store holds it now into `dir` (removes
/// its copy if the store has it no more).
async fn pull(
    store: &PgStore,
    dir: &Path,
    slug: &str,
    held: &mut BTreeMap<String, i64>,
) -> Result<(), StoreError> {
    if !valid_id(slug) {
        return Err(StoreError::BadSlug(slug.to_owned()));
    }
    match store.story(slug).await? {
        Some((version, files)) => {
            let folder = dir.join(slug);
            let owned = slug.to_owned();
            tokio::task::spawn_blocking(move || write_folder(&owned, &folder, &files))
                .await
                .map_err(|error| StoreError::Disk {
                    path: dir.join(slug),
                    source: std::io::Error::other(error),
                })??;
            held.insert(slug.to_owned(), version);
            set_copies(dir, held)
        }
        None => remove_copy(dir, slug, held),
    }
}

/// Removes the copy of `slug` from `dir`.
fn remove_copy(dir: &Path, slug: &str, held: &mut BTreeMap<String, i64>) -> Result<(), StoreError> {
    let folder = dir.join(slug);
    if folder.is_dir() {
        folders::remove(&folder).map_err(disk(&folder))?;
    }
    held.remove(slug);
    set_copies(dir, held)
}

/// Follows the store for as long as the server runs: brings each story
/// announced on [`CHANNEL`] into `dir` and reloads the catalog, within a
/// second of the write. On (re)connecting it brings everything that
/// changed meanwhile; while the store is away, readers are served the
/// last copy and the connection is tried again every [`RETRY`].
pub async fn follow(store: PgStore, dir: PathBuf, stories: Stories) {
    loop {
        match listen(&store, &dir, &stories).await {
            Ok(()) => {}
            Err(error) => tracing::warn!(
                store = ?store,
                error = crate::logging::chain(&error),
                "store unavailable; readers are served the last copy"
            ),
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// One connection's worth of [`follow`]: returns when it is lost.
async fn listen(store: &PgStore, dir: &Path, stories: &Stories) -> Result<(), StoreError> {
    store.ready().await?;
    let mut listener = PgListener::connect_with(&store.pool).await?;
    // Notifications are not queued for a listener that is not there: after
    // a lost connection, the versions say what was missed.
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await?;
    let changed = pull_all(store, dir).await?;
    if !changed.is_empty() {
        reload(dir, stories).await;
    }
    loop {
        // `None`: the connection was lost.
        let Some(notification) = listener.try_recv().await? else {
            return Ok(());
        };
        let slug = notification.payload();
        let mut held = copies(dir);
        // A write this instance made itself is here already.
        if held.contains_key(slug) && held.get(slug) == store.version(slug).await?.as_ref() {
            continue;
        }
        pull(store, dir, slug, &mut held).await?;
        reload(dir, stories).await;
    }
}

/// Reads the stories folder again, off the async threads.
async fn reload(dir: &Path, stories: &Stories) {
    let (dir, stories) = (dir.to_path_buf(), stories.clone());
    let reloaded = tokio::task::spawn_blocking(move || {
        crate::reload::reload(&dir, &stories)
            .map(drop)
            .map_err(|problem| problem.to_string())
    })
    .await;
    match reloaded {
        Ok(Ok(())) => {}
        Ok(Err(problem)) => {
            tracing::error!(%problem, "stories not reloaded; the current ones are still served");
        }
        Err(error) => tracing::error!(%error, "stories not reloaded"),
    }
}

/// `kort store copy`: every story of a stories folder or a store, into a
/// stories folder or a store. Returns how many stories were copied.
pub async fn copy(from: &str, to: &str) -> Result<usize, StoreError> {
    match (is_address(from), is_address(to)) {
        (false, true) => {
            let store = PgStore::connect(to).await?;
            let mut copied = 0;
            for (slug, folder) in story_folders(Path::new(from))? {
                let files = read_folder(&folder)?;
                store.put(&slug, &files).await?;
                copied += 1;
            }
            Ok(copied)
        }
        (true, false) => {
            let store = PgStore::connect(from).await?;
            let dir = Path::new(to);
            std::fs::create_dir_all(dir).map_err(disk(dir))?;
            let mut copied = 0;
            for slug in store.versions().await?.into_keys() {
                if let Some((_, files)) = store.story(&slug).await? {
                    write_folder(&slug, &dir.join(&slug), &files)?;
                    copied += 1;
                }
            }
            Ok(copied)
        }
        (true, true) => {
            let (source, target) = (PgStore::connect(from).await?, PgStore::connect(to).await?);
            let mut copied = 0;
            for slug in source.versions().await?.into_keys() {
                if let Some((_, files)) = source.story(&slug).await? {
                    target.put(&slug, &files).await?;
                    copied += 1;
                }
            }
            Ok(copied)
        }
        (false, false) => Err(StoreError::NoStore {
            from: from.to_owned(),
            to: to.to_owned(),
        }),
    }
}

/// The story folders of a stories folder, by slug (hidden folders are not
/// stories).
fn story_folders(dir: &Path) -> Result<Vec<(String, PathBuf)>, StoreError> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(disk(dir))?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .filter(|(slug, _)| !slug.starts_with('.'))
        .collect();
    found.sort();
    for (slug, _) in &found {
        if !valid_id(slug) {
            return Err(StoreError::BadSlug(slug.clone()));
        }
    }
    Ok(found)
}
