//! Encodes a URL and writes it as an SVG file.
//!
//! ```text
//! cargo run -p civiqr --example encode_svg [URL] [OUT.svg]
//! ```
//!
//! Defaults: a sample URL, written to `code.svg` in the system's temporary
//! directory.

use civiqr::render::{self, RenderOptions};
use civiqr::{encode_text, EcLevel, EncodeOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "https://example.org/mobilier/banc-0042".to_string());
    let out = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("code.svg"));

    // The smallest symbol that holds the URL at EC level M (15 % damage),
    // raised to a higher level when that fits in the same size.
    let options = EncodeOptions::default().ec_level(EcLevel::M).boost_ec(true);
    let code = encode_text(&url, &options)?;

    // SVG in module units: scale-free, with the standard 4-module quiet zone.
    let svg = render::svg(&code, &RenderOptions::default())?;
    std::fs::write(&out, svg)?;
    println!(
        "{}: version {}, EC level {}, {} x {} modules",
        out.display(),
        code.symbol_version(),
        code.ec_level(),
        code.width(),
        code.height()
    );
    Ok(())
}
