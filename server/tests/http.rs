//! The server end to end over HTTP: pages, API, errors, with the real seed
//! story, on an ephemeral port on 127.0.0.1.

mod support;

use std::path::{Path, PathBuf};

use kort_server::preview::Basemap;

use kort_app::story::Stories;
use kort_server::{AppState, load};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

const SEED: &str = "arsal-convoy-2017";

fn seed_stories() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/stories")
}

/// Serves the stories in `dir` and returns the base URL.
///
/// Each server runs on a runtime of its own, on its own thread, for the
/// whole test process: a test's runtime ends with the test, and the server
/// must not depend on one that has ended.
async fn serve(dir: &Path) -> String {
    serve_watching(dir, None).await
}

/// [`serve`], and with `watch` set, reloads stories as kort does when they
/// change on disk, looking at the files that often.
async fn serve_watching(dir: &Path, watch: Option<std::time::Duration>) -> String {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_writer(std::io::stderr)
        .try_init();
    let catalog = load::catalog(dir).expect("stories folder readable");
    let stories = Stories::new(catalog);
    let (watched, reloaded) = (dir.to_path_buf(), stories.clone());
    let addr = support::serve(
        move |_| {
            AppState::builder(stories)
                .site(kort_app::model::Site {
                    public_url: "https://kort.example.org".into(),
                    tiles: None,
                    contact: None,
                })
                .basemap(Basemap::load(&support::root().join("public/basemap")))
        },
        move || {
            if let Some(interval) = watch {
                tokio::spawn(kort_server::reload::watch(
                    watched, reloaded, interval, None,
                ));
            }
        },
    );
    format!("http://{addr}")
}

/// A client whose requests fail after 20 s rather than hang the test run.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client")
}

/// GETs `url`, failing after 20 s.
fn send(
    url: impl reqwest::IntoUrl,
) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> {
    client().get(url).send()
}

/// GETs `url` as a reader whose browser asks for English.
async fn get(url: &str) -> (u16, String, String) {
    get_in(url, Some("en-GB,en;q=0.9")).await
}

/// GETs `url` with this `Accept-Language`, or none.
async fn get_in(url: &str, accept_language: Option<&str>) -> (u16, String, String) {
    let mut request = client().get(url);
    if let Some(languages) = accept_language {
        request = request.header("accept-language", languages);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, response.text().await.expect("body"))
}

async fn json(url: &str) -> (u16, Value) {
    let (status, kind, body) = get(url).await;
    assert!(kind.contains("json"), "{url}: content type {kind}");
    (status, serde_json::from_str(&body).expect("JSON body"))
}

#[tokio::test]
async fn health_counts_the_stories_and_the_bytes_the_caches_keep() {
    let base = serve(&seed_stories()).await;
    let (status, body) = json(&format!("{base}/healthz")).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["stories"]["loaded"], 1);
    assert_eq!(body["stories"]["broken"], 0);
    assert_eq!(body["kept_bytes"]["pages"], 0, "{body}");
    assert_eq!(body["kept_bytes"]["previews"], 0, "{body}");

    // A page is kept the second time it is asked for, a preview the first.
    for path in ["", "", "/preview.png"] {
        assert_eq!(get(&format!("{base}/stories/{SEED}{path}")).await.0, 200);
    }
    let (_, body) = eventually(&format!("{base}/healthz"), |_, body| {
        let health: Value = serde_json::from_str(body).unwrap_or_default();
        health["kept_bytes"]["pages"].as_u64() > Some(10_000)
            && health["kept_bytes"]["previews"].as_u64() > Some(10_000)
    })
    .await;
    let health: Value = serde_json::from_str(&body).expect("JSON body");
    let pages = health["kept_bytes"]["pages"].as_u64().unwrap_or_default();
    assert!(
        (10_000..1_000_000).contains(&pages),
        "one page kept compressed both ways: {health}"
    );
    assert!(
        health["kept_bytes"]["previews"].as_u64() > Some(10_000),
        "{health}"
    );
}

#[tokio::test]
async fn the_api_lists_and_describes_the_seed_story() {
    let base = serve(&seed_stories()).await;
    let (status, list) = json(&format!("{base}/api/stories")).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["slug"], SEED);
    assert_eq!(list[0]["language"], "da");
    assert_eq!(list[0]["published"], "2017-08-30");

    let (status, story) = json(&format!("{base}/api/stories/{SEED}")).await;
    assert_eq!(status, 200);
    let paragraphs = story["paragraphs"].as_array().expect("paragraphs");
    assert_eq!(paragraphs.len(), 12);
    assert_eq!(paragraphs[6]["id"], "kratre");
    assert!(
        paragraphs[6]["text"]
            .as_str()
            .is_some_and(|t| t.contains("ødelagt en lille bro"))
    );
    let layers: Vec<&str> = story["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .filter_map(|l| l["id"].as_str())
        .collect();
    assert_eq!(layers, ["areas", "route", "blocked", "places", "strikes"]);
    let afp = story["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .find(|s| s["id"] == "dillon-afp")
        .expect("AFP source");
    assert_eq!(afp["kind"], "wire-report");
    assert_eq!(afp["publisher"], "AFP");
}

#[tokio::test]
async fn features_are_geojson_with_uncertainty_and_passages() {
    let base = serve(&seed_stories()).await;
    let (status, kind, body) = get(&format!("{base}/api/stories/{SEED}/features.geojson")).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "application/geo+json");
    let collection: geojson::FeatureCollection = body.parse().expect("RFC 7946 FeatureCollection");
    let ids: Vec<String> = collection
        .features
        .iter()
        .filter_map(|f| match &f.id {
            Some(geojson::feature::Id::String(id)) => Some(id.clone()),
            _ => None,
        })
        .collect();
    for required in [
        "arsal-enclave",
        "convoy-route",
        "convoy-route-blocked",
        "road-craters",
        "blocked-bridge",
        "arsal",
        "albu-kamal",
    ] {
        assert!(
            ids.iter().any(|id| id == required),
            "{required} missing from {ids:?}"
        );
    }
    let bridge = collection
        .features
        .iter()
        .find(|f| f.id == Some(geojson::feature::Id::String("blocked-bridge".into())))
        .expect("bridge");
    assert_eq!(
        bridge.property("uncertainty_m"),
        Some(&serde_json::json!(25000.0))
    );
    assert_eq!(
        bridge.property("passages").expect("passages")[0]["paragraph"],
        "kratre"
    );
    let geometry = geo_types::Geometry::<f64>::try_from(bridge.geometry.clone().expect("geometry"))
        .expect("geometry");
    let geo_types::Geometry::Point(point) = geometry else {
        panic!("the bridge is a point");
    };
    assert!((point.x() - 39.88).abs() < 1e-9 && (point.y() - 34.5).abs() < 1e-9);
}

