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
        Ok(list) => {
            let (filters, list, none) = filtered(list, lang);
            let shown = if list.is_empty() {
                view! { <p class="no-match">{none}</p> }.into_any()
            } else {
                view! {
                    <ul class="story-list">
                        {list.into_iter().map(|story| view! { <StoryItem story lang /> }).collect_view()}
                    </ul>
                }
                .into_any()
            };
            view! { {filters} {shown} }.into_any()
        }
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

/// More stories than this, and the front page offers to filter them.
#[cfg(feature = "ssr")]
const HANDFUL: usize = 6;

/// The stories the reader's filters (`?place=`, `?from=`, `?to=`) let
/// through, with the form that sets them (shown for more than a
/// [`HANDFUL`] of stories, or once a filter is asked for) and what to say
/// where none is let through. The server alone renders the front page:
/// the browser's bundle carries none of this.
#[cfg(feature = "ssr")]
fn filtered(list: Vec<StoryCard>, lang: Lang) -> (Option<AnyView>, Vec<StoryCard>, &'static str) {
    let query = leptos_router::hooks::use_query_map().read_untracked();
    let asked = |key: &str| query.get(key).filter(|value| !value.trim().is_empty());
    let (place, from, to) = (asked("place"), asked("from"), asked("to"));
    let texts = filter_texts(lang);
    if list.len() <= HANDFUL && place.is_none() && from.is_none() && to.is_none() {
        return (None, list, texts.none);
    }
    let mut said = Vec::new();
    // A day the reader gave, or what is wrong with it (and no filter).
    let mut day = |label: &str, text: &Option<String>| {
        let text = text.as_deref()?.trim();
        if crate::date::Day::parse_iso(text).is_some() {
            Some(text.to_owned())
        } else {
            said.push((texts.bad_day)(label, text));
            None
        }
    };
    let (after, before) = (day(texts.from, &from), day(texts.to, &to));
    let places = places_of(&list, lang);
    if let Some(place) = &place
        && !places.iter().flatten().any(|(en, _)| en == place)
    {
        said.push((texts.unknown_place)(place));
    }
    let total = list.len();
    let kept: Vec<StoryCard> = list
        .into_iter()
        .zip(&places)
        .filter(|(story, shown)| {
            let published = story.summary.published.as_str();
            place
                .as_ref()
                .is_none_or(|place| shown.iter().any(|(en, _)| en == place))
                && after.as_deref().is_none_or(|day| published >= day)
                && before.as_deref().is_none_or(|day| published <= day)
        })
        .map(|(story, _)| story)
        .collect();
    // Each country the stories' maps show, by the reader's name for it,
    // with how many show it.
    let mut countries: Vec<(String, String, usize)> = Vec::new();
    for (en, name) in places.into_iter().flatten() {
        match countries.iter_mut().find(|(other, ..)| *other == en) {
            Some((.., count)) => *count += 1,
            None => countries.push((en, name, 1)),
        }
    }
    countries.sort_by(|a, b| a.1.cmp(&b.1));
    let options = countries
        .into_iter()
        .map(|(en, name, count)| {
            let chosen = place.as_deref() == Some(en.as_str());
            let label = format!("{name} ({})", lang.digits(&count.to_string()));
            view! { <option value=en selected=chosen.then_some("")>{label}</option> }
        })
        .collect_view();
    let filtering = place.is_some() || from.is_some() || to.is_some();
    if filtering {
        said.insert(0, (texts.shown)(lang, kept.len(), total));
    }
    let form = view! {
        <form class="story-filters" method="get" action="/" role="search" aria-labelledby="filters-title">
            <h2 id="filters-title">{texts.legend}</h2>
            <input type="hidden" name="lang" value=lang.tag() />
            <div class="filter">
                <label for="filter-place">{texts.place}</label>
                <select id="filter-place" name="place">
                    <option value="">{texts.anywhere}</option>
                    {options}
                </select>
            </div>
            <div class="filter">
                <label for="filter-from">{texts.from}</label>
                <input type="date" id="filter-from" name="from" value=from.clone().unwrap_or_default() />
            </div>
            <div class="filter">
                <label for="filter-to">{texts.to}</label>
                <input type="date" id="filter-to" name="to" value=to.clone().unwrap_or_default() />
            </div>
            <div class="filter filter-actions">
                <button type="submit">{texts.apply}</button>
                {filtering.then(|| view! { <a href=format!("/?lang={}", lang.tag())>{texts.clear}</a> })}
            </div>
            <p role="status" class="filter-status">{said.join(" ")}</p>
        </form>
    };
    (Some(form.into_any()), kept, texts.none)
}

