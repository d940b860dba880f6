//! `civiqr keygen`, and reading key and trust files for `encode --sign-key`,
//! `batch --sign-key` and `decode --trust`.

use std::io::Write;
use std::path::Path;

use civiqr::sign::{Date, FileError, KeyPermissions, SigningKey, TrustList};

use crate::args::KeygenArgs;

/// Makes a key from the OS random source, writes the key file (owner-only
/// permissions, never over an existing file without `--force`) and, with
/// `--trust-out`, adds its public key to a trust file.
pub fn keygen(a: KeygenArgs) -> Result<(), String> {
    let (not_before, not_after) = (a.not_before, a.not_after);
    if let (Some(b), Some(e)) = (not_before, not_after) {
        if e < b {
            return Err(format!("--not-after {e} is before --not-before {b}"));
        }
    }
    if a.trust_out
        .as_deref()
        .is_some_and(|t| t == a.out || same_file(t, &a.out))
    {
        return Err("--trust-out must not be the key file (--out)".into());
    }
    if !a.force && a.out.exists() {
        return Err(format!(
            "{} exists: a key is never replaced silently (use --force to replace it)",
            a.out.display()
        ));
    }
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| format!("no random source: {e}"))?;
    let key = SigningKey::from_seed(seed, &a.issuer).map_err(|e| format!("--issuer: {e}"))?;
    seed.fill(0);
    // Read the trust file before writing anything, so a broken one stops us.
    let trust = match &a.trust_out {
        Some(path) => {
            let mut list = if path.exists() {
                read_trust(path)?
            } else {
                TrustList::new()
            };
            let entry = key
                .trust_entry()
                .not_before(not_before)
                .not_after(not_after);
            list.insert(entry)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Some((path, list))
        }
        None => None,
    };
    write_private(&a.out, key.to_key_file().as_bytes(), a.force)?;
    eprintln!(
        "civiqr: key {} for {:?} written to {}",
        key.key_id(),
        key.issuer(),
        a.out.display()
    );
    if let Some((path, list)) = trust {
        crate::write_atomically(path, list.to_json().as_bytes())?;
        eprintln!(
            "civiqr: public key {} added to {} ({})",
            key.key_id(),
            path.display(),
            civiqr::batch::plural(list.len(), "key")
        );
    }
    Ok(())
}

/// Writes `bytes` through a temporary file created exclusively with mode
/// 0600 under a random name, then renames; without `replace`, fails if the
/// file appeared meanwhile (no race with another process creating it).
fn write_private(path: &Path, bytes: &[u8], replace: bool) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // tempfile creates owner-only (0600) files on Unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(".civiqr-key.tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(fail)?;
    let persisted = if replace {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    persisted.map(|_| ()).map_err(|e| fail(e.error))
}

/// Whether two existing paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Reads a key file (bounded; refused when others can read it, unless
/// `insecure_permissions`).
pub fn read_key(path: &Path, insecure_permissions: bool) -> Result<SigningKey, String> {
    let permissions = if insecure_permissions {
        KeyPermissions::Any
    } else {
        KeyPermissions::OwnerOnly
    };
    SigningKey::read_file(path, permissions).map_err(|e| match e {
        FileError::Permissions { .. } => format!("{e}, or pass --insecure-key-permissions"),
        e => e.to_string(),
    })
}

fn read_trust(path: &Path) -> Result<TrustList, String> {
    TrustList::read_file(path).map_err(|e| e.to_string())
}

/// Reads and merges trust files.
pub fn read_trust_files(paths: &[std::path::PathBuf]) -> Result<TrustList, String> {
    let mut list = TrustList::new();
    for path in paths {
        list.merge(&read_trust(path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(list)
}

/// Today's UTC date from the system clock.
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Date::from_unix_seconds(seconds)
}
