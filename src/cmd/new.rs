//! `broadsheet new "Headline" --section world`: writes a new article file
//! with its front matter filled in, never over an existing one.

use std::fs::OpenOptions;
use std::io::Write as _;

use anyhow::{Context as _, bail};

use crate::build::ContentErrors;
use crate::cli::NewArgs;
use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::scaffold;
use crate::slug::slugify;

pub fn run(args: NewArgs) -> anyhow::Result<()> {
    let config = Config::load(&args.root, None).map_err(ContentErrors)?;
    let slug = slugify(&args.title);
    if slug.is_empty() {
        bail!("the headline {:?} has no letters or digits to make a URL from", args.title);
    }
    let section = slugify(&args.section);
    if section.is_empty() {
        bail!("the section {:?} has no letters or digits to make a URL from", args.section);
    }
    let folder = args.root.join(CONTENT_DIR).join(&section);
    let path = folder.join(format!("{slug}.md"));
    if folder.join(&slug).join("index.md").exists() {
        bail!("refusing to overwrite: {} already exists", folder.join(&slug).join("index.md").display());
    }
    let date = chrono::Utc::now().with_timezone(&config.timezone);
    let text = scaffold::article(&args.title, &slug, &date, &args.author);
    std::fs::create_dir_all(&folder).with_context(|| format!("cannot create {}", folder.display()))?;
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("refusing to overwrite: {} already exists", path.display())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}
