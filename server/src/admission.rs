//! Admission to work that costs CPU on every request: page renders and
//! preview images. A few run at once (the machine has only so many cores),
//! a bounded number wait their turn for a bounded time, and the rest are
//! turned away at once with `503 Service Unavailable` and `Retry-After`,
//! which browsers, crawlers and CDNs understand. An unbounded queue would
//! hold every request's memory and answer all of them late; this answers
//! most of them on time and says so to the others.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Work let in: held while it runs.
pub type Pass<'a> = SemaphorePermit<'a>;

/// Turned away: too much is running and waiting already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("kort is busy: try again in a moment")]
pub struct Busy;

/// How many run, how many may wait, and for how long.
#[derive(Debug)]
pub struct Admission {
    running: Semaphore,
    /// How many may run at once.
    places: usize,
    waiting: AtomicUsize,
    max_waiting: usize,
    max_wait: Duration,
}

impl Admission {
    /// `running` at once, at most `max_waiting` more waiting, each for at
    /// most `max_wait`.
    pub fn new(running: usize, max_waiting: usize, max_wait: Duration) -> Self {
        Self {
            running: Semaphore::new(running),
            places: running,
            waiting: AtomicUsize::new(0),
            max_waiting,
            max_wait,
        }
    }

    /// `running` per core at once, `waiting` per core in line, each for at
    /// most `max_wait`.
    pub fn per_core(running: usize, waiting: usize, max_wait: Duration) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self::new(cores * running, cores * waiting, max_wait)
    }

    /// Whether nothing runs and nothing waits. Work that can be put off
    /// (`page_cache`'s strongest compression) starts only then: started
    /// whenever a place was free, it held a core for as long as dozens of
    /// renders while a flood of new page states went on, and p99 of the
    /// half-new mix rose past 100 ms.
    pub fn is_idle(&self) -> bool {
        self.waiting.load(Ordering::Acquire) == 0 && self.running.available_permits() == self.places
    }

    /// Lets the caller in now, after waiting its turn, or not at all.
    pub async fn enter(&self) -> Result<Pass<'_>, Busy> {
        if let Ok(pass) = self.running.try_acquire() {
            return Ok(pass);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(Busy);
        }
        let waited = tokio::time::timeout(self.max_wait, self.running.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        // The semaphore is never closed: only the timeout refuses.
        waited.ok().and_then(Result::ok).ok_or(Busy)
    }
}

impl IntoResponse for Busy {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::SERVICE_UNAVAILABLE, self.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_few_run_a_few_wait_and_the_rest_are_turned_away() {
        let admission = Admission::new(2, 1, Duration::from_millis(200));
        assert!(admission.is_idle());
        let first = admission.enter().await.expect("runs");
        assert!(!admission.is_idle(), "one runs, though a place is free");
        let _second = admission.enter().await.expect("runs");
        assert!(!admission.is_idle());
        // The third waits its turn, and gets it when the first ends.
        let third = admission.enter();
        tokio::pin!(third);
        assert!(
            tokio::time::timeout(Duration::from_millis(20), &mut third)
                .await
                .is_err(),
            "waits"
        );
        // Meanwhile a fourth finds the line full.
        assert_eq!(admission.enter().await.err(), Some(Busy));
        drop(first);
        let _third = third.await.expect("let in after the first");
        // No one leaves: one waiting gives up after its time.
        let started = std::time::Instant::now();
        assert_eq!(admission.enter().await.err(), Some(Busy));
        assert!(started.elapsed() >= Duration::from_millis(200));
        // And the line is empty again.
        assert_eq!(admission.waiting.load(Ordering::Acquire), 0);
    }

    #[test]
    fn busy_is_a_503_to_try_again_and_not_to_keep() {
        let response = Busy.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    }
}
