//! Broadsheet: a static site generator for news sites. This package is the
//! command line (`cli`, `cmd`), the problem printer, `init`'s scaffold,
//! `serve` and `deploy`; the rest lives in the workspace's crates and is
//! re-exported here under the module names it always had (see
//! ARCHITECTURE.md for the crates and the direction they depend in).

pub mod cli;
pub mod cmd;
pub mod cms;
pub mod cms_proxy;
pub mod deploy;
pub mod print;
pub mod scaffold;
pub mod serve;

pub use broadsheet_base::{
    articles_file, cache, confine, date, diagnostic, embed, error, html, layout, route, safe_url, sink, slug, timing,
    url,
};
pub use broadsheet_import as import;
pub use broadsheet_reactions as reactions;
pub use broadsheet_search as search;
pub use broadsheet_site::{build, config, content, live, output, photos, related, render, site, site_search};
