//! Entry points for the fuzz targets (`fuzz/`) into stages that the public
//! API only reaches through an image: the bit-stream parser and the grid
//! decoder. Compiled only with the `fuzzing` feature; not part of the API.

use crate::decode::bitstream::{self, Dialect};
use crate::decode::grid::ModuleGrid;
use crate::decode::micro_rmqr::{decode_micro, decode_rmqr, RectGrid};
use crate::decode::qr::{decode_grid, decode_grid_any_format};
use crate::symbol::{MicroVersion, RmqrVersion, Version};

/// Parses `data` as the data codewords of a symbol, including the
/// conversion of the payload to text: `v % 3` picks QR Code (version
/// `1 + v / 3 % 40`), Micro QR (M1-M4) or rMQR (one of its 32 sizes), each
/// with its own mode indicators and count widths. Must never panic.
pub fn bitstream(v: u8, data: &[u8]) {
    let dialect = match v % 3 {
        0 => Version::new(1 + v / 3 % 40).ok().map(Dialect::Qr),
        1 => MicroVersion::new(1 + v / 3 % 4).ok().map(Dialect::Micro),
        _ => RmqrVersion::all()
            .nth(usize::from(v / 3) % 32)
            .map(Dialect::Rmqr),
    };
    if let Some(dialect) = dialect {
        let _ = bitstream::parse_dialect(data, data.len() * 8, dialect);
    }
}

/// Decodes a Micro QR (`v` even: M1-M4) or rMQR (`v` odd: one of the 32
/// sizes) module grid whose modules are the bits of `bits`, as [`grid`]
/// does for QR Code. Must never panic.
pub fn small_grid(v: u8, bits: &[u8]) {
    if bits.is_empty() {
        return;
    }
    let (w, h) = if v % 2 == 0 {
        let Ok(m) = MicroVersion::new(1 + v / 2 % 4) else {
            return;
        };
        (m.size(), m.size())
    } else {
        let Some(r) = RmqrVersion::all().nth(usize::from(v / 2) % 32) else {
            return;
        };
        (r.width(), r.height())
    };
    let total = bits.len() * 8;
    let grid = RectGrid::from_fn(w, h, |x, y| {
        let i = (y * w + x) % total;
        bits.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0)
    });
    if v % 2 == 0 {
        let _ = decode_micro(&grid);
    } else {
        let _ = decode_rmqr(&grid);
    }
}

/// Decodes a module grid of version `1 + v % 40` whose modules are the bits
/// of `bits` (most significant first, repeated to fill the grid), with the
/// format information read as found and then (versions 1-10) with every EC
/// level and mask.
/// Must never panic.
pub fn grid(v: u8, bits: &[u8]) {
    let Ok(version) = Version::new(1 + v % 40) else {
        return;
    };
    if bits.is_empty() {
        return;
    }
    let size = version.size();
    let total = bits.len() * 8;
    let grid = ModuleGrid::from_fn(size, |x, y| {
        let i = (y * size + x) % total;
        bits.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0)
    });
    let _ = decode_grid(&grid);
    // 64 decodes: small versions only, to keep the fuzzer's rate up.
    if version.number() <= 10 {
        let _ = decode_grid_any_format(&grid);
    }
}
