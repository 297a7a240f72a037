//! A problem found in a story's files, worded for the editor who must fix it.

use std::fmt;

/// One thing wrong with a story: where it is (file, line, feature, field) and
/// what was expected instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as a path a reader can open (relative to where kort runs).
    pub file: String,
    /// Line and column (1-based) where the file could not be parsed.
    pub position: Option<(usize, usize)>,
    /// Id of the feature (or source or layer) the problem is about.
    pub item: Option<Item>,
    /// Dotted path of the field, e.g. `properties.title`.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

/// What kind of thing a problem is about, and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Feature(String),
    Source(String),
    Layer(String),
    Paragraph(String),
}

impl Problem {
    /// A problem with a whole file.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            position: None,
            item: None,
            field: None,
            message: message.into(),
        }
    }

    /// Names the item the problem is about.
    #[must_use]
    pub fn item(mut self, item: Item) -> Self {
        self.item = Some(item);
        self
    }

    /// Names the field the problem is in.
    #[must_use]
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Places the problem at a line and column.
    #[must_use]
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.position = Some((line, column));
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        match &self.item {
            Some(Item::Feature(id)) => write!(f, ": feature `{id}`")?,
            Some(Item::Source(id)) => write!(f, ": source `{id}`")?,
            Some(Item::Layer(id)) => write!(f, ": layer `{id}`")?,
            Some(Item::Paragraph(id)) => write!(f, ": paragraph `{id}`")?,
            None => {}
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_file_line_feature_and_field() {
        let problem = Problem::file(
            "data/stories/x/layers/a.geojson",
            "missing; expected a title",
        )
        .at(3, 7)
        .item(Item::Feature("arsal".into()))
        .field("properties.title");
        assert_eq!(
            problem.to_string(),
            "data/stories/x/layers/a.geojson:3:7: feature `arsal`: properties.title: missing; expected a title"
        );
    }
}
