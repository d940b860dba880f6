//! Grade bands and the rules that turn module measurements into parameter
//! grades (ISO/IEC 15415's matrix-symbol parameters; sources and the
//! choices made where they are silent in docs/GRADING.md).

use super::reference::{unused_ec, BlockUse, ModuleKind};

/// Rounding slack at a limit: 51/255 grey levels of contrast is SC 0.20,
/// though `1.0 - 0.8` is a hair below it in floating point.
const LIMIT_SLACK: f64 = 1e-9;

/// Lower limits of grades 4, 3, 2, 1 for a parameter where more is better
/// (limits included, as Cognex VisionPro and NI Vision apply them).
pub(crate) fn grade_at_least(value: f64, limits: [f64; 4]) -> u8 {
    limits
        .iter()
        .position(|&l| value >= l - LIMIT_SLACK)
        .map_or(0, |i| 4 - i as u8)
}

/// Upper limits of grades 4, 3, 2, 1 for a parameter where less is better.
pub(crate) fn grade_at_most(value: f64, limits: [f64; 4]) -> u8 {
    limits
        .iter()
        .position(|&l| value <= l + LIMIT_SLACK)
        .map_or(0, |i| 4 - i as u8)
}

/// Symbol contrast: 70 / 55 / 40 / 20 %.
pub(crate) const SC: [f64; 4] = [0.70, 0.55, 0.40, 0.20];
/// Module modulation and reflectance margin: 0.50 / 0.40 / 0.30 / 0.20.
pub(crate) const MODULATION: [f64; 4] = [0.50, 0.40, 0.30, 0.20];
/// Axial nonuniformity: 0.06 / 0.08 / 0.10 / 0.12.
pub(crate) const AN: [f64; 4] = [0.06, 0.08, 0.10, 0.12];
/// Grid nonuniformity in modules: 0.38 / 0.50 / 0.63 / 0.75.
pub(crate) const GN: [f64; 4] = [0.38, 0.50, 0.63, 0.75];
/// Unused error correction: 0.62 / 0.50 / 0.37 / 0.25.
pub(crate) const UEC: [f64; 4] = [0.62, 0.50, 0.37, 0.25];
/// Print growth `|D'|` (growth over the half-module tolerance): 0.50 /
/// 0.70 / 0.85 / 1.00, the bands of the 2000 edition.
pub(crate) const GROWTH: [f64; 4] = [0.50, 0.70, 0.85, 1.00];

/// The modulation overlay: each codeword takes its weakest module's grade;
/// level `L` holds when, counting the codewords graded below `L` as
/// erasures, every block's notional unused error correction still grades
/// `L` or better. The result is the highest level that holds (0 if none).
pub(crate) fn overlay(module_grades: &[u8], kinds: &[ModuleKind], blocks: &[BlockUse]) -> u8 {
    let mut codeword_grade: Vec<Vec<u8>> = blocks
        .iter()
        .map(|b| vec![4; b.data_codewords + b.ec_codewords])
        .collect();
    for (g, kind) in module_grades.iter().zip(kinds) {
        if let ModuleKind::Data { block, index } = *kind {
            if let Some(c) = codeword_grade
                .get_mut(usize::from(block))
                .and_then(|b| b.get_mut(usize::from(index)))
            {
                *c = (*c).min(*g);
            }
        }
    }
    (1..=4u8)
        .rev()
        .find(|&level| {
            blocks.iter().zip(&codeword_grade).all(|(b, grades)| {
                let damaged = grades.iter().filter(|&&g| g < level).count();
                let u = unused_ec(b.ec_codewords, b.misdecode_protection, damaged, 0);
                grade_at_least(u, UEC) >= level
            })
        })
        .unwrap_or(0)
}

/// One fixed-pattern segment's grade.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SegmentGrade {
    /// `"ULP"`, `"URP"`, `"LLP"` (finders with separators), `"HCT"`,
    /// `"VCT"` (timing), `"ALP"` (alignment), `"FI"` (format), `"VI"`
    /// (version); rMQR adds `"SFP"` (sub-finder) and `"CFP"` (corner finders).
    pub name: &'static str,
    /// The segment's grade, 4 to 0.
    pub grade: u8,
    /// Modules read on the wrong side of the threshold.
    pub wrong: usize,
    /// Modules in the segment.
    pub modules: usize,
}

/// A segment's grade from its modules' margin grades (0 for a module on the
/// wrong side): level `L` holds when at most `4 - L` modules grade below
/// it. With colour errors alone this is the count rule 0/1/2/3/4+ damaged
/// modules -> 4/3/2/1/0; low margins count at the levels they miss.
fn segment_grade(grades: &[u8]) -> u8 {
    (1..=4u8)
        .rev()
        .find(|&level| grades.iter().filter(|&&g| g < level).count() <= usize::from(4 - level))
        .unwrap_or(0)
}

