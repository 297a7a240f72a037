//! The desk's pages: sign-in, the stories, and a story's draft. Rendered
//! by the server as plain HTML forms, which work without JavaScript; the
//! server's desk guard has let the request through only with a session
//! (but for the sign-in page), and each page checks again.

use leptos::prelude::*;
use leptos_meta::{Html, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::keeper::{FORM, KeepDraft};
use super::texts::DeskTexts;
use super::{
    DESK, DeskProblem, DeskStory, DeskUser, Draft, LOGIN, LOGOUT, StoryFields, StoryState,
};
use crate::i18n::{self, Lang};
use crate::links::PageUrl;

/// The signed-in user the server's guard found, if any.
fn signed_in() -> Option<DeskUser> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<DeskUser>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// The desk's data, from the server.
#[cfg(feature = "ssr")]
fn desk_data() -> Option<super::DeskContext> {
    use_context::<super::DeskContext>()
}

/// The reader's language, and the desk's words in it.
fn language() -> (Lang, &'static DeskTexts) {
    let query = use_query_map();
    let lang = i18n::request_lang(query.read_untracked().get("lang").as_deref(), None);
    provide_context(lang);
    (lang, DeskTexts::of(lang))
}

/// Whether the query has `key`.
fn asked(key: &str) -> bool {
    use_query_map().read_untracked().get(key).is_some()
}

/// The document's language and title.
#[component]
fn DeskHead(lang: Lang, #[prop(into)] title: String) -> impl IntoView {
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir().name() />
        <Title text=title />
    }
}

/// Asks early for the desk's bundle, which runs the page's islands.
#[component]
fn DeskBundle() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let links = use_context::<crate::assets::Assets>().map(|assets| {
        view! {
            <leptos_meta::Link rel="modulepreload" href=assets.desk_js.clone() crossorigin="anonymous" />
            <leptos_meta::Link
                rel="preload"
                href=assets.desk_wasm.clone()
                as_="fetch"
                type_="application/wasm"
                crossorigin="anonymous"
            />
        }
    });
    #[cfg(not(feature = "ssr"))]
    let links: Option<()> = None;
    links
}

/// Leaflet and Leaflet-Geoman, for the draft's map (`super::map`).
#[component]
fn DeskMapHead() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let links = use_context::<crate::assets::Assets>().map(|assets| {
        view! {
            <leptos_meta::Stylesheet href=assets.leaflet_css.clone() />
            <leptos_meta::Stylesheet href=assets.geoman_css.clone() />
            <leptos_meta::Script src=assets.leaflet_js.clone() defer="" />
            <leptos_meta::Script src=assets.geoman_js.clone() defer="" />
        }
    });
    #[cfg(not(feature = "ssr"))]
    let links: Option<()> = None;
    links
}

/// `/desk/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let (lang, texts) = language();
    let failed = asked("failed");
    view! {
        <DeskHead lang title=texts.sign_in_title />
        <main class="desk desk-login" id="main" lang=lang.tag()>
            <h1>{texts.sign_in_title}</h1>
            {failed.then(|| view! { <p class="desk-alert" role="alert">{texts.sign_in_failed}</p> })}
            <form method="post" action=LOGIN class="desk-form">
                <p>
                    <label for="name">{texts.name}</label>
                    <input id="name" name="name" autocomplete="username" required="" maxlength="64" autocapitalize="none" />
                </p>
                <p>
                    <label for="password">{texts.password}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required="" />
                </p>
                <p><button type="submit">{texts.sign_in}</button></p>
            </form>
        </main>
    }
}

/// The bar on every desk page but sign-in: who is signed in, and sign-out.
#[component]
fn DeskBar(user: DeskUser, texts: &'static DeskTexts) -> impl IntoView {
    view! {
        <header class="desk-bar">
            <a href=DESK class="desk-home">{texts.desk}</a>
            <span>{(texts.signed_in_as)(&user.name, user.publisher)}</span>
            <form method="post" action=LOGOUT>
                <button type="submit">{texts.sign_out}</button>
            </form>
        </header>
    }
}

