//! A small deterministic random number generator, so failures reproduce.

/// xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift
/// generators", 2016): 64 bits of state, fast, and good enough to pick test
/// cases. Not for anything that needs unpredictability.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// The state xorshift cannot leave; a zero seed is replaced by this.
    const NONZERO: u64 = 0x9E37_79B9_7F4A_7C15;

    /// A generator started from `seed`. Seed 0 (a fixed point of xorshift)
    /// is replaced by a fixed nonzero constant.
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 { Self::NONZERO } else { seed })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0). The modulo bias is negligible
    /// for the small `n` of tests.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A random byte (the low 8 bits of [`next_u64`](Self::next_u64)).
    pub fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }

    /// A random byte in `1..=255`.
    pub fn nonzero_byte(&mut self) -> u8 {
        1 + self.below(255) as u8
    }

    /// `k` distinct indices below `n` in random order (all `n` of them when
    /// `k > n`): a partial Fisher-Yates shuffle.
    pub fn distinct(&mut self, k: usize, n: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_is_the_published_xorshift64_star() {
        // The first outputs from state 1, computed by hand from the
        // definition: x ^= x >> 12; x ^= x << 25; x ^= x >> 27; x * M.
        let mut x: u64 = 1;
        let mut expected = Vec::new();
        for _ in 0..4 {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            expected.push(x.wrapping_mul(0x2545_F491_4F6C_DD1D));
        }
        let mut rng = Rng::new(1);
        let got: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
        assert_eq!(got, expected);
        assert_eq!(got[0], 0x47E4_CE4B_896C_DD1D);
    }

    #[test]
    fn same_seed_same_sequence_and_zero_seed_still_moves() {
        let (mut a, mut b) = (Rng::new(42), Rng::new(42));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut z = Rng::new(0);
        let first = z.next_u64();
        assert_ne!(first, 0);
        assert_ne!(first, z.next_u64());
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = Rng::new(7);
        let mut seen = [0usize; 10];
        for _ in 0..10_000 {
            seen[rng.below(10)] += 1;
        }
        assert!(seen.iter().all(|&c| (800..1200).contains(&c)), "{seen:?}");
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
        assert!((0..1000).all(|_| rng.nonzero_byte() != 0));
    }

    #[test]
    fn distinct_gives_distinct_indices_in_range() {
        let mut rng = Rng::new(3);
        for (k, n) in [(0, 5), (3, 5), (5, 5), (8, 5), (10, 100)] {
            let mut d = rng.distinct(k, n);
            assert_eq!(d.len(), k.min(n));
            assert!(d.iter().all(|&i| i < n));
            d.sort_unstable();
            d.dedup();
            assert_eq!(d.len(), k.min(n), "k {k} n {n}");
        }
    }
}
