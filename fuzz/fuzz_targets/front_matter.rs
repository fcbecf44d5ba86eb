//! Splitting and parsing front matter (TOML and YAML) never panics, and a
//! successful split always cuts the file at line boundaries.
#![no_main]
use broadsheet::content::frontmatter::{RawArticle, parse, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(s) = split(&text) {
        assert!(text.len() >= s.front.len() + s.body.len());
        let _ = parse::<RawArticle>(&s);
    }
});
