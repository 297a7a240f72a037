//! Social preview images: a 1200×630 PNG of a story or of one feature,
//! rendered from the same data as the page. An SVG is built from the
//! geometry projected to Web Mercator and rasterised by resvg.
//!
//! Renders are kept per story version and feature, at most 32 MB of them
//! (`quick_cache`: the images asked for most stay), so a warm request costs
//! a lookup; the ETag is a hash of the image.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kort_app::error::KortError;

use geo::{BoundingRect, Geometry};
use kort_app::i18n::Dir;
use kort_app::map::drawn::{Geography, mercator};
use kort_app::model::{Symbol, View};
use kort_app::story::{Feature, LoadedStory};
use resvg::{tiny_skia, usvg};

use crate::admission::Admission;
use crate::api::ApiError;
use crate::state::Shared;

/// Width and height of a preview, as OpenGraph recommends.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Height of the caption band at the bottom.
const BAND: f64 = 110.0;
/// Space kept around the map's content, in px.
const PAD: f64 = 40.0;

/// Preview renders waiting their turn, per core: a render takes tens of
/// milliseconds, and there are only so many previews (one per story and
/// feature), each rendered once.
const PREVIEWS_WAITING_PER_CORE: usize = 16;
/// The longest a preview render waits its turn.
const PREVIEW_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Why a preview could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PreviewError {
    #[error("the preview SVG did not parse")]
    Svg(#[from] usvg::Error),
    #[error("cannot allocate a {WIDTH}×{HEIGHT} image")]
    Pixmap,
    #[error("cannot encode the preview PNG: {0}")]
    Png(String),
}

/// A rendered preview and its entity tag.
#[derive(Debug)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub etag: String,
}

/// The offline basemap's geometry, from the same files as the map's: for
/// previews, and for the map drawn into the story pages
/// (`kort_app::map::drawn`).
#[derive(Debug, Default, Clone)]
pub struct Basemap(Arc<Geography>);

impl Basemap {
    /// Reads the basemap's files from `dir`. A missing or broken file
    /// leaves that part out (and is logged): a map without rivers is
    /// better than none.
    pub fn load(dir: &std::path::Path) -> Self {
        Self(Arc::new(Geography::from_files(|name| {
            let path = dir.join(name);
            let parsed = std::fs::read_to_string(&path)
                .map_err(|error| error.to_string())
                .and_then(|text| {
                    text.parse::<geojson::FeatureCollection>()
                        .map_err(|error| error.to_string())
                });
            match parsed {
                Ok(collection) => Some(collection),
                Err(error) => {
                    tracing::warn!(file = %path.display(), %error, "basemap part left out");
                    None
                }
            }
        })))
    }

    /// The geography, shared.
    pub fn geography(&self) -> Arc<Geography> {
        Arc::clone(&self.0)
    }
}

/// Renders and caches previews.
pub struct Previews {
    basemap: Basemap,
    options: usvg::Options<'static>,
    /// At most [`CACHE_BYTES`] of images: a crawler that asks for the
    /// preview of every feature of a 50,000-feature story keeps the ones
    /// asked for most, not all of them.
    cache: quick_cache::sync::Cache<Key, Arc<Png>, Weight>,
    /// Renders at once: one per core, a few more waiting (see
    /// `admission`). A burst of requests for an image not yet cached renders
    /// it once; the others wait and find it cached.
    renders: Admission,
}

/// A story (its slug and version, which changes when it is reloaded) and a feature.
type Key = (String, u64, Option<String>);

/// The most memory kept images take. A preview is 20–60 KB.
const CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// What a kept image takes in memory, for the cache's bound.
#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<Key, Arc<Png>> for Weight {
    fn weight(&self, key: &Key, png: &Arc<Png>) -> u64 {
        let bytes = png.bytes.len() + png.etag.len() + key.0.len() + 128;
        u64::try_from(bytes).unwrap_or(u64::MAX)
    }
}

