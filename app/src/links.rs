//! The URLs of kort's pages, built in one place so links and routes agree.

use crate::date::TimeFilter;
use crate::i18n::Lang;

/// The story page.
pub fn story(slug: &str) -> String {
    format!("/stories/{slug}")
}

/// A feature's deep link: the story page with the feature selected.
pub fn feature(slug: &str, id: &str) -> String {
    format!("/stories/{slug}/features/{id}")
}

/// One feature of a story as JSON, with its passages in the text in `language`.
pub fn feature_json(slug: &str, id: &str, language: &str) -> String {
    format!(
        "/api/stories/{slug}/features/{}?lang={}",
        percent_encode(id),
        percent_encode(language)
    )
}

/// The GeoJSON of one layer of a story.
pub fn layer_geojson(slug: &str, layer: &str) -> String {
    format!("/api/stories/{slug}/layers/{layer}.geojson")
}

/// The query string that carries the reader's choices from link to link:
/// `layers=a,b` when not every layer is shown, `view=z/lat/lon` when the
/// reader has moved the map, `lang=da|en` when the reader chose a language
/// and `at=…` or `range=…` when the reader chose a time; nothing when none
/// of these.
pub fn query(
    layers: Option<&[String]>,
    view: Option<MapView>,
    lang: Option<Lang>,
    time: Option<TimeFilter>,
) -> String {
    let mut parts = Vec::new();
    if let Some(layers) = layers {
        parts.push(format!("layers={}", layers.join(",")));
    }
    if let Some(view) = view {
        parts.push(format!("view={view}"));
    }
    if let Some(lang) = lang {
        parts.push(format!("lang={}", lang.tag()));
    }
    if let Some(time) = time {
        parts.push(time.query());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// A map view as OpenStreetMap writes it in its URLs: `zoom/lat/lon`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapView {
    pub zoom: f64,
    pub lat: f64,
    pub lon: f64,
}

impl MapView {
    /// Parses `zoom/lat/lon`; anything malformed or out of range is `None`
    /// (the map then opens on the story's own view). The numbers are read
    /// as JSON writes them (`34.5`, `-2`, `1e3`; not `+1`, `.5` or `inf`):
    /// the browser's bundle has `serde_json`'s reader already, and Rust's
    /// own (`str::parse`, with its tables) would add 13 KB to it.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('/').map(|part| {
            serde_json::from_str::<f64>(part)
                .ok()
                .filter(|n| n.is_finite())
        });
        let (zoom, lat, lon) = (parts.next()??, parts.next()??, parts.next()??);
        let in_range = (0.0..=20.0).contains(&zoom)
            && (-85.0..=85.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        (parts.next().is_none() && in_range).then_some(Self { zoom, lat, lon })
    }
}

impl std::fmt::Display for MapView {
    /// Enough decimals for the zoom: about a pixel's worth.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let zoom = (self.zoom * 100.0).round() / 100.0;
        write!(f, "{zoom}/{:.4}/{:.4}", self.lat, self.lon)
    }
}

