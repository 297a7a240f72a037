//! Names on the map that would print over one another are sorted out after
//! each move (a zoom ends in one) and each change of what is drawn, once
//! strikes have stood aside (`spread`):
//!
//! - a story place's name goes right of its symbol, or else left, above or
//!   below it: the first of these that no other story name or symbol takes
//!   and that stays on the map (east to west, so of two neighbours the
//!   western one gives way), but left over the first choice of a name
//!   still to come only where neither above nor below has room; with no
//!   room on any side, it is left out until a zoom makes room;
//! - a basemap name that would cover a story's name or symbol, or a name
//!   already kept, or run off the map, is hidden: rivers before places,
//!   bigger places first, then countries.
//!
//! Every position is read in one animation frame, where the browser lays
//! the map out anyway, and the classes are written after: one layout per
//! change, not one per name (see `places` on why that matters).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::js;

/// Where a story name may go, in order of preference.
const SIDES: [Side; 4] = [Side::Right, Side::Left, Side::Above, Side::Below];
/// A name left out (the style sheet hides it).
const HIDDEN: &str = "label-hidden";
/// Room kept clear around each name, px.
pub const MARGIN: f64 = 2.0;
/// How far a name above or below sits from its point, px (as the style
/// sheet): clear of the point's symbol and of strikes drawn beside it.
const OFFSET: f64 = 12.0;

/// Sorts out the names of `map` whenever its view or its layers change (a
/// move changes which sides of a name stay on the map). Leaflet ends every
/// zoom with a `moveend` as well, so that one event covers both.
/// Returns the listeners, which must live as long as the map.
pub fn watch(map: &leaflet::Map) -> Vec<Closure<dyn FnMut(JsValue)>> {
    let container: web_sys::Element = map.get_container().into();
    let pending = Rc::new(Cell::new(false));
    let frame = {
        let pending = Rc::clone(&pending);
        Closure::<dyn FnMut(JsValue)>::new(move |_time: JsValue| {
            pending.set(false);
            declutter(&container);
        })
    };
    let in_a_frame: js_sys::Function = frame.as_ref().clone().unchecked_into();
    // Drawing a file adds hundreds of layers: one pass per frame at most.
    // Tooltips (and popups) come and go with the pointer and take no name's
    // room: they are let by.
    let changed = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let overlay = js::get(&js::get(&event, "layer"), "openOn").is_function();
        if !overlay
            && !pending.replace(true)
            && let Some(window) = web_sys::window()
        {
            let _ = window.request_animation_frame(&in_a_frame);
        }
    });
    map.on("moveend layeradd layerremove", changed.as_ref());
    vec![frame, changed]
}

/// A box on the screen, px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Area {
    /// Where `element` is drawn, with `margin` px around it.
    fn of(element: &web_sys::Element, margin: f64) -> Option<Self> {
        let rect = element.get_bounding_client_rect();
        (rect.width() > 0.0).then(|| Self {
            left: rect.left() - margin,
            top: rect.top() - margin,
            right: rect.right() + margin,
            bottom: rect.bottom() + margin,
        })
    }

    /// The square `half` px each way round `(x, y)`.
    pub fn around((x, y): (f64, f64), half: f64) -> Self {
        Self {
            left: x - half,
            top: y - half,
            right: x + half,
            bottom: y + half,
        }
    }

    pub fn overlaps(&self, other: &Self) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    pub fn within(&self, other: &Self) -> bool {
        self.left >= other.left
            && self.right <= other.right
            && self.top >= other.top
            && self.bottom <= other.bottom
    }

    /// Where a name at `side` of the point (`x`, `y`) would be, given where
    /// it is right of the point (`self`).
    pub fn moved(&self, side: Side, (x, y): (f64, f64)) -> Self {
        let (width, height) = (self.right - self.left, self.bottom - self.top);
        match side {
            Side::Right => *self,
            Side::Left => Self {
                left: 2.0 * x - self.right,
                right: 2.0 * x - self.left,
                ..*self
            },
            Side::Above => Self {
                left: x - width / 2.0,
                right: x + width / 2.0,
                top: y - OFFSET - height,
                bottom: y - OFFSET,
            },
            Side::Below => Self {
                left: x - width / 2.0,
                right: x + width / 2.0,
                top: y + OFFSET,
                bottom: y + OFFSET + height,
            },
        }
    }
}

/// A side of its point a story name may stand on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Side {
    Right,
    Left,
    Above,
    Below,
}

impl Side {
    /// The class that puts a name there (the style sheet moves it; right
    /// is where it starts).
    pub fn class(self) -> &'static str {
        match self {
            Self::Right => "",
            Self::Left => "label-left",
            Self::Above => "label-above",
            Self::Below => "label-below",
        }
    }
}

/// A name: its marker's element, the point it names, where its text is.
struct Name {
    icon: web_sys::Element,
    at: (f64, f64),
    text: Area,
}

