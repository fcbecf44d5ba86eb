//! The reactions counter: `broadsheet reactions serve`, a small HTTP
//! service that speaks the README's endpoint contract ("The reactions
//! endpoint") and keeps the counts in SQLite.
//!
//! - [`ArticlesFile`]: what the build writes to `_reactions/articles.json`
//!   (the site's article ids, their addresses and the labels), and what the
//!   service reads to know which articles and labels exist.
//! - `store`: the database. One writer thread commits votes in groups (a
//!   vote is answered only once it is committed); reads come from a small
//!   pool of read-only connections (WAL: they never wait for the writer).
//! - `server`: the axum service: the endpoint, `/health`, rate limits,
//!   CORS, origin checks, body limits and timeouts, security headers, the
//!   minute log.
//! - `listen`: the accept loop in front of it: header and idle timeouts,
//!   connection caps per address and in all (under the open-file limit,
//!   raised at start), graceful shutdown.

pub mod listen;
pub mod server;
pub mod store;

use std::path::Path;

use anyhow::{Context, bail};

pub use broadsheet_base::articles_file::ArticlesFile;
use broadsheet_base::articles_file::FORMAT;

/// Reads the articles file from a built site: its folder, or its address
/// (`https://user.github.io/repo/`).
pub fn load_articles(site: &str) -> anyhow::Result<ArticlesFile> {
    let rel = ArticlesFile::route();
    let (text, from) = if site.starts_with("http://") || site.starts_with("https://") {
        let mut base = url::Url::parse(site).with_context(|| format!("--site {site} is not a valid address"))?;
        if !base.path().ends_with('/') {
            let path = base.path().to_string() + "/";
            base.set_path(&path);
        }
        let address = base.join(rel.as_str())?;
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(std::time::Duration::from_secs(20))).build().into();
        let text = agent
            .get(address.as_str())
            .call()
            .and_then(|mut r| r.body_mut().with_config().limit(64 << 20).read_to_string())
            .with_context(|| format!("cannot read {address}"))?;
        (text, address.to_string())
    } else {
        let file = Path::new(site).join(rel.file());
        let text = std::fs::read_to_string(&file).with_context(|| {
            format!(
                "cannot read {}: --site must be a site Broadsheet built with reactions on (its output folder, e.g. public/, or its address)",
                file.display()
            )
        })?;
        (text, file.display().to_string())
    };
    let file: ArticlesFile = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{from}:{}:{}: not a Broadsheet articles file: {e}", e.line(), e.column()))?;
    if file.version != FORMAT {
        bail!(
            "{from}: articles file version {} (this Broadsheet reads version {}): rebuild the site",
            file.version,
            FORMAT
        );
    }
    if file.labels.is_empty() {
        bail!("{from}: the site has no reaction labels");
    }
    Ok(file)
}
