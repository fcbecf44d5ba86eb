//! What the folder readers share: walking a source folder (hidden files
//! left out, symbolic links out of it reported), front matter in TOML,
//! YAML or JSON and configuration files as JSON values read with any
//! key's case, dates as written with their offsets, one language's files
//! by name (`x.fr.md`), images borrowed from another bundle, and the
//! timezone that fits the offsets a source writes (shared with the
//! WordPress reader). Hugo's and Zola's readers both use them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{DateTime, Datelike, FixedOffset, TimeZone};
use serde_json::{Map, Value};

use crate::Imported;

/// Sections with no dated file and more files than this are documentation,
/// not news: they are left out (with a note) rather than made into pages.
pub(crate) const DOCS_SECTION: usize = 30;

/// A source folder's files, relative to it, hidden ones left out; a
/// symbolic link is kept when it leads to a file inside `dir`, and listed
/// apart when it does not (for a report line).
pub(crate) fn walk_files(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut files, mut links) = (Vec::new(), Vec::new());
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok);
    for e in entries {
        let Ok(rel) = e.path().strip_prefix(dir) else { continue };
        if e.file_type().is_file() || (e.path_is_symlink() && broadsheet_base::confine::is_file(dir, rel)) {
            files.push(rel.to_path_buf());
        } else if e.path_is_symlink() {
            links.push(e.path().to_path_buf());
        }
    }
    files.sort();
    (files, links)
}

/// Every file below `dir`, relative to it, hidden files left out (links
/// out of it are said by the walk of the whole folder).
pub(crate) fn walk(dir: &Path) -> Vec<PathBuf> {
    crate::common::walk_files(dir).0
}

/// Every file below `dir`, with a report line for each symbolic link out of it.
pub(crate) fn walk_noting(dir: &Path, imported: &mut Imported) -> Vec<PathBuf> {
    let (files, links) = crate::common::walk_files(dir);
    for link in links {
        imported.skipped_link(dir, &link);
    }
    files
}

/// `static/`'s files: (source, path under static/).
pub(crate) fn statics(dir: &Path, imported: &mut Imported) -> Vec<(PathBuf, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walk_noting(dir, imported).into_iter().map(|rel| (dir.join(&rel), rel)).collect()
}

/// `x.fr` → (`x`, Some(`fr`)) when `fr` is one of the site's languages.
pub(crate) fn split_lang<'a>(stem: &'a str, languages: &BTreeSet<String>) -> (&'a str, Option<&'a str>) {
    match stem.rsplit_once('.') {
        Some((base, lang)) if languages.iter().any(|l| l.eq_ignore_ascii_case(lang)) => (base, Some(lang)),
        _ => (stem, None),
    }
}

/// A value by key, any case (Hugo's keys are case-insensitive).
pub(crate) fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

pub(crate) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of names: a list, or one name.
pub(crate) fn list_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a
            .iter()
            .filter_map(|x| text_of(x).or_else(|| x.as_object().and_then(|o| get(o, "name")).and_then(text_of)))
            .collect(),
        Value::Object(o) => get(o, "name").and_then(text_of).into_iter().collect(),
        v => text_of(v).into_iter().collect(),
    }
}

/// A file's front matter, as JSON values, and its body.
pub(crate) struct Front<'a> {
    pub data: Map<String, Value>,
    pub body: &'a str,
    /// The 1-based line of the file the body starts on.
    pub body_line: usize,
}

/// Splits and parses TOML (`+++`), YAML (`---`) or JSON (`{`) front matter.
/// Blank lines and spaces before it are skipped, as Hugo and Zola (its only
/// readers here; Jekyll's reader has its own, strict one) skip them.
pub(crate) fn front_matter(text: &str) -> Result<Front<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let first = trimmed.lines().next().unwrap_or("").trim_end();
    if trimmed.len() == text.len() || !matches!(first, "+++" | "---") {
        return front_matter_at_start(text);
    }
    let skipped = text[..text.len() - trimmed.len()].matches('\n').count();
    let mut front = front_matter_at_start(trimmed)?;
    front.body_line += skipped;
    Ok(front)
}

