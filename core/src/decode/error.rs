//! Why a module grid did not decode: the error every decode stage returns,
//! turned into [`DecodeError`](crate::DecodeError) only at the public face.

use core::fmt;

use super::bitstream::BitstreamError;

/// Why a grid did not decode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum GridDecodeError {
    /// The grid's side is not 17 + 4v modules for a version v in 1..=40.
    InvalidSize(usize),
    /// Neither copy of the format information (in either reading order) is
    /// within 3 bits of a valid codeword.
    FormatUnreadable,
    /// The version information names another version than the grid size.
    VersionMismatch {
        /// The version the grid's size implies.
        from_size: u8,
        /// The version the version information names.
        from_info: u8,
    },
    /// A Reed-Solomon block has more damage than its EC codewords correct.
    Uncorrectable {
        /// The block, 0-based.
        block: usize,
        /// How many blocks the symbol has.
        blocks: usize,
    },
    /// The corrected data is not a valid bit stream.
    Bitstream(BitstreamError),
}

impl fmt::Display for GridDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GridDecodeError::InvalidSize(size) => write!(
                f,
                "a grid of {size} modules is no QR Code size (21 to 177 in steps of 4)"
            ),
            GridDecodeError::FormatUnreadable => {
                f.write_str("format information unreadable in both copies")
            }
            GridDecodeError::VersionMismatch {
                from_size,
                from_info,
            } => write!(
                f,
                "version information says version {from_info}, the grid size says {from_size}"
            ),
            GridDecodeError::Uncorrectable { block, blocks } => write!(
                f,
                "too many errors: error-correction block {} of {} cannot be corrected",
                block + 1,
                blocks
            ),
            GridDecodeError::Bitstream(e) => write!(f, "invalid data: {e}"),
        }
    }
}

impl std::error::Error for GridDecodeError {}

impl From<BitstreamError> for GridDecodeError {
    fn from(e: BitstreamError) -> Self {
        GridDecodeError::Bitstream(e)
    }
}
