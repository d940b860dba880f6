//! Runs `civiqr payload` and `civiqr decode --json`: the payload text users
//! encode, the field named on bad input, and the classification of what was read.

mod common;
use common::{civiqr, scratch, stderr, stdout};

#[test]
fn payload_prints_each_kind() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "epc", "--name", "Tresor Public", "--iban", "FR7630006000011234567890189",
                "--amount", "12.50", "--text", "Stationnement",
            ],
            "BCD\n002\n1\nSCT\n\nTresor Public\nFR7630006000011234567890189\nEUR12.50\n\n\nStationnement\n",
        ),
        (&["geo", "--lat", "50.75", "--lon", "2.25"], "geo:50.75,2.25\n"),
        (
            &["wifi", "--ssid", "X", "--password", "Y;secret", "--auth", "WPA"],
            "WIFI:T:WPA;S:X;P:Y\\;secret;;\n",
        ),
        (&["url", "--url", "https://example.org/a"], "https://example.org/a\n"),
        (&["sms", "--number", "+336", "--text", "hi"], "SMSTO:+336:hi\n"),
        (&["sms", "--number", "+336", "--text", "a b", "--form", "sms"], "sms:+336?body=a%20b\n"),
        (&["tel", "--number", "+33 1 23"], "tel:+33123\n"),
        (&["email", "--to", "a@b.example", "--subject", "Banc"], "mailto:a@b.example?subject=Banc\n"),
        (&["mecard", "--name", "A", "--phone", "1", "--phone=2"], "MECARD:N:A;TEL:1;TEL:2;;\n"),
        (
            &["vcard", "--name", "A", "--email", "a@b.example"],
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:A;;;;\r\nFN:A\r\nEMAIL:a@b.example\r\nEND:VCARD\n",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["payload"];
        all.extend_from_slice(args);
        let o = civiqr(&all);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), *expected, "{args:?}");
    }
}

#[test]
fn invalid_fields_exit_2_naming_the_field() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "epc",
                "--name",
                "A",
                "--iban",
                "FR7630006000011234567890188",
            ],
            "iban: check digits",
        ),
        (
            &[
                "epc",
                "--name",
                "A",
                "--iban",
                "FR7630006000011234567890189",
                "--amount",
                "0",
            ],
            "amount:",
        ),
        (
            &["epc", "--iban", "FR7630006000011234567890189"],
            "name: missing",
        ),
        (&["geo", "--lat", "91", "--lon", "0"], "lat:"),
        (&["wifi", "--ssid", "X", "--password", "short"], "password:"),
        (
            &["wifi", "--ssid", "X", "--colour", "red"],
            "colour: not a field of wifi",
        ),
        (&["fax", "--number", "1"], "unknown payload kind \"fax\""),
        (&["url", "--url", "example.org"], "url:"),
    ];
    for (args, says) in cases {
        let mut all = vec!["payload"];
        all.extend_from_slice(args);
        let o = civiqr(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn decode_json_classifies_the_payload() {
    let dir = scratch("cli-payload");
    let epc = "BCD\n002\n1\nSCT\n\nTresor Public\nFR7630006000011234567890189\nEUR12.50\n\n\nStationnement";
    for (name, data, expected) in [
        (
            "epc.png",
            epc,
            "\"payload\":{\"kind\":\"epc\",\"fields\":{\"version\":\"002\",\"name\":\"Tresor Public\",\"iban\":\"FR7630006000011234567890189\",\"amount\":\"12.50\",\"text\":\"Stationnement\"}}",
        ),
        (
            "card.png",
            "MECARD:N:A;TEL:1;TEL:2;;",
            "\"payload\":{\"kind\":\"mecard\",\"fields\":{\"name\":\"A\",\"phone\":[\"1\",\"2\"]}}",
        ),
        (
            "plain.png",
            "banc 42",
            "\"payload\":{\"kind\":\"text\",\"fields\":{\"text\":\"banc 42\"}}",
        ),
    ] {
        let png = dir.join(name);
        let png = png.to_str().expect("utf-8");
        let o = civiqr(&["encode", data, "--ec", "M", "-o", png]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = civiqr(&["decode", "--json", png]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains(expected), "{}", stdout(&o));
    }
}
