//! Module layouts of the small symbologies, Micro QR (ISO/IEC 18004 6.3,
//! 7.7.3) and rMQR (ISO/IEC 23941 6.3, 7.7.3): which modules are function
//! patterns, their colours, and the order data modules are filled in.

/// A rectangular layout: `width` x `height` modules, row-major.
pub(crate) struct Layout {
    pub(crate) width: usize,
    pub(crate) height: usize,
    /// Whether each module is part of a function pattern (or format information).
    pub(crate) func: Vec<bool>,
    /// Colour of the function modules (format information left light).
    pub(crate) dark: Vec<bool>,
    /// `(x, y)` of each data module in placement order.
    pub(crate) data_pos: Vec<(u8, u8)>,
}

impl Layout {
    pub(crate) fn new(width: usize, height: usize) -> Layout {
        Layout {
            width,
            height,
            func: vec![false; width * height],
            dark: vec![false; width * height],
            data_pos: Vec::new(),
        }
    }

    /// Marks `(x, y)` as a function module of colour `dark`.
    pub(crate) fn set(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.width + x;
        self.func[i] = true;
        self.dark[i] = dark;
    }

    pub(crate) fn is_func(&self, x: usize, y: usize) -> bool {
        self.func[y * self.width + x]
    }

    /// Fills `data_pos` with the non-function modules in the two-column
    /// zigzag: column pairs from `right` leftwards, the first pair upwards,
    /// turning at the top and bottom edges.
    pub(crate) fn zigzag(&mut self, right: usize) {
        let mut pos = Vec::new();
        let mut upward = true;
        let mut r = right as isize;
        while r >= 0 {
            for step in 0..self.height {
                let y = if upward { self.height - 1 - step } else { step };
                for x in [r, r - 1] {
                    if x >= 0 && !self.is_func(x as usize, y) {
                        pos.push((x as u8, y as u8));
                    }
                }
            }
            upward = !upward;
            r -= 2;
        }
        self.data_pos = pos;
    }
}

/// Places the codeword bits (most significant first) into a module grid
/// (`true` dark, row-major) along the layout's data order; `bits` counts
/// how many bits of the codeword sequence are used (a Micro QR M1 or M3
/// symbol's last data codeword has 4 bits, its high nibble). Modules left
/// over stay light.
pub(crate) fn place_bits(
    layout: &Layout,
    codewords: &[u8],
    half_at: Option<usize>,
    out: &mut [bool],
) {
    let mut k = 0;
    for (i, &cw) in codewords.iter().enumerate() {
        let n = if Some(i) == half_at { 4 } else { 8 };
        for b in 0..n {
            let Some(&(x, y)) = layout.data_pos.get(k) else {
                return;
            };
            out[y as usize * layout.width + x as usize] = (cw >> (7 - b)) & 1 != 0;
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_visits_every_free_module_once() {
        let mut l = Layout::new(13, 7);
        l.set(0, 0, true);
        l.set(12, 6, true);
        l.zigzag(12);
        assert_eq!(l.data_pos.len(), 13 * 7 - 2);
        // Upwards first from the bottom-right, right column before left.
        assert_eq!(l.data_pos[0], (11, 6));
        assert_eq!(l.data_pos[1], (12, 5));
        let mut seen = std::collections::HashSet::new();
        assert!(l.data_pos.iter().all(|p| seen.insert(*p)));
    }
}
