//! Calendar dates (`YYYY-MM-DD`), enough for effective dates, policy years and monthly plans.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use serde_json::Value;

use crate::error::{Error, ErrorCode};
use crate::reading::read::{At, Read};

/// A proleptic Gregorian calendar date.
///
/// ```
/// use tiercost::Date;
/// let d: Date = "2025-07-01".parse().unwrap();
/// assert_eq!(d.add_months(8).to_string(), "2026-03-01");
/// assert!("2025-02-30".parse::<Date>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// A date, if it exists (years 1900–2200).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1900..=2200).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The same day `n` months later, clamped to the month's last day.
    pub fn add_months(self, n: u32) -> Date {
        let total = self.month as i64 - 1 + n as i64;
        let year = (self.year as i64 + total.div_euclid(12)).min(2200) as i32;
        let month = (total.rem_euclid(12) + 1) as u8;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// Whole years from `birth` to `self` (an age).
    pub fn years_since(self, birth: Date) -> i32 {
        let mut y = self.year - birth.year;
        if (self.month, self.day) < (birth.month, birth.day) {
            y -= 1;
        }
        y
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let b = text.as_bytes();
        let ok_shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        let bad = || format!("\"{text}\" is not a date: expected YYYY-MM-DD, e.g. \"2025-07-01\"");
        if !ok_shape {
            return Err(bad());
        }
        let year: i32 = text[0..4].parse().map_err(|_| bad())?;
        let month: u8 = text[5..7].parse().map_err(|_| bad())?;
        let day: u8 = text[8..10].parse().map_err(|_| bad())?;
        Date::new(year, month, day)
            .ok_or_else(|| format!("\"{text}\" is not a real calendar date (years 1900–2200)"))
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl Date {
    /// `YYYY-MM-DD` written into `buf` (every date has a four-digit year: 1900–2200), without
    /// the formatting machinery: an estimate writes a handful of dates.
    fn text(self, buf: &mut [u8; 10]) -> &str {
        let digits = |buf: &mut [u8], mut n: u32| {
            for b in buf.iter_mut().rev() {
                *b = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        digits(&mut buf[0..4], self.year.clamp(0, 9999) as u32);
        buf[4] = b'-';
        digits(&mut buf[5..7], u32::from(self.month));
        buf[7] = b'-';
        digits(&mut buf[8..10], u32::from(self.day));
        // ASCII digits and dashes only.
        std::str::from_utf8(buf).unwrap_or_default()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.text(&mut [0; 10]))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text(&mut [0; 10]))
    }
}

/// A serde error led by the `invalid_date` code (`invalid_date: …`), for code that reads
/// dates with serde.
fn coded<E: serde::de::Error>(message: String) -> E {
    E::custom(format_args!(
        "{}: {message}",
        ErrorCode::InvalidDate.as_str()
    ))
}

/// `Deserialize` (for serde users) and [`Read`] (every document) for a type written as a
/// string, from its parser: one parser, one set of messages, errors coded `invalid_date`.
macro_rules! date_string {
    ($ty:ty, $parse:path) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $parse(&text).map_err(coded)
            }
        }

        impl Read for $ty {
            fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
                let Value::String(text) = v else {
                    return Err(crate::reading::read::invalid_type(v, "a string", at));
                };
                $parse(text).map_err(|e| Error::new(ErrorCode::InvalidDate, at.path(), e))
            }
        }
    };
}

date_string!(Date, Date::parse);
date_string!(MonthDay, MonthDay::parse);

/// A month and day at which a policy year starts, written `"MM-DD"` (Shanghai's 医保年度
/// starts on `"07-01"`; most regions use `"01-01"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthDay {
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–28 (so that every year has it).
    pub day: u8,
}

impl Default for MonthDay {
    fn default() -> Self {
        MonthDay { month: 1, day: 1 }
    }
}

impl MonthDay {
    /// The first day of the policy year that contains `date`.
    pub fn year_start_for(self, date: Date) -> Date {
        let this_year = Date {
            year: date.year,
            month: self.month,
            day: self.day,
        };
        if date >= this_year {
            this_year
        } else {
            Date {
                year: date.year - 1,
                month: self.month,
                day: self.day,
            }
        }
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl Serialize for MonthDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl MonthDay {
    /// `"MM-DD"`, with a day of at most 28.
    fn parse(text: &str) -> Result<MonthDay, String> {
        let bad = || {
            format!(
                "\"{text}\" is not a month and day: expected MM-DD with a day of at most 28, e.g. \"07-01\""
            )
        };
        let (m, dd) = text.split_once('-').ok_or_else(bad)?;
        if m.len() != 2 || dd.len() != 2 {
            return Err(bad());
        }
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = dd.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(1..=28).contains(&day) {
            return Err(bad());
        }
        Ok(MonthDay { month, day })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_iso_text() {
        for (y, m, d, text) in [
            (1900, 1, 1, "1900-01-01"),
            (2025, 3, 9, "2025-03-09"),
            (2200, 12, 31, "2200-12-31"),
        ] {
            let date = Date::new(y, m, d).unwrap();
            assert_eq!(date.to_string(), text);
            assert_eq!(serde_json::to_string(&date).unwrap(), format!("\"{text}\""));
            assert_eq!(Date::parse(text).unwrap(), date);
        }
        let d = Date::new(2025, 3, 9).unwrap();
        assert_eq!(format!("[{d:>12}]"), "[  2025-03-09]");
    }

    #[test]
    fn parses_and_rejects() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2023-13-01").is_err());
        assert!(Date::parse("2023-1-01").is_err());
        assert!(Date::parse("20230101").is_err());
    }

    #[test]
    fn policy_year_starts() {
        let md = MonthDay { month: 7, day: 1 };
        assert_eq!(
            md.year_start_for(Date::parse("2025-06-30").unwrap())
                .to_string(),
            "2024-07-01"
        );
        assert_eq!(
            md.year_start_for(Date::parse("2025-07-01").unwrap())
                .to_string(),
            "2025-07-01"
        );
    }

    #[test]
    fn months_clamp() {
        assert_eq!(
            Date::parse("2025-01-31").unwrap().add_months(1).to_string(),
            "2025-02-28"
        );
        assert_eq!(
            Date::parse("2025-11-15").unwrap().add_months(3).to_string(),
            "2026-02-15"
        );
    }
}
