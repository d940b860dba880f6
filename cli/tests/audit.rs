//! `civiqr audit` on a crew's photos made here with known states: a batch
//! signed by the town, then photos of a clean sign (twice), a faded one, a
//! damaged one, a code not in the manifest, a code signed by an untrusted
//! key, a blank photo, a broken JPEG and a text file. Each photo's status
//! and the summary counts must be the known ones. With
//! `CIVIQR_AUDIT_REPORT_DIR` set, the report and the expected counts are
//! copied there for the Chromium check (wasm/e2e/audit-report.mjs).

mod common;

use std::path::{Path, PathBuf};

use civiqr::sign::{SigningKey, TrustList};
use common::{civiqr, s, stderr, write_png};
use serde_json::Value;

/// How a photo's symbol is drawn.
#[derive(Clone, Copy)]
struct Look {
    ink: u8,
    paper: u8,
    /// Rotation in degrees.
    turn: f64,
    module_px: f64,
    /// A square of modules drawn the other colour: (x, y, side).
    flip: Option<(usize, usize, usize)>,
}

const CLEAN: Look = Look {
    ink: 25,
    paper: 225,
    turn: 4.0,
    module_px: 7.0,
    flip: None,
};

/// A 900 x 800 grey "photo" of `text` encoded at EC level M, rotated, with
/// a little noise.
fn photo(path: &Path, text: &str, look: Look, seed: u64) {
    let opts = civiqr::EncodeOptions::default().ec_level(civiqr::EcLevel::M);
    let code = civiqr::encode_text(text, &opts).expect("encodes");
    let n = code.size();
    let (w, h) = (900usize, 800usize);
    let (sin, cos) = look.turn.to_radians().sin_cos();
    let mut rng = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            // Undo the rotation about the centre, then find the module.
            let (dx, dy) = (x as f64 - w as f64 / 2.0, y as f64 - h as f64 / 2.0);
            let (u, v) = (cos * dx + sin * dy, -sin * dx + cos * dy);
            let half = n as f64 * look.module_px / 2.0;
            let (mx, my) = ((u + half) / look.module_px, (v + half) / look.module_px);
            let dark = mx >= 0.0 && my >= 0.0 && (mx as usize) < n && (my as usize) < n && {
                let (mx, my) = (mx as usize, my as usize);
                let flipped = look.flip.is_some_and(|(fx, fy, k)| {
                    (fx..fx + k).contains(&mx) && (fy..fy + k).contains(&my)
                });
                code.get(mx, my) != flipped
            };
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((rng >> 59) as i16) - 16;
            let base = i16::from(if dark { look.ink } else { look.paper });
            px.push((base + noise / 2).clamp(0, 255) as u8);
        }
    }
    write_png(path, &px, w, h);
}

