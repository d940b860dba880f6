//! The encoder: data -> segments -> version choice -> codewords with
//! Reed-Solomon EC -> module placement -> mask choice (ISO/IEC 18004 clause 7).

mod mask;
mod micro_rmqr;
mod optimize;
pub(crate) mod segment;
mod sjis;
mod split;

pub use segment::Segment;
pub use split::{encode_bytes_split, encode_text_split, Split};

use crate::code::{QrCode, SegmentInfo};
use crate::error::EncodeError;
use crate::gf256::rs_remainder;
use crate::symbol::capacity::{
    data_capacity_bits, data_codewords, ec_blocks, ec_codewords_per_block, raw_data_modules,
};
use crate::symbol::StructuredAppend;
use crate::symbol::Symbology;
use crate::symbol::{EcLevel, Mask, MicroVersion, Mode, RmqrVersion, Version};

use crate::symbol::format::{format_info_bits, format_positions};
use crate::symbol::header::Header;
use crate::symbol::qr::{template, Grid};
use optimize::CharInfo;
use segment::{BitBuffer, SegmentKind};

/// How to encode: EC level, allowed versions, mask, and mode choices.
///
/// Build with [`EncodeOptions::default`] and chain setters:
///
/// ```
/// use civiqr::{EcLevel, EncodeOptions, Mask, Version};
/// let opts = EncodeOptions::default()
///     .ec_level(EcLevel::H)
///     .max_version(Version::new(10)?)
///     .mask(Mask::new(3)?);
/// # Ok::<(), civiqr::EncodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EncodeOptions {
    ec_level: EcLevel,
    min_version: Version,
    max_version: Version,
    mask: Option<Mask>,
    boost_ec: bool,
    eci_utf8: bool,
    kanji: bool,
    mode: Option<Mode>,
    symbology: Symbology,
    micro_version: Option<MicroVersion>,
    rmqr_version: Option<RmqrVersion>,
    max_height: Option<u32>,
    max_width: Option<u32>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            ec_level: EcLevel::M,
            min_version: Version::MIN,
            max_version: Version::MAX,
            mask: None,
            boost_ec: false,
            eci_utf8: false,
            kanji: true,
            mode: None,
            symbology: Symbology::Qr,
            micro_version: None,
            rmqr_version: None,
            max_height: None,
            max_width: None,
        }
    }
}

impl EncodeOptions {
    /// Error-correction level. Default: [`EcLevel::M`].
    pub fn ec_level(mut self, ec: EcLevel) -> Self {
        self.ec_level = ec;
        self
    }

    /// Use exactly this version. Default: the smallest that fits in 1..=40.
    pub fn version(mut self, v: Version) -> Self {
        self.min_version = v;
        self.max_version = v;
        self
    }

    /// Smallest version to use. Default: 1.
    pub fn min_version(mut self, v: Version) -> Self {
        self.min_version = v;
        self
    }

    /// Largest version to use; data that does not fit is an
    /// [`EncodeError::DataTooLong`]. Default: 40.
    pub fn max_version(mut self, v: Version) -> Self {
        self.max_version = v;
        self
    }

    /// Force a mask, or `None` to choose the one with the lowest penalty
    /// (ISO/IEC 18004 7.8.3). Default: `None` (automatic).
    pub fn mask(mut self, mask: impl Into<Option<Mask>>) -> Self {
        self.mask = mask.into();
        self
    }

    /// Raise the EC level as far as the chosen version still holds the data.
    /// Default: `false`.
    pub fn boost_ec(mut self, on: bool) -> Self {
        self.boost_ec = on;
        self
    }

    /// For [`encode_text`]: start the data with ECI 26 (UTF-8) so strict
    /// readers know the charset; Kanji mode is then not used. Costs 12 bits.
    /// Default: `false` (no ECI; non-ASCII goes out as UTF-8 bytes, which
    /// readers detect).
    pub fn eci_utf8(mut self, on: bool) -> Self {
        self.eci_utf8 = on;
        self
    }

    /// For [`encode_text`]: allow Kanji mode (13 bits per character instead of
    /// 24 for UTF-8) for characters of JIS X 0208. Default: `true`.
    pub fn kanji(mut self, on: bool) -> Self {
        self.kanji = on;
        self
    }

