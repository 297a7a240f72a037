//! The page's address, read and changed without a client-side router.
//!
//! Only the map, its panel, the timeline and a few controls run in the
//! browser (Leptos islands); the article and the lists stay the server's
//! HTML. The islands share the address through this module: on the server
//! it is the request's, in the browser the window's, changed by [`go`] and
//! by the back and forward buttons. A click on a link to another state of
//! the same story page is taken here, so choosing a feature keeps the map
//! and moves nothing but the selection.

use leptos::prelude::*;

use crate::links::PageUrl;

/// A page address: its path and its query, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// The path, such as `/stories/arsal-convoy-2017/features/blocked-bridge`.
    pub path: String,
    /// The query's pairs, in order, percent-decoded.
    pub params: Vec<(String, String)>,
}

impl Address {
    /// Reads `path?query` (a fragment, if any, is not part of the address).
    /// The query is read as browsers write forms: `+` is a space, and a
    /// malformed escape is kept as written.
    pub fn parse(url: &str) -> Self {
        let url = url.split_once('#').map_or(url, |(before, _)| before);
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        Self {
            path: path.to_owned(),
            params: url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        }
    }

    /// The first value of a query parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a query parameter, in order.
    pub fn get_all(&self, key: &str) -> Vec<String> {
        self.params
            .iter()
            .filter(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Whether following a link from this address to `to` only changes what
    /// the page shows (selection, layers, view, time): the same story, in
    /// the same language. A new language needs the server's article.
    pub fn same_page(&self, to: &Self) -> bool {
        let page = |address: &Self| PageUrl::from_parts(&address.path, &address.params);
        page(self).is_some_and(|here| page(to).is_some_and(|to| here.same_page(&to)))
    }
}

/// The page's address. On the server, the request's (it does not change);
/// in the browser, the window's, which [`go`] and history moves change.
pub fn address() -> Signal<Address> {
    #[cfg(feature = "hydrate")]
    {
        browser::ADDRESS.with(|address| (*address).into())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let location = leptos_router::hooks::use_location();
        let path = location.pathname.get_untracked();
        let query = location.search.get_untracked();
        let query = query.trim_start_matches('?');
        Signal::stored(Address::parse(&format!("{path}?{query}")))
    }
}

/// Shows `url`, a state of the current page, without loading it: pushed
/// onto the history, or replacing the current entry (for moves of the map
/// and the like, which the back button should not step through).
pub fn go(url: &str, replace: bool) {
    #[cfg(feature = "hydrate")]
    browser::go(url, replace);
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, replace);
}

/// Starts following the address: the back and forward buttons, and clicks
/// on links to other states of the page. Called once, before the islands
/// are hydrated.
#[cfg(feature = "hydrate")]
pub fn start() {
    browser::start();
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    use super::Address;

    thread_local! {
        /// Created by `start`, outside any island, so it lives as long as
        /// the page.
        pub static ADDRESS: RwSignal<Address> = RwSignal::new(Address::parse(&window_url()));
    }

    fn window_url() -> String {
        let location = window().location();
        format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        )
    }

    pub fn go(url: &str, replace: bool) {
        let history = window().history();
        let changed = history.and_then(|history| {
            if replace {
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            } else {
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
            }
        });
        match changed {
            Ok(()) => ADDRESS.with(|address| address.set(Address::parse(url))),
            // A URL the history will not take (another origin): load it.
            Err(_) => {
                let _ = window().location().set_href(url);
            }
        }
    }

    pub fn start() {
        let address = ADDRESS.with(|address| *address);
        let moved = Closure::<dyn FnMut()>::new(move || address.set(Address::parse(&window_url())));
        let _ =
            window().add_event_listener_with_callback("popstate", moved.as_ref().unchecked_ref());
        moved.forget();
        // On the window, so the islands' own handlers (delegated to the
        // document) run first and may claim the click.
        let clicked = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(follow_link);
        let _ =
            window().add_event_listener_with_callback("click", clicked.as_ref().unchecked_ref());
        clicked.forget();
    }

    /// Takes a click on a link to another state of this page: a plain left
    /// click, on a link the page itself may follow (same origin, no target,
    /// no fragment, no download, not `rel=external`).
    fn follow_link(event: web_sys::MouseEvent) {
        if event.default_prevented()
            || event.button() != 0
            || event.meta_key()
            || event.alt_key()
            || event.ctrl_key()
            || event.shift_key()
        {
            return;
        }
        let link = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        let Some(link) = link else { return };
        let external = link
            .get_attribute("rel")
            .is_some_and(|rel| rel.split_ascii_whitespace().any(|word| word == "external"));
        let origin = window().location().origin().unwrap_or_default();
        // A link to a place in the page (`#…`) is the browser's to follow:
        // it scrolls there and moves the focus.
        if !link.target().is_empty()
            || !link.hash().is_empty()
            || link.has_attribute("download")
            || external
            || link.origin() != origin
        {
            return;
        }
        let url = format!("{}{}", link.pathname(), link.search());
        let to = Address::parse(&url);
        let here = ADDRESS.with(|address| address.get_untracked());
        if here.same_page(&to) {
            event.prevent_default();
            go(&url, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_paths_and_decoded_queries() {
        let address = Address::parse("/stories/a/features/b?layers=x%2Cy&at=2017-08-30&q=a+b#p3");
        assert_eq!(address.path, "/stories/a/features/b");
        assert_eq!(address.get("layers"), Some("x,y"));
        assert_eq!(address.get("at"), Some("2017-08-30"));
        assert_eq!(address.get("q"), Some("a b"));
        assert_eq!(address.get("view"), None);
        let repeated = Address::parse("/s?layers=a&layers=b&bad=%zz%4");
        assert_eq!(repeated.get_all("layers"), ["a", "b"]);
        assert_eq!(
            repeated.get("bad"),
            Some("%zz%4"),
            "malformed escapes are kept"
        );
        assert_eq!(Address::parse("/s?").params, []);
        assert_eq!(Address::parse("/s?n=%C3%B8").get("n"), Some("ø"));
    }

    #[test]
    fn only_states_of_the_same_story_in_the_same_language_stay_on_the_page() {
        let here = Address::parse("/stories/a?layers=x");
        let same = |url: &str| here.same_page(&Address::parse(url));
        assert!(same("/stories/a/features/b?view=7/34/38"));
        assert!(same("/stories/a"));
        assert!(!same("/stories/b/features/c"), "another story");
        assert!(!same("/stories/a?lang=en"), "another language");
        assert!(!same("/embed/stories/a"), "the embed is another page");
        assert!(!same("/"), "the home page");
        assert!(!same("/api/stories/a/export.kml"));
        let embed = Address::parse("/embed/stories/a/features/b");
        assert!(embed.same_page(&Address::parse("/embed/stories/a")));
        assert!(!Address::parse("/").same_page(&Address::parse("/")));
    }
}
