//! The interface in English.

use super::{Dir, Numbers, Texts, isolate};
use crate::date::DateWords;

/// A name from the story, inside a sentence written left to right.
fn iso(text: &str) -> std::borrow::Cow<'_, str> {
    isolate(text, Dir::Ltr)
}

pub static TEXTS: Texts = Texts {
    date: DateWords {
        months: [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        about: "about",
        day_mark: "",
        abbreviate: true,
    },
    numbers: Numbers {
        digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        group: ',',
        decimal: '.',
        metres: "m",
        kilometres: "km",
    },

    tagline: "News stories told as text beside a map.",
    stories: "Stories",
    no_stories: "No stories yet.",
    all_stories: "All stories",
    skip_to_article: "Skip to the article",
    skip_to_map: "Skip to the map",
    skip_to_content: "Skip to the content",
    language: "Language",
    read_in: "Read in",

    about: "About kort",
    about_lead: "How kort maps uncertainty and sources",
    corrections_policy: "Corrections policy",
    contact: "Contact",
    no_contact: "This site has not published a contact address; write to the newsroom named in the story.",
    map_data: "Map data",

    not_found: "Not found",
    no_page: "There is no page at this address.",
    unavailable: |slug| {
        format!(
            "The story “{}” is unavailable: its files have problems the editors have been told about.",
            iso(slug)
        )
    },
    no_such_story: |slug| format!("There is no story “{}”.", iso(slug)),
    no_feature: |story, feature| {
        format!(
            "The story “{}” has no feature “{}”.",
            iso(story),
            iso(feature)
        )
    },
    removed_feature: |title, date| {
        format!("“{}” was removed from this story on {date}.", iso(title))
    },
    as_it_was: "See it as it was",
    revision_notice: |date| format!("This is the version of {date}."),
    read_latest: "Read the latest",
    corrections: "Corrections and updates",
    change_kinds: ["Correction", "Update", "Clarification"],
    has_corrections: "This story has been corrected or updated since it was published.",
    version_before: "Read the version before",
    changed_on: |kind, date| format!("{kind}, {date}:"),
    back_to: |story| format!("Back to “{}”", iso(story)),

    translated_by: |from, translator| format!("Translated from {from} by {}", iso(translator)),
    read_original: |language| format!("Read the original ({language})"),
    read_translation: |language| format!("Read the translation ({language})"),
    language_name: |tag| {
        match tag {
            "da" => "Danish",
            "en" => "English",
            "ar" => "Arabic",
            other => other,
        }
        .to_owned()
    },
    download: "Download the map data",
    download_geojson: " — every layer, with dates, uncertainty, passages and sources",
    download_kml: " — for Google Earth and other globes",
    share: "Share this view",
    shared: "Shared.",
    copied: "Link copied to the clipboard.",
    copy_this: |url| format!("Copy this link to share it: {}", iso(url)),
    read_on_kort: " — read the story on kort",
    preview_notice: "Preview of the draft, as readers will see it once it is published. Only the desk sees this page.",
    back_to_desk: "Back to the desk",
    also_about: |feature| format!("Also about: {}", iso(feature)),

    map_label: |story| format!("Map of the story “{}”", iso(story)),
    map_loading: "Loading the map…",
    map_needs_js: "Without JavaScript the map cannot be moved or clicked. Every feature is also listed beside the article.",
    map_help: "Arrow keys pan the map, + and − zoom. Tab reaches each feature; Enter selects it, Escape clears the selection.",
    wheel_hint: "Zoom the map with Ctrl + scroll (⌘ + scroll on a Mac), or two fingers",
    touch_hint: "Move the map with two fingers",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    selected_announcement: |feature| format!("Selected: {}", iso(feature)),
    cluster_label: |count| format!("{count} events here: click to zoom in"),
    cleared_announcement: "Selection cleared",

    layers_and_legend: "Layers and legend",
    show_on_map: "Show on the map",
    show_checked: "Show the checked layers",
    symbols: "Symbols",
    legend_chevrons: "Chevrons along a line: the direction it was driven",
    legend_stop: "Bar across a dotted line: where the planned route was stopped",
    legend_halo: "Dashed circle around a point: how far off an estimated position may be",
    legend_edge: "Dashed outline: an area whose edge is estimated",

    on_the_map: "On the map",
    hidden_on_map: " (hidden on the map)",
    layer_mentioned: |listed, total| {
        format!("The article mentions {listed} of these {total}; the map shows them all.")
    },
    browse_all: |total| format!("Browse all {total}"),
    page_of: |page, pages| format!("Page {page} of {pages}"),
    previous_page: "Previous page",
    next_page: "Next page",
    kind_place: "place",
    kind_route: "route",
    kind_area: "area",
    kind_shapes: "shapes",
    approximate: |uncertainty| format!("approximate, {uncertainty}"),
    remote_fetched: |host, date, time| {
        format!(
            "Fetched from {}. Last updated {date} at {time} UTC.",
            iso(host)
        )
    },
    remote_pending: |host| format!("Fetched from {}. Not fetched yet.", iso(host)),
    after_the_article: "after the article",
    not_yet: "not yet happened",

    timeline: "Timeline",
    timeline_at: |date| format!("The map shows what had happened by {date}."),
    timeline_range: |dates| format!("The map shows what happened {dates}."),
    timeline_all: "The map shows the whole story.",
    timeline_published: "The article",
    timeline_earlier: |count| format!("◂ {count} earlier"),
    timeline_later: |count| format!("{count} later ▸"),
    timeline_previous: "◂ Previous",
    timeline_next: "Next ▸",
    timeline_play: "▶ Play",
    timeline_pause: "❚❚ Pause",
    timeline_everything: "Show the whole story",
    timeline_zoom_in: "Zoom in on the timeline",
    timeline_zoom_out: "Zoom out on the timeline",
    timeline_date: "Date",
    timeline_later_key: "Hollow mark: happened after the article was published",
    timeline_tap_a_mark: "Tap or click a mark to see what happened",

    panel_label: "Selected feature",
    layer_hidden: "Its layer is hidden on the map.",
    show_layer: "Show it",
    close_panel: "Close the panel",
    approximate_position: |uncertainty| format!("Approximate position, {uncertainty}"),
    protected_position: |grid| {
        format!("Position given only to {grid} to protect the people who filmed or witnessed it")
    },
    separator: " · ",
    comma: ", ",
    quotes: ["“", "”"],
    in_the_article: "In the article",
    sources: "Sources",
    all_sources: "All sources of the story",
    open_source: "Open the source",
    new_tab: " (opens in a new tab)",
    wire_report: "Wire report",
    social_media_post: "Social media post",
    official_statement: "Official statement",
    monitoring_group: "Monitoring group",
    other_press: "Other press",
    gazetteer: "Gazetteer",
    other_source: "Other",
    no_public_link: "No public link",
    archived_copy: "Archived copy",
    archived_on: |date| format!("made {date}"),
    file_hash: "SHA-256 of the file:",
    photo: "Photo",
    video: "Video",
    satellite_image: "Satellite image",
    credit: |who| format!("Credit: {}", iso(who)),
    show_media: |warning| format!("Warning: {}. Show it", iso(warning)),
    posted_by: |what, who| format!("{what} posted by {}", iso(who)),
    geolocated_by: |who, how| format!("geolocated by {} {how}", iso(who)),
    methods: [
        "by matching landmarks to satellite imagery",
        "by measuring its shadows",
        "from an official statement",
        "from a gazetteer's place name",
        "by estimating from the reports",
    ],
    provenance: "How the position is known",
    evidence: |n| format!("Evidence {n}"),

    map_of_feature: |feature, story| {
        format!("Map of {} for the story “{}”", iso(feature), iso(story))
    },
    map_of_story: |story| format!("Map of the story “{}”", iso(story)),
};
