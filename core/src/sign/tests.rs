//! Signing and verifying, one test per threat of issue 9, plus key files,
//! trust files and the symbol-size cost of a signature.

use super::*;
use crate::{encode_text, EcLevel, EncodeOptions, Mode, SegmentInfo};

const URL: &str = "https://www.saint-omer.fr/stationnement/horodateur/0042";

fn town() -> SigningKey {
    SigningKey::from_seed([42; 32], "Ville de Saint-Omer").expect("valid issuer")
}

fn fraudster() -> SigningKey {
    SigningKey::from_seed([66; 32], "Ville de Saint-Omer").expect("valid issuer")
}

fn today() -> Date {
    Date::new(2026, 11, 26).expect("a date")
}

fn trust() -> TrustList {
    let mut t = TrustList::new();
    t.insert(town().trust_entry()).expect("empty list");
    t
}

fn status(payload: &str) -> SignatureStatus {
    trust().verify(payload.as_bytes(), today()).status()
}

#[test]
fn a_signed_url_verifies_with_its_issuer_and_stays_a_url() {
    let signed = town().sign(URL).expect("signs");
    assert_eq!(signed.len(), URL.len() + TAG_LEN);
    let (content, fragment) = signed.split_once('#').expect("a fragment");
    assert_eq!(content, URL);
    assert!(fragment.starts_with("CQ2"));
    assert_eq!(&fragment[3..3 + KEY_ID_LEN], town().key_id());
    assert!(fragment
        .bytes()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    let v = trust().verify(signed.as_bytes(), today());
    assert_eq!(v.status(), SignatureStatus::Valid);
    assert_eq!(v.issuer(), Some("Ville de Saint-Omer"));
    assert_eq!(v.key_id(), Some(town().key_id()));
    assert_eq!(v.content_len(), URL.len());
    assert_eq!(v.summary(), "verified: Ville de Saint-Omer");
    // The payload parses as the same URL (with a fragment).
    assert!(matches!(
        crate::payload::Payload::parse(&signed),
        crate::payload::Payload::Url(_)
    ));
}

#[test]
fn plain_text_and_urls_with_a_fragment_can_be_signed() {
    for content in [
        "Horodateur 0042, zone verte",
        "https://www.saint-omer.fr/plan#zone-verte",
        "",
    ] {
        let signed = town().sign(content).expect("signs");
        assert_eq!(status(&signed), SignatureStatus::Valid, "{content:?}");
    }
}

#[test]
fn an_unsigned_code_is_unsigned() {
    let v = trust().verify(URL.as_bytes(), today());
    assert_eq!(v.status(), SignatureStatus::Unsigned);
    assert_eq!((v.issuer(), v.key_id()), (None, None));
    assert_eq!(v.summary(), "unsigned");
    assert_eq!(
        status("https://www.saint-omer.fr/#contact"),
        SignatureStatus::Unsigned
    );
}

#[test]
fn threat_changed_url_one_character_case_query_or_fragment() {
    let signed = town().sign(URL).expect("signs");
    let tag = &signed[URL.len()..];
    let forged = [
        // One character.
        format!("https://www.saint-omer.fr/stationnement/horodateur/0043{tag}"),
        format!("https://www.saint-omer.fx/stationnement/horodateur/0042{tag}"),
        // Case (the host is case-insensitive for browsers, the signature is not).
        format!("https://WWW.saint-omer.fr/stationnement/horodateur/0042{tag}"),
        format!("HTTPS://www.saint-omer.fr/stationnement/horodateur/0042{tag}"),
        // An appended query.
        format!("{URL}?pay=https://evil.example{tag}"),
        // http instead of https, a lookalike host, a user-info prefix.
        format!("http://www.saint-omer.fr/stationnement/horodateur/0042{tag}"),
        format!("https://www.saint-omer.fr@evil.example/stationnement/horodateur/0042{tag}"),
    ];
    for f in &forged {
        assert_eq!(status(f), SignatureStatus::Invalid, "{f}");
        assert_eq!(trust().verify(f.as_bytes(), today()).issuer(), None);
    }

    // A changed fragment: sign a URL that has one, then change or drop it.
    let with_fragment = "https://www.saint-omer.fr/plan#zone-verte";
    let signed = town().sign(with_fragment).expect("signs");
    let tag = &signed[with_fragment.len()..];
    for f in [
        format!("https://www.saint-omer.fr/plan#zone-rouge{tag}"),
        format!("https://www.saint-omer.fr/plan{tag}"),
        format!("https://www.saint-omer.fr/plan#zone-verte&x=1{tag}"),
    ] {
        assert_eq!(status(&f), SignatureStatus::Invalid, "{f}");
    }
    // And adding a fragment to a URL signed without one.
    let signed = town().sign(URL).expect("signs");
    let tag = &signed[URL.len()..];
    assert_eq!(status(&format!("{URL}#pay{tag}")), SignatureStatus::Invalid);
}

#[test]
fn threat_a_flipped_bit_in_the_signature_or_key_id() {
    let signed = town().sign(URL).expect("signs");
    let sig_start = URL.len() + MARKER.len() + KEY_ID_LEN;
    for i in [sig_start, sig_start + 50, signed.len() - 2] {
        let mut bytes = signed.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(bytes).expect("ascii");
        assert_eq!(status(&forged), SignatureStatus::Invalid, "byte {i}");
    }
    // The last character carries 3 padding bits that must be zero: a
    // second spelling of the same signature is refused.
    let last = signed.as_bytes()[signed.len() - 1];
    let v = BASE32.iter().position(|&c| c == last).expect("base32") as u8;
    let respelt = format!(
        "{}{}",
        &signed[..signed.len() - 1],
        BASE32[(v | 1) as usize] as char
    );
    if respelt != signed {
        assert_eq!(status(&respelt), SignatureStatus::Invalid);
    }
}

#[test]
fn threat_signature_from_an_unknown_key() {
    let forged = fraudster().sign(URL).expect("signs");
    let v = trust().verify(forged.as_bytes(), today());
    assert_eq!(v.status(), SignatureStatus::UnknownKey);
    assert_eq!(v.key_id(), Some(fraudster().key_id()));
    // The fraudster used the town's name, but no name is reported.
    assert_eq!(v.issuer(), None);
    assert!(v.summary().contains("do not trust"));

    // Relabelling the fraudster's tag with the town's key id fails too.
    let relabelled = format!(
        "{URL}{MARKER}{}{}",
        town().key_id(),
        &forged[URL.len() + MARKER.len() + KEY_ID_LEN..]
    );
    assert_eq!(status(&relabelled), SignatureStatus::Invalid);
    // An empty trust list knows no key.
    let signed = town().sign(URL).expect("signs");
    assert_eq!(
        TrustList::new().verify(signed.as_bytes(), today()).status(),
        SignatureStatus::UnknownKey
    );
}

#[test]
fn threat_expired_key_and_key_not_yet_valid() {
    let d = |s: &str| s.parse::<Date>().expect("a date");
    let signed = town().sign(URL).expect("signs");
    let check = |from: Option<&str>, until: Option<&str>| {
        let mut t = TrustList::new();
        t.insert(
            town()
                .trust_entry()
                .not_before(from.map(d))
                .not_after(until.map(d)),
        )
        .expect("empty list");
        t.verify(signed.as_bytes(), today())
    };
    let v = check(Some("2020-01-01"), Some("2026-11-25"));
    assert_eq!(v.status(), SignatureStatus::Expired);
    assert_eq!(v.issuer(), Some("Ville de Saint-Omer"));
    assert!(v.summary().contains("expired"));
    assert_eq!(
        check(Some("2026-11-27"), None).status(),
        SignatureStatus::Expired
    );
    // Both ends are inclusive.
    assert_eq!(
        check(Some("2026-11-26"), Some("2026-11-26")).status(),
        SignatureStatus::Valid
    );
    assert_eq!(check(None, None).status(), SignatureStatus::Valid);
    // A forged code stays invalid whatever the dates.
    let forged = signed.replace("0042", "0043");
    let mut t = TrustList::new();
    t.insert(town().trust_entry().not_after(Some(d("2000-01-01"))))
        .expect("empty list");
    assert_eq!(
        t.verify(forged.as_bytes(), today()).status(),
        SignatureStatus::Invalid
    );
}

#[test]
fn threat_truncated_signature() {
    let signed = town().sign(URL).expect("signs");
    for cut in [1, 2, 8, 50, SIG_LEN, SIG_LEN + KEY_ID_LEN] {
        let truncated = &signed[..signed.len() - cut];
        let v = trust().verify(truncated.as_bytes(), today());
        assert_eq!(v.status(), SignatureStatus::Invalid, "cut {cut}");
        assert_eq!(v.summary(), "signature invalid: do not trust");
    }
    // The marker alone, in any case, is a broken signature, not "unsigned".
    assert_eq!(status(&format!("{URL}#CQ2")), SignatureStatus::Invalid);
    assert_eq!(status(&format!("{URL}#CQ1")), SignatureStatus::Invalid);
    assert_eq!(
        status(&signed.to_ascii_lowercase()),
        SignatureStatus::Invalid
    );
}

#[test]
fn threat_a_code_that_carries_a_second_payload() {
    let signed = town().sign(URL).expect("signs");
    for f in [
        // Data after the signed payload.
        format!("{signed}\nhttps://evil.example/pay"),
        format!("{signed} https://evil.example/pay"),
        format!("{signed}&next=https://evil.example"),
        format!("{signed}A"),
        // Data before it: two URLs, the signed one second.
        format!("https://evil.example/pay {signed}"),
        format!("https://evil.example/pay\n{signed}"),
        // Two signed payloads in one text.
        format!("{signed}{signed}"),
        format!(
            "{}{signed}",
            fraudster().sign("https://evil.example/pay").expect("signs")
        ),
    ] {
        let v = trust().verify(f.as_bytes(), today());
        assert_eq!(v.status(), SignatureStatus::Invalid, "{f}");
        assert_eq!(v.issuer(), None);
    }
    // And the signer refuses content that already has a tag.
    assert_eq!(
        town().sign(&signed),
        Err(SignError::AlreadySigned { at: URL.len() })
    );
    assert!(matches!(
        town().sign("a#cq1b"),
        Err(SignError::AlreadySigned { at: 1 })
    ));
}

#[test]
fn threat_signature_replayed_from_another_asset() {
    let other = "https://www.saint-omer.fr/stationnement/horodateur/0043";
    let signed_other = town().sign(other).expect("signs");
    let tag = &signed_other[other.len()..];
    for target in [
        URL,
        "https://evil.example/stationnement/horodateur/0042",
        "Payez ici",
    ] {
        assert_eq!(
            status(&format!("{target}{tag}")),
            SignatureStatus::Invalid,
            "{target}"
        );
    }
    // A genuine code copied whole to another place still verifies: the
    // scheme binds the content, not the place (see docs/SIGNING.md, limits).
    assert_eq!(status(&signed_other), SignatureStatus::Valid);
}

#[test]
fn non_utf8_and_hostile_bytes_never_panic() {
    let signed = town().sign(URL).expect("signs");
    let mut bytes = signed.clone().into_bytes();
    bytes[10] = 0xFF;
    assert_eq!(
        trust().verify(&bytes, today()).status(),
        SignatureStatus::Invalid
    );
    let t = trust();
    for payload in [
        &b""[..],
        b"#",
        b"#CQ1",
        b"#CQ2",
        b"\xff#cQ1\xff",
        b"\xff#cq2\xff",
        &[b'#'; 300],
    ] {
        let _ = t.verify(payload, today());
    }
    // A tag whose characters are not base32.
    let mut bad = signed.into_bytes();
    let n = bad.len();
    bad[n - 5] = b'1';
    assert_eq!(t.verify(&bad, today()).status(), SignatureStatus::Invalid);
}

#[test]
fn the_tag_costs_about_one_hundred_alphanumeric_characters() {
    let opts = EncodeOptions::default().ec_level(EcLevel::M);
    let plain = encode_text(URL, &opts).expect("fits");
    let signed = encode_text(&town().sign(URL).expect("signs"), &opts).expect("fits");
    // The tag goes in alphanumeric mode after the URL's byte segment.
    assert!(signed.segments().iter().any(|s| matches!(
        s,
        SegmentInfo::Data { mode: Mode::Alphanumeric, chars } if *chars >= TAG_LEN - 1
    )));
    // Measured (docs/SIGNING.md): version 4 (33 modules) -> version 8 (49 modules) at EC M.
    assert_eq!(plain.version().number(), 4);
    assert_eq!(signed.version().number(), 8);
    assert_eq!(signed.size(), 49);
}

#[test]
fn key_files_round_trip_and_never_show_the_seed() {
    let key = town();
    let text = key.to_key_file();
    assert!(text.starts_with("-----BEGIN CIVIQR SIGNING KEY-----\nscheme: civiqr-sig-2\n"));
    let back = SigningKey::from_key_file(&text).expect("reads back");
    assert_eq!(back.key_id(), key.key_id());
    assert_eq!(back.issuer(), "Ville de Saint-Omer");
    assert_eq!(back.public_key(), key.public_key());
    let debug = format!("{key:?}");
    assert!(debug.contains(key.key_id()));
    assert!(!debug.contains("2a2a2a"), "{debug}");
    // CRLF line ends (a file edited on Windows) are fine.
    assert!(SigningKey::from_key_file(&text.replace('\n', "\r\n")).is_ok());
}

#[test]
fn broken_key_files_name_the_line() {
    let text = town().to_key_file();
    let err = |t: &str| SigningKey::from_key_file(t).expect_err("refused");
    assert!(matches!(err(""), SignError::KeyFile { line: 0, .. }));
    let seed_line = text
        .lines()
        .position(|l| l.starts_with("seed:"))
        .expect("seed")
        + 1;
    let short = text.replace("seed: 2a2a", "seed: 2a");
    assert_eq!(
        err(&short),
        SignError::KeyFile {
            line: seed_line,
            reason: "seed: not 64 hex digits".into()
        }
    );
    let wrong_id = text.replace(&format!("key-id: {}", town().key_id()), "key-id: AAAAA");
    assert!(err(&wrong_id)
        .to_string()
        .contains("does not match the seed"));
    let no_issuer: String = text
        .lines()
        .filter(|l| !l.starts_with("issuer:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(err(&no_issuer)
        .to_string()
        .contains("\"issuer\" is missing"));
    assert!(err(&text.replace("civiqr-sig-2", "civiqr-sig-9"))
        .to_string()
        .contains("civiqr-sig-9"));
    assert!(err(&text.replace("issuer:", "issuer: x\nissuer:"))
        .to_string()
        .contains("twice"));
}

#[test]
fn issuer_names_are_checked() {
    for bad in ["", "  ", "a\nb", " Ville", &"x".repeat(101)] {
        assert!(
            matches!(
                SigningKey::from_seed([1; 32], bad),
                Err(SignError::InvalidIssuer { .. })
            ),
            "{bad:?}"
        );
    }
    assert!(SigningKey::from_seed([1; 32], "Ville d'Évreux — Mairie").is_ok());
}

#[test]
fn trust_files_round_trip_and_merge() {
    let d = |s: &str| s.parse::<Date>().expect("a date");
    let mut list = TrustList::new();
    list.insert(
        town()
            .trust_entry()
            .not_before(Some(d("2026-01-01")))
            .not_after(Some(d("2030-12-31"))),
    )
    .expect("empty list");
    let other = SigningKey::from_seed([9; 32], "Communauté \"CAPSO\"").expect("valid");
    let mut second = TrustList::new();
    second.insert(other.trust_entry()).expect("empty list");
    list.merge(&second).expect("no conflict");
    // Merging the same file twice is harmless.
    list.merge(&second).expect("no conflict");
    assert_eq!(list.len(), 2);
    let json = list.to_json();
    assert_eq!(TrustList::from_json(&json), Ok(list.clone()));
    let e = list.get(town().key_id()).expect("listed");
    assert_eq!(e.valid_until(), Some(d("2030-12-31")));

    // The same key id with another issuer or dates is a conflict.
    let mut renamed = TrustList::new();
    renamed.insert(town().trust_entry()).expect("empty list");
    assert_eq!(
        list.merge(&renamed),
        Err(TrustError::Conflict {
            key_id: town().key_id().to_string()
        })
    );
    assert_eq!(list.len(), 2);
}

#[test]
fn broken_trust_files_name_the_key_and_field() {
    let id = town().key_id().to_string();
    let pk = hex(&town().public_key());
    let entry = |body: &str| format!("{{\"{id}\": {{{body}}}}}");
    let good = format!("\"issuer\": \"Ville\", \"public_key\": \"{pk}\"");
    assert!(TrustList::from_json(&entry(&good)).is_ok());
    let err = |t: &str| TrustList::from_json(t).expect_err("refused");

    assert!(matches!(
        err("{\"a\": "),
        TrustError::Syntax { line: 1, .. }
    ));
    assert_eq!(err("[]"), TrustError::NotAnObject { key_id: None });
    assert_eq!(
        err(&format!("{{\"{id}\": 3}}")),
        TrustError::NotAnObject {
            key_id: Some(id.clone())
        }
    );
    assert_eq!(
        err(&entry(&format!("\"public_key\": \"{pk}\""))),
        TrustError::MissingField {
            key_id: id.clone(),
            field: "issuer"
        }
    );
    let field = |e: TrustError| match e {
        TrustError::InvalidField { field, key_id, .. } => {
            assert_eq!(key_id, id);
            field
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(err(&entry(&format!(
            "{good}, \"not_afer\": \"2020-01-01\""
        )))),
        "not_afer"
    );
    assert_eq!(
        field(err(&entry(&format!(
            "{good}, \"not_after\": \"2026-02-30\""
        )))),
        "not_after"
    );
    assert_eq!(
        field(err(&entry(&format!("{good}, \"not_after\": 2026")))),
        "not_after"
    );
    assert_eq!(
        field(err(&entry("\"issuer\": \"V\", \"public_key\": \"abcd\""))),
        "public_key"
    );
    assert_eq!(
        field(err(&entry(&format!("{good}, \"issuer\": \"W\"")))),
        "issuer"
    );
    assert_eq!(
        field(err(&entry(&format!(
            "{good}, \"not_before\": \"2027-01-01\", \"not_after\": \"2026-01-01\""
        )))),
        "not_after"
    );
    // A key id that does not belong to the public key.
    let wrong = format!("{{\"AAAAA\": {{{good}}}}}");
    assert_eq!(
        err(&wrong),
        TrustError::KeyIdMismatch {
            key_id: "AAAAA".into(),
            expected: id.clone()
        }
    );
    let twice = format!("{{\"{id}\": {{{good}}}, \"{id}\": {{{good}}}}}");
    assert_eq!(
        err(&twice),
        TrustError::DuplicateKeyId { key_id: id.clone() }
    );
    assert!(err(&entry(&good).replace("\"Ville\"", "\"\""))
        .to_string()
        .starts_with(&format!("key \"{id}\": field \"issuer\"")));
}

#[test]
fn dates_parse_strictly_and_follow_the_unix_clock() {
    assert_eq!(
        "2024-02-29".parse::<Date>().map(|d| d.to_string()),
        Ok("2024-02-29".into())
    );
    for bad in [
        "2023-02-29",
        "2026-13-01",
        "2026-1-01",
        "26-01-01",
        "2026-01-01T00",
        "２０２６-01-01",
        "0000-01-01",
    ] {
        assert!(bad.parse::<Date>().is_err(), "{bad}");
    }
    assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
    assert_eq!(
        Date::from_unix_seconds(1_795_651_200).to_string(),
        "2026-11-26"
    );
    assert_eq!(
        Date::from_unix_seconds(951_782_400).to_string(),
        "2000-02-29"
    );
    assert_eq!(Date::from_unix_seconds(-1).to_string(), "1969-12-31");
    let _ = Date::from_unix_seconds(i64::MAX);
    let _ = Date::from_unix_seconds(i64::MIN);
}

#[test]
fn trust_entries_refuse_bytes_that_are_no_public_key() {
    let refused = (0u8..=255)
        .filter(|&b| {
            matches!(
                TrustEntry::new("Ville", [b; 32]),
                Err(TrustError::InvalidField { ref field, .. }) if field == "public_key"
            )
        })
        .count();
    assert!(refused > 0);
    assert!(TrustEntry::new("Ville", town().public_key()).is_ok());
}
