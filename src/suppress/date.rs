//! Calendar dates for `until`: parsing `YYYY-MM-DD` and "today" in UTC.

/// A calendar date; ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses a valid `YYYY-MM-DD` date.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let year = i32::try_from(year).ok()?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in UTC, or `ORGLINT_TODAY` (`YYYY-MM-DD`, a testing hook) when
    /// set. A value that is not a valid date is an error (the message names
    /// the variable and the form), never a silent fall back to the clock.
    pub fn today() -> Result<Date, String> {
        match std::env::var_os("ORGLINT_TODAY") {
            Some(value) => Date::from_env(&value.to_string_lossy()),
            None => {
                let secs = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                Ok(Date::from_days((secs / 86_400) as i64))
            }
        }
    }

    /// The date `ORGLINT_TODAY` holds.
    fn from_env(value: &str) -> Result<Date, String> {
        Date::parse(value).ok_or_else(|| {
            format!(
                "invalid `ORGLINT_TODAY={}`: expected a date as YYYY-MM-DD (e.g. 2026-06-01)",
                crate::diagnostic::escape_controls(value)
            )
        })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders_dates() {
        let d = Date::parse("2027-03-31").unwrap();
        assert_eq!(d.to_string(), "2027-03-31");
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("27-03-31").is_none());
        assert!(Date::parse("2027-3-31").is_none());
        assert!(Date::parse("2026-11-23").unwrap() < d);
    }

    #[test]
    fn orglint_today_must_be_a_date() {
        assert_eq!(
            Date::from_env("2026-06-01").unwrap().to_string(),
            "2026-06-01"
        );
        for bad in ["bogus", "", "2026-6-1", "2026-02-30", " 2026-06-01"] {
            let err = Date::from_env(bad).unwrap_err();
            assert!(err.contains("ORGLINT_TODAY"), "{err}");
            assert!(err.contains("YYYY-MM-DD"), "{err}");
        }
    }

    #[test]
    fn days_since_epoch() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_415).to_string(), "2025-11-23");
        assert_eq!(Date::from_days(11_016).to_string(), "2000-02-29");
    }
}
