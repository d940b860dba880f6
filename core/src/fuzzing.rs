//! Entry points for the fuzz targets (`fuzz/`) into stages that the public
//! API only reaches through an image: the bit-stream parser and the grid
//! decoder. Compiled only with the `fuzzing` feature; not part of the API.

use crate::decode::bitstream;
use crate::decode::grid::ModuleGrid;
use crate::decode::symbol::{decode_grid, decode_grid_any_format};
use crate::types::Version;

/// Parses `data` as the data codewords of a symbol of version `1 + v % 40`,
/// including the conversion of the payload to text. Must never panic.
pub fn bitstream(v: u8, data: &[u8]) {
    let Ok(version) = Version::new(1 + v % 40) else {
        return;
    };
    let _ = bitstream::parse(data, version);
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
