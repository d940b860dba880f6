//! URI payloads: `http(s)` URLs (RFC 3986), `geo:` (RFC 5870), `SMSTO:` and
//! `sms:` (RFC 5724), `tel:` (RFC 3966), `mailto:` (RFC 6068).

use core::fmt;
use core::str::FromStr;

use super::text::{clip, percent_decode, percent_encode, strip_prefix_ci};
use super::PayloadError;

/// An absolute `http:` or `https:` URL with a host.
///
/// ```
/// use civiqr::payload::Url;
/// let url = Url::from_template("https://example.org/s/{id}?src=qr", |f| {
///     (f == "id").then_some("banc 42/b")
/// })?;
/// assert_eq!(url.as_str(), "https://example.org/s/banc%2042%2Fb?src=qr");
/// # Ok::<(), civiqr::payload::PayloadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url(String);

impl Url {
    /// Checks `url`: scheme `http` or `https` (any case), `//` and a non-empty
    /// host, no whitespace or control characters, well-formed `%XX` escapes.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `url`, saying what is wrong.
    pub fn new(url: &str) -> Result<Url, PayloadError> {
        let bad = |reason: String| PayloadError::InvalidField {
            field: "url",
            reason,
        };
        if url.is_empty() {
            return Err(PayloadError::MissingField { field: "url" });
        }
        if let Some((i, c)) = url
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || c.is_control())
        {
            return Err(bad(format!(
                "character U+{:04X} at byte {i} is not allowed (percent-encode it)",
                c as u32
            )));
        }
        let rest = strip_prefix_ci(url, "https://")
            .or_else(|| strip_prefix_ci(url, "http://"))
            .ok_or_else(|| {
                bad(format!(
                    "{:?} does not start with https:// or http://",
                    clip(url)
                ))
            })?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit('@').next().unwrap_or("");
        let host = if host_port.starts_with('[') {
            host_port
                .split(']')
                .next()
                .unwrap_or("")
                .trim_start_matches('[')
        } else {
            host_port.split(':').next().unwrap_or("")
        };
        if host.is_empty() {
            return Err(bad("no host".into()));
        }
        let b = url.as_bytes();
        for (i, _) in url.match_indices('%') {
            let ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !ok {
                return Err(bad(format!("broken percent escape at byte {i}")));
            }
        }
        Ok(Url(url.to_string()))
    }

    /// Fills each `{name}` of `template` with `value(name)` percent-encoded
    /// (everything but RFC 3986 unreserved characters, so a value cannot
    /// change the URL's structure), then checks the URL as [`Url::new`]
    /// does. `{{` and `}}` stand for literal braces.
    ///
    /// # Errors
    ///
    /// [`PayloadError::UnknownTemplateField`] when `value` returns `None`,
    /// [`PayloadError::InvalidField`] for `template` on an unclosed brace,
    /// and the errors of [`Url::new`].
    pub fn from_template<'v>(
        template: &str,
        value: impl Fn(&str) -> Option<&'v str>,
    ) -> Result<Url, PayloadError> {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        // Placeholders filled with `.` or `..` in the path, in order.
        let mut dots: Vec<&str> = Vec::new();
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                out.push_str(&tail[..1]);
                rest = &tail[2..];
            } else if tail.starts_with('}') {
                return Err(PayloadError::InvalidField {
                    field: "template",
                    reason: format!("unmatched '}}' at byte {}", template.len() - tail.len()),
                });
            } else {
                let Some(end) = tail.find('}') else {
                    return Err(PayloadError::InvalidField {
                        field: "template",
                        reason: format!("unclosed '{{' at byte {}", template.len() - tail.len()),
                    });
                };
                let name = tail[1..end].trim();
                let v = value(name)
                    .ok_or_else(|| PayloadError::UnknownTemplateField { name: clip(name) })?;
                let in_path = !out.contains(['?', '#']);
                if in_path && matches!(v, "." | "..") {
                    dots.push(name);
                }
                out.push_str(&percent_encode(v));
                rest = &tail[end + 1..];
            }
        }
        out.push_str(rest);
        if let Some(name) = dots.first().filter(|_| has_dot_segment(&out)) {
            return Err(PayloadError::DotSegment { name: clip(name) });
        }
        Url::new(&out)
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether the path of `url` has a `.` or `..` segment, in any of the
/// spellings the WHATWG URL standard resolves as one (`%2e` for a dot).
fn has_dot_segment(url: &str) -> bool {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let before = &url[..end];
    let path = match before.find("://") {
        Some(i) => before[i + 3..]
            .find('/')
            .map_or("", |j| &before[i + 3 + j..]),
        None => before,
    };
    path.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase().replace("%2e", ".");
        seg == "." || seg == ".."
    })
}

