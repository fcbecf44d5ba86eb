//! The command line, declared with clap's derive API. Parsing only: what
//! each command does lives in `cmd/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::build::BuildOptions;

#[derive(Debug, Parser)]
#[command(name = "broadsheet", version, about = "A static site generator for news sites")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Preview the site in a browser: build into memory, serve it, rebuild
    /// and reload open pages when a file changes.
    Serve(ServeArgs),
    /// Publish the site to a branch (gh-pages by default) with your git.
    Deploy(DeployArgs),
    /// Start a new article with its front matter filled in.
    New(NewArgs),
    /// Create a new site in DIR: site.toml, an example article, a GitHub
    /// Pages workflow.
    Init(InitArgs),
    /// Move a WordPress, Jekyll, Hugo or Zola site in: write a new
    /// Broadsheet site from it, keeping every old URL, with a report of
    /// what needs a human (import-report.md). The source is only read.
    Import(ImportArgs),
}

/// The site folder, taken by every command that reads a site.
#[derive(Debug, Clone, Args)]
pub struct SiteArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// Which articles a build publishes, for `build` and `serve`.
#[derive(Debug, Clone, Copy, Args)]
pub struct PublishArgs {
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future (scheduled articles).
    #[arg(long)]
    pub future: bool,
    /// Include articles whose `expires` time has passed.
    #[arg(long)]
    pub expired: bool,
}

/// Where the site is published, for `build` and `deploy`.
#[derive(Debug, Clone, Args)]
pub struct AddressArgs {
    /// Use this base URL instead of site.toml's `base_url`, e.g.
    /// https://user.github.io/repo/ for a GitHub Pages project site.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. The default only accepts connections from
    /// this machine.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    #[command(flatten)]
    pub publish: PublishArgs,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The branch to publish to; its history is kept, one commit per deploy.
    #[arg(long, default_value = "gh-pages")]
    pub branch: String,
    /// The remote to push to.
    #[arg(long, default_value = "origin")]
    pub remote: String,
    /// The commit message.
    #[arg(long, default_value = "Publish the site with Broadsheet")]
    pub message: String,
    /// Publish this folder, made by `broadsheet build --output DIR`,
    /// instead of building into <root>/public.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub address: AddressArgs,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The headline.
    pub title: String,
    /// The section folder under content/, e.g. `world`. It must be one the
    /// site has, unless --new-section is given.
    #[arg(long)]
    pub section: String,
    /// Start a new section with this article (a section that does not exist
    /// yet is otherwise refused, so a typo does not add one).
    #[arg(long)]
    pub new_section: bool,
    /// An author key from site.toml's [authors], or a name.
    #[arg(long)]
    pub author: Vec<String>,
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in (created if missing; must not hold a site already).
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the source is.
    #[arg(value_enum)]
    pub from: crate::import::From,
    /// A WordPress export (the .xml from Tools → Export), or the folder of
    /// a Jekyll, Hugo or Zola site.
    pub source: PathBuf,
    /// The folder to write the new site into; it must be new or empty.
    /// Default: a new folder beside the current one, named after SOURCE.
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// WordPress: a copy of the old site's wp-content/uploads folder. Every
    /// image a post shows is copied beside it; without this, images keep
    /// their old addresses.
    #[arg(long, value_name = "DIR")]
    pub uploads: Option<PathBuf>,
    /// Which section a post goes to, by category (or tag) name or slug:
    /// `--section-from "Local News=news"`, repeated. By default a post's
    /// first category is its section.
    #[arg(long, value_name = "CATEGORY=SECTION")]
    pub section_from: Vec<String>,
    /// Hugo: the language to import from a multilingual site (its code,
    /// e.g. `en`). Default: the site's default language.
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: <root>/public). It is replaced as a
    /// whole when the build succeeds and left untouched when it fails. A
    /// folder that an earlier build did not make is refused unless it is
    /// empty or --force is given.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace an --output folder even though Broadsheet did not make it.
    /// The home folder, /, the current folder, the site, its ancestors and
    /// git repositories (but a gh-pages checkout) are refused all the same.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub address: AddressArgs,
    #[command(flatten)]
    pub publish: PublishArgs,
}

impl SiteArgs {
    /// A build of this site into its default output, publishing what a
    /// plain `broadsheet build` publishes: the one place options are made.
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.root.join(crate::layout::OUTPUT),
            base_url: None,
            drafts: false,
            future: false,
            expired: false,
            now: chrono::Utc::now(),
            progress: true,
            force: false,
        }
    }
}

impl PublishArgs {
    /// `options` publishing what these flags ask for.
    pub fn apply(self, options: BuildOptions) -> BuildOptions {
        BuildOptions { drafts: self.drafts, future: self.future, expired: self.expired, ..options }
    }
}
