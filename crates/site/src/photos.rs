//! Photos as a newsroom publishes them. Every picture of the site's own
//! that a page shows as a photo (heroes, cards, author portraits) is
//! published as resized variants, in WebP and in its own format, never
//! wider than the original, upright (the camera's EXIF orientation is
//! applied first) and without the camera's metadata (EXIF, XMP, IPTC: GPS
//! position, serial numbers); each story's hero also gets a 1200×630 crop
//! for link previews. Variants live under content-addressed URLs
//! (`_photos/<hash>-<width>.<ext>`, the hash of the source's bytes and of
//! the settings that encode it): a changed photo, or a new `quality`, gets
//! new URLs, an unchanged one keeps them. Encoding happens once: variants are kept in a
//! cache folder keyed by the source's content and the variant's settings,
//! and a build copies what the cache has. Files copied as they are
//! (bundle and `static/` pictures) lose their metadata too, losslessly.
//!
//! Reading is bounded: a picture is checked from its header before it is
//! decoded (a 50,000×50,000 "decompression bomb" is refused without
//! allocating it), and decoding has a memory limit.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, Result};
pub use photo_codec::Format;
use photo_codec::{Bounds, NotRead};
use rayon::prelude::*;

use crate::config::ImagesConfig;
use crate::output::Sink;
use broadsheet_base::cache::{make_cache, put};
use broadsheet_base::diagnostic::Diagnostic;
use broadsheet_base::route::Route;

/// A side longer than this is refused before decoding.
pub const MAX_SIDE: u32 = 20_000;
/// Pixels a photo may have (a 100-megapixel camera's).
pub const MAX_PIXELS: u64 = 120_000_000;
/// Memory one decode may take.
const MAX_ALLOC: u64 = 1024 * 1024 * 1024;
/// Changes when encoding changes, so cached variants are made again.
const ENCODER: &str = "broadsheet-photos-1";
/// The share image's size (Open Graph's and X's large card).
pub const SHARE_SIZE: (u32, u32) = (1200, 630);

/// A format's file extension and media type.
fn extension(format: Format) -> &'static str {
    match format {
        Format::Jpeg => "jpg",
        Format::Png => "png",
        Format::Webp => "webp",
    }
}

/// One encoded file of a photo.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Where it is published: `_photos/<hash>-<width>.<ext>`, or `-share` (with
    /// the focus when it is not the centre) for the link-preview crop; the hash
    /// is the source file's content's.
    pub route: Route,
    /// Width in pixels, upright.
    pub width: u32,
    /// Height in pixels, upright.
    pub height: u32,
    /// JPEG, PNG or WebP.
    pub format: Format,
    /// Name of the encoded file in the cache.
    key: String,
    /// Where a crop centres (the share image), as fractions across and down.
    focus: (f64, f64),
}

/// What pages show of one photo.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoSet {
    /// Upright size of the largest variant.
    pub width: u32,
    /// Upright height of the largest variant, in pixels.
    pub height: u32,
    /// Its own format (JPEG or PNG), narrowest first.
    pub variants: Vec<Variant>,
    /// WebP, narrowest first (empty when WebP is turned off).
    pub webp: Vec<Variant>,
    /// The 1200×630 crop for link previews.
    pub share: Option<Variant>,
}

impl PhotoSet {
    /// The largest variant in the photo's own format: the `src` of an `<img>`.
    pub fn fallback(&self) -> Option<&Variant> {
        self.variants.last()
    }
}

/// Where a photo is used, for its problems.
#[derive(Debug, Clone)]
pub struct Use {
    /// The file that shows it, relative to the site's root (`site.toml` for
    /// authors' portraits and series' pictures).
    pub file: PathBuf,
    /// Line of its `image` field, or 1 (body pictures, portraits).
    pub line: usize,
    /// Whether it leads a story or page: it gets a share crop, and a
    /// problem with it is an error (elsewhere, a warning).
    pub hero: bool,
    /// Where the share crop centres, as fractions across and down.
    pub focus: Option<(f64, f64)>,
}

