//! Keeps the server's HTML around the map in step with the address.
//!
//! The article, the feature list and the header are rendered once, by the
//! server, and are not hydrated (only the map's island is; see
//! [`crate::routes::story`]). When the reader selects a feature, switches
//! a layer, moves the map or the time, the parts of that HTML that show
//! the state follow here: which passage and list entry are the selection,
//! which layers and features are hidden, where the links lead (they carry
//! the reader's choices), and the document's title.
//!
//! The HTML marks what follows with data attributes: `data-feature` on
//! links to a feature (`data-features`, every feature of a passage),
//! `data-lang` on links to the page in a language, `data-date` on list
//! entries and `data-layer` on list sections.

use std::sync::Arc;

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use crate::model::StoryPage;
use crate::routes::story::UrlState;

/// Follows the address from now on (in the browser; the server renders
/// the state itself).
pub fn server_html(page: Arc<StoryPage>, state: UrlState) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |first: Option<()>| {
        let selected = state.selected.get();
        // And the layers, the view, the language and the time.
        state.url.track();
        // The server's HTML is already right for the address it served.
        if first.is_some() {
            browser::follow(&page, state, selected.as_deref());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (page, state);
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;

    use crate::components::meta;
    use crate::i18n::Lang;
    use crate::model::StoryPage;
    use crate::routes::story::UrlState;

    /// Every element of the document that matches `selector`.
    fn all(selector: &str) -> Vec<web_sys::Element> {
        document()
            .document_element()
            .map(|root| crate::map::js::select_all(&root, selector))
            .unwrap_or_default()
    }

    /// Sets an attribute to `value`, or removes it for `None`.
    fn mark(element: &web_sys::Element, name: &str, value: Option<&str>) {
        let _ = match value {
            Some(value) => element.set_attribute(name, value),
            None => element.remove_attribute(name),
        };
    }

    pub fn follow(page: &StoryPage, state: UrlState, selected: Option<&str>) {
        for link in all("#article a[data-feature], .feature-list a[data-feature]") {
            if let Some(id) = link.get_attribute("data-feature") {
                mark(&link, "href", Some(&untrack(|| state.feature_href(&id))));
                let current = selected == Some(id.as_str());
                if link.closest(".feature-list").ok().flatten().is_some() {
                    mark(&link, "aria-current", current.then_some("page"));
                }
            }
        }
        for passage in all("#article a[data-features]") {
            let features = passage.get_attribute("data-features").unwrap_or_default();
            let chosen = selected.is_some_and(|id| features.split(' ').any(|f| f == id));
            let _ = passage.class_list().toggle_with_force("selected", chosen);
        }
        for link in all("a[data-lang]") {
            let lang = link.get_attribute("data-lang");
            if let Some(lang) = lang.as_deref().and_then(Lang::parse) {
                let href = untrack(|| state.in_language(lang));
                mark(&link, "href", Some(&href));
            }
        }
        for entry in all(".feature-list li[data-date]") {
            let date = entry.get_attribute("data-date");
            let happened = untrack(|| state.shows_date(date.as_deref()));
            mark(&entry, "data-not-yet", (!happened).then_some("true"));
        }
        for section in all(".feature-list section[data-layer]") {
            let layer = section.get_attribute("data-layer").unwrap_or_default();
            let shown = untrack(|| state.shows(&layer));
            mark(&section, "data-hidden", (!shown).then_some("true"));
        }
        document().set_title(&meta::document_title(&meta::title(page, selected)));
    }
}
