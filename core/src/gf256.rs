//! Arithmetic in GF(2^8) with the QR field polynomial x^8 + x^4 + x^3 + x^2 + 1
//! (0x11D) and Reed-Solomon error-correction codewords (ISO/IEC 18004 7.5.2).

use std::sync::OnceLock;

/// The field's reducing polynomial.
const POLY: u16 = 0x11D;

/// The field's exponent and logarithm tables.
struct Tables {
    /// `exp[i] = α^i`, doubled in length so `exp[log a + log b]` needs no modulo.
    exp: [u8; 512],
    /// `log[a]` for a != 0 (`log[0]` is unused and 0).
    log: [u8; 256],
}

const fn build_tables() -> Tables {
    let mut t = Tables {
        exp: [0; 512],
        log: [0; 256],
    };
    let mut x: u16 = 1;
    let mut i = 0;
    while i < 512 {
        t.exp[i] = x as u8;
        if i < 255 {
            t.log[x as usize] = i as u8;
        }
        x <<= 1;
        if x & 0x100 != 0 {
            x ^= POLY;
        }
        i += 1;
    }
    t
}

/// Native code reads the tables as data; the web module builds them on
/// first use rather than download 768 bytes that gzip cannot shrink.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn tables() -> &'static Tables {
    static TABLES: Tables = build_tables();
    &TABLES
}

#[cfg(target_arch = "wasm32")]
fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build_tables)
}

/// Product of two field elements.
#[inline]
#[cfg(test)]
pub(crate) fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        let t = tables();
        t.exp[t.log[a as usize] as usize + t.log[b as usize] as usize]
    }
}

/// Largest number of EC codewords per block in any QR version.
pub(crate) const MAX_EC_DEGREE: usize = 30;

/// The generator polynomial `(x - α^0)(x - α^1)...(x - α^(d-1))` of degree
/// `degree` (1..=30) as the logarithms of its coefficients from x^(d-1) down
/// to x^0 (the leading coefficient 1 is implied; every coefficient is
/// non-zero). Computed with its product table rather than stored: a table of
/// all thirty would be 0.9 KB of the web module.
fn generator_logs(degree: usize) -> [u8; MAX_EC_DEGREE] {
    let t = tables();
    // coef[0..degree] holds x^(degree-1)..x^0; the monic x^degree term is implied.
    let mut coef = [0u8; MAX_EC_DEGREE];
    coef[degree - 1] = 1;
    for r in 0..degree {
        // Multiply by (x - α^r): each coefficient becomes coef*α^r + next.
        for j in 0..degree {
            let prod = if coef[j] == 0 {
                0
            } else {
                t.exp[t.log[coef[j] as usize] as usize + r]
            };
            coef[j] = if j + 1 < degree {
                prod ^ coef[j + 1]
            } else {
                prod
            };
        }
    }
    coef.map(|c| t.log[c as usize])
}

/// Products of every field element with each generator coefficient, padded to
/// 32 bytes so a remainder step is a fixed-width shift and XOR.
type ProductTable = [[u8; 32]; 256];

static PRODUCT_TABLES: [OnceLock<Box<ProductTable>>; MAX_EC_DEGREE + 1] =
    [const { OnceLock::new() }; MAX_EC_DEGREE + 1];

fn product_table(degree: usize) -> &'static ProductTable {
    PRODUCT_TABLES[degree].get_or_init(|| {
        let generator = generator_logs(degree);
        let tables = tables();
        let mut t = Box::new([[0u8; 32]; 256]);
        for (f, row) in t.iter_mut().enumerate().skip(1) {
            let lf = tables.log[f] as usize;
            for (cell, &g) in row.iter_mut().zip(&generator[..degree]) {
                *cell = tables.exp[lf + g as usize];
            }
        }
        t
    })
}

