//! The interface in Danish, English and Arabic.
//!
//! Every string the interface shows lives in [`en`], [`da`] or [`ar`], one
//! file per language, as a [`Texts`] (a string missing in one is a compile
//! error; one left in English is a test failure). Which one a page uses is decided once per request
//! ([`Lang::resolve`]): the `?lang=` of the URL, else the reader's
//! `Accept-Language`, else the story's own language.
//!
//! Story data (titles, notes, sources) is shown as the editors wrote it; the
//! article itself comes in every language the story has a text for.

pub mod ar;
pub mod bidi;
pub mod da;
pub mod en;

pub use bidi::{Dir, isolate};

use crate::date::{DateSpec, DateWords};
use crate::named::named;
use leptos::prelude::*;

named! {
    /// A language the interface speaks, written as its tag.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum Lang {
        Da = "da",
        #[default]
        En = "en",
        Ar = "ar",
    }
}

impl Lang {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Self; 3] = [Self::Da, Self::En, Self::Ar];

    /// The BCP 47 tag, as `lang=` and `<html lang>` write it.
    pub fn tag(self) -> &'static str {
        self.name()
    }

    /// The language's name in itself, for the language switch.
    pub fn autonym(self) -> &'static str {
        match self {
            Self::Da => "Dansk",
            Self::En => "English",
            Self::Ar => "العربية",
        }
    }

    /// The interface strings.
    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Da => &da::TEXTS,
            Self::En => &en::TEXTS,
            Self::Ar => &ar::TEXTS,
        }
    }

    /// The OpenGraph locale.
    pub fn og_locale(self) -> &'static str {
        match self {
            Self::Da => "da_DK",
            Self::En => "en_GB",
            Self::Ar => "ar_AR",
        }
    }

    /// The direction the interface runs in: its script's (a test holds
    /// this to CLDR's, [`Dir::of_language`]).
    pub fn dir(self) -> Dir {
        match self {
            Self::Da | Self::En => Dir::Ltr,
            Self::Ar => Dir::Rtl,
        }
    }

    /// `text` as a part of a sentence in this language: isolated if it is
    /// written (even in part) the other way ([`isolate`]).
    pub fn isolate(self, text: &str) -> std::borrow::Cow<'_, str> {
        isolate(text, self.dir())
    }

    /// Reads `?lang=`: exactly `da`, `en` or `ar`.
    pub fn from_param(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|lang| lang.tag() == value)
    }

    /// Reads a language tag (`da`, `en`, `en-GB`, `DA`); other languages are `None`.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "da" => Some(Self::Da),
            "en" => Some(Self::En),
            "ar" => Some(Self::Ar),
            _ => None,
        }
    }

    /// The reader's most preferred language that kort speaks, from an
    /// `Accept-Language` header (RFC 9110: weights, `q=0` means "not this";
    /// among equal weights the header's order stands).
    #[cfg(feature = "ssr")]
    pub fn from_accept_language(header: &str) -> Option<Self> {
        accept_language::parse_with_quality(header)
            .into_iter()
            .filter(|(_, weight)| *weight > 0.0 && *weight <= 1.0)
            .find_map(|(tag, _)| Self::parse(&tag))
    }

    /// The interface language of a request: `?lang=`, else the reader's,
    /// else the story's language, else English.
    pub fn resolve(param: Option<&str>, reader: Option<Self>, story: Option<&str>) -> Self {
        param
            .and_then(Self::from_param)
            .or(reader)
            .or_else(|| story.and_then(Self::parse))
            .unwrap_or_default()
    }

    /// A date as the story gives it, in words; the text itself if it is not a date.
    pub fn date(self, text: &str) -> String {
        DateSpec::parse(text).map_or_else(
            |_| text.to_owned(),
            |date| self.digits(&date.describe_in(&self.texts().date)),
        )
    }

    /// `text` with its digits written in this language's (CLDR's default
    /// numbering system: Arabic-Indic digits for Arabic).
    pub fn digits(self, text: &str) -> String {
        let digits = &self.texts().numbers.digits;
        text.chars()
            .map(|c| c.to_digit(10).map_or(c, |d| digits[d as usize]))
            .collect()
    }

    /// A count with this language's digits and thousands separator:
    /// "50,000", "50.000", "٥٠٬٠٠٠".
    pub fn count(self, n: usize) -> String {
        let digits = n.to_string();
        let mark = self.texts().numbers.group;
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(mark);
            }
            out.push(digit);
        }
        self.digits(&out)
    }

    /// "± 25 km", "± 2,5 km", "± ٢٫٥ كم": an uncertainty radius in metres,
    /// with this language's digits, decimal mark and units.
    pub fn uncertainty(self, metres: f64) -> String {
        let numbers = &self.texts().numbers;
        let text = crate::model::format_uncertainty(metres);
        let text = match text.strip_suffix(" km") {
            Some(number) => format!("{number} {}", numbers.kilometres),
            None => match text.strip_suffix(" m") {
                Some(number) => format!("{number} {}", numbers.metres),
                None => text,
            },
        };
        self.digits(&text.replace('.', &numbers.decimal.to_string()))
    }
}

