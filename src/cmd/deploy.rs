//! `broadsheet deploy`: build (unless `--output` names a built folder),
//! then publish it to a branch with the user's git.

use crate::cli::DeployArgs;
use crate::deploy::{DeployOptions, Outcome, address_warnings, deploy};
use broadsheet_base::diagnostic::plural;
use broadsheet_site::build::{BuildOptions, build};
use broadsheet_site::config::Config;

pub fn run(args: DeployArgs) -> broadsheet_base::error::Result<()> {
    let root = args.site.root.clone();
    if let Ok(config) = Config::load(&root, args.address.base_url.as_deref()) {
        for warning in address_warnings(&config) {
            crate::print::warning(&warning);
        }
    }
    let folder = match args.output {
        Some(folder) => folder,
        None => {
            let options = BuildOptions { base_url: args.address.base_url, ..args.site.build_options() };
            let report = build(&options)?;
            crate::print::diagnostics(&report.warnings);
            println!("Built {} into {}", plural(report.articles, "article"), plural(report.pages, "page"));
            options.output
        }
    };
    let outcome = deploy(&DeployOptions {
        repo: root,
        folder,
        branch: args.branch.clone(),
        remote: args.remote.clone(),
        message: args.message,
    })?;
    match outcome {
        Outcome::Deployed { commit, files } => {
            println!(
                "Deployed {files} files to {}/{} as {}",
                args.remote,
                args.branch,
                &commit[..commit.len().min(12)]
            );
        }
        Outcome::NothingToDeploy => {
            println!("Nothing to deploy: {}/{} already has this site", args.remote, args.branch)
        }
    }
    Ok(())
}