/// Writes the `ec.len()` Reed-Solomon check codewords of `data` into `ec`:
/// the remainder of data(x) * x^degree divided by the generator polynomial.
pub(crate) fn rs_remainder(data: &[u8], ec: &mut [u8]) {
    let degree = ec.len();
    debug_assert!((1..=MAX_EC_DEGREE).contains(&degree));
    let table = product_table(degree);
    // rem[degree..] stays zero because the table rows are zero there.
    let mut rem = [0u8; 32];
    for &byte in data {
        let row = &table[(byte ^ rem[0]) as usize];
        for i in 0..31 {
            rem[i] = rem[i + 1] ^ row[i];
        }
        rem[31] = row[31];
    }
    ec.copy_from_slice(&rem[..degree]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_log_are_inverse() {
        for a in 1..=255u8 {
            let t = tables();
            assert_eq!(t.exp[t.log[a as usize] as usize], a);
        }
        assert_eq!(mul(0x53, 0xCA), mul(0xCA, 0x53));
        assert_eq!(mul(2, 0x80), 0x1D); // x * x^7 = x^8 = x^4+x^3+x^2+1
    }

    #[test]
    fn generator_roots_vanish() {
        // Every α^i, i < degree, is a root of the degree-d generator.
        for degree in 1..=MAX_EC_DEGREE {
            for (i, &x) in tables().exp.iter().enumerate().take(degree) {
                let mut acc = 1u8; // leading coefficient
                for &l in &generator_logs(degree)[..degree] {
                    acc = mul(acc, x) ^ tables().exp[l as usize];
                }
                assert_eq!(acc, 0, "degree {degree} root {i}");
            }
        }
    }

    #[test]
    fn iso_example_version_1_m() {
        // ISO/IEC 18004 Annex I: "01234567" at 1-M; 16 data codewords, 10 EC codewords.
        let data = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            0xEC, 0x11,
        ];
        let mut ec = [0u8; 10];
        rs_remainder(&data, &mut ec);
        assert_eq!(
            ec,
            [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55]
        );
    }
}

// ---------------------------------------------------------------------------
// Reed-Solomon decoding with errors and erasures (ISO/IEC 18004 7.5.2 defines
// the code; the decoding algorithm is the reader's choice).
//
// A block of `n` codewords is the polynomial c(x) = block[0] x^(n-1) + ... +
// block[n-1], and every valid block has the generator's roots α^0..α^(N-1)
// (N = EC codewords) as roots. Codeword `i` therefore sits at power
// `n - 1 - i`, and its error locator is X = α^(n-1-i).
// ---------------------------------------------------------------------------

/// Why a Reed-Solomon block could not be corrected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RsError {
    /// The damage exceeds what the EC codewords can correct (or the decoder's
    /// answer failed verification, which means the same thing).
    Uncorrectable,
    /// The arguments describe no Reed-Solomon block: longer than 255
    /// codewords, more EC codewords than codewords, or an erasure index out of
    /// the block. A caller bug, reported rather than panicking.
    InvalidBlock,
}

/// Product of two field elements (the decoder's own copy: the existing `mul`
/// is test-only).
#[inline]
pub(crate) fn gf_mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        let t = tables();
        t.exp[t.log[a as usize] as usize + t.log[b as usize] as usize]
    }
}

/// Multiplicative inverse of a non-zero element (0 maps to 0; callers check).
#[inline]
fn gf_inv(a: u8) -> u8 {
    if a == 0 {
        0
    } else {
        let t = tables();
        t.exp[(255 - t.log[a as usize] as usize) % 255]
    }
}

/// α^k for any k (reduced modulo the group order 255).
#[inline]
pub(crate) fn alpha_pow(k: usize) -> u8 {
    tables().exp[k % 255]
}

/// Value at `x` of a polynomial stored lowest degree first.
fn poly_eval(p: &[u8], x: u8) -> u8 {
    p.iter().rev().fold(0, |acc, &c| gf_mul(acc, x) ^ c)
}

