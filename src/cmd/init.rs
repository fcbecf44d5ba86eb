//! `broadsheet init DIR`: writes a new site, refusing to touch a folder
//! that already holds one.

use std::fs::OpenOptions;
use std::io::Write as _;

use anyhow::{Context as _, anyhow};

use crate::cli::InitArgs;
use crate::scaffold;

pub fn run(args: InitArgs) -> broadsheet_base::error::Result<()> {
    let dir = &args.dir;
    if dir.join(broadsheet_base::layout::CONFIG).exists() {
        return Err(anyhow!("{} already holds a site (site.toml exists); nothing was written", dir.display()).into());
    }
    let title = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.clone()))
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "My Newsroom".into());
    let repository = args.repository.as_deref().unwrap_or(scaffold::SOURCE_REPOSITORY).trim_end_matches('/');
    check_repository(repository)?;
    let files = scaffold::site(&title, repository);
    if let Some((path, _)) = files.iter().find(|(path, _)| dir.join(path).exists()) {
        return Err(anyhow!("{} already exists; nothing was written", dir.join(path).display()).into());
    }
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!("Created a new site in {}.", dir.display());
    println!("Next: cd {} && broadsheet serve", dir.display());
    Ok(())
}

/// The repository address goes into the workflow's YAML and shell: only a
/// plain `https://` (or `http://`, `file://`) address is accepted.
fn check_repository(address: &str) -> anyhow::Result<()> {
    let plain = address.chars().all(|c| c.is_ascii_alphanumeric() || "-._~:/@%+".contains(c));
    let parsed = url::Url::parse(address).ok().filter(|u| matches!(u.scheme(), "https" | "http" | "file"));
    match parsed {
        Some(_) if plain => Ok(()),
        _ => Err(anyhow!(
            "--repository {address:?} is not a repository address: expected one like https://github.com/you/broadsheet"
        )),
    }
}
