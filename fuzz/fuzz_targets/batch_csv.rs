//! Batch tables as a spreadsheet gives them, through `batch::read_rows`, the
//! reader the CLI uses (header, row rules, `batch::prepare` on every row),
//! then the distance parser, the id sanitiser and the manifest writers. A bad
//! table or row must be a typed error and never stop the other rows.
#![no_main]

use civiqr::batch::{self, BatchOptions, ManifestEntry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(rows) = batch::read_rows(data, &BatchOptions::default(), &["sheet-a4"]) else {
        return;
    };
    for error in &rows.bad {
        let _ = error.to_string();
    }
    let mut entries = Vec::new();
    for (_, asset) in &rows.assets {
        entries.push(ManifestEntry::new(asset, Vec::new(), false));
        for value in [asset.id.as_str(), asset.data.as_str()] {
            let _ = batch::parse_distance(value);
            let _ = batch::sanitize_id(value);
        }
    }
    let _ = batch::manifest_csv(&entries);
    let _ = batch::manifest_json(&entries);
});
