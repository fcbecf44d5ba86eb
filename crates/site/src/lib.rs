//! The Broadsheet pipeline, in one direction:
//! `config` -> `content` (load) -> `site` (model) -> `render` -> `output`,
//! orchestrated by `build`; `live` rebuilds for `serve`. Below it:
//! `broadsheet-base` and `broadsheet-search`; the importers, the reactions
//! counter and the command line are above it or beside it and never
//! compiled with it. See ARCHITECTURE.md.

pub mod build;
pub mod config;
pub mod content;
pub mod live;
pub mod output;
pub mod photos;
pub mod related;
pub mod render;
pub mod site;
pub mod site_search;
pub mod translations;
