//! Photos (issue 18): resized copies in WebP and the photo's own format,
//! upright, without the camera's metadata, encoded once into the cache;
//! bad pictures refused with the story's file and line.

use std::path::{Path, PathBuf};

use crate::harness::{SiteTest, repo};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/photos").join(name)).unwrap()
}

fn story(image: &str) -> String {
    format!(
        "+++\ntitle = \"Harbour at dawn\"\ndate = 2026-11-20\nauthors = [\"Ann\"]\nimage = {{ src = \"{image}\", alt = \"Boats at dawn\" }}\n+++\nThe boats came in.\n"
    )
}

fn site() -> SiteTest {
    SiteTest::new()
        .file("content/news/dawn/index.md", story("phone.jpg"))
        .file("content/news/dawn/phone.jpg", fixture("phone.jpg"))
        .file("content/news/other.md", "+++\ntitle = \"Other\"\ndate = 2026-11-19\n+++\nText.\n")
}

/// The files a `srcset` names, on disk.
fn srcset_files(output: &Path, srcset: &str) -> Vec<PathBuf> {
    srcset.split(", ").map(|part| output.join(part.split(' ').next().unwrap().trim_start_matches('/'))).collect()
}

fn gps_or_serial(bytes: &[u8]) -> Vec<String> {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) else { return vec![] };
    exif.fields()
        .filter(|f| {
            f.tag.context() == exif::Context::Gps || f.tag == exif::Tag::BodySerialNumber || f.tag == exif::Tag::Make
        })
        .map(|f| f.tag.to_string())
        .collect()
}

#[test]
fn a_phone_photo_comes_out_upright_resized_and_without_its_location() {
    let built = site().build();
    let report = built.report();
    assert!(
        report.warnings.iter().any(|w| w
            .to_string()
            .starts_with("content/news/dawn/index.md:5:1: warning: photo phone.jpg holds GPS coordinates")),
        "{:?}",
        report.warnings
    );
    let page = built.page("news/dawn/");
    let srcset = page.attr(".hero img", "srcset");
    let webp = page.attr(".hero source[type='image/webp']", "srcset");
    // Never wider than the original (300 pixels wide once upright).
    assert_eq!(srcset.split(", ").map(|p| p.rsplit(' ').next().unwrap()).collect::<Vec<_>>(), ["300w"]);
    assert!(webp.ends_with(" 300w"), "{webp}");
    assert_eq!((page.attr(".hero img", "width"), page.attr(".hero img", "height")), ("300".into(), "400".into()));
    assert!(page.attr(".hero img", "sizes").contains("42rem"));
    let mut published = srcset_files(&built.output, &srcset);
    published.extend(srcset_files(&built.output, &webp));
    let share = page.attr("meta[property='og:image']", "content");
    published.push(built.output.join(share.trim_start_matches("https://example.com/")));
    for file in &published {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(gps_or_serial(&bytes), Vec::<String>::new(), "{}", file.display());
        let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let (w, h) = image.dimensions();
        if file.to_string_lossy().contains("-share") {
            assert_eq!((w, h), (1200, 630), "the share crop");
            continue;
        }
        assert!(h > w, "{} is {w}×{h}: sideways", file.display());
        let top = image.get_pixel(w / 2, 5);
        let bottom = image.get_pixel(w / 2, h - 5);
        assert!(top[0] > 150 && top[2] < 100, "red on top: {top:?} in {}", file.display());
        assert!(bottom[2] > 150 && bottom[0] < 100, "blue below: {bottom:?}");
    }
    // The original is not published: the largest copy is the biggest file.
    assert!(!built.output.join("news/dawn/phone.jpg").exists(), "the original is left out by default");
}

#[test]
fn an_original_published_when_asked_keeps_its_pixels_and_loses_its_metadata() {
    let config = format!("{}[images]\npublish_originals = true\n", crate::harness::MINIMAL_CONFIG);
    let built = site().file("site.toml", config).build();
    // The original, copied beside the story, keeps its pixels and its
    // orientation, and loses the rest.
    let original = std::fs::read(built.output.join("news/dawn/phone.jpg")).unwrap();
    assert_eq!(gps_or_serial(&original), Vec::<String>::new());
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&original)).unwrap();
    assert_eq!(exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY).unwrap().value.get_uint(0), Some(6));
    assert!(exif.get_field(exif::Tag::Copyright, exif::In::PRIMARY).is_none());
    assert_eq!(image::load_from_memory(&original).unwrap().to_rgb8().dimensions(), (400, 300));
}

