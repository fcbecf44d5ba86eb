//! `broadsheet deploy`: build (unless `--output` names a built folder),
//! then publish it to a branch with the user's git.

use crate::build::{BuildOptions, build};
use crate::cli::DeployArgs;
use crate::config::Config;
use crate::deploy::{DeployOptions, Outcome, address_warnings, deploy};

pub fn run(args: DeployArgs) -> anyhow::Result<()> {
    if let Ok(config) = Config::load(&args.root, args.base_url.as_deref()) {
        for warning in address_warnings(&config) {
            eprintln!("warning: {warning}");
        }
    }
    let folder = match args.output {
        Some(folder) => folder,
        None => {
            let output = args.root.join("public");
            let report = build(&BuildOptions {
                root: args.root.clone(),
                output: output.clone(),
                base_url: args.base_url,
                drafts: false,
                future: false,
                expired: false,
                now: chrono::Utc::now(),
                progress: true,
                search_index: true,
                force: false,
            })?;
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            println!("Built {} articles into {} pages", report.articles, report.pages);
            output
        }
    };
    let outcome = deploy(&DeployOptions {
        repo: args.root,
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
