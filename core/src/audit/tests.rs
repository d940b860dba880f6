use super::*;
use crate::sign::SigningKey;

fn today() -> Date {
    Date::new(2026, 12, 3).expect("a date")
}

/// A PNG of `text` at 5 px per module, `flip` modules drawn the other colour.
fn png_of(text: &str, flip: &[(usize, usize)]) -> Vec<u8> {
    let code = crate::encode_text(text, &crate::EncodeOptions::default()).expect("encodes");
    let (scale, quiet, n) = (5, 4, code.size());
    let side = (n + 2 * quiet) * scale;
    let px: Vec<u8> = (0..side * side)
        .map(|i| {
            let (x, y) = ((i % side) / scale, (i / side) / scale);
            let inside = (quiet..quiet + n).contains(&x) && (quiet..quiet + n).contains(&y);
            let m = (x.wrapping_sub(quiet), y.wrapping_sub(quiet));
            if inside && code.get(m.0, m.1) != flip.contains(&m) {
                0
            } else {
                255
            }
        })
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
    enc.set_color(png::ColorType::Grayscale);
    let mut w = enc.write_header().expect("header");
    w.write_image_data(&px).expect("data");
    w.finish().expect("finish");
    out
}

#[test]
fn manifest_csv_reads_batch_columns_and_ignores_others() {
    let csv = "id,kind,payload,version,ec,mask,files,sha256,verified,key_id,grade\r\n\
               a1,url,https://example.org/1,2,M,3,a1.png,00,true,,A\r\n\
               \"'=x\",text,\"'=HYPERLINK(1)\",1,M,0,x.png,00,true,KEY,B\r\n\
               \"two\r\nlines\",url,https://example.org/3,2,M,3,t.png,00,true,,A\r\n\
               a4,url,https://example.org/4,2,M,3,a4.png,00,true,,A\r\n";
    let m = Manifest::from_csv(csv).expect("reads");
    assert_eq!(m.len(), 4);
    // Lines as in the file: the header is line 1, a quoted line break counts.
    let lines: Vec<u64> = m.assets().iter().map(|a| a.line).collect();
    assert_eq!(lines, [2, 3, 4, 6]);
    assert_eq!(
        m.find("https://example.org/1").map(|a| a.id.as_str()),
        Some("a1")
    );
    // The formula guard is undone; the guarded spelling is found too.
    let guarded = m.find("=HYPERLINK(1)").expect("unguarded payload");
    assert_eq!((guarded.id.as_str(), guarded.line), ("=x", 3));
    assert_eq!(guarded.key_id.as_deref(), Some("KEY"));
    assert!(m.find("'=HYPERLINK(1)").is_some());
    assert!(m.find("https://example.org/2").is_none());
}

#[test]
fn manifest_errors_name_the_column_or_line() {
    let e = Manifest::from_csv("name,url\r\nx,y\r\n").expect_err("no id column");
    assert!(e.to_string().contains("no id column"), "{e}");
    let e = Manifest::from_csv("id,payload\r\n,https://x\r\n").expect_err("blank id");
    assert_eq!(e.to_string(), "line 2: id: missing");
    let e = Manifest::from_json("[{\"id\": 1}]").expect_err("bad json");
    assert!(e.to_string().starts_with("line 1:"), "{e}");
    let m = Manifest::from_json("[{\"id\":\"a\",\"payload\":\"p\",\"key_id\":null,\"x\":1}]")
        .expect("json manifest");
    assert_eq!(m.find("p").map(|a| a.line), Some(1));
}

#[test]
fn thresholds_are_checked() {
    assert!(Thresholds::new(3, 0, 0.25, 0.5).is_ok());
    assert!(
        Thresholds::new(2, 2, 0.25, 0.5).is_err(),
        "replace must be below ok"
    );
    assert!(Thresholds::new(5, 0, 0.25, 0.5).is_err());
    assert!(
        Thresholds::new(3, 0, 0.6, 0.5).is_err(),
        "watch above replace"
    );
    assert!(Thresholds::new(3, 0, 0.2, 1.5).is_err());
}

#[test]
fn photos_get_statuses_and_duplicates_keep_the_best() {
    let key = SigningKey::from_seed([3; 32], "Town").expect("key");
    let genuine = key.sign("https://example.org/b/1").expect("signs");
    let manifest = Manifest::from_assets(vec![ManifestAsset {
        id: "b1".into(),
        payload: genuine.clone(),
        key_id: Some(key.key_id().into()),
        line: 2,
    }]);
    let mut trust = TrustList::new();
    trust.insert(key.trust_entry()).expect("trust");
    let opts = AuditOptions::new(today());
    let audit =
        |name: &str, bytes: &[u8]| audit_photo_bytes(name, bytes, &manifest, Some(&trust), &opts);
    // Four modules flipped in the data region cost error correction.
    let worn: Vec<(usize, usize)> = (0..4).map(|i| (20 + 2 * i, 30)).collect();
    let mut photos = vec![
        audit("b.png", &png_of(&genuine, &worn)),
        audit("a.png", &png_of(&genuine, &[])),
        audit("c.png", &png_of("https://evil.example/", &[])),
        audit("d.txt", b"not an image"),
    ];
    assert_eq!(photos[1].codes[0].row.status, Status::Ok);
    assert_eq!(photos[1].codes[0].row.signature.as_deref(), Some("valid"));
    assert!(photos[0].codes[0].row.ec_used.is_some_and(|u| u > 0.0));
    assert_eq!(photos[2].codes[0].row.status, Status::Unknown);
    assert_eq!(photos[3].worst(), Status::Unreadable);
    assert!(photos[1]
        .thumbnail
        .as_deref()
        .is_some_and(|t| t.starts_with("data:image/jpeg")));
    assert!(photos[1].codes[0].picture.is_some());
    mark_duplicates(&mut photos);
    // a.png (nothing corrected) is kept over b.png, whatever the order given.
    assert_eq!(photos[1].codes[0].row.status, Status::Ok);
    let dup = &photos[0].codes[0].row;
    assert_eq!(dup.status, Status::Duplicate);
    assert!(dup.reason.contains("also seen in a.png"), "{}", dup.reason);
    let s = Summary::of(&photos);
    assert_eq!((s.ok, s.duplicate, s.unknown, s.unreadable), (1, 1, 1, 1));
    assert!(s.needs_attention());
    // Rows are plain serde data: a JSON round trip gives them back.
    let json = serde_json::to_string(&photos).expect("serialises");
    let back: Vec<PhotoAudit> = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, photos);
}

#[test]
fn report_escapes_names_and_pins_its_style_by_hash() {
    let photo = PhotoAudit {
        file: "<img src=x onerror=alert(1)>.jpg".into(),
        error: Some("\"quoted\" & <b>".into()),
        thumbnail: None,
        codes: Vec::new(),
    };
    let html = report_html(&[photo], "Audit <2026>");
    assert!(!html.contains("<img src=x"), "file names are escaped");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.jpg"));
    assert!(html.contains("<title>Audit &lt;2026&gt;</title>"));
    assert!(!html.contains("<script"));
    let hash = base64(&<sha2::Sha256 as sha2::Digest>::digest(report_style()));
    assert!(html.contains(&format!("style-src 'sha256-{hash}'")));
    assert!(html.contains("data-count=\"unreadable\">1<"));
}

use crate::grade::base64;

fn report_style() -> &'static [u8] {
    report::STYLE.as_bytes()
}
