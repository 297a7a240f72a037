//! Resolving W3C Web Annotation text quote selectors against the article.
//!
//! A selector quotes the passage (`exact`) and, where the quote alone is
//! ambiguous, a little of the text before (`prefix`) and after (`suffix`) it.
//! Quoting rather than counting characters keeps links stable when an editor
//! fixes a typo elsewhere in the article.

use serde::{Deserialize, Serialize};

use super::article::Paragraph;

/// A `TextQuoteSelector` (<https://www.w3.org/TR/annotation-model/#text-quote-selector>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextQuoteSelector {
    /// Optional, as the Web Annotation model allows: `"TextQuoteSelector"`.
    #[serde(default, rename = "type", skip_serializing)]
    pub kind: Option<String>,
    pub exact: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

/// Where a selector landed: a paragraph and a byte range of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub paragraph: usize,
    pub start: usize,
    pub end: usize,
}

/// Why a selector could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("the quote is empty; expected the exact words of a passage in the article")]
    Empty,
    #[error(
        "the quote {0:?} is not in the article; expected the exact words of a passage (check spelling and punctuation)"
    )]
    NotFound(String),
    #[error(
        "the quote {quote:?} is in the article {count} times; add a `prefix` or `suffix` so it matches exactly one"
    )]
    Ambiguous { quote: String, count: usize },
}

impl TextQuoteSelector {
    /// Finds the one place in the article this selector matches.
    pub fn resolve(&self, paragraphs: &[Paragraph]) -> Result<Resolved, ResolveError> {
        if self.exact.trim().is_empty() {
            return Err(ResolveError::Empty);
        }
        let prefix = self.prefix.as_deref().unwrap_or("");
        let suffix = self.suffix.as_deref().unwrap_or("");
        let mut matches = paragraphs
            .iter()
            .enumerate()
            .flat_map(|(index, paragraph)| {
                let text = paragraph.text.as_str();
                text.match_indices(self.exact.as_str())
                    .filter(move |(start, exact)| {
                        text[..*start].ends_with(prefix)
                            && text[start + exact.len()..].starts_with(suffix)
                    })
                    .map(move |(start, exact)| Resolved {
                        paragraph: index,
                        start,
                        end: start + exact.len(),
                    })
            });
        let first = matches
            .next()
            .ok_or_else(|| ResolveError::NotFound(self.exact.clone()))?;
        let others = matches.count();
        if others > 0 {
            return Err(ResolveError::Ambiguous {
                quote: self.exact.clone(),
                count: others + 1,
            });
        }
        Ok(first)
    }
}

/// The most words of context a new selector takes on either side before
/// giving up on telling identical passages apart.
const MAX_CONTEXT_WORDS: usize = 12;

impl TextQuoteSelector {
    /// The selector for the words at bytes `start..end` of paragraph
    /// `index`: the quote alone where it occurs once in the article, else
    /// with as few words before (`prefix`) and after (`suffix`) it as make
    /// it match there only. `None` if the range is not a passage of that
    /// paragraph, or if no context short of [`MAX_CONTEXT_WORDS`] tells it
    /// apart (the same sentence twice).
    pub fn for_passage(
        paragraphs: &[Paragraph],
        index: usize,
        start: usize,
        end: usize,
    ) -> Option<Self> {
        let text = &paragraphs.get(index)?.text;
        let exact = text.get(start..end)?;
        if exact.trim().is_empty() {
            return None;
        }
        let before = word_starts(&text[..start]);
        let after = word_ends(&text[end..]);
        let target = Resolved {
            paragraph: index,
            start,
            end,
        };
        let fits = |selector: &Self| selector.resolve(paragraphs) == Ok(target);
        for words in 0..=MAX_CONTEXT_WORDS {
            // Text after first, as annotators do: it reads on naturally.
            let shapes = [(0, words), (words, 0), (words, words)];
            for (before_words, after_words) in shapes {
                let prefix = (before_words > 0)
                    .then(|| before.get(before_words - 1).map(|at| &text[*at..start]))
                    .flatten();
                let suffix = (after_words > 0)
                    .then(|| after.get(after_words - 1).map(|at| &text[end..end + at]))
                    .flatten();
                if (before_words > 0 && prefix.is_none()) || (after_words > 0 && suffix.is_none()) {
                    continue;
                }
                let selector = Self {
                    kind: None,
                    exact: exact.to_owned(),
                    prefix: prefix.map(str::to_owned),
                    suffix: suffix.map(str::to_owned),
                };
                if fits(&selector) {
                    return Some(selector);
                }
            }
        }
        None
    }
}

