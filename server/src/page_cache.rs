//! Rendered pages, kept. A page is the same bytes for everyone who asks for
//! the same URL with the same `Accept-Language`, until the stories change
//! (its scripts are allowed by hash, see `headers`). So a page asked for
//! again is kept compressed (brotli and gzip), and the next requests get the
//! finished copy (tidied, tagged, with its security headers) in the encoding
//! they accept: no render and no compression on the request's path.
//!
//! What it may cost is bounded whatever readers ask for, because every
//! reader's map writes its view, time and layers into the address, so the
//! URLs a busy story is asked for are without end:
//!
//! - **Memory.** At most [`MAX_BYTES`] of pages are kept, compressed only
//!   (a page's plain text is three quarters of what keeping it would
//!   cost); for clients that take neither brotli nor gzip, which browsers
//!   never are, the gzip copy decoded, kept apart within [`PLAIN_BYTES`]
//!   (decoding it for every request cut kort's identity throughput to a
//!   third); and the hashes
//!   of [`SEEN_SLOTS`] addresses asked for once, in memory taken at start.
//!   What stays is chosen by `quick_cache` (Clock-PRO, close to S3-FIFO): a
//!   new page waits in a small probation queue and joins the main one only
//!   if it is asked for again there, and a page of the main queue read
//!   since the clock last passed it stays. A client flooding kort with
//!   addresses (each twice, to get past the door) cannot push out the pages
//!   everyone reads.
//! - **Compression.** A page is kept only the second time its address is
//!   asked for: addresses made unique by a map's view, tracking parameters or
//!   cache busting cost a render (compressed on the way out at a fast level,
//!   by the router's `CompressionLayer`), never a strong compression. A page
//!   kept is compressed at [`Effort::Kept`], a few milliseconds, and only
//!   when one of [`COMPRESSORS`] is free: otherwise it is sent as rendered
//!   and kept another time. A page sent [`HITS_FOR_STRONGEST`] times is
//!   compressed again at the strongest levels, off the request's path, by
//!   one thread at most and only while no render runs or waits: it takes
//!   a core for as long as dozens of renders, worth it only for bytes sent
//!   many times.
//! - **Freshness.** A new catalog (an edit, a reload, a remote layer
//!   refreshed) empties the cache: entries belong to the catalog they were
//!   rendered from.
//!
//! Only `GET`s of pages answered `200 OK` with HTML and an ETag are kept. A
//! kept page whose ETag the request names is a `304` (as `headers::security`
//! answers a rendered one).

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use kort_app::story::{Catalog, Stories};
use tokio::sync::Semaphore;

use crate::admission::Admission;
use crate::caching;
use crate::compress::{self, Effort};
use crate::headers::MAX_PAGE;

/// The most page bytes kept (all encodings and keys).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// About how many pages fit in [`MAX_BYTES`] (a story page of 110 KB takes
/// about 45 KB, brotli and gzip), to size the cache's table.
const ESTIMATED_PAGES: usize = 1_500;
/// How many addresses are remembered as rendered once: slots of a table
/// of hashes (8 bytes each, allocated once), where a newer address takes
/// the slot of an older one.
const SEEN_SLOTS: usize = 1 << 16;
/// Pages compressed for keeping at once (each on a blocking thread).
const COMPRESSORS: usize = 2;
/// Sends of a kept page after which it is worth the strongest compression
/// (about 60 ms of CPU for a fifth fewer bytes than [`Effort::Kept`]).
const HITS_FOR_STRONGEST: u32 = 32;
/// The most bytes of pages kept as rendered, for clients that take no
/// compression (tools, load testers; browsers always take one), and about
/// how many pages that is.
const PLAIN_BYTES: u64 = 8 * 1024 * 1024;
const ESTIMATED_PLAIN: usize = 64;

/// The kept pages, for one catalog at a time.
#[derive(Clone)]
pub struct PageCache {
    stories: Stories,
    /// The catalog the pages were rendered from (held, so its address is
    /// not reused by a later one while it names these pages).
    catalog: Arc<Mutex<Option<Arc<Catalog>>>>,
    pages: Arc<quick_cache::sync::Cache<Key, Arc<Page>, Weight>>,
    /// Kept pages as rendered, decoded from their gzip copy the first time
    /// a client that takes no compression asks, and kept apart in a small
    /// bound: kept pages hold only their compressed copies.
    plain: Arc<quick_cache::sync::Cache<Key, Bytes, PlainWeight>>,
    /// Hashes of the addresses rendered once and not kept (yet).
    seen: Arc<Seen>,
    /// Pages being compressed for keeping.
    compressors: Arc<Semaphore>,
    /// Pages being compressed at the strongest levels (one at a time).
    strongest: Arc<Semaphore>,
    /// Page renders: the strongest compression waits until none runs or waits.
    renders: Arc<Admission>,
}

