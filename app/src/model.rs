//! The story as readers see it: the types that travel from the server to the
//! page (and to the browser, as the map island's props) and out through the
//! JSON API.
//!
//! These are views, built from a validated [`crate::story::Story`] on the
//! server. Geometry is not part of them: the map fetches it as GeoJSON from
//! the API, so the HTML and the island's props stay small.

use serde::{Deserialize, Serialize};

use crate::i18n::Dir;
use crate::named::named;

/// One entry of the story list (`/` and `/api/stories`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorySummary {
    pub slug: String,
    pub title: String,
    /// BCP 47 language tag of the article, e.g. `da`.
    pub language: String,
    /// Which way the article's language is written.
    #[serde(default)]
    pub dir: Dir,
    /// Publication date of the article, `YYYY-MM-DD`.
    pub published: String,
    pub summary: String,
    /// The language of the story's words beside the article (the summary,
    /// layer names, feature titles and notes, sources), and its direction.
    pub data_language: String,
    #[serde(default)]
    pub data_dir: Dir,
    /// Where that is not the story's data language (the page shows the
    /// story's words in the reader's language): the data language and its
    /// direction, which the words the story gives none in the reader's
    /// are in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untranslated: Option<(String, Dir)>,
}

/// A story as the front page lists it: in the reader's language where the
/// story has its article in it, else as published.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryCard {
    pub summary: StorySummary,
    /// The headline of the text listed, and its language and direction.
    pub title: String,
    pub title_language: String,
    pub title_dir: Dir,
    /// Who published it (in the story's data language).
    pub byline: String,
    /// The languages the article can be read in, the original's first.
    pub languages: Vec<String>,
    /// The part of the world its map shows first.
    pub view: View,
}

/// Everything the story page renders: on the server, and (without the
/// article's paragraphs) in the browser as the map island's props.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryPage {
    pub summary: StorySummary,
    /// Who published the article, or a description of the source text.
    pub byline: String,
    pub view: View,
    /// The text of the article shown: the original or a translation.
    pub text: TextView,
    /// Languages the article can be read in, the original's first.
    pub languages: Vec<String>,
    /// Rendered by the server alone: never serialized, so the browser's
    /// bundle carries no code to read them (1.2 KB brotli).
    #[serde(skip)]
    pub paragraphs: Vec<ParagraphView>,
    pub layers: Vec<LayerView>,
    pub sources: Vec<Source>,
    /// The corrections, updates and clarifications published since the
    /// story first was, oldest first (up to the revision shown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// Which published revision this is, where the page is an earlier one
    /// (`/stories/<slug>/rev/<n>`); `None` on the latest. Rendered by the
    /// server alone (the browser reads the revision from the address).
    #[serde(skip)]
    pub revision: Option<Revision>,
}

/// A published revision of a story other than the latest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// Its number: 1 for the first publication.
    pub number: u32,
    /// When it was published, RFC 3339.
    pub published_at: String,
}

named! {
    /// What a change to a published story was, as the standards editor
    /// tells readers.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ChangeKind {
        /// Something published was wrong.
        Correction = "correction",
        /// Something new is known.
        Update = "update",
        /// Something published was unclear.
        Clarification = "clarification",
    }
}

/// A change to a published story that readers are told of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    /// The revision that made it; the one before is the story as it was.
    pub revision: u32,
    /// When it was published, RFC 3339.
    pub at: String,
    pub kind: ChangeKind,
    /// What changed and why, for readers.
    pub note: String,
    /// The features it changed (their panels say so).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Features it removed, with the titles they had (their old addresses
    /// are the server's to answer: not sent to the browser).
    #[serde(skip)]
    pub removed: Vec<Removed>,
    /// Features whose published position it moved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<Moved>,
}

/// A feature a change removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub id: String,
    pub title: String,
}

/// A feature whose published position a change moved: where it was and
/// where it went (a representative point of its published geometry then
/// and after), for the map to draw the old place faintly with an arrow to
/// the new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    pub id: String,
    /// `[longitude, latitude]`.
    pub from: [f64; 2],
    pub to: [f64; 2],
}

/// Which text of the article a page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextView {
    /// BCP 47 language tag.
    pub language: String,
    /// Which way it is written.
    #[serde(default)]
    pub dir: Dir,
    /// The headline in that language.
    pub title: String,
    /// Who translated it; `None` for the original.
    pub translator: Option<String>,
}

