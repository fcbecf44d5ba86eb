//! `broadsheet theme eject`: copies the built-in theme into the site, so
//! it can be edited there; the copy builds the same pages as the built-in
//! theme until it is changed.

use std::path::{Path, PathBuf};

use anyhow::anyhow;

use crate::cli::{ThemeCommand, ThemeEjectArgs};
use broadsheet_base::layout::{CONFIG, STATIC, TEMPLATES};
use broadsheet_site::render::theme;

pub fn run(command: ThemeCommand) -> broadsheet_base::error::Result<()> {
    match command {
        ThemeCommand::Eject(args) => eject(&args),
    }
}

/// A note at the end of each copied template: a Tera comment, so the
/// pages come out byte for byte as before.
fn note() -> String {
    format!(
        "{{# Copied from the built-in theme of Broadsheet {} by `broadsheet theme eject`: this file now overrides it; delete it to go back. #}}",
        env!("CARGO_PKG_VERSION")
    )
}

fn eject(args: &ThemeEjectArgs) -> broadsheet_base::error::Result<()> {
    let root = &args.site.root;
    if !root.join(CONFIG).is_file() {
        return Err(anyhow!(
            "{} holds no site (no site.toml): run `broadsheet init DIR` first, or pass --root",
            root.display()
        )
        .into());
    }
    for folder in [TEMPLATES, STATIC] {
        if std::fs::symlink_metadata(root.join(folder)).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(anyhow!("{} is a symbolic link: nothing was written", root.join(folder).display()).into());
        }
    }
    let note = note();
    let mut files: Vec<(PathBuf, Vec<u8>)> = theme::builtin_templates()
        .into_iter()
        .map(|(name, text)| (Path::new(TEMPLATES).join(name), format!("{text}{note}").into_bytes()))
        .collect();
    files.extend(
        theme::builtin_static().into_iter().map(|(path, bytes)| (Path::new(STATIC).join(path), bytes.to_vec())),
    );
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| root.join(p).symlink_metadata().is_ok())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(anyhow!(
            "nothing was written: the site already has {} (move them away to eject the built-in theme)",
            existing.join(", ")
        )
        .into());
    }
    for (rel, bytes) in &files {
        super::write_new(&root.join(rel), bytes)?;
    }
    println!(
        "Copied the built-in theme into {}: {} files in {TEMPLATES}/ and {STATIC}/. Edit them there; delete one to use the built-in file again.",
        root.display(),
        files.len()
    );
    Ok(())
}
