//! Key ids: the first scheme's 5-character ids collide after a few thousand
//! keys, so codes, key files and trust files of that scheme must keep
//! working, and a trust list holding two keys of one id must still verify
//! each code with the key that made it.

use std::collections::HashMap;

use super::*;

const URL: &str = "https://www.saint-omer.fr/stationnement/horodateur/0042";

fn today() -> Date {
    Date::new(2026, 11, 26).expect("a date")
}

/// A code as the first scheme signed it: `#CQ1`, 5-character id,
/// `civiqr-sig-1:` signed.
fn legacy_sign(key: &SigningKey, content: &str) -> String {
    let id = &key.key_id()[..LEGACY_KEY_ID_LEN];
    let signature = key
        .key
        .sign(&message(LEGACY_SCHEME, id, content.as_bytes()));
    format!(
        "{content}{LEGACY_MARKER}{id}{}",
        base32(&signature.to_bytes())
    )
}

/// A trust file of the first scheme: entries under their 5-character id.
fn legacy_trust_file(key: &SigningKey, issuer: &str) -> String {
    format!(
        "{{\"{}\": {{\"issuer\": \"{issuer}\", \"public_key\": \"{}\"}}}}",
        &key.key_id()[..LEGACY_KEY_ID_LEN],
        hex(&key.public_key())
    )
}

/// Two keys (seeds counted up from 0) whose 5-character ids are equal.
fn legacy_collision() -> (SigningKey, SigningKey) {
    let mut seen: HashMap<String, [u8; 32]> = HashMap::new();
    for n in 0u32.. {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&n.to_le_bytes());
        let key = SigningKey::from_seed(seed, "x").expect("issuer");
        let short = key.key_id()[..LEGACY_KEY_ID_LEN].to_string();
        if let Some(first) = seen.insert(short, seed) {
            let a = SigningKey::from_seed(first, "Ville de Saint-Omer").expect("issuer");
            let b = SigningKey::from_seed(seed, "Communauté CAPSO").expect("issuer");
            return (a, b);
        }
    }
    unreachable!("2^32 keys always hold a 25-bit collision")
}

#[test]
fn key_ids_are_sixteen_characters_and_prefix_the_legacy_id() {
    let key = SigningKey::from_seed([42; 32], "Ville").expect("issuer");
    assert_eq!(key.key_id().len(), KEY_ID_LEN);
    assert!(key.key_id().bytes().all(|c| BASE32.contains(&c)));
    assert_eq!(TAG_LEN, 123);
    let signed = key.sign(URL).expect("signs");
    assert!(signed[URL.len()..].starts_with(&format!("#CQ2{}", key.key_id())));
}

#[test]
fn codes_key_files_and_trust_files_of_the_first_scheme_still_work() {
    let key = SigningKey::from_seed([42; 32], "Ville de Saint-Omer").expect("issuer");
    let trust = TrustList::from_json(&legacy_trust_file(&key, "Ville de Saint-Omer"))
        .expect("a legacy trust file reads");
    assert_eq!(trust.entries()[0].key_id(), key.key_id());
    let old = legacy_sign(&key, URL);
    let v = trust.verify(old.as_bytes(), today());
    assert_eq!(v.status(), SignatureStatus::Valid);
    assert_eq!(v.key_id(), Some(&key.key_id()[..LEGACY_KEY_ID_LEN]));
    assert_eq!(v.content_len(), URL.len());
    // A legacy tag on other content, or a legacy signature under the new
    // marker, does not verify.
    let moved = old.replace("0042", "0043");
    assert_eq!(
        trust.verify(moved.as_bytes(), today()).status(),
        SignatureStatus::Invalid
    );
    // A key file of the first scheme (5-character id) still reads.
    let old_file = key
        .to_key_file()
        .replace(SCHEME, LEGACY_SCHEME)
        .replace(key.key_id(), &key.key_id()[..LEGACY_KEY_ID_LEN]);
    let back = SigningKey::from_key_file(&old_file).expect("legacy key file");
    assert_eq!(back.key_id(), key.key_id());
    // Both tags in one payload: data was added around a signed text.
    let both = format!("{}{}", key.sign(URL).expect("signs"), &old[URL.len()..]);
    assert_eq!(
        trust.verify(both.as_bytes(), today()).status(),
        SignatureStatus::Invalid
    );
}

#[test]
fn two_keys_of_one_legacy_id_each_verify_their_own_codes() {
    let (a, b) = legacy_collision();
    let short = &a.key_id()[..LEGACY_KEY_ID_LEN];
    assert_eq!(short, &b.key_id()[..LEGACY_KEY_ID_LEN]);
    assert_ne!(a.key_id(), b.key_id(), "16-character ids tell them apart");
    // Two trust files of the first scheme, one key each, under the same id.
    let mut trust =
        TrustList::from_json(&legacy_trust_file(&a, "Ville de Saint-Omer")).expect("reads");
    trust
        .merge(&TrustList::from_json(&legacy_trust_file(&b, "Communauté CAPSO")).expect("reads"))
        .expect("different keys do not conflict");
    assert_eq!(trust.len(), 2);
    for (key, issuer) in [(&a, "Ville de Saint-Omer"), (&b, "Communauté CAPSO")] {
        let v = trust.verify(legacy_sign(key, URL).as_bytes(), today());
        assert_eq!(
            (v.status(), v.issuer()),
            (SignatureStatus::Valid, Some(issuer))
        );
        let v = trust.verify(key.sign(URL).expect("signs").as_bytes(), today());
        assert_eq!(
            (v.status(), v.issuer()),
            (SignatureStatus::Valid, Some(issuer))
        );
    }
    // Changed content verifies with neither key of the id.
    let forged = legacy_sign(&a, URL).replace("0042", "0043");
    assert_eq!(
        trust.verify(forged.as_bytes(), today()).status(),
        SignatureStatus::Invalid
    );
    // The merged list is written under full ids and reads back the same.
    let again = TrustList::from_json(&trust.to_json()).expect("reads back");
    assert!(trust
        .entries()
        .iter()
        .all(|e| again.get(e.key_id()) == Some(e)));
    assert_eq!(again.len(), 2);
}
