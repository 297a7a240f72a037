//! Rendered pages, kept. A page is the same for everyone who asks for the
//! same URL with the same `Accept-Language`, until the stories change; only
//! its script nonce must be new on every response. So the first request
//! renders it, and the next ones get the kept copy, finished (tidied,
//! tagged, with its security headers), with a fresh nonce in the page and
//! in its Content-Security-Policy: a string replacement instead of a render.
//!
//! - Only `GET`s of pages answered `200 OK` with HTML and an ETag are kept.
//! - A kept page whose ETag the request names is a `304` (as
//!   `headers::security` answers a rendered one).
//! - A new catalog (an edit, a reload, a remote layer refreshed) empties the
//!   cache: entries belong to the catalog they were rendered from.
//! - At most [`MAX_BYTES`] of pages are kept; when a page would not fit,
//!   the cache is emptied and starts again (simple, and bounded).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use kort_app::story::{Catalog, Stories};

/// The most page bytes kept.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Pages larger than this are not kept.
const MAX_PAGE: usize = 4 * 1024 * 1024;

/// The kept pages, for one catalog at a time.
#[derive(Clone)]
pub struct PageCache {
    stories: Stories,
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    /// The catalog the pages were rendered from (held, so its address is
    /// not reused by a later one while it names these pages).
    catalog: Option<Arc<Catalog>>,
    pages: HashMap<Key, Arc<Page>>,
    bytes: usize,
}

/// The URL (path and query) and the `Accept-Language` it was asked with.
type Key = (String, String);

/// A finished page, cut at its nonce: answering is sending the pieces with
/// a fresh nonce between them, no copy and no search.
struct Page {
    headers: HeaderMap,
    /// The page between the nonce's occurrences.
    pieces: Vec<Bytes>,
    /// The nonce the kept copy was rendered with, replaced on every use.
    nonce: String,
    len: usize,
}

impl Page {
    /// `None` if the page is not UTF-8 or has no nonce.
    fn new(headers: HeaderMap, body: &Bytes) -> Option<Self> {
        let text = std::str::from_utf8(body).ok()?;
        let nonce = crate::headers::nonce_of(text)?;
        let mut pieces = Vec::new();
        let mut from = 0;
        for (at, _) in text.match_indices(nonce.as_str()) {
            pieces.push(body.slice(from..at));
            from = at + nonce.len();
        }
        pieces.push(body.slice(from..));
        Some(Self {
            headers,
            pieces,
            nonce,
            len: body.len(),
        })
    }
}

impl PageCache {
    pub fn new(stories: Stories) -> Self {
        Self {
            stories,
            inner: Arc::default(),
        }
    }

    /// The kept page for `key`, if it was rendered from `catalog`.
    fn get(&self, catalog: &Arc<Catalog>, key: &Key) -> Option<Arc<Page>> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if !inner
            .catalog
            .as_ref()
            .is_some_and(|kept| Arc::ptr_eq(kept, catalog))
        {
            *inner = Inner {
                catalog: Some(Arc::clone(catalog)),
                ..Inner::default()
            };
            return None;
        }
        inner.pages.get(key).cloned()
    }

    fn put(&self, catalog: &Arc<Catalog>, key: Key, page: Page) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if !inner
            .catalog
            .as_ref()
            .is_some_and(|kept| Arc::ptr_eq(kept, catalog))
        {
            // Rendered from a catalog that has been replaced meanwhile.
            return;
        }
        let key_size = key.0.len() + key.1.len();
        let size = page.len + key_size;
        if inner.bytes + size > MAX_BYTES {
            inner.pages.clear();
            inner.bytes = 0;
        }
        inner.bytes += size;
        if let Some(old) = inner.pages.insert(key, Arc::new(page)) {
            inner.bytes -= old.len + key_size;
        }
    }
}

