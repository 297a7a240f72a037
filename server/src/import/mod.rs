//! `kort import <url|file> --story <slug> --layer <id>`: brings features
//! from elsewhere into a story's layer.
//!
//! The features are fetched (through [`Fetcher`], so only public addresses
//! unless allowed) or read from a file; read as GeoJSON, NDJSON or CSV;
//! mapped to kort's properties ([`Mapping`]); and checked with the same
//! rules as an editor's own files, in the story they join. Features that
//! fail are skipped, each with its reason; the rest are written to the
//! layer's file atomically (see [`crate::store`]). A new layer is added to
//! `story.toml` after its file is written, so an import that is
//! interrupted or fails at any point leaves the story exactly as it was.

pub mod formats;

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use kort_app::model::{LayerStyle, Symbol};
use kort_app::story::Problem;
use kort_app::story::manifest::Manifest;
use kort_app::story::mapping::{self, Mapping, Skipped};

use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::load::{self, max_file_bytes};
use crate::store::write_atomically;
use formats::Format;

/// What to import, and where to.
#[derive(Debug, Clone)]
pub struct Request {
    /// An `http(s)://` address or a file.
    pub from: String,
    /// The stories folder.
    pub stories: PathBuf,
    pub story: String,
    pub layer: String,
    /// The format, when neither the name nor the content type tells it.
    pub format: Option<Format>,
    pub mapping: Mapping,
    /// For a layer the story does not have yet: its title and, optionally,
    /// its colour (`#rrggbb`).
    pub new_layer: Option<(String, Option<String>)>,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Report {
    pub story: String,
    pub layer: String,
    pub file: PathBuf,
    pub imported: usize,
    pub skipped: Vec<Skipped>,
    /// Whether the layer was added to `story.toml`.
    pub new_layer: bool,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {} feature(s) into layer `{}` of {} ({}{})",
            self.imported,
            self.layer,
            self.story,
            self.file.display(),
            if self.new_layer {
                "; the layer was added to story.toml"
            } else {
                ""
            }
        )?;
        write_skipped(f, &self.skipped)
    }
}

fn write_skipped(f: &mut fmt::Formatter<'_>, skipped: &[Skipped]) -> fmt::Result {
    if !skipped.is_empty() {
        write!(f, "\nskipped {}:", skipped.len())?;
        for item in skipped {
            write!(f, "\n  {}: {}", item.feature, item.reason)?;
        }
    }
    Ok(())
}

/// Skipped features, one per line, for an error message.
pub struct SkippedList(pub Vec<Skipped>);

impl fmt::Display for SkippedList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_skipped(f, &self.0)
    }
}

impl fmt::Debug for SkippedList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Problems, one per line, for an error message.
pub struct ProblemList(pub Vec<Problem>);

impl fmt::Display for ProblemList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.0 {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ProblemList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why nothing was imported. The story is unchanged in every case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("{0}: no story here; expected a story folder with a story.toml")]
    NoStory(PathBuf),
    #[error("the story's own files have problems; fix them first (`kort check`):{0}")]
    Story(ProblemList),
    #[error(
        "the story has no layer `{0}`; give --title (and --color) to add it, or name one of its [[layers]]"
    )]
    NoLayer(String),
    #[error(
        "layer `{0}` is a remote layer: the server fetches it from its `remote.url`; import into a layer with a file"
    )]
    RemoteLayer(String),
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} is {size} bytes; expected at most {} (KORT_MAX_FILE_MB)",
        max_file_bytes()
    )]
    TooLarge { path: PathBuf, size: u64 },
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(
        "cannot tell the format of {0}; expected a .geojson, .ndjson or .csv name or content type, or --format"
    )]
    Format(String),
    #[error("{from} {message}")]
    Unreadable { from: String, message: String },
    #[error("no feature of {from} could be imported; nothing was written{skipped}")]
    Nothing { from: String, skipped: SkippedList },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Imports as `request` says; see the module's documentation.
pub async fn import(request: &Request, fetcher: &Fetcher) -> Result<Report, ImportError> {
    let folder = request.stories.join(&request.story);
    // What cannot work is refused before anything is fetched.
    target(request, &folder)?;
    let (bytes, format) = obtain(request, fetcher).await?;
    let (files, report) = prepare(request, &folder, &bytes, format)?;
    // The layer's file first: a new layer is named in `story.toml` only
    // once its file is whole.
    for (name, text) in files {
        let path = folder.join(&name);
        write_atomically(&path, text.as_bytes())
            .map_err(|source| ImportError::Write { path, source })?;
    }
    Ok(report)
}

/// The story's `story.toml`, read, and the layer `request` imports into,
/// if the story has it.
fn target(request: &Request, folder: &Path) -> Result<(String, Manifest), ImportError> {
    let manifest_path = folder.join("story.toml");
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .map_err(|_| ImportError::NoStory(folder.to_path_buf()))?;
    let manifest = Manifest::parse(&manifest_path.display().to_string(), &manifest_text)
        .map_err(|problems| ImportError::Story(ProblemList(problems)))?;
    let existing = manifest.layers.iter().find(|l| l.id == request.layer);
    if existing.is_some_and(|layer| layer.remote.is_some()) {
        return Err(ImportError::RemoteLayer(request.layer.clone()));
    }
    if existing.is_none() && request.new_layer.is_none() {
        return Err(ImportError::NoLayer(request.layer.clone()));
    }
    Ok((manifest_text, manifest))
}

