//! Print-quality grading of QR Code, Micro QR and rMQR symbols by the method
//! of ISO/IEC 15415 with the specifics of ISO/IEC 18004 and ISO/IEC 23941
//! (method, clauses and limits: docs/GRADING.md).
//!
//! [`grade`] reads an image, then for each QR Code found builds the
//! reference reflectance image (a circular synthetic aperture), measures
//! the symbol contrast and global threshold, fits the sampling grid to the
//! finder, timing and alignment patterns, decodes the symbol binarised at
//! the threshold, rebuilds the ideal symbol from the corrected codewords and
//! grades every parameter 4 to 0 (A to F). Without an aperture and a
//! reflectance calibration the reflectance grades are indicative:
//! [`SymbolGrade::calibrated`] says which.
//!
//! ```
//! use civiqr::grade::{grade, GradeOptions};
//! use civiqr::{encode_text, EncodeOptions, ImageRef};
//! let code = encode_text("https://example.org/bench/12", &EncodeOptions::default())?;
//! let (scale, quiet) = (6, 4);
//! let side = (code.size() + 2 * quiet) * scale;
//! let pixels: Vec<u8> = (0..side * side)
//!     .map(|i| {
//!         let (x, y) = ((i % side) / scale, (i / side) / scale);
//!         let dark = x >= quiet && y >= quiet && code.get(x - quiet, y - quiet);
//!         if dark { 0 } else { 255 }
//!     })
//!     .collect();
//! let graded = grade(ImageRef::luma(&pixels, side, side), &GradeOptions::default())?;
//! let report = graded[0].report().expect("a QR Code is graded");
//! assert_eq!(report.overall(), 4);
//! assert!(!report.calibrated());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "png")]
mod annotate;
mod fit;
mod grid;
mod json;
mod measure;
mod params;
mod reference;
mod rmqr;
mod score;
mod symbol;

#[cfg(feature = "png")]
pub use annotate::{annotate_png, annotate_svg};
#[cfg(feature = "audit")]
pub(crate) use annotate::{base64, draw_damage, Canvas};
pub use json::grade_json;
pub use params::Parameters;
pub use reference::{BlockUse, ModuleKind};
pub use score::SegmentGrade;
pub use symbol::{DamageMap, ModuleState, SymbolGrade};

use crate::decode::Decoded;
use crate::error::DecodeError;
use crate::read::{decode, DecodeOptions, ImageRef};

/// A measured value and its grade, 4 (A) to 0 (F). `value` is `None` when
/// it could not be measured (its grade is then 0).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Measure {
    /// The value in the parameter's unit (docs/GRADING.md).
    pub value: Option<f64>,
    /// The grade, 4 to 0.
    pub grade: u8,
}

impl Measure {
    pub(crate) fn new(value: f64, grade: u8) -> Measure {
        Measure {
            value: Some(value),
            grade,
        }
    }

    pub(crate) const UNMEASURED: Measure = Measure {
        value: None,
        grade: 0,
    };
}

/// The letter of a grade: 4 A, 3 B, 2 C, 1 D, 0 F.
pub fn letter(grade: u8) -> char {
    match grade {
        4.. => 'A',
        3 => 'B',
        2 => 'C',
        1 => 'D',
        0 => 'F',
    }
}

/// The synthetic aperture's diameter.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Aperture {
    /// In image pixels (a physical aperture times the image's pixels per unit).
    Pixels(f64),
    /// As a fraction of the symbol's measured module size.
    Modules(f64),
}

/// A linear map from grey level to reflectance through two reference
/// patches of known reflectance (a calibration card photographed with the
/// symbol, exposure locked).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    dark: (u8, f64),
    light: (u8, f64),
}

/// An option the grader cannot use.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum GradeOptionError {
    /// The aperture is not a positive, finite size (the value given).
    Aperture(f64),
    /// The calibration patches' grey levels must differ, the dark one lower,
    /// with reflectances in 0..=1, the dark one lower.
    Calibration {
        /// The dark patch (grey level, reflectance).
        dark: (u8, f64),
        /// The light patch (grey level, reflectance).
        light: (u8, f64),
    },
}

impl std::fmt::Display for GradeOptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GradeOptionError::Aperture(a) => {
                write!(f, "aperture {a}: must be a positive size")
            }
            GradeOptionError::Calibration { dark, light } => write!(
                f,
                "calibration dark {}:{} light {}:{}: the dark patch needs the lower grey \
                 level and the lower reflectance, reflectances 0 to 1",
                dark.0, dark.1, light.0, light.1
            ),
        }
    }
}

impl std::error::Error for GradeOptionError {}

