//! `civiqr decode`: reads each file, prints the codes found (one line per
//! code, escaped for the terminal, or one JSON object per file), and with
//! `--trust` each code's signature verdict next to the code it is about.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use civiqr::sign::{Date, TrustList};
use civiqr::Decoded;

use crate::args::DecodeArgs;
use crate::{is_stdin, json, keys, read_codes, show, shown, write_stdout};

/// Decodes each file; a file that cannot be read is named on stderr and the
/// others are still processed. Exit 0 if every file had a code, 1 if some
/// had none, 2 if some could not be read.
pub fn run(a: DecodeArgs) -> Result<ExitCode, String> {
    if a.files.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err("standard input ('-') given more than once".into());
    }
    let trust = if a.trust.is_empty() {
        None
    } else {
        let list = keys::read_trust_files(&a.trust).map_err(|e| format!("--trust: {e}"))?;
        Some((list, keys::today()))
    };
    let trust = trust.as_ref().map(|(list, today)| (list, *today));
    let mut opts = civiqr::DecodeOptions::default()
        .try_harder(a.try_harder)
        .quick(a.quick)
        .pure(a.pure);
    if let Some(n) = a.max_pixels {
        opts = opts.max_pixels(n);
    }
    if let Some(n) = a.max_file_bytes {
        opts = opts.max_file_bytes(n);
    }
    if !a.symbol.is_empty() {
        opts = opts.symbologies(&a.symbol);
    }
    if a.merge {
        return merged(&a, &opts, trust);
    }
    let (mut unreadable, mut empty) = (false, false);
    for path in &a.files {
        let result = read_codes(path, &opts);
        match &result {
            Err(e) => {
                eprintln!("civiqr: {}: {}", shown(path), show::text(e));
                unreadable = true;
            }
            Ok(codes) => empty |= codes.is_empty(),
        }
        let more = if a.json {
            let (codes, error) = match &result {
                Ok(codes) => (codes.as_slice(), None),
                Err(e) => (&[][..], Some(e.as_str())),
            };
            let report = json::FileReport::new(path.as_os_str(), codes, error, trust);
            write_stdout(json::line(&report)?.as_bytes())?
        } else {
            let codes = result.as_deref().unwrap_or_default();
            print_codes(path, codes, trust)?
        };
        // Nobody reads the rest when the pipe closed: stop decoding.
        if !more {
            break;
        }
    }
    Ok(ExitCode::from(if unreadable { 2 } else { u8::from(empty) }))
}

/// Text mode: each code on its own line, escaped, and with `--trust` its
/// verdict on standard error right after it, naming the file, the code's
/// place and its text, so that with two codes in one photo each verdict
/// says which text it is about. `Ok(false)` when standard output closed.
fn print_codes(
    path: &Path,
    codes: &[Decoded],
    trust: Option<(&TrustList, Date)>,
) -> Result<bool, String> {
    for (i, code) in codes.iter().enumerate() {
        let line = match code.text() {
            Some(t) => show::text(t),
            None => show::bytes(code.bytes()),
        };
        if !write_stdout(format!("{line}\n").as_bytes())? {
            return Ok(false);
        }
        if let Some((list, today)) = trust {
            let verdict = list.verify(code.bytes(), today).summary();
            // The verdict before the code's text, the text in quotes: what
            // the payload says cannot stand where the verdict stands.
            eprintln!(
                "civiqr: {}: code {} of {}: {}: \"{}\"",
                shown(path),
                i + 1,
                codes.len(),
                show::text(&verdict),
                line.replace('"', "\\\"")
            );
        }
    }
    Ok(true)
}

/// `--merge`: reads every file, merges the structured-append parts found in
/// all of them and prints the message, with `--trust` its verdict. Exit 0
/// merged, 1 parts missing or not one message (named on standard error), 2
/// a file could not be read.
fn merged(
    a: &DecodeArgs,
    opts: &civiqr::DecodeOptions,
    trust: Option<(&TrustList, Date)>,
) -> Result<ExitCode, String> {
    let mut codes = Vec::new();
    let mut unreadable = false;
    for path in &a.files {
        match read_codes(path, opts) {
            Ok(found) => codes.extend(found),
            Err(e) => {
                eprintln!("civiqr: {}: {}", shown(path), show::text(&e));
                unreadable = true;
            }
        }
    }
    let merged = match civiqr::merge_structured_append(&codes) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("civiqr: {e}");
            return Ok(ExitCode::from(if unreadable { 2 } else { 1 }));
        }
    };
    let verdict = trust.map(|(list, today)| list.verify(merged.bytes(), today));
    if a.json {
        let line = json::line(&json::MergedJson::new(&merged, verdict.as_ref()))?;
        write_stdout(line.as_bytes())?;
    } else if std::io::stdout().is_terminal() {
        // A person reads it: escaped, as a single code's text is.
        write_stdout(format!("{}\n", show::bytes(merged.bytes())).as_bytes())?;
    } else {
        // A file or a pipe: the message exactly as it was split, no newline
        // added, so `decode --merge parts*.png > file` gives the file back.
        write_stdout(merged.bytes())?;
    }
    if let (Some(v), false) = (verdict, a.json) {
        eprintln!(
            "civiqr: merged message ({} parts): {}",
            merged.count(),
            show::text(&v.summary())
        );
    }
    Ok(ExitCode::from(if unreadable { 2 } else { 0 }))
}
