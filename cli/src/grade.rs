//! `civiqr grade`: ISO/IEC 15415 parameters of every QR Code and Micro QR in image
//! files, as text or one JSON line per file, and the damage map drawn over
//! the image (`--annotate`). Exit 0 when every file had a symbol, 1
//! otherwise, 2 on usage errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::{json, Value};

use civiqr::grade::{
    annotate_png, annotate_svg, grade, letter, Aperture, Calibration, GradeOptions, Graded,
    ImageFile, SymbolGrade,
};
use civiqr::DecodeOptions;

/// `civiqr grade`.
#[derive(Debug, Args)]
#[command(after_help = "\
Grades are 4..0 (A..F); the overall grade is the lowest graded parameter.
Without --aperture and --calibrate the reflectance grades are indicative
(\"calibrated\": false): a phone photo has no known reflectance scale.
Method and limits: docs/GRADING.md.

Examples:
  civiqr grade sign-17.jpg
  civiqr grade photos/*.jpg --json > grades.jsonl
  civiqr grade sign-17.jpg --annotate sign-17-damage.svg")]
pub struct GradeArgs {
    /// Image files (PNG, JPEG, WebP, GIF, BMP, TIFF).
    #[arg(value_name = "IMAGE", required = true)]
    pub files: Vec<PathBuf>,
    /// One JSON line per file: {"file", "codes": [{"text", "grade": {...}}]}.
    #[arg(long)]
    pub json: bool,
    /// Draw the damage map over the image: OUT ending .svg or .png; with several
    /// images OUT must contain {name}, replaced by each image's file stem.
    #[arg(long, value_name = "OUT")]
    pub annotate: Option<PathBuf>,
    /// Synthetic aperture: pixels (e.g. 6px) or a fraction of the module (e.g.
    /// 0.8x) [default: 0.8x].
    #[arg(long, value_name = "SIZE", value_parser = parse_aperture)]
    pub aperture: Option<Aperture>,
    /// Reflectance calibration from two patches photographed with the symbol:
    /// DARK_GREY:DARK_R,LIGHT_GREY:LIGHT_R with R in 0..1 (e.g. 18:0.05,231:0.90).
    #[arg(long, value_name = "PATCHES", value_parser = parse_calibration)]
    pub calibrate: Option<Calibration>,
    /// More binarizers and candidates when looking for symbols (slower).
    #[arg(long)]
    pub try_harder: bool,
}

pub(crate) fn parse_aperture(s: &str) -> Result<Aperture, String> {
    let (num, unit) = if let Some(n) = s.strip_suffix("px") {
        (n, Aperture::Pixels as fn(f64) -> Aperture)
    } else if let Some(n) = s.strip_suffix(['x', 'X']) {
        (n, Aperture::Modules as fn(f64) -> Aperture)
    } else {
        return Err(format!("{s:?}: give pixels (6px) or modules (0.8x)"));
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: not a number before the unit"))?;
    let a = unit(v);
    GradeOptions::default()
        .aperture(a)
        .map_err(|e| e.to_string())?;
    Ok(a)
}

pub(crate) fn parse_calibration(s: &str) -> Result<Calibration, String> {
    let patch = |p: &str| -> Result<(u8, f64), String> {
        let (g, r) = p
            .split_once(':')
            .ok_or_else(|| format!("{p:?}: expected GREY:REFLECTANCE"))?;
        let g: u8 = g
            .trim()
            .parse()
            .map_err(|_| format!("{g:?}: grey level 0-255"))?;
        let r: f64 = r
            .trim()
            .parse()
            .map_err(|_| format!("{r:?}: reflectance 0-1"))?;
        Ok((g, r))
    };
    let (dark, light) = s
        .split_once(',')
        .ok_or_else(|| format!("{s:?}: expected DARK_GREY:R,LIGHT_GREY:R"))?;
    Calibration::new(patch(dark)?, patch(light)?).map_err(|e| e.to_string())
}

/// Runs `civiqr grade`.
pub fn run(a: GradeArgs) -> Result<ExitCode, String> {
    if let Some(out) = &a.annotate {
        annotation_format(out)?;
        if a.files.len() > 1 && !out.to_string_lossy().contains("{name}") {
            return Err(format!(
                "--annotate {}: with several images the name must contain {{name}}",
                out.display()
            ));
        }
    }
    let decode = DecodeOptions::default().try_harder(a.try_harder);
    let mut options = GradeOptions::default().decode_options(decode.clone());
    if let Some(ap) = a.aperture {
        options = options
            .aperture(ap)
            .map_err(|e| format!("--aperture: {e}"))?;
    }
    if let Some(c) = a.calibrate {
        options = options.calibration(c);
    }
    let mut all_found = true;
    for path in &a.files {
        let outcome = ImageFile::open(path, &decode)
            .map_err(|e| e.to_string())
            .and_then(|img| {
                let graded = grade(img.image(), &options).map_err(|e| e.to_string())?;
                if let Some(out) = &a.annotate {
                    write_annotation(&img, &graded, &annotation_path(out, path))?;
                }
                Ok(graded)
            });
        let file = path.display().to_string();
        match &outcome {
            Ok(g) if g.is_empty() => all_found = false,
            Ok(_) => {}
            Err(e) => {
                eprintln!("civiqr: {file}: {e}");
                all_found = false;
            }
        }
        let text = match (&outcome, a.json) {
            (Ok(g), true) => file_json(&file, g, None).to_string() + "\n",
            (Err(e), true) => file_json(&file, &[], Some(e)).to_string() + "\n",
            (Ok(g), false) => file_text(&file, g),
            (Err(_), false) => String::new(),
        };
        if !crate::write_stdout(text.as_bytes())? {
            break;
        }
    }
    Ok(if all_found {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn annotation_format(out: &Path) -> Result<bool, String> {
    match out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => Ok(true),
        Some(e) if e.eq_ignore_ascii_case("png") => Ok(false),
        _ => Err(format!(
            "--annotate {}: the name must end in .svg or .png",
            out.display()
        )),
    }
}

fn annotation_path(out: &Path, image: &Path) -> PathBuf {
    let stem = image
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".into());
    PathBuf::from(out.to_string_lossy().replace("{name}", &stem))
}

fn write_annotation(img: &ImageFile, graded: &[Graded], out: &Path) -> Result<(), String> {
    let bytes = if annotation_format(out)? {
        annotate_svg(img.image(), graded)
            .map_err(|e| e.to_string())?
            .into_bytes()
    } else {
        annotate_png(img.image(), graded).map_err(|e| e.to_string())?
    };
    std::fs::write(out, bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

fn grade_json(g: &SymbolGrade) -> Value {
    // Core writes the object every front end shares; it is always valid JSON.
    serde_json::from_str(&civiqr::grade::grade_json(g)).unwrap_or(Value::Null)
}

fn file_json(file: &str, graded: &[Graded], error: Option<&String>) -> Value {
    let codes: Vec<Value> = graded
        .iter()
        .map(|g| {
            let d = g.decoded();
            let (grade, ungraded) = match g.report() {
                Ok(r) => (grade_json(r), Value::Null),
                Err(why) => (Value::Null, json!(why.reason())),
            };
            let mut code = json!({
                "text": d.text(),
                "symbology": d.symbology().to_string(),
                "version": d.symbol_version().to_string(),
                "grade": grade,
            });
            if !ungraded.is_null() {
                code["ungraded"] = ungraded;
            }
            code
        })
        .collect();
    let mut out = json!({ "file": file, "codes": codes });
    if let Some(e) = error {
        out["error"] = json!(e);
    }
    out
}

fn file_text(file: &str, graded: &[Graded]) -> String {
    if graded.is_empty() {
        return format!("{file}: no symbol found\n");
    }
    let mut s = String::new();
    for g in graded {
        let text = g.decoded().text().unwrap_or("(binary data)");
        let Ok(r) = g.report() else {
            s += &format!("{file}: {text:?}: {} not graded\n", g.decoded().symbology());
            continue;
        };
        s += &format!(
            "{file}: {text:?}: grade {} ({}){}\n",
            letter(r.overall()),
            r.overall(),
            if r.calibrated() { "" } else { ", uncalibrated" }
        );
        for (name, m) in r.parameters().named() {
            let value = m.value.map_or("-".to_string(), |v| format!("{v:.3}"));
            s += &format!("  {name:<24} {} {value}\n", letter(m.grade));
        }
        for (i, b) in r.blocks().iter().enumerate() {
            s += &format!(
                "  block {:<3} {} of {} EC codewords corrected ({:.0} % of the budget used)\n",
                i + 1,
                b.corrected.len(),
                b.ec_codewords,
                (1.0 - b.unused) * 100.0
            );
        }
    }
    s
}
