//! `broadsheet reactions serve | export | import`: the counter service.

use std::io::{Read, Write};
use std::num::NonZeroU32;
use std::time::Duration;

use anyhow::Context;

use crate::cli::ReactionsCommand;
use broadsheet_reactions::{server, store};

pub fn run(command: ReactionsCommand) -> broadsheet_base::error::Result<()> {
    match command {
        ReactionsCommand::Serve(args) => {
            let options = server::Options {
                db: args.db.db,
                site: args.site,
                bind: args.bind,
                port: args.port,
                origins: args.origin,
                refresh: (args.refresh > 0).then(|| Duration::from_secs(args.refresh)),
                rate: NonZeroU32::new(args.rate_limit).unwrap_or(NonZeroU32::MIN),
                burst: NonZeroU32::new(args.burst).unwrap_or(NonZeroU32::MIN),
                behind_proxy: args.behind_proxy,
                log_every: Duration::from_secs(args.log_every),
            };
            let runtime = tokio::runtime::Runtime::new().context("cannot start the service's runtime")?;
            runtime.block_on(server::run(options, |_| {}))?;
        }
        ReactionsCommand::Export(args) => {
            if !args.db.is_file() {
                return Err(anyhow::anyhow!("there is no database {}", args.db.display()).into());
            }
            let conn = store::open(&args.db)?;
            let export = store::export(&conn)?;
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &export).context("cannot write the export")?;
            writeln!(out).context("cannot write the export")?;
        }
        ReactionsCommand::Import(args) => {
            let (text, from) = if args.file.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?;
                (text, "standard input".to_string())
            } else {
                let text = std::fs::read_to_string(&args.file)
                    .with_context(|| format!("cannot read {}", args.file.display()))?;
                (text, args.file.display().to_string())
            };
            let mut conn = store::open(&args.db.db)?;
            let done = store::import(&mut conn, &text, &from)?;
            println!(
                "imported the counts of {} articles and {} reader votes into {}",
                done.articles,
                done.votes,
                args.db.db.display()
            );
        }
    }
    Ok(())
}
