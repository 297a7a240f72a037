//! The URLs of kort's pages, built and read in one place so links and
//! routes agree: [`PageUrl`] is a story page's address, typed.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::date::TimeFilter;
use crate::i18n::Lang;

crate::named::named! {
    /// Which of a story's two pages an address is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Mode {
        /// The full page: article, map, feature list.
        #[default]
        Page = "page",
        /// For other sites' iframes: the map and its panel, no site chrome.
        Embed = "embed",
        /// A draft as readers will see it, for the desk's signed-in users:
        /// the full page, its links and its data under [`PREVIEW_PREFIX`].
        Preview = "preview",
    }
}

/// Where embeddable pages live: the story pages under this prefix.
pub const EMBED_PREFIX: &str = "/embed";
/// Where the desk previews drafts: the story pages and the API under this
/// prefix, read from the draft.
pub const PREVIEW_PREFIX: &str = "/desk/preview";

impl Mode {
    /// Where the pages of this mode read the story's data.
    pub fn api(self) -> &'static str {
        match self {
            Self::Preview => "/desk/preview/api",
            Self::Page | Self::Embed => "/api",
        }
    }
}

/// The reader's choices a story page's address carries from link to link
/// (its query): which layers, where the map looks, which language, when.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Choices {
    /// The layers shown (`layers=a,b`); `None` shows every layer.
    pub layers: Option<Vec<String>>,
    /// The map view (`view=zoom/lat/lon`), once the reader has moved the map.
    pub view: Option<MapView>,
    /// The language the reader chose (`lang=da|en`).
    pub lang: Option<Lang>,
    /// The day or span the reader looks at (`at=…`, `range=…`).
    pub time: Option<TimeFilter>,
}

impl Choices {
    /// Reads the choices from a query's decoded pairs. What is malformed is
    /// left out (the page then shows its default), and `layers` keeps what
    /// it names, in its order: [`parse_layers`] keeps the story's own.
    pub fn from_params<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> Self {
        let first = |key: &str| {
            params
                .clone()
                .into_iter()
                .find_map(|(name, value)| (name == key).then_some(value))
        };
        let layers: Vec<String> = params
            .clone()
            .into_iter()
            .filter(|(name, _)| *name == "layers")
            .map(|(_, value)| value.to_owned())
            .collect();
        Self {
            layers: (!layers.is_empty()).then(|| {
                layers
                    .iter()
                    .flat_map(|value| value.split(','))
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned)
                    .collect()
            }),
            view: first("view").and_then(MapView::parse),
            lang: first("lang").and_then(Lang::from_param),
            time: TimeFilter::from_params(first("at"), first("range")),
        }
    }

    /// Whether the layer `id` is shown.
    pub fn shows_layer(&self, id: &str) -> bool {
        shows_layer(self.layers.as_deref(), id)
    }

    /// Whether a feature with this date is shown at the reader's time.
    pub fn shows_date(&self, date: Option<&str>) -> bool {
        TimeFilter::shows(self.time.as_ref(), date)
    }
}

impl fmt::Display for Choices {
    /// The query string, `?` included; nothing when there are no choices.
    /// Ids, numbers, tags and dates need no escaping.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut separator = '?';
        let mut part = |f: &mut fmt::Formatter<'_>, args: fmt::Arguments<'_>| {
            let written = write!(f, "{separator}{args}");
            separator = '&';
            written
        };
        if let Some(layers) = &self.layers {
            part(f, format_args!("layers={}", layers.join(",")))?;
        }
        if let Some(view) = self.view {
            part(f, format_args!("view={view}"))?;
        }
        if let Some(lang) = self.lang {
            part(f, format_args!("lang={}", lang.tag()))?;
        }
        if let Some(time) = self.time {
            part(f, format_args!("{}", time.query()))?;
        }
        Ok(())
    }
}

/// A story page's address:
/// `[/embed]/stories/<slug>[/rev/<n>][/features/<id>]`, and the reader's
/// [`Choices`] as its query. Read with [`PageUrl::parse`],
/// changed with the `with_*` methods, written with `Display`.
#[derive(Debug, Clone, PartialEq)]
pub struct PageUrl {
    pub mode: Mode,
    pub slug: String,
    /// An earlier published revision's number (`/rev/<n>`); `None` for
    /// the latest.
    pub revision: Option<u32>,
    /// The selected feature's id.
    pub feature: Option<String>,
    pub choices: Choices,
}

