//! The payload error: which field is wrong and why.

use core::fmt;

/// Why a payload could not be built or parsed. Each variant names the field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    /// A required field is absent or empty.
    MissingField {
        /// The field's name, as [`Payload::from_fields`](super::Payload::from_fields) takes it.
        field: &'static str,
    },
    /// A field is longer than its specification allows.
    FieldTooLong {
        /// The field's name.
        field: &'static str,
        /// The most allowed, in the unit of `len`.
        max: usize,
        /// The length given (characters, or bytes where the specification counts bytes).
        len: usize,
    },
    /// A field's value is malformed or out of range.
    InvalidField {
        /// The field's name.
        field: &'static str,
        /// What is wrong, lowercase.
        reason: String,
    },
    /// The IBAN fails its format or its ISO 13616 mod-97 check.
    InvalidIban {
        /// What is wrong, lowercase.
        reason: String,
    },
    /// Two fields were given of which only one is allowed.
    Conflict {
        /// The first field.
        field: &'static str,
        /// The field it excludes.
        other: &'static str,
    },
    /// The whole payload is longer than its specification allows (EPC: 331 bytes).
    TooLong {
        /// The most allowed, in bytes.
        max: usize,
        /// The payload's length in bytes.
        len: usize,
    },
    /// The text is not of the kind asked for, or its structure is broken.
    Malformed {
        /// The kind expected (`"wifi"`, `"epc"`, ...).
        kind: &'static str,
        /// What is wrong, lowercase.
        reason: String,
    },
    /// A kind name that is not one of [`KINDS`](super::KINDS).
    UnknownKind {
        /// The name given (at most 40 characters of it).
        kind: String,
    },
    /// A field name the kind does not have.
    UnknownField {
        /// The kind.
        kind: &'static str,
        /// The name given (at most 40 characters of it).
        field: String,
    },
    /// A value filling a whole path segment of a URL template is `.` or
    /// `..`, which browsers resolve as "this folder" or "the parent folder"
    /// (percent-encoded as `%2E` too), so the URL would leave its path.
    DotSegment {
        /// The name inside the braces.
        name: String,
    },
    /// A `{name}` in a URL template with no value to fill it.
    UnknownTemplateField {
        /// The name inside the braces.
        name: String,
    },
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::MissingField { field } => write!(f, "{field}: missing"),
            PayloadError::FieldTooLong { field, max, len } => {
                write!(f, "{field}: too long ({len}, at most {max})")
            }
            PayloadError::InvalidField { field, reason } => write!(f, "{field}: {reason}"),
            PayloadError::InvalidIban { reason } => write!(f, "iban: {reason}"),
            PayloadError::Conflict { field, other } => {
                write!(f, "{field}: cannot be given together with {other}")
            }
            PayloadError::TooLong { max, len } => {
                write!(f, "payload too long: {len} bytes, at most {max}")
            }
            PayloadError::Malformed { kind, reason } => write!(f, "not a valid {kind} payload: {reason}"),
            PayloadError::UnknownKind { kind } => write!(
                f,
                "unknown payload kind {kind:?}: expected url, geo, sms, tel, email, wifi, vcard, mecard or epc"
            ),
            PayloadError::UnknownField { kind, field } => {
                write!(f, "{field}: not a field of {kind} payloads")
            }
            PayloadError::UnknownTemplateField { name } => {
                write!(f, "template: no value for {{{name}}}")
            }
            PayloadError::DotSegment { name } => write!(
                f,
                "template: the value of {{{name}}} is a dot segment ('.' or '..'), which browsers resolve to another path"
            ),
        }
    }
}

impl std::error::Error for PayloadError {}

impl PayloadError {
    /// The field this error is about, if it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            PayloadError::MissingField { field }
            | PayloadError::FieldTooLong { field, .. }
            | PayloadError::InvalidField { field, .. }
            | PayloadError::Conflict { field, .. } => Some(field),
            PayloadError::InvalidIban { .. } => Some("iban"),
            PayloadError::UnknownField { field, .. } => Some(field),
            PayloadError::UnknownTemplateField { .. } | PayloadError::DotSegment { .. } => {
                Some("template")
            }
            _ => None,
        }
    }
}
