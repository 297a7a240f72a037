//! `/`: the list of stories.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::error::KortError;
use crate::links;
use crate::model::StorySummary;

/// The stories kort serves, newest first.
#[server(prefix = "/rpc")]
pub async fn list_stories() -> Result<Vec<StorySummary>, KortError> {
    let stories = use_context::<crate::story::Stories>()
        .ok_or_else(|| KortError::Server("the story catalog is not available".into()))?;
    Ok(stories.snapshot().summaries())
}

/// The front page.
#[component]
pub fn HomePage() -> impl IntoView {
    let stories = Resource::new(|| (), |()| list_stories());
    view! {
        <Title text="Stories" />
        <Meta name="description" content="News stories told as text beside a map." />
        <main class="home" id="main">
            <h1>"kort"</h1>
            <p class="tagline">"News stories told as text beside a map."</p>
            <Suspense fallback=|| view! { <p>"Loading stories…"</p> }>
                {move || Suspend::new(async move {
                    match stories.await {
                        Ok(list) if list.is_empty() => view! { <p>"No stories yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="story-list">
                                {list.into_iter().map(|story| view! {
                                    <li>
                                        <a href=links::story(&story.slug)>{story.title}</a>
                                        <p class="meta"><time datetime=story.published.clone()>{story.published.clone()}</time></p>
                                        <p>{story.summary}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <p class="error">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
