//! Unsaved work kept in the editor's browser: every change to a draft's
//! forms (the story's, and each feature's, a shape drawn on the map
//! included: [`KEPT`]) is written to the browser's storage as it is typed,
//! so a reload, a lost connection or a crashed browser loses nothing. When
//! the page opens with work kept that differs from its form, the editor is
//! offered it back; restoring it also restores the revision each form was
//! based on, so that saving it over a newer save is refused as any such
//! save is, never silently. Work equal to what its form shows (it was
//! saved) is dropped, and so is work sent, once the save succeeded.

use leptos::prelude::*;

use super::texts::DeskTexts;
use crate::i18n::Lang;

/// The id of the draft's form.
pub const FORM: &str = "draft-form";

/// The forms whose work is kept: each has an id, and so has each field.
pub const KEPT: &str = "form[data-keep]";

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
    //! The kept work, under the story's key: `{at, forms: {<form id>:
    //! {revision, sent, values: {<field id>: value or checked}}}}`.

    use js_sys::{Date, JSON, Object, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::JsValue;
    use wasm_bindgen::prelude::Closure;

    use super::KEPT;
    use crate::i18n::Lang;
    use crate::map::js;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// The page's kept forms.
    fn forms() -> Vec<web_sys::Element> {
        document()
            .document_element()
            .map(|root| js::select_all(&root, KEPT))
            .unwrap_or_default()
    }

    /// A form's fields with ids (inputs, text areas, lists), but the
    /// revision and files.
    fn fields(form: &web_sys::Element) -> Vec<web_sys::Element> {
        js::select_all(
            form,
            "input[id]:not([type=hidden]):not([type=file]), textarea[id], select[id]",
        )
    }

    fn revision_field(form: &web_sys::Element) -> Option<web_sys::Element> {
        form.query_selector("input[name=base]").ok().flatten()
    }

    fn is_box(field: &web_sys::Element) -> bool {
        field.get_attribute("type").as_deref() == Some("checkbox")
    }

    /// A field's value: its text, or whether a box is checked.
    fn value(field: &web_sys::Element) -> JsValue {
        if is_box(field) {
            js::get(field, "checked")
        } else {
            js::get(field, "value")
        }
    }

    /// The form's values, by field id.
    fn values(form: &web_sys::Element) -> Object {
        let values = Object::new();
        for field in fields(form) {
            let _ = Reflect::set(&values, &field.id().into(), &value(&field));
        }
        values
    }

    fn kept(key: &str) -> Object {
        storage()
            .and_then(|storage| storage.get_item(key).ok().flatten())
            .and_then(|text| JSON::parse(&text).ok())
            .and_then(|entry| js::get(&entry, "forms").dyn_into::<Object>().ok())
            .unwrap_or_default()
    }

    fn store(key: &str, forms: &Object) {
        if Object::keys(forms).length() == 0 {
            discard(key);
            return;
        }
        let entry = js::object(&[("at", Date::now().into()), ("forms", forms.into())]);
        if let (Some(storage), Ok(text)) = (storage(), JSON::stringify(&entry)) {
            // Full or refused storage: the forms still hold the work.
            let _ = storage.set_item(key, &String::from(text));
        }
    }

    fn form_id(form: &web_sys::Element) -> String {
        // Not `form.id()`: a form's `id` property is its field named `id`.
        form.get_attribute("id").unwrap_or_default()
    }

    /// Whether the kept values are what the form shows.
    fn same(form: &web_sys::Element, kept: &JsValue) -> bool {
        let kept = js::get(kept, "values");
        fields(form).iter().all(|field| {
            let was = js::get(&kept, &field.id());
            was.is_undefined() || was == value(field)
        })
    }

    /// Keeps one form's values; `sent` once it is submitted.
    fn write(key: &str, form: &web_sys::Element, sent: bool) {
        let revision = revision_field(form)
            .map(|field| js::get(&field, "value"))
            .unwrap_or_default();
        let forms = kept(key);
        let entry = js::object(&[
            ("revision", revision),
            ("sent", sent.into()),
            ("values", values(form).into()),
        ]);
        let _ = Reflect::set(&forms, &form_id(form).into(), &entry);
        store(key, &forms);
    }

    /// Offers kept work that differs from its form; keeps every change from now on.
    pub fn start(key: &str, lang: Lang, offered: RwSignal<Option<String>>) {
        // The page after a save this browser sent: the work sent is saved
        // (the server may have written it a little differently, with ids).
        let saved = web_sys::window()
            .and_then(|window| window.location().search().ok())
            .is_some_and(|search| search == "?saved");
        let forms = kept(key);
        for id in Object::keys(&forms).iter().filter_map(|id| id.as_string()) {
            let entry = js::get(&forms, &id);
            let shown = document().get_element_by_id(&id);
            let done = match &shown {
                Some(form) => {
                    same(form, &entry) || (saved && js::get(&entry, "sent") == JsValue::TRUE)
                }
                // The form is gone (its feature removed): nothing to put back.
                None => true,
            };
            if done {
                let _ = Reflect::delete_property(&forms, &id.into());
            }
        }
        store(key, &forms);
        if Object::keys(&forms).length() > 0
            && let Some(text) = storage().and_then(|storage| storage.get_item(key).ok().flatten())
            && let Ok(entry) = JSON::parse(&text)
        {
            let at = Date::new(&js::get(&entry, "at"));
            let shown = at.to_locale_string(lang.tag(), &JsValue::UNDEFINED);
            offered.set(Some(String::from(shown)));
        }
        for form in forms_on_page() {
            for (event, sent) in [("input", false), ("change", false), ("submit", true)] {
                let (key, watched) = (key.to_owned(), form.clone());
                let listener =
                    Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
                        write(&key, &watched, sent);
                    });
                let _ =
                    form.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
                // The form lives as long as the page.
                listener.forget();
            }
        }
    }

    fn forms_on_page() -> Vec<web_sys::Element> {
        forms()
    }

    /// Puts the kept work back in its forms, with the revisions it was based on.
    pub fn restore(key: &str) {
        let forms = kept(key);
        for id in Object::keys(&forms).iter().filter_map(|id| id.as_string()) {
            let Some(form) = document().get_element_by_id(&id) else {
                continue;
            };
            let entry = js::get(&forms, &id);
            let values = js::get(&entry, "values");
            for field in fields(&form) {
                let kept = js::get(&values, &field.id());
                if kept.is_undefined() {
                    continue;
                }
                let property = if is_box(&field) { "checked" } else { "value" };
                let _ = Reflect::set(&field, &property.into(), &kept);
            }
            if let (Some(field), Some(revision)) =
                (revision_field(&form), js::string(&entry, "revision"))
            {
                let _ = Reflect::set(&field, &"value".into(), &revision.into());
            }
            // A restored feature form shows where it is.
            if let Ok(Some(details)) = form.closest("details") {
                let _ = details.set_attribute("open", "");
            }
        }
    }

    /// Forgets the kept work.
    pub fn discard(key: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(key);
        }
    }
}
