//! Reads every symbol in an image file (PNG, JPEG, WebP, GIF, BMP, TIFF).
//!
//! ```text
//! cargo run -p civiqr --features image --example decode_file [IMAGE]
//! ```
//!
//! Without an argument it makes its own input: it encodes a text, renders it
//! as a PNG in the system's temporary directory and reads that back.

use civiqr::render::{self, RenderOptions};
use civiqr::{decode_file, encode_text, DecodeOptions, EncodeOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = match std::env::args_os().nth(1) {
        Some(path) => std::path::PathBuf::from(path),
        None => {
            let code = encode_text("Arrêt Hôtel de Ville, ligne 3", &EncodeOptions::default())?;
            let png = render::png(&code, &RenderOptions::default().scale(4))?;
            let path = std::env::temp_dir().join("civiqr-decode-file-example.png");
            std::fs::write(&path, png)?;
            path
        }
    };

    // The default options look for QR Code, Micro QR and rMQR, in dark-on-light
    // and light-on-dark, and refuse files over 64 MiB.
    let found = decode_file(&path, &DecodeOptions::default())?;
    if found.is_empty() {
        return Err(format!("{}: no symbol found", path.display()).into());
    }
    for symbol in &found {
        let text = symbol.text().map_or_else(
            || format!("{} bytes (not text)", symbol.bytes().len()),
            str::to_string,
        );
        println!(
            "{}, version {}: {text}",
            symbol.symbology().name(),
            symbol.symbol_version()
        );
    }
    Ok(())
}
