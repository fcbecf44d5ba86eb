//! The command line, declared with clap's derive API. Parsing only: what
//! each command does lives in `cmd/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: <root>/public). It is replaced as a
    /// whole when the build succeeds and left untouched when it fails.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Use this base URL instead of site.toml's `base_url`, e.g.
    /// https://user.github.io/repo/ for a GitHub Pages project site.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
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
