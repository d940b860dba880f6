//! The EPC QR code for SEPA credit transfers (European Payments Council,
//! EPC069-12 "Quick Response Code: guidelines to enable data capture for the
//! initiation of a SEPA credit transfer"), with the ISO 13616 IBAN check.

use core::fmt;
use core::str::FromStr;

use super::text::{check_chars, check_no_controls, clip};
use super::PayloadError;
use crate::symbol::EcLevel;

/// The EPC069-12 data format version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum EpcVersion {
    /// `001`: the BIC is required.
    V1,
    /// `002`: the BIC is optional inside the EEA (default).
    #[default]
    V2,
}

impl EpcVersion {
    /// `001` or `002`, as written in the payload.
    pub fn name(self) -> &'static str {
        match self {
            EpcVersion::V1 => "001",
            EpcVersion::V2 => "002",
        }
    }
}

impl FromStr for EpcVersion {
    type Err = PayloadError;
    /// `1`, `001`, `2` or `002`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "1" | "001" => Ok(EpcVersion::V1),
            "2" | "002" => Ok(EpcVersion::V2),
            _ => Err(PayloadError::InvalidField {
                field: "version",
                reason: format!("{:?} is not 001 or 002", clip(s)),
            }),
        }
    }
}

/// A SEPA credit transfer request (EPC069-12), always written with character
/// set 1 (UTF-8) and identification `SCT`.
///
/// Every setter checks its field and the 331-byte limit of the whole
/// payload, so a value of this type always writes a valid payload. It must be
/// encoded at EC level M ([`Epc::EC_LEVEL`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Epc {
    version: EpcVersion,
    bic: Option<String>,
    name: String,
    iban: String,
    amount_cents: Option<u64>,
    purpose: Option<String>,
    reference: Option<String>,
    text: Option<String>,
    info: Option<String>,
}

impl Epc {
    /// The EC level EPC069-12 requires.
    pub const EC_LEVEL: EcLevel = EcLevel::M;
    /// The most bytes an EPC payload may have.
    pub const MAX_BYTES: usize = 331;
    /// The largest amount, in cents (999,999,999.99 EUR).
    pub const MAX_AMOUNT_CENTS: u64 = 99_999_999_999;

    /// A transfer to beneficiary `name` (at most 70 characters) and account
    /// `iban` (spaces removed, letters upper-cased, mod-97 checked), version 002.
    ///
    /// # Errors
    ///
    /// [`PayloadError::MissingField`] / [`PayloadError::FieldTooLong`] for
    /// `name`, [`PayloadError::InvalidIban`].
    pub fn new(name: &str, iban: &str) -> Result<Epc, PayloadError> {
        let epc = Epc {
            version: EpcVersion::V2,
            bic: None,
            name: String::new(),
            iban: check_iban(iban)?,
            amount_cents: None,
            purpose: None,
            reference: None,
            text: None,
            info: None,
        };
        epc.with_name(name)
    }

    fn with_name(mut self, name: &str) -> Result<Epc, PayloadError> {
        if name.trim().is_empty() {
            return Err(PayloadError::MissingField { field: "name" });
        }
        check_no_controls("name", name)?;
        check_chars("name", name, 70)?;
        self.name = name.to_string();
        self.fits()
    }

    /// Sets the data format version. Version 001 needs the BIC set first.
    ///
    /// # Errors
    ///
    /// [`PayloadError::MissingField`] for `bic` when asking for 001 without one.
    pub fn version(mut self, version: EpcVersion) -> Result<Epc, PayloadError> {
        if version == EpcVersion::V1 && self.bic.is_none() {
            return Err(PayloadError::MissingField { field: "bic" });
        }
        self.version = version;
        Ok(self)
    }

