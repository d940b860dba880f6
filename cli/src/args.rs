//! Command-line parsing into plain structs; no library calls here.

use std::ffi::OsString;
use std::path::PathBuf;

pub const USAGE: &str = "\
usage: civiqr encode [DATA] [options]
       civiqr decode FILE... [--json] [--try-harder] [--pure] [--merge] [--symbol LIST]
                     [--trust TRUST.json]...
       civiqr keygen --out KEY --issuer NAME [--trust-out TRUST.json] [options]
       civiqr payload KIND --FIELD VALUE...
       civiqr batch ASSETS.csv --out DIR [options]
       civiqr --help | --version

encode options:
  DATA                 text to encode (or use --input)
  -i, --input FILE     read the data from FILE, or '-' for standard input (bytes kept exactly)
      --symbol S       qr (default), micro (Micro QR M1-M4: EC L, M or Q; M1 digits
                       only, use --ec L) or rmqr (rectangular R7x43..R17x139: EC M or H)
      --ec L|M|Q|H     error-correction level (default M)
      --version N      use exactly version N (1-40; M1-M4 for micro; e.g. R11x77
                       for rmqr); default: smallest that fits (least area for rmqr)
      --max-height N   rmqr: tallest symbol allowed, in modules (7-17)
      --max-width N    rmqr: widest symbol allowed, in modules (27-139)
      --max-version N  largest version allowed (default 40)
      --mask N         force mask 0-7 (default: lowest penalty)
      --boost-ec       raise the EC level while the version stays the same
      --eci-utf8       declare UTF-8 with ECI 26 (for strict readers)
      --format F       svg, png, pdf, eps, txt or unicode (default: from -o's
                       extension; unicode on standard output)
  -o, --output FILE    write to FILE instead of standard output
      --scale N        pixels per module for PNG (default 8)
      --quiet-zone N   light border in modules (default 4)
      --dark COLOR     dark colour: #rgb, #rrggbb, #rrggbbaa or a name (default black)
      --light COLOR    light colour, may be 'transparent' (default white)
      --size-mm MM     physical size of the image incl. quiet zone (SVG, PDF, EPS, PNG)
      --dpi N          PNG resolution with --size-mm (default 300)
      --json           print the symbol's metadata as JSON on standard output
      --sign-key KEY   sign the text with this key file (URLs and plain text;
                       see docs/SIGNING.md)
      --split N|auto   structured append: write the data over N symbols (1-16),
                       or 'auto': one symbol if it fits --max-version, else as few
                       as fit; with -o FILE.ext the parts go to FILE-1.ext, FILE-2.ext...

decode options:
  FILE...              image files (PNG, JPEG, WebP, GIF, BMP, TIFF)
      --json           one JSON line per file with the codes found and any error
      --try-harder     more binarizers and candidates (slower)
      --pure           the images are clean, computer-made symbols
      --max-pixels N   refuse larger images, checked from the file header before
                       decoding (default 64000000)
      --max-file-bytes N  refuse larger files (default 67108864, 64 MiB)
      --trust FILE     verify signed codes against this trust file (repeat to
                       merge several): --json adds \"signature\": {\"status\",
                       \"issuer\", \"key_id\"} to each code, status one of valid,
                       invalid, unknown_key, expired, unsigned; otherwise the
                       verdict goes to standard error
      --merge          the files hold the parts of one structured-append message:
                       print the merged message (exit 1 if parts are missing)
      --symbol LIST    symbologies to look for, comma-separated: qr, micro, rmqr
                       (default: all three; fewer is faster on images without codes)

keygen options (a new Ed25519 signing key; see docs/SIGNING.md):
      --out FILE       the private key file (written readable by you only;
                       an existing file is kept unless --force)
      --issuer NAME    the name verifiers show, e.g. \"Ville de Saint-Omer\"
      --trust-out FILE also write the public key to this trust file (added to
                       it when it exists)
      --not-before DATE, --not-after DATE
                       validity dates written to the trust file (YYYY-MM-DD;
                       default: no limit)
      --force          replace an existing key file

