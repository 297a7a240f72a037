//! PostgreSQL as the store several kort instances share (`KORT_STORE`),
//! on a real, throwaway cluster (`support::pg`) and real `kort` processes.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use kort_server::postgres::{DraftChange, PgStore, Publication};
use support::pg::Cluster;
use support::{SEED, story_form, texts, value};

/// `kort` with `args`, to its end.
fn kort(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kort"))
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("kort runs")
}

fn ok(output: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    text
}

/// `kort user` with `args` on the accounts of `cluster`'s store, given
/// `input` (a password) on standard input.
fn user_in(cluster: &Cluster, args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut user = Command::new(env!("CARGO_BIN_EXE_kort"))
        .arg("user")
        .args(args)
        .env("KORT_STORE", cluster.url())
        .env("RUST_LOG", "error")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kort runs");
    user.stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("password");
    user.wait_with_output().expect("kort user ends")
}

fn copy(from: &str, to: &str) -> String {
    ok(&kort(&["store", "copy", "--from", from, "--to", to]))
}

fn path(dir: &Path) -> String {
    dir.display().to_string()
}

/// A synthetic story `slug` of `events` events in a new stories folder.
fn generated(slug: &str, events: usize) -> tempfile::TempDir {
    let stories = tempfile::tempdir().expect("dir");
    ok(&kort(&[
        "gen-story",
        "--data",
        &path(stories.path()),
        "--slug",
        slug,
        "--events",
        &events.to_string(),
        "--lines",
        "10",
    ]));
    stories
}

/// The status line of a GET of `path`.
fn status(addr: std::net::SocketAddr, path: &str) -> String {
    support::raw_get(addr, path).map_or_else(
        |error| error.to_string(),
        |answer| answer.lines().next().unwrap_or_default().to_owned(),
    )
}