#[test]
fn the_credit_can_be_kept() {
    let test = site();
    let built =
        test.file("site.toml", format!("{}[images]\nkeep_credit = true\n", crate::harness::MINIMAL_CONFIG)).build();
    let page = built.page("news/dawn/");
    for file in srcset_files(&built.output, &page.attr(".hero img", "srcset")) {
        let bytes = std::fs::read(&file).unwrap();
        let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&bytes)).unwrap();
        let copyright = exif.get_field(exif::Tag::Copyright, exif::In::PRIMARY).unwrap();
        assert_eq!(copyright.display_value().to_string(), "\"(c) Harbour Herald\"");
        assert_eq!(gps_or_serial(&bytes), Vec::<String>::new());
    }
}

#[test]
fn a_second_build_encodes_nothing_and_a_changed_photo_gets_new_urls() {
    let test = site();
    let first = test.build();
    let encoded = first.report().photos.encoded;
    assert!(encoded >= 3, "{:?}", first.report().photos);
    let urls = first.page("news/dawn/").attr(".hero img", "srcset");
    let second = test.build();
    assert_eq!(second.report().photos.encoded, 0);
    assert_eq!(second.report().photos.from_cache, encoded);
    assert_eq!(second.page("news/dawn/").attr(".hero img", "srcset"), urls, "an unchanged photo keeps its URLs");
    assert!(test.root().join(".broadsheet-cache/photos").is_dir());
    // A new photo under the same name: new URLs, encoded once.
    let png = std::fs::read(repo().join("tests/fixtures/basic/content/world/quake/photo.png")).unwrap();
    let test = test.file("content/news/dawn/phone.jpg", {
        let image = image::load_from_memory(&png).unwrap();
        let mut out = Vec::new();
        image.to_rgb8().write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
        out
    });
    let third = test.build();
    let changed = third.page("news/dawn/").attr(".hero img", "srcset");
    assert_ne!(changed, urls);
    assert!(third.report().photos.encoded > 0);
    // A new quality makes new bytes: new URLs too, or readers and CDNs
    // holding the old copies (cached for a year as immutable) keep them.
    let test = test.file("site.toml", format!("{}[images]\nquality = 60\n", crate::harness::MINIMAL_CONFIG));
    let fourth = test.build();
    assert!(fourth.report().photos.encoded > 0);
    let requality = fourth.page("news/dawn/").attr(".hero img", "srcset");
    assert_ne!(requality, changed, "new bytes under the old URLs");
    assert!(srcset_files(&fourth.output, &requality).iter().all(|f| f.is_file()), "{requality}");
}

#[test]
fn bad_pictures_are_refused_at_the_image_line_all_in_one_run() {
    let built = site()
        .file("content/news/bomb/index.md", story("bomb.png"))
        .file("content/news/bomb/bomb.png", fixture("bomb.png"))
        .file("content/news/cut/index.md", story("truncated.jpg"))
        .file("content/news/cut/truncated.jpg", fixture("truncated.jpg"))
        .file("content/news/forbidden/index.md", story("error-page.jpg"))
        .file("content/news/forbidden/error-page.jpg", fixture("error-page.jpg"))
        .build();
    let errors: Vec<String> = built.errors().into_iter().filter(|e| e.contains(": error: ")).collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors[0].starts_with("content/news/bomb/index.md:5:1: error: photo bomb.png is too large to publish (50000×50000 pixels): expected at most 20000 pixels a side and 120 megapixels"), "{errors:#?}");
    assert!(
        errors[1].starts_with("content/news/cut/index.md:5:1: error: photo truncated.jpg is cut short"),
        "{errors:#?}"
    );
    assert!(
        errors[2].starts_with("content/news/forbidden/index.md:5:1: error: photo error-page.jpg is an HTML page"),
        "{errors:#?}"
    );
}

