//! Mask evaluation (ISO/IEC 18004 7.8.3, Table 11), bit-parallel.
//!
//! Rows are packed into `W` u64 words (W = 1, 2 or 3 by version), so each
//! penalty rule is a handful of shifts, ANDs and popcounts per row. Columns
//! are scored as the rows of the transposed symbol. The rules follow the
//! reading of Nayuki's qrcodegen, which python-qrcode and the `qrcode` crate
//! share: N1 counts every run of 5+ same-coloured modules as 3 + (length - 5);
//! N2 counts every 2x2 same-coloured block (overlapping) as 3; N3 counts
//! dark-light-dark-dark-dark-light-dark with 1-module runs and 4 light modules
//! on one side as 40 (twice when light on both sides), the outside of the
//! symbol counting as light; N4 is 10 per full 5 % step away from 50 % dark.

const N1: u32 = 3;
const N2: u32 = 3;
const N3: u32 = 40;
const N4: u32 = 10;

type Row<const W: usize> = [u64; W];

/// `out[x] = a[x + k]` (the module k to the right), zeros shifted in.
#[inline(always)]
fn shr<const W: usize>(a: &Row<W>, k: u32) -> Row<W> {
    let mut out = [0u64; W];
    for i in 0..W {
        out[i] = a[i] >> k;
        if i + 1 < W {
            out[i] |= a[i + 1] << (64 - k);
        }
    }
    out
}

/// `out[x] = a[x - k]` (the module k to the left), zeros shifted in.
#[inline(always)]
fn shl<const W: usize>(a: &Row<W>, k: u32) -> Row<W> {
    let mut out = [0u64; W];
    for i in 0..W {
        out[i] = a[i] << k;
        if i > 0 {
            out[i] |= a[i - 1] >> (64 - k);
        }
    }
    out
}

#[inline(always)]
fn ones<const W: usize>(a: &Row<W>) -> u32 {
    a.iter().map(|w| w.count_ones()).sum()
}

#[inline(always)]
fn zip<const W: usize>(a: &Row<W>, b: &Row<W>, f: impl Fn(u64, u64) -> u64) -> Row<W> {
    let mut out = [0u64; W];
    for i in 0..W {
        out[i] = f(a[i], b[i]);
    }
    out
}

/// N1 (runs) and N3 (finder-like patterns) of one line.
#[inline(always)]
fn line_penalty<const W: usize>(d: &Row<W>, valid: &Row<W>) -> u32 {
    // Shifted copies: r[k] = d[x + k], l[k] = d[x - k]. Past the edges they read
    // as light, which is exactly the quiet zone.
    let r1 = shr(d, 1);
    let r2 = shr(d, 2);
    let r3 = shr(d, 3);
    let r4 = shr(d, 4);
    let mut score = 0;

    // N1: a window of 5 equal modules starting at x; each run of length L >= 5
    // has L - 4 such windows and one first window, so L - 2 = windows + 2 * firsts.
    for dark in [true, false] {
        let w = if dark {
            zip(
                &zip(d, &r1, |a, b| a & b),
                &zip(&r2, &zip(&r3, &r4, |a, b| a & b), |a, b| a & b),
                |a, b| a & b,
            )
        } else {
            let any = zip(
                &zip(d, &r1, |a, b| a | b),
                &zip(&r2, &zip(&r3, &r4, |a, b| a | b), |a, b| a | b),
                |a, b| a | b,
            );
            // Light windows must lie inside the line: x + 4 < size.
            zip(&any, &shr(valid, 4), |a, v| !a & v)
        };
        let firsts = zip(&w, &shl(&w, 1), |a, b| a & !b);
        score += ones(&w) + (N1 - 1) * ones(&firsts);
    }

    // N3: core 1011101 starting at x (exact 1-module runs: light at x-1 and x+7),
    // with 4 light modules before it (x-4..x-1) or after it (x+7..x+10).
    let r5 = shr(d, 5);
    let r6 = shr(d, 6);
    let core = {
        let mut c = [0u64; W];
        let r7 = shr(d, 7);
        let l1 = shl(d, 1);
        for i in 0..W {
            c[i] = d[i] & !r1[i] & r2[i] & r3[i] & r4[i] & !r5[i] & r6[i] & !l1[i] & !r7[i];
        }
        c
    };
    if core.iter().any(|&w| w != 0) {
        let (l2, l3, l4) = (shl(d, 2), shl(d, 3), shl(d, 4));
        let (r8, r9, r10) = (shr(d, 8), shr(d, 9), shr(d, 10));
        let mut before = [0u64; W];
        let mut after = [0u64; W];
        for i in 0..W {
            before[i] = core[i] & !l2[i] & !l3[i] & !l4[i];
            after[i] = core[i] & !r8[i] & !r9[i] & !r10[i];
        }
        score += N3 * (ones(&before) + ones(&after));
    }
    score
}

