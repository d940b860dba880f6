//! The `civiqr` command: parse arguments, call the library, write output.
//! Exit status: 0 success, 1 nothing found or bad rows, 2 usage, data or
//! input error.

mod args;
mod audit;
mod batch;
mod decode;
mod grade;
mod json;
mod keys;
mod progress;
mod show;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use civiqr::render::{self, Format, RenderOptions};
use civiqr::{EcLevel, EncodeError, EncodeOptions, MicroVersion, Split, SymbolVersion, Symbology};

use civiqr::payload::Payload;

use args::{Cli, Command, EncodeArgs, PayloadArgs};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(msg) => {
            // Messages quote file names and data: escaped, never raw.
            eprintln!("civiqr: {}", show::text(&msg));
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
        Command::Decode(a) => return decode::run(a),
        Command::Payload(a) => payload(a)?,
        Command::Batch(a) => return batch::run(*a),
        Command::Keygen(a) => keys::keygen(a)?,
        Command::Grade(a) => return grade::run(a),
        Command::Audit(a) => return audit::run(*a),
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
                    format!("man: no subcommand {name:?} (encode, decode, payload, batch, keygen, grade)")
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

/// Reads standard input whole, refusing more than `max` bytes (it reads at
/// most `max + 1`): input that arrives through a pipe gets the limit a file
/// of the same size would.
fn read_stdin(max: u64) -> Result<Vec<u8>, String> {
    civiqr::read_limited(std::io::stdin().lock(), max).map_err(|e| match e.kind() {
        std::io::ErrorKind::FileTooLarge => {
            format!("input too large: more than {max} bytes (the limit)")
        }
        _ => format!("cannot read standard input: {e}"),
    })
}

/// The most `encode` reads from --input or standard input: 16 symbols of
/// version 40 hold 47,248 bytes, so more can never be encoded.
const MAX_ENCODE_INPUT: u64 = 64 << 10;

/// Whether a file argument stands for standard input.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The data to encode from standard input, its errors naming it.
fn stdin_data() -> Result<Vec<u8>, String> {
    read_stdin(MAX_ENCODE_INPUT).map_err(|e| format!("standard input: {e}"))
}

/// The data to encode: DATA, `--input FILE`, or standard input (`-`).
fn encode_data(a: &EncodeArgs) -> Result<Vec<u8>, String> {
    let data = match (&a.data, &a.input) {
        (Some(s), _) if s == "-" => stdin_data()?,
        (Some(s), _) => s.clone().into_bytes(),
        (None, Some(p)) if is_stdin(p) => stdin_data()?,
        (None, Some(p)) => civiqr::read_file_limited(p, MAX_ENCODE_INPUT)
            .map_err(|e| format!("cannot read {}: {e}", p.display()))?,
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

/// Options that contradict each other, or one that the symbology does not
/// have, refused rather than one silently winning.
fn check_conflicts(a: &EncodeArgs, symbology: Symbology) -> Result<(), String> {
    let name = symbology.name();
    if let (Some(max), Symbology::MicroQr | Symbology::Rmqr) = (a.max_version, symbology) {
        return Err(format!(
            "--max-version {max} is a QR Code version: {name} sizes are chosen with --version{}",
            if symbology == Symbology::Rmqr {
                ", --max-height and --max-width"
            } else {
                ""
            }
        ));
    }
    if let (Some(SymbolVersion::Qr(v)), Some(max)) = (a.version, a.max_version) {
        if v > max {
            return Err(format!("--version {v} is larger than --max-version {max}"));
        }
    }
    for (flag, limit) in [("--max-height", a.max_height), ("--max-width", a.max_width)] {
        let Some(limit) = limit else { continue };
        if symbology != Symbology::Rmqr {
            return Err(format!("{flag} is for rMQR (--symbol rmqr), not {name}"));
        }
        if let Some(SymbolVersion::Rmqr(r)) = a.version {
            let size = if flag == "--max-height" {
                r.height()
            } else {
                r.width()
            };
            if size > limit as usize {
                return Err(format!("--version {r} is larger than {flag} {limit}"));
            }
        }
    }
    Ok(())
}

/// Colours a camera cannot tell apart are refused before any work unless
/// `--allow-low-contrast` (the rule is core's, [`RenderOptions::check_contrast`]).
fn check_contrast(a: &EncodeArgs) -> Result<(), String> {
    render_options(a, false)
        .check_contrast()
        .map_err(|e| format!("{e}; use --allow-low-contrast to write it anyway"))
}

/// The encode options, from values clap already parsed.
fn encode_options(a: &EncodeArgs) -> Result<EncodeOptions, String> {
    let symbology = a.symbol.unwrap_or(Symbology::Qr);
    check_conflicts(a, symbology)?;
    let mut opts = EncodeOptions::default()
        .boost_ec(a.boost_ec)
        .eci_utf8(a.eci_utf8)
        .symbology(symbology)
        .max_height(a.max_height)
        .max_width(a.max_width);
    // M1 (`--version M1` or `1`) has error detection only, reported as L:
    // without --ec it gets L rather than the default M it cannot carry.
    let m1 = symbology == Symbology::MicroQr
        && match a.version {
            Some(SymbolVersion::Micro(v)) => v.number() == 1,
            Some(SymbolVersion::Qr(v)) => v.number() == 1,
            _ => false,
        };
    match a.ec {
        Some(ec) => opts = opts.ec_level(ec),
        None if m1 => opts = opts.ec_level(EcLevel::L),
        None => {}
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
    check_contrast(&a)?;
    let data = encode_data(&a)?;
    let data = match &a.sign_key {
        Some(path) => {
            let key = keys::read_key(path, a.insecure_key_permissions)?;
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
        .size_mm(a.size_mm)
        .allow_low_contrast(a.allow_low_contrast);
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

/// A file as messages name it, escaped (a name can hold control characters).
fn shown(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_string()
    } else {
        show::path(path.as_os_str())
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
