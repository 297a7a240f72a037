//! Kept pages: the second reader of a page gets the first one's render with
//! a nonce of its own (and the policy that names it), and an edit to the
//! story is served at once.

mod support;

use axum::body::Body;
use axum::http::Request;
use kort_app::story::Stories;
use tower::ServiceExt;

async fn page(app: &axum::Router, path: &str) -> (String, String) {
    let response = app
        .clone()
        .oneshot(
            Request::get(path)
                .header("accept-language", "en")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .expect("policy")
        .to_owned();
    let body = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .expect("body");
    (String::from_utf8_lossy(&body).into_owned(), policy)
}

fn nonce(page: &str) -> &str {
    let start = page.find("nonce=\"").expect("a nonce") + "nonce=\"".len();
    &page[start..start + page[start..].find('"').expect("end")]
}

#[tokio::test]
async fn a_kept_page_has_a_fresh_nonce_and_an_edit_is_served_at_once() {
    let dir = support::copy_of_seed();
    let stories = Stories::new(kort_server::load::catalog(dir.path()).expect("seed"));
    let app = support::app(stories.clone(), "target/site");
    let path = format!("/stories/{}", support::SEED);
    let (first, first_policy) = page(&app, &path).await;
    let (second, second_policy) = page(&app, &path).await;
    let (one, two) = (nonce(&first), nonce(&second));
    assert_ne!(one, two, "every response has its own nonce");
    assert!(first_policy.contains(&format!("'nonce-{one}'")));
    assert!(second_policy.contains(&format!("'nonce-{two}'")));
    assert_eq!(first.replace(one, "N"), second.replace(two, "N"));

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
    assert!(!again.headers().contains_key("content-security-policy"));

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
