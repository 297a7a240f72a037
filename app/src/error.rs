//! Errors a reader can meet, shared by the pages and the JSON API, with
//! their HTTP status codes in one place.

/// What went wrong while looking up something a URL names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KortError {
    /// No story has this slug.
    #[error("there is no story `{slug}`")]
    StoryNotFound { slug: String },
    /// The story exists but its files do not validate, so it is not served.
    #[error("the story `{slug}` is unavailable: its files have errors (run `kort check`)")]
    StoryUnavailable { slug: String },
    /// The story has no feature with this id.
    #[error("the story `{slug}` has no feature `{feature}`")]
    FeatureNotFound { slug: String, feature: String },
    /// The story has no layer with this id.
    #[error("the story `{slug}` has no layer `{layer}`")]
    LayerNotFound { slug: String, layer: String },
    /// A failure of the server or of the connection to it.
    #[error("server error: {0}")]
    Server(String),
}

impl KortError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::StoryNotFound { .. }
            | Self::StoryUnavailable { .. }
            | Self::FeatureNotFound { .. }
            | Self::LayerNotFound { .. } => 404,
            Self::Server(_) => 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_that_miss_are_not_found() {
        let missing = KortError::FeatureNotFound {
            slug: "s".into(),
            feature: "f".into(),
        };
        assert_eq!(missing.status(), 404);
        assert_eq!(KortError::Server("boom".into()).status(), 500);
    }
}
