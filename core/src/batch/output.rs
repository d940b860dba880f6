//! Writing a batch's files safely: through temporary files created
//! exclusively under unpredictable names (never following a symlink planted
//! at the name), renamed into place; one batch per output folder at a time
//! (an advisory lock); clean-up of a dead run's temporary files only.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The lock file a batch holds in its output folder while it runs.
pub const LOCK_FILE: &str = ".civiqr-batch.lock";

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// then renames it over `path`, so a reader never sees a half-written file.
///
/// The temporary file is created with `O_EXCL` semantics under a random
/// name (`.NAME.tmpPID-RANDOM`), so a symlink planted at a guessed name is
/// never followed; the rename replaces a symlink at `path` itself rather
/// than writing through it. The new file gets the usual permissions
/// (0666 less the umask), not the temporary file's owner-only ones.
///
/// # Errors
///
/// The I/O error, with the temporary file removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let prefix = format!(".{}.tmp{}-", name.to_string_lossy(), std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).rand_bytes(8);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // On error the temporary file is removed when the handle drops.
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` with [`write_atomically`] unless `path` is a regular file
/// holding exactly them; returns whether it wrote.
///
/// # Errors
///
/// The I/O error of the write.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    // symlink_metadata: a symlink (or device) at the name is replaced, not read.
    let same = std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes);
    if same {
        return Ok(false);
    }
    write_atomically(path, bytes)?;
    Ok(true)
}

/// Whether `name` is a temporary file of [`write_atomically`] (or of
/// earlier versions, `.NAME.tmpPID`), and the id of the process that made it.
fn temp_file_pid(name: &str) -> Option<u32> {
    let (_, tail) = name.strip_prefix('.')?.rsplit_once(".tmp")?;
    let (pid, random) = match tail.split_once('-') {
        Some((pid, random)) if !random.is_empty() => (pid, Some(random)),
        Some(_) => return None,
        None => (tail, None),
    };
    if random.is_some_and(|r| !r.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return None;
    }
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` is running. Known on Linux (`/proc`); elsewhere
/// every other process counts as gone, which the batch's lock makes safe
/// for batch runs (`encode -o` into a batch's folder is then the only risk).
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

/// Removes the temporary files that runs no longer alive left in `dir`
/// (killed mid-write); a live process's are kept. Call it holding the
/// folder's [`OutputLock`], so no other batch is writing there. Returns the
/// number removed.
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_file_pid) else {
            continue;
        };
        let is_file = e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink());
        if is_file && !process_alive(pid) && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// An advisory lock on an output folder, held until dropped: a second batch
/// into the same folder is refused while the first runs, so two runs never
/// interleave their files and manifests.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock of `dir` ([`LOCK_FILE`] inside it), or `Ok(None)` when
    /// another process holds it.
    ///
    /// # Errors
    ///
    /// The I/O error when the lock file cannot be created or locked.
    pub fn try_acquire(dir: &Path) -> io::Result<Option<OutputLock>> {
        let path = dir.join(LOCK_FILE);
        // A run that finishes removes the lock file while holding it; a run
        // that opened the old file before that must lock a fresh one.
        for _ in 0..16 {
            let file = open_lock_file(&path)?;
            if !fs4::fs_std::FileExt::try_lock_exclusive(&file)? {
                return Ok(None);
            }
            if same_file(&file, &path) {
                return Ok(Some(OutputLock { file, path }));
            }
        }
        Err(io::Error::other(format!(
            "{} keeps being replaced",
            path.display()
        )))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked (see try_acquire); where open files
        // cannot be removed (Windows) it stays, which is harmless.
        let _ = std::fs::remove_file(&self.path);
        let _ = fs4::fs_std::FileExt::unlock(&self.file);
    }
}

/// Opens (creating) the lock file without following a symlink planted at
/// its name: anything but a regular file there is refused, since a symlink
/// would make the lock (and its removal) act on another file.
fn open_lock_file(path: &Path) -> io::Result<File> {
    let not_a_file = || {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not a regular file", path.display()),
        )
    };
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    // On Unix the open itself refuses a symlink (ELOOP), so none can be
    // planted between a check and the open; a FIFO opened read-write does
    // not block and is refused after.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
        let file = options.open(path).map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                not_a_file()
            } else {
                e
            }
        })?;
        if file.metadata()?.is_file() {
            Ok(file)
        } else {
            Err(not_a_file())
        }
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(not_a_file());
        }
        options.open(path)
    }
}

