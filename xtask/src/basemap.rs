//! Turns the reference basemap (Natural Earth, GSHHG, GeoNames) into the
//! small static files the map draws: simplified for the zoom range kort uses
//! (up to about zoom 10), coordinates rounded to ~10 m, properties dropped
//! except the names that labels need.

use std::path::Path;

use geo::{Geometry, Simplify};
use geojson::{Feature, FeatureCollection, GeoJson, JsonObject};

use crate::Result;

/// Tolerance of the Ramer–Douglas–Peucker simplification, in degrees
/// (about 500 m: under a pixel at zoom 8, two at zoom 10).
const TOLERANCE_DEG: f64 = 0.005;

/// Populated places smaller than this are left out of the labels.
const MIN_POPULATION: i64 = 10_000;

/// Major rivers to name, with places they are known to pass (lon, lat): the
/// GSHHG lines carry no names, so the longest line passing within
/// [`RIVER_ANCHOR_DEG`] of an anchor gets the river's name.
const RIVERS: &[River] = &[
    River {
        name: "Euphrates",
        arabic: "الفرات",
        anchors: &[(40.14, 35.336), (40.45, 35.02), (39.0, 35.95)],
    },
    River {
        name: "Orontes",
        arabic: "العاصي",
        anchors: &[(36.75, 35.13), (36.32, 35.81)],
    },
    River {
        name: "Litani",
        arabic: "الليطاني",
        anchors: &[(35.68, 33.55), (35.25, 33.34)],
    },
];

/// A river to name and places it passes, (lon, lat).
struct River {
    name: &'static str,
    arabic: &'static str,
    anchors: &'static [(f64, f64)],
}

/// How close (degrees, about 5 km) a river line must pass to an anchor.
const RIVER_ANCHOR_DEG: f64 = 0.05;

/// One output file: its name, its sources, and the properties kept.
struct Output {
    name: &'static str,
    inputs: &'static [&'static str],
    keep: &'static [&'static str],
}

/// The countries around the region, at 1:110m: land under the regional
/// detail, wherever a reader may pan, and the countries' names. Natural
/// Earth's whole world is 265 KB; it is cut to [`WORLD_BOX`], what a story
/// in the region can show.
const WORLD: Output = Output {
    name: "world",
    inputs: &["world/ne_110m_admin_0_countries"],
    keep: &[],
};

/// The lon/lat box the world's countries are cut to (west, south, east,
/// north): the regional clip box (lon 34.5–42.5, lat 32–37.5) and twice its
/// size around it, as far as the map lets a reader pan from a story in it
/// (`map::view`: twice the story's view around it).
const WORLD_BOX: [f64; 4] = [18.5, 21.0, 58.5, 48.5];

/// Countries' names in Danish (Dansk Sprognævn's forms), by Natural
/// Earth's English name: Natural Earth has none. A country missing here is
/// named in English on a Danish page, marked as English.
const DANISH: &[(&str, &str)] = &[
    ("Albania", "Albanien"),
    ("Armenia", "Armenien"),
    ("Azerbaijan", "Aserbajdsjan"),
    ("Bulgaria", "Bulgarien"),
    ("Cyprus", "Cypern"),
    ("Egypt", "Egypten"),
    ("Georgia", "Georgien"),
    ("Greece", "Grækenland"),
    ("Hungary", "Ungarn"),
    ("Iran", "Iran"),
    ("Iraq", "Irak"),
    ("Israel", "Israel"),
    ("Jordan", "Jordan"),
    ("Kosovo", "Kosovo"),
    ("Kuwait", "Kuwait"),
    ("Lebanon", "Libanon"),
    ("Moldova", "Moldova"),
    ("Montenegro", "Montenegro"),
    ("N. Cyprus", "Nordcypern"),
    ("North Macedonia", "Nordmakedonien"),
    ("Oman", "Oman"),
    ("Palestine", "Palæstina"),
    ("Qatar", "Qatar"),
    ("Romania", "Rumænien"),
    ("Saudi Arabia", "Saudi-Arabien"),
    ("Serbia", "Serbien"),
    ("Syria", "Syrien"),
    ("Turkey", "Tyrkiet"),
    ("United Arab Emirates", "De Forenede Arabiske Emirater"),
];