#[test]
fn every_photo_of_the_demo_has_its_sizes_in_webp_and_its_own_format() {
    let built = crate::demo::demo().build();
    let mut checked = 0;
    for route in ["", "news/", "business/", "science/", "news/port-halden-ferry-strike-ends/", "authors/maria-alvarez/"]
    {
        let page = built.page(route);
        let images = page.count("main img");
        assert!(images > 0, "/{route} shows no photo");
        for attr in ["srcset", "sizes", "width", "height"] {
            let values = page.attrs("main img", attr);
            assert_eq!(values.len(), images, "/{route}: an <img> without {attr}");
            assert!(values.iter().all(|v| !v.is_empty()), "/{route}: an empty {attr}");
        }
        assert_eq!(page.count("main picture source[type='image/webp'][srcset][sizes]"), images, "/{route}");
        // Every copy it names is there, and no wider than the photo.
        for srcset in page.attrs("main img", "srcset").iter().chain(&page.attrs("main source", "srcset")) {
            for file in srcset_files(&built.output, srcset) {
                assert!(file.is_file(), "{} is missing", file.display());
            }
        }
        checked += images;
    }
    assert!(checked >= 10, "{checked}");
    // The 1200-pixel illustrations get 320 to 1200 in WebP, never 1600; in
    // their own format (for a browser without WebP) the largest only.
    let page = built.page("news/port-halden-ferry-strike-ends/");
    let widths = |srcset: String| -> Vec<String> {
        srcset.split(", ").map(|p| p.rsplit(' ').next().unwrap().to_string()).collect()
    };
    assert_eq!(widths(page.attr(".hero source[type='image/webp']", "srcset")), ["320w", "480w", "800w", "1200w"]);
    assert_eq!(widths(page.attr(".hero img", "srcset")), ["1200w"]);
    assert_eq!(page.attr(".hero img", "src"), page.attr(".hero img", "srcset").trim_end_matches(" 1200w"));
}

#[test]
fn every_width_in_the_photos_own_format_when_asked() {
    let base = std::fs::read_to_string(crate::harness::repo().join("site.toml")).unwrap();
    let built = crate::demo::demo()
        .file(
            "site.toml",
            format!(
                "{base}
[images]
fallback_widths = \"all\"\n"
            ),
        )
        .build();
    let page = built.page("news/port-halden-ferry-strike-ends/");
    let srcset = page.attr(".hero img", "srcset");
    let widths: Vec<&str> = srcset.split(", ").map(|p| p.rsplit(' ').next().unwrap()).collect();
    assert_eq!(widths, ["320w", "480w", "800w", "1200w"]);
    assert!(srcset_files(&built.output, &srcset).iter().all(|f| f.is_file()));
}

#[test]
fn photos_in_a_body_are_resized_too_and_a_focus_moves_the_share_crop() {
    let body = "+++\ntitle = \"Harbour at dawn\"\ndate = 2026-11-20\nimage = { src = \"phone.jpg\", alt = \"Boats\", focus = \"0.5,0.1\" }\n+++\nThe boats came in.\n\n![The quay at dawn](quay.jpg \"The quay\")\n\n![Elsewhere](https://example.org/x.jpg)\n";
    let built = SiteTest::new()
        .file("content/news/dawn/index.md", body)
        .file("content/news/dawn/phone.jpg", fixture("phone.jpg"))
        .file("content/news/dawn/quay.jpg", fixture("phone.jpg"))
        .build();
    let page = built.page("news/dawn/");
    let quay = ".story-body picture img[alt='The quay at dawn']";
    assert_eq!(page.attr(quay, "title"), "The quay");
    assert_eq!((page.attr(quay, "width"), page.attr(quay, "height")), ("300".into(), "400".into()));
    assert!(page.attr(quay, "sizes").contains("42rem"));
    assert_eq!(page.attr(quay, "loading"), "lazy");
    for file in srcset_files(&built.output, &page.attr(quay, "srcset"))
        .into_iter()
        .chain(srcset_files(&built.output, &page.attr(".story-body picture source[type='image/webp']", "srcset")))
    {
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(gps_or_serial(&bytes), Vec::<String>::new());
    }
    // Another site's picture is shown as written.
    assert_eq!(page.attr(".story-body img[alt=Elsewhere]", "src"), "https://example.org/x.jpg");
    // The crop centres near the top: the red band of the upright photo.
    let share = page.attr("meta[property='og:image']", "content");
    assert!(share.contains("-share-50-10.jpg"), "{share}");
    let crop = image::open(built.output.join(share.trim_start_matches("https://example.com/"))).unwrap().to_rgb8();
    let middle = crop.get_pixel(600, 315);
    assert!(middle[0] > 150 && middle[2] < 100, "the crop shows the top of the photo: {middle:?}");
}

#[test]
fn a_photo_with_a_phones_trailer_after_its_end_is_published() {
    // Samsung phones append an `SEFT` block after the JPEG's end marker;
    // motion photos append a video. Browsers show such files, and so do we.
    let mut with_trailer = fixture("phone.jpg");
    with_trailer.extend(std::iter::repeat_n(0xAB_u8, 4000));
    with_trailer.extend(b"\xFF\xDA\x00\x10SEFH....SEFT");
    let test = site().file("content/news/dawn/phone.jpg", with_trailer);
    let built = test.build();
    let page = built.page("news/dawn/");
    let srcset = page.attr("picture source[type='image/webp']", "srcset");
    assert!(srcset_files(&test.output(), &srcset).iter().all(|f| f.is_file()), "{srcset}");
    // Cut in the middle of its picture data, the same photo is still refused.
    let whole = fixture("phone.jpg");
    let cut = site().file("content/news/dawn/phone.jpg", &whole[..whole.len() * 2 / 3]).build();
    let errors = cut.errors();
    assert!(errors.iter().any(|e| e.contains("phone.jpg is cut short")), "{errors:?}");
}

