//! Checked value types shared by the encoder, the reader and the renderers:
//! error-correction level, version and mask (ISO/IEC 18004 clauses 5.3, 7.5,
//! 7.8), with the one spelling of each name that every front end parses.

use core::fmt;
use core::str::FromStr;

/// Error-correction level (ISO/IEC 18004 7.5.1), weakest first.
///
/// `L` recovers about 7 % of the codewords, `M` 15 %, `Q` 25 %, `H` 30 %.
/// The derived order follows strength, so `EcLevel::L < EcLevel::H`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EcLevel {
    /// About 7 % recovery.
    L,
    /// About 15 % recovery (the default).
    #[default]
    M,
    /// About 25 % recovery.
    Q,
    /// About 30 % recovery.
    H,
}

impl EcLevel {
    /// All levels, weakest first.
    pub const ALL: [EcLevel; 4] = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];

    /// Index 0..=3 in strength order (L=0, M=1, Q=2, H=3).
    pub(crate) const fn ordinal(self) -> usize {
        self as usize
    }

    /// The two format-information bits of ISO/IEC 18004 Table 12 (L=01, M=00, Q=11, H=10).
    pub(crate) const fn format_bits(self) -> u32 {
        match self {
            EcLevel::L => 1,
            EcLevel::M => 0,
            EcLevel::Q => 3,
            EcLevel::H => 2,
        }
    }

    /// The next stronger level, if any.
    pub(crate) const fn stronger(self) -> Option<EcLevel> {
        match self {
            EcLevel::L => Some(EcLevel::M),
            EcLevel::M => Some(EcLevel::Q),
            EcLevel::Q => Some(EcLevel::H),
            EcLevel::H => None,
        }
    }

    /// The level's letter, `'L'`, `'M'`, `'Q'` or `'H'`.
    pub const fn letter(self) -> char {
        match self {
            EcLevel::L => 'L',
            EcLevel::M => 'M',
            EcLevel::Q => 'Q',
            EcLevel::H => 'H',
        }
    }
}

impl fmt::Display for EcLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

impl FromStr for EcLevel {
    type Err = ValueError;
    /// Parses `L`, `M`, `Q` or `H` (either case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "L" | "l" => Ok(EcLevel::L),
            "M" | "m" => Ok(EcLevel::M),
            "Q" | "q" => Ok(EcLevel::Q),
            "H" | "h" => Ok(EcLevel::H),
            _ => Err(ValueError::EcLevel(s.chars().take(16).collect())),
        }
    }
}

/// A QR Code Model 2 version, 1 to 40 (ISO/IEC 18004 5.3.1); version `v` is
/// `17 + 4v` modules wide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(u8);

impl Version {
    /// The smallest version, 1 (21 x 21 modules).
    pub const MIN: Version = Version(1);
    /// The largest version, 40 (177 x 177 modules).
    pub const MAX: Version = Version(40);

    /// Checks that `n` is in 1..=40.
    pub const fn new(n: u8) -> Result<Version, ValueError> {
        if n >= 1 && n <= 40 {
            Ok(Version(n))
        } else {
            Err(ValueError::Version(n as u32))
        }
    }

    /// The version number, 1..=40.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// Side length in modules, `17 + 4 * version`.
    pub const fn size(self) -> usize {
        17 + 4 * self.0 as usize
    }

    /// The version whose symbol is `size` modules wide (`17 + 4v`), if any.
    pub(crate) fn from_size(size: usize) -> Option<Version> {
        let n = size.checked_sub(17)?;
        if n % 4 != 0 {
            return None;
        }
        u8::try_from(n / 4).ok().and_then(|n| Version::new(n).ok())
    }

    /// Whether the symbol has a grid of alignment patterns (more than one)
    /// and version information: versions 7 and up (ISO/IEC 18004 6.3.6,
    /// 6.3.10). Only then can a piecewise map be fitted through them.
    pub(crate) const fn has_alignment_grid(self) -> bool {
        self.0 >= 7
    }

    /// Index 0..=39, for tables.
    pub(crate) const fn index(self) -> usize {
        self.0 as usize - 1
    }

