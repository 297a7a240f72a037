//! The front page and the About page: what a reader arriving at the site
//! sees before any story, in each language.

mod support;

use kort_app::story::Stories;
use scraper::{Html, Selector};

async fn page(path: &str) -> Html {
    let dir = support::copy_of_seed();
    let stories = Stories::new(kort_server::load::catalog(dir.path()).expect("seed"));
    let app = support::app(stories, "target/site");
    let (status, body) = support::answer(&app, path).await;
    assert_eq!(status, 200, "{path}");
    Html::parse_document(&String::from_utf8(body).expect("UTF-8"))
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .map(|element| element.text().collect::<String>().trim().to_owned())
        .collect()
}

fn attributes(html: &Html, css: &str, name: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .filter_map(|element| element.attr(name).map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn each_story_is_listed_with_its_map_date_publisher_and_languages() {
    let english = page("/?lang=en").await;
    // The headline in the reader's language, where the story has it.
    assert_eq!(
        texts(&english, ".story-card-title a"),
        ["Coalition bombs the road to stop an IS convoy from the Lebanon–Syria border"]
    );
    assert_eq!(attributes(&english, ".story-card-title a", "lang"), ["en"]);
    // Its map, beside the headline that names it (so no words of its own).
    assert_eq!(
        attributes(&english, ".story-card img", "src"),
        ["/stories/arsal-convoy-2017/preview.png"]
    );
    assert_eq!(attributes(&english, ".story-card img", "alt"), [""]);
    // Its date and publisher, and the languages it can be read in, each
    // named in itself and leading to the story in it.
    let meta = texts(&english, ".story-card .meta");
    assert!(meta[0].contains("30 August 2017"), "{meta:?}");
    assert!(
        meta[0].contains("Danish news article (wire copy)"),
        "{meta:?}"
    );
    assert_eq!(texts(&english, ".story-languages a"), ["Dansk", "English"]);
    assert_eq!(
        attributes(&english, ".story-languages a", "href"),
        [
            "/stories/arsal-convoy-2017?lang=da",
            "/stories/arsal-convoy-2017?lang=en"
        ]
    );
    // A Danish reader gets the original headline.
    let danish = page("/?lang=da").await;
    assert_eq!(attributes(&danish, ".story-card-title a", "lang"), ["da"]);
    assert!(texts(&danish, ".story-card-title a")[0].starts_with("Koalitionen bomber vejen"));
}

#[tokio::test]
async fn the_footer_leads_to_the_policies_the_contact_and_the_credits() {
    for path in ["/?lang=en", "/about?lang=en"] {
        let html = page(path).await;
        let links = attributes(&html, ".site-footer a", "href");
        assert!(
            links.contains(&"/about?lang=en".to_owned()),
            "{path}: {links:?}"
        );
        assert!(
            links.contains(&"/about?lang=en#corrections".to_owned()),
            "{path}"
        );
        assert!(
            links.contains(&"mailto:corrections@kort.example.org".to_owned()),
            "{path}"
        );
        assert!(
            links
                .iter()
                .any(|link| link.contains("naturalearthdata.com")),
            "{path}"
        );
        assert!(
            texts(&html, ".site-footer")
                .join(" ")
                .contains("corrections@kort.example.org")
        );
    }
}

#[tokio::test]
async fn the_about_page_says_how_uncertainty_sources_and_corrections_are_handled() {
    let english = page("/about?lang=en").await;
    assert_eq!(texts(&english, "main h1"), ["About kort"]);
    let headings = texts(&english, "main section h2");
    assert_eq!(
        headings,
        [
            "Every place is tied to the text",
            "Estimates are shown as estimates",
            "Sources",
            "Positions blurred to protect people",
            "Corrections policy",
            "Contact",
        ]
    );
    assert_eq!(
        texts(&english, "#contact a"),
        ["corrections@kort.example.org"]
    );
    // In every language of the interface, with the same sections.
    for (lang, title) in [("da", "Om kort"), ("ar", "عن kort")] {
        let html = page(&format!("/about?lang={lang}")).await;
        assert_eq!(attributes(&html, "html", "lang"), [lang]);
        assert_eq!(texts(&html, "main h1"), [title]);
        assert_eq!(texts(&html, "main section h2").len(), headings.len());
        assert_eq!(
            attributes(&html, "main section", "id"),
            attributes(&english, "main section", "id")
        );
    }
}
