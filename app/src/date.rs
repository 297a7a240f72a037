//! Dates as stories give them: a day, a month or a year, or a range of them
//! (`2017-08-28/2017-08-29`, as ISO 8601 writes intervals), approximate if
//! marked `~` (as the Extended Date/Time Format does: `2017-09-13~`); and
//! the reader's point or span in time ([`TimeFilter`]), from `?at=` or
//! `?range=`.

use std::fmt;

/// A calendar date with the precision it was given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
    Year,
}

/// A date or a date range, with its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpec {
    /// First day covered.
    pub start: Day,
    /// Last day covered (the same as `start` for a single day).
    pub end: Day,
    pub precision: Precision,
    /// Known only roughly ("about 13–14 September").
    pub approximate: bool,
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a date; expected YYYY-MM-DD, YYYY-MM, YYYY or a range like 2017-08-28/2017-08-29, with ~ after an approximate one"
)]
pub struct DateError(pub String);

impl DateSpec {
    /// Parses `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `start/end` of those.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let error = || DateError(text.to_owned());
        let approximate = text.contains('~');
        let text = &text.replace('~', "");
        if let Some((start, end)) = text.split_once('/') {
            let (start, start_precision) = parse_one(start).ok_or_else(error)?;
            let (end, end_precision) = parse_one(end).ok_or_else(error)?;
            let (_, end_last) = span(end, end_precision);
            if end_last < start {
                return Err(error());
            }
            let precision = coarser(start_precision, end_precision);
            return Ok(Self {
                start: span(start, start_precision).0,
                end: end_last,
                precision,
                approximate,
            });
        }
        let (day, precision) = parse_one(text).ok_or_else(error)?;
        let (start, end) = span(day, precision);
        Ok(Self {
            start,
            end,
            precision,
            approximate,
        })
    }
}

fn coarser(a: Precision, b: Precision) -> Precision {
    match (a, b) {
        (Precision::Year, _) | (_, Precision::Year) => Precision::Year,
        (Precision::Month, _) | (_, Precision::Month) => Precision::Month,
        _ => Precision::Day,
    }
}

fn parse_one(text: &str) -> Option<(Day, Precision)> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |part: &str, digits: usize| {
        (part.len() == digits && part.chars().all(|c| c.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())?
    };
    let year = i32::try_from(number(parts.first()?, 4)?).ok()?;
    match parts.len() {
        1 => Some((
            Day {
                year,
                month: 1,
                day: 1,
            },
            Precision::Year,
        )),
        2 => {
            let month = u8::try_from(number(parts[1], 2)?)
                .ok()
                .filter(|m| (1..=12).contains(m))?;
            Some((
                Day {
                    year,
                    month,
                    day: 1,
                },
                Precision::Month,
            ))
        }
        3 => {
            let month = u8::try_from(number(parts[1], 2)?)
                .ok()
                .filter(|m| (1..=12).contains(m))?;
            let day = u8::try_from(number(parts[2], 2)?).ok()?;
            (1..=days_in_month(year, month))
                .contains(&day)
                .then_some((Day { year, month, day }, Precision::Day))
        }
        _ => None,
    }
}