/// Product of two polynomials stored lowest degree first, truncated to
/// `limit` coefficients (pass `usize::MAX` for the full product).
fn poly_mul(a: &[u8], b: &[u8], limit: usize) -> Vec<u8> {
    let len = (a.len() + b.len()).saturating_sub(1).min(limit);
    let mut out = vec![0u8; len];
    for (i, &ai) in a.iter().enumerate() {
        if ai == 0 {
            continue;
        }
        for (j, &bj) in b.iter().enumerate() {
            if let Some(slot) = out.get_mut(i + j) {
                *slot ^= gf_mul(ai, bj);
            }
        }
    }
    out
}

/// Degree of a polynomial stored lowest degree first (0 for constants and
/// for the zero polynomial).
fn poly_degree(p: &[u8]) -> usize {
    p.iter().rposition(|&c| c != 0).unwrap_or(0)
}

/// The `syndromes.len()` syndromes S_j = c(α^j) of a block; returns whether
/// they are all zero, i.e. whether the block is a valid codeword.
pub(crate) fn rs_syndromes(block: &[u8], syndromes: &mut [u8]) -> bool {
    // As a sum over the codewords, S_j = sum of c_i α^(j p_i) with p_i the
    // power of codeword i (block[0] has the highest, n - 1): each nonzero
    // codeword adds a geometric run to every syndrome. Unlike Horner's rule
    // per syndrome, whose steps each wait for the last multiplication, the
    // syndromes here are independent of one another; this runs for every
    // block of every hypothesis a damaged image makes.
    syndromes.fill(0);
    let t = tables();
    let n = block.len();
    for (i, &c) in block.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let log_c = usize::from(t.log[usize::from(c)]);
        let power = (n - 1 - i) % 255;
        // j * power mod 255, kept below 255; `exp` has room for a logarithm + 254.
        let mut step = 0usize;
        for s in syndromes.iter_mut() {
            *s ^= t.exp[log_c + step];
            step += power;
            if step >= 255 {
                step -= 255;
            }
        }
    }
    syndromes.iter().all(|&s| s == 0)
}

/// Berlekamp-Massey: the shortest linear recurrence (connection polynomial,
/// lowest degree first, constant term 1, padded with zeros) generating
/// `seq`, and its length L; `None` as soon as L exceeds `max_len` (L never
/// shrinks, and a block with more errors than that cannot be corrected:
/// noise, the common case for a wrong hypothesis, stops early).
fn berlekamp_massey(seq: &[u8], max_len: usize) -> Option<(Vec<u8>, usize)> {
    let m = seq.len();
    let mut c = vec![0u8; m + 1];
    c[0] = 1;
    let mut b = c.clone();
    let mut saved = vec![0u8; m + 1];
    let mut len = 0usize;
    let mut shift = 1usize;
    let mut last_d = 1u8;
    for k in 0..m {
        // Discrepancy between seq[k] and what the current recurrence predicts.
        let mut d = seq[k];
        for i in 1..=len.min(k) {
            d ^= gf_mul(c[i], seq[k - i]);
        }
        if d == 0 {
            shift += 1;
            continue;
        }
        let factor = gf_mul(d, gf_inv(last_d));
        let grows = 2 * len <= k;
        if grows {
            saved.copy_from_slice(&c);
        }
        for (i, &bi) in b.iter().enumerate().take((m + 1).saturating_sub(shift)) {
            c[i + shift] ^= gf_mul(factor, bi);
        }
        if grows {
            std::mem::swap(&mut b, &mut saved);
            len = k + 1 - len;
            if len > max_len {
                return None;
            }
            last_d = d;
            shift = 1;
        } else {
            shift += 1;
        }
    }
    c.truncate(len + 1);
    Some((c, len))
}

