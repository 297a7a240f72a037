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

/// The query string that carries the reader's choices from link to link:
/// `?layers=a,b` when not every layer is shown, else nothing.
pub fn query(layers: Option<&[String]>) -> String {
    match layers {
        None => String::new(),
        Some(layers) => format!("?layers={}", layers.join(",")),
    }
}

/// The layers a `layers` query value shows, keeping only ids the story has,
/// in the story's order. `None` (no parameter) shows every layer. Accepts
/// `a,b` and, from the no-JavaScript form, repeated `layers=a&layers=b`.
pub fn parse_layers<'a>(
    values: &[String],
    known: impl IntoIterator<Item = &'a str>,
) -> Option<Vec<String>> {
    if values.is_empty() {
        return None;
    }
    let wanted: Vec<&str> = values
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    Some(
        known
            .into_iter()
            .filter(|id| wanted.contains(id))
            .map(str::to_owned)
            .collect(),
    )
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Where embeddable pages live: the story pages under this prefix.
pub const EMBED_PREFIX: &str = "/embed";

/// The embeddable page of a story, or of a feature.
pub fn embed(slug: &str, feature: Option<&str>) -> String {
    match feature {
        Some(id) => format!("{EMBED_PREFIX}{}", self::feature(slug, id)),
        None => format!("{EMBED_PREFIX}{}", story(slug)),
    }
}

/// The feature id a story path selects, if any:
/// `[/embed]/stories/<slug>/features/<id>`.
pub fn selected_feature(path: &str) -> Option<String> {
    let path = path.strip_prefix(EMBED_PREFIX).unwrap_or(path);
    let rest = path.strip_prefix("/stories/")?;
    let (_, tail) = rest.split_once('/')?;
    let id = tail.strip_prefix("features/")?.trim_end_matches('/');
    (!id.is_empty() && !id.contains('/')).then(|| id.to_owned())
}

/// Whether a URL is one a reader's browser may safely open: http(s) with a host.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|host| {
        !host.is_empty()
            && !host.starts_with('/')
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
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
        assert_eq!(
            selected_feature("/embed/stories/a/features/b"),
            Some("b".into())
        );
        assert_eq!(embed("a", Some("b")), "/embed/stories/a/features/b");
        assert_eq!(
            percent_encode("https://k.org/a?b=c d&ø"),
            "https%3A%2F%2Fk.org%2Fa%3Fb%3Dc%20d%26%C3%B8"
        );
        assert_eq!(feature("a", "b"), "/stories/a/features/b");
    }

    #[test]
    fn layers_keep_known_ids_in_story_order() {
        let known = ["areas", "route", "strikes"];
        let parse = |values: &[&str]| {
            let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
            parse_layers(&values, known)
        };
        assert_eq!(parse(&[]), None);
        assert_eq!(
            parse(&["strikes,areas"]),
            Some(vec!["areas".into(), "strikes".into()])
        );
        assert_eq!(
            parse(&["route", "strikes"]),
            Some(vec!["route".into(), "strikes".into()])
        );
        assert_eq!(parse(&["<script>,nope"]), Some(vec![]));
        assert_eq!(
            parse(&[""]),
            Some(vec![]),
            "an empty value hides every layer"
        );
        assert_eq!(
            query(Some(&["route".into(), "strikes".into()])),
            "?layers=route,strikes"
        );
        assert_eq!(query(None), "");
    }
}
