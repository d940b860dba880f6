//! Bounded reads. A file's stated length is 0 for devices, FIFOs and standard
//! input, so limits are enforced on the bytes actually read: at most
//! `limit + 1` bytes are taken, and one byte over the limit is an error.

use std::io::{self, Read};
use std::path::Path;

/// Reads everything from `reader`, failing with an error of kind
/// [`io::ErrorKind::FileTooLarge`] as soon as more than `limit` bytes arrive.
/// Never holds more than `limit + 1` bytes, whatever the source.
///
/// ```
/// let ok = civiqr::read_limited(&b"hello"[..], 5).unwrap();
/// assert_eq!(ok, b"hello");
/// let e = civiqr::read_limited(&b"hello!"[..], 5).unwrap_err();
/// assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
/// ```
pub fn read_limited(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("more than {limit} bytes (the limit)"),
        ));
    }
    Ok(out)
}

/// Opens `path` and reads it with [`read_limited`]; works the same for
/// regular files, devices, FIFOs and `/dev/stdin`. A directory is an error of
/// kind [`io::ErrorKind::IsADirectory`].
pub fn read_file_limited(path: impl AsRef<Path>, limit: u64) -> io::Result<Vec<u8>> {
    let path = path.as_ref();
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    read_limited(file, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_source_stops_one_byte_past_the_limit() {
        // io::repeat never ends: an unbounded read would never return.
        let e = read_limited(io::repeat(0), 1000).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(e.to_string().contains("1000"), "{e}");
    }

    #[test]
    fn exactly_the_limit_is_accepted() {
        assert_eq!(read_limited(&[7u8; 64][..], 64).unwrap().len(), 64);
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_bounded_by_what_is_read_not_their_stated_length() {
        let e = read_file_limited("/dev/zero", 4096).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        let e = read_file_limited("/", 10).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::IsADirectory);
    }
}
