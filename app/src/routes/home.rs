//! `/`: the list of stories.

use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title};

use crate::components::meta::PREVIEW_SIZE;
use crate::components::site::{SiteFooter, SiteHeader, SkipLinks};
use crate::error::KortError;
use crate::i18n::{self, Lang};
use crate::links::PageUrl;
use crate::model::StoryCard;

/// The stories kort serves, newest first, in the reader's `lang` where
/// they have it, read on the server as it renders the page (nothing on it
/// runs in the browser).
fn list_stories(lang: Lang) -> Result<Vec<StoryCard>, KortError> {
    #[cfg(feature = "ssr")]
    {
        Ok(crate::story::Stories::current()?.cards(lang.tag()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lang;
        Err(KortError::Server(
            "the front page is rendered by the server".into(),
        ))
    }
}

/// The front page.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = i18n::provide_page_lang();
    let texts = lang.texts();
    let content = match list_stories(lang) {
        Ok(list) if list.is_empty() => view! { <p>{texts.no_stories}</p> }.into_any(),
        Ok(list) => view! {
            <ul class="story-list">
                {list.into_iter().map(|story| view! { <StoryItem story lang /> }).collect_view()}
            </ul>
        }
        .into_any(),
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
        <SiteFooter />
    }
}

/// A story in the list: its map, headline, date, publisher, the languages
/// it can be read in, and its summary.
#[component]
fn StoryItem(story: StoryCard, lang: Lang) -> impl IntoView {
    let texts = lang.texts();
    let summary = &story.summary;
    let href = PageUrl::story(&summary.slug).to_string();
    // In the reader's language where the story has it (`?lang=` keeps the
    // interface in it too).
    let read = |language: &str| {
        let url = format!("{href}?lang={language}");
        let name =
            Lang::parse(language).map_or_else(|| language.to_owned(), |l| l.autonym().to_owned());
        view! { <a href=url hreflang=language.to_owned() lang=language.to_owned()>{name}</a> }
    };
    let languages = story
        .languages
        .iter()
        .enumerate()
        .map(|(index, language)| view! { {(index > 0).then_some(", ")}{read(language)} })
        .collect_view();
    let (data_language, data_dir) = summary.data_words();
    view! {
        <li class="story-card">
            <img
                class="story-thumb"
                src=format!("{href}/preview.png")
                width=PREVIEW_SIZE.0
                height=PREVIEW_SIZE.1
                // Beside its headline, the map says nothing a screen
                // reader would not read next.
                alt=""
                loading="lazy"
                decoding="async"
            />
            <h3 class="story-card-title">
                <a href=href.clone() lang=story.title_language.clone() dir=story.title_dir.name()>{story.title.clone()}</a>
            </h3>
            <p class="meta">
                <time datetime=summary.published.clone()>{lang.date(&summary.published)}</time>
                {texts.separator}
                <span lang=data_language.clone() dir=data_dir>{story.byline.clone()}</span>
            </p>
            <p class="meta story-languages">{texts.read_in}" "{languages}</p>
            <p lang=data_language dir=data_dir>{summary.summary.clone()}</p>
        </li>
    }
}
