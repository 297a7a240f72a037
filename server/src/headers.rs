//! Security headers on every response, and the last touches to rendered
//! pages.
//!
//! - Content-Security-Policy: scripts only from this site, plus the page's
//!   own inline scripts (hydration and the data it starts from) by their
//!   SHA-256 hashes; images from this site and the configured tile server;
//!   no plugins, no foreign forms, no `<base>`. Hashes, not nonces: a page
//!   is then the same bytes for every reader, so it can be kept, compressed
//!   once and cached by a CDN without handing every reader the same nonce.
//! - Framing: only embed pages may be framed by other sites.
//! - `nosniff`, a referrer policy, a minimal permissions policy, and HSTS
//!   when the public URL is https.
//!
//! The policies for documents (what they may load, who may frame them,
//! what they may use) go on every response a browser could open as a
//! document. Data, scripts, style sheets, WebAssembly and raster images,
//! which it never runs as one (and does not sniff: `nosniff`), get a
//! policy that allows nothing instead ([`SUBRESOURCE_POLICY`]): the page
//! that loads them is what its policy governs, and a story page loads
//! twenty of them, each of which would otherwise carry 400 bytes of
//! headers meant for documents.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use kort_app::model::Site;

use crate::caching;

/// Where Leptos ends the document (and then writes more scripts).
const END: &str = "</body></html>";

/// Largest page read into memory (to tidy it, to keep it); a larger one
/// is answered with an error. The largest page kort makes, the million-event story's
/// (its article of 4,000 paragraphs quoting 10,000 events), is 6 MB.
pub const MAX_PAGE: usize = 16 * 1024 * 1024;

/// What a page may use of the reader's device: nothing it does not need.
const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

/// The content security policy of a response no browser shows as a
/// document: nothing may be loaded through it, nor may it be framed.
const SUBRESOURCE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The types of response browsers never run as documents (see the module's
/// notes).
const SUBRESOURCES: [&str; 12] = [
    "application/json",
    "application/geo+json",
    "text/javascript",
    "application/javascript",
    "text/css",
    "application/wasm",
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/avif",
    "font/woff2",
    "text/csv",
];

/// Whether `headers` are those of a response of one of [`SUBRESOURCES`].
fn is_subresource(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<mime::Mime>().ok())
        .is_some_and(|kind| SUBRESOURCES.contains(&kind.essence_str()))
}

/// Adds the security headers, and tidies HTML pages (see [`tidy`]).
pub async fn security(
    State(site): State<std::sync::Arc<Site>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // Checked on every response that is not a kept page: only an address
    // under the prefix is read whole.
    let embeddable = path.starts_with(kort_app::links::EMBED_PREFIX)
        && kort_app::links::PageUrl::from_parts(path, &[])
            .is_some_and(|page| page.mode == kort_app::links::Mode::Embed);
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    let is_html = caching::is_html(response.headers());
    let (mut parts, body) = response.into_parts();
    let mut page_tag = None;
    let (body, scripts) = if is_html {
        match axum::body::to_bytes(body, MAX_PAGE).await {
            Ok(bytes) => {
                // Leptos writes UTF-8: the lossy reading, slower, is only
                // for a body that is not.
                let (page, scripts) = match std::str::from_utf8(&bytes) {
                    Ok(page) => tidy(page),
                    Err(_) => tidy(&String::from_utf8_lossy(&bytes)),
                };
                parts.headers.remove(header::CONTENT_LENGTH);
                if parts.status == axum::http::StatusCode::OK {
                    page_tag = Some(caching::etag(page.as_bytes()));
                }
                (Body::from(page), Some(scripts))
            }
            Err(error) => {
                tracing::error!("page body could not be read for its headers: {error}");
                parts.status = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
                (Body::from("the page could not be sent"), None)
            }
        }
    } else {
        (body, None)
    };
    let headers = &mut parts.headers;
    let not_modified = parts.status == axum::http::StatusCode::NOT_MODIFIED;
    match (not_modified, is_subresource(headers)) {
        // A `304` says nothing of its type: a cache keeps the policies it
        // has with its copy (a 304's headers would replace them).
        (true, _) => {}
        (false, false) => {
            let policy = content_security_policy(&site, scripts.as_deref(), embeddable);
            if let Ok(value) = HeaderValue::from_str(&policy) {
                headers.insert(header::CONTENT_SECURITY_POLICY, value);
            }
            if !embeddable {
                headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            }
            headers.insert(
                "permissions-policy",
                HeaderValue::from_static(PERMISSIONS_POLICY),
            );
        }
        (false, true) => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(SUBRESOURCE_POLICY),
            );
        }
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if site.public_url.starts_with("https://") {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if is_html {
        // The language follows Accept-Language; caches must keep them apart.
        headers.append(header::VARY, HeaderValue::from_static("accept-language"));
    }
    if let Some(tag) = page_tag
        && let Some(not_modified) = caching::tag(headers, &tag, if_none_match.as_ref())
    {
        return not_modified;
    }
    Response::from_parts(parts, body)
}

