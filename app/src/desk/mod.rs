//! The desk, where editors make and publish stories: its pages (server
//! rendered, see [`pages`]) and what they show. The server keeps the
//! drafts and the accounts, and hands the pages their data through
//! [`DeskData`] in the render's context.

pub mod features;
pub mod keeper;
pub mod map;
pub mod pages;
pub mod texts;
pub mod words;

use serde::{Deserialize, Serialize};

/// Where the desk lives.
pub const DESK: &str = "/desk";
/// The sign-in page.
pub const LOGIN: &str = "/desk/login";
/// The sign-out action.
pub const LOGOUT: &str = "/desk/logout";

/// The prefix of a translation form's paragraph fields: `p:<id>`.
pub const PARAGRAPH_FIELD: &str = "p:";

/// A story's desk page.
pub fn story_path(slug: &str) -> String {
    format!("{DESK}/stories/{slug}")
}

/// The signed-in user, as the desk's guard found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskUser {
    pub name: String,
    /// Whether they may publish and unpublish.
    pub publisher: bool,
}

/// Where a story stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoryState {
    /// Never published, or taken off the site.
    Draft,
    /// Readers see the draft as it is.
    Published,
    /// Readers see an older version than the draft.
    PublishedWithChanges,
}

/// A story in the desk's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskStory {
    pub slug: String,
    pub title: String,
    pub language: String,
    pub state: StoryState,
    /// Who changed the draft last ("on disk" for a hand edit), and when
    /// (RFC 3339), where the desk knows.
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
}

/// The fields of a story the desk edits, as the form gives them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryFields {
    pub title: String,
    /// BCP 47.
    pub language: String,
    /// `YYYY-MM-DD`.
    pub published: String,
    /// Who published the article (the byline's source line).
    pub publisher: String,
    pub summary: String,
    pub west: String,
    pub south: String,
    pub east: String,
    pub north: String,
}

impl StoryFields {
    /// The form's names for the fields, with their values, in order.
    pub fn pairs(&self) -> [(&'static str, &str); 9] {
        [
            ("title", &self.title),
            ("language", &self.language),
            ("published", &self.published),
            ("publisher", &self.publisher),
            ("summary", &self.summary),
            ("west", &self.west),
            ("south", &self.south),
            ("east", &self.east),
            ("north", &self.north),
        ]
    }
}

/// A problem `kort check` reports in a draft, placed for the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskProblem {
    /// The form field it concerns (`title`, `article`, …), if one does.
    pub field: Option<String>,
    /// The feature it concerns, if one does.
    pub feature: Option<String>,
    /// The whole problem, as `kort check` words it.
    pub text: String,
}

/// A save refused because the draft changed since the editor opened it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// Who saved in between ("on disk" for a hand edit), and when.
    pub by: String,
    pub at: Option<String>,
    /// The fields that differ between the editor's version and the
    /// draft's now (`article` for the text).
    pub changed: Vec<String>,
    /// The editor's version, kept until they merge it.
    pub yours: StoryFields,
    pub your_article: String,
}

/// A layer of a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskLayer {
    pub id: String,
    pub title: String,
    /// `area`, `route`, `blocked-route`, `strike` or `place`.
    pub symbol: String,
    /// `#rrggbb`.
    pub color: String,
    pub features: Vec<DeskFeature>,
    /// The features not in `features`: a large layer
    /// ([`crate::model::VIEWPORT_LAYER_MIN`] or more) lists only those the
    /// article links.
    pub unlisted: usize,
}