/// `/desk`: every story, and a new one.
#[component]
pub fn DeskHome() -> impl IntoView {
    let (lang, texts) = language();
    let Some(user) = signed_in() else {
        return view! { <SignInFirst lang texts /> }.into_any();
    };
    #[cfg(feature = "ssr")]
    let stories = desk_data().map(|desk| desk.0.stories()).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let stories: Vec<DeskStory> = Vec::new();
    let invalid = asked("error");
    let rows = stories
        .into_iter()
        .map(|story| story_row(story, lang, texts))
        .collect_view();
    view! {
        <DeskHead lang title=texts.stories />
        <DeskBar user texts />
        <main class="desk" id="main" lang=lang.tag()>
            <h1>{texts.stories}</h1>
            <table class="desk-stories">
                <thead>
                    <tr>
                        <th scope="col">{texts.story_title}</th>
                        <th scope="col">{texts.language}</th>
                        <th scope="col">{texts.state}</th>
                        <th scope="col">{texts.changed}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <section aria-labelledby="new-story">
                <h2 id="new-story">{texts.new_story}</h2>
                {invalid.then(|| view! { <p class="desk-alert" role="alert">{texts.needs_title}</p> })}
                <form method="post" action=format!("{DESK}/stories") class="desk-form">
                    <Fields fields=StoryFields::default() problems=Vec::new() texts />
                    <p><button type="submit">{texts.create}</button></p>
                </form>
            </section>
        </main>
    }
    .into_any()
}

/// A time the desk recorded (RFC 3339, UTC), for readers: the date in the
/// interface's language and the time of day.
fn when(lang: Lang, at: Option<&str>) -> Option<String> {
    let at = at?;
    Some(format!(
        "{} {} UTC",
        lang.date(at.get(..10)?),
        at.get(11..16)?
    ))
}

fn story_row(story: DeskStory, lang: Lang, texts: &'static DeskTexts) -> impl IntoView {
    let who = story.changed_by.as_deref().map(|by| who(by, texts));
    view! {
        <tr data-story=story.slug.clone()>
            <td><a href=super::story_path(&story.slug) lang=story.language.clone()>{story.title}</a></td>
            <td>{story.language}</td>
            <td data-state=state_name(story.state)>{texts.state(story.state)}</td>
            <td>{who.map(|who| (texts.last_changed)(&who, when(lang, story.changed_at.as_deref()).as_deref()))}</td>
        </tr>
    }
}

/// Who changed a story, in words.
fn who(by: &str, texts: &'static DeskTexts) -> String {
    if by == "on disk" {
        texts.on_disk.to_owned()
    } else {
        by.to_owned()
    }
}

fn state_name(state: StoryState) -> &'static str {
    match state {
        StoryState::Draft => "draft",
        StoryState::Published => "published",
        StoryState::PublishedWithChanges => "published-with-changes",
    }
}

/// A page asked for without a session (the guard sends such requests to
/// sign-in; this is the page's own check).
#[component]
fn SignInFirst(lang: Lang, texts: &'static DeskTexts) -> impl IntoView {
    crate::routes::not_found::set_status(401);
    view! {
        <DeskHead lang title=texts.sign_in_title />
        <main class="desk" id="main">
            <h1>{texts.sign_in_title}</h1>
            <p><a href=LOGIN>{texts.sign_in}</a></p>
        </main>
    }
}

