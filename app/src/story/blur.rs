//! Positions published coarser than they are known, to protect the people
//! behind them (whoever filmed a strike, a witness's house).
//!
//! A feature with `published_precision_m` keeps its exact geometry in its
//! story file only. When the story is loaded for readers every coordinate
//! is snapped to a grid of that size, so everything made from the loaded
//! story (page, map, API, exports, preview image, feeds) can only give the
//! snapped position. Snapped, not jittered: a request repeated a thousand
//! times gives the same grid node a thousand times, and averaging says
//! nothing more.

use geo::MapCoords;
use geo_types::{Coord, Geometry};

/// Metres in a degree of latitude (and of longitude at the equator), on
/// the sphere of the Web Mercator maps kort draws on.
const METRES_PER_DEGREE: f64 = 6_378_137.0 * std::f64::consts::PI / 180.0;

/// Decimal places the snapped coordinates are given to: a tenth of a metre,
/// far finer than any grid (so snapping twice changes nothing) and short in
/// the files.
const DECIMALS: i32 = 6;

/// The finest grid accepted, in metres: finer protects no one.
pub const MIN_PRECISION_M: f64 = 100.0;
/// The coarsest grid accepted, in metres: coarser and the map says nothing.
pub const MAX_PRECISION_M: f64 = 100_000.0;

/// `geometry` with every coordinate moved to the nearest node of a grid of
/// `precision_m` metres: latitude in steps of `precision_m`, longitude in
/// steps of `precision_m` at the snapped latitude.
///
/// A snapped coordinate is at most `precision_m` × √2 / 2 from the exact one.
pub fn snap(geometry: &Geometry<f64>, precision_m: f64) -> Geometry<f64> {
    geometry.map_coords(|coord| snap_position(coord, precision_m))
}

/// How far off a published position may be: the uncertainty the story gives
/// plus the grid's size (more than the farthest a node is from a position,
/// so the circle drawn always holds the true place).
pub fn published_uncertainty(uncertainty_m: Option<f64>, precision_m: f64) -> f64 {
    uncertainty_m.unwrap_or(0.0) + precision_m
}

/// One position (`x` longitude, `y` latitude) snapped as [`snap`] does.
pub fn snap_position(coord: Coord<f64>, precision_m: f64) -> Coord<f64> {
    let lat_step = precision_m / METRES_PER_DEGREE;
    let lat = round((coord.y / lat_step).round() * lat_step).clamp(-85.0, 85.0);
    // Longitude steps are the same distance on the ground at the snapped
    // latitude, which every position in the cell shares.
    let lon_step = lat_step / lat.to_radians().cos();
    let lon = round((coord.x / lon_step).round() * lon_step).clamp(-180.0, 180.0);
    Coord { x: lon, y: lat }
}

/// Protection given later reaches back: `feature` (as an earlier revision
/// published it) snapped to the grid its story gives it now, where that is
/// coarser than the grid it had, so an old revision, a moved position's
/// arrow or anything made from them shows no more than the latest does.
/// (Snapping the revision's own position, so nothing can be averaged.)
pub fn protect_as_now(feature: &mut super::Feature, now: Option<f64>) {
    let Some(now) = coarser(feature.published_precision_m, now) else {
        return;
    };
    feature.geometry = snap(&feature.geometry, now);
    feature.uncertainty_m = Some(published_uncertainty(feature.uncertainty_m, now));
    feature.published_precision_m = Some(now);
}

/// The grid `now`, where it is coarser than the grid `then` (or there was
/// none): what a position published on `then` must be snapped to again.
pub fn coarser(then: Option<f64>, now: Option<f64>) -> Option<f64> {
    now.filter(|now| then.is_none_or(|then| then < *now))
}

fn round(value: f64) -> f64 {
    let scale = 10f64.powi(DECIMALS);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use geo::{Distance, Haversine, Point};

    use super::*;

    /// The destroyed bridge's estimate, given to more places than it is known.
    const BRIDGE: Point<f64> = Point(Coord {
        x: 40.123_456_7,
        y: 34.456_789_1,
    });

    #[test]
    fn a_position_moves_to_a_node_no_farther_than_half_the_grid_s_diagonal() {
        for precision in [MIN_PRECISION_M, 1_000.0, 5_000.0, MAX_PRECISION_M] {
            let Geometry::Point(snapped) = snap(&Geometry::Point(BRIDGE), precision) else {
                unreachable!("a point stays a point");
            };
            let moved = Haversine.distance(BRIDGE, snapped);
            assert!(moved > 0.0, "{precision} m: not moved");
            assert!(
                moved <= precision * std::f64::consts::SQRT_2 / 2.0 * 1.01,
                "{precision} m: moved {moved} m"
            );
        }
    }

    #[test]
    fn snapping_is_the_same_every_time_and_snapping_again_changes_nothing() {
        let once = snap(&Geometry::Point(BRIDGE), 5_000.0);
        assert_eq!(once, snap(&Geometry::Point(BRIDGE), 5_000.0));
        assert_eq!(once, snap(&once, 5_000.0));
    }

    #[test]
    fn positions_in_one_cell_all_give_the_same_node() {
        // Positions within a few hundred metres of each other in a 5 km grid
        // (the bridge's estimate is not near a cell's edge at this size).
        let nodes: std::collections::BTreeSet<String> = (0..20)
            .map(|step| {
                let nudge = f64::from(step) * 0.000_5;
                let near = Point::new(BRIDGE.x() + nudge, BRIDGE.y() - nudge);
                format!("{:?}", snap(&Geometry::Point(near), 5_000.0))
            })
            .collect();
        assert_eq!(nodes.len(), 1, "{nodes:?}");
    }

    #[test]
    fn lines_and_areas_are_snapped_vertex_by_vertex() {
        let route = Geometry::LineString(geo_types::LineString::from(vec![
            (36.3, 34.1),
            (38.9, 34.8),
            (40.9, 34.4),
        ]));
        let (Geometry::LineString(exact), Geometry::LineString(snapped)) =
            (&route, snap(&route, 10_000.0))
        else {
            unreachable!("a line stays a line");
        };
        assert_eq!(snapped.0.len(), 3);
        for (exact, snapped) in exact.points().zip(snapped.points()) {
            let moved = Haversine.distance(exact, snapped);
            assert!(moved > 0.0 && moved < 7_100.0, "{exact:?} moved {moved} m");
        }
    }
}
