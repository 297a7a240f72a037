//! `/about`: how kort maps uncertainty and sources, its corrections policy
//! and where to write, for readers who want to know what they can trust.

use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title};

use crate::components::site::{ContactLink, SiteFooter, SiteHeader, SkipLinks};
use crate::i18n::{self, Lang};
use crate::model::Site;

/// The About page.
#[component]
pub fn AboutPage() -> impl IntoView {
    let lang = i18n::provide_page_lang();
    let texts = lang.texts();
    let sections = sections(lang)
        .iter()
        .map(|(id, heading, paragraphs)| {
            view! {
                <section id=*id aria-labelledby=format!("{id}-heading")>
                    <h2 id=format!("{id}-heading")>{*heading}</h2>
                    {paragraphs.iter().map(|text| view! { <p>{*text}</p> }).collect_view()}
                </section>
            }
        })
        .collect_view();
    let contact = match use_context::<Site>().and_then(|site| site.contact) {
        Some(href) => view! { <p><ContactLink href /></p> }.into_any(),
        None => view! { <p>{texts.no_contact}</p> }.into_any(),
    };
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir().name() />
        <Title text=texts.about />
        <Meta name="description" content=texts.about_lead />
        <SkipLinks targets=vec![("#main", texts.skip_to_content)] />
        <SiteHeader in_language=Callback::new(|lang: Lang| format!("/about?lang={}", lang.tag())) />
        <main class="about" id="main" tabindex="-1">
            <h1>{texts.about}</h1>
            <p class="tagline">{texts.about_lead}</p>
            {sections}
            <section id="contact" aria-labelledby="contact-heading">
                <h2 id="contact-heading">{texts.contact}</h2>
                {contact}
            </section>
            <p><a href=format!("/?lang={}", lang.tag())>{texts.all_stories}</a></p>
        </main>
        <SiteFooter />
    }
}

/// A section of the About page: its id (the corrections policy's is
/// `corrections`, which the footer links), heading and paragraphs.
type Section = (&'static str, &'static str, &'static [&'static str]);

/// The About page's sections in `lang` (the contact section follows
/// them). Only the server renders the page: the browser's bundle does not
/// carry them.
#[cfg(feature = "ssr")]
fn sections(lang: Lang) -> &'static [Section] {
    match lang {
        Lang::En => EN,
        Lang::Da => DA,
        Lang::Ar => AR,
    }
}

#[cfg(not(feature = "ssr"))]
fn sections(_: Lang) -> &'static [Section] {
    &[]
}

#[cfg(feature = "ssr")]
const EN: &[Section] = &[
    (
        "features",
        "Every place is tied to the text",
        &[
            "Each place, route and area on a story’s map is a feature tied to the passages of the article that mention it and to the sources it rests on. Click a feature to read its passages and sources; click a marked passage to find its feature on the map.",
            "The map, the article and the timeline follow one address: share it, and the reader sees the same view, layers, day and selection.",
        ],
    ),
    (
        "uncertainty",
        "Estimates are shown as estimates",
        &[
            "Where a position is not known exactly, the map says so. An estimated point has a dashed circle around it: the place may be anywhere inside it. An area whose edge is estimated has a dashed outline.",
            "The panel of each feature says whether its position is approximate and how far off it may be, and its note says how it was estimated.",
        ],
    ),
    (
        "sources",
        "Sources",
        &[
            "Every feature lists its sources, with a link where the source is public. A source with no public link says so: it may be a wire report, an interview or a document the newsroom holds.",
        ],
    ),
    (
        "protection",
        "Positions blurred to protect people",
        &[
            "Where an exact position could endanger the people who filmed or witnessed an event, the story gives it only to a coarser grid, and says so beside it. The exact position is never sent to readers.",
        ],
    ),
    (
        "corrections",
        "Corrections policy",
        &[
            "When a published story is corrected, the correction is told in public: at the top of the story, in the panel of the feature it concerns, on the map (a moved position shows where it stood before) and in the story’s feed of updates.",
            "Every published revision keeps its own address, so a citation always leads to what was cited.",
        ],
    ),
];