/// A WGS 84 location, `geo:lat,lon[,alt]` (RFC 5870).
#[derive(Clone, Debug, PartialEq)]
pub struct Geo {
    lat: f64,
    lon: f64,
    alt: Option<f64>,
}

impl Geo {
    /// A location from latitude (-90 to 90) and longitude (-180 to 180), in
    /// decimal degrees.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `lat` or `lon` when out of range or
    /// not finite.
    pub fn new(lat: f64, lon: f64) -> Result<Geo, PayloadError> {
        let check = |field: &'static str, v: f64, limit: f64| {
            if v.is_finite() && (-limit..=limit).contains(&v) {
                Ok(())
            } else {
                Err(PayloadError::InvalidField {
                    field,
                    reason: format!("{v} is outside -{limit} to {limit}"),
                })
            }
        };
        check("lat", lat, 90.0)?;
        check("lon", lon, 180.0)?;
        // RFC 5870 3.4.2: "-0" is the same as "0".
        Ok(Geo {
            lat: lat + 0.0,
            lon: lon + 0.0,
            alt: None,
        })
    }

    /// Sets the altitude in metres above the WGS 84 reference ellipsoid.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] for `alt` when not finite.
    pub fn altitude(mut self, alt: f64) -> Result<Geo, PayloadError> {
        if !alt.is_finite() {
            return Err(PayloadError::InvalidField {
                field: "alt",
                reason: format!("{alt} is not a finite number"),
            });
        }
        self.alt = Some(alt + 0.0);
        Ok(self)
    }

    /// Latitude in decimal degrees.
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude in decimal degrees.
    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Altitude in metres, if given.
    pub fn alt(&self) -> Option<f64> {
        self.alt
    }

    /// Reads `geo:lat,lon[,alt]`, ignoring the `u=` (uncertainty) parameter
    /// and a query (`?q=...`, as some map apps add).
    ///
    /// # Errors
    ///
    /// [`PayloadError::Malformed`] for text that is not a geo URI or names a
    /// CRS other than WGS 84, and the range errors of [`Geo::new`].
    pub fn parse(text: &str) -> Result<Geo, PayloadError> {
        let bad = |reason: String| PayloadError::Malformed {
            kind: "geo",
            reason,
        };
        let body = strip_prefix_ci(text, "geo:").ok_or_else(|| bad("no geo: prefix".into()))?;
        let body = body.split('?').next().unwrap_or("");
        let mut parts = body.split(';');
        let coords = parts.next().unwrap_or("");
        for p in parts {
            if let Some(crs) = strip_prefix_ci(p, "crs=") {
                if !crs.eq_ignore_ascii_case("wgs84") {
                    return Err(bad(format!("unsupported crs {:?}", clip(crs))));
                }
            }
        }
        let nums: Vec<&str> = coords.split(',').collect();
        if !(2..=3).contains(&nums.len()) {
            return Err(bad(format!(
                "expected 2 or 3 coordinates, found {}",
                nums.len()
            )));
        }
        let num = |field: &'static str, s: &str| -> Result<f64, PayloadError> {
            // RFC 5870: [ "-" ] 1*DIGIT [ "." 1*DIGIT ]; no exponents, no "inf".
            let digits = s.strip_prefix('-').unwrap_or(s);
            let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
            let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
            if !all_digits(int) || !all_digits(frac) {
                return Err(PayloadError::InvalidField {
                    field,
                    reason: format!("{:?} is not a decimal number", clip(s)),
                });
            }
            s.parse().map_err(|_| PayloadError::InvalidField {
                field,
                reason: format!("{:?} is not a decimal number", clip(s)),
            })
        };
        let mut geo = Geo::new(num("lat", nums[0])?, num("lon", nums[1])?)?;
        if let Some(alt) = nums.get(2) {
            geo = geo.altitude(num("alt", alt)?)?;
        }
        Ok(geo)
    }
}

impl fmt::Display for Geo {
    /// `geo:lat,lon[,alt]` with the shortest decimals that read back exactly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "geo:{},{}", self.lat, self.lon)?;
        if let Some(alt) = self.alt {
            write!(f, ",{alt}")?;
        }
        Ok(())
    }
}

