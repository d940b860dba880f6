//! `civiqr audit`: field photos against a batch manifest. The audit of each
//! photo, the duplicates and the files written are `civiqr::audit`; this
//! file lists the photos, runs them on worker threads, draws the progress
//! bar and writes the outputs. Exit 0 when every code is fine, 1 when
//! something needs attention, 2 on usage or I/O errors.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use clap::Args;

use civiqr::audit::{
    audit_csv, audit_json, audit_photo, list_photos, mark_duplicates, report_html, AuditOptions,
    Manifest, PhotoAudit, Summary, Thresholds,
};
use civiqr::batch::{plural, write_atomically};
use civiqr::grade::{Aperture, Calibration, GradeOptions};
use civiqr::sign::{Date, TrustList};
use civiqr::DecodeOptions;

use crate::progress::Progress;

/// `civiqr audit`.
#[derive(Debug, Args)]
#[command(after_help = "\
Statuses: ok, watch, replace, unreadable, unknown (not in the manifest),
bad_signature, duplicate. Exit status: 0 every code fine (ok or duplicate),
1 something to watch, replace, unreadable or suspect, 2 usage or I/O error.
Method, thresholds and limits: docs/AUDIT.md.

Examples:
  civiqr audit crew-photos/ --manifest out/manifest.csv --report audit.html
  civiqr audit photos/*.jpg --manifest manifest.csv --trust town.trust.json \\
      --report audit.html --csv audit.csv --json audit.json")]
pub struct AuditArgs {
    /// Photos, or folders of photos (their image files, recursively, sorted).
    #[arg(value_name = "PHOTOS", required = true)]
    pub photos: Vec<PathBuf>,
    /// The batch's manifest.csv or manifest.json.
    #[arg(long, value_name = "FILE")]
    pub manifest: PathBuf,
    /// Trust file(s) to verify signed codes against (repeatable).
    #[arg(long, value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// The HTML report to write.
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// The rows as CSV (file,id,status,grade,reason,...).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// The rows as a JSON array.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// The report's title.
    #[arg(long, default_value = "Field audit of printed codes")]
    pub title: String,
    /// Overall grade from which a code is fine, 0-4 or A-F.
    #[arg(long, value_name = "GRADE", default_value = "B", value_parser = parse_grade)]
    pub ok_grade: u8,
    /// Overall grade at or below which a code is to replace, 0-4 or A-F.
    #[arg(long, value_name = "GRADE", default_value = "F", value_parser = parse_grade)]
    pub replace_grade: u8,
    /// Share of a block's error correction used from which a code is to
    /// watch (0.25 or 25%).
    #[arg(long, value_name = "SHARE", default_value = "25%", value_parser = parse_share)]
    pub watch_ec: f64,
    /// Share used from which a code is to replace.
    #[arg(long, value_name = "SHARE", default_value = "50%", value_parser = parse_share)]
    pub replace_ec: f64,
    /// Verify signatures as on this date (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub today: Option<Date>,
    /// Synthetic aperture, as for `civiqr grade`.
    #[arg(long, value_name = "SIZE", value_parser = crate::grade::parse_aperture)]
    pub aperture: Option<Aperture>,
    /// Reflectance calibration, as for `civiqr grade`.
    #[arg(long, value_name = "PATCHES", value_parser = crate::grade::parse_calibration)]
    pub calibrate: Option<Calibration>,
    /// Worker threads [default: one per CPU].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// No progress bar and no summary on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_grade(s: &str) -> Result<u8, String> {
    match s.trim().to_ascii_uppercase().as_str() {
        "A" | "4" => Ok(4),
        "B" | "3" => Ok(3),
        "C" | "2" => Ok(2),
        "D" | "1" => Ok(1),
        "F" | "0" => Ok(0),
        _ => Err(format!("{s:?}: a grade 0-4 or A-F")),
    }
}

fn parse_share(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let (num, scale) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), 100.0),
        None => (t, 1.0),
    };
    match num.parse::<f64>() {
        Ok(v) if (0.0..=scale).contains(&v) => Ok(v / scale),
        _ => Err(format!("{s:?}: a share 0 to 1, or 0% to 100%")),
    }
}

fn options(a: &AuditArgs) -> Result<AuditOptions, String> {
    let thresholds = Thresholds::new(a.ok_grade, a.replace_grade, a.watch_ec, a.replace_ec)
        .map_err(|e| format!("thresholds: {e}"))?;
    let mut grade =
        GradeOptions::default().decode_options(DecodeOptions::default().try_harder(true));
    if let Some(ap) = a.aperture {
        grade = grade.aperture(ap).map_err(|e| format!("--aperture: {e}"))?;
    }
    if let Some(c) = a.calibrate {
        grade = grade.calibration(c);
    }
    let today = a.today.unwrap_or_else(crate::keys::today);
    Ok(AuditOptions::new(today)
        .grade_options(grade)
        .thresholds(thresholds))
}

/// Runs `civiqr audit`.
pub fn run(a: AuditArgs) -> Result<ExitCode, String> {
    let options = options(&a)?;
    let manifest = Manifest::read_file(&a.manifest)
        .map_err(|e| format!("--manifest {}: {e}", a.manifest.display()))?;
    let trust = if a.trust.is_empty() {
        None
    } else {
        Some(crate::keys::read_trust_files(&a.trust).map_err(|e| format!("--trust: {e}"))?)
    };
    let photos = list_photos(&a.photos)?;
    if photos.is_empty() {
        return Err("no photos: the folders given hold no image files".into());
    }
    let workers = a.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    let show_bar = !a.quiet && std::io::stderr().is_terminal();
    let mut audited = run_workers(
        &photos,
        &manifest,
        trust.as_ref(),
        &options,
        workers,
        show_bar,
    );
    mark_duplicates(&mut audited);
    write_outputs(&a, &audited)?;
    let summary = Summary::of(&audited);
    if !a.quiet {
        for p in audited.iter().filter(|p| p.codes.is_empty()) {
            let why = p.error.as_deref().unwrap_or("no code found");
            eprintln!("civiqr: {}: {why}", p.file);
        }
        eprintln!("{}", summary_line(&summary, &a.report));
    }
    Ok(if summary.needs_attention() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Audits every photo on `workers` threads, in the photos' order.
fn run_workers(
    photos: &[PathBuf],
    manifest: &Manifest,
    trust: Option<&TrustList>,
    options: &AuditOptions,
    workers: usize,
    show_bar: bool,
) -> Vec<PhotoAudit> {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, PhotoAudit)>();
    let mut results: Vec<Option<PhotoAudit>> = vec![None; photos.len()];
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, photos.len().max(1)) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = photos.get(i) else { break };
                if tx
                    .send((i, audit_photo(path, manifest, trust, options)))
                    .is_err()
                {
                    break;
                }
            });
        }
        drop(tx);
        let mut bar = show_bar.then(|| Progress::new("civiqr audit", photos.len()));
        let (mut done, mut unread) = (0, 0);
        for (i, photo) in rx {
            done += 1;
            unread += usize::from(photo.codes.is_empty());
            results[i] = Some(photo);
            if let Some(bar) = bar.as_mut() {
                bar.update(done, unread);
            }
        }
    });
    results.into_iter().flatten().collect()
}

fn write_outputs(a: &AuditArgs, audited: &[PhotoAudit]) -> Result<(), String> {
    let write = |path: &Path, text: String| {
        write_atomically(path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(&a.report, report_html(audited, &a.title))?;
    if let Some(p) = &a.csv {
        write(p, audit_csv(audited))?;
    }
    if let Some(p) = &a.json {
        write(p, audit_json(audited))?;
    }
    Ok(())
}

fn summary_line(s: &Summary, report: &Path) -> String {
    format!(
        "civiqr audit: {} with {}: {} fine, {} to watch, {} to replace, {} unreadable, \
         {} possible fraudulent ({} not in the manifest, {} badly signed), {}; report in {}",
        plural(s.photos, "photo"),
        plural(s.codes, "code"),
        s.ok,
        s.watch,
        s.replace,
        s.unreadable,
        s.suspect(),
        s.unknown,
        s.bad_signature,
        plural(s.duplicate, "duplicate"),
        report.display()
    )
}
