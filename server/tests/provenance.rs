//! Provenance: a source's archived copy, its file's SHA-256 and its media
//! (held back behind a content warning), a feature's geolocation evidence
//! as one chain in its panel, and `kort check`'s word on each.

mod support;

use std::fmt::Write as _;

use kort_server::load;
use scraper::{Html, Selector};
use sha2::Digest as _;
use support::SEED;

/// The video a source is: bytes enough to stand for one.
const VIDEO: &[u8] = b"\x00\x00\x00\x18ftypmp42 not really a video, but its bytes are what count";

/// The seed with a filmed source for the cratered road, and the craters'
/// position geolocated from it.
fn story_with_evidence(hash: &str) -> tempfile::TempDir {
    let dir = support::copy_of_seed();
    let story = dir.path().join(SEED);
    std::fs::create_dir_all(story.join("media")).expect("media folder");
    std::fs::write(story.join("media/craters.mp4"), VIDEO).expect("video");
    let sources = story.join("sources.toml");
    let mut text = std::fs::read_to_string(&sources).expect("sources");
    write!(
        text,
        r#"
[[source]]
id = "craters-video"
kind = "social-media-post"
publisher = "Telegram"
author = "a channel in Deir ez-Zor"
date = "2017-08-30"
title = "Video of the cratered road"
url = "https://t.me/example/1"
archived_url = "https://web.archive.org/web/20170831/https://t.me/example/1"
archived_at = "2017-08-31"
sha256 = "{hash}"
media = {{ kind = "video", file = "media/craters.mp4", credit = "a channel in Deir ez-Zor", alt = "A road with two craters, seen from a car", content_warning = "shows a wounded man" }}
"#
    )
    .expect("text");
    std::fs::write(&sources, text).expect("sources");
    let strikes = story.join("layers/strikes.geojson");
    let mut layer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&strikes).expect("layer")).expect("json");
    let craters = &mut layer["features"][0];
    assert_eq!(craters["id"], "road-craters");
    craters["properties"]["sources"]
        .as_array_mut()
        .expect("sources")
        .push("craters-video".into());
    craters["properties"]["geolocation"] = serde_json::json!({
        "method": "visual-match",
        "by": "the kort verification desk",
        "at": "2017-09-01",
        "source": "craters-video",
        "links": ["https://example.org/geolocation-thread"]
    });
    std::fs::write(&strikes, layer.to_string()).expect("layer");
    dir
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .map(|element| element.text().collect::<String>().trim().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panel_shows_the_chain_the_archive_the_hash_and_a_held_back_video() {
    let dir = story_with_evidence(&sha256_hex(VIDEO));
    let base = support::serve_stories(dir.path());
    let client = reqwest::Client::new();
    let page = client
        .get(format!(
            "{base}/stories/{SEED}/features/road-craters?lang=en"
        ))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let html = Html::parse_document(&page.text().await.expect("text"));
    let panel = ".panel";
    // One step of the chain after another (the arrows between are the stylesheet's).
    assert_eq!(
        texts(&html, &format!("{panel} .provenance .chain > li")),
        [
            "Video posted by a channel in Deir ez-Zor (30 August 2017)",
            "geolocated by the kort verification desk by matching landmarks to satellite imagery (1 September 2017)",
            "Archived copy (opens in a new tab)",
        ]
    );
    assert_eq!(
        texts(&html, &format!("{panel} .evidence a")),
        ["Evidence 1 (opens in a new tab)"]
    );
    // The video: folded behind its warning, never playing or loading by itself.
    let warning = Selector::parse(&format!("{panel} details.media-warning")).expect("css");
    let details = html.select(&warning).next().expect("the warning");
    assert_eq!(details.attr("open"), None);
    assert_eq!(
        texts(&html, &format!("{panel} details.media-warning summary")),
        ["Warning: shows a wounded man. Show it"]
    );
    let video = Selector::parse(&format!("{panel} details.media-warning video")).expect("css");
    let video = html.select(&video).next().expect("the video");
    assert_eq!(video.attr("preload"), Some("none"));
    assert_eq!(video.attr("autoplay"), None);
    assert_eq!(
        video.attr("aria-label"),
        Some("A road with two craters, seen from a car")
    );
    let src = video.attr("src").expect("src").to_owned();
    assert_eq!(src, format!("/stories/{SEED}/media/craters.mp4"));
    assert_eq!(
        texts(&html, &format!("{panel} .source-hash code")),
        [sha256_hex(VIDEO)]
    );
    // A source without any address says so.
    assert!(texts(&html, ".source-no-link").contains(&"No public link".to_owned()));
    // The social preview is the map, never the media.
    let og = Selector::parse(r#"meta[property="og:image"]"#).expect("css");
    let image = html
        .select(&og)
        .next()
        .and_then(|m| m.attr("content"))
        .expect("og:image");
    assert!(image.ends_with("/preview.png"), "{image}");

    // The file is served, in ranges for seeking; nothing else of the folder is.
    let whole = client
        .get(format!("{base}{src}"))
        .send()
        .await
        .expect("video");
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "video/mp4");
    assert_eq!(whole.bytes().await.expect("bytes").as_ref(), VIDEO);
    let part = client
        .get(format!("{base}{src}"))
        .header("range", "bytes=4-7")
        .send()
        .await
        .expect("range");
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.expect("bytes").as_ref(), b"ftyp");
    for refused in [
        "media/other.mp4",
        "media/..%2Fsources.toml",
        "media/..%2Flayers%2Fstrikes.geojson",
        "media/strikes.geojson",
    ] {
        let answer = client
            .get(format!("{base}/stories/{SEED}/{refused}"))
            .send()
            .await
            .expect("answer");
        assert_eq!(answer.status(), 404, "{refused}");
    }
}

