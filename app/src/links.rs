//! The URLs of kort's pages, built in one place so links and routes agree.

/// The story page.
pub fn story(slug: &str) -> String {
    format!("/stories/{slug}")
}

/// A feature's deep link: the story page with the feature selected.
pub fn feature(slug: &str, id: &str) -> String {
    format!("/stories/{slug}/features/{id}")
}

/// The GeoJSON of one layer of a story.
pub fn layer_geojson(slug: &str, layer: &str) -> String {
    format!("/api/stories/{slug}/layers/{layer}.geojson")
}

/// The feature id a story path selects, if any: `/stories/<slug>/features/<id>`.
pub fn selected_feature(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/stories/")?;
    let (_, tail) = rest.split_once('/')?;
    let id = tail.strip_prefix("features/")?.trim_end_matches('/');
    (!id.is_empty() && !id.contains('/')).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_is_read_from_the_path() {
        assert_eq!(
            selected_feature("/stories/a/features/blocked-bridge").as_deref(),
            Some("blocked-bridge")
        );
        assert_eq!(selected_feature("/stories/a/features/b/"), Some("b".into()));
        assert_eq!(selected_feature("/stories/a"), None);
        assert_eq!(selected_feature("/stories/a/features/"), None);
        assert_eq!(selected_feature("/stories/a/features/b/c"), None);
        assert_eq!(feature("a", "b"), "/stories/a/features/b");
    }
}