/// The interface language of the page being rendered. Pages provide it once
/// they know it; anything rendered before that speaks English.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The interface strings of the page being rendered.
pub fn use_texts() -> &'static Texts {
    use_lang().texts()
}

/// The interface language of this request: `param` (the page's `?lang=`),
/// else, on the server, the request's `Accept-Language` and, in the browser,
/// the `<html lang>` the server chose from it; else the story's language.
pub fn request_lang(param: Option<&str>, story: Option<&str>) -> Lang {
    #[cfg(feature = "ssr")]
    let reader = use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(Lang::from_accept_language)
    });
    #[cfg(not(feature = "ssr"))]
    let reader = document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|tag| Lang::parse(&tag));
    Lang::resolve(param, reader, story)
}

/// The interface language of a page that is no story's (the front page,
/// About, 404): from its `?lang=`, else the reader's; provided to the
/// page's components.
pub fn provide_page_lang() -> Lang {
    let lang = request_lang(
        leptos_router::hooks::use_query_map()
            .read_untracked()
            .get("lang")
            .as_deref(),
        None,
    );
    provide_context(lang);
    lang
}

/// How a language writes numbers, as CLDR gives it for its default
/// numbering system.
#[derive(Debug)]
pub struct Numbers {
    /// Zero to nine.
    pub digits: [char; 10],
    /// Between thousands.
    pub group: char,
    /// Before decimals.
    pub decimal: char,
    /// The units' short names.
    pub metres: &'static str,
    pub kilometres: &'static str,
}

/// Every string of the interface, in one language.
#[derive(Debug)]
pub struct Texts {
    /// Month names and how a day number is written.
    pub date: DateWords,
    pub numbers: Numbers,

    // The site.
    pub tagline: &'static str,
    pub stories: &'static str,
    pub no_stories: &'static str,
    pub all_stories: &'static str,
    pub skip_to_article: &'static str,
    pub skip_to_map: &'static str,
    pub skip_to_content: &'static str,
    pub language: &'static str,
    /// The front page: before the languages a story can be read in (each
    /// named in itself).
    pub read_in: &'static str,

    // The About page and the footer.
    pub about: &'static str,
    /// The About page's lead, and the footer's link to it.
    pub about_lead: &'static str,
    pub corrections_policy: &'static str,
    pub contact: &'static str,
    /// Where the site gives no contact address.
    pub no_contact: &'static str,
    pub map_data: &'static str,

    // Not found.
    pub not_found: &'static str,
    pub no_page: &'static str,
    pub unavailable: fn(slug: &str) -> String,
    pub no_such_story: fn(slug: &str) -> String,
    pub no_feature: fn(story: &str, feature: &str) -> String,
    /// A removed feature's old address: "“Bridge” was removed from this
    /// story on 5 December 2026." (the note follows).
    pub removed_feature: fn(title: &str, date: &str) -> String,
    /// The link to the last revision that had a removed feature.
    pub as_it_was: &'static str,

