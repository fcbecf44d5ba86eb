//! Templates and static files of the theme: the built-in theme is embedded
//! in the binary from the repo's `templates/` and `static/`; a site's own
//! `templates/` overrides it file by file. Builds the Tera instance and turns
//! Tera's errors into diagnostics that name the template file and line.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use broadsheet_base::diagnostic::{Diagnostic, relative};
use broadsheet_base::route::Route;

static BUILTIN_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../templates");
static BUILTIN_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../static");

/// Where each template came from, to name it in messages.
#[derive(Debug, Default, Clone)]
pub struct Origins(BTreeMap<String, PathBuf>);

impl Origins {
    /// The path shown for a template name.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0
            .get(name)
            .cloned()
            .unwrap_or_else(|| Path::new(broadsheet_base::layout::TEMPLATES).join(format!("{name} (built-in theme)")))
    }
}

/// Loads the built-in templates, then the site's overrides; with a
/// warning for each template that is a symbolic link out of the site.
pub fn load(root: &Path) -> Result<(Tera, Origins, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for file in builtin_files(&BUILTIN_TEMPLATES) {
        if let Some(text) = file.contents_utf8() {
            sources.insert(name_of(file.path()), text.to_string());
        }
    }
    let mut origins = Origins::default();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let dir = root.join(broadsheet_base::layout::TEMPLATES);
    let walk = WalkDir::new(&dir).sort_by_file_name().into_iter();
    // Editors' swap and backup files beside a template are not templates.
    let visible = walk.filter_entry(|e| e.depth() == 0 || !crate::content::is_hidden(e.file_name()));
    for entry in visible.filter_map(Result::ok) {
        let rel = relative(root, entry.path());
        let link = entry.path_is_symlink();
        if !entry.file_type().is_file() && !link {
            continue;
        }
        let name = name_of(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
        match broadsheet_base::confine::read_to_string(root, entry.path()) {
            Ok(text) => {
                sources.insert(name.clone(), text);
                origins.0.insert(name, rel);
            }
            Err(e) if link && e.kind() == std::io::ErrorKind::PermissionDenied => {
                let message = broadsheet_base::confine::skipped_link(entry.path());
                warnings.push(Diagnostic::warning(rel, 1, 1, message));
            }
            Err(_) if link && !broadsheet_base::confine::is_file(root, entry.path()) => {}
            Err(e) => problems.push(Diagnostic::error(rel, 1, 1, format!("cannot read template: {e}"))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    warnings.extend(unused_templates(&sources, &origins));
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.add_raw_templates(sources.iter()).map_err(|e| vec![diagnostic(&e, &origins, None)])?;
    Ok((tera, origins, warnings))
}

/// A site template that is neither one Broadsheet renders nor named by
/// any template (an include, an import, a parent) is never used: most
/// often a misspelt override (`artcle.html`) that leaves the built-in one
/// in place, so it gets a warning with the closest built-in name.
fn unused_templates(sources: &BTreeMap<String, String>, origins: &Origins) -> Vec<Diagnostic> {
    let builtin: Vec<String> = builtin_files(&BUILTIN_TEMPLATES).iter().map(|f| name_of(f.path())).collect();
    let mut warnings = Vec::new();
    for (name, file) in &origins.0 {
        let named_elsewhere = sources.iter().any(|(other, text)| other != name && text.contains(name.as_str()));
        if builtin.contains(name) || named_elsewhere {
            continue;
        }
        let hint = match broadsheet_base::diagnostic::closest(name, builtin.iter().map(String::as_str)) {
            Some(close) => format!(": did you mean `{close}`?"),
            None => format!(" (the theme's templates are {})", builtin.join(", ")),
        };
        let message = format!(
            "template `{name}` is not used: Broadsheet renders no page with it and no template includes it{hint}"
        );
        warnings.push(Diagnostic::warning(file.clone(), 1, 1, message));
    }
    warnings
}

fn name_of(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn builtin_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(builtin_files(sub));
    }
    files
}

/// The built-in theme's templates, as (name, text).
pub fn builtin_templates() -> Vec<(String, &'static str)> {
    builtin_files(&BUILTIN_TEMPLATES)
        .into_iter()
        .filter_map(|f| Some((name_of(f.path()), f.contents_utf8()?)))
        .collect()
}

/// The built-in theme's static files, as (output-relative path, bytes).
pub fn builtin_static() -> Vec<(PathBuf, &'static [u8])> {
    builtin_files(&BUILTIN_STATIC).into_iter().map(|f| (f.path().to_path_buf(), f.contents())).collect()
}

/// A Tera error as a diagnostic at the template's file and line, with the
/// whole cause chain; `page` names the page being rendered, if any.
pub fn diagnostic(e: &tera::Error, origins: &Origins, page: Option<&Route>) -> Diagnostic {
    let while_rendering = page.map(|p| format!(" (while rendering {})", p.shown())).unwrap_or_default();
    let mut chain = String::new();
    let mut source = e.source();
    while let Some(cause) = source {
        chain.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let message = format!("{}{while_rendering}{chain}", report.message());
            Diagnostic::error(origins.path(report.filename()), span.start_line, span.start_col + 1, message)
        }
        ErrorKind::MissingParent { current, .. } => {
            Diagnostic::error(origins.path(current), 1, 1, format!("{e}{chain}"))
        }
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Diagnostic::error(origins.path(tpl), 1, 1, format!("{e}{chain}"))
        }
        _ => Diagnostic::error(
            PathBuf::from(broadsheet_base::layout::TEMPLATES),
            1,
            1,
            format!("{e}{while_rendering}{chain}"),
        ),
    }
}
