//! Signs a payload with a freshly generated key, then verifies it, and a
//! forged copy, against a trust list (the scheme is in docs/SIGNING.md).
//!
//! ```text
//! cargo run -p civiqr --features sign --example verify_signed
//! ```

use civiqr::sign::{Date, SignatureStatus, SigningKey, TrustList};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A new Ed25519 key from the operating system's random source. Keep the
    // seed secret (`to_key_file` writes it); publish `trust_entry`.
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| format!("no random source: {e}"))?;
    let key = SigningKey::from_seed(seed, "Ville de Saint-Omer")?;

    let signed = key.sign("https://example.org/stationnement/horodateur/0042")?;
    println!("encode this: {signed}");

    // The reader's side: the issuers it trusts, and the payload it decoded.
    let mut trust = TrustList::new();
    trust.insert(key.trust_entry())?;
    let today = Date::new(2026, 11, 26).ok_or("invalid date")?;

    let genuine = trust.verify(signed.as_bytes(), today);
    println!("genuine: {}", genuine.summary());
    let forged = signed.replace("0042", "0043");
    let copy = trust.verify(forged.as_bytes(), today);
    println!("forged: {}", copy.summary());

    if genuine.status() != SignatureStatus::Valid || copy.status() != SignatureStatus::Invalid {
        return Err("the signature check did not tell the genuine code from the forgery".into());
    }
    Ok(())
}
