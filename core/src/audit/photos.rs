//! Which files an audit reads: the one rule the CLI and Python share.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Image files by extension when a folder is listed (HEIC is listed too, so
/// that a phone's HEIC photos are reported rather than silently skipped).
pub const PHOTO_EXTENSIONS: [&str; 11] = [
    "jpg", "jpeg", "png", "webp", "gif", "bmp", "tif", "tiff", "heic", "heif", "avif",
];

/// The photos for these arguments, in the order they are audited: files as
/// given, folders expanded to their image files (by extension, recursively,
/// hidden names skipped, each folder's list sorted). A folder reached again
/// through a symbolic link is listed once, so a link back up the tree ends.
///
/// Errors name the folder that could not be read.
pub fn list_photos(args: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in args {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut HashSet::new())
                .map_err(|e| format!("{}: {e}", p.display()))?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>) -> std::io::Result<()> {
    if !seen.insert(std::fs::canonicalize(dir)?) {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out, seen)?;
        } else if path.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_ascii_lowercase();
            PHOTO_EXTENSIONS.contains(&e.as_str())
        }) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_expand_to_sorted_photos_and_a_link_loop_ends() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir(root.join("b")).expect("mkdir");
        for f in ["b/2.JPG", "a.png", "notes.txt", ".hidden.png", "b/1.heic"] {
            std::fs::write(root.join(f), b"x").expect("write");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("b/up")).expect("symlink");
        let single = root.join("notes.txt");
        let got = list_photos(&[root.to_path_buf(), single.clone()]).expect("listed");
        let want = [
            root.join("a.png"),
            root.join("b/1.heic"),
            root.join("b/2.JPG"),
            single,
        ];
        assert_eq!(got, want);
    }
}