/// Waits until `check` holds, up to `limit`; how long it took.
fn within(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn a_round_trip_through_the_store_gives_back_the_same_files_and_checks() {
    let cluster = Cluster::start();
    let stories = support::copy_of_seed();
    let said = copy(&path(stories.path()), &cluster.url());
    assert!(said.contains("stories copied"), "{said}");
    let back = tempfile::tempdir().expect("dir");
    copy(&cluster.url(), &path(back.path()));
    assert_eq!(
        support::snapshot(back.path()),
        support::snapshot(stories.path()),
        "every file, byte for byte"
    );
    // A second copy replaces, and `kort check` reads the store itself.
    copy(&path(stories.path()), &cluster.url());
    let checked = ok(&kort(&["check", &cluster.url()]));
    assert!(checked.contains(&format!("ok      {SEED}")), "{checked}");
    // The password of an address is never shown.
    let refused = kort(&["check", "postgres://kort:s3cret-word@127.0.0.1:1/none"]);
    assert!(!refused.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(said.contains("cannot be reached"), "{said}");
    assert!(!said.contains("s3cret-word"), "{said}");
    // Between two folders there is no store to copy through.
    let refused = kort(&[
        "store",
        "copy",
        "--from",
        &path(stories.path()),
        "--to",
        &path(back.path()),
    ]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stdout);
    assert!(
        said.contains("are both folders; expected one of them to be a store"),
        "{said}"
    );
}

#[test]
fn a_save_killed_half_way_leaves_the_story_whole_or_not_there() {
    let cluster = Cluster::start();
    let stories = generated("large", 20_000);
    let mut writing = Command::new(env!("CARGO_BIN_EXE_kort"))
        .args([
            "store",
            "copy",
            "--from",
            &path(stories.path()),
            "--to",
            &cluster.url(),
        ])
        .spawn()
        .expect("kort runs");
    std::thread::sleep(Duration::from_millis(150));
    let _ = writing.kill();
    let _ = writing.wait();
    let back = tempfile::tempdir().expect("dir");
    copy(&cluster.url(), &path(back.path()));
    if back.path().join("large").exists() {
        assert_eq!(
            support::snapshot(&back.path().join("large")),
            support::snapshot(&stories.path().join("large")),
            "all of it"
        );
    }
    // And a save that runs to its end is all there.
    copy(&path(stories.path()), &cluster.url());
    let back = tempfile::tempdir().expect("dir");
    copy(&cluster.url(), &path(back.path()));
    assert_eq!(
        support::snapshot(back.path()),
        support::snapshot(stories.path())
    );
}

/// `kort serve` processes, stopped when dropped: a failed test must not
/// leave them running (they hold the test's output open).
struct Instances(Vec<(std::process::Child, std::net::SocketAddr)>);

impl Instances {
    fn addr(&self, index: usize) -> std::net::SocketAddr {
        self.0[index].1
    }
}

impl Drop for Instances {
    fn drop(&mut self) {
        for (child, _) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A store holding the seed stories, and two `kort serve` on it, each with
/// its own copy (and the same desk accounts: Anna, a publisher).
fn two_instances_on_the_seed() -> (Cluster, tempfile::TempDir, Instances) {
    two_instances_after(|_| {})
}

/// [`two_instances_on_the_seed`], with `before` given the folder the
/// instances' own folders (`a`, `b`) are in, before they start.
fn two_instances_after(before: impl FnOnce(&Path)) -> (Cluster, tempfile::TempDir, Instances) {
    let cluster = Cluster::start();
    let seed = support::copy_of_seed();
    copy(&path(seed.path()), &cluster.url());
    let dir = tempfile::tempdir().expect("dir");
    ok(&user_in(
        &cluster,
        &["add", ANNA.0, "--role", "publisher"],
        &format!("{}\n", ANNA.1),
    ));
    ok(&user_in(
        &cluster,
        &["add", BO.0, "--role", "editor"],
        &format!("{}\n", BO.1),
    ));
    before(dir.path());
    let instances = ["a", "b"]
        .into_iter()
        .map(|name| {
            support::spawn_kort(&[
                ("KORT_STORE", PathBuf::from(cluster.url())),
                ("KORT_DATA", dir.path().join(name).join("stories")),
                ("KORT_DRAFTS", dir.path().join(name).join("drafts")),
                // Not read: the accounts are the store's.
                ("KORT_USERS", dir.path().join(name).join("users.toml")),
            ])
        })
        .collect();
    (cluster, dir, Instances(instances))
}

/// Asserts that the instance at `addr` serves `path` within a second of now.
fn served_within_a_second(addr: std::net::SocketAddr, path: &str) {
    let took = within(Duration::from_secs(5), || {
        status(addr, path) == "HTTP/1.1 200 OK"
    })
    .unwrap_or_else(|| panic!("{addr} does not serve {path}"));
    assert!(
        took < Duration::from_secs(1),
        "{path} on {addr} took {took:?}"
    );
}

#[test]
fn what_one_instance_is_given_the_other_serves_within_a_second() {
    let (cluster, _dir, instances) = two_instances_on_the_seed();
    let (a, b) = (instances.addr(0), instances.addr(1));
    // Both brought the store's stories at start.
    for addr in [a, b] {
        assert_eq!(status(addr, &format!("/stories/{SEED}")), "HTTP/1.1 200 OK");
    }
    // A new story, written to the store: both serve it, within a second.
    let more = generated("fresh", 1200);
    copy(&path(more.path()), &cluster.url());
    for addr in [a, b] {
        served_within_a_second(addr, "/stories/fresh");
    }
}

#[test]
fn readers_are_served_while_the_database_is_away_and_it_catches_up_after() {
    let (cluster, _dir, instances) = two_instances_on_the_seed();
    let a = instances.addr(0);
    cluster.down();
    for _ in 0..20 {
        assert_eq!(status(a, &format!("/stories/{SEED}")), "HTTP/1.1 200 OK");
    }
    assert_eq!(status(a, "/healthz"), "HTTP/1.1 200 OK");
    std::thread::sleep(Duration::from_millis(1500));
    cluster.up();
    // Written while no instance was listening: brought on reconnecting.
    let more = generated("after", 1200);
    copy(&path(more.path()), &cluster.url());
    for (_, addr) in &instances.0 {
        assert!(
            within(Duration::from_secs(10), || status(*addr, "/stories/after")
                == "HTTP/1.1 200 OK")
            .is_some(),
            "served after the database came back"
        );
    }
}

/// A client for the desk: it sees where each answer sends the editor.
fn desk_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The desk's accounts in the store of [`two_instances_on_the_seed`].
const ANNA: (&str, &str) = ("anna", "correct horse battery staple");
const BO: (&str, &str) = ("bo", "another long passphrase");

/// Signs in to the desk at `base` as Anna; her session cookie.
async fn sign_in(client: &reqwest::Client, base: &str) -> String {
    sign_in_as(client, base, ANNA).await
}

/// Signs in to the desk at `base` with `name` and `password`; the session
/// cookie.
async fn sign_in_as(
    client: &reqwest::Client,
    base: &str,
    (name, password): (&str, &str),
) -> String {
    let response = client
        .post(format!("{base}/desk/login"))
        .header("origin", base)
        .form(&[("name", name), ("password", password)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.headers()["location"], "/desk", "{name} on {base}");
    let cookie = response.headers()["set-cookie"].to_str().expect("cookie");
    cookie.split(';').next().expect("name=value").to_owned()
}

/// The revision of the seed's draft, from its desk page at `base`.
async fn seed_revision(client: &reqwest::Client, base: &str, cookie: &str) -> String {
    value(&seed_page(client, base, cookie).await, "input[name=base]")
}

/// Publishes the seed's draft at `revision`, on the desk at `base`.
async fn publish_seed(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    revision: &str,
) -> reqwest::Response {
    client
        .post(format!("{base}/desk/stories/{SEED}/publish"))
        .header("origin", base)
        .header("cookie", cookie)
        .form(&[("revision", revision)])
        .send()
        .await
        .expect("publish")
}

#[tokio::test]
async fn a_publish_on_one_instance_is_served_by_the_other_and_refused_while_the_store_is_away() {
    let (cluster, _dir, instances) = two_instances_on_the_seed();
    let (a, b) = (instances.addr(0), instances.addr(1));
    let first_revision = format!("/stories/{SEED}/rev/1");
    assert_eq!(status(b, &first_revision), "HTTP/1.1 404 Not Found");
    let client = desk_client();
    let base = format!("http://{a}");
    let cookie = sign_in(&client, &base).await;
    let revision = seed_revision(&client, &base, &cookie).await;
    let published = publish_seed(&client, &base, &cookie, &revision).await;
    assert_eq!(published.status(), 303, "published");
    // The desk's first publish of a story keeps what readers had read as
    // revision 1: the other instance serves it too.
    served_within_a_second(b, &first_revision);
    // With the store away, publishing is refused and says why; nothing
    // changes, and readers are still served.
    let revision = seed_revision(&client, &base, &cookie).await;
    cluster.down();
    let refused = publish_seed(&client, &base, &cookie, &revision).await;
    assert_eq!(refused.status(), 503);
    let said = refused.text().await.expect("body");
    assert!(said.contains("unavailable"), "{said}");
    assert_eq!(status(a, &format!("/stories/{SEED}")), "HTTP/1.1 200 OK");
    assert_eq!(status(b, &first_revision), "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn a_session_started_on_one_instance_is_good_on_the_other_until_it_ends() {
    let (cluster, _dir, instances) = two_instances_on_the_seed();
    let (a, b) = (
        format!("http://{}", instances.addr(0)),
        format!("http://{}", instances.addr(1)),
    );
    let client = desk_client();
    let desk = |base: &str, cookie: &str| {
        client
            .get(format!("{base}/desk"))
            .header("cookie", cookie)
            .send()
    };
    let cookie = sign_in(&client, &a).await;
    // No sticky sessions: the other instance knows it.
    assert_eq!(desk(&b, &cookie).await.expect("desk").status(), 200);
    // Signed out on one, it is gone on both.
    let out = client
        .post(format!("{b}/desk/logout"))
        .header("origin", &b)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.status(), 303);
    for base in [&a, &b] {
        let refused = desk(base, &cookie).await.expect("desk");
        assert_eq!(refused.status(), 303, "{base}: back to the sign-in");
        assert_eq!(refused.headers()["location"], "/desk/login");
    }
    // With the store away the desk says it is unavailable; readers are served.
    let cookie = sign_in(&client, &a).await;
    cluster.down();
    let away = desk(&b, &cookie).await.expect("desk");
    assert_eq!(away.status(), 503);
    assert!(
        away.text()
            .await
            .expect("body")
            .contains("the desk is unavailable")
    );
    assert_eq!(
        status(instances.addr(1), &format!("/stories/{SEED}")),
        "HTTP/1.1 200 OK"
    );
    cluster.up();
    // Back by itself, with the session kept through the restart.
    let started = Instant::now();
    loop {
        let status = desk(&b, &cookie).await.expect("desk").status();
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A change writing `story.toml` as `text`, from the draft's version `from`.
fn manifest_change(from: Option<i64>, text: &str) -> DraftChange<'static> {
    DraftChange {
        from,
        written: vec![("story.toml".to_owned(), text.as_bytes().to_vec())],
        removed: Vec::new(),
        record: "",
        published: Publication::Unchanged,
    }
}

#[tokio::test]
async fn of_saves_made_at_once_from_one_version_of_a_draft_the_store_keeps_exactly_one() {
    let cluster = Cluster::start();
    let store = PgStore::connect(&cluster.url()).await.expect("store");
    let made = store
        .save_draft("race", &manifest_change(None, "title = \"first\""))
        .await
        .expect("saved");
    assert_eq!(made.map(|saved| saved.draft), Some(1));
    // Made twice as new: the second is refused.
    let again = store
        .save_draft("race", &manifest_change(None, "title = \"again\""))
        .await
        .expect("answered");
    assert!(again.is_none());
    // Eight saves from version 1, at once, each in its own transaction.
    let mut racing = tokio::task::JoinSet::new();
    for n in 0..8 {
        let store = store.clone();
        racing.spawn(async move {
            let text = format!("title = \"save {n}\"");
            let saved = store
                .save_draft("race", &manifest_change(Some(1), &text))
                .await
                .expect("answered");
            saved.map(|saved| (saved.draft, text))
        });
    }
    let kept: Vec<(i64, String)> = racing.join_all().await.into_iter().flatten().collect();
    assert_eq!(kept.len(), 1, "one save wins: {kept:?}");
    let (version, record, files) = store.draft("race").await.expect("read").expect("held");
    assert_eq!((version, record.as_str()), (2, ""));
    assert_eq!(
        files,
        vec![("story.toml".to_owned(), kept[0].1.clone().into_bytes())],
        "what is kept is the winner's, whole"
    );
    // A file the store would write outside the story folder is refused.
    let mut outside = manifest_change(Some(2), "");
    outside.written = vec![("../escape.toml".to_owned(), Vec::new())];
    assert!(store.save_draft("race", &outside).await.is_err());
    assert_eq!(store.draft_version("race").await.expect("read"), Some(2));
}

/// The seed's desk page on the desk at `base`.
async fn seed_page(client: &reqwest::Client, base: &str, cookie: &str) -> scraper::Html {
    let page = desk_page(client, base, &format!("/desk/stories/{SEED}"), cookie).await;
    scraper::Html::parse_document(&page)
}

/// Saves the seed's story form, as the page `opened` fills it with
/// `title`, on the desk at `base`; where it sends the editor.
async fn save_title(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    opened: &scraper::Html,
    title: &str,
) -> String {
    let form = story_form(opened, &[("title", title)]);
    act(
        client,
        base,
        &format!("/desk/stories/{SEED}"),
        cookie,
        &form,
    )
    .await
}

#[tokio::test]
async fn the_same_draft_saved_on_two_instances_at_once_keeps_one_and_holds_the_other() {
    let (_cluster, _dir, instances) = two_instances_on_the_seed();
    let bases = [0, 1].map(|index| format!("http://{}", instances.addr(index)));
    let client = desk_client();
    // Anna on A, Bo on B.
    let users = [ANNA.0, BO.0];
    let cookies = [
        sign_in_as(&client, &bases[0], ANNA).await,
        sign_in_as(&client, &bases[1], BO).await,
    ];
    let opened = [
        seed_page(&client, &bases[0], &cookies[0]).await,
        seed_page(&client, &bases[1], &cookies[1]).await,
    ];
    // One draft, in the store: both instances open the same revision.
    assert_eq!(
        value(&opened[0], "input[name=base]"),
        value(&opened[1], "input[name=base]")
    );
    let titles = ["Saved on A", "Saved on B"];
    let (first, second) = tokio::join!(
        save_title(&client, &bases[0], &cookies[0], &opened[0], titles[0]),
        save_title(&client, &bases[1], &cookies[1], &opened[1], titles[1]),
    );
    let page = format!("/desk/stories/{SEED}");
    let (won, lost) = match (first.as_str(), second.as_str()) {
        (saved, changed) if saved == format!("{page}?saved") => {
            assert_eq!(changed, format!("{page}?error=changed"));
            (0, 1)
        }
        (changed, saved) => {
            assert_eq!(changed, format!("{page}?error=changed"));
            assert_eq!(saved, format!("{page}?saved"));
            (1, 0)
        }
    };
    // Each opens the story on the other instance (no sticky sessions): the
    // loser's page holds their title, beside the draft now saved; the
    // winner's shows theirs; both are at one revision.
    let mut shown = [
        seed_page(&client, &bases[1], &cookies[0]).await,
        seed_page(&client, &bases[0], &cookies[1]).await,
    ];
    assert_eq!(value(&shown[won], "input[name=title]"), titles[won]);
    assert!(texts(&shown[won], ".desk-conflict").is_empty());
    assert_eq!(value(&shown[lost], "input[name=title]"), titles[lost]);
    let alert = texts(&shown[lost], ".desk-conflict").concat();
    assert!(
        alert.contains(&format!("{} saved this story", users[won])),
        "{alert}"
    );
    assert!(alert.contains("title"), "{alert}");
    // And on the instance that refused it.
    shown[lost] = seed_page(&client, &bases[lost], &cookies[lost]).await;
    assert_eq!(value(&shown[lost], "input[name=title]"), titles[lost]);
    let revision = value(&shown[won], "input[name=base]");
    assert_eq!(value(&shown[lost], "input[name=base]"), revision);
    // Saved again from there, the loser's work is kept, and the winner's
    // instance shows it: nothing is lost.
    let again = save_title(
        &client,
        &bases[lost],
        &cookies[lost],
        &shown[lost],
        titles[lost],
    )
    .await;
    assert_eq!(again, format!("{page}?saved"));
    let seen = seed_page(&client, &bases[won], &cookies[won]).await;
    assert_eq!(value(&seen, "input[name=title]"), titles[lost]);
    assert_ne!(value(&seen, "input[name=base]"), revision);
    // Saved, the kept version is let go of on every instance.
    for base in &bases {
        let page = seed_page(&client, base, &cookies[lost]).await;
        assert!(texts(&page, ".desk-conflict").is_empty(), "{base}");
    }
}

/// A desk page of the desk at `base`, as `cookie`'s user sees it.
async fn desk_page(client: &reqwest::Client, base: &str, path: &str, cookie: &str) -> String {
    let response = client
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("desk page");
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("body")
}

/// Posts `form` to `path` on the desk at `base`; where it sends the editor.
async fn act(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    cookie: &str,
    form: &(impl serde::Serialize + ?Sized),
) -> String {
    let response = client
        .post(format!("{base}{path}"))
        .header("origin", base)
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303, "{path}");
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

#[tokio::test]
async fn a_draft_made_on_one_instance_is_listed_edited_and_published_on_the_other() {
    let (_cluster, _dir, instances) = two_instances_on_the_seed();
    let (a, b) = (
        format!("http://{}", instances.addr(0)),
        format!("http://{}", instances.addr(1)),
    );
    let client = desk_client();
    let (on_a, on_b) = (sign_in(&client, &a).await, sign_in(&client, &b).await);
    let story = act(
        &client,
        &a,
        "/desk/stories",
        &on_a,
        &[
            ("title", "Made on A"),
            ("language", "en"),
            ("published", "2017-08-30"),
            ("publisher", "kort store test"),
            ("summary", "A story made on one instance."),
            ("west", "38"),
            ("south", "33.5"),
            ("east", "41.5"),
            ("north", "35.5"),
        ],
    )
    .await;
    let slug = story.rsplit('/').next().expect("slug").to_owned();
    // B lists it, opens it and adds a layer to it.
    let list = desk_page(&client, &b, "/desk", &on_b).await;
    assert!(list.contains("Made on A"), "{list}");
    let opened = scraper::Html::parse_document(&desk_page(&client, &b, &story, &on_b).await);
    assert_eq!(value(&opened, "input[name=title]"), "Made on A");
    let base = value(&opened, "input[name=base]");
    let added = act(
        &client,
        &b,
        &format!("{story}/layers"),
        &on_b,
        &[
            ("base", base.as_str()),
            ("title", "Strikes"),
            ("symbol", "strike"),
            ("color", "#b91c1c"),
        ],
    )
    .await;
    assert_eq!(added, format!("{story}?saved"));
    // A sees the layer, and writes the article.
    let opened = scraper::Html::parse_document(&desk_page(&client, &a, &story, &on_a).await);
    assert_ne!(value(&opened, "input[name=base]"), base);
    let article = "The coalition cratered the road east of Humaymah.";
    let form = story_form(&opened, &[("article", article)]);
    assert_eq!(
        act(&client, &a, &story, &on_a, &form).await,
        format!("{story}?saved")
    );
    // B publishes what A wrote: both instances serve it.
    let opened = scraper::Html::parse_document(&desk_page(&client, &b, &story, &on_b).await);
    assert_eq!(
        texts(&opened, "textarea[name=article]").concat(),
        format!("{{#the-coalition-cratered-the}} {article}")
    );
    let revision = value(&opened, "input[name=revision]");
    let published = act(
        &client,
        &b,
        &format!("{story}/publish"),
        &on_b,
        &[("revision", revision.as_str())],
    )
    .await;
    assert_eq!(published, format!("{story}?published"));
    for addr in [instances.addr(0), instances.addr(1)] {
        served_within_a_second(addr, &format!("/stories/{slug}"));
    }
}

#[tokio::test]
async fn accounts_in_the_store_sign_in_on_every_instance_and_a_removed_one_is_out_on_all() {
    let (cluster, dir, instances) = two_instances_on_the_seed();
    let bases = [0, 1].map(|index| format!("http://{}", instances.addr(index)));
    let client = desk_client();
    // Listed from the store, with no password or hash shown.
    let listed = ok(&user_in(&cluster, &["list"], ""));
    assert_eq!(listed.trim(), "anna\tpublisher\nbo\teditor");
    let again = user_in(
        &cluster,
        &["add", "anna", "--role", "editor"],
        "another long passphrase\n",
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already a user"));
    // An account in a users file beside an instance is not one.
    kort_server::desk::users::add(
        &dir.path().join("a").join("users.toml"),
        "mallory",
        kort_server::desk::users::Role::Editor,
        "a file nobody should read",
    )
    .expect("file account");
    let refused = client
        .post(format!("{}/desk/login", bases[0]))
        .header("origin", &bases[0])
        .form(&[
            ("name", "mallory"),
            ("password", "a file nobody should read"),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(refused.headers()["location"], "/desk/login?failed");
    // Until the file's accounts are copied into the store.
    let imported = Command::new(env!("CARGO_BIN_EXE_kort"))
        .args(["user", "import"])
        .env("KORT_STORE", cluster.url())
        .env("KORT_USERS", dir.path().join("a").join("users.toml"))
        .output()
        .expect("kort runs");
    let said = ok(&imported);
    assert!(said.contains("1 accounts copied"), "{said}");
    sign_in_as(&client, &bases[1], ("mallory", "a file nobody should read")).await;
    // Cy, added once, signs in on both; removed, their sessions end on both.
    let cy = ("cy", "yet another passphrase");
    ok(&user_in(
        &cluster,
        &["add", cy.0, "--role", "editor"],
        &format!("{}\n", cy.1),
    ));
    let mut cookies = Vec::new();
    for base in &bases {
        cookies.push(sign_in_as(&client, base, cy).await);
    }
    for (base, cookie) in bases.iter().zip(&cookies) {
        let list = desk_page(&client, base, "/desk", cookie).await;
        assert!(list.contains(&format!("/desk/stories/{SEED}")), "{list}");
    }
    ok(&user_in(&cluster, &["remove", cy.0], ""));
    for (base, cookie) in bases.iter().zip(&cookies) {
        let out = client
            .get(format!("{base}/desk"))
            .header("cookie", cookie)
            .send()
            .await
            .expect("desk");
        assert_eq!(out.status(), 303, "{base}: signed out");
    }
    // With the store away, signing in says the desk is unavailable, and
    // counts as no failed attempt.
    cluster.down();
    let away = client
        .post(format!("{}/desk/login", bases[1]))
        .header("origin", &bases[1])
        .form(&[
            ("name", "anna"),
            ("password", "correct horse battery staple"),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(away.status(), 503);
}

#[tokio::test]
async fn an_instance_killed_in_the_middle_of_a_publish_leaves_the_story_whole_for_the_other() {
    let (cluster, _dir, mut instances) = two_instances_on_the_seed();
    let (a, b) = (instances.addr(0), instances.addr(1));
    let large = generated("large", 20_000);
    copy(&path(large.path()), &cluster.url());
    for addr in [a, b] {
        assert!(
            within(Duration::from_secs(10), || status(addr, "/stories/large")
                == "HTTP/1.1 200 OK")
            .is_some()
        );
    }
    let client = desk_client();
    let (base_a, base_b) = (format!("http://{a}"), format!("http://{b}"));
    let on_a = sign_in(&client, &base_a).await;
    let story = "/desk/stories/large";
    let opened = scraper::Html::parse_document(&desk_page(&client, &base_a, story, &on_a).await);
    let no_problems = ["No problems: the story can be published."];
    assert_eq!(texts(&opened, ".desk-check h2"), no_problems);
    let revision = value(&opened, "input[name=base]");
    // A is killed while it publishes.
    let publishing = tokio::spawn({
        let (client, base, cookie) = (client.clone(), base_a.clone(), on_a.clone());
        async move {
            client
                .post(format!("{base}{story}/publish"))
                .header("origin", &base)
                .header("cookie", &cookie)
                .form(&[("revision", revision.as_str())])
                .send()
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (killed, _) = &mut instances.0[0];
    killed.kill().expect("killed");
    killed.wait().expect("ended");
    // A publish of this story takes about a second here: the kill cut it.
    let cut = publishing.await.expect("the request's task");
    assert!(cut.is_err(), "A answered before it was killed: {cut:?}");
    // On B, the draft is whole (it has no problems) and the story is still
    // served; B publishes it to the end, and the store's stories check.
    let on_b = sign_in_as(&client, &base_b, BO).await;
    let page = scraper::Html::parse_document(&desk_page(&client, &base_b, story, &on_b).await);
    assert_eq!(texts(&page, ".desk-check h2"), no_problems);
    assert_eq!(status(b, "/stories/large"), "HTTP/1.1 200 OK");
    let on_b = sign_in(&client, &base_b).await;
    let page = scraper::Html::parse_document(&desk_page(&client, &base_b, story, &on_b).await);
    let revision = value(&page, "input[name=base]");
    let published = act(
        &client,
        &base_b,
        &format!("{story}/publish"),
        &on_b,
        &[("revision", revision.as_str())],
    )
    .await;
    assert_eq!(published, format!("{story}?published"));
    served_within_a_second(b, "/stories/large/rev/1");
    let checked = ok(&kort(&["check", &cluster.url()]));
    assert!(checked.contains("ok      large"), "{checked}");
}

#[tokio::test]
async fn a_draft_made_before_the_store_is_brought_into_it_and_shown_everywhere() {
    let (_cluster, _dir, instances) = two_instances_after(|dir| {
        let seed = support::copy_of_seed();
        let drafts = dir.join("a").join("drafts");
        std::fs::create_dir_all(&drafts).expect("drafts");
        std::fs::rename(seed.path().join(SEED), drafts.join("older-draft")).expect("moved");
    });
    let bases = [0, 1].map(|index| format!("http://{}", instances.addr(index)));
    let client = desk_client();
    let cookie = sign_in(&client, &bases[0]).await;
    // Listed on A, it goes into the store; then B lists and opens it.
    let list = desk_page(&client, &bases[0], "/desk", &cookie).await;
    assert!(list.contains("/desk/stories/older-draft"), "{list}");
    let list = desk_page(&client, &bases[1], "/desk", &cookie).await;
    assert!(list.contains("/desk/stories/older-draft"), "{list}");
    let on_b = scraper::Html::parse_document(
        &desk_page(&client, &bases[1], "/desk/stories/older-draft", &cookie).await,
    );
    let on_a = scraper::Html::parse_document(
        &desk_page(&client, &bases[0], "/desk/stories/older-draft", &cookie).await,
    );
    assert_eq!(
        value(&on_b, "input[name=base]"),
        value(&on_a, "input[name=base]")
    );
    assert_eq!(
        value(&on_b, "input[name=title]"),
        value(&on_a, "input[name=title]")
    );
}
