//! Downloads of a story's features: GeoJSON for GIS tools, KML for Google
//! Earth and the like. Each feature carries its title, date, uncertainty,
//! passages and sources, so the file stands on its own.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kort_app::error::KortError;
use kort_app::links::PageUrl;
use kort_app::model::{FeatureProperties, Source, format_uncertainty};
use kort_app::story::view;
use kort_app::story::{Feature, LoadedStory};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{ApiError, GEOJSON};
use crate::state::Shared;

/// `?layer=<id>`: export one layer only.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    layer: Option<String>,
}

/// A download asked for: the story, the layer (or every layer) and where
/// the story's pages are on this site.
struct Export {
    story: Arc<LoadedStory>,
    slug: String,
    layer: Option<String>,
    public_url: String,
}

impl Export {
    /// Finds the story; a story that is not served is an error.
    fn of(state: &Shared, slug: String, query: ExportQuery) -> Result<Self, KortError> {
        Ok(Self {
            story: state.stories.snapshot().story(&slug)?,
            slug,
            layer: query.layer,
            public_url: state.site.public_url.clone(),
        })
    }

    /// The layers to export: every one, or the one asked for.
    fn layers(&self) -> Result<Vec<&kort_app::story::Layer>, KortError> {
        match &self.layer {
            None => Ok(self.story.story.layers.iter().collect()),
            Some(id) => self.story.story.layer(id).map(|layer| vec![layer]),
        }
    }

    /// The public address of the story's page, or of a feature's, at the
    /// revision exported.
    fn page(&self, feature: Option<&str>) -> String {
        let revision = self.story.story.revision.as_ref().map(|r| r.number);
        let page = PageUrl::story(&self.slug)
            .with_revision(revision)
            .with_feature(feature);
        format!("{}{page}", self.public_url)
    }

    /// The file to save, `<slug>[-rev<n>][-<layer>].<extension>`.
    fn attachment(&self, content_type: &str, extension: &str, body: Vec<u8>) -> Response {
        let mut name = self.slug.clone();
        if let Some(revision) = &self.story.story.revision {
            name = format!("{name}-rev{}", revision.number);
        }
        if let Some(layer) = &self.layer {
            name = format!("{name}-{layer}");
        }
        (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.{extension}\""),
                ),
            ],
            body,
        )
            .into_response()
    }
}

/// The sources a feature cites, in full.
fn sources<'a>(story: &'a LoadedStory, feature: &'a Feature) -> impl Iterator<Item = &'a Source> {
    feature
        .sources
        .iter()
        .filter_map(|id| story.story.sources.iter().find(|source| &source.id == id))
}

/// `GET /api/stories/<slug>/export.geojson[?layer=<id>]`.
pub async fn geojson(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let export = Export::of(&state, slug, query)?;
    let story = &export.story;
    let features: Vec<Value> = export
        .layers()?
        .into_iter()
        .flat_map(|layer| layer.features.iter().map(move |feature| (layer, feature)))
        .map(|(layer, feature)| {
            // The API's properties, with the layer's title, the sources in
            // full and the feature's page, so the file stands on its own.
            let full = FeatureProperties {
                layer_title: Some(layer.title.clone()),
                url: Some(export.page(Some(&feature.id))),
                ..view::properties(&story.story, feature)
            }
            .with_sources(sources(story, feature).collect());
            view::geojson_feature(feature, full)
        })
        .collect();
    let body = json!({
        "type": "FeatureCollection",
        "story": {
            "slug": export.slug,
            "title": story.story.manifest.title,
            "published": story.story.manifest.published,
            "url": export.page(None),
        },
        "features": features,
    });
    Ok(export.attachment(GEOJSON, "geojson", body.to_string().into_bytes()))
}

/// `GET /api/stories/<slug>/export.kml[?layer=<id>]`: a Document with a
/// Folder per layer and a Placemark per feature.
pub async fn kml(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    use kml::types::{Folder, Placemark};
    use kml::{Kml, KmlDocument, KmlVersion, KmlWriter};

    let export = Export::of(&state, slug, query)?;
    let story = &export.story;
    let folders = export
        .layers()?
        .into_iter()
        .map(|layer| {
            let placemarks = layer
                .features
                .iter()
                .map(|feature| {
                    Kml::Placemark(Placemark {
                        name: Some(feature.title.clone()),
                        description: Some(describe(
                            story,
                            feature,
                            &export.page(Some(&feature.id)),
                        )),
                        geometry: Some(kml::types::Geometry::from(feature.geometry.clone())),
                        attrs: HashMap::from([("id".to_owned(), feature.id.clone())]),
                        ..Placemark::default()
                    })
                })
                .collect();
            Kml::Folder(Folder {
                name: Some(layer.title.clone()),
                description: None,
                elements: placemarks,
                ..Folder::default()
            })
        })
        .collect();
    let document = Kml::KmlDocument(KmlDocument {
        version: KmlVersion::V22,
        attrs: HashMap::from([(
            "xmlns".to_owned(),
            "http://www.opengis.net/kml/2.2".to_owned(),
        )]),
        elements: vec![Kml::Document {
            attrs: HashMap::new(),
            elements: folders,
        }],
    });
    let mut body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".to_vec();
    KmlWriter::from_writer(&mut body)
        .write(&document)
        .map_err(|error| KortError::Server(format!("KML could not be written: {error}")))?;
    Ok(export.attachment("application/vnd.google-earth.kml+xml", "kml", body))
}

/// A feature in words, for KML's description: date, uncertainty, note,
/// passages, sources and the feature's page at `url` (the writer escapes
/// it as XML text).
fn describe(story: &LoadedStory, feature: &Feature, url: &str) -> String {
    let mut lines = Vec::new();
    if let Some((date, _)) = &feature.date {
        lines.push(format!("Date: {}", kort_app::date::describe(date)));
    }
    if let Some(metres) = feature.uncertainty_m {
        lines.push(format!(
            "Approximate position, {}",
            format_uncertainty(metres)
        ));
    }
    if let Some(note) = &feature.note {
        lines.push(note.clone());
    }
    for passage in &feature.passages[0] {
        lines.push(format!("In the article: “{}”", passage.selector.exact));
    }
    for source in sources(story, feature) {
        lines.push(match &source.url {
            Some(link) => format!("Source: {} — {} <{link}>", source.publisher, source.title),
            None => format!("Source: {} — {}", source.publisher, source.title),
        });
    }
    lines.push(url.to_owned());
    lines.join("\n")
}
