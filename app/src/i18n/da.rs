//! The interface in Danish.

use super::{Dir, Numbers, Texts, isolate};
use crate::date::DateWords;

/// A name from the story, inside a sentence written left to right.
fn iso(text: &str) -> std::borrow::Cow<'_, str> {
    isolate(text, Dir::Ltr)
}

pub static TEXTS: Texts = Texts {
    date: DateWords {
        months: [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
        about: "omkring",
        day_mark: ".",
        abbreviate: true,
    },
    numbers: Numbers {
        digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        group: '.',
        decimal: ',',
        metres: "m",
        kilometres: "km",
    },

    tagline: "Nyhedshistorier fortalt som tekst ved siden af et kort.",
    stories: "Historier",
    no_stories: "Ingen historier endnu.",
    all_stories: "Alle historier",
    skip_to_article: "Gå til artiklen",
    skip_to_map: "Gå til kortet",
    skip_to_content: "Gå til indholdet",
    language: "Sprog",
    read_in: "Læs på",

    about: "Om kort",
    about_lead: "Sådan viser kort usikkerhed og kilder",
    corrections_policy: "Rettelser",
    contact: "Kontakt",
    no_contact: "Siden har ikke oplyst en kontaktadresse; skriv til redaktionen, der er nævnt i historien.",
    map_data: "Kortdata",

    not_found: "Ikke fundet",
    no_page: "Der er ingen side på denne adresse.",
    unavailable: |slug| {
        format!(
            "Historien “{}” er ikke tilgængelig: dens filer har fejl, som redaktionen har fået besked om.",
            iso(slug)
        )
    },
    no_such_story: |slug| format!("Der er ingen historie “{}”.", iso(slug)),
    no_feature: |story, feature| {
        format!(
            "Historien “{}” har intet element “{}”.",
            iso(story),
            iso(feature)
        )
    },
    removed_feature: |title, date| format!("„{}“ blev fjernet fra historien {date}.", iso(title)),
    as_it_was: "Se det, som det var",
    revision_notice: |date| format!("Dette er versionen fra {date}."),
    read_latest: "Læs den nyeste",
    corrections: "Rettelser og opdateringer",
    change_kinds: ["Rettelse", "Opdatering", "Præcisering"],
    has_corrections: "Historien er rettet eller opdateret, siden den blev udgivet.",
    version_before: "Læs versionen før",
    changed_on: |kind, date| format!("{kind}, {date}:"),
    back_to: |story| format!("Tilbage til “{}”", iso(story)),

    translated_by: |from, translator| format!("Oversat fra {from} af {}", iso(translator)),
    read_original: |language| format!("Læs originalen ({language})"),
    read_translation: |language| format!("Læs oversættelsen ({language})"),
    language_name: |tag| {
        match tag {
            "da" => "dansk",
            "en" => "engelsk",
            "ar" => "arabisk",
            other => other,
        }
        .to_owned()
    },
    download: "Hent kortets data",
    download_geojson: " — alle lag, med datoer, usikkerhed, citater og kilder",
    download_kml: " — til Google Earth og andre globusser",
    share: "Del denne visning",
    shared: "Delt.",
    copied: "Linket er kopieret.",
    copy_this: |url| format!("Kopiér dette link for at dele det: {}", iso(url)),
    read_on_kort: " — læs historien på kort",
    preview_notice: "Forhåndsvisning af kladden, som læserne vil se den, når den er udgivet. Kun redaktionen ser denne side.",
    back_to_desk: "Tilbage til redaktionen",
    also_about: |feature| format!("Handler også om: {}", iso(feature)),

    map_label: |story| format!("Kort over historien “{}”", iso(story)),
    map_loading: "Henter kortet…",
    map_needs_js: "Uden JavaScript kan kortet ikke flyttes eller klikkes. Alle elementer står også i listen ved artiklen.",
    map_help: "Piletasterne flytter kortet, + og − zoomer. Tab når hvert element; Enter vælger det, Escape rydder valget.",
    wheel_hint: "Zoom på kortet med Ctrl + rulning (⌘ + rulning på en Mac) eller to fingre",
    touch_hint: "Flyt kortet med to fingre",
    zoom_in: "Zoom ind",
    zoom_out: "Zoom ud",
    selected_announcement: |feature| format!("Valgt: {}", iso(feature)),
    cluster_label: |count| format!("{count} hændelser her: klik for at zoome ind"),
    cleared_announcement: "Valget er ryddet",

    layers_and_legend: "Lag og signatur",
    show_on_map: "Vis på kortet",
    show_checked: "Vis de valgte lag",
    symbols: "Symboler",
    legend_chevrons: "Vinkler langs en linje: den retning, der blev kørt",
    legend_stop: "Streg på tværs af en prikket linje: hvor den planlagte rute blev stoppet",
    legend_halo: "Stiplet cirkel om et punkt: hvor langt en anslået position kan være fra den rigtige",
    legend_edge: "Stiplet kant: et område, hvis grænse er anslået",

    on_the_map: "På kortet",
    hidden_on_map: " (skjult på kortet)",
    layer_mentioned: |listed, total| {
        format!("Artiklen nævner {listed} af disse {total}; kortet viser dem alle.")
    },
    browse_all: |total| format!("Se alle {total}"),
    page_of: |page, pages| format!("Side {page} af {pages}"),
    previous_page: "Forrige side",
    next_page: "Næste side",
    kind_place: "sted",
    kind_route: "rute",
    kind_area: "område",
    kind_shapes: "figurer",
    approximate: |uncertainty| format!("omtrentlig, {uncertainty}"),
    remote_fetched: |host, date, time| {
        format!(
            "Hentes fra {}. Sidst opdateret {date} kl. {time} UTC.",
            iso(host)
        )
    },
    remote_pending: |host| format!("Hentes fra {}. Endnu ikke hentet.", iso(host)),
    after_the_article: "efter artiklen",
    not_yet: "ikke sket endnu",

    timeline: "Tidslinje",
    timeline_at: |date| format!("Kortet viser, hvad der var sket pr. {date}."),
    timeline_range: |dates| format!("Kortet viser, hvad der skete {dates}."),
    timeline_all: "Kortet viser hele forløbet.",
    timeline_published: "Artiklen",
    timeline_earlier: |count| format!("◂ {count} tidligere"),
    timeline_later: |count| format!("{count} senere ▸"),
    timeline_previous: "◂ Forrige",
    timeline_next: "Næste ▸",
    timeline_play: "▶ Afspil",
    timeline_pause: "❚❚ Pause",
    timeline_everything: "Vis hele forløbet",
    timeline_zoom_in: "Zoom ind på tidslinjen",
    timeline_zoom_out: "Zoom ud på tidslinjen",
    timeline_date: "Dato",
    timeline_later_key: "Hul markering: sket efter artiklen blev bragt",
    timeline_tap_a_mark: "Tryk eller klik på en markering for at se, hvad der skete",

    panel_label: "Valgt element",
    layer_hidden: "Dets lag er skjult på kortet.",
    show_layer: "Vis det",
    close_panel: "Luk panelet",
    approximate_position: |uncertainty| format!("Omtrentlig position, {uncertainty}"),
    protected_position: |grid| {
        format!("Positionen er kun angivet til {grid} for at beskytte dem, der optog eller så det")
    },
    separator: " · ",
    comma: ", ",
    quotes: ["“", "”"],
    in_the_article: "I artiklen",
    sources: "Kilder",
    all_sources: "Alle historiens kilder",
    open_source: "Åbn kilden",
    new_tab: " (åbner i en ny fane)",
    wire_report: "Nyhedsbureau",
    social_media_post: "Opslag på sociale medier",
    official_statement: "Officiel udtalelse",
    monitoring_group: "Overvågningsgruppe",
    other_press: "Anden presse",
    gazetteer: "Stednavneregister",
    other_source: "Andet",
    no_public_link: "Intet offentligt link",
    archived_copy: "Arkiveret kopi",
    archived_on: |date| format!("lavet {date}"),
    file_hash: "Filens SHA-256:",
    photo: "Foto",
    video: "Video",
    satellite_image: "Satellitbillede",
    credit: |who| format!("Kilde: {}", iso(who)),
    show_media: |warning| format!("Advarsel: {}. Vis det", iso(warning)),
    posted_by: |what, who| format!("{what} lagt ud af {}", iso(who)),
    geolocated_by: |who, how| format!("geolokaliseret af {} {how}", iso(who)),
    methods: [
        "ved at matche kendetegn med satellitbilleder",
        "ved at måle skyggerne",
        "ud fra en officiel udtalelse",
        "ud fra et stednavneregister",
        "ved et skøn ud fra rapporterne",
    ],
    provenance: "Hvordan positionen kendes",
    evidence: |n| format!("Bevis {n}"),

    map_of_feature: |feature, story| {
        format!("Kort over {} til historien “{}”", iso(feature), iso(story))
    },
    map_of_story: |story| format!("Kort over historien “{}”", iso(story)),
};
