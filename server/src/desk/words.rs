//! A story's own words in other languages (`story::words`), as the desk
//! reads them for its form and writes what the form posts: the summary in
//! `story.toml`'s `[translated.<language>]`, layers' titles beside them,
//! sources' in `[source.translated.<language>]`, features' in their
//! properties.

use std::fs;

use kort_app::desk::{DeskLayer, DeskWords, WordField, WordRow};
use kort_app::story::manifest::valid_language;
use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, value};

use super::drafts::{DeskError, Drafts, editable, string_or, tables};
use super::features::{FeatureWords, put_words};
use crate::load;

/// The language of the story's own words, and those words in each other
/// language `story.toml` gives them in, beside the words they translate.
/// `layers` hold the features the desk lists.
pub(super) fn read(
    manifest: &DocumentMut,
    sources: &DocumentMut,
    layers: &[DeskLayer],
) -> (String, Vec<DeskWords>) {
    let languages: Vec<String> = manifest
        .get("translated")
        .and_then(Item::as_table_like)
        .map(|table| table.iter().map(|(key, _)| key.to_owned()).collect())
        .unwrap_or_default();
    let words = languages
        .into_iter()
        .map(|language| {
            let mut rows = Vec::new();
            let mut row = |field: WordField, original: String, translated: String| {
                rows.push(WordRow {
                    field,
                    original,
                    translated,
                });
            };
            let story = manifest.get("translated").and_then(|t| t.get(&language));
            let of = |item: Option<&Item>, key: &str| {
                string_or(item.and_then(|words| words.get(key)), "")
            };
            row(
                WordField::Summary,
                string_or(manifest.get("summary"), ""),
                of(story, "summary"),
            );
            if manifest.get("source_text").is_some() && manifest.get("publisher").is_none() {
                row(
                    WordField::SourceText,
                    string_or(manifest.get("source_text"), ""),
                    of(story, "source_text"),
                );
            }
            for layer in tables(manifest, "layers") {
                let translated = layer.get("translated").and_then(|t| t.get(&language));
                row(
                    WordField::Layer(string_or(layer.get("id"), "")),
                    string_or(layer.get("title"), ""),
                    of(translated, "title"),
                );
            }
            for feature in layers.iter().flat_map(|layer| &layer.features) {
                let (title, note) = feature
                    .words
                    .iter()
                    .find(|(other, ..)| *other == language)
                    .map(|(_, title, note)| (title.clone(), note.clone()))
                    .unwrap_or_default();
                row(
                    WordField::FeatureTitle(feature.id.clone()),
                    feature.title.clone(),
                    title,
                );
                if !feature.note.is_empty() {
                    row(
                        WordField::FeatureNote(feature.id.clone()),
                        feature.note.clone(),
                        note,
                    );
                }
            }
            for source in tables(sources, "source") {
                let id = string_or(source.get("id"), "");
                let translated = source.get("translated").and_then(|t| t.get(&language));
                for (field, key) in [
                    (WordField::SourceTitle(id.clone()), "title"),
                    (WordField::SourcePublisher(id.clone()), "publisher"),
                    (WordField::SourceAuthor(id.clone()), "author"),
                ] {
                    if source.get(key).is_some() {
                        row(field, string_or(source.get(key), ""), of(translated, key));
                    }
                }
            }
            DeskWords { language, rows }
        })
        .collect();
    let data = string_or(
        manifest
            .get("data_language")
            .or_else(|| manifest.get("language")),
        "",
    );
    (data, words)
}

/// The words a form posted, by field.
struct Posted<'a>(Vec<(WordField, &'a str)>);

impl Posted<'_> {
    /// The words posted for `field`, if the form has it.
    fn get(&self, field: &WordField) -> Option<&str> {
        self.0
            .iter()
            .find(|(other, _)| other == field)
            .map(|(_, text)| *text)
    }
}

