//! Contact payloads: vCard 3.0 (RFC 2426, text escaping of RFC 2425) and
//! MeCard (NTT docomo), one [`Contact`] written either way.

use super::text::{backslash_escape, check_no_controls, strip_prefix_ci};
use super::PayloadError;

/// A contact card. Written as vCard 3.0 ([`Contact::to_vcard`]) or MeCard
/// ([`Contact::to_mecard`]).
///
/// The name is one formatted name: vCard gets it as `FN` and as the family
/// component of `N` (vCard 3.0 requires `N`; splitting a name into given and
/// family parts cannot be done reliably), MeCard as `N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    name: String,
    org: String,
    title: String,
    phones: Vec<String>,
    emails: Vec<String>,
    url: String,
    address: String,
    note: String,
}

/// Fails on control characters, except line breaks where `multiline`.
fn clean(field: &'static str, value: &str, multiline: bool) -> Result<String, PayloadError> {
    if multiline {
        check_no_controls(field, &value.replace("\r\n", "").replace('\n', ""))?;
        Ok(value.replace("\r\n", "\n"))
    } else {
        check_no_controls(field, value)?;
        Ok(value.to_string())
    }
}

impl Contact {
    /// A contact named `name` (no control characters).
    ///
    /// # Errors
    ///
    /// [`PayloadError::MissingField`] or [`PayloadError::InvalidField`] for `name`.
    pub fn new(name: &str) -> Result<Contact, PayloadError> {
        if name.trim().is_empty() {
            return Err(PayloadError::MissingField { field: "name" });
        }
        Ok(Contact {
            name: clean("name", name, false)?,
            org: String::new(),
            title: String::new(),
            phones: Vec::new(),
            emails: Vec::new(),
            url: String::new(),
            address: String::new(),
            note: String::new(),
        })
    }

    /// Sets the organisation.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `org` on a control character.
    pub fn org(mut self, org: &str) -> Result<Contact, PayloadError> {
        self.org = clean("org", org, false)?;
        Ok(self)
    }

    /// Sets the job title.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `title` on a control character.
    pub fn title(mut self, title: &str) -> Result<Contact, PayloadError> {
        self.title = clean("title", title, false)?;
        Ok(self)
    }

    /// Adds a phone number (checked as [`Tel::new`](super::Tel::new) does).
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `phone`.
    pub fn phone(mut self, number: &str) -> Result<Contact, PayloadError> {
        let tel = super::Tel::new(number).map_err(|e| rename(e, "phone"))?;
        self.phones.push(tel.number().to_string());
        Ok(self)
    }

    /// Adds an e-mail address (checked as [`Email::new`](super::Email::new) does).
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `email`.
    pub fn email(mut self, address: &str) -> Result<Contact, PayloadError> {
        let e = super::Email::new(address).map_err(|e| rename(e, "email"))?;
        self.emails.push(e.to().to_string());
        Ok(self)
    }

    /// Sets the web address (free text, not checked as a URL).
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `url` on a control character.
    pub fn url(mut self, url: &str) -> Result<Contact, PayloadError> {
        self.url = clean("url", url, false)?;
        Ok(self)
    }

    /// Sets the postal address, one line.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `address` on a control character.
    pub fn address(mut self, address: &str) -> Result<Contact, PayloadError> {
        self.address = clean("address", address, false)?;
        Ok(self)
    }

    /// Sets a note; line breaks are allowed.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `note` on another control character.
    pub fn note(mut self, note: &str) -> Result<Contact, PayloadError> {
        self.note = clean("note", note, true)?;
        Ok(self)
    }

    /// The formatted name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The organisation (empty if unset).
    pub fn get_org(&self) -> &str {
        &self.org
    }
    /// The job title (empty if unset).
    pub fn get_title(&self) -> &str {
        &self.title
    }
    /// The phone numbers.
    pub fn phones(&self) -> &[String] {
        &self.phones
    }
    /// The e-mail addresses.
    pub fn emails(&self) -> &[String] {
        &self.emails
    }
    /// The web address (empty if unset).
    pub fn get_url(&self) -> &str {
        &self.url
    }
    /// The postal address (empty if unset).
    pub fn get_address(&self) -> &str {
        &self.address
    }
    /// The note (empty if unset).
    pub fn get_note(&self) -> &str {
        &self.note
    }

    /// The vCard 3.0 text, CRLF line ends, no folding.
    pub fn to_vcard(&self) -> String {
        let mut out = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\n");
        let mut line = |prop: &str, value: &str| {
            if !value.is_empty() {
                out.push_str(prop);
                out.push(':');
                out.push_str(value);
                out.push_str("\r\n");
            }
        };
        let name = vcard_escape(&self.name);
        line("N", &format!("{name};;;;"));
        line("FN", &name);
        line("ORG", &vcard_escape(&self.org));
        line("TITLE", &vcard_escape(&self.title));
        for p in &self.phones {
            line("TEL", p);
        }
        for e in &self.emails {
            line("EMAIL", e);
        }
        line("URL", &vcard_escape(&self.url));
        if !self.address.is_empty() {
            line("ADR", &format!(";;{};;;;", vcard_escape(&self.address)));
        }
        line("NOTE", &vcard_escape(&self.note));
        out.push_str("END:VCARD");
        out
    }