/// The regional detail's clip box (west, south, east, north), as the
/// reference files are cut (the app's `map::basemap::REGION`): where
/// stories in the region are, and so where countries need names beside
/// their own label points.
const REGION: [f64; 4] = [34.5, 32.0, 42.5, 37.5];

/// Least area (square degrees, about 5,000 km² here) of a country's part
/// of the region or of a quarter of it that gets a label point of its own.
const LABELLED_PART_DEG2: f64 = 0.5;

/// Tolerance of the simplification of the 1:110m countries, in degrees: as
/// coarse as the data (about 2 km).
const WORLD_TOLERANCE_DEG: f64 = 0.02;

const OUTPUTS: &[Output] = &[
    WORLD,
    Output {
        name: "land",
        inputs: &["gpuwm_ne_10m_land"],
        keep: &[],
    },
    Output {
        name: "lakes",
        inputs: &["gpuwm_ne_10m_lakes"],
        keep: &[],
    },
    Output {
        name: "rivers",
        inputs: &["gshhg_wdb_rivers_full"],
        keep: &[],
    },
    Output {
        name: "admin1-lines",
        inputs: &["gpuwm_ne_10m_admin_1_states_provinces_lines"],
        keep: &[],
    },
    Output {
        name: "borders",
        inputs: &["gpuwm_ne_10m_admin_0_boundary_lines_land"],
        keep: &[],
    },
    Output {
        name: "places",
        inputs: &["geonames_cities500"],
        keep: &["name", "name_ar", "population"],
    },
];

/// Reads the reference files in `from` and writes the basemap into `to`.
pub fn run(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for output in OUTPUTS {
        let mut features = Vec::new();
        for input in output.inputs {
            let path = from.join(format!("{input}.geojson"));
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let parsed: GeoJson = text
                .parse()
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let GeoJson::FeatureCollection(collection) = parsed else {
                return Err(format!("{}: expected a FeatureCollection", path.display()));
            };
            if output.name == WORLD.name {
                features.extend(collection.features.into_iter().filter_map(country));
            } else {
                features.extend(
                    collection
                        .features
                        .into_iter()
                        .filter_map(|feature| slim(feature, output.keep)),
                );
            }
        }
        if output.name == "rivers" {
            name_rivers(&mut features);
        }
        if output.keep.contains(&"population") {
            biggest_first(&mut features);
        }
        let collection = FeatureCollection {
            bbox: None,
            features,
            foreign_members: None,
        };
        let path = to.join(format!("{}.geojson", output.name));
        std::fs::write(&path, GeoJson::from(collection).to_string())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("xtask: wrote {}", path.display());
    }
    Ok(())
}

/// Orders places by population, biggest first (ties keep their order): the
/// map keeps bigger places' names where names would collide, and takes the
/// order from the file (`map::places` in the app).
fn biggest_first(places: &mut [Feature]) {
    places.sort_by_key(|place| {
        std::cmp::Reverse(
            place
                .property("population")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0),
        )
    });
}