/// The URL (path and query) and the `Accept-Language` it was asked with.
type Key = (String, String);

/// A finished page, compressed each way it is sent.
struct Page {
    headers: HeaderMap,
    brotli: Bytes,
    gzip: Bytes,
    /// How often it was sent from the cache.
    hits: AtomicU32,
    /// Whether it is (or is being) compressed at the strongest levels.
    strongest: AtomicBool,
}

impl Page {
    /// Compresses `body` both ways at `effort`.
    fn new(headers: HeaderMap, body: &[u8], effort: Effort) -> std::io::Result<Self> {
        let (brotli, gzip) = compress::both(body, effort)?;
        Ok(Self {
            headers,
            brotli: Bytes::from(brotli),
            gzip: Bytes::from(gzip),
            hits: AtomicU32::new(0),
            strongest: AtomicBool::new(effort == Effort::Strongest),
        })
    }

    /// The page as rendered.
    fn identity(&self) -> std::io::Result<Vec<u8>> {
        compress::gunzip(&self.gzip, MAX_PAGE)
    }
}

/// What a kept page takes in memory, for the cache's bound.
#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<Key, Arc<Page>> for Weight {
    fn weight(&self, key: &Key, page: &Arc<Page>) -> u64 {
        let bytes = page.brotli.len() + page.gzip.len();
        u64::try_from(bytes + key.0.len() + key.1.len() + 256).unwrap_or(u64::MAX)
    }
}

/// What a page kept as rendered takes in memory.
#[derive(Clone)]
struct PlainWeight;

impl quick_cache::Weighter<Key, Bytes> for PlainWeight {
    fn weight(&self, key: &Key, body: &Bytes) -> u64 {
        u64::try_from(body.len() + key.0.len() + key.1.len() + 64).unwrap_or(u64::MAX)
    }
}

impl PageCache {
    /// The bytes kept, by the bounds' count: compressed pages and plain ones.
    pub fn kept_bytes(&self) -> u64 {
        self.pages.weight() + self.plain.weight()
    }

    /// Pages of `stories`, compressed strongly when `renders` is idle.
    pub fn new(stories: Stories, renders: Arc<Admission>) -> Self {
        Self {
            renders,
            stories,
            catalog: Arc::default(),
            pages: Arc::new(quick_cache::sync::Cache::with_weighter(
                ESTIMATED_PAGES,
                MAX_BYTES,
                Weight,
            )),
            plain: Arc::new(quick_cache::sync::Cache::with_weighter(
                ESTIMATED_PLAIN,
                PLAIN_BYTES,
                PlainWeight,
            )),
            seen: Arc::new(Seen::new()),
            compressors: Arc::new(Semaphore::new(COMPRESSORS)),
            strongest: Arc::new(Semaphore::new(1)),
        }
    }

    /// Empties the cache if `catalog` is not the one its pages came from.
    fn follow(&self, catalog: &Arc<Catalog>) {
        let mut kept = self.catalog.lock().unwrap_or_else(PoisonError::into_inner);
        if !kept.as_ref().is_some_and(|kept| Arc::ptr_eq(kept, catalog)) {
            self.pages.clear();
            self.plain.clear();
            self.seen.forget();
            *kept = Some(Arc::clone(catalog));
        }
    }

    /// `key`'s kept `page` as rendered: kept apart after the first time.
    fn plain(&self, key: &Key, page: &Page) -> std::io::Result<Bytes> {
        if let Some(body) = self.plain.get(key) {
            return Ok(body);
        }
        let body = Bytes::from(page.identity()?);
        self.plain.insert(key.clone(), body.clone());
        Ok(body)
    }

