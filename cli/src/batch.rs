//! `civiqr batch`: reads the CSV, hands each row to `civiqr::batch`, renders,
//! verifies and writes files on worker threads, then writes the manifest.

use std::io::IsTerminal;

use crate::progress::Progress;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use civiqr::batch::{
    self, Asset, BatchOptions, Grid, ManifestEntry, Paper, Replaced, RowError, SheetItem,
    TableOptions, TextEncoding,
};
use civiqr::render::{self, Format, RenderOptions};
use civiqr::EncodeOptions;

use crate::args::BatchArgs;
use crate::write_atomically;

/// Sheet size when neither `--size-mm` nor `--reading-distance` is given.
const DEFAULT_SHEET_MM: f64 = 40.0;

/// What one asset's worker did.
struct Done {
    entry: ManifestEntry,
    written: usize,
    unchanged: usize,
}

pub fn run(a: BatchArgs) -> Result<ExitCode, String> {
    let formats = dedup_formats(&a.formats);
    let mut encode = EncodeOptions::default();
    if let Some(ec) = a.ec {
        encode = encode.ec_level(ec);
    }
    if let Some(v) = a.max_version {
        encode = encode.max_version(v);
    }
    let quiet_zone = a.quiet_zone.unwrap_or(4);
    let mut ropts = RenderOptions::default().quiet_zone(quiet_zone).ansi(false);
    if let Some(s) = a.scale {
        ropts = ropts.scale(s);
    }
    if let Some(d) = a.dpi {
        ropts = ropts.dpi(d);
    }
    let (size_mm, distance, sheet) = (a.size_mm, a.reading_distance, a.sheet);
    let jobs = match a.jobs {
        Some(j) => j.max(1),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let sign_key = a
        .sign_key
        .as_deref()
        .map(|path| crate::keys::read_key(path, a.insecure_key_permissions))
        .transpose()
        .map_err(|e| format!("--sign-key: {e}"))?;
    let options = BatchOptions::default()
        .template(a.template.clone())
        .encode(encode)
        .sign_key(sign_key);
    let source = crate::shown(&a.input);

    // Standard input is read whole, like a file: rows are checked against
    // each other (duplicate ids) before anything is written.
    let bytes = if crate::is_stdin(&a.input) {
        crate::read_stdin(u64::MAX)?
    } else {
        std::fs::read(&a.input).map_err(|e| format!("cannot read {source}: {e}"))?
    };
    // The sheet's file may not be taken by a row's.
    let sheet_stem = sheet.map(|p| format!("sheet-{}", p.name()));
    let reserved: Vec<&str> = sheet_stem.iter().map(String::as_str).collect();
    let table = TableOptions::default()
        .delimiter(a.delimiter)
        .encoding(a.encoding)
        .sheet_name(a.sheet_name.clone());
    let (rows, info) =
        batch::read_table(&bytes, &source, &table, &options, &reserved).map_err(|e| {
            match e.line() {
                Some(line) => format!("{source} line {line}: {e}"),
                None => format!("{source}: {e}"),
            }
        })?;
    // With --encoding auto the reading is a guess: say what was chosen, so
    // a wrong guess is seen before the signs are printed.
    if a.encoding == TextEncoding::Auto && info.encoding_detected() && !a.quiet {
        eprintln!("civiqr: {source}: read as {info}");
    }
    // Where a row is: the file, and the sheet of a workbook.
    let place = match info.sheet() {
        Some(sheet) => format!("{source} sheet {sheet:?}"),
        None => source.clone(),
    };
    let assets = rows.assets;
    let mut bad: Vec<(u64, String)> = rows.bad.iter().map(|e| (e.line, row_problem(e))).collect();
    // The sheet's layout and symbol size, checked before any file is
    // written: a size too large for the page writes nothing.
    let sheet = match sheet {
        Some(paper) => Some(plan_sheet(&a, paper, &assets, quiet_zone)?),
        None => None,
    };
    std::fs::create_dir_all(&a.out)
        .map_err(|e| format!("cannot create {}: {e}", a.out.display()))?;
    remove_stale_temp_files(&a.out);

    // Render, verify and write on `jobs` threads; results come back by index.
    let progress = !a.quiet && std::io::stderr().is_terminal();
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<Done, String>)>();
    let mut results: Vec<Option<Result<Done, String>>> = Vec::new();
    results.resize_with(assets.len(), || None);
    std::thread::scope(|s| {
        for _ in 0..jobs.min(assets.len().max(1)) {
            let tx = tx.clone();
            let (assets, next, ropts, formats, out) = (&assets, &next, &ropts, &formats, &a.out);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((_, asset)) = assets.get(i) else {
                    break;
                };
                let size = size_mm.or_else(|| {
                    distance.map(|d| batch::size_for_distance(d, asset.code.width(), quiet_zone))
                });
                let r = produce(
                    asset,
                    out,
                    formats,
                    &ropts.clone().size_mm(size),
                    !a.no_verify,
                );
                if tx.send((i, r)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut bar = progress.then(|| Progress::new("civiqr batch", assets.len()));
        let mut failed = 0;
        for (n, (i, r)) in rx.iter().enumerate() {
            failed += usize::from(r.is_err());
            results[i] = Some(r);
            if let Some(bar) = bar.as_mut() {
                bar.update(n + 1, failed);
            }
        }
    });

    let (mut entries, mut written, mut unchanged) = (Vec::new(), 0, 0);
    let mut sheet_items = Vec::new();
    let mut small = Vec::new();
    for ((line, asset), r) in assets.iter().zip(results) {
        match r {
            Some(Ok(done)) => {
                entries.push(done.entry);
                written += done.written;
                unchanged += done.unchanged;
                sheet_items.push((*line, asset));
            }
            Some(Err(e)) => bad.push((*line, format!("id {:?}: {e}", asset.id))),
            None => bad.push((*line, format!("id {:?}: not processed", asset.id))),
        }
        if let (Some(size), Some(d)) = (size_mm, distance) {
            if let Some(w) = batch::size_warning(size, asset.code.width(), quiet_zone, d) {
                small.push((*line, &asset.id, w));
            }
        }
    }
    // One warning for the batch, not one per row: the cause (--size-mm
    // against --reading-distance) is the same for every row it concerns.
    if let Some((line, id, w)) = small.first() {
        let more = match small.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more row)".to_string(),
            n => format!(" (and {n} more rows)"),
        };
        eprintln!(
            "civiqr: warning: --size-mm {} is too small for --reading-distance on {} of {}: {place} line {line}: id {id:?}: {w}{more}",
            size_mm.unwrap_or_default(),
            plural(small.len(), "row"),
            assets.len()
        );
    }

    let mut files = vec![
        (
            "manifest.csv".to_string(),
            batch::manifest_csv(&entries).into_bytes(),
        ),
        (
            "manifest.json".to_string(),
            batch::manifest_json(&entries).into_bytes(),
        ),
    ];
    if let Some(plan) = &sheet {
        let items: Vec<SheetItem<'_>> = sheet_items
            .iter()
            .map(|(_, a)| SheetItem {
                code: &a.code,
                caption: vec![
                    a.label.clone().unwrap_or_default(),
                    a.id.clone(),
                    a.data.clone(),
                ],
            })
            .collect();
        warn_replaced(&batch::caption_replacements(&items), &sheet_items, &place);
        let pdf = match &plan.grid {
            Some(grid) => {
                batch::label_sheet_pdf(&items, plan.paper, grid, plan.size_mm, quiet_zone)
            }
            None => batch::sheet_pdf(&items, plan.paper, plan.size_mm, quiet_zone),
        }
        .map_err(|e| format!("--sheet: {e}"))?;
        files.push((format!("sheet-{}.pdf", plan.paper.name()), pdf));
    }
    for (name, bytes) in &files {
        match write_if_changed(&a.out.join(name), bytes)? {
            true => written += 1,
            false => unchanged += 1,
        }
    }

    bad.sort_by_key(|(line, _)| *line);
    for (line, reason) in &bad {
        eprintln!("civiqr: {place} line {line}: {reason}");
    }
    if !a.quiet {
        eprintln!(
            "civiqr: {} assets, {written} files written, {unchanged} unchanged, {} bad rows; manifest in {}",
            entries.len(),
            bad.len(),
            a.out.display()
        );
    }
    Ok(ExitCode::from(u8::from(!bad.is_empty())))
}

