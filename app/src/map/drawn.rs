//! The map the server draws into the page, so that a reader sees the
//! story's map at the first paint, before any script runs; Leaflet draws
//! over it and takes it away once its own map is complete.
//!
//! It is drawn where Leaflet will draw, in the same projection (Web
//! Mercator), around the same centre, at the zoom Leaflet will pick for the
//! map's size: the server does not know that size, so the page's style says
//! which zoom each size gets (container queries on the map's frame, the
//! rule Leaflet's `fitBounds` follows), and every position is a number of
//! pixels at a reference zoom, multiplied by the scale (`--k`) the size
//! gets. Lines keep their width at any scale (`non-scaling-stroke`), and
//! symbols and names keep their size: they are moved, not scaled. Names
//! are HTML with the live map's own classes, so the style sheet sets them
//! exactly as it sets Leaflet's, and the server leaves out the ones that
//! would collide at each zoom (`declutter::decide`, on boxes estimated from
//! the names' lengths).
//!
//! Every style comes from the live map's own figures (`style`, `basemap`,
//! `places`), and symbols fan out as `spread` fans them: one description
//! of the map, drawn twice.

use std::borrow::Cow;
use std::fmt::Write as _;

use geo::{
    BooleanOps, BoundingRect as _, Contains as _, Coord, Geometry, Intersects as _, LineString,
    MapCoords, MultiLineString, Rect, Simplify,
};

use super::basemap::{PARTS, Part, WORLD};
use super::countries;
use super::declutter::{self, Area, MARGIN};
use super::places::{DOT, DOT_CLASS, shown_from};
use super::style::{self, PathStyle};
use super::{MAX_ZOOM, MIN_OPENING_ZOOM};
use super::{lines, spread};
use crate::date::TimeFilter;
use crate::i18n::Lang;
use crate::links::MapView;
use crate::model::{Symbol, View};
use crate::story::words::pick;
use crate::story::{Feature, LoadedStory};

/// The language of the basemap's names (the Arabic beneath them is marked
/// as Arabic).
const BASEMAP_LANGUAGE: &str = "en";

/// The size of Leaflet's world at zoom 0, px.
const TILE: f64 = 256.0;
/// Geometry is simplified to this many px at the reference zoom, about as
/// Leaflet simplifies its lines at the zoom it draws (`smoothFactor`, 1 px;
/// a little more here: a smaller page, still within the 2 px the browser
/// test holds the two drawings to).
const TOLERANCE: f64 = 1.2;
/// The map size the reference zoom is the fitted zoom of, px: as large as
/// a desktop map, so that most screens scale the drawing down, not up.
const REFERENCE_SIZE: (f64, f64) = (700.0, 600.0);
/// The smallest and largest map sizes the page's rules cater for, px: a
/// 300 px embed's and the map beside the article on a 1920 px screen's.
const SMALLEST_MAP: (f64, f64) = (260.0, 180.0);
const LARGEST_MAP: (f64, f64) = (1600.0, 1200.0);
/// Font sizes of names (the style sheet's `.basemap-label` and
/// `.place-label`, rem at 16 px) and the width of an average letter in
/// ems, for estimating where names collide.
const BASEMAP_FONT: f64 = 12.0;
const STORY_FONT: f64 = 14.0;
const LETTER: f64 = 0.56;
/// A country's name (`.country-label`): its size, and the width of a
/// spaced capital in ems.
const COUNTRY_FONT: f64 = 13.0;
const CAPITAL: f64 = 0.82;
const LINE: f64 = 1.2;

pub use super::projection::mercator;

/// A feature of a basemap file: its geometry and its names.
#[derive(Debug, Clone)]
pub struct Shape {
    pub geometry: Geometry<f64>,
    pub name: Option<String>,
    pub name_ar: Option<String>,
    /// Its geometry as drawn at each whole zoom a map may open at, from
    /// [`MIN_OPENING_ZOOM`] on: done once, so that a page costs no more
    /// than cutting out what it shows.
    zooms: Vec<AtZoom>,
}

/// A shape's geometry in px of Leaflet's world at a zoom, simplified.
#[derive(Debug, Clone)]
struct AtZoom {
    geometry: Geometry<f64>,
    bounds: Option<Rect<f64>>,
}

impl Shape {
    fn new(geometry: Geometry<f64>, name: Option<String>, name_ar: Option<String>) -> Self {
        let mut zooms = Vec::new();
        let mut zoom = MIN_OPENING_ZOOM;
        while zoom <= MAX_ZOOM {
            let scale = TILE * zoom.exp2();
            let mut geometry = simplified(geometry.map_coords(|Coord { x, y }| {
                let (x, y) = mercator(x, y);
                Coord {
                    x: x * scale,
                    y: y * scale,
                }
            }));
            let bounds = geometry.bounding_rect();
            // Joined and straightened now, as a cut would, whether or not
            // a page cuts it.
            if let Some(bounds) = bounds {
                let margin = (1.0, 1.0);
                let around = Rect::new(bounds.min() - margin.into(), bounds.max() + margin.into());
                geometry = clipped(&geometry, around);
            }
            zooms.push(AtZoom { geometry, bounds });
            zoom += 1.0;
        }
        Self {
            geometry,
            name,
            name_ar,
            zooms,
        }
    }

    /// Its geometry as drawn at the whole zoom `zoom`.
    fn at_zoom(&self, zoom: f64) -> Option<&AtZoom> {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a whole zoom from the opening zooms on"
        )]
        self.zooms.get((zoom - MIN_OPENING_ZOOM).max(0.0) as usize)
    }
}

/// A populated place of the basemap.
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub name_ar: Option<String>,
    pub population: f64,
    pub lon: f64,
    pub lat: f64,
    /// In Mercator units ([`mercator`]).
    at: (f64, f64),
}

/// A country's names and label point (`countries`).
#[derive(Debug, Clone)]
struct Country {
    en: String,
    ar: Option<String>,
    da: Option<String>,
    /// The zoom it is named from.
    from: f64,
    /// Where its name may stand, best first, in Mercator units ([`mercator`]).
    at: Vec<(f64, f64)>,
}

