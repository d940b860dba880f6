//! Payload builders and parsers: the text conventions phones act on (URL, geo,
//! SMS, tel, e-mail, Wi-Fi, vCard, MeCard, EPC SEPA credit transfer).
//!
//! Every kind has a struct whose constructor validates its fields and whose
//! [`Display`](core::fmt::Display) writes the payload text, and a `parse`
//! function reading that text back. [`Payload`] gathers the kinds:
//! [`Payload::parse`] classifies any decoded text (never failing: text that is
//! no known kind, or an invalid one, is [`Payload::Other`]), and
//! [`Payload::from_fields`] builds a kind from `(name, value)` pairs, as the
//! command line and CSV columns give them.
//!
//! ```
//! use civiqr::payload::{Epc, Payload};
//! let epc = Epc::new("Tresor Public", "FR7630006000011234567890189")?
//!     .amount("12.50")?
//!     .text("Stationnement")?;
//! let text = epc.to_string();
//! assert!(text.starts_with("BCD\n002\n1\nSCT\n"));
//! assert_eq!(Payload::parse(&text), Payload::Epc(epc));
//! # Ok::<(), civiqr::payload::PayloadError>(())
//! ```

mod contact;
mod epc;
mod error;
mod text;
mod uri;
mod wifi;

pub use contact::Contact;
pub use epc::{Epc, EpcVersion};
pub use error::PayloadError;
pub use uri::{Email, Geo, Sms, SmsForm, Tel, Url};
pub use wifi::{Wifi, WifiAuth};

use core::fmt;

use crate::symbol::EcLevel;

/// A classified payload: one variant per kind, [`Payload::Other`] for the rest.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Payload {
    /// An `http:` or `https:` URL.
    Url(Url),
    /// A `geo:` location (RFC 5870).
    Geo(Geo),
    /// A text message (`SMSTO:` or RFC 5724 `sms:`).
    Sms(Sms),
    /// A telephone number (RFC 3966 `tel:`).
    Tel(Tel),
    /// An e-mail (RFC 6068 `mailto:`).
    Email(Email),
    /// Wi-Fi network credentials (`WIFI:`).
    Wifi(Wifi),
    /// A contact as vCard 3.0.
    VCard(Contact),
    /// A contact as MeCard.
    MeCard(Contact),
    /// A SEPA credit transfer (EPC069-12).
    Epc(Epc),
    /// Any other text, kept as it is.
    Other(String),
}

/// The kind names [`Payload::kind`] returns and [`Payload::from_fields`] takes.
pub const KINDS: [&str; 9] = [
    "url", "geo", "sms", "tel", "email", "wifi", "vcard", "mecard", "epc",
];

impl Payload {
    /// Classifies decoded text. Never fails: text that is not a known kind, or
    /// is one but with invalid fields, is [`Payload::Other`]. Prefixes are
    /// matched case-insensitively.
    pub fn parse(text: &str) -> Payload {
        let head = |p: &str| {
            text.len() >= p.len()
                && text.is_char_boundary(p.len())
                && text[..p.len()].eq_ignore_ascii_case(p)
        };
        let parsed = if head("http://") || head("https://") {
            Url::new(text).map(Payload::Url)
        } else if head("geo:") {
            Geo::parse(text).map(Payload::Geo)
        } else if head("smsto:") || head("sms:") {
            Sms::parse(text).map(Payload::Sms)
        } else if head("tel:") {
            Tel::parse(text).map(Payload::Tel)
        } else if head("mailto:") {
            Email::parse(text).map(Payload::Email)
        } else if head("wifi:") {
            Wifi::parse(text).map(Payload::Wifi)
        } else if head("begin:vcard") {
            Contact::parse_vcard(text).map(Payload::VCard)
        } else if head("mecard:") {
            Contact::parse_mecard(text).map(Payload::MeCard)
        } else if head("bcd\n") || head("bcd\r\n") {
            Epc::parse(text).map(Payload::Epc)
        } else {
            Err(PayloadError::UnknownKind {
                kind: String::new(),
            })
        };
        parsed.unwrap_or_else(|_| Payload::Other(text.to_string()))
    }