/// A print sheet: its paper, label grid (if any) and symbol size.
struct SheetPlan {
    paper: Paper,
    grid: Option<Grid>,
    size_mm: f64,
}

/// The sheet's symbol size (--size-mm, else from --reading-distance for the
/// widest symbol, else the largest that fits a label of --grid, else
/// 40 mm), refused when it does not fit the page or one label.
fn plan_sheet(
    a: &BatchArgs,
    paper: Paper,
    assets: &[(u64, Asset)],
    quiet_zone: u32,
) -> Result<SheetPlan, String> {
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
    let size_mm = a
        .size_mm
        .or_else(|| {
            let widest = assets.iter().map(|(_, a)| a.code.width()).max()?;
            a.reading_distance
                .map(|d| batch::size_for_distance(d, widest, quiet_zone))
        })
        .or_else(|| grid.map(|g| g.max_symbol_mm(paper)))
        .unwrap_or(DEFAULT_SHEET_MM);
    batch::sheet_fits(paper, size_mm, grid.as_ref()).map_err(|e| match grid {
        Some(g) => format!(
            "--sheet {paper} --grid {g}: {e} (a label is {:.1} x {:.1} mm; the largest symbol that fits one is {} mm)",
            g.label_mm(paper).0,
            g.label_mm(paper).1,
            g.max_symbol_mm(paper)
        ),
        None => format!("--sheet {paper}: {e}"),
    })?;
    Ok(SheetPlan {
        paper,
        grid,
        size_mm,
    })
}

