//! Publishing on GitHub Pages: the output works when served under a
//! project subpath (every link followed over real HTTP), the host files are
//! there, and `deploy` commits to a branch without touching the checkout.

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;
use std::process::Command;

use crate::demo::demo;
use crate::harness::{SiteTest, copy_tree};
use crate::static_server::StaticServer;
use crate::tools;

/// Follows every link and asset from `start` over HTTP, staying on the
/// server; returns (pages crawled, URLs checked) and panics listing every
/// URL that did not answer 200.
pub(crate) fn crawl(origin: &str, start: &str) -> (usize, usize) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let links = scraper::Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut queue = VecDeque::from([(start.to_string(), String::from("(start)"))]);
    let (mut pages, mut broken) = (0, Vec::new());
    while let Some((path, from)) = queue.pop_front() {
        let mut response = agent.get(&format!("{origin}{path}")).call().unwrap();
        if response.status() != 200 {
            broken.push(format!("{path} ({}) linked from {from}", response.status()));
            continue;
        }
        let is_html =
            response.headers().get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        if !is_html {
            continue;
        }
        pages += 1;
        let body = response.body_mut().read_to_string().unwrap();
        let page = scraper::Html::parse_document(&body);
        for element in page.select(&links) {
            let href = element.value().attr("href").or(element.value().attr("src")).unwrap();
            let Some(target) = resolve(&path, href, origin) else { continue };
            if seen.insert(target.clone()) {
                queue.push_back((target, path.clone()));
            }
        }
    }
    assert!(broken.is_empty(), "{} broken links:\n{}", broken.len(), broken.join("\n"));
    (pages, seen.len())
}

/// An href on the page at `page` as a server path, or `None` when it leaves
/// the server.
fn resolve(page: &str, href: &str, origin: &str) -> Option<String> {
    let href = href.split('#').next().unwrap_or("");
    if href.is_empty() || href.starts_with("mailto:") || href.starts_with("//") {
        return None;
    }
    if let Some(rest) = href.strip_prefix(origin) {
        return Some(rest.to_string());
    }
    if href.contains("://") {
        return None;
    }
    if href.starts_with('/') {
        return Some(href.to_string());
    }
    Some(format!("{}{href}", &page[..page.rfind('/').unwrap() + 1]))
}

#[test]
fn a_project_site_works_when_served_under_its_subpath() {
    let test = demo().base_url("https://user.github.io/news/");
    let built = test.build();
    built.report();
    let www = tempfile::tempdir().unwrap();
    copy_tree(&built.output, &www.path().join("news"));
    let Some(server) = StaticServer::start(www.path(), "a_project_site_works_when_served_under_its_subpath") else {
        return;
    };
    let (pages, urls) = crawl(&server.base, "/news/");
    assert!(pages > 100 && urls > pages, "crawled {pages} pages, {urls} URLs");
    // GitHub Pages answers unknown paths with /404.html; from any depth its
    // links and styles must work.
    let agent = ureq::Agent::new_with_defaults();
    let not_found =
        agent.get(&format!("{}/news/404.html", server.base)).call().unwrap().into_body().read_to_string().unwrap();
    let page = scraper::Html::parse_document(&not_found);
    let hrefs: Vec<String> = page
        .select(&scraper::Selector::parse("a[href]:not(.skip-link), link[href]").unwrap())
        .map(|e| e.value().attr("href").unwrap().to_string())
        .collect();
    assert!(hrefs.len() > 5);
    for href in &hrefs {
        assert!(
            href.starts_with("/news/") || href.starts_with("https://"),
            "{href} on the 404 page is not under /news/"
        );
        if href.starts_with("/news/") {
            let status = agent.get(&format!("{}{href}", server.base)).call().map(|r| r.status().as_u16());
            assert_eq!(status.ok(), Some(200), "{href} from the 404 page");
        }
    }
}