/// Where each word before the end of `text` starts, nearest first: the
/// prefix of one word, of two, …
fn word_starts(text: &str) -> Vec<usize> {
    let mut starts: Vec<usize> = text
        .char_indices()
        .filter(|(at, c)| {
            !c.is_whitespace()
                && (*at == 0
                    || text[..*at]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_whitespace))
        })
        .map(|(at, _)| at)
        .collect();
    starts.reverse();
    starts
}

/// Where each word after the start of `text` ends, nearest first.
fn word_ends(text: &str) -> Vec<usize> {
    text.char_indices()
        .filter(|(at, c)| {
            !c.is_whitespace()
                && text[at + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(at, c)| at + c.len_utf8())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Vec<Paragraph> {
        vec![
            Paragraph {
                id: "a".into(),
                text: "Konvojen forlod mandag enklaven.".into(),
            },
            Paragraph {
                id: "b".into(),
                text: "Vi har ødelagt en lille bro, og en lille bro mere.".into(),
            },
        ]
    }

    fn quote(exact: &str, prefix: Option<&str>, suffix: Option<&str>) -> TextQuoteSelector {
        TextQuoteSelector {
            kind: None,
            exact: exact.into(),
            prefix: prefix.map(Into::into),
            suffix: suffix.map(Into::into),
        }
    }

    #[test]
    fn finds_a_unique_quote() {
        let found = quote("enklaven", None, None)
            .resolve(&article())
            .expect("found");
        assert_eq!((found.paragraph, found.start, found.end), (0, 23, 31));
    }

    #[test]
    fn prefix_and_suffix_pick_one_of_several() {
        let err = quote("en lille bro", None, None)
            .resolve(&article())
            .expect_err("ambiguous");
        assert_eq!(
            err,
            ResolveError::Ambiguous {
                quote: "en lille bro".into(),
                count: 2
            }
        );
        let found = quote("en lille bro", None, Some(" mere"))
            .resolve(&article())
            .expect("found");
        assert_eq!(found.paragraph, 1);
        let found_first = quote("en lille bro", Some("ødelagt "), None)
            .resolve(&article())
            .expect("found");
        assert!(found_first.start < found.start);
    }

    #[test]
    fn a_misspelt_quote_is_not_found() {
        let err = quote("en lile bro", None, None)
            .resolve(&article())
            .expect_err("missing");
        assert!(matches!(err, ResolveError::NotFound(_)));
        assert!(err.to_string().contains("not in the article"));
    }

    #[test]
    fn a_new_selector_takes_context_only_where_the_quote_is_ambiguous() {
        let paragraphs = article();
        let once = TextQuoteSelector::for_passage(&paragraphs, 0, 23, 31).expect("selector");
        assert_eq!(once, quote("enklaven", None, None));
        // "en lille bro" twice in paragraph b: the second takes a word after it.
        let text = &paragraphs[1].text;
        let second = text.rfind("en lille bro").expect("twice");
        let selector =
            TextQuoteSelector::for_passage(&paragraphs, 1, second, second + "en lille bro".len())
                .expect("selector");
        assert_eq!(selector, quote("en lille bro", None, Some(" mere.")));
        let first = text.find("en lille bro").expect("once");
        let selector =
            TextQuoteSelector::for_passage(&paragraphs, 1, first, first + "en lille bro".len())
                .expect("selector");
        assert_eq!(selector.resolve(&paragraphs).map(|at| at.start), Ok(first));
        // The same sentence twice cannot be told apart; a range off the text is no passage.
        let twice = vec![paragraphs[0].clone(), paragraphs[0].clone()];
        assert_eq!(TextQuoteSelector::for_passage(&twice, 1, 23, 31), None);
        assert_eq!(TextQuoteSelector::for_passage(&paragraphs, 0, 23, 99), None);
    }
}
