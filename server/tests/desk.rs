//! The desk over HTTP, on the real server with its files in a temporary
//! folder: signing in and out, every refusal (no session, a forged or
//! ended one, no origin, the wrong role, too many tries), and a story made,
//! checked and published, which readers see only once it is published.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kort_app::story::Stories;
use kort_server::desk::DeskConfig;
use kort_server::desk::users::{self, Role};
use kort_server::{AppState, load};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use scraper::{Html, Selector};
use support::{story_form, texts, value};

const SEED: &str = "arsal-convoy-2017";
const ANNA: (&str, &str) = ("anna", "correct horse battery staple");
const BO: (&str, &str) = ("bo", "another long passphrase");

/// A served site with a desk, its files in `dir`.
struct Site {
    base: String,
    dir: tempfile::TempDir,
}

impl Site {
    fn users(&self) -> PathBuf {
        self.dir.path().join("users.toml")
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Serves a copy of the seed stories with a desk whose accounts are Anna
/// (a publisher) and Bo (an editor).
async fn serve() -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    let published = dir.path().join("stories");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data/stories")
        .join(SEED);
    kort_server::desk::folders::replace(
        &published.join(SEED),
        kort_server::desk::folders::Start::CopyOf(&seed),
        |_| Ok(()),
    )
    .expect("seed copied");
    let users = dir.path().join("users.toml");
    users::add(&users, ANNA.0, Role::Publisher, ANNA.1).expect("anna");
    users::add(&users, BO.0, Role::Editor, BO.1).expect("bo");
    let stories = Stories::new(load::catalog(&published).expect("catalog"));
    let stories_dir = published.clone();
    let config = DeskConfig {
        users,
        drafts: dir.path().join("drafts"),
        published,
    };
    let addr = support::serve(
        move |addr| {
            // The public files: the basemap's places, for placing features by name.
            AppState::builder(stories)
                .site_dir(&support::root().join("public"))
                .site(kort_app::model::Site {
                    public_url: format!("http://{addr}"),
                    tiles: None,
                    contact: None,
                })
                .stories_dir(&stories_dir)
                .desk(config)
        },
        || {},
    );
    Site {
        base: format!("http://{addr}"),
        dir,
    }
}

/// A client that follows no redirects (the tests look at them) and keeps
/// no cookies (the tests hand them over).
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

/// The headers a desk page sends with a form: its origin, and the cookie.
fn from_desk(site: &Site, cookie: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_str(&site.base).expect("origin"));
    if let Some(cookie) = cookie {
        headers.insert("cookie", HeaderValue::from_str(cookie).expect("cookie"));
    }
    headers
}

/// Posts a form as the desk's pages do.
async fn post(
    site: &Site,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client()
        .post(site.url(path))
        .headers(from_desk(site, cookie))
        .form(form)
        .send()
        .await
        .expect("request")
}

async fn get(site: &Site, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = client().get(site.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("request")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Signs in; the session cookie, as `name=value`.
async fn sign_in(site: &Site, (name, password): (&str, &str)) -> String {
    let response = post(
        site,
        "/desk/login",
        None,
        &[("name", name), ("password", password)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/desk");
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    cookie.split(';').next().expect("name=value").to_owned()
}

async fn page(site: &Site, path: &str, cookie: &str) -> Html {
    let response = get(site, path, Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    Html::parse_document(&response.text().await.expect("body"))
}

/// Posts the story form.
async fn save(
    site: &Site,
    path: &str,
    cookie: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post(site, path, Some(cookie), &pairs).await
}

#[tokio::test]
async fn the_desk_speaks_arabic_right_to_left() {
    let site = serve().await;
    let login = Html::parse_document(
        &get(&site, "/desk/login?lang=ar", None)
            .await
            .text()
            .await
            .expect("body"),
    );
    let root = |html: &Html, name: &str| {
        texts_of_attribute(html, "html", name)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    assert_eq!(
        (root(&login, "lang"), root(&login, "dir")),
        ("ar".into(), "rtl".into())
    );
    assert_eq!(texts(&login, "h1"), ["تسجيل الدخول إلى مكتب التحرير"]);
    let cookie = sign_in(&site, ANNA).await;
    let story = page(&site, &format!("/desk/stories/{SEED}?lang=ar"), &cookie).await;
    assert_eq!(root(&story, "dir"), "rtl");
    assert!(
        texts(&story, "button")
            .iter()
            .any(|text| text == "احفظ المسودة")
    );
    // The story's own words keep their language and direction.
    let title = Selector::parse("main h1").expect("selector");
    let heading = story.select(&title).next().expect("the story's title");
    assert_eq!(heading.value().attr("lang"), Some("da"));
}

fn texts_of_attribute(html: &Html, css: &str, name: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .filter_map(|element| element.value().attr(name).map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn signing_in_gives_a_strict_cookie_and_signing_out_ends_the_session() {
    let site = serve().await;
    let response = post(
        &site,
        "/desk/login",
        None,
        &[("name", ANNA.0), ("password", ANNA.1)],
    )
    .await;
    let set = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .expect("cookie")
        .to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(part), "{part} in {set}");
    }
    assert!(!set.contains("Secure"), "plain http here: {set}");
    let token = set
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .expect("kv")
        .1;
    assert!(token.len() >= 22, "at least 128 bits: {token}");
    let cookie = set.split(';').next().expect("kv").to_owned();

    let desk = page(&site, "/desk", &cookie).await;
    assert!(texts(&desk, ".desk-bar").concat().contains("anna"));
    let rows = texts(&desk, ".desk-stories tbody tr td:first-child");
    assert_eq!(
        rows,
        ["Koalitionen bomber vejen for IS-konvoj fra grænsen mellem Libanon og Syrien"]
    );

    let out = post(&site, "/desk/logout", Some(&cookie), &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(
        out.headers()
            .get("set-cookie")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|cookie| cookie.contains("Max-Age=0")),
        "the cookie is cleared"
    );
    let after = get(&site, "/desk", Some(&cookie)).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "the session ended");
    assert_eq!(location(&after), "/desk/login");
}

#[tokio::test]
async fn every_desk_route_refuses_without_a_live_session() {
    let site = serve().await;
    let forged = "kort-desk=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    for cookie in [None, Some(forged)] {
        for path in [
            "/desk",
            &format!("/desk/stories/{SEED}"),
            "/desk/stories/nothing",
            "/desk/places?q=beirut",
        ] {
            let response = get(&site, path, cookie).await;
            assert_eq!(
                response.status(),
                StatusCode::SEE_OTHER,
                "{path} {cookie:?}"
            );
            assert_eq!(location(&response), "/desk/login");
            assert_eq!(
                response
                    .headers()
                    .get("cache-control")
                    .map(HeaderValue::as_bytes),
                Some(&b"no-store"[..])
            );
        }
        for path in [
            "/desk/stories".to_owned(),
            format!("/desk/stories/{SEED}"),
            format!("/desk/stories/{SEED}/layers"),
            format!("/desk/stories/{SEED}/words"),
            format!("/desk/stories/{SEED}/features"),
            format!("/desk/stories/{SEED}/features/remove"),
            format!("/desk/stories/{SEED}/features/split"),
            format!("/desk/stories/{SEED}/links"),
            format!("/desk/stories/{SEED}/links/remove"),
            format!("/desk/stories/{SEED}/import"),
            format!("/desk/stories/{SEED}/fit"),
            format!("/desk/stories/{SEED}/publish"),
            format!("/desk/stories/{SEED}/unpublish"),
            "/desk/logout".to_owned(),
        ] {
            let response = post(
                &site,
                &path,
                cookie,
                &[("title", "x"), ("base", "x"), ("revision", "x")],
            )
            .await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{path} {cookie:?}"
            );
        }
    }
    // The sign-in page itself answers, and says nothing of any story.
    let login = get(&site, "/desk/login", None).await;
    assert_eq!(login.status(), StatusCode::OK);
    assert!(!login.text().await.expect("body").contains("Koalitionen"));
    // The accounts file is served by no URL.
    for path in [
        "/users.toml",
        "/data/users.toml",
        "/desk/users.toml",
        "/../users.toml",
    ] {
        let response = get(&site, path, None).await;
        let body = response.text().await.expect("body");
        assert!(!body.contains("argon2"), "{path}");
    }
}

#[tokio::test]
async fn changes_without_the_desk_s_origin_are_refused() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let form = [("title", "Forged story"), ("language", "en")];
    for origin in [None, Some("https://evil.example"), Some("null")] {
        let mut request = client()
            .post(site.url("/desk/stories"))
            .header("cookie", &cookie)
            .form(&form);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin:?}");
    }
    // Sign-in too: a forged sign-in would put the reader in the attacker's account.
    let response = client()
        .post(site.url("/desk/login"))
        .header("origin", "https://evil.example")
        .form(&[("name", ANNA.0), ("password", ANNA.1)])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let desk = page(&site, "/desk", &cookie).await;
    assert!(
        !texts(&desk, "td").concat().contains("Forged story"),
        "nothing was made"
    );
}

#[tokio::test]
async fn wrong_and_unknown_sign_ins_answer_alike_slowly_and_too_many_pause_the_account() {
    let site = serve().await;
    let mut answers = Vec::new();
    for (name, password) in [
        (ANNA.0, "wrong password here"),
        ("nobody", "wrong password here"),
    ] {
        let started = Instant::now();
        let response = post(
            &site,
            "/desk/login",
            None,
            &[("name", name), ("password", password)],
        )
        .await;
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "answered slowly"
        );
        assert!(response.headers().get("set-cookie").is_none());
        answers.push((response.status(), location(&response)));
    }
    assert_eq!(
        answers[0], answers[1],
        "the same answer, whether or not the user exists"
    );
    assert_eq!(
        answers[0],
        (StatusCode::SEE_OTHER, "/desk/login?failed".to_owned())
    );
    let failed = Html::parse_document(
        &get(&site, "/desk/login?failed", None)
            .await
            .text()
            .await
            .expect("body"),
    );
    assert!(
        !texts(&failed, "[role=alert]").is_empty(),
        "the page says so"
    );

    // Four more wrong tries (five in all) pause Anna's account, even for
    // the right password; Bo's goes on.
    let tries = (0..4).map(|_| {
        post(
            &site,
            "/desk/login",
            None,
            &[("name", ANNA.0), ("password", "still wrong pass")],
        )
    });
    futures_util::future::join_all(tries).await;
    let paused = post(
        &site,
        "/desk/login",
        None,
        &[("name", ANNA.0), ("password", ANNA.1)],
    )
    .await;
    assert_eq!(location(&paused), "/desk/login?failed");
    assert!(paused.headers().get("set-cookie").is_none());
    sign_in(&site, BO).await;
}