    /// Whether `catalog` is still the one pages are kept for.
    fn is_current(&self, catalog: &Arc<Catalog>) -> bool {
        self.catalog
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|kept| Arc::ptr_eq(kept, catalog))
    }

    /// Whether `key`'s page is worth keeping: its address was rendered
    /// before. The first time, it is remembered.
    fn asked_before(&self, key: &Key) -> bool {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in [key.0.as_bytes(), b"\n", key.1.as_bytes()] {
            hasher.update(part);
        }
        self.seen.check(hasher.digest())
    }

    /// Compresses and keeps a rendered page, if a compressor is free; the
    /// kept page, to answer from.
    async fn keep(
        &self,
        catalog: &Arc<Catalog>,
        key: Key,
        headers: HeaderMap,
        body: Bytes,
    ) -> Option<Arc<Page>> {
        let permit = Arc::clone(&self.compressors).try_acquire_owned().ok()?;
        let page = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            Page::new(headers, &body, Effort::Kept)
        })
        .await
        .ok()?
        .inspect_err(|error| tracing::warn!("a page could not be compressed: {error}"))
        .ok()?;
        let page = Arc::new(page);
        if self.is_current(catalog) {
            self.pages.insert(key, Arc::clone(&page));
        }
        Some(page)
    }

    /// Counts a send of `page`; once it has been sent often enough, and if
    /// no other page is at it, compresses it at the strongest levels in the
    /// background and keeps that copy instead.
    fn sent(&self, catalog: &Arc<Catalog>, key: Key, page: &Arc<Page>) {
        let hits = page.hits.fetch_add(1, Ordering::Relaxed) + 1;
        if hits < HITS_FOR_STRONGEST
            || page.strongest.load(Ordering::Relaxed)
            || !self.renders.is_idle()
        {
            return;
        }
        let Ok(permit) = Arc::clone(&self.strongest).try_acquire_owned() else {
            return;
        };
        if page.strongest.swap(true, Ordering::Relaxed) {
            return;
        }
        let (cache, catalog, page) = (self.clone(), Arc::clone(catalog), Arc::clone(page));
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            match page
                .identity()
                .and_then(|body| Page::new(page.headers.clone(), &body, Effort::Strongest))
            {
                Ok(strong) if cache.is_current(&catalog) => {
                    strong
                        .hits
                        .store(page.hits.load(Ordering::Relaxed), Ordering::Relaxed);
                    cache.pages.insert(key, Arc::new(strong));
                }
                Ok(_) => {}
                Err(error) => tracing::warn!("a page could not be compressed: {error}"),
            }
        });
    }
}

/// The addresses rendered once: a direct-mapped table of their hashes, the
/// door a page passes before it is compressed and offered to the cache. Its
/// memory is fixed whatever is asked for; an address seen long ago may have
/// lost its slot, and is then rendered once more before it is kept.
struct Seen(Box<[AtomicU64]>);

impl Seen {
    fn new() -> Self {
        Self((0..SEEN_SLOTS).map(|_| AtomicU64::new(0)).collect())
    }

    /// Whether `hash` was seen (it is then forgotten: the page is kept
    /// now); if not, remembers it.
    fn check(&self, hash: u64) -> bool {
        // The low bits pick the slot; 0 marks an empty one.
        let hash = hash.max(1);
        let slot =
            &self.0[usize::try_from(hash & u64::from(u32::MAX)).unwrap_or_default() % SEEN_SLOTS];
        slot.swap(hash, Ordering::Relaxed) == hash && {
            slot.store(0, Ordering::Relaxed);
            true
        }
    }

