//! A story's words in other languages than its data language: its summary,
//! its layers' names, its features' titles and notes and its sources'
//! titles, as `translated` tables give them.
//!
//! `story.toml` says which languages the story gives its words in, with a
//! `[translated.<language>]` table holding the summary. Each layer, feature
//! and source may then give its own words in those languages; one that does
//! not is shown in the data language, and marked so (`lang`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::manifest::valid_language;

/// Words in other languages, by BCP 47 tag.
pub type Translated<W> = BTreeMap<String, W>;

/// `[translated.<language>]` of `story.toml`: the story's own words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryWords {
    pub summary: String,
    /// What the text is, where the story gives a `source_text`.
    #[serde(default)]
    pub source_text: Option<String>,
}

/// A feature's `translated` entry: its title, and its note where it has one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureWords {
    pub title: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// An object's words in `language`: its translation there, if it has one.
/// Else its own words, which are in `data`; the second value is then that
/// language, for pages to mark, unless it is `language` itself.
pub fn pick<'a, W>(
    translated: &'a Translated<W>,
    language: &str,
    data: &str,
) -> (Option<&'a W>, Option<String>) {
    match translated.get(language) {
        Some(words) => (Some(words), None),
        None if language == data => (None, None),
        None => (None, Some(data.to_owned())),
    }
}

/// Whether an object's translation must give one of its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// It must: the object has it in the data language.
    Required,
    /// It may (a name, which is often the same in every language).
    Optional,
    /// It may not: the object has none in the data language.
    Absent,
}

impl Need {
    /// Required where the object has the word in the data language, else absent.
    pub fn as_given(given: bool) -> Self {
        if given { Self::Required } else { Self::Absent }
    }
}

/// One word of a translation, for [`problems`]: its name, whether it is
/// needed, and how to read it.
pub type Field<'a, W> = (&'a str, Need, fn(&W) -> Option<&str>);

/// What is wrong with an object's `translated` table, as (field, message):
/// a language the story gives no words in (`languages` are those it does),
/// and a word empty, missing or given with nothing to translate.
pub fn problems<W>(
    translated: &Translated<W>,
    languages: &[String],
    fields: &[Field<'_, W>],
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for (language, words) in translated {
        let at = |name: &str| format!("translated.{language}.{name}");
        if !languages.contains(language) {
            problems.push((
                format!("translated.{language}"),
                format!(
                    "the story gives no words in {language:?}; expected one of the languages of story.toml's [translated] tables ({}), or a [translated.{language}] table with the summary there",
                    list(languages)
                ),
            ));
            continue;
        }
        for (name, need, read) in fields {
            match (read(words).map(str::trim), need) {
                (Some(""), _) => problems.push((
                    at(name),
                    format!("is empty; expected the {name} in {language}"),
                )),
                (Some(_), Need::Absent) => problems.push((
                    at(name),
                    format!(
                        "there is no {name} in the data language to translate; expected none here either"
                    ),
                )),
                (None, Need::Required) => problems.push((
                    at(name),
                    format!(
                        "is missing; the {name} is given in the data language, so expected it in {language} too"
                    ),
                )),
                _ => {}
            }
        }
    }
    problems
}

/// What is wrong with the languages of `story.toml`'s `[translated]`
/// tables, as (field, message).
pub fn language_problems(
    translated: &Translated<StoryWords>,
    data: &str,
    source_text: bool,
) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for language in translated.keys() {
        if !valid_language(language) {
            found.push((
                format!("translated.{language}"),
                format!("{language:?} is not a language tag; expected e.g. \"ar\" or \"en\""),
            ));
        } else if language == data {
            found.push((
                format!("translated.{language}"),
                format!(
                    "{language:?} is the story's data language, whose words are given in place; expected another language"
                ),
            ));
        }
    }
    let languages: Vec<String> = translated.keys().cloned().collect();
    found.extend(problems(
        translated,
        &languages,
        &[
            ("summary", Need::Required, |words: &StoryWords| {
                Some(words.summary.as_str())
            }),
            (
                "source_text",
                Need::as_given(source_text),
                |words: &StoryWords| words.source_text.as_deref(),
            ),
        ],
    ));
    found
}

fn list(languages: &[String]) -> String {
    if languages.is_empty() {
        "none yet".to_owned()
    } else {
        languages.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(title: &str, note: Option<&str>) -> FeatureWords {
        FeatureWords {
            title: title.to_owned(),
            note: note.map(str::to_owned),
        }
    }

    fn checked(translated: &Translated<FeatureWords>, has_note: bool) -> Vec<(String, String)> {
        problems(
            translated,
            &["ar".to_owned(), "da".to_owned()],
            &[
                ("title", Need::Required, |w: &FeatureWords| {
                    Some(w.title.as_str())
                }),
                ("note", Need::as_given(has_note), |w: &FeatureWords| {
                    w.note.as_deref()
                }),
            ],
        )
    }

    #[test]
    fn words_are_picked_in_the_language_asked_else_marked() {
        let translated = Translated::from([("da".to_owned(), feature("Broen", None))]);
        let (words, marked) = pick(&translated, "da", "en");
        assert_eq!(
            (words.map(|w| w.title.as_str()), marked),
            (Some("Broen"), None)
        );
        assert_eq!(pick(&translated, "ar", "en").1.as_deref(), Some("en"));
        assert_eq!(
            pick(&translated, "en", "en").1,
            None,
            "the data language itself"
        );
    }

    #[test]
    fn a_translation_matches_the_words_it_translates() {
        let good = Translated::from([("da".to_owned(), feature("Broen", Some("Anslået")))]);
        assert!(checked(&good, true).is_empty());
        let messages: Vec<String> = [
            checked(
                &Translated::from([("fr".to_owned(), feature("Pont", None))]),
                false,
            ),
            checked(
                &Translated::from([("da".to_owned(), feature(" ", None))]),
                false,
            ),
            checked(
                &Translated::from([("da".to_owned(), feature("Broen", None))]),
                true,
            ),
            checked(&good, false),
        ]
        .into_iter()
        .flatten()
        .map(|(field, message)| format!("{field}: {message}"))
        .collect();
        assert_eq!(
            messages,
            [
                "translated.fr: the story gives no words in \"fr\"; expected one of the languages of story.toml's [translated] tables (ar, da), or a [translated.fr] table with the summary there",
                "translated.da.title: is empty; expected the title in da",
                "translated.da.note: is missing; the note is given in the data language, so expected it in da too",
                "translated.da.note: there is no note in the data language to translate; expected none here either",
            ]
        );
    }

    #[test]
    fn the_story_names_its_word_languages_well() {
        let words = |summary: &str| StoryWords {
            summary: summary.to_owned(),
            source_text: None,
        };
        let translated = Translated::from([
            ("EN".to_owned(), words("x")),
            ("en".to_owned(), words("Summary")),
            ("da".to_owned(), words("Resumé")),
        ]);
        let fields: Vec<String> = language_problems(&translated, "en", true)
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        assert_eq!(
            fields,
            [
                "translated.EN",
                "translated.en",
                "translated.EN.source_text",
                "translated.da.source_text",
                "translated.en.source_text",
            ]
        );
    }
}