#[tokio::test]
async fn a_removed_user_is_signed_out_at_their_next_request() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    page(&site, "/desk", &cookie).await;
    users::remove(&site.users(), BO.0).expect("removed");
    let response = get(&site, "/desk", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/desk/login");
}

#[tokio::test]
async fn an_editor_may_save_but_not_publish() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let story = page(&site, &format!("/desk/stories/{SEED}"), &cookie).await;
    assert!(
        texts(&story, ".desk-publishing").is_empty(),
        "no publish buttons for an editor"
    );
    let revision = value(&story, "input[name=base]");
    for action in ["publish", "unpublish"] {
        let response = post(
            &site,
            &format!("/desk/stories/{SEED}/{action}"),
            Some(&cookie),
            &[("revision", &revision)],
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{action}");
    }
    let readers = get(&site, &format!("/stories/{SEED}"), None).await;
    assert_eq!(readers.status(), StatusCode::OK, "still published");
}

/// Every public address of a story, and whether each answers.
async fn public(site: &Site, slug: &str) -> Vec<(String, StatusCode)> {
    let mut found = Vec::new();
    for path in [
        format!("/stories/{slug}"),
        format!("/embed/stories/{slug}"),
        format!("/api/stories/{slug}"),
        format!("/api/stories/{slug}/features.geojson"),
        format!("/api/stories/{slug}/export.geojson"),
        format!("/stories/{slug}/preview.png"),
        format!(
            "/oembed?url={}",
            kort_app::links::percent_encode(&site.url(&format!("/stories/{slug}")))
        ),
    ] {
        let status = get(site, &path, None).await.status();
        found.push((path, status));
    }
    let list = get(site, "/api/stories", None)
        .await
        .text()
        .await
        .expect("list");
    found.push((
        "/api/stories".into(),
        if list.contains(slug) {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        },
    ));
    found
}

/// Makes a story at the desk, as its form does; its desk page's path.
async fn new_story(site: &Site, cookie: &str, title: &str) -> String {
    let made = post(
        site,
        "/desk/stories",
        Some(cookie),
        &[
            ("title", title),
            ("language", "en"),
            ("published", "2017-08-30"),
            ("publisher", "kort desk test"),
            ("summary", "A test story made at the desk."),
            ("west", "38"),
            ("south", "33.5"),
            ("east", "41.5"),
            ("north", "35.5"),
        ],
    )
    .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    location(&made)
}

#[tokio::test]
async fn a_story_is_made_checked_published_and_taken_off_the_site() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let path = new_story(&site, &cookie, "Strikes cut the road to Albu Kamal").await;
    assert_eq!(path, "/desk/stories/strikes-cut-the-road-to-albu-kamal");
    let slug = path.rsplit('/').next().expect("slug").to_owned();

    // A draft: nowhere on the public site.
    for (address, status) in public(&site, &slug).await {
        assert_eq!(status, StatusCode::NOT_FOUND, "{address}");
    }

    // Its problems are listed, and it cannot be published.
    let story = page(&site, &path, &cookie).await;
    assert!(texts(&story, ".desk-check h2").concat().contains("problem"));
    let button = Selector::parse(".desk-publishing button").expect("selector");
    assert!(
        story
            .select(&button)
            .next()
            .and_then(|b| b.attr("disabled"))
            .is_some()
    );
    let revision = value(&story, "input[name=base]");
    let refused = post(
        &site,
        &format!("{path}/publish"),
        Some(&cookie),
        &[("revision", &revision)],
    )
    .await;
    assert_eq!(location(&refused), format!("{path}?error=problems"));

    // A layer and an article fix them.
    let added = post(
        &site,
        &format!("{path}/layers"),
        Some(&cookie),
        &[
            ("base", &revision),
            ("title", "Strikes"),
            ("symbol", "strike"),
            ("color", "#b91c1c"),
        ],
    )
    .await;
    assert_eq!(location(&added), format!("{path}?saved"));
    let story = page(&site, &path, &cookie).await;
    let article = "The coalition cratered the road east of Humaymah.\r\n\r\nIt also destroyed a small bridge.";
    let saved = save(
        &site,
        &path,
        &cookie,
        &story_form(&story, &[("article", article)]),
    )
    .await;
    assert_eq!(location(&saved), format!("{path}?saved"));
    let story = page(&site, &path, &cookie).await;
    assert_eq!(
        texts(&story, ".desk-check h2"),
        ["No problems: the story can be published."]
    );
    let article = texts(&story, "textarea[name=article]").concat();
    assert!(
        article.starts_with("{#the-coalition-cratered-the} The coalition"),
        "{article}"
    );

    // Published: readers see it everywhere.
    let revision = value(&story, "input[name=revision]");
    let published = post(
        &site,
        &format!("{path}/publish"),
        Some(&cookie),
        &[("revision", &revision)],
    )
    .await;
    assert_eq!(location(&published), format!("{path}?published"));
    for (address, status) in public(&site, &slug).await {
        assert_eq!(status, StatusCode::OK, "{address}");
    }
    let reader = Html::parse_document(
        &get(&site, &format!("/stories/{slug}"), None)
            .await
            .text()
            .await
            .expect("page"),
    );
    assert_eq!(texts(&reader, "h1"), ["Strikes cut the road to Albu Kamal"]);
    assert!(
        texts(&reader, "#article p")
            .concat()
            .contains("destroyed a small bridge")
    );
    let desk = page(&site, "/desk", &cookie).await;
    let state =
        Selector::parse(&format!("tr[data-story={slug}] td[data-state]")).expect("selector");
    assert_eq!(
        desk.select(&state)
            .next()
            .and_then(|td| td.attr("data-state")),
        Some("published")
    );

    // Taken off the site: gone from every public address again; the draft stays.
    let off = post(&site, &format!("{path}/unpublish"), Some(&cookie), &[]).await;
    assert_eq!(location(&off), format!("{path}?unpublished"));
    for (address, status) in public(&site, &slug).await {
        assert_eq!(status, StatusCode::NOT_FOUND, "{address}");
    }
    page(&site, &path, &cookie).await;
}

#[tokio::test]
async fn a_save_over_another_editor_s_save_is_refused_and_kept_for_its_editor() {
    let site = serve().await;
    let (anna, bo) = (sign_in(&site, ANNA).await, sign_in(&site, BO).await);
    let path = format!("/desk/stories/{SEED}");
    let opened = page(&site, &path, &bo).await;
    let original = texts(&opened, "textarea[name=article]").concat();
    // Anna saves first, from the same revision.
    let anna_opened = page(&site, &path, &anna).await;
    let first = save(
        &site,
        &path,
        &anna,
        &story_form(&anna_opened, &[("title", "Anna's headline")]),
    )
    .await;
    assert_eq!(location(&first), format!("{path}?saved"));
    // Bo's save, from the revision he opened, is refused.
    let bo_text = format!("{original}\n\nBo's new paragraph.");
    let second = save(
        &site,
        &path,
        &bo,
        &story_form(
            &opened,
            &[("title", "Bo's headline"), ("article", &bo_text)],
        ),
    )
    .await;
    assert_eq!(location(&second), format!("{path}?error=changed"));
    // His page says who saved in between and what differs, and holds his work.
    let shown = page(&site, &path, &bo).await;
    let alert = texts(&shown, ".desk-conflict").concat();
    assert!(alert.contains("anna saved this story"), "{alert}");
    assert!(alert.contains("title, article"), "{alert}");
    assert_eq!(value(&shown, "input[name=title]"), "Bo's headline");
    assert!(
        texts(&shown, "textarea[name=article]")
            .concat()
            .contains("Bo's new paragraph.")
    );
    // What is saved is Anna's.
    let anna_sees = page(&site, &path, &anna).await;
    assert_eq!(value(&anna_sees, "input[name=title]"), "Anna's headline");
    assert!(texts(&anna_sees, ".desk-conflict").is_empty());
}

