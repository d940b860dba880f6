//! Payload tests: build, parse, round trip and the invalid cases of every kind.

use super::*;
use civiqr_testkit::Rng;

type R = Result<(), PayloadError>;

/// Builds text, classifies it, and checks the same value comes back.
fn round_trip(p: Payload) {
    let text = p.to_string();
    assert_eq!(Payload::parse(&text), p, "{text:?}");
    // And the fields rebuild the same payload.
    let fields = p.fields();
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(Payload::from_fields(p.kind(), &pairs), Ok(p), "{text:?}");
}

#[test]
fn url_round_trips_and_template_encodes_values() -> R {
    round_trip(Payload::Url(Url::new(
        "https://example.org/mobilier/banc-0042?x=1#top",
    )?));
    round_trip(Payload::Url(Url::new("HTTP://[::1]:8080/")?));
    let u = Url::from_template(
        "https://example.org/s/{id}?src=qr&n={ name }{{x}}",
        |f| match f {
            "id" => Some("../a b?&#"),
            "name" => Some("Café"),
            _ => None,
        },
    )?;
    assert_eq!(
        u.as_str(),
        "https://example.org/s/..%2Fa%20b%3F%26%23?src=qr&n=Caf%C3%A9{x}"
    );
    Ok(())
}

#[test]
fn url_errors_name_the_problem() {
    for (bad, says) in [
        ("example.org", "https://"),
        ("ftp://example.org", "https://"),
        ("https://", "no host"),
        ("https:///path", "no host"),
        ("https://a b.org", "U+0020"),
        ("https://a.org/%zz", "percent"),
        ("https://a.org/%4", "percent"),
    ] {
        let e = Url::new(bad).unwrap_err();
        assert_eq!(e.field(), Some("url"));
        assert!(e.to_string().contains(says), "{bad}: {e}");
    }
    assert_eq!(
        Url::from_template("https://x.org/{nope}", |_| None),
        Err(PayloadError::UnknownTemplateField {
            name: "nope".into()
        })
    );
    assert!(Url::from_template("https://x.org/{id", |_| Some("1")).is_err());
    assert!(Url::from_template("https://x.org/}", |_| Some("1")).is_err());
}

#[test]
fn geo_writes_rfc_5870_and_reads_it_back() -> R {
    let g = Geo::new(50.75, 2.25)?;
    assert_eq!(g.to_string(), "geo:50.75,2.25");
    round_trip(Payload::Geo(g));
    let g = Geo::new(-33.856784, 151.215297)?.altitude(12.5)?;
    assert_eq!(g.to_string(), "geo:-33.856784,151.215297,12.5");
    round_trip(Payload::Geo(g));
    // Parameters and a map app's query are skipped; -0 is 0.
    assert_eq!(
        Geo::parse("GEO:48.2,16.37;u=35;crs=WGS84?q=x")?,
        Geo::new(48.2, 16.37)?
    );
    assert_eq!(Geo::new(-0.0, 0.0)?.to_string(), "geo:0,0");
    Ok(())
}

#[test]
fn geo_rejects_out_of_range_and_non_decimal() {
    assert_eq!(Geo::new(90.5, 0.0).unwrap_err().field(), Some("lat"));
    assert_eq!(Geo::new(0.0, -180.1).unwrap_err().field(), Some("lon"));
    assert_eq!(Geo::new(f64::NAN, 0.0).unwrap_err().field(), Some("lat"));
    for bad in [
        "geo:1",
        "geo:1,2,3,4",
        "geo:1e3,2",
        "geo:inf,2",
        "geo:1.,2",
        "geo:1,2;crs=utm",
    ] {
        assert!(Geo::parse(bad).is_err(), "{bad}");
        assert_eq!(Payload::parse(bad), Payload::Other(bad.into()));
    }
}

#[test]
fn sms_both_forms() -> R {
    let s = Sms::new("+33 6 12 34 56 78")?.text("Banc 42: cassé");
    assert_eq!(s.to_string(), "SMSTO:+33612345678:Banc 42: cassé");
    round_trip(Payload::Sms(s.clone()));
    let u = s.form(SmsForm::Uri);
    assert_eq!(
        u.to_string(),
        "sms:+33612345678?body=Banc%2042%3A%20cass%C3%A9"
    );
    round_trip(Payload::Sms(u));
    round_trip(Payload::Sms(Sms::new("112")?.form(SmsForm::Uri)));
    assert_eq!(Sms::parse("smsto:0612")?.get_text(), "");
    assert_eq!(Sms::new("06 ab").unwrap_err().field(), Some("number"));
    assert_eq!(
        Sms::new("").unwrap_err(),
        PayloadError::MissingField { field: "number" }
    );
    Ok(())
}

