//! Unsaved work kept in the editor's browser: every change to a draft's
//! form is written to the browser's storage as it is typed, so a reload, a
//! lost connection or a crashed browser loses nothing. When the page opens
//! with work kept that differs from the form, the editor is offered it
//! back; restoring it also restores the revision it was based on, so that
//! saving it over a newer save is refused as any such save is, never
//! silently. Work equal to what the form shows (it was saved) is dropped.

use leptos::prelude::*;

use super::texts::DeskTexts;
use crate::i18n::Lang;

/// The id of the draft's form, whose fields are kept.
pub const FORM: &str = "draft-form";

/// Keeps the form's work in this browser, and offers it back. An island,
/// in the desk's bundle (`assets::Assets`); without JavaScript the form
/// simply works as a form.
#[cfg_attr(feature = "desk", island)]
#[cfg_attr(not(feature = "desk"), component)]
pub fn KeepDraft(slug: String, lang: Lang) -> impl IntoView {
    let texts = DeskTexts::of(lang);
    // When the kept work was written, while it is offered.
    let offered = RwSignal::new(None::<String>);
    let key = format!("kort-desk:{slug}");
    #[cfg(all(feature = "hydrate", feature = "desk"))]
    {
        let key = key.clone();
        Effect::new(move |_| browser::start(&key, lang, offered));
    }
    let restore = {
        let key = key.clone();
        move |_| {
            #[cfg(all(feature = "hydrate", feature = "desk"))]
            browser::restore(&key);
            let _ = &key;
            offered.set(None);
        }
    };
    let discard = move |_| {
        #[cfg(all(feature = "hydrate", feature = "desk"))]
        browser::discard(&key);
        let _ = &key;
        offered.set(None);
    };
    view! {
        <div class="desk-kept" role="status">
            {move || offered.get().map(|at| view! {
                <p>{(texts.kept)(&at)}</p>
                <p>
                    <button type="button" on:click=restore.clone()>{texts.restore}</button>
                    " "
                    <button type="button" on:click=discard.clone()>{texts.discard}</button>
                </p>
            })}
        </div>
    }
}

#[cfg(all(feature = "hydrate", feature = "desk"))]
mod browser {
    use js_sys::{Date, JSON, Object, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::JsValue;
    use wasm_bindgen::prelude::Closure;

    use super::FORM;
    use crate::i18n::Lang;
    use crate::map::js;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn form() -> Option<web_sys::Element> {
        document().get_element_by_id(FORM)
    }

    /// The form's named fields (inputs and text areas) but the revision.
    fn fields(form: &web_sys::Element) -> Vec<web_sys::Element> {
        js::select_all(form, "input[name]:not([type=hidden]), textarea[name]")
    }

    fn revision_field(form: &web_sys::Element) -> Option<web_sys::Element> {
        form.query_selector("input[name=base]").ok().flatten()
    }

    fn value(element: &web_sys::Element) -> String {
        js::string(element, "value").unwrap_or_default()
    }

    /// The form's values, by field name.
    fn values(form: &web_sys::Element) -> Object {
        let values = Object::new();
        for field in fields(form) {
            if let Some(name) = field.get_attribute("name") {
                let _ = Reflect::set(&values, &name.into(), &value(&field).into());
            }
        }
        values
    }

    fn kept(key: &str) -> Option<JsValue> {
        let text = storage()?.get_item(key).ok().flatten()?;
        JSON::parse(&text).ok().filter(JsValue::is_object)
    }

    /// Whether the kept values are what the form shows.
    fn same(form: &web_sys::Element, kept: &JsValue) -> bool {
        let kept = js::get(kept, "values");
        fields(form).iter().all(|field| {
            field
                .get_attribute("name")
                .is_none_or(|name| js::string(&kept, &name).is_none_or(|v| v == value(field)))
        })
    }

    /// Keeps the form's values; `sent` once the form is submitted.
    fn write(key: &str, form: &web_sys::Element, sent: bool) {
        let revision = revision_field(form)
            .map(|field| value(&field))
            .unwrap_or_default();
        let entry = js::object(&[
            ("revision", revision.into()),
            ("at", Date::now().into()),
            ("sent", sent.into()),
            ("values", values(form).into()),
        ]);
        if let (Some(storage), Ok(text)) = (storage(), JSON::stringify(&entry)) {
            // Full or refused storage: the form still holds the work.
            let _ = storage.set_item(key, &String::from(text));
        }
    }

    /// Offers kept work that differs from the form; keeps every change from now on.
    pub fn start(key: &str, lang: Lang, offered: RwSignal<Option<String>>) {
        let Some(form) = form() else { return };
        // The page after a save this browser sent: the work is saved (the
        // server may have written it a little differently, with ids).
        let saved = web_sys::window()
            .and_then(|window| window.location().search().ok())
            .is_some_and(|search| search == "?saved");
        match kept(key) {
            Some(entry) if same(&form, &entry) => discard(key),
            Some(entry) if saved && js::get(&entry, "sent") == JsValue::TRUE => discard(key),
            Some(entry) => {
                let at = Date::new(&js::get(&entry, "at"));
                let shown = at.to_locale_string(lang.tag(), &JsValue::UNDEFINED);
                offered.set(Some(String::from(shown)));
            }
            None => {}
        }
        for (event, sent) in [("input", false), ("submit", true)] {
            let (key, watched) = (key.to_owned(), form.clone());
            let listener =
                Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
                    write(&key, &watched, sent);
                });
            let _ = form.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            // The form lives as long as the page.
            listener.forget();
        }
    }

    /// Puts the kept work back in the form, with the revision it was based on.
    pub fn restore(key: &str) {
        let (Some(form), Some(entry)) = (form(), kept(key)) else {
            return;
        };
        let values = js::get(&entry, "values");
        for field in fields(&form) {
            if let Some(kept) = field
                .get_attribute("name")
                .and_then(|name| js::string(&values, &name))
            {
                let _ = Reflect::set(&field, &"value".into(), &kept.into());
            }
        }
        if let (Some(field), Some(revision)) =
            (revision_field(&form), js::string(&entry, "revision"))
        {
            let _ = Reflect::set(&field, &"value".into(), &revision.into());
        }
    }

    /// Forgets the kept work.
    pub fn discard(key: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(key);
        }
    }
}
