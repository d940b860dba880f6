//! The error types: one enum per direction (encoding, rendering, decoding).

use core::fmt;

use crate::symbol::{EcLevel, MicroVersion, Mode, Symbology, ValueError, Version};

/// Why a payload could not be turned into a symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// The data does not fit the largest version allowed at the chosen EC level.
    DataTooLong {
        /// Bits the shortest encoding of the data needs (in the largest allowed version).
        bits_needed: usize,
        /// Data bits the largest allowed version holds at this EC level.
        capacity_bits: usize,
        /// The largest allowed version.
        version: Version,
        /// The EC level asked for.
        ec_level: EcLevel,
    },
    /// A character of the text cannot be written in the forced mode.
    UnencodableChar {
        /// The mode that was forced.
        mode: Mode,
        /// Index of the character, counted in characters (not bytes) from 0.
        index: usize,
        /// The character.
        ch: char,
    },
    /// A byte of the data cannot be written in the forced mode.
    UnencodableByte {
        /// The mode that was forced.
        mode: Mode,
        /// Index of the byte from 0.
        index: usize,
        /// The byte.
        byte: u8,
    },
    /// A version, mask, EC level or symbology that does not exist.
    InvalidValue(ValueError),
    /// The smallest allowed version is larger than the largest.
    InvalidVersionRange {
        /// The smallest allowed version.
        min: Version,
        /// The largest allowed version.
        max: Version,
    },
    /// An ECI assignment number above 999999.
    InvalidEci(u32),
    /// The symbology cannot carry this EC level (Micro QR has no H; M1
    /// only detects errors; rMQR has M and H only).
    UnsupportedEcLevel {
        /// The symbology.
        symbology: Symbology,
        /// The level asked for.
        ec_level: EcLevel,
    },
    /// The Micro QR version asked for has no such EC level (M1 only detects
    /// errors; M2 and M3 have L and M; M4 has L, M and Q).
    UnsupportedMicroEcLevel {
        /// The version asked for.
        version: MicroVersion,
        /// The level asked for.
        ec_level: EcLevel,
    },
    /// The symbology has no such feature (ECI or structured append in Micro
    /// QR, structured append in rMQR, a mask other than rMQR's one, ...).
    Unsupported {
        /// The symbology.
        symbology: Symbology,
        /// What was asked for.
        feature: &'static str,
    },
    /// The data does not fit any allowed Micro QR or rMQR size.
    DataTooLongFor {
        /// The symbology.
        symbology: Symbology,
        /// Bits the shortest encoding needs in the largest allowed size
        /// (0 when no allowed size can carry its characters at all).
        bits_needed: usize,
        /// Data bits the largest allowed size holds.
        capacity_bits: usize,
        /// The largest allowed size, e.g. `M4-L` or `R13x99-M`.
        largest: String,
    },
    /// No rMQR version is within the height and width limits.
    NoRmqrSize {
        /// The height limit, in modules.
        max_height: Option<u32>,
        /// The width limit, in modules.
        max_width: Option<u32>,
    },
    /// A structured-append part count outside 1..=16.
    InvalidPartCount(u32),
    /// More structured-append parts asked for than the data has characters.
    TooFewCharacters {
        /// Parts asked for.
        parts: usize,
        /// Characters (or bytes) in the data.
        chars: usize,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::DataTooLong {
                bits_needed,
                capacity_bits,
                version,
                ec_level,
            } => write!(
                f,
                "data too long: needs {} bits, version {}-{} holds {}",
                group_thousands(*bits_needed),
                version,
                ec_level,
                group_thousands(*capacity_bits)
            ),
            EncodeError::UnencodableChar { mode, index, ch } => write!(
                f,
                "character {:?} (U+{:04X}) at index {} cannot be encoded in {} mode",
                ch, *ch as u32, index, mode
            ),
            EncodeError::UnencodableByte { mode, index, byte } => write!(
                f,
                "byte 0x{:02X} at index {} cannot be encoded in {} mode",
                byte, index, mode
            ),
            EncodeError::InvalidValue(e) => e.fmt(f),
            EncodeError::InvalidVersionRange { min, max } => write!(
                f,
                "invalid version range: smallest version {min} is larger than largest {max}"
            ),
            EncodeError::InvalidEci(n) => {
                write!(f, "invalid ECI designator {n}: must be 0 to 999999")
            }
            EncodeError::UnsupportedEcLevel {
                symbology,
                ec_level,
            } => write!(
                f,
                "{} has no error-correction level {ec_level} ({})",
                symbology.name(),
                match symbology {
                    Symbology::MicroQr => "it has L, M and Q; M1 only detects errors",
                    Symbology::Rmqr => "it has M and H",
                    _ => "it has L, M, Q and H",
                }
            ),
            EncodeError::UnsupportedMicroEcLevel { version, ec_level } => {
                write!(
                    f,
                    "Micro QR {version} has no error-correction level {ec_level} "
                )?;
                f.write_str(match version.number() {
                    1 => "(M1 only detects errors: use L)",
                    2 | 3 => "(it has L and M)",
                    _ => "(it has L, M and Q)",
                })
            }
            EncodeError::Unsupported { symbology, feature } => {
                write!(f, "{} does not support {feature}", symbology.name())
            }
            EncodeError::DataTooLongFor {
                symbology,
                bits_needed,
                capacity_bits,
                largest,
            } => {
                if *bits_needed == 0 {
                    write!(
                        f,
                        "data cannot be written in {} up to {largest}: some characters need a mode it lacks",
                        symbology.name()
                    )
                } else {
                    write!(
                        f,
                        "data too long for {}: needs {} bits, {largest} holds {}",
                        symbology.name(),
                        group_thousands(*bits_needed),
                        group_thousands(*capacity_bits)
                    )
                }
            }
            EncodeError::NoRmqrSize {
                max_height,
                max_width,
            } => write!(
                f,
                "no rMQR version within {} x {} modules (the smallest are 7 high, 27 wide)",
                max_height.map_or("any".to_string(), |h| h.to_string()),
                max_width.map_or("any".to_string(), |w| w.to_string())
            ),
            EncodeError::InvalidPartCount(n) => {
                write!(
                    f,
                    "invalid structured-append part count {n}: must be 1 to 16"
                )
            }
            EncodeError::TooFewCharacters { parts, chars } => write!(
                f,
                "cannot split {chars} characters into {parts} structured-append parts"
            ),
        }
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EncodeError::InvalidValue(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ValueError> for EncodeError {
    fn from(e: ValueError) -> Self {
        EncodeError::InvalidValue(e)
    }
}

/// Why a symbol could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RenderError {
    /// A colour string that is not `#rgb`, `#rrggbb`, `#rrggbbaa`, a known name or `transparent`.
    InvalidColor(String),
    /// A render option out of its range (the option is named).
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The output image would be larger than the limit.
    TooLarge {
        /// Pixels asked for.
        pixels: u64,
        /// The limit.
        limit: u64,
    },
    /// Dark modules a camera cannot tell from the light ones: their
    /// [`symbol contrast`](crate::render::Color::symbol_contrast) is below
    /// [`MIN_SYMBOL_CONTRAST`](crate::render::MIN_SYMBOL_CONTRAST), or the
    /// "dark" colour is the lighter one. Allowed with
    /// [`RenderOptions::allow_low_contrast`](crate::render::RenderOptions::allow_low_contrast).
    LowContrast {
        /// The dark colour asked for.
        dark: crate::render::Color,
        /// The light colour asked for.
        light: crate::render::Color,
    },
    /// The format needs a cargo feature that this build does not have.
    FeatureDisabled(&'static str),
    /// The underlying encoder (PNG, ...) failed.
    Backend(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::InvalidColor(s) => write!(f, "invalid colour {s:?}"),
            RenderError::InvalidOption { option, reason } => {
                write!(f, "invalid render option {option}: {reason}")
            }
            RenderError::TooLarge { pixels, limit } => write!(
                f,
                "image too large: {} pixels, limit {}",
                group_thousands(*pixels as usize),
                group_thousands(*limit as usize)
            ),
            RenderError::LowContrast { dark, light } => {
                write!(
                    f,
                    "dark {dark} on light {light}: {}",
                    low_contrast_reason(*dark, *light)
                )
            }
            RenderError::FeatureDisabled(feat) => {
                write!(
                    f,
                    "this build of civiqr has no {feat} support (cargo feature {feat:?})"
                )
            }
            RenderError::Backend(s) => write!(f, "render backend failed: {s}"),
        }
    }
}

