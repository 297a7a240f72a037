//! The desk's accounts: a TOML file of names, roles and Argon2id password
//! hashes (`KORT_USERS`, by default `data/users.toml`), outside every story
//! folder and served by no URL. It is written atomically with mode 0600,
//! and the server reads it again whenever it changes on disk, so a user
//! removed on the command line is signed out at their next request.
//!
//! With a store (`KORT_STORE`), the accounts are kept there instead, for
//! every instance: `kort user` changes them there, each request reads its
//! account from there, and removing an account ends its sessions at once.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};

use crate::postgres::PgStore;

/// What a user may do at the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Makes and changes drafts.
    Editor,
    /// Also publishes and unpublishes.
    Publisher,
}

impl Role {
    /// Whether the role may publish and unpublish.
    pub fn publishes(self) -> bool {
        self == Self::Publisher
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Editor => "editor",
            Self::Publisher => "publisher",
        }
    }
}

/// One account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// The password's Argon2id hash, in the PHC string format.
    pub password_hash: String,
}

/// The file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersFile {
    #[serde(default, rename = "user")]
    users: Vec<User>,
}

/// The shortest password the desk takes.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password it takes, in bytes (hashing is bounded by it).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// What went wrong with the accounts, in words for the operator.
#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error("{file}: cannot be read: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: {message}; expected [[user]] tables with name, role and password_hash")]
    Parse { file: String, message: String },
    #[error("{file}: cannot be written: {source}")]
    Write {
        file: String,
        source: std::io::Error,
    },
    #[error(
        "the user name {0:?} is not valid; expected 1 to 64 lowercase letters, digits, `.`, `_` or `-`, starting with a letter or digit"
    )]
    BadName(String),
    #[error("there is already a user {0:?}")]
    Exists(String),
    #[error("there is no user {0:?}")]
    NoSuchUser(String),
    #[error(
        "the password is too short or too long; expected at least {MIN_PASSWORD_CHARS} characters and at most {MAX_PASSWORD_BYTES} bytes"
    )]
    BadPassword,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
    #[error("the accounts' store: {0}")]
    Store(String),
}

impl From<crate::postgres::StoreError> for UsersError {
    fn from(error: crate::postgres::StoreError) -> Self {
        Self::Store(crate::logging::chain(&error))
    }
}

/// Whether `name` is a valid user name.
pub fn valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|&b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

/// Reads the accounts; a file that does not exist has none.
pub fn read(path: &Path) -> Result<Vec<User>, UsersError> {
    let file = path.display().to_string();
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(UsersError::Read { file, source }),
    };
    let parsed: UsersFile = toml::from_str(&text).map_err(|error| UsersError::Parse {
        file: file.clone(),
        message: error.message().to_owned(),
    })?;
    Ok(parsed.users)
}

/// Writes the accounts atomically, readable by their owner only.
fn write(path: &Path, users: Vec<User>) -> Result<(), UsersError> {
    let file = path.display().to_string();
    let fail = |source| UsersError::Write {
        file: file.clone(),
        source,
    };
    let text = toml::to_string(&UsersFile { users }).map_err(|error| UsersError::Parse {
        file: file.clone(),
        message: error.to_string(),
    })?;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(folder).map_err(fail)?;
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(fail)?;
    temp.as_file()
        .set_permissions(fs::Permissions::from_mode(0o600))
        .map_err(fail)?;
    temp.write_all(b"# kort desk accounts: names, roles and Argon2id password hashes.\n# Keep private (mode 0600). Change with `kort user add|remove`.\n\n")
        .map_err(fail)?;
    temp.write_all(text.as_bytes()).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(path).map_err(|error| fail(error.error))?;
    fs::File::open(folder)
        .and_then(|folder| folder.sync_all())
        .map_err(fail)
}

/// The Argon2id hash of `password` with a fresh salt (the crate's
/// defaults: 19 MiB, 2 passes, OWASP's recommendation).
pub fn hash(password: &str) -> Result<String, UsersError> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(UsersError::BadPassword);
    }
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).map_err(|error| UsersError::Hash(error.to_string()))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|error| UsersError::Hash(error.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| UsersError::Hash(error.to_string()))
}

/// Whether `password` matches the PHC string `hash` (in constant time).
pub fn verify(hash: &str, password: &str) -> bool {
    password.len() <= MAX_PASSWORD_BYTES
        && PasswordHash::new(hash).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
}

/// A new account: its name checked, its password hashed.
fn new_user(name: &str, role: Role, password: &str) -> Result<User, UsersError> {
    if !valid_name(name) {
        return Err(UsersError::BadName(name.to_owned()));
    }
    Ok(User {
        name: name.to_owned(),
        role,
        password_hash: hash(password)?,
    })
}

/// Adds a user.
pub fn add(path: &Path, name: &str, role: Role, password: &str) -> Result<(), UsersError> {
    let user = new_user(name, role, password)?;
    let mut users = read(path)?;
    if users.iter().any(|known| known.name == name) {
        return Err(UsersError::Exists(name.to_owned()));
    }
    users.push(user);
    write(path, users)
}

/// Removes a user (the server ends their sessions at their next request).
pub fn remove(path: &Path, name: &str) -> Result<(), UsersError> {
    let mut users = read(path)?;
    let before = users.len();
    users.retain(|user| user.name != name);
    if users.len() == before {
        return Err(UsersError::NoSuchUser(name.to_owned()));
    }
    write(path, users)
}

/// Where the accounts are kept.
#[derive(Debug, Clone)]
pub enum Kept {
    /// In the accounts file (`KORT_USERS`).
    File(PathBuf),
    /// In the store every instance shares (`KORT_STORE`).
    Store(Box<PgStore>),
}