#[tokio::test]
async fn an_editor_adds_a_source_and_changes_it() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let path = format!("/desk/stories/{SEED}");
    let story = page(&site, &path, &cookie).await;
    let base = value(&story, "input[name=base]");
    let fields = [
        ("kind", "monitoring-group"),
        ("publisher", "Syrian Observatory for Human Rights"),
        ("title", "Convoy stranded near Humaymah"),
        ("date", "2017-08-31"),
        ("url", "https://example.org/sohr"),
        ("quote", ""),
        ("author", ""),
        (
            "archived_url",
            "https://web.archive.org/web/20170831/https://example.org/sohr",
        ),
        ("archived_at", "2017-08-31"),
        ("sha256", ""),
    ];
    let mut form = vec![("base", base.as_str()), ("id", "")];
    form.extend(fields);
    let added = post(&site, &format!("{path}/sources"), Some(&cookie), &form).await;
    assert_eq!(location(&added), format!("{path}?saved"));
    let story = page(&site, &path, &cookie).await;
    let listed = texts(
        &story,
        "details[data-source=convoy-stranded-near-humaymah] summary",
    );
    assert_eq!(
        listed,
        ["Syrian Observatory for Human Rights — Convoy stranded near Humaymah"]
    );

    // Changed from its own form: the address goes, the date stays.
    let base = value(&story, "input[name=base]");
    let mut form = vec![
        ("base", base.as_str()),
        ("id", "convoy-stranded-near-humaymah"),
    ];
    form.extend(
        fields
            .iter()
            .map(|&(name, value)| (name, if name == "url" { "" } else { value })),
    );
    let changed = post(&site, &format!("{path}/sources"), Some(&cookie), &form).await;
    assert_eq!(location(&changed), format!("{path}?saved"));
    let story = page(&site, &path, &cookie).await;
    let source = "details[data-source=convoy-stranded-near-humaymah]";
    assert_eq!(value(&story, &format!("{source} input[name=url]")), "");
    // The archived copy stays, for a post that has gone.
    assert_eq!(
        value(&story, &format!("{source} input[name=archived_url]")),
        "https://web.archive.org/web/20170831/https://example.org/sohr"
    );
    assert_eq!(
        value(&story, &format!("{source} input[name=date]")),
        "2017-08-31"
    );
    // A kind kort does not know is refused, and nothing changes.
    let base = value(&story, "input[name=base]");
    let refused = post(
        &site,
        &format!("{path}/sources"),
        Some(&cookie),
        &[
            ("base", &base),
            ("id", ""),
            ("kind", "rumour"),
            ("publisher", "x"),
            ("title", "y"),
        ],
    )
    .await;
    assert_eq!(location(&refused), format!("{path}?error=invalid"));
    let told = page(&site, &location(&refused), &cookie).await;
    let notice = texts(&told, ".desk-refused").concat();
    assert!(
        notice.contains("the kind \"rumour\" is not one kort knows; expected wire-report"),
        "{notice}"
    );
    assert_eq!(value(&told, "input[name=base]"), base, "nothing changed");
}

#[tokio::test]
async fn a_layer_colour_hard_to_see_on_the_map_is_flagged() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let path = new_story(&site, &cookie, "Pale layers").await;
    for (title, color) in [("Dark red", "#b91c1c"), ("Pale yellow", "#fde68a")] {
        let story = page(&site, &path, &cookie).await;
        let base = value(&story, "input[name=base]");
        let added = post(
            &site,
            &format!("{path}/layers"),
            Some(&cookie),
            &[
                ("base", &base),
                ("title", title),
                ("symbol", "place"),
                ("color", color),
            ],
        )
        .await;
        assert_eq!(location(&added), format!("{path}?saved"));
    }
    let story = page(&site, &path, &cookie).await;
    assert!(texts(&story, "li[data-layer=dark-red] .desk-warning").is_empty());
    let warning = texts(&story, "li[data-layer=pale-yellow] .desk-warning").concat();
    assert!(
        warning.starts_with("Hard to see on the map: contrast 1."),
        "{warning}"
    );
}

#[tokio::test]
async fn an_edit_that_breaks_a_link_lists_it_with_its_feature_and_blocks_publishing() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let path = format!("/desk/stories/{SEED}");
    let story = page(&site, &path, &cookie).await;
    let article = texts(&story, "textarea[name=article]").concat();
    // The bridge's passage loses its words; every other link keeps its own.
    let edited = article.replace("ødelagt en lille bro", "ødelagt en bro");
    assert_ne!(edited, article);
    let saved = save(
        &site,
        &path,
        &cookie,
        &story_form(&story, &[("article", &edited)]),
    )
    .await;
    assert_eq!(location(&saved), format!("{path}?saved"));
    let story = page(&site, &path, &cookie).await;
    let listed = texts(&story, "#article-problems li");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(
        listed[0].contains("feature `blocked-bridge`")
            && listed[0].contains("ødelagt en lille bro"),
        "{listed:?}"
    );
    assert_eq!(
        story
            .select(&Selector::parse("textarea[name=article]").expect("selector"))
            .next()
            .and_then(|area| area.attr("aria-invalid")),
        Some("true")
    );
    // Not published; readers still see the published version.
    let revision = value(&story, "input[name=revision]");
    let refused = post(
        &site,
        &format!("{path}/publish"),
        Some(&cookie),
        &[("revision", &revision)],
    )
    .await;
    assert_eq!(location(&refused), format!("{path}?error=problems"));
    let reader = get(&site, &format!("/stories/{SEED}"), None)
        .await
        .text()
        .await
        .expect("page");
    assert!(reader.contains("ødelagt en lille bro"));
}

#[tokio::test]
async fn the_seed_s_translation_stands_beside_its_original() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    // The seed's English translation, beside the Danish.
    let seed = page(&site, &format!("/desk/stories/{SEED}"), &cookie).await;
    let english = texts(
        &seed,
        "details[data-language=en] textarea[name=\"p:kratre\"]",
    )
    .concat();
    assert!(english.contains("destroyed a small bridge"), "{english}");
    let original = texts(&seed, "details[data-language=en] .desk-original").concat();
    assert!(original.contains("ødelagt en lille bro"));
}

#[tokio::test]
async fn a_translation_is_written_paragraph_by_paragraph_beside_the_original() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    // A new story, in English, translated into Danish.
    let path = new_story(&site, &cookie, "The road is cut").await;
    let slug = path.rsplit('/').next().expect("slug").to_owned();
    let story = page(&site, &path, &cookie).await;
    let base = value(&story, "input[name=base]");
    post(
        &site,
        &format!("{path}/layers"),
        Some(&cookie),
        &[
            ("base", &base),
            ("title", "Road"),
            ("symbol", "route"),
            ("color", "#1d4ed8"),
        ],
    )
    .await;
    let story = page(&site, &path, &cookie).await;
    let article = "{#cut} The coalition cut the road.\n\n{#bridge} A small bridge was destroyed.";
    save(
        &site,
        &path,
        &cookie,
        &story_form(&story, &[("article", article)]),
    )
    .await;
    let story = page(&site, &path, &cookie).await;
    let base = value(&story, "input[name=base]");
    let added = post(
        &site,
        &format!("{path}/translations"),
        Some(&cookie),
        &[
            ("base", &base),
            ("language", "da"),
            ("title", "Vejen er skåret over"),
            ("translator", "kort-redaktionen"),
        ],
    )
    .await;
    assert_eq!(location(&added), format!("{path}?saved"));
    let story = page(&site, &path, &cookie).await;
    let empty = Selector::parse("details[data-language=da] textarea").expect("selector");
    assert_eq!(story.select(&empty).count(), 2, "a field per paragraph");
    assert!(
        !texts(&story, "#problems")
            .concat()
            .starts_with("No problems"),
        "empty paragraphs are problems"
    );

    let base = value(&story, "input[name=base]");
    let written = post(
        &site,
        &format!("{path}/translations"),
        Some(&cookie),
        &[
            ("base", &base),
            ("language", "da"),
            ("title", "Vejen er skåret over"),
            ("translator", "kort-redaktionen"),
            ("p:cut", "Koalitionen skar vejen over."),
            ("p:bridge", "En lille bro blev ødelagt."),
        ],
    )
    .await;
    assert_eq!(location(&written), format!("{path}?saved"));
    let story = page(&site, &path, &cookie).await;
    assert_eq!(
        texts(&story, "#problems"),
        ["No problems: the story can be published."]
    );
    let revision = value(&story, "input[name=revision]");
    post(
        &site,
        &format!("{path}/publish"),
        Some(&cookie),
        &[("revision", &revision)],
    )
    .await;
    let reader = Html::parse_document(
        &get(&site, &format!("/stories/{slug}?lang=da"), None)
            .await
            .text()
            .await
            .expect("page"),
    );
    assert_eq!(texts(&reader, "h1"), ["Vejen er skåret over"]);
    assert!(
        texts(&reader, "#article p#bridge")
            .concat()
            .contains("En lille bro blev ødelagt.")
    );
}

/// A file of the draft of the story at `path` (`/desk/stories/<slug>`).
fn draft_file(site: &Site, path: &str, file: &str) -> String {
    let slug = path.rsplit('/').next().expect("slug");
    std::fs::read_to_string(site.dir.path().join("drafts").join(slug).join(file))
        .expect("draft file")
}