batch options (one symbol per CSV row; header required, 'id' column required):
      --out DIR        output folder (created if needed); manifest.csv and
                       manifest.json are written there
      --format LIST    comma-separated svg, png, pdf, eps (default svg,png)
      --template T     URL for every row, e.g. 'https://example.org/s/{id}?src=qr',
                       {column} filled from the row (percent-encoded); otherwise the
                       content is the 'type' column with that kind's field columns,
                       else the 'payload' column, else the 'url' column
      --ec, --max-version, --scale, --quiet-zone, --dpi   as for encode
      --size-mm MM     printed size incl. quiet zone (warns when too small for
                       --reading-distance)
      --reading-distance D   e.g. 2.5m: size from module >= distance/250 (the
                       10:1 rule of thumb for a 25-module code; see docs/CLI.md)
      --sheet a4|a3    also write sheet-a4.pdf / sheet-a3.pdf: all codes with
                       captions (label, id, text) and cut marks (size: --size-mm,
                       else from --reading-distance, else 40 mm)
      --no-verify      do not re-read each rendered PNG raster with the reader
      --jobs N         worker threads (default: the number of CPUs)
      --sign-key KEY   sign every row's content with this key file; the
                       manifests record its key id
  -q, --quiet          no progress or summary on standard error

payload kinds and fields (prints the payload text to encode):
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

exit status: batch: 0 every row done, 1 some rows bad (each named with its line
number on standard error; the others are still written), 2 usage or I/O error;
payload: 0 printed, 2 invalid field (named on standard error);
encode: 0 success, 2 usage or data error (one line on standard error);
decode: 0 every file had a code, 1 some file had none, 2 a file could not be read
(named on standard error; the other files are still decoded); a signature's
verdict does not change the exit status (read it from --json);
decode --merge: 0 message merged, 1 parts missing or not one message;
keygen: 0 written, 2 error (nothing is written when an argument is wrong)";

/// What the user asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    Help,
    Version,
    Encode(Box<EncodeArgs>),
    Decode(DecodeArgs),
    Payload(PayloadArgs),
    Batch(Box<BatchArgs>),
    Keygen(KeygenArgs),
}

/// `civiqr keygen` arguments.
#[derive(Debug, PartialEq, Default)]
pub struct KeygenArgs {
    pub out: PathBuf,
    pub issuer: String,
    pub trust_out: Option<PathBuf>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub force: bool,
}

/// `civiqr batch` arguments, still as text where the library validates them.
#[derive(Debug, PartialEq, Default)]
pub struct BatchArgs {
    pub input: PathBuf,
    pub out: PathBuf,
    pub formats: Option<String>,
    pub template: Option<String>,
    pub ec: Option<String>,
    pub max_version: Option<String>,
    pub scale: Option<String>,
    pub quiet_zone: Option<String>,
    pub dpi: Option<String>,
    pub size_mm: Option<String>,
    pub reading_distance: Option<String>,
    pub sheet: Option<String>,
    pub no_verify: bool,
    pub jobs: Option<String>,
    pub quiet: bool,
    pub sign_key: Option<PathBuf>,
}

/// `civiqr payload` arguments: the kind and `--field value` pairs in order.
#[derive(Debug, PartialEq, Default)]
pub struct PayloadArgs {
    pub kind: String,
    pub fields: Vec<(String, String)>,
}

/// `civiqr decode` arguments.
#[derive(Debug, PartialEq, Default)]
pub struct DecodeArgs {
    pub files: Vec<PathBuf>,
    pub json: bool,
    pub try_harder: bool,
    pub pure: bool,
    pub max_pixels: Option<u64>,
    pub max_file_bytes: Option<u64>,
    pub trust: Vec<PathBuf>,
    pub merge: bool,
    pub symbols: Option<String>,
}

/// Where the data comes from.
#[derive(Debug, PartialEq)]
pub enum Input {
    Arg(String),
    Stdin,
    File(PathBuf),
}

/// `civiqr encode` arguments, still as text where the library validates them.
#[derive(Debug, PartialEq, Default)]
pub struct EncodeArgs {
    pub input: Option<Input>,
    pub ec: Option<String>,
    pub version: Option<String>,
    pub max_version: Option<String>,
    pub mask: Option<String>,
    pub boost_ec: bool,
    pub eci_utf8: bool,
    pub format: Option<String>,
    pub output: Option<PathBuf>,
    pub scale: Option<String>,
    pub quiet_zone: Option<String>,
    pub dark: Option<String>,
    pub light: Option<String>,
    pub size_mm: Option<String>,
    pub dpi: Option<String>,
    pub json: bool,
    pub sign_key: Option<PathBuf>,
    pub split: Option<String>,
    pub symbol: Option<String>,
    pub max_height: Option<String>,
    pub max_width: Option<String>,
}

