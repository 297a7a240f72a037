//! Point symbols that would cover one another at the current zoom are fanned
//! out side by side, so each stays visible and can be clicked or tapped: at
//! the story's opening zoom the cratered road and the destroyed bridge, 2.5 km
//! apart, fall on the same pixels, and on Humaymah's dot. Strikes are drawn
//! in a 44 px target (a finger's width); a target may cover neither another
//! strike nor a story place's dot, or a click on the place would open the
//! strike. So strikes move aside, and places stay where they are. The
//! uncertainty halos still mark where each is estimated to be.

use super::js;

/// Least distance between two strikes' centres, px: each is a 44 px target.
const GAP: f64 = 46.0;
/// Half a strike's target: where Leaflet anchors it.
const HALF_ICON: f64 = 22.0;
/// Half the strike's symbol, drawn in the middle of its target: what
/// names stand clear of.
pub const HALF_SYMBOL: f64 = 12.0;
/// Least distance between a strike's centre and a place's, px: half the
/// target, the place's dot when selected (9 px, a 4 px stroke) and a
/// pixel's room.
const CLEAR: f64 = HALF_ICON + 12.0;

/// Fans out the strikes inside the map `container` as its zoom needs, clear
/// of the story places' dots. Reads every position, then writes; returns
/// the strikes' symbols where they now stand, as `declutter` needs them
/// (the writes are not laid out yet).
pub fn spread(container: &web_sys::Element) -> Vec<super::declutter::Area> {
    use wasm_bindgen::JsCast as _;
    let strikes: Vec<web_sys::HtmlElement> =
        js::select_all(container, ".leaflet-marker-icon.strike-icon")
            .into_iter()
            .filter_map(|icon| icon.dyn_into().ok())
            .collect();
    // Write: back where Leaflet anchors them (a change of layers may have
    // moved them); then read.
    let anchor = format!("{}px", -HALF_ICON);
    for icon in &strikes {
        let _ = icon.style().set_property("margin-left", &anchor);
    }
    let centre = |element: &web_sys::Element| {
        let rect = element.get_bounding_client_rect();
        (rect.width() > 0.0).then(|| {
            (
                rect.left() + rect.width() / 2.0,
                rect.top() + rect.height() / 2.0,
            )
        })
    };
    let (strikes, at): (Vec<_>, Vec<_>) = strikes
        .into_iter()
        .filter_map(|icon| centre(&icon).map(|at| (icon, at)))
        .unzip();
    let places: Vec<(f64, f64)> = js::select_all(container, "path.story-feature.story-dot")
        .iter()
        .filter_map(centre)
        .collect();
    let shifts = shifts(&at, &places);
    for (icon, shift) in strikes.iter().zip(&shifts) {
        // Leaflet anchors the icon with negative margins; shift from there.
        let _ = icon
            .style()
            .set_property("margin-left", &format!("{}px", shift - HALF_ICON));
    }
    at.iter()
        .zip(&shifts)
        .map(|((x, y), shift)| super::declutter::Area::around((x + shift, *y), HALF_SYMBOL))
        .collect()
}

/// How far each strike at `points` (px) moves along the line, px, clear of
/// one another and of the places at `fixed`: in greedy groups, west to
/// east, a strike joins the group it is too close to, and a group's
/// strikes stand [`GAP`] apart round their middle. Where that would cover
/// a place, the group moves along the line as one, in its order, the least
/// distance that covers none. The server's map (`drawn`) fans them out the
/// same way.
pub fn shifts(points: &[(f64, f64)], fixed: &[(f64, f64)]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for index in order {
        let (x, y) = points[index];
        let near = groups.iter_mut().find(|group| {
            group.iter().any(|&other| {
                let (ox, oy) = points[other];
                (x - ox).hypot(y - oy) < GAP
            })
        });
        match near {
            Some(group) => group.push(index),
            None => groups.push(vec![index]),
        }
    }
    let mut shifts = vec![0.0; points.len()];
    for group in groups {
        #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
        let middle = (group.len() - 1) as f64 / 2.0;
        for (slot, &index) in group.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
            let shift = (slot as f64 - middle) * GAP;
            shifts[index] = shift;
        }
        let by = clear_of(&group, points, &shifts, fixed);
        for &index in &group {
            shifts[index] += by;
        }
    }
    shifts
}

