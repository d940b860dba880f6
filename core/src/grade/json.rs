//! A symbol's grade as the JSON object every front end prints (`civiqr grade
//! --json`, the batch manifest, JavaScript's `grade`), written here once so
//! that they cannot drift apart; docs/cli-grade.schema.json describes it.

use super::{letter, Measure, SymbolGrade, Ungraded};

/// A number as JSON writes it: the shortest text that reads back the same
/// value, `null` for NaN and infinities (which JSON cannot hold).
fn number(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else {
        "null".to_string()
    }
}

fn measure(m: &Measure) -> String {
    let value = m.value.map_or("null".to_string(), number);
    format!("{{\"value\":{value},\"grade\":{}}}", m.grade)
}

/// The grade object: `overall` (0.0-4.0), `letter`, `calibrated`,
/// `aperture_px`, `parameters` (each `{"value", "grade"}`), `blocks`,
/// `segments` and `wrong_modules`.
pub fn grade_json(g: &SymbolGrade) -> String {
    let parameters: Vec<String> = g
        .parameters()
        .named()
        .iter()
        .map(|(name, m)| format!("\"{name}\":{}", measure(m)))
        .collect();
    let blocks: Vec<String> = g
        .blocks()
        .iter()
        .map(|b| {
            format!(
                "{{\"data_codewords\":{},\"ec_codewords\":{},\"misdecode_protection\":{},\"corrected\":{},\"unused\":{}}}",
                b.data_codewords,
                b.ec_codewords,
                b.misdecode_protection,
                b.corrected.len(),
                number(b.unused)
            )
        })
        .collect();
    let segments: Vec<String> = g
        .segments()
        .iter()
        .map(|s| {
            format!(
                "{{\"name\":\"{}\",\"grade\":{},\"wrong\":{}}}",
                s.name, s.grade, s.wrong
            )
        })
        .collect();
    format!(
        "{{\"overall\":{},\"letter\":\"{}\",\"calibrated\":{},\"aperture_px\":{},\"parameters\":{{{}}},\"blocks\":[{}],\"segments\":[{}],\"wrong_modules\":{}}}",
        number(f64::from(g.overall())),
        letter(g.overall()),
        g.calibrated(),
        number(g.aperture_px()),
        parameters.join(","),
        blocks.join(","),
        segments.join(","),
        g.damage_map().wrong_modules().len()
    )
}

impl Ungraded {
    /// Why, in the words the JSON outputs use for `"ungraded"`.
    pub fn reason(&self) -> &'static str {
        match self {
            Ungraded::Symbology => "symbology not graded",
            Ungraded::Geometry => "no sampling grid",
        }
    }
}
