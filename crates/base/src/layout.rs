//! The names of a site's folders and files: the one place that says where
//! a site keeps its configuration, articles, theme overrides and static
//! files, and where a build writes by default.

/// The configuration file at the site's root.
pub const CONFIG: &str = "site.toml";
/// Articles and section files, with the files they use.
pub const CONTENT: &str = "content";
/// The site's own templates, overriding the built-in theme file by file.
pub const TEMPLATES: &str = "templates";
/// Files copied to the output as they are.
pub const STATIC: &str = "static";
/// The site's own words, one file per language (`i18n/fr.toml`).
pub const I18N: &str = "i18n";
/// Where a build writes unless told otherwise.
pub const OUTPUT: &str = "public";

/// Where a site path (`/images/logo.png`) may be on disk: the site's
/// `static/`, then `content/`.
pub fn site_file_candidates(root: &std::path::Path, route: &str) -> [std::path::PathBuf; 2] {
    [root.join(STATIC).join(route), root.join(CONTENT).join(route)]
}

/// The folders that hold the site's sources: never an output, always
/// watched by `serve`.
pub const SOURCES: [&str; 4] = [CONTENT, TEMPLATES, STATIC, I18N];
