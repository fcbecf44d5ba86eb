//! A build, a deploy and `new` never cost a user their files: an output
//! folder Broadsheet did not make is refused (and, with `--force`, the
//! places no site belongs in still are), `deploy` publishes only a build's
//! output, and `new` writes drafts into sections that exist.

use std::path::Path;
use std::process::Command;

use crate::harness::{SiteTest, snapshot_tree};

/// Someone's folder with files of their own in it.
fn their_folder(dir: &Path) {
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/thesis.txt"), "Four years of work.").unwrap();
    std::fs::write(dir.join("notes.txt"), "Call the printer.").unwrap();
}

/// The binary run in the site folder with `HOME` set to `home`.
fn cli_with_home(test: &SiteTest, home: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(args)
        .current_dir(test.root())
        .env("HOME", home)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn an_output_folder_of_other_files_is_refused_and_left_as_it_was() {
    let test = SiteTest::fixture("basic");
    let folder = test.root().parent().unwrap().join("thesis");
    their_folder(&folder);
    let before = snapshot_tree(&folder);
    let run = test.cli(&["build", "--output", folder.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("refusing to use {}", folder.display())), "{}", run.stderr);
    assert!(
        run.stderr.contains("did not write") && run.stderr.contains("--force"),
        "says why and what to do: {}",
        run.stderr
    );
    assert!(snapshot_tree(&folder) == before, "the folder's files changed");
    let beside: Vec<_> =
        std::fs::read_dir(test.root().parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside.len(), 2, "no staging folder was left beside it: {beside:?}");

    // With --force the user's own choice is honoured.
    let run = test.cli(&["build", "--output", folder.to_str().unwrap(), "--force"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(folder.join("index.html").is_file() && !folder.join("notes.txt").exists());
}

#[test]
fn force_still_refuses_home_the_site_parent_and_repositories() {
    let test = SiteTest::fixture("basic");
    let tmp = test.root().parent().unwrap().to_path_buf();
    let home = tmp.join("home");
    their_folder(&home);
    let repo = tmp.join("repo");
    their_folder(&repo);
    let init = Command::new("git").args(["init", "--quiet"]).arg(&repo).envs(crate::harness::git_isolated()).output();
    if !init.is_ok_and(|o| o.status.success()) {
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    }
    let everything = snapshot_tree(&tmp);
    for (output, why) in [
        (home.to_str().unwrap(), "your home folder"),
        ("..", "contains it"),
        (tmp.to_str().unwrap(), "contains it"),
        (repo.to_str().unwrap(), "git repository"),
        (".", "the site folder"),
    ] {
        let (code, stderr) = cli_with_home(&test, &home, &["build", "--output", output, "--force"]);
        assert_eq!(code, Some(1), "--output {output} --force: {stderr}");
        assert!(stderr.contains(why), "--output {output}: {stderr}");
        assert!(stderr.contains("even --force never replaces"), "{stderr}");
    }
    // A folder inside the home folder is fine.
    let (code, stderr) = cli_with_home(&test, &home, &["build", "--output", home.join("site-out").to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    std::fs::remove_dir_all(home.join("site-out")).unwrap();
    // The photo cache that build made beside the site (ignored by git) goes too.
    let _ = std::fs::remove_dir_all(test.root().join(".broadsheet-cache"));
    assert!(snapshot_tree(&tmp) == everything, "a refused build changed a file");
}

#[test]
fn a_previous_output_and_an_empty_folder_are_replaced() {
    let test = SiteTest::fixture("basic");
    let empty = test.root().join("out");
    std::fs::create_dir_all(&empty).unwrap();
    let run = test.cli(&["build", "--output", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(empty.join(".broadsheet-output").is_file(), "the build marked its output");
    std::fs::write(empty.join("stale.html"), "gone").unwrap();
    let run = test.cli(&["build", "--output", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!empty.join("stale.html").exists(), "a build's own output is replaced whole");
    assert!(empty.join("world/paris-summit/index.html").is_file());
}

#[test]
fn new_writes_a_draft_and_refuses_a_section_that_does_not_exist() {
    let test = SiteTest::fixture("basic");
    let run = test.cli(&["new", "Council votes", "--section", "wrold"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("no section `wrold`") && run.stderr.contains("Did you mean `--section world`?"),
        "{}",
        run.stderr
    );
    assert!(!test.root().join("content/wrold").exists(), "nothing was written");
    let run = test.cli(&["new", "Council votes", "--section", "static"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("The sections are: business, world."), "{}", run.stderr);

    let run = test.cli(&["new", "Council votes", "--section", "world"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("draft"), "the writer is told it is a draft: {}", run.stderr);
    assert!(run.stderr.contains("broadsheet serve` (it shows drafts"), "and how to see it: {}", run.stderr);
    let built = test.build();
    assert!(!built.exists("world/council-votes/index.html"), "a new placeholder is not published");
    let drafts = test.build_with(broadsheet::build::BuildOptions { drafts: true, future: true, ..test.options() });
    assert_eq!(drafts.page("world/council-votes/").text("h1"), "Council votes");

    // A section whose stories sit in year folders is a section too.
    let test = test.file("content/blog/2023/old-post.md", "+++\ntitle = \"Old\"\ndate = 2023-01-01\n+++\nOld.\n");
    let run = test.cli(&["new", "Fresh post", "--section", "blog"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(test.root().join("content/blog/fresh-post.md").is_file());

    let run = test.cli(&["new", "Tide tables", "--section", "coast", "--new-section"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(test.root().join("content/coast/tide-tables.md").is_file());
}
