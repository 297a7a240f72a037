//! Point symbols that would cover one another at the current zoom are fanned
//! out side by side, so each stays visible and can be clicked or tapped: at
//! the story's opening zoom the cratered road and the destroyed bridge, 2.5 km
//! apart, fall on the same pixels, and on Humaymah's dot. Strikes are drawn
//! in a 44 px target (a finger's width); a target may cover neither another
//! strike nor a story place's dot, or a click on the place would open the
//! strike. So strikes move aside, and places stay where they are. The
//! uncertainty halos still mark where each is estimated to be. A strike
//! moves little, and never past a place: zoomed out, where places crowd
//! its row, a move along it past Albu Kamal would put the strike in Iraq;
//! it steps one row up or down instead.

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
/// Farthest a group of strikes moves along its row to stand clear of
/// places, px: one target (a strike at the end of a fan of two then
/// stands at most a target and a half from its point).
const REACH: f64 = GAP;

/// How far a strike stands from where Leaflet anchors it, px: east and south.
pub type Shift = (f64, f64);

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
        let _ = icon.style().set_property("margin-top", &anchor);
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
    for (icon, (dx, dy)) in strikes.iter().zip(&shifts) {
        // Leaflet anchors the icon with negative margins; shift from there.
        let style = icon.style();
        let _ = style.set_property("margin-left", &format!("{}px", dx - HALF_ICON));
        let _ = style.set_property("margin-top", &format!("{}px", dy - HALF_ICON));
    }
    at.iter()
        .zip(&shifts)
        .map(|((x, y), (dx, dy))| super::declutter::Area::around((x + dx, y + dy), HALF_SYMBOL))
        .collect()
}

/// How far each strike at `points` (px) moves, clear of one another and of
/// the places at `fixed`: in greedy groups, west to east, a strike joins
/// the group it is too close to, and a group's strikes stand [`GAP`] apart
/// along the row round their middle. Where that would cover a place, the
/// group moves as one, in its order, the least distance that covers none
/// (see `clear_of`). Where no move is free, the fan stays on its points.
/// The server's map (`drawn`) fans them out the same way.
pub fn shifts(points: &[(f64, f64)], fixed: &[(f64, f64)]) -> Vec<Shift> {
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
    let mut moved = vec![(0.0, 0.0); points.len()];
    for group in groups {
        #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
        let middle = (group.len() - 1) as f64 / 2.0;
        for (slot, &index) in group.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
            let shift = (slot as f64 - middle) * GAP;
            shifts[index] = shift;
        }
        let (dx, dy) = clear_of(&group, points, &shifts, fixed);
        for &index in &group {
            moved[index] = (shifts[index] + dx, dy);
        }
    }
    moved
}

