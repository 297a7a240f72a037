use leptos::prelude::*;

fn main() {
    let _ = view! {
        <input>"first"</input>
        <img>"second"</img>
    };
}