#[tokio::test]
async fn the_story_s_words_in_other_languages_are_written_beside_their_originals() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let path = format!("/desk/stories/{SEED}");
    let seed = page(&site, &path, &cookie).await;
    // Each word of the seed's Arabic beside the English it translates.
    let arabic = "details.desk-words-language[data-language=ar]";
    assert_eq!(
        value(&seed, &format!("{arabic} input[name=\"layer:strikes\"]")),
        "غارات التحالف"
    );
    let original = texts(
        &seed,
        &format!("{arabic} [data-word=\"layer:strikes\"] .desk-original"),
    )
    .concat();
    assert_eq!(original, "Coalition strikes");
    let note = texts(
        &seed,
        &format!("{arabic} textarea[name=\"feature:blocked-bridge:note\"]"),
    )
    .concat();
    assert!(note.contains("المرصد السوري"), "{note}");

    // The form saved as the page fills it changes nothing.
    let before = draft_layer(&site, &path, "strikes");
    let filled = form_values(&seed, &format!("{arabic} form"));
    let pairs: Vec<(&str, &str)> = filled
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = post(&site, &format!("{path}/words"), Some(&cookie), &pairs).await;
    assert_eq!(location(&saved), format!("{path}?saved#words"));
    assert_eq!(draft_layer(&site, &path, "strikes"), before);

    // A new title for the bridge, and no Arabic name for the places layer.
    let changed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|&(name, text)| match name {
            "feature:blocked-bridge:title" => (name, "الجسر المدمَّر"),
            "layer:places" => (name, ""),
            _ => (name, text),
        })
        .collect();
    let saved = post(&site, &format!("{path}/words"), Some(&cookie), &changed).await;
    assert_eq!(location(&saved), format!("{path}?saved#words"));
    let strikes = draft_layer(&site, &path, "strikes");
    let bridge = strikes["features"]
        .as_array()
        .and_then(|all| all.iter().find(|feature| feature["id"] == "blocked-bridge"))
        .expect("bridge");
    assert_eq!(
        bridge["properties"]["translated"]["ar"]["title"],
        "الجسر المدمَّر"
    );
    assert_eq!(
        bridge["properties"]["translated"]["da"]["title"],
        "Ødelagt bro øst for Humaymah"
    );
    let manifest = draft_file(&site, &path, "story.toml");
    assert!(
        manifest.contains("translated = { da = { title = \"Steder\" } }"),
        "{manifest}"
    );
    let story = page(&site, &path, &cookie).await;
    assert_eq!(
        texts(&story, "h2#problems"),
        ["No problems: the story can be published."]
    );
    // Readers of the preview in Arabic see the new title, and the places
    // layer's English name, marked as English.
    let preview = page(
        &site,
        &format!("/desk/preview/stories/{SEED}/features/blocked-bridge?lang=ar"),
        &cookie,
    )
    .await;
    assert_eq!(texts(&preview, ".panel h2").concat(), "الجسر المدمَّر");
    let places = preview
        .select(
            &Selector::parse(".feature-list [data-layer=places] h3 span[lang]").expect("selector"),
        )
        .next()
        .expect("places heading");
    assert_eq!(places.value().attr("lang"), Some("en"));
    assert_eq!(places.text().collect::<String>(), "Places");
}

#[tokio::test]
async fn words_that_do_not_fit_the_story_are_refused_with_the_field_and_nothing_changes() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let path = format!("/desk/stories/{SEED}");
    page(&site, &path, &cookie).await;
    // What does not fit is refused, naming the field; nothing changes.
    let manifest = draft_file(&site, &path, "story.toml");
    let sources = draft_file(&site, &path, "sources.toml");
    let strikes = draft_layer(&site, &path, "strikes");
    for (form, told) in [
        (
            vec![("language", "en"), ("summary", "x")],
            "language: \"en\" is not another language",
        ),
        (
            vec![("language", "ar"), ("summary", "x"), ("evil", "1")],
            "evil: is not a field of the words form",
        ),
        (
            vec![
                ("language", "ar"),
                ("summary", "x"),
                ("feature:nope:title", "x"),
            ],
            "there is no feature \"nope\"",
        ),
        (
            vec![("language", "ar"), ("summary", "x"), ("layer:nope", "x")],
            "layer:nope: there is no such layer",
        ),
        (
            vec![
                ("language", "ar"),
                ("summary", "x"),
                ("source:nope:title", "x"),
            ],
            "source:nope:title: there is no source",
        ),
        (
            vec![("language", "ar"), ("summary", ""), ("layer:places", "x")],
            "summary: the story's words in ar need its summary",
        ),
        (
            vec![
                ("language", "ar"),
                ("summary", "x"),
                ("feature:arsal:title", ""),
                ("feature:arsal:note", "x"),
            ],
            "feature:arsal:title: the note in ar needs the title in ar too",
        ),
        (
            vec![
                ("language", "ar"),
                ("summary", "x"),
                ("source:sohr:title", ""),
                ("source:sohr:publisher", "x"),
            ],
            "source:sohr:title: the source's publisher or author in ar needs its title",
        ),
    ] {
        let refused = act(&site, &path, "/words", &cookie, &form).await;
        assert_eq!(refused, format!("{path}?error=invalid"), "{form:?}");
        let notice = texts(&page(&site, &refused, &cookie).await, ".desk-refused").concat();
        assert!(notice.contains(told), "{form:?}: {notice}");
    }
    assert_eq!(draft_file(&site, &path, "story.toml"), manifest);
    assert_eq!(draft_file(&site, &path, "sources.toml"), sources);
    assert_eq!(draft_layer(&site, &path, "strikes"), strikes);
}

#[tokio::test]
async fn a_language_is_added_with_its_summary_and_taken_away_whole() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let path = format!("/desk/stories/{SEED}");
    page(&site, &path, &cookie).await;
    // A language added with its summary, then taken away whole.
    let added = act(
        &site,
        &path,
        "/words",
        &cookie,
        &[("language", "fr"), ("summary", "Un convoi.")],
    )
    .await;
    assert_eq!(added, format!("{path}?saved#words"));
    let story = page(&site, &path, &cookie).await;
    let french = "details.desk-words-language[data-language=fr] form";
    assert_eq!(
        texts(&story, &format!("{french} textarea[name=summary]")).concat(),
        "Un convoi."
    );
    let mut filled = form_values(&story, french);
    for (name, text) in &mut filled {
        if name == "feature:arsal:title" {
            "Arsal".clone_into(text);
        }
    }
    let pairs: Vec<(&str, &str)> = filled
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post(&site, &format!("{path}/words"), Some(&cookie), &pairs).await;
    assert!(draft_file(&site, &path, "layers/places.geojson").contains("\"fr\""));
    let emptied: Vec<(&str, &str)> = pairs
        .iter()
        .map(|&(name, text)| {
            if matches!(name, "base" | "language") {
                (name, text)
            } else {
                (name, "")
            }
        })
        .collect();
    let story = page(&site, &path, &cookie).await;
    let base = value(&story, "input[name=base]");
    let emptied: Vec<(&str, &str)> = emptied
        .into_iter()
        .map(|(name, text)| {
            if name == "base" {
                (name, base.as_str())
            } else {
                (name, text)
            }
        })
        .collect();
    let removed = post(&site, &format!("{path}/words"), Some(&cookie), &emptied).await;
    assert_eq!(location(&removed), format!("{path}?saved#words"));
    assert!(!draft_file(&site, &path, "story.toml").contains("[translated.fr]"));
    assert!(!draft_file(&site, &path, "layers/places.geojson").contains("\"fr\""));
}

/// The layer file of the story at `path` (`/desk/stories/<slug>`) in the drafts.
fn draft_layer(site: &Site, path: &str, layer: &str) -> serde_json::Value {
    let slug = path.rsplit('/').next().expect("slug");
    let file = site
        .dir
        .path()
        .join("drafts")
        .join(slug)
        .join(format!("layers/{layer}.geojson"));
    serde_json::from_str(&std::fs::read_to_string(&file).expect("layer file")).expect("GeoJSON")
}

/// What a browser would send for the form `css`: its inputs (checked
/// boxes only), text areas and chosen options.
fn form_values(html: &Html, css: &str) -> Vec<(String, String)> {
    let form = html
        .select(&Selector::parse(css).expect("selector"))
        .next()
        .unwrap_or_else(|| panic!("no form {css}"));
    let mut values = Vec::new();
    for field in form
        .select(&Selector::parse("input[name], textarea[name], select[name]").expect("selector"))
    {
        let element = field.value();
        let name = element.attr("name").unwrap_or_default().to_owned();
        let value = match element.name() {
            "textarea" => field.text().collect::<String>(),
            "select" => field
                .select(&Selector::parse("option").expect("selector"))
                .find(|option| option.value().attr("selected").is_some())
                .or_else(|| {
                    field
                        .select(&Selector::parse("option").expect("selector"))
                        .next()
                })
                .and_then(|option| option.value().attr("value"))
                .unwrap_or_default()
                .to_owned(),
            _ if element.attr("type") == Some("checkbox") && element.attr("checked").is_none() => {
                continue;
            }
            _ => element.attr("value").unwrap_or_default().to_owned(),
        };
        values.push((name, value));
    }
    values
}

/// Posts a form to the story at `path` (plus `action`), as of the page's
/// revision now; returns where it sent the editor.
async fn act(site: &Site, path: &str, action: &str, cookie: &str, form: &[(&str, &str)]) -> String {
    let story = page(site, path, cookie).await;
    let base = value(&story, "input[name=base]");
    let mut pairs = vec![("base", base.as_str())];
    pairs.extend_from_slice(form);
    location(&post(site, &format!("{path}{action}"), Some(cookie), &pairs).await)
}

/// A new story with one layer, `layer`; its desk page's path.
async fn story_with_layer(site: &Site, cookie: &str, title: &str, layer: &str) -> String {
    let path = new_story(site, cookie, title).await;
    let form = [("title", layer), ("symbol", "route"), ("color", "#b91c1c")];
    assert_eq!(
        act(site, &path, "/layers", cookie, &form).await,
        format!("{path}?saved")
    );
    path
}

