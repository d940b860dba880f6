//! The `civiqr` command: parse arguments, call the library, write output.
//! Exit status: 0 success, 2 usage or data error.

mod args;
mod batch;
mod keys;
mod progress;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use civiqr::batch::json_string;
use civiqr::render::{self, Color, Format, RenderOptions};
use civiqr::{
    EcLevel, EncodeOptions, Mask, MicroVersion, QrCode, RmqrVersion, SegmentInfo, Split,
    SymbolVersion, Symbology, Version,
};

use civiqr::payload::Payload;
use civiqr::sign::{Date, TrustList};

use args::{Command, DecodeArgs, EncodeArgs, Input, PayloadArgs};

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
    match args::parse(std::env::args_os().skip(1).collect())? {
        Command::Help => println!("{}", args::USAGE),
        Command::Version => println!("civiqr {}", env!("CARGO_PKG_VERSION")),
        Command::Encode(a) => encode(*a)?,
        Command::Decode(a) => return Ok(decode(a)),
        Command::Payload(a) => payload(a)?,
        Command::Batch(a) => return batch::run(*a),
        Command::Keygen(a) => keys::keygen(a)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn number<T: std::str::FromStr>(option: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{option}: {value:?} is not a valid number"))
}

fn encode(a: EncodeArgs) -> Result<(), String> {
    let data = match &a.input {
        Some(Input::Arg(s)) => s.clone().into_bytes(),
        Some(Input::Stdin) => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            buf
        }
        Some(Input::File(p)) => {
            std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?
        }
        None => return Err("no data given".into()),
    };
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

    let mut opts = EncodeOptions::default()
        .boost_ec(a.boost_ec)
        .eci_utf8(a.eci_utf8);
    if let Some(ec) = &a.ec {
        opts = opts.ec_level(ec.parse::<EcLevel>().map_err(|e| format!("--ec: {e}"))?);
    }
    if let Some(v) = &a.max_version {
        opts = opts.max_version(
            Version::new(number("--max-version", v)?).map_err(|e| format!("--max-version: {e}"))?,
        );
    }
    let symbology = match a.symbol.as_deref() {
        None => Symbology::Qr,
        Some(name) => name
            .parse::<Symbology>()
            .map_err(|e| format!("--symbol: {e}"))?,
    };
    opts = opts.symbology(symbology);
    if let Some(v) = &a.version {
        opts = match symbology {
            Symbology::MicroQr => opts.micro_version(
                v.parse::<MicroVersion>()
                    .map_err(|e| format!("--version: {e}"))?,
            ),
            Symbology::Rmqr => opts.rmqr_version(
                v.parse::<RmqrVersion>()
                    .map_err(|e| format!("--version: {e}"))?,
            ),
            _ => opts.version(
                Version::new(number("--version", v)?).map_err(|e| format!("--version: {e}"))?,
            ),
        };
    }
    if let Some(h) = &a.max_height {
        opts = opts.max_height(number::<u32>("--max-height", h)?);
    }
    if let Some(w) = &a.max_width {
        opts = opts.max_width(number::<u32>("--max-width", w)?);
    }
    if let Some(m) = &a.mask {
        opts = opts.mask(Mask::new(number("--mask", m)?).map_err(|e| format!("--mask: {e}"))?);
    }
    let codes = match &a.split {
        None => vec![match std::str::from_utf8(&data) {
            Ok(text) => civiqr::encode_text(text, &opts),
            Err(_) => civiqr::encode_bytes(&data, &opts),
        }
        .map_err(|e| e.to_string())?],
        Some(s) => {
            let split = if s == "auto" {
                Split::AUTO
            } else {
                Split::parts(number("--split", s)?).map_err(|e| format!("--split: {e}"))?
            };
            match std::str::from_utf8(&data) {
                Ok(text) => civiqr::encode_text_split(text, split, &opts),
                Err(_) => civiqr::encode_bytes_split(&data, split, &opts),
            }
            .map_err(|e| e.to_string())?
        }
    };

    let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
    let ropts = render_options(&a, to_terminal)?;
    let format = match (&a.format, &a.output) {
        (Some(f), _) => f.parse::<Format>().map_err(|e| format!("--format: {e}"))?,
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
        for code in &codes {
            println!("{}", metadata_json(code));
        }
    }
    // With --json and no file, standard output carries only the JSON.
    if a.json && a.output.is_none() {
        return Ok(());
    }
    let several = codes.len() > 1;
    for (i, code) in codes.iter().enumerate() {
        let bytes = render::render(code, format, &ropts).map_err(|e| e.to_string())?;
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
                let mut out = std::io::stdout().lock();
                out.write_all(&bytes)
                    .and_then(|_| {
                        if several {
                            out.write_all(b"\n")
                        } else {
                            Ok(())
                        }
                    })
                    .and_then(|_| out.flush())
                    .map_err(|e| format!("cannot write to standard output: {e}"))?;
            }
        }
    }
    Ok(())
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
    let pairs: Vec<(&str, &str)> = a
        .fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let p =
        Payload::from_fields(&a.kind, &pairs).map_err(|e| format!("payload {}: {e}", a.kind))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{p}")
        .and_then(|_| out.flush())
        .map_err(|e| format!("cannot write to standard output: {e}"))
}