/// A feature of a draft, as its form gives it (empty for what it lacks).
/// A form posts every field but `passages` and `kind`, and `sources` as
/// one `source` field per source cited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeskFeature {
    /// Empty for a new feature (the desk makes one from its title).
    pub id: String,
    pub layer: String,
    pub title: String,
    pub name_ar: String,
    /// A place of the basemap's gazetteer to put the feature at, where it
    /// has no geometry (posted only).
    pub place: String,
    /// RFC 7946 geometry, as JSON text.
    pub geometry: String,
    /// The geometry's type, where it has one (shown only).
    pub kind: String,
    pub uncertainty_m: String,
    /// The grid the position is published on, in metres; empty to publish
    /// it exactly.
    pub published_precision_m: String,
    /// The position readers get, snapped to that grid, as GeoJSON text
    /// (shown only).
    pub published_geometry: String,
    /// How the position was found: one of `model::GeolocationMethod`'s
    /// names, or empty for no geolocation.
    pub geolocation_method: String,
    /// Who geolocated it, when (`YYYY-MM-DD`), from which source, and the
    /// links that prove it (one per line).
    pub geolocation_by: String,
    pub geolocation_at: String,
    pub geolocation_source: String,
    pub geolocation_links: String,
    /// The first (or only) day, month or year: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`.
    pub date: String,
    /// `day`, `month` or `year`: how much of `date` is known.
    pub precision: String,
    /// The last day, month or year of a range.
    pub until: String,
    pub approximate: bool,
    pub note: String,
    /// Ids of the sources cited.
    pub sources: Vec<String>,
    /// Where the article mentions it (shown only).
    pub passages: Vec<DeskPassage>,
    /// Its title and note in each other language the story gives its
    /// words in, by language (the words form shows them).
    pub words: Vec<(String, String, String)>,
}

/// A passage a feature links to, as the desk lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskPassage {
    /// The quoted words.
    pub exact: String,
    /// The paragraph it is found in, or why it is not found.
    pub found: Result<String, String>,
}

impl DeskFeature {
    /// The feature's date as a story file writes it, from the form's
    /// fields: `2017-08`, `2017-08-28/2017-08-29~`, … (empty for none).
    ///
    /// # Errors
    /// Names the field that does not fit the precision, and what it expected.
    pub fn date_text(&self) -> Result<String, String> {
        let (date, until) = (self.date.trim(), self.until.trim());
        if date.is_empty() {
            return if until.is_empty() {
                Ok(String::new())
            } else {
                Err("until: a range needs its first date too".into())
            };
        }
        let length = match self.precision.as_str() {
            "" | "day" => 10,
            "month" => 7,
            "year" => 4,
            other => {
                return Err(format!(
                    "precision: {other:?} is not one; expected day, month or year"
                ));
            }
        };
        let cut = |field: &str, text: &str| -> Result<String, String> {
            let cut = text.get(..length).filter(|_| text.len() >= length);
            let cut = cut.ok_or_else(|| {
                format!(
                    "{field}: {text:?} is too short for the precision; expected {}",
                    ["YYYY", "YYYY-MM", "YYYY-MM-DD"]
                        [usize::from(length > 4) + usize::from(length > 7)]
                )
            })?;
            crate::date::DateSpec::parse(cut).map_err(|error| format!("{field}: {error}"))?;
            Ok(cut.to_owned())
        };
        let mut text = cut("date", date)?;
        if !until.is_empty() {
            text = format!("{text}/{}", cut("until", until)?);
            crate::date::DateSpec::parse(&text).map_err(|_| {
                format!("until: {until:?} is before {date:?}; expected a later date")
            })?;
        }
        if self.approximate {
            text.push('~');
        }
        Ok(text)
    }

    /// The form's date fields from a story file's date (see [`Self::date_text`]).
    pub fn set_date(&mut self, text: &str) {
        self.approximate = text.contains('~');
        let text = text.replace('~', "");
        let (date, until) = text.split_once('/').unwrap_or((&text, ""));
        match date.len() {
            4 => "year",
            7 => "month",
            _ => "day",
        }
        .clone_into(&mut self.precision);
        date.clone_into(&mut self.date);
        until.clone_into(&mut self.until);
    }
}

/// A source of a draft, as its form gives it (empty for what it lacks).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeskSource {
    /// Empty for a new source (the desk makes one from its title).
    #[serde(default)]
    pub id: String,
    /// One of `model::SourceKind`'s names.
    pub kind: String,
    pub publisher: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub date: String,
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub quote: String,
    /// An archived copy of `url`, and the day it was made.
    #[serde(default)]
    pub archived_url: String,
    #[serde(default)]
    pub archived_at: String,
    /// The SHA-256 of the file the source is, in hex.
    #[serde(default)]
    pub sha256: String,
    /// Its picture or video, where it has one (shown; the media form sets
    /// them): kind, file, credit, alt text, content warning.
    #[serde(skip)]
    pub media_kind: String,
    #[serde(skip)]
    pub media_file: String,
    #[serde(skip)]
    pub media_credit: String,
    #[serde(skip)]
    pub media_alt: String,
    #[serde(skip)]
    pub media_warning: String,
}