/// The policy for one response: `inline` holds the hash sources of a
/// page's own inline scripts (see [`tidy`]); `None` for anything but a
/// page.
pub fn content_security_policy(site: &Site, inline: Option<&[String]>, embeddable: bool) -> String {
    let scripts = match inline {
        // WebAssembly compilation needs 'wasm-unsafe-eval'; it allows no JavaScript eval.
        Some(hashes) => {
            let mut sources = "'self'".to_owned();
            for hash in hashes {
                sources.push(' ');
                sources.push_str(hash);
            }
            sources.push_str(" 'wasm-unsafe-eval'");
            sources
        }
        None => "'self'".to_owned(),
    };
    let tiles = site
        .tiles
        .as_ref()
        .and_then(|tiles| origin(&tiles.url))
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    let ancestors = if embeddable { "*" } else { "'none'" };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:{tiles}; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {ancestors}"
    )
}

/// `https://tiles.example.org` of `https://tiles.example.org/{z}/{x}/{y}.png`.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    (matches!(scheme, "http" | "https") && !host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// The CSP hash source (`'sha256-…'`) of every inline script in `page`
/// whose tag carries `nonce="<nonce>"`, each once, in order. What the
/// browser hashes is the text between `<script …>` and `</script>`.
///
/// Only scripts with the render's nonce: those are the ones Leptos wrote.
/// A script that reached the page any other way (an injection) has no
/// nonce, gets no hash, and does not run, as under a nonce policy.
fn own_script_hashes(page: &str, nonce: &str) -> Vec<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mark = format!(" nonce=\"{nonce}\"");
    let mut hashes: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(at) = find(rest, "<script") {
        rest = &rest[at..];
        let Some(open) = rest.find('>') else { break };
        let tag = &rest[..open];
        let body_and_after = &rest[open + 1..];
        let Some(close) = find(body_and_after, "</script>") else {
            break;
        };
        if tag.contains(&mark) && !tag.contains(" src=") {
            // The text as `tidy` leaves it: its empty comments written whole.
            let text = body_and_after[..close].replace("<!>", "<!---->");
            let digest = sha2::Sha256::digest(text.as_bytes());
            let hash = format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            );
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        rest = &body_and_after[close + "</script>".len()..];
    }
    hashes
}

/// Where `needle` first occurs in `haystack`: `memchr`'s SIMD search, for
/// the passes over a whole page (`str::find` took 2% of a render's CPU).
fn find(haystack: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes())
}

/// The nonce Leptos gave the page's scripts: kort's pages use hashes
/// instead, so it is taken out.
fn nonce_of(page: &str) -> Option<String> {
    let start = find(page, "nonce=\"")? + "nonce=\"".len();
    let nonce = &page[start..start + page[start..].find('"')?];
    nonce
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'='))
        .then(|| nonce.to_owned())
}

/// Makes Leptos's HTML valid without changing the document it parses to:
///
/// - empty comments are written `<!---->`, not `<!>` (a parse error that
///   browsers read as the same empty comment, the marker hydration uses);
/// - the scripts carry no `nonce` (the policy names them by hash), and the
///   preload links' `crossorigin` is `anonymous`, not the nonce (an invalid
///   value, which browsers read as `anonymous` too);
/// - the scripts that carry the server's data come before `</body></html>`,
///   where browsers put them anyway, and the empty comments Leptos leaves
///   between `</body>`, `</html>` and them are dropped.
///
/// The page is then the same bytes for every request. Returns it with the
/// hash sources of the scripts that carried the nonce, for the policy.
///
/// Why the finished HTML is edited here rather than rendered this way (as
/// of Leptos 0.8): `tachys` writes `<!>` for its empty markers with no
/// option to write `<!---->` (`view/static_types.rs`, `view/keyed.rs`);
/// Leptos' only support for a script policy is a per-response nonce
/// (`leptos::nonce`), while a hash needs each script's final text, which
/// exists only once the page is rendered; and the scripts of resolved
/// resources are streamed after `</html>` by `leptos_axum`, which offers no
/// hook on the HTML it writes. An HTML rewriter (`lol_html`) would do the
/// same edits by parsing the whole page again on every render, with a CSS
/// selector engine of its own; these edits touch only what Leptos writes
/// itself, and the tests below pin each.
///
/// The edits are made in one pass over the page (`aho-corasick`): on a new
/// page state, one pass per edit took about a tenth of the render's CPU.
pub fn tidy(page: &str) -> (String, Vec<String>) {
    let nonce = nonce_of(page);
    let hashes = nonce
        .as_deref()
        .map(|nonce| own_script_hashes(page, nonce))
        .unwrap_or_default();
    let mut edits = vec![(String::from("<!>"), "<!---->")];
    if let Some(nonce) = &nonce {
        edits.push((format!(" nonce=\"{nonce}\""), ""));
        edits.push((
            format!("crossorigin=\"{nonce}\""),
            "crossorigin=\"anonymous\"",
        ));
    }
    let (patterns, replacements): (Vec<String>, Vec<&str>) = edits.into_iter().unzip();
    // An automaton built for each page: the plain NFA builds in a fraction
    // of the time of the DFA `new` would choose (1% of a render's CPU),
    // and the SIMD prefilter does most of the search either way.
    let automaton = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(&patterns);
    let mut page = match automaton {
        Ok(edits) => edits.replace_all(page, &replacements),
        // Only a pattern set too large to build fails, and these are three
        // short strings.
        Err(error) => {
            tracing::error!("the page's edits could not be built: {error}");
            page.to_owned()
        }
    };
    if let Some(at) = page.rfind("</body>") {
        let tail = scripts_only(&page[at + "</body>".len()..]);
        page.truncate(at);
        page.push_str(&tail);
        page.push_str(END);
    }
    (page, hashes)
}

