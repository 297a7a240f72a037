//! Downloads of a story's features: GeoJSON for GIS tools, KML for Google
//! Earth and the like. Each feature carries its title, date, uncertainty,
//! passages and sources, so the file stands on its own.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kort_app::error::KortError;
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

/// The features to export: every layer's, or one layer's.
fn selection<'a>(
    story: &'a LoadedStory,
    layer: Option<&str>,
) -> Result<Vec<&'a kort_app::story::Layer>, KortError> {
    match layer {
        None => Ok(story.story.layers.iter().collect()),
        Some(id) => story.story.layer(id).map(|layer| vec![layer]),
    }
}

/// `attachment; filename="<slug>[-<layer>].<extension>"`.
fn disposition(slug: &str, layer: Option<&str>, extension: &str) -> String {
    let name = layer.map_or_else(|| slug.to_owned(), |layer| format!("{slug}-{layer}"));
    format!("attachment; filename=\"{name}.{extension}\"")
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
    let story = state.stories.snapshot().story(&slug)?;
    let layers = selection(&story, query.layer.as_deref())?;
    let url = format!(
        "{}{}",
        state.site.public_url,
        kort_app::links::PageUrl::story(&slug)
    );
    let features: Vec<Value> = layers
        .iter()
        .flat_map(|layer| layer.features.iter().map(move |feature| (layer, feature)))
        .map(|(layer, feature)| {
            // The API's properties, with the layer's title, the sources in
            // full and the feature's page, so the file stands on its own.
            let full = FeatureProperties {
                layer_title: Some(layer.title.clone()),
                url: Some(format!("{url}/features/{}", feature.id)),
                ..view::properties(&story.story, feature)
            }
            .with_sources(sources(&story, feature).collect());
            view::geojson_feature(feature, full)
        })
        .collect();
    let body = json!({
        "type": "FeatureCollection",
        "story": { "slug": slug, "title": story.story.manifest.title, "published": story.story.manifest.published, "url": url },
        "features": features,
    });
    Ok((
        [
            (header::CONTENT_TYPE, GEOJSON.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                disposition(&slug, query.layer.as_deref(), "geojson"),
            ),
        ],
        body.to_string(),
    )
        .into_response())
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

    let story = state.stories.snapshot().story(&slug)?;
    let layers = selection(&story, query.layer.as_deref())?;
    let url = format!(
        "{}{}",
        state.site.public_url,
        kort_app::links::PageUrl::story(&slug)
    );
    let folders = layers
        .iter()
        .map(|layer| {
            let placemarks = layer
                .features
                .iter()
                .map(|feature| {
                    Kml::Placemark(Placemark {
                        name: Some(feature.title.clone()),
                        description: Some(describe(&story, feature, &url)),
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
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.google-earth.kml+xml".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                disposition(&slug, query.layer.as_deref(), "kml"),
            ),
        ],
        body,
    )
        .into_response())
}

/// A feature in words, for KML's description: date, uncertainty, note,
/// passages and sources (the writer escapes it as XML text).
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
    lines.push(format!("{url}/features/{}", feature.id));
    lines.join("\n")
}
