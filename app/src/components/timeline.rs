//! The timeline under the map: every dated feature as a mark on a time
//! axis, the article's publication marked ("what the article knew"), later
//! developments set apart. Stepping through it (links, so it works without
//! JavaScript), playing it, or dragging its date filters the map to what
//! had happened by then; the time is part of the URL (`?at=`, `?range=`).

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::date::{DateSpec, Day, TimeFilter};
use crate::i18n::{self, Lang};
use crate::model::StoryPage;
use crate::routes::story::UrlState;

/// How long each event is shown while the timeline plays: long enough to
/// read its title and see where it is.
const PLAY_STEP: std::time::Duration = std::time::Duration::from_millis(3500);

/// The narrowest span the axis zooms to, in days: six hours.
const MIN_SPAN: f64 = 0.25;

/// A dated feature on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub date_text: String,
    pub date: DateSpec,
    pub color: String,
    /// After the article was published.
    pub later: bool,
}

impl Event {
    fn start(&self) -> f64 {
        day_number(self.date.start)
    }

    /// The end of the last day covered.
    fn end(&self) -> f64 {
        day_number(self.date.end) + 1.0
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "days since 1970 are far below 2^52"
)]
fn day_number(day: Day) -> f64 {
    day.ordinal() as f64
}

#[expect(
    clippy::cast_possible_truncation,
    reason = "floored day numbers within the axis' few decades"
)]
fn day_at(number: f64) -> Day {
    Day::from_ordinal(number.floor() as i64)
}

/// The story's dated features in the order they happened.
pub fn events(page: &StoryPage) -> Vec<Event> {
    let mut events: Vec<Event> = page
        .layers
        .iter()
        .flat_map(|layer| {
            layer.features.iter().filter_map(|feature| {
                let text = feature.date.clone()?;
                let date = DateSpec::parse(&text).ok()?;
                Some(Event {
                    id: feature.id.clone(),
                    title: feature.title.clone(),
                    later: crate::date::after_publication(&page.summary.published, Some(&text)),
                    date_text: text,
                    date,
                    color: layer.style.color.clone(),
                })
            })
        })
        .collect();
    events
        .sort_by(|a, b| (a.date.start, a.date.end, &a.id).cmp(&(b.date.start, b.date.end, &b.id)));
    events
}

/// The span the axis opens on, in day numbers: the events of the year
/// before publication and everything after it. Older events (the 2014
/// capture, for the seed story) are a click on the axis' edge away.
pub fn opening_window(events: &[Event], published: Option<Day>) -> (f64, f64) {
    let Some(last) = events.iter().map(Event::end).reduce(f64::max) else {
        return (0.0, 1.0);
    };
    let cutoff = published.map_or(f64::MIN, |day| day_number(day) - 365.0);
    let first = events
        .iter()
        .map(Event::start)
        .filter(|start| *start >= cutoff)
        .reduce(f64::min)
        .unwrap_or_else(|| events.iter().map(Event::start).fold(last, f64::min));
    pad(first, last)
}

/// Every event in view, with a margin.
fn whole(events: &[Event]) -> (f64, f64) {
    let first = events.iter().map(Event::start).fold(f64::MAX, f64::min);
    let last = events.iter().map(Event::end).fold(f64::MIN, f64::max);
    pad(first, last)
}

/// The span from `first` to `last` with a margin, a week at least: dates
/// are days, and a story of one dated event is still shown in days.
fn pad(first: f64, last: f64) -> (f64, f64) {
    let span = last - first;
    let margin = (span * 0.06).max((WEEK - span) / 2.0).max(0.5);
    (first - margin, last + margin)
}

/// The least span the timeline opens on, in days.
const WEEK: f64 = 7.0;