/// Whether the open `file` is the file now at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("civiqr-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn temporary_names_are_recognised_with_their_process() {
        assert_eq!(temp_file_pid(".b1.png.tmp4242"), Some(4242));
        assert_eq!(temp_file_pid(".b1.png.tmp4242-aB3xYz09"), Some(4242));
        assert_eq!(temp_file_pid("b1.png.tmp4242"), None);
        assert_eq!(temp_file_pid(".b1.tmpfile"), None);
        assert_eq!(temp_file_pid(".b1.tmp12-"), None);
        assert_eq!(temp_file_pid(".b1.tmp12-a/b"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_a_guessable_name_is_never_written_through() {
        let dir = scratch("symlink");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "keep").expect("victim");
        // Every name the old scheme would use for this process, planted.
        let old = dir.join(format!(".a.svg.tmp{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &old).expect("symlink");
        write_atomically(&dir.join("a.svg"), b"<svg/>").expect("write");
        assert_eq!(std::fs::read(&victim).expect("victim"), b"keep");
        assert_eq!(std::fs::read(dir.join("a.svg")).expect("a.svg"), b"<svg/>");
        // A symlink at the target itself is replaced, not followed.
        std::os::unix::fs::symlink(&victim, dir.join("b.svg")).expect("symlink");
        assert!(write_if_changed(&dir.join("b.svg"), b"keep").expect("write"));
        assert_eq!(std::fs::read(&victim).expect("victim"), b"keep");
        assert!(!std::fs::symlink_metadata(dir.join("b.svg"))
            .expect("b")
            .is_symlink());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[cfg(unix)]
    #[test]
    fn written_files_get_the_usual_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        write_atomically(&dir.join("a.svg"), b"x").expect("write");
        let mode = std::fs::metadata(dir.join("a.svg"))
            .expect("meta")
            .permissions()
            .mode();
        // Readable by others unless the umask says otherwise (a web server
        // serves these files); tempfile alone would give 0600.
        assert_ne!(mode & 0o044, 0, "mode {mode:o}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn clean_up_spares_live_processes_files() {
        let dir = scratch("stale");
        let mine = format!(".a.png.tmp{}-abcdef12", std::process::id());
        std::fs::write(dir.join(&mine), "live").expect("live");
        // PIDs above the Linux maximum (2^22) are never alive.
        std::fs::write(dir.join(".b.png.tmp9999999-abcdef12"), "dead").expect("dead");
        std::fs::write(dir.join("keep.png"), "keep").expect("keep");
        assert_eq!(remove_stale_temp_files(&dir), 1);
        assert!(dir.join(&mine).exists());
        assert!(dir.join("keep.png").exists());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_second_lock_on_one_folder_is_refused_until_the_first_is_dropped() {
        let dir = scratch("lock");
        let first = OutputLock::try_acquire(&dir).expect("io").expect("free");
        assert!(OutputLock::try_acquire(&dir).expect("io").is_none());
        drop(first);
        assert!(!dir.join(LOCK_FILE).exists());
        let again = OutputLock::try_acquire(&dir).expect("io");
        assert!(again.is_some());
        drop(again);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_or_fifo_at_the_lock_name_is_refused_and_its_target_untouched() {
        let dir = scratch("planted");
        let target = dir.join("elsewhere.txt");
        std::fs::write(&target, "town data").expect("target");
        std::os::unix::fs::symlink(&target, dir.join(LOCK_FILE)).expect("symlink");
        let e = OutputLock::try_acquire(&dir).expect_err("symlink refused");
        assert!(e.to_string().contains("is not a regular file"), "{e}");
        // A dangling link is not followed to create its target either.
        std::fs::remove_file(dir.join(LOCK_FILE)).expect("unlink");
        let dangling = dir.join("created-by-follow");
        std::os::unix::fs::symlink(&dangling, dir.join(LOCK_FILE)).expect("symlink");
        assert!(OutputLock::try_acquire(&dir).is_err());
        assert!(!dangling.exists());
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "town data");
        std::fs::remove_file(dir.join(LOCK_FILE)).expect("unlink");
        let fifo = std::process::Command::new("mkfifo")
            .arg(dir.join(LOCK_FILE))
            .status();
        if fifo.is_ok_and(|s| s.success()) {
            let e = OutputLock::try_acquire(&dir).expect_err("fifo refused");
            assert!(e.to_string().contains("is not a regular file"), "{e}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
