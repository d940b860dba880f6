//! Any bytes as a trust file through `TrustList::from_json` (the reader of
//! `--trust`, `civiqr.load_trust` and the web package's `TrustList`). A list
//! that reads must write back to the same list, and verify codes without
//! panicking.
#![no_main]

use civiqr::sign::{Date, TrustList};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(list) = TrustList::from_json(text) else {
        return;
    };
    // Written sorted by key id: the same entries, perhaps in another order.
    let written = list.to_json();
    let again = TrustList::from_json(&written).expect("what is written reads back");
    assert_eq!(again.len(), list.len(), "{text:?}");
    assert_eq!(again.to_json(), written, "{text:?}");
    assert!(list.entries().iter().all(|e| again.get(e.key_id()) == Some(e)), "{text:?}");
    let mut merged = TrustList::new();
    merged.merge(&list).expect("a list merges into an empty one");
    merged.merge(&list).expect("merging twice is harmless");
    assert_eq!(merged, list);
    let today = Date::new(2026, 11, 26).expect("a date");
    for entry in list.entries() {
        // A tag naming each key, with a signature that cannot verify.
        let tag = format!("https://e.org/#CQ2{}{}", entry.key_id(), "A".repeat(103));
        let _ = list.verify(tag.as_bytes(), today);
        let legacy = format!("x#CQ1{}{}", &entry.key_id()[..5], "A".repeat(103));
        let _ = list.verify(legacy.as_bytes(), today);
    }
});