/// Corrects a Reed-Solomon block in place: `block` holds data then EC
/// codewords, the last `ec_len` being EC. `erasures` lists indices into
/// `block` known (or suspected) to be wrong; each costs one EC codeword, each
/// error of unknown position costs two, and the block is corrected when
/// `2 * errors + erasures <= ec_len - reserve`. `reserve` holds EC codewords
/// back for detection only (ISO/IEC 18004 Table 9's misdecode-protection
/// codewords `p`).
///
/// Returns how many codewords were changed. On any failure the block is left
/// untouched. A success is only reported after the corrected block's
/// syndromes are recomputed and all zero, the error locator's degree equals
/// the number of its roots, and every root lies inside the block: damage
/// beyond the code's reach is reported as [`RsError::Uncorrectable`], never
/// "corrected" into other data that fails the check.
pub(crate) fn rs_correct(
    block: &mut [u8],
    ec_len: usize,
    erasures: &[usize],
    reserve: usize,
) -> Result<usize, RsError> {
    let syn = rs_block_syndromes(block, ec_len)?;
    rs_correct_with(block, &syn, erasures, reserve)
}

/// The syndromes [`rs_correct_with`] needs, computed once for several
/// correction attempts on the same block (errors only, then with
/// erasures). `Err` for a block no Reed-Solomon code over GF(256) has.
pub(crate) fn rs_block_syndromes(block: &[u8], ec_len: usize) -> Result<Vec<u8>, RsError> {
    let n = block.len();
    if n == 0 || n > 255 || ec_len == 0 || ec_len > n {
        return Err(RsError::InvalidBlock);
    }
    let mut syn = vec![0u8; ec_len];
    rs_syndromes(block, &mut syn);
    Ok(syn)
}

/// [`rs_correct`] with the block's syndromes already computed by
/// [`rs_block_syndromes`] (their count is the number of EC codewords).
pub(crate) fn rs_correct_with(
    block: &mut [u8],
    syn: &[u8],
    erasures: &[usize],
    reserve: usize,
) -> Result<usize, RsError> {
    let n = block.len();
    let ec_len = syn.len();
    if n == 0 || n > 255 || ec_len == 0 || ec_len > n {
        return Err(RsError::InvalidBlock);
    }
    let mut erased: Vec<usize> = erasures.to_vec();
    erased.sort_unstable();
    erased.dedup();
    if erased.iter().any(|&i| i >= n) {
        return Err(RsError::InvalidBlock);
    }
    let budget = ec_len.saturating_sub(reserve);
    let f = erased.len();
    if f > budget {
        return Err(RsError::Uncorrectable);
    }

    if syn.iter().all(|&s| s == 0) {
        return Ok(0);
    }

    // Erasure locator Γ(x) = Π (1 + X_i x), lowest degree first.
    let mut gamma = vec![1u8];
    for &i in &erased {
        gamma = poly_mul(&gamma, &[1, alpha_pow(n - 1 - i)], usize::MAX);
    }
    // Forney syndromes: coefficients f..N-1 of Γ(x)S(x). They obey the
    // recurrence of the unknown-position errors alone, so Berlekamp-Massey
    // on them finds the error locator σ with the erasures factored out.
    let gs = poly_mul(&gamma, syn, ec_len);
    let forney: Vec<u8> = gs.get(f..).map(<[u8]>::to_vec).unwrap_or_default();
    let Some((sigma, errors)) = berlekamp_massey(&forney, (budget - f) / 2) else {
        return Err(RsError::Uncorrectable);
    };
    // A connection polynomial whose true degree is below its length L is
    // no error locator: the sequence is not explained by L errors.
    if poly_degree(&sigma) != errors || 2 * errors + f > budget {
        return Err(RsError::Uncorrectable);
    }
    // Full locator Ψ = σΓ; its roots are X^-1 for every wrong codeword.
    let psi = poly_mul(&sigma, &gamma, usize::MAX);
    let psi_degree = poly_degree(&psi);

    // Chien search over the positions that exist in this block only: a root
    // at a power >= n points outside the block and means failure.
    let mut positions = Vec::with_capacity(psi_degree);
    for i in 0..n {
        let power = n - 1 - i;
        let x_inv = alpha_pow(255 - power % 255);
        if poly_eval(&psi, x_inv) == 0 {
            positions.push(i);
        }
    }
    if positions.len() != psi_degree {
        return Err(RsError::Uncorrectable);
    }

    // Forney: with the generator's first root α^0, the magnitude at X is
    // X · Ω(X^-1) / Ψ'(X^-1), where Ω = S·Ψ mod x^N and Ψ' keeps Ψ's odd
    // terms (the formal derivative in characteristic 2).
    let omega = poly_mul(syn, &psi, ec_len);
    let psi_deriv: Vec<u8> = psi
        .iter()
        .enumerate()
        .map(|(i, &c)| if i % 2 == 1 { c } else { 0 })
        .skip(1)
        .collect();
    let mut fixed = block.to_vec();
    let mut changed = 0;
    for &i in &positions {
        let power = n - 1 - i;
        let x = alpha_pow(power);
        let x_inv = alpha_pow(255 - power % 255);
        let denom = poly_eval(&psi_deriv, x_inv);
        if denom == 0 {
            return Err(RsError::Uncorrectable);
        }
        let magnitude = gf_mul(gf_mul(x, poly_eval(&omega, x_inv)), gf_inv(denom));
        if magnitude != 0 {
            fixed[i] ^= magnitude;
            changed += 1;
        }
    }
    // The decoder's answer is only a hypothesis until the syndromes agree.
    let mut check = vec![0u8; ec_len];
    if !rs_syndromes(&fixed, &mut check) {
        return Err(RsError::Uncorrectable);
    }
    block.copy_from_slice(&fixed);
    Ok(changed)
}