/// Ticks for a span of days: (day number, label).
pub fn ticks(window: (f64, f64), lang: Lang) -> Vec<(f64, String)> {
    let (from, to) = window;
    let span = to - from;
    let words = &lang.texts().date;
    let short = |month: u8| {
        let name = words.months[usize::from(month.clamp(1, 12)) - 1];
        let letters = if words.abbreviate { 3 } else { usize::MAX };
        name.chars().take(letters).collect::<String>()
    };
    let mut out = Vec::new();
    if span > 3.0 * 365.0 {
        let years = (day_at(from).year..=day_at(to).year).collect::<Vec<_>>();
        let every = years.len().div_ceil(8).max(1);
        for year in years.into_iter().step_by(every) {
            let day = Day {
                year,
                month: 1,
                day: 1,
            };
            out.push((day_number(day), year.to_string()));
        }
    } else if span > 75.0 {
        let (mut year, mut month) = (day_at(from).year, day_at(from).month);
        let every: u8 = if span > 700.0 {
            3
        } else if span > 300.0 {
            2
        } else {
            1
        };
        while day_number(Day {
            year,
            month,
            day: 1,
        }) <= to
        {
            out.push((
                day_number(Day {
                    year,
                    month,
                    day: 1,
                }),
                format!("{} {year}", short(month)),
            ));
            month += every;
            while month > 12 {
                month -= 12;
                year += 1;
            }
        }
    } else {
        // The month is named where it changes (and at the first tick
        // shown): "26 Aug, 29, 1 Sep, 4". Whole month names (Arabic's)
        // take more room: fewer ticks.
        let per_axis = if words.abbreviate { 8.0 } else { 6.0 };
        let every = (span / per_axis).ceil().max(1.0);
        let mut at = from.ceil();
        let mut month = None;
        while at <= to {
            let day = day_at(at);
            let mark = words.day_mark;
            let label = if at >= from && month != Some(day.month) {
                month = Some(day.month);
                format!("{}{mark} {}", day.day, short(day.month))
            } else {
                format!("{}{mark}", day.day)
            };
            out.push((at, label));
            at += every;
        }
    }
    out.retain(|(at, _)| *at >= from && *at <= to);
    out.into_iter()
        .map(|(at, label)| (at, lang.digits(&label)))
        .collect()
}

/// Stacks the events in rows so that no two marks overlap: (event, row).
fn rows(events: &[&Event], window: (f64, f64)) -> Vec<usize> {
    let span = window.1 - window.0;
    // Marks are drawn at least this wide, as a fraction of the axis.
    let least = 0.018;
    let mut ends: Vec<f64> = Vec::new();
    events
        .iter()
        .map(|event| {
            let start = (event.start() - window.0) / span;
            let end = ((event.end() - window.0) / span).max(start + least);
            let row = ends
                .iter()
                .position(|taken| *taken + 0.004 < start)
                .unwrap_or(ends.len());
            if row == ends.len() {
                ends.push(end);
            } else {
                ends[row] = end;
            }
            row
        })
        .collect()
}

fn percent(at: f64, window: (f64, f64)) -> f64 {
    ((at - window.0) / (window.1 - window.0) * 100.0).clamp(0.0, 100.0)
}

/// Which event a reader is at: the selected one, else the last that had
/// begun by the time shown.
fn current(events: &[Event], selected: Option<&str>, time: Option<&TimeFilter>) -> Option<usize> {
    if let Some(index) = selected.and_then(|id| events.iter().position(|e| e.id == id)) {
        return Some(index);
    }
    let last = time?.last_day();
    events.iter().rposition(|event| event.date.start <= last)
}

/// The link that steps to an event: selecting it, with the map as it was
/// when it began.
fn step_href(state: UrlState, event: &Event) -> String {
    state.feature_at(&event.id, Some(TimeFilter::At(event.date.start)))
}

