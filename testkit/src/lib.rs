//! Test support shared by civiqr's unit tests, integration tests, benches and
//! fuzz regressions: one deterministic RNG ([`Rng`]), one rasterizer from a
//! module grid to grey pixels ([`Grid`], [`Raster`]) and one distortion
//! generator ([`Distortion`]) for rotation, perspective, blur, noise, uneven
//! light and inversion; [`Quad`] for a symbol under any perspective, with
//! where its modules land; [`finder_field`] for the reader's worst case.
//!
//! The crate does not depend on `civiqr`, so `civiqr`'s own `#[cfg(test)]`
//! code can use it without a dependency cycle. A symbol enters as a
//! [`Grid`] built from its `get(x, y)`:
//!
//! ```
//! use civiqr_testkit::{Grid, Raster};
//! // A 2 x 2 checkerboard standing in for `code.get(x, y)`.
//! let grid = Grid::from_fn(2, 2, |x, y| (x + y) % 2 == 0);
//! let img = Raster::new(3).quiet(1).draw(&grid);
//! assert_eq!((img.width, img.height), (12, 12));
//! assert_eq!(img.get(3, 3), 0); // module (0, 0): dark
//! assert_eq!(img.get(6, 3), 255); // module (1, 0): light
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod adversarial;
mod distort;
mod gray;
mod quad;
mod raster;
mod rng;
mod samples;
mod score;

pub use adversarial::finder_field;
pub use distort::Distortion;
pub use gray::Gray;
pub use quad::Quad;
pub use raster::{Grid, Raster};
pub use rng::Rng;
pub use samples::skip_without_samples;
pub use score::ModuleScore;
