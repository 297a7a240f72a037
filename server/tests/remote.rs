//! Remote layers and the guarded client: a layer of the seed story fetched
//! from an origin server on 127.0.0.1 (allowed explicitly), refreshed with
//! conditional requests, kept when the origin fails, kept across a
//! restart, and shown on the story page with its age; and requests that
//! must never leave the machine.

mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use kort_app::story::Stories;
use kort_app::story::manifest::LayerEntry;
use kort_server::fetch::{AllowList, FetchError, Fetcher, Limits, Validators};
use kort_server::load;
use kort_server::remote::{Outcome, RemoteError, Remotes};
use support::{Answer, Origin, SEED, TWO_POSITIONS, copy_of_seed};

fn loopback() -> AllowList {
    AllowList::parse("127.0.0.1/32").expect("allow-list")
}

fn fetcher(allow: AllowList) -> Fetcher {
    Fetcher::new(
        allow,
        Limits {
            timeout: Duration::from_secs(2),
            max_bytes: 64 * 1024,
        },
    )
    .expect("client")
}

/// Adds a remote layer fetched from `url` to the seed story in `dir`.
fn add_remote_layer(dir: &Path, url: &str) {
    let manifest = dir.join(SEED).join("story.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("story.toml");
    write!(
        text,
        r##"
[[layers]]
id = "sightings"
title = "Reported sightings (partner newsroom)"
style = {{ symbol = "strike", color = "#6a3d9a" }}
remote = {{ url = "{url}", refresh_seconds = 60 }}
mapping = {{ id = "ref", title = "name", date = "seen", sources = ["article"] }}
"##
    )
    .expect("appended");
    std::fs::write(manifest, text).expect("write");
}

fn sightings(stories: &Stories) -> (usize, Option<String>) {
    let catalog = stories.snapshot();
    let story = catalog.story(SEED).expect("served");
    let layer = story
        .story
        .layers
        .iter()
        .find(|l| l.id == "sightings")
        .expect("the layer");
    (
        layer.features.len(),
        layer.remote.as_ref().and_then(|r| r.fetched.clone()),
    )
}

fn positions_with_refs() -> String {
    TWO_POSITIONS
        .replace("\"id\":\"P-1\",", "")
        .replace("\"id\":\"P-2\",", "")
        .replace(
            "\"name\":\"Convoy seen",
            "\"ref\":\"p1\",\"name\":\"Convoy seen",
        )
        .replace(
            "\"name\":\"Convoy stopped",
            "\"ref\":\"p2\",\"name\":\"Convoy stopped",
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_layer_is_fetched_refreshed_and_kept_through_failures_and_restarts() {
    let origin = Origin::start(Answer {
        etag: Some("\"v1\"".into()),
        ..Answer::ok("application/geo+json", &positions_with_refs())
    });
    let dir = copy_of_seed();
    add_remote_layer(dir.path(), &format!("{}/layer", origin.base));
    let stories = Stories::new(load::catalog(dir.path()).expect("catalog"));
    // Before the first fetch the story is served, with the layer empty.
    assert_eq!(sightings(&stories), (0, None));

    let mut remotes = Remotes::new(
        fetcher(loopback()),
        dir.path().to_path_buf(),
        stories.clone(),
    );
    let first = remotes.refresh_due().await;
    assert!(
        matches!(
            first[..],
            [(
                _,
                _,
                Ok(Outcome::Updated {
                    features: 2,
                    skipped: 0
                })
            )]
        ),
        "{first:?}"
    );
    let (features, fetched) = sightings(&stories);
    assert_eq!(features, 2, "the new copy is served at once");
    let fetched = fetched.expect("the time of the copy");
    let copy = dir.path().join(SEED).join("remote/sightings.geojson");
    let good = std::fs::read(&copy).expect("the copy is kept on disk");

    // Not due again for a minute; asked directly, the origin says 304.
    assert!(remotes.refresh_due().await.is_empty());
    let catalog = stories.snapshot();
    let entry = catalog
        .story(SEED)
        .expect("served")
        .story
        .manifest
        .layers
        .iter()
        .find(|l| l.id == "sightings")
        .cloned()
        .expect("layer");
    let again = remotes.refresh(SEED, &entry).await;
    assert!(matches!(again, Ok(Outcome::Unchanged)), "{again:?}");
    assert_eq!(
        origin.last_if_none_match.lock().expect("header").as_deref(),
        Some("\"v1\"")
    );

    each_failure_keeps_the_last_good_copy(&remotes, &origin, &entry, &stories, &copy).await;
    assert_eq!(
        std::fs::read(&copy).expect("copy"),
        good,
        "the copy changed"
    );

    // A restart reads the copy kept: the layer and its age are back before
    // any fetch.
    let restarted = Stories::new(load::catalog(dir.path()).expect("catalog"));
    assert_eq!(sightings(&restarted), (2, Some(fetched)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_story_page_says_where_a_remote_layer_comes_from_and_how_old_it_is() {
    use tower::ServiceExt;
    let origin = Origin::start(Answer::ok("application/geo+json", &positions_with_refs()));
    let dir = copy_of_seed();
    add_remote_layer(dir.path(), &format!("{}/layer", origin.base));
    let stories = Stories::new(load::catalog(dir.path()).expect("catalog"));
    let page = |stories: Stories| async move {
        let app = support::app(stories, "target/site");
        let request = axum::http::Request::get(format!("/stories/{SEED}?lang=en"))
            .body(axum::body::Body::empty())
            .expect("request");
        let response = app.oneshot(request).await.expect("answer");
        let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
            .await
            .expect("body");
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let before = page(stories.clone()).await;
    assert!(
        before.contains("Fetched from 127.0.0.1") && before.contains("Not fetched yet."),
        "the page should say the layer is not fetched yet"
    );
    let mut remotes = Remotes::new(
        fetcher(loopback()),
        dir.path().to_path_buf(),
        stories.clone(),
    );
    remotes.refresh_due().await;
    let after = page(stories).await;
    assert!(
        after.contains("Convoy seen near Tadmur"),
        "the features are listed"
    );
    let today = kort_server::remote::rfc3339(std::time::SystemTime::now());
    let year = &today[..4];
    assert!(
        after.contains("Last updated")
            && after.contains(&format!("{year} at "))
            && after.contains(" UTC."),
        "the page should say when the layer was fetched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_to_non_public_addresses_never_leave_the_machine() {
    let origin = Origin::start(Answer::ok("application/geo+json", TWO_POSITIONS));
    let accept = ["application/geo+json"];
    let none = Validators::default();
    let refused = fetcher(AllowList::default());
    for url in [
        format!("{}/layer", origin.base),
        format!("http://localhost:{}/layer", origin.port),
        format!("http://[::ffff:127.0.0.1]:{}/layer", origin.port),
        format!("http://2130706433:{}/layer", origin.port),
    ] {
        let outcome = refused.get(&url, &none, &accept).await;
        let message = outcome
            .as_ref()
            .map_err(|e| kort_server::logging::chain(e))
            .expect_err("refused");
        assert!(message.contains("not a public address"), "{url}: {message}");
    }
    assert_eq!(origin.hits(), 0, "a refused request reached the origin");

    for url in [
        "file:///etc/passwd",
        "ftp://example.org/layer.geojson",
        "gopher://x/",
    ] {
        let outcome = refused.get(url, &none, &accept).await;
        assert!(
            matches!(outcome, Err(FetchError::Scheme(_))),
            "{url}: {outcome:?}"
        );
    }

    // Allowed, the same address answers; its redirects are checked again.
    let allowed = fetcher(loopback());
    let layer = allowed
        .get(&format!("{}/to-layer", origin.base), &none, &accept)
        .await;
    assert!(layer.is_ok(), "{layer:?}");
    for (path, expected) in [
        ("/to-metadata", "169.254.169.254"),
        // reqwest does not follow a redirect to another scheme at all.
        ("/to-file", "302 Found"),
        ("/loop", "redirects"),
    ] {
        let outcome = allowed
            .get(&format!("{}{path}", origin.base), &none, &accept)
            .await;
        let message = outcome
            .as_ref()
            .map_err(|e| kort_server::logging::chain(e))
            .expect_err("refused");
        assert!(message.contains(expected), "{path}: {message}");
    }
}

/// What the origin is made to do wrong, one way at a time.
type Change = Box<dyn Fn(&mut Answer)>;

/// Each way the origin can fail leaves the copy, and what readers see, as
/// it was.
async fn each_failure_keeps_the_last_good_copy(
    remotes: &Remotes,
    origin: &Origin,
    entry: &LayerEntry,
    stories: &Stories,
    copy: &Path,
) {
    let good = std::fs::read(copy).expect("copy");
    let failures: Vec<(&str, Change)> = vec![
        ("500", Box::new(|a: &mut Answer| a.status = 500)),
        (
            "HTML",
            Box::new(|a: &mut Answer| a.content_type = "text/html".into()),
        ),
        (
            "garbage",
            Box::new(|a: &mut Answer| a.body = b"{\"type\": \"FeatureColl".to_vec()),
        ),
        (
            "oversize",
            Box::new(|a: &mut Answer| {
                a.body = (positions_with_refs() + &" ".repeat(200 * 1024)).into_bytes();
            }),
        ),
        (
            "timeout",
            Box::new(|a: &mut Answer| a.delay = Duration::from_secs(4)),
        ),
        (
            "no valid feature",
            Box::new(|a: &mut Answer| {
                a.body = positions_with_refs().replace("name", "label").into_bytes();
            }),
        ),
    ];
    for (what, change) in failures {
        origin.set(|answer| {
            *answer = Answer {
                etag: Some(format!("\"{what}\"")),
                ..Answer::ok("application/geo+json", &positions_with_refs())
            };
            change(answer);
        });
        let outcome = remotes.refresh(SEED, entry).await;
        let expected = match what {
            "500" => matches!(outcome, Err(RemoteError::Fetch(FetchError::Status { .. }))),
            "HTML" => matches!(
                outcome,
                Err(RemoteError::Fetch(FetchError::ContentType { .. }))
            ),
            "garbage" => matches!(outcome, Err(RemoteError::Unreadable { .. })),
            "oversize" => matches!(
                outcome,
                Err(RemoteError::Fetch(FetchError::TooLarge { .. }))
            ),
            "timeout" => matches!(outcome, Err(RemoteError::Fetch(FetchError::Request { .. }))),
            _ => matches!(outcome, Err(RemoteError::Nothing { .. })),
        };
        assert!(expected, "{what}: {outcome:?}");
        assert_eq!(
            std::fs::read(copy).expect("copy"),
            good,
            "{what}: the copy changed"
        );
        assert_eq!(sightings(stories).0, 2, "{what}: readers lost the layer");
    }
}