fn declutter(container: &web_sys::Element) {
    let story = js::select_all(container, ".leaflet-marker-icon.place-label");
    let rivers = js::select_all(container, ".leaflet-marker-icon.river-label");
    // In the order `PlaceLabels` adds them: by population, biggest first.
    let places = js::select_all(container, ".leaflet-marker-icon.basemap-place");
    // Countries', the biggest first: the names that give way to all others.
    let countries = js::select_all(container, ".leaflet-marker-icon.country-label");
    let classes = SIDES
        .iter()
        .skip(1)
        .map(|side| side.class())
        .chain([HIDDEN]);
    for icon in story.iter().chain(&rivers).chain(&places).chain(&countries) {
        for class in classes.clone() {
            let _ = icon.class_list().toggle_with_force(class, false);
        }
    }
    // Strikes first: they stand aside for places, names for both.
    let strikes = super::spread::spread(container);
    // Read: every position at once.
    let bounds = Area::of(container, 0.0);
    let name = |icon: web_sys::Element| {
        let text = Area::of(&icon.first_element_child()?, MARGIN)?;
        let point = icon.get_bounding_client_rect();
        Some(Name {
            icon,
            at: (point.left(), point.top()),
            text,
        })
    };
    // The story's point symbols (their drawing, not their 44 px target).
    let taken: Vec<Area> = js::select_all(
        container,
        ".leaflet-marker-icon.story-feature:not(.strike-icon)",
    )
    .into_iter()
    .filter_map(|icon| Area::of(&icon.first_element_child().unwrap_or(icon), 0.0))
    .chain(strikes)
    // What stands over the map: its controls (the zoom buttons, the
    // credits, the locator) and, beside it on the page, the layer
    // control's button. A name under them is read by no one.
    .chain(
        js::select_all(container, ".leaflet-control, .locator:not([hidden])")
            .into_iter()
            .chain(
                container
                    .closest(".map-stage, .map-column")
                    .ok()
                    .flatten()
                    .map(|stage| js::select_all(&stage, ".layer-control > summary"))
                    .unwrap_or_default(),
            )
            .filter_map(|control| Area::of(&control, 0.0)),
    )
    .collect();
    let story: Vec<Name> = story.into_iter().filter_map(name).collect();
    let basemap: Vec<Name> = rivers
        .into_iter()
        .chain(places)
        .chain(countries)
        .filter_map(name)
        .collect();
    // A country's name at each of its points: one of them stands.
    let alternatives: Vec<Option<String>> = basemap
        .iter()
        .map(|name| {
            name.icon
                .class_list()
                .contains("country-label")
                .then(|| name.icon.text_content().unwrap_or_default())
        })
        .collect();
    let (story_sides, basemap_kept) = decide(
        &story
            .iter()
            .map(|name| (name.at, name.text))
            .collect::<Vec<_>>(),
        &basemap
            .iter()
            .zip(&alternatives)
            .map(|(name, same)| (name.text, same.as_deref()))
            .collect::<Vec<_>>(),
        taken,
        bounds,
    );
    let mut chosen = Vec::new();
    for (name, side) in story.into_iter().zip(story_sides) {
        chosen.push((name.icon, side.map_or(HIDDEN, Side::class)));
    }
    for (name, kept) in basemap.into_iter().zip(basemap_kept) {
        if !kept {
            chosen.push((name.icon, HIDDEN));
        }
    }
    // Write.
    for (icon, class) in chosen.iter().filter(|(_, class)| !class.is_empty()) {
        let _ = icon.class_list().toggle_with_force(class, true);
    }
}

