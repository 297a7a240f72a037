//! The corrections, updates and clarifications of the stories, as Atom 1.0
//! feeds (RFC 4287): `/stories/<slug>/updates.atom` for one story and
//! `/updates.atom` for the site, newest first.
//!
//! Each entry is one published change, identified by the address of the
//! revision that made it (which never changes), and links to it.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kort_app::links::PageUrl;
use kort_app::story::catalog::{Entry as Loaded, LoadedStory};

use crate::api::ApiError;
use crate::state::Shared;

/// The most entries the site's feed carries.
const SITE_ENTRIES: usize = 50;
const ATOM: &str = "application/atom+xml; charset=utf-8";

/// `GET /stories/<slug>/updates.atom`.
pub async fn story(
    State(state): State<Shared>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let loaded = state.stories.snapshot().story(&slug)?;
    let public = &state.site.public_url;
    let page = format!("{public}{}", PageUrl::story(&slug));
    let title = &loaded.page().text.title;
    let mut entries = entries(&loaded, public);
    entries.reverse();
    let feed = feed(
        format!("{page}/updates.atom"),
        format!("Corrections and updates: {title}"),
        &page,
        entries,
        &loaded.story.manifest.published,
    );
    Ok(atom(&feed))
}

/// `GET /updates.atom`: every story's, newest first.
pub async fn site(State(state): State<Shared>) -> Response {
    let catalog = state.stories.snapshot();
    let public = &state.site.public_url;
    let mut entries: Vec<Entry> = catalog
        .entries()
        .filter_map(|(_, entry)| match entry {
            Loaded::Ready(story) => Some(entries(story, public)),
            Loaded::Broken(_) => None,
        })
        .flatten()
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(SITE_ENTRIES);
    let home = format!("{public}/");
    let feed = feed(
        format!("{public}/updates.atom"),
        "kort: corrections and updates".to_owned(),
        &home,
        entries,
        "1970-01-01",
    );
    atom(&feed)
}

/// The entries of one story's changes, oldest first.
fn entries(loaded: &LoadedStory, public: &str) -> Vec<Entry> {
    let story = &loaded.story;
    let title = &loaded.page().text.title;
    let publisher = story.manifest.byline();
    story
        .corrections
        .iter()
        .map(|correction| {
            let revision = format!(
                "{public}{}",
                PageUrl::story(&story.slug).with_revision(Some(correction.revision))
            );
            let at = time(&correction.at);
            let kind = correction.kind.name();
            let mut entry = Entry::default();
            entry.set_id(revision.clone());
            entry.set_title(Text::plain(format!("{title} ({kind})")));
            entry.set_summary(Some(Text::plain(correction.note.clone())));
            entry.set_updated(at);
            entry.set_published(Some(at));
            entry.set_authors(vec![person(&publisher)]);
            entry.set_links(vec![link(&revision, "alternate")]);
            entry.set_categories(vec![atom_syndication::Category {
                term: kind.to_owned(),
                ..atom_syndication::Category::default()
            }]);
            entry
        })
        .collect()
}

fn feed(id: String, title: String, page: &str, entries: Vec<Entry>, since: &str) -> Feed {
    let mut feed = Feed::default();
    let updated = entries
        .iter()
        .map(|entry| entry.updated)
        .max()
        .unwrap_or_else(|| time(&format!("{since}T00:00:00Z")));
    feed.set_links(vec![link(&id, "self"), link(page, "alternate")]);
    feed.set_id(id);
    feed.set_title(Text::plain(title));
    feed.set_updated(updated);
    feed.set_authors(vec![person("kort")]);
    feed.set_entries(entries);
    feed
}

fn person(name: &str) -> Person {
    Person {
        name: name.to_owned(),
        ..Person::default()
    }
}

fn link(href: &str, rel: &str) -> Link {
    Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        ..Link::default()
    }
}

/// An RFC 3339 time; the start of 1970 for one kort did not write.
fn time(at: &str) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(at).unwrap_or_default()
}

fn atom(feed: &Feed) -> Response {
    ([(header::CONTENT_TYPE, ATOM)], feed.to_string()).into_response()
}