#[test]
fn tel_rfc_3966() -> R {
    let t = Tel::new("+33 (0)1 23.45-67")?;
    assert_eq!(t.to_string(), "tel:+33(0)123.45-67");
    round_trip(Payload::Tel(t));
    assert_eq!(Tel::parse("TEL:+3312;ext=5")?.number(), "+3312");
    for bad in ["1+2", "---", "12#", "x"] {
        assert_eq!(Tel::new(bad).unwrap_err().field(), Some("number"), "{bad}");
    }
    assert!(matches!(
        Tel::new(&"1".repeat(41)),
        Err(PayloadError::FieldTooLong {
            max: 40,
            len: 41,
            ..
        })
    ));
    Ok(())
}

#[test]
fn email_rfc_6068() -> R {
    let e = Email::new("voirie@mairie.example")?
        .subject("Banc 42 & co")
        .body("Bonjour,\r\nle banc est cassé.");
    assert_eq!(
        e.to_string(),
        "mailto:voirie@mairie.example?subject=Banc%2042%20%26%20co&body=Bonjour%2C%0D%0Ale%20banc%20est%20cass%C3%A9."
    );
    round_trip(Payload::Email(e));
    round_trip(Payload::Email(Email::new("a@b")?));
    round_trip(Payload::Email(Email::new("a@b")?.body("x")));
    for bad in ["nobody", "@b", "a@", "a b@c", "a@b@c", "a?x@b"] {
        assert_eq!(Email::new(bad).unwrap_err().field(), Some("to"), "{bad}");
    }
    Ok(())
}

