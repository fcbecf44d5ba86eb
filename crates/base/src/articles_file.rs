//! `_reactions/articles.json`: what a build tells a reactions counter (the
//! site's article ids, their addresses and the labels). A leaf both the
//! pipeline, which writes it, and the counter, which reads it, can reach.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::route::Route;

/// The articles file's format version; the service refuses others.
pub const FORMAT: u32 = 1;

/// `_reactions/articles.json`: the published articles a counter accepts
/// votes for, and the labels it accepts.
#[derive(Debug, Serialize, Deserialize)]
pub struct ArticlesFile {
    /// The format it was written in: [`FORMAT`] when the build wrote it.
    pub version: u32,
    /// The site's base URL, whose origin the counter allows by default.
    pub base_url: String,
    /// The reactions readers choose from (`[reactions] labels` in
    /// site.toml), in the order the site shows them; never empty in a file
    /// the counter accepts.
    pub labels: Vec<String>,
    /// Article id (its path without the surrounding slashes) -> address.
    pub articles: BTreeMap<String, String>,
}

impl ArticlesFile {
    /// Where the build writes it.
    pub fn route() -> Route {
        Route::REACTIONS_ARTICLES
    }

    /// The origin (`https://user.github.io`) of the site's address.
    pub fn origin(&self) -> Option<String> {
        let url = url::Url::parse(&self.base_url).ok()?;
        let origin = url.origin();
        origin.is_tuple().then(|| origin.ascii_serialization())
    }
}