/// The timeline.
#[component]
pub fn Timeline(
    /// The story whose dated features are shown.
    page: Arc<StoryPage>,
) -> impl IntoView {
    let events = Arc::new(events(&page));
    if events.is_empty() {
        return ().into_any();
    }
    let state = expect_context::<UrlState>();
    let texts = i18n::use_texts();
    let published = DateSpec::parse(&page.summary.published)
        .ok()
        .map(|d| d.start);
    let window = RwSignal::new(opening_window(&events, published));

    // The event the reader is at, and the links to its neighbours.
    let at = {
        let events = Arc::clone(&events);
        Memo::new(move |_| {
            let selected = state.selected.get();
            state
                .time
                .with(|time| current(&events, selected.as_deref(), time.as_ref()))
        })
    };
    let neighbour = |offset: isize| {
        let events = Arc::clone(&events);
        Memo::new(move |_| {
            let index = match at.get() {
                Some(index) => index.checked_add_signed(offset)?,
                None if offset > 0 => 0,
                None => return None,
            };
            events.get(index).map(|event| step_href(state, event))
        })
    };
    let (previous, next) = (neighbour(-1), neighbour(1));
    let playing = RwSignal::new(false);
    play(playing, next, state.selected);

    view! {
        <section class="timeline" aria-labelledby="timeline-title">
            <div class="tl-head">
                <h2 id="timeline-title">{texts.timeline}</h2>
                <p class="tl-status" aria-live="polite">{move || status(state.time.get())}</p>
            </div>
            <Controls previous next playing window full=whole(&events) />
            <Axis events=Arc::clone(&events) window full=whole(&events) published at />
            <Scrub window />
            <p class="tl-legend">
                <span class="tl-key tl-key-later" aria-hidden="true"></span>
                {texts.timeline_later_key}
            </p>
        </section>
    }
    .into_any()
}

/// What the map shows, in words.
fn status(time: Option<TimeFilter>) -> String {
    let lang = i18n::use_lang();
    let texts = lang.texts();
    match time {
        Some(TimeFilter::At(day)) => (texts.timeline_at)(&lang.date(&day.to_string())),
        Some(TimeFilter::Range(from, to)) => {
            (texts.timeline_range)(&lang.date(&format!("{from}/{to}")))
        }
        None => texts.timeline_all.to_owned(),
    }
}

/// Steps to the next event every [`PLAY_STEP`] while `playing`, the first
/// at once, and stops after the last, or when the reader closes the
/// panel of the event shown (on a phone the panel covers Pause).
fn play(playing: RwSignal<bool>, next: Memo<Option<String>>, selected: Memo<Option<String>>) {
    Effect::new(move |_| {
        if selected.get().is_none() && playing.get_untracked() {
            playing.set(false);
        }
    });
    let timer: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    let clear_timer = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        clear_timer();
        if !playing.get() {
            return;
        }
        let step = move || match next.get_untracked() {
            Some(href) => crate::nav::go(&href, false),
            None => playing.set(false),
        };
        step();
        timer.set_value(set_interval_with_handle(step, PLAY_STEP).ok());
    });
    on_cleanup(clear_timer);
}

/// Previous, play, next, the whole story, and the axis' zoom.
#[component]
fn Controls(
    previous: Memo<Option<String>>,
    next: Memo<Option<String>>,
    playing: RwSignal<bool>,
    window: RwSignal<(f64, f64)>,
    full: (f64, f64),
) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let texts = i18n::use_texts();
    let everything = move || state.at_time(None);
    let zoom = move |factor: f64| {
        let (from, to) = window.get_untracked();
        let focus = state
            .time
            .get_untracked()
            .map(|time| day_number(time.last_day()))
            .filter(|day| *day >= from && *day <= to)
            .unwrap_or_else(|| f64::midpoint(from, to));
        let span = ((to - from) * factor).clamp(MIN_SPAN, (full.1 - full.0) * 1.5);
        let start = focus - span * ((focus - from) / (to - from));
        window.set((start, start + span));
    };
    let disabled = |link: Memo<Option<String>>| move || link.get().is_none().then_some("true");
    view! {
        <div class="tl-controls">
            <a class="tl-button" href=move || previous.get().unwrap_or_default() aria-disabled=disabled(previous)>
                {texts.timeline_previous}
            </a>
            <button
                type="button"
                class="tl-button needs-js"
                aria-pressed=move || if playing.get() { "true" } else { "false" }
                on:click=move |_| playing.update(|on| *on = !*on)
            >
                {move || if playing.get() { texts.timeline_pause } else { texts.timeline_play }}
            </button>
            <a class="tl-button" href=move || next.get().unwrap_or_default() aria-disabled=disabled(next)>
                {texts.timeline_next}
            </a>
            <a class="tl-button" href=everything aria-disabled=move || state.time.get().is_none().then_some("true")>
                {texts.timeline_everything}
            </a>
            <span class="tl-zoom">
                <button type="button" class="tl-button needs-js" on:click=move |_| zoom(0.5) aria-label=texts.timeline_zoom_in>"+"</button>
                <button type="button" class="tl-button needs-js" on:click=move |_| zoom(2.0) aria-label=texts.timeline_zoom_out>"−"</button>
            </span>
        </div>
    }
}