    /// Builds a payload of `kind` (one of [`KINDS`]) from `(field, value)`
    /// pairs, in any order; empty values count as absent. Fields per kind:
    ///
    /// | kind | fields (required in bold) |
    /// |---|---|
    /// | url | **url** |
    /// | geo | **lat**, **lon**, alt |
    /// | sms | **number**, text, form (`smsto` default, or `sms`) |
    /// | tel | **number** |
    /// | email | **to**, subject, body |
    /// | wifi | **ssid**, password, auth (`WPA` default with a password, `WEP`, `nopass`), hidden (`true`/`false`) |
    /// | vcard, mecard | **name**, org, title, phone, email, url, address, note (phone and email may repeat) |
    /// | epc | **name**, **iban**, bic, amount, purpose, reference, text, info, version (`1` or `2`, default 2) |
    ///
    /// # Errors
    ///
    /// [`PayloadError::UnknownKind`], [`PayloadError::UnknownField`], a
    /// repeated single field as [`PayloadError::InvalidField`], a missing one
    /// as [`PayloadError::MissingField`], and each kind's own checks.
    pub fn from_fields(kind: &str, fields: &[(&str, &str)]) -> Result<Payload, PayloadError> {
        let kind_lc = kind.to_ascii_lowercase();
        let allowed = field_names(&kind_lc).ok_or_else(|| PayloadError::UnknownKind {
            kind: kind.chars().take(40).collect(),
        })?;
        let f = Fields::new(&kind_lc, allowed, fields)?;
        Ok(match kind_lc.as_str() {
            "url" => Payload::Url(Url::new(f.required("url")?)?),
            "geo" => {
                let mut g = Geo::new(f.number("lat")?, f.number("lon")?)?;
                if let Some(alt) = f.get("alt") {
                    g = g.altitude(f.parse_number("alt", alt)?)?;
                }
                Payload::Geo(g)
            }
            "sms" => {
                let mut s = Sms::new(f.required("number")?)?;
                if let Some(t) = f.get("text") {
                    s = s.text(t);
                }
                if let Some(form) = f.get("form") {
                    s = s.form(form.parse()?);
                }
                Payload::Sms(s)
            }
            "tel" => Payload::Tel(Tel::new(f.required("number")?)?),
            "email" => {
                let mut e = Email::new(f.required("to")?)?;
                if let Some(s) = f.get("subject") {
                    e = e.subject(s);
                }
                if let Some(b) = f.get("body") {
                    e = e.body(b);
                }
                Payload::Email(e)
            }
            "wifi" => {
                let password = f.get("password").unwrap_or("");
                let auth = match f.get("auth") {
                    Some(a) => a.parse()?,
                    None if password.is_empty() => WifiAuth::Open,
                    None => WifiAuth::Wpa,
                };
                let hidden = match f.get("hidden") {
                    None => false,
                    Some(h) => parse_bool("hidden", h)?,
                };
                Payload::Wifi(Wifi::new(f.required("ssid")?, auth, password)?.hidden(hidden))
            }
            "vcard" | "mecard" => {
                let mut c = Contact::new(f.required("name")?)?;
                for (name, value) in f.all() {
                    c = match name {
                        "org" => c.org(value)?,
                        "title" => c.title(value)?,
                        "phone" => c.phone(value)?,
                        "email" => c.email(value)?,
                        "url" => c.url(value)?,
                        "address" => c.address(value)?,
                        "note" => c.note(value)?,
                        _ => c,
                    };
                }
                if kind_lc == "vcard" {
                    Payload::VCard(c)
                } else {
                    Payload::MeCard(c)
                }
            }
            _ => {
                let mut e = Epc::new(f.required("name")?, f.required("iban")?)?;
                if let Some(b) = f.get("bic") {
                    e = e.bic(b)?;
                }
                // After the BIC, which version 001 requires.
                if let Some(v) = f.get("version") {
                    e = e.version(v.parse()?)?;
                }
                if let Some(a) = f.get("amount") {
                    e = e.amount(a)?;
                }
                if let Some(p) = f.get("purpose") {
                    e = e.purpose(p)?;
                }
                if let Some(r) = f.get("reference") {
                    e = e.reference(r)?;
                }
                if let Some(t) = f.get("text") {
                    e = e.text(t)?;
                }
                if let Some(i) = f.get("info") {
                    e = e.info(i)?;
                }
                Payload::Epc(e)
            }
        })
    }

