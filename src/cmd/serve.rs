//! `broadsheet serve`: preview with live reload.

use crate::cli::ServeArgs;
use crate::serve::{ServeOptions, run as serve};

pub fn run(args: ServeArgs) -> broadsheet_base::error::Result<()> {
    let build = args.publish.apply(args.site.build_options());
    Ok(serve(ServeOptions { root: args.site.root, bind: args.bind, port: args.port, open: args.open, build })?)
}
