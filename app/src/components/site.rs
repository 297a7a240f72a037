//! What every page has around its content: skip links, the site name and the
//! language switch.

use leptos::prelude::*;

use crate::i18n::{self, Lang};

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
