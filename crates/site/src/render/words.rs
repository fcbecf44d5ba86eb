//! Every word Broadsheet itself puts on a page, outside the templates: the
//! titles and descriptions of the index pages, the descriptions of
//! listings, breadcrumb names and date formats. One table, so a site in
//! another language (future work) replaces one value, not a search through
//! the renderer. `{}` in a phrase stands for the name it describes.

/// The words of one language.
#[derive(Debug)]
pub struct Words {
    pub topics: &'static str,
    pub topics_description: &'static str,
    pub journalists: &'static str,
    pub journalists_title: &'static str,
    pub journalists_description: &'static str,
    pub sections: &'static str,
    pub sections_description: &'static str,
    pub search: &'static str,
    pub search_description: &'static str,
    pub archive: &'static str,
    pub archive_description: &'static str,
    pub not_found: &'static str,
    pub corrections: &'static str,
    pub corrections_description: &'static str,
    /// A time of day's halves (`9:30 a.m.`).
    pub before_noon: &'static str,
    pub after_noon: &'static str,
    pub stories_from_year: &'static str,
    pub stories_about: &'static str,
    pub stories_by: &'static str,
    pub stories_published_in: &'static str,
    /// A series' description when none is written.
    pub a_series_in_parts: &'static str,
    /// A date on a page (`November 26, 2026`), in chrono's format syntax.
    pub date_format: &'static str,
    /// A month archive's name (`November 2026`).
    pub month_format: &'static str,
}

pub const ENGLISH: Words = Words {
    topics: "Topics",
    topics_description: "Every topic we cover",
    journalists: "Journalists",
    journalists_title: "Our journalists",
    journalists_description: "Everyone who writes for us",
    sections: "Sections",
    sections_description: "Every section of the site",
    search: "Search",
    search_description: "Search every story",
    archive: "Archive",
    archive_description: "Every story by month",
    not_found: "Page not found",
    corrections: "Corrections",
    corrections_description: "Every correction to our stories, newest first",
    before_noon: "a.m.",
    after_noon: "p.m.",
    stories_from_year: "Stories from {}",
    stories_about: "Stories about {}",
    stories_by: "Stories by {}",
    stories_published_in: "Stories published in {}",
    a_series_in_parts: "A series in {} parts",
    date_format: "%B %-d, %Y",
    month_format: "%B %Y",
};

/// `phrase` with its `{}` replaced by `name`.
pub fn fill(phrase: &str, name: impl std::fmt::Display) -> String {
    phrase.replacen("{}", &name.to_string(), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_names_what_it_describes() {
        assert_eq!(fill(ENGLISH.stories_about, "ferry"), "Stories about ferry");
    }
}