/// Simplifies a feature's geometry, rounds it and keeps only `keep`.
fn slim(feature: Feature, keep: &[&str]) -> Option<Feature> {
    let properties = feature.properties.unwrap_or_default();
    if keep.contains(&"population")
        && properties
            .get("population")
            .and_then(serde_json::Value::as_i64)
            .is_none_or(|people| people < MIN_POPULATION)
    {
        return None;
    }
    let geometry: Geometry<f64> = feature.geometry?.try_into().ok()?;
    let is_point = matches!(geometry, Geometry::Point(_) | Geometry::MultiPoint(_));
    // Lines and areas files carry the odd stray point (GSHHG has one): it would draw as a marker.
    if is_point != keep.contains(&"population") {
        return None;
    }
    let simplified = match geometry {
        Geometry::LineString(line) if line.0.len() < 2 => return None,
        Geometry::LineString(line) => Geometry::LineString(line.simplify(TOLERANCE_DEG)),
        Geometry::MultiLineString(lines) => {
            Geometry::MultiLineString(lines.simplify(TOLERANCE_DEG))
        }
        Geometry::Polygon(polygon) => Geometry::Polygon(polygon.simplify(TOLERANCE_DEG)),
        Geometry::MultiPolygon(polygons) => {
            Geometry::MultiPolygon(polygons.simplify(TOLERANCE_DEG))
        }
        other => other,
    };
    let rounded = geo::MapCoords::map_coords(&simplified, |c| geo::Coord {
        x: round(c.x),
        y: round(c.y),
    });
    let kept: JsonObject = properties
        .into_iter()
        .filter(|(key, _)| keep.contains(&key.as_str()))
        // The map marks `name_ar` up as Arabic. GeoNames' field has held
        // names in another language's script ("adnہ" for Adana, "tێl yەvyv"
        // for Tel Aviv) and stray direction marks: a place is better
        // labelled in English alone.
        .filter(|(key, value)| key != "name_ar" || value.as_str().is_some_and(arabic_letters_only))
        .collect();
    Some(Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geojson::Value::from(&rounded))),
        id: None,
        properties: Some(kept),
        foreign_members: None,
    })
}

/// The part of a country of the world file inside [`WORLD_BOX`],
/// simplified, with its names where Natural Earth puts its label inside
/// the box (see [`country_names`]); `None` for a country outside it.
fn country(feature: Feature) -> Option<Feature> {
    use geo::{BooleanOps, MultiPolygon, Rect};
    let geometry: Geometry<f64> = feature.geometry?.try_into().ok()?;
    let properties = country_names(feature.properties.as_ref()?, &geometry);
    let [west, south, east, north] = WORLD_BOX;
    let area = Rect::new(
        geo::coord! { x: west, y: south },
        geo::coord! { x: east, y: north },
    )
    .to_polygon();
    let polygons = match geometry {
        Geometry::Polygon(polygon) => MultiPolygon(vec![polygon]),
        Geometry::MultiPolygon(polygons) => polygons,
        _ => return None,
    };
    let inside = polygons.intersection(&area).simplify(WORLD_TOLERANCE_DEG);
    if inside.0.is_empty() {
        return None;
    }
    let simplified = Geometry::MultiPolygon(inside);
    let rounded = geo::MapCoords::map_coords(&simplified, |c| geo::Coord {
        x: (c.x * 100.0).round() / 100.0,
        y: (c.y * 100.0).round() / 100.0,
    });
    Some(Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geojson::Value::from(&rounded))),
        id: None,
        properties,
        foreign_members: None,
    })
}

/// A country's names for its label, from Natural Earth's properties:
/// `name` (English), `name_ar`, `name_da` ([`DANISH`]), `labels` (where
/// its name may stand, lon/lat, best first: Natural Earth's label point,
/// then a point inside each sizeable part of the country in [`REGION`]
/// and in each quarter of it, for a map of the region whose names crowd
/// the label point) and `min_zoom` (the zoom Natural Earth labels it from,
/// as a whole level: the map's zooms are). `None` where the label point
/// is outside [`WORLD_BOX`] or the data lacks a field.
fn country_names(properties: &JsonObject, geometry: &Geometry<f64>) -> Option<JsonObject> {
    use serde_json::{Value, json};
    let text = |key: &str| properties.get(key).and_then(Value::as_str);
    let number = |key: &str| properties.get(key).and_then(Value::as_f64);
    let name = text("NAME")?;
    let (x, y) = (number("LABEL_X")?, number("LABEL_Y")?);
    let [west, south, east, north] = WORLD_BOX;
    if !(west..=east).contains(&x) || !(south..=north).contains(&y) {
        return None;
    }
    let mut names = JsonObject::new();
    names.insert("name".into(), json!(name));
    if let Some(arabic) = text("NAME_AR").filter(|name| arabic_letters_only(name)) {
        names.insert("name_ar".into(), json!(arabic));
    }
    if let Some((_, danish)) = DANISH.iter().find(|(english, _)| *english == name) {
        names.insert("name_da".into(), json!(danish));
    }
    let mut labels = vec![(x, y)];
    for point in region_points(geometry) {
        // One point per part: a quarter's that is near another's is the same part.
        if labels
            .iter()
            .all(|(lx, ly)| (lx - point.0).hypot(ly - point.1) > 1.0)
        {
            labels.push(point);
        }
    }
    let labels: Vec<[f64; 2]> = labels.iter().map(|(x, y)| [round(*x), round(*y)]).collect();
    names.insert("labels".into(), json!(labels));
    names.insert("min_zoom".into(), json!(number("MIN_LABEL")?.ceil()));
    Some(names)
}

