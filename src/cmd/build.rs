//! `broadsheet build`: builds the site once and prints one summary line.

use std::time::Instant;

use crate::cli::BuildArgs;
use broadsheet_base::diagnostic::plural;
use broadsheet_site::build::{BuildOptions, build};

pub fn run(args: BuildArgs) -> broadsheet_base::error::Result<()> {
    let started = Instant::now();
    let defaults = args.publish.apply(args.site.build_options());
    let options = BuildOptions {
        output: args.output.unwrap_or(defaults.output.clone()),
        base_url: args.address.base_url,
        force: args.force,
        ..defaults
    };
    let report = build(&options)?;
    crate::print::diagnostics(&report.warnings);
    let unpublished = match report.unpublished {
        0 => String::new(),
        n => format!(" ({n} draft or scheduled left out)"),
    };
    println!(
        "Built {}{unpublished} into {} and {} in {} in {} ms",
        plural(report.articles, "article"),
        plural(report.pages, "page"),
        plural(report.files_copied, "file"),
        options.output.display(),
        started.elapsed().as_millis()
    );
    let size = broadsheet_site::output::SiteSize::of(&options.output);
    println!("Site size: {}", size.describe());
    if let Some(warning) = size.pages_warning() {
        crate::print::warning(&warning);
    }
    Ok(())
}
