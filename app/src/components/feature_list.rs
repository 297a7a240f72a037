//! Every feature on the map, grouped by layer: the map's text alternative and
//! a way to every deep link without the map.

use std::sync::Arc;

use leptos::prelude::*;

use crate::links;
use crate::model::{GeometryKind, StoryPage, format_uncertainty};
use crate::routes::story::Selection;

/// The feature list.
#[component]
pub fn FeatureList(
    /// The story whose features are listed.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let Selection(selected) = expect_context::<Selection>();
    let slug = page.summary.slug.clone();
    let layers = page
        .layers
        .iter()
        .map(|layer| {
            let items = layer
                .features
                .iter()
                .map(|feature| {
                    let id = feature.id.clone();
                    let current = move || (selected.get().as_deref() == Some(id.as_str())).then_some("page");
                    let details = [
                        Some(kind_label(feature.kind).to_owned()),
                        feature.date.clone(),
                        feature.uncertainty_m.map(|m| format!("approximate, {}", format_uncertainty(m))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                    view! {
                        <li>
                            <a href=links::feature(&slug, &feature.id) aria-current=current data-feature=feature.id.clone()>
                                {feature.title.clone()}
                            </a>
                            <span class="feature-details">{details}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="layer" data-layer=layer.id.clone()>
                    <h3>
                        <span class=format!("swatch swatch-{:?}", layer.style.symbol).to_lowercase() style=format!("--swatch: {}", layer.style.color) aria-hidden="true"></span>
                        {layer.title.clone()}
                    </h3>
                    <ul>{items}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <nav class="feature-list" aria-labelledby="feature-list-title">
            <h2 id="feature-list-title">"On the map"</h2>
            {layers}
        </nav>
    }
    .into_any()
}

/// What a geometry is, in words.
fn kind_label(kind: GeometryKind) -> &'static str {
    match kind {
        GeometryKind::Point | GeometryKind::MultiPoint => "place",
        GeometryKind::LineString | GeometryKind::MultiLineString => "route",
        GeometryKind::Polygon | GeometryKind::MultiPolygon => "area",
        GeometryKind::GeometryCollection => "shapes",
    }
}
