//! Mistakes in a site are reported as `path:line:column: error: ...`, all of
//! them in one run, with exit code 1, and the previous output untouched.

use crate::harness::{SiteTest, check_golden, snapshot_tree};

/// Builds a site holding one article file and asserts the one error printed.
fn check_article(contents: &str, expected: &str) {
    let built = SiteTest::new().file("content/world/story.md", contents).build();
    assert_eq!(built.errors(), [expected]);
}

#[test]
fn malformed_toml() {
    check_article(
        "+++\ntitle = \"Unclosed\ndate = 2026-01-01\n+++\n",
        "content/world/story.md:2:18: error: invalid basic string, expected `\"`",
    );
}

#[test]
fn malformed_yaml() {
    check_article(
        "---\ntitle: Fine\ndate: 2026-01-01\ntags: [one, two\n---\n",
        "content/world/story.md:4:7: error: unclosed bracket '['",
    );
}

#[test]
fn missing_date() {
    // A byline makes it a story (a folder of title-only files holds
    // standalone pages: see standalone.rs).
    check_article(
        "+++\ntitle = \"No date\"\nauthors = [\"Ann\"]\n+++\n",
        "content/world/story.md:1:1: error: missing `date`: expected a date such as 2026-10-14, \"2026-10-14 09:30\" or 2026-10-14T09:30:00-04:00 (or a file name starting with one, such as 2026-10-14-slug.md)",
    );
}

#[test]
fn unparsable_date() {
    check_article(
        "+++\ntitle = \"Bad date\"\ndate = \"next tuesday\"\n+++\n",
        "content/world/story.md:3:8: error: date: `next tuesday` is not a valid date: expected a date such as 2026-10-14, \"2026-10-14 09:30\" or 2026-10-14T09:30:00-04:00",
    );
}

#[test]
fn impossible_date_in_yaml() {
    check_article(
        "---\ntitle: Leap\ndate: 2025-02-30\n---\n",
        "content/world/story.md:3:7: error: date: `2025-02-30` is not a valid date: expected a date such as 2026-10-14, \"2026-10-14 09:30\" or 2026-10-14T09:30:00-04:00",
    );
}

#[test]
fn date_of_the_wrong_type() {
    check_article(
        "+++\ntitle = \"Typed\"\ndate = 20260101\n+++\n",
        "content/world/story.md:3:8: error: date: expected a date such as 2026-10-14, \"2026-10-14 09:30\" or 2026-10-14T09:30:00-04:00, found 20260101",
    );
}

#[test]
fn missing_title() {
    check_article(
        "+++\ndate = 2026-01-01\n+++\n",
        "content/world/story.md:1:1: error: missing `title`: expected a headline such as `title = \"...\"` in the front matter",
    );
}

#[test]
fn unknown_field_names_the_closest() {
    check_article(
        "+++\ntitle = \"x\"\ndate = 2026-01-01\nautors = [\"ann\"]\n+++\n",
        "content/world/story.md:4:1: error: unknown field `autors`: did you mean `authors`?",
    );
}

#[test]
fn missing_front_matter() {
    check_article(
        "# Just a heading\n",
        "content/world/story.md:1:1: error: expected front matter: the file must start with a `+++` line (TOML) or a `---` line (YAML)",
    );
}

#[test]
fn not_utf8_names_the_position() {
    let built = SiteTest::new().file("content/world/story.md", b"+++\ntitle = \"caf\xe9\"\n+++\n").build();
    assert_eq!(
        built.errors(),
        [
            "content/world/story.md:2:13: error: file is not valid UTF-8: expected UTF-8 text (re-save the file as UTF-8)"
        ]
    );
}