/// What follows `</body>` in Leptos's output, without what cannot be
/// there: `</html>` and the empty comments type-erased views leave after
/// the body (hydration starts inside `<body>` and never looks for them).
/// The scripts stay, whole.
fn scripts_only(mut tail: &str) -> String {
    let mut out = String::with_capacity(tail.len());
    while !tail.is_empty() {
        if tail.starts_with("<script") {
            let end = tail
                .find("</script>")
                .map_or(tail.len(), |at| at + "</script>".len());
            out.push_str(&tail[..end]);
            tail = &tail[end..];
        } else if let Some(rest) = tail
            .strip_prefix("<!---->")
            .or_else(|| tail.strip_prefix("</html>"))
        {
            tail = rest;
        } else {
            let next = tail[1..].find('<').map_or(tail.len(), |at| at + 1);
            out.push_str(&tail[..next]);
            tail = &tail[next..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_tidied_into_valid_html_without_a_nonce() {
        let page = r#"<html><head><link rel="modulepreload" crossorigin="abc"><script nonce="abc">x</script></head><body><p>a<!>b</p></body><!----></html><!----><script nonce="abc">y<!---->z</script>"#;
        assert_eq!(
            tidy(page).0,
            r#"<html><head><link rel="modulepreload" crossorigin="anonymous"><script>x</script></head><body><p>a<!---->b</p><script>y<!---->z</script></body></html>"#
        );
    }

    #[test]
    fn only_the_scripts_with_the_nonce_are_named_by_their_hash_once_each() {
        // `echo -n 'x' | openssl dgst -sha256 -binary | base64`
        let x = "'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='";
        let page = r#"<script src="/a.js" nonce="n0nce"></script><script type="module" nonce="n0nce">x</script><p>x</p><script nonce="n0nce">x</script><script nonce="n0nce">y</script><script>injected()</script>"#;
        let (tidied, hashes) = tidy(page);
        assert_eq!(hashes.len(), 2, "{hashes:?}");
        assert_eq!(hashes[0], x);
        assert!(!tidied.contains("nonce"));
        // The script without the nonce is left in the page, and not allowed.
        let injected = own_script_hashes(r#"<script nonce="n">injected()</script>"#, "n");
        assert!(!hashes.contains(&injected[0]));
    }

    #[test]
    fn a_script_is_named_by_the_hash_of_its_text_as_sent() {
        let (tidied, hashes) = tidy(r#"<script nonce="n0nce">a<!>b</script>"#);
        assert_eq!(tidied, "<script>a<!---->b</script>");
        // `echo -n 'a<!---->b' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            hashes,
            ["'sha256-Ro6MbxuqxdCkOaxG5ehNxUlvulC9B3xRe8328JXBOto='"]
        );
    }

    #[test]
    fn the_policy_names_the_scripts_and_the_tile_server() {
        let site = Site {
            public_url: "https://kort.example.org".into(),
            tiles: Some(kort_app::model::TileSource {
                url: "https://tiles.example.org/{z}/{x}/{y}.png".into(),
                attribution: "Tiles".into(),
            }),
            contact: None,
        };
        let hashes = vec!["'sha256-AAAA'".to_owned(), "'sha256-BBBB'".to_owned()];
        let policy = content_security_policy(&site, Some(&hashes), false);
        assert!(
            policy.contains("script-src 'self' 'sha256-AAAA' 'sha256-BBBB' 'wasm-unsafe-eval';")
        );
        assert!(policy.contains("img-src 'self' data: https://tiles.example.org;"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
        assert!(content_security_policy(&site, None, true).contains("frame-ancestors *"));
    }
}
