//! Positions published coarser than known (`published_precision_m`): no
//! output of the story gives the exact position away, in any number format.
//!
//! Two copies of the seed are served. In the first, two features have
//! exact positions and a published precision. In the second, those
//! positions are replaced by what readers should get (snapped to the
//! grid). Every output of the first must be byte for byte the second's, so
//! nothing readers get depends on the exact position; and none may hold
//! the exact coordinates written any way a number can be.

mod support;

use std::path::Path;

use geo_types::{Geometry, LineString, Point};
use kort_app::story::blur;
use kort_server::{history, load};
use serde_json::{Value, json};
use support::SEED;

/// Where the craters really are, to more places than readers may see.
const CRATERS: [f64; 2] = [39.927_318_4, 34.513_642_7];
const CRATERS_GRID_M: f64 = 5_000.0;
/// A vertex of the convoy's loop, as a witness placed it.
const LOOP_VERTEX: [f64; 2] = [39.031_874_6, 34.538_219_3];
const LOOP_GRID_M: f64 = 10_000.0;
/// Where the craters were first reported (revision 1, published exactly,
/// before a correction moved them and protected the people who filmed them).
const FIRST_CRATERS: [f64; 2] = [39.781_246_3, 34.462_917_5];

/// Sets feature `id` of `layer` in the story in `dir` to `geometry`, with
/// the position published to `grid` metres (or exactly).
fn protect(dir: &Path, layer: &str, id: &str, geometry: &Geometry<f64>, grid: Option<f64>) {
    let file = dir
        .join(SEED)
        .join("layers")
        .join(format!("{layer}.geojson"));
    let mut collection: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("layer")).expect("json");
    let feature = collection["features"]
        .as_array_mut()
        .expect("features")
        .iter_mut()
        .find(|feature| feature["id"] == id)
        .expect("the feature");
    feature["geometry"] = json!(geojson::Geometry::new(geojson::Value::from(geometry)));
    match grid {
        Some(grid) => feature["properties"]["published_precision_m"] = json!(grid),
        None => {
            feature["properties"]
                .as_object_mut()
                .expect("properties")
                .remove("published_precision_m");
        }
    }
    std::fs::write(&file, collection.to_string()).expect("write");
}

fn exact_craters() -> Geometry<f64> {
    Geometry::Point(Point::new(CRATERS[0], CRATERS[1]))
}

fn exact_loop() -> Geometry<f64> {
    Geometry::LineString(LineString::from(vec![
        (39.85, 34.5),
        (LOOP_VERTEX[0], LOOP_VERTEX[1]),
        (38.55, 34.62),
        (38.8721, 34.8868),
    ]))
}

