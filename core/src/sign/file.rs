//! Key and trust files on disk. Reads are bounded (at most the limit + 1
//! bytes, whatever the file type), and a private key that other users can
//! read is refused, as OpenSSH refuses one: whoever reads it signs as the
//! issuer.

use core::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::{SignError, SigningKey, TrustError, TrustList, MAX_TRUST_FILE};

/// The largest key file read, in bytes (a key file is about 250).
pub const MAX_KEY_FILE: u64 = 64 << 10;

/// Which permissions a key file may have for [`SigningKey::read_file`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyPermissions {
    /// Readable by its owner only: no group or other permission bits (on
    /// Unix; elsewhere nothing is checked). The default.
    #[default]
    OwnerOnly,
    /// Any permissions: the caller accepts that others may read the key.
    Any,
}

/// Why a key or trust file could not be used; every variant names the file.
#[derive(Debug)]
#[non_exhaustive]
pub enum FileError {
    /// The file could not be read, or is over its size limit (the message
    /// then names the limit), or is not UTF-8 text.
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// A private key file that its group or other users may read.
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits (`0o644`, ...).
        mode: u32,
    },
    /// The key file's text is not a key.
    Key {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        error: SignError,
    },
    /// The trust file's text is not a trust list.
    Trust {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        error: TrustError,
    },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            FileError::Permissions { path, mode } => write!(
                f,
                "{}: a private key readable by others (mode {mode:04o}) is not used; \
                 make it readable by its owner only (chmod 600 {})",
                path.display(),
                path.display()
            ),
            FileError::Key { path, error } => write!(f, "{}: {error}", path.display()),
            FileError::Trust { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FileError::Read { source, .. } => Some(source),
            FileError::Key { error, .. } => Some(error),
            FileError::Trust { error, .. } => Some(error),
            FileError::Permissions { .. } => None,
        }
    }
}

/// The text of `path`, at most `limit` bytes of UTF-8.
fn read_text(path: &Path, limit: u64) -> Result<String, FileError> {
    let read_error = |source| FileError::Read {
        path: path.to_path_buf(),
        source,
    };
    let bytes = crate::read_file_limited(path, limit).map_err(read_error)?;
    String::from_utf8(bytes)
        .map_err(|_| read_error(io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text")))
}

/// `Err` when `path`'s group or other permission bits are set.
#[cfg(unix)]
fn check_owner_only(path: &Path) -> Result<(), FileError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|source| FileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(FileError::Permissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_only(_path: &Path) -> Result<(), FileError> {
    Ok(())
}

impl SigningKey {
    /// Reads a key file, refusing one that others may read unless
    /// `permissions` is [`KeyPermissions::Any`], and one over
    /// [`MAX_KEY_FILE`] bytes.
    ///
    /// # Errors
    ///
    /// [`FileError`], naming the file.
    pub fn read_file(
        path: impl AsRef<Path>,
        permissions: KeyPermissions,
    ) -> Result<SigningKey, FileError> {
        let path = path.as_ref();
        if permissions == KeyPermissions::OwnerOnly {
            check_owner_only(path)?;
        }
        let text = read_text(path, MAX_KEY_FILE)?;
        SigningKey::from_key_file(&text).map_err(|error| FileError::Key {
            path: path.to_path_buf(),
            error,
        })
    }
}

impl TrustList {
    /// Reads a trust file of at most [`MAX_TRUST_FILE`] bytes.
    ///
    /// # Errors
    ///
    /// [`FileError`], naming the file.
    pub fn read_file(path: impl AsRef<Path>) -> Result<TrustList, FileError> {
        let path = path.as_ref();
        let text = read_text(path, MAX_TRUST_FILE as u64)?;
        TrustList::from_json(&text).map_err(|error| FileError::Trust {
            path: path.to_path_buf(),
            error,
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn temp(name: &str, text: &str, mode: u32) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("civiqr-sign-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        path
    }

    #[test]
    fn a_key_others_can_read_is_refused_unless_allowed() {
        let key = SigningKey::from_seed([3; 32], "Ville").expect("key");
        let shared = temp("shared.key", &key.to_key_file(), 0o644);
        let e = SigningKey::read_file(&shared, KeyPermissions::OwnerOnly).unwrap_err();
        assert!(
            matches!(e, FileError::Permissions { mode: 0o644, .. }),
            "{e}"
        );
        assert!(
            e.to_string().contains("shared.key") && e.to_string().contains("0644"),
            "{e}"
        );
        let read = SigningKey::read_file(&shared, KeyPermissions::Any).expect("allowed");
        assert_eq!(read.key_id(), key.key_id());
        let private = temp("private.key", &key.to_key_file(), 0o600);
        assert!(SigningKey::read_file(&private, KeyPermissions::OwnerOnly).is_ok());
    }

    #[test]
    fn devices_and_big_files_stop_at_the_limit_and_name_it() {
        let e = TrustList::read_file("/dev/zero").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("/dev/zero") && text.contains("1048576"),
            "{text}"
        );
        let e = SigningKey::read_file("/dev/zero", KeyPermissions::Any).unwrap_err();
        assert!(e.to_string().contains("65536"), "{e}");
    }
}
