//! What the address decides in the server's HTML around the map, defined
//! once for the server and the browser.
//!
//! The article, the feature list and the header are rendered once, by the
//! server, and are not hydrated (only the map's island is; see
//! [`crate::routes::story`]). Each part of that HTML that shows the
//! reader's state is a [`Mark`]: an attribute (or a class) whose value
//! follows from the address and from a key the element carries, such as
//! `data-feature` on a link to a feature. The server's components set each
//! mark's value as they render ([`Mark::value`]); in the browser,
//! [`follow`] sets every mark again whenever the address changes, reading
//! the keys back from the page. The document's title follows too
//! ([`crate::components::meta::title`]).

use std::sync::Arc;

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use crate::i18n::Lang;
use crate::links::PageUrl;
use crate::model::StoryPage;
use crate::routes::story::UrlState;

/// What a mark sets on its elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The attribute, set to the mark's value, or removed for `None`.
    Attribute(&'static str),
    /// The class, present while the mark has a value.
    Class(&'static str),
}

/// One part of the server's HTML that shows the reader's state.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    /// The elements marked (a CSS selector); each carries [`Self::key`].
    pub selector: &'static str,
    /// The attribute that says which feature, layer, date or language the
    /// element is about.
    pub key: &'static str,
    /// What the mark sets.
    pub target: Target,
    rule: fn(&PageUrl, &str) -> Option<String>,
}

impl Mark {
    /// The mark's value for an element whose key is `key`, at the address
    /// `url` as the page applies it ([`UrlState::applied`]).
    pub fn value(&self, url: &PageUrl, key: &str) -> Option<String> {
        (self.rule)(url, key)
    }

    /// Whether the mark is set for `key` at `url` (for a [`Target::Class`]).
    pub fn is_set(&self, url: &PageUrl, key: &str) -> bool {
        self.value(url, key).is_some()
    }
}

/// `"true"` where `condition` holds, for a flag attribute.
fn flag(condition: bool) -> Option<String> {
    condition.then(|| "true".to_owned())
}

/// Links to a feature, in the article and the feature list, keep the
/// reader's choices.
pub const FEATURE_LINK: Mark = Mark {
    selector: "#article a[data-feature], .feature-list a[data-feature]",
    key: "data-feature",
    target: Target::Attribute("href"),
    rule: |url, id| Some(url.clone().with_feature(Some(id)).to_string()),
};

/// The selected feature's entry in the feature list.
pub const CURRENT_ENTRY: Mark = Mark {
    selector: ".feature-list a[data-feature]",
    key: "data-feature",
    target: Target::Attribute("aria-current"),
    rule: |url, id| (url.feature.as_deref() == Some(id)).then(|| "page".to_owned()),
};

/// A passage of the article that mentions the selected feature (its key
/// lists every feature it mentions, separated by spaces).
pub const SELECTED_PASSAGE: Mark = Mark {
    selector: "#article a[data-features]",
    key: "data-features",
    target: Target::Class("selected"),
    rule: |url, ids| {
        let selected = url.feature.as_deref()?;
        ids.split(' ').any(|id| id == selected).then(String::new)
    },
};

/// Links to the page in another language keep every other choice.
pub const LANGUAGE_LINK: Mark = Mark {
    selector: "a[data-lang]",
    key: "data-lang",
    target: Target::Attribute("href"),
    rule: |url, tag| {
        let lang = Lang::parse(tag)?;
        Some(url.clone().with_lang(Some(lang)).to_string())
    },
};

/// A list entry dated after the reader's time (shown as "not yet").
pub const NOT_YET: Mark = Mark {
    selector: ".feature-list li[data-date]",
    key: "data-date",
    target: Target::Attribute("data-not-yet"),
    rule: |url, date| flag(!url.choices.shows_date(Some(date))),
};

/// A layer's section of the feature list while the layer is off the map.
pub const HIDDEN_LAYER: Mark = Mark {
    selector: ".feature-list section[data-layer]",
    key: "data-layer",
    target: Target::Attribute("data-hidden"),
    rule: |url, layer| flag(!url.choices.shows_layer(layer)),
};

/// Every mark.
pub const ALL: [Mark; 6] = [
    FEATURE_LINK,
    CURRENT_ENTRY,
    SELECTED_PASSAGE,
    LANGUAGE_LINK,
    NOT_YET,
    HIDDEN_LAYER,
];

/// Keeps the marks and the document's title in step with the address
/// from now on (in the browser; the server renders them itself).
pub fn follow(page: Arc<StoryPage>, state: UrlState) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |first: Option<()>| {
        let url = state.applied();
        // The server's HTML is already right for the address it served.
        if first.is_some() {
            browser::follow(&page, &url);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (page, state);
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;

    use super::{ALL, Target};
    use crate::components::meta;
    use crate::links::PageUrl;
    use crate::model::StoryPage;

    pub fn follow(page: &StoryPage, url: &PageUrl) {
        let Some(root) = document().document_element() else {
            return;
        };
        for mark in ALL {
            for element in crate::map::js::select_all(&root, mark.selector) {
                let Some(key) = element.get_attribute(mark.key) else {
                    continue;
                };
                let value = mark.value(url, &key);
                let _ = match (mark.target, value) {
                    (Target::Attribute(name), Some(value)) => element.set_attribute(name, &value),
                    (Target::Attribute(name), None) => element.remove_attribute(name),
                    (Target::Class(name), value) => element
                        .class_list()
                        .toggle_with_force(name, value.is_some())
                        .map(drop),
                };
            }
        }
        document().set_title(&meta::document_title(&meta::title(
            page,
            url.feature.as_deref(),
        )));
    }
}