/// Front matter that starts on the text's first line.
fn front_matter_at_start(text: &str) -> Result<Front<'_>, String> {
    let first = text.lines().next().unwrap_or("").trim_end();
    let lines_in = |s: &str| s.matches('\n').count();
    if first == "+++" || first == "---" {
        let start = text.find('\n').map_or(text.len(), |i| i + 1);
        if let Some((front_len, body_at)) = broadsheet_base::front::closing(&text[start..], &[first]) {
            let (front, body) = (&text[start..start + front_len], &text[start + body_at..]);

            let data = if first == "+++" {
                let table: toml::Table = toml::from_str(front).map_err(|e| e.message().to_string())?;
                match toml_json(toml::Value::Table(table)) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                }
            } else if front.trim().is_empty() {
                Map::new()
            } else {
                match serde_saphyr::from_str::<Value>(front).map_err(|e| e.to_string())? {
                    Value::Object(m) => m,
                    Value::Null => Map::new(),
                    _ => return Err("the front matter is not a table of fields".into()),
                }
            };
            return Ok(Front { data, body, body_line: lines_in(&text[..start + body_at]) + 1 });
        }
        return Err(format!("the front matter opened with `{first}` is never closed"));
    }
    if text.trim_start().starts_with('{') {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        return match stream.next() {
            Some(Ok(Value::Object(data))) => {
                let end = stream.byte_offset();
                Ok(Front { data, body: &text[end..], body_line: lines_in(&text[..end]) + 1 })
            }
            Some(Err(e)) => Err(e.to_string()),
            _ => Err("the front matter is not a table of fields".into()),
        };
    }
    Ok(Front { data: Map::new(), body: text, body_line: 1 })
}

pub(crate) fn toml_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_json(v))).collect()),
    }
}

/// A configuration file (TOML, YAML or JSON) as JSON values.
pub(crate) fn read_config(path: &Path) -> broadsheet_base::error::Result<Map<String, Value>> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let value = match ext {
        "toml" => toml::from_str::<toml::Table>(&text)
            .map(|t| toml_json(toml::Value::Table(t)))
            .map_err(|e| anyhow!("{}: {}", path.display(), e.message()))?,
        "json" => serde_json::from_str::<Value>(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?,
        _ if text.trim().is_empty() => Value::Object(Map::new()),
        _ => serde_saphyr::from_str::<Value>(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?,
    };
    match value {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        _ => Err(anyhow!("{}: expected a table of settings", path.display()).into()),
    }
}

/// A date as written: its own offset kept (Hugo and Zola put the written
/// date in URLs); a date without an offset is read in `tz`.
pub(crate) fn parse_date(s: &str, tz: chrono_tz::Tz) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    // `2022-05-10 8:30:00+00:00`: a single-digit hour.
    let fixed;
    let s = match s.as_bytes().get(10..13) {
        Some([b' ' | b'T', h, b':']) if h.is_ascii_digit() => {
            fixed = format!("{}0{}", &s[..11], &s[11..]);
            fixed.as_str()
        }
        _ => s,
    };
    // Go's default layout (`2006-01-02 15:04:05 -0700 MST`) besides the writers' forms.
    let date = broadsheet_base::date::parse_as_written(s, tz)
        .ok()
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z %Z").ok())?;
    (1..=9999).contains(&date.year()).then_some(date)
}

/// A featured image written as another page's old address
/// (`/2023/06/21/x/cover.jpg`) is that bundle's file: it is copied beside
/// this item too. One found nowhere is dropped, with a note.
pub(crate) fn borrowed_images(imported: &mut Imported, static_dir: &Path) {
    let bundles: BTreeMap<String, Vec<(PathBuf, String)>> = imported
        .items
        .iter()
        .filter(|i| !i.files.is_empty())
        .flat_map(|i| i.old_paths.iter().map(move |p| (p.trim_matches('/').to_string(), i.files.clone())))
        .collect();
    let mut notes = Vec::new();
    for item in imported.items.iter_mut() {
        let Some(src) = item.image.clone() else { continue };
        let Some(path) = src.strip_prefix('/') else { continue };
        if static_dir.join(path).is_file() {
            continue;
        }
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        match bundles.get(dir).and_then(|files| files.iter().find(|(_, n)| n == name)) {
            Some((from, name)) => {
                if !item.files.iter().any(|(_, n)| n == name) {
                    item.files.push((from.clone(), name.clone()));
                }
                item.image = Some(name.clone());
            }
            None => {
                item.image = None;
                notes.push((item.origin.clone(), format!("its image `{src}` is not in the site: add one by hand")));
            }
        }
    }
    for (origin, what) in notes {
        imported.note(origin, what);
    }
}

