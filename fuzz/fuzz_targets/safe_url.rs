//! The URL policy: whatever address `safe_url::check` lets through, a
//! browser resolving it against any page of any site lands on http(s) or
//! mailto:, and `check_web` never lets mailto: through. Also: the address
//! survives being trimmed the way front matter values are.
#![no_main]
use libfuzzer_sys::fuzz_target;

const BASES: [&str; 4] = ["https://example.com/", "http://user.github.io/repo/a/b/", "https://x.invalid/?q#f", "http://[::1]:8000/"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let accepted = broadsheet::safe_url::check(&text).is_ok();
    let web = broadsheet::safe_url::check_web(&text).is_ok();
    assert!(!web || accepted, "check_web accepted what check refused: {text:?}");
    for base in BASES {
        let Ok(base) = url::Url::parse(base) else { continue };
        let Ok(resolved) = base.join(&text) else { continue };
        if accepted {
            assert!(matches!(resolved.scheme(), "http" | "https" | "mailto"), "{text:?} -> {resolved}");
        }
        if web {
            assert!(matches!(resolved.scheme(), "http" | "https"), "{text:?} -> {resolved}");
        }
    }
});
