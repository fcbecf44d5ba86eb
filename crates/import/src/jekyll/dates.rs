//! Dates as Jekyll reads them: front matter dates (Ruby's `Time.parse`,
//! prose such as `June 2, 2020` included), the date at the start of a
//! post's file name, both local to the site's timezone when they give no
//! offset.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde_json::Value;

/// A front matter date as Jekyll reads it (`2016-03-04 10:48:22 -0800`,
/// `June 2, 2020`, `Tue, 02 Jun 2020 10:00:00 +0200`: Ruby's `Time.parse`),
/// local to the site when it has no offset.
///
/// A plain YAML timestamp without a zone (`date: 2016-6-13 2:00:00`) is a
/// UTC time to Psych: `front` marks it `+0000`, so it is read as one. Jekyll
/// shows every time in the site's `timezone:`, and so is the result.
pub(super) fn date_of(front: &Value, key: &str, site: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
    let s = front.get(key).and_then(Value::as_str)?.trim();
    let tz = site.unwrap_or(chrono_tz::UTC);
    let read = broadsheet_base::date::parse_as_written(s, tz).ok().or_else(|| prose_date(s, tz)).or_else(|| {
        let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
        tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest().map(|d| d.fixed_offset())
    })?;
    Some(match site {
        Some(zone) => read.with_timezone(&zone).fixed_offset(),
        None => read,
    })
}

/// Month names as Ruby reads them: by their first three letters.
const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/// Zone abbreviations Ruby knows, and their offsets in hours.
const ZONES: &[(&str, i32)] = &[
    ("utc", 0),
    ("gmt", 0),
    ("z", 0),
    ("ut", 0),
    ("est", -5),
    ("edt", -4),
    ("cst", -6),
    ("cdt", -5),
    ("mst", -7),
    ("mdt", -6),
    ("pst", -8),
    ("pdt", -7),
    ("cet", 1),
    ("cest", 2),
    ("bst", 1),
];

