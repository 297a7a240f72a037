//! Large layers, served by viewport and zoom.
//!
//! A layer of [`crate::model::VIEWPORT_LAYER_MIN`] features or more is never
//! sent whole to a reader's map. The map asks for the part in view
//! (`?bbox=west,south,east,north&zoom=z`) and gets:
//!
//! - the features whose bounding boxes meet the box (and that happened by
//!   the reader's time, if one is given);
//! - below [`FULL_DETAIL_ZOOM`], lines and areas simplified
//!   (Ramer–Douglas–Peucker, `geo`) to about a pixel at that zoom; the
//!   simplification keeps every feature and the ends of every line;
//! - below [`CLUSTER_MAX_ZOOM`], points gathered into clusters: every point
//!   in one cell of a [`CELL_PX`]-pixel grid (Web Mercator, at that zoom)
//!   becomes one `cluster` feature with its `count` and the `bbox` of its
//!   members; a point alone in its cell stays itself. The counts add up to
//!   the points in view.
//!
//! Features carry only what the map draws (title, date, uncertainty); the
//! page model and the feature API have the rest.

use geo::{BoundingRect, Simplify};
use geo_types::Geometry;
use serde_json::json;

use super::{Feature, Layer};
use crate::date::TimeFilter;

/// From this zoom on, geometry is sent as the story file gives it.
pub const FULL_DETAIL_ZOOM: u8 = 13;
/// From this zoom on, points are sent one by one: the closest zoom of the
/// story map (`map::MAX_ZOOM`), so every point can be reached.
pub const CLUSTER_MAX_ZOOM: u8 = 13;
/// The side of a cluster cell, in screen pixels.
pub const CELL_PX: f64 = 60.0;
/// The deepest zoom a request may name.
pub const MAX_ZOOM: u8 = 22;

/// The part of a layer a map asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// West, south, east, north, in degrees.
    pub bbox: [f64; 4],
    pub zoom: u8,
}

impl Window {
    /// Reads `bbox` and `zoom` from a query string's values. Neither: the
    /// whole layer (`Ok(None)`). One without the other, or either
    /// malformed: an error that says what was expected.
    pub fn parse(bbox: Option<&str>, zoom: Option<&str>) -> Result<Option<Self>, String> {
        let (bbox, zoom) = match (bbox, zoom) {
            (None, None) => return Ok(None),
            (Some(bbox), Some(zoom)) => (bbox, zoom),
            (Some(_), None) => {
                return Err("zoom: missing; expected a zoom level with bbox, e.g. zoom=7".into());
            }
            (None, Some(_)) => {
                return Err("bbox: missing; expected west,south,east,north with zoom, e.g. bbox=35.7,32.3,42.4,37.3".into());
            }
        };
        let numbers: Vec<f64> = bbox
            .split(',')
            .map(|part| part.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| {
                format!(
                    "bbox: {bbox:?} is not four numbers; expected west,south,east,north in degrees"
                )
            })?;
        let [west, south, east, north] = numbers[..] else {
            return Err(format!(
                "bbox: {bbox:?} has {} numbers; expected four: west,south,east,north",
                numbers.len()
            ));
        };
        let valid = numbers.iter().all(|n| n.is_finite())
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && west <= east
            && south <= north;
        if !valid {
            return Err(format!(
                "bbox: {bbox:?} is not a box on Earth; expected west ≤ east within ±180 and south ≤ north within ±90"
            ));
        }
        let zoom = zoom
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|zoom| *zoom <= MAX_ZOOM)
            .ok_or_else(|| format!("zoom: {zoom:?} is not a zoom level; expected a whole number from 0 to {MAX_ZOOM}"))?;
        Ok(Some(Self {
            bbox: [west, south, east, north],
            zoom,
        }))
    }

    /// Whether the window holds all of `bounds`.
    fn holds(&self, bounds: &[f64; 4]) -> bool {
        self.bbox[0] <= bounds[0]
            && bounds[2] <= self.bbox[2]
            && self.bbox[1] <= bounds[1]
            && bounds[3] <= self.bbox[3]
    }

    fn contains(&self, point: &Point) -> bool {
        self.meets(&[point.lon, point.lat, point.lon, point.lat])
    }

    fn meets(&self, bounds: &[f64; 4]) -> bool {
        bounds[0] <= self.bbox[2]
            && bounds[2] >= self.bbox[0]
            && bounds[1] <= self.bbox[3]
            && bounds[3] >= self.bbox[1]
    }

    /// Degrees of longitude per screen pixel at this zoom (256 px tiles).
    fn degrees_per_pixel(&self) -> f64 {
        360.0 / (256.0 * f64::from(1u32 << self.zoom.min(30)))
    }
}

