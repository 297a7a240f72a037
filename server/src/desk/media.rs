//! A photo, video or satellite image attached to a draft's source: the
//! file is streamed to disk beside the drafts (never held in memory),
//! hashed as it arrives, and checked to be what its name says by its own
//! first bytes (`infer`); then it becomes `media/<source>-<hash>.<ext>` in
//! the draft, with the source's `media` and `sha256` written in one replace.

use std::path::Path;

use axum::extract::Multipart;
use kort_app::model::MediaKind;
use sha2::Digest as _;
use tokio::io::AsyncWriteExt as _;

use super::drafts::DeskError;
use crate::load::MAX_MEDIA_BYTES;

/// A picture or video sent for a source, on disk.
#[derive(Debug)]
pub struct MediaUpload {
    /// The revision the form was made from.
    pub base: String,
    /// The source it is for.
    pub source: String,
    pub kind: MediaKind,
    pub credit: String,
    pub alt: String,
    pub content_warning: Option<String>,
    /// The file, and its extension (`jpg`, `mp4`…) as its bytes show it.
    pub file: tempfile::NamedTempFile,
    pub extension: &'static str,
    /// Its SHA-256, in hex.
    pub sha256: String,
}

/// The kinds of file a story's media may be, by their extension, with the
/// kind of media each can be.
const ACCEPTED: &[(&str, &[MediaKind])] = &[
    ("jpg", &[MediaKind::Photo, MediaKind::SatelliteImage]),
    ("png", &[MediaKind::Photo, MediaKind::SatelliteImage]),
    ("webp", &[MediaKind::Photo, MediaKind::SatelliteImage]),
    ("avif", &[MediaKind::Photo, MediaKind::SatelliteImage]),
    ("mp4", &[MediaKind::Video]),
    ("webm", &[MediaKind::Video]),
];

fn invalid(message: String) -> DeskError {
    DeskError::Invalid(message)
}

/// Reads the media form: its fields, and its file streamed into a
/// temporary file in `dir`, at most [`MAX_MEDIA_BYTES`].
pub async fn read(mut multipart: Multipart, dir: &Path) -> Result<MediaUpload, DeskError> {
    let broken = |error: axum::extract::multipart::MultipartError| {
        invalid(format!(
            "file: the upload could not be read ({error}); expected a picture or video of at most {} MiB",
            MAX_MEDIA_BYTES / 1024 / 1024
        ))
    };
    let mut fields = std::collections::HashMap::new();
    let mut received = None;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" {
            fields.insert(name, field.text().await.map_err(broken)?.trim().to_owned());
            continue;
        }
        std::fs::create_dir_all(dir)?;
        let file = tempfile::Builder::new()
            .prefix(".upload-")
            .tempfile_in(dir)?;
        let mut writer = tokio::fs::File::from_std(file.reopen()?);
        let (mut hash, mut head, mut size) = (sha2::Sha256::new(), Vec::new(), 0_u64);
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            size += chunk.len() as u64;
            if size > MAX_MEDIA_BYTES {
                return Err(invalid(format!(
                    "file: is more than {} MiB; expected a smaller picture or video",
                    MAX_MEDIA_BYTES / 1024 / 1024
                )));
            }
            if head.len() < 64 {
                head.extend_from_slice(&chunk[..chunk.len().min(64)]);
            }
            hash.update(&chunk);
            writer.write_all(&chunk).await?;
        }
        writer.flush().await?;
        received = Some((file, head, hex::encode(hash.finalize())));
    }
    let text = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let kind = MediaKind::from_name(&text("kind")).ok_or_else(|| {
        invalid(format!(
            "kind: {:?} is not a kind of media kort knows; expected photo, video or satellite-image",
            text("kind")
        ))
    })?;
    let Some((file, head, sha256)) = received.filter(|(_, head, _)| !head.is_empty()) else {
        return Err(invalid("file: no file was chosen, or it is empty".into()));
    };
    let found = infer::get(&head).map(|kind| kind.extension());
    let Some(&(extension, kinds)) = ACCEPTED
        .iter()
        .find(|(extension, _)| Some(*extension) == found)
    else {
        return Err(invalid(format!(
            "file: is {}; expected a JPEG, PNG, WebP or AVIF picture, or an MP4 or WebM video",
            found.map_or_else(
                || "not a picture or video kort knows".to_owned(),
                |e| format!("a .{e} file")
            )
        )));
    };
    if !kinds.contains(&kind) {
        return Err(invalid(format!(
            "file: is a .{extension} file, which is no {}; expected the kind of media it is",
            kind.name()
        )));
    }
    // It names the file: only an id may (no `/`, no `..`).
    if !kort_app::story::valid_id(&text("id")) {
        return Err(invalid(format!(
            "id: {:?} is not a source of this story",
            text("id")
        )));
    }
    for (field, what) in [
        ("credit", "who made it"),
        ("alt", "what it shows, in words"),
    ] {
        if text(field).is_empty() {
            return Err(invalid(format!("{field}: is empty; expected {what}")));
        }
    }
    Ok(MediaUpload {
        base: text("base"),
        source: text("id"),
        kind,
        credit: text("credit"),
        alt: text("alt"),
        content_warning: Some(text("content_warning")).filter(|w| !w.is_empty()),
        file,
        extension,
        sha256,
    })
}

