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

/// Where a selector landed: a paragraph and a byte range of its text (the
/// default, before it is looked for, is the start of the article).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
        self.pick(paragraphs, places_of(paragraphs, &self.exact))
    }

    /// [`Self::resolve`], with the quote's places already found in
    /// `quotes` (which must have been built from the same paragraphs and
    /// this quote).
    pub fn resolve_in(&self, quotes: &Quotes<'_>) -> Result<Resolved, ResolveError> {
        self.pick(
            quotes.paragraphs,
            quotes.places(&self.exact).iter().copied(),
        )
    }

    /// Of the places `(paragraph, byte)` where the quote starts, the one
    /// its prefix and suffix fit, if it is the only one.
    fn pick(
        &self,
        paragraphs: &[Paragraph],
        places: impl Iterator<Item = (usize, usize)>,
    ) -> Result<Resolved, ResolveError> {
        if self.exact.trim().is_empty() {
            return Err(ResolveError::Empty);
        }
        let prefix = self.prefix.as_deref().unwrap_or("");
        let suffix = self.suffix.as_deref().unwrap_or("");
        let end = |start: usize| start + self.exact.len();
        let mut matches = places
            .filter(|&(index, start)| {
                let text = paragraphs[index].text.as_str();
                text[..start].ends_with(prefix) && text[end(start)..].starts_with(suffix)
            })
            .map(|(paragraph, start)| Resolved {
                paragraph,
                start,
                end: end(start),
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

/// Where `quote` starts in `paragraphs`, `(paragraph, byte)`, as
/// [`str::match_indices`] finds it.
fn places_of<'a>(
    paragraphs: &'a [Paragraph],
    quote: &'a str,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    paragraphs
        .iter()
        .enumerate()
        .flat_map(move |(index, paragraph)| {
            paragraph
                .text
                .match_indices(quote)
                .map(move |(start, _)| (index, start))
        })
}

/// Where each of many quotes occurs in an article's paragraphs, found in
/// one pass over the text (Aho–Corasick) however many quotes there are: a
/// layer of a million events quoting the article is not a million searches
/// of it. The places are those [`str::match_indices`] gives, so a quote
/// resolves here as it does on its own.
pub struct Quotes<'a> {
    paragraphs: &'a [Paragraph],
    /// Each quote's places, `(paragraph, byte)`.
    places: std::collections::HashMap<String, Vec<(usize, usize)>>,
}

impl<'a> Quotes<'a> {
    pub fn find(paragraphs: &'a [Paragraph], quotes: impl IntoIterator<Item = String>) -> Self {
        let patterns: Vec<String> = quotes
            .into_iter()
            .filter(|quote| !quote.is_empty())
            .collect::<std::collections::HashSet<_>>()
            .into_iter()
            .collect();
        // Built from the quotes of valid story files, which are bounded by
        // the file size limit; should it fail anyway, each quote is searched
        // on its own.
        let Ok(automaton) = aho_corasick::AhoCorasick::new(&patterns) else {
            let places = patterns
                .into_iter()
                .map(|quote| {
                    let found = places_of(paragraphs, &quote).collect();
                    (quote, found)
                })
                .collect();
            return Self { paragraphs, places };
        };
        // Per quote, where its last place ended: overlapping places of one
        // quote are skipped, as `match_indices` skips them.
        let mut ends: Vec<(usize, usize)> = vec![(usize::MAX, 0); patterns.len()];
        let mut found: Vec<Vec<(usize, usize)>> = vec![Vec::new(); patterns.len()];
        for (index, paragraph) in paragraphs.iter().enumerate() {
            for hit in automaton.find_overlapping_iter(paragraph.text.as_str()) {
                let quote = hit.pattern().as_usize();
                if ends[quote].0 == index && hit.start() < ends[quote].1 {
                    continue;
                }
                ends[quote] = (index, hit.end());
                found[quote].push((index, hit.start()));
            }
        }
        let places = patterns.into_iter().zip(found).collect();
        Self { paragraphs, places }
    }

    fn places(&self, quote: &str) -> &[(usize, usize)] {
        self.places.get(quote).map_or(&[], Vec::as_slice)
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

    #[test]
    fn quotes_found_together_resolve_as_each_found_alone() {
        let mut paragraphs = article();
        paragraphs.push(Paragraph {
            id: "c".into(),
            text: "aaa — ééé og en lille bro".into(),
        });
        let selector =
            |exact: &str, prefix: Option<&str>, suffix: Option<&str>| TextQuoteSelector {
                kind: None,
                exact: exact.into(),
                prefix: prefix.map(Into::into),
                suffix: suffix.map(Into::into),
            };
        let selectors = [
            selector("en lille bro", None, None),
            selector("en lille bro", Some("og "), Some(" mere")),
            selector("en lille bro", None, Some(",")),
            selector("lille", Some("en "), None),
            // Overlapping places of one quote count as `match_indices` counts them.
            selector("aa", None, None),
            selector("éé", None, None),
            selector("Konvojen", None, None),
            selector("ikke her", None, None),
            selector("  ", None, None),
        ];
        let quotes = Quotes::find(
            &paragraphs,
            selectors.iter().map(|selector| selector.exact.clone()),
        );
        for selector in &selectors {
            assert_eq!(
                selector.resolve_in(&quotes),
                selector.resolve(&paragraphs),
                "{selector:?}"
            );
        }
        assert_eq!(
            selectors[4].resolve_in(&quotes),
            Ok(Resolved {
                paragraph: 2,
                start: 0,
                end: 2
            })
        );
    }
}