#[cfg(feature = "ssr")]
const DA: &[Section] = &[
    (
        "features",
        "Hvert sted hænger sammen med teksten",
        &[
            "Hvert sted, hver rute og hvert område på en histories kort er knyttet til de afsnit i artiklen, der nævner det, og til de kilder, det bygger på. Klik på noget på kortet for at læse afsnit og kilder; klik på en markeret tekst for at finde det på kortet.",
            "Kort, artikel og tidslinje følger én adresse: del den, og læseren ser det samme udsnit, de samme lag, den samme dag og det samme valg.",
        ],
    ),
    (
        "uncertainty",
        "Skøn vises som skøn",
        &[
            "Hvor en position ikke kendes præcist, siger kortet det. Et anslået punkt har en stiplet cirkel om sig: stedet kan ligge hvor som helst inden for den. Et område med anslået grænse har en stiplet kant.",
            "Panelet for hvert sted fortæller, om positionen er omtrentlig, og hvor langt den kan være fra den rigtige, og noten siger, hvordan den er anslået.",
        ],
    ),
    (
        "sources",
        "Kilder",
        &[
            "Alt på kortet har sine kilder, med et link hvor kilden er offentlig. En kilde uden offentligt link siger det: det kan være et telegram, et interview eller et dokument, som redaktionen har.",
        ],
    ),
    (
        "protection",
        "Positioner sløret for at beskytte mennesker",
        &[
            "Hvor en præcis position kan bringe dem, der filmede eller så en begivenhed, i fare, angiver historien den kun på et grovere gitter og siger det ved siden af. Den præcise position sendes aldrig til læserne.",
        ],
    ),
    (
        "corrections",
        "Rettelser",
        &[
            "Når en offentliggjort historie rettes, siges det offentligt: øverst i historien, i panelet for det, rettelsen gælder, på kortet (en flyttet position viser, hvor den stod før) og i historiens feed med opdateringer.",
            "Hver offentliggjort udgave beholder sin egen adresse, så en henvisning altid fører til det, der blev henvist til.",
        ],
    ),
];

#[cfg(feature = "ssr")]
const AR: &[Section] = &[
    (
        "features",
        "كل مكان مرتبط بالنص",
        &[
            "كل مكان وطريق ومنطقة على خريطة القصة مرتبط بفقرات المقال التي تذكره وبالمصادر التي يستند إليها. انقر على عنصر لقراءة فقراته ومصادره، وانقر على فقرة مميَّزة للعثور على عنصرها على الخريطة.",
            "الخريطة والمقال والخط الزمني تتبع عنواناً واحداً: شاركه، فيرى القارئ العرض نفسه والطبقات نفسها واليوم نفسه والاختيار نفسه.",
        ],
    ),
    (
        "uncertainty",
        "التقديرات تُعرض على أنها تقديرات",
        &[
            "حيث لا يُعرف موقع بدقة، تقول الخريطة ذلك. للنقطة التقديرية دائرة متقطعة حولها: قد يكون المكان في أي موضع داخلها. وللمنطقة ذات الحدود التقديرية حدود متقطعة.",
            "تذكر لوحة كل عنصر ما إذا كان موقعه تقريبياً والمدى الذي قد يبعده، وتقول ملاحظته كيف قُدِّر.",
        ],
    ),
    (
        "sources",
        "المصادر",
        &[
            "يذكر كل عنصر مصادره، مع رابط حيث يكون المصدر علنياً. والمصدر الذي لا رابط علنياً له يقول ذلك: قد يكون خبراً من وكالة أو مقابلة أو وثيقة لدى غرفة الأخبار.",
        ],
    ),
    (
        "protection",
        "مواقع مموَّهة لحماية الناس",
        &[
            "حيث قد يعرّض موقع دقيق من صوّروا حدثاً أو شهدوه للخطر، تذكره القصة على شبكة أخشن فقط، وتقول ذلك بجانبه. ولا يُرسل الموقع الدقيق إلى القراء أبداً.",
        ],
    ),
    (
        "corrections",
        "سياسة التصحيحات",
        &[
            "حين تُصحَّح قصة منشورة، يُعلن التصحيح: في أعلى القصة، وفي لوحة العنصر المعني، وعلى الخريطة (يُظهر الموقع المنقول أين كان من قبل)، وفي موجز تحديثات القصة.",
            "تحتفظ كل نسخة منشورة بعنوانها الخاص، فيقود الاستشهاد دائماً إلى ما استُشهد به.",
        ],
    ),
];
