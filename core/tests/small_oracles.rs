//! Micro QR and rMQR writers against independent tools from PyPI: every
//! Micro QR version x EC level and every rMQR version x EC level, filled
//! near capacity in each mode, is read back exactly by zxing-cpp; single-mode
//! Micro QR symbols are module-for-module those segno draws. Runs when the
//! project's Python environment (zxing-cpp, segno, numpy) is present.

use std::path::Path;
use std::process::Command;

use civiqr::{encode_text, EcLevel, EncodeOptions, MicroVersion, RmqrVersion, Symbology};

/// The project's Python environment (scripts/setup.sh makes it).
const PYTHON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../.venv/bin/python");

/// Text of `n` characters for a mode: digits, upper-case alphanumerics,
/// lower-case bytes or Kanji; `mixed` alternates runs.
fn sample(kind: &str, n: usize, seed: usize) -> String {
    let pick = |set: &[char], i: usize| set[(i * 7 + seed * 13 + i * i) % set.len()];
    let digits: Vec<char> = "0123456789".chars().collect();
    let alnum: Vec<char> = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
        .chars()
        .collect();
    let bytes: Vec<char> = "abcdefghijklmnopqrstuvwxyz,;!?é".chars().collect();
    let kanji: Vec<char> = "点茗東京都大阪市役所駅前".chars().collect();
    (0..n)
        .map(|i| match kind {
            "numeric" => pick(&digits, i),
            "alnum" => pick(&alnum, i),
            "byte" => pick(&bytes, i),
            "kanji" => pick(&kanji, i),
            _ => match (i / 4) % 3 {
                0 => pick(&digits, i),
                1 => pick(&alnum, i),
                _ => pick(&bytes, i),
            },
        })
        .collect()
}

/// The longest prefix-length of `kind` text that still fits `opts`.
fn longest(kind: &str, opts: &EncodeOptions, seed: usize) -> Option<String> {
    let mut best = None;
    for n in 1..400 {
        let t = sample(kind, n, seed);
        match encode_text(&t, opts) {
            Ok(_) => best = Some(t),
            Err(_) => break,
        }
    }
    best
}

fn case_json(text: &str, opts: &EncodeOptions, single_mode: bool) -> String {
    let code = encode_text(text, opts).expect("fits");
    let rows: Vec<String> = code
        .to_rows()
        .iter()
        .map(|r| {
            let s: String = r.iter().map(|&d| if d { '1' } else { '0' }).collect();
            format!("\"{s}\"")
        })
        .collect();
    let esc = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "{{\"text\":\"{esc}\",\"symbology\":\"{}\",\"version\":\"{}\",\"ec\":\"{}\",\"single_mode\":{},\"rows\":[{}]}}\n",
        code.symbology().id(),
        code.symbol_version(),
        code.ec_level(),
        single_mode && code.segments().len() == 1,
        rows.join(",")
    )
}