#[tokio::test]
async fn a_layer_is_served_alone_and_unknown_ones_are_404() {
    let base = serve(&seed_stories()).await;
    let (status, kind, body) =
        get(&format!("{base}/api/stories/{SEED}/layers/strikes.geojson")).await;
    assert_eq!((status, kind.as_str()), (200, "application/geo+json"));
    let collection: geojson::FeatureCollection = body.parse().expect("geojson");
    assert_eq!(collection.features.len(), 2);

    for path in [
        "layers/nope.geojson",
        "layers/strikes",
        "layers/strikes.json",
    ] {
        let (status, body) = json(&format!("{base}/api/stories/{SEED}/{path}")).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains("has no layer")),
            "{path}: {body}"
        );
    }
    let (status, body) = json(&format!("{base}/api/stories/nope")).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "there is no story `nope`");
    let (status, _) = json(&format!("{base}/api/nothing-here")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn one_feature_is_served_with_its_passages_in_the_language_asked_for() {
    let base = serve(&seed_stories()).await;
    let url = format!("{base}/api/stories/{SEED}/features/blocked-bridge");
    let (status, danish) = json(&url).await;
    assert_eq!(status, 200, "{danish}");
    assert_eq!(danish["id"], "blocked-bridge");
    assert_eq!(danish["layer"], "strikes");
    let (status, english) = json(&format!("{url}?lang=en")).await;
    assert_eq!(status, 200, "{english}");
    let quote = |feature: &Value| feature["passages"][0]["exact"].as_str().map(str::to_owned);
    assert!(quote(&danish).is_some(), "{danish}");
    assert!(quote(&english).is_some(), "{english}");
    assert_ne!(
        quote(&danish),
        quote(&english),
        "the passage is quoted from the text in the language asked for"
    );
    let (status, unknown_language) = json(&format!("{url}?lang=fr")).await;
    assert_eq!(status, 200);
    assert_eq!(
        quote(&unknown_language),
        quote(&danish),
        "else the original's"
    );
    // Its title and note in the story's words in the language asked for,
    // or in `words`; else in the data language.
    assert_eq!(danish["title"], "Ødelagt bro øst for Humaymah");
    assert_eq!(english["title"], "Destroyed bridge east of Humaymah");
    assert_eq!(
        unknown_language["title"],
        "Destroyed bridge east of Humaymah"
    );
    let (_, arabic) = json(&format!("{url}?lang=da&words=ar")).await;
    assert_eq!(arabic["title"], "جسر مدمَّر شرق حميمة");
    assert!(
        arabic["note"]
            .as_str()
            .is_some_and(|note| note.contains("المرصد السوري"))
    );
    assert_eq!(quote(&arabic), quote(&danish), "the passage still Danish");

    let (status, body) = json(&format!("{base}/api/stories/{SEED}/features/nope")).await;
    assert_eq!(status, 404);
    assert_eq!(
        body["error"],
        format!("the story `{SEED}` has no feature `nope`")
    );
    let (status, _) = json(&format!("{base}/api/stories/nope/features/blocked-bridge")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_story_page_is_rendered_on_the_server() {
    let base = serve(&seed_stories()).await;
    let (status, kind, html) = get(&format!("{base}/stories/{SEED}")).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    let page = Html::parse_document(&html);
    assert!(
        text(one(&page, "h1")).contains("Koalitionen bomber vejen for IS-konvoj"),
        "title"
    );
    assert_eq!(
        one(&page, "article").attr("lang"),
        Some("da"),
        "article in Danish"
    );
    // The bridge passage links to the bridge's deep link.
    let bridge = format!("/stories/{SEED}/features/blocked-bridge");
    let passage = one(&page, &format!("article a.passage[href=\"{bridge}\"]"));
    assert!(
        text(passage).contains("ødelagt en lille bro"),
        "{}",
        text(passage)
    );
    // The feature list has every layer and a link per feature.
    let layers: Vec<String> = select(&page, ".feature-list section[data-layer]")
        .into_iter()
        .map(text)
        .collect();
    assert!(
        layers
            .iter()
            .any(|layer| layer.contains("Coalition strikes")),
        "{layers:?}"
    );
    one(
        &page,
        &format!(".feature-list a[href=\"/stories/{SEED}/features/arsal-enclave\"]"),
    );
    // No feature is selected, so no panel and nothing marked.
    assert!(select(&page, ".panel").is_empty());
    assert!(select(&page, "a.passage.selected, .feature-list [aria-current]").is_empty());
    assert!(
        text(one(&page, ".map-frame .map-loading")).contains("Loading the map"),
        "the map area says it is loading"
    );
}

#[tokio::test]
async fn the_story_s_own_words_follow_the_reader_s_language() {
    let base = serve(&seed_stories()).await;
    let page = |url: String, accept: &'static str| async move {
        let (status, _, html) = get_in(&url, Some(accept)).await;
        assert_eq!(status, 200, "{url}");
        Html::parse_document(&html)
    };
    // A Danish reader: the Danish article, and the story's words in Danish.
    let danish = page(
        format!("{base}/stories/{SEED}/features/blocked-bridge"),
        "da",
    )
    .await;
    let written = |html: &Html, css: &str| {
        let element = one(html, css);
        (
            text(element),
            element.value().attr("lang").unwrap_or_default().to_owned(),
        )
    };
    assert_eq!(
        written(&danish, ".panel h2"),
        ("Ødelagt bro øst for Humaymah".to_owned(), "da".to_owned())
    );
    assert_eq!(
        written(&danish, ".panel-layer").0,
        "Koalitionens luftangreb"
    );
    assert!(
        written(&danish, ".panel .note")
            .0
            .starts_with("Anslået: ca. 3 km øst for Humaymah")
    );
    assert!(
        written(&danish, ".summary")
            .0
            .starts_with("En USA-ledet koalition")
    );
    assert_eq!(
        written(&danish, ".byline bdi").0,
        "Dansk nyhedsartikel (bureautelegram), 30. august 2017; rubrikken er tilføjet af kort"
    );
    let sources = text(one(&danish, ".story-sources"));
    assert!(
        sources.contains("Syrisk Observatorium for Menneskerettigheder"),
        "{sources}"
    );
    let list = text(one(&danish, ".feature-list"));
    for title in [
        "Vej med kratre øst for Humaymah",
        "Steder",
        "Humaymah (anslået)",
    ] {
        assert!(list.contains(title), "{title} in {list}");
    }
    // The English page, as the story gives its words.
    let english = page(
        format!("{base}/stories/{SEED}/features/blocked-bridge?lang=en"),
        "da",
    )
    .await;
    assert_eq!(
        written(&english, ".panel h2"),
        (
            "Destroyed bridge east of Humaymah".to_owned(),
            "en".to_owned()
        )
    );
    assert_eq!(written(&english, ".panel-layer").0, "Coalition strikes");
    // A reader kort has no interface for (French) reads the interface in
    // the article's language, and the story's words with it.
    let french = page(format!("{base}/stories/{SEED}"), "fr").await;
    assert_eq!(one(&french, "html").value().attr("lang"), Some("da"));
    assert_eq!(written(&french, ".summary").1, "da");
    assert!(
        select(&french, ".feature-list a[data-feature]")
            .iter()
            .all(|title| title.value().attr("lang") == Some("da"))
    );
}

#[tokio::test]
async fn a_deep_link_renders_the_feature_panel_before_javascript() {
    let base = serve(&seed_stories()).await;
    let (status, _, html) = get(&format!("{base}/stories/{SEED}/features/blocked-bridge")).await;
    assert_eq!(status, 200);
    let page = Html::parse_document(&html);
    let panel = one(&page, ".panel");
    let said = text(panel);
    for part in [
        "Destroyed bridge east of Humaymah",
        "Approximate position, ± 25 km",
        "Wire report",
        "AFP",
        "Col. Ryan Dillon",
        "har vi skabt kratre på vejen og ødelagt en lille bro",
    ] {
        assert!(said.contains(part), "the panel says {part:?}: {said}");
    }
    assert_eq!(
        within(panel, "a[href=\"#q-blocked-bridge-1\"]").len(),
        1,
        "passage link"
    );
    assert!(
        text(one(&page, "title")).starts_with("Destroyed bridge east of Humaymah — "),
        "title names the feature"
    );
    // The selected passage, and only it, is highlighted in the article;
    // the feature list marks the bridge as the current page.
    let selected = one(&page, "article a.passage.selected");
    assert!(text(selected).contains("ødelagt en lille bro"));
    let current = one(&page, ".feature-list a[aria-current=\"page\"]");
    assert_eq!(current.attr("data-feature"), Some("blocked-bridge"));
}

/// A response header as text ("" when absent).
/// The server renders each mark of the reader's state (`marks::ALL`) as
/// the browser sets it when the address changes: one rule for both.
#[tokio::test]
async fn the_server_marks_the_page_by_the_rules_the_browser_follows() {
    use kort_app::components::marks::{self, Target};
    use kort_app::links::{PageUrl, parse_layers};

    let base = serve(&seed_stories()).await;
    // Each mark is set somewhere and left unset somewhere across these.
    let mut set = [false; marks::ALL.len()];
    let mut unset = [false; marks::ALL.len()];
    for address in [
        format!("/stories/{SEED}"),
        format!("/stories/{SEED}/features/blocked-bridge"),
        format!("/stories/{SEED}/features/arsal?lang=en&at=2017-08-28&layers=places,route"),
        format!("/stories/{SEED}/features/humaymah?range=2017-08-29/2017-08-31&layers=strikes"),
    ] {
        let (status, _, html) = get(&format!("{base}{address}")).await;
        assert_eq!(status, 200, "{address}");
        let page = Html::parse_document(&html);
        let known: Vec<&str> = select(&page, ".feature-list section[data-layer]")
            .into_iter()
            .filter_map(|section| section.attr("data-layer"))
            .collect();
        let url = PageUrl::parse(&address).expect("a story page's address");
        let url = {
            let layers = parse_layers(url.choices.layers.as_deref(), known.iter().copied());
            url.with_layers(layers)
        };
        for (n, mark) in marks::ALL.iter().enumerate() {
            let elements = select(&page, mark.selector);
            assert!(
                !elements.is_empty(),
                "{address}: nothing matches {}",
                mark.selector
            );
            for element in elements {
                let key = element.attr(mark.key).expect("the selector names the key");
                let expected = mark.value(&url, key);
                let rendered = match mark.target {
                    Target::Attribute(name) => element.attr(name).map(str::to_owned),
                    Target::Class(name) => element
                        .value()
                        .has_class(name, scraper::CaseSensitivity::CaseSensitive)
                        .then(String::new),
                };
                assert_eq!(
                    rendered, expected,
                    "{address}: {} of {} with {}={key:?}",
                    mark.selector, mark.key, mark.key
                );
                set[n] |= expected.is_some();
                unset[n] |= expected.is_none();
            }
        }
    }
    for (n, mark) in marks::ALL.iter().enumerate() {
        // A link's address is always set.
        let always = mark.target == Target::Attribute("href");
        assert!(
            set[n] && (unset[n] || always),
            "{} is tried both ways",
            mark.selector
        );
    }
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_head_request_gets_the_headers_of_the_get_and_no_body() {
    let base = serve(&seed_stories()).await;
    for path in [
        format!("/stories/{SEED}"),
        format!("/stories/{SEED}/features/blocked-bridge"),
        format!("/api/stories/{SEED}/layers/route.geojson"),
        format!("/stories/{SEED}/preview.png"),
    ] {
        let url = format!("{base}{path}");
        let got = send(&url).await.expect("GET");
        assert_eq!(got.status(), 200, "{path}");
        let head = client().head(&url).send().await.expect("HEAD");
        assert_eq!(head.status(), 200, "{path}");
        // A cache in front compares a HEAD's validator with the copy it
        // keeps: a different one would throw the copy away.
        for name in [
            "etag",
            "cache-control",
            "content-type",
            "content-security-policy",
            "vary",
        ] {
            assert_eq!(header(&head, name), header(&got, name), "{path}: {name}");
        }
        assert!(!header(&got, "etag").is_empty(), "{path} has a validator");
        assert!(head.bytes().await.expect("body").is_empty(), "{path}");
    }
}

/// Every inline script of the page is allowed by the SHA-256 hash the
/// policy names for it, and nothing else inline may run: no
/// `'unsafe-inline'`, no nonce.
fn assert_scripts_need_their_hash(policy: &str, html: &str) {
    use base64::Engine as _;
    use sha2::Digest as _;
    let scripts = policy
        .split(';')
        .find_map(|directive| directive.trim().strip_prefix("script-src "))
        .expect("script-src");
    assert!(!scripts.contains("'unsafe-inline'"), "{scripts}");
    assert!(!scripts.contains("'nonce-"), "{scripts}");
    assert!(!html.contains(" nonce="), "no nonce left in the page");
    let mut inline = 0;
    for piece in html.split("<script").skip(1) {
        let (tag, rest) = piece.split_once('>').expect("tag end");
        if tag.contains(" src=") {
            continue;
        }
        let text = &rest[..rest.find("</script>").expect("script end")];
        let hash =
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()));
        assert!(
            scripts.contains(&format!("'sha256-{hash}'")),
            "the policy allows {text:.60}"
        );
        inline += 1;
    }
    assert!(inline > 0);
}

/// The elements of `html` that match the CSS selector `css`.
fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&selector(css)).collect()
}