#[test]
fn two_articles_with_one_url_name_both_files() {
    let built = SiteTest::new()
        .file("content/world/a.md", "+++\ntitle = \"A\"\ndate = 2026-01-01\n+++\n")
        .file("content/world/b.md", "+++\ntitle = \"B\"\ndate = 2026-01-02\nslug = \"a\"\n+++\n")
        .build();
    assert_eq!(
        built.errors(),
        [
            "content/world/b.md:4:1: error: URL /world/a/ is claimed twice: by content/world/a.md and by content/world/b.md"
        ]
    );
}

#[test]
fn template_error_names_the_template_and_line() {
    let built = SiteTest::new()
        .file("content/world/a.md", "+++\ntitle = \"A\"\ndate = 2026-01-01\n+++\n")
        .file(
            "templates/article.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ article.nope.deeper }}\n{% endblock content %}\n",
        )
        .build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/article.html:3:12: error: Field `nope` is not defined"), "{}", errors[0]);
    assert!(errors[0].contains("nope"), "{}", errors[0]);
    assert!(errors[0].contains("(while rendering /world/a/)"), "{}", errors[0]);
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let built = SiteTest::new()
        .file("content/world/a.md", "+++\ntitle = \"A\"\ndate = 2026-01-01\n+++\n")
        .file(
            "templates/section.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
        )
        .build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/section.html:3:"), "{}", errors[0]);
}

#[test]
fn unknown_config_key_names_the_closest() {
    let built = SiteTest::new()
        .file("site.toml", "title = \"T\"\nbase_url = \"https://e.com/\"\nper_pge = 5\n")
        .file("content/news/a.md", "+++\ntitle = \"A\"\ndate = 2026-01-01\n+++\nA.\n")
        .build();
    assert_eq!(built.errors(), ["site.toml:3:1: error: unknown field `per_pge`: did you mean `per_page`?"]);
}

/// The `broken` fixture holds one of each mistake: every one is reported
/// in a single run (golden file), the exit code is 1, and the previous
/// output is left byte for byte as it was.
#[test]
fn every_error_in_one_run_and_previous_output_intact() {
    let test = SiteTest::new().file("content/world/good.md", "+++\ntitle = \"Good\"\ndate = 2026-01-01\n+++\nFine.\n");
    test.build().report();
    let before = snapshot_tree(&test.output());
    crate::harness::copy_tree(&crate::harness::repo().join("tests/fixtures/broken"), test.root());

    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    check_golden("broken.stderr", &run.stderr);
    assert_eq!(run.stdout, "");
    assert!(before == snapshot_tree(&test.output()), "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(test.root()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().contains("staging")), "{leftovers:?}");
}

#[test]
fn output_folder_may_not_be_the_site_or_its_sources() {
    let test = SiteTest::new().file("content/world/a.md", "+++\ntitle = \"A\"\ndate = 2026-01-01\n+++\n");
    for bad in [".", "content", "templates/out", ".."] {
        let run = test.cli(&["build", "--output", bad]);
        assert_eq!(run.code, Some(1), "--output {bad}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: refusing to use"), "{}", run.stderr);
    }
    assert!(test.root().join("content/world/a.md").is_file());
}

#[test]
fn usage_errors_exit_with_2_and_help_explains_flags() {
    let test = SiteTest::new();
    assert_eq!(test.cli(&["build", "--nope"]).code, Some(2));
    let help = test.cli(&["build", "--help"]);
    assert_eq!(help.code, Some(0));
    for flag in ["--root", "--output", "--base-url", "--drafts", "--future"] {
        assert!(help.stdout.contains(flag), "--help does not explain {flag}");
    }
}