#[cfg(not(feature = "ssr"))]
fn filtered(list: Vec<StoryCard>, _: Lang) -> (Option<AnyView>, Vec<StoryCard>, &'static str) {
    (None, list, "")
}

/// The countries each story's map shows first (`places_of`'s pairs: the
/// English name, the reader's).
#[cfg(feature = "ssr")]
fn places_of(list: &[StoryCard], lang: Lang) -> Vec<Vec<(String, String)>> {
    let geography = use_context::<std::sync::Arc<crate::map::drawn::Geography>>();
    list.iter()
        .map(|story| {
            geography.as_ref().map_or_else(Vec::new, |geography| {
                geography
                    .countries_in(&story.view, lang)
                    .into_iter()
                    .map(|(en, name)| (en.to_owned(), name.to_owned()))
                    .collect()
            })
        })
        .collect()
}

/// The words of the front page's filters (the server alone renders them).
#[cfg(feature = "ssr")]
struct FilterTexts {
    legend: &'static str,
    place: &'static str,
    anywhere: &'static str,
    from: &'static str,
    to: &'static str,
    apply: &'static str,
    clear: &'static str,
    none: &'static str,
    shown: fn(Lang, usize, usize) -> String,
    bad_day: fn(&str, &str) -> String,
    unknown_place: fn(&str) -> String,
}

#[cfg(feature = "ssr")]
fn filter_texts(lang: Lang) -> &'static FilterTexts {
    match lang {
        Lang::En => &FILTERS_EN,
        Lang::Da => &FILTERS_DA,
        Lang::Ar => &FILTERS_AR,
    }
}

#[cfg(feature = "ssr")]
static FILTERS_EN: FilterTexts = FilterTexts {
    legend: "Find a story",
    place: "Place",
    anywhere: "Anywhere",
    from: "Published from",
    to: "Published until",
    apply: "Show",
    clear: "All stories",
    none: "No story matches. Try another place or other dates.",
    shown: |_, shown, total| format!("Showing {shown} of {total} stories."),
    bad_day: |field, text| format!("{field}: “{text}” is not a day; expected YYYY-MM-DD."),
    unknown_place: |place| format!("No story shows “{place}”."),
};

#[cfg(feature = "ssr")]
static FILTERS_DA: FilterTexts = FilterTexts {
    legend: "Find en historie",
    place: "Sted",
    anywhere: "Overalt",
    from: "Udgivet fra",
    to: "Udgivet til",
    apply: "Vis",
    clear: "Alle historier",
    none: "Ingen historie passer. Prøv et andet sted eller andre datoer.",
    shown: |_, shown, total| format!("Viser {shown} af {total} historier."),
    bad_day: |field, text| format!("{field}: “{text}” er ikke en dag; forventede ÅÅÅÅ-MM-DD."),
    unknown_place: |place| format!("Ingen historie viser “{place}”."),
};

#[cfg(feature = "ssr")]
static FILTERS_AR: FilterTexts = FilterTexts {
    legend: "ابحث عن قصة",
    place: "المكان",
    anywhere: "في أي مكان",
    from: "نُشرت منذ",
    to: "نُشرت حتى",
    apply: "اعرض",
    clear: "كل القصص",
    none: "لا توجد قصة مطابقة. جرّب مكاناً آخر أو تواريخ أخرى.",
    shown: |lang, shown, total| {
        format!(
            "القصص المعروضة: {} من {}.",
            lang.digits(&shown.to_string()),
            lang.digits(&total.to_string())
        )
    },
    bad_day: |field, text| format!("{field}: «{text}» ليس يوماً؛ المتوقع يوم وشهر وسنة."),
    unknown_place: |place| format!("لا قصة تُظهر «{place}»."),
};

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