/// A point inside the country's part of [`REGION`], and of each quarter
/// of it, where that part is at least [`LABELLED_PART_DEG2`] (its largest
/// polygon's interior point).
fn region_points(geometry: &Geometry<f64>) -> Vec<(f64, f64)> {
    use geo::{Area, BooleanOps, InteriorPoint, MultiPolygon, Rect};
    let polygons = match geometry {
        Geometry::Polygon(polygon) => MultiPolygon(vec![polygon.clone()]),
        Geometry::MultiPolygon(polygons) => polygons.clone(),
        _ => return Vec::new(),
    };
    let [west, south, east, north] = REGION;
    let (middle_x, middle_y) = (f64::midpoint(west, east), f64::midpoint(south, north));
    [
        (west, south, east, north),
        (west, middle_y, middle_x, north),
        (middle_x, middle_y, east, north),
        (west, south, middle_x, middle_y),
        (middle_x, south, east, middle_y),
    ]
    .into_iter()
    .filter_map(|(w, s, e, n)| {
        let area = Rect::new(geo::coord! { x: w, y: s }, geo::coord! { x: e, y: n }).to_polygon();
        let part = polygons.intersection(&area);
        let largest = part
            .0
            .into_iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
        (largest.unsigned_area() >= LABELLED_PART_DEG2)
            .then(|| largest.interior_point())
            .flatten()
            .map(|point| (point.x(), point.y()))
    })
    .collect()
}

