//! Right to left: a story written in Arabic reads right to left in every
//! interface language, the interface speaks Arabic mirrored, and text that
//! runs the other way is isolated from its neighbours.
//!
//! Served: the seed (Danish, its other words in English) and the Arabic
//! test story (`tests/stories/arsal-convoy-2017-ar`).

mod support;

use scraper::{ElementRef, Html, Selector};
use support::SEED;

const ARABIC: &str = "arsal-convoy-2017-ar";

fn serve() -> (tempfile::TempDir, String) {
    let dir = support::copy_of(&["data/stories", "tests/stories"]);
    let base = support::serve_stories(dir.path());
    (dir, base)
}

/// The page at `path`, asked for with this `Accept-Language`.
async fn page(base: &str, path: &str, accept_language: &str) -> (u16, Html) {
    let response = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("accept-language", accept_language)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (
        status,
        Html::parse_document(&response.text().await.expect("body")),
    )
}

fn all<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector"))
        .collect()
}

fn one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    all(html, css)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {css}"))
}

/// `lang` and `dir` as the element has them (its own or inherited).
fn written(element: ElementRef<'_>) -> (String, String) {
    let inherited = |name: &str| {
        std::iter::once(element)
            .chain(element.ancestors().filter_map(ElementRef::wrap))
            .find_map(|e| e.value().attr(name).map(str::to_owned))
            .unwrap_or_default()
    };
    (inherited("lang"), inherited("dir"))
}

fn text(element: ElementRef<'_>) -> String {
    element.text().collect()
}

#[tokio::test]
async fn an_arabic_story_reads_right_to_left_in_every_interface_language() {
    let (_dir, base) = serve();
    for (query, ui, ui_dir) in [
        // The story's own language is the interface's when the reader's is
        // not one kort speaks.
        ("", "ar", "rtl"),
        ("?lang=en", "en", "ltr"),
        ("?lang=da", "da", "ltr"),
    ] {
        for path in [
            format!("/stories/{ARABIC}{query}"),
            format!("/stories/{ARABIC}/features/blocked-bridge{query}"),
        ] {
            let (status, html) = page(&base, &path, "fr").await;
            assert_eq!(status, 200, "{path}");
            let root = one(&html, "html");
            assert_eq!(root.value().attr("lang"), Some(ui), "{path}");
            assert_eq!(root.value().attr("dir"), Some(ui_dir), "{path}");
            // The story's words, wherever they are, in Arabic, right to left.
            for css in [
                "main h1",
                "article p[id]",
                ".summary",
                ".feature-list li > a",
                ".feature-list h3 > span[lang]",
                ".layer-switch span[lang]",
                ".panel h2",
                ".panel .note",
                ".passages a span",
            ] {
                let found = all(&html, css);
                assert!(
                    !found.is_empty() || css.starts_with(".panel") || css.starts_with(".passages"),
                    "{path}: nothing is {css}"
                );
                for element in found {
                    assert_eq!(
                        written(element),
                        ("ar".to_owned(), "rtl".to_owned()),
                        "{path}: {css} {:?}",
                        text(element)
                    );
                }
            }
            // And the interface's, in its language and direction, even
            // inside the article.
            for css in [".byline", ".share-row", ".downloads"] {
                assert_eq!(
                    written(one(&html, css)),
                    (ui.to_owned(), ui_dir.to_owned()),
                    "{path}: {css}"
                );
            }
        }
    }
    let (_, html) = page(&base, &format!("/stories/{ARABIC}/features/t2"), "fr").await;
    assert_eq!(text(one(&html, ".panel h2")), "محطة الضخ T2 (تقديري)");
    // The embed, and its credit line.
    let (_, html) = page(&base, &format!("/embed/stories/{ARABIC}?lang=en"), "fr").await;
    assert_eq!(one(&html, "html").value().attr("dir"), Some("ltr"));
    let credit = one(&html, ".embed-credit span");
    assert_eq!(written(credit), ("ar".to_owned(), "rtl".to_owned()));
}

#[tokio::test]
async fn the_interface_speaks_arabic_mirrored_with_cldr_dates_and_numbers() {
    let (_dir, base) = serve();
    for (path, accept) in [
        (format!("/stories/{SEED}?lang=ar"), "da"),
        (format!("/stories/{SEED}"), "ar-SY,ar;q=0.9,en;q=0.5"),
    ] {
        let (status, html) = page(&base, &path, accept).await;
        assert_eq!(status, 200);
        let root = one(&html, "html");
        assert_eq!(root.value().attr("lang"), Some("ar"), "{path} ({accept})");
        assert_eq!(root.value().attr("dir"), Some("rtl"), "{path} ({accept})");
        // The Danish article stays left to right; the story gives its
        // summary in Arabic.
        assert_eq!(
            written(one(&html, "main h1")),
            ("da".to_owned(), "ltr".to_owned())
        );
        assert_eq!(
            written(one(&html, ".summary")),
            ("ar".to_owned(), "rtl".to_owned())
        );
        let byline = one(&html, ".byline");
        assert_eq!(written(byline), ("ar".to_owned(), "rtl".to_owned()));
        assert!(
            text(byline).ends_with("٣٠ أغسطس ٢٠١٧"),
            "{:?}",
            text(byline)
        );
        // The story's description of its text, which it gives in Arabic,
        // is isolated from the date.
        assert_eq!(one(&html, ".byline bdi").value().attr("lang"), Some("ar"));
        let list = text(one(&html, ".feature-list"));
        for words in [
            "٢٨–٢٩ أغسطس ٢٠١٧",
            "تقريبي، ± ٢٥ كم",
            "مكان",
            "طريق",
            // The story's own words, in Arabic.
            "جسر مدمَّر شرق حميمة",
            "غارات التحالف",
        ] {
            assert!(list.contains(words), "the feature list says {words:?}");
        }
        assert!(
            all(&html, ".language-switch a")
                .iter()
                .any(|link| link.value().attr("lang") == Some("ar") && text(*link) == "العربية")
        );
    }
    // The panel quotes the article between Arabic quotation marks, the
    // quote itself Danish, left to right.
    let (_, html) = page(
        &base,
        &format!("/stories/{SEED}/features/blocked-bridge?lang=ar"),
        "ar",
    )
    .await;
    let quote = one(&html, ".passages a");
    assert_eq!(text(quote), "«ødelagt en lille bro»");
    assert_eq!(
        written(one(&html, ".passages a span")),
        ("da".to_owned(), "ltr".to_owned())
    );
    assert_eq!(
        text(one(&html, ".panel .uncertainty")),
        "موقع تقريبي، ± ٢٥ كم"
    );
}

