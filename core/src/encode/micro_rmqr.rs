//! The Micro QR (ISO/IEC 18004 clause 7 for Micro QR) and rMQR (ISO/IEC
//! 23941 clause 7) writers: size choice, data codewords, Reed-Solomon blocks,
//! placement, masking (Micro QR: the edge-count evaluation of 7.8.3.2) and
//! format information.

use crate::code::{QrCode, SegmentInfo};
use crate::error::EncodeError;
use crate::gf256::rs_remainder;
use crate::symbol::matrix::{place_bits, Layout};
use crate::symbol::Symbology;
use crate::symbol::{micro, rmqr};
use crate::symbol::{EcLevel, Mask, MicroVersion, RmqrVersion, SymbolVersion};

use super::optimize;
use super::segment::{BitBuffer, Segment, SegmentKind};
use super::{EncodeOptions, Plan};
use crate::symbol::header::Header;

/// A candidate size of a small symbology.
#[derive(Clone, Copy, Debug)]
enum Size {
    Micro(MicroVersion),
    Rmqr(RmqrVersion),
}

impl Size {
    fn header(self) -> Header {
        match self {
            Size::Micro(v) => micro::header(v),
            Size::Rmqr(v) => rmqr::header(v),
        }
    }

    /// Data bits at `ec`, or `None` if the size has no such level.
    fn data_bits(self, ec: EcLevel) -> Option<usize> {
        match self {
            Size::Micro(v) => micro::capacity(v, ec).map(|c| c.data_bits),
            Size::Rmqr(v) => rmqr::capacity(v, ec).map(|c| c.data_codewords * 8),
        }
    }

    fn terminator(self) -> u32 {
        match self {
            Size::Micro(v) => micro::terminator_bits(v),
            Size::Rmqr(_) => rmqr::TERMINATOR_BITS,
        }
    }

    fn label(self, ec: EcLevel) -> String {
        match self {
            Size::Micro(v) if v.number() == 1 => "M1".to_string(),
            Size::Micro(v) => format!("{v}-{ec}"),
            Size::Rmqr(v) => format!("{v}-{ec}"),
        }
    }
}

/// The sizes to try, smallest first, after checking the EC level and the
/// options that only some symbologies have.
fn candidates(symbology: Symbology, options: &EncodeOptions) -> Result<Vec<Size>, EncodeError> {
    let ec = options.ec_level;
    let unsupported = |ec_level| EncodeError::UnsupportedEcLevel {
        symbology,
        ec_level,
    };
    match symbology {
        Symbology::MicroQr => {
            if let Some(m) = options.mask {
                if m.number() > 3 {
                    return Err(EncodeError::Unsupported {
                        symbology,
                        feature: "masks 4 to 7 (it has masks 0 to 3)",
                    });
                }
            }
            let sizes: Vec<Size> = match options.micro_version {
                Some(v) => {
                    if micro::capacity(v, ec).is_none() {
                        return Err(EncodeError::UnsupportedMicroEcLevel {
                            version: v,
                            ec_level: ec,
                        });
                    }
                    vec![Size::Micro(v)]
                }
                None => (1..=4)
                    .filter_map(|n| MicroVersion::new(n).ok())
                    .filter(|&v| micro::capacity(v, ec).is_some())
                    .map(Size::Micro)
                    .collect(),
            };
            if sizes.is_empty() {
                return Err(unsupported(ec));
            }
            Ok(sizes)
        }
        _ => {
            if !matches!(ec, EcLevel::M | EcLevel::H) {
                return Err(unsupported(ec));
            }
            if options.mask.is_some() {
                return Err(EncodeError::Unsupported {
                    symbology,
                    feature: "a choice of mask (it has one)",
                });
            }
            let mut sizes: Vec<RmqrVersion> = match options.rmqr_version {
                Some(v) => vec![v],
                None => RmqrVersion::all()
                    .filter(|v| options.max_height.is_none_or(|h| v.height() <= h as usize))
                    .filter(|v| options.max_width.is_none_or(|w| v.width() <= w as usize))
                    .collect(),
            };
            if sizes.is_empty() {
                return Err(EncodeError::NoRmqrSize {
                    max_height: options.max_height,
                    max_width: options.max_width,
                });
            }
            // Smallest area first; the lower of two equal areas first.
            sizes.sort_unstable_by_key(|v| (v.width() * v.height(), v.height()));
            Ok(sizes.into_iter().map(Size::Rmqr).collect())
        }
    }
}