impl PageUrl {
    /// A story's page, nothing selected, no choices.
    pub fn story(slug: &str) -> Self {
        Self {
            mode: Mode::Page,
            slug: slug.to_owned(),
            revision: None,
            feature: None,
            choices: Choices::default(),
        }
    }

    /// Reads `path[?query][#fragment]`; `None` if the path is not a story
    /// page's. The query is read as browsers write forms.
    pub fn parse(url: &str) -> Option<Self> {
        let address = crate::nav::Address::parse(url);
        Self::from_parts(&address.path, &address.params)
    }

    /// Reads a path and its query's decoded pairs (as [`crate::nav::Address`]
    /// keeps them); `None` if the path is not a story page's.
    pub fn from_parts(path: &str, params: &[(String, String)]) -> Option<Self> {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .filter(|inner| inner.starts_with('/'))
        };
        let (mode, inner) = if let Some(inner) = under(EMBED_PREFIX) {
            (Mode::Embed, inner)
        } else if let Some(inner) = under(PREVIEW_PREFIX) {
            (Mode::Preview, inner)
        } else {
            (Mode::Page, path)
        };
        let rest = inner.strip_prefix("/stories/")?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let mut segments = rest.split('/').peekable();
        let slug = segments.next().filter(|slug| !slug.is_empty())?;
        let revision = if segments.peek() == Some(&"rev") {
            segments.next();
            Some(parse_revision(segments.next()?)?)
        } else {
            None
        };
        let feature = match (segments.next(), segments.next(), segments.next()) {
            (None, _, _) => None,
            (Some("features"), Some(id), None) if !id.is_empty() => Some(id.to_owned()),
            _ => return None,
        };
        Some(Self {
            mode,
            slug: slug.to_owned(),
            revision,
            feature,
            choices: Choices::from_params(
                params
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str())),
            ),
        })
    }

    /// The path alone, without the reader's choices.
    pub fn path(&self) -> String {
        let prefix = match self.mode {
            Mode::Page => "",
            Mode::Embed => EMBED_PREFIX,
            Mode::Preview => PREVIEW_PREFIX,
        };
        let revision = self
            .revision
            .map(|number| format!("/rev/{number}"))
            .unwrap_or_default();
        match &self.feature {
            Some(id) => format!("{prefix}/stories/{}{revision}/features/{id}", self.slug),
            None => format!("{prefix}/stories/{}{revision}", self.slug),
        }
    }

    /// Where this page reads its story's data: the API of its mode, for its
    /// story at its revision (`/api/stories/<slug>[/rev/<n>]`).
    pub fn api(&self) -> String {
        match self.revision {
            Some(number) => format!("{}/stories/{}/rev/{number}", self.mode.api(), self.slug),
            None => format!("{}/stories/{}", self.mode.api(), self.slug),
        }
    }

    /// Whether following a link from here to `to` only changes what the
    /// page shows (selection, layers, view, time): the same story, on the
    /// same kind of page, in the same language. A new language needs the
    /// server's article.
    pub fn same_page(&self, to: &Self) -> bool {
        self.mode == to.mode
            && self.slug == to.slug
            && self.revision == to.revision
            && self.choices.lang == to.choices.lang
    }

    #[must_use]
    pub fn with_revision(mut self, revision: Option<u32>) -> Self {
        self.revision = revision;
        self
    }

    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    #[must_use]
    pub fn with_feature(mut self, id: Option<&str>) -> Self {
        self.feature = id.map(str::to_owned);
        self
    }

    #[must_use]
    pub fn with_choices(mut self, choices: Choices) -> Self {
        self.choices = choices;
        self
    }

    #[must_use]
    pub fn with_layers(mut self, layers: Option<Vec<String>>) -> Self {
        self.choices.layers = layers;
        self
    }

    #[must_use]
    pub fn with_view(mut self, view: Option<MapView>) -> Self {
        self.choices.view = view;
        self
    }

    #[must_use]
    pub fn with_lang(mut self, lang: Option<Lang>) -> Self {
        self.choices.lang = lang;
        self
    }

    #[must_use]
    pub fn with_time(mut self, time: Option<TimeFilter>) -> Self {
        self.choices.time = time;
        self
    }
}