/// A photo to publish: its file, where it is used, what it is.
struct Source {
    disk: PathBuf,
    used: Use,
    format: Format,
    /// EXIF orientation, 1 (upright) to 8.
    orientation: u8,
    /// Copyright and artist from the camera, kept when asked.
    credit: Option<Vec<u8>>,
    variants: Vec<Variant>,
}

/// Every photo of a build: what pages show, and what to encode.
#[derive(Default)]
pub struct Photos {
    /// What pages show of each photo, by the route of its file on the site.
    pub sets: HashMap<Route, PhotoSet>,
    sources: Vec<Source>,
    /// The site's folder: every photo is read beneath it.
    root: PathBuf,
}

/// What publishing the photos did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Published {
    /// Variants this build encoded (they were not in the cache).
    pub encoded: usize,
    /// Variants copied from the cache, encoded by an earlier build.
    pub from_cache: usize,
}

/// Reads every photo `uses` names (the route it is published at, its file
/// on disk, where it is used) and plans its variants. Problems (not a
/// picture, too large, GPS data) are diagnostics at the place of use.
pub fn plan(
    root: &Path,
    uses: Vec<(Route, PathBuf, Use)>,
    settings: &ImagesConfig,
    cache: &Path,
) -> (Photos, Vec<Diagnostic>) {
    let known = Headers::load(cache);
    // One source per route; a story's use wins over a portrait's (it gets the crop).
    let mut by_route: BTreeMap<Route, (PathBuf, Use)> = BTreeMap::new();
    for (route, disk, used) in uses {
        let entry = by_route.entry(route).or_insert_with(|| (disk, used.clone()));
        if used.hero && !entry.1.hero {
            entry.1 = used;
        }
    }
    // Each photo: its route, its plan or its problem, and a warning.
    type Planned = (Route, Result<(PhotoSet, Source), Diagnostic>, Option<Diagnostic>);
    let results: Vec<Planned> = by_route
        .into_par_iter()
        .map(|(route, (disk, used))| {
            let (planned, warning) = match known.read(root, &disk) {
                Ok(header) => {
                    let warning = header.gps.then(|| {
                        Diagnostic::warning(
                            &used.file,
                            used.line,
                            1,
                            format!(
                                "photo {} holds GPS coordinates (where it was taken): the published copies leave them out",
                                disk.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                            ),
                        )
                    });
                    (Ok(plan_one(disk, used, header, settings)), warning)
                }
                // A story's photo must be right; a portrait or a picture
                // in a body is shown as it is, with a warning.
                Err(why) if used.hero => (Err(Diagnostic::error(&used.file, used.line, 1, why)), None),
                Err(why) => (Err(Diagnostic::warning(&used.file, used.line, 1, format!("{why} (shown as it is)"))), None),
            };
            (route, planned, warning)
        })
        .collect();
    let mut photos = Photos { root: root.to_path_buf(), ..Photos::default() };
    let mut problems = Vec::new();
    known.save(cache);
    for (route, planned, warning) in results {
        problems.extend(warning);
        match planned {
            Ok((set, source)) => {
                photos.sets.insert(route, set);
                photos.sources.push(source);
            }
            Err(d) => problems.push(d),
        }
    }
    (photos, problems)
}

/// Headers read by earlier builds, by file, size and modification time
/// (`photos/headers.tsv` in the cache): a rebuild reads no photo whose
/// file has not changed.
struct Headers {
    known: HashMap<String, Header>,
    read: std::sync::Mutex<Vec<(String, Header)>>,
}

impl Headers {
    const FILE: &'static str = "photos/headers.tsv";

    fn load(cache: &Path) -> Headers {
        let text = std::fs::read_to_string(cache.join(Headers::FILE)).unwrap_or_default();
        let known = text.lines().filter_map(Header::from_line).collect();
        Headers { known, read: std::sync::Mutex::new(Vec::new()) }
    }

