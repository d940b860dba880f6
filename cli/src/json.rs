//! The JSON the CLI prints, as serde types: `decode --json` (one object per
//! file, schema in docs/cli-decode.schema.json), `decode --merge --json` and
//! `encode --json`. Field order is the order of the struct fields, which
//! scripts that grep the output rely on.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use civiqr::payload::Payload;
use civiqr::sign::{Date, TrustList};
use civiqr::{Decoded, Merged, QrCode, SegmentInfo, StructuredAppend, SymbolVersion};

/// One decoded file: the codes found, or why it could not be read.
#[derive(Serialize)]
pub struct FileReport<'a> {
    file: String,
    codes: Vec<Code<'a>>,
    error: Option<&'a str>,
}

impl<'a> FileReport<'a> {
    pub fn new(
        file: String,
        codes: &'a [Decoded],
        error: Option<&'a str>,
        trust: Option<(&TrustList, Date)>,
    ) -> FileReport<'a> {
        FileReport {
            file,
            codes: codes.iter().map(|c| Code::new(c, trust)).collect(),
            error,
        }
    }
}

/// One decoded symbol.
#[derive(Serialize)]
struct Code<'a> {
    symbology: &'static str,
    text: Option<&'a str>,
    bytes_base64: String,
    version: VersionJson,
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
            version: VersionJson::from(c.symbol_version()),
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
            signature: trust.map(|(list, today)| {
                let v = list.verify(c.bytes(), today);
                Signature {
                    status: v.status().to_string(),
                    issuer: v.issuer().map(str::to_string),
                    key_id: v.key_id().map(str::to_string),
                }
            }),
        }
    }
}

fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A QR Code version as its number, Micro QR and rMQR versions as their
/// names (`"M2"`, `"R11x77"`), as before `symbol_version` existed; new
/// scripts read `symbol_version`, a string for every symbology.
#[derive(Serialize)]
#[serde(untagged)]
enum VersionJson {
    Number(u8),
    Name(String),
}

impl From<SymbolVersion> for VersionJson {
    fn from(v: SymbolVersion) -> Self {
        match v {
            SymbolVersion::Qr(v) => VersionJson::Number(v.number()),
            other => VersionJson::Name(other.to_string()),
        }
    }
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

/// `decode --merge --json`: the merged message.
#[derive(Serialize)]
pub struct MergedJson<'a> {
    text: Option<&'a str>,
    bytes_base64: String,
    count: u8,
    parity: u8,
}

impl<'a> MergedJson<'a> {
    pub fn new(m: &'a Merged) -> MergedJson<'a> {
        MergedJson {
            text: m.text(),
            bytes_base64: crate::base64(m.bytes()),
            count: m.count(),
            parity: m.parity(),
        }
    }
}

/// `encode --json`: one symbol's metadata.
#[derive(Serialize)]
pub struct Metadata {
    symbology: &'static str,
    version: VersionJson,
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
            version: VersionJson::from(code.symbol_version()),
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
