//! The desk's words, in Danish and English.

use crate::i18n::Lang;

/// Every string the desk's pages show.
pub struct DeskTexts {
    pub desk: &'static str,
    pub sign_in_title: &'static str,
    pub name: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_in_failed: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: fn(&str, bool) -> String,
    pub stories: &'static str,
    pub story_title: &'static str,
    pub language: &'static str,
    pub state: &'static str,
    pub changed: &'static str,
    pub draft: &'static str,
    pub published: &'static str,
    pub published_with_changes: &'static str,
    pub no_stories: &'static str,
    pub new_story: &'static str,
    pub create: &'static str,
    pub needs_title: &'static str,
    pub published_on: &'static str,
    pub publisher: &'static str,
    pub summary: &'static str,
    pub view: &'static str,
    pub view_help: &'static str,
    pub west: &'static str,
    pub south: &'static str,
    pub east: &'static str,
    pub north: &'static str,
    pub article: &'static str,
    pub article_help: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub publish: &'static str,
    pub publish_help: &'static str,
    pub publish_blocked: &'static str,
    pub unpublish: &'static str,
    pub unpublish_help: &'static str,
    pub was_published: &'static str,
    pub was_unpublished: &'static str,
    pub changed_meanwhile: &'static str,
    pub problems_title: fn(usize) -> String,
    pub no_problems: &'static str,
    pub conflict: fn(&str, Option<&str>) -> String,
    pub conflict_fields: &'static str,
    pub conflict_help: &'static str,
    pub read_as_reader: &'static str,
    pub all_stories: &'static str,
    pub invalid: &'static str,
    pub last_changed: fn(&str, Option<&str>) -> String,
    pub on_disk: &'static str,
    pub layers: &'static str,
    pub layer_title: &'static str,
    pub symbol_label: &'static str,
    pub color: &'static str,
    pub add_layer: &'static str,
    /// Each symbol's name: area, route, blocked route, strike, place.
    pub symbols: [&'static str; 5],
}

impl DeskTexts {
    pub fn of(lang: Lang) -> &'static Self {
        match lang {
            Lang::Da => &DA,
            Lang::En => &EN,
        }
    }

    /// A symbol's name.
    pub fn symbol(&self, symbol: crate::model::Symbol) -> &'static str {
        use crate::model::Symbol;
        let index = match symbol {
            Symbol::Area => 0,
            Symbol::Route => 1,
            Symbol::BlockedRoute => 2,
            Symbol::Strike => 3,
            Symbol::Place => 4,
        };
        self.symbols[index]
    }

    /// A story state in words.
    pub fn state(&self, state: super::StoryState) -> &'static str {
        match state {
            super::StoryState::Draft => self.draft,
            super::StoryState::Published => self.published,
            super::StoryState::PublishedWithChanges => self.published_with_changes,
        }
    }
}

static EN: DeskTexts = DeskTexts {
    desk: "kort desk",
    sign_in_title: "Sign in to the desk",
    name: "Name",
    password: "Password",
    sign_in: "Sign in",
    sign_in_failed: "Not signed in: the name or the password is wrong, or sign-in is paused after too many tries. Try again in a few minutes.",
    sign_out: "Sign out",
    signed_in_as: |name, publisher| {
        format!(
            "Signed in as {name} ({})",
            if publisher { "publisher" } else { "editor" }
        )
    },
    stories: "Stories",
    story_title: "Title",
    language: "Language",
    state: "State",
    changed: "Last changed",
    draft: "Draft",
    published: "Published",
    published_with_changes: "Published, with unpublished changes",
    no_stories: "No stories yet.",
    new_story: "New story",
    create: "Create the draft",
    needs_title: "A story needs a title.",
    published_on: "Publication date (YYYY-MM-DD)",
    publisher: "Publisher or source line",
    summary: "Summary",
    view: "Map view",
    view_help: "The region the map opens on, in degrees (WGS 84).",
    west: "West",
    south: "South",
    east: "East",
    north: "North",
    article: "Article",
    article_help: "Paragraphs are separated by a blank line. Each opens with its id, {#like-this}; a new paragraph gets one from its first words when you save. Links to the map are kept while their quoted words still occur once.",
    save: "Save the draft",
    saved: "Saved.",
    publish: "Publish this version",
    publish_help: "Readers will see the draft as it is now.",
    publish_blocked: "Fix the problems listed above before publishing.",
    unpublish: "Take off the site",
    unpublish_help: "Readers get “not found” at the story's addresses; the draft stays here.",
    was_published: "Published: readers see this version now.",
    was_unpublished: "Taken off the site.",
    changed_meanwhile: "The draft changed since you opened it; nothing was published. Look at it again, then publish.",
    problems_title: |n| match n {
        1 => "1 problem to fix before publishing".to_owned(),
        n => format!("{n} problems to fix before publishing"),
    },
    no_problems: "No problems: the story can be published.",
    conflict: |by, at| match at {
        Some(at) => format!("Not saved: {by} saved this story at {at}, after you opened it."),
        None => format!("Not saved: the story was changed ({by}) after you opened it."),
    },
    conflict_fields: "Where your version differs from the saved one:",
    conflict_help: "Your version is in the form below. Compare it with the saved story (open it in another tab), then save: your save will replace theirs.",
    read_as_reader: "Read it as readers do",
    all_stories: "All stories",
    invalid: "That could not be saved: a field was not as expected.",
    last_changed: |by, at| match at {
        Some(at) => format!("Last changed by {by}, {at}"),
        None => format!("Last changed {by}"),
    },
    on_disk: "by hand, on disk",
    layers: "Layers",
    layer_title: "Layer title",
    symbol_label: "Symbol",
    color: "Colour",
    add_layer: "Add the layer",
    symbols: [
        "Area",
        "Route (driven)",
        "Route (planned, not driven)",
        "Strike or event",
        "Place",
    ],
};

