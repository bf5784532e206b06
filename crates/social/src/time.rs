//! Moments in downloads: Instagram writes Unix timestamps (UTC); TikTok writes
//! `YYYY-MM-DD HH:MM:SS` without a zone, and zips carry zone-less entry times. We keep
//! one scale (seconds since 1970 UTC) and show people Dutch local time.

use std::fmt;

use erbij_chat::LocalDateTime;

/// Seconds since 1970-01-01T00:00:00 UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment(i64);

/// Seconds in the 48-hour window of METHODS.md P6.
pub const SECONDS_PER_HOUR: i64 = 3_600;

impl Moment {
    pub fn from_unix(seconds: i64) -> Moment {
        Moment(seconds)
    }

    pub fn unix(self) -> i64 {
        self.0
    }

    /// A UTC calendar time; `None` when the date does not exist.
    pub fn from_utc_fields(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Option<Moment> {
        // LocalDateTime validates the calendar; its `seconds` are zone-less, which is
        // exactly UTC seconds when the fields are UTC.
        LocalDateTime::new(year, month, day, hour, minute, second).map(|t| Moment(t.seconds()))
    }

    /// A Dutch wall-clock time (Europe/Amsterdam); `None` when the date does not exist.
    /// In the hour that occurs twice in October, the first (summer-time) one is taken.
    pub fn from_amsterdam_fields(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Option<Moment> {
        let naive = Moment::from_utc_fields(year, month, day, hour, minute, second)?.0;
        let summer = naive - 2 * SECONDS_PER_HOUR;
        Some(Moment(if is_eu_summer_time(summer) {
            summer
        } else {
            naive - SECONDS_PER_HOUR
        }))
    }

    /// TikTok's `2025-10-01 14:05:00` (also with `T`, and without seconds), read as UTC.
    pub fn parse_tiktok(text: &str) -> Option<Moment> {
        let text = text.trim();
        let (date, time) = text.split_once([' ', 'T']).unwrap_or((text, "00:00:00"));
        let mut date_parts = date.split('-');
        let year = date_parts.next()?.parse().ok()?;
        let month = date_parts.next()?.parse().ok()?;
        let day = date_parts.next()?.parse().ok()?;
        if date_parts.next().is_some() {
            return None;
        }
        let time = time.trim_end_matches('Z');
        let mut time_parts = time.split(':');
        let hour = time_parts.next()?.parse().ok()?;
        let minute = time_parts.next().unwrap_or("0").parse().ok()?;
        let second_text = time_parts.next().unwrap_or("0");
        let second = second_text.split('.').next()?.parse().ok()?;
        Moment::from_utc_fields(year, month, day, hour, minute, second)
    }

    /// Dutch wall-clock time (Europe/Amsterdam: CET, CEST from the last Sunday of March to
    /// the last Sunday of October, switching at 01:00 UTC, the EU rule since 1996).
    /// `None` only outside the years 0..=65535.
    pub fn amsterdam(self) -> Option<LocalDateTime> {
        let offset_hours = if is_eu_summer_time(self.0) { 2 } else { 1 };
        utc_fields(self.0 + offset_hours * SECONDS_PER_HOUR)
    }

    /// Seconds from `self` to `later`.
    pub fn seconds_until(self, later: Moment) -> i64 {
        later.0 - self.0
    }
}

impl fmt::Display for Moment {
    /// Dutch local time in the ISO form of the JSON contract.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.amsterdam() {
            Some(local) => local.fmt(f),
            None => write!(f, "@{}", self.0),
        }
    }
}

fn is_eu_summer_time(unix: i64) -> bool {
    let Some(utc) = utc_fields(unix) else {
        return false;
    };
    let year = utc.year();
    let start = last_sunday_0100_utc(year, 3);
    let end = last_sunday_0100_utc(year, 10);
    matches!((start, end), (Some(start), Some(end)) if unix >= start && unix < end)
}

fn last_sunday_0100_utc(year: u16, month: u8) -> Option<i64> {
    let last_day = LocalDateTime::new(year, month, 31, 1, 0, 0)?;
    // weekday(): Monday = 1 .. Sunday = 7.
    let back = i64::from(last_day.weekday() % 7);
    Some(last_day.seconds() - back * 86_400)
}

// Howard Hinnant's civil_from_days.
fn utc_fields(unix: i64) -> Option<LocalDateTime> {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    LocalDateTime::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        u8::try_from(secs / 3_600).ok()?,
        u8::try_from(secs % 3_600 / 60).ok()?,
        u8::try_from(secs % 60).ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_timestamps_show_as_dutch_local_time_across_daylight_saving() {
        // 2025-10-01 12:00 UTC is summer time: 14:00 in Amsterdam.
        assert_eq!(
            Moment::from_unix(1_759_320_000).to_string(),
            "2025-10-01T14:00:00"
        );
        // 2025-11-03 12:00 UTC is winter time: 13:00.
        assert_eq!(
            Moment::from_unix(1_762_171_200).to_string(),
            "2025-11-03T13:00:00"
        );
        // The switch: 2025-10-26 00:59:59 UTC is still summer, 01:00:00 UTC is winter.
        let switch = Moment::from_utc_fields(2025, 10, 26, 1, 0, 0).unwrap();
        assert_eq!(
            Moment::from_unix(switch.unix() - 1).to_string(),
            "2025-10-26T02:59:59"
        );
        assert_eq!(switch.to_string(), "2025-10-26T02:00:00");
    }

    #[test]
    fn dutch_wall_clock_times_round_trip() {
        for (month, day, hour) in [(1, 15, 9), (7, 1, 18), (3, 30, 3), (10, 26, 4)] {
            let moment = Moment::from_amsterdam_fields(2025, month, day, hour, 30, 0).unwrap();
            let local = moment.amsterdam().unwrap();
            assert_eq!(
                (local.month(), local.day(), local.hour()),
                (month, day, hour)
            );
        }
        let summer = Moment::from_amsterdam_fields(2025, 10, 1, 18, 0, 0).unwrap();
        assert_eq!(
            summer,
            Moment::from_utc_fields(2025, 10, 1, 16, 0, 0).unwrap()
        );
    }

    #[test]
    fn tiktok_dates_are_read_leniently_and_checked() {
        let moment = Moment::parse_tiktok("2025-10-01 12:00:00").unwrap();
        assert_eq!(moment.unix(), 1_759_320_000);
        assert_eq!(Moment::parse_tiktok("2025-10-01T12:00:00Z"), Some(moment));
        assert_eq!(Moment::parse_tiktok("2025-10-01 12:00"), Some(moment));
        assert!(Moment::parse_tiktok("2025-02-30 12:00:00").is_none());
        assert!(Moment::parse_tiktok("gisteren").is_none());
        assert!(Moment::parse_tiktok("").is_none());
    }
}