/// How this kort site is deployed: what pages need beyond the story.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Site {
    /// The public origin, e.g. `https://kort.example.org` (no trailing
    /// slash), for canonical links and social previews.
    pub public_url: String,
    /// Raster tiles to draw under the story; `None`: the offline basemap.
    pub tiles: Option<TileSource>,
    /// Where readers write to (`KORT_CONTACT`): a `mailto:` or web
    /// address; `None`: the site gives none.
    #[serde(default)]
    pub contact: Option<String>,
}

/// A raster tile server (`KORT_TILE_URL`, `KORT_TILE_ATTRIBUTION`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileSource {
    /// URL template with `{z}`, `{x}` and `{y}`.
    pub url: String,
    /// Credit shown on the map (HTML, set by the operator).
    pub attribution: String,
}

impl StorySummary {
    /// The `lang` and `dir` of the story's words beside the article.
    pub fn data_words(&self) -> (String, &'static str) {
        (self.data_language.clone(), self.data_dir.name())
    }

    /// The `lang` and `dir` of a layer's, feature's or source's words:
    /// the page's words language, or `other`, the language they are in
    /// where the story gives none in the page's.
    pub fn words_in(&self, other: Option<&String>) -> (String, &'static str) {
        match (other, &self.untranslated) {
            (Some(_), Some((language, dir))) => (language.clone(), dir.name()),
            _ => self.data_words(),
        }
    }

    /// The `lang` and `dir` of the article as it was published (what a
    /// source's quote from it is written in).
    pub fn original_words(&self) -> (String, &'static str) {
        (self.language.clone(), self.dir.name())
    }
}

impl StoryPage {
    /// The ids of the story's layers, in order.
    pub fn layer_ids(&self) -> Vec<String> {
        self.layers.iter().map(|layer| layer.id.clone()).collect()
    }

    /// The page without its article's text, which the map and its panel do
    /// not show: what the browser is handed to run them.
    pub fn for_the_map(&self) -> std::sync::Arc<Self> {
        // Field by field, so the article is not copied only to be dropped.
        let Self {
            summary,
            byline,
            view,
            text,
            languages,
            paragraphs: _,
            layers,
            sources,
            corrections,
            revision,
        } = self;
        std::sync::Arc::new(Self {
            summary: summary.clone(),
            byline: byline.clone(),
            view: *view,
            text: text.clone(),
            languages: languages.clone(),
            paragraphs: Vec::new(),
            layers: layers.clone(),
            sources: sources.clone(),
            corrections: corrections.clone(),
            revision: revision.clone(),
        })
    }

    /// What the timeline reads of the story, for its island's props: the
    /// summary (the slug and the publication date), the text shown, the
    /// layers and their dated features by id, title and date. The rest is
    /// left out, so the page does not carry the story twice.
    pub fn for_the_timeline(&self) -> std::sync::Arc<Self> {
        let mut layers = self.layers.clone();
        for layer in &mut layers {
            layer.remote = None;
            layer.features.retain(|feature| feature.date.is_some());
            for feature in &mut layer.features {
                feature.name_ar = None;
                feature.uncertainty_m = None;
                feature.note = None;
                feature.passages = Vec::new();
                feature.sources = Vec::new();
            }
        }
        std::sync::Arc::new(Self {
            summary: self.summary.clone(),
            byline: String::new(),
            view: self.view,
            text: self.text.clone(),
            languages: Vec::new(),
            paragraphs: Vec::new(),
            layers,
            sources: Vec::new(),
            corrections: Vec::new(),
            revision: None,
        })
    }

    /// The feature with this id, in any layer.
    pub fn feature(&self, id: &str) -> Option<&FeatureSummary> {
        self.layers
            .iter()
            .flat_map(|layer| &layer.features)
            .find(|feature| feature.id == id)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|source| source.id == id)
    }

    /// Whether the page lists every feature: not if a layer is served by
    /// viewport (the page lists only what the article mentions of it, and
    /// the server knows the rest).
    pub fn lists_every_feature(&self) -> bool {
        !self.layers.iter().any(|layer| layer.by_viewport)
    }

    /// The layer with this id.
    pub fn layer(&self, id: &str) -> Option<&LayerView> {
        self.layers.iter().find(|layer| layer.id == id)
    }
}

