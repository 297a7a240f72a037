//! Which way text runs, and keeping text that runs the other way from
//! reordering its neighbours.
//!
//! A language's direction comes from its script, as CLDR's likely subtags
//! give it (`ar` → `ar-Arab-EG`, Arabic script, right to left); the server
//! works it out ([`Dir::of_language`]) and the pages carry it as `dir`.
//! Inside a sentence, a name written the other way (an Arabic place in an
//! English sentence, a Latin title in an Arabic one) is wrapped in Unicode
//! isolates ([`isolate`]) where markup cannot do it (`<bdi>`, `dir="auto"`):
//! in attributes, titles and labels drawn on the map.

use std::borrow::Cow;

use unicode_bidi::BidiClass;

use crate::named::named;

named! {
    /// The direction text is written in, as HTML's `dir` names it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum Dir {
        #[default]
        Ltr = "ltr",
        Rtl = "rtl",
    }
}

impl Dir {
    /// The direction of a language's script (`ar`, `fa`, `ur`, `he`: right
    /// to left), from CLDR's likely subtags and script data; a tag that is
    /// not a language is read left to right.
    #[cfg(feature = "ssr")]
    pub fn of_language(tag: &str) -> Self {
        use icu_locale::LocaleDirectionality;
        // Made from data compiled in, at no cost.
        let directions = LocaleDirectionality::new_extended();
        tag.parse::<icu_locale::LanguageIdentifier>()
            .ok()
            .filter(|id| directions.is_right_to_left(id))
            .map_or(Self::Ltr, |_| Self::Rtl)
    }

    /// The direction of the first letter of `text` that has one (what
    /// `dir="auto"` decides); `None` if it has no letters.
    pub fn of_text(text: &str) -> Option<Self> {
        text.chars().find_map(strong)
    }
}

/// The direction a character is written in, if it has one of its own.
fn strong(c: char) -> Option<Dir> {
    match unicode_bidi::bidi_class(c) {
        BidiClass::L => Some(Dir::Ltr),
        BidiClass::R | BidiClass::AL => Some(Dir::Rtl),
        _ => None,
    }
}

/// First strong isolate: the text between it and [`PDI`] takes its
/// direction from its own first letter and is laid out apart from its
/// neighbours.
pub const FSI: char = '\u{2068}';
/// Pop directional isolate: ends an [`FSI`].
pub const PDI: char = '\u{2069}';

/// `text` as a part of a sentence written in direction `around`: isolated
/// if it holds any letter written the other way (an English name in an
/// Arabic sentence, an Arabic one in an English sentence), as it is.
/// Text written the sentence's way needs no isolation, and is left
/// unchanged.
pub fn isolate(text: &str, around: Dir) -> Cow<'_, str> {
    if text.chars().filter_map(strong).any(|dir| dir != around) {
        Cow::Owned(format!("{FSI}{text}{PDI}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "ssr")]
    fn a_language_runs_the_way_its_script_does() {
        for rtl in ["ar", "ar-SY", "fa", "ur", "he", "ckb", "ps", "yi", "dv"] {
            assert_eq!(Dir::of_language(rtl), Dir::Rtl, "{rtl}");
        }
        // Azerbaijani in Arabic script is right to left, in Latin script not;
        // Kurdish (Kurmanji) is written in Latin letters.
        assert_eq!(Dir::of_language("az-Arab"), Dir::Rtl);
        for ltr in ["da", "en", "en-GB", "tr", "ku", "az", "zh", "", "not a tag"] {
            assert_eq!(Dir::of_language(ltr), Dir::Ltr, "{ltr}");
        }
    }

    #[test]
    fn text_runs_the_way_its_first_letter_does() {
        assert_eq!(Dir::of_text("عرسال"), Some(Dir::Rtl));
        assert_eq!(Dir::of_text("2017: عرسال"), Some(Dir::Rtl));
        assert_eq!(Dir::of_text("Arsal عرسال"), Some(Dir::Ltr));
        assert_eq!(Dir::of_text("± 25"), None);
    }

    #[test]
    fn only_text_written_the_other_way_is_isolated() {
        assert_eq!(isolate("Arsal", Dir::Ltr), "Arsal");
        assert_eq!(isolate("عرسال", Dir::Rtl), "عرسال");
        assert_eq!(isolate("25 km", Dir::Ltr), "25 km");
        assert_eq!(isolate("عرسال", Dir::Ltr), "\u{2068}عرسال\u{2069}");
        assert_eq!(isolate("Route M20", Dir::Rtl), "\u{2068}Route M20\u{2069}");
        assert_eq!(
            isolate("طريق M20", Dir::Rtl),
            "\u{2068}طريق M20\u{2069}",
            "mixed text is isolated in either direction"
        );
        assert_eq!(isolate("طريق M20", Dir::Ltr), "\u{2068}طريق M20\u{2069}");
    }
}