    /// Which character-count width class the version is in (ISO/IEC 18004
    /// Table 3): 0 for 1-9, 1 for 10-26, 2 for 27-40.
    pub(crate) const fn class(self) -> usize {
        if self.0 <= 9 {
            0
        } else if self.0 <= 26 {
            1
        } else {
            2
        }
    }

    /// The smallest version of a width class.
    pub(crate) const fn first_of_class(class: usize) -> Version {
        match class {
            0 => Version(1),
            1 => Version(10),
            _ => Version(27),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Version {
    type Err = ValueError;
    /// Parses a version number, `1` to `40`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().parse::<u32>() {
            Ok(n) if n <= 40 => Version::new(n as u8),
            Ok(n) => Err(ValueError::Version(n)),
            Err(_) => Err(ValueError::SymbolVersion(s.chars().take(16).collect())),
        }
    }
}

/// One of the eight data-mask patterns (ISO/IEC 18004 7.8.2, Table 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mask(u8);

impl Mask {
    /// Checks that `n` is in 0..=7.
    pub const fn new(n: u8) -> Result<Mask, ValueError> {
        if n <= 7 {
            Ok(Mask(n))
        } else {
            Err(ValueError::Mask(n as u32))
        }
    }

    /// The mask number, 0..=7.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// All eight masks in order.
    pub(crate) const ALL: [Mask; 8] = [
        Mask(0),
        Mask(1),
        Mask(2),
        Mask(3),
        Mask(4),
        Mask(5),
        Mask(6),
        Mask(7),
    ];

    /// Whether the mask inverts the module at column `x`, row `y`.
    pub(crate) const fn inverts(self, x: usize, y: usize) -> bool {
        match self.0 {
            0 => (x + y) % 2 == 0,
            1 => y % 2 == 0,
            2 => x % 3 == 0,
            3 => (x + y) % 3 == 0,
            4 => (x / 3 + y / 2) % 2 == 0,
            5 => (x * y) % 2 + (x * y) % 3 == 0,
            6 => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
            _ => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
        }
    }
}

impl fmt::Display for Mask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A data-encoding mode (ISO/IEC 18004 7.3, 7.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Digits `0-9`, 10 bits per 3 digits.
    Numeric,
    /// Digits, upper-case `A-Z` and ` $%*+-./:`, 11 bits per 2 characters.
    Alphanumeric,
    /// Any byte, 8 bits each.
    Byte,
    /// Shift JIS double-byte characters of JIS X 0208, 13 bits each.
    Kanji,
}

impl Mode {
    /// Position in the order numeric, alphanumeric, byte, Kanji, for tables.
    pub(crate) const fn index(self) -> usize {
        match self {
            Mode::Numeric => 0,
            Mode::Alphanumeric => 1,
            Mode::Byte => 2,
            Mode::Kanji => 3,
        }
    }

    /// Width of the character-count field for a version width class (Table 3).
    pub(crate) const fn count_bits(self, class: usize) -> u32 {
        let widths: [u32; 3] = match self {
            Mode::Numeric => [10, 12, 14],
            Mode::Alphanumeric => [9, 11, 13],
            Mode::Byte => [8, 16, 16],
            Mode::Kanji => [8, 10, 12],
        };
        widths[class]
    }