/// Splits the route of [`features_are_drawn_placed_dated_cited_split_and_removed`]
/// into legs, fits the view to the features, and removes Beirut.
async fn split_and_remove(site: &Site, path: &str, cookie: &str) {
    // Split into two legs at its third point; the second keeps the sources.
    let split = [("id", "the-convoy-s-route"), ("at", "3")];
    act(site, path, "/features/split", cookie, &split).await;
    let written = draft_layer(site, path, "convoy");
    let legs: Vec<&serde_json::Value> = written["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|feature| feature["geometry"]["type"] == "LineString")
        .collect();
    assert_eq!(legs.len(), 2);
    assert_eq!(
        legs[0]["geometry"]["coordinates"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(
        legs[1]["geometry"]["coordinates"][0],
        serde_json::json!([40.2, 34.7])
    );
    assert_eq!(
        legs[1]["properties"]["sources"],
        serde_json::json!(["convoy-stranded"])
    );

    // The view fitted to the features: their extent, a little wider.
    act(site, path, "/fit", cookie, &[]).await;
    let story = page(site, path, cookie).await;
    let edges: Vec<f64> = ["west", "south", "east", "north"]
        .iter()
        .map(|edge| {
            value(&story, &format!("input[name={edge}]"))
                .parse()
                .expect("edge")
        })
        .collect();
    // Beirut to the route's east end, a tenth wider (at least 0.1°).
    assert_eq!(edges, [34.962, 33.793, 41.44, 34.8]);

    // Removed: gone from the file and the page.
    act(site, path, "/features/remove", cookie, &[("id", "beirut")]).await;
    let story = page(site, path, cookie).await;
    assert!(texts(&story, "details[data-feature=beirut]").is_empty());
    assert_eq!(
        draft_layer(site, path, "convoy")["features"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn features_are_drawn_placed_dated_cited_split_and_removed() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let path = story_with_layer(&site, &cookie, "Convoy in the desert", "Convoy").await;
    let source = [
        ("id", ""),
        ("kind", "wire-report"),
        ("publisher", "AFP"),
        ("title", "Convoy stranded"),
    ];
    act(&site, &path, "/sources", &cookie, &source).await;
    let route =
        r#"{"type":"LineString","coordinates":[[38.8,34.5],[39.5,34.6],[40.2,34.7],[40.9,34.5]]}"#;
    let feature = [
        ("id", ""),
        ("layer", "convoy"),
        ("title", "The convoy's route"),
        ("geometry", route),
        ("uncertainty_m", "2000"),
        ("date", "2017-08-28"),
        ("precision", "day"),
        ("until", "2017-08-30"),
        ("approximate", "on"),
        ("note", "Estimated from the coalition's statements."),
        ("source", "convoy-stranded"),
    ];
    let saved = act(&site, &path, "/features", &cookie, &feature).await;
    assert_eq!(saved, format!("{path}?saved#features"));
    // Placed by a name of the basemap's gazetteer, with its Arabic name.
    let placed = [
        ("id", ""),
        ("layer", "convoy"),
        ("title", "Beirut"),
        ("place", "beirut"),
    ];
    act(&site, &path, "/features", &cookie, &placed).await;
    let written = draft_layer(&site, &path, "convoy");
    let features = written["features"].as_array().expect("features");
    assert_eq!(features.len(), 2);
    let properties = &features[0]["properties"];
    assert_eq!(features[0]["id"], "the-convoy-s-route");
    assert_eq!(properties["date"], "2017-08-28/2017-08-30~");
    assert_eq!(properties["uncertainty_m"], 2000.0);
    assert_eq!(
        properties["sources"],
        serde_json::json!(["convoy-stranded"])
    );
    assert_eq!(features[1]["properties"]["name_ar"], "بيروت");
    assert_eq!(features[1]["geometry"]["type"], "Point");

    // The form shows it back as it was given.
    let story = page(&site, &path, &cookie).await;
    let form = "#feature-the-convoy-s-route-form";
    assert_eq!(
        value(&story, &format!("{form} input[name=until]")),
        "2017-08-30"
    );
    assert_eq!(
        value(&story, &format!("{form} input[name=uncertainty_m]")),
        "2000"
    );
    let checked = Selector::parse(&format!("{form} input[name=source][checked]")).expect("css");
    assert_eq!(story.select(&checked).count(), 1);

    split_and_remove(&site, &path, &cookie).await;
}

#[tokio::test]
async fn bad_feature_fields_are_refused_with_the_field_and_nothing_changes() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let path = format!("/desk/stories/{SEED}");
    // Opening the published story makes its draft.
    page(&site, &path, &cookie).await;
    let before = draft_layer(&site, &path, "places").to_string();
    for (field, bad, told) in [
        ("geometry", "not json", "geometry: "),
        (
            "uncertainty_m",
            "-5",
            "uncertainty_m: \"-5\" is not a radius",
        ),
        ("date", "2017-8", "date: "),
        (
            "published_precision_m",
            "5",
            "published_precision_m: \"5\" is not a grid size",
        ),
        (
            "geolocation_method",
            "guesswork",
            "geolocation_method: \"guesswork\" is not a method kort knows",
        ),
        (
            "source",
            "nobody",
            "source: \"nobody\" is not a source of this story",
        ),
        (
            "place",
            "Atlantis",
            "place: \"Atlantis\" is not a place on the basemap",
        ),
        (
            "layer",
            "nowhere",
            "layer: \"nowhere\" is not a layer of this story",
        ),
    ] {
        let mut form = vec![
            ("id", "humaymah"),
            ("layer", "places"),
            ("title", "Humaymah"),
        ];
        form.retain(|(name, _)| *name != field);
        form.push((field, bad));
        let refused = act(&site, &path, "/features", &cookie, &form).await;
        assert_eq!(refused, format!("{path}?error=invalid"), "{field}");
        let told_page = page(&site, &refused, &cookie).await;
        let notice = texts(&told_page, ".desk-refused").concat();
        assert!(notice.contains(told), "{field}: {notice}");
    }
    assert_eq!(draft_layer(&site, &path, "places").to_string(), before);
    // Saved from its own form as the page fills it, a seed feature keeps its
    // passages, translations' passages and sources, and the story stays
    // without problems; the layer's other features are written as they were.
    let story = page(&site, &path, &cookie).await;
    let filled = form_values(&story, "#feature-humaymah-form");
    let pairs: Vec<(&str, &str)> = filled
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = post(&site, &format!("{path}/features"), Some(&cookie), &pairs).await;
    assert_eq!(location(&saved), format!("{path}?saved#features"));
    let after = draft_layer(&site, &path, "places");
    let humaymah = after["features"]
        .as_array()
        .and_then(|all| all.iter().find(|feature| feature["id"] == "humaymah"))
        .expect("humaymah");
    let original: serde_json::Value = serde_json::from_str(&before).expect("JSON");
    let was = original["features"]
        .as_array()
        .and_then(|all| all.iter().find(|feature| feature["id"] == "humaymah"))
        .expect("humaymah");
    assert_eq!(humaymah, was);
    let story = page(&site, &path, &cookie).await;
    assert_eq!(
        texts(&story, "h2#problems"),
        ["No problems: the story can be published."]
    );
    // A form from before another save is refused as any such save is.
    let stale = post(
        &site,
        &format!("{path}/features/remove"),
        Some(&cookie),
        &[("base", "0000"), ("id", "humaymah")],
    )
    .await;
    assert_eq!(location(&stale), format!("{path}?error=changed"));
    // The gazetteer answers signed-in editors only.
    let found = get(&site, "/desk/places?q=beir", Some(&cookie)).await;
    let places: serde_json::Value = found.json().await.expect("JSON");
    assert_eq!(places[0]["name"], "Beirut");
}

#[tokio::test]
async fn a_protected_position_is_shown_exact_on_the_desk_and_snapped_to_everyone_else() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let path = story_with_layer(&site, &cookie, "A witness's video", "Videos").await;
    let source = [
        ("id", ""),
        ("kind", "social-media-post"),
        ("publisher", "Telegram"),
        ("title", "Video of the strike"),
    ];
    act(&site, &path, "/sources", &cookie, &source).await;
    let exact = r#"{"type":"Point","coordinates":[39.9273184,34.5136427]}"#;
    let feature = [
        ("id", ""),
        ("layer", "videos"),
        ("title", "Where the video was filmed"),
        ("geometry", exact),
        ("published_precision_m", "5000"),
        ("source", "video-of-the-strike"),
        ("geolocation_method", "shadows"),
        ("geolocation_by", "the verification desk"),
        ("geolocation_at", "2017-09-02"),
        ("geolocation_source", "video-of-the-strike"),
        (
            "geolocation_links",
            "https://example.org/one\r\n\r\nhttps://example.org/two",
        ),
    ];
    act(&site, &path, "/features", &cookie, &feature).await;
    // How it was found is kept with it, as the story file writes it.
    assert_eq!(
        draft_layer(&site, &path, "videos")["features"][0]["properties"]["geolocation"],
        serde_json::json!({
            "method": "shadows",
            "by": "the verification desk",
            "at": "2017-09-02",
            "source": "video-of-the-strike",
            "links": ["https://example.org/one", "https://example.org/two"],
        })
    );
    // The draft keeps the exact position; the form shows both.
    let written = draft_layer(&site, &path, "videos");
    assert_eq!(
        written["features"][0]["geometry"]["coordinates"],
        serde_json::json!([39.927_318_4, 34.513_642_7])
    );
    assert_eq!(
        written["features"][0]["properties"]["published_precision_m"],
        5000
    );
    let story = page(&site, &path, &cookie).await;
    let form = "#feature-where-the-video-was-filmed-form";
    let position = texts(&story, &format!("{form} textarea[name=geometry]")).concat();
    assert!(position.contains("39.9273184"), "{position}");
    let shown = texts(&story, &format!("{form} .desk-published code")).concat();
    assert_eq!(
        shown,
        r#"{"type":"Point","coordinates":[39.94704,34.495307]}"#
    );
    // Fitting the view to the features fits it to the published position.
    act(&site, &path, "/fit", &cookie, &[]).await;
    let story = page(&site, &path, &cookie).await;
    assert_eq!(value(&story, "input[name=west]"), "39.847");
    // The preview, as readers will see it, has only the published position.
    let seed = format!("/desk/stories/{SEED}");
    let feature = [
        ("id", ""),
        ("layer", "strikes"),
        ("title", "Where the video was filmed"),
        ("geometry", exact),
        ("published_precision_m", "5000"),
        ("source", "dillon-afp"),
    ];
    let saved = act(&site, &seed, "/features", &cookie, &feature).await;
    assert_eq!(saved, format!("{seed}?saved#features"));
    let layer = get(
        &site,
        &format!("/desk/preview/api/stories/{SEED}/layers/strikes.geojson"),
        Some(&cookie),
    )
    .await
    .text()
    .await
    .expect("GeoJSON");
    assert!(layer.contains("[39.94704,34.495307]"), "{layer}");
    assert!(!layer.contains("39.927"), "{layer}");
}

#[tokio::test]
async fn selected_words_are_linked_with_context_only_where_ambiguous() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let path = story_with_layer(&site, &cookie, "Two convoys", "Places").await;
    let story = page(&site, &path, &cookie).await;
    let article = "{#first} The convoy left Arsal. The convoy stopped near Humaymah.";
    let saved = save(
        &site,
        &path,
        &cookie,
        &story_form(&story, &[("article", article)]),
    )
    .await;
    assert_eq!(location(&saved), format!("{path}?saved"));
    // The second "The convoy", as a selection gives it (in characters),
    // becomes a new feature named after the words.
    let second = "The convoy left Arsal. ".chars().count();
    let (start, end) = (
        second.to_string(),
        (second + "The convoy".len()).to_string(),
    );
    let link = [
        ("feature", ""),
        ("layer", "places"),
        ("paragraph", "first"),
        ("quote", "The convoy"),
        ("start", start.as_str()),
        ("end", end.as_str()),
    ];
    assert_eq!(
        act(&site, &path, "/links", &cookie, &link).await,
        format!("{path}?saved#linking")
    );
    // "Arsal", typed rather than selected, is found and needs no context.
    let typed = [
        ("feature", "the-convoy"),
        ("paragraph", "first"),
        ("quote", "Arsal"),
    ];
    act(&site, &path, "/links", &cookie, &typed).await;
    let written = draft_layer(&site, &path, "places");
    let feature = &written["features"][0];
    assert_eq!(feature["id"], "the-convoy");
    assert_eq!(
        feature["properties"]["passages"],
        serde_json::json!([{"exact": "The convoy", "suffix": " stopped"}, {"exact": "Arsal"}])
    );
    // The page marks the words as readers will see them, and the feature,
    // not drawn yet, has its problem next to its form.
    let story = page(&site, &path, &cookie).await;
    assert_eq!(
        texts(
            &story,
            "#linking-article mark.passage[data-features=the-convoy]"
        ),
        ["Arsal", "The convoy"]
    );
    let problems = texts(&story, "#feature-the-convoy-form .desk-problems li").concat();
    assert!(problems.contains("geometry"), "{problems}");
    // Unlinked: the words are plain again.
    act(
        &site,
        &path,
        "/links/remove",
        &cookie,
        &[("id", "the-convoy"), ("at", "2")],
    )
    .await;
    let story = page(&site, &path, &cookie).await;
    assert_eq!(
        texts(&story, "#linking-article mark.passage"),
        ["The convoy"]
    );
    // Words not in the paragraph are refused with what was expected.
    let missing = [
        ("feature", "the-convoy"),
        ("paragraph", "first"),
        ("quote", "Damascus"),
    ];
    let refused = act(&site, &path, "/links", &cookie, &missing).await;
    let told = page(&site, &refused, &cookie).await;
    assert!(
        texts(&told, ".desk-refused")
            .concat()
            .contains("quote: \"Damascus\" is not in paragraph")
    );
}

#[tokio::test]
async fn a_draft_is_previewed_as_readers_will_see_it_by_signed_in_users_only() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let path = format!("/desk/stories/{SEED}");
    let story = page(&site, &path, &cookie).await;
    let title = "Konvojen strander i ørkenen (kladde)";
    let saved = save(
        &site,
        &path,
        &cookie,
        &story_form(&story, &[("title", title)]),
    )
    .await;
    assert_eq!(location(&saved), format!("{path}?saved"));
    // The draft's page, with the reader's code, its links kept in the preview.
    let preview = format!("/desk/preview/stories/{SEED}");
    let response = get(&site, &preview, Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .map(HeaderValue::as_bytes),
        Some(&b"no-store"[..])
    );
    let html = Html::parse_document(&response.text().await.expect("page"));
    assert_eq!(texts(&html, "main h1"), [title]);
    assert_eq!(
        texts(&html, ".preview-notice a"),
        ["Tilbage til redaktionen"]
    );
    let feature_links: Vec<String> = html
        .select(&Selector::parse("#article a.passage").expect("selector"))
        .filter_map(|link| link.attr("href").map(str::to_owned))
        .collect();
    assert!(!feature_links.is_empty());
    assert!(
        feature_links
            .iter()
            .all(|href| href.starts_with(&format!("{preview}/features/"))),
        "{feature_links:?}"
    );
    // Its data, from the draft.
    let layer = get(
        &site,
        &format!("/desk/preview/api/stories/{SEED}/layers/strikes.geojson"),
        Some(&cookie),
    )
    .await;
    assert_eq!(layer.status(), StatusCode::OK);
    let layer: serde_json::Value =
        serde_json::from_str(&layer.text().await.expect("body")).expect("GeoJSON");
    assert_eq!(layer["features"].as_array().map(Vec::len), Some(2));
    let story_json: serde_json::Value = get(
        &site,
        &format!("/desk/preview/api/stories/{SEED}"),
        Some(&cookie),
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(story_json["title"], title);
    // Readers still see the published story; without a session, nothing.
    let public = get(&site, &format!("/stories/{SEED}"), None).await;
    assert!(!public.text().await.expect("page").contains(title));
    for path in [
        preview.clone(),
        format!("/desk/preview/api/stories/{SEED}/layers/strikes.geojson"),
    ] {
        let refused = get(&site, &path, None).await;
        assert_eq!(refused.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&refused), "/desk/login");
    }
    // A draft with problems is not previewed: the desk says why.
    let fresh = new_story(&site, &cookie, "Nothing yet").await;
    let slug = fresh.rsplit('/').next().expect("slug");
    let blocked = get(
        &site,
        &format!("/desk/preview/stories/{slug}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(location(&blocked), format!("{fresh}?error=preview"));
}

#[tokio::test]
async fn a_file_is_imported_into_a_layer_with_kort_import_s_checks() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let path = format!("/desk/stories/{SEED}");
    let story = page(&site, &path, &cookie).await;
    let base = value(&story, "input[name=base]");
    let csv =
        "name,lat,lon,when\nMayadin market,35.02,40.45,2017-08-30\nFar away,10,10,2017-08-30\n";
    let upload = |file: &'static [u8], name: &'static str| {
        reqwest::multipart::Form::new()
            .text("base", base.clone())
            .text("layer", "places")
            .text("format", "")
            .text("title", "name")
            .text("date", "when")
            .text("source", "press-convoy")
            .part(
                "file",
                reqwest::multipart::Part::bytes(file).file_name(name),
            )
    };
    let send = |form: reqwest::multipart::Form| {
        client()
            .post(site.url(&format!("{path}/import")))
            .headers(from_desk(&site, Some(&cookie)))
            .multipart(form)
            .send()
    };
    let imported = send(upload(csv.as_bytes(), "events.csv"))
        .await
        .expect("import");
    assert_eq!(location(&imported), format!("{path}?saved#import"));
    let told = page(&site, &location(&imported), &cookie).await;
    let notice = texts(&told, ".desk-notice").concat();
    assert!(
        notice.starts_with("Imported 1 feature(s) into layer \"places\". Skipped"),
        "{notice}"
    );
    let layer = draft_layer(&site, &path, "places");
    let market = layer["features"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|f| f["properties"]["title"] == "Mayadin market")
        })
        .expect("imported");
    assert_eq!(
        market["properties"]["sources"],
        serde_json::json!(["press-convoy"])
    );
    assert_eq!(
        texts(&told, "h2#problems"),
        ["No problems: the story can be published."]
    );
    // A file kort cannot read changes nothing, and says why.
    let before = draft_layer(&site, &path, "places").to_string();
    let story = page(&site, &path, &cookie).await;
    let base = value(&story, "input[name=base]");
    let form = reqwest::multipart::Form::new()
        .text("base", base)
        .text("layer", "places")
        .part(
            "file",
            reqwest::multipart::Part::bytes(&b"not a table"[..]).file_name("notes.txt"),
        );
    let refused = send(form).await.expect("import");
    assert_eq!(location(&refused), format!("{path}?error=invalid"));
    let told = page(&site, &location(&refused), &cookie).await;
    assert!(
        texts(&told, ".desk-refused")
            .concat()
            .contains("file: cannot tell the format of \"notes.txt\"")
    );
    assert_eq!(draft_layer(&site, &path, "places").to_string(), before);
}

