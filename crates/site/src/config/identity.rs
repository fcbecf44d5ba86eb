//! The files `site.toml` names for the site's look (logo, favicon, touch
//! icon, share image): a path on the site or another site's address,
//! checked to exist in `static/` (or `content/`) when the site is loaded;
//! a site's own icons at the usual places are found without being named.

use std::path::Path;

use super::config_error;
use broadsheet_base::diagnostic::Diagnostic;

/// A file `site.toml` names (logo, favicon, share image): a path under
/// `static/` or `content/` such as `/images/logo.png`, or an absolute URL.
#[derive(Debug, Clone)]
pub struct NamedFile {
    /// The path or address as written, trimmed.
    pub path: String,
    /// The key it was given under, for messages.
    pub key: &'static str,
    /// Line and column of the value in `site.toml`; (1, 1) for an icon found in
    /// `static/` without being named.
    pub at: (usize, usize),
}

/// The site's look in browsers and link previews.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// `logo`: shown in the masthead in place of the site's name, and the
    /// publisher's logo in JSON-LD; `None`: the name in type.
    pub logo: Option<NamedFile>,
    /// Without one, a monogram is made from the site's title.
    pub favicon: Option<NamedFile>,
    /// `apple_touch_icon`, else `static/apple-touch-icon.png` when there is
    /// one; `None`: a generated monogram.
    pub apple_touch_icon: Option<NamedFile>,
    /// For stories without a photo; without one, the logo (when it is a
    /// picture link previews can show) or a generated card.
    pub share_image: Option<NamedFile>,
    /// `#rrggbb`: the browser's toolbar colour and the monogram's.
    pub theme_color: String,
    /// The logo's width and height in pixels, when it could be read.
    pub logo_size: Option<(usize, usize)>,
    /// `[theme] css`: stylesheets every page loads after the theme's.
    pub stylesheets: Vec<NamedFile>,
}

impl NamedFile {
    /// Whether it names another site's file.
    pub fn is_external(&self) -> bool {
        self.path.starts_with("http://") || self.path.starts_with("https://") || self.path.starts_with("//")
    }

    /// The route of a site file (`/images/logo.png` is `images/logo.png`).
    pub fn route(&self) -> Option<broadsheet_base::route::Route> {
        (!self.is_external())
            .then(|| broadsheet_base::route::Route::from_site_path(self.path.trim_start_matches('/')).ok())?
    }

    /// Whether link previews can show it: a PNG, JPEG, GIF or WebP picture.
    pub fn is_picture(&self) -> bool {
        let lower = self.path.to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or_default();
        [".png", ".jpg", ".jpeg", ".gif", ".webp"].iter().any(|ext| path.ends_with(ext))
    }
}

impl Identity {
    /// Checks that every file named on the site is there (in `static/`, or
    /// `content/`), and reads the logo's size so the masthead does not jump.
    pub(super) fn find_files(&mut self, root: &Path) -> Result<(), Vec<Diagnostic>> {
        // A site's own icons at the usual places are used as they are.
        let own = |names: &[&str], key: &'static str| {
            names.iter().find(|n| root.join(broadsheet_base::layout::STATIC).join(n).is_file()).map(|n| NamedFile {
                path: format!("/{n}"),
                key,
                at: (1, 1),
            })
        };
        if self.favicon.is_none() {
            self.favicon = own(&["favicon.svg", "favicon.png", "favicon.ico"], "favicon");
        }
        if self.apple_touch_icon.is_none() {
            self.apple_touch_icon = own(&["apple-touch-icon.png"], "apple_touch_icon");
        }
        let mut problems = Vec::new();
        let mut logo_size = None;
        let named = [&self.logo, &self.favicon, &self.apple_touch_icon, &self.share_image].into_iter().flatten();
        for file in named.chain(&self.stylesheets) {
            if file.is_external() {
                continue;
            }
            let (line, column) = file.at;
            let Some(route) = file.route() else {
                let message = format!(
                    "{}: expected a file on the site such as \"/images/logo.png\", or an address starting with https://, found {:?}",
                    file.key, file.path
                );
                problems.push(config_error(line, column, message));
                continue;
            };
            let found =
                broadsheet_base::layout::site_file_candidates(root, route.as_str()).into_iter().find(|p| p.is_file());
            match found {
                Some(path) if file.key == "logo" => {
                    logo_size = imagesize::size(&path).ok().map(|s| (s.width, s.height));
                }
                Some(_) => {}
                None => {
                    let message = format!(
                        "{}: no file {} in static/ (or content/): expected the path of a file there, such as \"/images/logo.png\" for static/images/logo.png",
                        file.key, file.path
                    );
                    problems.push(config_error(line, column, message));
                }
            }
        }
        self.logo_size = logo_size;
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}
