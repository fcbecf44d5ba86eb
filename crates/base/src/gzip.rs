//! gzip compression with libdeflate (about twice as fast as zlib, and
//! smaller): the search index's files and `deploy --gzip`'s objects. One
//! compressor per thread and level, reused from call to call.

use std::cell::RefCell;
use std::collections::HashMap;

use anyhow::{Context as _, Result};

/// The fastest level that compresses (libdeflate's 0 stores without
/// compressing): for files written on every build.
pub const FAST: i32 = 1;
/// A small result at a cost still well under the upload's: for files
/// compressed once and served many times.
pub const SMALL: i32 = 9;

/// `bytes` as a gzip member (no name, no timestamp: the same input always
/// gives the same output) at `level` (1 to 12).
pub fn compress(bytes: &[u8], level: i32) -> Result<Vec<u8>> {
    thread_local! {
        static COMPRESSORS: RefCell<HashMap<i32, libdeflater::Compressor>> = RefCell::new(HashMap::new());
    }
    COMPRESSORS.with_borrow_mut(|compressors| {
        let gzip = compressors.entry(level).or_insert_with(|| {
            libdeflater::Compressor::new(libdeflater::CompressionLvl::new(level).unwrap_or_default())
        });
        let mut out = vec![0; gzip.gzip_compress_bound(bytes.len())];
        let written = gzip.gzip_compress(bytes, &mut out).context("cannot compress")?;
        out.truncate(written);
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn any_reader_inflates_it_and_the_same_input_gives_the_same_bytes() {
        use std::io::Read as _;
        for level in [super::FAST, super::SMALL] {
            for text in ["", "{\"a\":1}", &"harbour ferry strike ".repeat(5000)] {
                let packed = super::compress(text.as_bytes(), level).unwrap();
                assert_eq!(&packed[..2], [0x1f, 0x8b]);
                let mut back = String::new();
                flate2::read::GzDecoder::new(&packed[..]).read_to_string(&mut back).unwrap();
                assert_eq!(back, text);
                assert_eq!(super::compress(text.as_bytes(), level).unwrap(), packed);
            }
        }
        let long = "harbour ferry strike ".repeat(5000);
        assert!(super::compress(long.as_bytes(), super::SMALL).unwrap().len() < long.len() / 20);
    }
}
