//! One file per command: orchestration only (turn arguments into options,
//! call the library, print the outcome).

pub mod build;
pub mod cms;
pub mod deploy;
pub mod import;
pub mod init;
pub mod new;
pub mod reactions;
pub mod serve;
pub mod theme;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> broadsheet_base::error::Result<()> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Deploy(args) => deploy::run(args),
        Command::New(args) => new::run(args),
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(args),
        Command::Theme(command) => theme::run(command),
        Command::Cms(args) => cms::run(args),
        Command::Reactions(command) => reactions::run(command),
    }
}

/// Writes a new file (and its folders), never over an existing one, nor
/// through a symbolic link left at its path.
fn write_new(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))
}