    /// Write all the data in one mode instead of the optimal mix; a character
    /// the mode cannot carry is an error naming its index. Default: `None`
    /// (optimal segmentation).
    pub fn mode(mut self, mode: impl Into<Option<Mode>>) -> Self {
        self.mode = mode.into();
        self
    }

    /// Which symbology to write: [`Symbology::Qr`], [`Symbology::MicroQr`]
    /// (M1-M4; EC levels L, M, Q; no ECI) or [`Symbology::Rmqr`] (32
    /// rectangular sizes; EC levels M and H). Default: QR Code.
    ///
    /// For Micro QR and rMQR the QR version options are not used; the
    /// smallest size that fits is chosen among those the
    /// [`micro_version`](Self::micro_version),
    /// [`rmqr_version`](Self::rmqr_version),
    /// [`max_height`](Self::max_height) and [`max_width`](Self::max_width)
    /// options allow, and for rMQR "smallest" means the least area.
    pub fn symbology(mut self, symbology: Symbology) -> Self {
        self.symbology = symbology;
        self
    }

    /// Micro QR: use exactly this version. Default: `None` (the smallest
    /// that fits).
    pub fn micro_version(mut self, v: impl Into<Option<MicroVersion>>) -> Self {
        self.micro_version = v.into();
        self
    }

    /// rMQR: use exactly this version. Default: `None` (the smallest area
    /// that fits within the height and width limits).
    pub fn rmqr_version(mut self, v: impl Into<Option<RmqrVersion>>) -> Self {
        self.rmqr_version = v.into();
        self
    }

    /// rMQR: tallest symbol allowed, in modules (7 to 17), for narrow
    /// supports. Default: `None` (any).
    pub fn max_height(mut self, modules: impl Into<Option<u32>>) -> Self {
        self.max_height = modules.into();
        self
    }

    /// rMQR: widest symbol allowed, in modules (27 to 139). Default: `None`
    /// (any).
    pub fn max_width(mut self, modules: impl Into<Option<u32>>) -> Self {
        self.max_width = modules.into();
        self
    }

    /// The symbology to write.
    pub fn get_symbology(&self) -> Symbology {
        self.symbology
    }

    /// The EC level asked for.
    pub fn get_ec_level(&self) -> EcLevel {
        self.ec_level
    }

    /// The allowed version range, smallest first.
    pub fn get_versions(&self) -> (Version, Version) {
        (self.min_version, self.max_version)
    }

    /// The forced mask, if any.
    pub fn get_mask(&self) -> Option<Mask> {
        self.mask
    }

    fn check(&self) -> Result<(), EncodeError> {
        if self.min_version > self.max_version {
            return Err(EncodeError::InvalidVersionRange {
                min: self.min_version,
                max: self.max_version,
            });
        }
        Ok(())
    }
}

/// Encodes text in the smallest symbol, splitting it into the mix of modes
/// with the fewest bits. See the crate docs for how non-ASCII text is written.
pub fn encode_text(text: &str, options: &EncodeOptions) -> Result<QrCode, EncodeError> {
    options.check()?;
    let kanji = options.kanji && !options.eci_utf8;
    let prefix: &[Segment] = if options.eci_utf8 { &ECI_UTF8 } else { &[] };
    if let Some(mode) = options.mode {
        let seg = match mode {
            Mode::Numeric => Segment::numeric(text)?,
            Mode::Alphanumeric => Segment::alphanumeric(text)?,
            Mode::Byte => Segment::bytes(text.as_bytes()),
            Mode::Kanji => Segment::kanji(text)?,
        };
        return encode_with(prefix, Plan::Fixed(vec![seg]), options);
    }
    let chars = optimize::classify_text(text, kanji);
    let utf8 = Plan::Optimal {
        input: text.as_bytes(),
        chars,
    };
    if options.symbology != Symbology::Qr {
        return encode_with(prefix, utf8, options);
    }
    let choice = choose(prefix, &utf8, options);
    // Japanese text may be shorter as Shift JIS bytes (16 bits per double-byte
    // character instead of 24 in UTF-8), which readers detect as zxing-cpp's
    // writer relies on. Use it only when it gives a smaller symbol, no ECI
    // declares the bytes UTF-8, and readers' guess reads them back.
    if kanji && !text.is_ascii() && prefix.is_empty() {
        if let Some((sjis, sjis_chars)) = optimize::classify_text_sjis(text) {
            let alt = Plan::Optimal {
                input: &sjis,
                chars: sjis_chars,
            };
            if let Ok(alt_choice) = choose(prefix, &alt, options) {
                let better = match &choice {
                    Ok(c) => alt_choice.version < c.version,
                    Err(_) => true,
                };
                if better && guessed_as_sjis(&alt_choice.segs) {
                    return build(prefix, alt_choice, options);
                }
            }
        }
    }
    build(prefix, choice?, options)
}