/// The CSS selector `css`, which a test writes right.
fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|error| panic!("{css}: {error}"))
}

/// The elements inside `element` that match `css`.
fn within<'a>(element: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    element.select(&selector(css)).collect()
}

/// The one element of `html` that matches `css`.
fn one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    let found = select(html, css);
    assert_eq!(found.len(), 1, "{css}: {} elements", found.len());
    found[0]
}

/// An element's text, as a reader sees it (whitespace kept).
fn text(element: ElementRef<'_>) -> String {
    element.text().collect()
}

/// The `lang` attribute of the first `tag` element.
fn lang_of(html: &str, tag: &str) -> String {
    let page = Html::parse_document(html);
    select(&page, tag)
        .first()
        .and_then(|element| element.attr("lang"))
        .unwrap_or_else(|| panic!("no <{tag} lang>"))
        .to_owned()
}

#[tokio::test]
async fn the_language_comes_from_the_url_then_the_reader_then_the_story() {
    let base = serve(&seed_stories()).await;
    let page = format!("{base}/stories/{SEED}/features/blocked-bridge");

    // No preference: the story's language, Danish, for both.
    let (_, _, html) = get_in(&page, None).await;
    assert_eq!(lang_of(&html, "html"), "da");
    assert_eq!(lang_of(&html, "article"), "da");
    assert!(
        html.contains("Omtrentlig position, ± 25 km"),
        "Danish interface"
    );
    assert!(html.contains("30. august 2017"), "Danish dates");

    // An English reader: English interface, the article in its original
    // Danish, with a link to the translation.
    let (_, _, html) = get_in(&page, Some("fr;q=0.9, en;q=0.8, da;q=0.1")).await;
    assert_eq!(lang_of(&html, "html"), "en");
    assert_eq!(lang_of(&html, "article"), "da");
    assert!(html.contains("Approximate position, ± 25 km"));
    assert!(html.contains("ødelagt en lille bro"));
    let page_html = Html::parse_document(&html);
    let translation = one(&page_html, ".text-notice a[data-lang=\"en\"]");
    assert_eq!(text(translation), "Read the translation (English)");
    assert_eq!(
        translation.attr("href"),
        Some(format!("/stories/{SEED}/features/blocked-bridge?lang=en").as_str())
    );

    // `?lang=en` beats the header: the English text, its passages linked,
    // the selected one highlighted, and links that keep the language.
    let (status, _, html) = get_in(&format!("{page}?lang=en"), Some("da")).await;
    assert_eq!(status, 200);
    assert_eq!(lang_of(&html, "html"), "en");
    assert_eq!(lang_of(&html, "article"), "en");
    assert!(html.contains("Coalition bombs the road to stop an IS convoy"));
    assert!(html.contains("Translated from Danish by the kort editors"));
    let page_html = Html::parse_document(&html);
    let selected = one(&page_html, "#article a.passage.selected");
    assert_eq!(text(selected), "destroyed a small bridge");
    assert!(text(one(&page_html, "#article p#kratre")).contains("without giving further details"));
    let arsal = one(&page_html, ".feature-list a[data-feature=\"arsal\"]");
    assert_eq!(
        arsal.attr("href"),
        Some(format!("/stories/{SEED}/features/arsal?lang=en").as_str())
    );

    // `?lang=da` for an English reader: Danish throughout.
    let (_, _, html) = get_in(&format!("{page}?lang=da"), Some("en")).await;
    assert_eq!(lang_of(&html, "html"), "da");
    assert!(html.contains("Kilder"));

    // A language kort does not speak falls back, never fails.
    for bad in ["xx", "%3Cscript%3E", "", "en-"] {
        let (status, _, html) = get_in(&format!("{page}?lang={bad}"), None).await;
        assert_eq!(status, 200, "lang={bad}");
        assert_eq!(lang_of(&html, "html"), "da", "lang={bad}");
    }

    // The front page and the 404 page speak the reader's language too.
    let (_, _, html) = get_in(&format!("{base}/"), Some("da")).await;
    assert!(html.contains("Nyhedshistorier fortalt som tekst"));
    let (status, _, html) = get_in(&format!("{base}/nowhere?lang=da"), None).await;
    assert_eq!(status, 404);
    assert_eq!(lang_of(&html, "html"), "da");
    assert!(html.contains("Ikke fundet"));
}

