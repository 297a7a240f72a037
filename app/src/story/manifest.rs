//! `story.toml` (the story's metadata and its list of layers) and
//! `sources.toml` (what the story cites).

use serde::Deserialize;

use super::mapping::Mapping;
use super::problem::{Item, Problem};
use super::valid_id;
use super::words::{self, StoryWords, Translated};
use crate::date::DateSpec;
use crate::links::is_web_url;
use crate::model::{LayerStyle, Media, MediaKind, Source, SourceWords, TitleWords, View};

/// `story.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub title: String,
    /// BCP 47 language tag of the article, e.g. `da`.
    pub language: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    /// Who published the article. Give this or `source_text`.
    #[serde(default)]
    pub publisher: Option<String>,
    /// What the text is, where no publisher can be named.
    #[serde(default)]
    pub source_text: Option<String>,
    pub summary: String,
    /// The language of the story's own words beside the article (its
    /// summary, layer names, feature titles and notes, and sources), where
    /// it is not the article's: a BCP 47 tag.
    #[serde(default)]
    pub data_language: Option<String>,
    /// The article file, relative to the story folder.
    #[serde(default = "default_article")]
    pub article: String,
    /// The sources file, relative to the story folder.
    #[serde(default = "default_sources")]
    pub sources: String,
    /// The region the map opens on.
    pub view: View,
    #[serde(default, rename = "layers")]
    pub layers: Vec<LayerEntry>,
    /// Translations of the article, `[[translations]]`.
    #[serde(default)]
    pub translations: Vec<TranslationEntry>,
    /// The story's words in other languages than its data language,
    /// `[translated.<language>]`: the languages its layers, features and
    /// sources may give theirs in too ([`super::words`]).
    #[serde(default)]
    pub translated: Translated<StoryWords>,
}

/// A `[[translations]]` entry of `story.toml`: the article in another language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationEntry {
    /// BCP 47 language tag of the translation, e.g. `en`.
    pub language: String,
    /// The headline, translated.
    pub title: String,
    /// The translated article, relative to the story folder. Its paragraphs
    /// carry the same `{#id}`s as the original's, in the same order.
    pub article: String,
    /// Who translated it, credited under the headline.
    pub translator: String,
}

fn default_article() -> String {
    "article.txt".to_owned()
}

fn default_sources() -> String {
    "sources.toml".to_owned()
}

/// A `[[layers]]` entry of `story.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerEntry {
    pub id: String,
    pub title: String,
    /// The GeoJSON file, relative to the story folder. For a remote layer,
    /// where the server keeps the last good copy (default
    /// `remote/<id>.geojson`).
    #[serde(default)]
    pub file: String,
    pub style: LayerStyle,
    /// Where the layer is fetched from, for a layer kept elsewhere.
    #[serde(default)]
    pub remote: Option<RemoteEntry>,
    /// How the remote layer's properties become kort's.
    #[serde(default)]
    pub mapping: Option<Mapping>,
    /// The title in other languages: `translated = { ar = { title = "…" } }`.
    #[serde(default)]
    pub translated: Translated<TitleWords>,
}

/// A layer's `remote` table: a GeoJSON FeatureCollection kept by someone
/// else, fetched by the server on start and every `refresh_seconds`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteEntry {
    /// An `http(s)://` address.
    pub url: String,
    /// Seconds between fetches, 10 to 86 400; 900 unless given.
    #[serde(default = "default_refresh")]
    pub refresh_seconds: u64,
}

/// The shortest and longest refresh interval of a remote layer.
pub const REFRESH_SECONDS: std::ops::RangeInclusive<u64> = 10..=86_400;

fn default_refresh() -> u64 {
    900
}

/// `sources.toml`: `[[source]]` tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    source: Vec<Source>,
}

