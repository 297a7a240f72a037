//! The basemap's gazetteer (GeoNames places, with their Arabic names), for
//! placing a feature by name: `GET /desk/places?q=` suggests, and a
//! feature form's `place` puts the feature there.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The most places one search answers with.
pub const MAX_FOUND: usize = 10;
/// The longest query read; the rest is cut off.
const MAX_QUERY: usize = 100;

/// A place of the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_ar: Option<String>,
    pub lon: f64,
    pub lat: f64,
}

/// The gazetteer, largest places first.
#[derive(Debug, Clone, Default)]
pub struct Places(Vec<Place>);

impl Places {
    /// Reads the basemap's `places.geojson`. Without it the desk places
    /// nothing by name (and says so in the log): it still works otherwise.
    pub fn load(path: &Path) -> Self {
        #[derive(Deserialize)]
        struct Collection {
            features: Vec<Feature>,
        }
        #[derive(Deserialize)]
        struct Feature {
            geometry: geojson::Geometry,
            properties: Properties,
        }
        #[derive(Deserialize)]
        struct Properties {
            name: String,
            name_ar: Option<String>,
            #[serde(default)]
            population: u64,
        }
        let read = std::fs::read_to_string(path)
            .map_err(|error| error.to_string())
            .and_then(|text| {
                serde_json::from_str::<Collection>(&text).map_err(|error| error.to_string())
            });
        let mut features = match read {
            Ok(collection) => collection.features,
            Err(error) => {
                tracing::warn!(file = %path.display(), %error, "the desk cannot place features by name");
                return Self::default();
            }
        };
        features.sort_by_key(|feature| std::cmp::Reverse(feature.properties.population));
        Self(
            features
                .into_iter()
                .filter_map(|feature| match feature.geometry.value {
                    geojson::Value::Point(point) if point.len() >= 2 => Some(Place {
                        name: feature.properties.name,
                        name_ar: feature.properties.name_ar.filter(|name| !name.is_empty()),
                        lon: point[0],
                        lat: point[1],
                    }),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The places whose name (or Arabic name) holds `query`, those it
    /// starts first, largest first; at most [`MAX_FOUND`].
    pub fn search(&self, query: &str) -> Vec<&Place> {
        let query: String = query.trim().chars().take(MAX_QUERY).collect();
        if query.is_empty() {
            return Vec::new();
        }
        let query = query.to_lowercase();
        let names = |place: &Place| {
            [Some(place.name.to_lowercase()), place.name_ar.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
        };
        let starting = self.0.iter().filter(|place| {
            names(place)
                .iter()
                .any(|name| name.starts_with(query.as_str()))
        });
        let holding = self.0.iter().filter(|place| {
            names(place)
                .iter()
                .any(|name| name.contains(query.as_str()) && !name.starts_with(query.as_str()))
        });
        starting.chain(holding).take(MAX_FOUND).collect()
    }

    /// The place named `name` (in either language, any case), the largest
    /// of that name.
    pub fn find(&self, name: &str) -> Option<&Place> {
        let name = name.trim();
        self.0.iter().find(|place| {
            place.name.eq_ignore_ascii_case(name)
                || place.name.to_lowercase() == name.to_lowercase()
                || place.name_ar.as_deref() == Some(name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_found_by_either_name_the_largest_first() {
        let places = Places::load(Path::new("../public/basemap/places.geojson"));
        let beirut = places.find("beirut").expect("Beirut is on the basemap");
        assert_eq!(beirut.name_ar.as_deref(), Some("بيروت"));
        assert!((beirut.lon - 35.5).abs() < 0.1 && (beirut.lat - 33.9).abs() < 0.1);
        assert_eq!(
            places.find("بيروت").map(|place| &place.name),
            Some(&beirut.name)
        );
        let found = places.search("da");
        assert!(found.len() <= MAX_FOUND && !found.is_empty());
        assert!(found.iter().any(|place| place.name == "Damascus"));
        assert!(places.search("  ").is_empty());
        assert!(places.find("Atlantis").is_none());
    }
}
