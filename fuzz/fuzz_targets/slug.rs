//! A slug is always one safe path segment, and slugging is idempotent.
#![no_main]
use broadsheet::slug::slugify;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let slug = slugify(&text);
    assert!(!slug.contains(['/', '\\', '.', '\0', ':', '%', ' ']), "{slug:?}");
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
    assert_eq!(slugify(&slug), slug);
});
