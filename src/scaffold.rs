//! The text of new files: a new article's front matter (`new`) and a new
//! site (`init`). Pure: the commands decide where the files go and refuse
//! to overwrite anything.

use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;

/// A TOML string literal, quoted and escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A new article: title, the date it was started (in the site timezone), a
/// fixed slug (so later headline edits keep the URL), authors, and empty
/// summary and tags to fill in.
pub fn article(title: &str, slug: &str, date: &DateTime<Tz>, authors: &[String]) -> String {
    let authors: Vec<String> = authors.iter().map(|a| toml_string(a)).collect();
    format!(
        "+++\ntitle = {}\ndate = {}\nslug = {}\nsummary = \"\"\nauthors = [{}]\ntags = []\n+++\n\nWrite the story here.\n",
        toml_string(title),
        date.to_rfc3339_opts(SecondsFormat::Secs, false),
        toml_string(slug),
        authors.join(", ")
    )
}

/// The files of a new site, as (path relative to the site folder, contents).
pub fn site(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("site.toml", site_toml(title)),
        (
            "content/news/_index.md",
            "+++\ntitle = \"News\"\ndescription = \"The latest from our newsroom.\"\norder = 1\n+++\n".into(),
        ),
        ("content/news/welcome.md", WELCOME.into()),
        (".gitignore", "/public\n".into()),
        (".github/workflows/pages.yml", PAGES_WORKFLOW.into()),
    ]
}

fn site_toml(title: &str) -> String {
    format!(
        r#"# Broadsheet site configuration. Every key is described in Broadsheet's README.

# The site's name, shown in the masthead, titles and feeds.
title = {}
# Where the site is published. For a GitHub Pages project site this is
# https://<user>.github.io/<repo>/ (the Pages workflow passes it for you).
base_url = "https://example.com/"
description = "Independent local news."
# <html lang>, and the language of feeds and the news sitemap.
language = "en"
# Dates written without an offset are read in this timezone (an IANA name),
# and every date is shown in it.
timezone = "UTC"
# Stories per page of section, tag, author and archive listings.
per_page = 20

# Authors: articles name them by key (authors = ["sam"]); any other name
# works too and simply gets its own page.
[authors.sam]
name = "Sam Reporter"
bio = "Sam covers the city."
# url = "https://example.com/sam"
# photo = "/images/sam.jpg"   # a file under static/ or content/

# "You may also like" under each story.
[related]
count = 4

# The "What's your reaction?" block; add an endpoint to count reactions.
[reactions]
labels = ["Excited", "Happy", "In Love", "Not Sure", "Silly"]
# endpoint = "https://reactions.example.com/api"

# A banner on every page until a time:
# [breaking]
# text = "Polls close at 8 p.m."
# url = "/news/election-night/"
# until = "2026-11-03 20:00"

[feeds]
limit = 50
full_content = true

# Anything your own templates want, as site.extra.
[extra]
"#,
        toml_string(title)
    )
}

const WELCOME: &str = r#"+++
title = "Welcome to your newsroom"
date = 2026-01-01T09:00:00Z
summary = "This is an example story. Edit it, or start a new one with `broadsheet new`."
authors = ["sam"]
tags = ["welcome"]
+++

Every article is a Markdown file in a section folder under `content/`, with
its details in the front matter between the `+++` lines.

## Writing

Run `broadsheet serve` and open the address it prints: the page reloads by
itself every time you save.
"#;

/// Builds the site on every push and every hour (so scheduled articles go
/// live), and publishes it with GitHub's Pages actions.
pub const PAGES_WORKFLOW: &str = r#"# Publishes the site on GitHub Pages.
# In the repository's Settings > Pages, set "Source" to "GitHub Actions".
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  schedule:
    # Every hour, so articles scheduled for later go live on time.
    - cron: "7 * * * *"
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install Broadsheet
        run: cargo install broadsheet --locked
      - name: Build
        # configure-pages gives the address the site will have, e.g.
        # https://user.github.io/repo (no trailing slash).
        run: broadsheet build --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v4
        with:
          path: public
          # Keep .nojekyll, so folders starting with "_" are served.
          include-hidden-files: true

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn article_front_matter_escapes_and_fixes_the_slug() {
        let date = chrono_tz::America::New_York.with_ymd_and_hms(2026, 11, 26, 9, 5, 0).unwrap();
        let text = article("Rates & \"risks\"", "rates-risks", &date, &["ann".into()]);
        let front: toml::Table = toml::from_str(text.split("+++").nth(1).unwrap()).unwrap();
        assert_eq!(front["title"].as_str(), Some("Rates & \"risks\""));
        assert_eq!(front["date"].as_datetime().unwrap().to_string(), "2026-11-26T09:05:00-05:00");
        assert_eq!(front["slug"].as_str(), Some("rates-risks"));
        assert_eq!(front["authors"].as_array().unwrap()[0].as_str(), Some("ann"));
        assert!(front["tags"].as_array().unwrap().is_empty());
    }

    #[test]
    fn new_site_config_parses() {
        let files = site("My \"Daily\"");
        let config = crate::config::Config::parse(&files[0].1, None).unwrap();
        assert_eq!(config.title, "My \"Daily\"");
    }
}