#[tokio::test]
async fn layers_are_renamed_restyled_and_reordered() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let path = format!("/desk/stories/{SEED}");
    let order = |html: &Html| -> Vec<String> {
        html.select(&Selector::parse(".desk-layers li[data-layer]").expect("selector"))
            .filter_map(|layer| layer.attr("data-layer").map(str::to_owned))
            .collect()
    };
    let before = order(&page(&site, &path, &cookie).await);
    let last = before.last().expect("layers").clone();
    let edit = [
        ("id", last.as_str()),
        ("title", "Coalition strikes (reported)"),
        ("symbol", "strike"),
        ("color", "#7F1D1D"),
    ];
    assert_eq!(
        act(&site, &path, "/layers/edit", &cookie, &edit).await,
        format!("{path}?saved")
    );
    act(
        &site,
        &path,
        "/layers/move",
        &cookie,
        &[("id", last.as_str()), ("to", "up")],
    )
    .await;
    let story = page(&site, &path, &cookie).await;
    let after = order(&story);
    assert_eq!(after[after.len() - 2], last, "moved up one place");
    assert_eq!(after.len(), before.len());
    let summary = texts(
        &story,
        &format!(".desk-layers li[data-layer={last}] summary"),
    )
    .concat();
    assert!(
        summary.contains("Coalition strikes (reported) · Strike or event · #7f1d1d"),
        "{summary}"
    );
    // The reader's legend, in the preview, follows the new order and name
    // (in English: the story gives its Danish and Arabic names apart).
    let preview = page(
        &site,
        &format!("/desk/preview/stories/{SEED}?lang=en"),
        &cookie,
    )
    .await;
    assert!(
        texts(&preview, "body")
            .concat()
            .contains("Coalition strikes (reported)")
    );
    // A style kort cannot draw is refused, with its field.
    let bad = [
        ("id", last.as_str()),
        ("title", "x"),
        ("symbol", "star"),
        ("color", "#000000"),
    ];
    let refused = act(&site, &path, "/layers/edit", &cookie, &bad).await;
    let told = page(&site, &refused, &cookie).await;
    assert!(
        texts(&told, ".desk-refused")
            .concat()
            .starts_with("symbol: \"star\" is not one kort draws")
    );
}

