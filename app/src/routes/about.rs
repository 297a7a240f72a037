//! `/about`: how kort maps uncertainty and sources, its corrections policy
//! and where to write, for readers who want to know what they can trust.

use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::components::site::{SiteFooter, SiteHeader, SkipLinks};
use crate::i18n::{self, Lang};
use crate::model::Site;

/// The About page.
#[component]
pub fn AboutPage() -> impl IntoView {
    let lang = i18n::request_lang(
        use_query_map().read_untracked().get("lang").as_deref(),
        None,
    );
    provide_context(lang);
    let texts = lang.texts();
    let sections = texts
        .about_sections
        .iter()
        .map(|(id, heading, paragraphs)| {
            view! {
                <section id=*id aria-labelledby=format!("{id}-heading")>
                    <h2 id=format!("{id}-heading")>{*heading}</h2>
                    {paragraphs.iter().map(|text| view! { <p>{*text}</p> }).collect_view()}
                </section>
            }
        })
        .collect_view();
    let contact = match use_context::<Site>().and_then(|site| site.contact) {
        Some(href) => {
            let shown = href.strip_prefix("mailto:").unwrap_or(&href).to_owned();
            view! { <p><a href=href.clone()>{shown}</a></p> }.into_any()
        }
        None => view! { <p>{texts.no_contact}</p> }.into_any(),
    };
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir().name() />
        <Title text=texts.about />
        <Meta name="description" content=texts.about_lead />
        <SkipLinks targets=vec![("#main", texts.skip_to_content)] />
        <SiteHeader in_language=Callback::new(|lang: Lang| format!("/about?lang={}", lang.tag())) />
        <main class="about" id="main" tabindex="-1">
            <h1>{texts.about}</h1>
            <p class="tagline">{texts.about_lead}</p>
            {sections}
            <section id="contact" aria-labelledby="contact-heading">
                <h2 id="contact-heading">{texts.contact}</h2>
                {contact}
            </section>
            <p><a href=format!("/?lang={}", lang.tag())>{texts.all_stories}</a></p>
        </main>
        <SiteFooter />
    }
}