/// The fixture: batch, keys, photos. Returns (dir, photos folder, extra file).
fn fixture(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("civiqr-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let photos = dir.join("photos");
    std::fs::create_dir_all(&photos).expect("temp dir");
    let town = SigningKey::from_seed([11; 32], "Ville d'Exemple").expect("key");
    let key = dir.join("town.key");
    std::fs::write(&key, town.to_key_file()).expect("key file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let mut trust = TrustList::new();
    trust.insert(town.trust_entry()).expect("trust entry");
    std::fs::write(dir.join("trust.json"), trust.to_json()).expect("trust file");
    std::fs::write(
        dir.join("assets.csv"),
        "id,url,extra\nbench-1,https://example.org/b/1,x\nbench-2,https://example.org/b/2,y\n\
         bench-3,https://example.org/b/3,z\n",
    )
    .expect("assets");
    let o = civiqr(&[
        "batch",
        s(&dir.join("assets.csv")),
        "--out",
        s(&dir.join("out")),
        "--format",
        "png",
        "--sign-key",
        s(&key),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let signed = |content: &str| town.sign(content).expect("signs");
    photo(
        &photos.join("bench-1.png"),
        &signed("https://example.org/b/1"),
        CLEAN,
        1,
    );
    let again = Look {
        turn: -7.0,
        module_px: 6.0,
        ..CLEAN
    };
    photo(
        &photos.join("bench-1-again.png"),
        &signed("https://example.org/b/1"),
        again,
        2,
    );
    let faded = Look {
        ink: 130,
        paper: 235,
        ..CLEAN
    };
    photo(
        &photos.join("bench-2-faded.png"),
        &signed("https://example.org/b/2"),
        faded,
        3,
    );
    let damaged = Look {
        flip: Some((12, 13, 9)),
        ..CLEAN
    };
    photo(
        &photos.join("bench-3-damaged.png"),
        &signed("https://example.org/b/3"),
        damaged,
        4,
    );
    let sticker = "https://evil.example/pay?<script>alert(1)</script>";
    photo(&photos.join("sticker.png"), sticker, CLEAN, 5);
    let forger = SigningKey::from_seed([99; 32], "Forger").expect("key");
    let forged = forger.sign("https://example.org/b/1").expect("signs");
    photo(&photos.join("forged.png"), &forged, CLEAN, 6);
    write_png(&photos.join("blank.png"), &vec![200; 400 * 300], 400, 300);
    std::fs::write(
        photos.join("broken.jpg"),
        b"\xFF\xD8\xFF\xE0 not really a JPEG",
    )
    .expect("jpg");
    std::fs::write(photos.join("notes.txt"), "skipped: not an image name").expect("txt");
    let extra = dir.join("crew notes.txt");
    std::fs::write(&extra, "given by name: listed as unreadable").expect("txt");
    (dir, photos, extra)
}

fn status_of<'a>(rows: &'a [Value], file: &str) -> Vec<&'a str> {
    rows.iter()
        .filter(|r| r["file"].as_str().is_some_and(|f| f.ends_with(file)))
        .map(|r| r["status"].as_str().unwrap_or(""))
        .collect()
}

#[test]
fn audit_gives_each_photo_its_known_status_and_counts() {
    let (dir, photos, extra) = fixture("states");
    let (report, csv, json) = (
        dir.join("audit.html"),
        dir.join("audit.csv"),
        dir.join("audit.json"),
    );
    let o = civiqr(&[
        "audit",
        s(&photos),
        s(&extra),
        "--manifest",
        s(&dir.join("out/manifest.csv")),
        "--trust",
        s(&dir.join("trust.json")),
        "--report",
        s(&report),
        "--csv",
        s(&csv),
        "--json",
        s(&json),
        "--jobs",
        "2",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "findings give exit 1: {err}");
    let rows: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("rows");
    assert_eq!(
        status_of(&rows, "bench-2-faded.png"),
        ["watch"],
        "{rows:#?}"
    );
    assert_eq!(
        status_of(&rows, "bench-3-damaged.png"),
        ["replace"],
        "{rows:#?}"
    );
    assert_eq!(status_of(&rows, "sticker.png"), ["unknown"]);
    assert_eq!(status_of(&rows, "forged.png"), ["bad_signature"]);
    for f in ["blank.png", "broken.jpg", "crew notes.txt"] {
        assert_eq!(status_of(&rows, f), ["unreadable"], "{f}");
    }
    assert!(
        status_of(&rows, "notes.txt").len() == 1,
        "a folder's non-image file is skipped"
    );
    // Both photos of bench-1 grade A with no correction: the tie goes to the
    // first in file-name order ('-' sorts before '.'); the other is the duplicate.
    assert_eq!(status_of(&rows, "bench-1-again.png"), ["ok"]);
    assert_eq!(status_of(&rows, "bench-1.png"), ["duplicate"]);
    let damaged = rows
        .iter()
        .find(|r| r["status"] == "replace")
        .expect("a replace row");
    assert!(
        damaged["ec_used"].as_f64().is_some_and(|u| u >= 0.5),
        "{damaged}"
    );
    assert!(
        damaged["reason"]
            .as_str()
            .is_some_and(|r| r.contains("% of error correction used")),
        "{damaged}"
    );
    assert_eq!(
        rows.iter().find(|r| r["status"] == "ok").expect("ok")["signature"],
        "valid"
    );
    assert!(
        err.contains(
            "9 photos with 6 codes: 1 fine, 1 to watch, 1 to replace, 3 unreadable, \
         2 possible fraudulent (1 not in the manifest, 1 badly signed), 1 duplicate"
        ),
        "{err}"
    );
    let table = std::fs::read_to_string(&csv).expect("csv");
    assert!(table.starts_with("file,id,status,grade,reason,"), "{table}");
    assert_eq!(table.lines().count(), 10, "{table}");
    let html = std::fs::read_to_string(&report).expect("report");
    assert!(!html.contains("<script"), "payloads are escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("src=\"http"), "no external resource");
    let expected = r#"{"ok":1,"watch":1,"replace":1,"unreadable":3,"suspect":2,"duplicate":1,"unknown":1,"bad_signature":1}"#;
    if let Some(out) = std::env::var_os("CIVIQR_AUDIT_REPORT_DIR") {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out).expect("report dir");
        std::fs::copy(&report, out.join("audit.html")).expect("copy report");
        std::fs::write(out.join("expected.json"), expected).expect("expected counts");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_code_fine_exits_0_and_bad_inputs_exit_2() {
    let (dir, photos, _) = fixture("exit");
    let (report, csv) = (dir.join("r.html"), dir.join("r.csv"));
    let one = photos.join("bench-1.png");
    let audit = |manifest: &str, extra: &[&str]| {
        let m = dir.join(manifest);
        let mut args = vec![
            "audit",
            s(&one),
            "--manifest",
            s(&m),
            "--report",
            s(&report),
        ];
        args.extend(["--csv", s(&csv)]);
        args.extend(extra);
        civiqr(&args)
    };
    let o = audit("out/manifest.csv", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = std::fs::read_to_string(&csv).expect("csv");
    assert!(
        table.contains("signature not checked (no trust list)"),
        "{table}"
    );
    let o = audit("missing.csv", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.csv"), "{}", stderr(&o));
    std::fs::write(dir.join("not-manifest.csv"), "name,url\nx,y\n").expect("csv");
    let o = audit("not-manifest.csv", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no id column"), "{}", stderr(&o));
    let o = audit("out/manifest.csv", &["--watch-ec", "60%"]);
    assert_eq!(o.status.code(), Some(2), "watch above replace is refused");
    let o = audit(
        "out/manifest.csv",
        &["--ok-grade", "B", "--replace-grade", "A"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
