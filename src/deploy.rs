//! `deploy`: publishes a built folder as the new tip of a branch (GitHub
//! Pages' `gh-pages`) by running the user's own `git`, so their credentials,
//! configuration and push hooks apply. The commit is made with plumbing and
//! a temporary index: the user's working tree, index and current branch are
//! never touched. Each deploy adds one commit on top of the branch's history.
//! It publishes only a folder a build made: never the site's own files.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use broadsheet_base::error::Refused;
use broadsheet_site::output::{OUTPUT_MARK, is_marked};

#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// A folder inside the user's git repository.
    pub repo: PathBuf,
    /// The built site to publish.
    pub folder: PathBuf,
    pub branch: String,
    pub remote: String,
    pub message: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Deployed {
        commit: String,
        files: usize,
    },
    /// The branch already holds exactly this site.
    NothingToDeploy,
}

/// Runs git in `repo`, returning its trimmed standard output.
fn git(repo: &Path, args: &[&str], index: Option<&Path>) -> Result<String> {
    let mut command = Command::new("git");
    command.arg("-C").arg(repo).args(args);
    if let Some(index) = index {
        command.env("GIT_INDEX_FILE", index);
    }
    let out = command.output().context("cannot run git: is it installed?")?;
    if !out.status.success() {
        bail!("`git {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

pub fn deploy(opts: &DeployOptions) -> broadsheet_base::error::Result<Outcome> {
    let repo = opts.repo.as_path();
    check_publishable(repo, &opts.folder)?;
    git(repo, &["rev-parse", "--git-dir"], None)
        .with_context(|| format!("{} is not inside a git repository", repo.display()))?;
    let current = git(repo, &["symbolic-ref", "--quiet", "--short", "HEAD"], None).ok();
    if current.as_deref() == Some(opts.branch.as_str()) {
        let message = "it is the branch checked out here; switch to another branch first";
        return Err(anyhow::anyhow!("refusing to deploy to `{}`: {message}", opts.branch).into());
    }
    let remote_ref = format!("refs/remotes/{}/{}", opts.remote, opts.branch);
    let parent = fetch_tip(opts, &remote_ref)?;
    let (tree, files) = tree_of(repo, &opts.folder)?;
    if let Some(parent) = &parent
        && git(repo, &["rev-parse", &format!("{parent}^{{tree}}")], None)? == tree
    {
        return Ok(Outcome::NothingToDeploy);
    }
    let mut args = vec!["commit-tree", tree.as_str(), "-m", opts.message.as_str()];
    if let Some(parent) = &parent {
        args.extend(["-p", parent.as_str()]);
    }
    let commit = git(repo, &args, None)?;
    let refspec = format!("{commit}:refs/heads/{}", opts.branch);
    git(repo, &["push", "--quiet", &opts.remote, &refspec], None)
        .map_err(|e| anyhow::anyhow!("the push to `{}` was rejected, nothing was published: {e}", opts.remote))?;
    git(repo, &["update-ref", &remote_ref, &commit], None)?;
    Ok(Outcome::Deployed { commit, files })
}

/// The current tip of the branch on the remote (fetched), or of the local
/// branch when the remote has none; `None` for a first deploy.
fn fetch_tip(opts: &DeployOptions, remote_ref: &str) -> Result<Option<String>> {
    let repo = opts.repo.as_path();
    let heads = git(repo, &["ls-remote", "--heads", &opts.remote, &opts.branch], None)
        .with_context(|| format!("cannot reach the remote `{}`", opts.remote))?;
    if !heads.is_empty() {
        let refspec = format!("+refs/heads/{}:{remote_ref}", opts.branch);
        git(repo, &["fetch", "--quiet", &opts.remote, &refspec], None)?;
        return Ok(Some(git(repo, &["rev-parse", "--verify", remote_ref], None)?));
    }
    Ok(git(repo, &["rev-parse", "--verify", "--quiet", &format!("refs/heads/{}", opts.branch)], None).ok())
}

/// Writes `folder` as a git tree with a temporary index (every file,
/// ignore rules notwithstanding) and returns its id and file count.
fn tree_of(repo: &Path, folder: &Path) -> Result<(String, usize)> {
    let folder = std::fs::canonicalize(folder).with_context(|| format!("cannot open {}", folder.display()))?;
    let scratch = tempfile::tempdir().context("cannot create a temporary folder")?;
    let index = scratch.path().join("index");
    let work_tree = format!("--work-tree={}", folder.display());
    git(repo, &[&work_tree, "add", "--all", "--force", "."], Some(&index))?;
    git(repo, &["rm", "--cached", "--quiet", "--ignore-unmatch", "--", OUTPUT_MARK], Some(&index))?;
    let files = git(repo, &["ls-files", "--cached"], Some(&index))?.lines().count();
    if files == 0 {
        bail!("{} is empty: nothing to publish", folder.display());
    }
    Ok((git(repo, &["write-tree"], Some(&index))?, files))
}

/// Refuses a folder a build did not make: the site folder (or one holding
/// it), a folder without the build's mark, or one holding a file that
/// starts with front matter, which only an article's source does.
pub fn check_publishable(site_root: &Path, folder: &Path) -> broadsheet_base::error::Result<()> {
    const INSTEAD: &str = "Run `broadsheet deploy` without --output to build and publish, or build into the folder first with `broadsheet build --output DIR`.";
    let refuse = |why: String| -> broadsheet_base::error::Error {
        Refused {
            folder: folder.to_path_buf(),
            why: format!("{why}; deploy publishes only a folder a build made"),
            instead: INSTEAD,
        }
        .into()
    };
    let root = std::fs::canonicalize(site_root).with_context(|| format!("cannot open {}", site_root.display()))?;
    let out = std::fs::canonicalize(folder).with_context(|| format!("cannot open {}", folder.display()))?;
    if root.starts_with(&out) {
        return Err(refuse("it is the site folder or contains it".into()));
    }
    if !is_marked(&out) {
        return Err(refuse(format!("it has no {OUTPUT_MARK} mark, so no Broadsheet build made it")));
    }
    if let Some(source) = front_matter_file(&out) {
        let shown = source.strip_prefix(&out).unwrap_or(&source).display().to_string();
        return Err(refuse(format!("{shown} in it starts with front matter, like an article's source")));
    }
    Ok(())
}

/// The first file under `dir` (outside `.git`) that opens with a front
/// matter fence (`+++` or `---` alone on the first line).
fn front_matter_file(dir: &Path) -> Option<PathBuf> {
    use std::io::Read as _;
    let walker = walkdir::WalkDir::new(dir).follow_links(false).into_iter();
    walker
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .find_map(|entry| {
            let mut head = Vec::with_capacity(64);
            std::fs::File::open(entry.path()).and_then(|f| f.take(64).read_to_end(&mut head)).ok()?;
            let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
            // The fence alone on the first line, trailing spaces allowed (as the loader reads it).
            let line = &head[..head.iter().position(|&b| b == b'\n')?];
            let end = line.iter().rposition(|b| !matches!(b, b' ' | b'\t' | b'\r')).map_or(0, |i| i + 1);
            let fenced = matches!(&line[..end], b"+++" | b"---");
            fenced.then(|| entry.into_path())
        })
}

/// The host of the site's `base_url`, lower-case (empty if it has none).
fn host_of(config: &broadsheet_site::config::Config) -> String {
    let parsed = url::Url::parse(config.urls.base_url()).ok();
    parsed.and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default()
}

/// The problem with publishing a site whose `base_url` is a reserved
/// example address (`init`'s placeholder): every feed, sitemap, canonical
/// and share link would point there.
pub fn placeholder_address(config: &broadsheet_site::config::Config) -> Option<String> {
    let (base_url, host) = (config.urls.base_url(), host_of(config));
    ["example.com", "example.org", "example.net"].iter().any(|e| host == *e || host.ends_with(&format!(".{e}"))).then(
        || {
            format!(
                "base_url is still the placeholder {base_url}: feeds, sitemaps and share links would point there. Set `base_url` in site.toml (https://<user>.github.io/<repo>/ for a project site) or pass --base-url"
            )
        },
    )
}

/// What is wrong with where the site says it lives, for `deploy` to warn
/// about: a `cname` other than its host.
pub fn address_warnings(config: &broadsheet_site::config::Config) -> Vec<String> {
    let (base_url, host) = (config.urls.base_url(), host_of(config));
    let mut warnings = Vec::new();
    if let Some(cname) = &config.cname
        && !cname.eq_ignore_ascii_case(&host)
    {
        warnings.push(format!(
            "`cname` is {cname} but base_url is {base_url}: GitHub Pages will serve the site at {cname}, so every absolute link points elsewhere. Make them agree"
        ));
    }
    warnings
}
