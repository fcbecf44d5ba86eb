//! Broadsheet's foundations, below everything else in the workspace: the
//! routes and URLs every page has, slugs, dates, diagnostics and the one
//! error type, the layout of a site folder, HTML escaping and decoding,
//! files opened beneath a root (`confine`), the URL policy (`safe_url`),
//! embeds, timing, gzip, the cache's helpers, and where a build's files go
//! (`sink`). Nothing here knows a site's configuration or content model.

pub mod articles_file;
pub mod cache;
pub mod confine;
pub mod date;
pub mod diagnostic;
pub mod embed;
pub mod error;
pub mod front;
pub mod gzip;
pub mod html;
pub mod layout;
pub mod route;
pub mod safe_url;
pub mod sink;
pub mod slug;
pub mod timing;
pub mod url;