impl Previews {
    /// Loads the system fonts once; text is drawn with DejaVu Sans (or any sans-serif font there is).
    pub fn new(basemap: Basemap) -> Self {
        let mut options = usvg::Options {
            font_family: "DejaVu Sans".to_owned(),
            ..usvg::Options::default()
        };
        options.fontdb_mut().load_system_fonts();
        if options.fontdb.is_empty() {
            tracing::warn!(
                "no system fonts: preview images will have no text (install fonts-dejavu-core)"
            );
        }
        Self {
            basemap,
            options,
            cache: quick_cache::sync::Cache::with_weighter(
                usize::try_from(CACHE_BYTES / 40_000).unwrap_or(1024),
                CACHE_BYTES,
                Weight,
            ),
            renders: Admission::per_core(1, PREVIEWS_WAITING_PER_CORE, PREVIEW_WAIT),
        }
    }

    /// The bytes of images kept, by the bound's count.
    pub fn kept_bytes(&self) -> u64 {
        self.cache.weight()
    }

    /// The preview, if it is rendered already.
    pub fn cached(&self, story: &LoadedStory, feature: Option<&str>) -> Option<Arc<Png>> {
        let key = (
            story.story.slug.clone(),
            story.version,
            feature.map(str::to_owned),
        );
        self.cache.get(&key)
    }

    /// The preview of a story, or of one of its features, rendered once per story version.
    pub fn get(
        &self,
        story: &Arc<LoadedStory>,
        feature: Option<&Feature>,
    ) -> Result<Arc<Png>, PreviewError> {
        if let Some(png) = self.cached(story, feature.map(|f| f.id.as_str())) {
            return Ok(png);
        }
        let key = (
            story.story.slug.clone(),
            story.version,
            feature.map(|f| f.id.clone()),
        );
        let png = Arc::new(self.render(story, feature)?);
        // Images of a replaced version are asked for no more, and age out.
        self.cache.insert(key, Arc::clone(&png));
        Ok(png)
    }

    /// Renders without the cache.
    pub fn render(
        &self,
        story: &LoadedStory,
        feature: Option<&Feature>,
    ) -> Result<Png, PreviewError> {
        let svg = svg(&self.basemap, story, feature);
        let tree = usvg::Tree::from_str(&svg, &self.options)?;
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or(PreviewError::Pixmap)?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        let bytes = pixmap
            .encode_png()
            .map_err(|error| PreviewError::Png(error.to_string()))?;
        let etag = kort_app::story::catalog::strong_etag(&bytes);
        Ok(Png { bytes, etag })
    }
}

/// Web Mercator, fitted to a box of the picture.
struct Projection {
    scale: f64,
    offset_x: f64,
    offset_y: f64,
}

impl Projection {
    /// Fits `view` into the picture above the caption band.
    fn fit(view: &View) -> Self {
        let (west, north) = mercator(view.west, view.north);
        let (east, south) = mercator(view.east, view.south);
        let (width, height) = (
            f64::from(WIDTH) - 2.0 * PAD,
            f64::from(HEIGHT) - BAND - 2.0 * PAD,
        );
        let scale = (width / (east - west)).min(height / (south - north));
        Self {
            scale,
            offset_x: PAD + (width - (east - west) * scale) / 2.0 - west * scale,
            offset_y: PAD + (height - (south - north) * scale) / 2.0 - north * scale,
        }
    }

    fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = mercator(lon, lat);
        (
            x * self.scale + self.offset_x,
            y * self.scale + self.offset_y,
        )
    }

    /// Pixels per metre at a latitude (Mercator is conformal: the same both ways).
    fn px_per_metre(&self, lat: f64) -> f64 {
        self.scale / 360.0 / (111_320.0 * lat.to_radians().cos())
    }

    /// SVG path data for a geometry.
    fn path(&self, geometry: &Geometry<f64>) -> String {
        let mut d = String::new();
        let mut line = |coords: &mut dyn Iterator<Item = geo::Coord<f64>>, close: bool| {
            for (index, coord) in coords.enumerate() {
                let (x, y) = self.point(coord.x, coord.y);
                let _ = write!(d, "{}{x:.1} {y:.1}", if index == 0 { "M" } else { "L" });
            }
            if close {
                d.push('Z');
            }
        };
        match geometry {
            Geometry::LineString(ls) => line(&mut ls.coords().copied(), false),
            Geometry::MultiLineString(mls) => mls
                .iter()
                .for_each(|ls| line(&mut ls.coords().copied(), false)),
            Geometry::Polygon(polygon) => {
                line(&mut polygon.exterior().coords().copied(), true);
                polygon
                    .interiors()
                    .iter()
                    .for_each(|ring| line(&mut ring.coords().copied(), true));
            }
            Geometry::MultiPolygon(polygons) => {
                for polygon in polygons {
                    line(&mut polygon.exterior().coords().copied(), true);
                    polygon
                        .interiors()
                        .iter()
                        .for_each(|ring| line(&mut ring.coords().copied(), true));
                }
            }
            _ => {}
        }
        d
    }
}

/// The region a preview shows: the story's view, or the selected feature
/// with room around it (at least a degree and a half across).
fn frame(story: &LoadedStory, feature: Option<&Feature>) -> View {
    let view = story.story.view();
    let Some(rect) = feature.and_then(|feature| feature.geometry.bounding_rect()) else {
        return view;
    };
    let half = ((rect.max().x - rect.min().x).max(rect.max().y - rect.min().y) * 0.75).max(0.75);
    let (cx, cy) = (
        f64::midpoint(rect.min().x, rect.max().x),
        f64::midpoint(rect.min().y, rect.max().y),
    );
    View {
        west: cx - half * 1.6,
        east: cx + half * 1.6,
        south: cy - half,
        north: cy + half,
    }
}

/// Escapes text for SVG (XML): story data is untrusted.
fn xml(text: &str) -> String {
    html_escape::encode_safe(text).into_owned()
}

/// At most `max` characters, with an ellipsis if cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

