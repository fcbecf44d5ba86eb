//! Slugs: the lowercase, hyphenated path segments used in URLs. Unicode
//! letters are kept (lowercased, NFC-normalised, with the marks that belong
//! to them), so `Zürich` gives `zürich`; everything that
//! is not a letter or digit becomes a single hyphen. A slug never contains
//! `/`, `\`, `.` or NUL, so it can never leave the folder it names.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The id a heading of a page gets: `wanted` ("section" when empty), with
/// `-1`, `-2`, ... added when `used` has it already (the renderer's ids,
/// and the links an imported table of contents makes to them).
pub fn heading_id(used: &mut std::collections::HashSet<String>, wanted: String) -> String {
    let wanted = if wanted.is_empty() { "section".to_string() } else { wanted };
    let mut candidate = wanted.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    candidate
}

/// Turns a title, tag or file name into a URL segment. May return an empty
/// string when the input has no letters or digits; callers report that.
pub fn slugify(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_hyphen = false;
    let mut in_word = false;
    for c in input.nfc() {
        if is_combining_mark(c) {
            // A mark belongs to the letter before it (Devanagari's virama,
            // the dot lowercasing leaves on `i̇`); with no letter before it,
            // it is not part of a word.
            if in_word {
                out.push(c);
            }
        } else if c.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            in_word = true;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "Russia's" -> "russias", as newspapers' URLs do.
        } else {
            pending_hyphen = true;
            in_word = false;
        }
    }
    // Lowercasing can leave marks out of canonical order (`İ` + a mark).
    let slug: String = out.nfc().collect();
    shorten(slug)
}

/// The most bytes a slug keeps: a file name may have 255, and a slug also
/// names a page's folder beside `feed.xml` (a byline pasted whole into
/// `author`, URLs and all, made a 300-byte slug on a real site).
pub const MAX_BYTES: usize = 100;

/// `slug` cut to at most [`MAX_BYTES`], at a hyphen when there is one.
fn shorten(slug: String) -> String {
    if slug.len() <= MAX_BYTES {
        return slug;
    }
    let mut end = MAX_BYTES;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let cut = slug[..end].rfind('-').filter(|&at| at > MAX_BYTES / 2).unwrap_or(end);
    slug[..cut].trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    fn check(input: &str, expected: &str) {
        assert_eq!(slugify(input), expected, "slugify({input:?})");
    }

    #[test]
    fn long_slugs_are_cut_at_a_hyphen_and_fit_a_file_name() {
        let byline = "Alexey Alexandrov (https://github.com/aalexand, Google), Ivo Anjo (https://github.com/ivoanjo, Datadog), Felix Geisendörfer (http://github.com/felixge, Datadog)";
        let slug = slugify(byline);
        assert!(slug.len() <= super::MAX_BYTES, "{slug}");
        assert!(slug.starts_with("alexey-alexandrov-https-github-com") && !slug.ends_with('-'), "{slug}");
        check(&"ü".repeat(80), &"ü".repeat(50));
    }

    #[test]
    fn lowercases_and_hyphenates() {
        check("Hello, World!", "hello-world");
    }

    #[test]
    fn keeps_unicode_letters() {
        check("Zürich Café", "zürich-café");
    }

    #[test]
    fn slugging_twice_changes_nothing() {
        for found_by_fuzzing in ["İstanbul", "\u{b0}\u{130}\u{34d}\u{130}", "u 0 \u{36d} \u{36d}\u{34d}"] {
            assert_eq!(slugify(&slugify(found_by_fuzzing)), slugify(found_by_fuzzing));
        }
    }

    #[test]
    fn composed_and_decomposed_letters_give_one_slug() {
        assert_eq!(slugify("Cafe\u{301}"), slugify("Café"));
    }

    #[test]
    fn keeps_indic_vowel_signs() {
        check("हिन्दी समाचार", "हिन्दी-समाचार");
    }

    #[test]
    fn drops_apostrophes() {
        check("Russia’s war", "russias-war");
    }

    #[test]
    fn collapses_and_trims_separators() {
        check("  --a  &  b--  ", "a-b");
    }

    #[test]
    fn never_keeps_path_characters() {
        check("../etc/passwd", "etc-passwd");
        check("C:\\win\0dows", "c-win-dows");
    }

    #[test]
    fn empty_when_nothing_to_keep() {
        check("!!!", "");
    }

    proptest::proptest! {
        /// Whatever the input, a slug is one safe path segment: no separator,
        /// no dot, no NUL, no stray hyphens, and slugging it again changes nothing.
        #[test]
        fn slugs_are_single_safe_segments(input in "\\PC*") {
            let slug = slugify(&input);
            proptest::prop_assert!(!slug.contains(['/', '\\', '.', '\0', ':', '%', ' ']));
            proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
            proptest::prop_assert_eq!(slugify(&slug), slug.clone());
        }
    }
}