fn render_options(a: &EncodeArgs, to_terminal: bool) -> Result<RenderOptions, String> {
    let mut o = RenderOptions::default().ansi(to_terminal);
    if let Some(s) = &a.scale {
        o = o.scale(number("--scale", s)?);
    }
    if let Some(q) = &a.quiet_zone {
        o = o.quiet_zone(number("--quiet-zone", q)?);
    }
    if let Some(c) = &a.dark {
        o = o.dark(c.parse::<Color>().map_err(|e| format!("--dark: {e}"))?);
    }
    if let Some(c) = &a.light {
        o = o.light(c.parse::<Color>().map_err(|e| format!("--light: {e}"))?);
    }
    if let Some(mm) = &a.size_mm {
        o = o.size_mm(Some(number::<f64>("--size-mm", mm)?));
    }
    if let Some(d) = &a.dpi {
        o = o.dpi(number("--dpi", d)?);
    }
    Ok(o)
}

/// The temporary file beside `path` that an atomic write goes through:
/// `.NAME.tmpPID` (batch runs remove leftovers of this form).
fn temp_path(path: &Path) -> Result<PathBuf, String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    Ok(tmp)
}

/// Writes through a temporary file in the same folder, then renames, so a
/// reader never sees a half-written file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = temp_path(path)?;
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}

fn metadata_json(code: &QrCode) -> String {
    let segments: Vec<String> = code
        .segments()
        .iter()
        .map(|s| match s {
            SegmentInfo::Data { mode, chars } => {
                format!("{{\"mode\":\"{}\",\"length\":{chars}}}", mode.name())
            }
            SegmentInfo::Eci(d) => format!("{{\"mode\":\"eci\",\"designator\":{d}}}"),
            _ => "{}".to_string(),
        })
        .collect();
    format!(
        "{{\"symbology\":\"{}\",\"version\":{},\"ec\":\"{}\",\"mask\":{},\"size\":{},\"width\":{},\"height\":{},\"segments\":[{}],\"structured_append\":{}}}",
        code.symbology().id(),
        version_json(code.symbol_version()),
        code.ec_level(),
        code.mask(),
        code.size(),
        code.width(),
        code.height(),
        segments.join(","),
        structured_json(code.structured_append())
    )
}

