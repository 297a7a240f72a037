//! Rendered pages, kept. A page is the same bytes for everyone who asks for
//! the same URL with the same `Accept-Language`, until the stories change
//! (its scripts are allowed by hash, see `headers`). So the first request
//! renders it; it is then compressed once, brotli and gzip at their
//! strongest, and the next requests get the finished copy (tidied, tagged,
//! with its security headers) in the encoding they accept: no render and no
//! compression on the request's path.
//!
//! - Only `GET`s of pages answered `200 OK` with HTML and an ETag are kept.
//! - A kept page whose ETag the request names is a `304` (as
//!   `headers::security` answers a rendered one).
//! - A new catalog (an edit, a reload, a remote layer refreshed) empties the
//!   cache: entries belong to the catalog they were rendered from.
//! - Compressing takes tens of milliseconds, so it runs off the request's
//!   path, once per page however many requests miss meanwhile, and only for
//!   a URL asked for a second time: links made unique by tracking
//!   parameters (`?fbclid=…`) or by a client busting caches cost a render,
//!   as they did before pages were kept, not a render and a compression.
//! - At most [`MAX_BYTES`] of pages are kept; when a page would not fit,
//!   the cache is emptied and starts again (simple, and bounded).

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use kort_app::story::{Catalog, Stories};

use crate::caching;

/// The most page bytes kept (all encodings).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Pages larger than this are not kept.
const MAX_PAGE: usize = 4 * 1024 * 1024;
/// The most URLs remembered as rendered once; then they are forgotten.
const MAX_SEEN: usize = 10_000;

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
    /// Pages being compressed, so a burst of misses compresses each once.
    pending: HashSet<Key>,
    /// URLs rendered once and not kept (yet): at most [`MAX_SEEN`].
    seen: HashSet<Key>,
    bytes: usize,
}

impl Inner {
    /// Whether what is kept was rendered from `catalog`.
    fn belongs_to(&self, catalog: &Arc<Catalog>) -> bool {
        self.catalog
            .as_ref()
            .is_some_and(|kept| Arc::ptr_eq(kept, catalog))
    }
}

/// The URL (path and query) and the `Accept-Language` it was asked with.
type Key = (String, String);

/// A finished page in each encoding it is sent in.
struct Page {
    headers: HeaderMap,
    identity: Bytes,
    brotli: Bytes,
    gzip: Bytes,
}

impl Page {
    /// Compresses `body` both ways, at the strongest settings: done once,
    /// for every reader after.
    fn new(headers: HeaderMap, identity: Bytes) -> std::io::Result<Self> {
        let mut brotli = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 64 * 1024, 11, 22);
            writer.write_all(&identity)?;
            writer.flush()?;
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&identity)?;
        Ok(Self {
            headers,
            gzip: Bytes::from(gzip.finish()?),
            brotli: Bytes::from(brotli),
            identity,
        })
    }

    fn size(&self) -> usize {
        self.identity.len() + self.brotli.len() + self.gzip.len()
    }
}

impl PageCache {
    pub fn new(stories: Stories) -> Self {
        Self {
            stories,
            inner: Arc::default(),
        }
    }

