//! `broadsheet cms`: writes the browser editors' configuration (Decap and
//! Sveltia CMS, Pages CMS) from the site, keeping what an editor added
//! outside each file's generated block.

use crate::cli::CmsArgs;
use crate::cms;
use broadsheet_base::error::{Error, Result};
use broadsheet_site::config::Config;

pub fn run(args: CmsArgs) -> Result<()> {
    let root = &args.site.root;
    let config = Config::load(root, None).map_err(Error::content)?;
    let files = cms::files(root, &config)?;
    for (rel, text) in &files {
        cms::write(&root.join(rel), text)?;
        println!("{}", root.join(rel).display());
    }
    eprintln!("Write in Decap CMS at /admin/ on the published site, or on `broadsheet serve` to edit this folder;");
    eprintln!(
        "Pages CMS (https://app.pagescms.org) reads .pages.yml. Run `broadsheet cms` again after adding a section, an author or a series."
    );
    Ok(())
}
