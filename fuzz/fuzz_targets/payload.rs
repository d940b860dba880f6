//! Every payload parser (through `Payload::parse`) on arbitrary text, and the
//! builders on arbitrary fields. A parsed payload must write back text that
//! parses to the same payload.
#![no_main]

use civiqr::payload::{Payload, KINDS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Payload::parse(text);
    if !matches!(parsed, Payload::Other(_)) {
        let again = Payload::parse(&parsed.to_string());
        assert_eq!(again, parsed, "{text:?}");
    }
    // "kind\nname=value\nname=value...": the builders' validation.
    let mut lines = text.split('\n');
    let kind = lines.next().unwrap_or_default();
    let fields: Vec<(&str, &str)> = lines.filter_map(|l| l.split_once('=')).collect();
    let kind = KINDS.iter().find(|k| kind.ends_with(*k)).copied().unwrap_or(kind);
    if let Ok(built) = Payload::from_fields(kind, &fields) {
        let _ = built.to_string();
    }
});
