//! Images made to cost a reader the most: fields of finder-like patterns,
//! where every triple is a candidate symbol.

/// A `w` x `h` grey image tiled with finder patterns (7 x 7 modules of `px`
/// pixels, dark-light-dark rings, a one-module light border) on a grid
/// jittered by up to a module, the same image for the same arguments.
pub fn finder_field(w: usize, h: usize, px: usize) -> Vec<u8> {
    let mut img = vec![255u8; w * h];
    let cell = 9 * px;
    // xorshift32: the jitter of each cell; kept so the image stays the one
    // the limits test and the adversarial timings were calibrated on.
    let mut seed = 0x2545_f491_u32;
    for cy in 0..h / cell.max(1) {
        for cx in 0..w / cell.max(1) {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let (ox, oy) = (
                cx * cell + (seed as usize % px),
                cy * cell + (seed as usize / 7 % px),
            );
            for my in 0..7 {
                for mx in 0..7 {
                    // Ring 1 (the light one) stays light.
                    let ring = mx.min(my).min(6 - mx).min(6 - my);
                    if ring != 1 {
                        for y in 0..px {
                            let row = (oy + px + my * px + y) * w;
                            let start = row + ox + px + mx * px;
                            if let Some(s) = img.get_mut(start..start + px) {
                                s.fill(0);
                            }
                        }
                    }
                }
            }
        }
    }
    img
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_of_finders_has_their_proportions() {
        let (w, h, px) = (90, 45, 5);
        let img = finder_field(w, h, px);
        assert_eq!(img.len(), w * h);
        // Dark is 33 of every 49 finder modules: centre 3 x 3 plus the outer ring of 24.
        let dark = img.iter().filter(|&&p| p == 0).count();
        let finders = (w / (9 * px)) * (h / (9 * px));
        assert_eq!(dark, finders * 33 * px * px);
        assert_eq!(finder_field(w, h, px), img, "deterministic");
    }
}