/// Whether a reader takes the bytes of `segs` outside Kanji mode as Shift
/// JIS: no ECI labels them, so readers guess (`charset::guess_unlabelled`),
/// and Shift JIS bytes that also form valid UTF-8, or hold no double-byte
/// character beside no Kanji segment, would read as another text.
fn guessed_as_sjis(segs: &[Segment]) -> bool {
    let mut unlabelled = Vec::new();
    let mut has_kanji = false;
    for s in segs {
        if let SegmentKind::Data { mode, data, .. } = &s.kind {
            if *mode == Mode::Kanji {
                has_kanji = true;
            } else {
                unlabelled.extend_from_slice(data);
            }
        }
    }
    unlabelled.is_ascii()
        || crate::charset::guess_unlabelled(&unlabelled, has_kanji)
            == crate::charset::Charset::ShiftJis
}

/// Encodes bytes exactly (no charset is declared). Runs of digits or of
/// upper-case alphanumerics are written in the cheaper modes when that saves bits.
pub fn encode_bytes(data: &[u8], options: &EncodeOptions) -> Result<QrCode, EncodeError> {
    options.check()?;
    if let Some(mode) = options.mode {
        let check = |ok: fn(u8) -> bool| match data.iter().position(|&b| !ok(b)) {
            Some(index) => Err(EncodeError::UnencodableByte {
                mode,
                index,
                byte: data[index],
            }),
            None => Ok(()),
        };
        let seg = match mode {
            Mode::Numeric => {
                check(segment::is_numeric)?;
                Segment::data(mode, data.len(), data.to_vec())
            }
            Mode::Alphanumeric => {
                check(segment::is_alphanumeric)?;
                Segment::data(mode, data.len(), data.to_vec())
            }
            Mode::Byte => Segment::bytes(data),
            Mode::Kanji => kanji_from_sjis(data)?,
        };
        return encode_with(&[], Plan::Fixed(vec![seg]), options);
    }
    let chars = optimize::classify_bytes(data);
    encode_with(&[], Plan::Optimal { input: data, chars }, options)
}

/// Encodes caller-chosen segments as given (only splitting any that exceed
/// their character-count field). The mode option is ignored.
pub fn encode_segments(
    segments: &[Segment],
    options: &EncodeOptions,
) -> Result<QrCode, EncodeError> {
    options.check()?;
    encode_with(&[], Plan::Fixed(segments.to_vec()), options)
}

static ECI_UTF8: [Segment; 1] = [Segment {
    kind: SegmentKind::Eci(26),
}];

/// Kanji mode over bytes that must already be Shift JIS pairs in the Kanji ranges.
fn kanji_from_sjis(data: &[u8]) -> Result<Segment, EncodeError> {
    for (i, pair) in data.chunks(2).enumerate() {
        let ok = pair.len() == 2 && {
            let code = u16::from_be_bytes([pair[0], pair[1]]);
            ((0x8140..=0x9FFC).contains(&code) || (0xE040..=0xEBBF).contains(&code))
                && pair[1] >= 0x40
                && pair[1] != 0x7F
                && pair[1] <= 0xFC
        };
        if !ok {
            let index = 2 * i + usize::from(pair.len() == 2 && !(0x81..=0xEB).contains(&pair[0]));
            return Err(EncodeError::UnencodableByte {
                mode: Mode::Kanji,
                index,
                byte: data[index.min(data.len() - 1)],
            });
        }
    }
    Ok(Segment::data(Mode::Kanji, data.len() / 2, data.to_vec()))
}

/// Where the segments come from.
enum Plan<'a> {
    /// Given segments.
    Fixed(Vec<Segment>),
    /// Characters to segment optimally per version width class.
    Optimal {
        input: &'a [u8],
        chars: Vec<CharInfo>,
    },
}