/// The time axis: ticks, the article's day, the reader's day, and a mark
/// per event (a link that steps to it).
#[component]
fn Axis(
    events: Arc<Vec<Event>>,
    window: RwSignal<(f64, f64)>,
    full: (f64, f64),
    published: Option<Day>,
    /// The event the reader is at, named under the axis.
    at: Memo<Option<usize>>,
) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let lang = i18n::use_lang();
    let texts = lang.texts();
    move || {
        let shown = window.get();
        let in_view: Vec<&Event> = events
            .iter()
            .filter(|e| e.end() > shown.0 && e.start() < shown.1)
            .collect();
        let rows = rows(&in_view, shown);
        let count = rows.iter().max().map_or(1, |row| row + 1);
        let selected = state.selected.get();
        let marks = in_view
            .iter()
            .zip(rows)
            .map(|(event, row)| {
                let left = percent(event.start(), shown);
                let width = (percent(event.end(), shown) - left).max(1.8);
                let happened = state.shows_date(Some(&event.date_text));
                let label = format!("{}{}{}", lang.isolate(&event.title), texts.comma, lang.date(&event.date_text));
                let top = 1.2 + 1.15 * f64::from(u32::try_from(row).unwrap_or(0));
                view! {
                    <span
                        class="tl-mark"
                        class=("later", event.later)
                        class=("not-yet", !happened)
                        class=("current", selected.as_deref() == Some(event.id.as_str()))
                        title=label
                        data-event=event.id.clone()
                        style=format!("inset-inline-start: {left:.3}%; width: {width:.3}%; top: {top}rem; --mark: {}", event.color)
                    ></span>
                }
            })
            .collect_view();
        let before = events.iter().filter(|e| e.end() <= shown.0).count();
        let after = events.iter().filter(|e| e.start() >= shown.1).count();
        let ticks = ticks(shown, lang)
            .into_iter()
            .enumerate()
            .map(|(index, (at, label))| {
                let place = percent(at, shown);
                // Every other tick gives way on narrow screens; a name near
                // an end of the axis is set inward, not cut off.
                let class = match (index % 2 == 1, place) {
                    (_, ..6.0) => "tl-tick tl-tick-start",
                    (_, 94.0..) => "tl-tick tl-tick-end",
                    (true, _) => "tl-tick tl-tick-minor",
                    (false, _) => "tl-tick",
                };
                view! { <span class=class style=format!("inset-inline-start: {place:.3}%")>{label}</span> }
            })
            .collect_view();
        // Lines at the end of the day: the article knew that day's events.
        let line = |day: Day| {
            let at = day_number(day) + 1.0;
            (at > shown.0 && at < shown.1).then(|| percent(at, shown))
        };
        let style = |place: f64| format!("inset-inline-start: {place:.3}%");
        let published = published.and_then(line);
        let now = state.time.get().and_then(|time| line(time.last_day()));
        // A click on the axis goes to the event under the pointer, or the
        // nearest one in time. (The axis is for the eye and the mouse: the
        // keyboard and screen readers step with the controls, and every
        // event is in the feature list with its date.)
        let hrefs: Vec<(String, f64, f64)> = events
            .iter()
            .map(|event| (step_href(state, event), event.start(), event.end()))
            .collect();
        let ids: Vec<String> = events.iter().map(|event| event.id.clone()).collect();
        let on_click = move |click: leptos::ev::MouseEvent| {
            let target = click
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok());
            let by_mark = target
                .as_ref()
                .and_then(|element| element.get_attribute("data-event"))
                .and_then(|id| ids.iter().position(|known| *known == id));
            let by_time = || {
                let axis = click
                    .current_target()
                    .and_then(|target| target.dyn_into::<web_sys::Element>().ok())?;
                let rect = axis.get_bounding_client_rect();
                // Time runs the way the interface's language is written.
                let x = f64::from(click.client_x());
                let from_start = match lang.dir() {
                    i18n::Dir::Ltr => x - rect.left(),
                    i18n::Dir::Rtl => rect.right() - x,
                };
                let day = shown.0 + from_start / rect.width() * (shown.1 - shown.0);
                let distance = |(_, start, end): &(String, f64, f64)| {
                    if day < *start {
                        start - day
                    } else if day > *end {
                        day - end
                    } else {
                        0.0
                    }
                };
                hrefs
                    .iter()
                    .enumerate()
                    .min_by(|a, b| distance(a.1).total_cmp(&distance(b.1)))
                    .map(|(index, _)| index)
            };
            if let Some(index) = by_mark.or_else(by_time) {
                crate::nav::go(&hrefs[index].0, false);
            }
        };
        view! {
            <div class="tl-axis" style=format!("--rows: {count}") aria-hidden="true" on:click=on_click>
                {ticks}
                // Its label turns back where it would run off the axis.
                {published.map(|place| view! {
                    <span class="tl-published" class=("tl-published-end", place > 70.0) style=style(place)>
                        <span class="tl-published-label">{texts.timeline_published}</span>
                    </span>
                })}
                {now.map(|place| view! { <span class="tl-now" style=style(place)></span> })}
                {marks}
            </div>
            <div class="tl-edges">
                {(before > 0).then(|| view! {
                    <button type="button" class="tl-edge" on:click=move |_| window.set(full)>
                        {(texts.timeline_earlier)(before)}
                    </button>
                })}
                // The marks' names are on hover and in the panel; the one
                // the reader is at is named here, in words a touch screen
                // shows too (the axis is hidden from screen readers: the
                // panel and the status say it).
                {
                    let (text, style, later) = match at.get().and_then(|index| events.get(index)) {
                        Some(event) => (
                            format!("{}{}{}", lang.isolate(&event.title), texts.comma, lang.date(&event.date_text)),
                            format!("--mark: {}", event.color),
                            event.later,
                        ),
                        None => (texts.timeline_tap_a_mark.to_owned(), String::new(), false),
                    };
                    let hint = style.is_empty();
                    view! {
                        <p class="tl-current" class=("tl-current-hint", hint) class=("later", later) style=style aria-hidden="true">{text}</p>
                    }
                }
                {(after > 0).then(|| view! {
                    <button type="button" class="tl-edge tl-edge-after" on:click=move |_| window.set(full)>
                        {(texts.timeline_later)(after)}
                    </button>
                })}
            </div>
        }
    }
}

