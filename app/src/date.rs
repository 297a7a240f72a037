//! Dates as stories give them: a day, a month or a year, or a range of them
//! (`2017-08-28/2017-08-29`, as ISO 8601 writes intervals).

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
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a date; expected YYYY-MM-DD, YYYY-MM, YYYY or a range like 2017-08-28/2017-08-29"
)]
pub struct DateError(pub String);

impl DateSpec {
    /// Parses `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `start/end` of those.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let error = || DateError(text.to_owned());
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
            });
        }
        let (day, precision) = parse_one(text).ok_or_else(error)?;
        let (start, end) = span(day, precision);
        Ok(Self {
            start,
            end,
            precision,
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
}

impl DateSpec {
    /// The date in English words: "30 August 2017", "28–29 August 2017",
    /// "August 2014", "31 August – 3 September 2017".
    pub fn describe(&self) -> String {
        self.describe_in(&crate::i18n::en::TEXTS.date)
    }

    /// The date in words, as `words` writes them.
    pub fn describe_in(&self, words: &DateWords) -> String {
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
}