    // Revisions and corrections.
    /// Above an earlier revision: "This is the version of 30 August 2017."
    pub revision_notice: fn(date: &str) -> String,
    pub read_latest: &'static str,
    pub corrections: &'static str,
    /// Correction, update, clarification (as `model::ChangeKind`).
    pub change_kinds: [&'static str; 3],
    /// Under the byline of a story that has corrections.
    pub has_corrections: &'static str,
    pub version_before: &'static str,
    /// In a changed feature's panel: "Correction, 5 December 2026:".
    pub changed_on: fn(kind: &str, date: &str) -> String,
    pub back_to: fn(story: &str) -> String,

    // The story page.
    pub translated_by: fn(from: &str, translator: &str) -> String,
    pub read_original: fn(language: &str) -> String,
    pub read_translation: fn(language: &str) -> String,
    pub language_name: fn(tag: &str) -> String,
    pub download: &'static str,
    pub download_geojson: &'static str,
    pub download_kml: &'static str,
    pub share: &'static str,
    pub shared: &'static str,
    pub copied: &'static str,
    pub copy_this: fn(url: &str) -> String,
    pub read_on_kort: &'static str,
    /// Above a draft's preview, at the desk.
    pub preview_notice: &'static str,
    pub back_to_desk: &'static str,
    pub also_about: fn(feature: &str) -> String,

    // The map.
    pub map_label: fn(story: &str) -> String,
    pub map_loading: &'static str,
    pub map_needs_js: &'static str,
    pub map_help: &'static str,
    /// Over an embedded map, as the wheel scrolls the host page past it.
    pub wheel_hint: &'static str,
    /// Over a map that one finger does not move: how to move it.
    pub touch_hint: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub selected_announcement: fn(feature: &str) -> String,
    /// A cluster of a large layer's features on the map, by how many.
    pub cluster_label: fn(count: f64) -> String,
    pub cleared_announcement: &'static str,

    // Layers and legend.
    pub layers_and_legend: &'static str,
    pub show_on_map: &'static str,
    pub show_checked: &'static str,
    pub symbols: &'static str,
    pub legend_chevrons: &'static str,
    pub legend_stop: &'static str,
    pub legend_halo: &'static str,
    pub legend_edge: &'static str,

    // The feature list.
    pub on_the_map: &'static str,
    pub hidden_on_map: &'static str,
    /// Under a large layer's list: how many of its features the article
    /// mentions (listed above) and how many there are.
    pub layer_mentioned: fn(listed: &str, total: &str) -> String,
    /// Opens a large layer's features a page at a time.
    pub browse_all: fn(total: &str) -> String,
    pub page_of: fn(page: usize, pages: usize) -> String,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub kind_place: &'static str,
    pub kind_route: &'static str,
    pub kind_area: &'static str,
    pub kind_shapes: &'static str,
    pub approximate: fn(uncertainty: &str) -> String,
    /// A remote layer's origin and the date and time (UTC) of its copy.
    pub remote_fetched: fn(host: &str, date: &str, time: &str) -> String,
    /// A remote layer not fetched yet.
    pub remote_pending: fn(host: &str) -> String,
    /// Beside a feature dated after the article.
    pub after_the_article: &'static str,
    /// Beside a feature that had not happened by the time shown.
    pub not_yet: &'static str,

    // The timeline.
    pub timeline: &'static str,
    pub timeline_at: fn(date: &str) -> String,
    pub timeline_range: fn(dates: &str) -> String,
    pub timeline_all: &'static str,
    pub timeline_published: &'static str,
    pub timeline_earlier: fn(count: usize) -> String,
    pub timeline_later: fn(count: usize) -> String,
    pub timeline_previous: &'static str,
    pub timeline_next: &'static str,
    pub timeline_play: &'static str,
    pub timeline_pause: &'static str,
    pub timeline_everything: &'static str,
    pub timeline_zoom_in: &'static str,
    pub timeline_zoom_out: &'static str,
    pub timeline_date: &'static str,
    pub timeline_later_key: &'static str,
    /// Under the axis, before a mark is chosen.
    pub timeline_tap_a_mark: &'static str,

    // The panel.
    pub panel_label: &'static str,
    pub close_panel: &'static str,
    /// In the panel of a feature whose layer is hidden, and the link that
    /// shows the layer.
    pub layer_hidden: &'static str,
    pub show_layer: &'static str,
    pub approximate_position: fn(uncertainty: &str) -> String,
    /// The panel's line for a position published on a coarse grid ("± 5 km").
    pub protected_position: fn(grid: &str) -> String,
    /// Between the parts of a line of details (" · "; not in Arabic, where
    /// a middle dot reads as the digit zero, ٠).
    pub separator: &'static str,
    /// Between the items of a list.
    pub comma: &'static str,
    /// Around a quotation.
    pub quotes: [&'static str; 2],
    pub in_the_article: &'static str,
    pub sources: &'static str,
    pub all_sources: &'static str,
    pub open_source: &'static str,
    pub new_tab: &'static str,
    pub wire_report: &'static str,
    pub social_media_post: &'static str,
    pub official_statement: &'static str,
    pub monitoring_group: &'static str,
    pub other_press: &'static str,
    pub gazetteer: &'static str,
    pub other_source: &'static str,
    /// Where a source has no web address (a phone call, a printed paper).
    pub no_public_link: &'static str,
    pub archived_copy: &'static str,
    /// After the archived copy's link: "made 31 August 2017".
    pub archived_on: fn(date: &str) -> String,
    /// Before a file's hash.
    pub file_hash: &'static str,
    pub photo: &'static str,
    pub video: &'static str,
    pub satellite_image: &'static str,
    pub credit: fn(who: &str) -> String,
    /// The button that shows a picture held back by its warning.
    pub show_media: fn(warning: &str) -> String,
    /// "Video posted by …", the first link of a position's chain.
    pub posted_by: fn(what: &str, who: &str) -> String,
    /// "geolocated by … by matching …".
    pub geolocated_by: fn(who: &str, how: &str) -> String,
    /// How a position was found: visual match, shadows, official
    /// statement, gazetteer, estimate (as `GeolocationMethod`).
    pub methods: [&'static str; 5],
    /// The chain's heading, for assistive technology.
    pub provenance: &'static str,
    /// A link that proves a geolocation, by its number.
    pub evidence: fn(n: usize) -> String,

    // Social previews.
    pub map_of_feature: fn(feature: &str, story: &str) -> String,
    pub map_of_story: fn(story: &str) -> String,
}

impl Texts {
    /// The words for a kind of source.
    pub fn source_kind(&self, kind: crate::model::SourceKind) -> &'static str {
        use crate::model::SourceKind;
        match kind {
            SourceKind::WireReport => self.wire_report,
            SourceKind::SocialMediaPost => self.social_media_post,
            SourceKind::OfficialStatement => self.official_statement,
            SourceKind::MonitoringGroup => self.monitoring_group,
            SourceKind::OtherPress => self.other_press,
            SourceKind::Gazetteer => self.gazetteer,
            SourceKind::Other => self.other_source,
        }
    }

    /// The words for a kind of change.
    pub fn change_kind(&self, kind: crate::model::ChangeKind) -> &'static str {
        use crate::model::ChangeKind;
        self.change_kinds[match kind {
            ChangeKind::Correction => 0,
            ChangeKind::Update => 1,
            ChangeKind::Clarification => 2,
        }]
    }

    /// The words for a kind of picture.
    pub fn media_kind(&self, kind: crate::model::MediaKind) -> &'static str {
        use crate::model::MediaKind;
        match kind {
            MediaKind::Photo => self.photo,
            MediaKind::Video => self.video,
            MediaKind::SatelliteImage => self.satellite_image,
        }
    }

