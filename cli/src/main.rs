//! The `civiqr` command: parse arguments, call the library, write output.
//! Exit status: 0 success, 1 nothing found or bad rows, 2 usage, data or
//! input error.

mod args;
mod batch;
mod json;
mod keys;
mod progress;

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use civiqr::render::{self, Format, RenderOptions};
use civiqr::{EncodeError, EncodeOptions, MicroVersion, Split, SymbolVersion, Symbology};

use civiqr::payload::Payload;

use args::{Cli, Command, DecodeArgs, EncodeArgs, PayloadArgs};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("civiqr: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_outcome(&e),
    };
    match cli.command {
        Command::Encode(a) => encode(*a)?,
        Command::Decode(a) => return decode(a),
        Command::Payload(a) => payload(a)?,
        Command::Batch(a) => return batch::run(*a),
        Command::Keygen(a) => keys::keygen(a)?,
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "civiqr", &mut script);
            write_stdout(&script)?;
        }
        Command::Man { subcommand } => {
            write_stdout(&man_page(subcommand.as_deref())?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What clap's "error" means: `--help` and `--version` are printed on
/// standard output (exit 0); anything else is a usage error, one line on
/// standard error (exit 2).
fn clap_outcome(e: &clap::Error) -> Result<ExitCode, String> {
    if e.use_stderr() {
        // The subcommand typed, when it is one, for "try 'civiqr encode --help'".
        let typed = std::env::args_os().nth(1);
        let sub = typed
            .as_ref()
            .and_then(|a| a.to_str())
            .filter(|a| Cli::command().find_subcommand(a).is_some());
        return Err(args::one_line(e, sub));
    }
    let text = if std::io::stdout().is_terminal() {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    };
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The roff man page of civiqr, or of one subcommand as `civiqr-NAME(1)`.
fn man_page(subcommand: Option<&str>) -> Result<Vec<u8>, String> {
    let cli = Cli::command();
    let page = match subcommand {
        None => cli,
        Some(name) => {
            let sub = cli
                .find_subcommand(name)
                .filter(|s| !matches!(s.get_name(), "completions" | "man" | "help"))
                .ok_or_else(|| {
                    format!("man: no subcommand {name:?} (encode, decode, payload, batch, keygen)")
                })?;
            let full = format!("civiqr-{}", sub.get_name());
            // Subcommands have no --version flag of their own (encode's
            // --version is the symbol version): the page only shows it.
            sub.clone()
                .name(full)
                .version(env!("CARGO_PKG_VERSION"))
                .disable_version_flag(true)
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(|e| format!("man: {e}"))?;
    Ok(roff)
}

/// Writes all of `bytes` to standard output and flushes. A reader that
/// went away (`civiqr --help | head -1`, `| true`) is not an error: it read
/// what it wanted, so the rest is dropped quietly and `Ok(false)` tells the
/// caller that nothing more will be read.
fn write_stdout(bytes: &[u8]) -> Result<bool, String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}

/// Reads standard input whole, refusing more than `max` bytes: input that
/// arrives through a pipe gets the limit a file of the same size would.
fn read_stdin(max: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "input too large: more than {max} bytes, limit {max}"
        ));
    }
    Ok(bytes)
}

/// Whether a file argument stands for standard input.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The data to encode: DATA, `--input FILE`, or standard input (`-`).
fn encode_data(a: &EncodeArgs) -> Result<Vec<u8>, String> {
    let data = match (&a.data, &a.input) {
        (Some(s), _) if s == "-" => read_stdin(u64::MAX)?,
        (Some(s), _) => s.clone().into_bytes(),
        (None, Some(p)) if is_stdin(p) => read_stdin(u64::MAX)?,
        (None, Some(p)) => {
            std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?
        }
        (None, None) => return Err("no data given: pass DATA or --input FILE".into()),
    };
    // Empty data is almost always a mistake upstream (a `$(...)` whose
    // command failed); an empty symbol would scan as nothing, so refuse it
    // as batch refuses an empty row.
    if data.is_empty() {
        return Err("no data: the data to encode is empty (did a $(...) command fail?)".into());
    }
    Ok(data)
}

/// The encode options, from values clap already parsed.
fn encode_options(a: &EncodeArgs) -> Result<EncodeOptions, String> {
    let symbology = a.symbol.unwrap_or(Symbology::Qr);
    let mut opts = EncodeOptions::default()
        .boost_ec(a.boost_ec)
        .eci_utf8(a.eci_utf8)
        .symbology(symbology)
        .max_height(a.max_height)
        .max_width(a.max_width);
    if let Some(ec) = a.ec {
        opts = opts.ec_level(ec);
    }
    if let Some(v) = a.max_version {
        opts = opts.max_version(v);
    }
    if let Some(m) = a.mask {
        opts = opts.mask(m);
    }
    if let Some(v) = a.version {
        opts = match (symbology, v) {
            (Symbology::MicroQr, SymbolVersion::Micro(m)) => opts.micro_version(m),
            // Micro QR versions may be given as bare numbers 1-4, as before.
            (Symbology::MicroQr, SymbolVersion::Qr(n)) => opts.micro_version(
                MicroVersion::new(n.number()).map_err(|e| format!("--version: {e}"))?,
            ),
            (Symbology::Rmqr, SymbolVersion::Rmqr(r)) => opts.rmqr_version(r),
            (Symbology::Qr, SymbolVersion::Qr(n)) => opts.version(n),
            (s, v) => {
                return Err(format!(
                    "--version {v} is not a {} version (use --symbol to choose the symbology)",
                    s.name()
                ))
            }
        };
    }
    Ok(opts)
}

fn encode(a: EncodeArgs) -> Result<(), String> {
    let data = encode_data(&a)?;
    let data = match &a.sign_key {
        Some(path) => {
            let key = keys::read_key(path)?;
            let text = String::from_utf8(data)
                .map_err(|_| "--sign-key: the data is not UTF-8 text: only text can be signed")?;
            key.sign(&text)
                .map_err(|e| format!("--sign-key: {e}"))?
                .into_bytes()
        }
        None => data,
    };
    let opts = encode_options(&a)?;
    let codes = match a.split {
        None => vec![match std::str::from_utf8(&data) {
            Ok(text) => civiqr::encode_text(text, &opts),
            Err(_) => civiqr::encode_bytes(&data, &opts),
        }
        .map_err(|e| e.to_string())?],
        Some(split) => match std::str::from_utf8(&data) {
            Ok(text) => civiqr::encode_text_split(text, split, &opts),
            Err(_) => civiqr::encode_bytes_split(&data, split, &opts),
        }
        .map_err(|e| split_error(split, &e))?,
    };

    let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
    let ropts = render_options(&a, to_terminal);
    let format = match (a.format, &a.output) {
        (Some(f), _) => f,
        (None, Some(path)) => path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
            .ok_or_else(|| {
                format!(
                    "cannot tell the format from {:?}: use --format",
                    path.display().to_string()
                )
            })?,
        (None, None) => Format::Unicode,
    };

    if a.json {
        let mut lines = String::new();
        for code in &codes {
            lines += &json::line(&json::Metadata::new(code))?;
        }
        write_stdout(lines.as_bytes())?;
    }
    // With --json and no file, standard output carries only the JSON.
    if a.json && a.output.is_none() {
        return Ok(());
    }
    let several = codes.len() > 1;
    for (i, code) in codes.iter().enumerate() {
        let mut bytes = render::render(code, format, &ropts).map_err(|e| e.to_string())?;
        match &a.output {
            Some(path) if several => write_atomically(&numbered(path, i + 1), &bytes)?,
            Some(path) => write_atomically(path, &bytes)?,
            None => {
                if matches!(format, Format::Png | Format::Pdf)
                    && (several || std::io::stdout().is_terminal())
                {
                    return Err(format!(
                        "refusing to write {} binary {} to standard output: use -o FILE",
                        if several { "several" } else { "a" },
                        format.name()
                    ));
                }
                if several {
                    bytes.push(b'\n');
                }
                if !write_stdout(&bytes)? {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

/// An encoding error of a split message. `--split auto` that runs out of
/// parts reports core's per-part bit count; the limit that stopped it is
/// the 16 symbols structured append allows (ISO/IEC 18004 clause 8), so
/// the message names it and the ways out.
fn split_error(split: Split, e: &EncodeError) -> String {
    match (split.count(), e) {
        (None, EncodeError::DataTooLong { .. }) => format!(
            "--split auto: the data does not fit 16 symbols, the most structured append \
             allows (each of 16 parts: {e}): raise --max-version or lower --ec"
        ),
        _ => e.to_string(),
    }
}

/// `dir/name.ext` -> `dir/name-N.ext`, for the parts of a split message.
fn numbered(path: &Path, n: usize) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

/// Builds the payload from the `--field value` pairs and prints its text.
fn payload(a: PayloadArgs) -> Result<(), String> {
    // The fields are free-form for clap, so `payload epc --help` arrives
    // here: show the subcommand's help as clap would.
    if a.wants_help() {
        let mut cli = Cli::command();
        let help = match cli.find_subcommand_mut("payload") {
            Some(sub) => sub.render_help().to_string(),
            None => String::new(),
        };
        write_stdout(help.as_bytes())?;
        return Ok(());
    }
    let fields = a.pairs()?;
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let p =
        Payload::from_fields(&a.kind, &pairs).map_err(|e| format!("payload {}: {e}", a.kind))?;
    write_stdout(format!("{p}\n").as_bytes())?;
    Ok(())
}

fn render_options(a: &EncodeArgs, to_terminal: bool) -> RenderOptions {
    let mut o = RenderOptions::default()
        .ansi(to_terminal)
        .size_mm(a.size_mm);
    if let Some(s) = a.scale {
        o = o.scale(s);
    }
    if let Some(q) = a.quiet_zone {
        o = o.quiet_zone(q);
    }
    if let Some(c) = a.dark {
        o = o.dark(c);
    }
    if let Some(c) = a.light {
        o = o.light(c);
    }
    if let Some(d) = a.dpi {
        o = o.dpi(d);
    }
    o
}

/// Writes through a temporary file in the same folder, then renames, so a
/// reader never sees a half-written file (the same function as batch
/// output: exclusive, randomly named temporary files, symlinks not followed).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    civiqr::batch::write_atomically(path, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Decodes each file; a file that cannot be read is named on stderr and the
/// others are still processed. Exit 0 if every file had a code, 1 if some
/// had none, 2 if some could not be read.
fn decode(a: DecodeArgs) -> Result<ExitCode, String> {
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
        return decode_merged(&a, &opts);
    }
    let (mut unreadable, mut empty) = (false, false);
    for path in &a.files {
        let result = read_codes(path, &opts);
        let line = match &result {
            Ok(codes) if a.json => json::line(&json::FileReport::new(
                path.display().to_string(),
                codes,
                None,
                trust,
            ))?,
            Err(e) if a.json => json::line(&json::FileReport::new(
                path.display().to_string(),
                &[],
                Some(e.as_str()),
                trust,
            ))?,
            Ok(codes) => codes
                .iter()
                .map(|c| match c.text() {
                    Some(t) => t.to_string(),
                    None => String::from_utf8_lossy(c.bytes()).into_owned(),
                })
                .map(|t| t + "\n")
                .collect::<String>(),
            Err(_) => String::new(),
        };
        match &result {
            Err(e) => {
                eprintln!("civiqr: {}: {e}", shown(path));
                unreadable = true;
            }
            Ok(codes) if codes.is_empty() => empty = true,
            Ok(codes) => {
                if let (Some((list, today)), false) = (trust, a.json) {
                    for c in codes {
                        let v = list.verify(c.bytes(), today);
                        eprintln!("civiqr: {}: {}", shown(path), v.summary());
                    }
                }
            }
        }
        // Nobody reads the rest when the pipe closed: stop decoding.
        if !line.is_empty() && !write_stdout(line.as_bytes())? {
            break;
        }
    }
    Ok(ExitCode::from(if unreadable { 2 } else { u8::from(empty) }))
}

/// A file as messages name it.
fn shown(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// The codes in one image file, or in standard input for `-` (read whole,
/// with the file-size limit a file gets).
fn read_codes(path: &Path, opts: &civiqr::DecodeOptions) -> Result<Vec<civiqr::Decoded>, String> {
    if is_stdin(path) {
        let bytes = read_stdin(opts.get_max_file_bytes())?;
        civiqr::decode_image_bytes(&bytes, opts).map_err(|e| e.to_string())
    } else {
        civiqr::decode_file(path, opts).map_err(|e| e.to_string())
    }
}

/// `--merge`: reads every file, merges the structured-append parts found in
/// all of them and prints the message. Exit 0 merged, 1 parts missing or not
/// one message (named on standard error), 2 a file could not be read.
fn decode_merged(a: &DecodeArgs, opts: &civiqr::DecodeOptions) -> Result<ExitCode, String> {
    let mut codes = Vec::new();
    let mut unreadable = false;
    for path in &a.files {
        match read_codes(path, opts) {
            Ok(found) => codes.extend(found),
            Err(e) => {
                eprintln!("civiqr: {}: {e}", shown(path));
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
    if a.json {
        let line = json::line(&json::MergedJson::new(&merged))?;
        write_stdout(line.as_bytes())?;
    } else {
        // The message exactly as it was split: no newline added, so
        // `decode --merge parts*.png > file` gives back the original file.
        write_stdout(merged.bytes())?;
    }
    Ok(ExitCode::from(if unreadable { 2 } else { 0 }))
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use civiqr::batch::json_string;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