/// The finest zoom points are clustered at: the index's leaves.
const LEAF_ZOOM: u8 = CLUSTER_MAX_ZOOM - 1;

/// One point of the layer.
#[derive(Debug)]
struct Point {
    /// Index in the layer's features.
    feature: u32,
    /// The first and last day of its date ([`day_number`]); an undated
    /// point spans all time.
    start: i32,
    end: i32,
    lon: f64,
    lat: f64,
}

/// A day as a number that orders as days do.
fn day_number(day: crate::date::Day) -> i32 {
    day.year * 512 + i32::from(day.month) * 32 + i32::from(day.day)
}

/// The days a reader's time takes in, as [`day_number`]s: a point is in
/// it if it starts by `to` and ends from `from` (as `TimeFilter::includes`).
#[derive(Debug, Clone, Copy)]
struct Span {
    from: i32,
    to: i32,
}

impl Span {
    fn of(time: &TimeFilter) -> Self {
        match time {
            TimeFilter::At(day) => Self {
                from: i32::MIN,
                to: day_number(*day),
            },
            TimeFilter::Range(from, to) => Self {
                from: day_number(*from),
                to: day_number(*to),
            },
        }
    }

    fn holds(self, point: &Point) -> bool {
        point.start <= self.to && point.end >= self.from
    }
}

/// What a group of points adds up to: how many, their box, and the sums of
/// their positions (a cluster is drawn at their mean).
#[derive(Debug, Clone, Copy)]
struct Sum {
    count: u32,
    bbox: [f64; 4],
    lon: f64,
    lat: f64,
    /// The point, where there is exactly one.
    only: Option<u32>,
}

