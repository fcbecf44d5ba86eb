//! The floor: the least any generator must do for a site. Reads every
//! article under `content/`, parses its TOML front matter, renders its
//! Markdown and writes one HTML file per article, in parallel. Nothing else:
//! no listings, feeds, related articles or templates. `benches/compare.sh`
//! times it next to Broadsheet and Hugo.
//!
//!     cargo run --release --example floor -- CONTENT_DIR OUT_DIR

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (content, out) = match args.as_slice() {
        [_, content, out] => (PathBuf::from(content), PathBuf::from(out)),
        _ => {
            eprintln!("usage: floor CONTENT_DIR OUT_DIR");
            std::process::exit(2);
        }
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "_index.md")
        .map(|e| e.into_path())
        .collect();
    let written = files.par_iter().filter(|path| render(path, &content, &out)).count();
    println!("floor: {written} articles written");
}

fn render(path: &Path, content: &Path, out: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    let Some(rest) = text.strip_prefix("+++\n") else { return false };
    let Some((front, body)) = rest.split_once("\n+++\n") else { return false };
    let Ok(meta) = toml::from_str::<toml::Table>(front) else { return false };
    let title = meta.get("title").and_then(|t| t.as_str()).unwrap_or("");
    let mut html = format!("<!DOCTYPE html><title>{title}</title>\n");
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all()));
    let Ok(rel) = path.strip_prefix(content) else { return false };
    let target = out.join(rel.with_extension("")).join("index.html");
    target.parent().is_some_and(|dir| std::fs::create_dir_all(dir).is_ok()) && std::fs::write(target, html).is_ok()
}