#[test]
fn a_custom_domain_site_works_at_the_root() {
    let test = demo().base_url("https://news.example.com/");
    let built = test.build();
    built.report();
    let Some(server) = StaticServer::start(&built.output, "a_custom_domain_site_works_at_the_root") else { return };
    let (pages, _) = crawl(&server.base, "/");
    assert!(pages > 100);
}

#[test]
fn github_pages_files_are_written() {
    let built = SiteTest::fixture("basic").build();
    assert!(built.exists(".nojekyll"), "so folders starting with _ are served");
    assert!(!built.exists("CNAME"));
    let config = std::fs::read_to_string(crate::harness::repo().join("tests/fixtures/basic/site.toml")).unwrap();
    let with_domain =
        SiteTest::fixture("basic").file("site.toml", format!("cname = \"news.example.com\"\n{config}")).build();
    assert_eq!(std::fs::read_to_string(with_domain.output.join("CNAME")).unwrap(), "news.example.com\n");
    let bad = SiteTest::fixture("basic")
        .file("site.toml", format!("cname = \"https://news.example.com/\"\n{config}"))
        .build();
    assert_eq!(
        bad.errors()[0],
        "site.toml:1:9: error: `cname` must be a bare domain such as `news.example.com`, not `https://news.example.com/`"
    );
}

/// git in `dir`, returning trimmed stdout; panics on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").arg("-C").arg(dir).args(args).envs(crate::harness::git_isolated()).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A site in a git repository with a bare `origin`.
fn repository() -> Option<(SiteTest, std::path::PathBuf)> {
    tools::require("git", "deploy tests")?;
    let test = SiteTest::fixture("basic").file(".gitignore", "/public\n");
    test.edit("site.toml", "https://example.com/", "https://newsroom.github.io/");
    let root = test.root().to_path_buf();
    let remote = root.parent().unwrap().join("remote.git");
    git(root.parent().unwrap(), &["init", "--quiet", "--bare", remote.to_str().unwrap()]);
    git(&root, &["init", "--quiet", "-b", "main"]);
    git(&root, &["config", "user.name", "Test Editor"]);
    git(&root, &["config", "user.email", "editor@example.com"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "--quiet", "-m", "The newsroom"]);
    git(&root, &["remote", "add", "origin", remote.to_str().unwrap()]);
    Some((test, remote))
}

