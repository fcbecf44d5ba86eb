//! The icons a site gets when `site.toml` names none: a monogram (the
//! first letter of the site's name on its theme colour) as an SVG favicon,
//! a `favicon.ico` for browsers that ask for it whatever the page says, an
//! Apple touch icon, and a 1200×630 share card for stories without a photo.
//! The bitmaps draw the letter from a 5×7 pixel font, so no font file or
//! outside tool is needed. Pure: returns bytes.

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use broadsheet_base::route::Route;

/// A generated file and where it goes.
pub struct Generated {
    /// Where it is written in the output.
    pub route: Route,
    /// The file's contents (SVG, PNG or ICO).
    pub bytes: Vec<u8>,
}

/// The icons to generate for `config`: those it does not name itself.
pub fn generated(config: &Config) -> Vec<Generated> {
    let identity = &config.identity;
    let letter = monogram(&config.title);
    let colour = rgb(&identity.theme_color);
    let mut files = Vec::new();
    if identity.favicon.is_none() {
        files.push(Generated { route: Route::FAVICON_SVG, bytes: svg(letter, &identity.theme_color).into_bytes() });
        files.push(Generated { route: Route::FAVICON_ICO, bytes: ico(&square(letter, colour, 32)) });
    }
    if identity.apple_touch_icon.is_none() {
        files.push(Generated { route: Route::TOUCH_ICON, bytes: square(letter, colour, 180) });
    }
    if share_card_needed(config) {
        files.push(Generated { route: Route::SHARE_CARD, bytes: card(letter, colour) });
    }
    files
}

/// Whether stories without a photo share the generated card: no share
/// image is named, and no logo that link previews can show.
pub fn share_card_needed(config: &Config) -> bool {
    let identity = &config.identity;
    identity.share_image.is_none() && !identity.logo.as_ref().is_some_and(|l| l.is_picture())
}

/// The letter a monogram shows: the first letter or digit of the name,
/// past a leading "The" ("The Port Halden Courier" is P), without accents.
pub fn monogram(title: &str) -> char {
    let words: Vec<&str> = title.split_whitespace().collect();
    let skip = usize::from(words.len() > 1 && words[0].eq_ignore_ascii_case("the"));
    words[skip..]
        .iter()
        .flat_map(|w| w.nfd())
        .find(|c| c.is_alphanumeric())
        .map_or('#', |c| c.to_uppercase().next().unwrap_or(c))
}

fn svg(letter: char, colour: &str) -> String {
    let letter = crate::render::escape_html(&letter.to_string());
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"10\" fill=\"{colour}\"/>\
         <text x=\"32\" y=\"47\" font-family=\"Georgia,'Times New Roman',serif\" font-size=\"44\" font-weight=\"700\" \
         text-anchor=\"middle\" fill=\"#fff\">{letter}</text></svg>\n"
    )
}

type Rgb = [u8; 3];
const WHITE: Rgb = [255, 255, 255];
const PAPER: Rgb = [0xff, 0xfd, 0xf8];

/// `#rgb` or `#rrggbb` (checked when `site.toml` was read).
fn rgb(hex: &str) -> Rgb {
    let hex = hex.trim_start_matches('#');
    let digits: String = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_string() };
    let byte = |i: usize| u8::from_str_radix(digits.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    [byte(0), byte(2), byte(4)]
}

/// An RGB canvas.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize, fill: Rgb) -> Canvas {
        Canvas { width, height, pixels: fill.repeat(width * height) }
    }

    fn rect(&mut self, x: usize, y: usize, w: usize, h: usize, colour: Rgb) {
        for row in y..(y + h).min(self.height) {
            for col in x..(x + w).min(self.width) {
                let at = (row * self.width + col) * 3;
                self.pixels[at..at + 3].copy_from_slice(&colour);
            }
        }
    }

    /// `letter` in the pixel font, `scale` pixels per dot, centred in the
    /// square of side `side` at (`x`, `y`).
    fn letter(&mut self, letter: char, x: usize, y: usize, side: usize, scale: usize, colour: Rgb) {
        let Some(rows) = glyph(letter) else { return };
        let (left, top) = (x + (side - 5 * scale) / 2, y + (side - 7 * scale) / 2);
        for (r, bits) in rows.iter().enumerate() {
            for c in 0..5 {
                if bits & (0b10000 >> c) != 0 {
                    self.rect(left + c * scale, top + r * scale, scale, scale, colour);
                }
            }
        }
    }

    fn png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width as u32, self.height as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // Writing into memory cannot fail; an empty file would show as a
        // broken icon, never as a wrong page.
        let _ = encoder.write_header().and_then(|mut w| w.write_image_data(&self.pixels));
        out
    }
}

