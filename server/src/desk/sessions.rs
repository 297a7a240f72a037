//! Signed-in sessions: a random token of 256 bits in the reader's cookie,
//! and on the server only its SHA-256 (a copy of the table gives nobody a
//! session). A session ends after [`IDLE`] without a request, at sign-out,
//! and when its user is removed or changed (see [`super::users::Accounts`]).
//!
//! The table is bounded: at [`MAX_SESSIONS`] the sessions idle longest
//! make room. It is in memory (a restart signs everyone out), or, with a
//! store shared by several instances (`KORT_STORE`), in the store, so that
//! a session started on one instance is good on every other and a load
//! balancer needs no sticky sessions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine as _;
use sha2::Digest as _;

/// How long a session lasts without a request.
pub const IDLE: Duration = Duration::from_hours(8);
/// The most sessions kept at once.
pub const MAX_SESSIONS: usize = 10_000;
/// The most sessions one user keeps (a new sign-in ends their oldest).
pub const MAX_PER_USER: usize = 20;

/// A session: who, and when they were last seen.
#[derive(Debug, Clone)]
struct Session {
    user: String,
    /// The hash of the user's account when they signed in: a changed
    /// password or role ends the session.
    account: String,
    last_seen: Instant,
}

/// Every session, by the SHA-256 of its token: in memory, or in the store.
#[derive(Debug, Clone, Default)]
pub struct Sessions {
    table: Arc<Mutex<HashMap<[u8; 32], Session>>>,
    store: Option<crate::postgres::PgStore>,
}

/// Why a session could not be started, found or ended.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no randomness for a session token: {0}")]
    Random(#[from] getrandom::Error),
    /// The store that keeps the sessions is away.
    #[error("the sessions cannot be reached: {0}")]
    Unavailable(String),
}

impl From<crate::postgres::StoreError> for SessionError {
    fn from(error: crate::postgres::StoreError) -> Self {
        Self::Unavailable(crate::logging::chain(&error))
    }
}

fn digest(token: &str) -> [u8; 32] {
    sha2::Sha256::digest(token.as_bytes()).into()
}

impl Sessions {
    /// Sessions kept in `store`, shared by every instance that uses it.
    pub fn in_store(store: crate::postgres::PgStore) -> Self {
        Self {
            store: Some(store),
            ..Self::default()
        }
    }

    /// Starts a session for `user` whose account reads `account`; returns
    /// its token, for the cookie.
    pub async fn start(&self, user: &str, account: &str) -> Result<String, SessionError> {
        let mut secret = [0_u8; 32];
        getrandom::fill(&mut secret)?;
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
        match &self.store {
            Some(store) => {
                store
                    .start_session(
                        digest(&token),
                        user,
                        account,
                        (IDLE, MAX_PER_USER, MAX_SESSIONS),
                    )
                    .await?;
            }
            None => self.start_here(&token, user, account),
        }
        Ok(token)
    }

    fn start_here(&self, token: &str, user: &str, account: &str) {
        let now = Instant::now();
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        table.retain(|_, session| now.duration_since(session.last_seen) < IDLE);
        let mut theirs: Vec<([u8; 32], Instant)> = table
            .iter()
            .filter(|(_, session)| session.user == user)
            .map(|(key, session)| (*key, session.last_seen))
            .collect();
        theirs.sort_by_key(|(_, seen)| *seen);
        for (key, _) in theirs
            .iter()
            .take((theirs.len() + 1).saturating_sub(MAX_PER_USER))
        {
            table.remove(key);
        }
        while table.len() >= MAX_SESSIONS {
            let Some(oldest) = table
                .iter()
                .min_by_key(|(_, session)| session.last_seen)
                .map(|(key, _)| *key)
            else {
                break;
            };
            table.remove(&oldest);
        }
        table.insert(
            digest(token),
            Session {
                user: user.to_owned(),
                account: account.to_owned(),
                last_seen: now,
            },
        );
    }

    /// The user of the session `token` and the account they signed in
    /// with, if it is live; counts as the session's latest request.
    pub async fn find(&self, token: &str) -> Result<Option<(String, String)>, SessionError> {
        match &self.store {
            Some(store) => Ok(store.find_session(digest(token), IDLE).await?),
            None => Ok(self.find_here(token)),
        }
    }

    fn find_here(&self, token: &str) -> Option<(String, String)> {
        let key = digest(token);
        let now = Instant::now();
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let session = table.get_mut(&key)?;
        if now.duration_since(session.last_seen) >= IDLE {
            table.remove(&key);
            return None;
        }
        session.last_seen = now;
        Some((session.user.clone(), session.account.clone()))
    }

    /// Ends the session `token`.
    pub async fn end(&self, token: &str) -> Result<(), SessionError> {
        if let Some(store) = &self.store {
            return Ok(store.end_session(digest(token)).await?);
        }
        self.table
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&digest(token));
        Ok(())
    }

    /// How many sessions this process keeps in memory (for tests).
    pub fn len(&self) -> usize {
        self.table
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_session_is_found_by_its_token_until_it_ends() {
        let sessions = Sessions::default();
        let token = sessions.start("anna", "h1").await.expect("random");
        assert!(token.len() >= 43, "256 bits, base64: {token}");
        let found = sessions.find(&token).await.expect("kept here");
        assert_eq!(found, Some(("anna".into(), "h1".into())));
        assert_eq!(sessions.find("forged").await.expect("kept here"), None);
        sessions.end(&token).await.expect("kept here");
        assert_eq!(sessions.find(&token).await.expect("kept here"), None);
    }

    #[tokio::test]
    async fn a_user_keeps_at_most_so_many_sessions() {
        let sessions = Sessions::default();
        let first = sessions.start("anna", "h").await.expect("random");
        for _ in 0..MAX_PER_USER {
            sessions.start("anna", "h").await.expect("random");
        }
        assert_eq!(sessions.len(), MAX_PER_USER);
        assert_eq!(
            sessions.find(&first).await.expect("kept here"),
            None,
            "the oldest made room"
        );
    }
}
