//! `broadsheet new "Headline" --section world`: writes a new draft article
//! with its front matter filled in, never over an existing one, and only
//! into a section the site has (unless `--new-section`).

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, anyhow};

use crate::cli::NewArgs;
use crate::scaffold;
use broadsheet_base::error::{Error, Result};
use broadsheet_base::layout::CONTENT as CONTENT_DIR;
use broadsheet_base::slug::slugify;
use broadsheet_site::config::Config;
use broadsheet_site::content::{is_hidden, is_markdown};

pub fn run(args: NewArgs) -> Result<()> {
    let root = &args.site.root;
    let config = Config::load(root, None).map_err(Error::content)?;
    let slug = slugify(&args.title);
    if slug.is_empty() {
        return Err(anyhow!("the headline {:?} has no letters or digits to make a URL from", args.title).into());
    }
    let section = slugify(&args.section);
    if section.is_empty() {
        return Err(anyhow!("the section {:?} has no letters or digits to make a URL from", args.section).into());
    }
    let sections = sections(&root.join(CONTENT_DIR));
    if !args.new_section && !sections.contains(&section) {
        return Err(anyhow!("{}", unknown_section(&section, &sections)).into());
    }
    let folder = root.join(CONTENT_DIR).join(&section);
    let path = folder.join(format!("{slug}.md"));
    if folder.join(&slug).join("index.md").exists() {
        return Err(
            anyhow!("refusing to overwrite: {} already exists", folder.join(&slug).join("index.md").display()).into()
        );
    }
    let date = chrono::Utc::now().with_timezone(&config.timezone);
    let text = scaffold::article(&args.title, &slug, &date, &args.author);
    std::fs::create_dir_all(&folder).with_context(|| format!("cannot create {}", folder.display()))?;
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(anyhow!("refusing to overwrite: {} already exists", path.display()).into());
        }
        Err(e) => return Err(anyhow::Error::from(e).context(format!("cannot create {}", path.display())).into()),
    };
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    eprintln!("This is a draft: builds leave it out until you delete its `draft = true` line.");
    eprintln!("See it as you write with `broadsheet serve` (it shows drafts, marked \"Draft\").");
    Ok(())
}

/// The site's sections: folders of `content/` with a `_index.md` or an
/// article anywhere inside (`x.md`, `2023/x.md`, `x/index.md`; any of the
/// Markdown extensions a build reads).
fn sections(content: &Path) -> Vec<String> {
    let holds_articles = |dir: &Path| {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_entry(|e| !is_hidden(e.file_name()))
            .flatten()
            .any(|e| e.file_type().is_file() && is_markdown(e.path()))
    };
    let Ok(entries) = std::fs::read_dir(content) else { return Vec::new() };
    let mut found: Vec<String> = entries
        .flatten()
        .filter(|e| !is_hidden(&e.file_name()) && e.path().is_dir() && holds_articles(&e.path()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

/// Says that `section` is not one of `sections`, with the closest one.
fn unknown_section(section: &str, sections: &[String]) -> String {
    let closest = sections
        .iter()
        .map(|s| (strsim::damerau_levenshtein(section, s), s))
        .filter(|(distance, s)| *distance <= 2.max(s.len() / 3))
        .min();
    let hint = match closest {
        Some((_, s)) => format!(" Did you mean `--section {s}`?"),
        None if sections.is_empty() => String::new(),
        None => format!(" The sections are: {}.", sections.join(", ")),
    };
    format!(
        "there is no section `{section}` in {CONTENT_DIR}/.{hint} To start a new section, pass --new-section as well."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_section_gets_the_closest_one() {
        let sections = vec!["business".to_string(), "world".to_string()];
        assert!(unknown_section("wrold", &sections).contains("Did you mean `--section world`?"));
        let far = unknown_section("images", &sections);
        assert!(far.contains("The sections are: business, world.") && far.contains("--new-section"), "{far}");
    }
}