#[tokio::test]
async fn source_links_open_safely_in_a_new_tab() {
    let base = serve(&seed_stories()).await;
    let (_, _, html) = get(&format!("{base}/stories/{SEED}/features/arsal")).await;
    let page = Html::parse_document(&html);
    let links = select(&page, "a[href=\"https://www.geonames.org/\"]");
    assert!(!links.is_empty(), "GeoNames link");
    for link in links {
        assert_eq!(link.attr("target"), Some("_blank"));
        assert_eq!(link.attr("rel"), Some("noopener noreferrer"));
    }
}

#[tokio::test]
async fn unknown_pages_are_404_with_a_way_back() {
    let base = serve(&seed_stories()).await;
    let (status, _, html) = get(&format!("{base}/stories/{SEED}/features/no-such-thing")).await;
    assert_eq!(status, 404);
    let page = Html::parse_document(&html);
    assert!(text(one(&page, "main")).contains("has no feature “no-such-thing”"));
    assert!(
        !select(&page, &format!("main a[href=\"/stories/{SEED}\"]")).is_empty(),
        "links to the story"
    );

    let (status, _, html) = get(&format!("{base}/stories/no-such-story")).await;
    assert_eq!(status, 404);
    let page = Html::parse_document(&html);
    assert!(text(one(&page, "main")).contains("There is no story “no-such-story”."));
    assert!(
        !select(&page, "main a[href=\"/\"]").is_empty(),
        "links to every story"
    );

    let (status, _, _) = get(&format!("{base}/no/such/page")).await;
    assert_eq!(status, 404);
}

/// Copies the seed story's folder to `to`.
fn copy_seed(to: &Path) {
    let from = seed_stories().join(SEED);
    for entry in walk(&from) {
        let target = to.join(entry.strip_prefix(&from).expect("inside"));
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &target).expect("copy");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("readable")
        .filter_map(Result::ok)
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

#[tokio::test]
async fn a_broken_story_is_held_back_and_the_rest_is_served() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_seed(&dir.path().join(SEED));
    let broken = dir.path().join("broken-story");
    copy_seed(&broken);
    // The copy is made broken by a typo in a quote.
    let strikes = broken.join("layers/strikes.geojson");
    let text = std::fs::read_to_string(&strikes)
        .expect("read")
        .replace("ødelagt en lille bro", "ødelagt en lile bro");
    std::fs::write(&strikes, text).expect("write");

    let base = serve(dir.path()).await;
    let (_, health) = json(&format!("{base}/healthz")).await;
    assert_eq!(health["stories"]["loaded"], 1);
    assert_eq!(health["stories"]["broken"], 1);
    let (status, _, html) = get(&format!("{base}/stories/broken-story")).await;
    assert_eq!(status, 404);
    assert!(
        html.contains("is unavailable"),
        "says the story is unavailable"
    );
    let (status, _, _) = get(&format!("{base}/stories/{SEED}")).await;
    assert_eq!(status, 200);
    let (_, list) = json(&format!("{base}/api/stories")).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
}