/// Encodes for Micro QR or rMQR: the smallest allowed size that holds the
/// data, segmented optimally for each size's header widths.
pub(super) fn encode(
    symbology: Symbology,
    prefix: &[Segment],
    plan: Plan<'_>,
    options: &EncodeOptions,
) -> Result<QrCode, EncodeError> {
    if symbology == Symbology::MicroQr && !prefix.is_empty() {
        return Err(EncodeError::Unsupported {
            symbology,
            feature: "ECI designators",
        });
    }
    if let Plan::Fixed(segs) = &plan {
        if segs.iter().any(|s| matches!(s.kind, SegmentKind::Eci(_)))
            && symbology == Symbology::MicroQr
        {
            return Err(EncodeError::Unsupported {
                symbology,
                feature: "ECI designators",
            });
        }
    }
    let ec = options.ec_level;
    let sizes = candidates(symbology, options)?;
    let mut last = (0usize, 0usize, String::new());
    for &size in &sizes {
        let h = size.header();
        let segs = match &plan {
            Plan::Fixed(s) => s.clone(),
            Plan::Optimal { input, chars } => match optimize::optimal_modes(chars, h) {
                Some(modes) => optimize::make_segments(input, chars, &modes),
                None => {
                    last = (0, size.data_bits(ec).unwrap_or(0), size.label(ec));
                    continue;
                }
            },
        };
        let capacity = size.data_bits(ec).unwrap_or(0);
        let carried = segs.iter().all(|s| s.mode().is_none_or(|m| h.allows(m)));
        let bits: usize = prefix.iter().chain(&segs).map(|s| s.bit_len(h)).sum();
        if !carried {
            last = (0, capacity, size.label(ec));
            continue;
        }
        last = (bits, capacity, size.label(ec));
        if bits <= capacity {
            let ec = boosted(size, ec, bits, options.boost_ec);
            return Ok(build(size, ec, prefix, &segs, options.mask));
        }
    }
    Err(EncodeError::DataTooLongFor {
        symbology,
        bits_needed: last.0,
        capacity_bits: last.1,
        largest: last.2,
    })
}

/// The strongest level the size still holds the data at, when boosting.
fn boosted(size: Size, ec: EcLevel, bits: usize, boost: bool) -> EcLevel {
    let mut best = ec;
    if boost {
        // Levels a size lacks are skipped (rMQR goes from M to H).
        for next in EcLevel::ALL.into_iter().filter(|&l| l > ec) {
            match size.data_bits(next) {
                Some(cap) if bits <= cap => best = next,
                Some(_) => break,
                None => continue,
            }
        }
    }
    best
}

fn build(
    size: Size,
    ec: EcLevel,
    prefix: &[Segment],
    segs: &[Segment],
    forced_mask: Option<Mask>,
) -> QrCode {
    let h = size.header();
    let capacity = size.data_bits(ec).unwrap_or(0);
    let mut buf = BitBuffer::with_capacity(capacity);
    for seg in prefix.iter().chain(segs) {
        buf.push_segment(seg, h);
    }
    let data = buf.finish_bits(capacity, size.terminator());
    let info: Vec<SegmentInfo> = prefix
        .iter()
        .chain(segs)
        .filter_map(|s| match &s.kind {
            SegmentKind::Eci(d) => Some(SegmentInfo::Eci(*d)),
            SegmentKind::Data { mode, chars, .. } => Some(SegmentInfo::Data {
                mode: *mode,
                chars: *chars,
            }),
            SegmentKind::StructuredAppend { .. } => None,
        })
        .collect();
    match size {
        Size::Micro(v) => build_micro(v, ec, &data, forced_mask, info),
        Size::Rmqr(v) => build_rmqr(v, ec, &data, info),
    }
}

