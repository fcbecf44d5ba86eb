//! Reading a date in any timezone never panics, and an accepted date is a
//! real instant that prints as RFC 3339 and reads back as the same instant.
//! (Before standard time, zones use local mean time with offsets in seconds,
//! such as -04:56:02; RFC 3339 offsets have whole minutes, so those instants
//! read back within a minute.)
#![no_main]
use broadsheet::date::parse;
use chrono::Datelike;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for tz in [chrono_tz::UTC, chrono_tz::America::New_York, chrono_tz::Australia::Lord_Howe] {
        // Within a day of the ends of years 1-9999 the offset can carry an
        // instant across the limit, so the round trip is checked inside them.
        if let Ok(date) = parse(text, tz).map_err(|_| ()).and_then(|d| if (2..=9998).contains(&d.year()) { Ok(d) } else { Err(()) }) {
            let again = parse(&date.to_rfc3339(), tz).expect("an RFC 3339 date reads back");
            assert!((again - date).num_seconds().abs() < 60, "{date} read back as {again}");
        }
    }
});