    /// How a position was found, in words that follow "geolocated by …".
    pub fn method(&self, method: crate::model::GeolocationMethod) -> &'static str {
        use crate::model::GeolocationMethod;
        self.methods[match method {
            GeolocationMethod::VisualMatch => 0,
            GeolocationMethod::Shadows => 1,
            GeolocationMethod::OfficialStatement => 2,
            GeolocationMethod::Gazetteer => 3,
            GeolocationMethod::Estimate => 4,
        }]
    }

    /// What a geometry is, in words.
    pub fn kind(&self, kind: crate::model::GeometryKind) -> &'static str {
        use crate::model::GeometryKind;
        match kind {
            GeometryKind::Point | GeometryKind::MultiPoint => self.kind_place,
            GeometryKind::LineString | GeometryKind::MultiLineString => self.kind_route,
            GeometryKind::Polygon | GeometryKind::MultiPolygon => self.kind_area,
            GeometryKind::GeometryCollection => self.kind_shapes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_the_language_s_thousands_mark() {
        assert_eq!(Lang::En.count(50_000), "50,000");
        assert_eq!(Lang::Da.count(50_000), "50.000");
        assert_eq!(Lang::En.count(999), "999");
        assert_eq!(Lang::En.count(1_234_567), "1,234,567");
    }

    #[test]
    fn the_url_wins_then_the_reader_then_the_story() {
        assert_eq!(
            Lang::resolve(Some("en"), Some(Lang::Da), Some("da")),
            Lang::En
        );
        assert_eq!(
            Lang::resolve(Some("xx"), Some(Lang::Da), Some("en")),
            Lang::Da
        );
        let reader = Lang::from_accept_language("fr, de;q=0.5");
        assert_eq!(Lang::resolve(None, reader, Some("da")), Lang::Da);
        assert_eq!(Lang::resolve(None, None, Some("ar")), Lang::Ar);
        assert_eq!(Lang::resolve(None, None, Some("fa")), Lang::En);
        assert_eq!(
            Lang::resolve(None, Lang::from_accept_language("ar-SY,ar;q=0.9"), None),
            Lang::Ar
        );
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn each_interface_runs_the_way_cldr_says_its_language_is_written() {
        for lang in Lang::ALL {
            assert_eq!(lang.dir(), Dir::of_language(lang.tag()), "{lang:?}");
        }
    }

    #[test]
    fn arabic_dates_and_numbers_are_cldr_s() {
        // CLDR `ar`: Gregorian month names (format, wide), "d MMMM y", the
        // `arab` numbering system, ٬ between thousands, ٫ before decimals.
        assert_eq!(Lang::Ar.date("2017-08-30"), "٣٠ أغسطس ٢٠١٧");
        assert_eq!(Lang::Ar.date("2017-08-28/2017-08-29"), "٢٨–٢٩ أغسطس ٢٠١٧");
        assert_eq!(
            Lang::Ar.date("2017-09-13/2017-09-14~"),
            "نحو ١٣–١٤ سبتمبر ٢٠١٧"
        );
        assert_eq!(Lang::Ar.date("2014-08"), "أغسطس ٢٠١٤");
        assert_eq!(Lang::Ar.count(50_000), "٥٠٬٠٠٠");
        assert_eq!(Lang::Ar.uncertainty(2_500.0), "± ٢٫٥ كم");
        assert_eq!(Lang::Ar.uncertainty(800.0), "± ٨٠٠ م");
        assert_eq!((Lang::Ar.texts().page_of)(2, 12), "الصفحة ٢ من ١٢");
    }

    #[test]
    fn story_names_are_isolated_inside_sentences_written_the_other_way() {
        assert_eq!(
            (Lang::Ar.texts().map_label)("Arsal"),
            "خريطة قصة «\u{2068}Arsal\u{2069}»"
        );
        assert_eq!((Lang::Ar.texts().map_label)("عرسال"), "خريطة قصة «عرسال»");
        assert_eq!(
            (Lang::En.texts().selected_announcement)("عرسال"),
            "Selected: \u{2068}عرسال\u{2069}"
        );
        assert_eq!(
            (Lang::Da.texts().selected_announcement)("Arsal"),
            "Valgt: Arsal"
        );
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn accept_language_weights_are_honoured() {
        assert_eq!(
            Lang::from_accept_language("da-DK,da;q=0.9,en;q=0.8"),
            Some(Lang::Da)
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.5, da;q=0.9"),
            Some(Lang::Da)
        );
        assert_eq!(
            Lang::from_accept_language("fr, en-GB;q=0.7"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("da;q=0, en;q=0.1"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("*"), None);
        assert_eq!(Lang::from_accept_language("da;q=abc"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn dates_and_numbers_follow_the_language() {
        assert_eq!(Lang::Da.date("2017-08-30"), "30. august 2017");
        assert_eq!(Lang::En.date("2017-08-30"), "30 August 2017");
        assert_eq!(
            Lang::Da.date("2017-08-28/2017-08-29"),
            "28.–29. august 2017"
        );
        assert_eq!(Lang::Da.uncertainty(2_500.0), "± 2,5 km");
        assert_eq!(Lang::En.uncertainty(2_500.0), "± 2.5 km");
    }
}