#[tokio::test]
async fn a_large_layer_lists_only_the_features_the_article_links() {
    let site = serve().await;
    let cookie = sign_in(&site, BO).await;
    let plan = kort_server::synthetic::Plan {
        slug: "many-events".into(),
        events: 2_000,
        lines: 10,
        mention_every: 100,
        seed: 7,
    };
    kort_server::synthetic::write(&site.dir.path().join("stories"), &plan).expect("generate");
    let response = get(&site, "/desk/stories/many-events", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.expect("page");
    assert!(
        body.len() < 2_000_000,
        "the page stays small: {} bytes",
        body.len()
    );
    let story = Html::parse_document(&body);
    let listed = story
        .select(&Selector::parse("details.desk-feature").expect("selector"))
        .count();
    assert!((10..=60).contains(&listed), "{listed} features listed");
    let told = texts(&story, ".desk-features p.desk-help").concat();
    assert!(
        told.contains("more features, which the article does not link"),
        "{told}"
    );
}

#[tokio::test]
async fn a_slug_that_is_no_id_reaches_no_folder() {
    let site = serve().await;
    // A slug that is no story's, however it is spelt, reaches no folder.
    let cookie = sign_in(&site, ANNA).await;
    for slug in ["%2E%2E", "..%2Fstories", ".desk", "%2Fetc"] {
        let page = get(&site, &format!("/desk/stories/{slug}"), Some(&cookie)).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{slug}");
        let preview = get(
            &site,
            &format!("/desk/preview/stories/{slug}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(preview.status(), StatusCode::NOT_FOUND, "{slug}");
        let saved = post(
            &site,
            &format!("/desk/stories/{slug}"),
            Some(&cookie),
            &[
                ("base", "x"),
                ("title", "x"),
                ("language", "en"),
                ("published", "2017-08-30"),
                ("publisher", "x"),
                ("summary", "x"),
                ("west", "1"),
                ("south", "1"),
                ("east", "2"),
                ("north", "2"),
                ("article", "x"),
            ],
        )
        .await;
        assert_eq!(saved.status(), StatusCode::NOT_FOUND, "{slug}");
    }
    // A bad field with a bad slug: refused, not sent back to a broken address.
    let bad = post(
        &site,
        "/desk/stories/a%0D%0Ab/features",
        Some(&cookie),
        &[("base", "x"), ("title", "")],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);
}

/// Publishes the draft at `path` as it is now, telling readers `told`
/// (kind and note); where the desk sent the publisher.
async fn publish(site: &Site, path: &str, cookie: &str, told: &[(&str, &str)]) -> String {
    let story = page(site, path, cookie).await;
    let revision = value(&story, "input[name=revision]");
    let mut form = vec![("revision", revision.as_str())];
    form.extend_from_slice(told);
    location(&post(site, &format!("{path}/publish"), Some(cookie), &form).await)
}

/// The text of `path`'s page for readers, with its status.
async fn read(site: &Site, path: &str) -> (StatusCode, Html) {
    let response = get(site, path, None).await;
    let status = response.status();
    (
        status,
        Html::parse_document(&response.text().await.expect("page")),
    )
}

/// The seed corrected at the desk: the bridge moved, the split near
/// Humaymah removed, refused until readers are told why, then published
/// with the note returned.
async fn correct_the_seed(site: &Site, cookie: &str) -> &'static str {
    let path = format!("/desk/stories/{SEED}");
    // The bridge moves, and the place where the convoy split goes.
    let bridge = r#"{"type":"Point","coordinates":[40.05,34.52]}"#;
    let story = page(site, &path, cookie).await;
    let mut moved = form_values(&story, "#feature-blocked-bridge-form");
    for (name, value) in &mut moved {
        if name == "geometry" {
            bridge.clone_into(value);
        }
    }
    let moved: Vec<(&str, &str)> = moved
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = post(site, &format!("{path}/features"), Some(cookie), &moved).await;
    assert_eq!(location(&saved), format!("{path}?saved#features"));
    act(
        site,
        &path,
        "/features/remove",
        cookie,
        &[("id", "convoy-split")],
    )
    .await;

    // Not without telling readers what it is, and why.
    let refused = publish(site, &path, cookie, &[]).await;
    assert_eq!(refused, format!("{path}?error=invalid"));
    let told = texts(&page(site, &refused, cookie).await, ".desk-refused").concat();
    assert!(
        told.contains(
            "kind: this changes what readers have read (features blocked-bridge, convoy-split)"
        ),
        "{told}"
    );
    let note = "The bridge was 15 km further east; the split near Humaymah is not confirmed.";
    let published = publish(
        site,
        &path,
        cookie,
        &[("kind", "correction"), ("note", note)],
    )
    .await;
    assert_eq!(published, format!("{path}?published"));
    note
}

#[tokio::test]
async fn a_correction_is_told_in_public_and_the_version_before_stays_citable() {
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let note = correct_the_seed(&site, &cookie).await;
    // The story says so, and links the version before.
    let (status, latest) = read(&site, &format!("/stories/{SEED}?lang=en")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&latest, "#corrections h2"),
        ["Corrections and updates"]
    );
    let listed = texts(&latest, "#corrections li p").concat();
    assert!(
        listed.starts_with("Correction, ") && listed.ends_with(note),
        "{listed}"
    );
    let before = Selector::parse("#corrections li a").expect("css");
    let before = latest
        .select(&before)
        .next()
        .and_then(|a| a.attr("href"))
        .expect("link");
    assert_eq!(before, format!("/stories/{SEED}/rev/1"));
    // The changed feature's panel.
    let (_, panel) = read(
        &site,
        &format!("/stories/{SEED}/features/blocked-bridge?lang=en"),
    )
    .await;
    let noted = texts(&panel, ".panel .panel-correction").concat();
    assert!(
        noted.starts_with("Correction, ") && noted.ends_with(note),
        "{noted}"
    );

    // The desk lists the story's history, newest first.
    let history = texts(
        &page(&site, &format!("/desk/stories/{SEED}"), &cookie).await,
        ".desk-history li",
    );
    assert!(
        history[0].contains(&format!("anna  published revision 2, a correction: {note}")),
        "{history:?}"
    );
    assert!(
        history[1].contains("(before the desk)  published revision 1"),
        "{history:?}"
    );
    // The bridge's move is kept for the map: from where it was to where it is.
    let log = std::fs::read_to_string(
        site.dir
            .path()
            .join("stories")
            .join(SEED)
            .join("history/log.jsonl"),
    )
    .expect("the history");
    let last: serde_json::Value =
        serde_json::from_str(log.lines().last().expect("an entry")).expect("JSON");
    assert_eq!(last["moved"][0]["id"], "blocked-bridge");
    assert_eq!(last["moved"][0]["to"], serde_json::json!([40.05, 34.52]));
    // Its feed, and the site's.
    for feed in [
        format!("/stories/{SEED}/updates.atom"),
        "/updates.atom".to_owned(),
    ] {
        let answer = get(&site, &feed, None).await;
        assert_eq!(
            answer.headers()["content-type"],
            "application/atom+xml; charset=utf-8"
        );
        let parsed = atom_syndication::Feed::read_from(&answer.bytes().await.expect("feed")[..])
            .expect("an Atom feed");
        let entry = &parsed.entries()[0];
        assert_eq!(
            entry.id(),
            site.url(&format!("/stories/{SEED}/rev/2")),
            "{feed}"
        );
        assert_eq!(
            entry.summary().map(|s| s.value.as_str()),
            Some(note),
            "{feed}"
        );
        assert_eq!(entry.links()[0].href(), entry.id());
    }
    the_version_before_stays_as_it_was(&site).await;
    the_removed_feature_leaves_a_tombstone(&site, note).await;
    // `kort history` tells it all.
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_kort"))
        .arg("history")
        .arg(site.dir.path().join("stories").join(SEED))
        .output()
        .expect("kort history");
    let printed = String::from_utf8_lossy(&printed.stdout);
    assert!(
        printed.contains("(before the desk)  published revision 1"),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("anna  published revision 2, a correction: {note}")),
        "{printed}"
    );
    assert!(
        printed.contains("anna  saved  [features blocked-bridge]"),
        "{printed}"
    );
}

