//! Reed-Solomon correction of a symbol's blocks (ISO/IEC 18004 7.5.2,
//! Table 9), holding codewords back so that noise is rejected, not
//! "corrected" into a message.

use super::codewords::Block;
use super::error::GridDecodeError;
use crate::gf256::{rs_block_syndromes, rs_correct_with, RsError};
use crate::symbol::{EcLevel, Version};

/// EC codewords an erasure pass always leaves unerased, so that a wrong
/// guess about which codewords are bad still shows up in the syndromes
/// instead of being "corrected" into other data.
///
/// Two spare codewords still let a random word pass as often as one block in
/// 65,000 (times the number of error positions tried), which showed up as
/// "decoded" empty payloads in pure noise; four bring that to one in 4e9.
pub(crate) const MIN_SPARE: usize = 4;

/// Corrects every block (see [`correct_block`]); returns their data
/// codewords in block order and how many codewords were changed.
pub(crate) fn correct_blocks(
    blocks: &mut [Block],
    reserve: usize,
) -> Result<(Vec<u8>, usize), GridDecodeError> {
    let count = blocks.len();
    let mut corrected = 0;
    let mut data = Vec::new();
    for (index, block) in blocks.iter_mut().enumerate() {
        corrected += correct_block(block, reserve).map_err(|_| GridDecodeError::Uncorrectable {
            block: index,
            blocks: count,
        })?;
        data.extend_from_slice(block.data());
    }
    Ok((data, corrected))
}

/// EC codewords of a block that ISO/IEC 18004 Table 9 reserves for
/// misdecode protection (`p`) rather than correction: in the smallest
/// symbols, correcting up to half the EC codewords would too often turn
/// noise into a plausible message. Odd counts reserve one codeword by
/// themselves (2e <= N - 1), so only the even cases are listed.
pub(crate) fn misdecode_reserve(v: Version, ec: EcLevel) -> usize {
    match (v.number(), ec) {
        (1, EcLevel::L) => 3,
        (1, EcLevel::M) | (2, EcLevel::L) => 2,
        _ => 0,
    }
}

/// Corrects one block: errors only first; if that fails and some codewords
/// were sampled with little or no confidence, again with the least
/// confident of them as erasures, holding [`MIN_SPARE`] EC codewords (or the
/// misdecode reserve, if larger) back from correction altogether so they
/// only verify the result: `2 * errors + erasures <= ec - MIN_SPARE`.
fn correct_block(block: &mut Block, reserve: usize) -> Result<usize, RsError> {
    let ec_len = block.ec_len();
    // Computed once for both attempts (most blocks of a wrong hypothesis
    // fail both).
    let syn = rs_block_syndromes(&block.codewords, ec_len)?;
    let first = rs_correct_with(&mut block.codewords, &syn, &[], reserve);
    if first.is_ok() {
        return first;
    }
    let erasures = block.erasure_candidates(ec_len.saturating_sub(reserve.max(MIN_SPARE)));
    if erasures.is_empty() {
        return first;
    }
    // The spare codewords are held back from error correction too, so they
    // only ever check the result.
    rs_correct_with(
        &mut block.codewords,
        &syn,
        &erasures,
        reserve.max(MIN_SPARE),
    )
}