#[test]
fn missing_site_toml_is_reported() {
    let run = SiteTest::fixture("basic").cli(&["build", "--root", "content"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.starts_with("site.toml:1:1: error: no site here: "), "{}", run.stderr);
    assert!(run.stderr.contains("content has no site.toml"), "it names the folder: {}", run.stderr);
}

#[test]
fn a_misspelt_template_is_a_warning_naming_the_one_meant_and_a_partial_a_template_includes_is_not() {
    let built = SiteTest::fixture("basic")
        .file("templates/artcle.html", "{% extends \"base.html\" %}")
        .file("templates/partials/note.html", "<p class=\"house-note\">House note</p>")
        .file(
            "templates/page.html",
            std::fs::read_to_string(crate::harness::repo().join("templates/page.html")).unwrap().replacen(
                "{% block content %}",
                "{% block content %}{% include \"partials/note.html\" %}",
                1,
            ),
        )
        .build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    let about: Vec<&String> = warnings.iter().filter(|w| w.starts_with("templates/")).collect();
    assert_eq!(
        about,
        [
            "templates/artcle.html:1:1: warning: template `artcle.html` is not used: Broadsheet renders no page with it and no template includes it: did you mean `article.html`?"
        ],
        "{warnings:?}"
    );
}

#[test]
fn the_sites_own_stylesheets_load_after_the_themes_on_every_page() {
    let config = "title = \"The Test Times\"\nbase_url = \"https://example.com/news/\"\n[theme]\ncss = [\"/css/newsroom.css\", \"https://cdn.example.org/fonts.css\"]\n";
    let test =
        SiteTest::fixture("basic").file("site.toml", config).file("static/css/newsroom.css", "body { color: #111; }");
    let built = test.build();
    for page in ["", "world/quake/", "world/", "tags/"] {
        let sheets = built.page(page).attrs("link[rel=stylesheet]", "href");
        assert_eq!(
            sheets,
            ["/news/css/broadsheet.css", "/news/css/newsroom.css", "https://cdn.example.org/fonts.css"],
            "{page}"
        );
    }
    assert!(built.exists("css/newsroom.css"));

    let missing = SiteTest::fixture("basic").file("site.toml", config).build();
    assert_eq!(
        missing.errors(),
        [
            "site.toml:4:8: error: theme.css: no file /css/newsroom.css in static/ (or content/): expected the path of a file there, such as \"/images/logo.png\" for static/images/logo.png"
        ]
    );
    let hostile = SiteTest::fixture("basic")
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.com/\"\n[theme]\ncss = [\"javascript:alert(1)\"]\n",
        )
        .build();
    let errors = hostile.errors();
    assert!(
        errors.iter().any(|e| e.starts_with("site.toml:4:8: error: theme.css.0 `javascript:alert(1)` is refused")),
        "{errors:?}"
    );
}