impl Calibration {
    /// The patches as (grey level, reflectance 0..=1).
    pub fn new(dark: (u8, f64), light: (u8, f64)) -> Result<Calibration, GradeOptionError> {
        let ok = dark.0 < light.0
            && (0.0..=1.0).contains(&dark.1)
            && (0.0..=1.0).contains(&light.1)
            && dark.1 < light.1;
        if ok {
            Ok(Calibration { dark, light })
        } else {
            Err(GradeOptionError::Calibration { dark, light })
        }
    }

    /// The reflectance of a grey level, clamped to 0..=1.
    pub fn reflectance(&self, grey: u8) -> f64 {
        let (g0, r0) = (f64::from(self.dark.0), self.dark.1);
        let (g1, r1) = (f64::from(self.light.0), self.light.1);
        (r0 + (f64::from(grey) - g0) * (r1 - r0) / (g1 - g0)).clamp(0.0, 1.0)
    }
}

/// How to grade. Defaults: the reader's default options, an aperture of
/// 0.8 module (GS1's usual 80 % of X), grey level / 255 as reflectance.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct GradeOptions {
    decode: DecodeOptions,
    aperture: Option<Aperture>,
    calibration: Option<Calibration>,
}

/// The default aperture, in modules.
const DEFAULT_APERTURE: f64 = 0.8;

impl GradeOptions {
    /// How symbols are found.
    pub fn decode_options(mut self, options: DecodeOptions) -> Self {
        self.decode = options;
        self
    }

    /// The synthetic aperture.
    pub fn aperture(mut self, aperture: Aperture) -> Result<Self, GradeOptionError> {
        let size = match aperture {
            Aperture::Pixels(v) | Aperture::Modules(v) => v,
        };
        if !(size.is_finite() && size > 0.0) {
            return Err(GradeOptionError::Aperture(size));
        }
        self.aperture = Some(aperture);
        Ok(self)
    }

    /// The reflectance calibration.
    pub fn calibration(mut self, calibration: Calibration) -> Self {
        self.calibration = Some(calibration);
        self
    }

    /// Whether both an aperture and a calibration were given.
    pub fn is_calibrated(&self) -> bool {
        self.aperture.is_some() && self.calibration.is_some()
    }
}

/// Why a symbol that was read was not graded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ungraded {
    /// Grading covers QR Code Model 2, Micro QR and rMQR; Model 1 is read
    /// but not graded (docs/GRADING.md says why).
    Symbology,
    /// The symbol's outline could not be turned into a sampling grid.
    Geometry,
}

/// One symbol the reader found, with its grade.
#[derive(Clone, Debug, PartialEq)]
pub struct Graded {
    decoded: Decoded,
    report: Result<SymbolGrade, Ungraded>,
}

impl Graded {
    /// What the reader decoded.
    pub fn decoded(&self) -> &Decoded {
        &self.decoded
    }

    /// The grade, or why there is none.
    pub fn report(&self) -> Result<&SymbolGrade, Ungraded> {
        self.report.as_ref().map_err(|e| *e)
    }
}

/// Reads the image and grades every QR Code, Micro QR and rMQR symbol in it.
pub fn grade(image: ImageRef<'_>, options: &GradeOptions) -> Result<Vec<Graded>, DecodeError> {
    let found = decode(image, &options.decode)?;
    let gray = crate::read::Gray::from_image(&image);
    let refl = measure::Reflectance::new(&gray.data, gray.width, gray.height, options.calibration);
    Ok(found
        .into_iter()
        .map(|decoded| {
            let report = symbol::grade_symbol(&refl, &decoded, options);
            Graded { decoded, report }
        })
        .collect())
}

/// An image file's pixels, read once to grade and then to annotate.
#[cfg(feature = "image")]
pub struct ImageFile {
    pixels: crate::read::Pixels,
}

#[cfg(feature = "image")]
impl ImageFile {
    /// Reads and decodes an image file (PNG, JPEG, WebP, GIF, BMP, TIFF)
    /// within the options' byte and pixel limits.
    pub fn open(
        path: impl AsRef<std::path::Path>,
        options: &DecodeOptions,
    ) -> Result<ImageFile, DecodeError> {
        let bytes = crate::read::read_image_file(path.as_ref(), options)?;
        ImageFile::from_bytes(&bytes, options)
    }

    /// Decodes an image file held in memory.
    pub fn from_bytes(bytes: &[u8], options: &DecodeOptions) -> Result<ImageFile, DecodeError> {
        Ok(ImageFile {
            pixels: crate::read::image_pixels(bytes, options)?,
        })
    }

    /// The pixels, for [`grade`] and the annotations.
    pub fn image(&self) -> ImageRef<'_> {
        self.pixels.image()
    }
}

impl GradeOptions {
    /// The reader's options in use.
    pub fn get_decode_options(&self) -> &DecodeOptions {
        &self.decode
    }
}
