//! A wall-clock time as the phone showed it.
//!
//! WhatsApp exports carry local time without a zone, so that is what we keep: comparing
//! and subtracting within one chat is exact, and nothing pretends to know the offset.

use std::fmt;

/// A local date and time with second precision, as written in an export.
///
/// Always valid: the constructor checks the calendar (leap years included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl LocalDateTime {
    /// Returns `None` unless the date exists and the time is within 00:00:00..=23:59:59.
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let valid = (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then_some(LocalDateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }
    pub fn hour(self) -> u8 {
        self.hour
    }
    pub fn minute(self) -> u8 {
        self.minute
    }
    pub fn second(self) -> u8 {
        self.second
    }

    /// Seconds since 1970-01-01T00:00:00 of the same (unknown) zone: only differences mean anything.
    pub fn seconds(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day) * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// Whole seconds from `self` to `later` (negative when `later` is earlier).
    pub fn seconds_until(self, later: LocalDateTime) -> i64 {
        later.seconds() - self.seconds()
    }

    /// The time `seconds` later (earlier when negative), or `self` when that leaves the
    /// years a `u16` holds.
    pub fn plus_seconds(self, seconds: i64) -> LocalDateTime {
        let total = self.seconds().saturating_add(seconds);
        let (days, rest) = (total.div_euclid(86_400), total.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        u16::try_from(year)
            .ok()
            .and_then(|year| {
                LocalDateTime::new(
                    year,
                    month,
                    day,
                    (rest / 3600) as u8,
                    (rest % 3600 / 60) as u8,
                    (rest % 60) as u8,
                )
            })
            .unwrap_or(self)
    }

    /// Days since 1970-01-01, for grouping by calendar day.
    pub fn day_number(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }

    /// ISO weekday: Monday = 1 .. Sunday = 7.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        let d = self.day_number().rem_euclid(7);
        (((d + 3) % 7) + 1) as u8
    }
}

impl fmt::Display for LocalDateTime {
    /// ISO 8601 without zone: `2025-09-12T14:05:00`, the form of the JSON contract.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// The calendar date of a day number (days since 1970-01-01), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_dates_that_do_not_exist() {
        assert!(LocalDateTime::new(2023, 2, 29, 0, 0, 0).is_none());
        assert!(LocalDateTime::new(2024, 2, 29, 0, 0, 0).is_some());
        assert!(LocalDateTime::new(2024, 13, 1, 0, 0, 0).is_none());
        assert!(LocalDateTime::new(2024, 4, 31, 0, 0, 0).is_none());
        assert!(LocalDateTime::new(2024, 4, 30, 24, 0, 0).is_none());
    }

    #[test]
    fn differences_cross_month_and_year_boundaries() {
        let a = LocalDateTime::new(2024, 12, 31, 23, 59, 0).unwrap();
        let b = LocalDateTime::new(2025, 1, 1, 0, 1, 30).unwrap();
        assert_eq!(a.seconds_until(b), 150);
        assert_eq!(
            LocalDateTime::new(1970, 1, 1, 0, 0, 0).unwrap().seconds(),
            0
        );
    }

    #[test]
    fn knows_the_weekday() {
        // 2 May 2022 was a Monday.
        assert_eq!(
            LocalDateTime::new(2022, 5, 2, 16, 8, 0).unwrap().weekday(),
            1
        );
        assert_eq!(
            LocalDateTime::new(2025, 9, 14, 0, 0, 0).unwrap().weekday(),
            7
        );
    }

    #[test]
    fn prints_iso_8601() {
        let t = LocalDateTime::new(2025, 9, 1, 8, 0, 5).unwrap();
        assert_eq!(t.to_string(), "2025-09-01T08:00:05");
    }
}

#[cfg(test)]
mod plus_seconds_tests {
    use super::LocalDateTime;

    #[test]
    fn adds_across_days_months_and_leap_years() {
        let t = LocalDateTime::new(2024, 2, 28, 23, 59, 30).unwrap();
        assert_eq!(t.plus_seconds(31).to_string(), "2024-02-29T00:00:01");
        assert_eq!(
            t.plus_seconds(86_400 + 31).to_string(),
            "2024-03-01T00:00:01"
        );
        assert_eq!(
            t.plus_seconds(-86_400 * 59).to_string(),
            "2023-12-31T23:59:30"
        );
        assert_eq!(t.plus_seconds(0), t);
    }
}