/// The story's fields, each with the problems `kort check` finds in it.
#[component]
fn Fields(
    fields: StoryFields,
    problems: Vec<DeskProblem>,
    texts: &'static DeskTexts,
) -> impl IntoView {
    let about = move |name: &str| -> Vec<String> {
        problems
            .iter()
            .filter(|problem| problem.field.as_deref() == Some(name))
            .map(|problem| problem.text.clone())
            .collect()
    };
    let field = |name: &'static str, label: &'static str, value: String, kind: &'static str| {
        let found = about(name);
        let described = (!found.is_empty()).then(|| format!("{name}-problems"));
        let input = if kind == "textarea" {
            view! { <textarea id=name name=name rows="3" aria-describedby=described.clone() aria-invalid=described.as_ref().map(|_| "true")>{value}</textarea> }.into_any()
        } else {
            view! { <input id=name name=name type=kind value=value aria-describedby=described.clone() aria-invalid=described.as_ref().map(|_| "true") required=(name == "title").then_some("") /> }.into_any()
        };
        view! {
            <div class="desk-field">
                <label for=name>{label}</label>
                {input}
                {described.map(|id| view! {
                    <ul class="desk-problems" id=id>
                        {found.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                    </ul>
                })}
            </div>
        }
    };
    let edge = |name: &'static str, label: &'static str, value: String| {
        view! {
            <span class="desk-edge">
                <label for=name>{label}</label>
                <input id=name name=name value=value inputmode="decimal" size="8" />
            </span>
        }
    };
    let view_problems = ["west", "south", "east", "north"]
        .into_iter()
        .flat_map(&about)
        .collect::<Vec<_>>();
    view! {
        {field("title", texts.story_title, fields.title, "text")}
        {field("language", texts.language, fields.language, "text")}
        {field("published", texts.published_on, fields.published, "text")}
        {field("publisher", texts.publisher, fields.publisher, "text")}
        {field("summary", texts.summary, fields.summary, "textarea")}
        <fieldset class="desk-view">
            <legend>{texts.view}</legend>
            <p class="desk-help">{texts.view_help}</p>
            {edge("west", texts.west, fields.west)}
            {edge("south", texts.south, fields.south)}
            {edge("east", texts.east, fields.east)}
            {edge("north", texts.north, fields.north)}
            {(!view_problems.is_empty()).then(|| view! {
                <ul class="desk-problems">
                    {view_problems.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                </ul>
            })}
        </fieldset>
    }
}

/// `/desk/stories/<slug>`: the draft, its problems, saving and publishing.
#[component]
pub fn DeskStoryPage() -> impl IntoView {
    let (lang, texts) = language();
    let Some(user) = signed_in() else {
        return view! { <SignInFirst lang texts /> }.into_any();
    };
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    #[cfg(feature = "ssr")]
    let draft = desk_data().and_then(|desk| desk.0.draft(&slug, &user.name));
    #[cfg(not(feature = "ssr"))]
    let draft: Option<Draft> = None;
    let Some(draft) = draft else {
        crate::routes::not_found::set_status(404);
        return view! {
            <DeskHead lang title=slug.clone() />
            <DeskBar user texts />
            <main class="desk" id="main">
                <h1>{slug}</h1>
                <p><a href=DESK>{texts.all_stories}</a></p>
            </main>
        }
        .into_any();
    };
    let error = use_query_map().read_untracked().get("error");
    let notice = if let Some(told) = draft.told.clone() {
        Some(told)
    } else if asked("saved") {
        Some(texts.saved.to_owned())
    } else if asked("published") {
        Some(texts.was_published.to_owned())
    } else if asked("unpublished") {
        Some(texts.was_unpublished.to_owned())
    } else {
        None
    };
    let refusal = match error.as_deref() {
        Some("changed") if draft.conflict.is_none() => Some(texts.changed_meanwhile.to_owned()),
        Some("preview") => Some(texts.preview_blocked.to_owned()),
        Some("invalid") => Some(
            draft
                .refused
                .clone()
                .unwrap_or_else(|| texts.invalid.to_owned()),
        ),
        _ => None,
    };
    view! {
        <DeskHead lang title=draft.fields.title.clone() />
        <DeskBundle />
        <DeskMapHead />
        <DeskBar user=user.clone() texts />
        <main class="desk" id="main" lang=lang.tag()>
            <p><a href=DESK>{texts.all_stories}</a></p>
            <h1 lang=draft.fields.language.clone() dir="auto">{draft.fields.title.clone()}</h1>
            <p class="desk-state" data-state=state_name(draft.state)>
                {texts.state(draft.state)}
                {draft.changed_by.as_deref().map(|by| {
                    let at = when(lang, draft.changed_at.as_deref());
                    format!(" · {}", (texts.last_changed)(&who(by, texts), at.as_deref()))
                })}
            </p>
            <p>
                <a href=PageUrl::story(&draft.slug).with_mode(crate::links::Mode::Preview).to_string()>
                    {texts.preview}
                </a>
            </p>
            {(draft.state != StoryState::Draft).then(|| view! {
                <p><a href=PageUrl::story(&draft.slug).to_string()>{texts.read_as_reader}</a></p>
            })}
            {notice.map(|notice| view! { <p class="desk-notice" role="status">{notice}</p> })}
            {refusal.map(|refusal| view! { <p class="desk-alert desk-refused" role="alert">{refusal}</p> })}
            <DraftForm draft=draft.clone() lang texts />
            <Layers draft=draft.clone() texts />
            <super::features::Features draft=draft.clone() lang texts />
            <Sources draft=draft.clone() lang texts />
            <Translations draft=draft.clone() texts />
            <super::words::Words draft=draft.clone() texts />
            <Publishing draft=draft.clone() user texts />
            <History lines=draft.history texts />
        </main>
    }
    .into_any()
}

/// The draft's form: the fields and the article, saved together. After a
/// refused save it holds the editor's own version, with what differs.
#[component]
fn DraftForm(draft: Draft, lang: Lang, texts: &'static DeskTexts) -> impl IntoView {
    let (fields, article) = match &draft.conflict {
        Some(conflict) => (conflict.yours.clone(), conflict.your_article.clone()),
        None => (draft.fields.clone(), draft.article.clone()),
    };
    let conflict = draft.conflict.as_ref().map(|conflict| {
        let who = who(&conflict.by, texts);
        view! {
            <div class="desk-alert desk-conflict" role="alert">
                <p>{(texts.conflict)(&who, when(lang, conflict.at.as_deref()).as_deref())}</p>
                <p>{texts.conflict_fields} " " {conflict.changed.join(", ")}</p>
                <p>{texts.conflict_help}</p>
            </div>
        }
    });
    let article_problems: Vec<String> = draft
        .problems
        .iter()
        .filter(|problem| problem.field.as_deref() == Some("article"))
        .map(|problem| problem.text.clone())
        .collect();
    let other_problems: Vec<String> = draft
        .problems
        .iter()
        .filter(|problem| problem.field.is_none())
        .map(|problem| problem.text.clone())
        .collect();
    let count = draft.problems.len();
    view! {
        {conflict}
        <section class="desk-check" aria-labelledby="problems">
            <h2 id="problems">
                {if count == 0 { texts.no_problems.to_owned() } else { (texts.problems_title)(count) }}
            </h2>
            {(!other_problems.is_empty()).then(|| view! {
                <ul class="desk-problems">
                    {other_problems.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                </ul>
            })}
        </section>
        <KeepDraft slug=draft.slug.clone() lang />
        <form method="post" action=super::story_path(&draft.slug) class="desk-form" id=FORM data-keep="">
            <input type="hidden" name="base" value=draft.revision.clone() />
            <Fields fields problems=draft.problems.clone() texts />
            <div class="desk-field desk-article">
                <label for="article">{texts.article}</label>
                <span class="desk-help" id="article-help">{texts.article_help}</span>
                <textarea
                    id="article"
                    name="article"
                    rows="20"
                    lang=draft.fields.language.clone()
                    dir="auto"
                    aria-describedby=if article_problems.is_empty() { "article-help" } else { "article-help article-problems" }
                    aria-invalid=(!article_problems.is_empty()).then_some("true")
                >
                    {article}
                </textarea>
                {(!article_problems.is_empty()).then(|| view! {
                    <ul class="desk-problems" id="article-problems">
                        {article_problems.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                    </ul>
                })}
            </div>
            <p><button type="submit">{texts.save}</button></p>
        </form>
    }
}

/// The draft's layers, each renamed, restyled and moved by its own form,
/// and a form for a new one.
#[component]
fn Layers(draft: Draft, texts: &'static DeskTexts) -> impl IntoView {
    let page = super::story_path(&draft.slug);
    let count = draft.layers.len();
    let symbols = move |chosen: &str| {
        crate::model::Symbol::VARIANTS
            .iter()
            .map(|symbol| {
                view! {
                    <option value=symbol.name() selected=(symbol.name() == chosen).then_some("")>
                        {texts.symbol(*symbol)}
                    </option>
                }
            })
            .collect_view()
    };
    let listed = draft
        .layers
        .iter()
        .enumerate()
        .map(|(index, layer)| {
            let field = |name: &str| format!("layer-{}-{name}", layer.id);
            let moves = [("up", texts.move_up, index > 0), ("down", texts.move_down, index + 1 < count)]
                .into_iter()
                .filter(|(.., possible)| *possible)
                .map(|(to, label, _)| {
                    view! {
                        <form method="post" action=format!("{page}/layers/move") class="desk-inline">
                            <input type="hidden" name="base" value=draft.revision.clone() />
                            <input type="hidden" name="id" value=layer.id.clone() />
                            <input type="hidden" name="to" value=to />
                            <button type="submit" aria-label=format!("{label}: {}", layer.title)>{label}</button>
                        </form>
                    }
                })
                .collect_view();
            view! {
                <li data-layer=layer.id.clone()>
                    <details>
                        <summary>
                            <span class="desk-swatch" style=format!("background:{}", layer.color) aria-hidden="true"></span>
                            {layer.title.clone()}
                            {format!(
                                " · {} · {}",
                                crate::model::Symbol::from_name(&layer.symbol).map_or(layer.symbol.as_str(), |symbol| texts.symbol(symbol)),
                                layer.color,
                            )}
                        </summary>
                        <form method="post" action=format!("{page}/layers/edit") class="desk-form">
                            <input type="hidden" name="base" value=draft.revision.clone() />
                            <input type="hidden" name="id" value=layer.id.clone() />
                            <p class="desk-field">
                                <label for=field("title")>{texts.layer_title}</label>
                                <input id=field("title") name="title" value=layer.title.clone() required="" />
                            </p>
                            <p class="desk-field">
                                <label for=field("symbol")>{texts.symbol_label}</label>
                                <select id=field("symbol") name="symbol">{symbols(&layer.symbol)}</select>
                            </p>
                            <p class="desk-field">
                                <label for=field("color")>{texts.color}</label>
                                <input id=field("color") name="color" type="color" value=layer.color.clone() />
                            </p>
                            <p><button type="submit">{texts.save_layer}</button></p>
                        </form>
                    </details>
                    {moves}
                    {super::weak_contrast(&layer.color).map(|(land, sea)| view! {
                        <span class="desk-warning">{(texts.weak_contrast)(land, sea)}</span>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="desk-layers" aria-labelledby="layers">
            <h2 id="layers">{texts.layers}</h2>
            <ul>{listed}</ul>
            <form method="post" action=format!("{page}/layers") class="desk-form">
                <input type="hidden" name="base" value=draft.revision.clone() />
                <p class="desk-field">
                    <label for="layer-title">{texts.layer_title}</label>
                    <input id="layer-title" name="title" required="" />
                </p>
                <p class="desk-field">
                    <label for="layer-symbol">{texts.symbol_label}</label>
                    <select id="layer-symbol" name="symbol">{symbols("")}</select>
                </p>
                <p class="desk-field">
                    <label for="layer-color">{texts.color}</label>
                    <input id="layer-color" name="color" type="color" value="#1d4ed8" />
                </p>
                <p><button type="submit">{texts.add_layer}</button></p>
            </form>
        </section>
    }
}

/// The draft's sources, each editable, and a form for a new one.
#[component]
fn Sources(draft: Draft, lang: Lang, texts: &'static DeskTexts) -> impl IntoView {
    let action = format!("{}/sources", super::story_path(&draft.slug));
    let listed = draft
        .sources
        .iter()
        .map(|source| {
            view! {
                <details class="desk-source" data-source=source.id.clone()>
                    <summary>{format!("{} — {}", source.publisher, source.title)}</summary>
                    <SourceForm source=source.clone() action=action.clone() base=draft.revision.clone() lang texts />
                    <MediaForm source=source.clone() action=format!("{action}/media") base=draft.revision.clone() lang texts />
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="desk-sources" aria-labelledby="sources">
            <h2 id="sources">{texts.sources}</h2>
            {listed}
            <h3>{texts.new_source}</h3>
            <SourceForm source=super::DeskSource::default() action base=draft.revision.clone() lang texts />
        </section>
    }
}

/// The photo, video or satellite image a source is: its file, uploaded,
/// and what readers are told of it.
#[component]
fn MediaForm(
    source: super::DeskSource,
    action: String,
    base: String,
    lang: Lang,
    texts: &'static DeskTexts,
) -> impl IntoView {
    let prefix = format!("media-{}", source.id);
    let id = move |name: &str| format!("{prefix}-{name}");
    let reader = lang.texts();
    let kinds = crate::model::MediaKind::VARIANTS
        .iter()
        .map(|kind| {
            view! {
                <option value=kind.name() selected=(kind.name() == source.media_kind).then_some("")>
                    {reader.media_kind(*kind)}
                </option>
            }
        })
        .collect_view();
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="desk-form desk-media">
            <input type="hidden" name="base" value=base />
            <input type="hidden" name="id" value=source.id.clone() />
            <fieldset>
                <legend>{texts.media_legend}</legend>
                {(!source.media_file.is_empty()).then(|| view! {
                    <p class="desk-help">{texts.media_current} " " <code>{source.media_file.clone()}</code></p>
                })}
                <div class="desk-field">
                    <label for=id("kind")>{texts.media_kind}</label>
                    <select id=id("kind") name="kind">{kinds}</select>
                </div>
                <div class="desk-field">
                    <label for=id("file")>{texts.media_file}</label>
                    <input id=id("file") name="file" type="file" required=""
                        accept=".jpg,.jpeg,.png,.webp,.avif,.mp4,.webm,image/jpeg,image/png,image/webp,image/avif,video/mp4,video/webm" />
                </div>
                <div class="desk-field">
                    <label for=id("credit")>{texts.media_credit}</label>
                    <input id=id("credit") name="credit" required="" value=source.media_credit.clone() />
                </div>
                <div class="desk-field">
                    <label for=id("alt")>{texts.media_alt}</label>
                    <textarea id=id("alt") name="alt" rows="2" required="">{source.media_alt.clone()}</textarea>
                </div>
                <div class="desk-field">
                    <label for=id("content_warning")>{texts.media_warning}</label>
                    <span class="desk-help" id=id("warning-help")>{texts.media_warning_help}</span>
                    <input id=id("content_warning") name="content_warning" value=source.media_warning.clone()
                        aria-describedby=id("warning-help") />
                </div>
                <p><button type="submit">{texts.media_attach}</button></p>
            </fieldset>
        </form>
    }
}

/// One source's fields; a source without an id is a new one.
#[component]
fn SourceForm(
    source: super::DeskSource,
    action: String,
    base: String,
    lang: Lang,
    texts: &'static DeskTexts,
) -> impl IntoView {
    // Field ids unique on the page: the source's id, or `new`.
    let prefix = if source.id.is_empty() {
        "source-new".to_owned()
    } else {
        format!("source-{}", source.id)
    };
    let reader = lang.texts();
    let kinds = crate::model::SourceKind::VARIANTS
        .iter()
        .map(|kind| {
            view! {
                <option value=kind.name() selected=(kind.name() == source.kind).then_some("")>
                    {reader.source_kind(*kind)}
                </option>
            }
        })
        .collect_view();
    let field = |name: &'static str, label: &'static str, value: String, required: bool| {
        let id = format!("{prefix}-{name}");
        view! {
            <div class="desk-field">
                <label for=id.clone()>{label}</label>
                <input id=id name=name value=value required=required.then_some("") />
            </div>
        }
    };
    let quote_id = format!("{prefix}-quote");
    let kind_id = format!("{prefix}-kind");
    let save = if source.id.is_empty() {
        texts.add_source
    } else {
        texts.save_source
    };
    view! {
        <form method="post" action=action class="desk-form">
            <input type="hidden" name="base" value=base />
            <input type="hidden" name="id" value=source.id.clone() />
            <div class="desk-field">
                <label for=kind_id.clone()>{texts.source_kind}</label>
                <select id=kind_id name="kind">{kinds}</select>
            </div>
            {field("publisher", texts.source_publisher, source.publisher, true)}
            {field("title", texts.source_title, source.title, true)}
            {field("author", texts.source_author, source.author, false)}
            {field("date", texts.source_date, source.date, false)}
            {field("url", texts.source_url, source.url, false)}
            {field("archived_url", texts.source_archived_url, source.archived_url, false)}
            {field("archived_at", texts.source_archived_at, source.archived_at, false)}
            {field("sha256", texts.source_sha256, source.sha256, false)}
            <div class="desk-field">
                <label for=quote_id.clone()>{texts.source_quote}</label>
                <textarea id=quote_id name="quote" rows="2">{source.quote}</textarea>
            </div>
            <p><button type="submit">{save}</button></p>
        </form>
    }
}

/// The article's translations, each paragraph beside the original's, and
/// a form for a new one.
#[component]
fn Translations(draft: Draft, texts: &'static DeskTexts) -> impl IntoView {
    let action = format!("{}/translations", super::story_path(&draft.slug));
    let original = draft.fields.language.clone();
    let forms = draft
        .translations
        .iter()
        .map(|translation| {
            let language = translation.language.clone();
            let rows = translation
                .paragraphs
                .iter()
                .map(|(id, source, theirs)| {
                    let field = format!("translation-{language}-{id}");
                    view! {
                        <div class="desk-paragraph">
                            <p class="desk-original" lang=original.clone() dir="auto">
                                <span class="desk-id">{format!("{{#{id}}}")}</span>
                                " "
                                {source.clone()}
                            </p>
                            <div class="desk-field">
                                <label for=field.clone()>{(texts.paragraph_in)(id, &language)}</label>
                                <textarea id=field name=format!("{}{id}", super::PARAGRAPH_FIELD) rows="3" lang=language.clone() dir="auto">
                                    {theirs.clone()}
                                </textarea>
                            </div>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <details class="desk-translation" data-language=language.clone()>
                    <summary>{format!("{} · {}", translation.language, translation.title)}</summary>
                    <form method="post" action=action.clone() class="desk-form">
                        <input type="hidden" name="base" value=draft.revision.clone() />
                        <input type="hidden" name="language" value=language.clone() />
                        <TranslationFields translation=translation.clone() texts />
                        {rows}
                        <p><button type="submit">{texts.save_translation}</button></p>
                    </form>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="desk-translations" aria-labelledby="translations">
            <h2 id="translations">{texts.translations}</h2>
            {forms}
            <h3>{texts.new_translation}</h3>
            <form method="post" action=action class="desk-form">
                <input type="hidden" name="base" value=draft.revision.clone() />
                <div class="desk-field">
                    <label for="translation-new-language">{texts.language}</label>
                    <input id="translation-new-language" name="language" required="" />
                </div>
                <TranslationFields translation=super::DeskTranslation::default() texts />
                <p><button type="submit">{texts.add_translation}</button></p>
            </form>
        </section>
    }
}

/// A translation's title and translator.
#[component]
fn TranslationFields(
    translation: super::DeskTranslation,
    texts: &'static DeskTexts,
) -> impl IntoView {
    let prefix = if translation.language.is_empty() {
        "translation-new".to_owned()
    } else {
        format!("translation-{}", translation.language)
    };
    let (title, translator) = (format!("{prefix}-title"), format!("{prefix}-translator"));
    view! {
        <div class="desk-field">
            <label for=title.clone()>{texts.translated_title}</label>
            <input id=title name="title" value=translation.title required="" lang=translation.language.clone() dir="auto" />
        </div>
        <div class="desk-field">
            <label for=translator.clone()>{texts.translator}</label>
            <input id=translator name="translator" value=translation.translator required="" />
        </div>
    }
}

/// Who saved and published what, and when: the story's history.
#[component]
fn History(lines: Vec<String>, texts: &'static DeskTexts) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        let items = lines
            .into_iter()
            .map(|line| view! { <li><code>{line}</code></li> })
            .collect_view();
        view! {
            <section class="desk-history" aria-labelledby="history">
                <h2 id="history">{texts.history}</h2>
                <p class="desk-help">{texts.history_help}</p>
                <ol reversed="">{items}</ol>
            </section>
        }
    })
}

/// What readers are told of a change to what they have read: its kind
/// and why.
#[component]
fn ChangeFields(texts: &'static DeskTexts) -> impl IntoView {
    let kinds = std::iter::once(("", texts.change_kind_none))
        .chain(
            crate::model::ChangeKind::VARIANTS
                .iter()
                .zip(texts.change_kinds)
                .map(|(kind, label)| (kind.name(), label)),
        )
        .map(|(value, label)| view! { <option value=value>{label}</option> })
        .collect_view();
    view! {
        <fieldset class="desk-change">
            <legend>{texts.change_legend}</legend>
            <p class="desk-help" id="change-help">{texts.change_help}</p>
            <div class="desk-field">
                <label for="change-kind">{texts.change_kind}</label>
                <select id="change-kind" name="kind" aria-describedby="change-help">{kinds}</select>
            </div>
            <div class="desk-field">
                <label for="change-note">{texts.change_note}</label>
                <textarea id="change-note" name="note" rows="3" maxlength="2000"></textarea>
            </div>
        </fieldset>
    }
}

/// Publish and unpublish, for publishers.
#[component]
fn Publishing(draft: Draft, user: DeskUser, texts: &'static DeskTexts) -> impl IntoView {
    if !user.publisher {
        return ().into_any();
    }
    let path = super::story_path(&draft.slug);
    let blocked = !draft.problems.is_empty();
    view! {
        <section class="desk-publishing" aria-labelledby="publishing">
            <h2 id="publishing">{texts.publish}</h2>
            {(draft.state != StoryState::Published).then(|| view! {
                <form method="post" action=format!("{path}/publish")>
                    <input type="hidden" name="revision" value=draft.revision.clone() />
                    <p class="desk-help" id="publish-help">
                        {if blocked { texts.publish_blocked } else { texts.publish_help }}
                    </p>
                    {(draft.state == StoryState::PublishedWithChanges).then(|| view! { <ChangeFields texts /> })}
                    <button type="submit" disabled=blocked.then_some("") aria-describedby="publish-help">
                        {texts.publish}
                    </button>
                </form>
            })}
            {(draft.state != StoryState::Draft).then(|| view! {
                <form method="post" action=format!("{path}/unpublish")>
                    <p class="desk-help" id="unpublish-help">{texts.unpublish_help}</p>
                    <button type="submit" aria-describedby="unpublish-help">{texts.unpublish}</button>
                </form>
            })}
        </section>
    }
    .into_any()
}
