//! Any bytes as a batch table through `batch::read_table`, the CLI's reader
//! of every format: the first byte picks the file name's extension (`.csv`,
//! `.xlsx`, `.ods`, `.xls`), the rest is the file. Spreadsheets go through
//! the workbook reader (zip and XML, or the compound-file format), text
//! through the delimiter and encoding detection. A bad file must be a typed
//! error, a bad row a row error, never a panic.
//!
//! calamine 0.38 panics on some damaged .xls files; `batch::read_table`
//! catches those panics and returns a `TableError` (core/src/batch/
//! spreadsheet.rs). libFuzzer's panic hook aborts on every panic, caught or
//! not, so this target lets panics raised inside calamine through to that
//! `catch_unwind`; any other panic, and any panic that escapes
//! `read_table`, is still a crash.
#![no_main]

use std::sync::Once;

use civiqr::batch::{self, BatchOptions, ManifestEntry, TableOptions};
use libfuzzer_sys::fuzz_target;

static HOOK: Once = Once::new();

/// Wraps libFuzzer's aborting panic hook: panics located in calamine's
/// source unwind to the caller's `catch_unwind` instead.
fn allow_caught_calamine_panics() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_calamine = info
            .location()
            .is_some_and(|l| l.file().contains("/calamine-"));
        if !in_calamine {
            abort(info);
        }
    }));
}

const NAMES: [&str; 4] = ["towns.csv", "towns.xlsx", "towns.ods", "towns.xls"];

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(allow_caught_calamine_panics);
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let table = TableOptions::default();
    let Ok((rows, info)) =
        batch::read_table(bytes, name, &table, &BatchOptions::default(), &["sheet-a4"])
    else {
        return;
    };
    let _ = info.to_string();
    let _ = info.sheet();
    for error in &rows.bad {
        let _ = error.to_string();
        let _ = error.column();
    }
    let entries: Vec<ManifestEntry> = rows
        .assets
        .iter()
        .map(|(_, asset)| ManifestEntry::new(asset, Vec::new(), false))
        .collect();
    let _ = batch::manifest_csv(&entries);
    let _ = batch::manifest_json(&entries);
});
