//! Multilingual Hugo and Zola sites imported whole: the files written
//! (translations beside their counterparts, `translation_key`, aliases
//! relative to a language's root), `[languages.*]` in site.toml and the
//! report's lines. The old URLs expected are the ones real generators
//! gave (see each fixture's `expected-old-urls.txt`).

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::{From, Options, run};

    /// A fresh folder to import into, removed when dropped.
    struct Target(PathBuf);

    impl Target {
        fn new(name: &str) -> Target {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("broadsheet-import-{name}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            Target(dir)
        }

        fn read(&self, rel: &str) -> String {
            std::fs::read_to_string(self.0.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
        }

        fn has(&self, rel: &str) -> bool {
            self.0.join(rel).is_file()
        }

        /// Every file written under `content/`, sorted.
        fn content(&self) -> Vec<String> {
            let mut files: Vec<String> = walkdir::WalkDir::new(self.0.join("content"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.path().strip_prefix(&self.0).unwrap().to_string_lossy().replace('\\', "/"))
                .collect();
            files.sort();
            files
        }

        /// A written file's front matter.
        fn front(&self, rel: &str) -> toml::Table {
            let text = self.read(rel);
            let inner = text.strip_prefix("+++\n").and_then(|t| t.split_once("+++\n")).map(|(f, _)| f).unwrap();
            toml::from_str(inner).unwrap()
        }
    }

    impl Drop for Target {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
    }

    fn import(from: From, name: &str, language: Option<&str>) -> (Target, Vec<String>) {
        let into = Target::new(name);
        let opts = Options {
            from,
            source: fixture(name),
            into: into.0.clone(),
            uploads: None,
            sections: Default::default(),
            language: language.map(str::to_string),
        };
        let summary = run(&opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        (into, summary.lines)
    }

    /// The keys of a front matter, sorted.
    fn keys(front: &toml::Table) -> Vec<&str> {
        front.keys().map(String::as_str).collect()
    }

    #[test]
    fn every_language_of_a_hugo_site_is_imported_beside_the_default() {
        // Old URLs as hugo 0.168 built the fixture (`hugo` in a copy: its
        // public/ is `expected-old-urls.txt`).
        let (site, lines) = import(From::Hugo, "import-hugo-translations", None);
        assert_eq!(
            site.content(),
            [
                "content/about.fr.md",
                "content/about.md",
                "content/guide/start.fr.md",
                "content/guide/start.md",
                "content/news/_index.fr.md",
                "content/news/_index.md",
                "content/news/bonjour-lecteurs.fr.md",
                "content/news/hello-readers.md",
                "content/news/seulement-en-français.fr.md",
                "content/news/storm-hits-the-quay.fr.md",
                "content/news/storm-hits-the-quay.md",
                "content/news/the-new-harbour-office/index.fr.md",
                "content/news/the-new-harbour-office/index.md",
                "content/news/the-new-harbour-office/office.jpg",
            ]
        );
        // A translation beside its counterpart, its own slug keeping its old
        // URL (/fr/news/2024/tempete-sur-le-quai/), its alias /fr/ancien/tempete/
        // (Hugo puts a French page's `/ancien/tempete/` under /fr/) written
        // relative to the language's root.
        let storm = site.front("content/news/storm-hits-the-quay.fr.md");
        assert_eq!(keys(&storm), ["aliases", "date", "slug", "title"]);
        assert_eq!(storm["slug"].as_str(), Some("tempete-sur-le-quai"));
        assert_eq!(storm["aliases"].as_array().unwrap()[0].as_str(), Some("/ancien/tempete/"));
        // `relref` in each language leads to that language's page, as in Hugo.
        let body = site.read("content/news/storm-hits-the-quay.fr.md");
        assert!(body.contains("[la capitainerie](/fr/news/2024/la-nouvelle-capitainerie/)"), "{body}");
        let body = site.read("content/news/storm-hits-the-quay.md");
        assert!(body.contains("[the office](/news/2024/the-new-harbour-office/)"), "{body}");
        // The bundle's translation shares its pictures: copied once.
        let office = site.front("content/news/the-new-harbour-office/index.fr.md");
        assert_eq!(office["slug"].as_str(), Some("la-nouvelle-capitainerie"));
        assert_eq!(office["image"]["src"].as_str(), Some("office.jpg"));
        assert!(lines[0].contains("1 file"), "{lines:?}");
        // `translationKey` links two names: each keeps its own, and says the key.
        for file in ["content/news/hello-readers.md", "content/news/bonjour-lecteurs.fr.md"] {
            assert_eq!(site.front(file)["translation_key"].as_str(), Some("greeting"), "{file}");
        }
        assert!(!site.read("content/news/storm-hits-the-quay.md").contains("translation_key"));
        // Only in French: alone, with the language in its name.
        assert_eq!(
            site.front("content/news/seulement-en-français.fr.md")["title"].as_str(),
            Some("Seulement en français")
        );
        // A page's translation with its own slug (/fr/a-propos/).
        assert_eq!(site.front("content/about.fr.md")["slug"].as_str(), Some("a-propos"));
        // The section's title in French.
        assert!(site.read("content/news/_index.fr.md").contains("title = \"Actualités du port\""));
        let config = site.read("site.toml");
        assert!(config.contains("language = \"en\"\n"), "{config}");
        assert!(config.contains("\n[languages.en]\nname = \"English\"\n"), "{config}");
        assert!(
            config.contains(
                "\n[languages.fr]\ntitle = \"La Gazette du Port\"\ndescription = \"Les nouvelles du port\"\nname = \"Français\"\n"
            ),
            "{config}"
        );
        // The disabled language stays out, named once; the imported one is counted.
        assert!(!config.contains("[languages.de]"), "{config}");
        let report = site.read("import-report.md");
        assert_eq!(
            report.matches("**content/news/storm.de.md**: it is in language `de`: not imported").count(),
            1,
            "{report}"
        );
        assert!(!report.contains("language `fr`"), "{report}");
        assert!(lines.iter().any(|l| l.trim() == "imported: 5 in en, 6 in fr"), "{lines:?}");
        // Every old URL but the disabled language's and the page folder's
        // listings (`guide/`, named) is kept.
        assert_eq!(lines[1], "Old URLs kept: 15 of 18.", "{lines:?}");
    }

    #[test]
    fn one_language_of_a_hugo_site_is_still_imported_alone() {
        let (site, lines) = import(From::Hugo, "import-hugo-translations", Some("fr"));
        assert!(site.has("content/news/tempete-sur-le-quai.md"), "{:?}", site.content());
        assert!(!site.content().iter().any(|f| f.contains(".fr.")), "{:?}", site.content());
        assert!(!site.read("site.toml").contains("[languages."));
        assert!(!lines.iter().any(|l| l.contains("imported:")), "{lines:?}");
        assert!(site.read("import-report.md").contains("it is in language `en`: not imported"));
    }

    #[test]
    fn hugo_content_folders_per_language_are_each_imported() {
        // `languages.zh.contentDir`: /zh/blog/launch/ as hugo 0.168 built it.
        let (site, _) = import(From::Hugo, "import-hugo-languages", None);
        assert_eq!(site.content(), ["content/blog/launch.md", "content/blog/launch.zh.md"]);
        assert_eq!(site.front("content/blog/launch.zh.md")["title"].as_str(), Some("发布"));
        assert!(!site.read("content/blog/launch.zh.md").contains("aliases"));
        let report = site.read("import-report.md");
        assert!(!report.contains("in language `zh`"), "{report}");
        assert!(site.read("site.toml").contains("language = \"en\""));
    }

    #[test]
    fn a_zola_translation_is_written_beside_its_page() {
        // Zola's URLs derived from its documented rules (a translation at
        // /<lang>/<path>, aliases from the site's root), not from a build.
        let (site, lines) = import(From::Zola, "import-zola-languages", None);
        assert_eq!(
            site.content(),
            [
                "content/blog/_index.fr.md",
                "content/blog/_index.md",
                "content/blog/ferry.fr.md",
                "content/blog/ferry.md",
                "content/blog/tides.fr.md",
                "content/blog/tides.md",
            ]
        );
        let ferry = site.front("content/blog/ferry.fr.md");
        assert_eq!(keys(&ferry), ["aliases", "date", "title"]);
        // `/fr/blog/bac/` is under the language's root; `/old-ferry/` is not.
        assert_eq!(ferry["aliases"].as_array().unwrap().len(), 1);
        assert_eq!(ferry["aliases"][0].as_str(), Some("/blog/bac/"));
        let report = site.read("import-report.md");
        assert!(report.contains("**content/blog/ferry.fr.md**: its old URL /old-ferry/ is not under /fr/"), "{report}");
        assert!(site.read("content/blog/_index.fr.md").contains("title = \"Carnet\""));
        let config = site.read("site.toml");
        assert!(
            config.contains("\n[languages.fr]\ntitle = \"Notes du quai\"\ndescription = \"Le carnet du quai\"\n"),
            "{config}"
        );
        // Zola takes a translation's `path` as written (`fr/marees`, no prefix
        // added): /fr/marees/ is an alias under the language's root.
        let tides = site.front("content/blog/tides.fr.md");
        assert_eq!(tides["slug"].as_str(), Some("marees"));
        assert_eq!(tides["aliases"][0].as_str(), Some("/marees/"));
        assert!(lines.iter().any(|l| l.trim() == "imported: 2 in en, 2 in fr"), "{lines:?}");
        assert_eq!(lines[1], "Old URLs kept: 5 of 6.", "{lines:?}");
    }

    #[test]
    fn one_language_of_a_zola_site_is_still_imported_alone() {
        let (site, _) = import(From::Zola, "import-zola-languages", Some("en"));
        assert!(!site.has("content/blog/ferry.fr.md"));
        assert!(site.read("import-report.md").contains("it is in language `fr`: not imported"));
    }
}
