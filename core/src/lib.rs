//! civiqr: QR Code, Micro QR and rMQR encoder, renderers and reader.
//!
//! # Encoding
//!
//! Three tiers, from convenient to precise:
//! - [`encode_text`] and [`encode_bytes`]: give data, get the smallest symbol,
//!   with the data split into numeric / alphanumeric / byte / Kanji segments
//!   so that it takes the fewest bits (ISO/IEC 18004 Annex J, done exactly by
//!   dynamic programming);
//! - [`encode_segments`]: the caller chooses the segments (and ECI designators);
//! - [`EncodeOptions`] fixes the EC level, the version range, the mask, EC boost.
//!
//! ```
//! use civiqr::{encode_text, EcLevel, EncodeOptions, Mask};
//! let opts = EncodeOptions::default().ec_level(EcLevel::Q).mask(Mask::new(3)?);
//! let code = encode_text("https://example.org/mobilier/banc-0042", &opts)?;
//! assert_eq!(code.mask().number(), 3);
//! assert!(code.get(0, 0)); // top-left finder pattern
//! # Ok::<(), civiqr::EncodeError>(())
//! ```
//!
//! # Non-ASCII text
//!
//! By default text is written without an ECI designator: characters that are
//! Kanji in Shift JIS may use Kanji mode, everything else non-ASCII is written as
//! UTF-8 bytes in byte mode, which every current phone reader detects. Set
//! [`EncodeOptions::eci_utf8`] to declare ECI 26 (UTF-8) explicitly, as the
//! standard asks for strict readers (it costs 12 bits).
//!
//! # Micro QR, rMQR and structured append
//!
//! [`EncodeOptions::symbology`] writes Micro QR (M1-M4, ISO/IEC 18004) or
//! rMQR (R7x43-R17x139, ISO/IEC 23941; the least area within
//! [`EncodeOptions::max_height`] / [`EncodeOptions::max_width`]);
//! [`encode_text_split`] writes a long message over up to 16 QR symbols and
//! [`merge_structured_append`] puts the parts read back together.
//! [`decode`] reads all three symbologies ([`DecodeOptions::symbologies`]
//! narrows it).
//!
//! ```
//! use civiqr::{encode_text, encode_text_split, EncodeOptions, Split, Symbology, Version};
//! let strip = EncodeOptions::default().symbology(Symbology::Rmqr).max_height(9);
//! let code = encode_text("https://example.org/lamp/17", &strip)?;
//! assert!(code.height() <= 9 && code.width() > code.height());
//! let v10 = Version::new(10)?;
//! let small = EncodeOptions::default().max_version(v10);
//! let parts = encode_text_split(&"Tour de l'Horloge. ".repeat(40), Split::AUTO, &small)?;
//! assert!(parts.len() > 1 && parts.iter().all(|p| p.version() <= v10));
//! # Ok::<(), civiqr::EncodeError>(())
//! ```
//!
//! # Rendering
//!
//! See [`render`]: SVG, PNG, PDF, EPS, plain text and terminal output.
//!
//! # Signed codes
//!
//! With the `sign` feature, [`sign`] signs payloads with an issuer's Ed25519
//! key and verifies them against a trust list (scheme in docs/SIGNING.md).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "audit")]
pub mod audit;
#[cfg(feature = "batch")]
pub mod batch;
mod bounded;
mod charset;
mod code;
mod decode;
mod encode;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod gf256;
pub mod grade;
#[cfg(any(feature = "sign", feature = "batch"))]
mod json;
pub mod payload;
mod read;
pub mod render;
#[cfg(feature = "sign")]
pub mod sign;
mod symbol;

pub use bounded::{read_file_limited, read_limited};
pub use code::{QrCode, SegmentInfo};
pub use decode::{merge_structured_append, Decoded, Merged, Point};
pub use encode::{
    encode_bytes, encode_bytes_split, encode_segments, encode_text, encode_text_split,
    EncodeOptions, Segment, Split,
};
pub use error::{DecodeError, EncodeError, RenderError};
pub use read::{decode, DecodeOptions, ImageRef, PixelFormat};
#[cfg(feature = "image")]
pub use read::{decode_file, decode_image_bytes, DEFAULT_MAX_FILE_BYTES};
pub use symbol::{
    EcLevel, Mask, MicroVersion, Mode, RmqrVersion, StructuredAppend, SymbolVersion, Symbology,
    ValueError, Version,
};