    fn forget(&self) {
        for slot in &self.0 {
            slot.store(0, Ordering::Relaxed);
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
    cache.follow(&catalog);
    if let Some(page) = cache.pages.get(&key) {
        let response = answer(&page, request.headers(), || cache.plain(&key, &page));
        cache.sent(&catalog, key, &page);
        return response;
    }
    let negotiation = negotiation(request.headers());
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
    if cache.asked_before(&key)
        && let Some(page) = cache
            .keep(&catalog, key, parts.headers.clone(), bytes.clone())
            .await
    {
        // A client that takes no compression has the page as rendered.
        return answer(&page, &negotiation, || Ok(bytes.clone()));
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// What [`answer`] reads of a request, kept while the page is rendered.
fn negotiation(request: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in [header::ACCEPT_ENCODING, header::IF_NONE_MATCH] {
        for value in request.get_all(&name) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

/// A kept page in the best encoding the request takes, or a `304` if the
/// client has it.
/// `plain` gives the page as rendered, for a client that takes no
/// compression.
fn answer(
    page: &Page,
    request: &HeaderMap,
    plain: impl FnOnce() -> std::io::Result<Bytes>,
) -> Response {
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
        page.brotli.clone()
    } else if caching::accepts(request, "gzip") {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        page.gzip.clone()
    } else {
        match plain() {
            Ok(body) => body,
            Err(error) => {
                tracing::error!("a kept page could not be decoded: {error}");
                return Response::builder()
                    .status(StatusCode::INTERNAL_SERVER_ERROR)
                    .body(Body::from("the page could not be read back"))
                    .unwrap_or_default();
            }
        }
    };
    caching::vary_on_encoding(&mut headers);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = headers;
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn decoded(encoding: &str, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        match encoding {
            "br" => {
                brotli::BrotliDecompress(&mut &body[..], &mut out).expect("brotli");
            }
            "gzip" => out = crate::compress::gunzip(body, usize::MAX).expect("gzip"),
            _ => out.extend_from_slice(body),
        }
        out
    }

    #[tokio::test]
    async fn a_kept_page_is_sent_in_the_encoding_asked_for() {
        let text = "<p>Arsal</p>".repeat(200);
        for effort in [Effort::Kept, Effort::Strongest] {
            let page = Page::new(HeaderMap::new(), text.as_bytes(), effort).expect("page");
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
                let response = answer(&page, &request, || page.identity().map(Bytes::from));
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
    }

    fn idle() -> Arc<Admission> {
        Arc::new(Admission::new(1, 1, std::time::Duration::from_secs(1)))
    }

    fn key(n: u32) -> Key {
        (format!("/stories/s?view=8/34.{n}/38.1"), String::new())
    }

    #[tokio::test]
    async fn pages_are_kept_the_second_time_and_a_new_catalog_empties_the_cache() {
        let stories = Stories::new(Catalog::default());
        let cache = PageCache::new(stories.clone(), idle());
        let first = stories.snapshot();
        cache.follow(&first);
        let body = Bytes::from("<p>Arsal</p>".repeat(100));
        assert!(!cache.asked_before(&key(1)), "not kept at the first render");
        assert!(cache.asked_before(&key(1)), "kept at the second");
        let kept = cache
            .keep(&first, key(1), HeaderMap::new(), body.clone())
            .await;
        assert!(kept.is_some());
        assert!(cache.pages.get(&key(1)).is_some());
        // A page rendered from an older catalog is not kept.
        stories.replace(Catalog::default());
        let second = stories.snapshot();
        cache.follow(&second);
        assert!(
            cache.pages.get(&key(1)).is_none(),
            "emptied by the new catalog"
        );
        cache.keep(&first, key(2), HeaderMap::new(), body).await;
        assert!(cache.pages.get(&key(2)).is_none());
        assert!(!cache.asked_before(&key(1)), "forgotten with the catalog");
    }

    #[tokio::test]
    async fn a_page_sent_often_is_compressed_at_the_strongest_levels() {
        let stories = Stories::new(Catalog::default());
        let cache = PageCache::new(stories.clone(), idle());
        let catalog = stories.snapshot();
        cache.follow(&catalog);
        let body = Bytes::from((0..400).fold(String::new(), |mut list, n| {
            let _ = write!(list, "<li data-n=\"{n}\">Arsal {}</li>", n * 7 % 13);
            list
        }));
        let kept = cache
            .keep(&catalog, key(1), HeaderMap::new(), body)
            .await
            .expect("kept");
        assert!(!kept.strongest.load(Ordering::Relaxed));
        for _ in 0..HITS_FOR_STRONGEST {
            let page = cache.pages.get(&key(1)).expect("kept");
            cache.sent(&catalog, key(1), &page);
        }
        for _ in 0..200 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            let page = cache.pages.get(&key(1)).expect("kept");
            if !Arc::ptr_eq(&page, &kept) {
                assert!(page.strongest.load(Ordering::Relaxed));
                assert!(page.brotli.len() <= kept.brotli.len());
                assert_eq!(page.identity().ok(), kept.identity().ok());
                return;
            }
        }
        panic!("the page was not compressed again");
    }

    #[test]
    fn a_flood_of_new_addresses_does_not_push_out_what_everyone_reads() {
        let stories = Stories::new(Catalog::default());
        let cache = PageCache::new(stories, idle());
        // Built by hand: the bound is about weights, not compression.
        let page = || {
            Arc::new(Page {
                headers: HeaderMap::new(),
                brotli: Bytes::from(vec![b'b'; 36_000]),
                gzip: Bytes::from(vec![b'g'; 42_000]),
                hits: AtomicU32::new(0),
                strongest: AtomicBool::new(false),
            })
        };
        // What everyone reads: 400 pages, half of what the cache holds.
        let read = 0..400;
        for n in read.clone() {
            cache.pages.insert(key(n), page());
        }
        // Meanwhile one client asks for 8,000 new addresses, each twice
        // (so each is kept): ten times what the cache holds. Readers go on
        // reading the 400 pages, four times each between every thousand of the
        // client's, more than the cache holds: so recency alone (LRU) would
        // let the client push them all out.
        for n in 1_000..9_000 {
            if n % 1_000 == 0 {
                for _ in 0..4 {
                    for n in read.clone() {
                        cache.pages.get(&key(n));
                    }
                }
            }
            // As `serve` does: a miss remembered, then a miss kept.
            for _ in 0..2 {
                cache.pages.get(&key(n));
            }
            cache.pages.insert(key(n), page());
        }
        assert!(
            cache.pages.weight() <= MAX_BYTES,
            "{} bytes kept",
            cache.pages.weight()
        );
        let kept = read.filter(|&n| cache.pages.contains_key(&key(n))).count();
        assert!(
            kept >= 380,
            "only {kept} of the 400 read pages are still kept"
        );
    }
}