/// Parses TOML, turning a syntax or shape error into a problem with its line and column.
#[expect(
    clippy::result_large_err,
    reason = "called once per file at load, never on a hot path"
)]
fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, Problem> {
    toml::from_str(text).map_err(|error| {
        let mut problem = Problem::file(file, error.message().trim().to_owned());
        if let Some(span) = error.span() {
            let (line, column) = line_column(text, span.start);
            problem = problem.at(line, column);
        }
        problem
    })
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Manifest {
    /// Parses and checks `story.toml`.
    pub fn parse(file: &str, text: &str) -> Result<Self, Vec<Problem>> {
        let mut manifest: Self = parse_toml(file, text).map_err(|p| vec![p])?;
        let mut problems = Vec::new();
        let mut require = |field: &str, value: &str| {
            if value.trim().is_empty() {
                problems.push(Problem::file(file, "is empty; expected text").field(field));
            }
        };
        require("title", &manifest.title);
        require("summary", &manifest.summary);
        require("language", &manifest.language);
        if DateSpec::parse(&manifest.published).is_err() || manifest.published.len() != 10 {
            problems.push(
                Problem::file(
                    file,
                    format!(
                        "{:?} is not a date; expected YYYY-MM-DD",
                        manifest.published
                    ),
                )
                .field("published"),
            );
        }
        manifest.check_languages(file, &mut problems);
        if manifest.publisher.is_none() && manifest.source_text.is_none() {
            problems.push(Problem::file(
                file,
                "names neither `publisher` nor `source_text`; expected one of them",
            ));
        }
        let View {
            west,
            south,
            east,
            north,
        } = manifest.view;
        let in_range = [west, east]
            .iter()
            .all(|lon| (-180.0..=180.0).contains(lon))
            && [south, north]
                .iter()
                .all(|lat| (-90.0..=90.0).contains(lat));
        if !in_range || west >= east || south >= north {
            problems.push(
                Problem::file(
                    file,
                    "expected west < east within -180..180 and south < north within -90..90",
                )
                .field("view"),
            );
        }
        let mut ids = std::collections::HashSet::new();
        let languages = manifest.word_languages();
        for (index, layer) in manifest.layers.iter().enumerate() {
            let field = format!("layers[{index}].id");
            if !valid_id(&layer.id) {
                problems.push(
                    Problem::file(
                        file,
                        format!("{:?} is not a valid id; {}", layer.id, super::ID_RULE),
                    )
                    .field(field),
                );
            } else if !ids.insert(layer.id.as_str()) {
                problems.push(
                    Problem::file(file, "is used by two layers; layer ids must be unique")
                        .item(Item::Layer(layer.id.clone()))
                        .field(field),
                );
            }
            check_source_of_layer(file, index, layer, &mut problems);
            problems.extend(layer_word_problems(file, layer, &languages));
            if !is_hex_colour(&layer.style.color) {
                problems.push(
                    Problem::file(
                        file,
                        format!("{:?} is not a colour; expected #rrggbb", layer.style.color),
                    )
                    .item(Item::Layer(layer.id.clone()))
                    .field("style.color"),
                );
            }
        }
        for layer in &mut manifest.layers {
            if layer.file.is_empty() && layer.remote.is_some() {
                layer.file = format!("remote/{}.geojson", layer.id);
            }
        }
        if manifest.layers.is_empty() {
            problems.push(Problem::file(
                file,
                "the story has no layers; expected at least one [[layers]] table",
            ));
        }
        if problems.is_empty() {
            Ok(manifest)
        } else {
            Err(problems)
        }
    }

    /// Checks the original's language tag and each `[[translations]]` entry.
    fn check_languages(&self, file: &str, problems: &mut Vec<Problem>) {
        if !self.language.is_empty() && !valid_language(&self.language) {
            problems.push(
                Problem::file(
                    file,
                    format!(
                        "{:?} is not a language tag; expected e.g. \"da\" or \"en\"",
                        self.language
                    ),
                )
                .field("language"),
            );
        }
        if let Some(tag) = self
            .data_language
            .as_deref()
            .filter(|tag| !valid_language(tag))
        {
            problems.push(
                Problem::file(
                    file,
                    format!("{tag:?} is not a language tag; expected e.g. \"en\" or \"ar\""),
                )
                .field("data_language"),
            );
        }
        for (field, message) in words::language_problems(
            &self.translated,
            self.data_language(),
            self.source_text.is_some() && self.publisher.is_none(),
        ) {
            problems.push(Problem::file(file, message).field(field));
        }
        let mut languages = vec![self.language.as_str()];
        for (index, translation) in self.translations.iter().enumerate() {
            let field = |name: &str| format!("translations[{index}].{name}");
            if !valid_language(&translation.language) {
                problems.push(
                    Problem::file(
                        file,
                        format!(
                            "{:?} is not a language tag; expected e.g. \"en\" or \"pt-BR\"",
                            translation.language
                        ),
                    )
                    .field(field("language")),
                );
            } else if languages.contains(&translation.language.as_str()) {
                problems.push(
                    Problem::file(
                        file,
                        format!(
                            "{:?} is the language of the original or of another translation; expected one text per language",
                            translation.language
                        ),
                    )
                    .field(field("language")),
                );
            }
            languages.push(&translation.language);
            for (name, value) in [
                ("title", &translation.title),
                ("article", &translation.article),
                ("translator", &translation.translator),
            ] {
                if value.trim().is_empty() {
                    problems
                        .push(Problem::file(file, "is empty; expected text").field(field(name)));
                }
            }
        }
    }

    /// The language of the story's words beside the article.
    pub fn data_language(&self) -> &str {
        self.data_language.as_deref().unwrap_or(&self.language)
    }

    /// The other languages the story gives its words in.
    pub fn word_languages(&self) -> Vec<String> {
        self.translated.keys().cloned().collect()
    }

    /// The language a page in `language` shows the story's words in: that
    /// one where the story gives its words in it, else the data language.
    pub fn words_language<'a>(&'a self, language: &'a str) -> &'a str {
        if self.translated.contains_key(language) {
            language
        } else {
            self.data_language()
        }
    }

    /// The summary in `language` (see [`Self::words_language`]).
    pub fn summary_in(&self, language: &str) -> &str {
        self.translated
            .get(language)
            .map_or(&self.summary, |words| &words.summary)
    }

    /// The byline in `language` (see [`Self::words_language`]): a
    /// publisher's name is not translated, a `source_text` may be.
    pub fn byline_in(&self, language: &str) -> String {
        match (&self.publisher, self.translated.get(language)) {
            (
                None,
                Some(StoryWords {
                    source_text: Some(text),
                    ..
                }),
            ) => text.clone(),
            _ => self.byline(),
        }
    }

    /// The byline shown under the title.
    pub fn byline(&self) -> String {
        self.publisher
            .clone()
            .or_else(|| self.source_text.clone())
            .unwrap_or_default()
    }
}

/// Whether `tag` looks like a BCP 47 language tag: a 2–3 letter language,
/// optionally followed by subtags (`da`, `en-GB`, `pt-BR`, `ar`).
pub fn valid_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts.next().is_some_and(|language| {
        (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_lowercase())
    }) && parts
        .all(|sub| (1..=8).contains(&sub.len()) && sub.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A layer is read from a file, or fetched from an `http(s)` address.
fn check_source_of_layer(
    file: &str,
    index: usize,
    layer: &LayerEntry,
    problems: &mut Vec<Problem>,
) {
    let at = |field: &str, message: String| {
        Problem::file(file, message)
            .item(Item::Layer(layer.id.clone()))
            .field(format!("layers[{index}].{field}"))
    };
    match &layer.remote {
        None if layer.file.trim().is_empty() => problems.push(at(
            "file",
            "is missing; expected a GeoJSON file in the story folder, or a `remote = { url = \"https://…\" }`".into(),
        )),
        None => {
            if layer.mapping.is_some() {
                problems.push(at(
                    "mapping",
                    "applies to remote layers only; expected it together with `remote` (a local file is written in kort's own properties, e.g. by `kort import`)".into(),
                ));
            }
        }
        Some(remote) => {
            if !is_web_url(&remote.url) {
                problems.push(at(
                    "remote.url",
                    format!("{:?} is not a web address; expected http:// or https://", remote.url),
                ));
            }
            if !REFRESH_SECONDS.contains(&remote.refresh_seconds) {
                problems.push(at(
                    "remote.refresh_seconds",
                    format!(
                        "{} is out of range; expected {} to {} seconds",
                        remote.refresh_seconds,
                        REFRESH_SECONDS.start(),
                        REFRESH_SECONDS.end()
                    ),
                ));
            }
        }
    }
}

/// What is wrong with a layer's title in other languages.
fn layer_word_problems(file: &str, layer: &LayerEntry, languages: &[String]) -> Vec<Problem> {
    words::problems(
        &layer.translated,
        languages,
        &[("title", words::Need::Required, |words: &TitleWords| {
            Some(&words.title)
        })],
    )
    .into_iter()
    .map(|(field, message)| {
        Problem::file(file, message)
            .item(Item::Layer(layer.id.clone()))
            .field(field)
    })
    .collect()
}

fn is_hex_colour(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Parses and checks `sources.toml`.
/// `languages` are those the story gives its words in besides its data
/// language ([`Manifest::word_languages`]).
pub fn parse_sources(
    file: &str,
    text: &str,
    languages: &[String],
) -> Result<Vec<Source>, Vec<Problem>> {
    let parsed: SourcesFile = parse_toml(file, text).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for source in &parsed.source {
        let at = |message: String, field: &str| {
            Problem::file(file, message)
                .item(Item::Source(source.id.clone()))
                .field(field)
        };
        if !valid_id(&source.id) {
            problems.push(at(
                format!("{:?} is not a valid id; {}", source.id, super::ID_RULE),
                "id",
            ));
        } else if !ids.insert(source.id.as_str()) {
            problems.push(at(
                "is used by two sources; source ids must be unique".into(),
                "id",
            ));
        }
        if source.publisher.trim().is_empty() {
            problems.push(at(
                "is empty; expected who published it".into(),
                "publisher",
            ));
        }
        if source.title.trim().is_empty() {
            problems.push(at("is empty; expected a title".into(), "title"));
        }
        for (field, message) in words::problems(
            &source.translated,
            languages,
            &[
                ("title", words::Need::Required, |words: &SourceWords| {
                    Some(&words.title)
                }),
                ("publisher", words::Need::Optional, |words: &SourceWords| {
                    words.publisher.as_deref()
                }),
                (
                    "author",
                    if source.author.is_some() {
                        words::Need::Optional
                    } else {
                        words::Need::Absent
                    },
                    |words: &SourceWords| words.author.as_deref(),
                ),
            ],
        ) {
            problems.push(at(message, &field));
        }
        if let Some(date) = &source.date
            && DateSpec::parse(date).is_err()
        {
            problems.push(at(
                format!("{date:?} is not a date; expected YYYY-MM-DD or YYYY-MM"),
                "date",
            ));
        }
        for (field, url) in [("url", &source.url), ("archived_url", &source.archived_url)] {
            if let Some(url) = url
                && !is_web_url(url)
            {
                problems.push(at(
                    format!("{url:?} is not a web address; expected an http:// or https:// URL"),
                    field,
                ));
            }
        }
        if let Some(date) = &source.archived_at
            && crate::date::Day::parse_iso(date).is_none()
        {
            problems.push(at(
                format!(
                    "{date:?} is not a day; expected the day the copy was archived, YYYY-MM-DD"
                ),
                "archived_at",
            ));
        }
        if let Some(hash) = &source.sha256
            && !(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            problems.push(at(
                format!("{hash:?} is not a SHA-256; expected 64 hexadecimal digits (as `sha256sum` prints)"),
                "sha256",
            ));
        }
        if let Some(media) = &source.media {
            for (message, field) in media_problems(media) {
                problems.push(at(message, &format!("media.{field}")));
            }
        }
    }
    if problems.is_empty() {
        Ok(parsed.source)
    } else {
        Err(problems)
    }
}

/// The file names a story's media may have, by kind: what browsers show.
const PICTURE_FILES: &[&str] = &["jpg", "jpeg", "png", "webp", "avif"];
const VIDEO_FILES: &[&str] = &["mp4", "webm"];

/// The folder of a story that holds its media files.
pub const MEDIA_FOLDER: &str = "media/";

/// Problems with a source's media, as `(message, field)`.
fn media_problems(media: &Media) -> Vec<(String, &'static str)> {
    let mut problems = Vec::new();
    if media.credit.trim().is_empty() {
        problems.push(("is empty; expected who made it".to_owned(), "credit"));
    }
    if media.alt.trim().is_empty() {
        problems.push((
            "is empty; expected what it shows, in words, for readers who cannot see it".to_owned(),
            "alt",
        ));
    }
    if media
        .content_warning
        .as_ref()
        .is_some_and(|warning| warning.trim().is_empty())
    {
        problems.push((
            "is empty; expected what the reader should know before seeing it, or no content_warning"
                .to_owned(),
            "content_warning",
        ));
    }
    if let Some(file) = &media.file {
        let allowed = match media.kind {
            MediaKind::Video => VIDEO_FILES,
            MediaKind::Photo | MediaKind::SatelliteImage => PICTURE_FILES,
        };
        let name = file.strip_prefix(MEDIA_FOLDER).unwrap_or_default();
        let extension = name
            .rsplit_once('.')
            .map(|(_, extension)| extension.to_ascii_lowercase());
        let plain = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !name.starts_with('.');
        if !plain || !extension.is_some_and(|extension| allowed.contains(&extension.as_str())) {
            problems.push((
                format!(
                    "{file:?} is not a {} file of the story; expected {MEDIA_FOLDER}<name>.<{}> (letters, digits, - _ .)",
                    media.kind.name(),
                    allowed.join("|")
                ),
                "file",
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"
title = "T"
language = "da"
published = "2017-08-30"
publisher = "P"
summary = "S"
view = { west = 35.0, south = 33.0, east = 41.0, north = 36.0 }

[[layers]]
id = "places"
title = "Places"
file = "layers/places.geojson"
style = { symbol = "place", color = "#224488" }
"##;

    #[test]
    fn reads_a_good_manifest() {
        let manifest = Manifest::parse("story.toml", GOOD).expect("valid");
        assert_eq!(manifest.article, "article.txt");
        assert_eq!(manifest.layers[0].id, "places");
    }

    #[test]
    fn a_typo_in_a_key_is_named_with_its_line() {
        let text = GOOD.replace("summary =", "sumary =");
        let problems = Manifest::parse("story.toml", &text).expect_err("invalid");
        let message = problems[0].to_string();
        assert!(
            message.starts_with("story.toml:6:1: unknown field `sumary`, expected one of"),
            "{message}"
        );
    }

    #[test]
    fn bad_view_date_and_colour_are_all_reported() {
        let text = GOOD
            .replace("east = 41.0", "east = 30.0")
            .replace("2017-08-30", "30/8/2017")
            .replace("#224488", "blue");
        let problems = Manifest::parse("story.toml", &text).expect_err("invalid");
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("published")));
        assert!(
            messages
                .iter()
                .any(|m| m.contains(": view: expected west < east"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("layer `places`: style.color"))
        );
    }

    #[test]
    fn sources_must_link_to_the_web() {
        let text = r#"
[[source]]
id = "x"
kind = "wire-report"
publisher = "AFP"
title = "T"
url = "javascript:alert(1)"
"#;
        let problems = parse_sources("sources.toml", text, &[]).expect_err("invalid");
        assert_eq!(
            problems[0].to_string(),
            "sources.toml: source `x`: url: \"javascript:alert(1)\" is not a web address; expected an http:// or https:// URL"
        );
        assert!(is_web_url("https://www.geonames.org/273675"));
        assert!(!is_web_url("data:text/html,hi"));
        assert!(!is_web_url("https://"));
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
    }
}
