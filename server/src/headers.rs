//! Security headers on every response. Only embed pages may be framed by
//! other sites; every other page refuses framing.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Adds the framing policy, `nosniff` and the referrer policy.
pub async fn security(request: Request, next: Next) -> Response {
    let embeddable = request
        .uri()
        .path()
        .starts_with(kort_app::links::EMBED_PREFIX)
        && request.uri().path()[kort_app::links::EMBED_PREFIX.len()..].starts_with('/');
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if embeddable {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors *"),
        );
    } else {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}