impl DeskSource {
    /// The optional fields, by their names in the sources file.
    pub fn optional(&self) -> [(&'static str, &str); 7] {
        [
            ("author", &self.author),
            ("date", &self.date),
            ("url", &self.url),
            ("quote", &self.quote),
            ("archived_url", &self.archived_url),
            ("archived_at", &self.archived_at),
            ("sha256", &self.sha256),
        ]
    }
}

/// The contrast ratio of two `#rrggbb` colours, as WCAG 2 defines it
/// (1 to 21); `None` if either is not such a colour.
pub fn contrast(one: &str, other: &str) -> Option<f64> {
    fn luminance(color: &str) -> Option<f64> {
        let hex = color.strip_prefix('#').filter(|hex| hex.len() == 6)?;
        let channel = |at: usize| -> Option<f64> {
            let value = f64::from(u8::from_str_radix(hex.get(at..at + 2)?, 16).ok()?) / 255.0;
            Some(if value <= 0.040_45 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            })
        };
        Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
    }
    let (a, b) = (luminance(one)?, luminance(other)?);
    Some((a.max(b) + 0.05) / (a.min(b) + 0.05))
}

/// The least contrast a symbol needs against what it is drawn on (WCAG
/// 2.2, 1.4.11, non-text contrast).
pub const MIN_CONTRAST: f64 = 3.0;

/// How a layer's colour stands out on the offline basemap: its contrast
/// against the land and against the sea, where either is below
/// [`MIN_CONTRAST`].
pub fn weak_contrast(color: &str) -> Option<(f64, f64)> {
    use crate::map::basemap::{LAND, SEA};
    let (land, sea) = (contrast(color, LAND)?, contrast(color, SEA)?);
    (land < MIN_CONTRAST || sea < MIN_CONTRAST).then_some((land, sea))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_written_with_its_precision_and_read_back() {
        let mut feature = DeskFeature {
            date: "2017-08-30".into(),
            precision: "month".into(),
            ..DeskFeature::default()
        };
        assert_eq!(feature.date_text(), Ok("2017-08".into()));
        feature.until = "2017-09-02".into();
        feature.approximate = true;
        assert_eq!(feature.date_text(), Ok("2017-08/2017-09~".into()));
        let mut back = DeskFeature::default();
        back.set_date("2017-08/2017-09~");
        assert_eq!(
            (
                back.date.as_str(),
                back.until.as_str(),
                back.precision.as_str(),
                back.approximate
            ),
            ("2017-08", "2017-09", "month", true)
        );
        feature.precision = "day".into();
        feature.date = "2017-08".into();
        assert!(feature.date_text().expect_err("short").starts_with("date:"));
        feature.date = "2017-09-05".into();
        assert!(
            feature
                .date_text()
                .expect_err("backwards")
                .starts_with("until:")
        );
        assert_eq!(DeskFeature::default().date_text(), Ok(String::new()));
    }

    #[test]
    fn contrast_is_measured_as_wcag_does() {
        assert!((contrast("#000000", "#ffffff").expect("colours") - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#777777").expect("colours") - 1.0).abs() < 1e-9);
        assert_eq!(contrast("red", "#ffffff"), None);
        // The seed story's strikes stand out; a pale yellow does not.
        assert_eq!(weak_contrast("#b91c1c"), None);
        assert!(weak_contrast("#fde68a").is_some());
    }
}

/// A translation of a draft's article, paragraph by paragraph beside the
/// original.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeskTranslation {
    /// BCP 47.
    pub language: String,
    pub title: String,
    pub translator: String,
    /// Each paragraph of the original: its id, its text, and the
    /// translation's (empty where there is none yet).
    pub paragraphs: Vec<(String, String, String)>,
}

/// A draft's own words in one language besides its data language (see
/// `story::words`), each beside the words it translates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeskWords {
    /// BCP 47.
    pub language: String,
    pub rows: Vec<WordRow>,
}