/// Parses the arguments after the program name.
pub fn parse(args: Vec<OsString>) -> Result<Command, String> {
    let mut it = args.into_iter();
    let first = match it.next() {
        None => return Err("no command given (try 'civiqr --help')".into()),
        Some(a) => text(a)?,
    };
    match first.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "-V" | "--version" => Ok(Command::Version),
        "encode" => parse_encode(it).map(|a| Command::Encode(Box::new(a))),
        "decode" => parse_decode(it).map(Command::Decode),
        "payload" => parse_payload(it),
        "batch" => parse_batch(it).map(|a| Command::Batch(Box::new(a))),
        "keygen" => parse_keygen(it).map(Command::Keygen),
        other => Err(format!("unknown command {other:?} (try 'civiqr --help')")),
    }
}

fn text(a: OsString) -> Result<String, String> {
    a.into_string()
        .map_err(|a| format!("argument {:?} is not valid UTF-8", a.to_string_lossy()))
}

fn parse_encode(mut it: impl Iterator<Item = OsString>) -> Result<EncodeArgs, String> {
    let mut a = EncodeArgs::default();
    let mut positional_only = false;
    while let Some(raw) = it.next() {
        let arg = text(raw)?;
        if positional_only || !arg.starts_with('-') || arg == "-" {
            if arg == "-" && !positional_only {
                set_input(&mut a, Input::Stdin)?;
            } else {
                set_input(&mut a, Input::Arg(arg))?;
            }
            continue;
        }
        // Accept --opt=value as well as --opt value.
        let (name, inline) = split_inline(&arg);
        let mut value = |name: &str| option_value(name, inline.clone(), &mut it);
        match name.as_str() {
            "--" => positional_only = true,
            "-i" | "--input" => {
                let v = value(&name)?;
                let input = if v == "-" {
                    Input::Stdin
                } else {
                    Input::File(v.into())
                };
                set_input(&mut a, input)?;
            }
            "--ec" => a.ec = Some(value(&name)?),
            "--version" => a.version = Some(value(&name)?),
            "--max-version" => a.max_version = Some(value(&name)?),
            "--mask" => a.mask = Some(value(&name)?),
            "--boost-ec" => a.boost_ec = true,
            "--eci-utf8" => a.eci_utf8 = true,
            "--format" | "-f" => a.format = Some(value(&name)?),
            "-o" | "--output" => a.output = Some(value(&name)?.into()),
            "--scale" => a.scale = Some(value(&name)?),
            "--quiet-zone" => a.quiet_zone = Some(value(&name)?),
            "--dark" => a.dark = Some(value(&name)?),
            "--light" => a.light = Some(value(&name)?),
            "--size-mm" => a.size_mm = Some(value(&name)?),
            "--dpi" => a.dpi = Some(value(&name)?),
            "--json" => a.json = true,
            "--sign-key" => a.sign_key = Some(value(&name)?.into()),
            "--split" => a.split = Some(value(&name)?),
            "--symbol" => a.symbol = Some(value(&name)?),
            "--max-height" => a.max_height = Some(value(&name)?),
            "--max-width" => a.max_width = Some(value(&name)?),
            _ => return Err(format!("unknown option {name:?} (try 'civiqr --help')")),
        }
    }
    if a.input.is_none() {
        return Err("no data given: pass DATA or --input FILE".into());
    }
    Ok(a)
}

