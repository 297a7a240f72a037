//! `kort import`, run as editors run it: the real binary, on a copy of the
//! seed story, from files and from an origin server on 127.0.0.1.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kort_server::load;
use support::{Answer, Origin, SEED, TWO_POSITIONS, copy_of_seed, snapshot};

fn kort_import(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kort"))
        .arg("import")
        .args(args)
        .args(["--story", SEED, "--data"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .env_remove("KORT_FETCH_ALLOW")
        .output()
        .expect("kort runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The layer's features as the story now loads them (ids and titles).
fn layer_features(data: &Path, layer: &str) -> Vec<(String, String)> {
    let story = load::story(SEED, &data.join(SEED)).expect("the story still validates");
    story
        .layers
        .iter()
        .find(|l| l.id == layer)
        .expect("the layer")
        .features
        .iter()
        .map(|f| (f.id.clone(), f.title.clone()))
        .collect()
}

#[test]
fn a_geojson_file_becomes_a_new_layer_and_bad_features_are_reported() {
    let data = copy_of_seed();
    let file = data.path().join("partner.geojson");
    // Two good features, one without geometry and one whose date is not a date.
    let text = TWO_POSITIONS.replace(
        "\n]}",
        r#",
 {"type":"Feature","id":"P-3","geometry":null,"properties":{"name":"Somewhere"}},
 {"type":"Feature","id":"P-4","geometry":{"type":"Point","coordinates":[40.1,34.9]},"properties":{"name":"Later","seen":"early September"}}
]}"#,
    );
    std::fs::write(&file, text).expect("write");
    let output = kort_import(
        data.path(),
        &[
            file.to_str().expect("path"),
            "--layer",
            "sightings",
            "--title",
            "Reported sightings",
            "--date-from",
            "seen",
            "--cite",
            "article",
        ],
    );
    let report = stdout(&output);
    assert!(output.status.success(), "{report}");
    assert!(
        report.contains("imported 2 feature(s) into layer `sightings`"),
        "{report}"
    );
    assert!(report.contains("added to story.toml"), "{report}");
    assert!(report.contains("skipped 2:"), "{report}");
    assert!(report.contains("#3: has no geometry"), "{report}");
    assert!(
        report.contains("sightings-p-4: properties.date"),
        "the reason names the feature and the field: {report}"
    );
    assert_eq!(
        layer_features(data.path(), "sightings"),
        [
            (
                "sightings-p-1".to_owned(),
                "Convoy seen near Tadmur".to_owned()
            ),
            (
                "sightings-p-2".to_owned(),
                "Convoy stopped east of al-Sukhnah".to_owned()
            ),
        ]
    );
}

#[test]
fn ndjson_and_csv_come_from_a_server_that_is_explicitly_allowed() {
    let data = copy_of_seed();
    let ndjson = TWO_POSITIONS
        .trim_start_matches(r#"{"type":"FeatureCollection","features":["#)
        .trim_end_matches("]}")
        .replace("}},\n", "}}\n");
    let origin = Origin::start(Answer::ok("application/x-ndjson", &ndjson));
    let url = format!("{}/layer", origin.base);
    let output = kort_import(
        data.path(),
        &[
            &url,
            "--layer",
            "sightings",
            "--title",
            "Sightings",
            "--cite",
            "article",
            "--allow",
            "127.0.0.1/32",
        ],
    );
    assert!(output.status.success(), "{}", stdout(&output));
    assert_eq!(layer_features(data.path(), "sightings").len(), 2);

    // CSV with its own column names, mapped by a file, into the same layer:
    // the layer's file is replaced.
    let csv = "ref;place;breddegrad;laengdegrad;dato\n";
    let csv = csv.replace(';', ",")
        + "a1,Humaymah,34.40,39.20,2017-08-29\n"
        + "a2,Bridge,34.45,38.50,2017-08-30\n"
        + "a3,Nowhere,,,\n";
    origin.set(|answer| *answer = Answer::ok("text/csv; charset=utf-8", &csv));
    let mapping = data.path().join("mapping.toml");
    std::fs::write(
        &mapping,
        "id = \"ref\"\ntitle = \"place\"\ndate = \"dato\"\nlat = \"breddegrad\"\nlon = \"laengdegrad\"\nsources = [\"article\"]\n",
    )
    .expect("mapping");
    let output = kort_import(
        data.path(),
        &[
            &url,
            "--layer",
            "sightings",
            "--format",
            "csv",
            "--mapping",
            mapping.to_str().expect("path"),
            "--allow",
            "127.0.0.1",
        ],
    );
    let report = stdout(&output);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("imported 2 feature(s)"), "{report}");
    assert!(
        report.contains("row 4:"),
        "the CSV row without a position is named: {report}"
    );
    assert_eq!(
        layer_features(data.path(), "sightings"),
        [
            ("sightings-a1".to_owned(), "Humaymah".to_owned()),
            ("sightings-a2".to_owned(), "Bridge".to_owned()),
        ]
    );
}

#[test]
fn refused_and_failed_imports_leave_the_story_exactly_as_it_was() {
    let data = copy_of_seed();
    let before = snapshot(data.path());
    let origin = Origin::start(Answer::ok("application/geo+json", TWO_POSITIONS));
    let url = format!("{}/layer", origin.base);
    let cases: Vec<(Vec<String>, &str)> = vec![
        // Loopback without the allow-list: refused before any request.
        (
            vec![
                url.clone(),
                "--layer".into(),
                "x".into(),
                "--title".into(),
                "X".into(),
                "--cite".into(),
                "article".into(),
            ],
            "not a public address",
        ),
        // No source cited: every feature fails the story's rule.
        (
            vec![
                url.clone(),
                "--layer".into(),
                "x".into(),
                "--title".into(),
                "X".into(),
                "--allow".into(),
                "127.0.0.1".into(),
            ],
            "nothing was written",
        ),
        // A layer that does not exist, without a title to create it.
        (
            vec![
                url.clone(),
                "--layer".into(),
                "x".into(),
                "--allow".into(),
                "127.0.0.1".into(),
            ],
            "has no layer `x`",
        ),
        // A source cited that the story does not have.
        (
            vec![
                url.clone(),
                "--layer".into(),
                "x".into(),
                "--title".into(),
                "X".into(),
                "--cite".into(),
                "nobody".into(),
                "--allow".into(),
                "127.0.0.1".into(),
            ],
            "\"nobody\" is not in the story's sources",
        ),
        (
            vec![
                "file:///etc/passwd".into(),
                "--layer".into(),
                "x".into(),
                "--title".into(),
                "X".into(),
            ],
            "not a web address",
        ),
        (
            vec![
                "no-such-file.geojson".into(),
                "--layer".into(),
                "x".into(),
                "--title".into(),
                "X".into(),
            ],
            "cannot read no-such-file.geojson",
        ),
    ];
    let hits_before = origin.hits();
    for (index, (args, expected)) in cases.iter().enumerate() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = kort_import(data.path(), &args);
        let report = stdout(&output);
        assert!(!output.status.success(), "{args:?} should fail");
        assert!(
            report.contains(expected),
            "{args:?}: expected {expected:?} in {report}"
        );
        assert!(report.contains("the story was not changed"), "{report}");
        assert_eq!(snapshot(data.path()), before, "{args:?} changed the story");
        if index == 0 {
            assert_eq!(
                origin.hits(),
                hits_before,
                "the refused request reached the origin"
            );
        }
    }
}

#[test]
fn an_import_killed_halfway_leaves_the_story_unchanged() {
    let data = copy_of_seed();
    let before = snapshot(data.path());
    // The origin sends the layer in 10 pieces a second apart.
    let origin = Origin::start(Answer {
        trickle: 10,
        ..Answer::ok("application/geo+json", TWO_POSITIONS)
    });
    let mut child = Command::new(env!("CARGO_BIN_EXE_kort"))
        .args([
            "import",
            &format!("{}/layer", origin.base),
            "--layer",
            "sightings",
        ])
        .args([
            "--title",
            "Sightings",
            "--cite",
            "article",
            "--allow",
            "127.0.0.1",
        ])
        .args(["--story", SEED, "--data"])
        .arg(data.path())
        .env("KORT_FETCH_TIMEOUT_SECONDS", "60")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kort runs");
    let deadline = Instant::now() + Duration::from_secs(20);
    while origin.hits() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(origin.hits(), 1, "the import did not start");
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        child.try_wait().expect("status").is_none(),
        "the import ended too soon"
    );
    child.kill().expect("kill");
    child.wait().expect("reaped");
    assert_eq!(
        snapshot(data.path()),
        before,
        "the killed import changed the story"
    );
}