/// The zone whose offsets the most of these times have (exports and
/// front matter give offsets, not the zone), tried on up to 400 of them
/// across the archive; `None` when every offset is UTC's. Dates in URLs
/// and on pages are the site's local dates.
pub(crate) fn best_zone(dates: &[DateTime<FixedOffset>]) -> Option<chrono_tz::Tz> {
    if dates.iter().all(|d| d.offset().local_minus_utc() == 0) {
        return None;
    }
    let step = (dates.len() / 400).max(1);
    let sample: Vec<&DateTime<FixedOffset>> = dates.iter().step_by(step).collect();
    let fits = |tz: &chrono_tz::Tz| {
        sample
            .iter()
            .filter(|d| {
                use chrono::Offset as _;
                d.with_timezone(tz).offset().fix().local_minus_utc() == d.offset().local_minus_utc()
            })
            .count()
    };
    // Zones of the most newsrooms first; aliases (`GB`, `Etc/...`) last.
    const REGIONS: &[&str] =
        &["America/", "Europe/", "Asia/", "Australia/", "Africa/", "Pacific/", "Atlantic/", "Indian/"];
    let rank = |name: &str| REGIONS.iter().position(|r| name.starts_with(r)).unwrap_or(REGIONS.len());
    let mut zones: Vec<&chrono_tz::Tz> = chrono_tz::TZ_VARIANTS.iter().collect();
    zones.sort_by_key(|z| (rank(z.name()), z.name()));
    let mut best: Option<(usize, chrono_tz::Tz)> = None;
    for z in zones {
        let n = fits(z);
        if n > best.map_or(0, |b| b.0) {
            best = Some((n, *z));
            if n == sample.len() {
                break;
            }
        }
    }
    best.map(|b| b.1)
}

/// A time as the site will show it in `zone`: kept when it falls on the
/// same day there as written; otherwise (its offset is not one the zone
/// has) its written day and clock time are kept in the zone, so no date
/// moves a day, and a report line says the moment moved.
pub(crate) fn as_written_in(
    date: DateTime<FixedOffset>,
    zone: chrono_tz::Tz,
    origin: &str,
    imported: &mut Imported,
) -> DateTime<FixedOffset> {
    use chrono::Offset as _;
    if date.with_timezone(&zone).date_naive() == date.date_naive() {
        return date;
    }
    let wall = date.naive_local();
    // A clock time the zone skips (a spring-forward hour) is read an hour later.
    let Some(local) = zone
        .from_local_datetime(&wall)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(wall + chrono::Duration::hours(1))).earliest())
    else {
        return date;
    };
    let kept = local.with_timezone(&local.offset().fix());
    imported.note(
        origin,
        format!(
            "its time {} has an offset the site's timezone {} does not: kept as written ({}), so it shows the same day; the moment moved by {} min",
            date.to_rfc3339(),
            zone.name(),
            kept.to_rfc3339(),
            (kept.timestamp() - date.timestamp()) / 60
        ),
    );
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_offset() {
        let d = parse_date("2022-05-10 8:30:00+02:00", chrono_tz::UTC).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-05-10T08:30:00+02:00");
        let d = parse_date("2024-01-02", chrono_tz::Europe::Paris).unwrap();
        assert_eq!(d.to_rfc3339(), "2024-01-02T00:00:00+01:00");
    }

    #[test]
    fn json_and_toml_front_matter() {
        let f = front_matter("{\n\"title\": \"A\"\n}\n\nBody").unwrap();
        assert_eq!(f.data["title"], "A");
        assert_eq!(f.body.trim(), "Body");
        assert_eq!(f.body_line, 3);
        let f = front_matter("\n  \n---\ntitle: Late\n---\nBody").unwrap();
        assert_eq!(
            (get(&f.data, "title").and_then(text_of).as_deref(), f.body, f.body_line),
            (Some("Late"), "Body", 6)
        );
        let f = front_matter("+++\ndate = 2024-03-05T09:00:00Z\n+++\nBody").unwrap();
        assert_eq!(f.data["date"], "2024-03-05T09:00:00Z");
        assert_eq!(f.body_line, 4);
    }

    #[test]
    fn mixed_offsets_get_the_zone_of_the_most_and_the_rest_keep_their_day() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let dates = [at("2024-01-15T21:30:00-05:00"), at("2024-07-04T21:15:00-04:00"), at("2024-03-12T02:00:00+05:30")];
        let zone = best_zone(&dates).unwrap();
        assert!(zone.name().starts_with("America/"), "{}", zone.name());
        assert_eq!(best_zone(&[at("2024-01-15T21:30:00+00:00")]), None);
        let mut imported = Imported::default();
        // Its day in the zone: kept as it is.
        assert_eq!(as_written_in(dates[0], zone, "a", &mut imported), dates[0]);
        // Another day in the zone: the written day and clock time, in the zone.
        let kept = as_written_in(dates[2], zone, "b", &mut imported);
        assert_eq!(kept.to_rfc3339(), "2024-03-12T02:00:00-04:00");
        assert_eq!(imported.notes.len(), 1);
        assert_eq!(imported.notes[0].origin, "b");
    }
}
