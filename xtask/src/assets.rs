//! Content-named scripts and stylesheets: each file the page loads is
//! renamed `name.<hash>.ext`, the hash being the first 16 hex digits of its
//! SHA-256, and the names are listed in `<site>/assets.json` for the server
//! (`kort_app::assets`). Browsers and CDNs may then keep them for a year
//! (`immutable`): a file that changes gets a new name, and the page that
//! names it is revalidated.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::Result;

/// The files the page loads, by their key in `assets.json`, as built into
/// the site (relative paths).
const ASSETS: &[(&str, &str)] = &[
    ("js", "pkg/kort.js"),
    ("wasm", "pkg/kort_bg.wasm"),
    ("large_js", "pkg/kort-large.js"),
    ("large_wasm", "pkg/kort-large_bg.wasm"),
    ("desk_js", "pkg/kort-desk.js"),
    ("desk_wasm", "pkg/kort-desk_bg.wasm"),
    ("css", "pkg/kort.css"),
    ("leaflet_js", "leaflet/leaflet.js"),
    ("leaflet_css", "leaflet/leaflet.css"),
    ("geoman_js", "geoman/leaflet-geoman.js"),
    ("geoman_css", "geoman/leaflet-geoman.css"),
];

/// Renames each asset after its content and writes `assets.json`.
pub fn name_by_content(site: &Path) -> Result {
    let mut list = serde_json::Map::new();
    for (key, path) in ASSETS {
        let from = site.join(path);
        let bytes = std::fs::read(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        let named = content_name(path, &bytes);
        let to = site.join(&named);
        std::fs::rename(&from, &to)
            .map_err(|e| format!("rename {} → {}: {e}", from.display(), to.display()))?;
        list.insert((*key).to_owned(), format!("/{named}").into());
    }
    let json = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?;
    let manifest = site.join("assets.json");
    std::fs::write(&manifest, json).map_err(|e| format!("{}: {e}", manifest.display()))
}

/// `pkg/kort_bg.wasm` → `pkg/kort.<hash>.wasm`: the stem up to its first
/// `_` or `.`, the hash, the extension.
fn content_name(path: &str, bytes: &[u8]) -> String {
    let (folder, file) = path.rsplit_once('/').unwrap_or(("", path));
    let extension = file.rsplit('.').next().unwrap_or_default();
    let stem = file.split(['.', '_']).next().unwrap_or(file);
    let mut hash = String::new();
    for byte in &Sha256::digest(bytes)[..8] {
        write!(hash, "{byte:02x}").ok();
    }
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    format!("{prefix}{stem}.{hash}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_hash_of_their_content() {
        let name = content_name("pkg/kort_bg.wasm", b"\0asm");
        assert!(name.starts_with("pkg/kort."), "{name}");
        assert_eq!(&name[name.len() - 5..], ".wasm", "{name}");
        assert_eq!(name.len(), "pkg/kort..wasm".len() + 16);
        assert_eq!(name, content_name("pkg/kort_bg.wasm", b"\0asm"));
        assert_ne!(name, content_name("pkg/kort_bg.wasm", b"\0asm\x01"));
        assert_eq!(
            content_name("leaflet/leaflet.css", b"")[..25],
            *"leaflet/leaflet.e3b0c4429"
        );
    }
}
