//! The built-in theme's colours meet WCAG AA contrast in light and dark
//! mode, read from the stylesheet itself.

use std::collections::HashMap;

use crate::harness::repo;

/// The custom properties of each `:root { ... }` block, in order.
fn palettes(css: &str) -> Vec<HashMap<String, String>> {
    css.match_indices(":root {")
        .map(|(start, _)| {
            let body = &css[start + 7..start + css[start..].find('}').unwrap()];
            body.split(';')
                .filter_map(|decl| decl.trim().strip_prefix("--")?.split_once(':'))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect()
        })
        .collect()
}

fn luminance(hex: &str) -> f64 {
    let short = hex.trim_start_matches('#');
    let hex: String = if short.len() == 3 { short.chars().flat_map(|c| [c, c]).collect() } else { short.to_string() };
    let channel = |i: usize| {
        let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn text_colours_meet_wcag_aa_in_light_and_dark_mode() {
    let css = std::fs::read_to_string(repo().join("static/css/broadsheet.css")).unwrap();
    let palettes = palettes(&css);
    assert_eq!(palettes.len(), 2, "a light and a dark palette");
    for (mode, palette) in ["light", "dark"].iter().zip(&palettes) {
        for text in
            ["ink", "muted", "accent", "link", "hl-comment", "hl-keyword", "hl-string", "hl-constant", "hl-name"]
        {
            let ratio = contrast(&palette[text], &palette["paper"]);
            assert!(ratio >= 4.5, "{mode}: --{text} on --paper is {ratio:.2}:1, below 4.5:1");
        }
    }
    assert!(contrast("#ffffff", &palettes[0]["accent"]) >= 4.5, "white text on the breaking banner");
}

#[test]
fn contrast_formula_matches_known_values() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 0.01);
    assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
}

#[test]
fn theme_eject_copies_the_built_in_theme_which_builds_the_same_site_until_edited() {
    let test = crate::harness::SiteTest::fixture("basic");
    test.build().report();
    let snapshot = |dir: &std::path::Path| {
        let mut tree = crate::harness::snapshot_tree(dir);
        tree.remove(std::path::Path::new(".broadsheet-output"));
        tree
    };
    let built_in = snapshot(&test.output());
    let run = test.cli(&["theme", "eject"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let article = std::fs::read_to_string(test.root().join("templates/article.html")).unwrap();
    assert!(article.contains("Copied from the built-in theme of Broadsheet"), "the copy says where it came from");
    assert!(
        test.root().join("static/css/broadsheet.css").is_file() && test.root().join("static/js/search.js").is_file()
    );
    let after = test.build();
    assert!(after.report().warnings.is_empty(), "{:?}", after.report().warnings);
    assert!(snapshot(&test.output()) == built_in, "the ejected theme builds byte for byte the same site");
    // The copy is the theme now: an edit shows.
    test.edit("templates/article.html", "<h1>", "<h1 class=\"ours\">");
    assert_eq!(test.build().page("world/quake/").count("h1.ours"), 1);
    // A second eject writes nothing over the site's files.
    let again = test.cli(&["theme", "eject"]);
    assert_eq!(again.code, Some(2), "{}", again.stderr);
    assert!(again.stderr.contains("nothing was written"), "{}", again.stderr);
    assert!(std::fs::read_to_string(test.root().join("templates/article.html")).unwrap().contains("class=\"ours\""));
}