/// Fixed pattern damage: every segment graded, then the lowest segment
/// grade and the grade of the segments' mean (4.0 gives 4, at least 3.5
/// gives 3, 3.0 gives 2, 2.5 gives 1, else 0), whichever is lower, as
/// ISO/IEC 15415 does for Data Matrix. Returns the grade, the mean and the
/// segments.
pub(crate) fn fixed_pattern(
    margin_grades: &[u8],
    wrong: &[bool],
    kinds: &[ModuleKind],
) -> (u8, f64, Vec<SegmentGrade>) {
    const NAMES: [&str; 10] = [
        "ULP", "URP", "LLP", "HCT", "VCT", "ALP", "FI", "VI", "SFP", "CFP",
    ];
    let segment = |k: &ModuleKind| match k {
        ModuleKind::Finder(i) => Some(usize::from(*i).min(2)),
        ModuleKind::TimingH => Some(3),
        ModuleKind::TimingV => Some(4),
        ModuleKind::Alignment => Some(5),
        ModuleKind::Format => Some(6),
        ModuleKind::Version => Some(7),
        ModuleKind::SubFinder => Some(8),
        ModuleKind::Corner => Some(9),
        _ => None,
    };
    let mut grades: Vec<Vec<u8>> = vec![Vec::new(); NAMES.len()];
    let mut wrong_count = [0usize; NAMES.len()];
    for ((g, w), k) in margin_grades.iter().zip(wrong).zip(kinds) {
        if let Some(s) = segment(k) {
            grades[s].push(*g);
            wrong_count[s] += usize::from(*w);
        }
    }
    let segments: Vec<SegmentGrade> = NAMES
        .iter()
        .zip(&grades)
        .zip(wrong_count)
        .filter(|((_, g), _)| !g.is_empty())
        .map(|((name, g), wrong)| SegmentGrade {
            name,
            grade: segment_grade(g),
            wrong,
            modules: g.len(),
        })
        .collect();
    let worst = segments.iter().map(|s| s.grade).min().unwrap_or(0);
    let mean =
        segments.iter().map(|s| f64::from(s.grade)).sum::<f64>() / segments.len().max(1) as f64;
    let average = match mean {
        m if m >= 4.0 => 4,
        m if m >= 3.5 => 3,
        m if m >= 3.0 => 2,
        m if m >= 2.5 => 1,
        _ => 0,
    };
    (worst.min(average), mean, segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_include_their_limits() {
        assert_eq!(grade_at_least(0.70, SC), 4);
        assert_eq!(grade_at_least(0.6999, SC), 3);
        assert_eq!(grade_at_least(0.20, SC), 1);
        assert_eq!(grade_at_least(0.19, SC), 0);
        assert_eq!(grade_at_most(0.06, AN), 4);
        assert_eq!(grade_at_most(0.061, AN), 3);
        assert_eq!(grade_at_most(0.76, GN), 0);
    }

    #[test]
    fn segments_follow_the_count_rule() {
        assert_eq!(segment_grade(&[4; 49]), 4);
        let mut g = vec![4u8; 49];
        g[0] = 0;
        assert_eq!(segment_grade(&g), 3);
        g[1] = 0;
        g[2] = 0;
        assert_eq!(segment_grade(&g), 1);
        g[3] = 0;
        assert_eq!(segment_grade(&g), 0);
        // One weak but right module costs only the levels it misses.
        let mut g = vec![4u8; 49];
        g[5] = 2;
        assert_eq!(segment_grade(&g), 3);
    }

    #[test]
    fn overlay_counts_weak_codewords_as_erasures() {
        let block = BlockUse {
            data_codewords: 9,
            ec_codewords: 17,
            misdecode_protection: 1,
            corrected: Vec::new(),
            unused: 1.0,
        };
        let kinds: Vec<ModuleKind> = (0..26 * 8)
            .map(|i| ModuleKind::Data {
                block: 0,
                index: (i / 8) as u16,
            })
            .collect();
        let mut grades = vec![4u8; 26 * 8];
        assert_eq!(overlay(&grades, &kinds, std::slice::from_ref(&block)), 4);
        // 7 codewords at grade 2 leave 1 - 7/16 = 0.56 (grade 3): level 4
        // fails, level 3 holds (they are below 3 but the budget grades 3).
        for cw in 0..7 {
            grades[cw * 8 + 3] = 2;
        }
        assert_eq!(overlay(&grades, &kinds, std::slice::from_ref(&block)), 3);
        // Four more at grade 0: level 3 counts 11 (5/16 = 0.31, grade 1)
        // and fails; level 2 counts the four (0.75) and holds.
        for cw in 7..11 {
            grades[cw * 8] = 0;
        }
        assert_eq!(overlay(&grades, &kinds, &[block]), 2);
    }
}
