//! Countries' names on the basemap, in the reader's language: the story is
//! about their borders. The world file carries them on its countries
//! (`cargo xtask basemap`: Natural Earth's names and label points, and a
//! list of the Danish forms), each shown from the zoom Natural Earth
//! labels the country at. They give way to every other name on the map;
//! where the story's names crowd a country's label point, its name stands
//! at the next of its points that has room (`declutter`).

use wasm_bindgen::JsValue;

use super::bindings::layer_group;
use super::js;
use super::places::{ZoomedLabels, name_marker};
use crate::i18n::Lang;

/// The class of a country's name on the map (the style sheet sets it in
/// spaced capitals, centred on its point).
pub const CLASS: &str = "basemap-label country-label";

/// A country's names, as the world file gives them.
pub struct Names<'a> {
    pub en: &'a str,
    pub ar: Option<&'a str>,
    pub da: Option<&'a str>,
}

impl<'a> Names<'a> {
    /// The name a reader of `lang` reads, and the tag of its language: the
    /// English where the file has none in the reader's.
    pub fn read_in(&self, lang: Lang) -> (&'a str, &'static str) {
        match lang {
            Lang::Ar => self.ar,
            Lang::Da => self.da,
            Lang::En => None,
        }
        .map_or((self.en, Lang::En.tag()), |name| (name, lang.tag()))
    }
}

/// The countries named in the world file's `data`, as labels on `map` in
/// the language `lang`, in the order of the zooms Natural Earth names them
/// from (the bigger countries first).
pub fn labels(map: &leaflet::Map, data: &JsValue, lang: Lang) -> ZoomedLabels {
    let mut countries: Vec<(f64, JsValue)> = js_sys::Array::from(&js::get(data, "features"))
        .iter()
        .filter_map(|feature| {
            let properties = js::get(&feature, "properties");
            Some((js::number(&properties, "min_zoom")?, feature))
        })
        .collect();
    countries.sort_by(|a, b| a.0.total_cmp(&b.0));
    ZoomedLabels::new(
        map,
        countries,
        Box::new(move |feature| label(feature, lang)),
    )
}

/// A country's name at each of its label points, best first (`declutter`
/// keeps the first with room).
fn label(feature: &JsValue, lang: Lang) -> Option<leaflet::Layer> {
    let properties = js::get(feature, "properties");
    let [en, ar, da] = ["name", "name_ar", "name_da"].map(|key| js::string(&properties, key));
    let names = Names {
        en: en.as_deref()?,
        ar: ar.as_deref(),
        da: da.as_deref(),
    };
    let (name, tag) = names.read_in(lang);
    let document = web_sys::window()?.document()?;
    let markers = js_sys::Array::new();
    for point in js_sys::Array::from(&js::get(&properties, "labels")).iter() {
        let point = js_sys::Array::from(&point);
        let (Some(lon), Some(lat)) = (point.get(0).as_f64(), point.get(1).as_f64()) else {
            continue;
        };
        let content = document.create_element("span").ok()?;
        content.set_attribute("lang", tag).ok()?;
        content.set_text_content(Some(name));
        markers.push(&name_marker(
            &leaflet::LatLng::new(lat, lon).into(),
            CLASS,
            content,
        ));
    }
    Some(layer_group(&markers, &JsValue::UNDEFINED).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_gets_the_name_in_their_language_or_the_english_marked_as_english() {
        let syria = Names {
            en: "Syria",
            ar: Some("سوريا"),
            da: Some("Syrien"),
        };
        assert_eq!(syria.read_in(Lang::Da), ("Syrien", "da"));
        assert_eq!(syria.read_in(Lang::Ar), ("سوريا", "ar"));
        assert_eq!(syria.read_in(Lang::En), ("Syria", "en"));
        let unnamed = Names {
            en: "Kosovo",
            ar: None,
            da: None,
        };
        assert_eq!(unnamed.read_in(Lang::Ar), ("Kosovo", "en"));
    }
}