/// The offline basemap's geometry, from the files the live map fetches.
#[derive(Debug, Default)]
pub struct Geography {
    /// Each of [`PARTS`]' files, by name.
    parts: Vec<(&'static str, Vec<Shape>)>,
    /// Biggest first, as the file lists them.
    places: Vec<Place>,
    /// The countries named, those named from the least zoom first.
    countries: Vec<Country>,
}

impl Geography {
    /// The geography in the basemap files `read` gives (by file name; a
    /// file it cannot give is left out).
    pub fn from_files(mut read: impl FnMut(&str) -> Option<geojson::FeatureCollection>) -> Self {
        let name = |feature: &geojson::Feature, key: &str| {
            feature
                .property(key)
                .and_then(serde_json::Value::as_str)
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
        };
        let mut countries = Vec::new();
        let parts = PARTS
            .iter()
            .map(|part| {
                let features = read(part.file).map(|c| c.features).unwrap_or_default();
                if part.file == WORLD {
                    countries = features
                        .iter()
                        .filter_map(|feature| {
                            let at = feature
                                .property("labels")?
                                .as_array()?
                                .iter()
                                .filter_map(|point| {
                                    let point = point.as_array()?;
                                    Some(mercator(
                                        point.first()?.as_f64()?,
                                        point.get(1)?.as_f64()?,
                                    ))
                                })
                                .collect();
                            Some(Country {
                                en: name(feature, "name")?,
                                ar: name(feature, "name_ar"),
                                da: name(feature, "name_da"),
                                from: feature.property("min_zoom")?.as_f64()?,
                                at,
                            })
                        })
                        .collect::<Vec<_>>();
                    countries.sort_by(|a, b| a.from.total_cmp(&b.from));
                }
                let shapes = features
                    .into_iter()
                    .filter_map(|feature| {
                        let geometry = Geometry::<f64>::try_from(feature.geometry.clone()?).ok()?;
                        Some(Shape::new(
                            geometry,
                            name(&feature, "name"),
                            name(&feature, "name_ar"),
                        ))
                    })
                    .collect();
                (part.file, shapes)
            })
            .collect();
        let places = read(super::basemap::PLACES)
            .into_iter()
            .flat_map(|collection| collection.features)
            .filter_map(|feature| {
                let Geometry::Point(point) =
                    Geometry::<f64>::try_from(feature.geometry.clone()?).ok()?
                else {
                    return None;
                };
                Some(Place {
                    name: name(&feature, "name")?,
                    name_ar: name(&feature, "name_ar"),
                    population: feature
                        .property("population")
                        .and_then(serde_json::Value::as_f64)
                        .unwrap_or(0.0),
                    lon: point.x(),
                    lat: point.y(),
                    at: mercator(point.x(), point.y()),
                })
            })
            .collect();
        Self {
            parts,
            places,
            countries,
        }
    }

    /// The countries whose land the box `view` takes in some of, in the
    /// world file's order: each one's English name (a key that stays) and
    /// the name a reader of `lang` reads.
    pub fn countries_in(&self, view: &View, lang: Lang) -> Vec<(&str, &str)> {
        let rect = Rect::new(
            Coord {
                x: view.west,
                y: view.south,
            },
            Coord {
                x: view.east,
                y: view.north,
            },
        );
        self.part(WORLD)
            .filter(|shape| shape.geometry.intersects(&rect))
            .filter_map(|shape| {
                let en = shape.name.as_deref()?;
                let name = self
                    .countries
                    .iter()
                    .find(|country| country.en == en)
                    .map_or(en, |country| {
                        countries::Names {
                            en,
                            ar: country.ar.as_deref(),
                            da: country.da.as_deref(),
                        }
                        .read_in(lang)
                        .0
                    });
                Some((en, name))
            })
            .collect()
    }

    /// The shapes of a basemap file (`world.geojson`, …).
    pub fn part(&self, file: &str) -> impl Iterator<Item = &Shape> {
        self.parts
            .iter()
            .filter(move |(name, _)| *name == file)
            .flat_map(|(_, shapes)| shapes)
    }
}

/// What the page shows, as its address says.
pub struct Shown<'a> {
    /// The view the address opens on; `None`: the story's view, fitted.
    pub opening: Option<MapView>,
    pub layer: &'a dyn Fn(&str) -> bool,
    pub time: Option<TimeFilter>,
    pub selected: Option<&'a str>,
    /// The reader's language, which the countries are named in.
    pub lang: Lang,
}

/// The zooms the map may open at, and where.
struct Frame {
    /// The centre, in Mercator units.
    origin: (f64, f64),
    /// The reference zoom: positions are px at it from the centre.
    zoom: f64,
    /// The zooms the page's style may choose, each with the least size of
    /// map that gets it (`None`: the first, any size).
    zooms: Vec<(f64, Option<(f64, f64)>)>,
    /// What is drawn, px from the centre at the reference zoom.
    clip: Rect<f64>,
    /// Where named places are drawn: nearer.
    near: Rect<f64>,
    /// The region's size at zoom 0, px, where the map is fitted to it
    /// (`None`: an address's view, on a map of any size).
    region: Option<(f64, f64)>,
}

impl Frame {
    /// The centre in px of the world at the reference zoom.
    fn offset(&self) -> (f64, f64) {
        world_px(self.origin, self.zoom)
    }