#[cfg(test)]
mod rs_decode_tests {
    use super::*;
    use civiqr_testkit::Rng;

    fn codeword(rng: &mut Rng, data_len: usize, ec_len: usize) -> Vec<u8> {
        let mut block: Vec<u8> = (0..data_len).map(|_| rng.next_u64() as u8).collect();
        let mut ec = vec![0u8; ec_len];
        rs_remainder(&block, &mut ec);
        block.extend_from_slice(&ec);
        block
    }

    #[test]
    fn clean_block_needs_no_correction() {
        let mut rng = Rng::new(1);
        let mut block = codeword(&mut rng, 19, 7);
        let copy = block.clone();
        assert_eq!(rs_correct(&mut block, 7, &[], 0), Ok(0));
        assert_eq!(block, copy);
    }

    #[test]
    fn corrects_up_to_half_the_ec_codewords_of_errors() {
        let mut rng = Rng::new(7);
        for ec_len in [7, 10, 13, 17, 22, 26, 28, 30] {
            for data_len in [1, 9, 19, 54, 118, 225] {
                if data_len + ec_len > 255 {
                    continue;
                }
                for errors in 0..=ec_len / 2 {
                    let good = codeword(&mut rng, data_len, ec_len);
                    let mut bad = good.clone();
                    for i in rng.distinct(errors, good.len()) {
                        bad[i] ^= rng.nonzero_byte();
                    }
                    assert_eq!(
                        rs_correct(&mut bad, ec_len, &[], 0),
                        Ok(errors),
                        "ec {ec_len} data {data_len} errors {errors}"
                    );
                    assert_eq!(bad, good);
                }
            }
        }
    }

    #[test]
    fn corrects_erasures_and_errors_together() {
        let mut rng = Rng::new(99);
        for ec_len in [7, 10, 16, 22, 30] {
            let data_len = 40;
            for erasures in 0..=ec_len {
                let errors = (ec_len - erasures) / 2;
                let good = codeword(&mut rng, data_len, ec_len);
                let mut bad = good.clone();
                let picked = rng.distinct(erasures + errors, good.len());
                let (erased, wrong) = picked.split_at(erasures);
                // Erased codewords may or may not actually be wrong.
                let mut actually_changed = 0;
                for &i in erased {
                    if rng.below(4) != 0 {
                        bad[i] ^= rng.nonzero_byte();
                        actually_changed += 1;
                    }
                }
                for &i in wrong {
                    bad[i] ^= rng.nonzero_byte();
                }
                assert_eq!(
                    rs_correct(&mut bad, ec_len, erased, 0),
                    Ok(actually_changed + errors),
                    "ec {ec_len} erasures {erasures} errors {errors}"
                );
                assert_eq!(bad, good);
            }
        }
    }

