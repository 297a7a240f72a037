//! The page for URLs that name nothing: answered with 404, with a way back.

use leptos::prelude::*;
use leptos_meta::{Html, Title};

use crate::components::site::SiteFooter;
use crate::i18n;

/// Sets the response status, when rendering on the server.
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(code) = axum::http::StatusCode::from_u16(status)
    {
        response.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// Fallback for unknown paths.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    let lang = i18n::provide_page_lang();
    let texts = lang.texts();
    view! {
        <NotFound message=texts.no_page.to_owned() back_href="/".to_owned() back_label=texts.all_stories.to_owned() />
    }
}

/// A 404 message with one link back to where the reader can go on.
#[component]
pub fn NotFound(
    /// What was not found, in words.
    message: String,
    /// Where to go instead.
    back_href: String,
    /// The link text for `back_href`.
    back_label: String,
) -> impl IntoView {
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let home = (back_href != "/").then(|| view! { <p><a href="/">{texts.all_stories}</a></p> });
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir().name() />
        <Title text=texts.not_found />
        <main class="not-found" id="main">
            <h1>{texts.not_found}</h1>
            <p>{message}</p>
            <p><a href=back_href>{back_label}</a></p>
            {home}
        </main>
        <SiteFooter />
    }
}