    fn new(view: &View, opening: Option<MapView>) -> Self {
        let (west, north) = mercator(view.west, view.north);
        let (east, south) = mercator(view.east, view.south);
        // The region's size at zoom 0, px.
        let (width, height) = (TILE * (east - west), TILE * (south - north));
        if let Some(opening) = opening {
            // Leaflet snaps a zoom to whole levels.
            let zoom = opening.zoom.round().clamp(MIN_OPENING_ZOOM, MAX_ZOOM);
            let half = 1600.0;
            let origin = mercator(opening.lon, opening.lat);
            return Self {
                origin,
                zoom,
                zooms: vec![(zoom, None)],
                clip: Rect::new((-half, -half), (half, half)),
                near: Rect::new((-half, -half), (half, half)),
                region: None,
            };
        }
        // Leaflet's `getBoundsZoom`, at whole levels: the greatest zoom at
        // which the region fits the map's size.
        let fitted = |(w, h): (f64, f64)| {
            (w / width)
                .min(h / height)
                .log2()
                .floor()
                .clamp(MIN_OPENING_ZOOM, MAX_ZOOM)
        };
        let zoom = fitted(REFERENCE_SIZE);
        // A rule for each zoom a map from the smallest embed's to a large
        // screen's may get: the smallest's applies to any size, each
        // greater one from the least size that fits the region at it.
        let (least, most) = (fitted(SMALLEST_MAP), fitted(LARGEST_MAP));
        let mut zooms = vec![(least, None)];
        let mut level = least + 1.0;
        while level <= most {
            zooms.push((level, Some((width * level.exp2(), height * level.exp2()))));
            level += 1.0;
        }
        // The sizes the map has put its fitted zoom at most a level or two
        // from the reference; the map may be much wider than the region.
        let half = width.max(height) * zoom.exp2() * 1.2;
        let near = width.max(height) * zoom.exp2() * 0.8;
        let origin = (f64::midpoint(west, east), f64::midpoint(north, south));
        Self {
            origin,
            zoom,
            zooms,
            clip: Rect::new((-half, -half), (half, half)),
            near: Rect::new((-near, -near), (near, near)),
            region: Some((width, height)),
        }
    }

    /// The class of a place shown from the zoom `from` on: none for one
    /// shown at every zoom the rules cater for.
    fn shown_from(&self, from: f64) -> String {
        let least = self.zooms.first().map_or(self.zoom, |(zoom, _)| *zoom);
        if from > least {
            format!(" fm-from{from}")
        } else {
            String::new()
        }
    }

    /// The greatest zoom the page's style may choose.
    fn most_zoom(&self) -> f64 {
        self.zooms.last().map_or(self.zoom, |(zoom, _)| *zoom)
    }

    /// What a map fitted to the region surely shows at `zoom`, px from its
    /// centre at that zoom: the region (the map is at least its size, and
    /// centred on it).
    fn surely_shown(&self, zoom: f64) -> Option<Area> {
        let (width, height) = self.region?;
        let (half_w, half_h) = (width * zoom.exp2() / 2.0, height * zoom.exp2() / 2.0);
        Some(Area {
            left: -half_w,
            top: -half_h,
            right: half_w,
            bottom: half_h,
        })
    }

    /// Px from the centre at the reference zoom.
    fn px(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = mercator(lon, lat);
        self.px_of(x, y)
    }

    /// Px from the centre at the reference zoom of a point in Mercator units.
    fn px_of(&self, x: f64, y: f64) -> (f64, f64) {
        let scale = TILE * self.zoom.exp2();
        ((x - self.origin.0) * scale, (y - self.origin.1) * scale)
    }

    /// Pixels per metre at a latitude, at the reference zoom.
    fn px_per_metre(&self, lat: f64) -> f64 {
        TILE * self.zoom.exp2() / 40_075_016.686 / lat.to_radians().cos()
    }

    /// The geometry in px, simplified and cut to what may be seen.
    fn project(&self, geometry: &Geometry<f64>) -> Option<Geometry<f64>> {
        let projected = simplified(geometry.map_coords(|Coord { x, y }| {
            let (x, y) = self.px(x, y);
            Coord { x, y }
        }));
        cut(&projected, projected.bounding_rect(), self.clip).map(Cow::into_owned)
    }

    /// What may be seen of a basemap shape, in px of the world at the
    /// reference zoom (less [`Frame::offset`] for px from the centre).
    fn cut<'a>(&self, shape: &'a Shape) -> Option<Cow<'a, Geometry<f64>>> {
        let drawn = shape.at_zoom(self.zoom)?;
        let (dx, dy) = self.offset();
        let clip = Rect::new(
            (self.clip.min().x + dx, self.clip.min().y + dy),
            (self.clip.max().x + dx, self.clip.max().y + dy),
        );
        cut(&drawn.geometry, drawn.bounds, clip)
    }
}

/// Mercator units in px of the world at `zoom`.
fn world_px((x, y): (f64, f64), zoom: f64) -> (f64, f64) {
    let scale = TILE * zoom.exp2();
    (x * scale, y * scale)
}

/// Geometry in px simplified as it is drawn ([`TOLERANCE`]).
fn simplified(geometry: Geometry<f64>) -> Geometry<f64> {
    match geometry {
        Geometry::Polygon(polygon) => polygon.simplify(TOLERANCE).into(),
        Geometry::MultiPolygon(polygons) => polygons.simplify(TOLERANCE).into(),
        Geometry::LineString(line) => line.simplify(TOLERANCE).into(),
        Geometry::MultiLineString(lines) => lines.simplify(TOLERANCE).into(),
        other => other,
    }
}

/// The part of `geometry` (whose bounds are `bounds`) within `clip`: all of
/// it or nothing without cutting when it is wholly in or out.
fn cut(
    geometry: &Geometry<f64>,
    bounds: Option<Rect<f64>>,
    clip: Rect<f64>,
) -> Option<Cow<'_, Geometry<f64>>> {
    let bounds = bounds?;
    if clip.contains(&bounds) {
        return Some(Cow::Borrowed(geometry));
    }
    if !clip.intersects(&bounds) {
        return None;
    }
    Some(Cow::Owned(clipped(geometry, clip)))
}

/// The part of `geometry` within `clip`, cut by `geo`'s boolean operations,
/// which also join lines that meet and drop points on a straight line.
fn clipped(geometry: &Geometry<f64>, clip: Rect<f64>) -> Geometry<f64> {
    let clip = clip.to_polygon();
    match geometry {
        Geometry::Polygon(polygon) => clip.intersection(polygon).into(),
        Geometry::MultiPolygon(polygons) => clip.intersection(polygons).into(),
        Geometry::LineString(line) => clip
            .clip(&MultiLineString::new(vec![line.clone()]), false)
            .into(),
        Geometry::MultiLineString(lines) => clip.clip(lines, false).into(),
        other => other.clone(),
    }
}

