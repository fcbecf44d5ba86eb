//! The command line, declared with clap's derive API. Parsing only: what
//! each command does lives in `cmd/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use broadsheet_site::build::BuildOptions;

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
    /// Make the look your own: copy the built-in theme into the site.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Write the browser editors' configuration from the site: Decap CMS
    /// and Sveltia CMS (static/admin/config.yml, index.html) and Pages CMS
    /// (.pages.yml). Running again rewrites only their generated block.
    Cms(CmsArgs),
    /// Count readers' reactions: run the counter service a site's
    /// `[reactions] endpoint` points at, or export and import its counts.
    #[command(subcommand)]
    Reactions(ReactionsCommand),
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Copy the built-in templates into the site's templates/ and the
    /// theme's stylesheet and scripts into its static/, to edit them
    /// there (a file of the site's overrides the built-in one of the same
    /// name). Writes nothing if any of those files exists already.
    Eject(ThemeEjectArgs),
}

#[derive(Debug, Args)]
pub struct ThemeEjectArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Subcommand)]
pub enum ReactionsCommand {
    /// Run the counter: an HTTP service keeping counts in SQLite, for the
    /// articles of a built site. Stops on SIGTERM or Ctrl-C after
    /// committing what it took; SIGHUP reads the site's articles again.
    Serve(ReactionsServeArgs),
    /// Write every count and reader vote as JSON to standard output.
    Export(ReactionsDbArgs),
    /// Read an export (a file, or standard output of `export`): its
    /// articles' counts replace the database's, its votes are added.
    Import(ReactionsImportArgs),
}

#[derive(Debug, Args)]
pub struct ReactionsDbArgs {
    /// The SQLite database (created if missing).
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReactionsImportArgs {
    #[command(flatten)]
    pub db: ReactionsDbArgs,
    /// The export to read; `-` for standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReactionsServeArgs {
    #[command(flatten)]
    pub db: ReactionsDbArgs,
    /// The built site whose articles are counted: its output folder
    /// (public/) or its address (https://user.github.io/repo/). Its
    /// _reactions/articles.json lists the articles and labels.
    #[arg(long, value_name = "DIR|URL")]
    pub site: String,
    /// The address to listen on. The default only accepts connections from
    /// this machine (put a proxy with HTTPS in front).
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// An origin allowed to read counts and post votes, e.g.
    /// https://user.github.io (repeat for more). Default: the origin of the
    /// site's base_url.
    #[arg(long, value_name = "ORIGIN")]
    pub origin: Vec<String>,
    /// Requests per second allowed from one address (an IPv6 one by its
    /// /64), on average.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit: u32,
    /// Requests one address may make at once before the rate limit applies.
    #[arg(long, value_name = "N", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub burst: u32,
    /// Behind a proxy: take the client's address from the last
    /// X-Forwarded-For entry (the one the proxy adds) for the rate limit.
    #[arg(long)]
    pub behind_proxy: bool,
    /// Read the site's articles again every SECONDS (0: only on SIGHUP).
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub refresh: u64,
    /// Log a line with the totals every SECONDS.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub log_every: u64,
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

/// Which articles `serve` shows: drafts too (marked "Draft"), since the
/// story being written is usually one.
#[derive(Debug, Clone, Copy, Args)]
pub struct PreviewArgs {
    /// Leave out articles marked `draft = true`, as `build` does.
    #[arg(long)]
    pub hide_drafts: bool,
    /// Show drafts (the default).
    #[arg(long, hide = true, conflicts_with = "hide_drafts")]
    pub drafts: bool,
    /// Include articles dated in the future (scheduled articles).
    #[arg(long)]
    pub future: bool,
    /// Include articles whose `expires` time has passed.
    #[arg(long)]
    pub expired: bool,
}

impl PreviewArgs {
    /// `options` showing what these flags ask for.
    pub fn apply(self, options: BuildOptions) -> BuildOptions {
        BuildOptions { drafts: !self.hide_drafts, future: self.future, expired: self.expired, ..options }
    }
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
    pub publish: PreviewArgs,
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
    /// Publish to object storage instead of a branch:
    /// s3://BUCKET/PREFIX, with `?endpoint=URL&region=NAME` for an
    /// S3-compatible service. Credentials come from the environment
    /// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or a role.
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    /// With --to: list what would be uploaded and deleted, change nothing.
    #[arg(long, requires = "to")]
    pub dry_run: bool,
    /// With --to: list the bucket under the prefix and repair whatever
    /// differs from the manifest of the last deploy.
    #[arg(long, requires = "to")]
    pub verify: bool,
    /// With --to: refuse, changing nothing, a deploy that would delete more
    /// objects than this.
    #[arg(long, value_name = "N", default_value_t = 256, requires = "to")]
    pub max_deletes: usize,
    /// With --to: uploads in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64), requires = "to")]
    pub jobs: u16,
    /// With --to: store pages, feeds, sitemaps, stylesheets and scripts
    /// gzip-compressed with `Content-Encoding: gzip`, for a website
    /// endpoint or CDN that serves objects as stored (every browser reads
    /// gzip). Turning it on or off uploads those files again.
    #[arg(long, requires = "to")]
    pub gzip: bool,
    /// With --to: once the bucket holds the new site, tell the CDN in front
    /// of it to drop the changed addresses: cloudfront:DISTRIBUTION_ID
    /// (signed with the same AWS credentials) or cloudflare:ZONE_ID (with
    /// CLOUDFLARE_API_TOKEN). Past 1,000 addresses the whole site is
    /// invalidated at once.
    #[arg(long, value_name = "CDN:ID", requires = "to")]
    pub invalidate: Option<String>,
    /// Publish even though base_url is a reserved example address
    /// (example.com, .org, .net), such as the placeholder `init` writes.
    #[arg(long)]
    pub allow_example_url: bool,
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
pub struct CmsArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in (created if missing; must not hold a site already).
    pub dir: PathBuf,
    /// The Broadsheet repository the publishing workflow installs from (its
    /// releases, or its tag compiled): a fork's address to use the fork.
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// Where the site will be published: the GitHub workflow `init` writes
    /// (`pages`: GitHub Pages; `s3`: object storage, with an OIDC role).
    #[arg(long, value_enum, default_value = "pages")]
    pub host: crate::scaffold::Host,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the source is.
    #[arg(value_enum)]
    pub from: broadsheet_import::From,
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
    /// Hugo and Zola: import only this language of a multilingual site
    /// (its code, e.g. `en`). Default: every language, each story linked
    /// to its translations.
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
            output: self.root.join(broadsheet_base::layout::OUTPUT),
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
