//! `broadsheet init DIR`: writes a new site, refusing to touch a folder
//! that already holds one.

use anyhow::anyhow;

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
    let files = scaffold::site(&title, repository, args.host);
    if let Some((path, _)) = files.iter().find(|(path, _)| dir.join(path).exists()) {
        return Err(anyhow!("{} already exists; nothing was written", dir.join(path).display()).into());
    }
    for (path, text) in files {
        super::write_new(&dir.join(path), text.as_bytes())?;
    }
    println!("Created a new site in {}.", dir.display());
    if args.host == scaffold::Host::S3 {
        println!(
            "Its workflow (.github/workflows/publish.yml) publishes to object storage: set the repository variables named at its top."
        );
    }
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