/// Latin words the Arabic interface keeps: names of formats, programs
/// and keys, and the credits of the map's data.
const KEPT_IN_LATIN: &[&str] = &[
    "kort",
    "GeoJSON",
    "KML",
    "Google Earth",
    "JavaScript",
    "SHA-256",
    "Tab",
    "Enter",
    "Escape",
    "Natural Earth",
    "GSHHG",
    "GeoNames",
    "Leaflet",
    // Licences are named as they are written.
    "LGPL-3.0",
    "CC BY 4.0",
];

/// Every piece of text a reader of `html` meets (text, and the names
/// assistive technology reads out: `aria-label`, `title`, `alt`) whose
/// language is `lang`, with the words in [`KEPT_IN_LATIN`] taken out.
fn interface_text(html: &Html, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in all(html, "body, body *") {
        if matches!(element.value().name(), "script" | "style" | "code") {
            continue;
        }
        if written(element).0 != lang {
            continue;
        }
        // What a `<noscript>` holds is parsed as its text: its markup read.
        let markup = |text: &str| {
            if element.value().name() == "noscript" {
                Html::parse_fragment(text).root_element().text().collect()
            } else {
                text.to_owned()
            }
        };
        let own = element
            .children()
            .filter_map(|child| child.value().as_text().map(|text| markup(text)));
        let named = ["aria-label", "title", "alt"]
            .into_iter()
            .filter_map(|name| element.value().attr(name).map(str::to_owned));
        for piece in own.chain(named) {
            // The story's words inside the interface's sentences, isolated.
            let mut piece = without_isolates(&piece);
            for kept in KEPT_IN_LATIN {
                piece = piece.replace(kept, "");
            }
            if !piece.trim().is_empty() {
                out.push(piece);
            }
        }
    }
    out
}

/// `text` without what it isolates (FSI … PDI).
fn without_isolates(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0_usize;
    for c in text.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => depth += 1,
            '\u{2069}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn no_interface_string_is_left_untranslated_in_arabic() {
    let (_dir, base) = serve();
    let mut checked = 0;
    for path in [
        "/?lang=ar".to_owned(),
        "/about?lang=ar".to_owned(),
        format!("/stories/{SEED}?lang=ar"),
        format!("/stories/{SEED}/features/blocked-bridge?lang=ar"),
        format!("/stories/{SEED}/features/convoy-route?lang=ar&at=2017-08-29"),
        format!("/stories/{SEED}?lang=ar&at=2017-08-28/2017-08-30"),
        format!("/embed/stories/{SEED}?lang=ar"),
        format!("/stories/{SEED}/features/nowhere?lang=ar"),
        "/no/such/page?lang=ar".to_owned(),
    ] {
        let (_, html) = page(&base, &path, "ar").await;
        for piece in interface_text(&html, "ar") {
            checked += 1;
            assert!(
                !piece.chars().any(|c| c.is_ascii_alphabetic()),
                "{path}: {piece:?} is interface text in Latin letters"
            );
        }
    }
    assert!(checked > 100, "only {checked} pieces of interface text");
}

#[tokio::test]
async fn the_social_preview_sets_an_arabic_headline_at_the_right() {
    let (_dir, base) = serve();
    // Where the band under the map has ink, on the headline's line: the
    // leftmost and rightmost dark pixel.
    let ink = |png: &[u8]| {
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).expect("a PNG");
        // The band is the last 110 pixels; the headline's baseline 50 into it.
        let y = pixmap.height() - 110 + 40;
        let dark: Vec<u32> = (0..pixmap.width())
            .filter(|&x| {
                let pixel = pixmap.pixel(x, y).expect("in the image");
                u32::from(pixel.red()) + u32::from(pixel.green()) + u32::from(pixel.blue()) < 200
            })
            .collect();
        (
            dark.first().copied().unwrap_or(u32::MAX),
            dark.last().copied().unwrap_or(0),
        )
    };
    let get = |path: String| {
        let base = base.clone();
        async move {
            let response = reqwest::get(format!("{base}{path}"))
                .await
                .expect("preview");
            assert_eq!(response.status(), 200, "{path}");
            response.bytes().await.expect("bytes").to_vec()
        }
    };
    // A place's preview: its name is the headline (Arsal, عرسال).
    let (left, right) = ink(&get(format!("/stories/{SEED}/features/arsal/preview.png")).await);
    assert!(left < 60 && right < 400, "“Arsal” at {left}–{right}");
    let (left, right) = ink(&get(format!("/stories/{ARABIC}/features/arsal/preview.png")).await);
    assert!(left > 800 && right > 1140, "“عرسال” at {left}–{right}");
}