/// Total penalty of a masked symbol given as rows and as columns (the rows
/// of its transpose), both `size` lines of `W` words.
fn penalty<const W: usize>(rows: &[u64], cols: &[u64], size: usize, valid: &[u64]) -> u32 {
    let mut v = [0u64; W];
    v.copy_from_slice(&valid[..W]);
    let line = |s: &[u64], y: usize| -> Row<W> {
        let mut r = [0u64; W];
        r.copy_from_slice(&s[y * W..(y + 1) * W]);
        r
    };
    // Pairs of horizontally adjacent modules: x + 1 < size.
    let pair_valid = shr(&v, 1);
    let mut score = 0;
    let mut dark = 0;
    let mut prev: Option<Row<W>> = None;
    for y in 0..size {
        let r = line(rows, y);
        score += line_penalty(&r, &v);
        dark += ones(&r);
        // N2: modules x and x+1 equal in this row, and equal to the row above.
        if let Some(p) = prev {
            let r1 = shr(&r, 1);
            let p1 = shr(&p, 1);
            let mut blocks = [0u64; W];
            for i in 0..W {
                let same_col = !(r[i] ^ p[i]) & !(r1[i] ^ p1[i]);
                blocks[i] = same_col & !(r[i] ^ r1[i]) & pair_valid[i];
            }
            score += N2 * ones(&blocks);
        }
        prev = Some(r);
    }
    for x in 0..size {
        score += line_penalty(&line(cols, x), &v);
    }
    // N4: k full 5 % steps away from half dark.
    let total = (size * size) as i64;
    let k = ((dark as i64 * 20 - total * 10).abs() + total - 1) / total - 1;
    score + k as u32 * N4
}

/// Penalty score of a symbol for rows `rows` and columns `cols` (word-packed,
/// `stride` words per line); `valid` has the bits `0..size` set.
pub(crate) fn score(rows: &[u64], cols: &[u64], size: usize, stride: usize, valid: &[u64]) -> u32 {
    match stride {
        1 => penalty::<1>(rows, cols, size, valid),
        2 => penalty::<2>(rows, cols, size, valid),
        _ => penalty::<3>(rows, cols, size, valid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Straightforward per-module reference of the same four rules.
    fn reference(grid: &[Vec<bool>]) -> u32 {
        let n = grid.len();
        let get = |x: isize, y: isize, t: bool| -> bool {
            if x < 0 || y < 0 || x >= n as isize || y >= n as isize {
                false
            } else if t {
                grid[x as usize][y as usize]
            } else {
                grid[y as usize][x as usize]
            }
        };
        let mut s = 0;
        for t in [false, true] {
            for y in 0..n as isize {
                let mut x = 0;
                while x < n as isize {
                    let c = get(x, y, t);
                    let mut e = x;
                    while e < n as isize && get(e, y, t) == c {
                        e += 1;
                    }
                    if e - x >= 5 {
                        s += (e - x - 2) as u32;
                    }
                    x = e;
                }
                for x in 0..n as isize {
                    let pat = [true, false, true, true, true, false, true];
                    let core = (0..7).all(|k| get(x + k, y, t) == pat[k as usize])
                        && !get(x - 1, y, t)
                        && !get(x + 7, y, t);
                    if core {
                        if (2..=4).all(|k| !get(x - k, y, t)) {
                            s += 40;
                        }
                        if (8..=10).all(|k| !get(x + k, y, t)) {
                            s += 40;
                        }
                    }
                }
            }
        }
        let mut dark = 0i64;
        for y in 0..n {
            for x in 0..n {
                dark += grid[y][x] as i64;
                if x + 1 < n && y + 1 < n {
                    let c = grid[y][x];
                    if grid[y][x + 1] == c && grid[y + 1][x] == c && grid[y + 1][x + 1] == c {
                        s += 3;
                    }
                }
            }
        }
        let total = (n * n) as i64;
        s + (((dark * 20 - total * 10).abs() + total - 1) / total - 1) as u32 * 10
    }

    #[test]
    fn bit_parallel_score_matches_reference() {
        let mut state = 0x2545F491u64;
        for &size in &[21usize, 25, 57, 61, 65, 101, 125, 129, 177] {
            for density in [2u64, 4, 8] {
                let stride = size.div_ceil(64);
                let mut grid = vec![vec![false; size]; size];
                for row in grid.iter_mut() {
                    for m in row.iter_mut() {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        *m = state % density == 0 || (density == 8 && state % 3 == 0);
                    }
                }
                let mut rows = vec![0u64; stride * size];
                let mut cols = vec![0u64; stride * size];
                for y in 0..size {
                    for x in 0..size {
                        if grid[y][x] {
                            rows[y * stride + x / 64] |= 1 << (x % 64);
                            cols[x * stride + y / 64] |= 1 << (y % 64);
                        }
                    }
                }
                let mut valid = vec![0u64; stride];
                for x in 0..size {
                    valid[x / 64] |= 1 << (x % 64);
                }
                assert_eq!(
                    score(&rows, &cols, size, stride, &valid),
                    reference(&grid),
                    "size {size} density {density}"
                );
            }
        }
    }
}
