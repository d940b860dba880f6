//! Runs `civiqr keygen`, `encode --sign-key`, `batch --sign-key` and
//! `decode --trust`: the verdict a user sees for genuine and forged codes.

use std::path::{Path, PathBuf};

mod common;
use common::{civiqr, s, scratch, stderr, stdout, Scratch};

const URL: &str = "https://www.saint-omer.fr/stationnement/horodateur/0042";

/// A fresh folder with a town key and its trust file.
struct Town {
    dir: Scratch,
    key: PathBuf,
    trust: PathBuf,
}

impl Town {
    fn new(name: &str) -> Town {
        let dir = scratch(&format!("sign-{name}"));
        let (key, trust) = (dir.join("town.key"), dir.join("trust.json"));
        let o = civiqr(&[
            "keygen",
            "--out",
            s(&key),
            "--issuer",
            "Ville de Saint-Omer",
            "--trust-out",
            s(&trust),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        Town { dir, key, trust }
    }

    /// The signed text for `content`.
    fn sign(&self, content: &str) -> String {
        // Read the text back from a PNG, as a scanner would.
        let png = self.dir.join("signed.png");
        let o = civiqr(&["encode", content, "--sign-key", s(&self.key), "-o", s(&png)]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = civiqr(&["decode", s(&png)]);
        stdout(&o).trim_end().to_string()
    }

    /// The `"signature"` object `decode --trust --json` gives for a code
    /// holding `text` (encoded without a key, as a fraudster would).
    fn verdict(&self, text: &str, trust: &[&Path]) -> String {
        let png = self.dir.join("code.png");
        let o = civiqr(&["encode", text, "-o", s(&png)]);
        assert!(o.status.success(), "{}", stderr(&o));
        let mut args = vec!["decode", "--json", s(&png)];
        for t in trust {
            args.extend(["--trust", s(t)]);
        }
        let o = civiqr(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let line = stdout(&o);
        let at = line.find("\"signature\":").expect("a signature object");
        let end = line[at..].find('}').expect("closing brace");
        line[at + "\"signature\":".len()..at + end + 1].to_string()
    }

    fn status(&self, text: &str) -> String {
        let v = self.verdict(text, &[&self.trust]);
        let at = v.find("\"status\":\"").expect("status") + 10;
        v[at..at + v[at..].find('"').expect("quote")].to_string()
    }
}

#[test]
fn keygen_writes_a_private_key_and_never_overwrites_it_silently() {
    let town = Town::new("keygen");
    let key = std::fs::read_to_string(&town.key).expect("key file");
    assert!(key.starts_with("-----BEGIN CIVIQR SIGNING KEY-----\n"));
    assert!(key.contains("issuer: Ville de Saint-Omer\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&town.key)
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let trust = std::fs::read_to_string(&town.trust).expect("trust file");
    assert!(
        trust.contains("\"issuer\": \"Ville de Saint-Omer\""),
        "{trust}"
    );

    // A second keygen to the same file fails and keeps the key.
    let o = civiqr(&["keygen", "--out", s(&town.key), "--issuer", "Autre"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&town.key).expect("key"), key);

    // --trust-out adds a second key to the existing trust file.
    let next = town.dir.join("next.key");
    let o = civiqr(&[
        "keygen",
        "--out",
        s(&next),
        "--issuer",
        "Ville de Saint-Omer",
        "--trust-out",
        s(&town.trust),
        "--not-before",
        "2027-01-01",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let trust = std::fs::read_to_string(&town.trust).expect("trust file");
    assert_eq!(trust.matches("\"public_key\"").count(), 2, "{trust}");
    assert!(trust.contains("\"not_before\": \"2027-01-01\""), "{trust}");

    // --force replaces the key.
    let o = civiqr(&[
        "keygen",
        "--out",
        s(&town.key),
        "--issuer",
        "Autre",
        "--force",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&town.key)
        .expect("key")
        .contains("issuer: Autre"));

    // The trust file cannot be the key file.
    let o = civiqr(&[
        "keygen",
        "--out",
        s(&town.key),
        "--issuer",
        "X",
        "--trust-out",
        s(&town.key),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(std::fs::read_to_string(&town.key)
        .expect("key")
        .contains("issuer: Autre"));

    // Bad arguments write nothing.
    let bad = town.dir.join("bad.key");
    for args in [
        vec!["--issuer", ""],
        vec!["--issuer", "X", "--not-after", "2026-02-30"],
        vec![
            "--issuer",
            "X",
            "--not-before",
            "2027-01-01",
            "--not-after",
            "2026-01-01",
        ],
    ] {
        let mut all = vec!["keygen", "--out", s(&bad)];
        all.extend(args);
        let o = civiqr(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}");
        assert!(!bad.exists(), "{all:?}");
    }
}

#[test]
fn decode_reports_verified_issuer_and_key_id() {
    let town = Town::new("valid");
    let signed = town.sign(URL);
    assert!(signed.starts_with(&format!("{URL}#CQ2")), "{signed}");
    let v = town.verdict(&signed, &[&town.trust]);
    assert!(
        v.starts_with("{\"status\":\"valid\",\"issuer\":\"Ville de Saint-Omer\",\"key_id\":\""),
        "{v}"
    );
    assert_eq!(town.status(URL), "unsigned");

    // Without --trust, the JSON has no signature field; without --json the
    // verdict goes to standard error and the text to standard output.
    let png = town.dir.join("code.png");
    assert!(civiqr(&["encode", &signed, "-o", s(&png)]).status.success());
    let o = civiqr(&["decode", "--json", s(&png)]);
    assert!(!stdout(&o).contains("\"signature\""));
    let o = civiqr(&["decode", s(&png), "--trust", s(&town.trust)]);
    assert_eq!(stdout(&o).trim_end(), signed);
    assert!(
        stderr(&o).contains("verified: Ville de Saint-Omer"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn forged_codes_are_reported_through_the_command_line() {
    let town = Town::new("threats");
    let signed = town.sign(URL);
    let tag = &signed[URL.len()..];
    let other = "https://www.saint-omer.fr/stationnement/horodateur/0043";
    let replayed = &town.sign(other)[other.len()..];
    for (threat, text) in [
        ("one character", format!("{other}{tag}")),
        (
            "case",
            format!("{}{tag}", URL.replace("saint-omer", "Saint-Omer")),
        ),
        ("appended query", format!("{URL}?pay=evil{tag}")),
        ("changed fragment", format!("{URL}#pay{tag}")),
        (
            "truncated signature",
            signed[..signed.len() - 3].to_string(),
        ),
        (
            "second payload",
            format!("{signed} https://evil.example/pay"),
        ),
        (
            "second payload first",
            format!("https://evil.example/pay {signed}"),
        ),
        ("replayed signature", format!("{URL}{replayed}")),
    ] {
        assert_eq!(town.status(&text), "invalid", "{threat}: {text}");
        assert!(
            town.verdict(&text, &[&town.trust])
                .contains("\"issuer\":null"),
            "{threat}"
        );
    }

    // A signature from a key that is not in the trust file.
    let rogue = Town::new("rogue");
    let forged = rogue.sign(URL);
    let v = town.verdict(&forged, &[&town.trust]);
    assert!(
        v.starts_with("{\"status\":\"unknown_key\",\"issuer\":null,\"key_id\":\""),
        "{v}"
    );
    // Trusting both files (merged) makes it valid.
    let v = town.verdict(&forged, &[&town.trust, &rogue.trust]);
    assert!(v.starts_with("{\"status\":\"valid\""), "{v}");
}

#[test]
fn an_expired_key_is_reported_as_expired() {
    let town = Town::new("expired");
    let old = town.dir.join("old.key");
    let old_trust = town.dir.join("old-trust.json");
    let o = civiqr(&[
        "keygen",
        "--out",
        s(&old),
        "--issuer",
        "Ville de Saint-Omer",
        "--trust-out",
        s(&old_trust),
        "--not-before",
        "2019-01-01",
        "--not-after",
        "2020-12-31",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let png = town.dir.join("old.png");
    let o = civiqr(&["encode", URL, "--sign-key", s(&old), "-o", s(&png)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = civiqr(&["decode", "--json", s(&png), "--trust", s(&old_trust)]);
    assert!(
        stdout(&o)
            .contains("\"signature\":{\"status\":\"expired\",\"issuer\":\"Ville de Saint-Omer\""),
        "{}",
        stdout(&o)
    );
}

#[test]
fn broken_trust_files_and_unsignable_data_are_errors() {
    let town = Town::new("errors");
    let png = town.dir.join("code.png");
    assert!(civiqr(&["encode", URL, "-o", s(&png)]).status.success());
    let bad = town.dir.join("bad.json");
    let trust = std::fs::read_to_string(&town.trust).expect("trust");
    std::fs::write(&bad, trust.replace("\"not_after\"", "\"not_afer\"")).expect("write");
    let o = civiqr(&["decode", "--json", s(&png), "--trust", s(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("field \"not_afer\""), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());

    let o = civiqr(&[
        "encode",
        "WIFI:S:Mairie;T:WPA;P:x;;",
        "--sign-key",
        s(&town.key),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("wifi payload cannot be signed"),
        "{}",
        stderr(&o)
    );
    // A trust file given as the key (readable by all, as trust files are).
    let o = civiqr(&["encode", URL, "--sign-key", s(&town.trust)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("readable by others"), "{}", stderr(&o));
    let o = civiqr(&[
        "encode",
        URL,
        "--sign-key",
        s(&town.trust),
        "--insecure-key-permissions",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("key file"), "{}", stderr(&o));
}

#[test]
fn signed_batches_record_the_key_id_in_the_manifest() {
    let town = Town::new("batch");
    let csv = town.dir.join("assets.csv");
    std::fs::write(&csv, "id,label\n0042,Horodateur 42\n0043,Horodateur 43\n").expect("csv");
    let out = town.dir.join("out");
    let o = civiqr(&[
        "batch",
        s(&csv),
        "--out",
        s(&out),
        "--template",
        "https://www.saint-omer.fr/stationnement/horodateur/{id}",
        "--sign-key",
        s(&town.key),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let key = std::fs::read_to_string(&town.key).expect("key");
    let id = key
        .lines()
        .find_map(|l| l.strip_prefix("key-id: "))
        .expect("key id");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).expect("manifest");
    assert_eq!(
        manifest.matches(&format!("\"key_id\":\"{id}\"")).count(),
        2,
        "{manifest}"
    );
    let csv = std::fs::read_to_string(out.join("manifest.csv")).expect("manifest");
    let header = csv.lines().next().expect("header");
    assert!(header.split(',').any(|c| c == "key_id"), "{header}");
    let o = civiqr(&[
        "decode",
        "--json",
        s(&out.join("0043.png")),
        "--trust",
        s(&town.trust),
    ]);
    assert!(stdout(&o).contains("/0043#CQ2"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("\"status\":\"valid\""),
        "{}",
        stdout(&o)
    );
}
