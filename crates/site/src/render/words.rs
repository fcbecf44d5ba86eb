//! The words on pages, as the renderer uses them: the words of a site's
//! language live with its configuration (`config/words.rs`, where a
//! build loads them: `Config::words`); they are named here too.

pub use crate::config::words::{Phrase, Words, fill, fill_all, load};
