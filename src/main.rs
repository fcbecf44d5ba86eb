//! The `broadsheet` binary: parse the command line, run, report, exit.
//! Exit codes: 0 success, 1 problems in the site's content, 2 usage or
//! internal errors.

use std::process::ExitCode;

use broadsheet::build::ContentErrors;
use broadsheet::output::Refused;
use clap::Parser;

fn main() -> ExitCode {
    let cli = broadsheet::cli::Cli::parse();
    match broadsheet::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

fn report(e: &anyhow::Error) -> ExitCode {
    if let Some(ContentErrors(diagnostics)) = e.downcast_ref::<ContentErrors>() {
        for d in diagnostics {
            eprintln!("{d}");
        }
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    if let Some(refused) = e.downcast_ref::<Refused>() {
        eprintln!("error: {refused}");
        return ExitCode::from(1);
    }
    eprintln!("error: {e}");
    for cause in e.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    ExitCode::from(2)
}

/// Rendering makes many small strings and maps on every thread at once;
/// mimalloc serves those faster than the system allocator (a fifth off a
/// live rebuild of 1,300 pages, measured with benches/serve-rebuild.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
