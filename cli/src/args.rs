//! Command-line parsing with clap: every option is parsed once, into the
//! library's own types (EC level, version, symbology, colour, ...), so the
//! rest of the CLI never sees option text again.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;

use civiqr::batch::{Grid, Paper, TextEncoding};
use civiqr::render::{Color, Format};
use civiqr::sign::Date;
use civiqr::{EcLevel, Mask, Split, SymbolVersion, Symbology, Version};

const EXIT_STATUS: &str = "\
Exit status: 0 success (decode, grade: every file had a code), 1 nothing found or bad rows
(decode, grade: some file had none; decode --merge: parts missing; batch: some rows bad, each
named with its line), 2 usage, data or input error (one line on standard error).
A signature's verdict does not change the exit status (read it from --json).
See docs/CLI.md for every option.";

/// QR Code, Micro QR and rMQR: encode, decode, payloads, batches, signed codes.
#[derive(Debug, Parser)]
#[command(name = "civiqr", version, after_help = EXIT_STATUS)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What the user asked for.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write data as a QR Code, Micro QR or rMQR symbol (SVG, PNG, PDF, EPS, text).
    Encode(Box<EncodeArgs>),
    /// Read the codes in image files (PNG, JPEG, WebP, GIF, BMP, TIFF).
    Decode(DecodeArgs),
    /// Print a payload (URL, geo, SMS, tel, e-mail, Wi-Fi, vCard, MeCard, EPC) to encode.
    Payload(PayloadArgs),
    /// One verified symbol per CSV row, with manifests and optional print sheets.
    Batch(Box<BatchArgs>),
    /// Make a new Ed25519 signing key (see docs/SIGNING.md).
    Keygen(KeygenArgs),
    /// Grade the print quality of QR Codes and Micro QR in images (ISO/IEC 15415 method).
    Grade(crate::grade::GradeArgs),
    /// Audit field photos of printed codes against a batch manifest: grade, match, verify, report.
    Audit(Box<crate::audit::AuditArgs>),
    /// Print a shell completion script.
    #[command(after_help = "\
Example:
  civiqr completions bash > ~/.local/share/bash-completion/completions/civiqr
  civiqr completions zsh > ~/.zfunc/_civiqr")]
    Completions {
        /// The shell to complete in.
        shell: Shell,
    },
    /// Print the man page (roff) of civiqr or of one subcommand.
    #[command(after_help = "\
Example:
  civiqr man > civiqr.1 && man ./civiqr.1
  civiqr man encode | man -l -")]
    Man {
        /// A subcommand (encode, decode, payload, batch, keygen, grade); default: civiqr itself.
        subcommand: Option<String>,
    },
}

/// `civiqr encode`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  civiqr encode \"https://example.org\"                     # drawn on the terminal
  civiqr encode \"https://example.org\" --ec Q -o code.svg
  civiqr encode \"BANC 42\" --symbol micro -o banc.png
  civiqr encode --input visite.txt --split auto --max-version 10 -o visite.png
  civiqr encode --ec M \"$(civiqr payload epc --name X --iban FR76...)\" -o pay.svg")]
