//! Dates as authors write them: RFC 3339 timestamps, Jekyll's
//! `YYYY-MM-DD HH:MM:SS -0800` (an offset without a colon), or `YYYY-MM-DD`
//! and `YYYY-MM-DD H:MM[:SS]` read in the site's timezone, in TOML's native
//! date types or as strings (YAML has no date type); and the date at the
//! start of a file name (`2015-01-12-slug.md`, `2015-12-3-slug.md`).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, de::Error as _};

/// What a date should look like, for the message about one that does not.
pub const EXPECTED: &str = "expected a date such as 2026-10-14, \"2026-10-14 09:30\" or 2026-10-14T09:30:00-04:00";

/// A date value as found in front matter, not yet interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateInput(pub String);

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any {
            Toml(toml::value::Datetime),
            Text(String),
        }
        match Any::deserialize(d) {
            Ok(Any::Toml(dt)) => Ok(DateInput(dt.to_string())),
            Ok(Any::Text(s)) => Ok(DateInput(s)),
            Err(_) => Err(D::Error::custom(EXPECTED)),
        }
    }
}

/// Interprets `input` in `tz` when it carries no offset. Years outside
/// 1–9999 are refused: they cannot be written in RFC 3339 (feeds, sitemaps,
/// `<time datetime>`).
pub fn parse(input: &str, tz: Tz) -> Result<DateTime<Tz>, String> {
    let date = parse_any(input, tz)?;
    if !(1..=9999).contains(&date.year()) {
        return Err(format!("`{}` is not a valid date: the year must be between 1 and 9999", input.trim()));
    }
    Ok(date)
}

fn parse_any(input: &str, tz: Tz) -> Result<DateTime<Tz>, String> {
    parse_as_written(input, tz).map(|dt| dt.with_timezone(&tz))
}

/// Like [`parse`], but a written offset is kept rather than turned into
/// `tz`'s (`import` works out old URLs from the date as the old site saw
/// it); the year is not checked.
pub fn parse_as_written(input: &str, tz: Tz) -> Result<DateTime<FixedOffset>, String> {
    let s = input.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)) {
        return Ok(dt);
    }
    if let Some(dt) = parse_with_offset(s) {
        return Ok(dt);
    }
    let local = parse_local(s).ok_or_else(|| format!("`{s}` is not a valid date: {EXPECTED}"))?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|dt| dt.fixed_offset())
        .ok_or_else(|| format!("`{s}` does not exist in timezone {tz} (the clocks skip it)"))
}

/// A date-time with a numeric offset written without a colon (`-0800`),
/// as Jekyll writes them, or with a single-digit hour.
fn parse_with_offset(s: &str) -> Option<DateTime<FixedOffset>> {
    const FORMATS: &[&str] = &[
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ];
    FORMATS.iter().find_map(|f| DateTime::parse_from_str(s, f).ok())
}

/// The date a file name starts with (`2015-01-12-slug`, `2015-12-3-slug`)
/// as `YYYY-MM-DD`, and the rest of the name (`slug`, possibly empty).
pub fn from_file_name(stem: &str) -> Option<(String, &str)> {
    let mut parts = stem.splitn(4, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits =
        |p: &str, min: usize, max: usize| (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4, 4) && digits(m, 1, 2) && digits(d, 1, 2)) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date.format("%Y-%m-%d").to_string(), parts.next().unwrap_or("")))
}

fn parse_local(s: &str) -> Option<NaiveDateTime> {
    const FORMATS: &[&str] = &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"];
    if let Some(dt) = FORMATS.iter().find_map(|f| NaiveDateTime::parse_from_str(s, f).ok()) {
        return Some(dt);
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(dt);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;

    fn check(input: &str, expected_rfc3339: &str) {
        assert_eq!(parse(input, New_York).unwrap().to_rfc3339(), expected_rfc3339, "{input}");
    }

    #[test]
    fn rfc3339_keeps_its_instant() {
        check("2026-10-14T09:30:00Z", "2026-10-14T05:30:00-04:00");
    }

    #[test]
    fn bare_date_is_midnight_in_site_timezone() {
        check("2026-01-05", "2026-01-05T00:00:00-05:00");
    }

    #[test]
    fn date_and_minutes_in_site_timezone() {
        check("2026-07-01 14:05", "2026-07-01T14:05:00-04:00");
        check("2026-07-01T14:05:30", "2026-07-01T14:05:30-04:00");
    }

    #[test]
    fn jekyll_offsets_without_a_colon() {
        check("2016-03-04 10:48:22 -0800", "2016-03-04T13:48:22-05:00");
        check("2014-11-05 10:48:22 +0530", "2014-11-05T00:18:22-05:00");
        check("2014-11-05T10:48:22+0530", "2014-11-05T00:18:22-05:00");
    }

    #[test]
    fn single_digit_hours_and_days() {
        check("2015-05-21 9:00:00", "2015-05-21T09:00:00-04:00");
        check("2015-12-3", "2015-12-03T00:00:00-05:00");
    }

    #[test]
    fn dates_in_file_names() {
        assert_eq!(from_file_name("2015-01-12-introducing-kavya"), Some(("2015-01-12".into(), "introducing-kavya")));
        assert_eq!(
            from_file_name("2015-12-3-entering-public-beta"),
            Some(("2015-12-03".into(), "entering-public-beta"))
        );
        assert_eq!(from_file_name("2015-01-12"), Some(("2015-01-12".into(), "")));
        assert_eq!(from_file_name("2018-08-2x-psa"), None);
        assert_eq!(from_file_name("2015-02-30-nope"), None);
        assert_eq!(from_file_name("council-2015-01-12"), None);
        assert_eq!(from_file_name("20150112-x"), None);
    }

    #[test]
    fn impossible_dates_are_rejected() {
        let e = parse("2025-02-30", New_York).unwrap_err();
        assert!(e.contains("not a valid date"), "{e}");
        assert!(parse("next tuesday", New_York).is_err());
    }

    #[test]
    fn years_beyond_four_digits_are_refused() {
        let e = parse("-42026-10-14T19:30", New_York).unwrap_err();
        assert!(e.contains("the year must be between 1 and 9999"), "{e}");
        assert!(parse("12026-01-01", New_York).is_err());
    }

    #[test]
    fn toml_native_dates_deserialize() {
        #[derive(Deserialize)]
        struct T {
            d: DateInput,
            e: DateInput,
        }
        let t: T = toml::from_str("d = 2026-01-05\ne = 2026-01-05T10:00:00+01:00").unwrap();
        assert_eq!(t.d.0, "2026-01-05");
        assert_eq!(t.e.0, "2026-01-05T10:00:00+01:00");
    }

    #[test]
    fn wrong_type_says_what_was_expected() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct T {
            d: DateInput,
        }
        let e = toml::from_str::<T>("d = 5").unwrap_err();
        assert!(e.message().contains("expected a date"), "{}", e.message());
    }
}