    #[test]
    fn one_error_too_many_is_reported_and_leaves_the_block_alone() {
        // t + 1 errors are at distance >= d - t > t from every other codeword
        // (d = N + 1), so no decoder may claim success.
        let mut rng = Rng::new(3);
        for ec_len in [7, 10, 15, 22, 30] {
            for _ in 0..50 {
                let good = codeword(&mut rng, 30, ec_len);
                let mut bad = good.clone();
                for i in rng.distinct(ec_len / 2 + 1, good.len()) {
                    bad[i] ^= rng.nonzero_byte();
                }
                let before = bad.clone();
                assert_eq!(
                    rs_correct(&mut bad, ec_len, &[], 0),
                    Err(RsError::Uncorrectable)
                );
                assert_eq!(bad, before);
            }
        }
    }

    #[test]
    fn reserve_holds_back_codewords_for_detection() {
        // Version 1-L: 7 EC codewords, p = 3, so only 2 errors are corrected.
        let mut rng = Rng::new(5);
        let good = codeword(&mut rng, 19, 7);
        let mut bad = good.clone();
        for i in [0, 5, 20] {
            bad[i] ^= 0x5A;
        }
        let mut plain = bad.clone();
        assert_eq!(rs_correct(&mut plain, 7, &[], 0), Ok(3));
        assert_eq!(rs_correct(&mut bad, 7, &[], 3), Err(RsError::Uncorrectable));
    }

    #[test]
    fn many_random_words_never_report_a_wrong_codeword() {
        // Random garbage either fails or decodes to a block whose syndromes
        // are zero; and whatever is claimed changed at most the budget.
        let mut rng = Rng::new(11);
        let mut syn = [0u8; 30];
        for round in 0..3000 {
            let ec_len = 1 + rng.below(30);
            let n = ec_len + 1 + rng.below(255 - ec_len);
            let mut block: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            let erasures: Vec<usize> = (0..rng.below(ec_len + 3))
                .map(|_| rng.below(n + 2))
                .collect();
            let before = block.clone();
            match rs_correct(&mut block, ec_len, &erasures, rng.below(3)) {
                Ok(changed) => {
                    assert!(rs_syndromes(&block, &mut syn[..ec_len]), "round {round}");
                    let diff = block.iter().zip(&before).filter(|(a, b)| a != b).count();
                    assert_eq!(diff, changed);
                    assert!(changed <= ec_len);
                }
                Err(_) => assert_eq!(block, before),
            }
        }
    }

    #[test]
    fn malformed_arguments_are_errors_not_panics() {
        let mut block = [0u8; 10];
        assert_eq!(
            rs_correct(&mut block, 0, &[], 0),
            Err(RsError::InvalidBlock)
        );
        assert_eq!(
            rs_correct(&mut block, 11, &[], 0),
            Err(RsError::InvalidBlock)
        );
        assert_eq!(
            rs_correct(&mut block, 4, &[10], 0),
            Err(RsError::InvalidBlock)
        );
        let mut long = vec![0u8; 256];
        assert_eq!(rs_correct(&mut long, 4, &[], 0), Err(RsError::InvalidBlock));
        assert_eq!(rs_correct(&mut [], 0, &[], 0), Err(RsError::InvalidBlock));
        // Erasures past the budget.
        assert_eq!(
            rs_correct(&mut block, 4, &[0, 1, 2, 3, 4], 0),
            Err(RsError::Uncorrectable)
        );
    }
}