/// What importing `bytes` (in `format`) into the story in `folder` writes,
/// in order (paths in the folder, and their text), and its report; writes
/// nothing. `kort import` writes the files one by one, the desk swaps its
/// draft's folder whole.
pub fn prepare(
    request: &Request,
    folder: &Path,
    bytes: &[u8],
    format: Format,
) -> Result<(Vec<(String, String)>, Report), ImportError> {
    let (manifest_text, manifest) = target(request, folder)?;
    let existing = manifest.layers.iter().find(|l| l.id == request.layer);
    let (foreign, mut skipped) =
        formats::read(bytes, format, &request.mapping).map_err(|message| {
            ImportError::Unreadable {
                from: request.from.clone(),
                message,
            }
        })?;
    let candidates = request
        .mapping
        .apply_all(&request.layer, &foreign, &mut skipped);
    let (layer_file, manifest_after) = if let Some(layer) = existing {
        (layer.file.clone(), None)
    } else {
        let file = format!("layers/{}.geojson", request.layer);
        let (title, color) = request.new_layer.clone().unwrap_or_default();
        let style = LayerStyle {
            symbol: symbol_for(&candidates),
            color: color.unwrap_or_else(|| "#6a3d9a".to_owned()),
        };
        let entry = new_layer_entry(&request.layer, &title, &file, &style);
        (file, Some(format!("{}\n{entry}", manifest_text.trim_end())))
    };
    let overrides: Vec<(&str, &str)> = manifest_after
        .as_deref()
        .map(|text| ("story.toml", text))
        .into_iter()
        .collect();
    let admitted = mapping::admit(
        &request.story,
        &folder.display().to_string(),
        &mut |name| load::read(folder, name),
        &overrides,
        &layer_file,
        candidates,
        skipped,
    )
    .map_err(|problems| ImportError::Story(ProblemList(problems)))?;
    if admitted.kept == 0 {
        return Err(ImportError::Nothing {
            from: request.from.clone(),
            skipped: SkippedList(admitted.skipped),
        });
    }
    let mut text = serde_json::to_string_pretty(&admitted.collection).unwrap_or_default();
    text.push('\n');
    let report = Report {
        story: request.story.clone(),
        layer: request.layer.clone(),
        file: folder.join(&layer_file),
        imported: admitted.kept,
        skipped: admitted.skipped,
        new_layer: manifest_after.is_some(),
    };
    let mut files = vec![(layer_file, text)];
    files.extend(manifest_after.map(|text| ("story.toml".to_owned(), text)));
    Ok((files, report))
}

/// The bytes to import and their format.
async fn obtain(request: &Request, fetcher: &Fetcher) -> Result<(Vec<u8>, Format), ImportError> {
    let from = &request.from;
    let by_name = request.format.or_else(|| Format::from_path(from));
    let lower = from.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let accept: Vec<&str> = match by_name {
            Some(format) => format.content_types().to_vec(),
            None => Format::any_content_type(),
        };
        let Fetched::Body {
            bytes,
            content_type,
            ..
        } = fetcher.get(from, &Validators::default(), &accept).await?
        else {
            // No validators were sent, so no 304 is expected; treat one as empty.
            return Err(ImportError::Unreadable {
                from: from.clone(),
                message: "answered 304 Not Modified to a plain request".into(),
            });
        };
        let format = by_name
            .or_else(|| Format::from_content_type(&content_type))
            .ok_or_else(|| ImportError::Format(from.clone()))?;
        return Ok((bytes, format));
    }
    if from.contains("://") {
        return Err(FetchError::Scheme(from.clone()).into());
    }
    let path = Path::new(from);
    let format = by_name.ok_or_else(|| ImportError::Format(from.clone()))?;
    let read_error = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > max_file_bytes() {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    Ok((std::fs::read(path).map_err(read_error)?, format))
}

/// The symbol a new layer is drawn with, from its first feature's geometry.
fn symbol_for(features: &[Value]) -> Symbol {
    let kind = features
        .first()
        .and_then(|f| f.pointer("/geometry/type"))
        .and_then(Value::as_str)
        .unwrap_or("Point");
    match kind {
        "LineString" | "MultiLineString" => Symbol::Route,
        "Polygon" | "MultiPolygon" => Symbol::Area,
        _ => Symbol::Strike,
    }
}

/// A `[[layers]]` table for `story.toml`, with its strings quoted as TOML requires.
fn new_layer_entry(id: &str, title: &str, file: &str, style: &LayerStyle) -> String {
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        id: &'a str,
        title: &'a str,
        file: &'a str,
        style: &'a LayerStyle,
    }
    #[derive(serde::Serialize)]
    struct Tables<'a> {
        layers: [Entry<'a>; 1],
    }
    toml::to_string(&Tables {
        layers: [Entry {
            id,
            title,
            file,
            style,
        }],
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_layer_entry_is_valid_toml_whatever_its_title() {
        #[derive(serde::Deserialize)]
        struct Back {
            layers: Vec<kort_app::story::manifest::LayerEntry>,
        }
        let style = LayerStyle {
            symbol: Symbol::Strike,
            color: "#6a3d9a".into(),
        };
        let entry = new_layer_entry(
            "events",
            "Strikes \"reported\"\n[x]",
            "layers/events.geojson",
            &style,
        );
        let back: Back = toml::from_str(&entry).expect("valid TOML");
        assert_eq!(back.layers[0].title, "Strikes \"reported\"\n[x]");
        assert_eq!(back.layers[0].style, style);
    }
}