/// The part of the world the story is about, as a WGS84 bounding box.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", serde(deny_unknown_fields))]
pub struct View {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl View {
    /// Whether the position lies inside the box grown by `margin_deg` on each side.
    pub fn contains_with_margin(&self, lon: f64, lat: f64, margin_deg: f64) -> bool {
        lon >= self.west - margin_deg
            && lon <= self.east + margin_deg
            && lat >= self.south - margin_deg
            && lat <= self.north + margin_deg
    }
}

/// A paragraph of the article, cut into runs of text: each run is either
/// plain or part of one or more linked passages.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphView {
    /// Stable id from the article file; the anchor `#<id>` on the page.
    pub id: String,
    pub segments: Vec<Segment>,
}

/// A run of paragraph text.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub text: String,
    /// Features whose passages cover this run, in story order.
    pub features: Vec<String>,
    /// Anchors of the passages that start at this run (`q-<feature>-<n>`).
    pub anchors: Vec<String>,
}

/// Layers of this many features or more are served by viewport: the map
/// asks for the part in view, clustered and simplified for its zoom, and
/// the page lists only the features the article mentions (the API pages
/// through the rest).
pub const VIEWPORT_LAYER_MIN: usize = 1_000;

/// Features per page of `/api/stories/<slug>/layers/<layer>/features`.
pub const FEATURES_PER_PAGE: usize = 100;

/// How many pages of [`FEATURES_PER_PAGE`] a layer of `total` features has
/// (one, if it is empty).
pub fn feature_pages(total: usize) -> usize {
    total.div_ceil(FEATURES_PER_PAGE).max(1)
}

/// A story layer and its features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerView {
    pub id: String,
    pub title: String,
    /// The language of the title, where the story has none in the page's
    /// words language ([`StorySummary::data_language`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub style: LayerStyle,
    /// Every feature, or for a layer served by viewport, those the article
    /// mentions.
    pub features: Vec<FeatureSummary>,
    /// How many features the layer has.
    pub total: usize,
    /// Whether the map asks for the part in view (see [`VIEWPORT_LAYER_MIN`]).
    pub by_viewport: bool,
    /// For a layer kept elsewhere: where, and how old the copy is. Shown by
    /// the server alone, so never serialized (no code to read it in the
    /// browser's bundle).
    #[serde(skip)]
    pub remote: Option<RemoteView>,
}

/// Where a remote layer is fetched from and when the copy shown was fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteView {
    /// The host name of the layer's address, e.g. `data.example.org`.
    pub host: String,
    /// When the copy shown was fetched (RFC 3339, UTC); `None` until the first fetch.
    pub fetched: Option<String>,
}

/// How a layer is drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", serde(deny_unknown_fields))]
pub struct LayerStyle {
    pub symbol: Symbol,
    /// CSS colour, `#rrggbb`.
    pub color: String,
}

named! {
    /// The symbol a layer's features are drawn with; the legend explains each.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Symbol {
        /// A translucent fill.
        Area = "area",
        /// A route that was driven: a solid line.
        Route = "route",
        /// A route that was planned but not driven: a dashed line.
        BlockedRoute = "blocked-route",
        /// A strike or other event at a point.
        Strike = "strike",
        /// A named place: a labelled dot.
        Place = "place",
    }
}

/// What a reader needs to know about a feature, without its geometry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSummary {
    pub id: String,
    pub title: String,
    /// The language of the title and note, where the story has none in the
    /// page's words language ([`StorySummary::data_language`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The name in Arabic, shown right to left beside the title.
    pub name_ar: Option<String>,
    pub layer: String,
    pub kind: GeometryKind,
    /// The date as the story file gives it (`YYYY-MM-DD`, `YYYY-MM`, or a range `a/b`).
    pub date: Option<String>,
    /// Radius of the position's uncertainty, in metres, for estimates.
    pub uncertainty_m: Option<f64>,
    /// A short editorial note, e.g. how a position was estimated.
    pub note: Option<String>,
    /// The grid the position is published on, in metres, where it is
    /// given coarser than known to protect the people behind it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_precision_m: Option<f64>,
    /// How the position was found and checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geolocation: Option<Geolocation>,
    pub passages: Vec<PassageRef>,
    /// Source ids, resolved against [`StoryPage::sources`].
    pub sources: Vec<String>,
}

named! {
    /// The kind of a feature's geometry, as RFC 7946 names it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum GeometryKind {
        Point = "Point",
        MultiPoint = "MultiPoint",
        LineString = "LineString",
        MultiLineString = "MultiLineString",
        Polygon = "Polygon",
        MultiPolygon = "MultiPolygon",
        GeometryCollection = "GeometryCollection",
    }
}