/// SVG path data for projected geometry less `offset`, in whole px, each
/// point relative to the one before (the shortest way to write it).
fn path_data(geometry: &Geometry<f64>, (dx, dy): (f64, f64), out: &mut String) {
    // `itoa` rather than `write!`: a drawing writes thousands of numbers,
    // and `fmt` took 8% of the CPU of new page states (5% more pages/s).
    let mut number = itoa::Buffer::new();
    let mut point = |out: &mut String, command: char, (x, y): (i64, i64)| {
        out.push(command);
        out.push_str(number.format(x));
        out.push(' ');
        out.push_str(number.format(y));
    };
    let mut ring = |line: &LineString<f64>, close: bool| {
        let mut last: Option<(i64, i64)> = None;
        let mut points = 0;
        // A closed ring's last point is its first: `z` draws the way back.
        let count = line.0.len() - usize::from(close && line.is_closed() && line.0.len() > 1);
        for coord in line.coords().take(count) {
            #[expect(clippy::cast_possible_truncation, reason = "px within the clip box")]
            let at = ((coord.x - dx).round() as i64, (coord.y - dy).round() as i64);
            match last {
                None => point(out, 'M', at),
                Some(last) if last == at => continue,
                Some(last) => point(out, 'l', (at.0 - last.0, at.1 - last.1)),
            }
            points += 1;
            last = Some(at);
        }
        if close && points > 2 {
            out.push('z');
        }
    };
    match geometry {
        Geometry::LineString(line) => ring(line, false),
        Geometry::MultiLineString(lines) => lines.iter().for_each(|line| ring(line, false)),
        Geometry::Polygon(polygon) => {
            ring(polygon.exterior(), true);
            polygon.interiors().iter().for_each(|hole| ring(hole, true));
        }
        Geometry::MultiPolygon(polygons) => {
            for polygon in polygons {
                ring(polygon.exterior(), true);
                polygon.interiors().iter().for_each(|hole| ring(hole, true));
            }
        }
        _ => {}
    }
}

/// The lines of a line geometry; none of any other.
fn lines_of(geometry: &Geometry<f64>) -> Vec<&LineString<f64>> {
    match geometry {
        Geometry::LineString(line) => vec![line],
        Geometry::MultiLineString(lines) => lines.iter().collect(),
        _ => Vec::new(),
    }
}