impl Sum {
    const NONE: Self = Self {
        count: 0,
        bbox: [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
        lon: 0.0,
        lat: 0.0,
        only: None,
    };

    fn add(&mut self, other: &Self) {
        if other.count == 0 {
            return;
        }
        self.only = if self.count == 0 { other.only } else { None };
        self.count += other.count;
        self.bbox = [
            self.bbox[0].min(other.bbox[0]),
            self.bbox[1].min(other.bbox[1]),
            self.bbox[2].max(other.bbox[2]),
            self.bbox[3].max(other.bbox[3]),
        ];
        self.lon += other.lon;
        self.lat += other.lat;
    }

    fn of(index: u32, point: &Point) -> Self {
        Self {
            count: 1,
            bbox: [point.lon, point.lat, point.lon, point.lat],
            lon: point.lon,
            lat: point.lat,
            only: Some(index),
        }
    }
}

/// A cell of the grid at one zoom that holds points.
#[derive(Debug)]
struct Cell {
    /// Its points: a range of [`LayerIndex::points`], which are in the
    /// cells' Z-order, so every cell's points are side by side.
    points: std::ops::Range<u32>,
    /// Its four quarters at the next zoom: a range of that zoom's cells
    /// (none at [`LEAF_ZOOM`]).
    children: std::ops::Range<u32>,
    sum: Sum,
}

/// A large layer's features, ready to be cut by viewport: the points in a
/// quadtree of the cluster grid, built once at load, so a request at any
/// zoom reads the cells in view and not every point. A cell whose points
/// all lie in the window is answered from its sums; only cells on the
/// window's edge (or every cell, when the map asks for a time) are opened.
/// Lines and areas are kept in a list with their boxes.
#[derive(Debug)]
pub struct LayerIndex {
    /// Every point, in Z-order of its cell at [`LEAF_ZOOM`].
    points: Vec<Point>,
    /// Per zoom from 0 to [`LEAF_ZOOM`], the cells with points, in Z-order.
    zooms: Vec<Vec<Cell>>,
    /// The features that are not points, with their boxes.
    others: Vec<(u32, [f64; 4])>,
    /// Each feature's `{"title": …, "date": …, "uncertainty_m": …}`, one
    /// after another; feature `i`'s is `properties[offsets[i]..offsets[i + 1]]`.
    properties: String,
    offsets: Vec<usize>,
}

impl LayerIndex {
    #[allow(clippy::cast_possible_truncation)]
    pub fn new(layer: &Layer) -> Self {
        let mut properties = String::new();
        let mut offsets = Vec::with_capacity(layer.features.len() + 1);
        let (mut points, mut others) = (Vec::new(), Vec::new());
        for (index, feature) in layer.features.iter().enumerate() {
            offsets.push(properties.len());
            properties.push_str(
                &serde_json::to_string(&super::view::map_properties(feature))
                    .unwrap_or_else(|_| "{}".into()),
            );
            // A layer holds fewer features than a u32 counts: its file is
            // text of at most a few GB.
            let index = index as u32;
            match &feature.geometry {
                Geometry::Point(point) => points.push(Point {
                    feature: index,
                    start: feature
                        .date
                        .as_ref()
                        .map_or(i32::MIN, |(_, date)| day_number(date.start)),
                    end: feature
                        .date
                        .as_ref()
                        .map_or(i32::MAX, |(_, date)| day_number(date.end)),
                    lon: point.x(),
                    lat: point.y(),
                }),
                other => others.push((
                    index,
                    other.bounding_rect().map_or([0.0; 4], |rect| {
                        [rect.min().x, rect.min().y, rect.max().x, rect.max().y]
                    }),
                )),
            }
        }
        offsets.push(properties.len());
        properties.shrink_to_fit();
        // Z-order: each cell's points side by side at every zoom.
        let mut keyed: Vec<(u32, Point)> = points
            .into_iter()
            .map(|point| (z_order(cell(point.lon, point.lat, LEAF_ZOOM)), point))
            .collect();
        keyed.sort_unstable_by_key(|(key, point)| (*key, point.feature));
        let (keys, points): (Vec<u32>, Vec<Point>) = keyed.into_iter().unzip();
        let mut zooms: Vec<Vec<Cell>> = Vec::with_capacity(usize::from(LEAF_ZOOM) + 1);
        // The leaves: runs of points with one key.
        let mut leaves: Vec<(u32, Cell)> = Vec::new();
        for (index, (key, point)) in keys.iter().zip(&points).enumerate() {
            let index = index as u32;
            match leaves.last_mut() {
                Some((last, cell)) if last == key => {
                    cell.points.end = index + 1;
                    cell.sum.add(&Sum::of(index, point));
                }
                _ => leaves.push((
                    *key,
                    Cell {
                        points: index..index + 1,
                        children: 0..0,
                        sum: Sum::of(index, point),
                    },
                )),
            }
        }
        let mut level = leaves;
        // Each coarser zoom: a cell is its four quarters, whose keys share
        // all but their last two bits.
        for _ in 0..LEAF_ZOOM {
            let mut parents: Vec<(u32, Cell)> = Vec::new();
            for (index, (key, child)) in level.iter().enumerate() {
                let (key, index) = (key >> 2, index as u32);
                match parents.last_mut() {
                    Some((last, cell)) if *last == key => {
                        cell.points.end = child.points.end;
                        cell.children.end = index + 1;
                        cell.sum.add(&child.sum);
                    }
                    _ => parents.push((
                        key,
                        Cell {
                            points: child.points.clone(),
                            children: index..index + 1,
                            sum: child.sum,
                        },
                    )),
                }
            }
            zooms.push(level.into_iter().map(|(_, cell)| cell).collect());
            level = parents;
        }
        zooms.push(level.into_iter().map(|(_, cell)| cell).collect());
        zooms.reverse();
        Self {
            points,
            zooms,
            others,
            properties,
            offsets,
        }
    }

    fn properties(&self, feature: u32) -> &str {
        let feature = feature as usize;
        &self.properties[self.offsets[feature]..self.offsets[feature + 1]]
    }