#[test]
fn a_link_to_an_unpublished_original_leads_to_its_largest_copy() {
    let story = story("phone.jpg")
        .replace("The boats came in.", "The boats came in.\n\n[![Boats at dawn](phone.jpg)](phone.jpg)\n");
    let built = site().file("content/news/dawn/index.md", story).build();
    let page = built.page("news/dawn/");
    let largest = page.attr(".story-body img", "src");
    assert!(largest.starts_with("/_photos/"), "{largest}");
    assert_eq!(page.attr(".story-body a:has(img)", "href"), largest, "the picture links to its largest copy");
    assert!(built.output.join(largest.trim_start_matches('/')).is_file());
    // Feeds enclose the largest copy too (its size not known: 0, as the
    // RSS Best Practices Profile says).
    let rss = scraper::Html::parse_document(&std::fs::read_to_string(built.output.join("rss.xml")).unwrap());
    let enclosure = rss.select(&scraper::Selector::parse("enclosure").unwrap()).next().unwrap();
    assert!(enclosure.value().attr("url").unwrap().contains("/_photos/"), "{:?}", enclosure.value());
    assert_eq!(enclosure.value().attr("length"), Some("0"));
    // No page links the original.
    let linked = scraper::Selector::parse("[href], [src], [srcset]").unwrap();
    for entry in walkdir::WalkDir::new(&built.output).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        for element in html.select(&linked) {
            for attr in ["href", "src", "srcset"] {
                let value = element.value().attr(attr).unwrap_or_default();
                assert!(!value.contains("phone.jpg"), "{} links the original: {value}", entry.path().display());
            }
        }
    }
}

#[test]
fn every_body_picture_is_checked_and_a_plain_story_finds_its_pictures_as_its_hero_does() {
    let text = "+++\ntitle = \"Storm\"\ndate = 2026-11-20\n+++\nThe storm came in.\n\n![The quay](quay.jpg)\n\n![A chart](/images/chart.jpg)\n\n![Gone](/images/gone.png)\n\n![Also gone](missing.jpg)\n\n![A map](map.svg)\n";
    let built = SiteTest::new()
        .file("content/news/storm.md", text)
        .file("content/news/quay.jpg", fixture("phone.jpg"))
        .file("content/news/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("static/images/chart.jpg", fixture("phone.jpg"))
        .build();
    let report = built.report();
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    let about =
        |name: &str| warnings.iter().filter(|w| w.contains(&format!("picture `{name}`"))).cloned().collect::<Vec<_>>();
    // A picture beside a plain story is resized like its hero would be, not left as a broken relative address.
    let page = built.page("news/storm/");
    let sources = page.attrs(".story-body img", "src");
    assert!(sources[0].starts_with("/_photos/"), "{sources:?}");
    assert!(built.output.join(sources[0].trim_start_matches('/')).is_file());
    assert!(sources[1].starts_with("/_photos/"), "{sources:?}");
    assert!(about("quay.jpg").is_empty() && about("/images/chart.jpg").is_empty(), "{warnings:?}");
    assert_eq!(
        about("/images/gone.png"),
        [
            "content/news/storm.md:11:1: warning: picture `/images/gone.png` not found: expected a file at static/images/gone.png; readers will see a broken image"
        ]
    );
    assert_eq!(
        about("missing.jpg"),
        [
            "content/news/storm.md:13:1: warning: picture `missing.jpg` not found: expected a file at content/news/missing.jpg; readers will see a broken image"
        ]
    );
    let map = about("map.svg");
    assert_eq!(map.len(), 1, "{warnings:?}");
    assert!(map[0].starts_with("content/news/storm.md:15:1: warning: picture `map.svg` is beside the story, but the story's page is at /news/storm/"), "{map:?}");
}

#[test]
fn a_hero_broadsheet_cannot_resize_is_a_warning_saying_what_to_do() {
    let built = SiteTest::new()
        .file("content/news/dawn/index.md", story("dawn.gif"))
        .file("content/news/dawn/dawn.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".as_slice())
        .build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "content/news/dawn/index.md:5:9: warning: hero image is a GIF file, which Broadsheet cannot resize"
        ) && w.ends_with("convert it to JPEG (a photo) or PNG (a graphic)")),
        "{warnings:?}"
    );
}
