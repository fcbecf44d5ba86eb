//! `broadsheet deploy`: build (unless `--output` names a built folder),
//! then publish it to a branch with the user's git, or with `--to` to
//! object storage (`broadsheet-publish`).

use crate::cli::DeployArgs;
use crate::deploy::{DeployOptions, Outcome, address_warnings, check_publishable, deploy, placeholder_address};
use broadsheet_base::diagnostic::plural;
use broadsheet_publish::{Cdn, Report, Target};
use broadsheet_site::build::{BuildOptions, build};
use broadsheet_site::config::Config;
use broadsheet_site::output::OUTPUT_MARK;

pub fn run(args: DeployArgs) -> broadsheet_base::error::Result<()> {
    let root = args.site.root.clone();
    // The target is checked before a build spends minutes.
    let target = args.to.as_deref().map(Target::parse).transpose()?;
    let cdn = args.invalidate.as_deref().map(Cdn::parse).transpose()?;
    if let Some(cdn) = &cdn {
        cdn.check()?;
    }
    let config = Config::load(&root, args.address.base_url.as_deref());
    let cdn = match (cdn, &config) {
        (Some(cdn), Ok(config)) => {
            let site = url::Url::parse(config.urls.base_url())
                .map_err(|e| anyhow::anyhow!("--invalidate: base_url cannot be read as an address ({e})"))?;
            Some((cdn, site))
        }
        (Some(_), Err(problems)) => {
            crate::print::diagnostics(problems);
            return Err(anyhow::anyhow!("--invalidate needs the site's address (base_url in site.toml)").into());
        }
        (None, _) => None,
    };
    if let Ok(config) = &config {
        match placeholder_address(config) {
            Some(problem) if !args.allow_example_url => {
                return Err(
                    anyhow::anyhow!("{problem}; nothing was published (--allow-example-url publishes anyway)").into()
                );
            }
            Some(problem) => crate::print::warning(&problem),
            None => {}
        }
        for warning in address_warnings(config) {
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
    if let Some(target) = target {
        check_publishable(&root, &folder)?;
        let report = broadsheet_publish::deploy(&broadsheet_publish::Options {
            folder,
            target: target.clone(),
            skip: vec![OUTPUT_MARK.to_string()],
            dry_run: args.dry_run,
            verify: args.verify,
            max_deletes: args.max_deletes,
            jobs: usize::from(args.jobs),
            gzip: args.gzip,
            cdn: cdn.clone(),
        })?;
        print_report(&target, &report);
        return match (&report.cdn, &cdn) {
            (Some(Err(why)), Some((cdn, _))) => Err(anyhow::anyhow!(
                "the site is deployed, but {cdn} was not told what changed ({why}); readers get the new pages when their copies expire (5 minutes for pages), or deploy again to retry"
            )
            .into()),
            _ => Ok(()),
        };
    }
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

fn print_report(target: &Target, report: &Report) {
    let seconds = report.elapsed.as_secs_f64();
    let size = human_bytes(report.bytes);
    let (uploaded, deleted, unchanged) = (report.uploaded.len(), report.deleted.len(), report.unchanged);
    if report.dry_run {
        for rel in &report.uploaded {
            println!("would upload {rel}");
        }
        for rel in &report.deleted {
            println!("would delete {rel}");
        }
        println!(
            "Dry run for {target}: would upload {uploaded} ({size}), unchanged {unchanged}, would delete {deleted}; nothing was changed"
        );
    } else {
        println!(
            "Deployed to {target}: uploaded {uploaded}, unchanged {unchanged}, deleted {deleted}, {size} in {seconds:.1} s"
        );
    }
    if let Some(Ok(told)) = &report.cdn {
        match (told.everything, told.addresses) {
            (_, 0) => println!("Invalidated nothing: no address changed"),
            (true, _) => println!("Invalidated the whole site at once (more than 1,000 addresses changed)"),
            (false, n) => println!(
                "Invalidated {n} address{} in {}",
                if n == 1 { "" } else { "es" },
                plural(told.requests, "request")
            ),
        }
    }
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
