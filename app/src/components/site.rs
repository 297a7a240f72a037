//! What every page has around its content: skip links, the site name and the
//! language switch; on the front page, the About page and the 404 page, a
//! footer with the site's policies, its contact and its credits.

use leptos::prelude::*;

use crate::i18n::{self, Lang};
use crate::model::Site;

/// The site header: the way home and the language switch.
#[component]
pub fn SiteHeader(
    /// The current page in a language.
    in_language: Callback<Lang, String>,
) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="site-name" href="/">"kort"</a>
            <LanguageSwitch in_language />
        </header>
    }
}

/// Links that jump past what comes before the content, shown on focus.
#[component]
pub fn SkipLinks(
    /// `(href, label)` of each target.
    targets: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <nav class="skip-links" aria-label=i18n::use_texts().skip_to_content>
            {targets
                .into_iter()
                .map(|(href, label)| view! { <a class="skip-link" href=href>{label}</a> })
                .collect_view()}
        </nav>
    }
}

/// Dansk | English: the same page in the other language.
#[component]
fn LanguageSwitch(in_language: Callback<Lang, String>) -> impl IntoView {
    let current = i18n::use_lang();
    let links = Lang::ALL
        .iter()
        .map(|&lang| {
            view! {
                <li>
                    <a
                        href=untrack(|| in_language.run(lang))
                        hreflang=lang.tag()
                        data-lang=lang.tag()
                        lang=lang.tag()
                        aria-current=(lang == current).then_some("true")
                    >
                        {lang.autonym()}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="language-switch" aria-label=current.texts().language>
            <ul>{links}</ul>
        </nav>
    }
}

/// The site's contact (`KORT_CONTACT`) as a link: an e-mail address shown
/// without its `mailto:`.
#[component]
pub fn ContactLink(href: String) -> impl IntoView {
    let shown = href.strip_prefix("mailto:").unwrap_or(&href).to_owned();
    view! { <a href=href>{shown}</a> }
}

/// The site footer: how kort works and its corrections policy (the About
/// page), where to write, and whose map data it draws.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let about = format!("/about?lang={}", lang.tag());
    let contact = use_context::<Site>()
        .and_then(|site| site.contact)
        .map(|href| view! { <li>{texts.contact}": " <ContactLink href /></li> });
    view! {
        <footer class="site-footer">
            <ul>
                <li><a href=about.clone()>{texts.about_lead}</a></li>
                <li><a href=format!("{about}#corrections")>{texts.corrections_policy}</a></li>
                {contact}
            </ul>
            <p class="credits">
                {texts.map_data}": "
                <a href="https://www.naturalearthdata.com/">"Natural Earth"</a>", "
                <a href="https://www.soest.hawaii.edu/pwessel/gshhg/">"GSHHG"</a>" (LGPL-3.0), "
                <a href="https://www.geonames.org/">"GeoNames"</a>" (CC BY 4.0). "
                <a href="https://leafletjs.com/">"Leaflet"</a>
            </p>
        </footer>
    }
}
