//! The draft's features on its story page: the map to draw them on
//! ([`super::map`]), a form for each (title, position, uncertainty, date,
//! note, sources, and the passages that mention it), and the article, where
//! words are linked to them. Every form works without JavaScript; the map
//! and the selection only fill its fields.

use leptos::prelude::*;

use super::map::{DraftMap, LinkWords};
use super::texts::DeskTexts;
use super::{DeskFeature, DeskLayer, DeskSource, Draft};
use crate::i18n::{self, Lang};
use crate::model::GeolocationMethod;

/// The id of the new feature's form, which drawing fills by default.
pub const NEW_FEATURE: &str = "feature-new";
/// The id of the link form.
pub const LINK_FORM: &str = "link-form";

/// The map, and the features of every layer, each with its form.
#[component]
pub fn Features(draft: Draft, lang: Lang, texts: &'static DeskTexts) -> impl IntoView {
    let action = format!("{}/features", super::story_path(&draft.slug));
    let base = draft.revision.clone();
    let layers = draft.layers.clone();
    let sources = draft.sources.clone();
    let problems = draft.problems.clone();
    let listed = draft
        .layers
        .iter()
        .map(|layer| {
            let features = layer
                .features
                .iter()
                .map(|feature| {
                    let found: Vec<String> = problems
                        .iter()
                        .filter(|problem| problem.feature.as_deref() == Some(feature.id.as_str()))
                        .map(|problem| problem.text.clone())
                        .collect();
                    view! {
                        <FeatureEntry
                            feature=feature.clone()
                            slug=draft.slug.clone()
                            base=base.clone()
                            layers=layers.clone()
                            sources=sources.clone()
                            problems=found
                            texts
                        />
                    }
                })
                .collect_view();
            view! {
                <h3 data-layer=layer.id.clone()>
                    <span class="desk-swatch" style=format!("background:{}", layer.color) aria-hidden="true"></span>
                    {layer.title.clone()}
                </h3>
                {(layer.features.is_empty() && layer.unlisted == 0).then(|| view! { <p class="desk-help">{texts.no_features}</p> })}
                {(layer.unlisted > 0).then(|| view! { <p class="desk-help">{(texts.unlisted)(layer.unlisted)}</p> })}
                {features}
            }
        })
        .collect_view();
    let new_feature = if draft.layers.is_empty() {
        view! { <p class="desk-help">{texts.needs_layer}</p> }.into_any()
    } else {
        view! {
            <h3>{texts.new_feature}</h3>
            <FeatureForm
                feature=DeskFeature {
                    layer: draft.layers[0].id.clone(),
                    ..DeskFeature::default()
                }
                action=action.clone()
                base=base.clone()
                layers=layers.clone()
                sources=sources.clone()
                problems=Vec::new()
                texts
            />
        }
        .into_any()
    };
    let import = (!draft.layers.is_empty()).then(|| {
        view! { <ImportForm draft=draft.clone() texts /> }
    });
    view! {
        <section class="desk-features" aria-labelledby="features">
            <h2 id="features">{texts.features}</h2>
            <p class="desk-help">{texts.features_help}</p>
            <DraftMap features=map_features(&draft.layers) view=view_of(&draft) lang />
            <datalist id="places"></datalist>
            <form method="post" action=format!("{}/fit", super::story_path(&draft.slug)) class="desk-inline">
                <input type="hidden" name="base" value=base.clone() />
                <button type="submit">{texts.fit_view}</button>
            </form>
            {listed}
            {new_feature}
            {import}
        </section>
        <Linking draft texts />
    }
}

