//! Batch rows as a CSV spreadsheet gives them: the CSV reader the CLI uses,
//! then `batch::prepare` on every row (ids, payload columns, options), the
//! distance parser and the manifest writers. A bad row must be a typed error
//! and never stop the other rows.
#![no_main]

use civiqr::batch::{self, BatchOptions, ManifestEntry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let Ok(headers) = reader.headers().cloned() else {
        return;
    };
    let options = BatchOptions::default();
    let mut entries = Vec::new();
    for record in reader.records().take(64) {
        let Ok(record) = record else {
            continue;
        };
        let row: Vec<(&str, &str)> = headers.iter().zip(record.iter()).collect();
        if let Ok(asset) = batch::prepare(&row, &options) {
            entries.push(ManifestEntry::new(&asset, Vec::new(), false));
        }
        for (_, value) in &row {
            let _ = batch::parse_distance(value);
            let _ = batch::sanitize_id(value);
        }
    }
    let _ = batch::manifest_csv(&entries);
    let _ = batch::manifest_json(&entries);
});