static DA: DeskTexts = DeskTexts {
    desk: "kort-redaktion",
    sign_in_title: "Log ind på redaktionen",
    name: "Navn",
    password: "Adgangskode",
    sign_in: "Log ind",
    sign_in_failed: "Ikke logget ind: navnet eller adgangskoden er forkert, eller login er sat på pause efter for mange forsøg. Prøv igen om et par minutter.",
    sign_out: "Log ud",
    signed_in_as: |name, publisher| {
        format!(
            "Logget ind som {name} ({})",
            if publisher { "udgiver" } else { "redaktør" }
        )
    },
    stories: "Historier",
    story_title: "Titel",
    language: "Sprog",
    state: "Status",
    changed: "Senest ændret",
    draft: "Kladde",
    published: "Udgivet",
    published_with_changes: "Udgivet, med ændringer der ikke er udgivet",
    no_stories: "Ingen historier endnu.",
    new_story: "Ny historie",
    create: "Opret kladden",
    needs_title: "En historie skal have en titel.",
    published_on: "Udgivelsesdato (ÅÅÅÅ-MM-DD)",
    publisher: "Udgiver eller kildelinje",
    summary: "Resumé",
    view: "Kortudsnit",
    view_help: "Området kortet åbner på, i grader (WGS 84).",
    west: "Vest",
    south: "Syd",
    east: "Øst",
    north: "Nord",
    article: "Artikel",
    article_help: "Afsnit adskilles af en tom linje. Hvert afsnit begynder med sit id, {#sådan-her}; et nyt afsnit får et af sine første ord, når du gemmer. Links til kortet bevares, så længe de citerede ord stadig forekommer én gang.",
    save: "Gem kladden",
    saved: "Gemt.",
    publish: "Udgiv denne version",
    publish_help: "Læserne vil se kladden, som den er nu.",
    publish_blocked: "Ret problemerne ovenfor, før historien udgives.",
    unpublish: "Tag af sitet",
    unpublish_help: "Læserne får „ikke fundet“ på historiens adresser; kladden bliver her.",
    was_published: "Udgivet: læserne ser nu denne version.",
    was_unpublished: "Taget af sitet.",
    changed_meanwhile: "Kladden er ændret, siden du åbnede den; intet blev udgivet. Se den igen, og udgiv så.",
    problems_title: |n| match n {
        1 => "1 problem skal rettes før udgivelse".to_owned(),
        n => format!("{n} problemer skal rettes før udgivelse"),
    },
    no_problems: "Ingen problemer: historien kan udgives.",
    conflict: |by, at| match at {
        Some(at) => format!("Ikke gemt: {by} gemte historien {at}, efter du åbnede den."),
        None => format!("Ikke gemt: historien blev ændret ({by}), efter du åbnede den."),
    },
    conflict_fields: "Hvor din version adskiller sig fra den gemte:",
    conflict_help: "Din version står i formularen nedenfor. Sammenlign den med den gemte historie (åbn den i en anden fane), og gem så: din version erstatter den gemte.",
    read_as_reader: "Læs den som læserne",
    all_stories: "Alle historier",
    invalid: "Det kunne ikke gemmes: et felt var ikke som ventet.",
    last_changed: |by, at| match at {
        Some(at) => format!("Senest ændret af {by}, {at}"),
        None => format!("Senest ændret {by}"),
    },
    on_disk: "i hånden, på disken",
    layers: "Lag",
    layer_title: "Lagets titel",
    symbol_label: "Symbol",
    color: "Farve",
    add_layer: "Tilføj laget",
    symbols: [
        "Område",
        "Rute (kørt)",
        "Rute (planlagt, ikke kørt)",
        "Angreb eller hændelse",
        "Sted",
    ],
};