/// What the map draws a story feature with: the part of its GeoJSON
/// `properties` that every feature carries, those of a large layer's tiles
/// too. Written by the server (`story::view`, `story::viewport`) and read
/// back in the browser by [`MapProperties::of`], under the names serde
/// writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MapProperties {
    pub title: String,
    /// The feature's date as the story gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// How far off the position may be, in metres: the feature is an estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty_m: Option<f64>,
}

/// The names serde writes [`MapProperties`]' fields under (a test holds
/// them to it), for the browser to read them back by.
const TITLE: &str = "title";
const DATE: &str = "date";
const UNCERTAINTY_M: &str = "uncertainty_m";

impl MapProperties {
    /// The title of a GeoJSON feature that Leaflet holds (in the browser).
    pub fn title_of(feature: &wasm_bindgen::JsValue) -> Option<String> {
        crate::map::js::string(&crate::map::js::get(feature, "properties"), TITLE)
    }

    /// Gives a GeoJSON feature (not yet handed to Leaflet) another title.
    pub fn set_title(feature: &wasm_bindgen::JsValue, title: &str) {
        let properties = crate::map::js::get(feature, "properties");
        let _ = js_sys::Reflect::set(&properties, &TITLE.into(), &title.into());
    }

    /// The date of a GeoJSON feature that Leaflet holds, if it has one.
    pub fn date_of(feature: &wasm_bindgen::JsValue) -> Option<String> {
        crate::map::js::string(&crate::map::js::get(feature, "properties"), DATE)
    }

    /// The uncertainty of a GeoJSON feature that Leaflet holds, in metres,
    /// if it is an estimate.
    pub fn uncertainty_of(feature: &wasm_bindgen::JsValue) -> Option<f64> {
        crate::map::js::number(&crate::map::js::get(feature, "properties"), UNCERTAINTY_M)
    }
}

/// A story feature's GeoJSON `properties` as the API and the downloads
/// write them: what the map draws, and what a reader of the data needs.
/// `S` is how sources are given: by id in the API, in full in a download.
#[derive(Debug, Clone, Serialize)]
pub struct FeatureProperties<S = String> {
    #[serde(flatten)]
    pub map: MapProperties,
    /// The place's name in Arabic, where the story gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_ar: Option<String>,
    /// The id of the feature's layer.
    pub layer: String,
    /// The layer's title (downloads, which stand on their own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The grid the position is published on, in metres (see [`FeatureSummary`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_precision_m: Option<f64>,
    /// How the position was found and checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geolocation: Option<Geolocation>,
    /// Where the article mentions the feature, in its original language.
    pub passages: Vec<PassageRef>,
    pub sources: Vec<S>,
    /// The feature's page (downloads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl<S> FeatureProperties<S> {
    /// The same properties, with the sources given another way.
    pub fn with_sources<T>(self, sources: Vec<T>) -> FeatureProperties<T> {
        FeatureProperties {
            map: self.map,
            name_ar: self.name_ar,
            layer: self.layer,
            layer_title: self.layer_title,
            note: self.note,
            published_precision_m: self.published_precision_m,
            geolocation: self.geolocation,
            passages: self.passages,
            sources,
            url: self.url,
        }
    }
}

/// A passage of the article resolved from a text quote selector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageRef {
    /// Anchor on the page, `q-<feature>-<n>`.
    pub anchor: String,
    /// Id of the paragraph that holds the passage.
    pub paragraph: String,
    /// Start and end, in Unicode scalar values from the start of the paragraph.
    pub start: usize,
    pub end: usize,
    /// The quoted text.
    pub exact: String,
}

/// A source the story cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", serde(deny_unknown_fields))]
pub struct Source {
    pub id: String,
    pub kind: SourceKind,
    pub publisher: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// `YYYY-MM-DD` (or `YYYY-MM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub title: String,
    /// The title (and a publisher's or author's description) in other
    /// languages than the story's data language, by language tag
    /// (`translated = { ar = { title = "…" } }`). Read from story files by
    /// the server; a page carries the words it shows.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(not(feature = "ssr"), serde(skip))]
    pub translated: std::collections::BTreeMap<String, SourceWords>,
    /// The language of the title, publisher and author, where the story
    /// has none in the page's words language. Set by the server, never by
    /// a story file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", serde(skip_deserializing))]
    pub language: Option<String>,
    /// Where to read it; http(s) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The words that support the story, as quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// An archived copy of `url` (the Wayback Machine, archive.today), so
    /// a deleted post can still be checked; http(s) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_url: Option<String>,
    /// When the archived copy was made, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<String>,
    /// The SHA-256 of the file the source is (a video, a document the
    /// newsroom holds), in hex: whoever has a copy can tell it is the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The photo, video or satellite image the source is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
}

