//! What an import did, in words: the summary lines `broadsheet import`
//! prints, and `import-report.md` with them, every note for a human and
//! the count of items that now redirect from their old URL.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use broadsheet_base::diagnostic::plural;

use crate::plan::Place;
use crate::{Imported, Item, Kind, Summary};

pub(crate) fn summarize(imported: &Imported, places: &[Place]) -> Summary {
    let items = &imported.items;
    let count = |f: &dyn Fn(&Item) -> bool| items.iter().filter(|i| f(i)).count();
    let posts = count(&|i| i.kind == Kind::Article && !i.draft);
    let pages = count(&|i| i.kind == Kind::Page && !i.draft);
    let drafts = count(&|i| i.draft);
    let aliases: usize = places.iter().map(|p| p.aliases.len()).sum();
    let sections = imported.section_titles.len();
    let tags: BTreeSet<&String> = items.iter().flat_map(|i| &i.tags).collect();
    let mut lines = vec![format!(
        "Imported {}, {} and {} ({} {}, {}, {}); wrote {} from old URLs.",
        plural(posts, "article"),
        plural(pages, "page"),
        plural(drafts, "draft"),
        plural(imported.authors.len(), "author"),
        if sections == 1 { "in 1 section".to_string() } else { format!("in {sections} sections") },
        plural(tags.len(), "tag"),
        plural(imported.statics.len() + items.iter().map(|i| i.files.len()).sum::<usize>(), "file"),
        plural(aliases, "redirect"),
    )];
    // A multilingual site: how many items each language has.
    if imported.languages.len() > 1 {
        let by_language: Vec<String> = imported
            .languages
            .iter()
            .enumerate()
            .map(|(n, l)| {
                let count = items
                    .iter()
                    .filter(|i| i.lang.as_deref() == Some(l.code.as_str()) || (n == 0 && i.lang.is_none()))
                    .count();
                format!("{count} in {}", l.code)
            })
            .collect();
        lines.push(format!("  imported: {}", by_language.join(", ")));
    }
    for (what, n) in &imported.counts {
        lines.push(format!("  {n} {what}"));
    }
    if !imported.skipped.is_empty() {
        let skipped: usize = imported.skipped.values().sum();
        let reasons: Vec<String> = imported.skipped.iter().map(|(why, n)| format!("{n} {why}")).collect();
        lines.push(format!("Skipped {}: {}.", plural(skipped, "item"), reasons.join(", ")));
    }
    lines.push(format!("{} for a human: see import-report.md.", plural(imported.notes.len(), "note")));
    Summary { lines }
}

pub(crate) fn report(imported: &Imported, places: &[Place], summary: &Summary) -> String {
    let mut r = String::from("# Import report\n\n");
    for line in &summary.lines {
        let _ = writeln!(r, "{}", line.trim_start());
        r.push('\n');
    }
    if !imported.notes.is_empty() {
        r.push_str("## Needs a human\n\nEach line names the source item and what to do.\n\n");
        let mut notes = imported.notes.clone();
        notes.sort();
        for note in notes {
            let _ = writeln!(r, "- **{}**: {}", note.origin, note.what);
        }
        r.push('\n');
    }
    let moved: Vec<(&Item, &Place)> =
        imported.items.iter().zip(places).filter(|(_, p)| !p.aliases.is_empty()).collect();
    if !moved.is_empty() {
        let _ = writeln!(
            r,
            "## Old URLs kept as redirects\n\n{} now live at a new URL; their old URL redirects there (`aliases` in their front matter).\n",
            plural(moved.len(), "item")
        );
    }
    r
}
