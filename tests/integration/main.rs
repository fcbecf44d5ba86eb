//! Integration tests: one test binary, building fixture sites under
//! `tests/fixtures/` (and the repo's own demo newsroom) and checking what a
//! reader or a writer would see.

mod attacks;
mod browser;
mod cms;
mod demo;
mod deploy_s3;
mod embeds;
mod errors;
mod feeds;
mod harness;
mod hostile;
mod import;
mod import_hugo;
mod import_jekyll;
mod import_zola;
mod languages;
mod links;
mod live;
mod liveblog;
mod masthead;
mod newsroom;
mod pages;
mod permalinks;
mod photos;
mod publish;
mod reactions;
mod realcontent;
mod safety;
mod search_node;
mod series;
mod serve;
mod standalone;
mod static_server;
mod theme;
mod tidy;
mod tools;
mod validate;
mod words;
