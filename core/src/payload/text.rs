//! Text helpers shared by the payload kinds: RFC 3986 percent-encoding,
//! backslash escaping (Wi-Fi, MeCard), length checks.

use super::PayloadError;

/// At most 40 characters of `s`, for error messages.
pub(crate) fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Percent-encodes every byte except RFC 3986 unreserved characters, so the
/// result is safe in any URI component (query value, path segment).
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(HEX[(b >> 4) as usize]));
            out.push(char::from(HEX[(b & 15) as usize]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Decodes `%XX` escapes; `plus_is_space` for HTML-form style queries.
/// Fails on a broken escape or bytes that are not UTF-8.
pub(crate) fn percent_decode(
    s: &str,
    field: &'static str,
    plus_is_space: bool,
) -> Result<String, PayloadError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = |c: u8| (c as char).to_digit(16);
                let (Some(h), Some(l)) = (
                    b.get(i + 1).and_then(|&c| hex(c)),
                    b.get(i + 2).and_then(|&c| hex(c)),
                ) else {
                    return Err(PayloadError::InvalidField {
                        field,
                        reason: format!("broken percent escape at byte {i}"),
                    });
                };
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|e| PayloadError::InvalidField {
        field,
        reason: format!(
            "percent escapes give bytes that are not UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Escapes `\ ; , : "` with a backslash (Wi-Fi and MeCard fields).
pub(crate) fn backslash_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | ';' | ',' | ':' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Splits `s` at each `sep` not preceded by a backslash escape, and removes
/// the escapes from the parts.
pub(crate) fn split_escaped(s: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), parts.last_mut()) {
                    last.push(next);
                }
            }
            c if c == sep => parts.push(String::new()),
            c => {
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts
}

/// Fails with [`PayloadError::FieldTooLong`] when `value` has more than
/// `max` characters.
pub(crate) fn check_chars(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<(), PayloadError> {
    let len = value.chars().count();
    if len > max {
        return Err(PayloadError::FieldTooLong { field, max, len });
    }
    Ok(())
}

/// Fails when `value` holds a control character (line breaks included).
pub(crate) fn check_no_controls(field: &'static str, value: &str) -> Result<(), PayloadError> {
    match value.char_indices().find(|(_, c)| c.is_control()) {
        Some((i, c)) => Err(PayloadError::InvalidField {
            field,
            reason: format!("control character U+{:04X} at byte {i}", c as u32),
        }),
        None => Ok(()),
    }
}

/// Removes the prefix `p` compared case-insensitively, if present.
pub(crate) fn strip_prefix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    if s.len() >= p.len() && s.is_char_boundary(p.len()) && s[..p.len()].eq_ignore_ascii_case(p) {
        Some(&s[p.len()..])
    } else {
        None
    }
}