    /// The cache's state for `catalog`: emptied first if it belongs to
    /// another one.
    fn lock(&self, catalog: &Arc<Catalog>) -> std::sync::MutexGuard<'_, Inner> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if !inner.belongs_to(catalog) {
            *inner = Inner {
                catalog: Some(Arc::clone(catalog)),
                ..Inner::default()
            };
        }
        inner
    }

    /// The kept page for `key`, if it was rendered from `catalog`.
    fn get(&self, catalog: &Arc<Catalog>, key: &Key) -> Option<Arc<Page>> {
        self.lock(catalog).pages.get(key).cloned()
    }

    /// Whether the caller is the one to compress and keep `key`'s page:
    /// the URL has been rendered before, and no one else is at it.
    fn claim(&self, catalog: &Arc<Catalog>, key: &Key) -> bool {
        let mut inner = self.lock(catalog);
        if inner.pending.contains(key) {
            return false;
        }
        if inner.seen.remove(key) {
            return inner.pending.insert(key.clone());
        }
        if inner.seen.len() >= MAX_SEEN {
            inner.seen.clear();
        }
        inner.seen.insert(key.clone());
        false
    }

    fn put(&self, catalog: &Arc<Catalog>, key: Key, page: Option<Page>) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if !inner.belongs_to(catalog) {
            // Rendered from a catalog that has been replaced meanwhile.
            return;
        }
        inner.pending.remove(&key);
        let Some(page) = page else { return };
        let key_size = key.0.len() + key.1.len();
        let size = page.size() + key_size;
        if inner.bytes + size > MAX_BYTES {
            inner.pages.clear();
            inner.bytes = 0;
        }
        inner.bytes += size;
        if let Some(old) = inner.pages.insert(key, Arc::new(page)) {
            inner.bytes -= old.size() + key_size;
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
        return answer(&page, request.headers());
    }
    let response = next.run(request).await;
    let is_html = caching::is_html(response.headers());
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
    if cache.claim(&catalog, &key) {
        let (headers, body) = (parts.headers.clone(), bytes.clone());
        tokio::task::spawn_blocking(move || {
            let page = Page::new(headers, body)
                .inspect_err(|error| tracing::warn!("a page could not be compressed: {error}"))
                .ok();
            cache.put(&catalog, key, page);
        });
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A kept page in the best encoding the request takes, or a `304` if the
/// client has it.
fn answer(page: &Page, request: &HeaderMap) -> Response {
    if let Some(tag) = page
        .headers
        .get(header::ETAG)
        .and_then(|tag| tag.to_str().ok())
        && caching::matches(request.get(header::IF_NONE_MATCH), tag)
    {
        return caching::not_modified(tag, &page.headers);
    }
    let mut headers = page.headers.clone();
    let body = if caching::accepts(request, "br") {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        &page.brotli
    } else if caching::accepts(request, "gzip") {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        &page.gzip
    } else {
        &page.identity
    };
    caching::vary_on_encoding(&mut headers);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    let mut response = Response::new(Body::from(body.clone()));
    *response.headers_mut() = headers;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(encoding: &str, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        match encoding {
            "br" => {
                brotli::BrotliDecompress(&mut &body[..], &mut out).expect("brotli");
            }
            "gzip" => {
                std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body), &mut out)
                    .expect("gzip");
            }
            _ => out.extend_from_slice(body),
        }
        out
    }

    #[tokio::test]
    async fn a_kept_page_is_sent_in_the_encoding_asked_for() {
        let text = "<p>Arsal</p>".repeat(200);
        let page = Page::new(HeaderMap::new(), Bytes::from(text.clone())).expect("page");
        assert!(page.brotli.len() < text.len() / 10);
        for (accept, encoding) in [
            ("gzip, deflate, br, zstd", "br"),
            ("gzip", "gzip"),
            ("br;q=0, gzip", "gzip"),
            ("identity", ""),
            ("", ""),
        ] {
            let mut request = HeaderMap::new();
            request.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(accept).expect("header"),
            );
            let response = answer(&page, &request);
            let headers = response.headers().clone();
            assert_eq!(
                headers
                    .get(header::CONTENT_ENCODING)
                    .map_or("", |v| v.to_str().expect("text")),
                encoding,
                "{accept}"
            );
            assert_eq!(headers[header::VARY], "accept-encoding");
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("body");
            assert_eq!(
                headers[header::CONTENT_LENGTH].to_str().expect("length"),
                body.len().to_string()
            );
            assert_eq!(decoded(encoding, &body), text.as_bytes(), "{accept}");
        }
    }

    #[test]
    fn a_new_catalog_empties_the_cache_and_the_size_is_bounded() {
        let stories = Stories::new(Catalog::default());
        let cache = PageCache::new(stories.clone());
        // Built by hand: the bound is about sizes, not compression.
        let page = |size: usize| Page {
            headers: HeaderMap::new(),
            identity: Bytes::from(vec![b'x'; size]),
            brotli: Bytes::from(vec![b'b'; size / 10]),
            gzip: Bytes::from(vec![b'g'; size / 8]),
        };
        let key = |n: u32| (format!("/stories/s{n}"), String::new());
        let first = stories.snapshot();
        assert!(cache.get(&first, &key(1)).is_none());
        assert!(
            !cache.claim(&first, &key(1)),
            "not kept at the first render"
        );
        assert!(cache.claim(&first, &key(1)), "kept at the second");
        assert!(!cache.claim(&first, &key(1)), "and claimed once");
        cache.put(&first, key(1), Some(page(10)));
        assert!(cache.get(&first, &key(1)).is_some());
        // A page rendered from an older catalog is not kept.
        stories.replace(Catalog::default());
        let second = stories.snapshot();
        assert!(
            cache.get(&second, &key(1)).is_none(),
            "emptied by the new catalog"
        );
        cache.put(&first, key(2), Some(page(10)));
        assert!(cache.get(&second, &key(2)).is_none());
        // Never more than MAX_BYTES.
        for n in 0..20 {
            cache.put(&second, key(n), Some(page(MAX_BYTES / 8)));
            let inner = cache.inner.lock().expect("lock");
            assert!(inner.bytes <= MAX_BYTES, "{} bytes kept", inner.bytes);
        }
    }
}