fn bits_of(prefix: &[Segment], segs: &[Segment], class: usize) -> usize {
    let h = Header::qr(class);
    prefix.iter().chain(segs).map(|s| s.bit_len(h)).sum()
}

/// The smallest version that holds the data, with the segments for its width class.
struct Choice {
    version: Version,
    class: usize,
    segs: Vec<Segment>,
}

fn encode_with(
    prefix: &[Segment],
    plan: Plan<'_>,
    options: &EncodeOptions,
) -> Result<QrCode, EncodeError> {
    if options.symbology != Symbology::Qr {
        return micro_rmqr::encode(options.symbology, prefix, plan, options);
    }
    let choice = choose(prefix, &plan, options)?;
    build(prefix, choice, options)
}

fn choose(
    prefix: &[Segment],
    plan: &Plan<'_>,
    options: &EncodeOptions,
) -> Result<Choice, EncodeError> {
    let ec = options.ec_level;
    let (min, max) = (options.min_version, options.max_version);
    // Walk the width classes the allowed range touches, smallest first; in each,
    // segment for that class and take the first version that holds the bits.
    let mut chosen = None;
    let mut last_bits = 0;
    let mut cached: Option<(usize, Vec<Segment>)> = None;
    // Lower bound on the data bits in any class: each character at its cheapest
    // mode, no headers. Classes whose largest version cannot hold even that are
    // skipped without running the segmentation.
    let floor_bits = match plan {
        Plan::Fixed(_) => 0,
        Plan::Optimal { chars, .. } => optimize::lower_bound_bits(chars),
    };
    for class in min.class()..=max.class() {
        let class_top = if class == max.class() {
            max
        } else {
            Version::new(Version::first_of_class(class + 1).number() - 1)?
        };
        if class < max.class() && floor_bits > data_capacity_bits(class_top, ec) {
            continue;
        }
        let segs = match plan {
            Plan::Fixed(s) => s.clone(),
            Plan::Optimal { input, chars } => {
                // QR carries every mode, so every character has one.
                let modes = optimize::optimal_modes(chars, Header::qr(class)).unwrap_or_default();
                optimize::make_segments(input, chars, &modes)
            }
        };
        let bits = bits_of(prefix, &segs, class);
        last_bits = bits;
        let lo = min.max(Version::first_of_class(class)).number();
        for n in lo..=class_top.number() {
            let v = Version::new(n)?;
            if bits <= data_capacity_bits(v, ec) {
                chosen = Some(v);
                break;
            }
        }
        cached = Some((class, segs));
        if chosen.is_some() {
            break;
        }
    }
    match (chosen, cached) {
        (Some(version), Some((class, segs))) => Ok(Choice {
            version,
            class,
            segs,
        }),
        _ => Err(EncodeError::DataTooLong {
            bits_needed: last_bits,
            capacity_bits: data_capacity_bits(max, ec),
            version: max,
            ec_level: ec,
        }),
    }
}

fn build(
    prefix: &[Segment],
    choice: Choice,
    options: &EncodeOptions,
) -> Result<QrCode, EncodeError> {
    let Choice {
        version,
        class,
        segs,
    } = choice;
    let bits = bits_of(prefix, &segs, class);
    let mut ec = options.ec_level;
    if options.boost_ec {
        while let Some(stronger) = ec.stronger() {
            if bits > data_capacity_bits(version, stronger) {
                break;
            }
            ec = stronger;
        }
    }

    // Data codewords: segments, terminator, padding.
    let capacity = data_codewords(version, ec);
    let mut buf = BitBuffer::with_capacity(capacity * 8);
    for seg in prefix.iter().chain(&segs) {
        buf.push_segment(seg, Header::qr(class));
    }
    debug_assert_eq!(buf.len(), bits);
    let data = buf.finish(capacity);
    let codewords = add_ec_and_interleave(&data, version, ec);

    let mut structured_append = None;
    let info = prefix
        .iter()
        .chain(&segs)
        .filter_map(|s| match &s.kind {
            SegmentKind::Eci(d) => Some(SegmentInfo::Eci(*d)),
            SegmentKind::Data { mode, chars, .. } => Some(SegmentInfo::Data {
                mode: *mode,
                chars: *chars,
            }),
            SegmentKind::StructuredAppend {
                index,
                count,
                parity,
            } => {
                structured_append = Some(StructuredAppend {
                    index: *index,
                    count: *count,
                    parity: *parity,
                });
                None
            }
        })
        .collect();
    let (mask, grid) = place_and_mask(&codewords, version, ec, options.mask);
    Ok(QrCode::from_parts(version, ec, mask, grid.bits, info)
        .with_structured_append(structured_append))
}

