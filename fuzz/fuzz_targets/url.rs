//! The URL builder: any base URL either is refused or yields URLs that all
//! start with it; any alias either is refused or stays inside the output.
#![no_main]
use broadsheet::route::Route;
use broadsheet::url::Urls;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (base, rest) = text.split_once('\n').unwrap_or((&text, ""));
    if let Ok(urls) = Urls::parse(base) {
        let slug = broadsheet::slug::slugify(rest);
        let r = if slug.is_empty() { Route::FRONT } else { Route::section(&slug) };
        assert!(urls.absolute(&r).starts_with(urls.base_url()));
        assert!(urls.path(&r).starts_with(urls.base_path()));
        let _ = urls.resolve_link(rest);
    }
    if let Ok(alias) = Route::alias(rest) {
        let file = alias.file();
        assert!(!file.starts_with('/'), "{file}");
        assert!(!file.split('/').any(|s| s == ".." || s == "."), "{file}");
        assert!(!file.contains(['\\', '\0', ':']), "{file}");
    }
});
