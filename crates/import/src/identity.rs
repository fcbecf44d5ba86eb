//! The site's identity as the source had it: its logo and favicon, kept in
//! `site.toml` when the file came along into `static/` (or is another
//! site's address), and named in the report when it did not. The title and
//! description are read by each generator's reader.

use std::path::Path;

use crate::Imported;

/// Checks the logo and favicon the reader found; each kept is a site path
/// (`/assets/logo.png`) under `static/` or an `http(s)` address.
pub(crate) fn resolve(imported: &mut Imported, config_file: &str) {
    let base_path = crate::write::base_path(&imported.base_url);
    for key in ["logo", "favicon"] {
        let named = match key {
            "logo" => imported.logo.take(),
            _ => imported.favicon.take(),
        };
        let Some(named) = named.map(|n| crate::jekyll::strip_liquid_urls(n.trim())).filter(|n| !n.is_empty()) else {
            continue;
        };
        let kept = if named.starts_with("https://") || named.starts_with("http://") {
            Some(named.clone())
        } else {
            let path = named.trim_start_matches('/');
            // Under the base path only at a folder boundary: with `/news/`,
            // `newsroom/logo.png` is not `room/logo.png`.
            let base = base_path.trim_matches('/');
            let under = path.strip_prefix(base).filter(|rest| !base.is_empty() && rest.starts_with('/'));
            let path = under.map_or(path, |p| p.trim_start_matches('/'));
            imported.statics.iter().any(|(_, to)| to == Path::new(path)).then(|| format!("/{path}"))
        };
        if kept.is_none() {
            imported.note(
                config_file,
                format!(
                    "its {key} `{named}` is not among the files copied into static/: set `{key}` in site.toml by hand"
                ),
            );
        }
        match key {
            "logo" => imported.logo = kept,
            _ => imported.favicon = kept,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::Imported;

    fn resolved(base_url: &str, logo: &str, copied: &str) -> Option<String> {
        let mut imported = Imported {
            base_url: base_url.to_string(),
            logo: Some(logo.to_string()),
            statics: vec![(PathBuf::from("source"), PathBuf::from(copied))],
            ..Imported::default()
        };
        super::resolve(&mut imported, "_config.yml");
        imported.logo
    }

    #[test]
    fn a_logo_under_the_base_path_is_found_only_at_a_folder_boundary() {
        assert_eq!(
            resolved("https://u.github.io/news/", "/news/img/logo.png", "img/logo.png").as_deref(),
            Some("/img/logo.png")
        );
        // `newsroom/` is a folder of its own, not `room/` under `/news/`.
        assert_eq!(
            resolved("https://u.github.io/news/", "/newsroom/logo.png", "newsroom/logo.png").as_deref(),
            Some("/newsroom/logo.png")
        );
        assert_eq!(resolved("https://u.github.io/news/", "/newsroom/logo.png", "room/logo.png"), None);
        assert_eq!(resolved("https://example.org/", "/img/logo.png", "img/logo.png").as_deref(), Some("/img/logo.png"));
    }
}