/// A layer's title in another language: its `translated` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", serde(deny_unknown_fields))]
pub struct TitleWords {
    pub title: String,
}

/// A source's words in another language: its `translated` entry. A
/// publisher or author not given keeps its name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", serde(deny_unknown_fields))]
pub struct SourceWords {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// A photo, video or satellite image a source is, as readers are shown it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", serde(deny_unknown_fields))]
pub struct Media {
    pub kind: MediaKind,
    /// A file of the story (`media/strike.jpg`), served by kort and shown
    /// in the page; or nothing, where only `url` links to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Who made it (the photographer, the satellite's operator).
    pub credit: String,
    /// What it shows, in words, for readers who cannot see it.
    pub alt: String,
    /// What a reader should know before seeing it ("shows the bodies of
    /// the dead"): it is then hidden until the reader asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_warning: Option<String>,
}

named! {
    /// What kind of picture a [`Media`] is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum MediaKind {
        Photo = "photo",
        Video = "video",
        SatelliteImage = "satellite-image",
    }
}

/// How a feature's position was found, and who checked it: the link from
/// a post to a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", serde(deny_unknown_fields))]
pub struct Geolocation {
    pub method: GeolocationMethod,
    /// Who geolocated it (a person, a team).
    pub by: String,
    /// When, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The source that was geolocated (a video, a photo); the feature's
    /// first source if not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// What proves it: a thread, a matched satellite image; http(s) only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
}

named! {
    /// How a position was found.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum GeolocationMethod {
        /// Landmarks in the picture matched to satellite imagery.
        VisualMatch = "visual-match",
        /// Shadows' lengths and directions, with the time.
        Shadows = "shadows",
        /// Where an official statement puts it.
        OfficialStatement = "official-statement",
        /// A gazetteer's place of that name.
        Gazetteer = "gazetteer",
        /// Estimated from what the reports say.
        Estimate = "estimate",
    }
}

named! {
    /// What kind of source a [`Source`] is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SourceKind {
        WireReport = "wire-report",
        SocialMediaPost = "social-media-post",
        OfficialStatement = "official-statement",
        MonitoringGroup = "monitoring-group",
        OtherPress = "other-press",
        Gazetteer = "gazetteer",
        Other = "other",
    }
}

/// "± 25 km" or "± 800 m", for an uncertainty radius in metres.
pub fn format_uncertainty(metres: f64) -> String {
    if metres >= 1000.0 {
        let km = metres / 1000.0;
        if (km - km.round()).abs() < 0.05 {
            format!("± {km:.0} km")
        } else {
            format!("± {km:.1} km")
        }
    } else {
        format!("± {metres:.0} m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncertainty_reads_in_the_unit_a_reader_expects() {
        assert_eq!(format_uncertainty(25_000.0), "± 25 km");
        assert_eq!(format_uncertainty(2_500.0), "± 2.5 km");
        assert_eq!(format_uncertainty(800.0), "± 800 m");
    }

    #[test]
    fn margin_grows_the_view_on_every_side() {
        let view = View {
            west: 36.0,
            south: 33.0,
            east: 41.0,
            north: 36.0,
        };
        assert!(view.contains_with_margin(41.5, 33.0, 1.0));
        assert!(
            !view.contains_with_margin(34.5, 39.88, 1.0),
            "swapped lat/lon"
        );
    }

    #[test]
    fn the_browser_reads_the_names_the_server_writes() {
        let written = serde_json::to_value(MapProperties {
            title: "Bridge".into(),
            date: Some("2017-08-30".into()),
            uncertainty_m: Some(500.0),
        })
        .expect("json");
        assert_eq!(written[TITLE], "Bridge");
        assert_eq!(written[DATE], "2017-08-30");
        assert_eq!(written[UNCERTAINTY_M], 500.0);
        let full = serde_json::to_value(FeatureProperties {
            map: MapProperties {
                title: "Bridge".into(),
                ..MapProperties::default()
            },
            name_ar: None,
            layer: "strikes".into(),
            layer_title: None,
            note: None,
            published_precision_m: None,
            geolocation: None,
            passages: Vec::new(),
            sources: vec!["reuters".to_owned()],
            url: None,
        })
        .expect("json");
        assert_eq!(full[TITLE], "Bridge", "flattened, as the map reads it");
        let mut keys: Vec<&str> = full
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["layer", "passages", "sources", "title"],
            "what is absent is not written"
        );
    }
}
