//! `broadsheet serve`: preview with live reload.

use crate::cli::ServeArgs;
use crate::serve::{ServeOptions, run as serve};

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    serve(ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        future: args.future,
        open: args.open,
    })
}
