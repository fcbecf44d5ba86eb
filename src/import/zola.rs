//! A Zola site folder.

use super::{Imported, Options};

pub fn read(_opts: &Options) -> crate::error::Result<Imported> {
    Err(anyhow::anyhow!("not yet").into())
}