/// Decodes each file; a file that cannot be read is named on stderr and the
/// others are still processed. Exit 0 if every file had a code, 1 if some
/// had none, 2 if some could not be read.
fn decode(a: DecodeArgs) -> ExitCode {
    let trust = match (a.trust.is_empty(), keys::read_trust_files(&a.trust)) {
        (true, _) => None,
        (false, Ok(list)) => Some((list, keys::today())),
        (false, Err(e)) => {
            eprintln!("civiqr: --trust: {e}");
            return ExitCode::from(2);
        }
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
    if let Some(list) = &a.symbols {
        match parse_symbologies(list) {
            Ok(s) => opts = opts.symbologies(&s),
            Err(e) => {
                eprintln!("civiqr: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if a.merge {
        return decode_merged(&a, &opts);
    }
    let (mut unreadable, mut empty) = (false, false);
    let mut out = std::io::stdout().lock();
    for path in &a.files {
        let result = civiqr::decode_file(path, &opts);
        let line = match &result {
            Ok(codes) if a.json => file_json(path, codes, None, trust),
            Err(e) if a.json => file_json(path, &[], Some(&e.to_string()), trust),
            Ok(codes) => codes
                .iter()
                .map(|c| match c.text() {
                    Some(t) => t.to_string(),
                    None => String::from_utf8_lossy(c.bytes()).into_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Err(_) => String::new(),
        };
        match &result {
            Err(e) => {
                eprintln!("civiqr: {}: {e}", path.display());
                unreadable = true;
            }
            Ok(codes) if codes.is_empty() => empty = true,
            Ok(codes) => {
                if let (Some((list, today)), false) = (trust, a.json) {
                    for c in codes {
                        let v = list.verify(c.bytes(), today);
                        eprintln!("civiqr: {}: {}", path.display(), v.summary());
                    }
                }
            }
        }
        if !line.is_empty() && writeln!(out, "{line}").is_err() {
            return ExitCode::from(2);
        }
    }
    ExitCode::from(if unreadable { 2 } else { u8::from(empty) })
}

/// `qr,micro,rmqr` (any of them, comma-separated) as symbologies.
fn parse_symbologies(list: &str) -> Result<Vec<Symbology>, String> {
    list.split(',')
        .map(|s| s.trim().parse().map_err(|e| format!("--symbol: {e}")))
        .collect()
}

/// `--merge`: reads every file, merges the structured-append parts found in
/// all of them and prints the message. Exit 0 merged, 1 parts missing or not
/// one message (named on standard error), 2 a file could not be read.
fn decode_merged(a: &DecodeArgs, opts: &civiqr::DecodeOptions) -> ExitCode {
    let mut codes = Vec::new();
    let mut unreadable = false;
    for path in &a.files {
        match civiqr::decode_file(path, opts) {
            Ok(found) => codes.extend(found),
            Err(e) => {
                eprintln!("civiqr: {}: {e}", path.display());
                unreadable = true;
            }
        }
    }
    let merged = match civiqr::merge_structured_append(&codes) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("civiqr: {e}");
            return ExitCode::from(if unreadable { 2 } else { 1 });
        }
    };
    let line = if a.json {
        format!(
            "{{\"text\":{},\"bytes_base64\":\"{}\",\"count\":{},\"parity\":{}}}",
            merged.text().map_or("null".to_string(), json_string),
            base64(merged.bytes()),
            merged.count(),
            merged.parity()
        )
    } else {
        match merged.text() {
            Some(t) => t.to_string(),
            None => String::from_utf8_lossy(merged.bytes()).into_owned(),
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").is_err() {
        return ExitCode::from(2);
    }
    ExitCode::from(if unreadable { 2 } else { 0 })
}

fn file_json(
    path: &Path,
    codes: &[civiqr::Decoded],
    error: Option<&str>,
    trust: Option<(&TrustList, Date)>,
) -> String {
    let codes: Vec<String> = codes.iter().map(|c| code_json(c, trust)).collect();
    format!(
        "{{\"file\":{},\"codes\":[{}],\"error\":{}}}",
        json_string(&path.display().to_string()),
        codes.join(","),
        error.map_or("null".to_string(), json_string)
    )
}

/// `{"status":"valid","issuer":"...","key_id":"..."}`, issuer and key id
/// `null` when not known.
fn signature_json(c: &civiqr::Decoded, trust: &TrustList, today: Date) -> String {
    let v = trust.verify(c.bytes(), today);
    format!(
        "{{\"status\":\"{}\",\"issuer\":{},\"key_id\":{}}}",
        v.status(),
        v.issuer().map_or("null".to_string(), json_string),
        v.key_id().map_or("null".to_string(), json_string)
    )
}

fn code_json(c: &civiqr::Decoded, trust: Option<(&TrustList, Date)>) -> String {
    let corners: Vec<String> = c
        .corners()
        .iter()
        .map(|p| format!("[{:.1},{:.1}]", p.x, p.y))
        .collect();
    let sa = structured_json(c.structured_append());
    let payload = c
        .text()
        .map_or("null".to_string(), |t| payload_json(&Payload::parse(t)));
    // Only with --trust, so that output without it stays as it was.
    let signature = trust.map_or(String::new(), |(list, today)| {
        format!(",\"signature\":{}", signature_json(c, list, today))
    });
    format!(
        "{{\"symbology\":\"{}\",\"text\":{},\"bytes_base64\":\"{}\",\"version\":{},\"ec\":\"{}\",\"mask\":{},\"eci\":{},\"corners\":[{}],\"mirrored\":{},\"inverted\":{},\"model1\":{},\"structured_append\":{},\"payload\":{}{}}}",
        c.symbology().id(),
        c.text().map_or("null".to_string(), json_string),
        base64(c.bytes()),
        version_json(c.symbol_version()),
        c.ec_level(),
        c.mask(),
        c.eci().map_or("null".to_string(), |e| e.to_string()),
        corners.join(","),
        c.mirrored(),
        c.inverted(),
        c.is_model1(),
        sa,
        payload,
        signature
    )
}

/// A QR version as a number, Micro QR and rMQR versions as strings (`"M2"`, `"R11x77"`).
fn version_json(v: SymbolVersion) -> String {
    match v {
        SymbolVersion::Qr(v) => v.to_string(),
        other => format!("\"{other}\""),
    }
}

/// `{"index":0,"count":4,"parity":95}` or `null`.
fn structured_json(sa: Option<civiqr::StructuredAppend>) -> String {
    sa.map_or("null".to_string(), |s| {
        format!(
            "{{\"index\":{},\"count\":{},\"parity\":{}}}",
            s.index, s.count, s.parity
        )
    })
}

/// `{"kind":"epc","fields":{"name":"...",...}}`; contact phones and e-mail
/// addresses are arrays, other fields strings.
fn payload_json(p: &Payload) -> String {
    let fields = p.fields();
    let contact = matches!(p, Payload::VCard(_) | Payload::MeCard(_));
    let mut parts: Vec<String> = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    for (name, value) in &fields {
        if contact && matches!(*name, "phone" | "email") {
            if done.contains(name) {
                continue;
            }
            done.push(name);
            let all: Vec<String> = fields
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| json_string(v))
                .collect();
            parts.push(format!("{}:[{}]", json_string(name), all.join(",")));
        } else {
            parts.push(format!("{}:{}", json_string(name), json_string(value)));
        }
    }
    format!(
        "{{\"kind\":\"{}\",\"fields\":{{{}}}}}",
        p.kind(),
        parts.join(",")
    )
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