    /// Sets the beneficiary bank's BIC (ISO 9362: 8 or 11 characters, four
    /// letters of bank, two of country, two letters or digits of location,
    /// optionally three of branch; spaces removed, upper-cased).
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `bic`.
    pub fn bic(mut self, bic: &str) -> Result<Epc, PayloadError> {
        let b: String = bic
            .chars()
            .filter(|c| *c != ' ')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = b.as_bytes();
        let ok = (b.len() == 8 || b.len() == 11)
            && bytes[..6].iter().all(u8::is_ascii_uppercase)
            && bytes[6..].iter().all(u8::is_ascii_alphanumeric);
        if !ok {
            return Err(PayloadError::InvalidField {
                field: "bic",
                reason: format!(
                    "{:?} is not a BIC (8 or 11 letters and digits, the first 6 letters)",
                    clip(bic)
                ),
            });
        }
        self.bic = Some(b);
        self.fits()
    }

    /// Sets the amount from decimal text in euros: `12.50`, `12.5`, `12`
    /// (a `.` separator, at most two decimals), 0.01 to 999,999,999.99.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `amount`.
    pub fn amount(self, euros: &str) -> Result<Epc, PayloadError> {
        let cents = parse_amount(euros)?;
        self.amount_cents(cents)
    }

    /// Sets the amount in cents, 1 to [`Epc::MAX_AMOUNT_CENTS`].
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `amount` when out of range.
    pub fn amount_cents(mut self, cents: u64) -> Result<Epc, PayloadError> {
        if !(1..=Self::MAX_AMOUNT_CENTS).contains(&cents) {
            return Err(PayloadError::InvalidField {
                field: "amount",
                reason: format!(
                    "{}.{:02} is outside 0.01 to 999999999.99",
                    cents / 100,
                    cents % 100
                ),
            });
        }
        self.amount_cents = Some(cents);
        self.fits()
    }