impl Drafts {
    /// Saves the story's words in `language` from the words form's fields
    /// (see [`WordField`]): what is posted is set, an empty word taken
    /// away. An empty summary with every word empty takes the language
    /// away, from every layer, feature and source too.
    pub fn save_words(
        &self,
        user: &str,
        slug: &str,
        base: &str,
        language: &str,
        posted: &[(String, String)],
    ) -> Result<(), DeskError> {
        let language = language.trim();
        let mut words = Vec::new();
        for (name, text) in posted {
            let field = WordField::parse(name).ok_or_else(|| {
                DeskError::Invalid(format!(
                    "{name}: is not a field of the words form; expected summary, source_text, layer:<id>, feature:<id>:title or :note, source:<id>:title, :publisher or :author"
                ))
            })?;
            words.push((field, text.trim()));
        }
        let words = Posted(words);
        let word = |field: &WordField| words.get(field);
        let everything = word(&WordField::Summary).unwrap_or_default().is_empty();
        if everything && words.0.iter().any(|(_, text)| !text.is_empty()) {
            return Err(DeskError::Invalid(format!(
                "summary: the story's words in {language} need its summary; expected the summary in {language}"
            )));
        }
        self.edit(user, slug, base, |draft| {
            let mut manifest =
                editable("story.toml", &fs::read_to_string(draft.join("story.toml"))?)?;
            let data = string_or(
                manifest
                    .get("data_language")
                    .or_else(|| manifest.get("language")),
                "",
            );
            if !valid_language(language) || language == data {
                return Err(DeskError::Invalid(format!(
                    "language: {language:?} is not another language than the story's own ({data}); expected a language tag such as \"ar\" or \"en\""
                )));
            }
            let mut files = Vec::new();
            story_words(&mut manifest, language, &words, everything)?;
            let sources_file = string_or(manifest.get("sources"), "sources.toml");
            let mut sources = editable(
                &sources_file,
                &load::read(draft, &sources_file).unwrap_or_default(),
            )?;
            source_words(&mut sources, language, &words, everything)?;
            files.push(("story.toml".to_owned(), manifest.to_string()));
            files.push((sources_file, sources.to_string()));
            let features: Vec<FeatureWords<'_>> = words
                .0
                .iter()
                .filter_map(|(field, title)| match field {
                    WordField::FeatureTitle(id) => Some(FeatureWords {
                        id,
                        title,
                        note: word(&WordField::FeatureNote(id.clone())).unwrap_or_default(),
                    }),
                    _ => None,
                })
                .collect();
            if let Some((WordField::FeatureNote(id), _)) = words.0.iter().find(|(field, _)| {
                matches!(field, WordField::FeatureNote(id) if word(&WordField::FeatureTitle(id.clone())).is_none())
            }) {
                return Err(DeskError::Invalid(format!(
                    "feature:{id}:note: was posted without the feature's title; expected both"
                )));
            }
            files.extend(put_words(draft, language, &features, everything)?);
            Ok((files, ()))
        })
    }
}

/// Sets the summary, `source_text` and layers' titles in `language` in
/// `story.toml`, or takes them all away (`everything`).
fn story_words(
    manifest: &mut DocumentMut,
    language: &str,
    words: &Posted<'_>,
    everything: bool,
) -> Result<(), DeskError> {
    let word = |field: &WordField| words.get(field);
    if everything {
        take_language(manifest.as_table_mut(), language);
    } else {
        if !manifest.contains_key("translated") {
            let mut table = Table::new();
            table.set_implicit(true);
            manifest.insert("translated", Item::Table(table));
        }
        let Some(all) = manifest["translated"].as_table_like_mut() else {
            return Err(DeskError::Invalid(
                "story.toml: `translated` is not a table".into(),
            ));
        };
        if !all.contains_key(language) {
            all.insert(language, Item::Table(Table::new()));
        }
        let Some(own) = all.get_mut(language).and_then(Item::as_table_like_mut) else {
            return Err(DeskError::Invalid(format!(
                "story.toml: `translated.{language}` is not a table"
            )));
        };
        for (field, key) in [
            (WordField::Summary, "summary"),
            (WordField::SourceText, "source_text"),
        ] {
            set(own, key, word(&field));
        }
    }
    let ids: Vec<String> = tables(manifest, "layers")
        .map(|layer| string_or(layer.get("id"), ""))
        .collect();
    if let Some((field, _)) = words
        .0
        .iter()
        .find(|(field, _)| matches!(field, WordField::Layer(id) if !ids.contains(id)))
    {
        return Err(DeskError::Invalid(format!(
            "{}: there is no such layer in story.toml",
            field.name()
        )));
    }
    let Some(layers) = manifest
        .get_mut("layers")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Ok(());
    };
    for layer in layers.iter_mut() {
        let id = string_or(layer.get("id"), "");
        let title = if everything {
            Some("")
        } else {
            word(&WordField::Layer(id))
        };
        let Some(title) = title else { continue };
        put_inline(layer, language, (!title.is_empty()).then_some(title));
    }
    Ok(())
}

