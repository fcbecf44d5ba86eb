//! Splitting, parsing and reading front matter (TOML and YAML, every field
//! and synonym) never panics, and a successful split always cuts the file
//! at line boundaries.
#![no_main]
use broadsheet::content::fields::{UnknownFields, article};
use broadsheet::content::frontmatter::{parse, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(s) = split(&text) {
        assert!(text.len() >= s.front.len() + s.body.len());
        if let Ok(tree) = parse(&s) {
            let _ = article(&tree, UnknownFields::Error);
            let _ = article(&tree, UnknownFields::Extra);
        }
    }
});