/// Revision 1 of the corrected seed: its page and its data, as they were.
async fn the_version_before_stays_as_it_was(site: &Site) {
    // The version before, as it was, with the latest one step away.
    let (status, first) = read(
        site,
        &format!("/stories/{SEED}/rev/1/features/convoy-split?lang=en"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&first, ".revision-notice").concat(),
        "This is the version of 30 August 2017. Read the latest"
    );
    let canonical = Selector::parse(r#"link[rel="canonical"]"#).expect("css");
    let canonical = first
        .select(&canonical)
        .next()
        .and_then(|l| l.attr("href"))
        .expect("canonical");
    assert!(
        canonical.ends_with(&format!("/stories/{SEED}/features/convoy-split")),
        "{canonical}"
    );
    assert!(
        first
            .select(&Selector::parse("#corrections").expect("css"))
            .next()
            .is_none()
    );
    let layer = |revision: &str| {
        let url = site.url(&format!(
            "/api/stories/{SEED}{revision}/layers/strikes.geojson"
        ));
        async move {
            let collection: serde_json::Value = client()
                .get(url)
                .send()
                .await
                .expect("layer")
                .json()
                .await
                .expect("json");
            collection["features"]
                .as_array()
                .and_then(|all| all.iter().find(|f| f["id"] == "blocked-bridge"))
                .map(|bridge| bridge["geometry"]["coordinates"].clone())
        }
    };
    assert_eq!(layer("").await, Some(serde_json::json!([40.05, 34.52])));
    assert_ne!(layer("/rev/1").await, layer("").await);
    assert_eq!(layer("/rev/2").await, layer("").await);
    for missing in ["/rev/3", "/rev/0"] {
        let answer = get(
            site,
            &format!("/api/stories/{SEED}{missing}/layers/strikes.geojson"),
            None,
        )
        .await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

/// The removed split's address after the correction.
async fn the_removed_feature_leaves_a_tombstone(site: &Site, note: &str) {
    // The removed feature's address says when and why, and where it still is.
    let (status, gone) = read(
        site,
        &format!("/stories/{SEED}/features/convoy-split?lang=en"),
    )
    .await;
    assert_eq!(status, StatusCode::GONE);
    let said = texts(&gone, "main").concat();
    assert!(
        said.contains("was removed from this story on") && said.contains(note),
        "{said}"
    );
    let kept = Selector::parse(&format!(
        r#"a[href="/stories/{SEED}/rev/1/features/convoy-split"]"#
    ))
    .expect("css");
    assert!(gone.select(&kept).next().is_some());
}

/// Sends the media form of `source` in the seed's draft with `file` (its
/// name and bytes) and the fields given; where the desk sent the editor.
async fn attach(
    site: &Site,
    cookie: &str,
    source: &str,
    (name, bytes): (&str, &[u8]),
    fields: &[(&str, &str)],
) -> String {
    let path = format!("/desk/stories/{SEED}");
    let base = value(&page(site, &path, cookie).await, "input[name=base]");
    let mut form = reqwest::multipart::Form::new()
        .text("base", base)
        .text("id", source.to_owned());
    for (field, text) in fields {
        form = form.text((*field).to_owned(), (*text).to_owned());
    }
    let form = form.part(
        "file",
        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
    );
    let answer = client()
        .post(site.url(&format!("{path}/sources/media")))
        .headers(from_desk(site, Some(cookie)))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    location(&answer)
}

#[tokio::test]
async fn a_photo_is_attached_to_a_source_checked_hashed_and_held_back_by_its_warning() {
    use sha2::Digest as _;
    let site = serve().await;
    let cookie = sign_in(&site, ANNA).await;
    let path = format!("/desk/stories/{SEED}");
    // What a PNG's first bytes are; the rest is the picture.
    let png: Vec<u8> = [&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], &[7; 64]].concat();
    let fields = [
        ("kind", "photo"),
        ("credit", "SOHR"),
        ("alt", "The bridge, broken in two over a dry riverbed"),
        ("content_warning", "shows a burnt vehicle"),
    ];
    let sent = attach(&site, &cookie, "sohr", ("bridge.png", &png), &fields).await;
    assert_eq!(sent, format!("{path}?saved#sources"));
    refused_attachments(&site, &cookie, &png, &fields).await;
    // The draft holds the picture and the source records it, with its hash.
    let draft = site.dir.path().join("drafts").join(SEED);
    let hash = hex::encode(sha2::Sha256::digest(&png));
    let file = format!("media/sohr-{}.png", &hash[..12]);
    assert_eq!(std::fs::read(draft.join(&file)).expect("the picture"), png);
    let sources = std::fs::read_to_string(draft.join("sources.toml")).expect("sources");
    assert!(
        sources.contains(&format!(r#"file = "{file}""#)),
        "{sources}"
    );
    assert!(sources.contains(&hash), "{sources}");

    // Published, readers get it from the story, behind its warning.
    let told = [("kind", "update"), ("note", "A photo of the bridge.")];
    assert_eq!(
        publish(&site, &path, &cookie, &told).await,
        format!("{path}?published")
    );
    let served = get(&site, &format!("/stories/{SEED}/{file}"), None).await;
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(
        served.bytes().await.expect("bytes").as_ref(),
        png.as_slice()
    );
    let (_, reader) = read(
        &site,
        &format!("/stories/{SEED}/features/blocked-bridge?lang=en"),
    )
    .await;
    let held = Selector::parse(".panel details.media-warning img").expect("css");
    let image = reader.select(&held).next().expect("the photo, folded");
    assert_eq!(
        image.attr("src"),
        Some(format!("/stories/{SEED}/{file}").as_str())
    );
    assert_eq!(
        image.attr("alt"),
        Some("The bridge, broken in two over a dry riverbed")
    );

    // A better photo replaces it; the version before keeps showing its own.
    let better: Vec<u8> = [&png[..16], &[9; 64]].concat();
    attach(&site, &cookie, "sohr", ("better.png", &better), &fields).await;
    let told = [
        ("kind", "update"),
        ("note", "A clearer photo of the bridge."),
    ];
    publish(&site, &path, &cookie, &told).await;
    let (_, before) = read(
        &site,
        &format!("/stories/{SEED}/rev/2/features/blocked-bridge?lang=en"),
    )
    .await;
    let shown = before
        .select(&held)
        .next()
        .and_then(|image| image.attr("src"))
        .expect("the photo then")
        .to_owned();
    assert_eq!(shown, format!("/stories/{SEED}/rev/2/{file}"));
    let then = get(&site, &shown, None).await;
    assert_eq!(then.bytes().await.expect("bytes").as_ref(), png.as_slice());
}

/// Media forms the desk refuses, each saying why: a page named as a
/// picture, a picture sent as a video, no alt text, no such source.
async fn refused_attachments(site: &Site, cookie: &str, png: &[u8], fields: &[(&str, &str)]) {
    let path = format!("/desk/stories/{SEED}");
    let html = b"<!doctype html><script>alert(1)</script>";
    for (file, changed, told) in [
        (
            ("bridge.png", &html[..]),
            None,
            Some("file: is a .html file; expected a JPEG, PNG"),
        ),
        (
            ("bridge.png", png),
            Some(("kind", "video")),
            Some("file: is a .png file, which is no video"),
        ),
        (
            ("bridge.png", png),
            Some(("alt", "")),
            Some("alt: is empty"),
        ),
    ] {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        if let Some((name, text)) = changed {
            form.retain(|(field, _)| *field != name);
            form.push((name, text));
        }
        let sent = attach(site, cookie, "sohr", file, &form).await;
        let told = told.expect("a refusal");
        assert_eq!(sent, format!("{path}?error=invalid"), "{told}");
        let notice = texts(&page(site, &sent, cookie).await, ".desk-refused").concat();
        assert!(notice.contains(told), "{notice}");
    }
    let climbing = attach(site, cookie, "../../escape", ("x.png", png), fields).await;
    let notice = texts(&page(site, &climbing, cookie).await, ".desk-refused").concat();
    assert!(
        notice.contains("id: \"../../escape\" is not a source"),
        "{notice}"
    );
    let unknown = attach(site, cookie, "nobody", ("x.png", png), fields).await;
    let notice = texts(&page(site, &unknown, cookie).await, ".desk-refused").concat();
    assert!(
        notice.contains("id: \"nobody\" is not a source of this story"),
        "{notice}"
    );
}