/// The draft's features as GeoJSON for the map: each drawn feature with
/// its title, its layer's colour and its uncertainty.
fn map_features(layers: &[DeskLayer]) -> String {
    let features: Vec<serde_json::Value> = layers
        .iter()
        .flat_map(|layer| layer.features.iter().map(move |feature| (layer, feature)))
        .filter_map(|(layer, feature)| {
            let geometry: serde_json::Value = serde_json::from_str(&feature.geometry).ok()?;
            Some(serde_json::json!({
                "type": "Feature",
                "id": feature.id,
                "geometry": geometry,
                "properties": {
                    "title": feature.title,
                    "color": layer.color,
                    "uncertainty_m": feature.uncertainty_m.parse::<f64>().ok(),
                },
            }))
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
}

/// The story's view, or the basemap's region where the draft has none yet.
fn view_of(draft: &Draft) -> crate::model::View {
    let edge = |text: &str| text.trim().parse::<f64>().ok();
    let fields = &draft.fields;
    match (
        edge(&fields.west),
        edge(&fields.south),
        edge(&fields.east),
        edge(&fields.north),
    ) {
        (Some(west), Some(south), Some(east), Some(north)) if west < east && south < north => {
            crate::model::View {
                west,
                south,
                east,
                north,
            }
        }
        _ => crate::map::basemap::REGION,
    }
}

/// A feature in the list: its form, its passages, and splitting and
/// removing it.
#[component]
fn FeatureEntry(
    feature: DeskFeature,
    slug: String,
    base: String,
    layers: Vec<DeskLayer>,
    sources: Vec<DeskSource>,
    problems: Vec<String>,
    texts: &'static DeskTexts,
) -> impl IntoView {
    let page = super::story_path(&slug);
    let id = feature.id.clone();
    let drawn = if feature.geometry.is_empty() {
        texts.not_drawn.to_owned()
    } else {
        feature.kind.clone()
    };
    let points = serde_json::from_str::<serde_json::Value>(&feature.geometry)
        .ok()
        .filter(|geometry| geometry["type"] == "LineString")
        .and_then(|geometry| geometry["coordinates"].as_array().map(Vec::len))
        .unwrap_or(0);
    let passages = feature
        .passages
        .iter()
        .enumerate()
        .map(|(index, passage)| {
            let (place, lost) = match &passage.found {
                Ok(paragraph) => (format!(" (¶ {paragraph})"), None),
                Err(why) => (String::new(), Some(format!("{}: {why}", texts.not_found))),
            };
            let is_lost = lost.is_some();
            view! {
                <li class:desk-lost=is_lost>
                    <q>{passage.exact.clone()}</q>
                    {place}
                    {lost.map(|lost| view! { <span class="desk-warning">{lost}</span> })}
                    <form method="post" action=format!("{page}/links/remove") class="desk-inline">
                        <input type="hidden" name="base" value=base.clone() />
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="at" value=(index + 1).to_string() />
                        <button type="submit">{texts.unlink}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let split = (points > 2).then(|| {
        let field = format!("split-{id}");
        view! {
            <form method="post" action=format!("{page}/features/split") class="desk-inline">
                <input type="hidden" name="base" value=base.clone() />
                <input type="hidden" name="id" value=id.clone() />
                <label for=field.clone()>{texts.split_at}</label>
                " "
                <input id=field name="at" type="number" min="2" max=(points - 1).to_string() value="2" required="" />
                " "
                <button type="submit">{texts.split}</button>
            </form>
        }
    });
    let has_problems = (!problems.is_empty()).then(|| (texts.problems_title)(problems.len()));
    let open = has_problems.is_some().then_some("");
    let entry = format!("feature-{id}");
    let (remove_id, removed) = (id.clone(), id.clone());
    view! {
        <details class="desk-feature" id=entry data-feature=id.clone() open=open>
            <summary>
                {feature.title.clone()} " · " {drawn}
                {has_problems.map(|text| view! { <span class="desk-warning">{text}</span> })}
            </summary>
            <FeatureForm
                feature=feature.clone()
                action=format!("{page}/features")
                base=base.clone()
                layers
                sources
                problems
                texts
            />
            <h4>{texts.passages}</h4>
            <ul class="desk-passages">{passages}</ul>
            {split}
            <form method="post" action=format!("{page}/features/remove") class="desk-inline desk-remove" data-remove=removed>
                <input type="hidden" name="base" value=base />
                <input type="hidden" name="id" value=remove_id />
                <button type="submit">{texts.remove_feature}</button>
            </form>
        </details>
    }
}

/// A feature's fields; a feature without an id is a new one.
#[component]
fn FeatureForm(
    feature: DeskFeature,
    action: String,
    base: String,
    layers: Vec<DeskLayer>,
    sources: Vec<DeskSource>,
    problems: Vec<String>,
    texts: &'static DeskTexts,
) -> impl IntoView {
    let new = feature.id.is_empty();
    let prefix = if new {
        NEW_FEATURE.to_owned()
    } else {
        format!("feature-{}", feature.id)
    };
    let geolocation_prefix = prefix.clone();
    let id = move |name: &str| format!("{prefix}-{name}");
    let text_field = |name: &'static str,
                      label: &'static str,
                      value: String,
                      kind: &'static str| {
        view! {
            <div class="desk-field">
                <label for=id(name)>{label}</label>
                <input id=id(name) name=name type=kind value=value required=(name == "title").then_some("") />
            </div>
        }
    };
    let layer_options = layers
        .iter()
        .map(|layer| {
            view! {
                <option value=layer.id.clone() selected=(layer.id == feature.layer).then_some("")>
                    {layer.title.clone()}
                </option>
            }
        })
        .collect_view();
    let precisions = ["day", "month", "year"]
        .into_iter()
        .zip(texts.precisions)
        .map(|(value, label)| {
            view! { <option value=value selected=(value == feature.precision).then_some("")>{label}</option> }
        })
        .collect_view();
    let cited = source_boxes(&id("source"), &sources, &feature.sources);
    let described = (!problems.is_empty()).then(|| id("problems"));
    let problem_list = described.clone().map(|list| {
        view! {
            <ul class="desk-problems" id=list>
                {problems.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
            </ul>
        }
    });
    view! {
        <form
            method="post"
            action=action
            class="desk-form desk-feature-form"
            id=id("form")
            data-keep=""
            data-feature=feature.id.clone()
            data-title=feature.title.clone()
            aria-describedby=described.clone()
        >
            <input type="hidden" name="base" value=base />
            <input type="hidden" name="id" value=feature.id.clone() />
            {problem_list}
            {text_field("title", texts.feature_title, feature.title.clone(), "text")}
            <div class="desk-field">
                <label for=id("layer")>{texts.feature_layer}</label>
                <select id=id("layer") name="layer">{layer_options}</select>
            </div>
            <div class="desk-field">
                <label for=id("place")>{texts.place}</label>
                <span class="desk-help" id=id("place-help")>{texts.place_help}</span>
                <input id=id("place") name="place" list="places" autocomplete="off" aria-describedby=id("place-help") />
            </div>
            <div class="desk-field">
                <label for=id("name_ar")>{texts.name_ar}</label>
                <input id=id("name_ar") name="name_ar" lang="ar" dir="rtl" value=feature.name_ar.clone() />
            </div>
            <div class="desk-field">
                <label for=id("geometry")>{texts.geometry}</label>
                <span class="desk-help" id=id("geometry-help")>
                    {if feature.geometry.is_empty() { texts.not_drawn } else { texts.geometry_help }}
                </span>
                <textarea id=id("geometry") name="geometry" rows="2" class="desk-geometry" aria-describedby=id("geometry-help")>
                    {feature.geometry.clone()}
                </textarea>
            </div>
            {text_field("uncertainty_m", texts.uncertainty, feature.uncertainty_m.clone(), "number")}
            <div class="desk-field">
                <label for=id("published_precision_m")>{texts.published_precision}</label>
                <span class="desk-help" id=id("published_precision_m-help")>{texts.published_precision_help}</span>
                <input id=id("published_precision_m") name="published_precision_m" type="number" min="100" max="100000"
                    value=feature.published_precision_m.clone() aria-describedby=id("published_precision_m-help") />
                {(!feature.published_geometry.is_empty()).then(|| view! {
                    <p class="desk-published">{texts.published_as} " " <code>{feature.published_geometry.clone()}</code></p>
                })}
            </div>
            <fieldset class="desk-date">
                <legend>{texts.date}</legend>
                {text_field("date", texts.date, feature.date.clone(), "text")}
                <div class="desk-field">
                    <label for=id("precision")>{texts.precision}</label>
                    <select id=id("precision") name="precision">{precisions}</select>
                </div>
                {text_field("until", texts.until, feature.until.clone(), "text")}
                <span class="desk-check-item">
                    <input type="checkbox" id=id("approximate") name="approximate" value="on" checked=feature.approximate.then_some("") />
                    <label for=id("approximate")>{texts.approximate}</label>
                </span>
            </fieldset>
            <div class="desk-field">
                <label for=id("note")>{texts.note}</label>
                <textarea id=id("note") name="note" rows="2">{feature.note.clone()}</textarea>
            </div>
            <GeolocationFields feature=feature.clone() sources=sources.clone() prefix=geolocation_prefix texts />
            {(!sources.is_empty()).then(|| view! {
                <fieldset class="desk-cites">
                    <legend>{texts.cites}</legend>
                    {cited}
                </fieldset>
            })}
            <p><button type="submit">{if new { texts.add_feature } else { texts.save_feature }}</button></p>
        </form>
    }
}

/// How a feature's position was found and who checked it.
#[component]
fn GeolocationFields(
    feature: DeskFeature,
    sources: Vec<DeskSource>,
    prefix: String,
    texts: &'static DeskTexts,
) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    let reader = i18n::use_texts();
    let methods = std::iter::once(("", texts.no_geolocation))
        .chain(
            GeolocationMethod::VARIANTS
                .iter()
                .map(|method| (method.name(), reader.method(*method))),
        )
        .map(|(name, label)| {
            view! {
                <option value=name selected=(name == feature.geolocation_method).then_some("")>{label}</option>
            }
        })
        .collect_view();
    let evidence = std::iter::once((String::new(), texts.first_source.to_owned()))
        .chain(sources.iter().map(|source| {
            (
                source.id.clone(),
                format!("{} — {}", source.publisher, source.title),
            )
        }))
        .map(|(value, label)| {
            let selected = (value == feature.geolocation_source).then_some("");
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <fieldset class="desk-geolocation">
            <legend>{texts.geolocation}</legend>
            <div class="desk-field">
                <label for=id("geolocation_method")>{texts.geolocation_method}</label>
                <select id=id("geolocation_method") name="geolocation_method">{methods}</select>
            </div>
            <div class="desk-field">
                <label for=id("geolocation_by")>{texts.geolocation_by}</label>
                <input id=id("geolocation_by") name="geolocation_by" value=feature.geolocation_by.clone() />
            </div>
            <div class="desk-field">
                <label for=id("geolocation_at")>{texts.geolocation_at}</label>
                <input id=id("geolocation_at") name="geolocation_at" value=feature.geolocation_at.clone() />
            </div>
            <div class="desk-field">
                <label for=id("geolocation_source")>{texts.geolocation_source}</label>
                <select id=id("geolocation_source") name="geolocation_source">{evidence}</select>
            </div>
            <div class="desk-field">
                <label for=id("geolocation_links")>{texts.geolocation_links}</label>
                <textarea id=id("geolocation_links") name="geolocation_links" rows="2">{feature.geolocation_links.clone()}</textarea>
            </div>
        </fieldset>
    }
}

/// A check box for each of the draft's sources, named `source`, those in
/// `cited` checked; their ids start with `prefix`.
fn source_boxes(prefix: &str, sources: &[DeskSource], cited: &[String]) -> impl IntoView + use<> {
    sources
        .iter()
        .map(|source| {
            let field = format!("{prefix}-{}", source.id);
            view! {
                <span class="desk-check-item">
                    <input
                        type="checkbox"
                        id=field.clone()
                        name="source"
                        value=source.id.clone()
                        checked=cited.contains(&source.id).then_some("")
                    />
                    <label for=field>{format!("{} — {}", source.publisher, source.title)}</label>
                </span>
            }
        })
        .collect_view()
}

/// A file imported into a layer, with `kort import`'s mapping and checks.
#[component]
fn ImportForm(draft: Draft, texts: &'static DeskTexts) -> impl IntoView {
    let layers = draft
        .layers
        .iter()
        .map(|layer| view! { <option value=layer.id.clone()>{layer.title.clone()}</option> })
        .collect_view();
    let formats = ["", "geojson", "ndjson", "csv"]
        .into_iter()
        .zip(texts.import_formats)
        .map(|(value, label)| view! { <option value=value>{label}</option> })
        .collect_view();
    let properties = ["id", "title", "date", "note", "uncertainty_m", "lat", "lon"]
        .into_iter()
        .zip(texts.import_properties)
        .map(|(name, label)| {
            let field = format!("import-{name}");
            view! {
                <div class="desk-field desk-edge">
                    <label for=field.clone()>{label}</label>
                    <input id=field name=name autocomplete="off" />
                </div>
            }
        })
        .collect_view();
    let sources = source_boxes("import-source", &draft.sources, &[]);
    view! {
        <h3 id="import">{texts.import}</h3>
        <p class="desk-help" id="import-help">{texts.import_help}</p>
        <form
            method="post"
            enctype="multipart/form-data"
            action=format!("{}/import", super::story_path(&draft.slug))
            class="desk-form"
            aria-describedby="import-help"
        >
            <input type="hidden" name="base" value=draft.revision.clone() />
            <div class="desk-field">
                <label for="import-layer">{texts.feature_layer}</label>
                <select id="import-layer" name="layer">{layers}</select>
            </div>
            <div class="desk-field">
                <label for="import-file">{texts.import_file}</label>
                <input id="import-file" name="file" type="file" required="" accept=".geojson,.json,.ndjson,.csv" />
            </div>
            <div class="desk-field">
                <label for="import-format">{texts.import_format}</label>
                <select id="import-format" name="format">{formats}</select>
            </div>
            <fieldset class="desk-view">
                <legend>{texts.import_mapping}</legend>
                {properties}
            </fieldset>
            {(!draft.sources.is_empty()).then(|| view! {
                <fieldset class="desk-cites">
                    <legend>{texts.import_sources}</legend>
                    {sources}
                </fieldset>
            })}
            <p><button type="submit">{texts.import_button}</button></p>
        </form>
    }
}

/// The article with its linked words marked as readers see them, and the
/// form that links words to a feature.
#[component]
fn Linking(draft: Draft, texts: &'static DeskTexts) -> impl IntoView {
    let titles: Vec<(String, String)> = draft
        .layers
        .iter()
        .flat_map(|layer| &layer.features)
        .map(|feature| (feature.id.clone(), feature.title.clone()))
        .collect();
    let title_of = |id: &str| {
        titles
            .iter()
            .find(|(feature, _)| feature == id)
            .map_or_else(|| id.to_owned(), |(_, title)| title.clone())
    };
    let paragraphs = draft
        .paragraphs
        .iter()
        .map(|paragraph| {
            let runs = paragraph
                .segments
                .iter()
                .map(|segment| {
                    if segment.features.is_empty() {
                        return segment.text.clone().into_any();
                    }
                    let names: Vec<String> = segment.features.iter().map(|id| title_of(id)).collect();
                    view! {
                        <mark class="passage" data-features=segment.features.join(" ") title=names.join(", ")>
                            {segment.text.clone()}
                        </mark>
                    }
                    .into_any()
                })
                .collect_view();
            view! { <p data-paragraph=paragraph.id.clone()>{runs}</p> }
        })
        .collect_view();
    let feature_options = titles
        .iter()
        .map(|(id, title)| view! { <option value=id.clone()>{title.clone()}</option> })
        .collect_view();
    let layer_options = draft
        .layers
        .iter()
        .map(|layer| view! { <option value=layer.id.clone()>{layer.title.clone()}</option> })
        .collect_view();
    let paragraph_options = draft
        .paragraphs
        .iter()
        .map(|paragraph| view! { <option value=paragraph.id.clone()>{paragraph.id.clone()}</option> })
        .collect_view();
    view! {
        <section class="desk-linking" aria-labelledby="linking">
            <h2 id="linking">{texts.linking}</h2>
            <p class="desk-help" id="linking-help">{texts.linking_help}</p>
            <div class="desk-article-view article" id="linking-article" lang=draft.fields.language.clone() dir="auto">
                {paragraphs}
            </div>
            <LinkWords />
            <form method="post" action=format!("{}/links", super::story_path(&draft.slug)) class="desk-form" id=LINK_FORM>
                <input type="hidden" name="base" value=draft.revision.clone() />
                <input type="hidden" name="start" value="" />
                <input type="hidden" name="end" value="" />
                <div class="desk-field">
                    <label for="link-paragraph">{texts.paragraph}</label>
                    <select id="link-paragraph" name="paragraph">{paragraph_options}</select>
                </div>
                <div class="desk-field">
                    <label for="link-quote">{texts.words}</label>
                    <input id="link-quote" name="quote" required="" aria-describedby="linking-help" />
                </div>
                <div class="desk-field">
                    <label for="link-feature">{texts.link_feature}</label>
                    <select id="link-feature" name="feature">
                        {feature_options}
                        <option value="">{texts.a_new_feature}</option>
                    </select>
                </div>
                <div class="desk-field">
                    <label for="link-layer">{texts.link_layer}</label>
                    <select id="link-layer" name="layer">{layer_options}</select>
                </div>
                <p><button type="submit">{texts.link}</button></p>
            </form>
        </section>
    }
}