impl super::drafts::Drafts {
    /// Attaches `upload` to its source in the draft of `slug` at revision
    /// `upload.base`: the file becomes `media/<source>-<hash>.<ext>`, and
    /// the source records it as its `media` with its `sha256`. The file it
    /// had before stays, for the revisions that show it.
    pub fn attach_media(
        &self,
        user: &str,
        slug: &str,
        upload: MediaUpload,
    ) -> Result<(), DeskError> {
        let MediaUpload {
            base,
            source,
            kind,
            credit,
            alt,
            content_warning,
            file,
            extension,
            sha256,
        } = upload;
        // Named by its content as well: an earlier revision that showed
        // another picture of this source keeps showing its own.
        let name = format!(
            "{}{source}-{}.{extension}",
            kort_app::story::manifest::MEDIA_FOLDER,
            &sha256[..12]
        );
        let placed = name.clone();
        self.edit_and(
            user,
            slug,
            &base,
            |draft| {
                let manifest =
                    super::drafts::read_toml(&std::fs::read_to_string(draft.join("story.toml"))?);
                let sources = super::drafts::string_or(manifest.get("sources"), "sources.toml");
                let mut doc = super::drafts::editable(
                    &sources,
                    &crate::load::read(draft, &sources).unwrap_or_default(),
                )?;
                let table = doc
                    .get_mut("source")
                    .and_then(toml_edit::Item::as_array_of_tables_mut)
                    .and_then(|all| {
                        all.iter_mut().find(|table| {
                            table.get("id").and_then(toml_edit::Item::as_str) == Some(&source)
                        })
                    })
                    .ok_or_else(|| {
                        invalid(format!("id: {source:?} is not a source of this story"))
                    })?;
                let mut media = toml_edit::InlineTable::new();
                media.insert("kind", kind.name().into());
                media.insert("file", name.as_str().into());
                media.insert("credit", credit.as_str().into());
                media.insert("alt", alt.as_str().into());
                if let Some(warning) = &content_warning {
                    media.insert("content_warning", warning.as_str().into());
                }
                table["media"] = toml_edit::value(media);
                table["sha256"] = toml_edit::value(sha256.as_str());
                Ok((vec![(sources, doc.to_string())], ()))
            },
            |work| {
                std::fs::create_dir_all(work.join(kort_app::story::manifest::MEDIA_FOLDER))?;
                // Renamed in from beside the drafts: no copy, whatever its size.
                file.persist(work.join(&placed))
                    .map(drop)
                    .map_err(|error| error.error)
            },
        )
    }
}