    /// The FeatureCollection for `window`, at `time` if given. Besides the
    /// features it says how many features are in view (`kort_in_view`).
    pub fn collection(&self, layer: &Layer, window: &Window, time: Option<&TimeFilter>) -> String {
        let span = time.map(Span::of);
        let mut out = String::with_capacity(4096);
        let mut in_view = 0;
        let mut first = true;
        let mut push = |out: &mut String, feature: &str| {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(feature);
        };
        for (index, bounds) in &self.others {
            let feature = &layer.features[*index as usize];
            if !window.meets(bounds) || !super::view::in_time(feature, time) {
                continue;
            }
            in_view += 1;
            let geometry = if window.zoom < FULL_DETAIL_ZOOM {
                simplified(&feature.geometry, window.degrees_per_pixel())
            } else {
                feature.geometry.clone()
            };
            push(
                &mut out,
                &feature_json(feature, &geometry, self.properties(*index)),
            );
        }
        // Cells in Z-order, so the same request gets the same bytes.
        let zoom = window.zoom.min(LEAF_ZOOM);
        let mut groups = Vec::new();
        for root in 0..self.zooms.first().map_or(0, Vec::len) {
            self.cells_in(0, root, zoom, window, &mut groups);
        }
        for (cell_zoom, cell) in groups {
            let cell = &self.zooms[usize::from(cell_zoom)][cell];
            if window.zoom >= CLUSTER_MAX_ZOOM {
                // Every point by itself.
                for point in &self.points[cell.points.start as usize..cell.points.end as usize] {
                    if window.contains(point) && span.is_none_or(|span| span.holds(point)) {
                        in_view += 1;
                        push(&mut out, &self.point_json(layer, point));
                    }
                }
                continue;
            }
            let sum = self.sum_in(cell_zoom, cell, window, span);
            in_view += sum.count as usize;
            match sum.only {
                Some(only) => push(
                    &mut out,
                    &self.point_json(layer, &self.points[only as usize]),
                ),
                None if sum.count > 0 => push(&mut out, &cluster_json(&sum)),
                None => {}
            }
        }
        format!(r#"{{"type":"FeatureCollection","kort_in_view":{in_view},"features":[{out}]}}"#)
    }

    /// Gathers the cells at `zoom` under `cell` (at `at`) whose points meet
    /// the window, in Z-order.
    fn cells_in(
        &self,
        at: u8,
        cell: usize,
        zoom: u8,
        window: &Window,
        found: &mut Vec<(u8, usize)>,
    ) {
        let here = &self.zooms[usize::from(at)][cell];
        if !window.meets(&here.sum.bbox) {
            return;
        }
        if at == zoom {
            found.push((at, cell));
            return;
        }
        for child in here.children.clone() {
            self.cells_in(at + 1, child as usize, zoom, window, found);
        }
    }

    /// What the points of `cell` (at `at`) in the window, and in `span`
    /// if given, add up to. A cell wholly in the window, when no time is
    /// asked, is its own sum; any other is opened.
    fn sum_in(&self, at: u8, cell: &Cell, window: &Window, span: Option<Span>) -> Sum {
        if !window.meets(&cell.sum.bbox) {
            return Sum::NONE;
        }
        if span.is_none() && window.holds(&cell.sum.bbox) {
            return cell.sum;
        }
        let mut sum = Sum::NONE;
        if at == LEAF_ZOOM {
            for index in cell.points.clone() {
                let point = &self.points[index as usize];
                if window.contains(point) && span.is_none_or(|span| span.holds(point)) {
                    sum.add(&Sum::of(index, point));
                }
            }
            return sum;
        }
        for child in cell.children.clone() {
            let child = &self.zooms[usize::from(at) + 1][child as usize];
            sum.add(&self.sum_in(at + 1, child, window, span));
        }
        sum
    }

    fn point_json(&self, layer: &Layer, point: &Point) -> String {
        let feature = &layer.features[point.feature as usize];
        feature_json(feature, &feature.geometry, self.properties(point.feature))
    }
}

/// The grid cell of a position at a zoom: Web Mercator pixels over
/// [`CELL_PX`]. The cell at zoom `z - 1` is this one's `x` and `y` halved:
/// the grid is a quadtree.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn cell(lon: f64, lat: f64, zoom: u8) -> (u32, u32) {
    let size = 256.0 * f64::from(1u32 << zoom.min(30));
    let x = (lon + 180.0) / 360.0 * size;
    let sin = lat.to_radians().sin().clamp(-0.9999, 0.9999);
    let y = (0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * std::f64::consts::PI)) * size;
    let at = |pixel: f64| (pixel.clamp(0.0, size - 1.0) / CELL_PX).floor() as u32;
    (at(x), at(y))
}

