//! The back half of the Micro QR (ISO/IEC 18004) and rMQR (ISO/IEC 23941)
//! readers: from a sampled rectangular module grid to the payload: format
//! information, unmasking, codewords (de-interleaved for rMQR),
//! Reed-Solomon, the data stream.

use super::bitstream::{self, Dialect};
use super::format::FormatInfo;
use super::result::SymbolContent;
use crate::gf256::rs_correct;
use crate::symbol::matrix::Layout;
use crate::symbol::{micro, rmqr};
use crate::symbol::{EcLevel, Mask, MicroVersion, RmqrVersion, SymbolVersion, Version};

/// A sampled `width` x `height` grid, row-major, `true` for dark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RectGrid {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) dark: Vec<bool>,
}

impl RectGrid {
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn from_fn(
        width: usize,
        height: usize,
        dark: impl Fn(usize, usize) -> bool,
    ) -> Self {
        let mut cells = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                cells.push(dark(x, y));
            }
        }
        RectGrid {
            width,
            height,
            dark: cells,
        }
    }

    #[inline]
    fn get(&self, x: usize, y: usize) -> bool {
        self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }
}

/// Format readings within this many bits of a valid codeword are tried.
const MAX_FORMAT_DISTANCE: u32 = 3;

/// EC codewords Micro QR reserves for misdecode protection (Table 9's `p`):
/// M1 only detects errors.
pub(crate) fn micro_reserve(v: MicroVersion, ec: EcLevel) -> usize {
    match (v.number(), ec) {
        (1, _) => 2,
        (2, EcLevel::L) => 3,
        (2, _) | (3, EcLevel::L) | (4, EcLevel::L) => 2,
        _ => 0,
    }
}

/// Decodes a Micro QR grid (11 to 17 modules square), in normal reading
/// order or transposed (a mirrored symbol).
pub(crate) fn decode_micro(grid: &RectGrid) -> Option<SymbolContent> {
    if grid.width != grid.height || !(11..=17).contains(&grid.width) || grid.width % 2 == 0 {
        return None;
    }
    let v = MicroVersion::new(((grid.width - 9) / 2) as u8).ok()?;
    let layout = micro::layout(v);
    for mirrored in [false, true] {
        let at = |x: usize, y: usize| {
            if mirrored {
                grid.get(y, x)
            } else {
                grid.get(x, y)
            }
        };
        let mut bits = 0u32;
        for i in 0..15 {
            let (x, y) = micro::format_position(i);
            bits |= u32::from(at(x, y)) << i;
        }
        let mut candidates: Vec<(u32, u32, u8)> = Vec::new();
        for number in 0..8u32 {
            let (fv, _) = micro::from_symbol_number(number);
            if fv != v {
                continue;
            }
            for mask in 0..4u8 {
                let d = (micro::format_bits(number, mask) ^ bits).count_ones();
                if d <= MAX_FORMAT_DISTANCE {
                    candidates.push((d, number, mask));
                }
            }
        }
        candidates.sort_unstable();
        for (_, number, mask) in candidates {
            let (_, ec) = micro::from_symbol_number(number);
            if let Some(mut content) = decode_micro_with(layout, v, ec, mask, &at) {
                content.mirrored = mirrored;
                return Some(content);
            }
        }
    }
    None
}

fn decode_micro_with(
    layout: &Layout,
    v: MicroVersion,
    ec: EcLevel,
    mask: u8,
    at: &impl Fn(usize, usize) -> bool,
) -> Option<SymbolContent> {
    let cap = micro::capacity(v, ec)?;
    let half = micro::half_codeword(v, ec);
    let total = cap.data_codewords + cap.ec_codewords;
    let mut codewords = vec![0u8; total];
    let mut positions = layout.data_pos.iter();
    for (i, cw) in codewords.iter_mut().enumerate() {
        let n = if Some(i) == half { 4 } else { 8 };
        for b in 0..n {
            let &(x, y) = positions.next()?;
            let (x, y) = (x as usize, y as usize);
            let bit = at(x, y) ^ micro::mask_inverts(mask, x, y);
            *cw |= u8::from(bit) << (7 - b);
        }
    }
    let corrected = rs_correct(&mut codewords, cap.ec_codewords, &[], micro_reserve(v, ec)).ok()?;
    let data = &codewords[..cap.data_codewords];
    let payload = bitstream::parse_dialect(data, cap.data_bits, Dialect::Micro(v)).ok()?;
    Some(content(
        payload,
        SymbolVersion::Micro(v),
        ec,
        Mask::ALL[mask as usize],
        corrected,
    ))
}

