//! The three symbologies and the structured-append header they may carry
//! (ISO/IEC 18004 clause 8), with the names every front end shares.

use core::fmt;
use core::str::FromStr;

use super::value::ValueError;

/// The kind of 2D symbol: QR Code, Micro QR or rMQR.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Symbology {
    /// QR Code Model 2 (ISO/IEC 18004); the default.
    #[default]
    Qr,
    /// Micro QR Code (ISO/IEC 18004).
    MicroQr,
    /// Rectangular Micro QR Code (ISO/IEC 23941).
    Rmqr,
}

impl Symbology {
    /// The name people use: `QR Code`, `Micro QR`, `rMQR`.
    pub const fn name(self) -> &'static str {
        match self {
            Symbology::Qr => "QR Code",
            Symbology::MicroQr => "Micro QR",
            Symbology::Rmqr => "rMQR",
        }
    }

    /// Short lower-case identifier, the one spelling every front end uses
    /// (CLI, JSON, Python, JavaScript): `qr`, `micro`, `rmqr`. [`FromStr`]
    /// parses it back.
    pub const fn id(self) -> &'static str {
        match self {
            Symbology::Qr => "qr",
            Symbology::MicroQr => "micro",
            Symbology::Rmqr => "rmqr",
        }
    }
}

/// The structured-append header of a symbol that is one part of a message
/// spread over up to 16 symbols (ISO/IEC 18004 clause 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StructuredAppend {
    /// This symbol's position in the sequence, from 0.
    pub index: u8,
    /// How many symbols the message has, 1 to 16.
    pub count: u8,
    /// XOR of every byte of the whole message; all parts carry the same
    /// value, which tells parts of different messages apart.
    pub parity: u8,
}

impl Symbology {
    /// All three symbologies, in the order readers search for them.
    pub const ALL: [Symbology; 3] = [Symbology::Qr, Symbology::MicroQr, Symbology::Rmqr];
}

impl fmt::Display for Symbology {
    /// The identifier, as [`Symbology::id`]: `qr`, `micro` or `rmqr`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Symbology {
    type Err = ValueError;
    /// Parses `qr`, `micro` or `rmqr` (any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Symbology::ALL
            .into_iter()
            .find(|sym| sym.id().eq_ignore_ascii_case(s))
            .ok_or_else(|| ValueError::Symbology(s.chars().take(16).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for sym in Symbology::ALL {
            assert_eq!(sym.to_string().parse::<Symbology>(), Ok(sym));
        }
        assert_eq!("MICRO".parse::<Symbology>(), Ok(Symbology::MicroQr));
        let err = "microqr".parse::<Symbology>().expect_err("not a name");
        assert_eq!(
            err.to_string(),
            "unknown symbology \"microqr\": must be qr, micro or rmqr"
        );
    }
}
