//! The built site's scripts and stylesheets, by the names they are served
//! under.
//!
//! `cargo xtask build` names each one after its content
//! (`pkg/kort.3f9a0c1d2e4b5a6f.wasm`) and lists the names in
//! `<site>/assets.json`. A changed file gets a new name, so browsers and
//! CDNs may keep every named copy forever (`Cache-Control: immutable`, see
//! [`is_content_named`]) and still never run an old script with a new page.
//! A site built without hashing (or no site, in tests) has no list; the plain
//! names are used then.

use std::path::Path;

use serde::Deserialize;

/// Where the page finds its scripts and stylesheets (absolute paths).
///
/// The app runs in the browser from one of three bundles, built from the
/// same code: one without large layers (the viewport layer and the pager,
/// feature `large-layers`), 13 KB lighter, for most stories, one with them
/// for the pages of stories that have a large layer, and the desk's
/// (feature `desk`), which readers never load. The page asks for its bundle
/// (`map::MapHead`, `desk::pages`), and the start script runs the one
/// asked for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assets {
    /// The wasm-bindgen module that loads and starts the app.
    pub js: String,
    /// The app, compiled to WebAssembly.
    pub wasm: String,
    /// `js` with large layers.
    pub large_js: String,
    /// `wasm` with large layers.
    pub large_wasm: String,
    /// The desk's bundle (feature `desk`), for its pages only.
    pub desk_js: String,
    pub desk_wasm: String,
    /// kort's stylesheet.
    pub css: String,
    pub leaflet_js: String,
    pub leaflet_css: String,
    /// Leaflet-Geoman, the desk map's drawing tools (desk pages only).
    pub geoman_js: String,
    pub geoman_css: String,
}

impl Default for Assets {
    fn default() -> Self {
        Self {
            js: "/pkg/kort.js".into(),
            wasm: "/pkg/kort_bg.wasm".into(),
            large_js: "/pkg/kort-large.js".into(),
            large_wasm: "/pkg/kort-large_bg.wasm".into(),
            desk_js: "/pkg/kort-desk.js".into(),
            desk_wasm: "/pkg/kort-desk_bg.wasm".into(),
            css: "/pkg/kort.css".into(),
            leaflet_js: "/leaflet/leaflet.js".into(),
            leaflet_css: "/leaflet/leaflet.css".into(),
            geoman_js: "/geoman/leaflet-geoman.js".into(),
            geoman_css: "/geoman/leaflet-geoman.css".into(),
        }
    }
}

impl Assets {
    /// The bundle's module and wasm, with large layers or without.
    pub fn bundle(&self, large_layers: bool) -> (&str, &str) {
        if large_layers {
            (&self.large_js, &self.large_wasm)
        } else {
            (&self.js, &self.wasm)
        }
    }
}

/// The list of content-named files, in the site folder.
pub const MANIFEST: &str = "assets.json";

impl Assets {
    /// The names in `<site>/assets.json`, or the plain names if the site has
    /// no list. A list that cannot be read is an error: the pages would point
    /// at files that are not there.
    pub fn load(site: &Path) -> Result<Self, String> {
        let path = site.join(MANIFEST);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|error| {
                format!(
                    "{}: {error}; expected {{\"js\", \"wasm\", \"large_js\", \"large_wasm\", \"css\", \"leaflet_js\", \"leaflet_css\", \"geoman_js\", \"geoman_css\"}} as written by `cargo xtask build`",
                    path.display()
                )
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(format!("{}: {error}", path.display())),
        }
    }
}

/// Whether a served path names its content: `name.<16 hex digits>.ext`, as
/// `cargo xtask build` writes them. Such a file never changes.
pub fn is_content_named(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let mut parts = file.split('.');
    let (Some(_name), Some(hash), Some(_ext)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    parts.next().is_none()
        && hash.len() == 16
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_names_are_content_named() {
        assert!(is_content_named("/pkg/kort.3f9a0c1d2e4b5a6f.wasm"));
        assert!(is_content_named("/leaflet/leaflet.0123456789abcdef.css"));
        assert!(!is_content_named("/pkg/kort.js"));
        assert!(!is_content_named("/pkg/kort_bg.wasm"));
        assert!(!is_content_named("/pkg/kort.3F9A0C1D2E4B5A6F.wasm"));
        assert!(!is_content_named("/pkg/kort.3f9a0c1d2e4b5a6.wasm"));
        assert!(!is_content_named("/basemap/a.3f9a0c1d2e4b5a6f.geojson.br"));
    }

    #[test]
    fn a_site_without_a_list_uses_plain_names_and_a_bad_list_is_named() {
        let site = tempfile::tempdir().expect("temp dir");
        assert_eq!(Assets::load(site.path()), Ok(Assets::default()));
        std::fs::write(site.path().join(MANIFEST), "{\"js\": 1}").expect("write");
        let error = Assets::load(site.path()).expect_err("a bad list");
        assert!(error.contains("assets.json"), "{error}");
        assert!(error.contains("expected"), "{error}");
    }
}
