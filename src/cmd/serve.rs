//! `broadsheet serve`: preview with live reload.

use crate::cli::ServeArgs;
use crate::serve::{ServeOptions, run as serve};

pub fn run(args: ServeArgs) -> broadsheet_base::error::Result<()> {
    // Not a site at all: say so and stop, rather than serve an error page.
    if !args.site.root.join(broadsheet_base::layout::CONFIG).exists() {
        let (_, problems) = broadsheet_site::config::Config::load_lenient(&args.site.root, None);
        return Err(broadsheet_base::error::Error::content(problems));
    }
    let build = args.publish.apply(args.site.build_options());
    Ok(serve(ServeOptions { root: args.site.root, bind: args.bind, port: args.port, open: args.open, build })?)
}
