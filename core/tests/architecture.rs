//! The layering of docs/ARCHITECTURE.md, checked on the source: the encoder
//! and the reader both stand on `symbol/` and never import each other, so
//! either can change (or be left out of a build) without the other.
//! Test modules are exempt: round trips through the encoder are how the
//! reader's unit tests make their symbols.

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// The lines of a file before its test module, comments left out.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = fs::read_to_string(path).expect("readable source");
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let t = line.trim_start();
        // `#[cfg(test)]` (or `#[cfg(all(test, ...))]`) followed by a module:
        // the rest of the file is tests.
        if (t.starts_with("#[cfg(test)]") || t.starts_with("#[cfg(all(test"))
            && lines.peek().is_some_and(|(_, next)| next.contains("mod "))
        {
            break;
        }
        if !t.starts_with("//") {
            out.push((i + 1, line.to_string()));
        }
    }
    out
}

/// Lines of the files under `area` that name any of `forbidden`.
fn imports(area: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in sources(&root.join(area)) {
        for (n, line) in code_lines(&file) {
            if forbidden.iter().any(|f| line.contains(f)) {
                found.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_encoder_does_not_import_the_reader() {
    let found = imports("encode", &["crate::decode", "crate::read"]);
    assert!(
        found.is_empty(),
        "encode/ imports the reader:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_reader_does_not_import_the_encoder() {
    for area in ["read", "decode"] {
        let found = imports(
            area,
            &[
                "crate::encode",
                "crate::code::",
                "encode_text",
                "encode_bytes",
                "encode_segments",
                "EncodeOptions",
                "QrCode",
            ],
        );
        assert!(
            found.is_empty(),
            "{area}/ imports the encoder:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn the_floor_imports_neither() {
    let found = imports(
        "symbol",
        &[
            "crate::encode",
            "crate::decode",
            "crate::read",
            "crate::error",
        ],
    );
    assert!(
        found.is_empty(),
        "symbol/ imports from above it:\n{}",
        found.join("\n")
    );
}
