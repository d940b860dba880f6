//! Arithmetic in GF(2^8) with the QR field polynomial x^8 + x^4 + x^3 + x^2 + 1
//! (0x11D) and Reed-Solomon error-correction codewords (ISO/IEC 18004 7.5.2).

use std::sync::OnceLock;

/// The field's reducing polynomial.
const POLY: u16 = 0x11D;

/// `EXP[i] = α^i`, doubled in length so `EXP[log a + log b]` needs no modulo.
pub(crate) static EXP: [u8; 512] = build_exp();
/// `LOG[a]` for a != 0 (`LOG[0]` is unused and 0).
pub(crate) static LOG: [u8; 256] = build_log();

const fn build_exp() -> [u8; 512] {
    let mut t = [0u8; 512];
    let mut x: u16 = 1;
    let mut i = 0;
    while i < 512 {
        t[i] = x as u8;
        x <<= 1;
        if x & 0x100 != 0 {
            x ^= POLY;
        }
        i += 1;
    }
    t
}

const fn build_log() -> [u8; 256] {
    let exp = build_exp();
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 255 {
        t[exp[i] as usize] = i as u8;
        i += 1;
    }
    t
}

/// Product of two field elements.
#[inline]
#[cfg(test)]
pub(crate) fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        EXP[LOG[a as usize] as usize + LOG[b as usize] as usize]
    }
}

/// Largest number of EC codewords per block in any QR version.
pub(crate) const MAX_EC_DEGREE: usize = 30;

/// Generator polynomials `(x - α^0)(x - α^1)...(x - α^(d-1))` for every degree
/// 1..=30, as the logarithms of their coefficients from x^(d-1) down to x^0 (the
/// leading coefficient 1 is implied). Every coefficient is non-zero.
static GENERATOR_LOGS: [[u8; MAX_EC_DEGREE]; MAX_EC_DEGREE + 1] = build_generators();

const fn build_generators() -> [[u8; MAX_EC_DEGREE]; MAX_EC_DEGREE + 1] {
    let exp = build_exp();
    let log = build_log();
    let mut out = [[0u8; MAX_EC_DEGREE]; MAX_EC_DEGREE + 1];
    let mut degree = 1;
    while degree <= MAX_EC_DEGREE {
        // coef[0..degree] holds x^(degree-1)..x^0; the monic x^degree term is implied.
        let mut coef = [0u8; MAX_EC_DEGREE];
        coef[degree - 1] = 1;
        let mut root: usize = 1; // α^0
        let mut r = 0;
        while r < degree {
            // Multiply by (x - root): each coefficient becomes coef*root + next.
            let mut j = 0;
            while j < degree {
                let prod = if coef[j] == 0 {
                    0
                } else {
                    exp[log[coef[j] as usize] as usize + log[root] as usize]
                };
                coef[j] = if j + 1 < degree {
                    prod ^ coef[j + 1]
                } else {
                    prod
                };
                j += 1;
            }
            root = exp[r + 1] as usize;
            r += 1;
        }
        let mut j = 0;
        while j < degree {
            out[degree][j] = log[coef[j] as usize];
            j += 1;
        }
        degree += 1;
    }
    out
}

/// Products of every field element with each generator coefficient, padded to
/// 32 bytes so a remainder step is a fixed-width shift and XOR.
type ProductTable = [[u8; 32]; 256];

static PRODUCT_TABLES: [OnceLock<Box<ProductTable>>; MAX_EC_DEGREE + 1] =
    [const { OnceLock::new() }; MAX_EC_DEGREE + 1];

fn product_table(degree: usize) -> &'static ProductTable {
    PRODUCT_TABLES[degree].get_or_init(|| {
        let mut t = Box::new([[0u8; 32]; 256]);
        for (f, row) in t.iter_mut().enumerate().skip(1) {
            let lf = LOG[f] as usize;
            for (cell, &g) in row.iter_mut().zip(&GENERATOR_LOGS[degree][..degree]) {
                *cell = EXP[lf + g as usize];
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
            assert_eq!(EXP[LOG[a as usize] as usize], a);
        }
        assert_eq!(mul(0x53, 0xCA), mul(0xCA, 0x53));
        assert_eq!(mul(2, 0x80), 0x1D); // x * x^7 = x^8 = x^4+x^3+x^2+1
    }

    #[test]
    fn generator_roots_vanish() {
        // Every α^i, i < degree, is a root of the degree-d generator.
        for degree in 1..=MAX_EC_DEGREE {
            for (i, &x) in EXP.iter().enumerate().take(degree) {
                let mut acc = 1u8; // leading coefficient
                for &l in &GENERATOR_LOGS[degree][..degree] {
                    acc = mul(acc, x) ^ EXP[l as usize];
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
