//! Decoding one QR Code symbol from its module grid (the ISO/IEC 18004
//! reference decode algorithm from the format information on): format
//! information, version, codewords, Reed-Solomon correction per block, and
//! the data bit stream.

use super::bitstream;
use super::codewords::RawStream;
use super::correct::{correct_blocks, misdecode_reserve};
use super::error::GridDecodeError;
use super::format::{format_candidates, read_version, version_from_size, FormatInfo};
use super::grid::ModuleGrid;
use super::result::SymbolContent;
use crate::symbol::{EcLevel, Mask, SymbolVersion};

/// Decodes a sampled grid into its content.
///
/// Format information is matched in normal and transposed reading order;
/// every plausible reading (within 3 bits) is tried, best first, and the
/// first that survives Reed-Solomon and parses wins, with `mirrored` set when
/// the grid had to be transposed. If all fail, the error of the best reading
/// is returned. Wrong data is never returned for damage beyond the code's
/// reach: each block is accepted only when its syndromes are zero.
pub(crate) fn decode_grid(grid: &ModuleGrid) -> Result<SymbolContent, GridDecodeError> {
    if version_from_size(grid.size()).is_none() {
        return Err(GridDecodeError::InvalidSize(grid.size()));
    }
    let candidates = format_candidates(grid);
    let mut transposed: Option<ModuleGrid> = None;
    // The codewords of each reading order, read once for all candidates.
    let mut streams: [Option<Result<RawStream, GridDecodeError>>; 2] = [None, None];
    let mut first_error = None;
    for candidate in candidates {
        let result = if candidate.model1 {
            let oriented: &ModuleGrid = if candidate.mirrored {
                transposed.get_or_insert_with(|| grid.transposed())
            } else {
                grid
            };
            super::model1::decode(oriented, candidate.info)
        } else {
            match streams[usize::from(candidate.mirrored)].get_or_insert_with(|| {
                let oriented: &ModuleGrid = if candidate.mirrored {
                    transposed.get_or_insert_with(|| grid.transposed())
                } else {
                    grid
                };
                read_version(oriented).map(|v| RawStream::read(oriented, v))
            }) {
                Ok(stream) => decode_oriented(stream, candidate.info),
                Err(e) => Err(e.clone()),
            }
        };
        match result {
            Ok(mut content) => {
                content.mirrored = candidate.mirrored;
                return Ok(content);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(GridDecodeError::FormatUnreadable))
}

/// Last resort for a grid known to be well located (its timing patterns read
/// right) whose format information is damaged beyond matching: tries every
/// EC level and mask, in both reading orders, that [`decode_grid`] did not.
///
/// Safe against misreads for the same reason as [`decode_grid`]: a wrong
/// level or mask turns the codewords into noise, which Reed-Solomon (with
/// its spare codewords) and the bit-stream parser reject. Costs up to 64
/// codeword reads, so callers keep it for grids worth it.
pub(crate) fn decode_grid_any_format(grid: &ModuleGrid) -> Result<SymbolContent, GridDecodeError> {
    if version_from_size(grid.size()).is_none() {
        return Err(GridDecodeError::InvalidSize(grid.size()));
    }
    let tried = format_candidates(grid);
    let transposed = grid.transposed();
    for (mirrored, oriented) in [(false, grid), (true, &transposed)] {
        let Ok(version) = read_version(oriented) else {
            continue;
        };
        let stream = RawStream::read(oriented, version);
        for ec_level in EcLevel::ALL {
            for mask in Mask::ALL {
                let info = FormatInfo { ec_level, mask };
                if tried
                    .iter()
                    .any(|c| c.info == info && c.mirrored == mirrored && !c.model1)
                {
                    continue;
                }
                if let Ok(mut content) = decode_oriented(&stream, info) {
                    content.mirrored = mirrored;
                    return Ok(content);
                }
            }
        }
    }
    Err(GridDecodeError::FormatUnreadable)
}

/// Decodes the codewords of a grid in normal orientation with known format
/// information.
fn decode_oriented(
    stream: &RawStream,
    format: FormatInfo,
) -> Result<SymbolContent, GridDecodeError> {
    let version = stream.version;
    let mut blocks = stream.blocks(format.ec_level, format.mask);
    let (data, corrected) =
        correct_blocks(&mut blocks, misdecode_reserve(version, format.ec_level))?;
    let payload = bitstream::parse(&data, version)?;
    let symbol = SymbolVersion::Qr(version);
    Ok(SymbolContent::from_payload(
        payload, version, symbol, format, corrected,
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::decode::bitstream::tests::Bits;
    use crate::decode::bitstream::{BitstreamError, DataMode, SegmentEntry};
    use crate::decode::codewords::BlockLayout;
    use crate::decode::correct::MIN_SPARE;
    use crate::decode::grid::{CERTAIN, UNKNOWN};
    use crate::gf256::rs_remainder;
    use crate::symbol::capacity::{data_capacity_bits, data_codewords, raw_data_modules};
    use crate::symbol::format::{format_info_bits, format_positions};
    use crate::symbol::qr::template;
    use crate::symbol::Version;
    use crate::{encode_bytes, encode_segments, encode_text, EncodeOptions, QrCode, Segment};
    use civiqr_testkit::Rng;

    fn v(n: u8) -> Version {
        Version::new(n).expect("version")
    }

    pub(crate) fn grid_of(code: &QrCode) -> ModuleGrid {
        ModuleGrid::from_fn(code.size(), |x, y| code.get(x, y))
    }

    /// A symbol from hand-made data codewords: EC added, interleaved,
    /// placed, masked, format drawn. For streams our encoder cannot write.
    fn build_grid(data: &[u8], v: Version, ec: EcLevel, mask: Mask) -> ModuleGrid {
        let layout = BlockLayout::new(v, ec);
        let mut blocks = Vec::new();
        let mut start = 0;
        for b in 0..layout.blocks {
            let len = layout.data_len(b);
            let mut block = data[start..start + len].to_vec();
            start += len;
            let mut ecw = vec![0u8; layout.ec_len];
            rs_remainder(&block, &mut ecw);
            block.extend_from_slice(&ecw);
            blocks.push(block);
        }
        let stream: Vec<u8> = layout
            .stream_order()
            .iter()
            .map(|&(b, i)| blocks[b][i])
            .collect();
        let t = template(v);
        let mut g = ModuleGrid::from_fn(v.size(), |x, y| t.base.get(x, y));
        for (k, &[x, y]) in t.data_pos.iter().enumerate() {
            let (x, y) = (usize::from(x), usize::from(y));
            let bit = stream
                .get(k / 8)
                .is_some_and(|cw| (cw >> (7 - k % 8)) & 1 != 0);
            g.set(x, y, bit ^ mask.inverts(x, y), CERTAIN);
        }
        let bits = format_info_bits(ec, mask);
        for (i, copies) in format_positions(v.size()).iter().enumerate() {
            for &(x, y) in copies {
                g.set(x, y, (bits >> i) & 1 != 0, CERTAIN);
            }
        }
        g
    }

    /// Which stream codewords belong to each block.
    fn block_members(v: Version, ec: EcLevel) -> Vec<Vec<usize>> {
        let layout = BlockLayout::new(v, ec);
        let mut members = vec![Vec::new(); layout.blocks];
        for (s, &(b, _)) in layout.stream_order().iter().enumerate() {
            members[b].push(s);
        }
        members
    }

    /// XORs stream codeword `s` of the grid with `pattern` (a non-zero byte),
    /// optionally marking its modules as unknown.
    fn damage(g: &mut ModuleGrid, v: Version, s: usize, pattern: u8, erase: bool) {
        let t = template(v);
        for bit in 0..8 {
            let [x, y] = t.data_pos[s * 8 + bit];
            let (x, y) = (usize::from(x), usize::from(y));
            let flip = (pattern >> (7 - bit)) & 1 != 0;
            let conf = if erase { UNKNOWN } else { g.confidence(x, y) };
            g.set(x, y, g.get(x, y) ^ flip, conf);
        }
    }

    /// Random bytes that fill a version's capacity in byte mode.
    fn filler(rng: &mut Rng, v: Version, ec: EcLevel) -> Vec<u8> {
        let count_bits = if v.number() <= 9 { 8 } else { 16 };
        let len = (data_capacity_bits(v, ec) - 4 - count_bits) / 8;
        (0..len).map(|_| rng.next_u64() as u8).collect()
    }

    fn options(n: u8, ec: EcLevel, mask: u8) -> EncodeOptions {
        EncodeOptions::default()
            .version(v(n))
            .ec_level(ec)
            .mask(Mask::new(mask).expect("mask"))
    }

    #[test]
    fn every_version_and_level_round_trips_full_symbols() {
        let mut rng = Rng::new(2024);
        let mut checked = 0;
        for n in 1..=40u8 {
            for ec in EcLevel::ALL {
                let mask = (n as usize * 4 + ec.ordinal()) % 8;
                let data = filler(&mut rng, v(n), ec);
                let code = encode_bytes(&data, &options(n, ec, mask as u8)).expect("encodes");
                let got = decode_grid(&grid_of(&code)).expect("decodes");
                assert_eq!(got.bytes, data, "{n}-{ec}");
                assert_eq!(
                    (got.version, got.ec_level, got.mask.number()),
                    (v(n), ec, mask as u8)
                );
                assert_eq!((got.corrected_codewords, got.mirrored), (0, false));
                checked += 1;
            }
        }
        assert_eq!(checked, 160);
    }

    #[test]
    fn symbols_from_an_independent_encoder_decode() {
        // qrcodegen shares no code with us: this guards against a layout or
        // interleaving mistake that our encoder and decoder might share.
        use qrcodegen::{QrCode as Nayuki, QrCodeEcc, QrSegment};
        let mut rng = Rng::new(0x5EED);
        for n in 1..=40u8 {
            for ec in EcLevel::ALL {
                let mask = (n as usize * 3 + ec.ordinal()) % 8;
                let mut data = filler(&mut rng, v(n), ec);
                data.truncate(data.len().saturating_sub(2)); // room for the ECI
                let ecc = [
                    QrCodeEcc::Low,
                    QrCodeEcc::Medium,
                    QrCodeEcc::Quartile,
                    QrCodeEcc::High,
                ][ec.ordinal()];
                let theirs = Nayuki::encode_segments_advanced(
                    &[QrSegment::make_eci(26), QrSegment::make_bytes(&data)],
                    ecc,
                    qrcodegen::Version::new(n),
                    qrcodegen::Version::new(n),
                    Some(qrcodegen::Mask::new(mask as u8)),
                    false,
                )
                .expect("fits");
                let size = theirs.size() as usize;
                let g = ModuleGrid::from_fn(size, |x, y| theirs.get_module(x as i32, y as i32));
                let got = decode_grid(&g).expect("decodes");
                assert_eq!(got.bytes, data, "{n}-{ec}");
                assert_eq!(got.eci, Some(26));
                assert_eq!(
                    (got.version, got.ec_level, usize::from(got.mask.number())),
                    (v(n), ec, mask)
                );
            }
        }
    }

    #[test]
    fn mixed_mode_text_round_trips_at_every_version() {
        let text =
            "HELLO WORLD ABCDEFGHIJKLMNOP 0123456789012345 mixed case ünïcödé 点茗点茗点茗 €";
        for n in 1..=40u8 {
            let ec = EcLevel::ALL[n as usize % 4];
            let opts = EncodeOptions::default().min_version(v(n)).ec_level(ec);
            let Ok(code) = encode_text(text, &opts) else {
                continue; // too long for the smallest versions
            };
            let got = decode_grid(&grid_of(&code)).expect("decodes");
            assert_eq!(got.text.as_deref(), Some(text), "version {n}");
            // The optimal split uses Kanji mode for 点茗 and numeric mode for
            // the digits: the parser saw every mode.
            for mode in [
                DataMode::Numeric,
                DataMode::Alphanumeric,
                DataMode::Byte,
                DataMode::Kanji,
            ] {
                assert!(
                    got.segments
                        .iter()
                        .any(|s| matches!(s, SegmentEntry::Data { mode: m, .. } if *m == mode)),
                    "version {n}: no {mode:?} segment"
                );
            }
            assert_eq!(got.version, code.version());
            assert_eq!(got.mask, code.mask());
        }
    }

    #[test]
    fn kanji_and_eci_segments_round_trip() {
        let segs = [
            Segment::eci(26).expect("eci"),
            Segment::bytes("Grüße ".as_bytes()),
            Segment::kanji("点茗").expect("kanji"),
            Segment::numeric("2024").expect("digits"),
            Segment::eci(3).expect("eci"),
            Segment::bytes(&[0xE9, 0x80]),
            Segment::alphanumeric(" AB-C").expect("alnum"),
        ];
        for ec in EcLevel::ALL {
            let code = encode_segments(&segs, &EncodeOptions::default().ec_level(ec)).expect("ok");
            let got = decode_grid(&grid_of(&code)).expect("decodes");
            let mut want = "Grüße ".as_bytes().to_vec();
            want.extend_from_slice(&[0x93, 0x5F, 0xE4, 0xAA]);
            want.extend_from_slice(b"2024\xE9\x80 AB-C");
            assert_eq!(got.bytes, want);
            assert_eq!(got.text.as_deref(), Some("Grüße 点茗2024é\u{80} AB-C"));
            assert_eq!(got.eci, Some(26));
            let eci_count = got
                .segments
                .iter()
                .filter(|s| matches!(s, SegmentEntry::Eci(_)))
                .count();
            assert_eq!(eci_count, 2);
        }
        // The encoder's own UTF-8 ECI option.
        let opts = EncodeOptions::default().eci_utf8(true);
        let code = encode_text("naïve 12345 ABC 点", &opts).expect("ok");
        let got = decode_grid(&grid_of(&code)).expect("decodes");
        assert_eq!(got.eci, Some(26));
        assert_eq!(got.text.as_deref(), Some("naïve 12345 ABC 点"));
        assert_eq!(got.bytes, "naïve 12345 ABC 点".as_bytes());
    }

    #[test]
    fn structured_append_and_fnc1_survive_a_whole_symbol() {
        let (version, ec) = (v(2), EcLevel::M);
        let data = Bits::default()
            .put(0b0011, 4)
            .put(1, 4)
            .put(2, 4)
            .put(0xA7, 8)
            .put(0b0101, 4)
            .byte_segment(b"01\x1D17")
            .finish(data_codewords(version, ec));
        let got = decode_grid(&build_grid(&data, version, ec, Mask::ALL[6])).expect("decodes");
        assert_eq!(got.structured_append, Some((1, 3, 0xA7)));
        assert!(got.is_gs1());
        assert_eq!(got.bytes, b"01\x1D17");
        assert_eq!(got.mask, Mask::ALL[6]);
    }

    #[test]
    fn errors_up_to_the_limit_are_corrected_and_one_more_is_refused() {
        let mut rng = Rng::new(77);
        for n in 1..=40u8 {
            for ec in EcLevel::ALL {
                let data = filler(&mut rng, v(n), ec);
                let code = encode_bytes(&data, &options(n, ec, n % 8)).expect("encodes");
                let clean = grid_of(&code);
                let layout = BlockLayout::new(v(n), ec);
                let limit = (layout.ec_len - misdecode_reserve(v(n), ec)) / 2;
                let members = block_members(v(n), ec);
                let mut g = clean.clone();
                let mut flipped = 0;
                let mut picked = Vec::new();
                for m in &members {
                    let chosen = rng.distinct(limit, m.len());
                    for &i in &chosen {
                        damage(&mut g, v(n), m[i], 1 + rng.below(255) as u8, false);
                        flipped += 1;
                    }
                    picked.push(chosen);
                }
                let got = decode_grid(&g).expect("correctable");
                assert_eq!(got.bytes, data, "{n}-{ec}");
                assert_eq!(got.corrected_codewords, flipped, "{n}-{ec}");
                // One more error in one block: refused, never wrong data.
                let b = rng.below(members.len());
                let untouched = (0..members[b].len())
                    .find(|i| !picked[b].contains(i))
                    .map(|i| members[b][i])
                    .expect("an undamaged codeword");
                damage(&mut g, v(n), untouched, 0xFF, false);
                assert_eq!(
                    decode_grid(&g),
                    Err(GridDecodeError::Uncorrectable {
                        block: b,
                        blocks: members.len()
                    }),
                    "{n}-{ec}"
                );
            }
        }
    }

    #[test]
    fn erasures_extend_correction_beyond_errors_only() {
        let mut rng = Rng::new(4242);
        for n in 1..=40u8 {
            for ec in EcLevel::ALL {
                let data = filler(&mut rng, v(n), ec);
                let code = encode_bytes(&data, &options(n, ec, (n + 3) % 8)).expect("encodes");
                let layout = BlockLayout::new(v(n), ec);
                let reserve = misdecode_reserve(v(n), ec);
                let erasable = layout.ec_len - reserve.max(MIN_SPARE);
                assert!(erasable > (layout.ec_len - reserve) / 2, "{n}-{ec}");
                let mut g = grid_of(&code);
                for m in block_members(v(n), ec) {
                    for i in rng.distinct(erasable, m.len()) {
                        damage(&mut g, v(n), m[i], 1 + rng.below(255) as u8, true);
                    }
                }
                let got = decode_grid(&g).expect("erasures correct it");
                assert_eq!(got.bytes, data, "{n}-{ec}");
                assert!(got.corrected_codewords > 0);
            }
        }
    }

    #[test]
    fn erasures_and_errors_together() {
        // 5-H: 4 blocks of 22 EC codewords. With MIN_SPARE held back for
        // verification, 10 erasures + 4 errors (2*4 + 10 = 18 = 22 - 4) are
        // corrected; 10 erasures + 6 errors would use the spare codewords
        // too, leaving nothing to check the answer, so they are refused.
        let (n, ec) = (5u8, EcLevel::H);
        for (errors, ok) in [(4usize, true), (6, false)] {
            let mut rng = Rng::new(9);
            let data = filler(&mut rng, v(n), ec);
            let code = encode_bytes(&data, &options(n, ec, 1)).expect("encodes");
            let mut g = grid_of(&code);
            for m in block_members(v(n), ec) {
                let picked = rng.distinct(10 + errors, m.len());
                for (k, &i) in picked.iter().enumerate() {
                    damage(&mut g, v(n), m[i], 0x81, k < 10);
                }
            }
            match decode_grid(&g) {
                Ok(got) => {
                    assert!(ok, "{errors} errors must be refused");
                    assert_eq!(got.bytes, data);
                    assert_eq!(got.corrected_codewords, 4 * (10 + errors));
                }
                Err(e) => {
                    assert!(!ok, "{errors} errors: {e}");
                    assert!(matches!(e, GridDecodeError::Uncorrectable { .. }));
                }
            }
        }
    }

    /// Every data module in the square `from..to` (both axes) set to one
    /// colour, sampled with full confidence: a sticker or a blot of mud.
    fn blot(g: &mut ModuleGrid, v: Version, from: usize, to: usize, dark: bool) {
        for &[x, y] in &template(v).data_pos {
            let (x, y) = (usize::from(x), usize::from(y));
            if (from..to).contains(&x) && (from..to).contains(&y) {
                g.set(x, y, dark, CERTAIN);
            }
        }
    }

    /// Version 2 at level H (mask 5) full of random bytes: one block of 16
    /// data and 28 EC codewords. Errors alone correct 14 of them, erasures
    /// (holding MIN_SPARE back) 24.
    const BLOTTED: (u8, EcLevel, u8) = (2, EcLevel::H, 5);

    fn blotted_symbol() -> (Vec<u8>, ModuleGrid) {
        let (n, ec, mask) = BLOTTED;
        let data = filler(&mut Rng::new(77), v(n), ec);
        let code = encode_bytes(&data, &options(n, ec, mask)).expect("encodes");
        (data, grid_of(&code))
    }

    #[test]
    fn a_blot_over_the_data_reads_through_erasures() {
        // A blot of 10 x 10 modules, dark or light, read with full
        // confidence, spoils more codewords than errors alone correct: they
        // must be taken as erasures.
        let (n, ec, mask) = BLOTTED;
        let mask = Mask::new(mask).expect("mask");
        let (data, clean) = blotted_symbol();
        let (before, _) = crate::decode::codewords::read_stream(&clean, v(n), mask);
        let ec_len = BlockLayout::new(v(n), ec).ec_len;
        for dark in [true, false] {
            let mut g = clean.clone();
            blot(&mut g, v(n), 8, 18, dark);
            let (after, _) = crate::decode::codewords::read_stream(&g, v(n), mask);
            let wrong = before.iter().zip(&after).filter(|(a, b)| a != b).count();
            assert!(
                wrong > ec_len / 2 && wrong <= ec_len - MIN_SPARE,
                "dark {dark}: {wrong} wrong"
            );
            let got = decode_grid(&g).expect("the blot's codewords are erasures");
            assert_eq!(got.bytes, data, "dark {dark}");
            assert!(got.corrected_codewords >= wrong);
        }
    }

    #[test]
    fn a_blot_past_what_erasures_correct_is_refused() {
        // The same symbol under a blot of 15 x 15 modules: more codewords
        // than even erasures correct, and the check codewords say so.
        let (_, clean) = blotted_symbol();
        for dark in [true, false] {
            let mut g = clean.clone();
            blot(&mut g, v(BLOTTED.0), 5, 20, dark);
            assert!(matches!(
                decode_grid(&g),
                Err(GridDecodeError::Uncorrectable { .. })
            ));
        }
    }

    #[test]
    fn low_confidence_without_damage_does_not_hurt() {
        let code = encode_text("https://example.org/banc-0042", &EncodeOptions::default())
            .expect("encodes");
        let mut g = grid_of(&code);
        // Half the modules "uncertain" but right: nothing needs fixing.
        for y in 0..g.size() {
            for x in 0..g.size() {
                if (x + y) % 2 == 0 {
                    g.set(x, y, g.get(x, y), 5);
                }
            }
        }
        let got = decode_grid(&g).expect("decodes");
        assert_eq!(got.text.as_deref(), Some("https://example.org/banc-0042"));
        assert_eq!(got.corrected_codewords, 0);
    }

    #[test]
    fn mirrored_symbols_decode_transposed() {
        let mut rng = Rng::new(31);
        for n in [1u8, 2, 6, 7, 13, 27, 40] {
            for ec in EcLevel::ALL {
                let data = filler(&mut rng, v(n), ec);
                let code = encode_bytes(&data, &options(n, ec, n % 8)).expect("encodes");
                let got = decode_grid(&grid_of(&code).transposed()).expect("decodes");
                assert!(got.mirrored, "{n}-{ec}");
                assert_eq!(got.bytes, data);
                assert_eq!((got.version, got.ec_level), (v(n), ec));
                let normal = decode_grid(&grid_of(&code)).expect("decodes");
                assert!(!normal.mirrored);
            }
        }
    }

    #[test]
    fn damaged_format_copy_falls_back_to_the_other() {
        let code = encode_text("FORMAT", &options(3, EcLevel::Q, 5)).expect("encodes");
        let mut g = grid_of(&code);
        // Wreck copy 1 to read as another codeword exactly (L, mask 2).
        let other = format_info_bits(EcLevel::L, Mask::ALL[2]);
        for (i, copies) in format_positions(g.size()).iter().enumerate() {
            let (x, y) = copies[0];
            g.set(x, y, (other >> i) & 1 != 0, CERTAIN);
        }
        let got = decode_grid(&g).expect("the second copy's reading is tried");
        assert_eq!(got.bytes, b"FORMAT");
        assert_eq!((got.ec_level, got.mask.number()), (EcLevel::Q, 5));
        // Both copies unreadable.
        let mut blank = grid_of(&code);
        for copies in format_positions(blank.size()) {
            for (x, y) in copies {
                blank.set(x, y, false, CERTAIN);
            }
        }
        // All-light format areas may match nothing or a wrong codeword; either
        // way no data comes out.
        assert!(decode_grid(&blank).is_err());
    }

    #[test]
    fn sizes_and_versions_are_checked() {
        assert_eq!(
            decode_grid(&ModuleGrid::new(22)),
            Err(GridDecodeError::InvalidSize(22))
        );
        for size in [0, 1, 178, 181, usize::MAX] {
            assert_eq!(
                decode_grid(&ModuleGrid::new(size)),
                Err(GridDecodeError::InvalidSize(size))
            );
        }
        // Blank format areas read as M/0 written without its mask, which
        // then fails Reed-Solomon: an error either way.
        assert!(decode_grid(&ModuleGrid::new(21)).is_err());
        // Format areas far from every codeword in every reading.
        let code = encode_text("NO FORMAT", &options(2, EcLevel::L, 4)).expect("encodes");
        let unreadable = (0..1u32 << 15)
            .map(|w| {
                let mut g = grid_of(&code);
                for (i, copies) in format_positions(g.size()).iter().enumerate() {
                    for &(x, y) in copies {
                        g.set(x, y, (w >> i) & 1 != 0, CERTAIN);
                    }
                }
                g
            })
            .find(|g| crate::decode::format::format_candidates(g).is_empty())
            .expect("some word matches nothing");
        assert_eq!(
            decode_grid(&unreadable),
            Err(GridDecodeError::FormatUnreadable)
        );
        // Version 9's information in a version-8 symbol.
        let code = encode_text("VERSION", &options(8, EcLevel::M, 0)).expect("encodes");
        let mut g = grid_of(&code);
        let nine = crate::symbol::format::version_info_bits(v(9));
        let size = g.size();
        for i in 0..18 {
            let (a, b) = (size - 11 + i % 3, i / 3);
            g.set(a, b, (nine >> i) & 1 != 0, CERTAIN);
            g.set(b, a, (nine >> i) & 1 != 0, CERTAIN);
        }
        assert_eq!(
            decode_grid(&g),
            Err(GridDecodeError::VersionMismatch {
                from_size: 8,
                from_info: 9
            })
        );
        for e in [
            GridDecodeError::InvalidSize(3),
            GridDecodeError::FormatUnreadable,
            GridDecodeError::Uncorrectable {
                block: 0,
                blocks: 2,
            },
            GridDecodeError::Bitstream(BitstreamError::UnknownMode(6)),
        ] {
            let s = e.to_string();
            assert!(s.chars().next().is_some_and(|c| c.is_lowercase()), "{s}");
        }
    }

    #[test]
    fn random_grids_never_panic() {
        let mut rng = Rng::new(0xDEC0DE);
        let mut decoded = 0;
        for round in 0..3000 {
            let g = match round % 3 {
                // Any size, any modules, any confidences.
                0 => {
                    let size = rng.below(200);
                    let mut g = ModuleGrid::new(size);
                    for y in 0..size {
                        for x in 0..size {
                            g.set(x, y, rng.next_u64() & 1 != 0, rng.next_u64() as u8);
                        }
                    }
                    g
                }
                // A valid symbol frame around random (unchecked) codewords.
                1 => {
                    let n = 1 + rng.below(10) as u8;
                    let ec = EcLevel::ALL[rng.below(4)];
                    let raw = raw_data_modules(v(n)) / 8;
                    let data: Vec<u8> = (0..raw).map(|_| rng.next_u64() as u8).collect();
                    let mut g = build_grid(&data, v(n), ec, Mask::ALL[rng.below(8)]);
                    for _ in 0..rng.below(40) {
                        let (x, y) = (rng.below(g.size()), rng.below(g.size()));
                        g.set(x, y, rng.next_u64() & 1 != 0, rng.next_u64() as u8);
                    }
                    g
                }
                // Random data codewords with valid EC: the bit stream parser
                // sees arbitrary input behind a passing Reed-Solomon check.
                _ => {
                    let n = 1 + rng.below(12) as u8;
                    let ec = EcLevel::ALL[rng.below(4)];
                    let len = data_codewords(v(n), ec);
                    let mut data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
                    if let Some(first) = data.first_mut() {
                        *first = (*first & 0x0F) | [0x10, 0x20, 0x40, 0x80, 0x70, 0x30][round % 6];
                    }
                    build_grid(&data, v(n), ec, Mask::ALL[rng.below(8)])
                }
            };
            if let Ok(content) = decode_grid(&g) {
                decoded += 1;
                assert_eq!(content.version.size(), g.size());
            }
        }
        assert!(decoded > 0, "some framed random streams should parse");
    }
}