    /// The MeCard text: `MECARD:N:...;TEL:...;;` with `\ ; , : "` escaped.
    pub fn to_mecard(&self) -> String {
        let mut out = String::from("MECARD:");
        let mut field = |key: &str, value: &str| {
            if !value.is_empty() {
                out.push_str(key);
                out.push(':');
                out.push_str(&backslash_escape(value));
                out.push(';');
            }
        };
        field("N", &self.name);
        field("ORG", &self.org);
        field("TITLE", &self.title);
        for p in &self.phones {
            field("TEL", p);
        }
        for e in &self.emails {
            field("EMAIL", e);
        }
        field("URL", &self.url);
        field("ADR", &self.address);
        field("NOTE", &self.note);
        out.push(';');
        out
    }

    /// Reads a vCard (2.1, 3.0 or 4.0 structure): unfolds lines, skips
    /// parameters and groups, unescapes values. The name comes from `FN`, or
    /// from `N` (given then family) without it; other properties are skipped.
    ///
    /// # Errors
    ///
    /// [`PayloadError::Malformed`] without `BEGIN:VCARD`, and the field checks
    /// of the setters (a contact without a name included).
    pub fn parse_vcard(text: &str) -> Result<Contact, PayloadError> {
        let unfolded = text
            .replace("\r\n ", "")
            .replace("\r\n\t", "")
            .replace("\n ", "")
            .replace("\n\t", "");
        let mut lines = unfolded.lines().map(|l| l.trim_end_matches('\r'));
        if !lines
            .next()
            .is_some_and(|l| l.trim().eq_ignore_ascii_case("begin:vcard"))
        {
            return Err(PayloadError::Malformed {
                kind: "vcard",
                reason: "no BEGIN:VCARD line".into(),
            });
        }
        let (mut fn_name, mut n_name) = (None, None);
        let mut props: Vec<(String, String)> = Vec::new();
        for line in lines {
            let Some((head, value)) = line.split_once(':') else {
                continue;
            };
            let name = head.split(';').next().unwrap_or("");
            let name = name.rsplit('.').next().unwrap_or("").to_ascii_uppercase();
            match name.as_str() {
                "END" => break,
                "FN" => fn_name = Some(vcard_unescape(value)),
                "N" => {
                    let parts: Vec<String> = split_raw(value, ';').map(vcard_unescape).collect();
                    let given = parts.get(1).map_or("", String::as_str);
                    let family = parts.first().map_or("", String::as_str);
                    n_name = Some(format!("{given} {family}").trim().to_string());
                }
                "ADR" => {
                    let parts: Vec<String> = split_raw(value, ';')
                        .map(vcard_unescape)
                        .filter(|p| !p.is_empty())
                        .collect();
                    props.push((name, parts.join(", ")));
                }
                _ => props.push((name, vcard_unescape(value))),
            }
        }
        let name = fn_name
            .filter(|n| !n.is_empty())
            .or(n_name)
            .unwrap_or_default();
        let mut c = Contact::new(&name)?;
        for (prop, value) in props {
            c = c.set(&prop, &value)?;
        }
        Ok(c)
    }

    /// Reads a MeCard: `MECARD:` then `KEY:value;` fields, `N:family,given`
    /// read as "given family"; unknown keys are skipped.
    ///
    /// # Errors
    ///
    /// [`PayloadError::Malformed`] without the prefix, and the field checks of
    /// the setters (a card without a name included).
    pub fn parse_mecard(text: &str) -> Result<Contact, PayloadError> {
        let rest = strip_prefix_ci(text, "mecard:").ok_or_else(|| PayloadError::Malformed {
            kind: "mecard",
            reason: "no MECARD: prefix".into(),
        })?;
        let mut name = String::new();
        let mut props = Vec::new();
        for part in split_raw(rest, ';') {
            let Some((key, value)) = part.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_uppercase();
            if key == "N" {
                let parts: Vec<String> = split_raw(value, ',').map(mecard_unescape).collect();
                name = match parts.as_slice() {
                    [family, given] => format!("{given} {family}").trim().to_string(),
                    _ => mecard_unescape(value),
                };
            } else {
                props.push((key, mecard_unescape(value)));
            }
        }
        let mut c = Contact::new(&name)?;
        for (prop, value) in props {
            c = c.set(&prop, &value)?;
        }
        Ok(c)
    }

    /// Applies one parsed property (vCard or MeCard name, upper case).
    fn set(self, prop: &str, value: &str) -> Result<Contact, PayloadError> {
        if value.is_empty() {
            return Ok(self);
        }
        match prop {
            "ORG" => self.org(value),
            "TITLE" => self.title(value),
            "TEL" => self.phone(value),
            "EMAIL" => self.email(value),
            "URL" => self.url(value),
            "ADR" => self.address(value),
            "NOTE" => self.note(value),
            _ => Ok(self),
        }
    }
}

/// Gives an error of a nested check the name of the contact field.
fn rename(e: PayloadError, field: &'static str) -> PayloadError {
    match e {
        PayloadError::InvalidField { reason, .. } => PayloadError::InvalidField { field, reason },
        PayloadError::MissingField { .. } => PayloadError::MissingField { field },
        PayloadError::FieldTooLong { max, len, .. } => {
            PayloadError::FieldTooLong { field, max, len }
        }
        other => other,
    }
}

/// RFC 2426 5.8.4 text escaping: `\` `,` `;` and line breaks.
fn vcard_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | ',' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn vcard_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

fn mecard_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits at each `sep` not escaped by a backslash, keeping the escapes.
fn split_raw(s: &str, sep: char) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts.into_iter()
}
