//! Reading story folders from disk into a [`Catalog`].

use std::fs;
use std::io::Read;
use std::path::{Component, Path};
use std::sync::atomic::{AtomicU64, Ordering};

use kort_app::story::problem::Item;
use kort_app::story::{Catalog, Problem, Story};

/// The default of [`max_file_bytes`], in MiB: a story is text, not a dump.
pub const DEFAULT_MAX_FILE_MB: u64 = 20;

static MAX_FILE_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_MB * 1024 * 1024);

/// Story files larger than this are refused, as are uploads and imports:
/// [`DEFAULT_MAX_FILE_MB`] unless the deployment says otherwise
/// (`KORT_MAX_FILE_MB`, for a layer of a million events).
pub fn max_file_bytes() -> u64 {
    MAX_FILE_BYTES.load(Ordering::Relaxed)
}

/// Sets [`max_file_bytes`], once at start from the settings, before any
/// story is read.
pub fn set_max_file_mb(megabytes: u64) {
    MAX_FILE_BYTES.store(megabytes.saturating_mul(1024 * 1024), Ordering::Relaxed);
}

/// Loads every story folder under `dir`. A folder that fails to load is kept
/// in the catalog with its problems, so it is reported and not served.
#[expect(
    clippy::result_large_err,
    reason = "called once at start-up and on reload"
)]
pub fn catalog(dir: &Path) -> Result<Catalog, Problem> {
    let mut catalog = Catalog::default();
    let entries = fs::read_dir(dir).map_err(|error| {
        Problem::file(
            dir.display().to_string(),
            format!("cannot list the stories folder: {error}"),
        )
    })?;
    let mut folders: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        // Hidden folders are not stories (the desk builds new versions in them).
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .map(|entry| entry.path())
        .collect();
    folders.sort();
    for folder in folders {
        let slug = folder
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        catalog.insert(slug.clone(), story(&slug, &folder));
    }
    Ok(catalog)
}

/// Media files larger than this are refused (a minute of good video).
pub const MAX_MEDIA_BYTES: u64 = 200 * 1024 * 1024;

/// Loads one story folder, with its media files checked against their
/// sources' SHA-256.
pub fn story(slug: &str, folder: &Path) -> Result<Story, Vec<Problem>> {
    checked(slug, folder, &mut |name| read(folder, name))
}

/// A story's files, by name, with their text.
pub type Files = Vec<(String, String)>;

/// [`story`], with the files loading it read (what a published revision
/// keeps): one reading serves both.
pub fn story_and_files(slug: &str, folder: &Path) -> Result<(Story, Files), Vec<Problem>> {
    let mut files = Vec::new();
    let story = checked(slug, folder, &mut recording(folder, &mut files))?;
    Ok((story, files))
}

/// Reads the files of the story in `folder` as [`read`] does, keeping a
/// copy of each in `files`.
pub fn recording<'a>(
    folder: &'a Path,
    files: &'a mut Files,
) -> impl FnMut(&str) -> Result<String, String> + 'a {
    move |name| {
        let text = read(folder, name)?;
        files.push((name.to_owned(), text.clone()));
        Ok(text)
    }
}

/// Loads the story in `folder` through `read_file`, with its corrections
/// and its media checked.
fn checked(
    slug: &str,
    folder: &Path,
    read_file: &mut kort_app::story::ReadFile<'_>,
) -> Result<Story, Vec<Problem>> {
    let mut story = Story::load(slug, &folder.display().to_string(), read_file)?;
    story.corrections = crate::history::corrections(&crate::history::entries(folder), None);
    let problems = media_problems(&story, folder);
    if problems.is_empty() {
        Ok(story)
    } else {
        Err(problems)
    }
}

/// Each media file a source names must be in the folder, not too large,
/// and hash to the source's `sha256` where it gives one.
fn media_problems(story: &Story, folder: &Path) -> Vec<Problem> {
    let sources_file = folder.join(&story.manifest.sources).display().to_string();
    let mut problems = Vec::new();
    for source in &story.sources {
        let Some(file) = source
            .media
            .as_ref()
            .and_then(|media| media.file.as_deref())
        else {
            continue;
        };
        let at = |field: &str, message: String| {
            Problem::file(&sources_file, message)
                .item(Item::Source(source.id.clone()))
                .field(field)
        };
        match sha256_of(&folder.join(file)) {
            Err(error) => problems.push(at(
                "media.file",
                format!("{file:?} cannot be read: {error}; expected the picture or video in the story folder"),
            )),
            Ok(digest) => {
                if let Some(expected) = &source.sha256
                    && !expected.eq_ignore_ascii_case(&digest)
                {
                    problems.push(at(
                        "sha256",
                        format!("{expected} is not the SHA-256 of {file} ({digest}); expected the file's own (has the file been changed?)"),
                    ));
                }
            }
        }
    }
    problems
}

/// The SHA-256 of the file at `path`, in lowercase hex, read a block at a
/// time; files over [`MAX_MEDIA_BYTES`] are refused.
///
/// A file already hashed is not read again: stories are loaded at every
/// reload and every desk page checks its draft, and a video is hundreds of
/// megabytes. Story files are only ever replaced, not written in place, so
/// the file (its device and inode), its size and its modification time
/// name its content; the last few hundred digests are kept by those.
fn sha256_of(path: &Path) -> Result<String, String> {
    use std::os::unix::fs::MetadataExt as _;
    use std::sync::OnceLock;

    use sha2::{Digest, Sha256};
    type Key = (u64, u64, u64, i64, i64);
    static HASHED: OnceLock<quick_cache::sync::Cache<Key, String>> = OnceLock::new();
    let file = fs::File::open(path).map_err(|error| error.to_string())?;
    let meta = file.metadata().map_err(|error| error.to_string())?;
    let size = meta.len();
    if size > MAX_MEDIA_BYTES {
        return Err(format!("it is {size} bytes, more than {MAX_MEDIA_BYTES}"));
    }
    let key = (
        meta.dev(),
        meta.ino(),
        size,
        meta.mtime(),
        meta.mtime_nsec(),
    );
    let known = HASHED.get_or_init(|| quick_cache::sync::Cache::new(512));
    if let Some(digest) = known.get(&key) {
        return Ok(digest);
    }
    let mut hasher = Sha256::new();
    std::io::copy(&mut file.take(MAX_MEDIA_BYTES), &mut hasher)
        .map_err(|error| error.to_string())?;
    let digest = hex::encode(hasher.finalize());
    known.insert(key, digest.clone());
    Ok(digest)
}

/// Reads a file of a story, refusing paths that leave the folder and files
/// over [`max_file_bytes`].
pub fn read(folder: &Path, name: &str) -> Result<String, String> {
    let relative = Path::new(name);
    if !relative
        .components()
        .all(|part| matches!(part, Component::Normal(_)))
    {
        return Err("expected a path inside the story folder (no `..`, no absolute paths)".into());
    }
    let file = fs::File::open(folder.join(relative)).map_err(|error| error.to_string())?;
    let size = file.metadata().map_err(|error| error.to_string())?.len();
    let most = max_file_bytes();
    if size > most {
        return Err(format!(
            "it is {size} bytes; expected at most {most} (KORT_MAX_FILE_MB)"
        ));
    }
    let mut text = String::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(most + 1)
        .read_to_string(&mut text)
        .map_err(|error| format!("{error} (expected UTF-8 text)"))?;
    Ok(text)
}
