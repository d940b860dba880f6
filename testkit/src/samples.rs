//! The labelled sample images beside the checkout (`../shared/samples`),
//! which tests read when they are there.

use std::io::Write;
use std::path::Path;

/// Says on the real stderr that `test` cannot run without the sample images
/// in `dir` (the harness hides `eprintln!` of passing tests), and fails
/// instead when `CIVIQR_REQUIRE_SAMPLES` is set (machines that have them).
pub fn skip_without_samples(test: &str, dir: &Path) {
    let reason = format!(
        "SKIPPED {test}: no sample images at {} (they are beside the checkout, not in it: docs/BUILDING.md)",
        dir.display()
    );
    assert!(
        std::env::var_os("CIVIQR_REQUIRE_SAMPLES").is_none(),
        "{reason}"
    );
    let _ = writeln!(std::io::stderr(), "{reason}");
}