fn build_micro(
    v: MicroVersion,
    ec: EcLevel,
    data: &[u8],
    forced_mask: Option<Mask>,
    info: Vec<SegmentInfo>,
) -> QrCode {
    let cap = micro::capacity(v, ec).unwrap_or(micro::Capacity {
        data_codewords: data.len(),
        ec_codewords: 2,
        data_bits: data.len() * 8,
    });
    let mut ecc = vec![0u8; cap.ec_codewords];
    rs_remainder(data, &mut ecc);
    let mut codewords = data.to_vec();
    codewords.extend_from_slice(&ecc);
    let layout = micro::layout(v);
    let mut modules = layout.dark.clone();
    place_bits(
        layout,
        &codewords,
        micro::half_codeword(v, ec),
        &mut modules,
    );

    let size = v.size();
    let mask = match forced_mask {
        Some(m) => m.number(),
        None => (0..4u8)
            .max_by_key(|&m| (micro_mask_score(layout, &modules, m), 3 - m))
            .unwrap_or(0),
    };
    apply_mask(layout, &mut modules, |x, y| micro::mask_inverts(mask, x, y));
    let number = micro::symbol_number(v, ec).unwrap_or(0);
    let format = micro::format_bits(number, mask);
    for i in 0..15 {
        let (x, y) = micro::format_position(i);
        modules[y * size + x] = (format >> i) & 1 != 0;
    }
    QrCode::from_modules(
        SymbolVersion::Micro(v),
        ec,
        Mask::ALL[mask as usize],
        (size, size),
        &modules,
        info,
    )
}

/// The Micro QR mask evaluation (ISO/IEC 18004 7.8.3.2): with SUM1 and SUM2
/// the dark modules on the right and bottom edges (timing patterns
/// excluded), the score is `16 * min + max`; the highest score wins.
fn micro_mask_score(layout: &Layout, modules: &[bool], m: u8) -> u32 {
    let n = layout.width;
    let dark = |x: usize, y: usize| {
        let i = y * n + x;
        modules[i] ^ (!layout.func[i] && micro::mask_inverts(m, x, y))
    };
    let right = (1..n).filter(|&y| dark(n - 1, y)).count() as u32;
    let bottom = (1..n).filter(|&x| dark(x, n - 1)).count() as u32;
    right.min(bottom) * 16 + right.max(bottom)
}

fn apply_mask(layout: &Layout, modules: &mut [bool], inverts: impl Fn(usize, usize) -> bool) {
    for &(x, y) in &layout.data_pos {
        let (x, y) = (x as usize, y as usize);
        if inverts(x, y) {
            modules[y * layout.width + x] ^= true;
        }
    }
}

fn build_rmqr(v: RmqrVersion, ec: EcLevel, data: &[u8], info: Vec<SegmentInfo>) -> QrCode {
    let layout = rmqr::layout(v);
    let codewords = match rmqr::capacity(v, ec) {
        Some(cap) => interleave(data, cap.blocks, cap.ec_per_block),
        None => data.to_vec(),
    };
    let mut modules = layout.dark.clone();
    place_bits(layout, &codewords, None, &mut modules);
    apply_mask(layout, &mut modules, rmqr::mask_inverts);
    let (w, h) = (v.width(), v.height());
    let format = rmqr::format_bits(v, ec);
    let finder = format ^ rmqr::FORMAT_MASK_FINDER;
    let sub = format ^ rmqr::FORMAT_MASK_SUB;
    for i in 0..18 {
        let (x, y) = rmqr::format_position_finder(i);
        modules[y * w + x] = (finder >> i) & 1 != 0;
        let (x, y) = rmqr::format_position_sub(i, w, h);
        modules[y * w + x] = (sub >> i) & 1 != 0;
    }
    QrCode::from_modules(
        SymbolVersion::Rmqr(v),
        ec,
        Mask::ALL[0],
        (w, h),
        &modules,
        info,
    )
}