/// Splits data codewords into blocks, appends each block's Reed-Solomon
/// codewords, and interleaves them (7.5.2, 7.6).
fn add_ec_and_interleave(data: &[u8], v: Version, ec: EcLevel) -> Vec<u8> {
    let blocks = ec_blocks(v, ec);
    let ec_len = ec_codewords_per_block(v, ec);
    let raw = raw_data_modules(v) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_len = raw / blocks - ec_len; // data codewords in a short block
    let mut out = vec![0u8; raw];
    let mut ec_buf = [0u8; crate::gf256::MAX_EC_DEGREE];
    let mut start = 0;
    for b in 0..blocks {
        let len = short_len + usize::from(b >= short_blocks);
        let block = &data[start..start + len];
        start += len;
        // Data codeword i of block b goes to i * blocks + b, except that the
        // extra last codeword of long blocks comes after all short ones.
        for (i, &cw) in block.iter().enumerate() {
            let pos = if i < short_len {
                i * blocks + b
            } else {
                short_len * blocks + (b - short_blocks)
            };
            out[pos] = cw;
        }
        let ec_out = &mut ec_buf[..ec_len];
        rs_remainder(block, ec_out);
        let ec_start = data.len();
        for (i, &cw) in ec_out.iter().enumerate() {
            out[ec_start + i * blocks + b] = cw;
        }
    }
    debug_assert_eq!(start, data.len());
    out
}

/// Places codewords, then applies the forced mask or the one with the lowest
/// penalty, and draws the format information.
fn place_and_mask(codewords: &[u8], v: Version, ec: EcLevel, forced: Option<Mask>) -> (Mask, Grid) {
    let t = template(v);
    let size = v.size();
    let mut grid = t.base.clone();
    let stride = grid.stride;
    // Data bits, most significant first; remainder bits stay light.
    for (&[x, y], bit) in t.data_pos.iter().zip(
        codewords
            .iter()
            .flat_map(|&cw| (0..8).rev().map(move |i| (cw >> i) & 1)),
    ) {
        grid.bits[y as usize * stride + x as usize / 64] |= (bit as u64) << (x % 64);
    }
    let positions = format_positions(size);
    let draw_format = |rows: &mut [u64], cols: Option<&mut [u64]>, mask: Mask| {
        let bits = format_info_bits(ec, mask);
        let mut cols = cols;
        for (i, copies) in positions.iter().enumerate() {
            if (bits >> i) & 1 != 0 {
                for &(x, y) in copies {
                    rows[y * stride + x / 64] |= 1 << (x % 64);
                    if let Some(c) = cols.as_deref_mut() {
                        c[x * stride + y / 64] |= 1 << (y % 64);
                    }
                }
            }
        }
    };
    let mask = match forced {
        Some(m) => m,
        None => {
            // Columns are scored as the rows of the transpose.
            let cols = grid.transposed();
            let mut rows_buf = vec![0u64; grid.bits.len()];
            let mut cols_buf = vec![0u64; grid.bits.len()];
            let mut best = (u32::MAX, Mask::ALL[0]);
            for m in Mask::ALL {
                let plane = &t.masks[m.number() as usize].bits;
                let plane_t = &t.masks_t[m.number() as usize].bits;
                for ((o, a), b) in rows_buf.iter_mut().zip(&grid.bits).zip(plane) {
                    *o = a ^ b;
                }
                for ((o, a), b) in cols_buf.iter_mut().zip(&cols.bits).zip(plane_t) {
                    *o = a ^ b;
                }
                draw_format(&mut rows_buf, Some(&mut cols_buf), m);
                let s = mask::score(&rows_buf, &cols_buf, size, stride, &t.row_valid);
                if s < best.0 {
                    best = (s, m);
                }
            }
            best.1
        }
    };
    for (a, b) in grid
        .bits
        .iter_mut()
        .zip(&t.masks[mask.number() as usize].bits)
    {
        *a ^= b;
    }
    draw_format(&mut grid.bits, None, mask);
    (mask, grid)
}
