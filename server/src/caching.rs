//! HTTP caching, so that browsers and a CDN in front of kort do the heavy
//! lifting: every page, API answer and file says how long it may be kept,
//! and pages and API answers carry an entity tag, so a client that has one
//! gets `304 Not Modified` instead of the body.
//!
//! - API answers: `public, max-age=60, must-revalidate` and an ETag of the
//!   body.
//! - Pages: the same, with the ETag taken over the finished page (see
//!   `headers::security`). A page is the same bytes for every reader (its
//!   scripts are allowed by hash, not by a per-response nonce), so a CDN
//!   may keep and share it.
//! - Static files named after their content (`pkg/kort.<hash>.wasm`, see
//!   `kort_app::assets`): `public, max-age=31536000, immutable`; a new build
//!   gives a changed file a new name.
//! - Other static files: `public, max-age=300`, with Last-Modified.
//!
//! The tags are weak (`W/"…"`): the same body is sent gzip-, brotli- or
//! un-encoded, and is the same resource each way.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use headers::{ETag, Header as _, IfNoneMatch};

/// How long pages and API answers may be kept before asking again.
pub const DYNAMIC: &str = "public, max-age=60, must-revalidate";
/// How long static files whose names carry no hash may be kept: not forever.
pub const STATIC: &str = "public, max-age=300";
/// Files named after their content never change: kept for a year, and not
/// even revalidated on reload.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The largest API answer buffered to tag it (an export of a big story).
const MAX_TAGGED: usize = 64 * 1024 * 1024;

pub use kort_app::story::catalog::etag;

/// Whether the request's `If-None-Match` names `etag` (compared weakly,
/// as RFC 9110 says for this header) or is `*`.
pub fn matches(if_none_match: Option<&HeaderValue>, etag: &str) -> bool {
    let (Some(value), Ok(etag)) = (if_none_match, etag.parse::<ETag>()) else {
        return false;
    };
    IfNoneMatch::decode(&mut std::iter::once(value))
        .is_ok_and(|wanted| !wanted.precondition_passes(&etag))
}

/// `304 Not Modified` for `etag`, with the validators and caching headers
/// a cache needs to refresh its copy.
pub fn not_modified(etag: &str, headers: &HeaderMap) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    for name in [header::CACHE_CONTROL, header::VARY] {
        if let Some(value) = headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    if let Ok(value) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Makes an answer's `headers` say it may be kept for [`DYNAMIC`] and is
/// tagged `tag`; or, if the request's `If-None-Match` names the tag, the
/// `304` to send instead. Pages, API answers and prepared layers are all
/// tagged this way.
pub fn tag(
    headers: &mut HeaderMap,
    tag: &str,
    if_none_match: Option<&HeaderValue>,
) -> Option<Response> {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(DYNAMIC));
    if matches(if_none_match, tag) {
        return Some(not_modified(tag, headers));
    }
    if let Ok(value) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, value);
    }
    None
}

/// Whether a response with these headers is an HTML page.
pub fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"))
}

/// Says that the response is one of several encodings of its URL: a cache
/// must not give the brotli copy to a gzip-only browser.
pub fn vary_on_encoding(headers: &mut HeaderMap) {
    let varies = headers.get_all(header::VARY).iter().any(|value| {
        value
            .to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !varies {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// Whether the request's `Accept-Encoding` takes `coding` (`br`, `gzip`):
/// named, or `*`, with a q-value above zero (RFC 9110, 12.5.3).
///
/// Written here, not taken from a crate: the `headers` crate (axum's typed
/// headers) has had no `AcceptEncoding` since 0.4, tower-http keeps its
/// parser private, and what is left on crates.io is small and little used.
/// This is the one q-value reading kort does for HTTP itself.
pub fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    let mut named = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let weight = parts
                .find_map(|param| {
                    let (key, value) = param.split_once('=')?;
                    (key.trim().eq_ignore_ascii_case("q"))
                        .then(|| value.trim().parse::<f32>().ok())?
                })
                .unwrap_or(1.0);
            if name.eq_ignore_ascii_case(coding) {
                named = Some(weight > 0.0);
            } else if name == "*" {
                any = Some(weight > 0.0);
            }
        }
    }
    named.or(any).unwrap_or(false)
}

/// Tags API answers and answers their revalidations; gives static files
/// their lifetime. Pages are tagged by `headers::security`, after their
/// tidy-up.
pub async fn revalidate(request: Request, next: Next) -> Response {
    // Only GETs are tagged (a HEAD arrives as a GET: `router::head_as_get`).
    let get = request.method() == Method::GET;
    let api = request.uri().path().starts_with("/api/");
    let content_named = kort_app::assets::is_content_named(request.uri().path());
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !get || response.status() != StatusCode::OK || response.headers().contains_key(header::ETAG)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let is_html = is_html(&parts.headers);
    if !api {
        if !is_html && !parts.headers.contains_key(header::CACHE_CONTROL) {
            let lifetime = if content_named { IMMUTABLE } else { STATIC };
            parts
                .headers
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(lifetime));
            vary_on_encoding(&mut parts.headers);
        }
        return Response::from_parts(parts, body);
    }
    let bytes = match axum::body::to_bytes(body, MAX_TAGGED).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(
                error = crate::logging::chain(&error),
                "API answer could not be read to tag it"
            );
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the answer could not be sent",
            )
                .into_response();
        }
    };
    if let Some(not_modified) = tag(&mut parts.headers, &etag(&bytes), if_none_match.as_ref()) {
        return not_modified;
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_weakly_in_lists_and_for_any() {
        let tag = etag(b"{\"type\":\"FeatureCollection\"}");
        assert!(tag.starts_with("W/\""));
        assert_eq!(tag, etag(b"{\"type\":\"FeatureCollection\"}"));
        assert_ne!(tag, etag(b"{}"));
        // XXH3's published value for no bytes: the same in every build.
        assert_eq!(etag(b""), "W/\"2d06800538d394c2\"");
        let header = |text: &str| HeaderValue::from_str(text).expect("header");
        assert!(matches(Some(&header(&tag)), &tag));
        let strong = tag.trim_start_matches("W/").to_owned();
        assert!(matches(Some(&header(&format!("\"x\", {strong}"))), &tag));
        assert!(matches(Some(&header("*")), &tag));
        assert!(!matches(Some(&header("\"other\"")), &tag));
        assert!(!matches(None, &tag));
    }

    #[test]
    fn encodings_are_taken_as_the_request_weighs_them() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).expect("header"),
            );
            headers
        };
        let browser = with("gzip, deflate, br, zstd");
        assert!(accepts(&browser, "br") && accepts(&browser, "gzip"));
        assert!(!accepts(&with("gzip;q=1.0, br;q=0"), "br"));
        assert!(accepts(&with("gzip;q=1.0, br;q=0"), "gzip"));
        assert!(accepts(&with("*"), "br"));
        assert!(!accepts(&with("*, br;q=0"), "br"));
        assert!(accepts(&with("BR;Q=0.5"), "br"));
        assert!(!accepts(&with("identity"), "gzip"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }
}
