//! `broadsheet import KIND SOURCE`: writes a new site from another
//! generator's, then prints what it did.

use anyhow::anyhow;

use crate::cli::ImportArgs;
use broadsheet_import::{self as import, Options};

pub fn run(args: ImportArgs) -> broadsheet_base::error::Result<()> {
    let into = match &args.into {
        Some(dir) => dir.clone(),
        None => {
            let stem = args.source.file_stem().map_or_else(|| "imported".into(), |s| s.to_string_lossy().into_owned());
            std::path::PathBuf::from(format!("{stem}-broadsheet"))
        }
    };
    let mut sections = std::collections::BTreeMap::new();
    for pair in &args.section_from {
        let (from, to) = pair
            .split_once('=')
            .filter(|(f, t)| !f.trim().is_empty() && !t.trim().is_empty())
            .ok_or_else(|| anyhow!("--section-from {pair:?}: expected CATEGORY=SECTION, like \"Local News=news\""))?;
        sections.insert(from.trim().to_string(), to.trim().to_string());
    }
    let opts = Options {
        from: args.from,
        source: args.source.clone(),
        into: into.clone(),
        uploads: args.uploads.clone(),
        sections,
        language: args.language.clone(),
    };
    let summary = import::run(&opts)?;
    for line in &summary.lines {
        println!("{line}");
    }
    println!("Wrote the site into {}. Next: broadsheet build --root {}", into.display(), into.display());
    Ok(())
}