pub struct EncodeArgs {
    /// Text to encode ('-' reads standard input); or use --input.
    #[arg(value_name = "DATA", conflicts_with = "input")]
    pub data: Option<String>,
    /// Read the data from FILE, or '-' for standard input (bytes kept exactly).
    #[arg(short, long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// qr (default), micro (Micro QR M1-M4: EC L, M or Q; M1 digits only, use --ec L)
    /// or rmqr (rectangular R7x43..R17x139: EC M or H).
    #[arg(long, value_name = "S")]
    pub symbol: Option<Symbology>,
    /// Error-correction level [default: M].
    #[arg(long, value_name = "L|M|Q|H")]
    pub ec: Option<EcLevel>,
    /// Use exactly this version: 1-40 (qr), M1-M4 (micro), e.g. R11x77 (rmqr);
    /// default: the smallest that fits (least area for rmqr).
    #[arg(long, value_name = "N")]
    pub version: Option<SymbolVersion>,
    /// rmqr: tallest symbol allowed, in modules (7-17).
    #[arg(long, value_name = "N")]
    pub max_height: Option<u32>,
    /// rmqr: widest symbol allowed, in modules (27-139).
    #[arg(long, value_name = "N")]
    pub max_width: Option<u32>,
    /// Largest version allowed [default: 40].
    #[arg(long, value_name = "N")]
    pub max_version: Option<Version>,
    /// Force mask 0-7 [default: lowest penalty].
    #[arg(long, value_name = "N", value_parser = parse_mask)]
    pub mask: Option<Mask>,
    /// Raise the EC level while the version stays the same.
    #[arg(long)]
    pub boost_ec: bool,
    /// Declare UTF-8 with ECI 26 (for strict readers).
    #[arg(long)]
    pub eci_utf8: bool,
    /// svg, png, pdf, eps, txt or unicode [default: from -o's extension; unicode on
    /// standard output].
    #[arg(short, long, value_name = "F")]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Pixels per module for PNG [default: 8]; --size-mm sets the size instead.
    #[arg(long, value_name = "N", conflicts_with = "size_mm")]
    pub scale: Option<u32>,
    /// Light border in modules [default: 4; 2 for micro and rmqr].
    #[arg(long, value_name = "N")]
    pub quiet_zone: Option<u32>,
    /// Dark colour: #rgb, #rrggbb, #rrggbbaa or a name [default: black].
    #[arg(long, value_name = "COLOR")]
    pub dark: Option<Color>,
    /// Light colour, may be 'transparent' [default: white].
    #[arg(long, value_name = "COLOR")]
    pub light: Option<Color>,
    /// Write the symbol even when --dark and --light differ by less than 30 % in grey
    /// (or dark is the lighter), which phone cameras cannot read reliably.
    #[arg(long)]
    pub allow_low_contrast: bool,
    /// Physical size of the image, quiet zone included (SVG, PDF, EPS, PNG).
    #[arg(long, value_name = "MM")]
    pub size_mm: Option<f64>,
    /// PNG resolution with --size-mm [default: 300].
    #[arg(long, value_name = "N")]
    pub dpi: Option<u32>,
    /// Print the symbol's metadata as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Sign the text with this key file (URLs and plain text; see docs/SIGNING.md).
    #[arg(long, value_name = "KEY")]
    pub sign_key: Option<PathBuf>,
    /// Use a --sign-key file even when its group or other users can read it
    /// (refused by default, as OpenSSH refuses such keys).
    #[arg(long, requires = "sign_key")]
    pub insecure_key_permissions: bool,
    /// Structured append: write the data over N symbols (1-16), or 'auto': one symbol
    /// if it fits --max-version, else as few as fit; with -o FILE.ext the parts go to
    /// FILE-1.ext, FILE-2.ext...
    #[arg(long, value_name = "N|auto", value_parser = parse_split)]
    pub split: Option<Split>,
}