/// Gives each river in [`RIVERS`] its name, on its longest line near an anchor.
fn name_rivers(features: &mut [Feature]) {
    use geo::{Haversine, Length};
    for River {
        name,
        arabic,
        anchors,
    } in RIVERS
    {
        let longest = features
            .iter()
            .enumerate()
            .filter_map(|(index, feature)| {
                let geometry: Geometry<f64> = feature.geometry.clone()?.try_into().ok()?;
                let lines = match geometry {
                    Geometry::LineString(line) => vec![line],
                    Geometry::MultiLineString(lines) => lines.0,
                    _ => return None,
                };
                let near = lines.iter().flat_map(|line| line.points()).any(|point| {
                    anchors.iter().any(|&(lon, lat)| {
                        (point.x() - lon).abs() < RIVER_ANCHOR_DEG
                            && (point.y() - lat).abs() < RIVER_ANCHOR_DEG
                    })
                });
                let metres: f64 = lines.iter().map(|line| Haversine.length(line)).sum();
                near.then_some((index, metres))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((index, _)) = longest {
            features[index].set_property("name", *name);
            features[index].set_property("name_ar", *arabic);
        }
    }
}

/// Whether `name` is written in the Arabic language's letters alone: its
/// 28 letters and their hamza and alef forms (U+0621–U+064A, U+0671),
/// vowel marks (U+064B–U+0652), and single spaces between words. Latin
/// letters, digits, letters only Persian, Urdu or Kurdish use, tatweel and
/// invisible direction or joining marks are not.
fn arabic_letters_only(name: &str) -> bool {
    let letter =
        |c: char| matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}');
    let mark = |c: char| matches!(c, '\u{064B}'..='\u{0652}');
    !name.is_empty()
        && name.split(' ').all(|word| {
            word.chars().next().is_some_and(letter) && word.chars().all(|c| letter(c) || mark(c))
        })
}

/// Four decimals: about 11 m at the equator.
fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_places_are_dropped_and_names_kept() {
        let geojson: GeoJson =
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[36.42081,34.17943]},
            "properties":{"name":"Arsal","name_ar":"عرسال","population":40000,"cc":"LB"}}"#
                .parse()
                .expect("valid GeoJSON");
        let feature = Feature::try_from(geojson).expect("a feature");
        let slimmed = slim(feature.clone(), &["name", "name_ar", "population"]).expect("kept");
        let properties = slimmed.properties.expect("properties");
        assert_eq!(
            properties.get("name_ar").and_then(|v| v.as_str()),
            Some("عرسال")
        );
        assert!(!properties.contains_key("cc"));
        let coordinates = match slimmed.geometry.expect("geometry").value {
            geojson::Value::Point(position) => position,
            other => panic!("expected a point, got {other:?}"),
        };
        assert_eq!(coordinates, [36.4208, 34.1794]);
        let mut village = feature.clone();
        village.set_property("population", 600);
        assert!(slim(village, &["name", "population"]).is_none());
        assert!(
            slim(feature, &[]).is_none(),
            "a point in a lines file is dropped"
        );
    }

    #[test]
    fn names_in_another_script_are_not_kept_as_arabic() {
        for arabic in ["عرسال", "دير الزور", "البوكمال", "ٱلرقة", "حلب"]
        {
            assert!(arabic_letters_only(arabic), "{arabic}");
        }
        // From GeoNames: Adana, Tel Aviv, Latakia, a name with a trailing
        // space, names with a left-to-right mark; a Persian and a Latin
        // name, digits, tatweel.
        for other in [
            "adnہ",
            "tێl yەvyv",
            "ladhqyہ",
            "د مشق ",
            "الطيبة\u{200e}",
            "الحولة\u{200e}\u{200e}",
            "پاریس",
            "Arsal",
            "T2",
            "حـلب",
            "",
        ] {
            assert!(!arabic_letters_only(other), "{other:?}");
        }
        let geojson: GeoJson =
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[35.33,36.99]},
            "properties":{"name":"Adana","name_ar":"adnہ","population":1816750}}"#
                .parse()
                .expect("valid GeoJSON");
        let feature = Feature::try_from(geojson).expect("a feature");
        let slimmed = slim(feature, &["name", "name_ar", "population"]).expect("kept");
        let properties = slimmed.properties.expect("properties");
        assert!(!properties.contains_key("name_ar"));
        assert_eq!(
            properties.get("name").and_then(|v| v.as_str()),
            Some("Adana")
        );
    }

    #[test]
    fn places_are_listed_biggest_first() {
        let place = |name: &str, population: i64| {
            let mut feature = Feature::from(geojson::Value::Point(vec![36.0, 34.0]));
            feature.set_property("name", name);
            feature.set_property("population", population);
            feature
        };
        let mut places = vec![
            place("Arsal", 40_000),
            place("Aleppo", 2_098_210),
            place("Qara", 25_000),
            place("Homs", 775_404),
        ];
        biggest_first(&mut places);
        let names: Vec<_> = places
            .iter()
            .filter_map(|place| place.property("name").and_then(|v| v.as_str()))
            .collect();
        assert_eq!(names, ["Aleppo", "Homs", "Arsal", "Qara"]);
    }

    #[test]
    fn the_longest_line_past_deir_ez_zor_is_the_euphrates() {
        let line = |coordinates: Vec<(f64, f64)>| {
            let line: geo::LineString<f64> = coordinates.into();
            Feature::from(geojson::Value::from(&line))
        };
        let mut features = vec![
            line(vec![(40.10, 35.30), (40.14, 35.33)]),
            line(vec![(39.5, 35.7), (40.14, 35.336), (40.9, 34.45)]),
            line(vec![(38.0, 33.0), (38.5, 33.2)]),
        ];
        name_rivers(&mut features);
        let name = |feature: &Feature| {
            feature
                .property("name")
                .and_then(|v| v.as_str().map(str::to_owned))
        };
        assert_eq!(name(&features[0]), None, "shorter");
        assert_eq!(name(&features[1]).as_deref(), Some("Euphrates"));
        assert_eq!(name(&features[2]), None, "far from every anchor");
    }

    #[test]
    fn coordinates_are_rounded_to_four_decimals() {
        assert!((round(36.420_81) - 36.4208).abs() < 1e-9);
    }

    /// The labels readers see: every Arabic name the published basemap
    /// carries (places and rivers) is written in Arabic letters alone, and
    /// the places that were mislabelled have their Arabic names.
    #[test]
    fn the_published_basemap_labels_in_arabic_letters_only() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/basemap");
        let mut names = std::collections::BTreeMap::new();
        for file in ["places", "rivers"] {
            let path = folder.join(format!("{file}.geojson"));
            let text = std::fs::read_to_string(&path).expect("the published basemap");
            let GeoJson::FeatureCollection(collection) = text.parse().expect("GeoJSON") else {
                panic!("{}: not a FeatureCollection", path.display());
            };
            for feature in collection.features {
                let name = |key| {
                    feature
                        .property(key)
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                };
                if let Some(arabic) = name("name_ar") {
                    assert!(
                        arabic_letters_only(&arabic),
                        "{file}.geojson: {:?} is labelled {arabic:?}, not in Arabic letters only",
                        name("name")
                    );
                    names.insert(name("name").unwrap_or_default(), arabic);
                }
            }
        }
        for (place, arabic) in [
            ("Haifa", "حيفا"),
            ("Tel Aviv", "تل أبيب"),
            ("Damascus", "دمشق"),
            ("Ţarţūs", "طرطوس"),
            ("Tripoli", "طرابلس"),
            ("Ālbū Kamāl", "البوكمال"),
            ("Euphrates", "الفرات"),
        ] {
            assert_eq!(
                names.get(place).map(String::as_str),
                Some(arabic),
                "{place}"
            );
        }
    }

    /// The countries the story is about are named in the three languages,
    /// at Natural Earth's label points, from its zooms; a country whose
    /// label point is far outside the region is not.
    #[test]
    fn the_published_world_names_the_countries_of_the_region() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/basemap/world.geojson");
        let text = std::fs::read_to_string(&path).expect("the published basemap");
        let GeoJson::FeatureCollection(collection) = text.parse().expect("GeoJSON") else {
            panic!("{}: not a FeatureCollection", path.display());
        };
        let named: Vec<&JsonObject> = collection
            .features
            .iter()
            .filter_map(|feature| feature.properties.as_ref())
            .filter(|properties| properties.contains_key("name"))
            .collect();
        let country = |english: &str| {
            named
                .iter()
                .find(|p| p.get("name").and_then(|v| v.as_str()) == Some(english))
                .unwrap_or_else(|| panic!("{english} is not named"))
        };
        let syria = country("Syria");
        assert_eq!(syria["name_ar"], "سوريا");
        assert_eq!(syria["name_da"], "Syrien");
        assert_eq!(syria["min_zoom"], 3.0);
        // Natural Earth's label point first, then points inside its parts
        // of the region.
        let labels = syria["labels"].as_array().expect("labels");
        assert_eq!(labels[0], serde_json::json!([38.2778, 35.0066]));
        assert!(labels.len() >= 3, "{labels:?}");
        for label in &labels[1..] {
            let (x, y) = (
                label[0].as_f64().expect("lon"),
                label[1].as_f64().expect("lat"),
            );
            assert!(
                (34.5..=42.5).contains(&x) && (32.0..=37.5).contains(&y),
                "{label:?}"
            );
        }
        assert_eq!(country("Lebanon")["name_da"], "Libanon");
        assert_eq!(country("Iraq")["name_da"], "Irak");
        // Its label point is off the map (Natural Earth's is in Tunisia, 9°E).
        assert!(named.iter().all(|p| p["name"] != "Tunisia"));
        for properties in &named {
            assert!(
                properties.contains_key("name_da"),
                "{:?} has no Danish name",
                properties["name"]
            );
        }
    }
}
