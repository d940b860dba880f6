//! Payload builders and parsers for `civiqr.payload`: the Python classes
//! pass `(field, value)` string pairs in and get the payload text and the
//! canonical fields back; every rule lives in `civiqr::payload`.

use civiqr::payload::{Contact, Email, Epc, Geo, Payload, PayloadError, Sms, Tel, Url, Wifi};
use std::collections::HashMap;

use pyo3::prelude::*;

use crate::errors::guarded;

/// The canonical form of a payload: (kind, text, fields, required EC level).
type Canonical = (String, String, Vec<(String, String)>, Option<String>);

fn canonical(p: &Payload) -> Canonical {
    (
        p.kind().to_string(),
        p.to_string(),
        p.fields()
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
        p.required_ec_level().map(|ec| ec.to_string()),
    )
}

/// Builds a payload of `kind` from `(field, value)` pairs.
#[pyfunction]
pub(crate) fn _payload_build(
    py: Python<'_>,
    kind: &str,
    fields: Vec<(String, String)>,
) -> PyResult<Canonical> {
    guarded(py, || {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        Payload::from_fields(kind, &pairs).map(|p| canonical(&p))
    })
}

/// Classifies any text; never fails (unknown or invalid text is kind "text").
#[pyfunction]
pub(crate) fn _payload_parse(py: Python<'_>, text: &str) -> PyResult<Canonical> {
    guarded(py, || Ok::<_, PyErr>(canonical(&Payload::parse(text))))
}

/// Parses text as one kind, with that kind's error when it is not.
#[pyfunction]
pub(crate) fn _payload_parse_kind(py: Python<'_>, kind: &str, text: &str) -> PyResult<Canonical> {
    guarded(py, || {
        let payload = match kind {
            "url" => Url::new(text).map(Payload::Url),
            "geo" => Geo::parse(text).map(Payload::Geo),
            "sms" => Sms::parse(text).map(Payload::Sms),
            "tel" => Tel::parse(text).map(Payload::Tel),
            "email" => Email::parse(text).map(Payload::Email),
            "wifi" => Wifi::parse(text).map(Payload::Wifi),
            "vcard" => Contact::parse_vcard(text).map(Payload::VCard),
            "mecard" => Contact::parse_mecard(text).map(Payload::MeCard),
            "epc" => Epc::parse(text).map(Payload::Epc),
            _ => Err(PayloadError::UnknownKind {
                kind: kind.chars().take(40).collect(),
            }),
        };
        payload.map(|p| canonical(&p))
    })
}

/// A URL from a template whose `{name}`s are filled, percent-encoded, from
/// `values`.
#[pyfunction]
pub(crate) fn _url_from_template(
    py: Python<'_>,
    template: &str,
    values: HashMap<String, String>,
) -> PyResult<Canonical> {
    guarded(py, || {
        Url::from_template(template, |name| values.get(name).map(String::as_str))
            .map(|u| canonical(&Payload::Url(u)))
    })
}
