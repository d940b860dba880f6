//! A signage batch from table rows: each row becomes a checked symbol, its
//! PNG is read back before it counts, and a manifest lists what was made.
//!
//! ```text
//! cargo run -p civiqr --features batch --example batch_rows
//! ```
//!
//! The rows are inline here; `civiqr batch` reads the same rows from CSV and
//! writes the files.

use civiqr::batch::{self, BatchOptions, ManifestEntry};
use civiqr::render::{self, RenderOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One row per sign, as (column, value) pairs: an id, then the content
    // from a `url`, a `payload` or a `type` column with that kind's fields.
    let rows: [&[(&str, &str)]; 3] = [
        &[
            ("id", "banc-0042"),
            ("url", "https://example.org/mobilier/banc-0042"),
        ],
        &[
            ("id", "arret 7/B"),
            ("payload", "Ligne 3, arrêt Hôtel de Ville"),
        ],
        &[
            ("id", "wifi-mairie"),
            ("type", "wifi"),
            ("ssid", "Mairie-Public"),
        ],
    ];
    let options = BatchOptions::default();
    // Sized for reading from 2 m (module >= distance / 250).
    let distance_m = batch::parse_distance("2m")?;

    let mut manifest = Vec::new();
    for row in rows {
        let asset = batch::prepare(row, &options)?;
        let png = render::png(&asset.code, &RenderOptions::default().scale(8))?;
        // What would be printed must read back as exactly what was encoded.
        batch::verify_png(&png, asset.data.as_bytes())?;
        let size = batch::size_for_distance(distance_m, asset.code.width(), 4);
        println!("{} -> {}.png, {size} mm wide", asset.id, asset.stem);
        let file = (format!("{}.png", asset.stem), batch::sha256_hex(&png));
        manifest.push(ManifestEntry::new(&asset, vec![file], true));
    }
    print!("{}", batch::manifest_csv(&manifest));
    Ok(())
}
