//! A story too large to send whole: its layers are served by viewport and
//! zoom, clustered and simplified, and its features listed a page at a
//! time. Every figure is checked against the story's own files.

mod support;

use std::collections::BTreeMap;

use kort_app::story::Stories;
use kort_server::synthetic::{Plan, REGION};
use serde_json::Value;

const SLUG: &str = "scale";

/// A synthetic story above the viewport threshold, its folder, and kort over it.
fn story() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().expect("dir");
    let plan = Plan {
        slug: SLUG.into(),
        events: 4_000,
        lines: 1_200,
        mention_every: 40,
        seed: 11,
    };
    kort_server::synthetic::write(dir.path(), &plan).expect("generate");
    let catalog = kort_server::load::catalog(dir.path()).expect("catalog");
    let app = support::app(Stories::new(catalog), "target/site");
    (dir, app)
}

async fn get(app: &axum::Router, path: &str) -> (u16, Value) {
    let (status, body) = support::answer(app, path).await;
    (status, serde_json::from_slice(&body).expect("JSON"))
}

/// The layer file's features, by id.
fn file_features(dir: &tempfile::TempDir, layer: &str) -> BTreeMap<String, Value> {
    let path = dir
        .path()
        .join(SLUG)
        .join(format!("layers/{layer}.geojson"));
    let text = std::fs::read_to_string(path).expect("layer file");
    let collection: Value = serde_json::from_str(&text).expect("GeoJSON");
    collection["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| (f["id"].as_str().expect("id").to_owned(), f.clone()))
        .collect()
}

fn positions(geometry: &Value) -> Vec<(f64, f64)> {
    let pair = |p: &Value| (p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat"));
    match geometry["type"].as_str() {
        Some("Point") => vec![pair(&geometry["coordinates"])],
        _ => geometry["coordinates"]
            .as_array()
            .expect("coordinates")
            .iter()
            .map(pair)
            .collect(),
    }
}

fn meets(geometry: &Value, bbox: [f64; 4]) -> bool {
    let points = positions(geometry);
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (lon, lat) in points {
        (w, s, e, n) = (w.min(lon), s.min(lat), e.max(lon), n.max(lat));
    }
    w <= bbox[2] && e >= bbox[0] && s <= bbox[3] && n >= bbox[1]
}

fn query(bbox: [f64; 4], zoom: u8) -> String {
    format!(
        "bbox={},{},{},{}&zoom={zoom}",
        bbox[0], bbox[1], bbox[2], bbox[3]
    )
}

const BOX: [f64; 4] = [37.0, 33.0, 39.5, 35.5];

#[tokio::test]
async fn at_full_zoom_the_box_holds_exactly_the_features_that_meet_it() {
    let (dir, app) = story();
    for layer in ["events", "routes"] {
        let expected: Vec<String> = file_features(&dir, layer)
            .into_iter()
            .filter(|(_, f)| meets(&f["geometry"], BOX))
            .map(|(id, _)| id)
            .collect();
        assert!(expected.len() > 50, "the box should hold {layer}");
        let (status, got) = get(
            &app,
            &format!(
                "/api/stories/{SLUG}/layers/{layer}.geojson?{}",
                query(BOX, 15)
            ),
        )
        .await;
        assert_eq!(status, 200);
        let mut ids: Vec<String> = got["features"]
            .as_array()
            .expect("features")
            .iter()
            .map(|f| f["id"].as_str().expect("no clusters at zoom 15").to_owned())
            .collect();
        ids.sort();
        assert_eq!(ids, expected, "{layer}");
        assert_eq!(got["kort_in_view"], expected.len());
    }
}

#[tokio::test]
async fn clusters_count_every_point_in_view_once() {
    let (dir, app) = story();
    let points = file_features(&dir, "events");
    for (bbox, zoom) in [
        (REGION, 5),
        (BOX, 8),
        (BOX, 11),
        ([38.0, 34.0, 38.3, 34.3], 13),
    ] {
        let in_view = points
            .values()
            .filter(|f| meets(&f["geometry"], bbox))
            .count();
        let (_, got) = get(
            &app,
            &format!(
                "/api/stories/{SLUG}/layers/events.geojson?{}",
                query(bbox, zoom)
            ),
        )
        .await;
        let features = got["features"].as_array().expect("features");
        let mut counted = 0;
        let mut clusters = 0;
        for feature in features {
            let properties = &feature["properties"];
            if properties["cluster"] == true {
                clusters += 1;
                let count = properties["count"].as_u64().expect("count");
                assert!(count >= 2, "a cluster of one: {feature}");
                counted += usize::try_from(count).expect("count");
                // Its members lie in its box, and it is drawn among them.
                let b: Vec<f64> = properties["bbox"]
                    .as_array()
                    .expect("bbox")
                    .iter()
                    .map(|v| v.as_f64().expect("number"))
                    .collect();
                let (lon, lat) = positions(&feature["geometry"])[0];
                assert!(b[0] <= lon && lon <= b[2] && b[1] <= lat && lat <= b[3]);
            } else {
                let id = feature["id"].as_str().expect("id");
                assert_eq!(feature["geometry"], points[id]["geometry"]);
                counted += 1;
            }
        }
        assert_eq!(counted, in_view, "zoom {zoom}: clusters and single points");
        assert_eq!(got["kort_in_view"], in_view);
        if zoom <= 8 {
            assert!(
                features.len() < in_view / 5,
                "zoom {zoom}: {} features sent for {in_view} points",
                features.len()
            );
            assert!(clusters > 0);
        }
    }
}

#[tokio::test]
async fn simplification_keeps_every_line_and_its_ends() {
    let (dir, app) = story();
    let lines = file_features(&dir, "routes");
    let (_, got) = get(
        &app,
        &format!(
            "/api/stories/{SLUG}/layers/routes.geojson?{}",
            query(REGION, 4)
        ),
    )
    .await;
    let features = got["features"].as_array().expect("features");
    assert_eq!(features.len(), lines.len(), "every line is in view");
    let (mut sent, mut stored) = (0, 0);
    for feature in features {
        let id = feature["id"].as_str().expect("id");
        let simplified = positions(&feature["geometry"]);
        let original = positions(&lines[id]["geometry"]);
        assert!(simplified.len() >= 2, "{id} lost its line");
        assert_eq!(simplified.first(), original.first(), "{id} start");
        assert_eq!(simplified.last(), original.last(), "{id} end");
        assert!(
            simplified.iter().all(|p| original.contains(p)),
            "{id}: new vertices"
        );
        sent += simplified.len();
        stored += original.len();
    }
    assert!(sent * 2 < stored, "zoom 4 sent {sent} of {stored} vertices");
}

#[tokio::test]
async fn bad_windows_are_refused_with_what_was_expected() {
    let (_dir, app) = story();
    for (q, says) in [
        ("bbox=1,2,3&zoom=4", "bbox: \"1,2,3\" has 3 numbers"),
        ("bbox=40,30,35,31&zoom=4", "is not a box on Earth"),
        (
            "bbox=37,33,39,35&zoom=99",
            "zoom: \"99\" is not a zoom level",
        ),
        ("bbox=37,33,39,35", "zoom: missing"),
    ] {
        let (status, got) = get(
            &app,
            &format!("/api/stories/{SLUG}/layers/events.geojson?{q}"),
        )
        .await;
        assert_eq!(status, 400, "{q}");
        let message = got["error"].as_str().expect("error");
        assert!(message.contains(says), "{q}: {message}");
    }
}

#[tokio::test]
async fn the_page_lists_what_the_article_mentions_and_the_api_pages_the_rest() {
    let (dir, app) = story();
    let (_, layers) = get(&app, &format!("/api/stories/{SLUG}")).await;
    let events = layers["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .find(|l| l["id"] == "events")
        .expect("events")
        .clone();
    assert_eq!(events["features"], 4_000);

    let mut seen = Vec::new();
    let (_, first) = get(&app, &format!("/api/stories/{SLUG}/layers/events/features")).await;
    let pages = first["pages"].as_u64().expect("pages");
    assert_eq!(pages, 40);
    for page in 1..=pages {
        let (status, got) = get(
            &app,
            &format!("/api/stories/{SLUG}/layers/events/features?page={page}"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(got["total"], 4_000);
        for feature in got["features"].as_array().expect("features") {
            seen.push(feature["id"].as_str().expect("id").to_owned());
        }
    }
    let expected: Vec<String> = file_features(&dir, "events").into_keys().collect();
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "a feature on two pages");
    assert_eq!(sorted, expected);
    let (status, got) = get(
        &app,
        &format!("/api/stories/{SLUG}/layers/events/features?page=41"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        got["error"]
            .as_str()
            .is_some_and(|e| e.contains("page: \"41\"") && e.contains("from 1 to 40")),
        "{got}"
    );
}

#[tokio::test]
async fn the_page_of_a_story_with_a_large_layer_runs_the_bundle_that_draws_it() {
    let (_dir, app) = story();
    let (status, page) = support::answer(&app, &format!("/stories/{SLUG}")).await;
    assert_eq!(status, 200);
    let page = String::from_utf8_lossy(&page);
    // The start script runs the bundle the page names.
    let named = |name: &str| {
        page.split("<meta")
            .find(|tag| tag.contains(&format!("name=\"{name}\"")))
            .and_then(|tag| tag.split("content=\"").nth(1)?.split('"').next())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        named("kort-bundle").starts_with("/pkg/kort-large"),
        "{page}"
    );
    assert!(
        named("kort-bundle-wasm").starts_with("/pkg/kort-large"),
        "{page}"
    );
}

#[tokio::test]
async fn at_a_time_clusters_count_the_points_in_view_by_then() {
    let (dir, app) = story();
    let points = file_features(&dir, "events");
    for (bbox, zoom, time, last_day) in [
        (REGION, 5, "at=2017-06-01", "2017-06-01"),
        (BOX, 9, "at=2017-03-15", "2017-03-15"),
        (BOX, 13, "at=2017-10-01", "2017-10-01"),
    ] {
        let by_then = points
            .values()
            .filter(|f| meets(&f["geometry"], bbox))
            .filter(|f| f["properties"]["date"].as_str().expect("date") <= last_day)
            .count();
        let all = points
            .values()
            .filter(|f| meets(&f["geometry"], bbox))
            .count();
        assert!(0 < by_then && by_then < all, "{time}: a cut of the points");
        let (status, got) = get(
            &app,
            &format!(
                "/api/stories/{SLUG}/layers/events.geojson?{}&{time}",
                query(bbox, zoom)
            ),
        )
        .await;
        assert_eq!(status, 200);
        let mut counted = 0;
        for feature in got["features"].as_array().expect("features") {
            let properties = &feature["properties"];
            if properties["cluster"] == true {
                counted +=
                    usize::try_from(properties["count"].as_u64().expect("count")).expect("count");
            } else {
                let id = feature["id"].as_str().expect("id");
                let date = points[id]["properties"]["date"].as_str().expect("date");
                assert!(date <= last_day, "{id} of {date} shown {time}");
                counted += 1;
            }
        }
        assert_eq!(counted, by_then, "zoom {zoom}, {time}");
        assert_eq!(got["kort_in_view"], by_then);
    }
}

#[tokio::test]
async fn a_layer_too_large_to_keep_is_downloaded_whole_as_it_is_written() {
    let (dir, app) = story();
    let path = format!("/api/stories/{SLUG}/layers/events.geojson");
    let response = tower::ServiceExt::oneshot(
        app.clone(),
        axum::http::Request::get(&path)
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await
    .expect("answer");
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].clone();
    // Written out as it is sent: no length is known before.
    assert!(response.headers().get("content-length").is_none());
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let got: Value = serde_json::from_slice(&body).expect("GeoJSON");
    let mut ids: Vec<&str> = got["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["id"].as_str().expect("id"))
        .collect();
    ids.sort_unstable();
    let expected = file_features(&dir, "events");
    assert_eq!(ids, expected.keys().map(String::as_str).collect::<Vec<_>>());
    // The tag is the story's files and the URL's: asked again, nothing is sent.
    let again = tower::ServiceExt::oneshot(
        app,
        axum::http::Request::get(&path)
            .header("if-none-match", etag)
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await
    .expect("answer");
    assert_eq!(again.status(), 304);
}
