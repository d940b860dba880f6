//! Joining the parts of a structured-append message (ISO/IEC 18004 clause 8)
//! read from one image or several: order by index, check that every part is
//! there, that all belong to one message, and the parity.

use super::result::Decoded;
use crate::error::DecodeError;
use crate::symbol::StructuredAppend;

/// A message put back together from its structured-append parts by
/// [`merge_structured_append`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Merged {
    bytes: Vec<u8>,
    text: Option<String>,
    count: u8,
    parity: u8,
}

impl Merged {
    /// The payload bytes of all parts, in order.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The message as text: the merged bytes when they are UTF-8, else the
    /// parts' texts joined; `None` when some part is not text.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// How many symbols the message was written over.
    pub fn count(&self) -> u8 {
        self.count
    }

    /// The parity byte every part carries (the XOR of the message bytes).
    pub fn parity(&self) -> u8 {
        self.parity
    }
}

/// Merges the structured-append parts among `codes` into their message.
///
/// Codes without a structured-append header are ignored, and a part read
/// twice (the same position with the same content) counts once. Errors
/// name what is wrong: [`DecodeError::NotStructuredAppend`] when there is no
/// part at all, [`DecodeError::MixedMessages`] for parts of two messages,
/// [`DecodeError::MissingParts`] with the missing positions,
/// [`DecodeError::ConflictingParts`] when two different symbols claim one
/// position, and [`DecodeError::ParityMismatch`] when the merged bytes do not
/// give the parity the parts carry.
pub fn merge_structured_append(codes: &[Decoded]) -> Result<Merged, DecodeError> {
    let mut parts = codes
        .iter()
        .filter_map(|c| c.structured_append().map(|sa| (sa, c)));
    let (first, _) = parts
        .clone()
        .next()
        .ok_or(DecodeError::NotStructuredAppend)?;
    let StructuredAppend { count, parity, .. } = first;
    let mut slots: Vec<Option<&Decoded>> = vec![None; count as usize];
    for (sa, code) in &mut parts {
        if (sa.count, sa.parity) != (count, parity) {
            return Err(DecodeError::MixedMessages {
                first: (count, parity),
                other: (sa.count, sa.parity),
            });
        }
        // A header claiming a position past its own count is malformed:
        // it cannot belong to this message.
        let Some(slot) = slots.get_mut(sa.index as usize) else {
            continue;
        };
        match slot {
            Some(seen) if seen.bytes() != code.bytes() => {
                return Err(DecodeError::ConflictingParts { index: sa.index })
            }
            _ => *slot = Some(code),
        }
    }
    let missing: Vec<u8> = (0..count)
        .filter(|&i| slots[i as usize].is_none())
        .collect();
    if !missing.is_empty() {
        return Err(DecodeError::MissingParts { count, missing });
    }
    let found: Vec<&Decoded> = slots.into_iter().flatten().collect();
    let bytes: Vec<u8> = found.iter().flat_map(|c| c.bytes()).copied().collect();
    let actual = bytes.iter().fold(0u8, |a, b| a ^ b);
    if actual != parity {
        return Err(DecodeError::ParityMismatch {
            expected: parity,
            actual,
        });
    }
    // A character may be split across parts, so UTF-8 is judged on the
    // whole; other charsets part by part.
    let utf8_or_unlabelled = found.iter().all(|c| c.eci().is_none_or(|e| e == 26));
    let text = match std::str::from_utf8(&bytes) {
        Ok(s) if utf8_or_unlabelled => Some(s.to_string()),
        _ => found
            .iter()
            .map(|c| c.text())
            .collect::<Option<Vec<&str>>>()
            .map(|t| t.concat()),
    };
    Ok(Merged {
        bytes,
        text,
        count,
        parity,
    })
}