    /// Sets the purpose code (ISO 20022 ExternalPurpose1Code: 4 letters or
    /// digits, upper-cased, e.g. `GDDS`).
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `purpose`.
    pub fn purpose(mut self, code: &str) -> Result<Epc, PayloadError> {
        let p = code.to_ascii_uppercase();
        if p.len() != 4 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(PayloadError::InvalidField {
                field: "purpose",
                reason: format!("{:?} is not a 4-character purpose code", clip(code)),
            });
        }
        self.purpose = Some(p);
        self.fits()
    }

    /// Sets the structured remittance reference (at most 35 characters; an
    /// ISO 11649 `RF` reference has its mod-97 check verified). Excludes
    /// [`Epc::text`].
    ///
    /// # Errors
    ///
    /// [`PayloadError::Conflict`] when a text is set, [`PayloadError::FieldTooLong`]
    /// or [`PayloadError::InvalidField`] for `reference`.
    pub fn reference(mut self, reference: &str) -> Result<Epc, PayloadError> {
        if self.text.is_some() {
            return Err(PayloadError::Conflict {
                field: "reference",
                other: "text",
            });
        }
        check_no_controls("reference", reference)?;
        check_chars("reference", reference, 35)?;
        let compact: String = reference.chars().filter(|c| *c != ' ').collect();
        // ASCII first: the slices below are byte offsets.
        if compact.is_ascii() && compact.len() >= 5 && compact[..2].eq_ignore_ascii_case("RF") {
            let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
            if mod97(&rearranged).ok() != Some(1) {
                return Err(PayloadError::InvalidField {
                    field: "reference",
                    reason: "RF creditor reference fails its ISO 11649 check digits".into(),
                });
            }
        }
        self.reference = Some(reference.to_string());
        self.fits()
    }

    /// Sets the unstructured remittance text (at most 140 characters).
    /// Excludes [`Epc::reference`].
    ///
    /// # Errors
    ///
    /// [`PayloadError::Conflict`] when a reference is set,
    /// [`PayloadError::FieldTooLong`] or [`PayloadError::InvalidField`] for `text`.
    pub fn text(mut self, text: &str) -> Result<Epc, PayloadError> {
        if self.reference.is_some() {
            return Err(PayloadError::Conflict {
                field: "text",
                other: "reference",
            });
        }
        check_no_controls("text", text)?;
        check_chars("text", text, 140)?;
        self.text = Some(text.to_string());
        self.fits()
    }

    /// Sets the beneficiary-to-originator information (at most 70 characters).
    ///
    /// # Errors
    ///
    /// [`PayloadError::FieldTooLong`] or [`PayloadError::InvalidField`] for `info`.
    pub fn info(mut self, info: &str) -> Result<Epc, PayloadError> {
        check_no_controls("info", info)?;
        check_chars("info", info, 70)?;
        self.info = Some(info.to_string());
        self.fits()
    }

    /// Fails when the payload text exceeds [`Epc::MAX_BYTES`].
    fn fits(self) -> Result<Epc, PayloadError> {
        let len = self.to_string().len();
        if len > Self::MAX_BYTES {
            return Err(PayloadError::TooLong {
                max: Self::MAX_BYTES,
                len,
            });
        }
        Ok(self)
    }

    /// The data format version.
    pub fn get_version(&self) -> EpcVersion {
        self.version
    }
    /// The BIC, if given.
    pub fn get_bic(&self) -> Option<&str> {
        self.bic.as_deref()
    }
    /// The beneficiary's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The IBAN, without spaces.
    pub fn iban(&self) -> &str {
        &self.iban
    }
    /// The amount in cents, if given.
    pub fn get_amount_cents(&self) -> Option<u64> {
        self.amount_cents
    }
    /// The amount as decimal text with two decimals (`"12.50"`), if given.
    pub fn amount_text(&self) -> Option<String> {
        self.amount_cents
            .map(|c| format!("{}.{:02}", c / 100, c % 100))
    }
    /// The purpose code, if given.
    pub fn get_purpose(&self) -> Option<&str> {
        self.purpose.as_deref()
    }
    /// The structured reference, if given.
    pub fn get_reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
    /// The remittance text, if given.
    pub fn get_text(&self) -> Option<&str> {
        self.text.as_deref()
    }
    /// The beneficiary-to-originator information, if given.
    pub fn get_info(&self) -> Option<&str> {
        self.info.as_deref()
    }

    /// Reads an EPC payload: lines separated by LF or CR LF, trailing empty
    /// elements may be left out. Character sets 1 to 8 are accepted (the text
    /// is already decoded); the fields are checked as the setters check them.
    ///
    /// # Errors
    ///
    /// [`PayloadError::Malformed`] for a wrong service tag, version,
    /// character set, identification or line count; the field errors.
    pub fn parse(text: &str) -> Result<Epc, PayloadError> {
        let bad = |reason: String| PayloadError::Malformed {
            kind: "epc",
            reason,
        };
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        if lines.len() > 12 {
            return Err(bad(format!("{} lines, at most 12", lines.len())));
        }
        let line = |i: usize| lines.get(i).copied().unwrap_or("");
        if line(0) != "BCD" {
            return Err(bad("service tag is not BCD".into()));
        }
        let version: EpcVersion = line(1)
            .parse()
            .map_err(|_| bad(format!("version {:?}", clip(line(1)))))?;
        if !matches!(line(2), "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8") {
            return Err(bad(format!(
                "character set {:?} is not 1 to 8",
                clip(line(2))
            )));
        }
        if line(3) != "SCT" {
            return Err(bad(format!(
                "identification {:?} is not SCT",
                clip(line(3))
            )));
        }
        let mut epc = Epc::new(line(5), line(6))?;
        if !line(4).is_empty() {
            epc = epc.bic(line(4))?;
        }
        epc = epc.version(version)?;
        if !line(7).is_empty() {
            let amount = line(7)
                .strip_prefix("EUR")
                .ok_or_else(|| PayloadError::InvalidField {
                    field: "amount",
                    reason: format!("{:?} does not start with EUR", clip(line(7))),
                })?;
            epc = epc.amount(amount)?;
        }
        if !line(8).is_empty() {
            epc = epc.purpose(line(8))?;
        }
        if !line(9).is_empty() {
            epc = epc.reference(line(9))?;
        }
        if !line(10).is_empty() {
            epc = epc.text(line(10))?;
        }
        if !line(11).is_empty() {
            epc = epc.info(line(11))?;
        }
        Ok(epc)
    }
}

