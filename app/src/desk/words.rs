//! The desk's forms for a story's own words in other languages (its
//! summary, layer names, feature titles and notes, source titles; see
//! `story::words`): one per language, each word beside what it translates,
//! and one to add a language.

use leptos::prelude::*;

use super::texts::DeskTexts;
use super::{DeskWords, Draft, WordField};

/// The draft's words in its other languages, and a form for a new one.
#[component]
pub fn Words(draft: Draft, texts: &'static DeskTexts) -> impl IntoView {
    let action = format!("{}/words", super::story_path(&draft.slug));
    let forms = draft
        .words
        .iter()
        .map(|words| {
            view! {
                <details class="desk-words-language" data-language=words.language.clone()>
                    <summary>{words.language.clone()}</summary>
                    <form method="post" action=action.clone() class="desk-form">
                        <input type="hidden" name="base" value=draft.revision.clone() />
                        <input type="hidden" name="language" value=words.language.clone() />
                        <Rows words=words.clone() data=draft.data_language.clone() texts />
                        <p><button type="submit">{texts.save_words}</button></p>
                    </form>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="desk-words" aria-labelledby="words">
            <h2 id="words">{texts.own_words}</h2>
            <p class="desk-help">{texts.words_help}</p>
            {forms}
            <h3>{texts.new_words}</h3>
            <form method="post" action=action class="desk-form">
                <input type="hidden" name="base" value=draft.revision.clone() />
                <div class="desk-field">
                    <label for="words-new-language">{texts.language}</label>
                    <input id="words-new-language" name="language" required="" autocomplete="off" />
                </div>
                <div class="desk-field">
                    <label for="words-new-summary">{texts.new_words_summary}</label>
                    <textarea id="words-new-summary" name="summary" rows="3" required="" dir="auto"></textarea>
                </div>
                <p><button type="submit">{texts.add_words}</button></p>
            </form>
        </section>
    }
}

/// Each word of one language: what it translates, and its field.
#[component]
fn Rows(words: DeskWords, data: String, texts: &'static DeskTexts) -> impl IntoView {
    let language = words.language;
    words
        .rows
        .into_iter()
        .map(|row| {
            let name = row.field.name();
            let id = format!("words-{language}-{}", name.replace(':', "-"));
            let label = (texts.word_in)(&row.field, &language);
            let input = if row.field.long() {
                view! {
                    <textarea id=id.clone() name=name rows="3" lang=language.clone() dir="auto">
                        {row.translated}
                    </textarea>
                }
                .into_any()
            } else {
                view! { <input id=id.clone() name=name value=row.translated lang=language.clone() dir="auto" /> }
                    .into_any()
            };
            let heading = matches!(row.field, WordField::Layer(_) | WordField::FeatureTitle(_) | WordField::SourceTitle(_));
            view! {
                <div class="desk-paragraph" data-word=row.field.name() data-heading=heading.then_some("")>
                    <p class="desk-original" lang=data.clone() dir="auto">{row.original}</p>
                    <div class="desk-field">
                        <label for=id>{label}</label>
                        {input}
                    </div>
                </div>
            }
        })
        .collect_view()
}