    /// The header of `disk`: known, or read now (and kept for the next build).
    fn read(&self, root: &Path, disk: &Path) -> Result<Header, String> {
        if let Err(e) = broadsheet_base::confine::open(root, disk) {
            let name = disk.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            return Err(format!("photo {name}: cannot read it: {e}"));
        }
        let stamp = file_stamp(disk).ok();
        if let Some(known) = stamp.as_ref().and_then(|s| self.known.get(s)) {
            return Ok(known.clone());
        }
        let header = read_header(root, disk)?;
        if let (Some(stamp), Ok(mut read)) = (stamp, self.read.lock()) {
            read.push((stamp, header.clone()));
        }
        Ok(header)
    }

    /// Writes the index again when this build read new headers (best
    /// effort: without it, the next build reads the photos again).
    fn save(self, cache: &Path) {
        let read = self.read.into_inner().unwrap_or_default();
        if read.is_empty() {
            return;
        }
        let mut lines: BTreeMap<String, String> =
            self.known.into_iter().map(|(stamp, h)| (stamp.clone(), h.to_line(&stamp))).collect();
        lines.extend(read.into_iter().map(|(stamp, h)| (stamp.clone(), h.to_line(&stamp))));
        let text: String = lines.into_values().map(|l| l + "\n").collect();
        let dir = cache.join("photos");
        if make_cache(cache, &dir).is_ok() {
            let _ = put(&cache.join(Headers::FILE), text.as_bytes());
        }
    }
}

/// A file's path, size and modification time: what cache entries made
/// from a file are keyed by when reading it would cost too much.
pub fn file_stamp(path: &Path) -> std::io::Result<String> {
    let meta = std::fs::metadata(path)?;
    let modified = meta.modified()?.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    Ok(format!("{}|{}|{}", path.display(), meta.len(), modified.as_nanos()))
}

/// What a photo's header says.
#[derive(Clone)]
struct Header {
    format: Format,
    width: u32,
    height: u32,
    orientation: u8,
    gps: bool,
    hash: blake3::Hash,
    credit: Option<Vec<u8>>,
}

const BOUNDS: Bounds = Bounds { max_side: MAX_SIDE, max_alloc: MAX_ALLOC };

/// Reads a photo's header (not its pixels), with its content hash.
fn read_header(root: &Path, disk: &Path) -> Result<Header, String> {
    let name = disk.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bytes = broadsheet_base::confine::read(root, disk).map_err(|e| format!("photo {name}: cannot read it: {e}"))?;
    // The header's size first: a bomb is refused before any decoder sees it.
    if let Ok(size) = imagesize::blob_size(&bytes)
        && (size.width > MAX_SIDE as usize
            || size.height > MAX_SIDE as usize
            || (size.width as u64) * (size.height as u64) > MAX_PIXELS)
    {
        return Err(refusal(&name, &format!("{}×{} pixels", size.width, size.height)));
    }
    let header = photo_codec::header(&bytes, BOUNDS).map_err(|why| match why {
        NotRead::Other(format) => format!(
            "photo {name} is {format}: expected a JPEG, PNG or WebP photo (GIF, SVG and others are linked as they are, without `image`)"
        ),
        NotRead::Unknown => {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
            let what = if head.contains("<html") || head.contains("<!doctype") {
                "an HTML page (a download that saved an error page?)"
            } else {
                "not a picture this build can read"
            };
            format!("photo {name} is {what}: expected a JPEG, PNG or WebP file")
        }
        NotRead::Refused(why) => refusal(&name, &why),
        NotRead::Damaged(why) => format!(
            "photo {name} cannot be read ({why}): it is damaged or cut short; expected a whole JPEG, PNG or WebP file; upload it again"
        ),
    })?;
    if u64::from(header.width) * u64::from(header.height) > MAX_PIXELS {
        return Err(refusal(&name, &format!("{}×{} pixels", header.width, header.height)));
    }
    if !looks_whole(&bytes, header.format) {
        return Err(format!(
            "photo {name} is cut short (its end is missing): expected a whole JPEG, PNG or WebP file; upload it again"
        ));
    }
    let orientation = header.exif.as_deref().map_or(1, photo_codec::orientation);
    let parsed = header.exif.as_ref().and_then(|raw| exif::Reader::new().read_raw(raw.clone()).ok());
    let gps = parsed.as_ref().is_some_and(|e| e.fields().any(|f| f.ifd_num == exif::In::PRIMARY && is_gps(f.tag)));
    let credit = parsed.as_ref().and_then(credit_exif);
    Ok(Header {
        format: header.format,
        width: header.width,
        height: header.height,
        orientation,
        gps,
        hash: blake3::hash(&bytes),
        credit,
    })
}

