//! Calendar dates (a pupil's leaving date), stored as `YYYY-MM-DD`.

use std::fmt;

use crate::Timestamp;

/// A valid Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date; write it as YYYY-MM-DD, for example 2026-07-17")]
pub struct DateError(pub String);

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1900..=2999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return Err(DateError(format!("{year:04}-{month:02}-{day:02}")));
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (what `<input type="date">` sends) or `DD-MM-YYYY` (what Dutch
    /// people type).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let text = text.trim();
        let err = || DateError(text.chars().take(40).collect());
        let parts: Vec<&str> = text.split(['-', '/']).collect();
        let [a, b, c] = parts.as_slice() else {
            return Err(err());
        };
        let num = |s: &str| s.parse::<i32>().map_err(|_| err());
        let (y, m, d) = if a.len() == 4 {
            (num(a)?, num(b)?, num(c)?)
        } else if c.len() == 4 {
            (num(c)?, num(b)?, num(a)?)
        } else {
            return Err(err());
        };
        let month = u8::try_from(m).map_err(|_| err())?;
        let day = u8::try_from(d).map_err(|_| err())?;
        Date::new(y, month, day).map_err(|_| err())
    }

    /// The UTC calendar date of a timestamp.
    pub fn from_timestamp(ts: Timestamp) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = ts.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    pub fn day(&self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` later (earlier when negative).
    pub fn add_days(self, days: i64) -> Date {
        Date::from_timestamp((self.days_since_epoch() + days) * 86_400)
    }

    /// The calendar date in the Netherlands (Europe/Amsterdam: UTC+1, UTC+2 in summer
    /// time from the last Sunday of March to the last Sunday of October, 01:00 UTC).
    pub fn in_amsterdam(ts: Timestamp) -> Date {
        let utc = Date::from_timestamp(ts);
        let last_sunday = |month: u8| {
            let last = Date {
                year: utc.year,
                month,
                day: days_in_month(utc.year, month),
            };
            // 1970-01-01 was a Thursday: (days + 4) % 7 == 0 is a Sunday.
            let weekday = (last.days_since_epoch() + 4).rem_euclid(7);
            (last.days_since_epoch() - weekday) * 86_400 + 3600
        };
        let summer = ts >= last_sunday(3) && ts < last_sunday(10);
        Date::from_timestamp(ts + if summer { 7200 } else { 3600 })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_iso_and_dutch_order_and_reject_impossible_days() {
        assert_eq!(
            Date::parse("2026-07-17").map(|d| d.to_string()),
            Ok("2026-07-17".into())
        );
        assert_eq!(
            Date::parse("17-07-2026").map(|d| d.to_string()),
            Ok("2026-07-17".into())
        );
        assert!(Date::parse("2026-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("gisteren").is_err());
    }

    #[test]
    fn day_arithmetic_round_trips_and_amsterdam_days_start_at_local_midnight() {
        let d = Date::new(2026, 3, 1).unwrap_or_else(|_| unreachable!());
        assert_eq!(d.add_days(-1).to_string(), "2026-02-28");
        assert_eq!(d.add_days(28).to_string(), "2026-03-29");
        assert_eq!(Date::from_timestamp(d.days_since_epoch() * 86_400), d);
        // 2026-01-15 23:30 UTC is 00:30 on the 16th in Amsterdam (winter, UTC+1).
        let winter = Date::new(2026, 1, 15).unwrap_or_else(|_| unreachable!());
        let ts = winter.days_since_epoch() * 86_400 + 23 * 3600 + 1800;
        assert_eq!(Date::in_amsterdam(ts).to_string(), "2026-01-16");
        // 2026-06-15 22:30 UTC is 00:30 on the 16th (summer, UTC+2); 21:30 UTC is still the 15th.
        let summer = Date::new(2026, 6, 15).unwrap_or_else(|_| unreachable!());
        let ts = summer.days_since_epoch() * 86_400 + 22 * 3600 + 1800;
        assert_eq!(Date::in_amsterdam(ts).to_string(), "2026-06-16");
        assert_eq!(Date::in_amsterdam(ts - 3600).to_string(), "2026-06-15");
    }

    #[test]
    fn timestamps_map_to_their_utc_day() {
        assert_eq!(Date::from_timestamp(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_timestamp(1_795_000_000).to_string(),
            "2026-11-18"
        );
    }
}

// Case files: check dates, reminders at a local hour, a pupil's age, dates for Dutch readers.
impl Date {
    /// The UTC moment of a wall-clock time on this date in the Netherlands.
    pub fn amsterdam_time(&self, hour: u8, minute: u8) -> Timestamp {
        let local =
            self.days_since_epoch() * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60;
        // The offset an hour before the local reading, read as UTC, is the one in force
        // (within the hour of a change either reading is a real moment of that day).
        local - amsterdam_offset(local - 3600)
    }

    /// Whole years from `self` (a birth date) to `on`.
    pub fn years_until(&self, on: Date) -> i32 {
        let mut years = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// `17-07-2026 14:05`: a moment as the Dutch clock shows it.
    pub fn amsterdam_clock(ts: Timestamp) -> String {
        let local = ts + amsterdam_offset(ts);
        let seconds = local.rem_euclid(86_400);
        format!(
            "{} {:02}:{:02}",
            Date::from_timestamp(local).dutch(),
            seconds / 3600,
            (seconds % 3600) / 60
        )
    }

    /// `17-07-2026`: how dates are written for Dutch readers.
    pub fn dutch(&self) -> String {
        format!("{:02}-{:02}-{:04}", self.day, self.month, self.year)
    }
}

/// Seconds the Netherlands is ahead of UTC at a moment (EU summer time rule).
fn amsterdam_offset(ts: Timestamp) -> i64 {
    let year = Date::from_timestamp(ts).year;
    let last_sunday = |month: u8| {
        let last = Date {
            year,
            month,
            day: days_in_month(year, month),
        };
        let days = last.days_since_epoch();
        (days - (days + 4).rem_euclid(7)) * 86_400 + 3600
    };
    if ts >= last_sunday(3) && ts < last_sunday(10) {
        7200
    } else {
        3600
    }
}

#[cfg(test)]
mod case_date_tests {
    use super::*;

    #[test]
    fn local_hours_follow_summer_and_winter_time_and_ages_count_whole_years() {
        let date = |s: &str| Date::parse(s).unwrap_or_else(|_| unreachable!());
        // Checked against Python's zoneinfo for Europe/Amsterdam.
        assert_eq!(date("2026-03-29").amsterdam_time(0, 0), 1_774_738_800);
        assert_eq!(date("2026-03-30").amsterdam_time(7, 0), 1_774_846_800);
        assert_eq!(date("2026-12-05").amsterdam_time(7, 0), 1_796_450_400);
        assert_eq!(date("2010-03-17").years_until(date("2026-03-16")), 15);
        assert_eq!(date("2010-03-17").years_until(date("2026-03-17")), 16);
        assert_eq!(date("2026-03-02").dutch(), "02-03-2026");
    }
}
