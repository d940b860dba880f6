//! The reader's back half: from a sampled module grid to the payload
//! (the ISO/IEC 18004 reference decode algorithm from the format
//! information on, with clauses 7.4-7.10 read in reverse).
//!
//! Stages are pure functions over plain data: [`grid`] holds the sampled
//! modules, [`format`] reads format and version information, [`codewords`]
//! unmasks and de-interleaves, `gf256::rs_correct` repairs each block,
//! [`bitstream`] parses the data and converts text, and [`symbol`] chains
//! them. [`result`] is the public result type.

// The front half (image -> grid) is written separately and calls
// `symbol::decode_grid`; until it lands, only the tests reach these items.
#![cfg_attr(not(test), allow(dead_code))]

pub(crate) mod bitstream;
pub(crate) mod codewords;
pub(crate) mod format;
pub(crate) mod grid;
mod merge;
pub(crate) mod model1;
pub(crate) mod result;
pub(crate) mod small;
pub(crate) mod symbol;

pub use merge::{merge_structured_append, Merged};
pub use result::{Decoded, Point, StructuredAppend, Symbology};