/// Whether a file has its format's end: a JPEG's end-of-image marker, a
/// PNG's `IEND` chunk, a WebP's whole RIFF length. Catches a truncated
/// upload without decoding it.
fn looks_whole(bytes: &[u8], format: Format) -> bool {
    match format {
        // Cameras and phones append trailers after the end marker (Samsung's
        // SEFT, motion photos' video): follow the markers to the end one.
        Format::Jpeg => jpeg_reaches_its_end(bytes),
        Format::Png => bytes[bytes.len().saturating_sub(64)..].windows(4).any(|w| w == b"IEND"),
        Format::Webp => {
            let riff = bytes.get(4..8).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
            riff.is_some_and(|len| bytes.len() >= len + 8)
        }
    }
}

/// Whether a JPEG's markers lead to its end marker (EOI) before the bytes
/// run out: segments are skipped by their length, entropy-coded data is
/// scanned for the next marker (`FF 00` is a data byte, `FF D0`-`FF D7`
/// restart markers, `FF FF` fill). Whatever follows EOI is a trailer.
fn jpeg_reaches_its_end(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 1 < bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        match marker {
            0xD9 => return true,
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let Some(len) = bytes.get(at + 2..at + 4).map(|l| usize::from(u16::from_be_bytes([l[0], l[1]]))) else {
                    return false;
                };
                at += 2 + len;
                if marker == 0xDA {
                    // Entropy-coded data up to the next marker.
                    let is_marker = |w: &[u8]| w[0] == 0xFF && !matches!(w[1], 0x00 | 0xD0..=0xD7 | 0xFF);
                    match bytes.get(at..).and_then(|data| data.windows(2).position(is_marker)) {
                        Some(found) => at += found,
                        None => return false,
                    }
                }
            }
        }
    }
    false
}

impl Header {
    /// `stamp, format, width, height, orientation, gps, hash, credit` with tabs.
    fn to_line(&self, stamp: &str) -> String {
        let format = match self.format {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
        };
        let credit: String = self.credit.iter().flatten().map(|b| format!("{b:02x}")).collect();
        format!(
            "{stamp}\t{format}\t{}\t{}\t{}\t{}\t{}\t{credit}",
            self.width,
            self.height,
            self.orientation,
            u8::from(self.gps),
            self.hash.to_hex()
        )
    }

    fn from_line(line: &str) -> Option<(String, Header)> {
        let f: Vec<&str> = line.split('\t').collect();
        let [stamp, format, width, height, orientation, gps, hash, credit] = f[..] else { return None };
        let format = match format {
            "jpeg" => Format::Jpeg,
            "png" => Format::Png,
            "webp" => Format::Webp,
            _ => return None,
        };
        let credit: Option<Vec<u8>> = (!credit.is_empty())
            .then(|| (0..credit.len()).step_by(2).map(|i| u8::from_str_radix(credit.get(i..i + 2)?, 16).ok()).collect())
            .flatten();
        let header = Header {
            format,
            width: width.parse().ok()?,
            height: height.parse().ok()?,
            orientation: orientation.parse().ok()?,
            gps: gps == "1",
            hash: blake3::Hash::from_hex(hash).ok()?,
            credit,
        };
        Some((stamp.to_string(), header))
    }
}

fn is_gps(tag: exif::Tag) -> bool {
    tag.context() == exif::Context::Gps
}

fn refusal(name: &str, why: &str) -> String {
    format!(
        "photo {name} is too large to publish ({why}): expected at most {MAX_SIDE} pixels a side and {} megapixels",
        MAX_PIXELS / 1_000_000
    )
}