#[test]
fn deploy_commits_the_output_to_a_branch_and_leaves_the_checkout_alone() {
    let Some((test, remote)) = repository() else { return };
    let root = test.root();
    let head = git(root, &["rev-parse", "HEAD"]);
    let run = test.cli(&["deploy"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("Deployed ") && run.stdout.contains("to origin/gh-pages as "), "{}", run.stdout);
    let remote_git = |args: &[&str]| git(&remote, args);
    assert_eq!(remote_git(&["rev-list", "--count", "gh-pages"]), "1");
    let mut published: Vec<String> =
        remote_git(&["ls-tree", "-r", "--name-only", "gh-pages"]).lines().map(String::from).collect();
    let mut built: Vec<String> =
        crate::harness::snapshot_tree(&test.output()).keys().map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    assert!(built.contains(&".broadsheet-output".to_string()), "the build marked its output");
    built.retain(|file| file != ".broadsheet-output");
    published.sort();
    built.sort();
    assert_eq!(published, built, "the branch holds exactly the output, less the build's mark");
    assert!(published.contains(&".nojekyll".to_string()));

    // A second deploy after an edit adds one commit on top.
    let story = root.join("content/world/paris-summit.md");
    let text = std::fs::read_to_string(&story).unwrap().replace("Ministers arrived", "Ministers finally arrived");
    std::fs::write(&story, text).unwrap();
    let run = test.cli(&["deploy", "--message", "Second edition"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(remote_git(&["rev-list", "--count", "gh-pages"]), "2");
    assert_eq!(remote_git(&["log", "-1", "--format=%s", "gh-pages"]), "Second edition");
    let page = remote_git(&["show", "gh-pages:world/paris-summit/index.html"]);
    assert!(page.contains("Ministers finally arrived"));

    let again = test.cli(&["deploy"]);
    assert_eq!(again.code, Some(0));
    assert!(again.stdout.contains("Nothing to deploy"), "{}", again.stdout);
    assert_eq!(remote_git(&["rev-list", "--count", "gh-pages"]), "2");

    assert_eq!(git(root, &["rev-parse", "HEAD"]), head, "HEAD did not move");
    assert_eq!(git(root, &["symbolic-ref", "--short", "HEAD"]), "main");
    assert_eq!(git(root, &["status", "--porcelain"]), "M content/world/paris-summit.md", "only the writer's own edit");
    assert_eq!(git(root, &["diff", "--cached", "--name-only"]), "", "the index is untouched");
}

#[test]
fn deploy_refuses_a_failing_build_and_reports_a_rejected_push() {
    let Some((test, remote)) = repository() else { return };
    let root = test.root();
    std::fs::write(root.join("content/world/broken.md"), "+++\ntitle = \"x\"\n").unwrap();
    let run = test.cli(&["deploy"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("content/world/broken.md:1:1: error"), "{}", run.stderr);
    assert!(git(&remote, &["branch", "--list", "gh-pages"]).is_empty(), "nothing was pushed");
    std::fs::remove_file(root.join("content/world/broken.md")).unwrap();

    let hook = remote.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'protected branch' >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = test.cli(&["deploy"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("was rejected"), "{}", run.stderr);
    assert!(git(&remote, &["branch", "--list", "gh-pages"]).is_empty());
}

#[test]
fn deploy_refuses_the_checked_out_branch() {
    let Some((test, _)) = repository() else { return };
    let run = test.cli(&["deploy", "--branch", "main"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("it is the branch checked out here"), "{}", run.stderr);
}

#[test]
fn deploy_publishes_only_a_folder_a_build_made() {
    let Some((test, remote)) = repository() else { return };
    let root = test.root();
    let theirs = root.join("notes");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("plan.txt"), "private").unwrap();
    for (folder, why) in [(".", "it is the site folder"), ("notes", "no .broadsheet-output mark")] {
        let run = test.cli(&["deploy", "--output", folder]);
        assert_eq!(run.code, Some(1), "--output {folder}: {}", run.stderr);
        assert!(run.stderr.contains(why), "--output {folder}: {}", run.stderr);
    }
    // A build's mark copied beside the sources does not make them publishable.
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    std::fs::copy(test.output().join(".broadsheet-output"), root.join("content/.broadsheet-output")).unwrap();
    let run = test.cli(&["deploy", "--output", "content"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("starts with front matter"), "{}", run.stderr);
    // A fence with trailing spaces is a fence too (the loader reads it as one).
    let leak = root.join("leak");
    std::fs::create_dir_all(&leak).unwrap();
    std::fs::copy(test.output().join(".broadsheet-output"), leak.join(".broadsheet-output")).unwrap();
    std::fs::write(leak.join("draft.txt"), "---  \ntitle: Embargoed\n---\nNot yet.\n").unwrap();
    let run = test.cli(&["deploy", "--output", "leak"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("draft.txt") && run.stderr.contains("starts with front matter"), "{}", run.stderr);
    assert!(git(&remote, &["branch", "--list", "gh-pages"]).is_empty(), "nothing was pushed");

    let run = test.cli(&["deploy", "--output", "public"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let published = git(&remote, &["ls-tree", "-r", "--name-only", "gh-pages"]);
    assert!(published.lines().any(|f| f == "world/paris-summit/index.html"), "{published}");
    assert!(!published.lines().any(|f| f.ends_with(".md") || f == ".broadsheet-output"), "{published}");
}

#[test]
fn deploy_refuses_a_placeholder_address_and_warns_about_a_contradicting_one() {
    let Some((test, _)) = repository() else { return };
    let run = test.cli(&["deploy", "--base-url", "https://example.com/"]);
    assert_eq!(run.code, Some(2), "the placeholder is refused: {}", run.stderr);
    assert!(run.stderr.contains("base_url is still the placeholder https://example.com/"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was published (--allow-example-url publishes anyway)"), "{}", run.stderr);
    assert!(!test.output().exists(), "refused before building");
    let run = test.cli(&["deploy", "--base-url", "https://example.com/", "--allow-example-url"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("warning: base_url is still the placeholder https://example.com/"), "{}", run.stderr);
    std::fs::write(
        test.root().join("site.toml"),
        "cname = \"news.example.org\"\n".to_string() + &std::fs::read_to_string(test.root().join("site.toml")).unwrap(),
    )
    .unwrap();
    let run = test.cli(&["deploy", "--base-url", "https://user.github.io/repo/"]);
    assert!(
        run.stderr.contains("`cname` is news.example.org but base_url is https://user.github.io/repo/"),
        "{}",
        run.stderr
    );
}

/// The workflow `init` writes, parsed.
fn init_workflow() -> (SiteTest, std::path::PathBuf, serde_json::Value) {
    init_workflow_for(&[], "pages.yml")
}

/// The workflow `init` writes with `args` (`--host s3`), at `.github/workflows/<file>`, parsed.
fn init_workflow_for(args: &[&str], file: &str) -> (SiteTest, std::path::PathBuf, serde_json::Value) {
    let test = SiteTest::new();
    let dir = test.root().join("newsroom");
    let mut command = vec!["init", dir.to_str().unwrap()];
    command.extend(args);
    let run = test.cli(&command);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let path = dir.join(".github/workflows").join(file);
    let workflow = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    (test, path, workflow)
}

#[test]
fn the_pages_workflow_installs_broadsheet_from_its_own_repository_at_this_version() {
    let (_test, _, workflow) = init_workflow();
    assert_eq!(workflow["env"]["BROADSHEET_REPOSITORY"], env!("CARGO_PKG_REPOSITORY"));
    assert_eq!(workflow["env"]["BROADSHEET_VERSION"], format!("v{}", env!("CARGO_PKG_VERSION")));
    let steps = workflow["jobs"]["build"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let installs: Vec<&&str> = runs.iter().filter(|r| r.contains("cargo install")).collect();
    assert_eq!(installs.len(), 1, "{runs:?}");
    for flag in ["--git \"$BROADSHEET_REPOSITORY\"", "--tag \"$BROADSHEET_VERSION\"", "--locked"] {
        assert!(installs[0].contains(flag), "installed without {flag}: {}", installs[0]);
    }
    // The compiled binary is cached under a key that holds the version, and
    // the install only runs when the cache missed.
    let restore =
        steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/cache/restore@"))).unwrap();
    assert!(restore["with"]["key"].as_str().unwrap().contains("env.BROADSHEET_VERSION"));
    assert_eq!(restore["with"]["path"], "~/.cargo/bin/broadsheet");
    let id = restore["id"].as_str().unwrap();
    let install = steps.iter().find(|s| s["run"].as_str().is_some_and(|r| r.contains("cargo install"))).unwrap();
    assert_eq!(install["if"].as_str().unwrap(), format!("steps.{id}.outputs.cache-hit != 'true'"));
    // The photo cache comes back before the build and is saved after it.
    let at = |pred: &dyn Fn(&serde_json::Value) -> bool| steps.iter().position(pred).unwrap();
    let cache_step = |action: &'static str| {
        move |s: &serde_json::Value| {
            s["uses"].as_str().is_some_and(|u| u.starts_with(action)) && s["with"]["path"] == ".broadsheet-cache"
        }
    };
    let build = at(&|s| s["run"].as_str().is_some_and(|r| r.starts_with("broadsheet build")));
    let (restore, save) = (at(&cache_step("actions/cache/restore@")), at(&cache_step("actions/cache/save@")));
    assert!(restore < build && build < save, "restore {restore}, build {build}, save {save}");
    assert_eq!(steps[restore]["with"]["restore-keys"], "photos-");
}

#[test]
fn the_pages_workflow_passes_the_inputs_each_action_declares() {
    let (_test, path, workflow) = init_workflow();
    check_actions(&path, &workflow, "the_pages_workflow_passes_the_inputs_each_action_declares");
}

/// Every action a workflow uses is given only inputs it declares, and
/// every one it requires; every `steps.X.outputs.Y` is an output step X
/// has; and actionlint passes it.
fn check_actions(path: &std::path::Path, workflow: &serde_json::Value, test: &str) {
    let interfaces: toml::Table = toml::from_str(
        &std::fs::read_to_string(crate::harness::repo().join("tests/fixtures/github-actions/interfaces.toml")).unwrap(),
    )
    .unwrap();
    let names = |v: &toml::Value, key: &str| -> Vec<String> {
        v.get(key)
            .and_then(|l| l.as_array())
            .map(|l| l.iter().map(|n| n.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let mut outputs_of = std::collections::HashMap::new();
    for job in workflow["jobs"].as_object().unwrap().values() {
        for step in job["steps"].as_array().unwrap() {
            let Some(uses) = step["uses"].as_str() else { continue };
            let interface =
                interfaces.get(uses).unwrap_or_else(|| panic!("{uses}: no known interface (is the version right?)"));
            let given: Vec<String> = step["with"].as_object().map(|w| w.keys().cloned().collect()).unwrap_or_default();
            for input in &given {
                assert!(names(interface, "inputs").contains(input), "{uses} has no input `{input}`");
            }
            for input in names(interface, "required") {
                assert!(given.contains(&input), "{uses} needs `{input}`");
            }
            if let Some(id) = step["id"].as_str() {
                outputs_of.insert(id.to_string(), (uses.to_string(), names(interface, "outputs")));
            }
        }
    }
    let text = std::fs::read_to_string(path).unwrap();
    for reference in text.split("steps.").skip(1) {
        let mut parts = reference.split(['.', ' ', '}', '\'']);
        let (id, kind, output) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        assert_eq!(kind, "outputs", "steps.{reference}");
        let (uses, outputs) = outputs_of.get(id).unwrap_or_else(|| panic!("no step `{id}`"));
        assert!(outputs.contains(&output.to_string()), "{uses} has no output `{output}`");
    }
    if let Some(actionlint) = crate::tools::require("actionlint", test) {
        let out = Command::new(actionlint).arg("-no-color").arg(path).output().unwrap();
        assert!(
            out.status.success(),
            "actionlint: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_pages_workflows_size_check_counts_file_bytes_and_stops_past_one_gigabyte() {
    let (test, _, workflow) = init_workflow();
    let steps = workflow["jobs"]["build"]["steps"].as_array().unwrap();
    let check =
        steps.iter().find(|s| s["name"].as_str().is_some_and(|n| n.starts_with("Check the site fits"))).unwrap();
    let work = test.root().join("runner");
    std::fs::create_dir_all(work.join("public/news/story")).unwrap();
    std::fs::write(work.join("public/news/story/index.html"), "<p>x</p>").unwrap();
    let run =
        || Command::new("bash").arg("-c").arg(check["run"].as_str().unwrap()).current_dir(&work).output().unwrap();
    assert!(run().status.success(), "a small site passes");
    // A sparse file: 1.1 GB as the files' bytes count it, nothing on disk.
    let big = std::fs::File::create(work.join("public/big.bin")).unwrap();
    big.set_len(1_100_000_000).unwrap();
    let out = run();
    assert!(!out.status.success(), "a site over 1 GB stops before the upload");
    assert!(String::from_utf8_lossy(&out.stdout).contains("over GitHub Pages' 1 GB limit"));
}

#[test]
fn the_s3_workflow_passes_the_inputs_each_action_declares() {
    let (_test, path, workflow) = init_workflow_for(&["--host", "s3"], "publish.yml");
    check_actions(&path, &workflow, "the_s3_workflow_passes_the_inputs_each_action_declares");
}

#[test]
fn the_s3_workflow_assumes_a_role_through_oidc_and_deploys_with_the_repository_variables() {
    let (test, path, workflow) = init_workflow_for(&["--host", "s3"], "publish.yml");
    assert!(!path.with_file_name("pages.yml").exists(), "one publishing workflow");
    assert_eq!(workflow["permissions"]["id-token"], "write", "the OIDC token for the role");
    assert_eq!(workflow["permissions"]["contents"], "read");
    assert!(workflow["permissions"].get("pages").is_none());
    let steps = workflow["jobs"]["publish"]["steps"].as_array().unwrap();
    let at = |pred: &dyn Fn(&serde_json::Value) -> bool| steps.iter().position(pred).unwrap();
    let build = at(&|s| s["run"].as_str().is_some_and(|r| r.starts_with("broadsheet build")));
    let role = at(&|s| s["uses"].as_str().is_some_and(|u| u.starts_with("aws-actions/configure-aws-credentials@")));
    let deploy = at(&|s| s["run"].as_str().is_some_and(|r| r.starts_with("broadsheet deploy --to")));
    assert!(build < role && role < deploy, "build {build}, credentials {role}, deploy {deploy}");
    assert_eq!(steps[role]["with"]["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
    assert!(steps[role]["with"].get("aws-access-key-id").is_none(), "no long-lived keys");
    assert_eq!(steps[deploy]["env"]["BUCKET"], "${{ vars.BROADSHEET_BUCKET }}");
    assert!(steps[deploy]["run"].as_str().unwrap().contains("--to \"$BUCKET\""));
    // The CDN, when the repository names one, is told what changed.
    assert_eq!(steps[deploy]["env"]["CDN"], "${{ vars.BROADSHEET_CDN }}");
    let fake = test.root().join("bin");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::write(fake.join("broadsheet"), "#!/bin/sh\nprintf '%s|' \"$@\"\n").unwrap();
    std::fs::set_permissions(fake.join("broadsheet"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let deploy_with = |cdn: &str| {
        let out = Command::new("bash")
            .args(["-c", steps[deploy]["run"].as_str().unwrap()])
            .env_clear()
            .env("PATH", format!("{}:{}", fake.display(), std::env::var("PATH").unwrap()))
            .envs([("BUCKET", "s3://b/p"), ("SITE_URL", "https://n.example.org/"), ("CDN", cdn)])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(deploy_with(""), "deploy|--to|s3://b/p|--output|public|--base-url|https://n.example.org/|");
    assert_eq!(
        deploy_with("cloudfront:E2QWRUHAPOMQZL"),
        "deploy|--to|s3://b/p|--output|public|--base-url|https://n.example.org/|--invalidate|cloudfront:E2QWRUHAPOMQZL|"
    );
    // The first step stops a run whose variables are not set, naming them.
    let check = steps[0]["run"].as_str().unwrap();
    let script = test.root().join("check.sh");
    std::fs::write(&script, check).unwrap();
    let run = |vars: &[(&str, &str)]| {
        let mut command = Command::new("bash");
        command.arg(&script).env_clear().env("PATH", std::env::var("PATH").unwrap());
        command.envs(vars.iter().copied());
        command.output().unwrap()
    };
    let out = run(&[("BUCKET", "s3://news/site"), ("SITE_URL", "https://news.example.org/")]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("::error::") && said.contains("AWS_ROLE_ARN AWS_REGION") && !said.contains("BUCKET "),
        "{said}"
    );
    let all = [
        ("BUCKET", "s3://b/p"),
        ("SITE_URL", "https://n.example.org/"),
        ("ROLE", "arn:aws:iam::1:role/r"),
        ("REGION", "eu-west-1"),
    ];
    assert!(run(&all).status.success());
}

#[test]
fn build_says_how_big_the_site_is() {
    let test = SiteTest::fixture("basic");
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = run.stdout.lines().find(|l| l.starts_with("Site size: ")).unwrap_or_else(|| panic!("{}", run.stdout));
    let files =
        walkdir::WalkDir::new(test.output()).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file());
    let (count, bytes) = files.fold((0, 0), |(n, b), e| (n + 1, b + e.metadata().unwrap().len()));
    let expected = format!("Site size: {:.1} MB in {count} files (largest: ", bytes as f64 / 1_000_000.0);
    assert!(line.starts_with(&expected), "{line} (expected {expected})");
    assert!(!run.stderr.contains("GitHub Pages"), "a small site gets no warning: {}", run.stderr);
}

/// The "Install Broadsheet" step of the workflow `init --repository <repo>`
/// writes, and the workflow's environment.
fn install_step(repository: &str) -> (String, serde_json::Value) {
    let test = SiteTest::new();
    let dir = test.root().join("newsroom");
    let run = test.cli(&["init", dir.to_str().unwrap(), "--repository", repository]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let steps = workflow["jobs"]["build"]["steps"].as_array().unwrap();
    let install = steps.iter().find(|s| s["name"] == "Install Broadsheet").unwrap();
    (install["run"].as_str().unwrap().to_string(), workflow["env"].clone())
}

/// Runs the install step with bash as the runner would, with `HOME` in
/// `home`, releases served from `releases`, and a `cargo` on the PATH that
/// records how it was called instead of compiling.
fn run_install(script: &str, home: &Path, releases: &str, repository: &str, version: &str) -> (bool, String) {
    let stub = home.join("stub");
    std::fs::create_dir_all(&stub).unwrap();
    let cargo = stub.join("cargo");
    std::fs::write(&cargo, "#!/bin/sh\necho \"$@\" > \"$HOME/cargo-called\"\nmkdir -p \"$HOME/.cargo/bin\"\nprintf '#!/bin/sh\\necho compiled\\n' > \"$HOME/.cargo/bin/broadsheet\"\nchmod +x \"$HOME/.cargo/bin/broadsheet\"\n").unwrap();
    Command::new("chmod").arg("755").arg(&cargo).status().unwrap();
    let path = format!("{}:{}", stub.display(), std::env::var("PATH").unwrap());
    let out = Command::new("bash")
        .args(["-c", script])
        .env("HOME", home)
        .env("PATH", path)
        .env("BROADSHEET_RELEASES", releases)
        .env("BROADSHEET_REPOSITORY", repository)
        .env("BROADSHEET_VERSION", version)
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Lays out a GitHub-like release of `version` under `root`: the archive
/// holding a `broadsheet` that prints `says`, and its SHA256SUMS.
fn lay_out_release(root: &Path, version: &str, says: &str) -> std::path::PathBuf {
    let dir = root.join("releases/download").join(version);
    let bin = root.join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("broadsheet"), format!("#!/bin/sh\necho {says}\n")).unwrap();
    Command::new("chmod").arg("755").arg(bin.join("broadsheet")).status().unwrap();
    let asset = "broadsheet-x86_64-unknown-linux-gnu.tar.gz";
    let tar = Command::new("tar").arg("-czf").arg(dir.join(asset)).arg("-C").arg(&bin).arg("broadsheet").status();
    assert!(tar.unwrap().success());
    let sums = Command::new("sha256sum").arg(asset).current_dir(&dir).output().unwrap();
    std::fs::write(dir.join("SHA256SUMS"), sums.stdout).unwrap();
    dir
}

#[test]
fn the_workflow_installs_the_prebuilt_release_refuses_a_wrong_checksum_and_falls_back_to_the_tag() {
    const TEST: &str = "the_workflow_installs_the_prebuilt_release_refuses_a_wrong_checksum_and_falls_back_to_the_tag";
    for tool in ["bash", "curl", "tar", "sha256sum", "git"] {
        if tools::require(tool, TEST).is_none() {
            return;
        }
    }
    let work = tempfile::tempdir().unwrap();
    // A fork with two tags, one of them released.
    let fork = work.path().join("fork.git");
    let git = |args: &[&str], dir: &Path| {
        let out =
            Command::new("git").args(args).current_dir(dir).envs(crate::harness::git_isolated()).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let clone = work.path().join("clone");
    std::fs::create_dir_all(&clone).unwrap();
    git(&["init", "-q", "-b", "main"], &clone);
    git(&["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "one"], &clone);
    git(&["tag", "v0.1.0"], &clone);
    git(&["tag", "v0.2.0"], &clone);
    git(&["clone", "-q", "--bare", clone.to_str().unwrap(), fork.to_str().unwrap()], work.path());
    let repository = format!("file://{}", fork.display());
    let (script, env) = install_step(&repository);
    assert_eq!(env["BROADSHEET_REPOSITORY"], repository.as_str());
    assert_eq!(env["BROADSHEET_RELEASES"], format!("{repository}/releases/download").as_str());
    let site = work.path().join("releases-site");
    let release = lay_out_release(&site, "v0.1.0", "prebuilt");
    let Some(server) = StaticServer::start(&site, TEST) else { return };
    let releases = format!("{}/releases/download", server.base);
    let installed = |home: &Path| std::fs::read_to_string(home.join(".cargo/bin/broadsheet")).ok();

    // The release has the archive: it is installed, nothing is compiled.
    let home = work.path().join("home-prebuilt");
    let (ok, log) = run_install(&script, &home, &releases, &repository, "v0.1.0");
    assert!(ok, "{log}");
    assert_eq!(installed(&home).as_deref(), Some("#!/bin/sh\necho prebuilt\n"), "{log}");
    assert!(!home.join("cargo-called").exists(), "compiled although a release exists: {log}");

    // A wrong checksum: refused, nothing installed, nothing compiled.
    let sums = std::fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    std::fs::write(release.join("SHA256SUMS"), format!("{}{}", "0".repeat(64), &sums[64..])).unwrap();
    let home = work.path().join("home-tampered");
    let (ok, log) = run_install(&script, &home, &releases, &repository, "v0.1.0");
    assert!(!ok, "installed an archive whose checksum does not match: {log}");
    assert!(log.contains("does not match its SHA256SUMS"), "{log}");
    assert_eq!(installed(&home), None);
    assert!(!home.join("cargo-called").exists(), "{log}");

    // No release for the tag: compiled from the tag.
    let home = work.path().join("home-fallback");
    let (ok, log) = run_install(&script, &home, &releases, &repository, "v0.2.0");
    assert!(ok, "{log}");
    let called = std::fs::read_to_string(home.join("cargo-called")).unwrap();
    assert_eq!(called.trim(), format!("install --git {repository} --tag v0.2.0 --locked broadsheet"));

    // Neither a release nor a tag: says what to do, compiles nothing.
    let home = work.path().join("home-missing");
    let (ok, log) = run_install(&script, &home, &releases, &repository, "v9.9.9");
    assert!(!ok, "{log}");
    assert!(log.contains(&format!("{repository} has no tag v9.9.9")), "{log}");
    assert!(!home.join("cargo-called").exists(), "{log}");
}

#[test]
fn init_refuses_a_repository_address_that_is_not_one() {
    let test = SiteTest::new();
    let dir = test.root().join("newsroom");
    let run = test.cli(&["init", dir.to_str().unwrap(), "--repository", "https://example.com/x\n  evil: true"]);
    assert_eq!(run.code, Some(2), "a usage error: {}", run.stderr);
    assert!(run.stderr.contains("is not a repository address"), "{}", run.stderr);
    assert!(!dir.join("site.toml").exists(), "nothing is written");
}

#[test]
fn every_workflow_of_the_repository_passes_actionlint() {
    let Some(actionlint) = tools::require("actionlint", "every_workflow_of_the_repository_passes_actionlint") else {
        return;
    };
    let dir = crate::harness::repo().join(".github/workflows");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(!files.is_empty());
    for path in files {
        let out = Command::new(&actionlint).arg("-no-color").arg(&path).output().unwrap();
        assert!(out.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&out.stdout));
    }
}