/// `civiqr decode`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  civiqr decode photo.jpg
  civiqr decode --json --try-harder scans/*.png
  civiqr decode --quick frames/*.jpg       # a camera's first look: fast, near codes
  curl -s https://example.org/code.png | civiqr decode -
  civiqr decode --merge visite-*.png       # the whole structured-append message
  civiqr decode photo.jpg --trust trust.json --json")]
pub struct DecodeArgs {
    /// Image files (PNG, JPEG, WebP, GIF, BMP, TIFF); '-' reads standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// One JSON line per file with the codes found and any error.
    #[arg(long)]
    pub json: bool,
    /// More binarizers and candidates (slower).
    #[arg(long)]
    pub try_harder: bool,
    /// Only the first look a camera frame gets between full decodes (about a
    /// quarter of the time on an image without a code): codes near the
    /// camera read, codes far away, round a pole, engraved or blurred may not.
    #[arg(long, conflicts_with = "try_harder")]
    pub quick: bool,
    /// The images are clean, computer-made symbols.
    #[arg(long)]
    pub pure: bool,
    /// Refuse larger images, checked from the file header before decoding
    /// [default: 64000000].
    #[arg(long, value_name = "N")]
    pub max_pixels: Option<u64>,
    /// Refuse larger files (standard input too) [default: 67108864, 64 MiB].
    #[arg(long, value_name = "N")]
    pub max_file_bytes: Option<u64>,
    /// Verify signed codes against this trust file (repeat to merge several): --json
    /// adds "signature": {"status", "issuer", "key_id"} to each code, status one of
    /// valid, invalid, unknown_key, expired, unsigned; otherwise each code's verdict goes
    /// to standard error, naming the code's place and text.
    #[arg(long, value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// The files hold the parts of one structured-append message: print the merged
    /// message, byte for byte (escaped on a terminal; exit 1 if parts are missing);
    /// with --trust, verify its signature.
    #[arg(long)]
    pub merge: bool,
    /// Symbologies to look for, comma-separated: qr, micro, rmqr [default: all three;
    /// fewer is faster on images without codes].
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub symbol: Vec<Symbology>,
}

/// `civiqr payload`: the kind, then `--FIELD VALUE` pairs that core checks
/// (kept as pairs because each kind has its own fields, and core names a
/// wrong one: "colour: not a field of wifi").
#[derive(Debug, Args)]
#[command(after_help = "\
Kinds and fields:
  url     --url URL
  geo     --lat DEG --lon DEG [--alt M]
  sms     --number N [--text T] [--form smsto|sms]
  tel     --number N
  email   --to ADDR [--subject S] [--body B]
  wifi    --ssid S [--password P] [--auth WPA|WEP|nopass] [--hidden true|false]
  vcard, mecard
          --name N [--org O] [--title T] [--phone N]... [--email A]... [--url U]
          [--address A] [--note N]
  epc     --name N --iban IBAN [--bic BIC] [--amount 12.50] [--purpose CODE]
          [--reference REF | --text T] [--info I] [--version 1|2]
          (SEPA credit transfer, EPC069-12: encode it with --ec M)

Examples:
  civiqr payload geo --lat 50.75 --lon 2.25
  civiqr payload wifi --ssid Mairie --password \"secret;12\" --auth WPA
  civiqr encode --ec M \"$(civiqr payload epc --name \"Tresor Public\" \\
      --iban FR7630006000011234567890189 --amount 12.50)\" -o virement.svg")]
pub struct PayloadArgs {
    /// url, geo, sms, tel, email, wifi, vcard, mecard or epc.
    #[arg(value_name = "KIND")]
    pub kind: String,
    /// The kind's fields as --FIELD VALUE (or --FIELD=VALUE), in order.
    #[arg(
        value_name = "--FIELD VALUE",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub fields: Vec<String>,
}

impl PayloadArgs {
    /// Whether `-h` or `--help` stands where a field name would.
    pub fn wants_help(&self) -> bool {
        let mut it = self.fields.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "-h" | "--help" => return true,
                a if a.starts_with("--") && !a.contains('=') => {
                    it.next();
                }
                _ => {}
            }
        }
        false
    }

    /// The `--FIELD VALUE` / `--FIELD=VALUE` arguments as (name, value) pairs.
    pub fn pairs(&self) -> Result<Vec<(String, String)>, String> {
        let mut pairs = Vec::new();
        let mut it = self.fields.iter();
        while let Some(arg) = it.next() {
            let Some(opt) = arg.strip_prefix("--").filter(|o| !o.is_empty()) else {
                return Err(format!(
                    "payload: unexpected argument {arg:?}: fields are given as --FIELD VALUE"
                ));
            };
            let pair = match opt.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    let v = it
                        .next()
                        .ok_or_else(|| format!("option --{opt} needs a value"))?;
                    (opt.to_string(), v.clone())
                }
            };
            pairs.push(pair);
        }
        Ok(pairs)
    }
}

/// `civiqr batch`.
#[derive(Debug, Args)]
#[command(after_help = "\
Rows: a header and an 'id' column (the first row of the sheet); the content of each row is --template, else the
'type' column with that kind's field columns, else 'payload', else 'url'; an optional
'label' column captions the sheet.

Examples:
  civiqr batch assets.csv --out signage/ --format svg,pdf --ec Q
  civiqr batch meters.csv --out out/ --template \"https://example.org/h/{id}\" --sheet a4
  civiqr batch bancs.csv --out out/ --sheet a4 --grid 3x7 --grid-margins 15,7
  civiqr batch bancs.csv --out out/ --reading-distance 2.5m
  civiqr batch patrimoine.ods --sheet-name Bancs --out out/
  civiqr batch export.csv --delimiter ';' --encoding windows-1252 --out out/
  export-assets | civiqr batch - --out out/")]
pub struct BatchArgs {
    /// The table: CSV (',' ';' or tab; UTF-8, UTF-16 with BOM or Windows-1252), or a
    /// .xlsx, .xls or .ods workbook; '-' reads standard input.
    #[arg(value_name = "ASSETS.csv")]
    pub input: PathBuf,
    /// CSV field delimiter: ',', ';', 'tab' or one ASCII character [default: detected
    /// from the header].
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Text encoding of a CSV file without a UTF-16 byte order mark: auto (UTF-8 when
    /// valid, else Windows-1252; the choice is said on standard error), utf-8 or
    /// windows-1252.
    #[arg(long, value_name = "ENC", default_value = "auto")]
    pub encoding: TextEncoding,
    /// The sheet of a workbook to read [default: the first].
    #[arg(long, value_name = "NAME")]
    pub sheet_name: Option<String>,
    /// Output folder (created if needed); manifest.csv and manifest.json are written there.
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// Comma-separated svg, png, pdf, eps [default: svg,png].
    #[arg(
        short,
        long = "format",
        value_name = "LIST",
        value_delimiter = ',',
        value_parser = parse_batch_format
    )]
    pub formats: Vec<Format>,
    /// URL for every row, e.g. 'https://example.org/s/{id}?src=qr'; {column} is filled
    /// from the row (percent-encoded).
    #[arg(long, value_name = "T")]
    pub template: Option<String>,
    /// Error-correction level [default: M].
    #[arg(long, value_name = "L|M|Q|H")]
    pub ec: Option<EcLevel>,
    /// Largest version allowed [default: 40].
    #[arg(long, value_name = "N")]
    pub max_version: Option<Version>,
    /// Pixels per module for PNG [default: 8].
    #[arg(long, value_name = "N")]
    pub scale: Option<u32>,
    /// Light border in modules [default: 4].
    #[arg(long, value_name = "N")]
    pub quiet_zone: Option<u32>,
    /// PNG resolution with a print size [default: 300].
    #[arg(long, value_name = "N")]
    pub dpi: Option<u32>,
    /// Printed size, quiet zone included (warns when too small for --reading-distance).
    #[arg(long, value_name = "MM")]
    pub size_mm: Option<f64>,
    /// E.g. 2.5m: size from module >= distance/250 (the 10:1 rule of thumb for a
    /// 25-module code; see docs/CLI.md).
    #[arg(long, value_name = "D", value_parser = parse_distance)]
    pub reading_distance: Option<f64>,
    /// Also write sheet-PAPER.pdf (a4, a3 or letter): all codes with captions (label,
    /// id, text) and cut marks (size: --size-mm, else from --reading-distance, else
    /// 40 mm). A size too large for the page is refused before any file is written.
    #[arg(long, value_name = "a4|a3|letter")]
    pub sheet: Option<Paper>,
    /// Lay the sheet out as a label sheet of COLUMNSxROWS labels, e.g. 3x7, without cut
    /// marks [default size: the largest symbol that fits one label with its caption].
    #[arg(long, value_name = "CxR", requires = "sheet")]
    pub grid: Option<Grid>,
    /// Label sheet margins in mm: above and below, left and right [default: 10,10].
    #[arg(long, value_name = "TOP,SIDE", requires = "grid", value_parser = parse_mm_pair)]
    pub grid_margins: Option<(f64, f64)>,
    /// Gaps between label columns and between label rows in mm [default: 0,0].
    #[arg(long, value_name = "X,Y", requires = "grid", value_parser = parse_mm_pair)]
    pub grid_gutter: Option<(f64, f64)>,
    /// Do not re-read each rendered PNG raster with the reader.
    #[arg(long)]
    pub no_verify: bool,
    /// Grade each PNG raster at its print scale (ISO/IEC 15415, docs/GRADING.md) and
    /// record the grade in the manifests (column grade); warns unless every
    /// parameter is A.
    #[arg(long)]
    pub grade: bool,
    /// Worker threads [default: the number of CPUs].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Sign every row's content with this key file; the manifests record its key id.
    #[arg(long, value_name = "KEY")]
    pub sign_key: Option<PathBuf>,
    /// Use a --sign-key file even when its group or other users can read it
    /// (refused by default, as OpenSSH refuses such keys).
    #[arg(long, requires = "sign_key")]
    pub insecure_key_permissions: bool,
    /// No progress or summary on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `civiqr keygen`.
#[derive(Debug, Args)]
#[command(after_help = "\
Example:
  civiqr keygen --out town.key --issuer \"Ville de Saint-Omer\" --trust-out trust.json \\
      --not-after 2030-12-31")]
pub struct KeygenArgs {
    /// The private key file (written readable by you only; an existing file is kept
    /// unless --force).
    #[arg(short, long, value_name = "FILE")]
    pub out: PathBuf,
    /// The name verifiers show, e.g. "Ville de Saint-Omer".
    #[arg(long, value_name = "NAME")]
    pub issuer: String,
    /// Also write the public key to this trust file (added to it when it exists).
    #[arg(long, value_name = "FILE")]
    pub trust_out: Option<PathBuf>,
    /// First valid day, written to the trust file (YYYY-MM-DD) [default: no limit].
    #[arg(long, value_name = "DATE")]
    pub not_before: Option<Date>,
    /// Last valid day, written to the trust file (YYYY-MM-DD) [default: no limit].
    #[arg(long, value_name = "DATE")]
    pub not_after: Option<Date>,
    /// Replace an existing key file.
    #[arg(long)]
    pub force: bool,
}

fn parse_mask(s: &str) -> Result<Mask, String> {
    let n: u8 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a mask number (0 to 7)"))?;
    Mask::new(n).map_err(|e| e.to_string())
}

fn parse_split(s: &str) -> Result<Split, String> {
    if s.trim().eq_ignore_ascii_case("auto") {
        return Ok(Split::AUTO);
    }
    // Numbers above 255 still get core's "must be 1 to 16".
    let n: u32 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of parts or 'auto'"))?;
    Split::parts(u8::try_from(n).unwrap_or(u8::MAX)).map_err(|e| e.to_string())
}

/// The batch formats are files to print: the terminal renderings are refused.
fn parse_batch_format(s: &str) -> Result<Format, String> {
    civiqr::batch::parse_format(s)
}

/// A CSV delimiter is one ASCII byte; tab has a name because a literal tab
/// is hard to type in a shell.
fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => match s.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Ok(*b),
            _ => Err(format!(
                "{s:?} is not one ASCII character: use ',', ';', 'tab' or another single character"
            )),
        },
    }
}

/// Two lengths in millimetres, `A,B`, each finite and not negative.
fn parse_mm_pair(s: &str) -> Result<(f64, f64), String> {
    let bad = || {
        format!(
            "{:?} is not two lengths in mm such as 10,5",
            s.chars().take(20).collect::<String>()
        )
    };
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    let mm = |v: &str| -> Result<f64, String> {
        let v: f64 = v.trim().parse().map_err(|_| bad())?;
        if v.is_finite() && v >= 0.0 {
            Ok(v)
        } else {
            Err(bad())
        }
    };
    Ok((mm(a)?, mm(b)?))
}

fn parse_distance(s: &str) -> Result<f64, String> {
    civiqr::batch::parse_distance(s).map_err(|e| e.to_string())
}

/// A clap usage error as one line, the way every other civiqr error is
/// reported (scripts read the first line of standard error): the message,
/// clap's tips (a similar option, '--' for a value that starts with '-'),
/// then where the help is. `subcommand` is the one on the command line, for
/// errors whose text does not show the usage.
pub fn one_line(e: &clap::Error, subcommand: Option<&str>) -> String {
    if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return "no command given (try 'civiqr --help')".into();
    }
    let text = e.render().to_string();
    let mut parts: Vec<String> = Vec::new();
    let mut command = match subcommand {
        Some(sub) => format!("civiqr {sub}"),
        None => "civiqr".to_string(),
    };
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(usage) = line.strip_prefix("Usage:") {
            // "Usage: civiqr encode [OPTIONS] [DATA]" -> "civiqr encode".
            let words: Vec<&str> = usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect();
            if !words.is_empty() {
                command = words.join(" ");
            }
        } else if line.is_empty() || line.starts_with("For more information") {
            continue;
        } else if let (true, false, Some(last)) = (
            raw.starts_with(' '),
            line.starts_with("tip:"),
            parts.last_mut(),
        ) {
            // An indented list under the message ("... not provided:\n  <FILE>").
            last.push(' ');
            last.push_str(line);
        } else {
            parts.push(line.strip_prefix("error: ").unwrap_or(line).to_string());
        }
    }
    format!("{} (try '{command} --help')", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Command, String> {
        Cli::try_parse_from(std::iter::once("civiqr").chain(args.iter().copied()))
            .map(|c| c.command)
            .map_err(|e| one_line(&e, args.first().copied()))
    }

    #[test]
    fn the_command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn encode_options_are_typed_once() {
        let Ok(Command::Encode(a)) = parse(&[
            "encode",
            "hi",
            "--ec",
            "H",
            "--mask=3",
            "-o",
            "x.svg",
            "--symbol",
            "rmqr",
            "--version",
            "R11x77",
            "--split",
            "auto",
        ]) else {
            panic!("parse failed")
        };
        assert_eq!(a.data.as_deref(), Some("hi"));
        assert_eq!(a.ec, Some(EcLevel::H));
        assert_eq!(a.mask.map(Mask::number), Some(3));
        assert_eq!(a.output, Some(PathBuf::from("x.svg")));
        assert_eq!(a.symbol, Some(Symbology::Rmqr));
        assert_eq!(a.version.map(|v| v.to_string()).as_deref(), Some("R11x77"));
        assert_eq!(a.split, Some(Split::AUTO));
    }

    #[test]
    fn usage_errors_are_one_line_naming_the_problem() {
        for (args, says) in [
            (&["encode", "a", "--ec"][..], "--ec"),
            (
                &["encode", "a", "--ec", "Z"],
                "error-correction level \"Z\"",
            ),
            (&["encode", "a", "--mask", "9"], "invalid mask 9"),
            (&["encode", "a", "--split", "17"], "must be 1 to 16"),
            (&["encode", "a", "--jsn"], "'--json'"),
            (&["encode", "a", "b"], "unexpected argument 'b'"),
            (&["encode", "a", "--input", "f"], "cannot be used with"),
            (&["frobnicate"], "frobnicate"),
            (&["decode"], "FILE"),
            (
                &["batch", "x.csv", "--format", "txt"],
                "is not svg, png, pdf or eps",
            ),
        ] {
            let e = parse(args).expect_err("a usage error");
            assert!(e.contains(says), "{args:?}: {e}");
            assert_eq!(e.lines().count(), 1, "{args:?}: {e}");
            assert!(e.ends_with("--help')"), "{args:?}: {e}");
        }
    }

    #[test]
    fn payload_fields_keep_their_order() {
        let Ok(Command::Payload(a)) = parse(&[
            "payload",
            "vcard",
            "--name",
            "A",
            "--phone=1",
            "--phone",
            "2",
        ]) else {
            panic!("parse failed")
        };
        assert_eq!(a.kind, "vcard");
        let pairs = a.pairs().expect("pairs");
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["name", "phone", "phone"]);
        assert!(!a.wants_help());
        let Ok(Command::Payload(a)) = parse(&["payload", "geo", "--lat"]) else {
            panic!("parse failed")
        };
        assert!(a
            .pairs()
            .expect_err("no value")
            .contains("--lat needs a value"));
        let Ok(Command::Payload(a)) = parse(&["payload", "geo", "50"]) else {
            panic!("parse failed")
        };
        assert!(a.pairs().expect_err("not a field").contains("\"50\""));
        let Ok(Command::Payload(a)) = parse(&["payload", "wifi", "--ssid", "-h", "--help"]) else {
            panic!("parse failed")
        };
        assert!(a.wants_help());
    }

    #[test]
    fn dash_is_standard_input_and_double_dash_ends_options() {
        let Ok(Command::Encode(a)) = parse(&["encode", "-"]) else {
            panic!("parse failed")
        };
        assert_eq!(a.data.as_deref(), Some("-"));
        let Ok(Command::Encode(a)) = parse(&["encode", "--", "--json"]) else {
            panic!("parse failed")
        };
        assert_eq!(a.data.as_deref(), Some("--json"));
        assert!(!a.json);
        let Ok(Command::Decode(a)) = parse(&["decode", "-", "--symbol", "qr,micro"]) else {
            panic!("parse failed")
        };
        assert_eq!(a.files, [PathBuf::from("-")]);
        assert_eq!(a.symbol, [Symbology::Qr, Symbology::MicroQr]);
    }
}
