//! The article file: paragraphs separated by blank lines, each opened by its
//! stable id, `{#id}`, so passages and links survive edits to other paragraphs.
//!
//! ```text
//! {#strike} En amerikanskledet koalition gennemførte onsdag flere luftangreb …
//!
//! {#ceasefire} Konvojen har i henhold til en våbenhvileaftale …
//! ```

use std::collections::HashSet;

use super::problem::{Item, Problem};
use super::valid_id;

/// A paragraph of the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub id: String,
    /// The text, with line breaks inside the paragraph folded to spaces.
    pub text: String,
}

/// Checks that a translation has the original's paragraphs: the same ids in
/// the same order, so a link to a paragraph works in every language.
pub fn check_same_paragraphs(
    file: &str,
    original: &[Paragraph],
    translation: &[Paragraph],
) -> Vec<Problem> {
    let ids =
        |paragraphs: &[Paragraph]| paragraphs.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    let (want, have) = (ids(original), ids(translation));
    let mut problems: Vec<Problem> = want
        .iter()
        .filter(|id| !have.contains(id))
        .map(|id| {
            Problem::file(
                file,
                "is missing; expected every paragraph of the original, translated",
            )
            .item(Item::Paragraph(id.clone()))
        })
        .collect();
    problems.extend(have.iter().filter(|id| !want.contains(id)).map(|id| {
        Problem::file(
            file,
            "is not in the original; expected the original's paragraph ids",
        )
        .item(Item::Paragraph(id.clone()))
    }));
    if problems.is_empty() && want != have {
        problems.push(Problem::file(
            file,
            format!(
                "the paragraphs are in another order; expected the original's: {}",
                want.join(", ")
            ),
        ));
    }
    problems
}

/// Reads the article; every malformed paragraph is reported.
pub fn parse(file: &str, text: &str) -> Result<Vec<Paragraph>, Vec<Problem>> {
    let mut paragraphs = Vec::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut line_no = 0;
    for block in split_blocks(text) {
        line_no += block.leading_lines;
        let first_line = line_no + 1;
        line_no += block.lines;
        let joined = block.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(rest) = joined.strip_prefix("{#") else {
            problems.push(
                Problem::file(
                    file,
                    "a paragraph must start with its id, like `{#strike} Text…`",
                )
                .at(first_line, 1),
            );
            continue;
        };
        let Some((id, body)) = rest.split_once('}') else {
            problems.push(
                Problem::file(file, "the paragraph id is not closed with `}`").at(first_line, 1),
            );
            continue;
        };
        if !valid_id(id) {
            problems.push(
                Problem::file(file, "expected an id of lowercase letters, digits and `-`")
                    .at(first_line, 3)
                    .item(Item::Paragraph(id.to_owned())),
            );
            continue;
        }
        if !seen.insert(id.to_owned()) {
            problems.push(
                Problem::file(file, "this paragraph id is used twice; ids must be unique")
                    .at(first_line, 3)
                    .item(Item::Paragraph(id.to_owned())),
            );
            continue;
        }
        let body = body.trim();
        if body.is_empty() {
            problems.push(
                Problem::file(file, "the paragraph is empty")
                    .at(first_line, 1)
                    .item(Item::Paragraph(id.to_owned())),
            );
            continue;
        }
        paragraphs.push(Paragraph {
            id: id.to_owned(),
            text: body.to_owned(),
        });
    }
    if paragraphs.is_empty() && problems.is_empty() {
        problems.push(Problem::file(file, "the article has no paragraphs"));
    }
    if problems.is_empty() {
        Ok(paragraphs)
    } else {
        Err(problems)
    }
}

struct Block<'a> {
    /// Blank lines before the block.
    leading_lines: usize,
    /// Lines in the block.
    lines: usize,
    text: std::borrow::Cow<'a, str>,
}

fn split_blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut leading = 0;
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if current.is_empty() {
                leading += 1;
            } else {
                blocks.push(Block {
                    leading_lines: leading,
                    lines: current.len(),
                    text: current.join("\n").into(),
                });
                current.clear();
                leading = 1;
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(Block {
            leading_lines: leading,
            lines: current.len(),
            text: current.join("\n").into(),
        });
    }
    blocks
}

/// How many of a paragraph's first words make its id.
const ID_WORDS: usize = 4;
/// The longest id made from them.
const ID_MAX: usize = 40;

/// The article `text` with an id opening each paragraph: a paragraph that
/// has one keeps it, one that has none gets one made from its first words
/// (in Latin letters, whatever its script), unique in the article. Lines
/// inside a paragraph are kept; paragraphs are separated by one blank line.
pub fn with_ids(text: &str) -> String {
    let blocks = split_blocks(text);
    let mut taken: HashSet<String> = blocks
        .iter()
        .filter_map(|block| {
            let rest = block.text.trim_start().strip_prefix("{#")?;
            Some(rest.split_once('}')?.0.to_owned())
        })
        .collect();
    let paragraphs: Vec<String> = blocks
        .iter()
        .map(|block| {
            let text = block.text.trim();
            if text.starts_with("{#") {
                return text.to_owned();
            }
            let words: Vec<&str> = text.split_whitespace().take(ID_WORDS).collect();
            let id = super::new_id(&words.join(" "), ID_MAX, "p", &|id| taken.contains(id));
            taken.insert(id.clone());
            format!("{{#{id}}} {text}")
        })
        .collect();
    let mut article = paragraphs.join("\n\n");
    article.push('\n');
    article
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_without_an_id_get_one_from_their_first_words() {
        let text = "Konvojen forlod mandag enklaven.\n\n{#kept} Dillon siger.\n\n\nKonvojen forlod mandag igen.\n\nالقافلة غادرت يوم الاثنين\n";
        let article = with_ids(text);
        assert_eq!(
            article,
            "{#konvojen-forlod-mandag-enklaven} Konvojen forlod mandag enklaven.\n\n{#kept} Dillon siger.\n\n{#konvojen-forlod-mandag-igen} Konvojen forlod mandag igen.\n\n{#lqfl-gdrt-ywm-lthnyn} القافلة غادرت يوم الاثنين\n"
        );
        assert!(parse("a.txt", &article).is_ok(), "{article}");
        // Twice the same opening: the second id is numbered.
        let twice = with_ids("Same words here.\n\nSame words here.");
        assert!(twice.contains("{#same-words-here-2}"), "{twice}");
    }

    #[test]
    fn reads_ids_and_folds_lines() {
        let paragraphs =
            parse("a.txt", "{#one} First\nline.\n\n\n{#two} Second.\n").expect("valid");
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(paragraphs[0].id, "one");
        assert_eq!(paragraphs[0].text, "First line.");
        assert_eq!(paragraphs[1].text, "Second.");
    }

    #[test]
    fn reports_every_bad_paragraph_with_its_line() {
        let problems =
            parse("a.txt", "{#one} Fine.\n\nNo id here.\n\n{#one} Again.\n").expect_err("invalid");
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].starts_with("a.txt:3:1: a paragraph must start with its id"),
            "{text:?}"
        );
        assert!(
            text[1].contains("a.txt:5:3: paragraph `one`: this paragraph id is used twice"),
            "{text:?}"
        );
    }
}
