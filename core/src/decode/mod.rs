//! The reader's back half: from a sampled module grid to the payload (the
//! ISO/IEC 18004 reference decode algorithm from the format information on,
//! clauses 7.4-7.10 read in reverse).
//!
//! Stages are pure functions over plain data, in pipeline order: [`grid`]
//! holds the sampled modules, [`format`] reads format and version
//! information, [`codewords`] unmasks and de-interleaves, [`correct`]
//! repairs each block by Reed-Solomon, [`bitstream`] parses the data and
//! converts text. [`qr`], [`model1`] and [`micro_rmqr`] chain them for each
//! symbology; [`result`] is the public result, [`merge`] joins
//! structured-append parts.

pub(crate) mod bitstream;
pub(crate) mod codewords;
pub(crate) mod correct;
pub(crate) mod error;
pub(crate) mod format;
pub(crate) mod grid;
mod merge;
pub(crate) mod micro_rmqr;
pub(crate) mod model1;
pub(crate) mod qr;
pub(crate) mod result;

pub use merge::{merge_structured_append, Merged};
pub use result::{Decoded, Point};