/// Where each story name goes (`None`: left out) and which basemap names
/// stay, given the story names' points and boxes right of them, the
/// basemap names' boxes (rivers, then places by size, then countries),
/// each with the name it is one place of (a country's: the first of its
/// places with room stands, the others not), what the story's symbols
/// take, and the map's bounds (`None`: unknown, no limit). The server's
/// map (`drawn`) decides with the same rules, on boxes it estimates.
pub fn decide(
    story: &[((f64, f64), Area)],
    basemap: &[(Area, Option<&str>)],
    mut taken: Vec<Area>,
    bounds: Option<Area>,
) -> (Vec<Option<Side>>, Vec<bool>) {
    let free = |area: &Area, taken: &[Area]| !taken.iter().any(|other| area.overlaps(other));
    let on_map = |area: &Area| bounds.is_none_or(|bounds| area.within(&bounds));
    let mut sides = vec![None; story.len()];
    // Story names from the eastmost.
    let mut left: Vec<usize> = (0..story.len()).collect();
    while let Some(east) =
        (0..left.len()).max_by(|&a, &b| story[left[a]].0.0.total_cmp(&story[left[b]].0.0))
    {
        let index = left.swap_remove(east);
        let (at, text) = story[index];
        // Turning west, a name would take (or crowd) the first choice of a
        // name still to be placed (further west) and push it out: above or
        // below is better, where there is room.
        let wanted: Vec<Area> = left.iter().map(|&other| story[other].1).collect();
        let fits = |area: &Area| free(area, &taken) && on_map(area);
        let choices = || SIDES.iter().map(|side| (text.moved(*side, at), *side));
        // No room: names printed over each other are read by no one. The
        // symbol stays; a screen reader, the panel and the feature list
        // still name it.
        sides[index] = choices()
            .find(|(area, side)| fits(area) && (*side != Side::Left || free(area, &wanted)))
            .or_else(|| choices().find(|(area, _)| fits(area)))
            .map(|(area, side)| {
                taken.push(area);
                side
            });
    }
    // A basemap name cut by the map's edge is left out, as a story name
    // with no side on the map is.
    let mut standing: Vec<&str> = Vec::new();
    let kept = basemap
        .iter()
        .map(|(text, one_of)| {
            if (*one_of).is_some_and(|name| standing.contains(&name)) {
                return false;
            }
            let free = free(text, &taken) && on_map(text);
            if free {
                taken.push(*text);
                if let Some(name) = one_of {
                    standing.push(name);
                }
            }
            free
        })
        .collect();
    (sides, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(left: f64, top: f64, right: f64, bottom: f64) -> Area {
        Area {
            left,
            top,
            right,
            bottom,
        }
    }

    #[test]
    fn boxes_overlap_only_when_they_share_pixels() {
        let a = area(0.0, 0.0, 10.0, 10.0);
        assert!(a.overlaps(&area(5.0, 5.0, 15.0, 15.0)));
        assert!(a.overlaps(&area(-5.0, 2.0, 20.0, 3.0)));
        assert!(!a.overlaps(&area(10.0, 0.0, 20.0, 10.0)), "touching edges");
        assert!(!a.overlaps(&area(0.0, 11.0, 10.0, 20.0)));
    }

    #[test]
    fn a_name_moves_round_its_point() {
        // Text from 14 px right of the point (100, 50), 40 px wide, 10 high.
        let right = area(114.0, 45.0, 154.0, 55.0);
        let at = (100.0, 50.0);
        assert_eq!(right.moved(Side::Right, at), right);
        assert_eq!(right.moved(Side::Left, at), area(46.0, 45.0, 86.0, 55.0));
        assert_eq!(right.moved(Side::Above, at), area(80.0, 28.0, 120.0, 38.0));
        assert_eq!(right.moved(Side::Below, at), area(80.0, 62.0, 120.0, 72.0));
    }

    #[test]
    fn within_means_wholly_inside() {
        let map = area(0.0, 0.0, 100.0, 100.0);
        assert!(area(10.0, 10.0, 90.0, 90.0).within(&map));
        assert!(!area(-1.0, 10.0, 90.0, 90.0).within(&map));
        assert!(!area(10.0, 10.0, 90.0, 101.0).within(&map));
    }

    #[test]
    fn a_basemap_name_cut_by_the_maps_edge_is_left_out() {
        let map = area(0.0, 0.0, 100.0, 100.0);
        let inside = area(10.0, 10.0, 40.0, 20.0);
        let cut = area(-12.0, 50.0, 18.0, 60.0);
        let (_, kept) = decide(&[], &[(inside, None), (cut, None)], Vec::new(), Some(map));
        assert_eq!(kept, [true, false]);
        // Where the map's size is not known (the server's drawing), kept.
        let (_, kept) = decide(&[], &[(inside, None), (cut, None)], Vec::new(), None);
        assert_eq!(kept, [true, true]);
    }

    #[test]
    fn a_country_is_named_once_at_the_first_of_its_places_with_room() {
        let map = area(0.0, 0.0, 200.0, 100.0);
        let town = area(10.0, 10.0, 60.0, 20.0);
        // Syria's label point under the town's name, then two places with room.
        let syria = [
            area(20.0, 12.0, 70.0, 22.0),
            area(100.0, 50.0, 150.0, 60.0),
            area(20.0, 70.0, 70.0, 80.0),
        ];
        let basemap: Vec<(Area, Option<&str>)> = std::iter::once((town, None))
            .chain(syria.iter().map(|place| (*place, Some("Syria"))))
            .collect();
        let (_, kept) = decide(&[], &basemap, Vec::new(), Some(map));
        assert_eq!(kept, [true, false, true, false]);
    }

    #[test]
    fn a_name_takes_a_side_that_leaves_its_western_neighbour_its_own() {
        // Two places 100 px apart: the eastern name would fit left of its
        // point, over the western name's place; below is free for both.
        let west = ((0.0, 50.0), area(14.0, 45.0, 80.0, 55.0));
        let east = ((100.0, 50.0), area(114.0, 45.0, 180.0, 55.0));
        let map = area(-100.0, 0.0, 160.0, 100.0);
        let (sides, _) = decide(&[west, east], &[], Vec::new(), Some(map));
        assert_eq!(sides, [Some(Side::Right), Some(Side::Above)]);
    }
}