/// The seed with the craters and the convoy's loop published to their
/// grids: at their exact positions, or (`snapped`) at the published ones.
/// Its history has two revisions: the craters were first reported
/// elsewhere and published exactly, and a correction moved and protected
/// them (which reaches back: revision 1 shows them on the grid too).
fn protected_seed(snapped: bool) -> tempfile::TempDir {
    let dir = support::copy_of_seed();
    let published = |exact: Geometry<f64>, grid: f64| {
        if snapped {
            blur::snap(&exact, grid)
        } else {
            exact
        }
    };
    let first = Geometry::Point(Point::new(FIRST_CRATERS[0], FIRST_CRATERS[1]));
    protect(
        dir.path(),
        "strikes",
        "road-craters",
        &published(first, CRATERS_GRID_M),
        None,
    );
    protect(
        dir.path(),
        "route",
        "convoy-loop",
        &published(exact_loop(), LOOP_GRID_M),
        Some(LOOP_GRID_M),
    );
    let folder = dir.path().join(SEED);
    let before = (
        history::story_files(SEED, &folder),
        load::story(SEED, &folder).expect("loads"),
    );
    protect(
        dir.path(),
        "strikes",
        "road-craters",
        &published(exact_craters(), CRATERS_GRID_M),
        Some(CRATERS_GRID_M),
    );
    let after = load::story(SEED, &folder).expect("loads");
    let mut writes = history::revision_writes(1, "2017-08-30T00:00:00Z", &before.0);
    writes.extend(history::revision_writes(
        2,
        "2017-09-02T10:00:00Z",
        &history::story_files(SEED, &folder),
    ));
    let entry = |revision: u32, at: &str| history::Entry {
        at: at.to_owned(),
        by: "anna".into(),
        action: history::Action::Publish,
        revision: Some(revision),
        kind: None,
        note: String::new(),
        changed: history::Changes::default(),
        removed: Vec::new(),
        moved: Vec::new(),
    };
    let corrected = history::Entry {
        kind: Some(kort_app::model::ChangeKind::Correction),
        note: "The craters were 14 km further east.".into(),
        moved: history::moved(&before.1, &after),
        ..entry(2, "2017-09-02T10:00:00Z")
    };
    assert_eq!(corrected.moved.len(), 1, "the craters moved");
    writes.push(history::appended(
        &folder,
        &[entry(1, "2017-08-30T00:00:00Z"), corrected],
    ));
    for (name, text) in writes {
        let path = folder.join(name);
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folders");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// Everything a reader, an embedding site or a program can get of the story.
fn outputs() -> Vec<String> {
    let story = format!("/stories/{SEED}");
    let api = format!("/api/stories/{SEED}");
    let public = format!("https://kort.example.org{story}");
    let mut paths = vec![
        "/".to_owned(),
        "/api/stories".to_owned(),
        api.clone(),
        format!("{api}?lang=en"),
        format!("{api}/features.geojson"),
        format!("{api}/features.geojson?at=2017-08-30"),
        format!("{api}/export.geojson"),
        format!("{api}/export.kml"),
        format!("{api}/export.geojson?layer=strikes"),
        format!("{story}/preview.png"),
        format!("/oembed?url={public}&format=json"),
        format!("/oembed?url={public}/features/road-craters&format=json"),
        format!("{story}/updates.atom"),
        "/updates.atom".to_owned(),
        format!("{story}/rev/1/preview.png"),
        format!("{api}/rev/1"),
        format!("{api}/rev/1/layers/strikes.geojson"),
        format!("{api}/rev/1/features/road-craters"),
        format!("{api}/rev/1/export.kml"),
        format!("{api}/rev/1/export.geojson"),
    ];
    for layer in ["strikes", "route", "places", "areas", "blocked"] {
        paths.push(format!("{api}/layers/{layer}.geojson"));
        paths.push(format!("{api}/layers/{layer}/features"));
    }
    for page in [
        story.clone(),
        format!("/embed{story}"),
        format!("{story}/rev/1"),
        format!("{story}/rev/2"),
    ] {
        paths.push(page.clone());
        paths.push(format!(
            "{page}?lang=en&view=39.5,34.2,40.5,34.8&at=2017-08-30"
        ));
        for id in ["road-craters", "convoy-loop", "blocked-bridge"] {
            paths.push(format!("{page}/features/{id}"));
            paths.push(format!("{page}/features/{id}?lang=en"));
        }
    }
    for id in ["road-craters", "convoy-loop"] {
        paths.push(format!("{api}/features/{id}"));
        paths.push(format!("{api}/features/{id}?lang=en"));
        paths.push(format!("{story}/features/{id}/preview.png"));
    }
    paths
}

/// The ways `value` (degrees) could be written: rounded and cut to 3 to 8
/// places with a point or a comma, as integers of 1e-5 to 1e-7 degrees,
/// in degrees, minutes and seconds, and as Web Mercator metres.
fn spellings(value: f64, latitude: bool) -> Vec<String> {
    let mut out = Vec::new();
    for places in 3..=8 {
        let scale = 10f64.powi(places);
        let width = usize::try_from(places).expect("small");
        for digits in [value, (value * scale).trunc() / scale] {
            let text = format!("{digits:.width$}");
            out.push(text.replace('.', ","));
            out.push(text);
        }
    }
    for scale in [1e5, 1e6, 1e7] {
        out.push(format!("{}", (value * scale).round()));
    }
    let degrees = value.trunc();
    let minutes = ((value - degrees) * 60.0).trunc();
    let seconds = ((value - degrees) * 60.0 - minutes) * 60.0;
    out.push(format!("{degrees}°{minutes}′{:.0}", seconds.trunc()));
    out.push(format!("{degrees}°{minutes}'{:.0}", seconds.trunc()));
    out.push(format!("{degrees}° {minutes}′ {:.0}", seconds.trunc()));
    let radius = 6_378_137.0;
    let metres = if latitude {
        radius
            * (std::f64::consts::FRAC_PI_4 + value.to_radians() / 2.0)
                .tan()
                .ln()
    } else {
        radius * value.to_radians()
    };
    out.push(format!("{:.0}", metres.round()));
    out.push(format!("{metres:.1}"));
    out
}

/// Each spelling of the exact positions, with the position it spells.
fn secrets() -> Vec<(String, String)> {
    [CRATERS, LOOP_VERTEX, FIRST_CRATERS]
        .iter()
        .flat_map(|[lon, lat]| {
            let mut all = spellings(*lon, false);
            all.extend(spellings(*lat, true));
            all.into_iter()
                .map(move |spelling| (format!("{lon},{lat}"), spelling))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_output_gives_a_protected_position_away() {
    let (exact, published) = (protected_seed(false), protected_seed(true));
    let craters = blur::snap(&exact_craters(), CRATERS_GRID_M);
    let convoy_loop = blur::snap(&exact_loop(), LOOP_GRID_M);
    let (exact_base, published_base) = (
        support::serve_stories(exact.path()),
        support::serve_stories(published.path()),
    );

    let secrets = secrets();
    // The test means something: the snapped positions are written none of those ways.
    for geometry in [&craters, &convoy_loop] {
        let text = serde_json::to_string(&geojson::Geometry::new(geojson::Value::from(geometry)))
            .expect("json");
        for (position, spelling) in &secrets {
            assert!(
                !text.contains(spelling.as_str()),
                "{position} snapped still reads {spelling}"
            );
        }
    }

    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client");
    for path in outputs() {
        let get = |base: &str| {
            let request = client.get(format!("{base}{path}"));
            async move {
                let response = request.send().await.expect("an answer");
                let status = response.status();
                (status, response.bytes().await.expect("the body"))
            }
        };
        let (status, body) = get(&exact_base).await;
        assert_eq!(status, 200, "{path}");
        let (_, published_body) = get(&published_base).await;
        assert!(
            body == published_body,
            "{path}: differs from the story that only has the published positions"
        );
        let text = String::from_utf8_lossy(&body);
        for (position, spelling) in &secrets {
            assert!(
                !text.contains(spelling.as_str()),
                "{path} gives {position} away as {spelling}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_are_told_a_position_is_given_coarser_to_protect_people() {
    let exact = protected_seed(false);
    let exact_base = support::serve_stories(exact.path());
    let client = reqwest::Client::new();
    // Readers are told, in the panel and the API.
    let page = client
        .get(format!(
            "{exact_base}/stories/{SEED}/features/road-craters?lang=en"
        ))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    assert!(
        page.contains("Position given only to ± 5 km to protect"),
        "{page}"
    );
    let feature: Value = client
        .get(format!(
            "{exact_base}/api/stories/{SEED}/features/road-craters"
        ))
        .send()
        .await
        .expect("feature")
        .json()
        .await
        .expect("json");
    assert_eq!(feature["published_precision_m"], json!(5000.0), "{feature}");
    // The circle drawn holds the true place: the story's 25 km and the grid.
    assert_eq!(feature["uncertainty_m"], json!(30000.0), "{feature}");
}
