//! `civiqr batch`: the arguments to a [`BatchJob`], its progress on a
//! terminal, its report on standard error. The run itself (reading the
//! table, writing files, manifests and sheet) is `civiqr::batch`.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::process::ExitCode;

use civiqr::batch::{
    BatchJob, BatchOptions, BatchReport, BatchRunError, BatchWarning, RowError, TableOptions,
    TextEncoding, MAX_TABLE_BYTES,
};
use civiqr::EncodeOptions;

use crate::args::BatchArgs;
use crate::progress::Progress;

pub fn run(a: BatchArgs) -> Result<ExitCode, String> {
    let mut encode = EncodeOptions::default();
    if let Some(ec) = a.ec {
        encode = encode.ec_level(ec);
    }
    if let Some(v) = a.max_version {
        encode = encode.max_version(v);
    }
    let sign_key = a
        .sign_key
        .as_deref()
        .map(|path| crate::keys::read_key(path, a.insecure_key_permissions))
        .transpose()
        .map_err(|e| format!("--sign-key: {e}"))?;
    let grid = a.grid.map(|g| {
        let g = match a.grid_margins {
            Some((top, side)) => g.margins(top, side),
            None => g,
        };
        match a.grid_gutter {
            Some((x, y)) => g.gutter(x, y),
            None => g,
        }
    });
    let job = BatchJob::new(&a.out)
        .formats(&a.formats)
        .rows(
            BatchOptions::default()
                .template(a.template.clone())
                .encode(encode)
                .sign_key(sign_key),
        )
        .table(
            TableOptions::default()
                .delimiter(a.delimiter)
                .encoding(a.encoding)
                .sheet_name(a.sheet_name.clone()),
        )
        .quiet_zone(a.quiet_zone.unwrap_or(4))
        .scale(a.scale)
        .dpi(a.dpi)
        .size_mm(a.size_mm)
        .reading_distance(a.reading_distance)
        .sheet(a.sheet, grid)
        .verify(!a.no_verify)
        .grade(a.grade)
        .jobs(a.jobs);
    let source = crate::shown(&a.input);

    // Standard input is read whole, like a file (and bounded like one):
    // rows are checked against each other (duplicate ids) before anything
    // is written.
    let bytes = if crate::is_stdin(&a.input) {
        civiqr::read_limited(std::io::stdin().lock(), MAX_TABLE_BYTES)
    } else {
        civiqr::read_file_limited(&a.input, MAX_TABLE_BYTES)
    }
    .map_err(|e| format!("cannot read {source}: {e}"))?;

    let mut bar: Option<Progress> = None;
    let show_bar = !a.quiet && std::io::stderr().is_terminal();
    let mut progress = |p: &civiqr::batch::BatchProgress| {
        if show_bar {
            bar.get_or_insert_with(|| Progress::new("civiqr batch", p.total))
                .update(p.done, p.failed);
        }
        ControlFlow::Continue(())
    };
    let report = job
        .run_table(&bytes, &source, &mut progress)
        .map_err(|e| run_error(&e))?;
    Ok(print_report(&report, &a, &source))
}

/// A whole-run error in the words of the command line's options.
fn run_error(e: &BatchRunError) -> String {
    match e {
        BatchRunError::SheetFit {
            paper,
            grid: Some(g),
            error,
        } => format!(
            "--sheet {paper} --grid {g}: {error} (a label is {:.1} x {:.1} mm; the largest symbol that fits one is {} mm)",
            g.label_mm(*paper).0,
            g.label_mm(*paper).1,
            g.max_symbol_mm(*paper)
        ),
        BatchRunError::SheetFit {
            paper, error, grid: None,
        } => format!("--sheet {paper}: {error}"),
        BatchRunError::Sheet(error) => format!("--sheet: {error}"),
        BatchRunError::Busy { .. } => format!("--out: {e}"),
        _ => e.to_string(),
    }
}

/// Warnings, refused rows, files that could not be written and the summary
/// on standard error; exit 1 when rows were refused, 2 when a manifest or
/// the sheet could not be written.
fn print_report(report: &BatchReport, a: &BatchArgs, source: &str) -> ExitCode {
    // With --encoding auto the reading is a guess: say what was chosen, so
    // a wrong guess is seen before the signs are printed.
    if let Some(info) = report.info.as_ref() {
        if a.encoding == TextEncoding::Auto && info.encoding_detected() && !a.quiet {
            eprintln!("civiqr: {source}: read as {info}");
        }
    }
    // Where a row is: the file, and the sheet of a workbook.
    let place = match report.info.as_ref().and_then(|i| i.sheet()) {
        Some(sheet) => format!("{source} sheet {sheet:?}"),
        None => source.to_string(),
    };
    print_warnings(&report.warnings, &place);
    for e in &report.row_errors {
        eprintln!("civiqr: {place} line {}: {}", e.line, row_problem(e));
    }
    for (name, reason) in &report.output_errors {
        eprintln!(
            "civiqr: cannot write {}: {reason}",
            a.out.join(name).display()
        );
    }
    if !a.quiet {
        eprintln!(
            "civiqr: {} assets, {} files written, {} unchanged, {} bad rows; manifest in {}",
            report.assets(),
            report.files_written.len(),
            report.unchanged,
            report.row_errors.len(),
            a.out.display()
        );
    }
    if !report.output_errors.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::from(u8::from(!report.row_errors.is_empty()))
    }
}

/// The size warning in the words of the options, and caption characters
/// printed as '?' on the sheet: one warning each, or the first few and a
/// count when there are many.
fn print_warnings(warnings: &[BatchWarning], place: &str) {
    const SHOWN: usize = 5;
    let mut replaced = 0;
    for w in warnings {
        let at = format!("{place} ");
        match w {
            BatchWarning::SmallSymbols { size_mm, .. } => {
                let size = format!("--size-mm {size_mm}");
                eprintln!(
                    "civiqr: warning: {}",
                    w.describe(&size, "--reading-distance", &at)
                );
            }
            BatchWarning::CaptionReplaced { row, .. } => {
                replaced += 1;
                if replaced <= SHOWN {
                    let at = if row.is_some() {
                        at
                    } else {
                        format!("{place}: ")
                    };
                    eprintln!("civiqr: warning: {}", w.describe("", "", &at));
                }
            }
            BatchWarning::BelowGradeA { .. } => {
                eprintln!("civiqr: warning: {}", w.describe("", "", &at));
            }
            _ => eprintln!("civiqr: warning: {place}: {w}"),
        }
    }
    if replaced > SHOWN {
        eprintln!(
            "civiqr: warning: {} more caption {} printed as '?' on the sheet ({replaced} in all)",
            replaced - SHOWN,
            if replaced - SHOWN == 1 {
                "character"
            } else {
                "characters"
            },
        );
    }
}

/// A refused row's problem, with its column when the problem's own words
/// do not name it (a file with many columns needs it to find the cell).
fn row_problem(e: &RowError) -> String {
    let problem = e.problem.to_string();
    match e.column() {
        Some(column) if !problem.contains(column) => format!("{problem} (column {column:?})"),
        _ => problem,
    }
}
