//! `/`: the list of stories.

use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::components::site::{SiteHeader, SkipLinks};
use crate::error::KortError;
use crate::i18n::{self, Lang};
use crate::links::PageUrl;
use crate::model::StorySummary;

/// The stories kort serves, newest first, read on the server as it renders
/// the page (nothing on it runs in the browser).
fn list_stories() -> Result<Vec<StorySummary>, KortError> {
    #[cfg(feature = "ssr")]
    {
        Ok(crate::story::Stories::current()?.summaries())
    }
    #[cfg(not(feature = "ssr"))]
    Err(KortError::Server(
        "the front page is rendered by the server".into(),
    ))
}

/// The front page.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = i18n::request_lang(
        use_query_map().read_untracked().get("lang").as_deref(),
        None,
    );
    provide_context(lang);
    let texts = lang.texts();
    let content = match list_stories() {
        Ok(list) if list.is_empty() => view! { <p>{texts.no_stories}</p> }.into_any(),
        Ok(list) => view! {
            <ul class="story-list">
                {list.into_iter().map(|story| view! {
                    <li>
                        <a href=PageUrl::story(&story.slug).to_string() lang=story.language.clone() dir=story.dir.name()>{story.title}</a>
                        <p class="meta"><time datetime=story.published.clone()>{lang.date(&story.published)}</time></p>
                        <p lang=story.data_language.clone() dir=story.data_dir.name()>{story.summary}</p>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any(),
        Err(error) => view! { <p class="error">{error.to_string()}</p> }.into_any(),
    };
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir().name() />
        <Title text=texts.stories />
        <Meta name="description" content=texts.tagline />
        <SkipLinks targets=vec![("#main", texts.skip_to_content)] />
        <SiteHeader in_language=Callback::new(|lang: Lang| format!("/?lang={}", lang.tag())) />
        <main class="home" id="main" tabindex="-1">
            <h1>"kort"</h1>
            <p class="tagline">{texts.tagline}</p>
            <h2>{texts.stories}</h2>
            {content}
        </main>
    }
}