/// A date written in words or with other separators, as Ruby's
/// `Time.parse` reads it: a month by name (`June 2, 2020`, `2 Jun 2020`,
/// `Jun 2nd, 2020`), or `2020/06/02`, `2020-6-2`, `02.06.2020`, `02/06/2020`
/// (day first); a time (`10:30`, `10:30 PM`); an offset (`+0200`,
/// `+02:00`, `Z`, `UTC`, `EST`…).
fn prose_date(s: &str, tz: chrono_tz::Tz) -> Option<DateTime<FixedOffset>> {
    let (mut year, mut month, mut day): (Option<i32>, Option<u32>, Option<u32>) = (None, None, None);
    let mut hms: Option<(u32, u32, u32)> = None;
    let (mut pm, mut offset): (Option<bool>, Option<i32>) = (None, None);
    let mut numbers = Vec::new();
    let spaced = s.replace(',', " ");
    for raw in spaced.split_whitespace() {
        let word = raw.trim_end_matches('.').to_ascii_lowercase();
        if let Some(sign) = word.chars().next().filter(|c| (*c == '+' || *c == '-') && word.len() > 2) {
            let digits: String = word[1..].chars().filter(char::is_ascii_digit).collect();
            let (h, m) = match digits.len() {
                4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
                1 | 2 => (digits.parse().ok()?, 0),
                _ => return None,
            };
            let secs = (h * 60 + m) * 60;
            offset = Some(if sign == '-' { -secs } else { secs });
        } else if let Some((_, h)) = ZONES.iter().find(|(z, _)| *z == word) {
            offset = Some(h * 3600);
        } else if word == "am" || word == "pm" {
            pm = Some(word == "pm");
        } else if word.contains(':') {
            let (clock, suffix) = match word.strip_suffix("pm").or_else(|| word.strip_suffix("am")) {
                Some(c) => (c, Some(word.ends_with("pm"))),
                None => (word.as_str(), None),
            };
            let mut parts = clock.split(':').map(|p| p.split('.').next().unwrap_or("").parse::<u32>());
            let h = parts.next()?.ok()?;
            let m = parts.next().unwrap_or(Ok(0)).ok()?;
            let sec = parts.next().unwrap_or(Ok(0)).ok()?;
            hms = Some((h, m, sec));
            if suffix.is_some() {
                pm = suffix;
            }
        } else if word.contains(['/', '-', '.']) && word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            let parts: Vec<u32> = word.split(['/', '-', '.']).map(|p| p.parse().ok()).collect::<Option<_>>()?;
            let [a, b, c] = parts[..] else { return None };
            if word.split(['/', '-', '.']).next().is_some_and(|p| p.len() == 4) {
                (year, month, day) = (Some(a as i32), Some(b), Some(c));
            } else {
                (day, month, year) = (Some(a), Some(b), Some(c as i32));
            }
        } else if let Some(m) = MONTHS.iter().position(|m| word.len() >= 3 && word.starts_with(m)) {
            if month.is_some() && day.is_some() {
                // A weekday name would be caught here only if it looked like a month: none does.
                return None;
            }
            month = Some(m as u32 + 1);
        } else if let Some(n) = word
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<u32>()
            .ok()
            .filter(|_| word.chars().next().is_some_and(|c| c.is_ascii_digit()))
        {
            numbers.push((n, word.len()));
        } else if ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().any(|d| word.starts_with(d))
            || matches!(word.as_str(), "at" | "of" | "the" | "t")
        {
        } else {
            return None;
        }
    }
    for (n, len) in numbers {
        if len >= 4 || n > 31 {
            year = year.or(Some(n as i32));
        } else if day.is_none() {
            day = Some(n);
        } else if year.is_none() {
            year = Some(n as i32 + if n < 69 { 2000 } else { 1900 });
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let (mut h, m, sec) = hms.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let local = date.and_hms_opt(h, m, sec)?;
    match offset {
        Some(secs) => FixedOffset::east_opt(secs)?.from_local_datetime(&local).single(),
        None => tz.from_local_datetime(&local).earliest().map(|d| d.fixed_offset()),
    }
}

/// `2024-01-02-some-title.md` (or `2024-1-2-...`, as Jekyll allows) →
/// (date, `some-title`).
pub(super) fn file_date(stem: &str) -> Option<(NaiveDate, &str)> {
    let (day, rest) = broadsheet_base::date::from_file_name(stem)?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
    (!rest.is_empty()).then_some((day, rest))
}

pub(super) fn midnight(day: NaiveDate, tz: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
    tz.unwrap_or(chrono_tz::UTC).from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest().map(|d| d.fixed_offset())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_prose_are_read_as_rubys_time_parse_reads_them() {
        let utc = chrono_tz::UTC;
        let read = |s: &str| prose_date(s, utc).map(|d| d.to_rfc3339());
        assert_eq!(read("June 2, 2020").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("2 June 2020").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("Jun 2nd, 2020").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("June 2, 2020 10:30 PM").as_deref(), Some("2020-06-02T22:30:00+00:00"));
        assert_eq!(read("Tue, 02 Jun 2020 10:00:00 +0200").as_deref(), Some("2020-06-02T10:00:00+02:00"));
        assert_eq!(read("June 2 2020 10:30:00 EST").as_deref(), Some("2020-06-02T10:30:00-05:00"));
        assert_eq!(read("2020/06/02").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("06/02/2020").as_deref(), Some("2020-02-06T00:00:00+00:00"), "day first, as Ruby reads it");
        assert_eq!(read("02.06.2020").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("someday"), None);
        let front: Value = serde_json::json!({"date": "June 2, 2020"});
        let london: chrono_tz::Tz = "Europe/London".parse().unwrap();
        assert_eq!(date_of(&front, "date", Some(london)).unwrap().to_rfc3339(), "2020-06-02T00:00:00+01:00");
    }
}
