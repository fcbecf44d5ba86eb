//! The `broadsheet` binary: parse the command line, run, report, exit.
//! Exit codes: 0 success, 1 problems in the site's content (or a folder
//! Broadsheet refuses to replace), 2 usage or internal errors.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = broadsheet::cli::Cli::parse();
    match broadsheet::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            broadsheet::print::error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// Rendering makes many small strings and maps on every thread at once;
/// mimalloc serves those faster than the system allocator (a fifth off a
/// live rebuild of 1,300 pages, measured with benches/serve-rebuild.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