impl fmt::Display for PageUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.path(), self.choices)
    }
}

/// A revision number as addresses write it: 1 or more, no sign, no zeros
/// in front.
fn parse_revision(text: &str) -> Option<u32> {
    (!text.starts_with('0'))
        .then(|| text.parse::<u32>().ok())
        .flatten()
        .filter(|number| *number > 0 && text.bytes().all(|b| b.is_ascii_digit()))
}

/// One feature of a story as JSON, with its passages in the text in
/// `language` and its words in `words`, from the story's API at
/// `story_api` ([`PageUrl::api`]).
pub fn feature_json(story_api: &str, id: &str, language: &str, words: &str) -> String {
    format!(
        "{story_api}/features/{}?lang={}&words={}",
        percent_encode(id),
        percent_encode(language),
        percent_encode(words)
    )
}

/// The GeoJSON of one layer of a story, from the story's API at
/// `story_api` ([`PageUrl::api`]).
pub fn layer_geojson(story_api: &str, layer: &str) -> String {
    format!("{story_api}/layers/{layer}.geojson")
}

/// Where a media file of a published story (`media/strike.jpg`) is served,
/// from the story's page at `story` (its revision's, for an earlier one).
pub fn media(story: &str, file: &str) -> String {
    format!("{story}/{file}")
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

/// The layers a reader's `layers` choice shows, keeping only ids the story
/// has, in the story's order. `None` (no choice) shows every layer; so does
/// a choice naming none of the story's layers (a link from another story, a
/// mistyped one: an empty map would say nothing of why). An empty choice
/// (`?layers=`, every layer switched off) shows none.
pub fn parse_layers<'a>(
    wanted: Option<&[String]>,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<Vec<String>> {
    let wanted = wanted?;
    let shown: Vec<String> = known
        .into_iter()
        .filter(|id| wanted.iter().any(|wanted| wanted == id))
        .map(str::to_owned)
        .collect();
    (!shown.is_empty() || wanted.is_empty()).then_some(shown)
}

/// Whether a `layers` choice (as [`parse_layers`] gives it) shows the layer `id`.
pub fn shows_layer(shown: Option<&[String]>, id: &str) -> bool {
    shown.is_none_or(|shown| shown.iter().any(|shown| shown == id))
}

/// What a query value keeps as it is: RFC 3986's unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// Whether a URL is one a reader's browser may safely open: http(s) with
/// a host, written without spaces or control characters (which a parser
/// would quietly drop or escape).
pub fn is_web_url(text: &str) -> bool {
    !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && url::Url::parse(text).is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> PageUrl {
        PageUrl::parse(text).unwrap_or_else(|| panic!("{text} is a story page"))
    }

    #[test]
    fn the_path_says_the_story_the_selection_and_the_page() {
        let selected = url("/stories/a/features/blocked-bridge");
        assert_eq!(
            (
                selected.mode,
                selected.slug.as_str(),
                selected.feature.as_deref()
            ),
            (Mode::Page, "a", Some("blocked-bridge"))
        );
        assert_eq!(url("/stories/a/features/b/").feature.as_deref(), Some("b"));
        assert_eq!(url("/stories/a").feature, None);
        assert_eq!(url("/stories/a/"), PageUrl::story("a"));
        let embedded = url("/embed/stories/a/features/b");
        assert_eq!(embedded.mode, Mode::Embed);
        assert_eq!(embedded.feature.as_deref(), Some("b"));
        let preview = url("/desk/preview/stories/a/features/b");
        assert_eq!(preview.mode, Mode::Preview);
        assert_eq!(preview.path(), "/desk/preview/stories/a/features/b");
        assert_eq!(
            layer_geojson(&preview.api(), "route"),
            "/desk/preview/api/stories/a/layers/route.geojson"
        );
        // An earlier revision, and its data.
        let cited = url("/stories/a/rev/3/features/b");
        assert_eq!(
            (cited.revision, cited.feature.as_deref()),
            (Some(3), Some("b"))
        );
        assert_eq!(cited.path(), "/stories/a/rev/3/features/b");
        assert_eq!(
            layer_geojson(&cited.api(), "route"),
            "/api/stories/a/rev/3/layers/route.geojson"
        );
        assert_eq!(url("/embed/stories/a/rev/1").revision, Some(1));
        for not_a_page in [
            "/stories/a/features/",
            "/stories/a/features/b/c",
            "/stories/a/rev",
            "/stories/a/rev/0",
            "/stories/a/rev/01",
            "/stories/a/rev/-1",
            "/stories/a/rev/x/features/b",
            "/stories/a/preview.png",
            "/stories/",
            "/api/stories/a",
            "/embedded/stories/a",
            "/",
        ] {
            assert_eq!(PageUrl::parse(not_a_page), None, "{not_a_page}");
        }
    }

    #[test]
    fn an_address_is_written_as_it_is_read() {
        let at = TimeFilter::from_params(Some("2017-08-30"), None);
        let view = MapView::parse("7/34.5/38.25");
        let full = PageUrl::story("a")
            .with_feature(Some("b"))
            .with_layers(Some(vec!["route".into(), "strikes".into()]))
            .with_view(view)
            .with_lang(Some(Lang::En))
            .with_time(at);
        let written = full.to_string();
        assert_eq!(
            written,
            "/stories/a/features/b?layers=route,strikes&view=7/34.5000/38.2500&lang=en&at=2017-08-30"
        );
        assert_eq!(url(&written), full);
        assert_eq!(
            full.clone().with_mode(Mode::Embed).path(),
            "/embed/stories/a/features/b"
        );
        assert_eq!(PageUrl::story("a").to_string(), "/stories/a");
        assert_eq!(
            PageUrl::story("a")
                .with_lang(Some(Lang::En))
                .with_time(at)
                .to_string(),
            "/stories/a?lang=en&at=2017-08-30"
        );
        assert_eq!(
            url("/stories/a?layers=").choices.layers,
            Some(vec![]),
            "an empty value hides every layer"
        );
        assert_eq!(
            url("/stories/a?layers=a&layers=b,%20c&view=nope&lang=xx#p3").choices,
            Choices {
                layers: Some(vec!["a".into(), "b".into(), "c".into()]),
                ..Choices::default()
            },
            "repeated layers from the no-JavaScript form; what is malformed is left out"
        );
    }

    #[test]
    fn layers_keep_known_ids_in_story_order() {
        let known = ["areas", "route", "strikes"];
        let shown = |wanted: Option<&[&str]>| {
            let wanted: Option<Vec<String>> =
                wanted.map(|ids| ids.iter().map(|id| (*id).to_owned()).collect());
            parse_layers(wanted.as_deref(), known)
        };
        assert_eq!(shown(None), None);
        assert_eq!(
            shown(Some(&["strikes", "areas"])),
            Some(vec!["areas".into(), "strikes".into()])
        );
        // Naming none of the story's layers is no choice: every layer shows.
        assert_eq!(shown(Some(&["<script>", "nope"])), None);
        // Switching every layer off is one.
        assert_eq!(shown(Some(&[])), Some(vec![]));
        assert_eq!(shown(Some(&["nope", "route"])), Some(vec!["route".into()]));
    }

    #[test]
    fn values_are_escaped_and_web_urls_told_apart() {
        assert_eq!(
            percent_encode("https://k.org/a?b=c d&ø"),
            "https%3A%2F%2Fk.org%2Fa%3Fb%3Dc%20d%26%C3%B8"
        );
        assert!(is_web_url("https://kort.example.org"));
        assert!(is_web_url("http://tiles.example.org/{z}/{x}/{y}.png"));
        for not_web in [
            "ftp://example.org",
            "javascript:alert(1)",
            "https://",
            "https://exa mple.org",
            "//example.org",
            "",
        ] {
            assert!(!is_web_url(not_web), "{not_web}");
        }
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