#[test]
fn a_folder_without_a_site_is_named_with_the_way_out_and_serve_does_not_start() {
    let test = SiteTest::empty();
    for command in [&["build"][..], &["serve", "--port", "0"]] {
        let run = test.cli(command);
        assert_eq!(run.code, Some(1), "{command:?}: {}", run.stderr);
        let folder = test.root().canonicalize().unwrap();
        assert!(
            run.stderr.contains(&format!("no site here: {} has no site.toml", folder.display()))
                && run.stderr.contains("`broadsheet init DIR`"),
            "{command:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_bad_value_in_site_toml_does_not_hide_the_contents_problems() {
    let built = SiteTest::new()
        .file("site.toml", "title = \"T\"\nbase_url = \"https://example.com/\"\nper_page = \"x\"\n")
        .file("content/news/bad.md", "+++\ntitle = \"Bad\"\ndate = 2026-13-40\n+++\nText.\n")
        .build();
    let errors = built.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().any(|e| e.starts_with("site.toml:3:12: error: per_page: expected a whole number")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.starts_with("content/news/bad.md:3:8: error: invalid date")), "{errors:?}");
}

#[test]
fn an_import_always_builds_what_the_build_refuses_is_left_out_and_named() {
    // A real-world breakage: the upload behind a story's featured image was
    // saved as the server's error page.
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("wp");
    crate::harness::copy_tree(&crate::harness::repo().join("tests/fixtures/import-wordpress"), &source);
    std::fs::write(
        source.join("uploads/2024/03/harbour.jpg"),
        "<!DOCTYPE html><html><body>404 Not Found</body></html>",
    )
    .unwrap();
    let test = SiteTest::empty();
    let into = test.root().to_str().unwrap().to_string();
    let export = source.join("export.xml");
    let uploads = source.join("uploads");
    let run = test.cli(&[
        "import",
        "wordpress",
        export.to_str().unwrap(),
        "--uploads",
        uploads.to_str().unwrap(),
        "--into",
        &into,
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("Left out 1 file so the site builds: moved to import-left-out/"), "{}", run.stdout);
    let report = std::fs::read_to_string(test.root().join("import-report.md")).unwrap();
    let section = report.split("## Left out so the site builds").nth(1).unwrap_or_else(|| panic!("{report}"));
    assert!(
        section.contains("`content/news/harbour-wall-repairs-begin` (line 10: photo harbour.jpg is an HTML page"),
        "{section}"
    );
    assert!(test.root().join("import-left-out/content/news/harbour-wall-repairs-begin/index.md").is_file());
    let built = test.build();
    assert!(built.report().articles > 0);
    assert!(!built.exists("news/harbour-wall-repairs-begin/index.html"));
}

/// The long flags a `--help` lists (`  -x, --flag <V>` or `      --flag`).
fn help_flags(help: &str) -> std::collections::BTreeSet<String> {
    help.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l
                .strip_prefix('-')
                .filter(|r| r.chars().next().is_some_and(|c| c != '-'))
                .map_or(l, |r| r.split_once(", ").map_or(l, |(_, rest)| rest));
            let flag: String =
                l.strip_prefix("--")?.chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect();
            (!flag.is_empty() && flag != "help" && flag != "version").then(|| format!("--{flag}"))
        })
        .collect()
}

#[test]
fn the_readmes_command_lines_and_each_commands_help_name_the_same_flags() {
    let readme = std::fs::read_to_string(crate::harness::repo().join("README.md")).unwrap();
    let block = readme.split("## Command line").nth(1).unwrap().split("`broadsheet --help`").next().unwrap();
    let mut documented: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    let test = SiteTest::new();
    for line in block.lines().filter_map(|l| l.trim().strip_prefix("broadsheet ")) {
        let path: Vec<&str> =
            line.split_whitespace().take_while(|w| w.chars().all(|c| c.is_ascii_lowercase())).collect();
        let flags = line
            .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
            .filter(|w| w.starts_with("--"))
            .map(|w| w.trim_end_matches(|c: char| !c.is_ascii_lowercase()).to_string());
        documented.entry(path.join(" ")).or_default().extend(flags);
    }
    let top = test.cli(&["--help"]);
    let commands: Vec<String> = top
        .stdout
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help" && c.chars().all(|ch| ch.is_ascii_lowercase()))
        .map(str::to_string)
        .collect();
    for command in &commands {
        assert!(
            documented.keys().any(|k| k == command || k.starts_with(&format!("{command} "))),
            "README's command lines leave out `broadsheet {command}`"
        );
    }
    for (path, flags) in &documented {
        let mut args: Vec<&str> = path.split(' ').collect();
        args.push("--help");
        let help = test.cli(&args);
        assert_eq!(help.code, Some(0), "broadsheet {path} --help: {}", help.stderr);
        let listed = help_flags(&help.stdout);
        let missing_in_help: Vec<&String> = flags.iter().filter(|f| !listed.contains(*f)).collect();
        assert!(
            missing_in_help.is_empty(),
            "README shows `broadsheet {path}` with {missing_in_help:?}, which its --help does not list"
        );
        let missing_in_readme: Vec<&String> = listed.iter().filter(|f| !flags.contains(*f)).collect();
        assert!(
            missing_in_readme.is_empty(),
            "`broadsheet {path} --help` lists {missing_in_readme:?}, which README's command lines leave out"
        );
    }
}