/// The least distance (px, east positive) that moving the strikes of
/// `group`, at their points and `shifts`, takes each [`CLEAR`] of every
/// place at `fixed` beside it.
fn clear_of(group: &[usize], points: &[(f64, f64)], shifts: &[f64], fixed: &[(f64, f64)]) -> f64 {
    // The moves that would leave a strike over a place, as open ranges.
    let covering: Vec<(f64, f64)> = group
        .iter()
        .flat_map(|&index| {
            let (x, y) = (points[index].0 + shifts[index], points[index].1);
            fixed
                .iter()
                .filter(move |(_, fy)| (y - fy).abs() < CLEAR)
                .map(move |(fx, _)| (fx - CLEAR - x, fx + CLEAR - x))
        })
        .collect();
    let free = |by: f64| !covering.iter().any(|(from, to)| by > *from && by < *to);
    // Staying is best; else the nearest end of a range that is free.
    std::iter::once(0.0)
        .chain(covering.iter().flat_map(|(from, to)| [*from, *to]))
        .filter(|by| free(*by))
        .min_by(|a, b| a.abs().total_cmp(&b.abs()))
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strikes_apart_stay_where_they_are() {
        assert_eq!(shifts(&[(0.0, 0.0), (100.0, 0.0)], &[]), vec![0.0, 0.0]);
        assert_eq!(shifts(&[(0.0, 0.0), (0.0, 50.0)], &[]), vec![0.0, 0.0]);
    }

    #[test]
    fn strikes_on_one_spot_fan_out_round_it() {
        assert_eq!(
            shifts(&[(10.0, 0.0), (0.0, 0.0), (5.0, 0.0)], &[]),
            vec![GAP, -GAP, 0.0]
        );
    }

    #[test]
    fn a_place_under_the_fan_keeps_its_spot_and_the_strikes_stand_beside_it() {
        // The seed at its opening zoom: Humaymah's dot, the bridge 2.7 px
        // east of it, the cratered road 2 px further.
        let strikes = [(2.7, 0.0), (4.9, 0.2)];
        let humaymah = (0.0, 0.0);
        let moved = shifts(&strikes, &[humaymah]);
        let at: Vec<f64> = strikes.iter().zip(&moved).map(|(p, s)| p.0 + s).collect();
        // Both east of the place, in their order, clear of it and of each other.
        assert!((at[0] - CLEAR).abs() < 1e-9, "{at:?}");
        assert!(at[1] - at[0] >= GAP, "{at:?}");
        // Either side of a place: the group moves as one, in its order,
        // clear of it.
        let strikes = [(-3.0, 0.0), (3.0, 0.0)];
        let moved = shifts(&strikes, &[humaymah]);
        let at: Vec<f64> = strikes.iter().zip(&moved).map(|(p, s)| p.0 + s).collect();
        assert!((at[0] - CLEAR).abs() < 1e-9, "{at:?}");
        assert!(at[1] - at[0] >= GAP, "{at:?}");
    }

    #[test]
    fn a_group_moves_to_the_side_that_moves_it_least() {
        // Humaymah at 0 and Albu Kamal 47 px east of it, the strikes just
        // east of Humaymah: east of both is further than west of Humaymah.
        let strikes = [(1.0, 0.0), (2.0, 0.0)];
        let moved = shifts(&strikes, &[(0.0, 0.0), (47.0, 0.0)]);
        let at: Vec<f64> = strikes.iter().zip(&moved).map(|(p, s)| p.0 + s).collect();
        assert!((at[1] - -CLEAR).abs() < 1e-9, "{at:?}");
        assert!(at[1] - at[0] >= GAP, "{at:?}");
    }

    #[test]
    fn a_place_clear_of_the_fan_changes_nothing() {
        let strikes = [(0.0, 0.0), (2.0, 0.0)];
        assert_eq!(
            shifts(&strikes, &[(200.0, 0.0), (0.0, 60.0)]),
            shifts(&strikes, &[])
        );
    }

    #[test]
    fn no_target_covers_a_place_or_another_however_the_strikes_fall() {
        for places in [[(0.0, 0.0), (30.0, 5.0)], [(0.0, 0.0), (60.0, -4.0)]] {
            for a in -80..80 {
                let a = f64::from(a);
                let strikes = [(a, 3.0), (a * 0.5 + 4.0, -2.0), (a * 0.25 - 7.0, 1.0)];
                let moved = shifts(&strikes, &places);
                let at: Vec<(f64, f64)> = strikes
                    .iter()
                    .zip(&moved)
                    .map(|((x, y), s)| (x + s, *y))
                    .collect();
                for (x, y) in &at {
                    for (px, py) in places {
                        assert!(
                            (x - px).abs() >= CLEAR - 1e-9 || (y - py).abs() >= CLEAR,
                            "with strikes from {a}, one at {x} covers the place at {px}"
                        );
                    }
                }
                for (i, (x, _)) in at.iter().enumerate() {
                    for (ox, _) in &at[i + 1..] {
                        assert!(
                            (x - ox).abs() >= GAP - 1e-9,
                            "with strikes from {a}: {at:?}"
                        );
                    }
                }
            }
        }
    }
}
