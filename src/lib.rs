//! Broadsheet: a static site generator for news sites.
//!
//! The pipeline runs in one direction, one module each:
//! `config` -> `content` (load) -> `site` (model) -> `render` -> `output`,
//! orchestrated by `build`. See ARCHITECTURE.md.

pub mod articles_file;
pub mod build;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod confine;
pub mod content;
pub mod date;
pub mod deploy;
pub mod diagnostic;
pub mod embed;
pub mod error;
pub mod html;
pub mod import;
pub mod layout;
pub mod live;
pub mod output;
pub mod photos;
pub mod print;
pub mod reactions;
pub mod related;
pub mod render;
pub mod route;
pub mod safe_url;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod sink;
pub mod site;
pub mod site_search;
pub mod slug;
pub mod timing;
pub mod url;