fn plan_one(disk: PathBuf, used: Use, header: Header, settings: &ImagesConfig) -> (PhotoSet, Source) {
    // Orientations 5 to 8 turn the picture a quarter.
    let turned = header.orientation >= 5;
    let (width, height) = if turned { (header.height, header.width) } else { (header.width, header.height) };
    let mut widths: Vec<u32> = settings.widths.iter().copied().filter(|w| *w < width).collect();
    let largest = width.min(settings.widths.iter().copied().max().unwrap_or(width));
    if !widths.contains(&largest) {
        widths.push(largest);
    }
    widths.sort_unstable();
    let params = format!("{ENCODER}|{}|{}|{}", settings.quality, settings.keep_credit, header.orientation);
    // The URL names the bytes served, so it follows the settings that make
    // them too: `_photos/` is cached for a year as immutable, and a new
    // quality under an old URL would never reach readers who have it.
    let stem = blake3::hash(format!("{}|{params}", header.hash.to_hex()).as_bytes()).to_hex();
    let stem = &stem[..16];
    let focus = used.focus.unwrap_or((0.5, 0.5));
    let variant = |w: u32, h: u32, format: Format, crop: bool| {
        let label = if crop {
            format!("share-{}-{}", (focus.0 * 100.0) as u32, (focus.1 * 100.0) as u32)
        } else {
            w.to_string()
        };
        let label = if crop && focus == (0.5, 0.5) { "share".to_string() } else { label };
        let route = Route::photo(&format!("{stem}-{label}.{}", extension(format)));
        let key_input = format!("{}|{params}|{w}x{h}|{crop}|{focus:?}|{format:?}", header.hash.to_hex());
        let key = format!("{}.{}", &blake3::hash(key_input.as_bytes()).to_hex()[..32], extension(format));
        Variant { route, width: w, height: h, format, key, focus }
    };
    let scaled = |w: u32| (w, ((u64::from(height) * u64::from(w)) / u64::from(width.max(1))).max(1) as u32);
    // A WebP photo's fallback for older browsers is a JPEG.
    let own = if header.format == Format::Webp { Format::Jpeg } else { header.format };
    // With WebP, the photo's own format is a fallback: at the largest width
    // only, unless every width is asked for.
    let own_widths = match (settings.webp, settings.fallback_widths) {
        (true, crate::config::FallbackWidths::Largest) => &widths[widths.len().saturating_sub(1)..],
        _ => &widths[..],
    };
    let variants: Vec<Variant> =
        own_widths.iter().map(|&w| scaled(w)).map(|(w, h)| variant(w, h, own, false)).collect();
    let webp: Vec<Variant> = match settings.webp {
        true => widths.iter().map(|&w| scaled(w)).map(|(w, h)| variant(w, h, Format::Webp, false)).collect(),
        false => Vec::new(),
    };
    let share = used.hero.then(|| variant(SHARE_SIZE.0, SHARE_SIZE.1, Format::Jpeg, true));
    let (w, h) = variants.last().map_or((width, height), |v| (v.width, v.height));
    let set = PhotoSet { width: w, height: h, variants: variants.clone(), webp: webp.clone(), share: share.clone() };
    let all = variants.into_iter().chain(webp).chain(share).collect();
    let source = Source {
        disk,
        used,
        format: own,
        orientation: header.orientation,
        credit: if settings.keep_credit { header.credit } else { None },
        variants: all,
    };
    (set, source)
}

