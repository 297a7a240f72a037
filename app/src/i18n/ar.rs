//! The interface in Arabic (Modern Standard Arabic, as Arab newsrooms
//! write it). Months, digits and separators are CLDR's for `ar` (its
//! default numbering system is Arabic-Indic). Names from the story are
//! isolated where they run left to right ([`isolate`]).

use super::{Dir, Lang, Numbers, Texts, isolate};
use crate::date::DateWords;

/// A name from the story, inside an Arabic sentence.
fn iso(text: &str) -> std::borrow::Cow<'_, str> {
    isolate(text, Dir::Rtl)
}

/// A count in Arabic-Indic digits.
fn n(count: usize) -> String {
    Lang::Ar.count(count)
}

pub static TEXTS: Texts = Texts {
    date: DateWords {
        months: [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ],
        about: "نحو",
        day_mark: "",
        abbreviate: false,
    },
    numbers: Numbers {
        digits: ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'],
        group: '٬',
        decimal: '٫',
        metres: "م",
        kilometres: "كم",
    },

    tagline: "أخبار تُروى نصاً إلى جانب خريطة.",
    stories: "القصص",
    no_stories: "لا توجد قصص بعد.",
    all_stories: "كل القصص",
    skip_to_article: "انتقل إلى المقال",
    skip_to_map: "انتقل إلى الخريطة",
    skip_to_content: "انتقل إلى المحتوى",
    language: "اللغة",
    read_in: "اقرأ بـ",

    about: "عن kort",
    about_lead: "كيف يعرض kort عدم اليقين والمصادر",
    corrections_policy: "سياسة التصحيحات",
    contact: "اتصل بنا",
    no_contact: "لم ينشر هذا الموقع عنوان اتصال؛ راسل غرفة الأخبار المذكورة في القصة.",
    map_data: "بيانات الخريطة",

    not_found: "غير موجود",
    no_page: "لا توجد صفحة على هذا العنوان.",
    unavailable: |slug| {
        format!(
            "القصة «{}» غير متاحة: في ملفاتها أخطاء أُبلغ بها المحررون.",
            iso(slug)
        )
    },
    no_such_story: |slug| format!("لا توجد قصة «{}».", iso(slug)),
    no_feature: |story, feature| {
        format!("لا يوجد في القصة «{}» عنصر «{}».", iso(story), iso(feature))
    },
    removed_feature: |title, date| format!("حُذف «{}» من هذه القصة في {date}.", iso(title)),
    as_it_was: "اطّلع عليه كما كان",
    revision_notice: |date| format!("هذه نسخة {date}."),
    read_latest: "اقرأ أحدث نسخة",
    corrections: "التصحيحات والتحديثات",
    change_kinds: ["تصحيح", "تحديث", "توضيح"],
    has_corrections: "صُحّحت هذه القصة أو حُدّثت منذ نشرها.",
    version_before: "اقرأ النسخة السابقة",
    changed_on: |kind, date| format!("{kind}، {date}:"),
    back_to: |story| format!("العودة إلى «{}»", iso(story)),

    translated_by: |from, translator| format!("ترجمة عن {from}: {}", iso(translator)),
    read_original: |language| format!("اقرأ النص الأصلي ({language})"),
    read_translation: |language| format!("اقرأ الترجمة ({language})"),
    language_name: |tag| {
        match tag {
            "da" => "الدنماركية",
            "en" => "الإنجليزية",
            "ar" => "العربية",
            other => other,
        }
        .to_owned()
    },
    download: "نزّل بيانات الخريطة",
    download_geojson: " — كل الطبقات، مع التواريخ ومدى عدم اليقين والمقاطع والمصادر",
    download_kml: " — لبرنامج Google Earth وغيره من برامج الكرة الأرضية",
    share: "شارك هذا العرض",
    shared: "تمت المشاركة.",
    copied: "نُسخ الرابط إلى الحافظة.",
    copy_this: |url| format!("انسخ هذا الرابط لمشاركته: {}", iso(url)),
    read_on_kort: " — اقرأ القصة على kort",
    preview_notice: "معاينة المسودة كما سيراها القراء بعد نشرها. لا يرى هذه الصفحة إلا مكتب التحرير.",
    back_to_desk: "العودة إلى مكتب التحرير",
    also_about: |feature| format!("عن هذا أيضاً: {}", iso(feature)),

    map_label: |story| format!("خريطة قصة «{}»", iso(story)),
    map_loading: "جارٍ تحميل الخريطة…",
    map_needs_js: "لا يمكن تحريك الخريطة أو النقر عليها من دون JavaScript. كل عناصرها مدرجة أيضاً بجانب المقال.",
    map_help: "تُحرَّك الخريطة بمفاتيح الأسهم، وتُكبَّر وتُصغَّر بـ + و −. يصل مفتاح Tab إلى كل عنصر؛ ويختاره Enter، ويلغي Escape الاختيار.",
    wheel_hint: "كبّر الخريطة بالضغط على Ctrl مع التمرير (⌘ مع التمرير على Mac)، أو بإصبعين",
    touch_hint: "حرّك الخريطة بإصبعين",
    zoom_in: "تكبير",
    zoom_out: "تصغير",
    selected_announcement: |feature| format!("تم اختيار: {}", iso(feature)),
    cluster_label: |count| {
        format!(
            "أحداث هنا: {}. انقر للتكبير",
            Lang::Ar.digits(&count.to_string())
        )
    },
    cleared_announcement: "أُلغي الاختيار",

    layers_and_legend: "الطبقات ومفتاح الخريطة",
    show_on_map: "اعرض على الخريطة",
    show_checked: "اعرض الطبقات المحدّدة",
    symbols: "الرموز",
    legend_chevrons: "أسهم على طول الخط: اتجاه السير",
    legend_stop: "خط عرضي على خط منقّط: حيث أُوقف الطريق المخطط له",
    legend_halo: "دائرة متقطعة حول نقطة: المدى الذي قد يبعده الموقع التقديري",
    legend_edge: "حدود متقطعة: منطقة حدودها تقديرية",

    on_the_map: "على الخريطة",
    hidden_on_map: " (مخفي على الخريطة)",
    layer_mentioned: |listed, total| {
        format!("يذكر المقال {listed} من أصل {total}؛ وتعرضها الخريطة كلها.")
    },
    browse_all: |total| format!("تصفّح الكل ({total})"),
    page_of: |page, pages| format!("الصفحة {} من {}", n(page), n(pages)),
    previous_page: "الصفحة السابقة",
    next_page: "الصفحة التالية",
    kind_place: "مكان",
    kind_route: "طريق",
    kind_area: "منطقة",
    kind_shapes: "أشكال",
    approximate: |uncertainty| format!("تقريبي، {uncertainty}"),
    remote_fetched: |host, date, time| {
        format!(
            "جُلب من {}. آخر تحديث {date} الساعة {} بالتوقيت العالمي.",
            iso(host),
            Lang::Ar.digits(time)
        )
    },
    remote_pending: |host| format!("يُجلب من {}. لم يُجلب بعد.", iso(host)),
    after_the_article: "بعد المقال",
    not_yet: "لم يحدث بعد",

    timeline: "الخط الزمني",
    timeline_at: |date| format!("تعرض الخريطة ما حدث حتى {date}."),
    timeline_range: |dates| format!("تعرض الخريطة ما حدث في الفترة {dates}."),
    timeline_all: "تعرض الخريطة القصة كاملة.",
    timeline_published: "المقال",
    // The timeline runs right to left: what is earlier lies to the right.
    timeline_earlier: |count| format!("▸ {} أقدم", n(count)),
    timeline_later: |count| format!("{} أحدث ◂", n(count)),
    timeline_previous: "▸ السابق",
    timeline_next: "التالي ◂",
    timeline_play: "▶ تشغيل",
    timeline_pause: "❚❚ إيقاف مؤقت",
    timeline_everything: "اعرض القصة كاملة",
    timeline_zoom_in: "كبّر الخط الزمني",
    timeline_zoom_out: "صغّر الخط الزمني",
    timeline_date: "التاريخ",
    timeline_later_key: "علامة مجوّفة: حدث بعد نشر المقال",
    timeline_tap_a_mark: "انقر على علامة لترى ما حدث",

    panel_label: "العنصر المختار",
    layer_hidden: "طبقته مخفية على الخريطة.",
    show_layer: "اعرضها",
    close_panel: "أغلق اللوحة",
    approximate_position: |uncertainty| format!("موقع تقريبي، {uncertainty}"),
    protected_position: |grid| format!("الموقع معطى بدقة {grid} فقط لحماية من صوّروه أو شهدوه"),
    separator: " – ",
    comma: "، ",
    quotes: ["«", "»"],
    in_the_article: "في المقال",
    sources: "المصادر",
    all_sources: "كل مصادر القصة",
    open_source: "افتح المصدر",
    new_tab: " (يُفتح في علامة تبويب جديدة)",
    wire_report: "تقرير وكالة أنباء",
    social_media_post: "منشور على وسائل التواصل الاجتماعي",
    official_statement: "بيان رسمي",
    monitoring_group: "جهة رصد",
    other_press: "صحافة أخرى",
    gazetteer: "معجم جغرافي",
    other_source: "مصدر آخر",
    no_public_link: "لا يوجد رابط عام",
    archived_copy: "نسخة مؤرشفة",
    archived_on: |date| format!("أُنشئت في {date}"),
    file_hash: "بصمة SHA-256 للملف:",
    photo: "صورة",
    video: "فيديو",
    satellite_image: "صورة من الأقمار الصناعية",
    credit: |who| format!("الحقوق: {}", iso(who)),
    show_media: |warning| format!("تحذير: {}. اعرضها", iso(warning)),
    posted_by: |what, who| format!("{what} نشره {}", iso(who)),
    geolocated_by: |who, how| format!("حدّد موقعه {} {how}", iso(who)),
    methods: [
        "بمطابقة المعالم مع صور الأقمار الصناعية",
        "بقياس الظلال",
        "من بيان رسمي",
        "من اسم مكان في معجم جغرافي",
        "بالتقدير من التقارير",
    ],
    provenance: "كيف عُرف الموقع",
    evidence: |n| format!("الدليل {}", Lang::Ar.count(n)),

    map_of_feature: |feature, story| format!("خريطة {} لقصة «{}»", iso(feature), iso(story)),
    map_of_story: |story| format!("خريطة قصة «{}»", iso(story)),
};