/// Checks a phone number: an optional leading `+`, digits and the RFC 3966
/// visual separators `-` `.` `(` `)`; spaces are removed first. Returns the
/// number without spaces.
fn phone_number(field: &'static str, number: &str) -> Result<String, PayloadError> {
    let n: String = number.chars().filter(|c| *c != ' ').collect();
    if n.is_empty() {
        return Err(PayloadError::MissingField { field });
    }
    let digits = n.bytes().filter(u8::is_ascii_digit).count();
    let bad = n.char_indices().find(|&(i, c)| {
        !(c.is_ascii_digit() || matches!(c, '-' | '.' | '(' | ')') || (c == '+' && i == 0))
    });
    if let Some((_, c)) = bad {
        return Err(PayloadError::InvalidField {
            field,
            reason: format!("character {c:?} is not allowed in a phone number"),
        });
    }
    if digits == 0 {
        return Err(PayloadError::InvalidField {
            field,
            reason: "no digits".into(),
        });
    }
    if n.len() > 40 {
        return Err(PayloadError::FieldTooLong {
            field,
            max: 40,
            len: n.len(),
        });
    }
    Ok(n)
}

/// How an [`Sms`] is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SmsForm {
    /// `SMSTO:number:text`, the form most QR generators write (default).
    #[default]
    SmsTo,
    /// `sms:number?body=text` (RFC 5724).
    Uri,
}

impl SmsForm {
    /// `smsto` or `sms`.
    pub fn name(self) -> &'static str {
        match self {
            SmsForm::SmsTo => "smsto",
            SmsForm::Uri => "sms",
        }
    }
}

impl FromStr for SmsForm {
    type Err = PayloadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "smsto" => Ok(SmsForm::SmsTo),
            "sms" | "uri" => Ok(SmsForm::Uri),
            _ => Err(PayloadError::InvalidField {
                field: "form",
                reason: format!("{:?} is not smsto or sms", clip(s)),
            }),
        }
    }
}

/// A text message to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sms {
    number: String,
    text: String,
    form: SmsForm,
}

impl Sms {
    /// A message to `number` (spaces removed; see [`Tel::new`] for the
    /// characters allowed), empty text, [`SmsForm::SmsTo`].
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] or [`PayloadError::MissingField`] for `number`.
    pub fn new(number: &str) -> Result<Sms, PayloadError> {
        Ok(Sms {
            number: phone_number("number", number)?,
            text: String::new(),
            form: SmsForm::SmsTo,
        })
    }

    /// Sets the message text (default empty).
    pub fn text(mut self, text: &str) -> Sms {
        self.text = text.to_string();
        self
    }

    /// Sets how the payload is written (default [`SmsForm::SmsTo`]).
    pub fn form(mut self, form: SmsForm) -> Sms {
        self.form = form;
        self
    }

    /// The number.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The message text.
    pub fn get_text(&self) -> &str {
        &self.text
    }

    /// The form it is written in.
    pub fn get_form(&self) -> SmsForm {
        self.form
    }

    /// Reads `SMSTO:number[:text]` or `sms:number[?body=text]`.
    ///
    /// # Errors
    ///
    /// [`PayloadError::Malformed`] without either prefix, the number's errors,
    /// and broken percent escapes in the body.
    pub fn parse(text: &str) -> Result<Sms, PayloadError> {
        if let Some(rest) = strip_prefix_ci(text, "smsto:") {
            let (number, body) = rest.split_once(':').unwrap_or((rest, ""));
            return Ok(Sms::new(number)?.text(body));
        }
        let rest = strip_prefix_ci(text, "sms:").ok_or_else(|| PayloadError::Malformed {
            kind: "sms",
            reason: "no SMSTO: or sms: prefix".into(),
        })?;
        let (number, query) = rest.split_once('?').unwrap_or((rest, ""));
        let number = number.split(';').next().unwrap_or("");
        let number = percent_decode(number, "number", false)?;
        let mut body = String::new();
        for pair in query.split('&') {
            if let Some(v) = strip_prefix_ci(pair, "body=") {
                body = percent_decode(v, "text", false)?;
            }
        }
        Ok(Sms::new(&number)?.text(&body).form(SmsForm::Uri))
    }
}

impl fmt::Display for Sms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.form {
            SmsForm::SmsTo => write!(f, "SMSTO:{}:{}", self.number, self.text),
            SmsForm::Uri if self.text.is_empty() => write!(f, "sms:{}", self.number),
            SmsForm::Uri => write!(f, "sms:{}?body={}", self.number, percent_encode(&self.text)),
        }
    }
}

