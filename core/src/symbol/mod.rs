//! The shared floor: facts of the symbols themselves, which the encoder and
//! the reader both stand on and neither owns. Versions and sizes, EC tables,
//! function-pattern layout and data-module order, format and version
//! codewords, segment headers, and the Micro QR (ISO/IEC 18004) and rMQR
//! (ISO/IEC 23941) variants of each.

pub(crate) mod capacity;
pub(crate) mod format;
pub(crate) mod header;
pub(crate) mod matrix;
pub(crate) mod micro;
pub(crate) mod qr;
pub(crate) mod rmqr;
mod symbology;
mod value;

pub use symbology::{StructuredAppend, Symbology};
pub use value::{
    EcLevel, Mask, MicroVersion, Mode, RmqrVersion, SymbolVersion, ValueError, Version,
};
