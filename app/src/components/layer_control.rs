//! The map's layer switches and legend. A plain GET form, so it works without
//! JavaScript; with it, a change updates `?layers=` in place.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::links::PageUrl;
use crate::model::{StoryPage, Symbol};
use crate::nav;
use crate::routes::story::UrlState;

/// Layer switches and the legend of every symbol on the map.
#[component]
pub fn LayerControl(
    /// The story whose layers are switched.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let texts = crate::i18n::use_texts();
    let all = page.layer_ids();
    let toggle = move |changed: &str, on: bool| {
        let url = untrack(|| state.with_layer(&all, changed, on));
        nav::go(&url, true);
    };
    let switches = page
        .layers
        .iter()
        .map(|layer| {
            let id = layer.id.clone();
            let shown = Memo::new(move |_| state.shows(&id));
            let changed = layer.id.clone();
            let toggle = toggle.clone();
            view! {
                <li>
                    <label class="layer-switch">
                        <input
                            type="checkbox"
                            name="layers"
                            value=layer.id.clone()
                            checked=move || shown.get()
                            prop:checked=move || shown.get()
                            on:change=move |event| toggle(&changed, event_target_checked(&event))
                        />
                        <Swatch symbol=layer.style.symbol color=layer.style.color.clone() />
                        {
                            let (lang, dir) = page.summary.words_in(layer.language.as_ref());
                            view! { <span lang=lang dir=dir>{layer.title.clone()}</span> }
                        }
                    </label>
                </li>
            }
        })
        .collect_view();
    // Open over the map, the control closes as the reader turns to the map
    // (a click or a tap on it, or anywhere else outside the control).
    let control = NodeRef::<leptos::html::Details>::new();
    let handle = window_event_listener(leptos::ev::pointerdown, move |event| {
        let Some(details) = control.get_untracked() else {
            return;
        };
        let inside = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|target| details.contains(Some(&target)));
        if !inside {
            details.set_open(false);
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <details class="layer-control" node_ref=control>
            <summary>{texts.layers_and_legend}</summary>
            <form method="get" action=move || state.url.with(PageUrl::path)>
                <fieldset>
                    <legend>{texts.show_on_map}</legend>
                    <ul>{switches}</ul>
                </fieldset>
                <noscript>
                    <button type="submit">{texts.show_checked}</button>
                </noscript>
            </form>
            <h2 class="legend-title">{texts.symbols}</h2>
            <ul class="legend">
                <li>
                    <span class="legend-symbol legend-arrow" aria-hidden="true"></span>
                    {texts.legend_chevrons}
                </li>
                <li>
                    <span class="legend-symbol legend-stop" aria-hidden="true"></span>
                    {texts.legend_stop}
                </li>
                <li>
                    <span class="legend-symbol legend-halo" aria-hidden="true"></span>
                    {texts.legend_halo}
                </li>
                <li>
                    <span class="legend-symbol legend-edge" aria-hidden="true"></span>
                    {texts.legend_edge}
                </li>
            </ul>
        </details>
    }
    .into_any()
}

/// A small picture of a layer's symbol, as the legend and the lists show it.
#[component]
pub fn Swatch(
    /// The symbol drawn.
    symbol: Symbol,
    /// Its colour.
    color: String,
) -> impl IntoView {
    view! { <span class=format!("swatch swatch-{}", symbol.name()) style=format!("--swatch: {color}") aria-hidden="true"></span> }
}