impl Kept {
    /// Every account.
    pub async fn list(&self) -> Result<Vec<User>, UsersError> {
        match self {
            Self::File(path) => read(path),
            Self::Store(store) => Ok(store.accounts().await?),
        }
    }

    /// Adds an account.
    pub async fn add(&self, name: &str, role: Role, password: &str) -> Result<(), UsersError> {
        match self {
            Self::File(path) => add(path, name, role, password),
            Self::Store(store) => {
                let user = new_user(name, role, password)?;
                if store.add_account(&user).await? {
                    Ok(())
                } else {
                    Err(UsersError::Exists(name.to_owned()))
                }
            }
        }
    }

    /// Removes an account.
    pub async fn remove(&self, name: &str) -> Result<(), UsersError> {
        match self {
            Self::File(path) => remove(path, name),
            Self::Store(store) => {
                if store.remove_account(name).await? {
                    Ok(())
                } else {
                    Err(UsersError::NoSuchUser(name.to_owned()))
                }
            }
        }
    }

    /// Copies the accounts of the file at `from` into the store, hashes as
    /// they are; returns how many were copied and how many the store had
    /// already (left as they are there).
    pub async fn import(&self, from: &Path) -> Result<(usize, usize), UsersError> {
        let Self::Store(store) = self else {
            return Err(UsersError::Store(
                "KORT_STORE is not set; expected the address of the store to copy the accounts into"
                    .into(),
            ));
        };
        let (mut added, mut there) = (0, 0);
        for user in read(from)? {
            if store.add_account(&user).await? {
                added += 1;
            } else {
                there += 1;
            }
        }
        Ok((added, there))
    }
}

impl std::fmt::Display for Kept {
    /// The file's path, or the store's address without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "{}", path.display()),
            Self::Store(store) => write!(f, "{store:?}"),
        }
    }
}

/// The accounts as the server knows them: the file, read again when it
/// changes, or the store.
#[derive(Debug, Clone)]
pub struct Accounts {
    kept: Kept,
    known: Arc<Mutex<Known>>,
    /// Verified against when the name is unknown, so that an unknown name
    /// takes as long to refuse as a wrong password.
    decoy: Arc<str>,
}

#[derive(Debug, Default)]
struct Known {
    /// When the file was last changed, and its length, as last read.
    stamp: Option<(SystemTime, u64)>,
    users: Vec<User>,
}

impl Accounts {
    pub fn new(kept: Kept) -> Self {
        let decoy = hash("not anyone's password, only timed").unwrap_or_default();
        Self {
            kept,
            known: Arc::default(),
            decoy: decoy.into(),
        }
    }

    /// The user called `name`, as the file or the store says now.
    pub async fn user(&self, name: &str) -> Result<Option<User>, UsersError> {
        match &self.kept {
            Kept::File(path) => Ok(self.in_file(path, name)),
            Kept::Store(store) => Ok(store.account(name).await?),
        }
    }

    /// The user called `name`, as the file at `path` says now.
    fn in_file(&self, path: &Path, name: &str) -> Option<User> {
        let stamp = fs::metadata(path).ok().map(|meta| {
            (
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                meta.len(),
            )
        });
        let mut known = self
            .known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.stamp != stamp || stamp.is_none() {
            match read(path) {
                Ok(users) => {
                    known.users = users;
                    known.stamp = stamp;
                }
                Err(error) => {
                    // Nobody signs in on a file kort cannot read.
                    tracing::error!("{error}");
                    known.users.clear();
                    known.stamp = None;
                }
            }
        }
        known.users.iter().find(|user| user.name == name).cloned()
    }

    /// `found` (the [`Self::user`] of the name given), if this is their
    /// password. Takes as long whether or not the name is known (blocking:
    /// call off the async threads).
    pub fn check(&self, found: Option<User>, password: &str) -> Option<User> {
        if let Some(user) = found {
            verify(&user.password_hash, password).then_some(user)
        } else {
            let _ = verify(&self.decoy, password);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The account `name` if `password` is theirs, as sign-in checks it.
    async fn checked(accounts: &Accounts, name: &str, password: &str) -> Option<User> {
        let found = accounts.user(name).await.expect("the file is read");
        accounts.check(found, password)
    }

    #[tokio::test]
    async fn accounts_are_added_checked_and_removed_in_a_private_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("users.toml");
        add(&path, "anna", Role::Publisher, "correct horse battery").expect("added");
        add(&path, "bo", Role::Editor, "another long password").expect("added");
        let mode = fs::metadata(&path).expect("file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = fs::read_to_string(&path).expect("read");
        assert!(!text.contains("correct horse"), "no password in the file");
        assert!(text.contains("$argon2id$"), "{text}");

        let accounts = Accounts::new(Kept::File(path.clone()));
        assert_eq!(
            checked(&accounts, "anna", "correct horse battery")
                .await
                .map(|u| u.role),
            Some(Role::Publisher)
        );
        assert!(
            checked(&accounts, "anna", "correct horse batterY")
                .await
                .is_none()
        );
        assert!(
            checked(&accounts, "nobody", "correct horse battery")
                .await
                .is_none()
        );

        assert!(matches!(
            add(&path, "anna", Role::Editor, "correct horse battery"),
            Err(UsersError::Exists(_))
        ));
        assert!(matches!(
            add(&path, "Anna!", Role::Editor, "correct horse battery"),
            Err(UsersError::BadName(_))
        ));
        assert!(matches!(
            add(&path, "cy", Role::Editor, "short"),
            Err(UsersError::BadPassword)
        ));
        remove(&path, "anna").expect("removed");
        assert!(
            checked(&accounts, "anna", "correct horse battery")
                .await
                .is_none(),
            "read again"
        );
        assert!(matches!(
            remove(&path, "anna"),
            Err(UsersError::NoSuchUser(_))
        ));
    }
}
