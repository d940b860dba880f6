//! The sampled module grid handed from the reader's front half (image ->
//! finder patterns -> sampling) to its back half (the ISO/IEC 18004
//! reference decode algorithm from the format information on): dark/light
//! per module plus a per-module confidence.

/// Confidence of a module that was never sampled or fell outside the image:
/// its colour is a guess, so the codewords it belongs to are erasure
/// candidates for Reed-Solomon.
pub(crate) const UNKNOWN: u8 = 0;

/// Largest side length whose modules are stored (QR Code stops at 177).
pub(crate) const MAX_STORED_SIZE: usize = 1024;

/// Confidence of a module whose colour is certain (synthetic grids, or a
/// sampler that measures no confidence).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) const CERTAIN: u8 = 255;

/// A square grid of sampled modules, `(x, y)` with `(0, 0)` top-left.
///
/// Each module is dark or light and carries a confidence from [`UNKNOWN`]
/// (0: off-image or not sampled) to [`CERTAIN`] (255). A gray-level sampler
/// should scale `|value - threshold|` into this range, so that low numbers
/// mean "close to the threshold"; the decoder only ranks confidences and
/// compares them with a low threshold, it never needs them calibrated.
///
/// Reads outside the grid return light with confidence [`UNKNOWN`], like an
/// off-image module; writes outside it are ignored. Nothing here panics: a
/// size above [`MAX_STORED_SIZE`] (far beyond any symbol) stores no modules
/// at all rather than attempting a huge allocation, so such a grid reads as
/// all unknown and decodes to an invalid-size error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ModuleGrid {
    size: usize,
    /// Row-major, `true` for dark.
    dark: Vec<bool>,
    /// Row-major, parallel to `dark`.
    confidence: Vec<u8>,
}

impl ModuleGrid {
    /// An all-light grid of `size` x `size` modules, every module [`UNKNOWN`]
    /// until [`set`](Self::set).
    pub(crate) fn new(size: usize) -> ModuleGrid {
        let cells = if size <= MAX_STORED_SIZE {
            size * size
        } else {
            0
        };
        ModuleGrid {
            size,
            dark: vec![false; cells],
            confidence: vec![UNKNOWN; cells],
        }
    }

    /// A grid whose module `(x, y)` is `dark(x, y)`, all [`CERTAIN`].
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn from_fn(size: usize, dark: impl Fn(usize, usize) -> bool) -> ModuleGrid {
        let mut grid = ModuleGrid::new(size);
        let stored = grid.stored_size();
        for y in 0..stored {
            for x in 0..stored {
                grid.set(x, y, dark(x, y), CERTAIN);
            }
        }
        grid
    }

    /// Side length in modules.
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// The side length of the modules actually stored (0 when oversized).
    fn stored_size(&self) -> usize {
        if self.dark.is_empty() {
            0
        } else {
            self.size
        }
    }

    fn index(&self, x: usize, y: usize) -> Option<usize> {
        let stored = self.stored_size();
        (x < stored && y < stored).then(|| y * stored + x)
    }

    /// Records module `(x, y)`: its colour and how sure the sampler is of it.
    /// Outside the grid nothing happens.
    pub(crate) fn set(&mut self, x: usize, y: usize, dark: bool, confidence: u8) {
        if let Some(i) = self.index(x, y) {
            if let (Some(d), Some(c)) = (self.dark.get_mut(i), self.confidence.get_mut(i)) {
                *d = dark;
                *c = confidence;
            }
        }
    }

    /// The stored modules row by row (colour, confidence) and the row
    /// length; empty for a grid too large to store.
    pub(crate) fn cells(&self) -> (&[bool], &[u8], usize) {
        (&self.dark, &self.confidence, self.stored_size())
    }

    /// Whether module `(x, y)` is dark (light outside the grid).
    pub(crate) fn get(&self, x: usize, y: usize) -> bool {
        self.index(x, y)
            .and_then(|i| self.dark.get(i).copied())
            .unwrap_or(false)
    }

    /// The module's confidence ([`UNKNOWN`] outside the grid).
    pub(crate) fn confidence(&self, x: usize, y: usize) -> u8 {
        self.index(x, y)
            .and_then(|i| self.confidence.get(i).copied())
            .unwrap_or(UNKNOWN)
    }

    /// The grid mirrored about its main diagonal: module `(x, y)` of the
    /// result is module `(y, x)` of `self`. A symbol seen from behind (or
    /// printed mirrored) reads correctly once transposed, whichever axis it
    /// was flipped on, because QR decoding does not depend on rotation.
    pub(crate) fn transposed(&self) -> ModuleGrid {
        let mut out = ModuleGrid::new(self.size);
        let stored = self.stored_size();
        for y in 0..stored {
            for x in 0..stored {
                out.set(y, x, self.get(x, y), self.confidence(x, y));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_and_confidence() {
        let mut g = ModuleGrid::new(21);
        assert_eq!(g.size(), 21);
        assert!(!g.get(3, 4));
        assert_eq!(g.confidence(3, 4), UNKNOWN);
        g.set(3, 4, true, 200);
        assert!(g.get(3, 4));
        assert_eq!(g.confidence(3, 4), 200);
        assert!(!g.get(4, 3), "x and y are not swapped");
    }

    #[test]
    fn outside_reads_are_light_unknown_and_writes_are_ignored() {
        let mut g = ModuleGrid::from_fn(5, |_, _| true);
        g.set(5, 0, true, CERTAIN);
        g.set(usize::MAX, usize::MAX, true, CERTAIN);
        assert!(!g.get(5, 0));
        assert!(!g.get(0, 5));
        assert_eq!(g.confidence(0, 99), UNKNOWN);
        assert_eq!(g, ModuleGrid::from_fn(5, |_, _| true));
        // Degenerate sizes do not panic.
        let empty = ModuleGrid::new(0);
        assert!(!empty.get(0, 0));
        assert_eq!(empty.transposed(), empty);
        // Absurd sizes allocate nothing and stay quick.
        let huge = ModuleGrid::from_fn(usize::MAX, |_, _| true);
        assert_eq!(huge.size(), usize::MAX);
        assert!(!huge.get(0, 0));
        assert_eq!(huge.transposed().confidence(1, 1), UNKNOWN);
        assert!(!ModuleGrid::new(MAX_STORED_SIZE).get(MAX_STORED_SIZE - 1, 0));
    }

    #[test]
    fn transpose_swaps_axes_with_confidence() {
        let mut g = ModuleGrid::from_fn(7, |x, y| x > 2 * y);
        g.set(1, 5, true, 9);
        let t = g.transposed();
        for y in 0..7 {
            for x in 0..7 {
                assert_eq!(t.get(y, x), g.get(x, y));
                assert_eq!(t.confidence(y, x), g.confidence(x, y));
            }
        }
        assert_eq!(t.transposed(), g);
    }
}
