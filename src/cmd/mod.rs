//! One file per command: orchestration only (turn arguments into options,
//! call the library, print the outcome).

pub mod build;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build(args) => build::run(args),
    }
}
