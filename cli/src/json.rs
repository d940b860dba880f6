//! The JSON the CLI prints, as serde types: `decode --json` (one object per
//! file, schema in docs/cli-decode.schema.json), `decode --merge --json` and
//! `encode --json`. Field order is the order of the struct fields, which
//! scripts that grep the output rely on.

use std::ffi::OsStr;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use civiqr::payload::Payload;
use civiqr::sign::{Date, TrustList, Verification};
use civiqr::{Decoded, Merged, QrCode, SegmentInfo, StructuredAppend};

/// One decoded file: the codes found, or why it could not be read.
#[derive(Serialize)]
pub struct FileReport<'a> {
    file: String,
    /// The name's exact bytes, only when it is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    file_bytes_base64: Option<String>,
    codes: Vec<Code<'a>>,
    error: Option<&'a str>,
}

impl<'a> FileReport<'a> {
    pub fn new(
        file: &OsStr,
        codes: &'a [Decoded],
        error: Option<&'a str>,
        trust: Option<(&TrustList, Date)>,
    ) -> FileReport<'a> {
        let (file, file_bytes_base64) = file_name(file);
        FileReport {
            file,
            file_bytes_base64,
            codes: codes.iter().map(|c| Code::new(c, trust)).collect(),
            error,
        }
    }
}

/// A file name as a JSON string: exact when it is UTF-8. Otherwise each
/// byte that is not UTF-8 is written `\xNN` and each backslash `\\`, so
/// that two names never give one string, and the exact bytes come too.
fn file_name(name: &OsStr) -> (String, Option<String>) {
    if let Some(s) = name.to_str() {
        return (s.to_string(), None);
    }
    let raw = name.as_encoded_bytes();
    let mut out = String::with_capacity(raw.len() + 8);
    for chunk in raw.utf8_chunks() {
        out.push_str(&chunk.valid().replace('\\', "\\\\"));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    (out, Some(crate::base64(raw)))
}

/// One decoded symbol.
#[derive(Serialize)]
struct Code<'a> {
    symbology: &'static str,
    text: Option<&'a str>,
    bytes_base64: String,
    version: u8,
    symbol_version: String,
    ec: String,
    mask: u8,
    eci: Option<u32>,
    /// TL, TR, BR, BL as `[x, y]` pixels, to a tenth of a pixel (the
    /// reader's precision; more digits would only be noise).
    corners: Vec<[f64; 2]>,
    mirrored: bool,
    inverted: bool,
    model1: bool,
    structured_append: Option<Sa>,
    payload: Option<PayloadJson>,
    /// Only with `--trust`, so that output without it stays as it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<Signature>,
}

impl<'a> Code<'a> {
    fn new(c: &'a Decoded, trust: Option<(&TrustList, Date)>) -> Code<'a> {
        Code {
            symbology: c.symbology().id(),
            text: c.text(),
            bytes_base64: crate::base64(c.bytes()),
            version: c.symbol_version().number(),
            symbol_version: c.symbol_version().to_string(),
            ec: c.ec_level().to_string(),
            mask: c.mask().number(),
            eci: c.eci(),
            corners: c
                .corners()
                .iter()
                .map(|p| [tenth(f64::from(p.x)), tenth(f64::from(p.y))])
                .collect(),
            mirrored: c.mirrored(),
            inverted: c.inverted(),
            model1: c.is_model1(),
            structured_append: c.structured_append().map(Sa::from),
            payload: c.text().map(|t| PayloadJson(Payload::parse(t))),
            signature: trust.map(|(list, today)| Signature::from(&list.verify(c.bytes(), today))),
        }
    }
}

fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `{"index":0,"count":4,"parity":95}`.
#[derive(Serialize)]
struct Sa {
    index: u8,
    count: u8,
    parity: u8,
}

impl From<StructuredAppend> for Sa {
    fn from(s: StructuredAppend) -> Self {
        Sa {
            index: s.index,
            count: s.count,
            parity: s.parity,
        }
    }
}

/// A signature verdict; issuer and key id `null` when not known.
#[derive(Serialize)]
struct Signature {
    status: String,
    issuer: Option<String>,
    key_id: Option<String>,
}

impl From<&Verification> for Signature {
    fn from(v: &Verification) -> Self {
        Signature {
            status: v.status().to_string(),
            issuer: v.issuer().map(str::to_string),
            key_id: v.key_id().map(str::to_string),
        }
    }
}

/// `{"kind":"epc","fields":{"name":"...",...}}` with the fields in the
/// payload's order; contact phones and e-mail addresses are arrays.
struct PayloadJson(Payload);

impl Serialize for PayloadJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("kind", self.0.kind())?;
        map.serialize_entry("fields", &Fields(&self.0))?;
        map.end()
    }
}

