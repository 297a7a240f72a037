//! What changed since a story was published, in public: the "Corrections
//! and updates" section, the notice on an earlier revision, and the notes
//! in the panels of the features a change touched.

use leptos::prelude::*;

use crate::i18n::{self, Lang};
use crate::links::PageUrl;
use crate::model::{Correction, StoryPage};

/// The day of an RFC 3339 time (`2026-12-04T22:50:00Z` → `2026-12-04`).
pub fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// The story's corrections, updates and clarifications, newest first, each
/// with a link to the version before it.
#[component]
pub fn Corrections(page: std::sync::Arc<StoryPage>) -> impl IntoView {
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let slug = page.summary.slug.clone();
    let items = page
        .corrections
        .iter()
        .rev()
        .map(|correction| {
            let before = PageUrl::story(&slug)
                .with_revision(correction.revision.checked_sub(1).filter(|n| *n > 0));
            view! {
                <li>
                    <p>
                        <strong>{texts.change_kind(correction.kind)}</strong>
                        ", "
                        <time datetime=correction.at.clone()>{lang.date(day(&correction.at))}</time>
                        ": "
                        {correction.note.clone()}
                    </p>
                    <a href=before.to_string()>{texts.version_before}</a>
                </li>
            }
        })
        .collect_view();
    (!page.corrections.is_empty()).then(|| {
        view! {
            <section class="corrections" id="corrections" aria-labelledby="corrections-title" lang=lang.tag() dir=lang.dir().name()>
                <h2 id="corrections-title">{texts.corrections}</h2>
                <ul>{items}</ul>
            </section>
        }
    })
}

/// Above an earlier revision: which version this is, and the latest; under
/// the byline of a corrected story, a pointer to its corrections.
#[component]
pub fn RevisionNotice(page: std::sync::Arc<StoryPage>) -> impl IntoView {
    let lang = i18n::use_lang();
    let texts = lang.texts();
    if let Some(revision) = &page.revision {
        let latest = PageUrl::story(&page.summary.slug);
        return Some(
            view! {
                <p class="revision-notice" role="note" lang=lang.tag() dir=lang.dir().name()>
                    {(texts.revision_notice)(&lang.date(day(&revision.published_at)))}
                    " "
                    <a href=latest.to_string()>{texts.read_latest}</a>
                </p>
            }
            .into_any(),
        );
    }
    (!page.corrections.is_empty()).then(|| {
        view! {
            <p class="revision-notice" lang=lang.tag() dir=lang.dir().name()>
                <a href="#corrections">{texts.has_corrections}</a>
            </p>
        }
        .into_any()
    })
}

/// The notes of the changes that touched feature `id`, for its panel.
pub fn feature_notes(corrections: &[Correction], id: &str, lang: Lang) -> impl IntoView + use<> {
    let texts = lang.texts();
    corrections
        .iter()
        .filter(|correction| {
            correction.features.iter().any(|changed| changed == id)
                || correction.moved.iter().any(|moved| moved.id == id)
        })
        .map(|correction| {
            let when = (texts.changed_on)(
                texts.change_kind(correction.kind),
                &lang.date(day(&correction.at)),
            );
            view! {
                <p class="panel-correction">
                    <strong>{when}</strong> " " {correction.note.clone()}
                </p>
            }
        })
        .collect_view()
}