/// Answers page requests from the cache, and keeps what is rendered. Sits
/// outside `headers::security`, so it keeps finished pages.
pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET || !crate::router::is_page(request.uri().path()) {
        return next.run(request).await;
    }
    let key = (
        request.uri().to_string(),
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    );
    let catalog = cache.stories.snapshot();
    if let Some(page) = cache.get(&catalog, &key) {
        return answer(&page, request.headers().get(header::IF_NONE_MATCH));
    }
    let response = next.run(request).await;
    let is_html = crate::caching::is_html(response.headers());
    if response.status() != StatusCode::OK
        || !is_html
        || !response.headers().contains_key(header::ETAG)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE).await else {
        // Too large to keep: it has been read in part and cannot be sent.
        return Response::builder()
            .status(StatusCode::INTERNAL_SERVER_ERROR)
            .body(Body::from("the page is too large"))
            .unwrap_or_default();
    };
    if let Some(page) = Page::new(parts.headers.clone(), &bytes) {
        cache.put(&catalog, key, page);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A kept page with a nonce of its own, or a `304` if the client has it.
fn answer(page: &Page, if_none_match: Option<&HeaderValue>) -> Response {
    if let Some(tag) = page
        .headers
        .get(header::ETAG)
        .and_then(|tag| tag.to_str().ok())
        && crate::caching::matches(if_none_match, tag)
    {
        return crate::caching::not_modified(tag, &page.headers);
    }
    let fresh = Bytes::from(leptos::nonce::Nonce::new().to_string());
    let len = page.len - (page.pieces.len() - 1) * page.nonce.len()
        + (page.pieces.len() - 1) * fresh.len();
    let mut chunks = Vec::with_capacity(page.pieces.len() * 2);
    for (n, piece) in page.pieces.iter().enumerate() {
        if n > 0 {
            chunks.push(Ok::<_, std::convert::Infallible>(fresh.clone()));
        }
        chunks.push(Ok(piece.clone()));
    }
    let fresh = String::from_utf8_lossy(&fresh).into_owned();
    let mut headers = page.headers.clone();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if let Some(policy) = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|value| value.to_str().ok())
        .and_then(|policy| HeaderValue::from_str(&policy.replace(&page.nonce, &fresh)).ok())
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    let mut response = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
    *response.headers_mut() = headers;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_kept_page_is_sent_whole_with_a_new_nonce_everywhere() {
        let text = r#"<script nonce="abc123">a</script><p>x</p><script nonce="abc123">b</script>"#;
        let page = Page::new(HeaderMap::new(), &Bytes::from(text)).expect("page");
        assert_eq!(page.pieces.len(), 3);
        let response = answer(&page, None);
        let length: usize = response.headers()[header::CONTENT_LENGTH]
            .to_str()
            .expect("length")
            .parse()
            .expect("number");
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        let body = String::from_utf8(body.to_vec()).expect("text");
        assert_eq!(body.len(), length);
        let fresh = crate::headers::nonce_of(&body).expect("a nonce");
        assert_ne!(fresh, "abc123");
        assert_eq!(body.replace(&fresh, "abc123"), text);
    }

    #[test]
    fn a_new_catalog_empties_the_cache_and_the_size_is_bounded() {
        let stories = Stories::new(Catalog::default());
        let cache = PageCache::new(stories.clone());
        let page = |size: usize| {
            let mut body = b"<script nonce=\"n0nce\">".to_vec();
            body.resize(size.max(body.len()), b'x');
            Page::new(HeaderMap::new(), &Bytes::from(body)).expect("a page with a nonce")
        };
        let key = |n: u32| (format!("/stories/s{n}"), String::new());
        let first = stories.snapshot();
        assert!(cache.get(&first, &key(1)).is_none());
        cache.put(&first, key(1), page(10));
        assert!(cache.get(&first, &key(1)).is_some());
        // A page rendered from an older catalog is not kept.
        stories.replace(Catalog::default());
        let second = stories.snapshot();
        assert!(
            cache.get(&second, &key(1)).is_none(),
            "emptied by the new catalog"
        );
        cache.put(&first, key(2), page(10));
        assert!(cache.get(&second, &key(2)).is_none());
        // Never more than MAX_BYTES.
        for n in 0..20 {
            cache.put(&second, key(n), page(MAX_BYTES / 8));
            let inner = cache.inner.lock().expect("lock");
            assert!(inner.bytes <= MAX_BYTES, "{} bytes kept", inner.bytes);
        }
    }
}