/// One of a story's words, as the words form shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct WordRow {
    pub field: WordField,
    /// The words in the data language.
    pub original: String,
    /// Their translation; empty where there is none yet.
    pub translated: String,
}

/// Which of a story's words a field of the words form is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordField {
    /// The story's summary.
    Summary,
    /// What the text is, where the story says so instead of a publisher.
    SourceText,
    /// A layer's title, by layer id.
    Layer(String),
    /// A feature's title or note, by feature id.
    FeatureTitle(String),
    FeatureNote(String),
    /// A source's title, publisher or author, by source id.
    SourceTitle(String),
    SourcePublisher(String),
    SourceAuthor(String),
}

impl WordField {
    /// Its name in the form: `summary`, `layer:<id>`, `feature:<id>:note`, …
    /// (ids have no `:`).
    pub fn name(&self) -> String {
        match self {
            Self::Summary => "summary".to_owned(),
            Self::SourceText => "source_text".to_owned(),
            Self::Layer(id) => format!("layer:{id}"),
            Self::FeatureTitle(id) => format!("feature:{id}:title"),
            Self::FeatureNote(id) => format!("feature:{id}:note"),
            Self::SourceTitle(id) => format!("source:{id}:title"),
            Self::SourcePublisher(id) => format!("source:{id}:publisher"),
            Self::SourceAuthor(id) => format!("source:{id}:author"),
        }
    }

    /// The field a form's name is, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        let parts: Vec<&str> = name.split(':').collect();
        let id = |at: usize| parts[at].to_owned();
        Some(match parts.as_slice() {
            ["summary"] => Self::Summary,
            ["source_text"] => Self::SourceText,
            ["layer", _] => Self::Layer(id(1)),
            ["feature", _, "title"] => Self::FeatureTitle(id(1)),
            ["feature", _, "note"] => Self::FeatureNote(id(1)),
            ["source", _, "title"] => Self::SourceTitle(id(1)),
            ["source", _, "publisher"] => Self::SourcePublisher(id(1)),
            ["source", _, "author"] => Self::SourceAuthor(id(1)),
            _ => return None,
        })
    }

    /// Whether its words run long (a textarea, not a line).
    pub fn long(&self) -> bool {
        matches!(self, Self::Summary | Self::FeatureNote(_))
    }
}

/// A draft as the desk's story page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub slug: String,
    pub state: StoryState,
    /// The revision the page shows; a save names it.
    pub revision: String,
    pub fields: StoryFields,
    /// The article, paragraphs opened by their `{#id}`.
    pub article: String,
    /// The article's paragraphs, the linked words marked with their features.
    pub paragraphs: Vec<crate::model::ParagraphView>,
    pub layers: Vec<DeskLayer>,
    pub sources: Vec<DeskSource>,
    pub translations: Vec<DeskTranslation>,
    /// The language of the story's own words, and those words in each
    /// other language it gives them in.
    pub data_language: String,
    pub words: Vec<DeskWords>,
    pub problems: Vec<DeskProblem>,
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
    /// The editor's own refused save, if there is one.
    pub conflict: Option<Conflict>,
    /// Why the editor's last change was refused, if it was (once).
    pub refused: Option<String>,
    /// What the editor's last change did, where there is more to say than
    /// that it was saved (an import's report; once).
    pub told: Option<String>,
    /// The story's history, newest first, one line each (`kort history`'s),
    /// the last [`HISTORY_SHOWN`].
    pub history: Vec<String>,
}

/// How many entries of a story's history its desk page lists.
pub const HISTORY_SHOWN: usize = 50;

/// What the desk's pages read, from the server.
#[cfg(feature = "ssr")]
pub trait DeskData: Send + Sync + 'static {
    /// Every story, drafts and published.
    fn stories(&self) -> Vec<DeskStory>;
    /// The draft of `slug` as `user` sees it (with their refused save).
    fn draft(&self, slug: &str, user: &str) -> Option<Draft>;
}

/// The desk's data in the render's context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct DeskContext(pub std::sync::Arc<dyn DeskData>);