/// Sets (or with `None`, takes away) a layer's `translated.<language>.title`,
/// written inline: `translated = { ar = { title = "…" } }`.
fn put_inline(layer: &mut Table, language: &str, title: Option<&str>) {
    match title {
        Some(title) => {
            if layer
                .get("translated")
                .and_then(Item::as_table_like)
                .is_none()
            {
                layer.insert("translated", value(InlineTable::new()));
            }
            if let Some(all) = layer
                .get_mut("translated")
                .and_then(Item::as_table_like_mut)
            {
                let mut words = InlineTable::new();
                words.insert("title", title.into());
                all.insert(language, value(words));
            }
        }
        None => take_language(layer, language),
    }
    // Spaced as a hand would write it, whatever was taken out.
    if let Some(all) = layer
        .get_mut("translated")
        .and_then(Item::as_inline_table_mut)
    {
        all.fmt();
    }
}

/// Sets the sources' words in `language` posted, or takes every source's
/// away (`everything`).
fn source_words(
    sources: &mut DocumentMut,
    language: &str,
    words: &Posted<'_>,
    everything: bool,
) -> Result<(), DeskError> {
    let known: Vec<String> = tables(sources, "source")
        .map(|source| string_or(source.get("id"), ""))
        .collect();
    for (field, _) in &words.0 {
        if let WordField::SourceTitle(id)
        | WordField::SourcePublisher(id)
        | WordField::SourceAuthor(id) = field
            && !known.contains(id)
        {
            return Err(DeskError::Invalid(format!(
                "{}: there is no source {id:?}",
                field.name()
            )));
        }
    }
    let Some(tables) = sources
        .get_mut("source")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Ok(());
    };
    for source in tables.iter_mut() {
        let id = string_or(source.get("id"), "");
        let word = |field: WordField| words.get(&field);
        let title = if everything {
            Some("")
        } else {
            word(WordField::SourceTitle(id.clone()))
        };
        let Some(title) = title else { continue };
        let others = [
            ("publisher", word(WordField::SourcePublisher(id.clone()))),
            ("author", word(WordField::SourceAuthor(id.clone()))),
        ];
        if title.is_empty() {
            if !everything
                && others
                    .iter()
                    .any(|(_, text)| text.is_some_and(|t| !t.is_empty()))
            {
                return Err(DeskError::Invalid(format!(
                    "source:{id}:title: the source's publisher or author in {language} needs its title in {language} too"
                )));
            }
            take_language(source, language);
            continue;
        }
        if source
            .get("translated")
            .and_then(Item::as_table_like)
            .is_none()
        {
            let mut table = Table::new();
            table.set_implicit(true);
            source.insert("translated", Item::Table(table));
        }
        let Some(all) = source
            .get_mut("translated")
            .and_then(Item::as_table_like_mut)
        else {
            continue;
        };
        if all.get(language).and_then(Item::as_table_like).is_none() {
            all.insert(language, Item::Table(Table::new()));
        }
        if let Some(own) = all.get_mut(language).and_then(Item::as_table_like_mut) {
            set(own, "title", Some(title));
            for (key, text) in others {
                if text.is_some() {
                    set(own, key, text);
                }
            }
        }
    }
    Ok(())
}

/// Takes `language` out of the table's `translated`, and `translated` too
/// once it is empty.
fn take_language(table: &mut Table, language: &str) {
    if let Some(all) = table
        .get_mut("translated")
        .and_then(Item::as_table_like_mut)
    {
        all.remove(language);
        if all.is_empty() {
            table.remove("translated");
        }
    }
}

/// Sets `key` to `text`, or takes it away where `text` is empty; leaves it
/// where nothing was posted for it.
fn set(table: &mut dyn TableLike, key: &str, text: Option<&str>) {
    match text {
        Some("") => {
            table.remove(key);
        }
        Some(text) => {
            table.insert(key, value(text));
        }
        None => {}
    }
}
