//! Signed-in sessions: a random token of 256 bits in the reader's cookie,
//! and on the server only its SHA-256 (a copy of the table gives nobody a
//! session). A session ends after [`IDLE`] without a request, at sign-out,
//! and when its user is removed or changed (see [`super::users::Accounts`]).
//!
//! The table is in memory and bounded: at [`MAX_SESSIONS`] the sessions
//! idle longest make room. A restart signs everyone out.

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

/// Every session, by the SHA-256 of its token.
#[derive(Debug, Clone, Default)]
pub struct Sessions {
    table: Arc<Mutex<HashMap<[u8; 32], Session>>>,
}

fn digest(token: &str) -> [u8; 32] {
    sha2::Sha256::digest(token.as_bytes()).into()
}

impl Sessions {
    /// Starts a session for `user` whose account reads `account`; returns
    /// its token, for the cookie.
    pub fn start(&self, user: &str, account: &str) -> Result<String, getrandom::Error> {
        let mut secret = [0_u8; 32];
        getrandom::fill(&mut secret)?;
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
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
            digest(&token),
            Session {
                user: user.to_owned(),
                account: account.to_owned(),
                last_seen: now,
            },
        );
        Ok(token)
    }

    /// The user of the session `token` and the account they signed in
    /// with, if it is live; counts as the session's latest request.
    pub fn find(&self, token: &str) -> Option<(String, String)> {
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
    pub fn end(&self, token: &str) {
        self.table
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&digest(token));
    }

    /// How many sessions are live (for tests and health).
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

    #[test]
    fn a_session_is_found_by_its_token_until_it_ends() {
        let sessions = Sessions::default();
        let token = sessions.start("anna", "h1").expect("random");
        assert!(token.len() >= 43, "256 bits, base64: {token}");
        assert_eq!(sessions.find(&token), Some(("anna".into(), "h1".into())));
        assert_eq!(sessions.find("forged"), None);
        sessions.end(&token);
        assert_eq!(sessions.find(&token), None);
    }

    #[test]
    fn a_user_keeps_at_most_so_many_sessions() {
        let sessions = Sessions::default();
        let first = sessions.start("anna", "h").expect("random");
        for _ in 0..MAX_PER_USER {
            sessions.start("anna", "h").expect("random");
        }
        assert_eq!(sessions.len(), MAX_PER_USER);
        assert_eq!(sessions.find(&first), None, "the oldest made room");
    }
}