/// The layers a `layers` query value shows, keeping only ids the story has,
/// in the story's order. `None` (no parameter) shows every layer. Accepts
/// `a,b` and, from the no-JavaScript form, repeated `layers=a&layers=b`.
pub fn parse_layers<'a>(
    values: &[String],
    known: impl IntoIterator<Item = &'a str>,
) -> Option<Vec<String>> {
    if values.is_empty() {
        return None;
    }
    let wanted: Vec<&str> = values
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    Some(
        known
            .into_iter()
            .filter(|id| wanted.contains(id))
            .map(str::to_owned)
            .collect(),
    )
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Where embeddable pages live: the story pages under this prefix.
pub const EMBED_PREFIX: &str = "/embed";

/// The embeddable page of a story, or of a feature.
pub fn embed(slug: &str, feature: Option<&str>) -> String {
    match feature {
        Some(id) => format!("{EMBED_PREFIX}{}", self::feature(slug, id)),
        None => format!("{EMBED_PREFIX}{}", story(slug)),
    }
}

/// The feature id a story path selects, if any:
/// `[/embed]/stories/<slug>/features/<id>`.
pub fn selected_feature(path: &str) -> Option<String> {
    let path = path.strip_prefix(EMBED_PREFIX).unwrap_or(path);
    let rest = path.strip_prefix("/stories/")?;
    let (_, tail) = rest.split_once('/')?;
    let id = tail.strip_prefix("features/")?.trim_end_matches('/');
    (!id.is_empty() && !id.contains('/')).then(|| id.to_owned())
}

/// The story page a path shows (`[/embed]/stories/<slug>`, the part of the
/// path before any selection), if it is a story page at all.
pub fn story_page(path: &str) -> Option<&str> {
    let inner = path.strip_prefix(EMBED_PREFIX).unwrap_or(path);
    let rest = inner.strip_prefix("/stories/")?;
    let (slug, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let selects = tail.is_empty() || selected_feature(path).is_some();
    (!slug.is_empty() && selects).then(|| &path[..path.len() - rest.len() + slug.len()])
}

/// Whether a URL is one a reader's browser may safely open: http(s) with a host.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|host| {
        !host.is_empty()
            && !host.starts_with('/')
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_is_read_from_the_path() {
        assert_eq!(
            selected_feature("/stories/a/features/blocked-bridge").as_deref(),
            Some("blocked-bridge")
        );
        assert_eq!(selected_feature("/stories/a/features/b/"), Some("b".into()));
        assert_eq!(selected_feature("/stories/a"), None);
        assert_eq!(selected_feature("/stories/a/features/"), None);
        assert_eq!(selected_feature("/stories/a/features/b/c"), None);
        assert_eq!(
            selected_feature("/embed/stories/a/features/b"),
            Some("b".into())
        );
        assert_eq!(embed("a", Some("b")), "/embed/stories/a/features/b");
        assert_eq!(
            percent_encode("https://k.org/a?b=c d&ø"),
            "https%3A%2F%2Fk.org%2Fa%3Fb%3Dc%20d%26%C3%B8"
        );
        assert_eq!(feature("a", "b"), "/stories/a/features/b");
        assert_eq!(story_page("/stories/a"), Some("/stories/a"));
        assert_eq!(story_page("/stories/a/"), Some("/stories/a"));
        assert_eq!(story_page("/stories/a/features/b"), Some("/stories/a"));
        assert_eq!(
            story_page("/embed/stories/a/features/b"),
            Some("/embed/stories/a")
        );
        assert_eq!(story_page("/stories/a/preview.png"), None);
        assert_eq!(story_page("/stories/"), None);
        assert_eq!(story_page("/api/stories/a"), None);
    }

    #[test]
    fn layers_keep_known_ids_in_story_order() {
        let known = ["areas", "route", "strikes"];
        let parse = |values: &[&str]| {
            let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
            parse_layers(&values, known)
        };
        assert_eq!(parse(&[]), None);
        assert_eq!(
            parse(&["strikes,areas"]),
            Some(vec!["areas".into(), "strikes".into()])
        );
        assert_eq!(
            parse(&["route", "strikes"]),
            Some(vec!["route".into(), "strikes".into()])
        );
        assert_eq!(parse(&["<script>,nope"]), Some(vec![]));
        assert_eq!(
            parse(&[""]),
            Some(vec![]),
            "an empty value hides every layer"
        );
        assert_eq!(
            query(Some(&["route".into(), "strikes".into()]), None, None, None),
            "?layers=route,strikes"
        );
        assert_eq!(query(None, None, None, None), "");
        let at = crate::date::TimeFilter::from_params(Some("2017-08-30"), None);
        assert_eq!(
            query(None, None, Some(Lang::En), at),
            "?lang=en&at=2017-08-30"
        );
        assert_eq!(query(None, None, Some(Lang::En), None), "?lang=en");
    }

    #[test]
    fn views_read_and_write_like_openstreetmap() {
        let view = MapView::parse("7/34.5/38.25").expect("valid");
        assert_eq!(
            view,
            MapView {
                zoom: 7.0,
                lat: 34.5,
                lon: 38.25
            }
        );
        assert_eq!(view.to_string(), "7/34.5000/38.2500");
        assert_eq!(MapView::parse(&view.to_string()), Some(view));
        assert_eq!(
            query(None, Some(view), None, None),
            "?view=7/34.5000/38.2500"
        );
        let bad = [
            "",
            "7",
            "7/34.5",
            "7/34.5/38/1",
            "x/1/2",
            "25/1/2",
            "7/95/2",
            "7/1/200",
            "NaN/1/2",
            "7/inf/2",
            "<script>",
        ];
        for text in bad {
            assert_eq!(MapView::parse(text), None, "{text}");
        }
    }
}