/// The least move (px, east and south) that takes each strike of `group`,
/// at its point and `shifts` along the row, [`CLEAR`] of every place at
/// `fixed` beside it. A move along the row is best, within [`REACH`] and
/// passing no place: strikes east of a place stay east of it, or the map
/// would put a strike in the next town or across a border. Else one
/// [`GAP`] below or above, on the same terms; none if no move is free.
fn clear_of(group: &[usize], points: &[(f64, f64)], shifts: &[f64], fixed: &[(f64, f64)]) -> Shift {
    #[expect(clippy::cast_precision_loss, reason = "a handful of icons per group")]
    let middle = group.iter().map(|&index| points[index].0).sum::<f64>() / group.len() as f64;
    let row = |dy: f64| {
        let beside: Vec<(f64, f64)> = group
            .iter()
            .flat_map(|&index| {
                let (x, y) = (points[index].0 + shifts[index], points[index].1 + dy);
                fixed
                    .iter()
                    .filter(move |(_, fy)| (y - fy).abs() < CLEAR)
                    .map(move |(fx, _)| (x, *fx))
            })
            .collect();
        let free = |dx: f64| {
            beside.iter().all(|&(x, fx)| {
                let at = x + dx;
                let side = middle - fx;
                (at - fx).abs() >= CLEAR
                    && (side.abs() < 1e-9 || (at - fx).signum() == side.signum())
            })
        };
        // Staying is best; else the nearest spot clear of a place.
        std::iter::once(0.0)
            .chain(
                beside
                    .iter()
                    .flat_map(|&(x, fx)| [fx - CLEAR - x, fx + CLEAR - x]),
            )
            .filter(|dx| dx.abs() <= REACH && free(*dx))
            .min_by(|a, b| a.abs().total_cmp(&b.abs()))
            .map(|dx| (dx, dy))
    };
    row(0.0)
        .or_else(|| {
            [row(GAP), row(-GAP)]
                .into_iter()
                .flatten()
                .min_by(|a, b| a.0.abs().total_cmp(&b.0.abs()))
        })
        .unwrap_or((0.0, 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where each strike stands after its move.
    fn placed(strikes: &[(f64, f64)], places: &[(f64, f64)]) -> Vec<(f64, f64)> {
        strikes
            .iter()
            .zip(shifts(strikes, places))
            .map(|((x, y), (dx, dy))| (x + dx, y + dy))
            .collect()
    }

    #[test]
    fn strikes_apart_stay_where_they_are() {
        let none = vec![(0.0, 0.0); 2];
        assert_eq!(shifts(&[(0.0, 0.0), (100.0, 0.0)], &[]), none);
        assert_eq!(shifts(&[(0.0, 0.0), (0.0, 50.0)], &[]), none);
    }

    #[test]
    fn strikes_on_one_spot_fan_out_round_it() {
        assert_eq!(
            shifts(&[(10.0, 0.0), (0.0, 0.0), (5.0, 0.0)], &[]),
            vec![(GAP, 0.0), (-GAP, 0.0), (0.0, 0.0)]
        );
    }

    #[test]
    fn a_place_under_the_fan_keeps_its_spot_and_the_strikes_stand_beside_it() {
        // Humaymah's dot, the bridge 12 px east of it, the cratered road
        // 2 px further: a short move east along the road clears it.
        let strikes = [(12.0, 0.0), (14.0, 0.2)];
        let humaymah = (0.0, 0.0);
        let at = placed(&strikes, &[humaymah]);
        // Both east of the place, in their order, clear of it and of each
        // other, on their row.
        assert!((at[0].0 - CLEAR).abs() < 1e-9, "{at:?}");
        assert!(at[1].0 - at[0].0 >= GAP, "{at:?}");
        assert!(
            at.iter()
                .zip(&strikes)
                .all(|(a, s)| (a.1 - s.1).abs() < 1e-9)
        );
        // The seed at its opening zoom: the bridge 2.7 px east of the dot,
        // the road 2 px further. Clearing it along the row is a long move:
        // the fan steps a row down instead, where it stood.
        let strikes = [(2.7, 0.0), (4.9, 0.2)];
        let at = placed(&strikes, &[humaymah]);
        assert_eq!(
            at.iter().map(|a| a.0).collect::<Vec<_>>(),
            [2.7 - GAP / 2.0, 4.9 + GAP / 2.0]
        );
        assert!(at.iter().all(|a| a.1 >= GAP), "{at:?}");
    }

    #[test]
    fn a_group_between_two_places_steps_off_its_row_rather_than_pass_one() {
        // Humaymah at 0 and Albu Kamal 47 px east of it, the strikes just
        // east of Humaymah: there is no room between the two, and west of
        // Humaymah or east of Albu Kamal would misplace them.
        let strikes = [(1.0, 0.0), (2.0, 0.0)];
        let at = placed(&strikes, &[(0.0, 0.0), (47.0, 0.0)]);
        assert!((at[0].1 - GAP).abs() < 1e-9, "{at:?}");
        assert!(at[1].0 - at[0].0 >= GAP, "{at:?}");
    }

    #[test]
    fn zoomed_out_among_crowded_places_a_group_steps_off_its_row_not_far_along_it() {
        // The seed at zoom 5: Humaymah just west of the strikes, Albu
        // Kamal just east, al-Mayadin a row up; east of Albu Kamal is Iraq.
        let strikes = [(0.0, 0.0), (2.0, 0.0)];
        let places = [(-45.0, 2.0), (-10.0, -3.0), (9.0, 1.0), (-5.0, -40.0)];
        let at = placed(&strikes, &places);
        for (x, y) in &at {
            assert!((y - GAP).abs() < 1e-9, "one row down: {at:?}");
            assert!(x.abs() <= GAP, "{at:?}");
        }
        // With every row taken, the fan stays on its points.
        let everywhere: Vec<(f64, f64)> = (-4..=4)
            .flat_map(|i| [-GAP, 0.0, GAP].map(|y| (f64::from(i) * 20.0, y)))
            .collect();
        let at = placed(&strikes, &everywhere);
        assert_eq!(at, vec![(-GAP / 2.0, 0.0), (2.0 + GAP / 2.0, 0.0)]);
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
                let at = placed(&strikes, &places);
                for (x, y) in &at {
                    for (px, py) in places {
                        assert!(
                            (x - px).abs() >= CLEAR - 1e-9 || (y - py).abs() >= CLEAR,
                            "with strikes from {a}, one at {x} covers the place at {px}"
                        );
                    }
                }
                for (i, (x, y)) in at.iter().enumerate() {
                    for (ox, oy) in &at[i + 1..] {
                        assert!(
                            (x - ox).abs() >= GAP - 1e-9 || (y - oy).abs() >= GAP - 1e-9,
                            "with strikes from {a}: {at:?}"
                        );
                    }
                }
            }
        }
    }
}