/// Decodes an rMQR grid of one of the 32 sizes. The two copies of the
/// format information are matched separately; the version they name must
/// be the grid's size.
pub(crate) fn decode_rmqr(grid: &RectGrid) -> Option<SymbolContent> {
    let v = RmqrVersion::new(grid.height as u32, grid.width as u32).ok()?;
    let (w, h) = (grid.width, grid.height);
    let mut finder = 0u32;
    let mut sub = 0u32;
    for i in 0..18 {
        let (x, y) = rmqr::format_position_finder(i);
        finder |= u32::from(grid.get(x, y)) << i;
        let (x, y) = rmqr::format_position_sub(i, w, h);
        sub |= u32::from(grid.get(x, y)) << i;
    }
    finder ^= rmqr::FORMAT_MASK_FINDER;
    sub ^= rmqr::FORMAT_MASK_SUB;
    let mut candidates: Vec<(u32, EcLevel)> = Vec::new();
    for ec in [EcLevel::M, EcLevel::H] {
        let want = rmqr::format_bits(v, ec);
        let d = (want ^ finder).count_ones().min((want ^ sub).count_ones());
        if d <= MAX_FORMAT_DISTANCE {
            candidates.push((d, ec));
        }
    }
    candidates.sort_unstable_by_key(|c| c.0);
    let layout = rmqr::layout(v);
    for (_, ec) in candidates {
        if let Some(c) = decode_rmqr_with(layout, v, ec, grid) {
            return Some(c);
        }
    }
    None
}

fn decode_rmqr_with(
    layout: &Layout,
    v: RmqrVersion,
    ec: EcLevel,
    grid: &RectGrid,
) -> Option<SymbolContent> {
    let cap = rmqr::capacity(v, ec)?;
    let mut stream = vec![0u8; cap.total_codewords];
    for (k, &(x, y)) in layout
        .data_pos
        .iter()
        .enumerate()
        .take(cap.total_codewords * 8)
    {
        let (x, y) = (x as usize, y as usize);
        let bit = grid.get(x, y) ^ rmqr::mask_inverts(x, y);
        stream[k / 8] |= u8::from(bit) << (7 - k % 8);
    }
    let order = rmqr::stream_order(&cap);
    let lens: Vec<usize> = (0..cap.blocks)
        .map(|b| rmqr::block_data_len(&cap, b))
        .collect();
    let mut per_block: Vec<Vec<u8>> = lens
        .iter()
        .map(|&l| vec![0; l + cap.ec_per_block])
        .collect();
    for (&(b, i), &cw) in order.iter().zip(&stream) {
        *per_block.get_mut(b)?.get_mut(i)? = cw;
    }
    let mut data = Vec::with_capacity(cap.data_codewords);
    let mut corrected = 0;
    for (b, block) in per_block.iter_mut().enumerate() {
        corrected += rs_correct(block, cap.ec_per_block, &[], 0).ok()?;
        data.extend_from_slice(&block[..lens[b]]);
    }
    let payload = bitstream::parse_dialect(&data, cap.data_codewords * 8, Dialect::Rmqr(v)).ok()?;
    Some(content(
        payload,
        SymbolVersion::Rmqr(v),
        ec,
        Mask::ALL[0],
        corrected,
    ))
}

fn content(
    payload: bitstream::Payload,
    symbol: SymbolVersion,
    ec_level: EcLevel,
    mask: Mask,
    corrected: usize,
) -> SymbolContent {
    SymbolContent::from_payload(
        payload,
        Version::MIN,
        symbol,
        FormatInfo { ec_level, mask },
        corrected,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbol::Symbology;
    use crate::{encode_text, EncodeOptions};

    fn grid_of(code: &crate::QrCode) -> RectGrid {
        RectGrid::from_fn(code.width(), code.height(), |x, y| code.get(x, y))
    }

    #[test]
    fn every_micro_size_and_level_round_trips() {
        for n in 1..=4 {
            let v = MicroVersion::new(n).expect("v");
            for ec in [EcLevel::L, EcLevel::M, EcLevel::Q] {
                let opts = EncodeOptions::default()
                    .symbology(Symbology::MicroQr)
                    .micro_version(v)
                    .ec_level(ec);
                for text in ["1", "12345", "AB-12", "hello", "点茗"] {
                    let Ok(code) = encode_text(text, &opts) else {
                        continue;
                    };
                    let got = decode_micro(&grid_of(&code)).expect("decodes");
                    assert_eq!(got.text.as_deref(), Some(text), "M{n}-{ec}");
                    assert_eq!(got.symbol, SymbolVersion::Micro(v));
                    assert_eq!(got.ec_level, ec);
                    // Mirrored: the transposed grid.
                    let t = grid_of(&code);
                    let mirrored = RectGrid::from_fn(t.width, t.height, |x, y| t.get(y, x));
                    let m = decode_micro(&mirrored).expect("mirrored decodes");
                    assert!(m.mirrored);
                    assert_eq!(m.text.as_deref(), Some(text));
                }
            }
        }
    }

    #[test]
    fn every_rmqr_size_and_level_round_trips_with_damage() {
        for v in RmqrVersion::all() {
            for ec in [EcLevel::M, EcLevel::H] {
                let opts = EncodeOptions::default()
                    .symbology(Symbology::Rmqr)
                    .rmqr_version(v)
                    .ec_level(ec);
                let code = encode_text("R1", &opts).expect("fits");
                let mut grid = grid_of(&code);
                assert_eq!(
                    decode_rmqr(&grid).and_then(|c| c.text).as_deref(),
                    Some("R1")
                );
                // Flip one data module: corrected.
                let (x, y) = rmqr::layout(v).data_pos[3];
                let i = y as usize * grid.width + x as usize;
                grid.dark[i] = !grid.dark[i];
                let c = decode_rmqr(&grid).expect("corrects");
                assert_eq!(
                    (c.text.as_deref(), c.corrected_codewords),
                    (Some("R1"), 1),
                    "{v}-{ec}"
                );
            }
        }
    }
}