#[test]
fn kort_check_prints_every_problem_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let story = dir.path().join(SEED);
    copy_seed(&story);
    // Two mistakes in one feature: no title, and latitude/longitude swapped.
    let places = story.join("layers/places.geojson");
    let mut layer: Value =
        serde_json::from_str(&std::fs::read_to_string(&places).expect("read")).expect("JSON");
    let arsal = &mut layer["features"][0];
    assert_eq!(arsal["id"], "arsal");
    arsal["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("title");
    arsal["geometry"]["coordinates"] = serde_json::json!([34.1794, 36.4208]);
    std::fs::write(&places, layer.to_string()).expect("write");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kort"))
        .args(["check", &dir.path().display().to_string()])
        .output()
        .expect("kort runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let file = format!("{}/layers/places.geojson", story.display());
    assert!(
        stdout.contains(&format!(
            "{file}: feature `arsal`: properties.title: missing"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("feature `arsal`: geometry.coordinates: [34.1794, 36.4208] is far outside the story's view (longitude and latitude look swapped)"), "{stdout}");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kort"))
        .args(["check", &seed_stories().display().to_string()])
        .output()
        .expect("kort runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The `content` of the `<meta>` whose `property` or `name` is `key`.
fn meta(html: &str, key: &str) -> Option<String> {
    let page = Html::parse_document(html);
    select(
        &page,
        &format!("meta[property=\"{key}\"], meta[name=\"{key}\"]"),
    )
    .first()
    .and_then(|element| element.attr("content"))
    .map(str::to_owned)
}

#[tokio::test]
async fn a_feature_deep_link_describes_the_feature_to_social_networks() {
    let base = serve(&seed_stories()).await;
    let (_, _, html) = get(&format!("{base}/stories/{SEED}/features/blocked-bridge")).await;
    let title = "Destroyed bridge east of Humaymah — Koalitionen bomber vejen for IS-konvoj fra grænsen mellem Libanon og Syrien";
    let url = format!("https://kort.example.org/stories/{SEED}/features/blocked-bridge");
    assert_eq!(meta(&html, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&html, "og:title").as_deref(), Some(title));
    assert_eq!(
        meta(&html, "og:description").as_deref(),
        Some("“ødelagt en lille bro”")
    );
    assert_eq!(
        meta(&html, "description").as_deref(),
        Some("“ødelagt en lille bro”")
    );
    assert_eq!(meta(&html, "og:url"), Some(url.clone()));
    assert_eq!(meta(&html, "og:image"), Some(format!("{url}/preview.png")));
    assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
    assert_eq!(meta(&html, "og:image:height").as_deref(), Some("630"));
    assert!(
        meta(&html, "og:image:alt")
            .is_some_and(|alt| alt.contains("Destroyed bridge east of Humaymah"))
    );
    assert_eq!(meta(&html, "og:locale").as_deref(), Some("da_DK"));
    assert_eq!(
        meta(&html, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert_eq!(
        meta(&html, "twitter:image"),
        Some(format!("{url}/preview.png"))
    );
    let canonical = html
        .split("<link ")
        .skip(1)
        .map(|tag| &tag[..tag.find('>').unwrap_or(tag.len())])
        .find(|tag| tag.contains("rel=\"canonical\""))
        .expect("a canonical link");
    assert!(
        canonical.contains(&format!("href=\"{url}\"")),
        "{canonical}"
    );

    let (_, _, html) = get(&format!("{base}/stories/{SEED}")).await;
    assert_eq!(
        meta(&html, "og:image"),
        Some(format!(
            "https://kort.example.org/stories/{SEED}/preview.png"
        ))
    );
    assert!(meta(&html, "og:description").is_some_and(|d| d.starts_with("A US-led coalition")));
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let number =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (number(16), number(20))
}

#[tokio::test]
async fn previews_are_1200_by_630_pngs_that_differ_by_feature_and_revalidate() {
    let base = serve(&seed_stories()).await;
    let client = client();
    let fetch = |path: String| {
        let request = client.get(format!("{base}{path}"));
        async move { request.send().await.expect("request") }
    };
    let bridge = fetch(format!(
        "/stories/{SEED}/features/blocked-bridge/preview.png"
    ))
    .await;
    assert_eq!(bridge.status(), 200);
    assert_eq!(bridge.headers()["content-type"], "image/png");
    let etag = bridge.headers()["etag"].to_str().expect("etag").to_owned();
    let bridge = bridge.bytes().await.expect("body");
    assert_eq!(png_size(&bridge), (1200, 630));

    let arsal = fetch(format!("/stories/{SEED}/features/arsal/preview.png"))
        .await
        .bytes()
        .await
        .expect("body");
    assert_eq!(png_size(&arsal), (1200, 630));
    assert_ne!(bridge, arsal, "each feature has its own picture");
    let story = fetch(format!("/stories/{SEED}/preview.png"))
        .await
        .bytes()
        .await
        .expect("body");
    assert_ne!(story, bridge);

    let again = client
        .get(format!(
            "{base}/stories/{SEED}/features/blocked-bridge/preview.png"
        ))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().ok(), Some(etag.as_str()));

    let missing = fetch(format!("/stories/{SEED}/features/nope/preview.png")).await;
    assert_eq!(missing.status(), 404);
    let missing = fetch("/stories/nope/preview.png".to_owned()).await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_story_exports_as_geojson_and_kml_with_sources_and_filenames() {
    let base = serve(&seed_stories()).await;
    let response = send(format!("{base}/api/stories/{SEED}/export.geojson"))
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{SEED}.geojson\"")
    );
    let collection: geojson::FeatureCollection = response
        .text()
        .await
        .expect("body")
        .parse()
        .expect("GeoJSON");
    assert_eq!(collection.features.len(), 14);
    let bridge = collection
        .features
        .iter()
        .find(|f| f.id == Some(geojson::feature::Id::String("blocked-bridge".into())))
        .expect("bridge");
    assert_eq!(
        bridge.property("uncertainty_m"),
        Some(&serde_json::json!(25000.0))
    );
    assert_eq!(
        bridge.property("date"),
        Some(&serde_json::json!("2017-08-30"))
    );
    assert_eq!(
        bridge.property("passages").expect("passages")[0]["exact"],
        "ødelagt en lille bro"
    );
    assert_eq!(
        bridge.property("layer_title"),
        Some(&serde_json::json!("Coalition strikes"))
    );
    let sources = bridge
        .property("sources")
        .and_then(Value::as_array)
        .expect("sources");
    assert!(
        sources
            .iter()
            .any(|s| s["publisher"] == "AFP" && s["kind"] == "wire-report")
    );

    let response = send(format!(
        "{base}/api/stories/{SEED}/export.geojson?layer=strikes"
    ))
    .await
    .expect("request");
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{SEED}-strikes.geojson\"")
    );
    let collection: geojson::FeatureCollection = response
        .text()
        .await
        .expect("body")
        .parse()
        .expect("GeoJSON");
    assert_eq!(collection.features.len(), 2);

    let response = send(format!("{base}/api/stories/{SEED}/export.kml"))
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.google-earth.kml+xml"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{SEED}.kml\"")
    );
    let body = response.text().await.expect("body");
    assert!(body.starts_with("<?xml"), "an XML document");
    let parsed: kml::Kml = body.parse().expect("KML that parses back");
    assert!(matches!(parsed, kml::Kml::KmlDocument(_)));
    assert_eq!(body.matches("<Placemark").count(), 14);
    assert_eq!(body.matches("<Folder").count(), 5);
    assert!(body.contains("<name>Destroyed bridge east of Humaymah</name>"));
    assert!(body.contains("Approximate position, ± 25 km"));
    assert!(body.contains("Source: AFP — Coalition spokesman to AFP"));

    for bad in ["export.kml?layer=nope", "export.geojson?layer=%3Cscript%3E"] {
        let response = send(format!("{base}/api/stories/{SEED}/{bad}"))
            .await
            .expect("request");
        assert_eq!(response.status(), 404, "{bad}");
    }
    let response = send(format!("{base}/api/stories/nope/export.kml"))
        .await
        .expect("request");
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn only_embed_pages_may_be_framed() {
    let base = serve(&seed_stories()).await;
    let response = client()
        .get(format!(
            "{base}/embed/stories/{SEED}/features/blocked-bridge"
        ))
        .header("accept-language", "en")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let policy = header(&response, "content-security-policy");
    assert!(policy.ends_with("frame-ancestors *"), "{policy}");
    assert!(response.headers().get("x-frame-options").is_none());
    let html = response.text().await.expect("body");
    assert_scripts_need_their_hash(&policy, &html);
    let page = Html::parse_document(&html);
    one(&page, ".embed");
    assert!(select(&page, ".site-header").is_empty(), "no site chrome");
    assert!(
        text(one(&page, ".panel")).contains("Destroyed bridge east of Humaymah"),
        "the panel, rendered on the server"
    );
    let back = select(&page, "a[target=\"_blank\"]")
        .into_iter()
        .find(|link| text(*link).contains("read the story on kort"))
        .expect("a link back, in a new tab");
    assert_eq!(
        back.attr("href"),
        Some(format!("/stories/{SEED}/features/blocked-bridge").as_str())
    );

    for path in [
        format!("/stories/{SEED}"),
        "/".to_owned(),
        "/embedded".to_owned(),
    ] {
        let response = send(format!("{base}{path}")).await.expect("request");
        let policy = header(&response, "content-security-policy");
        assert!(
            policy.ends_with("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(
            policy.contains("object-src 'none'; base-uri 'none'"),
            "{path}"
        );
        assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(header(&response, "permissions-policy").contains("geolocation=()"));
        assert_eq!(
            header(&response, "strict-transport-security"),
            "max-age=31536000"
        );
        let is_page = header(&response, "content-type").starts_with("text/html");
        let body = response.text().await.expect("body");
        if is_page {
            assert_scripts_need_their_hash(&policy, &body);
        }
    }
    // What a browser never opens as a document (data, scripts, style,
    // WebAssembly, pictures) allows nothing, and carries no document's
    // policies: a page loads twenty of them.
    for path in [
        "/api/stories".to_owned(),
        format!("/api/stories/{SEED}/layers/route.geojson"),
        format!("/stories/{SEED}/preview.png"),
    ] {
        let response = send(format!("{base}{path}")).await.expect("request");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            header(&response, "content-security-policy"),
            "default-src 'none'; frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert!(
            response.headers().get("x-frame-options").is_none(),
            "{path}"
        );
        assert!(
            response.headers().get("permissions-policy").is_none(),
            "{path}"
        );
    }
    let (status, _, _) = get(&format!("{base}/embed/stories/{SEED}/features/nope")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn oembed_answers_as_the_spec_says() {
    let base = serve(&seed_stories()).await;
    let page = format!("https://kort.example.org/stories/{SEED}/features/blocked-bridge");
    let oembed = |query: String| {
        let request = send(format!("{base}/oembed?{query}"));
        async move {
            let response = request.await.expect("request");
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, body) = oembed(format!(
        "url={}&format=json",
        kort_app::links::percent_encode(&page)
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["version"], "1.0");
    assert_eq!(body["type"], "rich");
    assert_eq!(
        (body["width"].as_u64(), body["height"].as_u64()),
        (Some(640), Some(480))
    );
    let html = body["html"].as_str().expect("html");
    assert!(html.starts_with("<iframe "), "{html}");
    let fragment = Html::parse_fragment(html);
    let frame = fragment
        .select(&selector("iframe"))
        .next()
        .expect("an iframe");
    assert_eq!(
        frame.attr("src"),
        Some(
            format!("https://kort.example.org/embed/stories/{SEED}/features/blocked-bridge")
                .as_str()
        )
    );
    assert_eq!(
        (frame.attr("width"), frame.attr("height")),
        (Some("640"), Some("480"))
    );
    assert_eq!(body["provider_name"], "kort");
    assert!(
        body["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Destroyed bridge east of Humaymah"))
    );
    assert_eq!(body["thumbnail_url"], format!("{page}/preview.png"));
    assert_eq!(
        (
            body["thumbnail_width"].as_u64(),
            body["thumbnail_height"].as_u64()
        ),
        (Some(1200), Some(630))
    );

    let (status, body) = oembed(format!(
        "url={}&maxwidth=400&maxheight=300",
        kort_app::links::percent_encode(&page)
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (body["width"].as_u64(), body["height"].as_u64()),
        (Some(400), Some(300))
    );
    assert!(
        body["html"]
            .as_str()
            .is_some_and(|h| h.contains("width=\"400\" height=\"300\""))
    );
    assert!(
        body.get("thumbnail_url").is_none(),
        "a 1200-wide thumbnail does not fit maxwidth=400"
    );

    let (status, _) = oembed(format!(
        "url={}&format=xml",
        kort_app::links::percent_encode(&page)
    ))
    .await;
    assert_eq!(status, 501);
    for bad in [
        "https://elsewhere.example.com/stories/arsal-convoy-2017".to_owned(),
        "https://kort.example.org/stories/nope".to_owned(),
        format!("https://kort.example.org/stories/{SEED}/features/nope"),
        "javascript:alert(1)".to_owned(),
    ] {
        let (status, _) = oembed(format!(
            "url={}&format=json",
            kort_app::links::percent_encode(&bad)
        ))
        .await;
        assert_eq!(status, 404, "{bad}");
    }
    let (status, _) = oembed("format=json".to_owned()).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn story_pages_advertise_their_oembed() {
    let base = serve(&seed_stories()).await;
    // Story pages advertise the endpoint.
    let (_, _, html) = get(&format!("{base}/stories/{SEED}")).await;
    let page = Html::parse_document(&html);
    let discovery = one(
        &page,
        "head link[rel=\"alternate\"][type=\"application/json+oembed\"]",
    );
    assert_eq!(
        discovery.attr("href"),
        Some(
            format!(
                "https://kort.example.org/oembed?url={}&format=json",
                kort_app::links::percent_encode(&format!(
                    "https://kort.example.org/stories/{SEED}"
                ))
            )
            .as_str()
        )
    );
}

#[tokio::test]
async fn the_view_is_kept_in_links_and_malformed_ones_are_ignored() {
    let base = serve(&seed_stories()).await;
    let (status, _, html) = get(&format!(
        "{base}/stories/{SEED}/features/arsal?view=8/34.2/36.5&layers=places"
    ))
    .await;
    assert_eq!(status, 200);
    let bridge_link = |html: &str| {
        let page = Html::parse_document(html);
        let link = one(&page, ".feature-list a[data-feature=\"blocked-bridge\"]");
        link.attr("href").map(str::to_owned)
    };
    assert_eq!(
        bridge_link(&html),
        Some(format!(
            "/stories/{SEED}/features/blocked-bridge?layers=places&view=8/34.2000/36.5000"
        )),
        "links carry the layers and the view"
    );
    let (_, _, clean) = get(&format!("{base}/stories/{SEED}")).await;
    let scripts = clean.matches("<script").count();
    for bad in ["garbage", "99/999/999", "7/34.5", "%3Cscript%3E", "7/NaN/1"] {
        let (status, _, html) = get(&format!("{base}/stories/{SEED}?view={bad}")).await;
        assert_eq!(status, 200, "{bad}");
        assert_eq!(
            bridge_link(&html),
            Some(format!("/stories/{SEED}/features/blocked-bridge")),
            "{bad}: no view in links"
        );
        assert_eq!(
            html.matches("<script").count(),
            scripts,
            "{bad}: no script added"
        );
    }
}

/// Sends `GET <target>` exactly as written (no client normalises it) and
/// returns the status and the body.
async fn raw_get(base: &str, target: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = base.trim_start_matches("http://");
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept-Language: en\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.expect("send");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.expect("read");
        response
    };
    let response = tokio::time::timeout(std::time::Duration::from_secs(20), exchange)
        .await
        .unwrap_or_else(|_| panic!("no answer to GET {target}"));
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line for {target}: {text:.200}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Hostile request targets and the status a reader should get. Targets over
/// the server's limit are refused whole with 414 URI Too Long.
fn hostile_requests() -> Vec<(String, u16)> {
    let s = SEED;
    let script = "%3Cscript%3Ealert(1)%3C/script%3E";
    let huge = "a".repeat(100_000);
    let many_layers = vec!["areas"; 5_000].join(",");
    vec![
        // Story slugs.
        (format!("/stories/{script}"), 404),
        ("/stories/..%2F..%2Fetc%2Fpasswd".into(), 404),
        ("/stories/%2e%2e/%2e%2e/etc/passwd".into(), 404),
        ("/stories/arsal%00convoy".into(), 404),
        (format!("/stories/{huge}"), 414),
        ("/stories/%EF%BD%81rsal-convoy-2017".into(), 404), // fullwidth "ａ"
        ("/stories/%C0%AE%C0%AE".into(), 404),              // overlong UTF-8 dots
        ("/stories/%F0%9F%92%A5".into(), 404),
        ("/stories/ARSAL-CONVOY-2017".into(), 404),
        // Feature ids.
        (format!("/stories/{s}/features/{script}"), 404),
        (format!("/stories/{s}/features/%00"), 404),
        (format!("/stories/{s}/features/{huge}"), 414),
        (format!("/stories/{s}/features/..%2F..%2Fstory.toml"), 404),
        (format!("/stories/{s}/features/blocked-bridge%20"), 404),
        (format!("/embed/stories/{script}"), 404),
        (format!("/embed/stories/{s}/features/{script}"), 404),
        // Query parameters fall back to the defaults.
        (format!("/stories/{s}?view={script}"), 200),
        (format!("/stories/{s}?view=1e308/1e308/1e308"), 200),
        (format!("/stories/{s}?view=NaN/NaN/NaN"), 200),
        (format!("/stories/{s}?view=-5/100/400"), 200),
        (format!("/stories/{s}?view=1/2/3&view={script}"), 200),
        (format!("/stories/{s}?layers={script}"), 200),
        (format!("/stories/{s}?at={script}"), 200),
        (format!("/stories/{s}?range={script}..{script}"), 200),
        (format!("/stories/{s}?at=99999-01-01"), 200),
        (
            format!("/api/stories/{s}/features.geojson?range=%00..%00"),
            200,
        ),
        (format!("/stories/{s}?layers=..%2F..%2Fetc"), 200),
        (format!("/stories/{s}?layers=%00"), 200),
        (
            format!("/stories/{s}/features/blocked-bridge?layers={many_layers}"),
            200,
        ),
        (format!("/stories/{s}?lang={script}"), 200),
        (format!("/stories/{s}?lang=%00"), 200),
        (format!("/stories/{s}?lang={huge}"), 414),
        (format!("/stories/{s}?%ff%fe=%ff"), 200),
        // oEmbed.
        ("/oembed?url=javascript:alert(1)&format=json".into(), 404),
        (format!("/oembed?url={script}&format=json"), 404),
        (
            format!("/oembed?url=http://evil.example/stories/{s}&format=json"),
            404,
        ),
        (
            format!("/oembed?url=https://kort.example.org/stories/{s}&format=xml"),
            501,
        ),
        (
            format!("/oembed?url=https://kort.example.org/stories/{s}&maxwidth=-1"),
            200,
        ),
        (
            format!(
                "/oembed?url=https://kort.example.org/stories/{s}&maxwidth=99999999999999999999999"
            ),
            200,
        ),
        (
            format!("/oembed?url=https://kort.example.org/stories/{s}/features/{script}"),
            404,
        ),
        // The API and the exports.
        (format!("/api/stories/{script}"), 404),
        (format!("/api/stories/{s}/layers/{script}.geojson"), 404),
        (format!("/api/stories/{s}/layers/..%2F..%2Fstory.toml"), 404),
        (format!("/api/stories/{s}/layers/areas.geojson%00"), 404),
        (format!("/api/stories/{s}/layers/%ff%fe.geojson"), 400),
        (format!("/api/stories/{s}/export.exe"), 404),
        (
            format!("/api/stories/{s}/export.geojson?layer={script}"),
            404,
        ),
        (format!("/api/stories/{s}/export.kml?layer=..%2F..%2F"), 404),
        (format!("/api/{script}"), 404),
        // Previews.
        (format!("/stories/{script}/preview.png"), 404),
        (format!("/stories/{s}/features/{script}/preview.png"), 404),
        (format!("/stories/{s}/features/{huge}/preview.png"), 414),
        // Static files stay inside the site.
        ("/pkg/..%2F..%2FCargo.toml".into(), 404),
        ("/leaflet/%2e%2e/%2e%2e/Cargo.toml".into(), 404),
        ("/basemap/..%2f..%2fREADME.md".into(), 404),
        ("/%2e%2e/%2e%2e/etc/passwd".into(), 404),
        ("/pkg/%00".into(), 404),
        (format!("/healthz?{script}"), 200),
    ]
}

#[tokio::test]
async fn hostile_requests_get_a_clear_4xx_or_the_defaults_never_a_5xx_or_a_script() {
    let base = serve(&seed_stories()).await;
    let table = hostile_requests();
    assert!(table.len() >= 40);
    let mut wrong = Vec::new();
    for (target, expected) in &table {
        let (status, body) = raw_get(&base, target).await;
        let shown = if target.len() > 100 {
            &target[..100]
        } else {
            target.as_str()
        };
        if status != *expected {
            wrong.push(format!("{shown}: {status}, expected {expected}"));
        }
        if body.contains("<script>alert(1)") {
            wrong.push(format!("{shown}: the script came back unescaped"));
        }
        if body.contains("root:x:") || body.contains("[workspace]") || body.contains("title = \"") {
            wrong.push(format!("{shown}: a file outside the site was served"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn markup_in_story_data_is_shown_as_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let story = dir.path().join(SEED);
    copy_seed(&story);
    let payload = "<img src=x onerror=alert(1)>";
    let edit = |file: &str, from: &str, to: &str| {
        let path = story.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };
    let escaped_for = |text: &str| text.replace('"', "\\\"");
    edit(
        "story.toml",
        "title = \"Koalitionen",
        &format!(
            "title = \"</title><script>alert(2)</script>{} Koalitionen",
            escaped_for(payload)
        ),
    );
    edit(
        "article.da.txt",
        "{#hizbollah} USA",
        &format!("{{#hizbollah}} {payload} USA"),
    );
    edit(
        "sources.toml",
        "publisher = \"",
        &format!("publisher = \"{} ", escaped_for(payload)),
    );
    edit(
        "layers/strikes.geojson",
        "\"title\": \"Destroyed bridge",
        &format!("\"title\": \"{} Destroyed bridge", escaped_for(payload)),
    );

    let base = serve(dir.path()).await;
    for path in [
        format!("/stories/{SEED}"),
        format!("/stories/{SEED}/features/blocked-bridge"),
        format!("/embed/stories/{SEED}/features/blocked-bridge"),
    ] {
        let (status, _, html) = get(&format!("{base}{path}")).await;
        assert_eq!(status, 200, "{path}");
        let page = Html::parse_document(&html);
        // As a browser reads the page: no element came from the story's text…
        assert!(
            select(&page, "img[onerror]").is_empty(),
            "{path}: markup from the story ran as markup"
        );
        let scripts: Vec<String> = select(&page, "script").into_iter().map(text).collect();
        assert!(
            scripts.iter().all(|script| !script.contains("alert(2)")),
            "{path}: the title closed <title>"
        );
        // …and the reader sees it as the text it is.
        assert!(
            text(one(&page, "title")).contains("</title><script>alert(2)</script>"),
            "{path}: the title shows the markup as text"
        );
        let shown: String = select(&page, "article, .panel")
            .into_iter()
            .map(text)
            .collect();
        assert!(shown.contains(payload), "{path}: shown as text");
    }
}

/// Polls `url` until its status and body pass `check`, for up to 10 s;
/// returns the last answer.
async fn eventually(url: &str, check: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (status, _, body) = get(url).await;
        if check(status, &body) || std::time::Instant::now() > deadline {
            return (status, body);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn edits_while_running_a_good_one_shows_a_broken_one_does_not_a_deletion_removes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let story = dir.path().join(SEED);
    copy_seed(&story);
    let base = serve_watching(dir.path(), Some(std::time::Duration::from_millis(100))).await;
    let page = format!("{base}/stories/{SEED}");
    let manifest = story.join("story.toml");
    let original = std::fs::read_to_string(&manifest).expect("read");

    // A good edit: the new headline is served.
    std::fs::write(
        &manifest,
        original.replacen(
            "Koalitionen bomber vejen",
            "Koalitionen bomber igen vejen",
            1,
        ),
    )
    .expect("write");
    let (status, html) = eventually(&page, |_, html| {
        html.contains("Koalitionen bomber igen vejen")
    })
    .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Koalitionen bomber igen vejen"),
        "the good edit is served"
    );

    // A broken edit (a quote that is no longer in the article): readers keep
    // the last good version, and health says an edit is held back.
    let strikes = story.join("layers/strikes.geojson");
    let layer = std::fs::read_to_string(&strikes).expect("read");
    std::fs::write(
        &strikes,
        layer.replace("ødelagt en lille bro", "ødelagt en lile bro"),
    )
    .expect("write");
    let (_, body) = eventually(&format!("{base}/healthz"), |_, body| {
        body.contains("\"held_back_edits\":1")
    })
    .await;
    let health: Value = serde_json::from_str(&body).expect("JSON body");
    assert_eq!(health["stories"]["held_back_edits"], 1, "{health}");
    assert_eq!(health["stories"]["loaded"], 1);
    let (status, _, html) = get(&format!("{page}/features/blocked-bridge")).await;
    assert_eq!(status, 200, "the last good version is still served");
    assert!(html.contains("ødelagt en lille bro"));

    // Fixed again: served, nothing held back.
    std::fs::write(&strikes, layer).expect("write");
    let (_, body) = eventually(&format!("{base}/healthz"), |_, body| {
        body.contains("\"held_back_edits\":0")
    })
    .await;
    assert!(
        body.contains("\"held_back_edits\":0"),
        "the fix is picked up: {body}"
    );

    // The story deleted: gone, a 404.
    std::fs::remove_dir_all(&story).expect("delete");
    let (status, _) = eventually(&page, |status, _| status == 404).await;
    assert_eq!(status, 404, "a deleted story is no longer served");
}

#[tokio::test]
async fn every_response_carries_its_own_request_id() {
    let base = serve(&seed_stories()).await;
    let first = send(format!("{base}/healthz")).await.expect("request");
    let second = client()
        .get(format!("{base}/stories/{SEED}"))
        .header("x-request-id", "injected\tby-a-client")
        .send()
        .await
        .expect("request");
    let (a, b) = (
        header(&first, "x-request-id"),
        header(&second, "x-request-id"),
    );
    assert!(a.starts_with('k') && a.contains('-'), "{a}");
    assert!(!b.is_empty() && a != b, "{a} {b}");
    assert!(!b.contains("injected"), "a client's id is not taken: {b}");
}

/// The features a GeoJSON answer holds, by id.
fn ids(collection: &Value) -> Vec<String> {
    collection["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The ids of the feature list's entries marked as not yet happened.
fn not_yet(html: &str) -> Vec<String> {
    let page = Html::parse_document(html);
    select(
        &page,
        ".feature-list li[data-not-yet=\"true\"] a[data-feature]",
    )
    .into_iter()
    .filter_map(|item| Some(item.attr("data-feature")?.to_owned()))
    .collect()
}

#[tokio::test]
async fn the_time_in_the_url_filters_pages_and_the_api_and_malformed_times_show_everything() {
    let base = serve(&seed_stories()).await;
    let api = format!("{base}/api/stories/{SEED}");

    // What had happened by 29 August: the convoy had left and was waiting.
    let (status, by_29th) = json(&format!("{api}/features.geojson?at=2017-08-29")).await;
    assert_eq!(status, 200);
    let shown = ids(&by_29th);
    for id in ["convoy-route", "humaymah", "arsal", "albu-kamal"] {
        assert!(
            shown.iter().any(|s| s == id),
            "{id} should be shown by 29 August: {shown:?}"
        );
    }
    for id in [
        "road-craters",
        "blocked-bridge",
        "convoy-loop",
        "al-mayadin",
    ] {
        assert!(
            !shown.iter().any(|s| s == id),
            "{id} had not happened by 29 August"
        );
    }
    let (_, strikes) = json(&format!("{api}/layers/strikes.geojson?at=2017-08-29")).await;
    assert!(ids(&strikes).is_empty());
    let (_, on_30th) = json(&format!(
        "{api}/layers/strikes.geojson?range=2017-08-30..2017-08-30"
    ))
    .await;
    assert_eq!(ids(&on_30th), ["road-craters", "blocked-bridge"]);

    // The page: the list marks what had not happened, the timeline says
    // when the map is, and its steps and every link keep the time.
    let (status, _, page) = get(&format!("{base}/stories/{SEED}?at=2017-08-29")).await;
    assert_eq!(status, 200);
    let later = not_yet(&page);
    assert!(later.contains(&"blocked-bridge".to_owned()), "{later:?}");
    assert!(!later.contains(&"humaymah".to_owned()), "{later:?}");
    let parsed = Html::parse_document(&page);
    assert_eq!(
        text(one(&parsed, ".tl-status")),
        "The map shows what had happened by 29 August 2017."
    );
    let hrefs: Vec<&str> = select(&parsed, "a[href]")
        .into_iter()
        .filter_map(|link| link.attr("href"))
        .collect();
    for step in [
        format!("/stories/{SEED}/features/blocked-bridge?at=2017-08-30"),
        format!("/stories/{SEED}/features/humaymah?at=2017-08-29"),
    ] {
        assert!(hrefs.contains(&step.as_str()), "{step} in {hrefs:?}");
    }

    // A span: what happened between the strikes and the split.
    let (_, _, span) = get(&format!(
        "{base}/stories/{SEED}?range=2017-08-30..2017-09-03"
    ))
    .await;
    let outside = not_yet(&span);
    assert!(outside.contains(&"convoy-route".to_owned()), "{outside:?}");
    assert!(!outside.contains(&"convoy-loop".to_owned()), "{outside:?}");
    assert_eq!(
        text(one(&Html::parse_document(&span), ".tl-status")),
        "The map shows what happened 30 August – 3 September 2017."
    );

    // Later developments are marked as such.
    let later: Vec<String> = select(&parsed, ".feature-list li[data-later=\"true\"]")
        .into_iter()
        .map(text)
        .collect();
    assert!(
        !later.is_empty()
            && later
                .iter()
                .all(|entry| entry.contains("after the article")),
        "{later:?}"
    );

    // Malformed times are ignored: the whole story, and no error.
    for query in [
        "at=2017-02-30",
        "range=2017-09-03..2017-08-30",
        "at=%3Cscript%3E",
        "at=2017-08",
    ] {
        let (status, all) = json(&format!("{api}/features.geojson?{query}")).await;
        assert_eq!((status, ids(&all).len()), (200, 14), "{query}");
        let (status, _, page) = get(&format!("{base}/stories/{SEED}?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert!(
            not_yet(&page).is_empty(),
            "{query}: nothing should be filtered"
        );
        assert!(page.contains("The map shows the whole story."), "{query}");
    }
}

/// A GET with these request headers: status, response headers, body.
async fn get_with(
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut request = client().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("body"))
}

#[tokio::test]
async fn pages_and_api_answers_say_how_long_to_keep_them_and_revalidate_with_304() {
    let base = serve(&seed_stories()).await;
    for path in [
        format!("/api/stories/{SEED}/features.geojson"),
        format!("/api/stories/{SEED}/layers/strikes.geojson"),
        format!("/api/stories/{SEED}/layers/strikes.geojson?at=2017-08-30"),
        format!("/api/stories/{SEED}"),
        format!("/stories/{SEED}"),
        format!("/stories/{SEED}/features/blocked-bridge?lang=en"),
    ] {
        let url = format!("{base}{path}");
        let (status, first, body) = get_with(&url, &[]).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.is_empty());
        let tag = first["etag"].to_str().expect("etag").to_owned();
        assert!(tag.starts_with("W/\""), "{path}: {tag}");
        assert_eq!(
            first["cache-control"], "public, max-age=60, must-revalidate",
            "{path}"
        );
        // Pages are the same bytes each time, with the same tag.
        let (_, second, _) = get_with(&url, &[]).await;
        assert_eq!(
            second["etag"],
            tag.as_str(),
            "{path}: the tag should not change"
        );
        let (status, revalidated, body) = get_with(&url, &[("if-none-match", &tag)]).await;
        assert_eq!(status, 304, "{path}");
        assert!(body.is_empty(), "{path}: a 304 has no body");
        assert_eq!(revalidated["etag"], tag.as_str());
        if let Some(policy) = revalidated.get("content-security-policy") {
            assert_eq!(
                Some(policy),
                first.get("content-security-policy"),
                "{path}: a 304 must not change the policy a cache keeps with its copy"
            );
        }
        let (status, _, _) = get_with(&url, &[("if-none-match", "W/\"stale\"")]).await;
        assert_eq!(status, 200, "{path}: a stale tag gets the body");
    }
    // Another time is another answer, with another tag.
    let (_, at_29th, _) = get_with(
        &format!("{base}/api/stories/{SEED}/features.geojson?at=2017-08-29"),
        &[],
    )
    .await;
    let (_, all, _) = get_with(&format!("{base}/api/stories/{SEED}/features.geojson"), &[]).await;
    assert_ne!(at_29th["etag"], all["etag"]);
    // Errors are not cached as if they were the resource.
    let (status, missing, _) = get_with(&format!("{base}/api/stories/nope"), &[]).await;
    assert_eq!(status, 404);
    assert!(!missing.contains_key("etag"));
}