impl std::error::Error for RenderError {}

/// Why a colour pair is refused, in words: inverted, or the grey difference
/// against what readers need.
fn low_contrast_reason(dark: crate::render::Color, light: crate::render::Color) -> String {
    let contrast = crate::render::Color::symbol_contrast(dark, light);
    if contrast < 0.0 {
        return "the dark colour is the lighter one (an inverted symbol, which many readers \
                cannot read)"
            .to_string();
    }
    format!(
        "they differ by {:.1} % in grey, readers need {:.0} %",
        // Rounded down (past float noise), so a refused pair never reads as enough.
        (contrast * 1000.0 + 1e-6).floor() / 10.0,
        crate::render::MIN_SYMBOL_CONTRAST * 100.0
    )
}

/// Why an image could not be decoded at all. Finding no symbol is not an
/// error: [`decode`](crate::decode) then returns an empty list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Width or height is zero.
    EmptyImage {
        /// The width given.
        width: usize,
        /// The height given.
        height: usize,
    },
    /// More pixels than the limit ([`DecodeOptions::max_pixels`](crate::DecodeOptions::max_pixels)).
    ImageTooLarge {
        /// The width given.
        width: usize,
        /// The height given.
        height: usize,
        /// The limit.
        max_pixels: u64,
    },
    /// The row stride is shorter than a row of pixels.
    InvalidStride {
        /// The stride given, in bytes.
        stride: usize,
        /// Bytes in one row of pixels.
        min: usize,
    },
    /// The buffer holds fewer bytes than width, height and stride need.
    BufferTooSmall {
        /// Bytes given.
        len: usize,
        /// Bytes needed.
        needed: usize,
    },
    /// An image file could not be read or decoded (the message names the problem).
    ImageFile(String),
    /// An image file is larger than the byte limit.
    FileTooLarge {
        /// Bytes in the file; `max + 1` when its size is not known in
        /// advance (a device, FIFO or standard input is read up to one byte
        /// past the limit).
        len: u64,
        /// The limit.
        max: u64,
    },
    /// Decoding an image file would take more memory than allowed
    /// (8 bytes x [`DecodeOptions::max_pixels`](crate::DecodeOptions::max_pixels)),
    /// counted from its header before any pixel is decompressed.
    MemoryLimit {
        /// Bytes the decoder's buffer and the grey image need.
        needed: u64,
        /// The limit.
        max: u64,
    },
    /// Merging structured-append parts: none of the symbols has a header.
    NotStructuredAppend,
    /// Merging: symbols of two different messages (their part counts or
    /// parities differ).
    MixedMessages {
        /// `(count, parity)` of the first part seen.
        first: (u8, u8),
        /// `(count, parity)` of a part that does not match it.
        other: (u8, u8),
    },
    /// Merging: some parts of the message were not found.
    MissingParts {
        /// Parts the message has.
        count: u8,
        /// Indices (from 0) of the parts not found.
        missing: Vec<u8>,
    },
    /// Merging: two different symbols claim the same position.
    ConflictingParts {
        /// The position, from 0.
        index: u8,
    },
    /// Merging: the XOR of the merged bytes is not the parity the parts carry.
    ParityMismatch {
        /// The parity in the headers.
        expected: u8,
        /// The XOR of the merged payload.
        actual: u8,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::EmptyImage { width, height } => {
                write!(f, "empty image: {width} x {height} pixels")
            }
            DecodeError::ImageTooLarge {
                width,
                height,
                max_pixels,
            } => write!(
                f,
                "image too large: {width} x {height} pixels, limit {} pixels",
                group_thousands(*max_pixels as usize)
            ),
            DecodeError::InvalidStride { stride, min } => {
                write!(
                    f,
                    "row stride {stride} is shorter than a row of pixels ({min} bytes)"
                )
            }
            DecodeError::BufferTooSmall { len, needed } => write!(
                f,
                "pixel buffer too small: {} bytes, image needs {}",
                group_thousands(*len),
                group_thousands(*needed)
            ),
            DecodeError::ImageFile(msg) => write!(f, "cannot read image: {msg}"),
            DecodeError::FileTooLarge { len, max } if *len == max.saturating_add(1) => write!(
                f,
                "image file too large: more than {} bytes (the limit)",
                group_thousands(*max as usize)
            ),
            DecodeError::MemoryLimit { needed, max } => write!(
                f,
                "image needs {} bytes of memory to decode, limit {} (8 bytes per pixel of the pixel limit)",
                group_thousands(*needed as usize),
                group_thousands(*max as usize)
            ),
            DecodeError::FileTooLarge { len, max } => write!(
                f,
                "image file too large: {} bytes, limit {}",
                group_thousands(*len as usize),
                group_thousands(*max as usize)
            ),
            DecodeError::NotStructuredAppend => {
                write!(f, "no structured-append symbol among the codes to merge")
            }
            DecodeError::MixedMessages { first, other } => write!(
                f,
                "parts of different messages: {} parts with parity 0x{:02X}, then {} parts with parity 0x{:02X}",
                first.0, first.1, other.0, other.1
            ),
            DecodeError::MissingParts { count, missing } => {
                let list: Vec<String> = missing.iter().map(|i| (i + 1).to_string()).collect();
                write!(
                    f,
                    "incomplete message: part{} {} of {} not found",
                    if missing.len() == 1 { "" } else { "s" },
                    list.join(", "),
                    count
                )
            }
            DecodeError::ConflictingParts { index } => write!(
                f,
                "two different symbols claim to be part {} of the message",
                index + 1
            ),
            DecodeError::ParityMismatch { expected, actual } => write!(
                f,
                "parity mismatch: the parts carry 0x{expected:02X}, the merged data gives 0x{actual:02X}"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// `3112` -> `"3,112"`, for messages people read.
pub(crate) fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(956), "956");
        assert_eq!(group_thousands(3112), "3,112");
        assert_eq!(group_thousands(1234567), "1,234,567");
    }

    #[test]
    fn too_long_message_names_bits_and_capacity() {
        let e = EncodeError::DataTooLong {
            bits_needed: 3112,
            capacity_bits: 2956,
            version: Version::MAX,
            ec_level: EcLevel::L,
        };
        assert_eq!(
            e.to_string(),
            "data too long: needs 3,112 bits, version 40-L holds 2,956"
        );
    }
}