/// First and last day of a date given at a precision.
fn span(day: Day, precision: Precision) -> (Day, Day) {
    match precision {
        Precision::Day => (day, day),
        Precision::Month => (
            day,
            Day {
                day: days_in_month(day.year, day.month),
                ..day
            },
        ),
        Precision::Year => (
            day,
            Day {
                month: 12,
                day: 31,
                ..day
            },
        ),
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// How a language writes dates in words.
#[derive(Debug)]
pub struct DateWords {
    /// January to December.
    pub months: [&'static str; 12],
    /// Written after a day number: `""` in English ("30 August"), `"."` in
    /// Danish ("30. august").
    pub day_mark: &'static str,
    /// Written before an approximate date: "about", "omkring".
    pub about: &'static str,
    /// Whether a month is abbreviated to its first three letters where
    /// space is short ("aug"); CLDR's Arabic abbreviates none.
    pub abbreviate: bool,
}

impl DateSpec {
    /// The date in English words: "30 August 2017", "28–29 August 2017",
    /// "August 2014", "31 August – 3 September 2017".
    pub fn describe(&self) -> String {
        self.describe_in(&crate::i18n::en::TEXTS.date)
    }

    /// The date in words, as `words` writes them.
    pub fn describe_in(&self, words: &DateWords) -> String {
        let exact = self.describe_exactly(words);
        if self.approximate {
            format!("{} {exact}", words.about)
        } else {
            exact
        }
    }

    fn describe_exactly(&self, words: &DateWords) -> String {
        let month = |day: &Day| words.months[usize::from(day.month.clamp(1, 12)) - 1];
        let mark = words.day_mark;
        let (start, end) = (&self.start, &self.end);
        match self.precision {
            Precision::Year if start.year == end.year => start.year.to_string(),
            Precision::Year => format!("{}–{}", start.year, end.year),
            Precision::Month if (start.year, start.month) == (end.year, end.month) => {
                format!("{} {}", month(start), start.year)
            }
            Precision::Month if start.year == end.year => {
                format!("{}–{} {}", month(start), month(end), end.year)
            }
            Precision::Month => format!(
                "{} {} – {} {}",
                month(start),
                start.year,
                month(end),
                end.year
            ),
            Precision::Day if start == end => {
                format!("{}{mark} {} {}", start.day, month(start), start.year)
            }
            Precision::Day if (start.year, start.month) == (end.year, end.month) => {
                format!(
                    "{}{mark}–{}{mark} {} {}",
                    start.day,
                    end.day,
                    month(end),
                    end.year
                )
            }
            Precision::Day if start.year == end.year => {
                format!(
                    "{}{mark} {} – {}{mark} {} {}",
                    start.day,
                    month(start),
                    end.day,
                    month(end),
                    end.year
                )
            }
            Precision::Day => format!(
                "{}{mark} {} {} – {}{mark} {} {}",
                start.day,
                month(start),
                start.year,
                end.day,
                month(end),
                end.year
            ),
        }
    }
}

/// A date as the story gives it, in words; the text itself if it is not a date.
pub fn describe(text: &str) -> String {
    DateSpec::parse(text).map_or_else(|_| text.to_owned(), |date| date.describe())
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Day {
    /// Days since 1 January 1970 (negative before): a day's place on a
    /// time axis. (Howard Hinnant's days-from-civil.)
    pub fn ordinal(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The day `ordinal` days after 1 January 1970.
    pub fn from_ordinal(ordinal: i64) -> Self {
        let z = ordinal + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Exactly `YYYY-MM-DD`, a real day.
    pub fn parse_iso(text: &str) -> Option<Self> {
        match parse_one(text)? {
            (day, Precision::Day) if text.len() == 10 => Some(day),
            _ => None,
        }
    }
}

/// Whether something dated `date` began after `published` (the article's
/// day): a later development, which the article could not know.
pub fn after_publication(published: &str, date: Option<&str>) -> bool {
    match (DateSpec::parse(published), date.map(DateSpec::parse)) {
        (Ok(published), Some(Ok(date))) => date.start > published.end,
        _ => false,
    }
}

/// The moment or span a reader is looking at: what had happened by a day
/// (`?at=YYYY-MM-DD`), or what happened within a span
/// (`?range=YYYY-MM-DD..YYYY-MM-DD`). Undated features are outside time and
/// always shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFilter {
    At(Day),
    Range(Day, Day),
}

impl TimeFilter {
    /// From the `at` and `range` query values; `at` wins if both are given.
    /// Anything malformed is `None`: the whole story is shown.
    pub fn from_params(at: Option<&str>, range: Option<&str>) -> Option<Self> {
        if let Some(day) = at.and_then(Day::parse_iso) {
            return Some(Self::At(day));
        }
        let (from, to) = range?.split_once("..")?;
        let (from, to) = (Day::parse_iso(from)?, Day::parse_iso(to)?);
        (from <= to).then_some(Self::Range(from, to))
    }

    /// `at=…` or `range=…`, as links carry it.
    pub fn query(&self) -> String {
        match self {
            Self::At(day) => format!("at={day}"),
            Self::Range(from, to) => format!("range={from}..{to}"),
        }
    }

    /// Whether a feature dated `date` is shown: it had begun by the day, or
    /// it overlaps the span.
    pub fn includes(&self, date: &DateSpec) -> bool {
        match self {
            Self::At(day) => date.start <= *day,
            Self::Range(from, to) => date.start <= *to && date.end >= *from,
        }
    }

    /// Whether a feature dated `date` (a story's date text, if any) is shown.
    pub fn shows(filter: Option<&Self>, date: Option<&str>) -> bool {
        match (filter, date.map(DateSpec::parse)) {
            (Some(filter), Some(Ok(date))) => filter.includes(&date),
            _ => true,
        }
    }

    /// The last day the filter reaches.
    pub fn last_day(&self) -> Day {
        match self {
            Self::At(day) | Self::Range(_, day) => *day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_days_months_years_and_ranges() {
        let day = DateSpec::parse("2017-08-30").expect("day");
        assert_eq!(
            (day.start.to_string(), day.precision),
            ("2017-08-30".into(), Precision::Day)
        );
        let month = DateSpec::parse("2014-08").expect("month");
        assert_eq!(month.end.to_string(), "2014-08-31");
        let range = DateSpec::parse("2017-08-28/2017-08-29").expect("range");
        assert_eq!((range.start.day, range.end.day), (28, 29));
        assert_eq!(DateSpec::parse("2016-02-29").expect("leap").start.day, 29);
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(describe("2017-08-30"), "30 August 2017");
        assert_eq!(describe("2017-08-28/2017-08-29"), "28–29 August 2017");
        assert_eq!(
            describe("2017-08-31/2017-09-03"),
            "31 August – 3 September 2017"
        );
        assert_eq!(describe("2014-08"), "August 2014");
        assert_eq!(describe("2017"), "2017");
        assert_eq!(
            describe("2016-12-30/2017-01-02"),
            "30 December 2016 – 2 January 2017"
        );
        assert_eq!(describe("soon"), "soon");
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "30/8/2017",
            "2017-02-30",
            "2017-13",
            "17-08-30",
            "2017-08-29/2017-08-28",
            "",
        ] {
            assert!(DateSpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn approximate_dates_say_so() {
        let about = DateSpec::parse("2017-09-13/2017-09-14~").expect("approximate range");
        assert!(about.approximate);
        assert_eq!(about.describe(), "about 13–14 September 2017");
        assert!(!DateSpec::parse("2017-09-13").expect("day").approximate);
    }

    #[test]
    fn days_count_from_1970_both_ways() {
        for text in [
            "1970-01-01",
            "2014-08-02",
            "2017-08-30",
            "2000-02-29",
            "1969-12-31",
        ] {
            let day = Day::parse_iso(text).expect("a day");
            assert_eq!(Day::from_ordinal(day.ordinal()), day, "{text}");
        }
        assert_eq!(Day::parse_iso("1970-01-01").expect("epoch").ordinal(), 0);
        assert_eq!(Day::parse_iso("2017-08-30").expect("day").ordinal(), 17_408);
        assert_eq!(Day::parse_iso("2017-08"), None);
        assert_eq!(Day::parse_iso("2017-02-30"), None);
    }

    #[test]
    fn a_time_filter_shows_what_had_happened_by_a_day_or_within_a_span() {
        let at = TimeFilter::from_params(Some("2017-08-29"), None).expect("at");
        let day = |text| DateSpec::parse(text).expect("date");
        assert!(at.includes(&day("2017-08-28/2017-08-29")));
        assert!(at.includes(&day("2014-08")));
        assert!(!at.includes(&day("2017-08-30")));
        // Begun by then, though not over.
        assert!(at.includes(&day("2017-08-29/2017-09-13")));
        let range = TimeFilter::from_params(None, Some("2017-08-30..2017-09-03")).expect("range");
        assert_eq!(range.query(), "range=2017-08-30..2017-09-03");
        assert!(range.includes(&day("2017-08-28/2017-08-30")));
        assert!(!range.includes(&day("2017-08-28/2017-08-29")));
        assert!(!range.includes(&day("2017-09-13~")));
        assert!(
            TimeFilter::shows(Some(&range), None),
            "undated features are always shown"
        );
    }

    #[test]
    fn malformed_time_filters_show_everything() {
        for (at, range) in [
            (Some("2017-13-01"), None),
            (Some("yesterday"), None),
            (Some("2017-08"), None),
            (None, Some("2017-09-03..2017-08-30")),
            (None, Some("2017-08-30")),
            (None, Some("2017-08-30..")),
            (Some("<script>"), Some("..")),
        ] {
            assert_eq!(TimeFilter::from_params(at, range), None, "{at:?} {range:?}");
        }
        // A bad `at` gives way to a good `range`.
        assert!(TimeFilter::from_params(Some("x"), Some("2017-08-01..2017-08-02")).is_some());
    }
}
