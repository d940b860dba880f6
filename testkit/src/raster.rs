//! Module grids and drawing them as grey pixels.

use crate::Gray;

/// A grid of modules, `true` for dark: the symbol a test draws. Built from
/// any `(x, y) -> bool`, such as `civiqr::QrCode::get`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    width: usize,
    height: usize,
    dark: Vec<bool>,
}

impl Grid {
    /// A `width` x `height` grid whose module `(x, y)` is `dark(x, y)`.
    pub fn from_fn(width: usize, height: usize, dark: impl Fn(usize, usize) -> bool) -> Self {
        let dark = (0..width * height)
            .map(|i| dark(i % width, i / width))
            .collect();
        Grid {
            width,
            height,
            dark,
        }
    }

    /// Width in modules.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in modules.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Whether module `(x, y)` is dark; `false` outside the grid (the quiet
    /// zone), so callers need not check bounds.
    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.height && self.dark[y * self.width + x]
    }
}

/// How to draw a [`Grid`] upright and sharp: a whole number of pixels per
/// module, a light quiet zone, two grey levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Raster {
    /// Pixels per module (no default; [`Raster::new`] takes it).
    pub scale: usize,
    /// Quiet zone on every side, in modules. Default 4 (QR Code's; Micro QR
    /// and rMQR need 2).
    pub quiet: usize,
    /// Grey level of dark modules. Default 0.
    pub ink: u8,
    /// Grey level of light modules and the quiet zone. Default 255.
    pub paper: u8,
}

impl Raster {
    /// `scale` pixels per module, a 4-module quiet zone, black on white.
    pub fn new(scale: usize) -> Self {
        Raster {
            scale,
            quiet: 4,
            ink: 0,
            paper: 255,
        }
    }

    /// Sets the quiet zone in modules.
    pub fn quiet(mut self, modules: usize) -> Self {
        self.quiet = modules;
        self
    }

    /// Sets the grey levels of dark and light modules.
    pub fn levels(mut self, ink: u8, paper: u8) -> Self {
        self.ink = ink;
        self.paper = paper;
        self
    }

    /// The grid as an image of `(width + 2 quiet) * scale` by
    /// `(height + 2 quiet) * scale` pixels.
    pub fn draw(&self, grid: &Grid) -> Gray {
        let s = self.scale.max(1);
        let w = (grid.width + 2 * self.quiet) * s;
        let h = (grid.height + 2 * self.quiet) * s;
        let data = (0..w * h)
            .map(|i| {
                let (mx, my) = (i % w / s, i / w / s);
                let dark = mx >= self.quiet
                    && my >= self.quiet
                    && grid.get(mx - self.quiet, my - self.quiet);
                if dark {
                    self.ink
                } else {
                    self.paper
                }
            })
            .collect();
        Gray {
            width: w,
            height: h,
            data,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_reads_its_function_and_is_light_outside() {
        let g = Grid::from_fn(3, 2, |x, y| x == 2 && y == 1);
        assert_eq!((g.width(), g.height()), (3, 2));
        assert!(g.get(2, 1));
        assert!(!g.get(1, 1) && !g.get(2, 0));
        assert!(!g.get(3, 1) && !g.get(2, 2) && !g.get(usize::MAX, 0));
    }

    #[test]
    fn draw_places_every_module_at_scale_inside_the_quiet_zone() {
        // An L shape in a 3 x 2 grid, 2 px per module, 1-module quiet zone.
        let g = Grid::from_fn(3, 2, |x, y| y == 1 || x == 0);
        let img = Raster::new(2).quiet(1).levels(10, 200).draw(&g);
        assert_eq!((img.width, img.height), (10, 8));
        for y in 0..8 {
            for x in 0..10 {
                let (mx, my) = (x / 2, y / 2);
                let dark = (1..4).contains(&mx) && (1..3).contains(&my) && g.get(mx - 1, my - 1);
                assert_eq!(img.get(x, y), if dark { 10 } else { 200 }, "({x}, {y})");
            }
        }
    }

    #[test]
    fn default_raster_is_black_on_white_with_four_modules_of_quiet_zone() {
        let img = Raster::new(1).draw(&Grid::from_fn(1, 1, |_, _| true));
        assert_eq!((img.width, img.height), (9, 9));
        assert_eq!(img.data.iter().filter(|&&v| v == 0).count(), 1);
        assert_eq!(img.get(4, 4), 0);
        assert_eq!(img.get(3, 4), 255);
    }
}