fn svg(basemap: &Basemap, story: &LoadedStory, selected: Option<&Feature>) -> String {
    let projection = Projection::fit(&frame(story, selected));
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="100%" height="100%" fill="#c6dcea"/>"##
    );
    let mut layer = |file: &str, style: &str| {
        let d: String = basemap
            .0
            .part(file)
            .map(|shape| projection.path(&shape.geometry))
            .collect();
        if !d.is_empty() {
            let _ = write!(out, r#"<path d="{d}" {style}/>"#);
        }
    };
    layer(
        "world.geojson",
        r##"fill="#f4f1ea" stroke="#cfc7b8" stroke-width="1""##,
    );
    layer("land.geojson", r##"fill="#f4f1ea""##);
    layer("lakes.geojson", r##"fill="#c6dcea""##);
    layer(
        "rivers.geojson",
        r##"fill="none" stroke="#7fa8c7" stroke-width="1.5""##,
    );
    layer(
        "borders.geojson",
        r##"fill="none" stroke="#6b6358" stroke-width="2""##,
    );

    for layer in &story.story.layers {
        for feature in &layer.features {
            let chosen = selected.is_some_and(|s| s.id == feature.id);
            let faded = selected.is_some() && !chosen;
            draw_feature(
                &mut out,
                &projection,
                feature,
                layer.style.symbol,
                &layer.style.color,
                chosen,
                faded,
            );
        }
    }

    let title = match selected {
        Some(feature) => feature.title.clone(),
        None => story.story.manifest.title.clone(),
    };
    let subtitle = match selected {
        Some(_) => story.story.manifest.title.clone(),
        None => story.page().byline.clone(),
    };
    // Each line runs the way its language is written: a feature's title is
    // in the story's data language, the headline and byline in the
    // article's.
    let manifest = &story.story.manifest;
    let story_dir = Dir::of_language(&manifest.language);
    let title_dir = match selected {
        Some(_) => Dir::of_language(manifest.data_language()),
        None => story_dir,
    };
    let band_top = f64::from(HEIGHT) - BAND;
    let _ = write!(
        out,
        r##"<rect y="{band_top}" width="{WIDTH}" height="{BAND}" fill="#fdfcfa"/><rect y="{band_top}" width="{WIDTH}" height="4" fill="#1d4ed8"/><g font-family="DejaVu Sans, sans-serif" fill="#1c1b19"><text {} y="{}" font-size="36" font-weight="bold">{}</text><text {} y="{}" font-size="22" fill="#55524c">{}</text><text {} y="{}" font-size="15" fill="#55524c">kort · Natural Earth · GSHHG</text></g></svg>"##,
        Line::Start.of(title_dir),
        band_top + 50.0,
        xml(&Line::text(&clip(&title, 56), title_dir)),
        Line::Start.of(story_dir),
        band_top + 88.0,
        xml(&Line::text(&clip(&subtitle, 80), story_dir)),
        Line::End.of(story_dir),
        band_top + 88.0,
    );
    out
}

/// Where a line of the band under the map stands: at the start or the end
/// of the line as its language runs (left or right).
#[derive(Clone, Copy)]
enum Line {
    Start,
    End,
}

impl Line {
    /// The `x` and `text-anchor` of a line in a language written `dir`.
    fn of(self, dir: Dir) -> String {
        let right = f64::from(WIDTH) - PAD;
        match (self, dir) {
            (Self::Start, Dir::Ltr) | (Self::End, Dir::Rtl) => format!(r#"x="{PAD}""#),
            (Self::Start, Dir::Rtl) | (Self::End, Dir::Ltr) => {
                format!(r#"x="{right}" text-anchor="end""#)
            }
        }
    }

    /// The line's text, as a right-to-left isolate where its language is
    /// written so (the renderer lays every line out left to right, and
    /// would put a title's Latin words and numbers in the wrong order).
    fn text(text: &str, dir: Dir) -> String {
        match dir {
            Dir::Ltr => text.to_owned(),
            Dir::Rtl => format!("\u{2067}{text}\u{2069}"),
        }
    }
}

fn draw_feature(
    out: &mut String,
    projection: &Projection,
    feature: &Feature,
    symbol: Symbol,
    color: &str,
    chosen: bool,
    faded: bool,
) {
    let opacity = if faded { 0.45 } else { 1.0 };
    let grow = if chosen { 2.0 } else { 1.0 };
    let estimate = feature.uncertainty_m.is_some();
    match symbol {
        Symbol::Area => {
            let dash = if estimate {
                r#" stroke-dasharray="8 5""#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<path d="{}" fill="{color}" fill-opacity="{:.2}" stroke="{color}" stroke-width="{}"{dash} opacity="{opacity}"/>"#,
                projection.path(&feature.geometry),
                if chosen { 0.45 } else { 0.25 },
                2.0 * grow
            );
        }
        Symbol::Route | Symbol::BlockedRoute => {
            let dash = if symbol == Symbol::BlockedRoute {
                r#" stroke-dasharray="3 10""#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<path d="{}" fill="none" stroke="{color}" stroke-width="{}" stroke-linecap="round" stroke-linejoin="round"{dash} opacity="{opacity}"/>"#,
                projection.path(&feature.geometry),
                5.0 * grow
            );
        }
        Symbol::Strike | Symbol::Place => {
            let Geometry::Point(point) = &feature.geometry else {
                return;
            };
            let (x, y) = projection.point(point.x(), point.y());
            if let Some(metres) = feature.uncertainty_m {
                let radius = metres * projection.px_per_metre(point.y());
                let _ = write!(
                    out,
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="{radius:.1}" fill="{color}" fill-opacity="0.08" stroke="{color}" stroke-dasharray="5 5" opacity="{opacity}"/>"#
                );
            }
            let size = 10.0 * grow;
            if symbol == Symbol::Strike {
                let _ = write!(
                    out,
                    r##"<path transform="translate({x:.1} {y:.1}) scale({:.2})" d="M0-11 3-4 10-6 5 0 10 6 3 4 0 11-3 4-10 6-5 0-10-6-3-4Z" fill="{color}" stroke="#fff" stroke-width="1.5" opacity="{opacity}"/>"##,
                    size / 10.0
                );
            } else {
                let _ = write!(
                    out,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="{color}" stroke="#fff" stroke-width="2" opacity="{opacity}"/>"##,
                    size * 0.7
                );
            }
        }
    }
}

/// `GET /stories/<slug>/preview.png`.
pub async fn story_png(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    respond(state, slug, None, &headers).await
}

/// `GET /stories/<slug>/features/<id>/preview.png`.
pub async fn feature_png(
    State(state): State<Shared>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    respond(state, slug, Some(id), &headers).await
}

async fn respond(
    state: Shared,
    slug: String,
    feature: Option<String>,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let story = state.stories.snapshot().story(&slug)?;
    if let Some(id) = &feature
        && story.story.features().all(|f| &f.id != id)
    {
        return Err(KortError::FeatureNotFound {
            slug,
            feature: id.clone(),
        }
        .into());
    }
    let previews = Arc::clone(&state.previews);
    let png = if let Some(png) = previews.cached(&story, feature.as_deref()) {
        png
    } else {
        let _pass = match previews.renders.enter().await {
            Ok(pass) => pass,
            Err(busy) => return Ok(busy.into_response()),
        };
        // Rendering takes milliseconds of CPU: keep it off the async
        // workers. (`get` looks in the cache again: the image may have
        // been rendered while this request waited.)
        let renderer = Arc::clone(&previews);
        tokio::task::spawn_blocking(move || {
            let feature = feature
                .as_deref()
                .and_then(|id| story.story.features().find(|f| f.id == id));
            renderer.get(&story, feature)
        })
        .await
        .map_err(|error| {
            // A panic in the renderer was logged by the panic hook already.
            if !error.is_panic() {
                tracing::error!(%error, "preview task did not finish");
            }
            KortError::Server("the preview image could not be rendered".into())
        })?
        .map_err(|error| {
            tracing::error!(
                error = crate::logging::chain(&error),
                "preview not rendered"
            );
            KortError::Server("the preview image could not be rendered".into())
        })?
    };
    let cache = [
        (header::ETAG, png.etag.clone()),
        (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
    ];
    if crate::caching::matches(headers.get(header::IF_NONE_MATCH), &png.etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        cache,
        [(header::CONTENT_TYPE, "image/png".to_owned())],
        png.bytes.clone(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_escaped_for_svg() {
        assert_eq!(xml("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#x27;");
        assert_eq!(clip("abcdef", 4), "abc…");
    }

    #[test]
    fn the_projection_keeps_the_view_inside_the_picture() {
        let view = View {
            west: 35.9,
            south: 33.6,
            east: 41.3,
            north: 35.2,
        };
        let projection = Projection::fit(&view);
        for (lon, lat) in [(35.9, 35.2), (41.3, 33.6), (38.0, 34.4)] {
            let (x, y) = projection.point(lon, lat);
            assert!(
                (PAD - 0.5..=f64::from(WIDTH) - PAD + 0.5).contains(&x),
                "{x}"
            );
            assert!(
                (PAD - 0.5..=f64::from(HEIGHT) - BAND - PAD + 0.5).contains(&y),
                "{y}"
            );
        }
        // North is up.
        assert!(projection.point(38.0, 35.0).1 < projection.point(38.0, 34.0).1);
    }
}