/// Caption characters printed as '?' on the sheet: one warning each, or
/// the first few and a count when there are many.
fn warn_replaced(replaced: &[Replaced], items: &[(u64, &Asset)], place: &str) {
    const SHOWN: usize = 5;
    for r in replaced.iter().take(SHOWN) {
        match items.get(r.item) {
            Some((line, asset)) => {
                eprintln!(
                    "civiqr: warning: {place} line {line}: id {:?}: {r}",
                    asset.id
                );
            }
            None => eprintln!("civiqr: warning: {place}: {r}"),
        }
    }
    if replaced.len() > SHOWN {
        eprintln!(
            "civiqr: warning: {} more caption {} printed as '?' on the sheet ({} in all)",
            replaced.len() - SHOWN,
            if replaced.len() - SHOWN == 1 {
                "character"
            } else {
                "characters"
            },
            replaced.len()
        );
    }
}

/// The formats asked for, each once, in order; svg and png by default.
fn dedup_formats(asked: &[Format]) -> Vec<Format> {
    let mut formats = Vec::new();
    for &f in asked {
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    if formats.is_empty() {
        formats = vec![Format::Svg, Format::Png];
    }
    formats
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

/// `1 row`, `2 rows`: counts in messages agree with their noun.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Renders one asset in each format, verifies the PNG raster, writes the
/// files that changed.
fn produce(
    asset: &Asset,
    out: &Path,
    formats: &[Format],
    ropts: &RenderOptions,
    verify: bool,
) -> Result<Done, String> {
    let png = if verify || formats.contains(&Format::Png) {
        Some(render::png(&asset.code, ropts).map_err(|e| e.to_string())?)
    } else {
        None
    };
    if verify {
        if let Some(png) = &png {
            batch::verify_png(png, asset.data.as_bytes()).map_err(|e| e.to_string())?;
        }
    }
    let (mut files, mut written, mut unchanged) = (Vec::new(), 0, 0);
    for &f in formats {
        let bytes = match (&png, f) {
            (Some(p), Format::Png) => p.clone(),
            _ => render::render(&asset.code, f, ropts).map_err(|e| e.to_string())?,
        };
        let name = format!("{}.{}", asset.stem, f.name());
        if write_if_changed(&out.join(&name), &bytes)? {
            written += 1;
        } else {
            unchanged += 1;
        }
        files.push((name, batch::sha256_hex(&bytes)));
    }
    Ok(Done {
        entry: ManifestEntry::new(asset, files, verify),
        written,
        unchanged,
    })
}

/// Writes `bytes` atomically unless the file already holds exactly them;
/// returns whether it wrote.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, String> {
    let same = std::fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes);
    if same {
        return Ok(false);
    }
    write_atomically(path, bytes)?;
    Ok(true)
}

/// Removes `.NAME.tmpPID` files an interrupted run left behind.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let stale = name.starts_with('.')
            && name
                .rsplit_once(".tmp")
                .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