/// A cell's place in Z-order: the bits of `x` and `y` interleaved, so the
/// cells of each quarter of the grid, at every zoom, come one after another.
fn z_order((x, y): (u32, u32)) -> u32 {
    fn spread(mut v: u32) -> u32 {
        v &= 0xFFFF;
        v = (v | (v << 8)) & 0x00FF_00FF;
        v = (v | (v << 4)) & 0x0F0F_0F0F;
        v = (v | (v << 2)) & 0x3333_3333;
        (v | (v << 1)) & 0x5555_5555
    }
    spread(x) | (spread(y) << 1)
}

fn simplified(geometry: &Geometry<f64>, epsilon: f64) -> Geometry<f64> {
    match geometry {
        Geometry::LineString(line) => Geometry::LineString(line.simplify(epsilon)),
        Geometry::MultiLineString(lines) => Geometry::MultiLineString(lines.simplify(epsilon)),
        Geometry::Polygon(polygon) => Geometry::Polygon(polygon.simplify(epsilon)),
        Geometry::MultiPolygon(polygons) => Geometry::MultiPolygon(polygons.simplify(epsilon)),
        other => other.clone(),
    }
}

fn feature_json(feature: &Feature, geometry: &Geometry<f64>, properties: &str) -> String {
    let geometry = serde_json::to_string(&geojson::Geometry::new(geojson::Value::from(geometry)))
        .unwrap_or_else(|_| "null".into());
    format!(
        r#"{{"type":"Feature","id":{},"geometry":{geometry},"properties":{properties}}}"#,
        json!(feature.id)
    )
}

fn cluster_json(sum: &Sum) -> String {
    let n = f64::from(sum.count);
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [sum.lon / n, sum.lat / n]},
        "properties": {"cluster": true, "count": sum.count, "bbox": sum.bbox},
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_read_or_refused_with_the_field_named() {
        assert_eq!(Window::parse(None, None), Ok(None));
        let window = Window::parse(Some("35.7,32.3,42.4,37.3"), Some("7"))
            .expect("valid")
            .expect("a window");
        assert!(
            window
                .bbox
                .iter()
                .zip([35.7, 32.3, 42.4, 37.3])
                .all(|(got, want)| (got - want).abs() < 1e-12)
        );
        assert_eq!(window.zoom, 7);
        for (bbox, zoom, field) in [
            (Some("1,2,3"), Some("7"), "bbox: \"1,2,3\" has 3 numbers"),
            (
                Some("a,b,c,d"),
                Some("7"),
                "bbox: \"a,b,c,d\" is not four numbers",
            ),
            (Some("40,30,35,31"), Some("7"), "is not a box on Earth"),
            (Some("1,2,3,NaN"), Some("7"), "is not a box on Earth"),
            (
                Some("1,2,3,4"),
                Some("23"),
                "zoom: \"23\" is not a zoom level",
            ),
            (Some("1,2,3,4"), Some("-1"), "zoom: \"-1\""),
            (Some("1,2,3,4"), None, "zoom: missing"),
            (None, Some("3"), "bbox: missing"),
        ] {
            let error = Window::parse(bbox, zoom).expect_err(field);
            assert!(error.contains(field), "{error}");
        }
    }

    #[test]
    fn at_the_map_s_closest_zoom_points_are_not_clustered() {
        assert!((f64::from(CLUSTER_MAX_ZOOM) - crate::map::MAX_ZOOM).abs() < f64::EPSILON);
    }

    #[test]
    fn cells_grow_finer_with_zoom() {
        assert_eq!(cell(38.0, 34.0, 3), cell(38.1, 34.1, 3));
        assert_ne!(cell(38.0, 34.0, 12), cell(38.1, 34.1, 12));
    }
}