fn parse_decode(mut it: impl Iterator<Item = OsString>) -> Result<DecodeArgs, String> {
    let mut a = DecodeArgs::default();
    let mut positional_only = false;
    while let Some(raw) = it.next() {
        // File names need not be UTF-8; options must be.
        let limit = match raw.to_str().map(split_inline) {
            Some((name, inline)) if !positional_only && name.starts_with("--max-") => {
                Some((name, inline))
            }
            _ => None,
        };
        if let Some((name, inline)) = limit {
            let value = option_value(&name, inline, &mut it)?;
            let n: u64 = value
                .trim()
                .parse()
                .map_err(|_| format!("{name}: {value:?} is not a whole number"))?;
            match name.as_str() {
                "--max-pixels" => a.max_pixels = Some(n),
                "--max-file-bytes" => a.max_file_bytes = Some(n),
                _ => return Err(format!("unknown option {name:?} (try 'civiqr --help')")),
            }
            continue;
        }
        match raw.to_str() {
            Some("--") if !positional_only => positional_only = true,
            Some("--json") if !positional_only => a.json = true,
            Some("--try-harder") if !positional_only => a.try_harder = true,
            Some("--pure") if !positional_only => a.pure = true,
            Some("--trust") if !positional_only => match it.next() {
                Some(path) => a.trust.push(PathBuf::from(path)),
                None => return Err("option --trust needs a value".into()),
            },
            Some(o) if !positional_only && o.starts_with("--trust=") => {
                a.trust.push(PathBuf::from(&o["--trust=".len()..]));
            }
            Some("--merge") if !positional_only => a.merge = true,
            Some("--symbol") if !positional_only => {
                a.symbols = Some(
                    it.next()
                        .ok_or("option --symbol needs a value")
                        .and_then(|v| v.into_string().map_err(|_| "--symbol: not UTF-8"))?,
                )
            }
            Some(o) if !positional_only && o.starts_with("--symbol=") => {
                a.symbols = Some(o["--symbol=".len()..].to_string())
            }
            Some(o) if !positional_only && o.starts_with('-') && o != "-" => {
                return Err(format!("unknown option {o:?} (try 'civiqr --help')"))
            }
            _ => a.files.push(PathBuf::from(raw)),
        }
    }
    if a.files.is_empty() {
        return Err("no image files given".into());
    }
    Ok(a)
}

fn parse_payload(mut it: impl Iterator<Item = OsString>) -> Result<Command, String> {
    let kind =
        match it.next() {
            None => return Err(
                "payload: no kind given (url, geo, sms, tel, email, wifi, vcard, mecard or epc)"
                    .into(),
            ),
            Some(k) => text(k)?,
        };
    if kind == "-h" || kind == "--help" {
        return Ok(Command::Help);
    }
    let mut a = PayloadArgs {
        kind,
        fields: Vec::new(),
    };
    while let Some(raw) = it.next() {
        let arg = text(raw)?;
        let Some(opt) = arg.strip_prefix("--").filter(|o| !o.is_empty()) else {
            return Err(format!(
                "payload: unexpected argument {arg:?}: fields are given as --FIELD VALUE"
            ));
        };
        let (name, value) = match opt.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => {
                let v = it
                    .next()
                    .ok_or_else(|| format!("option --{opt} needs a value"))
                    .and_then(text)?;
                (opt.to_string(), v)
            }
        };
        a.fields.push((name, value));
    }
    Ok(Command::Payload(a))
}

fn parse_batch(mut it: impl Iterator<Item = OsString>) -> Result<BatchArgs, String> {
    let mut a = BatchArgs::default();
    let (mut input, mut out) = (None, None);
    while let Some(raw) = it.next() {
        let Some(arg) = raw.to_str().map(str::to_string) else {
            if input.is_some() {
                return Err(format!("unexpected argument {:?}", raw.to_string_lossy()));
            }
            input = Some(PathBuf::from(raw));
            continue;
        };
        if !arg.starts_with('-') || arg == "-" {
            if input.is_some() {
                return Err(format!("unexpected argument {arg:?}: one CSV file only"));
            }
            input = Some(PathBuf::from(arg));
            continue;
        }
        let (name, inline) = split_inline(&arg);
        let mut value = |name: &str| option_value(name, inline.clone(), &mut it);
        match name.as_str() {
            "--out" | "-o" => out = Some(PathBuf::from(value(&name)?)),
            "--format" | "-f" => a.formats = Some(value(&name)?),
            "--template" => a.template = Some(value(&name)?),
            "--ec" => a.ec = Some(value(&name)?),
            "--max-version" => a.max_version = Some(value(&name)?),
            "--scale" => a.scale = Some(value(&name)?),
            "--quiet-zone" => a.quiet_zone = Some(value(&name)?),
            "--dpi" => a.dpi = Some(value(&name)?),
            "--size-mm" => a.size_mm = Some(value(&name)?),
            "--reading-distance" => a.reading_distance = Some(value(&name)?),
            "--sheet" => a.sheet = Some(value(&name)?),
            "--jobs" | "-j" => a.jobs = Some(value(&name)?),
            "--no-verify" => a.no_verify = true,
            "--quiet" | "-q" => a.quiet = true,
            "--sign-key" => a.sign_key = Some(value(&name)?.into()),
            _ => return Err(format!("unknown option {name:?} (try 'civiqr --help')")),
        }
    }
    a.input = input.ok_or("batch: no CSV file given")?;
    a.out = out.ok_or("batch: no output folder given (--out DIR)")?;
    Ok(a)
}