/// Splits data codewords into `blocks` (the longer blocks last), appends
/// each block's EC codewords and interleaves, as in QR Code.
pub(crate) fn interleave(data: &[u8], blocks: usize, ec_len: usize) -> Vec<u8> {
    let short = data.len() / blocks;
    let long_blocks = data.len() % blocks;
    let short_blocks = blocks - long_blocks;
    let mut per_block: Vec<(&[u8], Vec<u8>)> = Vec::with_capacity(blocks);
    let mut start = 0;
    for b in 0..blocks {
        let len = short + usize::from(b >= short_blocks);
        let block = &data[start..start + len];
        start += len;
        let mut ecc = vec![0u8; ec_len];
        rs_remainder(block, &mut ecc);
        per_block.push((block, ecc));
    }
    let mut out = Vec::with_capacity(data.len() + blocks * ec_len);
    for i in 0..=short {
        for (block, _) in &per_block {
            if let Some(&cw) = block.get(i) {
                out.push(cw);
            }
        }
    }
    for i in 0..ec_len {
        for (_, ecc) in &per_block {
            out.push(ecc[i]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{encode_text, EncodeOptions};

    fn micro() -> EncodeOptions {
        EncodeOptions::default().symbology(Symbology::MicroQr)
    }

    #[test]
    fn micro_sizes_follow_modes_and_levels() {
        let v = |text: &str, o: &EncodeOptions| {
            encode_text(text, o).map(|c| c.symbol_version().to_string())
        };
        let l = micro().ec_level(EcLevel::L);
        // M1 holds 5 digits and nothing else.
        assert_eq!(v("12345", &l).as_deref(), Ok("M1"));
        assert_eq!(v("123456", &l).as_deref(), Ok("M2"));
        assert_eq!(v("A", &l).as_deref(), Ok("M2"));
        assert_eq!(v("a", &l).as_deref(), Ok("M3"));
        // M4-L: 35 digits at most; M4-Q 21.
        assert_eq!(v(&"1".repeat(35), &l).as_deref(), Ok("M4"));
        assert!(v(&"1".repeat(36), &l).is_err());
        let q = micro().ec_level(EcLevel::Q);
        assert_eq!(v(&"1".repeat(21), &q).as_deref(), Ok("M4"));
        assert!(matches!(
            encode_text(&"1".repeat(22), &q),
            Err(EncodeError::DataTooLongFor { .. })
        ));
        assert_eq!(
            encode_text("1", &micro().ec_level(EcLevel::H)),
            Err(EncodeError::UnsupportedEcLevel {
                symbology: Symbology::MicroQr,
                ec_level: EcLevel::H
            })
        );
    }

    #[test]
    fn micro_code_has_its_finder_timing_and_size() {
        let code = encode_text("HELLO", &micro()).expect("fits");
        assert_eq!(code.symbology(), Symbology::MicroQr);
        assert_eq!(code.width(), code.height());
        assert_eq!(code.default_quiet_zone(), 2);
        let n = code.size();
        // Finder: dark ring, light ring, dark centre; separator light.
        assert!(code.get(0, 0) && code.get(6, 6) && code.get(3, 3));
        assert!(!code.get(1, 1) && !code.get(7, 0) && !code.get(0, 7));
        // Timing along the top row and left column.
        for i in 8..n {
            assert_eq!(code.get(i, 0), i % 2 == 0);
            assert_eq!(code.get(0, i), i % 2 == 0);
        }
    }

    #[test]
    fn rmqr_picks_the_smallest_area_within_limits() {
        let r = EncodeOptions::default().symbology(Symbology::Rmqr);
        let code = encode_text("https://example.org/lamp/17", &r).expect("fits");
        assert_eq!(code.symbology(), Symbology::Rmqr);
        let area = code.width() * code.height();
        // No version of smaller area holds it.
        for v in RmqrVersion::all().filter(|v| v.width() * v.height() < area) {
            let forced = r.clone().rmqr_version(v);
            assert!(
                encode_text("https://example.org/lamp/17", &forced).is_err(),
                "{v}"
            );
        }
        let narrow = r.clone().max_height(7);
        let code = encode_text("https://example.org/lamp/17", &narrow).expect("fits");
        assert_eq!(code.height(), 7);
        assert!(matches!(
            encode_text("x", &r.clone().max_height(5)),
            Err(EncodeError::NoRmqrSize { .. })
        ));
        assert!(matches!(
            encode_text("x", &r.clone().ec_level(EcLevel::L)),
            Err(EncodeError::UnsupportedEcLevel { .. })
        ));
    }

    #[test]
    fn rmqr_largest_holds_the_standard_capacity() {
        // R17x139-M: 361 digits (ISO/IEC 23941 Table 7).
        let r = EncodeOptions::default()
            .symbology(Symbology::Rmqr)
            .rmqr_version(RmqrVersion::new(17, 139).expect("v"));
        assert!(encode_text(&"7".repeat(361), &r).is_ok());
        assert!(encode_text(&"7".repeat(362), &r).is_err());
    }
}
