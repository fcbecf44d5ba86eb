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
/// summary and tags to fill in. It is a draft, so a placeholder is never
/// published by the next scheduled build.
pub fn article(title: &str, slug: &str, date: &DateTime<Tz>, authors: &[String]) -> String {
    let authors: Vec<String> = authors.iter().map(|a| toml_string(a)).collect();
    format!(
        "+++\ntitle = {}\ndate = {}\nslug = {}\nsummary = \"\"\nauthors = [{}]\ntags = []\n# Delete this line to publish the story.\ndraft = true\n+++\n\nWrite the story here.\n",
        toml_string(title),
        date.to_rfc3339_opts(SecondsFormat::Secs, false),
        toml_string(slug),
        authors.join(", ")
    )
}

/// Where a new site is published: the workflow `init` writes for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Host {
    /// GitHub Pages (`.github/workflows/pages.yml`).
    Pages,
    /// Object storage (S3 and S3-compatible services), with GitHub's OIDC
    /// role for credentials (`.github/workflows/publish.yml`).
    S3,
}

/// The files of a new site, as (path relative to the site folder, contents);
/// its publishing workflow, for `host`, installs Broadsheet from `repository`.
pub fn site(title: &str, repository: &str, host: Host) -> Vec<(&'static str, String)> {
    let workflow = match host {
        Host::Pages => (".github/workflows/pages.yml", pages_workflow(repository)),
        Host::S3 => (".github/workflows/publish.yml", s3_workflow(repository)),
    };
    vec![
        (broadsheet_base::layout::CONFIG, site_toml(title)),
        (
            "content/news/_index.md",
            "+++\ntitle = \"News\"\ndescription = \"The latest from our newsroom.\"\norder = 1\n+++\n".into(),
        ),
        ("content/news/welcome.md", WELCOME.into()),
        (".gitignore", "/public\n/.broadsheet-cache\n".into()),
        workflow,
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

# The "What's your reaction?" block; add an endpoint to count reactions
# (`broadsheet reactions serve` runs one: see the README).
[reactions]
labels = ["Excited", "Happy", "In Love", "Not Sure", "Silly"]
# endpoint = "https://reactions.example.com/api"

# A banner on every page until a time:
# [breaking]
# text = "Polls close at 8 p.m."
# url = "/news/election-night/"
# until = "2026-11-03 20:00"

[feeds]
# The site's and each section's feeds: how many stories, whole or summaries.
limit = 50
full_content = true
# Each tag's, author's and series' feed (a newsroom has thousands of tags):
# Atom only, unless listing_rss = true.
listing_limit = 20
listing_full_content = false
listing_rss = false

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

/// Where `init`'s workflow installs Broadsheet from: its own repository,
/// at the tag of this version. Never a bare crates.io name: `broadsheet`
/// there is an unrelated crate.
pub const SOURCE_REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The release tag of this build, which `init`'s workflow pins.
pub fn release_tag() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

/// Builds the site on every push and every hour (so scheduled articles go
/// live), and publishes it with GitHub's Pages actions. Broadsheet itself
/// is installed from its repository at a pinned tag and kept in the
/// Actions cache, so hourly runs do not compile it again.
pub fn pages_workflow(repository: &str) -> String {
    workflow(PAGES_WORKFLOW, repository)
}

/// Builds the site on every push and every hour and publishes it to
/// object storage with `broadsheet deploy --to`: credentials from an IAM
/// role that GitHub's OIDC token assumes (no long-lived keys in the
/// repository), the bucket, address and role from repository variables.
pub fn s3_workflow(repository: &str) -> String {
    workflow(S3_WORKFLOW, repository)
}

/// The name of the release archive for Linux x86-64 runners, as the
/// release workflow (`.github/workflows/release.yml`) uploads it.
pub const RELEASE_ASSET: &str = "broadsheet-x86_64-unknown-linux-gnu.tar.gz";

/// Installs the prebuilt binary of the pinned release when the release has
/// one (checked against the release's `SHA256SUMS`: a mismatch stops the
/// run), and compiles it from the tag otherwise; a tag that does not exist
/// stops with what to do instead of a compiler error.
const INSTALL_STEP: &str = r#"set -euo pipefail
          asset=broadsheet-x86_64-unknown-linux-gnu.tar.gz
          from="$BROADSHEET_RELEASES/$BROADSHEET_VERSION"
          work=$(mktemp -d)
          mkdir -p "$HOME/.cargo/bin"
          if curl -fsSL --retry 3 -o "$work/$asset" "$from/$asset" &&
             curl -fsSL --retry 3 -o "$work/SHA256SUMS" "$from/SHA256SUMS"; then
            if ! (cd "$work" && grep -E "[[:space:]]\*?$asset\$" SHA256SUMS | sha256sum --check --strict --status -); then
              echo "::error::$asset of $BROADSHEET_VERSION does not match its SHA256SUMS: not installed. Download it again, or ask the release's maintainers."
              exit 1
            fi
            tar -xzf "$work/$asset" -C "$HOME/.cargo/bin" broadsheet
            echo "Installed the prebuilt Broadsheet $BROADSHEET_VERSION"
          else
            echo "No prebuilt Broadsheet at $from: compiling $BROADSHEET_VERSION from $BROADSHEET_REPOSITORY (a few minutes, once)"
            if ! git ls-remote --exit-code --tags "$BROADSHEET_REPOSITORY" "refs/tags/$BROADSHEET_VERSION" >/dev/null; then
              echo "::error::$BROADSHEET_REPOSITORY has no tag $BROADSHEET_VERSION. Set BROADSHEET_VERSION at the top of this workflow to a tag it has, or point BROADSHEET_REPOSITORY at your fork and push the tag there (git tag $BROADSHEET_VERSION && git push origin $BROADSHEET_VERSION)."
              exit 1
            fi
            cargo install --git "$BROADSHEET_REPOSITORY" --tag "$BROADSHEET_VERSION" --locked broadsheet
          fi
          "$HOME/.cargo/bin/broadsheet" --version"#;

/// What both publishing workflows share: when they run, the release they
/// install, the steps that install it and restore the photo cache, and
/// the step that saves the photo cache.
const ON: &str = r#"on:
  push:
    branches: [main]
  schedule:
    # Every hour, so articles scheduled for later go live on time.
    - cron: "7 * * * *"
  workflow_dispatch:
"#;
const RELEASE: &str = r#"env:
  # The Broadsheet release that builds this site: its prebuilt binary from
  # the repository's releases, or compiled from the tag when there is none.
  # Change the tag to upgrade; point the repository at a fork to use it.
  BROADSHEET_REPOSITORY: {repository}
  BROADSHEET_RELEASES: {repository}/releases/download
  BROADSHEET_VERSION: {tag}
"#;
const INSTALL_STEPS: &str = r#"      # Broadsheet is installed once per version and kept in the Actions cache.
      - id: broadsheet
        uses: actions/cache/restore@v5
        with:
          path: ~/.cargo/bin/broadsheet
          key: broadsheet-${{ env.BROADSHEET_VERSION }}-${{ runner.os }}-${{ runner.arch }}
      - name: Install Broadsheet
        if: steps.broadsheet.outputs.cache-hit != 'true'
        run: |
          {install}
      # Saved at once, so a site that fails to build does not compile it again.
      - if: steps.broadsheet.outputs.cache-hit != 'true'
        uses: actions/cache/save@v5
        with:
          path: ~/.cargo/bin/broadsheet
          key: ${{ steps.broadsheet.outputs.cache-primary-key }}
      # Resized photos are encoded once: the newest cache comes back, and a
      # new one is saved after each build.
      - name: Restore the photo cache
        uses: actions/cache/restore@v5
        with:
          path: .broadsheet-cache
          key: photos-${{ github.run_id }}
          restore-keys: photos-
"#;
const SAVE_PHOTOS: &str = r#"      - name: Save the photo cache
        uses: actions/cache/save@v5
        with:
          path: .broadsheet-cache
          key: photos-${{ github.run_id }}
"#;

/// A workflow's text with the shared parts and this version's release put in.
fn workflow(template: &str, repository: &str) -> String {
    template
        .replace("{on}\n", ON)
        .replace("{release}\n", RELEASE)
        .replace("{install_steps}\n", INSTALL_STEPS)
        .replace("{save_photos}\n", SAVE_PHOTOS)
        .replace("{install}", INSTALL_STEP)
        .replace("{repository}", repository)
        .replace("{tag}", &release_tag())
}

const PAGES_WORKFLOW: &str = r#"# Publishes the site on GitHub Pages.
# In the repository's Settings > Pages, set "Source" to "GitHub Actions".
name: Publish to GitHub Pages

{on}

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

{release}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - id: pages
        uses: actions/configure-pages@v6
{install_steps}
      - name: Build
        # configure-pages gives the address the site will have, e.g.
        # https://user.github.io/repo (no trailing slash).
        run: broadsheet build --base-url "${{ steps.pages.outputs.base_url }}/"
{save_photos}
      - name: Leave the build's mark out of the published site
        run: rm -f public/.broadsheet-output
      - name: Check the site fits GitHub Pages (1 GB)
        run: |
          # The files' bytes, as the build's size line counts them.
          size=$(find public -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
          if [ "$size" -gt 1000000000 ]; then
            echo "::error::The site is $size bytes, over GitHub Pages' 1 GB limit: see the size line of the build step"
            exit 1
          fi
      - uses: actions/upload-pages-artifact@v5
        with:
          path: public
          # Keep .nojekyll and other dotfiles (v5 and later can).
          include-hidden-files: true

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"#;

const S3_WORKFLOW: &str = r#"# Publishes the site to object storage (Amazon S3, or an S3-compatible
# service) with `broadsheet deploy --to`, which uploads only what changed.
#
# Set these repository variables (Settings > Secrets and variables >
# Actions > Variables):
#   BROADSHEET_BUCKET    where to publish: s3://BUCKET/PREFIX, with
#                        ?endpoint=URL&region=NAME for an S3-compatible service
#   BROADSHEET_SITE_URL  the address readers use, e.g. https://news.example.org/
#   AWS_ROLE_ARN         an IAM role this repository may assume through
#                        GitHub's OIDC provider, allowed to read and write
#                        the bucket under the prefix (no keys are stored)
#   AWS_REGION           the bucket's region, e.g. us-east-1
# and, with a CDN in front of the bucket, optionally:
#   BROADSHEET_CDN       cloudfront:DISTRIBUTION_ID (the role also needs
#                        cloudfront:CreateInvalidation) or cloudflare:ZONE_ID
#                        (with a repository secret CLOUDFLARE_API_TOKEN that
#                        may purge the zone): the changed addresses are
#                        invalidated after each deploy
name: Publish to object storage

{on}

permissions:
  contents: read
  id-token: write

concurrency:
  group: publish
  cancel-in-progress: false

{release}

jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - name: Check the repository variables
        env:
          BUCKET: ${{ vars.BROADSHEET_BUCKET }}
          SITE_URL: ${{ vars.BROADSHEET_SITE_URL }}
          ROLE: ${{ vars.AWS_ROLE_ARN }}
          REGION: ${{ vars.AWS_REGION }}
        run: |
          missing=""
          [ -n "$BUCKET" ] || missing="$missing BROADSHEET_BUCKET"
          [ -n "$SITE_URL" ] || missing="$missing BROADSHEET_SITE_URL"
          [ -n "$ROLE" ] || missing="$missing AWS_ROLE_ARN"
          [ -n "$REGION" ] || missing="$missing AWS_REGION"
          if [ -n "$missing" ]; then
            echo "::error::Set the repository variables$missing (Settings > Secrets and variables > Actions > Variables): see the top of this workflow"
            exit 1
          fi
      - uses: actions/checkout@v5
{install_steps}
      - name: Build
        env:
          SITE_URL: ${{ vars.BROADSHEET_SITE_URL }}
        run: broadsheet build --base-url "$SITE_URL"
{save_photos}
      # Short-lived credentials for the role, from GitHub's OIDC token.
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: ${{ vars.AWS_REGION }}
      - name: Publish
        env:
          BUCKET: ${{ vars.BROADSHEET_BUCKET }}
          SITE_URL: ${{ vars.BROADSHEET_SITE_URL }}
          CDN: ${{ vars.BROADSHEET_CDN }}
          CLOUDFLARE_API_TOKEN: ${{ secrets.CLOUDFLARE_API_TOKEN }}
        run: broadsheet deploy --to "$BUCKET" --output public --base-url "$SITE_URL" ${CDN:+--invalidate "$CDN"}
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
        assert_eq!(front["draft"].as_bool(), Some(true), "a placeholder is never published");
    }

    #[test]
    fn new_site_config_parses() {
        let files = site("My \"Daily\"", SOURCE_REPOSITORY, Host::Pages);
        let config = broadsheet_site::config::Config::parse(&files[0].1, None).unwrap();
        assert_eq!(config.title, "My \"Daily\"");
    }
}