#[test]
fn zxing_cpp_reads_every_size_and_segno_agrees() {
    if !Path::new(PYTHON).exists() {
        eprintln!("no Python environment at {PYTHON}: cross-check skipped");
        return;
    }
    let mut lines = String::new();
    let mut cases = 0;
    for n in 1..=4u8 {
        let v = MicroVersion::new(n).expect("v");
        for ec in [EcLevel::L, EcLevel::M, EcLevel::Q] {
            let opts = EncodeOptions::default()
                .symbology(Symbology::MicroQr)
                .micro_version(v)
                .ec_level(ec);
            for (k, kind) in ["numeric", "alnum", "byte", "kanji", "mixed"]
                .iter()
                .enumerate()
            {
                // Each level of each version that exists, in every mode it has.
                if let Some(text) = longest(kind, &opts, k + n as usize) {
                    lines.push_str(&case_json(
                        &text,
                        &opts,
                        *kind != "mixed" && *kind != "byte",
                    ));
                    cases += 1;
                }
            }
        }
    }
    let micro_cases = cases;
    for v in RmqrVersion::all() {
        for ec in [EcLevel::M, EcLevel::H] {
            let opts = EncodeOptions::default()
                .symbology(Symbology::Rmqr)
                .rmqr_version(v)
                .ec_level(ec);
            for (k, kind) in ["numeric", "byte", "mixed"].iter().enumerate() {
                let text = longest(kind, &opts, k + v.indicator() as usize).expect("fits");
                lines.push_str(&case_json(&text, &opts, false));
                cases += 1;
            }
        }
    }
    assert!(micro_cases >= 8 * 2 + 4, "{micro_cases} Micro QR cases");
    assert_eq!(cases - micro_cases, 32 * 2 * 3);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/small_symbols.py");
    let input = std::env::temp_dir().join(format!("civiqr-small-{}.jsonl", std::process::id()));
    std::fs::write(&input, &lines).expect("cases written");
    let out = Command::new(PYTHON)
        .arg(&script)
        .stdin(std::fs::File::open(&input).expect("cases"))
        .output()
        .expect("python runs");
    let _ = std::fs::remove_file(&input);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{stdout}");
    let field = |name: &str| -> usize {
        let key = format!("\"{name}\": ");
        stdout
            .split(&key)
            .nth(1)
            .and_then(|s| s.split([',', '}']).next())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(usize::MAX)
    };
    assert_eq!(field("cases"), cases);
    assert_eq!(field("zxing_read"), cases, "{stdout}");
    assert_eq!(field("segno_cases"), micro_cases);
    assert_eq!(field("segno_not_smaller"), micro_cases, "{stdout}");
    assert!(stdout.contains("\"failures\": []"), "{stdout}");
}

/// What zxing-cpp's writer draws (Micro QR at L, M and Q; rMQR at M and H,
/// texts from one character to a sentence), and segno's Micro QR, reads
/// back byte for byte (the payload zxing-cpp's reader returns), as the
/// right symbology.
#[cfg(feature = "image")]
#[test]
fn civiqr_reads_what_zxing_cpp_writes() {
    if !Path::new(PYTHON).exists() {
        eprintln!("no Python environment at {PYTHON}: cross-check skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("civiqr-zxing-writes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/zxing_writes.py");
    let out = Command::new(PYTHON)
        .arg(&script)
        .arg(&dir)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = String::from_utf8_lossy(&out.stdout).into_owned();
    let (mut total, mut read, mut same_text) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in manifest.lines() {
        // {"file": "...", "text": "...", "symbology": "micro"}
        let field = |name: &str| -> String {
            let key = format!("\"{name}\": \"");
            let start = line.find(&key).map(|i| i + key.len()).unwrap_or(0);
            let rest = &line[start..];
            let mut out = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('u') => {
                            let hex: String = chars.by_ref().take(4).collect();
                            let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        Some(other) => out.push(other),
                        None => {}
                    },
                    c => out.push(c),
                }
            }
            out
        };
        let (file, text, symbology) = (field("file"), field("text"), field("symbology"));
        let hex = field("hex");
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        total += 1;
        let found = civiqr::decode_file(Path::new(&file), &civiqr::DecodeOptions::default())
            .expect("image opens");
        let ok = found
            .iter()
            .any(|d| d.bytes() == bytes.as_slice() && d.symbology().id() == symbology);
        same_text += usize::from(found.iter().any(|d| d.text() == Some(text.as_str())));
        if ok {
            read += 1;
        } else {
            failures.push(format!(
                "{file} {text:?}: {:?}",
                found.iter().map(|d| d.text()).collect::<Vec<_>>()
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    // Texts differ where the bytes carry no ECI and the charset guess
    // differs (Latin-1 "ê" bytes that are also valid Shift JIS).
    eprintln!(
        "zxing-cpp wrote {total}, civiqr read {read} byte-exact, {same_text} with the same text"
    );
    assert!(total >= 80, "only {total} symbols written");
    assert!(failures.is_empty(), "{failures:#?}");
}