/// Makes every variant not in the cache (each source decoded once, sources
/// in parallel), then copies every variant from the cache into `sink`.
pub fn publish(
    photos: &Photos,
    cache: &Path,
    settings: &ImagesConfig,
    sink: &dyn Sink,
) -> Result<(Published, Vec<Diagnostic>)> {
    let dir = cache.join("photos");
    if !photos.sources.is_empty() {
        make_cache(cache, &dir)?;
    }
    let encoded = AtomicUsize::new(0);
    let problems: Vec<Diagnostic> = photos
        .sources
        .par_iter()
        .filter_map(|source| {
            let missing: Vec<&Variant> = source.variants.iter().filter(|v| !dir.join(&v.key).is_file()).collect();
            if missing.is_empty() {
                return None;
            }
            match encode(&photos.root, source, &missing, &dir, settings) {
                Ok(n) => {
                    encoded.fetch_add(n, Ordering::Relaxed);
                    None
                }
                Err(why) => Some(Diagnostic::error(&source.used.file, source.used.line, 1, why)),
            }
        })
        .collect();
    if !problems.is_empty() {
        return Ok((Published::default(), problems));
    }
    let total: usize = photos.sources.iter().map(|s| s.variants.len()).sum();
    photos.sources.par_iter().flat_map(|s| &s.variants).try_for_each(|v| {
        sink.link(&dir.join(&v.key), Path::new(&v.route.file()))
            .with_context(|| format!("cannot write {}", v.route.file()))
    })?;
    let encoded = encoded.into_inner();
    Ok((Published { encoded, from_cache: total - encoded }, Vec::new()))
}

/// Decodes a source and writes its missing variants into the cache.
fn encode(
    root: &Path,
    source: &Source,
    missing: &[&Variant],
    dir: &Path,
    settings: &ImagesConfig,
) -> Result<usize, String> {
    let name = source.disk.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bytes =
        broadsheet_base::confine::read(root, &source.disk).map_err(|e| format!("photo {name}: cannot read it: {e}"))?;
    let alpha = source.format == Format::Png;
    let image = photo_codec::decode(&bytes, source.orientation, alpha, BOUNDS).map_err(|e| {
        format!("photo {name} cannot be decoded ({e}): expected a whole JPEG, PNG or WebP file (is it cut short?)")
    })?;
    for variant in missing {
        let encoded = image
            .variant(variant.width, variant.height, variant.focus, variant.format, settings.quality)
            .map_err(|e| format!("photo {name}: cannot resize and encode it: {e}"))?;
        let encoded = match &source.credit {
            Some(credit) if variant.format != Format::Png => with_exif(encoded, credit.clone()),
            _ => encoded,
        };
        put(&dir.join(&variant.key), &encoded).map_err(|e| format!("photo {name}: {e}"))?;
    }
    Ok(missing.len())
}

/// The copyright and artist of a camera's EXIF, as a small EXIF block of
/// their own (nothing else of the original is kept).
fn credit_exif(exif: &exif::Exif) -> Option<Vec<u8>> {
    let entries = credit_fields(exif);
    (!entries.is_empty()).then(|| tiff(&entries, None))
}

/// The artist and copyright an EXIF block names, as (TIFF tag, text).
fn credit_fields(exif: &exif::Exif) -> Vec<(u16, String)> {
    let text = |tag| {
        exif.get_field(tag, exif::In::PRIMARY).and_then(|f| match &f.value {
            exif::Value::Ascii(parts) => parts.first().map(|p| String::from_utf8_lossy(p).trim().to_string()),
            _ => None,
        })
    };
    [(0x013B, text(exif::Tag::Artist)), (0x8298, text(exif::Tag::Copyright))]
        .into_iter()
        .filter_map(|(tag, value)| Some((tag, value.filter(|v| !v.is_empty())?)))
        .collect()
}