struct Fields<'a>(&'a Payload);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = self.0.fields();
        let contact = matches!(self.0, Payload::VCard(_) | Payload::MeCard(_));
        let mut map = s.serialize_map(None)?;
        let mut done: Vec<&str> = Vec::new();
        for (name, value) in &fields {
            if contact && matches!(*name, "phone" | "email") {
                // Every value of a repeated field, in one array at its first place.
                if done.contains(name) {
                    continue;
                }
                done.push(name);
                let all: Vec<&str> = fields
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                map.serialize_entry(name, &all)?;
            } else {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}

/// `decode --merge --json`: the merged message, with `--trust` its verdict.
#[derive(Serialize)]
pub struct MergedJson<'a> {
    text: Option<&'a str>,
    bytes_base64: String,
    count: u8,
    parity: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<Signature>,
}

impl<'a> MergedJson<'a> {
    pub fn new(m: &'a Merged, verdict: Option<&Verification>) -> MergedJson<'a> {
        MergedJson {
            text: m.text(),
            bytes_base64: crate::base64(m.bytes()),
            count: m.count(),
            parity: m.parity(),
            signature: verdict.map(Signature::from),
        }
    }
}

/// `encode --json`: one symbol's metadata.
#[derive(Serialize)]
pub struct Metadata {
    symbology: &'static str,
    version: u8,
    symbol_version: String,
    ec: String,
    mask: u8,
    size: usize,
    width: usize,
    height: usize,
    segments: Vec<Segment>,
    structured_append: Option<Sa>,
}

impl Metadata {
    pub fn new(code: &QrCode) -> Metadata {
        Metadata {
            symbology: code.symbology().id(),
            version: code.symbol_version().number(),
            symbol_version: code.symbol_version().to_string(),
            ec: code.ec_level().to_string(),
            mask: code.mask().number(),
            size: code.size(),
            width: code.width(),
            height: code.height(),
            segments: code.segments().iter().map(Segment::from).collect(),
            structured_append: code.structured_append().map(Sa::from),
        }
    }
}

/// A segment of an encoded symbol: a mode and its length in characters,
/// or an ECI designator.
#[derive(Serialize)]
#[serde(untagged)]
enum Segment {
    Data { mode: &'static str, length: usize },
    Eci { mode: &'static str, designator: u32 },
    Other {},
}

impl From<&SegmentInfo> for Segment {
    fn from(s: &SegmentInfo) -> Self {
        match s {
            SegmentInfo::Data { mode, chars } => Segment::Data {
                mode: mode.name(),
                length: *chars,
            },
            SegmentInfo::Eci(d) => Segment::Eci {
                mode: "eci",
                designator: *d,
            },
            _ => Segment::Other {},
        }
    }
}

/// One JSON line. Serialising these types cannot fail (string keys, finite
/// numbers); were it to, the caller reports it as any other error.
pub fn line<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value)
        .map(|s| s + "\n")
        .map_err(|e| format!("cannot write JSON: {e}"))
}