#[test]
fn wifi_escapes_special_characters() -> R {
    let w = Wifi::new(r#"Mairie;"Libre":\,"#, WifiAuth::Wpa, "p;a:s,s\\w\"rd")?.hidden(true);
    assert_eq!(
        w.to_string(),
        r#"WIFI:T:WPA;S:Mairie\;\"Libre\"\:\\\,;P:p\;a\:s\,s\\w\"rd;H:true;;"#
    );
    round_trip(Payload::Wifi(w));
    let open = Wifi::new("Parc", WifiAuth::Open, "")?;
    assert_eq!(open.to_string(), "WIFI:T:nopass;S:Parc;;");
    round_trip(Payload::Wifi(open));
    round_trip(Payload::Wifi(Wifi::new(
        "Old",
        WifiAuth::Wep,
        "0123456789",
    )?));
    // Field order does not matter when reading; WPA2 is WPA.
    let w = Wifi::parse("WIFI:S:Net;P:secret12;T:WPA2;;")?;
    assert_eq!(
        (w.ssid(), w.password(), w.auth()),
        ("Net", "secret12", WifiAuth::Wpa)
    );
    Ok(())
}

#[test]
fn a_reference_with_a_multibyte_second_character_is_an_error_not_a_panic() {
    // Found by the payload fuzz target: a byte slice inside 'Ç'.
    let epc = Epc::new("Tresor Public", "FR7630006000011234567890189").expect("valid");
    assert!(epc.clone().reference("RÇ123").is_ok());
    let text = "BCD\n002\n1\nSCT\n\nTresor Public\nFR7630006000011234567890189\nEUR1\n\nRÇ123";
    assert!(matches!(
        Payload::parse(text),
        Payload::Epc(_) | Payload::Other(_)
    ));
}

#[test]
fn a_parsed_open_network_keeps_its_password() {
    // Found by the payload fuzz target: the password was dropped when written back.
    let text = "WIFI:T:;S:Mairie;P:~;;";
    let p = Payload::parse(text);
    let Payload::Wifi(w) = &p else {
        panic!("{p:?}");
    };
    assert_eq!((w.auth(), w.password()), (WifiAuth::Open, "~"));
    assert_eq!(Payload::parse(&p.to_string()), p);
}

#[test]
fn wifi_rejects_bad_passwords_and_ssids() {
    let err = |ssid, auth, pw| Wifi::new(ssid, auth, pw).unwrap_err();
    assert_eq!(err("N", WifiAuth::Wpa, "short").field(), Some("password"));
    assert_eq!(err("N", WifiAuth::Wpa, "").field(), Some("password"));
    assert_eq!(err("N", WifiAuth::Wep, "123456").field(), Some("password"));
    assert_eq!(err("N", WifiAuth::Open, "x").field(), Some("password"));
    assert_eq!(err("", WifiAuth::Open, "").field(), Some("ssid"));
    assert!(matches!(
        err(&"s".repeat(33), WifiAuth::Open, ""),
        PayloadError::FieldTooLong {
            field: "ssid",
            max: 32,
            len: 33
        }
    ));
    assert_eq!(
        "WPA-EAP".parse::<WifiAuth>().unwrap_err().field(),
        Some("auth")
    );
}

fn sample_contact() -> Result<Contact, PayloadError> {
    Contact::new("Mairie de Lille, accueil; \"A\"")?
        .org("Ville de Lille")?
        .title("Accueil")?
        .phone("+33 3 20 49 50 00")?
        .phone("0320495001")?
        .email("accueil@mairie-lille.example")?
        .url("https://www.lille.example/")?
        .address("Place Augustin Laurent, 59000 Lille")?
        .note("Ouvert 8h30-17h\nFermé le dimanche")
}

#[test]
fn vcard_and_mecard_round_trip() -> R {
    let c = sample_contact()?;
    let v = c.to_vcard();
    assert!(
        v.starts_with(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Mairie de Lille\\, accueil\\; \"A\";;;;\r\n"
        ),
        "{v}"
    );
    assert!(
        v.contains("\r\nNOTE:Ouvert 8h30-17h\\nFermé le dimanche\r\n"),
        "{v}"
    );
    assert!(v.ends_with("END:VCARD"));
    round_trip(Payload::VCard(c.clone()));
    let m = c.to_mecard();
    assert!(
        m.starts_with("MECARD:N:Mairie de Lille\\, accueil\\; \\\"A\\\";ORG:Ville de Lille;"),
        "{m}"
    );
    assert!(m.contains(";URL:https\\://www.lille.example/;"), "{m}");
    assert!(m.ends_with(";;"));
    round_trip(Payload::MeCard(c));
    round_trip(Payload::MeCard(Contact::new("X")?));
    Ok(())
}

#[test]
fn contacts_from_other_writers_are_read() -> R {
    // Folded lines, parameters, groups, N without FN, LF line ends.
    let v = "BEGIN:VCARD\nVERSION:3.0\nN:Dupont;Jeanne;;;\nitem1.TEL;TYPE=CELL:+33 6 1\n 2 34\nEMAIL;type=INTERNET:j@d.example\nX-FOO:bar\nEND:VCARD\n";
    let c = Contact::parse_vcard(v)?;
    assert_eq!(c.name(), "Jeanne Dupont");
    assert_eq!(c.phones(), ["+3361234"]);
    assert_eq!(c.emails(), ["j@d.example"]);
    let m = Contact::parse_mecard("MECARD:N:Dupont,Jeanne;TEL:0612;SOUND:x;;")?;
    assert_eq!(
        (m.name(), m.phones()),
        ("Jeanne Dupont", &["0612".to_string()][..])
    );
    assert_eq!(
        Contact::parse_mecard("MECARD:TEL:1;;").unwrap_err(),
        PayloadError::MissingField { field: "name" }
    );
    assert_eq!(Contact::new("a\u{7}").unwrap_err().field(), Some("name"));
    assert_eq!(
        Contact::new("a")?.phone("abc").unwrap_err().field(),
        Some("phone")
    );
    assert_eq!(
        Contact::new("a")?.email("abc").unwrap_err().field(),
        Some("email")
    );
    Ok(())
}

const IBAN: &str = "FR7630006000011234567890189";

#[test]
fn epc_writes_epc069_12() -> R {
    let e = Epc::new("Tresor Public", "fr76 3000 6000 0112 3456 7890 189")?
        .amount("12.5")?
        .text("Stationnement")?;
    assert_eq!(e.iban(), IBAN);
    assert_eq!(
        e.to_string(),
        "BCD\n002\n1\nSCT\n\nTresor Public\nFR7630006000011234567890189\nEUR12.50\n\n\nStationnement"
    );
    assert_eq!(
        Payload::Epc(e.clone()).required_ec_level(),
        Some(crate::EcLevel::M)
    );
    round_trip(Payload::Epc(e));
    let full = Epc::new("Régie de stationnement", IBAN)?
        .bic("bnpa fr pp xxx")?
        .version(EpcVersion::V1)?
        .amount("999999999.99")?
        .purpose("gdds")?
        .reference("RF18539007547034")?
        .info("Merci");
    let full = full?;
    assert_eq!(full.get_bic(), Some("BNPAFRPPXXX"));
    assert_eq!(full.get_purpose(), Some("GDDS"));
    assert!(full
        .to_string()
        .starts_with("BCD\n001\n1\nSCT\nBNPAFRPPXXX\n"));
    round_trip(Payload::Epc(full));
    // Minimal: name and IBAN only, no trailing separators.
    let min = Epc::new("A", IBAN)?;
    assert!(min.to_string().ends_with(IBAN));
    round_trip(Payload::Epc(min));
    // CR LF line ends are read too.
    let crlf = "BCD\r\n002\r\n1\r\nSCT\r\n\r\nA\r\nFR7630006000011234567890189\r\nEUR1";
    assert_eq!(Epc::parse(crlf)?.get_amount_cents(), Some(100));
    Ok(())
}

#[test]
fn epc_invalid_fields_are_named() {
    let iban_err = |iban: &str| match Epc::new("A", iban) {
        Err(PayloadError::InvalidIban { reason }) => reason,
        other => panic!("{iban}: {other:?}"),
    };
    assert!(iban_err("FR7630006000011234567890188").contains("mod 97"));
    assert!(iban_err("FR76").contains("15 to 34"));
    assert!(iban_err("1176300060000112345678901").contains("country"));
    assert!(iban_err("FRXX30006000011234567890189").contains("check digits"));
    assert!(iban_err("FR76-3000-6000-0112-3456-78901").contains("'-'"));
    assert_eq!(
        Epc::new("A", "").unwrap_err(),
        PayloadError::MissingField { field: "iban" }
    );

    let base = || Epc::new("A", IBAN).expect("valid");
    assert_eq!(
        Epc::new(&"n".repeat(71), IBAN).unwrap_err(),
        PayloadError::FieldTooLong {
            field: "name",
            max: 70,
            len: 71
        }
    );
    assert_eq!(
        Epc::new(" ", IBAN).unwrap_err(),
        PayloadError::MissingField { field: "name" }
    );
    for bad in [
        "0",
        "0.00",
        "1000000000",
        "12,50",
        "1.234",
        "-1",
        "1e3",
        ".5",
        "5.",
        "",
    ] {
        assert_eq!(
            base().amount(bad).unwrap_err().field(),
            Some("amount"),
            "{bad}"
        );
    }
    assert_eq!(
        base().amount("0.01").map(|e| e.get_amount_cents()),
        Ok(Some(1))
    );
    assert_eq!(base().bic("BNPA").unwrap_err().field(), Some("bic"));
    assert_eq!(base().bic("1NPAFRPP").unwrap_err().field(), Some("bic"));
    assert_eq!(
        base().purpose("GDDSX").unwrap_err().field(),
        Some("purpose")
    );
    assert_eq!(
        base().version(EpcVersion::V1).unwrap_err(),
        PayloadError::MissingField { field: "bic" }
    );
    assert_eq!(
        base().text("t").and_then(|e| e.reference("r")).unwrap_err(),
        PayloadError::Conflict {
            field: "reference",
            other: "text"
        }
    );
    assert_eq!(
        base().reference("r").and_then(|e| e.text("t")).unwrap_err(),
        PayloadError::Conflict {
            field: "text",
            other: "reference"
        }
    );
    assert!(matches!(
        base().reference(&"r".repeat(36)),
        Err(PayloadError::FieldTooLong {
            field: "reference",
            max: 35,
            len: 36
        })
    ));
    assert_eq!(
        base().reference("RF19539007547034").unwrap_err().field(),
        Some("reference")
    );
    assert!(matches!(
        base().text(&"t".repeat(141)),
        Err(PayloadError::FieldTooLong {
            field: "text",
            max: 140,
            ..
        })
    ));
    assert_eq!(base().text("a\nb").unwrap_err().field(), Some("text"));
    // 70 four-byte characters in the name, 140 in the text: over 331 bytes.
    let long = Epc::new(&"😀".repeat(70), IBAN).and_then(|e| e.text(&"😀".repeat(140)));
    assert!(
        matches!(long, Err(PayloadError::TooLong { max: 331, .. })),
        "{long:?}"
    );
    for bad in [
        "BCD\n003\n1\nSCT\n\nA\nFR7630006000011234567890189",
        "BCD\n002\n9\nSCT\n\nA\nFR7630006000011234567890189",
        "BCD\n002\n1\nSCX\n\nA\nFR7630006000011234567890189",
        "BCD\n002\n1\nSCT\n\nA\nFR7630006000011234567890189\nUSD1",
        "BCD\n001\n1\nSCT\n\nA\nFR7630006000011234567890189",
        "BCD\n002\n1\nSCT\n\nA\nFR7630006000011234567890189\n\n\n\n\n\n\n",
    ] {
        assert!(Epc::parse(bad).is_err(), "{bad:?}");
        assert_eq!(Payload::parse(bad), Payload::Other(bad.into()));
    }
}

#[test]
fn from_fields_names_unknown_and_missing_fields() {
    assert_eq!(
        Payload::from_fields("geo", &[("lat", "1")]),
        Err(PayloadError::MissingField { field: "lon" })
    );
    assert_eq!(
        Payload::from_fields("geo", &[("lat", "north"), ("lon", "1")])
            .unwrap_err()
            .field(),
        Some("lat")
    );
    assert_eq!(
        Payload::from_fields("wifi", &[("ssid", "x"), ("colour", "red")]),
        Err(PayloadError::UnknownField {
            kind: "wifi",
            field: "colour".into()
        })
    );
    assert!(matches!(
        Payload::from_fields("fax", &[]),
        Err(PayloadError::UnknownKind { .. })
    ));
    assert_eq!(
        Payload::from_fields("tel", &[("number", "1"), ("number", "2")])
            .unwrap_err()
            .field(),
        Some("number")
    );
    assert_eq!(
        Payload::from_fields("wifi", &[("ssid", "x"), ("hidden", "maybe")])
            .unwrap_err()
            .field(),
        Some("hidden")
    );
    // A password without auth means WPA; empty values count as absent.
    let w = Payload::from_fields(
        "wifi",
        &[("ssid", "x"), ("password", "12345678"), ("bic", "")],
    );
    assert!(w.is_err());
    let w = Payload::from_fields("WIFI", &[("SSID", "x"), ("password", "12345678")]);
    assert_eq!(
        w.map(|p| p.to_string()),
        Ok("WIFI:T:WPA;S:x;P:12345678;;".to_string())
    );
}

#[test]
fn other_text_is_kept() {
    for t in [
        "",
        "hello",
        "BCD",
        "http",
        "https://",
        "WIFI:",
        "MECARD:",
        "BEGIN:VCARD",
        "ß",
    ] {
        let p = Payload::parse(t);
        assert_eq!(p, Payload::Other(t.to_string()), "{t:?}");
        assert_eq!(p.kind(), "text");
        assert_eq!(p.to_string(), t);
    }
}

#[test]
fn parse_never_panics_on_random_text() {
    const PREFIXES: [&str; 12] = [
        "",
        "http://",
        "https://a",
        "geo:",
        "SMSTO:",
        "sms:",
        "tel:",
        "mailto:",
        "WIFI:",
        "BEGIN:VCARD\n",
        "MECARD:",
        "BCD\n002\n1\nSCT\n",
    ];
    const ALPHABET: &[char] = &[
        'a', 'Z', '0', '9', '.', ',', ';', ':', '\\', '"', '%', '?', '&', '=', '@', '+', '-', '\n',
        '\r', ' ', '{', '}', 'é', '😀', '\u{0}', '#', 'E', 'U', 'R', '/', '[', ']',
    ];
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let mut s = PREFIXES[(rng.next_u64() % PREFIXES.len() as u64) as usize].to_string();
        for _ in 0..rng.next_u64() % 40 {
            s.push(ALPHABET[(rng.next_u64() % ALPHABET.len() as u64) as usize]);
        }
        let p = Payload::parse(&s);
        // Whatever was recognised must write text that is recognised again.
        if !matches!(p, Payload::Other(_)) {
            let again = Payload::parse(&p.to_string());
            assert_eq!(again.kind(), p.kind(), "{s:?}");
        }
        let _ = p.fields();
    }
}