    /// Lower-case name, as used in JSON output: `numeric`, `alphanumeric`, `byte`, `kanji`.
    pub const fn name(self) -> &'static str {
        match self {
            Mode::Numeric => "numeric",
            Mode::Alphanumeric => "alphanumeric",
            Mode::Byte => "byte",
            Mode::Kanji => "kanji",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Micro QR Code version, M1 to M4 (ISO/IEC 18004 5.3.2); version `Mn` is
/// `9 + 2n` modules wide.
///
/// M1 holds digits only and detects errors without correcting them (its
/// [`EcLevel`] is reported as `L`); M2 allows L and M, M3 L and M, M4 L, M
/// and Q.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MicroVersion(u8);

impl MicroVersion {
    /// M1, 11 x 11 modules.
    pub const MIN: MicroVersion = MicroVersion(1);
    /// M4, 17 x 17 modules.
    pub const MAX: MicroVersion = MicroVersion(4);

    /// Checks that `n` is in 1..=4 (M1 to M4).
    pub const fn new(n: u8) -> Result<MicroVersion, ValueError> {
        if n >= 1 && n <= 4 {
            Ok(MicroVersion(n))
        } else {
            Err(ValueError::MicroVersion(n as u32))
        }
    }

    /// The version number, 1..=4.
    pub const fn number(self) -> u8 {
        self.0
    }

    /// Side length in modules, `9 + 2 * n`.
    pub const fn size(self) -> usize {
        9 + 2 * self.0 as usize
    }
}

impl fmt::Display for MicroVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "M{}", self.0)
    }
}

impl FromStr for MicroVersion {
    type Err = ValueError;
    /// Parses `M1`..`M4` (either case) or `1`..`4`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.strip_prefix(['M', 'm']).unwrap_or(s);
        match digits.parse::<u8>() {
            Ok(n) => MicroVersion::new(n),
            Err(_) => Err(ValueError::MicroVersion(u32::MAX)),
        }
    }
}

/// An rMQR version (ISO/IEC 23941 5.3): one of the 32 sizes `R7x43` to
/// `R17x139`, `height` 7 to 17 modules by `width` 27 to 139.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RmqrVersion(u8);

/// `(height, width)` of the 32 rMQR versions in the order of their version
/// indicator (ISO/IEC 23941 Table 1).
pub(crate) const RMQR_SIZES: [(u8, u8); 32] = [
    (7, 43),
    (7, 59),
    (7, 77),
    (7, 99),
    (7, 139),
    (9, 43),
    (9, 59),
    (9, 77),
    (9, 99),
    (9, 139),
    (11, 27),
    (11, 43),
    (11, 59),
    (11, 77),
    (11, 99),
    (11, 139),
    (13, 27),
    (13, 43),
    (13, 59),
    (13, 77),
    (13, 99),
    (13, 139),
    (15, 43),
    (15, 59),
    (15, 77),
    (15, 99),
    (15, 139),
    (17, 43),
    (17, 59),
    (17, 77),
    (17, 99),
    (17, 139),
];

impl RmqrVersion {
    /// The version of `height` x `width` modules, if there is one.
    pub fn new(height: u32, width: u32) -> Result<RmqrVersion, ValueError> {
        RMQR_SIZES
            .iter()
            .position(|&(h, w)| u32::from(h) == height && u32::from(w) == width)
            .map(|i| RmqrVersion(i as u8))
            .ok_or(ValueError::RmqrVersion { height, width })
    }

    /// All 32 versions in the order of their version indicator.
    pub fn all() -> impl Iterator<Item = RmqrVersion> {
        (0..32u8).map(RmqrVersion)
    }

    /// The 5-bit version indicator (0 for R7x43 .. 31 for R17x139).
    pub const fn indicator(self) -> u8 {
        self.0
    }

    /// Height in modules, 7 to 17.
    pub const fn height(self) -> usize {
        RMQR_SIZES[self.0 as usize].0 as usize
    }

    /// Width in modules, 27 to 139.
    pub const fn width(self) -> usize {
        RMQR_SIZES[self.0 as usize].1 as usize
    }
}

impl fmt::Display for RmqrVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R{}x{}", self.height(), self.width())
    }
}

impl FromStr for RmqrVersion {
    type Err = ValueError;
    /// Parses `R13x77` (either case; `x` or `X`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ValueError::RmqrVersion {
            height: 0,
            width: 0,
        };
        let rest = s.strip_prefix(['R', 'r']).ok_or_else(bad)?;
        let (h, w) = rest.split_once(['x', 'X']).ok_or_else(bad)?;
        match (h.parse::<u32>(), w.parse::<u32>()) {
            (Ok(h), Ok(w)) => RmqrVersion::new(h, w),
            _ => Err(bad()),
        }
    }
}

