//! Two of the smallest apps Leptos 0.8 can hydrate, to weigh the framework
//! apart from kort:
//!
//! - by default, a whole page hydrated as kort's is: a router with one
//!   route, a resource loaded by a server function inside `Suspense`, a
//!   list, and a button with a signal;
//! - with `--features islands`, one island with a signal, and nothing else
//!   hydrated.

#[cfg(not(feature = "islands"))]
mod whole_page {
    use leptos::prelude::*;
    use leptos_router::StaticSegment;
    use leptos_router::components::{Route, Router, Routes};

    #[derive(Clone, serde::Serialize, serde::Deserialize)]
    pub struct Page {
        pub title: String,
        pub items: Vec<String>,
    }

    #[server]
    pub async fn get_page() -> Result<Page, ServerFnError> {
        Ok(Page {
            title: String::new(),
            items: vec![],
        })
    }

    #[component]
    fn Home() -> impl IntoView {
        let page = Resource::new(|| (), |()| get_page());
        let (count, set_count) = signal(0);
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let page = page.await.ok()?;
                    Some(view! {
                        <h1>{page.title}</h1>
                        <ul>{page.items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
                    })
                })}
            </Suspense>
            <button on:click=move |_| set_count.update(|n| *n += 1)>{count}</button>
        }
    }

    #[component]
    pub fn App() -> impl IntoView {
        leptos_meta::provide_meta_context();
        view! {
            <Router>
                <Routes fallback=|| "no">
                    <Route path=StaticSegment("") view=Home />
                </Routes>
            </Router>
        }
    }

    #[wasm_bindgen::prelude::wasm_bindgen]
    pub fn hydrate() {
        leptos::mount::hydrate_body(App);
    }
}

#[cfg(feature = "islands")]
mod islands {
    use leptos::prelude::*;

    #[island]
    pub fn Counter(start: i32) -> impl IntoView {
        let (count, set_count) = signal(start);
        view! { <button on:click=move |_| set_count.update(|n| *n += 1)>{count}</button> }
    }

    #[wasm_bindgen::prelude::wasm_bindgen]
    pub fn hydrate() {
        leptos::mount::hydrate_islands();
    }
}