/// A `side`-pixel square icon: the letter in white on the colour.
fn square(letter: char, colour: Rgb, side: usize) -> Vec<u8> {
    let mut canvas = Canvas::new(side, side, colour);
    canvas.letter(letter, 0, 0, side, side * 9 / 16 / 7, WHITE);
    canvas.png()
}

/// The 1200×630 share card: the monogram on the page's paper colour,
/// between two rules of the theme colour.
fn card(letter: char, colour: Rgb) -> Vec<u8> {
    let (width, height, side) = (1200, 630, 350);
    let mut canvas = Canvas::new(width, height, PAPER);
    canvas.rect(0, 0, width, 24, colour);
    canvas.rect(0, height - 24, width, 24, colour);
    let (x, y) = ((width - side) / 2, (height - side) / 2);
    canvas.rect(x, y, side, side, colour);
    canvas.letter(letter, x, y, side, 28, WHITE);
    canvas.png()
}

/// An ICO file holding one PNG image (as every browser since 2007 reads).
fn ico(png: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(22 + png.len());
    out.extend_from_slice(&[0, 0, 1, 0, 1, 0]); // reserved, type 1 (icon), one image
    out.extend_from_slice(&[32, 32, 0, 0, 1, 0, 32, 0]); // 32×32, no palette, 1 plane, 32 bits
    out.extend_from_slice(&(png.len() as u32).to_le_bytes());
    out.extend_from_slice(&22u32.to_le_bytes()); // the image starts after this header
    out.extend_from_slice(png);
    out
}

/// The rows of a letter or digit in a 5×7 pixel font, top first, the
/// leftmost dot the highest of five bits.
fn glyph(c: char) -> Option<[u8; 7]> {
    const LETTERS: [[u8; 7]; 26] = [
        [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11], // A
        [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E], // B
        [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E], // C
        [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C], // D
        [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F], // E
        [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10], // F
        [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F], // G
        [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11], // H
        [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E], // I
        [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C], // J
        [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11], // K
        [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F], // L
        [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11], // M
        [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11], // N
        [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E], // O
        [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10], // P
        [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D], // Q
        [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11], // R
        [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E], // S
        [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04], // T
        [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E], // U
        [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04], // V
        [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A], // W
        [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11], // X
        [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04], // Y
        [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F], // Z
    ];
    const DIGITS: [[u8; 7]; 10] = [
        [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E], // 0
        [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E], // 1
        [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F], // 2
        [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E], // 3
        [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02], // 4
        [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E], // 5
        [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E], // 6
        [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08], // 7
        [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E], // 8
        [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C], // 9
    ];
    match c {
        'A'..='Z' => Some(LETTERS[c as usize - 'A' as usize]),
        '0'..='9' => Some(DIGITS[c as usize - '0' as usize]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monogram_skips_the_and_accents() {
        assert_eq!(monogram("The Port Halden Courier"), 'P');
        assert_eq!(monogram("Écho de Lyon"), 'E');
        assert_eq!(monogram("the"), 'T');
        assert_eq!(monogram("  "), '#');
        assert_eq!(monogram("24 Heures"), '2');
    }

    #[test]
    fn the_favicon_is_an_ico_holding_a_32_pixel_png() {
        let bytes = ico(&square('P', rgb("#a4161a"), 32));
        assert_eq!(&bytes[..4], &[0, 0, 1, 0]);
        let png = &bytes[22..];
        let size = imagesize::blob_size(png).unwrap();
        assert_eq!((size.width, size.height), (32, 32));
        assert_eq!(u32::from_le_bytes(bytes[14..18].try_into().unwrap()) as usize, png.len());
    }

    #[test]
    fn colours_read_in_both_lengths() {
        assert_eq!(rgb("#a4161a"), [0xa4, 0x16, 0x1a]);
        assert_eq!(rgb("#fff"), [255, 255, 255]);
    }
}
