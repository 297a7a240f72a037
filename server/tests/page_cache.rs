//! Kept pages: a page asked for again is kept, and its next readers get
//! that render in the encoding their browser takes; an edit to the story is
//! served at once.

mod support;

use axum::body::Body;
use axum::http::Request;
use kort_app::story::Stories;
use tower::ServiceExt;

/// A page as a browser asks for it: its encoding, its headers and its body.
async fn page_with(
    app: &axum::Router,
    path: &str,
    encodings: &str,
) -> (Option<String>, axum::http::HeaderMap, Vec<u8>) {
    let response = app
        .clone()
        .oneshot(
            Request::get(path)
                .header("accept-language", "en")
                .header("accept-encoding", encodings)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let encoding = headers
        .get("content-encoding")
        .map(|value| value.to_str().expect("text").to_owned());
    let body = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .expect("body");
    (encoding, headers, body.to_vec())
}

async fn page(app: &axum::Router, path: &str) -> (String, String) {
    let (_, headers, body) = page_with(app, path, "identity").await;
    let policy = headers["content-security-policy"]
        .to_str()
        .expect("policy")
        .to_owned();
    (String::from_utf8_lossy(&body).into_owned(), policy)
}

#[tokio::test]
async fn a_kept_page_is_the_same_page_compressed_once_and_an_edit_is_served_at_once() {
    let dir = support::copy_of_seed();
    let stories = Stories::new(kort_server::load::catalog(dir.path()).expect("seed"));
    let app = support::app(stories.clone(), "target/site");
    let path = format!("/stories/{}", support::SEED);
    let (first, first_policy) = page(&app, &path).await;
    let (second, second_policy) = page(&app, &path).await;
    assert_eq!(first, second, "the same bytes for every reader");
    assert_eq!(first_policy, second_policy);
    assert!(first_policy.contains("'sha256-"), "{first_policy}");

    // Once kept, a browser's request gets the brotli copy made once, with
    // its exact length; it is the same page.
    let mut kept = None;
    for _ in 0..100 {
        let (encoding, headers, body) = page_with(&app, &path, "gzip, deflate, br, zstd").await;
        if encoding.as_deref() == Some("br") && headers.contains_key("content-length") {
            kept = Some((headers, body));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (headers, body) = kept.expect("the kept page, brotli-encoded, within 5 s");
    assert_eq!(headers["content-length"], body.len().to_string().as_str());
    assert!(
        headers
            .get_all("vary")
            .iter()
            .any(|value| value.to_str().is_ok_and(|v| v.contains("accept-encoding")))
    );
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut decoded).expect("brotli");
    assert_eq!(String::from_utf8_lossy(&decoded), first);
    assert!(
        body.len() * 4 < first.len(),
        "{} of {}",
        body.len(),
        first.len()
    );
    let (encoding, _, body) = page_with(&app, &path, "gzip").await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    let mut decoded = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut decoded)
        .expect("gzip");
    assert_eq!(decoded, first);

    // A reader who has the page is told so.
    let tagged = app
        .clone()
        .oneshot(
            Request::get(&path)
                .header("accept-language", "en")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer");
    let tag = tagged.headers()["etag"].clone();
    let again = app
        .clone()
        .oneshot(
            Request::get(&path)
                .header("accept-language", "en")
                .header("if-none-match", tag)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer");
    assert_eq!(again.status(), 304);

    let manifest = dir.path().join(support::SEED).join("story.toml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(
        &manifest,
        text.replace(
            "summary = \"A US-led coalition",
            "summary = \"Edited: A US-led coalition",
        ),
    )
    .expect("edit");
    kort_server::reload::reload(dir.path(), &stories).expect("reload");
    let (edited, _) = page(&app, &path).await;
    assert!(
        edited.contains("Edited: A US-led coalition"),
        "the edit is served"
    );
}
