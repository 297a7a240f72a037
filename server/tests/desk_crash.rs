//! A server killed in the middle of saving: the real binary, saving a
//! story's fields and article over and over, is killed with SIGKILL, then
//! started again on the same files. The draft is one whole save (its title
//! and its article from the same one), nothing half-written is left, and
//! the published story is untouched.

#![cfg(unix)]

mod support;

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kort_server::desk::folders;

const SEED: &str = "arsal-convoy-2017";
const PASSWORD: &str = "correct horse battery staple";

fn kort() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kort"))
}

/// Starts `kort serve` on the desk's files in `dir`; waits until it answers.
fn start(dir: &Path) -> (Child, SocketAddr) {
    support::spawn_kort(&[
        ("KORT_DATA", dir.join("stories")),
        ("KORT_DRAFTS", dir.join("drafts")),
        ("KORT_USERS", dir.join("users.toml")),
    ])
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn sign_in(base: &str) -> String {
    let response = client()
        .post(format!("{base}/desk/login"))
        .header("origin", base)
        .form(&[("name", "anna"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .expect("a session");
    cookie.split(';').next().expect("name=value").to_owned()
}

/// Saves the story with title and article both marked `n`, from the
/// revision the page shows; whether the save was taken.
async fn save(base: &str, cookie: &str, n: usize) -> Option<bool> {
    let path = format!("{base}/desk/stories/{SEED}");
    let page = client()
        .get(&path)
        .header("cookie", cookie)
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    // Parsed pages are not `Send`: the form is made before the next await.
    let form = {
        let page = scraper::Html::parse_document(&page);
        let article = support::texts(&page, "textarea[name=article]").concat();
        let kept: Vec<&str> = article
            .split("\n\n")
            .filter(|p| !p.starts_with("{#save}"))
            .collect();
        let article = format!("{}\n\n{{#save}} Save {n}.", kept.join("\n\n"));
        support::story_form(
            &page,
            &[("title", &format!("Save {n}")), ("article", &article)],
        )
    };
    let response = client()
        .post(&path)
        .header("origin", base)
        .header("cookie", cookie)
        .form(&form)
        .send()
        .await
        .ok()?;
    let location = response
        .headers()
        .get("location")?
        .to_str()
        .ok()?
        .to_owned();
    Some(location.ends_with("?saved"))
}

/// What the draft on disk is: its title's save number and its article's.
/// Both files must read whole (a draft may have problems, not torn files).
fn marks(draft: &Path) -> (String, String) {
    let manifest = std::fs::read_to_string(draft.join("story.toml")).expect("story.toml");
    let manifest: toml::Table = toml::from_str(&manifest).expect("story.toml reads whole");
    let title = manifest["title"].as_str().expect("a title").to_owned();
    let article = std::fs::read_to_string(draft.join("article.da.txt")).expect("article");
    let paragraphs = kort_app::story::article::parse("article.da.txt", &article)
        .expect("the article reads whole");
    let marked = paragraphs
        .iter()
        .find(|paragraph| paragraph.id == "save")
        .map(|paragraph| paragraph.text.trim_end_matches('.').to_owned())
        .unwrap_or_default();
    (title, marked)
}

fn leftovers(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.to_string_lossy().contains(".kort-work-"))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_save_leaves_the_last_whole_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data/stories")
        .join(SEED);
    let published = dir.path().join("stories").join(SEED);
    folders::replace(&published, folders::Start::CopyOf(&seed), |_| Ok(())).expect("seed");
    let published_revision = folders::revision(&published).expect("revision");
    let mut add = kort()
        .args(["user", "add", "anna", "--role", "publisher"])
        .env("KORT_USERS", dir.path().join("users.toml"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("kort user add");
    writeln!(add.stdin.take().expect("stdin"), "{PASSWORD}").expect("password");
    assert!(add.wait().expect("exit").success());

    let draft = dir.path().join("drafts").join(SEED);
    let mut taken = 0;
    for round in 0..3_u64 {
        let before = std::fs::read_to_string(draft.join("story.toml")).ok();
        let (mut child, addr) = start(dir.path());
        let base = format!("http://{addr}");
        let cookie = sign_in(&base).await;
        // Saves one after another until the server is killed under them.
        let saving = {
            let (base, cookie) = (base.clone(), cookie.clone());
            tokio::spawn(async move {
                let mut taken = 0;
                for n in 0.. {
                    match save(&base, &cookie, n).await {
                        Some(true) => taken += 1,
                        Some(false) => {}
                        None => break,
                    }
                }
                taken
            })
        };
        // Killed once saves are landing, at a moment that differs by round.
        let landing = Instant::now();
        while std::fs::read_to_string(draft.join("story.toml"))
            .ok()
            .is_none_or(|now| Some(&now) == before.as_ref() || !now.contains("title = \"Save "))
        {
            assert!(
                landing.elapsed() < Duration::from_secs(30),
                "no save landed"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(50 + round * 37)).await;
        child.kill().expect("SIGKILL");
        child.wait().expect("killed");
        taken += saving.await.expect("saves");

        // Whatever the moment, the draft is one whole save.
        let (title, article) = marks(&draft);
        assert!(title.starts_with("Save "), "saves landed: {title}");
        assert_eq!(title, article, "title and article from the same save");
    }
    assert!(taken > 3, "saves were made before each kill: {taken}");

    // Started again: what a kill left half-done is swept away.
    let (mut child, _) = start(dir.path());
    child.kill().expect("stop");
    child.wait().expect("stopped");
    assert!(
        leftovers(&dir.path().join("drafts")).is_empty(),
        "{:?}",
        leftovers(&dir.path().join("drafts"))
    );
    assert!(leftovers(&dir.path().join("stories")).is_empty());
    assert_eq!(
        folders::revision(&published).expect("revision"),
        published_revision,
        "readers' story untouched"
    );
}