fn parse_keygen(mut it: impl Iterator<Item = OsString>) -> Result<KeygenArgs, String> {
    let mut a = KeygenArgs::default();
    let (mut out, mut issuer) = (None, None);
    while let Some(raw) = it.next() {
        let arg = text(raw)?;
        let (name, inline) = split_inline(&arg);
        let mut value = |name: &str| option_value(name, inline.clone(), &mut it);
        match name.as_str() {
            "--out" | "-o" => out = Some(PathBuf::from(value(&name)?)),
            "--issuer" => issuer = Some(value(&name)?),
            "--trust-out" => a.trust_out = Some(value(&name)?.into()),
            "--not-before" => a.not_before = Some(value(&name)?),
            "--not-after" => a.not_after = Some(value(&name)?),
            "--force" => a.force = true,
            _ => {
                return Err(format!(
                    "keygen: unexpected argument {arg:?} (try 'civiqr --help')"
                ))
            }
        }
    }
    a.out = out.ok_or("keygen: no key file given (--out FILE)")?;
    a.issuer = issuer.ok_or("keygen: no issuer given (--issuer NAME)")?;
    Ok(a)
}

/// `--opt=value` or `--opt`: the option's name, and its value when given inline.
fn split_inline(arg: &str) -> (String, Option<String>) {
    match arg.split_once('=') {
        Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
        _ => (arg.to_string(), None),
    }
}

/// The value of option `name`: the inline one, else the next argument.
fn option_value(
    name: &str,
    inline: Option<String>,
    it: &mut impl Iterator<Item = OsString>,
) -> Result<String, String> {
    match inline {
        Some(v) => Ok(v),
        None => it
            .next()
            .ok_or_else(|| format!("option {name} needs a value"))
            .and_then(text),
    }
}

fn set_input(a: &mut EncodeArgs, input: Input) -> Result<(), String> {
    if a.input.is_some() {
        return Err("data given twice: pass either DATA or one --input".into());
    }
    a.input = Some(input);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<OsString> {
        s.iter().map(OsString::from).collect()
    }

    #[test]
    fn encode_with_options() {
        let Ok(Command::Encode(a)) = parse(args(&[
            "encode", "hi", "--ec", "H", "--mask=3", "-o", "x.svg",
        ])) else {
            panic!("parse failed")
        };
        assert_eq!(a.input, Some(Input::Arg("hi".into())));
        assert_eq!(a.ec.as_deref(), Some("H"));
        assert_eq!(a.mask.as_deref(), Some("3"));
        assert_eq!(a.output, Some(PathBuf::from("x.svg")));
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(parse(args(&["encode"])).unwrap_err().contains("no data"));
        assert!(parse(args(&["encode", "a", "b"]))
            .unwrap_err()
            .contains("twice"));
        assert!(parse(args(&["encode", "a", "--ec"]))
            .unwrap_err()
            .contains("--ec needs a value"));
        assert!(parse(args(&["encode", "a", "--nope"]))
            .unwrap_err()
            .contains("--nope"));
        assert!(parse(args(&["frobnicate"]))
            .unwrap_err()
            .contains("frobnicate"));
    }

    #[test]
    fn payload_fields_keep_their_order() {
        let Ok(Command::Payload(a)) = parse(args(&[
            "payload",
            "vcard",
            "--name",
            "A",
            "--phone=1",
            "--phone",
            "2",
        ])) else {
            panic!("parse failed")
        };
        assert_eq!(a.kind, "vcard");
        let names: Vec<&str> = a.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["name", "phone", "phone"]);
        assert!(parse(args(&["payload", "geo", "--lat"]))
            .unwrap_err()
            .contains("--lat needs a value"));
        assert!(parse(args(&["payload", "geo", "50"]))
            .unwrap_err()
            .contains("\"50\""));
    }

    #[test]
    fn dash_means_stdin_and_double_dash_ends_options() {
        let Ok(Command::Encode(a)) = parse(args(&["encode", "-"])) else {
            panic!()
        };
        assert_eq!(a.input, Some(Input::Stdin));
        let Ok(Command::Encode(a)) = parse(args(&["encode", "--", "--json"])) else {
            panic!()
        };
        assert_eq!(a.input, Some(Input::Arg("--json".into())));
    }
}
