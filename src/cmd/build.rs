//! `broadsheet build`: builds the site once and prints one summary line.

use std::time::Instant;

use crate::build::{BuildOptions, build};
use crate::cli::BuildArgs;

pub fn run(args: BuildArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let output = args.output.clone().unwrap_or_else(|| args.root.join("public"));
    let options = BuildOptions {
        root: args.root,
        output: output.clone(),
        base_url: args.base_url,
        drafts: args.drafts,
        future: args.future,
        expired: args.expired,
        now: chrono::Utc::now(),
        progress: true,
        search_index: true,
        force: args.force,
    };
    let report = build(&options)?;
    for warning in &report.warnings {
        eprintln!("{warning}");
    }
    let unpublished = match report.unpublished {
        0 => String::new(),
        n => format!(" ({n} draft or scheduled left out)"),
    };
    println!(
        "Built {} articles{unpublished} into {} pages and {} files in {} in {} ms",
        report.articles,
        report.pages,
        report.files_copied,
        output.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