/// A slider over the axis' days: dragging it sets the day the map shows.
#[component]
fn Scrub(window: RwSignal<(f64, f64)>) -> impl IntoView {
    let state = expect_context::<UrlState>();
    let lang = i18n::use_lang();
    let texts = lang.texts();
    let shown_day = move || state.time.get().map(|time| time.last_day());
    let scrub = move |number: f64| {
        if !number.is_finite() {
            return;
        }
        let time = Some(TimeFilter::At(day_at(number)));
        let url = untrack(|| state.at_time(time));
        crate::nav::go(&url, true);
    };
    view! {
        <label class="tl-scrub needs-js">
            <span class="visually-hidden">{texts.timeline_date}</span>
            <input
                type="range"
                min=move || window.get().0.ceil()
                max=move || window.get().1.floor()
                step="1"
                prop:value=move || shown_day().map_or(window.get().1.floor(), day_number)
                aria-valuetext=move || {
                    shown_day()
                        .map_or_else(|| texts.timeline_all.to_owned(), |day| lang.date(&day.to_string()))
                }
                on:input=move |event| scrub(event_target::<web_sys::HtmlInputElement>(&event).value_as_number())
            />
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, date: &str) -> Event {
        Event {
            id: id.into(),
            title: id.into(),
            date_text: date.into(),
            date: DateSpec::parse(date).expect("date"),
            color: "#000000".into(),
            later: false,
        }
    }

    #[test]
    fn the_axis_opens_on_the_year_before_publication_and_after() {
        let events = [
            event("capture", "2014-08-02/2014-08-07"),
            event("leave", "2017-08-28"),
            event("mayadin", "2017-09-13/2017-09-14~"),
        ];
        let published = Day::parse_iso("2017-08-30");
        let (from, to) = opening_window(&events, published);
        assert!(from > day_number(Day::parse_iso("2017-08-20").expect("day")));
        assert!(from < events[1].start());
        assert!(to > events[2].end());
        let (all_from, _) = whole(&events);
        assert!(all_from < events[0].start());
    }

    #[test]
    fn a_story_of_one_dated_event_opens_on_a_week_of_days() {
        let events = [event("strike", "2017-08-30")];
        let window = opening_window(&events, Day::parse_iso("2017-08-30"));
        assert!(window.1 - window.0 >= 7.0, "{window:?}");
        let labels: Vec<String> = ticks(window, Lang::En).into_iter().map(|t| t.1).collect();
        assert!(
            labels.iter().all(|label| !label.contains(':')),
            "{labels:?}"
        );
        assert!(labels.contains(&"30".to_owned()), "{labels:?}");
    }

    #[test]
    fn ticks_go_from_years_to_days() {
        let day = |text| day_number(Day::parse_iso(text).expect("day"));
        let years = ticks((day("2014-01-01"), day("2018-01-01")), Lang::En);
        assert_eq!(years.first().map(|t| t.1.as_str()), Some("2014"));
        let months = ticks((day("2017-06-01"), day("2017-10-15")), Lang::Da);
        assert!(months.iter().any(|t| t.1 == "aug 2017"), "{months:?}");
        let days = ticks((day("2017-08-27"), day("2017-09-03")), Lang::Da);
        let labels: Vec<&str> = days.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(
            labels,
            ["27. aug", "28.", "29.", "30.", "31.", "1. sep", "2.", "3."]
        );
        // Arabic names whole months, in Arabic-Indic digits.
        let days = ticks((day("2017-08-26"), day("2017-09-16")), Lang::Ar);
        assert_eq!(days.first().map(|t| t.1.as_str()), Some("٢٦ أغسطس"));
        assert!(days.iter().any(|t| t.1 == "٣ سبتمبر"), "{days:?}");
        assert_eq!(days.len(), 6, "fewer ticks for whole month names");
        // Dates are days: however far in, the ticks are days.
        let close = ticks((day("2017-08-30"), day("2017-08-30") + 1.0), Lang::En);
        assert_eq!(
            close.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["30 Aug", "31"]
        );
    }

    #[test]
    fn overlapping_marks_go_to_separate_rows() {
        let events = [
            event("a", "2017-08-28/2017-08-29"),
            event("b", "2017-08-28"),
            event("c", "2017-09-03"),
        ];
        let refs: Vec<&Event> = events.iter().collect();
        let window = (events[0].start() - 1.0, events[2].end() + 1.0);
        assert_eq!(rows(&refs, window), [0, 1, 0]);
    }

    #[test]
    fn the_reader_is_at_the_selected_event_or_the_last_one_begun() {
        let events = [
            event("a", "2017-08-28"),
            event("b", "2017-08-30"),
            event("c", "2017-09-03"),
        ];
        assert_eq!(current(&events, Some("c"), None), Some(2));
        let at = TimeFilter::At(Day::parse_iso("2017-08-31").expect("day"));
        assert_eq!(current(&events, None, Some(&at)), Some(1));
        assert_eq!(current(&events, None, None), None);
    }
}
