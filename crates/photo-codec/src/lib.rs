//! Photo decoding, resizing and encoding for Broadsheet (see its
//! `src/photos.rs`, which decides what to make and keeps the cache).
//!
//! A crate of its own for one reason: generic image code is compiled in
//! the crate that uses it, so calling `image` and `fast_image_resize` from
//! here, with concrete types, lets Broadsheet's debug builds (its tests)
//! optimise this crate alone (`[profile.dev.package.photo-codec]`).
//! Bytes in, bytes out: no type of these crates leaks into Broadsheet.

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// A photo's format, as far as publishing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// JPEG: camera and phone photos; published as JPEG.
    Jpeg,
    /// PNG: graphics and screenshots; published as PNG (transparency kept).
    Png,
    /// WebP, read and written (the `webp_srcset` copies too).
    Webp,
}

/// What a file's header says, before any pixel is decoded.
#[derive(Debug)]
pub struct Header {
    /// The format the bytes are in (whatever the file's extension says).
    pub format: Format,
    /// Width in pixels as stored, before any EXIF rotation.
    pub width: u32,
    /// Height in pixels as stored, before any EXIF rotation.
    pub height: u32,
    /// The raw EXIF block, when there is one.
    pub exif: Option<Vec<u8>>,
}

/// Why a file is not a photo this crate reads.
#[derive(Debug, PartialEq, Eq)]
pub enum NotRead {
    /// Another picture format (GIF, SVG, TIFF...), by name.
    Other(String),
    /// Not a picture at all.
    Unknown,
    /// Larger than the limits allow: the decoder's words.
    Refused(String),
    /// Broken or cut short: the decoder's words.
    Damaged(String),
}

/// Limits on one decode: a side and the memory it may take.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// The longest width or height accepted, in pixels.
    pub max_side: u32,
    /// The most memory the decoder may allocate, in bytes.
    pub max_alloc: u64,
}

impl Bounds {
    fn limits(self) -> Limits {
        let mut limits = Limits::default();
        limits.max_image_width = Some(self.max_side);
        limits.max_image_height = Some(self.max_side);
        limits.max_alloc = Some(self.max_alloc);
        limits
    }
}

/// Reads the header of `bytes`.
pub fn header(bytes: &[u8], bounds: Bounds) -> Result<Header, NotRead> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| NotRead::Unknown)?;
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::WebP) => Format::Webp,
        Some(other) => return Err(NotRead::Other(format!("{other:?}"))),
        None => return Err(NotRead::Unknown),
    };
    reader.limits(bounds.limits());
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => NotRead::Refused(e.to_string()),
        _ => NotRead::Damaged(e.to_string()),
    })?;
    let (width, height) = decoder.dimensions();
    let exif = decoder.exif_metadata().ok().flatten();
    Ok(Header { format, width, height, exif })
}

/// The EXIF orientation (1 to 8) an EXIF block gives, or 1.
pub fn orientation(exif: &[u8]) -> u8 {
    Orientation::from_exif_chunk(exif).map_or(1, Orientation::to_exif)
}

/// A decoded photo, upright, in 8-bit RGB (or RGBA when it has alpha and
/// `alpha` is asked).
pub struct Decoded(DynamicImage);

/// Decodes `bytes` and turns it upright by the EXIF `orientation`.
pub fn decode(bytes: &[u8], orientation: u8, alpha: bool, bounds: Bounds) -> Result<Decoded, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    reader.limits(bounds.limits());
    let mut image = reader.decode().map_err(|e| e.to_string())?;
    image.apply_orientation(Orientation::from_exif(orientation).unwrap_or(Orientation::NoTransforms));
    Ok(Decoded(match alpha && image.color().has_alpha() {
        true => DynamicImage::ImageRgba8(image.to_rgba8()),
        false => DynamicImage::ImageRgb8(image.to_rgb8()),
    }))
}

impl Decoded {
    /// Its size.
    pub fn size(&self) -> (u32, u32) {
        (self.0.width(), self.0.height())
    }

    /// A `width`×`height` copy (Lanczos3). When the shape differs, the
    /// largest part of the photo with that shape is taken, centred as near
    /// `focus` (fractions across and down: the point to keep) as the
    /// photo's edges allow. Encoded as `format` at `quality` (JPEG and
    /// WebP, 1 to 100).
    pub fn variant(
        &self,
        width: u32,
        height: u32,
        focus: (f64, f64),
        format: Format,
        quality: u8,
    ) -> Result<Vec<u8>, String> {
        let (sw, sh) = (f64::from(self.0.width()), f64::from(self.0.height()));
        let wanted = f64::from(width) / f64::from(height.max(1));
        let (cw, ch) = if sw / sh > wanted { (sh * wanted, sh) } else { (sw, sw / wanted) };
        // A photo already of the shape asked can come out a rounding error
        // larger than itself: the crop is never larger than the photo.
        let (cw, ch) = (cw.min(sw), ch.min(sh));
        let left = (focus.0 * sw - cw / 2.0).clamp(0.0, sw - cw);
        let top = (focus.1 * sh - ch / 2.0).clamp(0.0, sh - ch);
        let mut out = DynamicImage::new(width, height, self.0.color());
        let options =
            ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)).crop(left, top, cw, ch);
        Resizer::new().resize(&self.0, &mut out, &options).map_err(|e| e.to_string())?;
        encode(&out, format, quality)
    }
}

fn encode(image: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            rgb.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        }
        Format::Png => image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(|e| e.to_string())?,
        Format::Webp => {
            let encoder = webp::Encoder::from_image(image).map_err(str::to_string)?;
            out = encoder.encode(f32::from(quality)).to_vec();
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_has_the_size_asked_in_every_format() {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(64, 48, image::Rgb([200, 30, 30])));
        let mut png = Vec::new();
        image.write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let bounds = Bounds { max_side: 1000, max_alloc: 1 << 26 };
        let decoded = decode(&png, 1, false, bounds).unwrap();
        for format in [Format::Jpeg, Format::Png, Format::Webp] {
            let bytes = decoded.variant(32, 24, (0.5, 0.5), format, 80).unwrap();
            let head = header(&bytes, bounds).unwrap();
            assert_eq!((head.format, head.width, head.height), (format, 32, 24));
        }
    }

    #[test]
    fn a_photo_of_the_shape_asked_crops_within_itself() {
        // A copy of the photo's own size and shape, where width / height
        // divided back into the width rounds to a hair more than the height
        // (21 / (21 / 30) > 30): a real site's photos hit it.
        let bounds = Bounds { max_side: 1000, max_alloc: 1 << 26 };
        for (w, h) in [(20, 61), (21, 30), (21, 62), (20, 77)] {
            let image = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30])));
            let mut png = Vec::new();
            image.write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
            let decoded = decode(&png, 1, false, bounds).unwrap();
            for focus in [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)] {
                let bytes = decoded.variant(w, h, focus, Format::Png, 80).unwrap();
                let head = header(&bytes, bounds).unwrap();
                assert_eq!((head.width, head.height), (w, h));
            }
        }
    }
}