    /// The kind's name, one of [`KINDS`] or `"text"` for [`Payload::Other`].
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Url(_) => "url",
            Payload::Geo(_) => "geo",
            Payload::Sms(_) => "sms",
            Payload::Tel(_) => "tel",
            Payload::Email(_) => "email",
            Payload::Wifi(_) => "wifi",
            Payload::VCard(_) => "vcard",
            Payload::MeCard(_) => "mecard",
            Payload::Epc(_) => "epc",
            Payload::Other(_) => "text",
        }
    }

    /// The fields as `(name, value)` pairs, named as [`Payload::from_fields`]
    /// takes them, absent ones left out: what a scanner shows the user.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut put = |name: &'static str, value: Option<&str>| {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                out.push((name, v.to_string()));
            }
        };
        match self {
            Payload::Url(u) => put("url", Some(u.as_str())),
            Payload::Geo(g) => {
                put("lat", Some(&g.lat().to_string()));
                put("lon", Some(&g.lon().to_string()));
                put("alt", g.alt().map(|a| a.to_string()).as_deref());
            }
            Payload::Sms(s) => {
                put("number", Some(s.number()));
                put("text", Some(s.get_text()));
                put("form", Some(s.get_form().name()));
            }
            Payload::Tel(t) => put("number", Some(t.number())),
            Payload::Email(e) => {
                put("to", Some(e.to()));
                put("subject", Some(e.get_subject()));
                put("body", Some(e.get_body()));
            }
            Payload::Wifi(w) => {
                put("ssid", Some(w.ssid()));
                put("password", Some(w.password()));
                put("auth", Some(w.auth().name()));
                put("hidden", Some(if w.is_hidden() { "true" } else { "false" }));
            }
            Payload::VCard(c) | Payload::MeCard(c) => {
                put("name", Some(c.name()));
                put("org", Some(c.get_org()));
                put("title", Some(c.get_title()));
                for p in c.phones() {
                    put("phone", Some(p));
                }
                for e in c.emails() {
                    put("email", Some(e));
                }
                put("url", Some(c.get_url()));
                put("address", Some(c.get_address()));
                put("note", Some(c.get_note()));
            }
            Payload::Epc(e) => {
                put("version", Some(e.get_version().name()));
                put("name", Some(e.name()));
                put("iban", Some(e.iban()));
                put("bic", e.get_bic());
                put("amount", e.amount_text().as_deref());
                put("purpose", e.get_purpose());
                put("reference", e.get_reference());
                put("text", e.get_text());
                put("info", e.get_info());
            }
            Payload::Other(t) => put("text", Some(t)),
        }
        out
    }

    /// The EC level the kind's specification requires, if any: M for EPC
    /// (EPC069-12 section 5.2), `None` for the others.
    pub fn required_ec_level(&self) -> Option<EcLevel> {
        match self {
            Payload::Epc(_) => Some(Epc::EC_LEVEL),
            _ => None,
        }
    }
}

impl fmt::Display for Payload {
    /// The payload text to encode.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Url(p) => p.fmt(f),
            Payload::Geo(p) => p.fmt(f),
            Payload::Sms(p) => p.fmt(f),
            Payload::Tel(p) => p.fmt(f),
            Payload::Email(p) => p.fmt(f),
            Payload::Wifi(p) => p.fmt(f),
            Payload::VCard(p) => f.write_str(&p.to_vcard()),
            Payload::MeCard(p) => f.write_str(&p.to_mecard()),
            Payload::Epc(p) => p.fmt(f),
            Payload::Other(t) => f.write_str(t),
        }
    }
}

/// The field names [`Payload::from_fields`] takes for `kind` (lowercase, one
/// of [`KINDS`]), or `None` for an unknown kind.
pub fn field_names(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "url" => &["url"],
        "geo" => &["lat", "lon", "alt"],
        "sms" => &["number", "text", "form"],
        "tel" => &["number"],
        "email" => &["to", "subject", "body"],
        "wifi" => &["ssid", "password", "auth", "hidden"],
        "vcard" | "mecard" => &[
            "name", "org", "title", "phone", "email", "url", "address", "note",
        ],
        "epc" => &[
            "name",
            "iban",
            "bic",
            "amount",
            "purpose",
            "reference",
            "text",
            "info",
            "version",
        ],
        _ => return None,
    })
}

/// `(name, value)` pairs checked against a kind's field list.
struct Fields<'a> {
    pairs: Vec<(&'static str, &'a str)>,
}

impl<'a> Fields<'a> {
    fn new(
        kind: &str,
        allowed: &[&'static str],
        fields: &[(&str, &'a str)],
    ) -> Result<Self, PayloadError> {
        let mut pairs: Vec<(&'static str, &'a str)> = Vec::new();
        for &(name, value) in fields {
            let name_lc = name.to_ascii_lowercase();
            let Some(&known) = allowed.iter().find(|a| **a == name_lc) else {
                return Err(PayloadError::UnknownField {
                    kind: KINDS.iter().find(|k| **k == kind).copied().unwrap_or("?"),
                    field: name.chars().take(40).collect(),
                });
            };
            if value.is_empty() {
                continue;
            }
            let repeatable = matches!(known, "phone" | "email") && allowed.contains(&"org");
            if !repeatable && pairs.iter().any(|(n, _)| *n == known) {
                return Err(PayloadError::InvalidField {
                    field: known,
                    reason: "given more than once".into(),
                });
            }
            pairs.push((known, value));
        }
        Ok(Fields { pairs })
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    fn all(&self) -> impl Iterator<Item = (&'static str, &'a str)> + '_ {
        self.pairs.iter().copied()
    }

    fn required(&self, name: &'static str) -> Result<&'a str, PayloadError> {
        self.get(name)
            .ok_or(PayloadError::MissingField { field: name })
    }

    fn number(&self, name: &'static str) -> Result<f64, PayloadError> {
        self.parse_number(name, self.required(name)?)
    }

    fn parse_number(&self, name: &'static str, value: &str) -> Result<f64, PayloadError> {
        value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| PayloadError::InvalidField {
                field: name,
                reason: format!("{:?} is not a number", text::clip(value)),
            })
    }
}

fn parse_bool(field: &'static str, value: &str) -> Result<bool, PayloadError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(PayloadError::InvalidField {
            field,
            reason: format!("{:?} is not true or false", text::clip(value)),
        }),
    }
}

#[cfg(test)]
mod tests;