/// A path's style as SVG attributes.
fn attributes(style: &PathStyle<'_>) -> String {
    let mut out = String::new();
    if style.weight > 0.0 {
        let _ = write!(
            out,
            r#" stroke="{}" stroke-width="{}""#,
            xml(style.color),
            style.weight
        );
        if style.opacity < 1.0 {
            let _ = write!(out, r#" stroke-opacity="{}""#, style.opacity);
        }
        if let Some(dash) = style.dash {
            let _ = write!(out, r#" stroke-dasharray="{dash}""#);
        }
    } else {
        out.push_str(r#" stroke="none""#);
    }
    match style.fill {
        Some((color, opacity)) => {
            let _ = write!(out, r#" fill="{}""#, xml(color));
            if opacity < 1.0 {
                let _ = write!(out, r#" fill-opacity="{opacity}""#);
            }
        }
        None => out.push_str(r#" fill="none""#),
    }
    out
}

/// Escapes text for HTML and SVG: story data is untrusted.
fn xml(text: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_safe(text)
}

/// A symbol or name placed at a point: moved there by the scale (`--x`,
/// `--y`: px at the reference zoom), not scaled.
fn at(x: f64, y: f64) -> String {
    format!("--x:{x:.0};--y:{y:.0}")
}

/// An element of Leaflet's marker pane, up to its stacking order
/// (`z-index`) and after it.
struct Marker {
    y: f64,
    open: String,
    close: String,
}

/// A name on the map, with the box it is estimated to take right of its
/// point, px from the point.
struct Name {
    x: f64,
    y: f64,
    html: String,
    /// The box's width and height.
    size: (f64, f64),
    /// The class of the live map's marker (`basemap-label basemap-place`, …).
    class: &'static str,
    /// The least zoom it is shown at.
    from: f64,
    /// A story place's name (moves round its point) or a basemap name
    /// (left out where it collides).
    story: bool,
    /// The country whose name it is at one of its places (the first with
    /// room stands).
    one_of: Option<String>,
}

impl Name {
    /// A name in the language `lang`, with its Arabic beneath it.
    fn new(
        (x, y): (f64, f64),
        (name, lang): (&str, &str),
        arabic: Option<&str>,
        class: &'static str,
        font: f64,
    ) -> Self {
        #[expect(clippy::cast_precision_loss, reason = "names are short")]
        let letters = |text: &str| text.chars().count() as f64;
        // (The style sheet runs each name the way its first letter does.)
        let mut html = match lang {
            BASEMAP_LANGUAGE => format!("<span>{}", xml(name)),
            lang => format!(r#"<span lang="{}">{}"#, xml(lang), xml(name)),
        };
        let mut width = letters(name) * font * LETTER;
        let mut height = font * LINE;
        if let Some(arabic) = arabic {
            let _ = write!(
                html,
                r#"<span class="label-ar" lang="ar" dir="rtl">{}</span>"#,
                xml(arabic)
            );
            width = width.max(letters(arabic) * BASEMAP_FONT * LETTER);
            height += BASEMAP_FONT * LINE;
        }
        html.push_str("</span>");
        Self {
            x,
            y,
            html,
            size: (width, height),
            class,
            from: MIN_OPENING_ZOOM,
            story: false,
            one_of: None,
        }
    }

    /// Where its text starts, px right of its point: a river's name is
    /// centred on it.
    fn offset(&self) -> f64 {
        if self.class.contains("river") || self.class == countries::CLASS {
            -self.size.0 / 2.0
        } else {
            10.0
        }
    }

    /// Where its text is at a scale, right of its point (as the style
    /// sheet sets it: `offset` px right, centred on the point), with the
    /// margin `declutter` keeps.
    fn area(&self, k: f64, offset: f64) -> Area {
        let (x, y) = (self.x * k, self.y * k);
        let (width, height) = self.size;
        Area {
            left: x + offset - MARGIN,
            top: y - height / 2.0 - MARGIN,
            right: x + offset + width + MARGIN,
            bottom: y + height / 2.0 + MARGIN,
        }
    }
}

/// The server's map of `story` as the page shows it (`shown`), over the
/// basemap of `geography`: an element for inside the map's frame, with its
/// own style rules (the zooms of each map size).
pub fn draw(geography: &Geography, story: &LoadedStory, shown: &Shown<'_>) -> String {
    let mut drawing = Drawing {
        frame: Frame::new(&story.story.view(), shown.opening),
        shapes: String::with_capacity(32 * 1024),
        points: String::new(),
        names: Vec::new(),
        froms: Vec::new(),
        marks: Vec::new(),
        strikes: Vec::new(),
        words: story
            .story
            .manifest
            .words_language(shown.lang.tag())
            .to_owned(),
        data: story.story.manifest.data_language().to_owned(),
    };
    // The basemap, bottom to top.
    for part in PARTS {
        draw_part(&mut drawing, part, geography);
    }
    drawing.places(geography);
    drawing.countries(geography, shown.lang);
    // The story's layers, as shown.
    let published = &story.story.manifest.published;
    for layer in &story.story.layers {
        if layer.by_viewport() || !(shown.layer)(&layer.id) {
            continue;
        }
        for feature in &layer.features {
            let date = feature.date.as_ref().map(|(date, _)| date.as_str());
            if TimeFilter::shows(shown.time.as_ref(), date) {
                drawing.feature(
                    feature,
                    layer.style.symbol,
                    &layer.style.color,
                    shown.selected == Some(feature.id.as_str()),
                    crate::date::after_publication(published, date),
                );
            }
        }
    }
    drawing.finish()
}

/// The server's map as it is drawn.
struct Drawing {
    frame: Frame,
    /// Scaled: the basemap's and the story's lines and areas, uncertainty halos.
    shapes: String,
    /// Moved to their points: places' dots, story places.
    points: String,
    /// Names on the map, and the zooms places' names show from.
    names: Vec<Name>,
    froms: Vec<f64>,
    /// Leaflet's marker pane: marks along lines, and strikes.
    marks: Vec<Marker>,
    /// Where the strikes are, in the order of their elements' ids.
    strikes: Vec<(f64, f64)>,
    /// The language the story's feature titles are shown in where the
    /// story gives them in it ([`crate::story::manifest::Manifest::words_language`]),
    /// and the one they are in where it does not.
    words: String,
    data: String,
}

impl Drawing {
    /// Places: a dot, and the name beside it, from the zoom their size is
    /// shown at.
    fn places(&mut self, geography: &Geography) {
        let mut dots = String::new();
        let most = self.frame.most_zoom();
        for place in &geography.places {
            let from = shown_from(place.population).max(MIN_OPENING_ZOOM);
            let (x, y) = self.frame.px_of(place.at.0, place.at.1);
            if from > most || !self.frame.near.contains(&Coord { x, y }) {
                continue;
            }
            let _ = write!(
                dots,
                r#"<circle class="fm-at{}" style="{}" r="{}"/>"#,
                self.frame.shown_from(from),
                at(x, y),
                DOT.radius.unwrap_or(2.5),
            );
            if !self.froms.contains(&from) {
                self.froms.push(from);
            }
            let mut name = Name::new(
                (x, y),
                (&place.name, BASEMAP_LANGUAGE),
                place.name_ar.as_deref(),
                "basemap-label basemap-place",
                BASEMAP_FONT,
            );
            name.from = from;
            self.names.push(name);
        }
        if !dots.is_empty() {
            let _ = write!(
                self.points,
                r#"<g class="{DOT_CLASS}"{}>{dots}</g>"#,
                attributes(&DOT)
            );
        }
    }

    /// Countries' names in the language `lang`, from the zoom each is
    /// named at, centred on their label points.
    fn countries(&mut self, geography: &Geography, lang: Lang) {
        let most = self.frame.most_zoom();
        for country in &geography.countries {
            let from = country.from.max(MIN_OPENING_ZOOM);
            if from > most {
                continue;
            }
            let names = countries::Names {
                en: &country.en,
                ar: country.ar.as_deref(),
                da: country.da.as_deref(),
            };
            let (text, tag) = names.read_in(lang);
            for &(x, y) in &country.at {
                let (x, y) = self.frame.px_of(x, y);
                if !self.frame.clip.contains(&Coord { x, y }) {
                    continue;
                }
                if !self.froms.contains(&from) {
                    self.froms.push(from);
                }
                let mut name = Name::new((x, y), (text, tag), None, countries::CLASS, COUNTRY_FONT);
                // Spaced capitals are wider than the average letter;
                // Arabic is set as it is.
                if tag != "ar" {
                    #[expect(clippy::cast_precision_loss, reason = "names are short")]
                    let letters = text.chars().count() as f64;
                    name.size.0 = letters * COUNTRY_FONT * CAPITAL;
                }
                name.from = from;
                name.one_of = Some(country.en.clone());
                self.names.push(name);
            }
        }
    }

    /// A story feature drawn as a layer of `symbol` in `color` draws it.
    fn feature(
        &mut self,
        feature: &Feature,
        symbol: Symbol,
        color: &str,
        selected: bool,
        later: bool,
    ) {
        let estimate = feature.uncertainty_m.is_some();
        let style = style::path_style(symbol, color, selected, estimate);
        let later_class = if later { " later" } else { "" };
        match (&feature.geometry, symbol) {
            (Geometry::Point(point), Symbol::Strike | Symbol::Place) => {
                let (x, y) = self.frame.px(point.x(), point.y());
                if let Some(metres) = feature.uncertainty_m {
                    // As Leaflet draws a circle: two arcs from its western
                    // point (where its dashes start).
                    let r = metres * self.frame.px_per_metre(point.y());
                    let _ = write!(
                        self.shapes,
                        r#"<path class="fm-halo{later_class}" d="M{:.1} {y:.1}a{r:.1} {r:.1} 0 1 0 {:.1} 0a{r:.1} {r:.1} 0 1 0 {:.1} 0"{}/>"#,
                        x - r,
                        2.0 * r,
                        -2.0 * r,
                        attributes(&style::halo_style(color))
                    );
                }
                if symbol == Symbol::Strike {
                    // As Leaflet's marker: the symbol in a 44 px target,
                    // centred on its point.
                    self.marks.push(Marker {
                        y,
                        open: format!(
                            r#"<div id="fm-s{}" class="leaflet-marker-icon strike-icon{}{later_class}" style="{};width:44px;height:44px;margin:-22px 0 0 -22px;z-index:"#,
                            self.strikes.len(),
                            if selected { " selected" } else { "" },
                            at(x, y),
                        ),
                        close: format!(r#"">{}</div>"#, style::strike_icon_html(&xml(color))),
                    });
                    self.strikes.push((x, y));
                } else {
                    let _ = write!(
                        self.points,
                        r#"<circle class="fm-at story-dot{later_class}" style="{}" r="{}"{}/>"#,
                        at(x, y),
                        style.radius.unwrap_or(6.0),
                        attributes(&PathStyle {
                            radius: None,
                            ..style
                        })
                    );
                    let title = match pick(&feature.translated, &self.words, &self.data) {
                        (Some(words), _) => (&words.title, &self.words),
                        (None, _) => (&feature.title, &self.data),
                    };
                    let mut name =
                        Name::new((x, y), (title.0, title.1), None, "place-label", STORY_FONT);
                    name.story = true;
                    self.names.push(name);
                }
            }
            (geometry, _) => {
                for line in lines_of(geometry) {
                    self.line_marks(line, symbol, color);
                }
                let mut d = String::new();
                if let Some(seen) = self.frame.project(geometry) {
                    path_data(&seen, (0.0, 0.0), &mut d);
                }
                if !d.is_empty() {
                    let _ = write!(
                        self.shapes,
                        r#"<path class="fm-line{later_class}" d="{d}"{}/>"#,
                        attributes(&style)
                    );
                }
            }
        }
    }

    /// The marks along a line (see `lines`), where Leaflet puts them.
    fn line_marks(&mut self, line: &LineString<f64>, symbol: Symbol, color: &str) {
        let projected: Vec<(f64, f64)> = line
            .coords()
            .map(|c| {
                let (x, y) = mercator(c.x, c.y);
                (x * TILE, y * TILE)
            })
            .collect();
        for mark in lines::marks_along(&projected, symbol) {
            let (x, y) = self.frame.px_of(mark.at.0 / TILE, mark.at.1 / TILE);
            let half = lines::MARK_SIZE / 2.0;
            self.marks.push(Marker {
                y,
                open: format!(
                    r#"<div class="leaflet-marker-icon {}" style="{};width:{}px;height:{}px;margin:-{half}px 0 0 -{half}px;z-index:"#,
                    mark.class(),
                    at(x, y),
                    lines::MARK_SIZE,
                    lines::MARK_SIZE,
                ),
                close: format!(r#"">{}</div>"#, mark.html(&xml(color))),
            });
        }
    }

    /// The element, with its rules.
    fn finish(mut self) -> String {
        let arrangements = arrange(&self.frame, &self.strikes, &self.names);
        let names = &self.names;
        // A name left out at every zoom is not sent.
        let mut count = 0;
        let number: Vec<Option<usize>> = (0..names.len())
            .map(|i| {
                let shown = arrangements
                    .iter()
                    .any(|a| names[i].from <= a.zoom && !a.hidden.contains(&i));
                shown.then(|| {
                    count += 1;
                    count - 1
                })
            })
            .collect();
        let rules = rules(&arrangements, &self.froms, &number);
        // Leaflet stacks markers by their height on the map, the lowest on top.
        self.marks.sort_by(|a, b| a.y.total_cmp(&b.y));
        let mut labels = String::new();
        for (order, marker) in self.marks.iter().enumerate() {
            let _ = write!(labels, "{}{}{}", marker.open, order + 1, marker.close);
        }
        for (name, n) in names.iter().zip(&number) {
            let Some(n) = n else { continue };
            let _ = write!(
                labels,
                r#"<div id="fm-n{n}" class="leaflet-marker-icon {}{}" style="{}">{}</div>"#,
                name.class,
                if name.story {
                    String::new()
                } else {
                    self.frame.shown_from(name.from)
                },
                at(name.x, name.y),
                name.html
            );
        }
        format!(
            r#"<div class="first-map" lang="{BASEMAP_LANGUAGE}" aria-hidden="true"><style>{rules}</style><svg class="fm-shapes" width="1" height="1"><g class="fm-scaled" stroke-linecap="round" stroke-linejoin="round" fill-rule="evenodd">{}</g>{}</svg>{labels}</div>"#,
            self.shapes, self.points
        )
    }
}

/// A basemap file's shapes as one path, and the names of its named lines.
fn draw_part(drawing: &mut Drawing, part: &Part, geography: &Geography) {
    let mut d = String::new();
    let (dx, dy) = drawing.frame.offset();
    for shape in geography.part(part.file) {
        let Some(seen) = drawing.frame.cut(shape) else {
            continue;
        };
        path_data(&seen, drawing.frame.offset(), &mut d);
        if part.named
            && let Some(name) = &shape.name
            && let Some((x, y)) = halfway(&seen)
        {
            drawing.names.push(Name::new(
                (x - dx, y - dy),
                (name, BASEMAP_LANGUAGE),
                shape.name_ar.as_deref(),
                "basemap-label river-label",
                BASEMAP_FONT,
            ));
        }
    }
    if !d.is_empty() {
        let _ = write!(
            drawing.shapes,
            r#"<path class="{}" d="{d}"{}/>"#,
            part.class(),
            attributes(&part.style())
        );
    }
}

/// The point halfway along a line (its first part), as Leaflet places a
/// line's label.
fn halfway(geometry: &Geometry<f64>) -> Option<(f64, f64)> {
    use geo::{Euclidean, InterpolateLine as _};
    let line = match geometry {
        Geometry::LineString(line) => line,
        Geometry::MultiLineString(lines) => lines.0.first()?,
        _ => return None,
    };
    let point = Euclidean.point_at_ratio_from_start(line, 0.5)?;
    Some((point.x(), point.y()))
}

/// What a zoom the map's size may get shows: its scale, how far each
/// strike moves aside, the side of each story name that stands elsewhere
/// than right of its point, and the names left out.
struct Arrangement {
    zoom: f64,
    least: Option<(f64, f64)>,
    k: f64,
    shifts: Vec<spread::Shift>,
    sides: Vec<(usize, &'static str)>,
    hidden: Vec<usize>,
}

/// How the server's map stands at each zoom the map's size may get: strikes
/// fanned out as `spread` does, story names round their points, then
/// rivers' and places' names where there is room, biggest first.
fn arrange(frame: &Frame, strikes: &[(f64, f64)], names: &[Name]) -> Vec<Arrangement> {
    frame
        .zooms
        .iter()
        .map(|&(zoom, least)| {
            let k = (zoom - frame.zoom).exp2();
            let at: Vec<(f64, f64)> = strikes.iter().map(|(x, y)| (x * k, y * k)).collect();
            let story: Vec<usize> = (0..names.len()).filter(|&i| names[i].story).collect();
            let places: Vec<(f64, f64)> = story
                .iter()
                .map(|&i| (names[i].x * k, names[i].y * k))
                .collect();
            let shifts = spread::shifts(&at, &places);
            let taken = shifts
                .iter()
                .zip(&at)
                .map(|((dx, dy), (x, y))| Area::around((x + dx, y + dy), spread::HALF_SYMBOL))
                .collect();
            // A country's name where the map may not reach is left to the
            // live map, which knows the map's size: the map surely shows
            // the region, the rest depends on the screen.
            let shown = frame.surely_shown(zoom);
            let (basemap, unsure): (Vec<usize>, Vec<usize>) = (0..names.len())
                .filter(|&i| !names[i].story && names[i].from <= zoom)
                .partition(|&i| {
                    names[i].one_of.is_none()
                        || shown
                            .is_none_or(|shown| names[i].area(k, names[i].offset()).within(&shown))
                });
            let (sides, kept) = declutter::decide(
                &story
                    .iter()
                    .map(|&i| ((names[i].x * k, names[i].y * k), names[i].area(k, 14.0)))
                    .collect::<Vec<_>>(),
                &basemap
                    .iter()
                    .map(|&i| {
                        (
                            names[i].area(k, names[i].offset()),
                            names[i].one_of.as_deref(),
                        )
                    })
                    .collect::<Vec<_>>(),
                taken,
                None,
            );
            // Places too small for the zoom are hidden by their class.
            let mut hidden: Vec<usize> = basemap
                .iter()
                .zip(&kept)
                .filter(|(_, kept)| !**kept)
                .map(|(i, _)| *i)
                .chain(unsure)
                .collect();
            let mut moved = Vec::new();
            for (&i, side) in story.iter().zip(&sides) {
                match side.map(declutter::Side::class) {
                    None => hidden.push(i),
                    Some("") => {}
                    Some(class) => moved.push((i, class)),
                }
            }
            Arrangement {
                zoom,
                least,
                k,
                shifts,
                sides: moved,
                hidden,
            }
        })
        .collect()
}

/// The style rules of the arrangements, for the names numbered `number`
/// (`None`: a name never shown, not on the page).
fn rules(arrangements: &[Arrangement], froms: &[f64], number: &[Option<usize>]) -> String {
    let mut rules = String::new();
    let size = |(width, height): (f64, f64)| {
        format!("(min-width:{width:.2}px) and (min-height:{height:.2}px)")
    };
    for (index, arrangement) in arrangements.iter().enumerate() {
        let mut block = format!(".first-map{{--k:{}}}", arrangement.k);
        // Places too small for this zoom, dot and name.
        let small: Vec<String> = froms
            .iter()
            .filter(|from| **from > arrangement.zoom)
            .map(|from| format!(".fm-from{from}"))
            .collect();
        if !small.is_empty() {
            let _ = write!(block, "{}{{visibility:hidden}}", small.join(","));
        }
        for (index, (dx, dy)) in arrangement.shifts.iter().enumerate() {
            if (*dx, *dy) != (0.0, 0.0) {
                let _ = write!(block, "#fm-s{index}{{--dx:{dx}px;--dy:{dy}px}}");
            }
        }
        for (i, class) in &arrangement.sides {
            if let Some(n) = number[*i] {
                let _ = write!(block, "#fm-n{n}>span{{{}}}", side_rule(class));
            }
        }
        let hidden: Vec<String> = arrangement
            .hidden
            .iter()
            .filter_map(|i| number[*i])
            .map(|n| format!("#fm-n{n}"))
            .collect();
        if !hidden.is_empty() {
            let _ = write!(block, "{}{{visibility:hidden}}", hidden.join(","));
        }
        // Each zoom's rules hold for its sizes alone (from its least size
        // to the next zoom's), so no zoom's rules are left standing under
        // another's.
        let from = arrangement.least.map(size);
        let below = arrangements
            .get(index + 1)
            .and_then(|next| next.least)
            .map(|next| format!("(not ({}))", size(next)));
        match (from, below) {
            (None, None) => rules.push_str(&block),
            (Some(from), Some(below)) => {
                let _ = write!(rules, "@container map {from} and {below}{{{block}}}");
            }
            (Some(only), None) | (None, Some(only)) => {
                let _ = write!(rules, "@container map {only}{{{block}}}");
            }
        }
    }
    rules
}

/// The style sheet's rule for a story name on another side of its point
/// (`.place-label.label-left > span`, …), for the server's names.
fn side_rule(class: &str) -> &'static str {
    match class {
        "label-left" => "transform:translate(calc(-100% - 14px),-50%);text-align:right",
        "label-above" => "transform:translate(-50%,calc(-100% - 12px));text-align:center",
        _ => "transform:translate(-50%,12px);text-align:center",
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn root() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
    }

    /// The seed story.
    fn seed() -> LoadedStory {
        let dir = root().join("data/stories/arsal-convoy-2017");
        let story = crate::story::Story::load("seed", "seed", &mut |name| {
            std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string())
        })
        .expect("the seed story loads");
        LoadedStory::new(story)
    }

    fn geography() -> Geography {
        let dir = root().join("public/basemap");
        Geography::from_files(|name| std::fs::read_to_string(dir.join(name)).ok()?.parse().ok())
    }

    fn everything(_: &str) -> bool {
        true
    }

    fn shown(layer: &dyn Fn(&str) -> bool) -> Shown<'_> {
        Shown {
            opening: None,
            layer,
            time: None,
            selected: None,
            lang: Lang::En,
        }
    }

    #[test]
    fn each_map_size_gets_the_zoom_leaflet_fits_the_region_at() {
        let view = View {
            west: 35.9,
            south: 33.6,
            east: 41.3,
            north: 35.2,
        };
        let frame = Frame::new(&view, None);
        let (west, north) = mercator(view.west, view.north);
        let (east, south) = mercator(view.east, view.south);
        // As Leaflet's `getBoundsZoom` reckons, at whole zooms.
        let leaflet = |w: f64, h: f64| {
            ((w / (TILE * (east - west))).min(h / (TILE * (south - north))))
                .log2()
                .floor()
        };
        // The last rule whose least size the map has.
        let chosen = |w: f64, h: f64| {
            frame
                .zooms
                .iter()
                .rev()
                .find(|(_, least)| least.is_none_or(|(lw, lh)| w >= lw && h >= lh))
                .map(|(zoom, _)| *zoom)
        };
        for (w, h) in [
            (390.0, 380.0),
            (704.0, 439.0),
            (1100.0, 900.0),
            (300.0, 260.0),
            (1500.0, 400.0),
        ] {
            assert_eq!(chosen(w, h), Some(leaflet(w, h)), "{w}×{h}");
        }
        // Centred on the region's middle, in Mercator.
        let (x, y) = frame.px(f64::midpoint(view.west, view.east), 34.4);
        assert!(x.abs() < 0.01, "{x}");
        assert!(y.abs() < 5.0, "{y}");
    }

    #[test]
    fn an_address_with_a_view_opens_there_at_its_zoom() {
        let view = View {
            west: 35.9,
            south: 33.6,
            east: 41.3,
            north: 35.2,
        };
        let opening = MapView {
            zoom: 9.4,
            lat: 34.0,
            lon: 36.5,
        };
        let frame = Frame::new(&view, Some(opening));
        assert_eq!(
            frame.zooms,
            vec![(9.0, None)],
            "one zoom, snapped as Leaflet snaps it"
        );
        assert_eq!(frame.px(36.5, 34.0), (0.0, 0.0));
    }

    #[test]
    fn lines_are_written_in_whole_pixels_each_from_the_last() {
        let square: Geometry<f64> = geo::Polygon::new(
            LineString::from(vec![(0.2, 0.0), (10.0, 0.0), (10.0, 10.4), (0.0, 10.0)]),
            vec![],
        )
        .into();
        let mut d = String::new();
        path_data(&square, (0.0, 0.0), &mut d);
        assert_eq!(d, "M0 0l10 0l0 10l-10 0z");
        // Less an offset, as basemap shapes are drawn from their zoom's.
        d.clear();
        path_data(&square, (-100.0, 0.3), &mut d);
        assert_eq!(d, "M100 0l10 0l0 10l-10 0z");
    }

    #[test]
    fn countries_are_named_in_the_readers_language() {
        let geography = geography();
        let story = seed();
        let named = |lang| {
            draw(
                &geography,
                &story,
                &Shown {
                    lang,
                    ..shown(&everything)
                },
            )
        };
        let danish = named(Lang::Da);
        assert!(
            danish.contains(r#"<span lang="da">Syrien</span>"#),
            "Syria in Danish"
        );
        // A country named only beyond what every map of the region shows
        // is left to the live map, which knows the map's size.
        assert!(!danish.contains("Libanon") && !danish.contains("Irak"));
        assert!(named(Lang::Ar).contains(r#"<span lang="ar">سوريا</span>"#));
        // English is the drawing's own language.
        let english = named(Lang::En);
        assert!(english.contains("<span>Syria</span>"));
        // Far-off countries, whose label points are off every map size, are not sent.
        assert!(!english.contains("Hungary"));
        // As the live map's names, for the style sheet to set.
        assert!(english.contains(&format!("leaflet-marker-icon {}", countries::CLASS)));
    }

    #[test]
    fn the_drawing_shows_what_the_address_shows() {
        let geography = geography();
        let story = seed();
        let all = draw(&geography, &story, &shown(&everything));
        // The basemap and the story: six basemap paths, both strikes, Arsal.
        assert!(
            all.contains(r##"stroke="#6b6358" stroke-width="1.5""##),
            "the borders"
        );
        assert_eq!(all.matches("strike-icon").count(), 2);
        assert!(all.contains(">Arsal<"));
        // A hidden layer is not drawn.
        let no_places = |layer: &str| layer != "places";
        let hidden = draw(&geography, &story, &shown(&no_places));
        assert!(!hidden.contains(">Arsal<"));
        // Before the strikes, they are not drawn.
        let before = draw(
            &geography,
            &story,
            &Shown {
                time: TimeFilter::from_params(Some("2017-08-20"), None),
                ..shown(&everything)
            },
        );
        assert_eq!(before.matches("strike-icon").count(), 0);
        // The selected strike is drawn as selected.
        let selected = draw(
            &geography,
            &story,
            &Shown {
                selected: Some("blocked-bridge"),
                ..shown(&everything)
            },
        );
        assert_eq!(selected.matches("strike-icon selected").count(), 1);
    }

    #[test]
    fn story_text_is_escaped() {
        let mut story = seed();
        for feature in story
            .story
            .layers
            .iter_mut()
            .flat_map(|layer| &mut layer.features)
        {
            if feature.id == "arsal" {
                "<script>alert(1)</script>".clone_into(&mut feature.title);
            }
        }
        let drawn = draw(&geography(), &story, &shown(&everything));
        assert!(!drawn.contains("<script>"));
        assert!(drawn.contains("&lt;script&gt;"));
    }
}