/// The size of a symbol of any of the three symbologies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SymbolVersion {
    /// QR Code version 1 to 40.
    Qr(Version),
    /// Micro QR Code M1 to M4.
    Micro(MicroVersion),
    /// rMQR `R7x43` to `R17x139`.
    Rmqr(RmqrVersion),
}

impl SymbolVersion {
    /// The version as one number for every symbology, the same in every front
    /// end: QR Code 1-40, Micro QR 1-4 (M1-M4), rMQR 1-32 (the place of its
    /// size in ISO/IEC 23941's table, `R7x43` = 1 to `R17x139` = 32, the
    /// version indicator plus one). [`Display`](fmt::Display) gives the name.
    ///
    /// ```
    /// use civiqr::{MicroVersion, SymbolVersion};
    /// assert_eq!(SymbolVersion::Micro(MicroVersion::new(3).unwrap()).number(), 3);
    /// ```
    pub const fn number(self) -> u8 {
        match self {
            SymbolVersion::Qr(v) => v.number(),
            SymbolVersion::Micro(v) => v.number(),
            SymbolVersion::Rmqr(v) => v.indicator() + 1,
        }
    }
}

impl fmt::Display for SymbolVersion {
    /// `7`, `M3` or `R13x77`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SymbolVersion::Qr(v) => v.fmt(f),
            SymbolVersion::Micro(v) => v.fmt(f),
            SymbolVersion::Rmqr(v) => v.fmt(f),
        }
    }
}

impl FromStr for SymbolVersion {
    type Err = ValueError;
    /// Parses what [`Display`](fmt::Display) writes: `7` (QR Code), `M3`
    /// (Micro QR) or `R13x77` (rMQR); letters in either case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.as_bytes().first() {
            Some(b'M' | b'm') => s.parse().map(SymbolVersion::Micro),
            Some(b'R' | b'r') => s.parse().map(SymbolVersion::Rmqr),
            _ => s.parse().map(SymbolVersion::Qr),
        }
    }
}

/// A value outside what the standards define: a version, mask, EC level or
/// symbology name that does not exist. `Display` says what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueError {
    /// A QR Code version number outside 1..=40.
    Version(u32),
    /// A mask number outside 0..=7.
    Mask(u32),
    /// An EC level that is not one of L, M, Q, H.
    EcLevel(String),
    /// A Micro QR version outside M1..=M4 (`u32::MAX` when it was not a number).
    MicroVersion(u32),
    /// No rMQR version has this size (0 x 0 when the text was not `RHxW`).
    RmqrVersion {
        /// Height asked for, in modules.
        height: u32,
        /// Width asked for, in modules.
        width: u32,
    },
    /// A symbology name that is not `qr`, `micro` or `rmqr`.
    Symbology(String),
    /// Text that is no symbol version (`7`, `M3`, `R13x77`).
    SymbolVersion(String),
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::Version(n) => write!(f, "invalid version {n}: must be 1 to 40"),
            ValueError::Mask(n) => write!(f, "invalid mask {n}: must be 0 to 7"),
            ValueError::EcLevel(s) => {
                write!(f, "invalid error-correction level {s:?}: must be L, M, Q or H")
            }
            ValueError::MicroVersion(u32::MAX) => {
                write!(f, "invalid Micro QR version: must be M1 to M4")
            }
            ValueError::MicroVersion(n) => {
                write!(f, "invalid Micro QR version M{n}: must be M1 to M4")
            }
            ValueError::RmqrVersion { height, width } => write!(
                f,
                "no rMQR version R{height}x{width}: heights are 7 to 17 (odd), widths 27, 43, 59, 77, 99 or 139"
            ),
            ValueError::Symbology(s) => {
                write!(f, "unknown symbology {s:?}: must be qr, micro or rmqr")
            }
            ValueError::SymbolVersion(s) => write!(
                f,
                "invalid symbol version {s:?}: must be 1 to 40, M1 to M4 or RHxW (e.g. R13x77)"
            ),
        }
    }
}

impl std::error::Error for ValueError {}