impl fmt::Display for Epc {
    /// The twelve elements separated by LF, trailing empty ones left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = self
            .amount_text()
            .map(|a| format!("EUR{a}"))
            .unwrap_or_default();
        let elements = [
            "BCD",
            self.version.name(),
            "1",
            "SCT",
            self.bic.as_deref().unwrap_or(""),
            &self.name,
            &self.iban,
            &amount,
            self.purpose.as_deref().unwrap_or(""),
            self.reference.as_deref().unwrap_or(""),
            self.text.as_deref().unwrap_or(""),
            self.info.as_deref().unwrap_or(""),
        ];
        let last = elements.iter().rposition(|e| !e.is_empty()).unwrap_or(0);
        for (i, e) in elements[..=last].iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(e)?;
        }
        Ok(())
    }
}

/// Parses euros with at most two decimals into cents, without floating point.
fn parse_amount(s: &str) -> Result<u64, PayloadError> {
    let bad = |reason: String| PayloadError::InvalidField {
        field: "amount",
        reason,
    };
    let t = s.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
        return Err(bad(format!("{:?} is not an amount like 12.50", clip(s))));
    }
    if frac.len() > 2 {
        return Err(bad(format!("{:?} has more than two decimals", clip(s))));
    }
    let int = int.trim_start_matches('0');
    if int.len() > 9 {
        return Err(bad(format!("{:?} is above 999999999.99", clip(s))));
    }
    let euros: u64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| bad("not a number".into()))?
    };
    let cents: u64 = match frac.len() {
        0 => 0,
        1 => u64::from(frac.as_bytes()[0] - b'0') * 10,
        _ => u64::from(frac.as_bytes()[0] - b'0') * 10 + u64::from(frac.as_bytes()[1] - b'0'),
    };
    Ok(euros * 100 + cents)
}

/// Checks an IBAN (ISO 13616): returns it without spaces, upper-cased.
fn check_iban(iban: &str) -> Result<String, PayloadError> {
    let bad = |reason: String| Err(PayloadError::InvalidIban { reason });
    let s: String = iban
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.is_empty() {
        return Err(PayloadError::MissingField { field: "iban" });
    }
    if let Some((i, c)) = s
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
    {
        return bad(format!(
            "character {c:?} at position {} is not a letter or digit",
            i + 1
        ));
    }
    if !(15..=34).contains(&s.len()) {
        return bad(format!("{} characters, an IBAN has 15 to 34", s.len()));
    }
    let b = s.as_bytes();
    if !b[..2].iter().all(u8::is_ascii_uppercase) {
        return bad("must start with a two-letter country code".into());
    }
    if !b[2..4].iter().all(u8::is_ascii_digit) {
        return bad("positions 3 and 4 must be the check digits".into());
    }
    let rearranged = format!("{}{}", &s[4..], &s[..4]);
    match mod97(&rearranged) {
        Ok(1) => Ok(s),
        Ok(r) => bad(format!(
            "check digits do not match (mod 97 gives {r}, expected 1)"
        )),
        Err(()) => bad("not letters and digits".into()),
    }
}

/// The ISO 7064 mod-97 remainder of letters-and-digits text, letters
/// counting as 10 to 35 (A to Z); the caller has already moved the country
/// code and check digits to the end.
fn mod97(s: &str) -> Result<u32, ()> {
    let mut r: u32 = 0;
    for c in s.chars() {
        let v = c.to_digit(36).ok_or(())?;
        r = if v < 10 {
            (r * 10 + v) % 97
        } else {
            (r * 100 + v) % 97
        };
    }
    Ok(r)
}
