//! Story folders replaced whole, so that a reader, `kort check` or a
//! server killed half-way sees the old version or the new one, never a
//! mix: the new version is built in a hidden folder beside the old, flushed
//! to disk, and swapped in by one `renameat2(RENAME_EXCHANGE)`; then the
//! old one, now in the hidden folder, is removed. A hidden folder left by a
//! crash is removed at start ([`sweep`]) and never read as a story.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::Digest as _;

/// What hidden work folders start with.
const WORK_PREFIX: &str = ".kort-work-";

/// Every file of a story folder, as paths relative to it, sorted; hidden
/// files and folders are not the story's.
pub fn files(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        for entry in fs::read_dir(folder.join(&relative))? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(relative.join(&name));
            } else if kind.is_file() {
                found.push(relative.join(&name));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The revision of a story folder: the SHA-256 of its files' names and
/// bytes, shortened. Any change to any file, by the desk or by hand, makes
/// a new revision; its history (`history/`, which records revisions) is not
/// part of it.
pub fn revision(folder: &Path) -> io::Result<String> {
    let mut hash = sha2::Sha256::new();
    let mut buffer = vec![0_u8; 64 * 1024];
    let story_files = files(folder)?
        .into_iter()
        .filter(|relative| !relative.starts_with(crate::history::FOLDER));
    for relative in story_files {
        let name = relative.to_string_lossy();
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        let mut file = fs::File::open(folder.join(&relative))?;
        hash.update(file.metadata()?.len().to_le_bytes());
        loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hash.update(&buffer[..read]);
        }
    }
    let digest = hash.finalize();
    Ok(hex::encode(&digest[..10]))
}

/// How the new version of a folder starts.
pub enum Start<'a> {
    /// Empty.
    Empty,
    /// With the files of this folder, copied.
    CopyOf(&'a Path),
    /// With the files of the folder being replaced, linked (its files are
    /// only ever replaced by rename, never written in place, so the old
    /// version keeps its bytes).
    LinkedToOld,
}

/// Replaces `target` (a story folder) with a new version that starts as
/// `start` says and is finished by `finish`, which writes into the folder
/// it is given. If `finish` fails, nothing changes.
pub fn replace(
    target: &Path,
    start: Start<'_>,
    finish: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let parent = parent_of(target)?;
    fs::create_dir_all(parent)?;
    let work = tempfile::Builder::new()
        .prefix(WORK_PREFIX)
        .tempdir_in(parent)?;
    let source = match start {
        Start::Empty => None,
        Start::CopyOf(folder) => Some((folder.to_path_buf(), false)),
        Start::LinkedToOld => target.is_dir().then(|| (target.to_path_buf(), true)),
    };
    if let Some((from, link)) = source {
        for relative in files(&from)? {
            let to = work.path().join(&relative);
            if let Some(folder) = to.parent() {
                fs::create_dir_all(folder)?;
            }
            if link {
                fs::hard_link(from.join(&relative), &to)?;
            } else {
                fs::copy(from.join(&relative), &to)?;
            }
        }
    }
    finish(work.path())?;
    sync_tree(work.path())?;
    if target.exists() {
        rustix::fs::renameat_with(
            rustix::fs::CWD,
            work.path(),
            rustix::fs::CWD,
            target,
            rustix::fs::RenameFlags::EXCHANGE,
        )?;
        // The work folder now holds the old version, removed on drop.
    } else {
        fs::rename(work.path(), target)?;
    }
    fs::File::open(parent)?.sync_all()?;
    drop(work);
    Ok(())
}

/// Removes `target` at once: moved aside in one rename, then deleted.
pub fn remove(target: &Path) -> io::Result<()> {
    let parent = parent_of(target)?;
    let work = tempfile::Builder::new()
        .prefix(WORK_PREFIX)
        .tempdir_in(parent)?;
    let aside = work.path().join("removed");
    fs::rename(target, &aside)?;
    fs::File::open(parent)?.sync_all()?;
    drop(work);
    Ok(())
}

/// Writes `bytes` to `relative` inside `folder` (a work folder), creating
/// its folders; replaces a linked file rather than writing through it.
pub fn write(folder: &Path, relative: &str, bytes: &[u8]) -> io::Result<()> {
    let path = folder.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let _ = fs::remove_file(&path);
    fs::write(path, bytes)
}

/// Removes the work folders a crash left in `folder`.
pub fn sweep(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().starts_with(WORK_PREFIX) {
            tracing::info!(folder = %entry.path().display(), "removing what an interrupted save left");
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn parent_of(target: &Path) -> io::Result<&Path> {
    target
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .ok_or_else(|| io::Error::other(format!("{} has no parent folder", target.display())))
}

/// Flushes every file and folder under `folder` to disk.
fn sync_tree(folder: &Path) -> io::Result<()> {
    for relative in files(folder)? {
        fs::File::open(folder.join(relative))?.sync_all()?;
    }
    let mut folders = vec![folder.to_path_buf()];
    while let Some(current) = folders.pop() {
        fs::File::open(&current)?.sync_all()?;
        for entry in fs::read_dir(&current)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push(entry.path());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_replaced_whole_and_the_old_files_keep_their_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let story = dir.path().join("story");
        replace(&story, Start::Empty, |work| {
            write(work, "story.toml", b"one")?;
            write(work, "layers/a.geojson", b"{}")
        })
        .expect("created");
        let first = revision(&story).expect("revision");
        let kept = dir.path().join("kept");
        replace(&kept, Start::CopyOf(&story), |_| Ok(())).expect("copied");
        assert_eq!(revision(&kept).expect("revision"), first);

        replace(&story, Start::LinkedToOld, |work| {
            write(work, "story.toml", b"two")
        })
        .expect("replaced");
        assert_ne!(revision(&story).expect("revision"), first);
        assert_eq!(fs::read(story.join("story.toml")).expect("read"), b"two");
        assert_eq!(
            fs::read(story.join("layers/a.geojson")).expect("read"),
            b"{}"
        );
        assert_eq!(fs::read(kept.join("story.toml")).expect("read"), b"one");

        // A failed finish changes nothing and leaves nothing behind.
        let before = revision(&story).expect("revision");
        let failed = replace(&story, Start::LinkedToOld, |work| {
            write(work, "story.toml", b"three")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(failed.is_err());
        assert_eq!(revision(&story).expect("revision"), before);
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(WORK_PREFIX)),
            "{names:?}"
        );

        remove(&kept).expect("removed");
        assert!(!kept.exists());
    }
}