#[test]
fn kort_check_names_each_bad_provenance_field() {
    let dir = story_with_evidence(&"ab".repeat(32));
    let folder = dir.path().join(SEED);
    let sources = folder.join("sources.toml");
    let text = std::fs::read_to_string(&sources)
        .expect("sources")
        .replace("https://web.archive.org/web/", "ftp://archive.example/")
        .replace(
            r#"archived_at = "2017-08-31""#,
            r#"archived_at = "31 August""#,
        )
        .replace(
            r#"alt = "A road with two craters, seen from a car""#,
            r#"alt = """#,
        );
    std::fs::write(&sources, text).expect("sources");
    let problems: Vec<String> = match load::story(SEED, &folder) {
        Ok(_) => panic!("a story with bad provenance loads"),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    };
    let told = |part: &str| problems.iter().any(|problem| problem.contains(part));
    for expected in [
        "source `craters-video`: archived_url: \"ftp://archive.example/",
        "source `craters-video`: archived_at: \"31 August\" is not a day",
        "source `craters-video`: media.alt: is empty; expected what it shows",
    ] {
        assert!(told(expected), "{expected} not in {problems:#?}");
    }
    // Fixed, the hash is checked against the file.
    let text = std::fs::read_to_string(&sources)
        .expect("sources")
        .replace("ftp://archive.example/", "https://web.archive.org/web/")
        .replace(
            r#"archived_at = "31 August""#,
            r#"archived_at = "2017-08-31""#,
        )
        .replace(r#"alt = """#, r#"alt = "A road""#);
    std::fs::write(&sources, text).expect("sources");
    let problems: Vec<String> = match load::story(SEED, &folder) {
        Ok(_) => panic!("a wrong hash passes"),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains(&format!(
            "source `craters-video`: sha256: {} is not the SHA-256 of media/craters.mp4 ({})",
            "ab".repeat(32),
            sha256_hex(VIDEO)
        )),
        "{problems:#?}"
    );
    // A geolocation must name one of the feature's sources.
    let strikes = folder.join("layers/strikes.geojson");
    let layer = std::fs::read_to_string(&strikes)
        .expect("layer")
        .replace(r#""source":"craters-video""#, r#""source":"sohr""#);
    std::fs::write(&strikes, layer).expect("layer");
    std::fs::write(
        &sources,
        std::fs::read_to_string(&sources)
            .expect("s")
            .replace(&"ab".repeat(32), &sha256_hex(VIDEO)),
    )
    .expect("sources");
    let problems: Vec<String> = match load::story(SEED, &folder) {
        Ok(_) => panic!("a geolocation of another source passes"),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    };
    assert!(
        problems.iter().any(|p| p.contains(
            "feature `road-craters`: properties.geolocation.source: \"sohr\" is not one of the feature's sources"
        )),
        "{problems:#?}"
    );
}
