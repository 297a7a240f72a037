//! The Share control: hands the current URL (which is the whole state: story,
//! selection, layers, view) to the Web Share API where the browser has it,
//! else copies it to the clipboard, and says which it did.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::map::js;

/// A button that shares the page as it is now. Without JavaScript it could
/// do nothing, and the style sheet hides it (`needs-js`). An island: it
/// runs in the browser.
#[island]
pub fn ShareButton(
    /// The story title, offered with the link.
    title: String,
    /// The interface language.
    lang: crate::i18n::Lang,
) -> impl IntoView {
    let texts = lang.texts();
    let status = RwSignal::new(String::new());
    let share = move |_| {
        let title = title.clone();
        leptos::task::spawn_local(async move {
            status.set(share_current_page(&title, texts).await);
        });
    };
    view! {
        <button type="button" class="share needs-js" on:click=share>
            {texts.share}
        </button>
        <span class="share-status" role="status">{move || status.get()}</span>
    }
}

/// Shares or copies `location.href`; returns what happened, in words.
async fn share_current_page(title: &str, texts: &crate::i18n::Texts) -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let Ok(url) = window.location().href() else {
        return String::new();
    };
    let navigator = js::get(window.as_ref(), "navigator");
    if js::get(&navigator, "share").is_function() {
        let data = js::object(&[("title", title.into()), ("url", url.as_str().into())]);
        if let Some(promise) = js::call(&navigator, "share", &[data.into()]) {
            return match JsFuture::from(js_sys::Promise::from(promise)).await {
                Ok(_) => texts.shared.to_owned(),
                // The reader closed the share sheet: nothing to say.
                Err(_) => String::new(),
            };
        }
    }
    let clipboard = js::get(&navigator, "clipboard");
    if let Some(promise) = js::call(&clipboard, "writeText", &[url.as_str().into()])
        && JsFuture::from(js_sys::Promise::from(promise)).await.is_ok()
    {
        return texts.copied.to_owned();
    }
    (texts.copy_this)(&url)
}
