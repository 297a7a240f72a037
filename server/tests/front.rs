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

/// The seed, and copies of it as other stories, by folder name, with
/// their own publication date and map view: a front page of many stories.
fn many_stories(copies: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = support::copy_of_seed();
    let seed = dir.path().join(support::SEED);
    for (slug, published, view) in copies {
        let copy = dir.path().join(slug);
        for (path, bytes) in support::snapshot(&seed) {
            let to = copy.join(path);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("folders");
            std::fs::write(to, bytes).expect("copy");
        }
        let manifest = std::fs::read_to_string(copy.join("story.toml")).expect("story.toml");
        let manifest = manifest
            .replace(
                "published = \"2017-08-30\"",
                &format!("published = \"{published}\""),
            )
            .replace(
                "view = { west = 35.9, south = 33.6, east = 41.3, north = 35.2 }",
                view,
            );
        std::fs::write(copy.join("story.toml"), manifest).expect("story.toml");
    }
    dir
}

async fn page_of(dir: &std::path::Path, path: &str) -> Html {
    let stories = Stories::new(kort_server::load::catalog(dir).expect("stories"));
    let root = std::path::Path::new("target/site");
    // With the basemap, whose countries the places are.
    let basemap = support::root().join("public/basemap");
    let app = kort_server::AppState::builder(stories)
        .site_dir(root)
        .basemap(kort_server::preview::Basemap::load(&basemap))
        .assets(kort_app::assets::Assets::load(root).expect("the site's asset list"))
        .build()
        .into_router();
    let (status, body) = support::answer(&app, path).await;
    assert_eq!(status, 200, "{path}");
    Html::parse_document(&String::from_utf8(body).expect("UTF-8"))
}

/// The stories a front page lists, by slug.
fn listed(html: &Html) -> Vec<String> {
    attributes(html, ".story-card-title a", "href")
        .into_iter()
        .map(|href| {
            href.trim_start_matches("/stories/")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn many_stories_are_found_by_place_and_date() {
    let same = "view = { west = 35.9, south = 33.6, east = 41.3, north = 35.2 }";
    let dir = many_stories(&[
        (
            "to-jordan",
            "2016-05-01",
            "view = { west = 35.9, south = 31.5, east = 41.3, north = 35.2 }",
        ),
        (
            "to-turkey",
            "2019-01-15",
            "view = { west = 35.9, south = 33.6, east = 43.5, north = 37.6 }",
        ),
        ("a", "2017-09-01", same),
        ("b", "2017-10-01", same),
        ("c", "2018-02-01", same),
        ("d", "2018-03-01", same),
        ("e", "2018-04-01", same),
    ]);
    let all = page_of(dir.path(), "/?lang=en").await;
    assert_eq!(listed(&all).len(), 8);
    // The places are the countries the stories' maps show, by name in the
    // reader's language, each with how many stories show it.
    let places = texts(&all, ".story-filters select[name=place] option");
    assert!(places.contains(&"Jordan (1)".to_owned()), "{places:?}");
    assert!(places.contains(&"Syria (8)".to_owned()), "{places:?}");
    let value = attributes(&all, ".story-filters select[name=place] option", "value");
    assert!(value.contains(&"Jordan".to_owned()), "{value:?}");
    assert_eq!(
        listed(&page_of(dir.path(), "/?lang=en&place=Jordan").await),
        ["to-jordan"]
    );
    // The same place, named in Arabic for an Arabic reader.
    let arabic = page_of(dir.path(), "/?lang=ar").await;
    let places = texts(&arabic, ".story-filters select[name=place] option");
    assert!(
        places.iter().any(|place| place.starts_with("الأردن")),
        "{places:?}"
    );
    // Published from and to a day, as the date fields give it.
    let dated = page_of(dir.path(), "/?lang=en&from=2018-01-01&to=2018-03-31").await;
    assert_eq!(listed(&dated), ["d", "c"]);
    assert_eq!(
        texts(&dated, ".story-filters [role=status]"),
        ["Showing 2 of 8 stories."]
    );
    assert_eq!(
        attributes(&dated, ".story-filters input[name=from]", "value"),
        ["2018-01-01"]
    );
    let both = page_of(dir.path(), "/?lang=en&place=Turkey&from=2019-01-01").await;
    assert_eq!(listed(&both), ["to-turkey"]);
    // What the filters cannot read is said, naming the field; the rest
    // still filters.
    let bad = page_of(dir.path(), "/?lang=en&from=2017-13-01&place=Atlantis").await;
    assert_eq!(listed(&bad).len(), 0);
    let said = texts(&bad, ".story-filters [role=status]").concat();
    assert!(
        said.contains("from: “2017-13-01” is not a day; expected YYYY-MM-DD"),
        "{said}"
    );
    assert!(said.contains("No story shows “Atlantis”"), "{said}");
    let none = page_of(dir.path(), "/?lang=en&to=2010-01-01").await;
    assert_eq!(listed(&none).len(), 0);
    assert!(
        texts(&none, "main").concat().contains("No story matches"),
        "filtered to nothing"
    );
}

#[tokio::test]
async fn a_handful_of_stories_needs_no_filters() {
    let html = page("/?lang=en").await;
    assert!(texts(&html, ".story-filters").is_empty());
}
