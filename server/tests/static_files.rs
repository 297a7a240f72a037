//! Static files as the built site holds them: precompressed copies
//! (`.br`, `.gz`) are sent to browsers that accept them, with the right
//! Content-Encoding, and each file says how long it may be kept.

mod support;

use std::io::Write;

use axum::body::Body;
use axum::http::Request;
use kort_app::story::{Catalog, Stories};
use tower::ServiceExt;

async fn get(
    site: &std::path::Path,
    path: &str,
    accept: Option<&str>,
) -> (u16, axum::http::HeaderMap, Vec<u8>) {
    let app = support::app(
        Stories::new(Catalog::default()),
        &site.display().to_string(),
    );
    let mut request = Request::get(path);
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    let response = app
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .expect("body");
    (status, headers, bytes.to_vec())
}

#[tokio::test]
async fn precompressed_files_are_sent_to_browsers_that_accept_them() {
    let site = tempfile::tempdir().expect("site");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    let script = "export function hydrate() {}\n".repeat(200);
    std::fs::write(pkg.join("kort.js"), &script).expect("raw");
    // Stand-ins for what `cargo xtask build` writes; what matters here is
    // which file is sent for which Accept-Encoding.
    std::fs::write(pkg.join("kort.js.br"), b"brotli bytes").expect("br");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(script.as_bytes()).expect("gzip");
    std::fs::write(pkg.join("kort.js.gz"), gz.finish().expect("gzip")).expect("gz");

    let (status, headers, body) = get(site.path(), "/pkg/kort.js", Some("gzip, deflate, br")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(body, b"brotli bytes");
    assert_eq!(headers["content-type"], "text/javascript");
    assert_eq!(headers["cache-control"], "public, max-age=300");
    assert!(
        headers["vary"]
            .to_str()
            .expect("vary")
            .contains("accept-encoding")
    );

    let (_, headers, body) = get(site.path(), "/pkg/kort.js", Some("gzip")).await;
    assert_eq!(headers["content-encoding"], "gzip");
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut unzipped)
        .expect("gzip that unzips");
    assert_eq!(unzipped, script);

    let (_, headers, body) = get(site.path(), "/pkg/kort.js", None).await;
    assert!(!headers.contains_key("content-encoding"));
    assert_eq!(body, script.as_bytes());
    // A script is never a document: it allows nothing, and carries none of
    // a document's policies (`headers`).
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(!headers.contains_key("permissions-policy"));
    assert!(!headers.contains_key("x-frame-options"));
}

#[tokio::test]
async fn a_picture_that_can_run_scripts_gets_a_documents_policies() {
    let site = tempfile::tempdir().expect("site");
    std::fs::write(
        site.path().join("favicon.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
    )
    .expect("svg");
    let (status, headers, _) = get(site.path(), "/favicon.svg", None).await;
    assert_eq!(status, 200);
    let policy = headers["content-security-policy"].to_str().expect("policy");
    assert!(
        policy.starts_with("default-src 'self'; script-src 'self';"),
        "{policy}"
    );
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers.contains_key("permissions-policy"));
}

#[tokio::test]
async fn content_named_files_are_kept_forever_and_pages_point_at_them() {
    let site = tempfile::tempdir().expect("site");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    std::fs::write(pkg.join("kort.0123456789abcdef.wasm"), b"\0asm").expect("wasm");
    std::fs::write(pkg.join("kort.js"), b"export {}").expect("plain");
    std::fs::write(
        site.path().join("assets.json"),
        r#"{"js": "/pkg/kort.fedcba9876543210.js", "wasm": "/pkg/kort.0123456789abcdef.wasm",
            "large_js": "/pkg/kort-large.fedcba9876543211.js", "large_wasm": "/pkg/kort-large.0123456789abcdee.wasm",
            "desk_js": "/pkg/kort-desk.fedcba9876543212.js", "desk_wasm": "/pkg/kort-desk.0123456789abcded.wasm",
            "css": "/pkg/kort.00112233445566ff.css", "leaflet_js": "/leaflet/leaflet.aabbccddeeff0011.js",
            "leaflet_css": "/leaflet/leaflet.1100ffeeddccbbaa.css",
            "geoman_js": "/geoman/leaflet-geoman.aabbccddeeff0012.js",
            "geoman_css": "/geoman/leaflet-geoman.1100ffeeddccbbab.css"}"#,
    )
    .expect("asset list");

    let (status, headers, _) = get(site.path(), "/pkg/kort.0123456789abcdef.wasm", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let (_, headers, _) = get(site.path(), "/pkg/kort.js", None).await;
    assert_eq!(headers["cache-control"], "public, max-age=300");

    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/stories");
    let app = support::app(
        Stories::new(kort_server::load::catalog(&seed).expect("seed")),
        &site.path().display().to_string(),
    );
    let (status, page) = support::answer(&app, &format!("/stories/{}", support::SEED)).await;
    assert_eq!(status, 200);
    let page = String::from_utf8_lossy(&page);
    for name in [
        "\"/pkg/kort.fedcba9876543210.js\"))).then(",
        "application/wasm\"]', \"/pkg/kort.0123456789abcdef.wasm\")",
        "<meta name=\"kort-bundle\" content=\"/pkg/kort.fedcba9876543210.js\">",
        "<meta name=\"kort-bundle-wasm\" content=\"/pkg/kort.0123456789abcdef.wasm\">",
        "<link rel=\"stylesheet\" href=\"/pkg/kort.00112233445566ff.css\"",
        "<meta name=\"kort-leaflet\" content=\"/leaflet/leaflet.aabbccddeeff0011.js\">",
        "href=\"/leaflet/leaflet.1100ffeeddccbbaa.css\"",
    ] {
        assert!(page.contains(name), "the page has no {name}:\n{page}");
    }
    // The seed has no large layer: its page runs the bundle without them.
    assert!(!page.contains("kort-large"), "{page}");
    // The bundle, Leaflet and the map's data are asked for once the page
    // is painted: named, neither loaded nor preloaded by the page itself.
    assert!(!page.contains("rel=\"modulepreload\""), "{page}");
    assert!(!page.contains("rel=\"preload\""), "{page}");
    assert!(!page.contains("<script defer"), "{page}");
    for data in [
        format!("/api/stories/{}/layers/route.geojson", support::SEED),
        "/basemap/land.geojson".to_owned(),
    ] {
        let meta = format!("<meta name=\"kort-map-data\" content=\"{data}\">");
        assert!(page.contains(&meta), "the page has no {meta}:\n{page}");
    }
}