/// A little-endian TIFF block with one IFD: ASCII `entries` (sorted by
/// tag) and an optional orientation.
fn tiff(entries: &[(u16, String)], orientation: Option<u16>) -> Vec<u8> {
    let count = entries.len() + usize::from(orientation.is_some());
    let ifd_end = 8 + 2 + count * 12 + 4;
    let mut head = b"II*\0\x08\0\0\0".to_vec();
    let mut data = Vec::new();
    head.extend_from_slice(&(count as u16).to_le_bytes());
    let mut all: Vec<(u16, Option<&String>, Option<u16>)> = entries.iter().map(|(t, v)| (*t, Some(v), None)).collect();
    if let Some(o) = orientation {
        all.push((0x0112, None, Some(o)));
    }
    all.sort_by_key(|e| e.0);
    for (tag, text, short) in all {
        head.extend_from_slice(&tag.to_le_bytes());
        match (text, short) {
            (Some(text), _) => {
                let mut value = text.as_bytes().to_vec();
                value.push(0);
                head.extend_from_slice(&2u16.to_le_bytes());
                head.extend_from_slice(&(value.len() as u32).to_le_bytes());
                if value.len() <= 4 {
                    value.resize(4, 0);
                    head.extend_from_slice(&value);
                } else {
                    head.extend_from_slice(&((ifd_end + data.len()) as u32).to_le_bytes());
                    data.extend_from_slice(&value);
                }
            }
            (None, short) => {
                head.extend_from_slice(&3u16.to_le_bytes());
                head.extend_from_slice(&1u32.to_le_bytes());
                head.extend_from_slice(&short.unwrap_or(1).to_le_bytes());
                head.extend_from_slice(&[0, 0]);
            }
        }
    }
    head.extend_from_slice(&0u32.to_le_bytes());
    head.extend_from_slice(&data);
    head
}

fn with_exif(encoded: Vec<u8>, exif: Vec<u8>) -> Vec<u8> {
    use img_parts::ImageEXIF;
    match img_parts::DynImage::from_bytes(encoded.clone().into()) {
        Ok(Some(mut image)) => {
            image.set_exif(Some(exif.into()));
            image.encoder().bytes().to_vec()
        }
        _ => encoded,
    }
}

/// A picture file copied as it is, without its metadata: EXIF, XMP and
/// IPTC go (an orientation other than upright stays, so the picture still
/// shows the right way up, and so do the credit fields when kept); colour
/// profiles and pixels are untouched. `None` when the file is no picture
/// this can read (it is copied as it is).
pub fn strip(bytes: &[u8], keep_credit: bool) -> Option<Vec<u8>> {
    use img_parts::ImageEXIF;
    let parsed = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)).ok();
    let orientation = parsed
        .as_ref()
        .and_then(|e| e.get_field(exif::Tag::Orientation, exif::In::PRIMARY))
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (2..=8).contains(o))
        .map(|o| o as u16);
    let credit = parsed.as_ref().filter(|_| keep_credit).map(credit_fields).unwrap_or_default();
    let kept = (orientation.is_some() || !credit.is_empty()).then(|| tiff(&credit, orientation));
    match img_parts::DynImage::from_bytes(bytes.to_vec().into()).ok()?? {
        img_parts::DynImage::Jpeg(mut jpeg) => {
            // APP1 holds EXIF and XMP, APP13 IPTC.
            jpeg.remove_segments_by_marker(img_parts::jpeg::markers::APP1);
            jpeg.remove_segments_by_marker(img_parts::jpeg::markers::APP13);
            jpeg.set_exif(kept.map(Into::into));
            Some(jpeg.encoder().bytes().to_vec())
        }
        img_parts::DynImage::Png(mut png) => {
            for chunk in [*b"eXIf", *b"tEXt", *b"iTXt", *b"zTXt", *b"tIME"] {
                png.remove_chunks_by_type(chunk);
            }
            png.set_exif(kept.map(Into::into));
            Some(png.encoder().bytes().to_vec())
        }
        img_parts::DynImage::WebP(mut webp) => {
            webp.set_exif(kept.map(Into::into));
            webp.remove_chunks_by_id(*b"XMP ");
            Some(webp.encoder().bytes().to_vec())
        }
    }
}

/// Whether a file is a picture whose metadata `strip` removes.
pub fn is_strippable(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "webp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credit_block_reads_back() {
        let block = tiff(&[(0x8298, "(c) Ann Lee".into()), (0x013B, "Ann".into())], Some(6));
        let exif = exif::Reader::new().read_raw(block).unwrap();
        let copyright = exif.get_field(exif::Tag::Copyright, exif::In::PRIMARY).unwrap();
        assert_eq!(copyright.display_value().to_string(), "\"(c) Ann Lee\"");
        let orientation = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY).unwrap();
        assert_eq!(orientation.value.get_uint(0), Some(6));
    }
}