/// A telephone number, `tel:` (RFC 3966).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tel(String);

impl Tel {
    /// Checks `number`: spaces are removed; then an optional leading `+`,
    /// digits and the visual separators `-` `.` `(` `)`, at least one digit,
    /// at most 40 characters.
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`], [`PayloadError::MissingField`] or
    /// [`PayloadError::FieldTooLong`] for `number`.
    pub fn new(number: &str) -> Result<Tel, PayloadError> {
        phone_number("number", number).map(Tel)
    }

    /// The number.
    pub fn number(&self) -> &str {
        &self.0
    }

    /// Reads `tel:number`, ignoring parameters after `;` (such as `ext=`).
    ///
    /// # Errors
    ///
    /// [`PayloadError::Malformed`] without the prefix, and the errors of [`Tel::new`].
    pub fn parse(text: &str) -> Result<Tel, PayloadError> {
        let rest = strip_prefix_ci(text, "tel:").ok_or_else(|| PayloadError::Malformed {
            kind: "tel",
            reason: "no tel: prefix".into(),
        })?;
        Tel::new(rest.split(';').next().unwrap_or(""))
    }
}

impl fmt::Display for Tel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tel:{}", self.0)
    }
}

/// An e-mail to write, `mailto:` (RFC 6068).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    to: String,
    subject: String,
    body: String,
}

impl Email {
    /// An e-mail to `to`: one `@` with text on both sides, no whitespace,
    /// no characters that RFC 6068 would need escaped (`? # % & , ; : < > " \ ( ) [ ]`).
    ///
    /// # Errors
    ///
    /// [`PayloadError::InvalidField`] or [`PayloadError::MissingField`] for `to`.
    pub fn new(to: &str) -> Result<Email, PayloadError> {
        if to.is_empty() {
            return Err(PayloadError::MissingField { field: "to" });
        }
        let bad = |reason: String| PayloadError::InvalidField {
            field: "to",
            reason,
        };
        if let Some(c) = to
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "?#%&,;:<>\"\\()[]".contains(*c))
        {
            return Err(bad(format!("character {c:?} is not allowed in an address")));
        }
        match to.split_once('@') {
            Some((local, domain))
                if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => {}
            _ => {
                return Err(bad(format!(
                    "{:?} is not of the form name@domain",
                    clip(to)
                )))
            }
        }
        if to.len() > 254 {
            return Err(PayloadError::FieldTooLong {
                field: "to",
                max: 254,
                len: to.len(),
            });
        }
        Ok(Email {
            to: to.to_string(),
            subject: String::new(),
            body: String::new(),
        })
    }

    /// Sets the subject (default empty).
    pub fn subject(mut self, subject: &str) -> Email {
        self.subject = subject.to_string();
        self
    }

    /// Sets the body (default empty).
    pub fn body(mut self, body: &str) -> Email {
        self.body = body.to_string();
        self
    }

    /// The address.
    pub fn to(&self) -> &str {
        &self.to
    }

    /// The subject.
    pub fn get_subject(&self) -> &str {
        &self.subject
    }

    /// The body.
    pub fn get_body(&self) -> &str {
        &self.body
    }

    /// Reads `mailto:address[?subject=...&body=...]`; other header fields
    /// (`cc`, ...) are ignored.
    ///
    /// # Errors
    ///
    /// [`PayloadError::Malformed`] without the prefix, broken percent escapes,
    /// and the errors of [`Email::new`] (several addresses included).
    pub fn parse(text: &str) -> Result<Email, PayloadError> {
        let rest = strip_prefix_ci(text, "mailto:").ok_or_else(|| PayloadError::Malformed {
            kind: "email",
            reason: "no mailto: prefix".into(),
        })?;
        let (to, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut email = Email::new(&percent_decode(to, "to", false)?)?;
        for pair in query.split('&') {
            if let Some(v) = strip_prefix_ci(pair, "subject=") {
                email.subject = percent_decode(v, "subject", false)?;
            } else if let Some(v) = strip_prefix_ci(pair, "body=") {
                email.body = percent_decode(v, "body", false)?;
            }
        }
        Ok(email)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mailto:{}", self.to)?;
        let mut sep = '?';
        for (name, value) in [("subject", &self.subject), ("body", &self.body)] {
            if !value.is_empty() {
                write!(f, "{sep}{name}={}", percent_encode(value))?;
                sep = '&';
            }
        }
        Ok(())
    }
}
