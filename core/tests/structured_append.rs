//! Structured append end to end (ISO/IEC 18004 clause 8): messages split by
//! the encoder are read back and merged, and the qrcode-7 sample (one message
//! over four images) merges at every rotation.

use civiqr::{
    decode, encode_bytes_split, encode_text_split, merge_structured_append, DecodeError,
    DecodeOptions, Decoded, EncodeOptions, ImageRef, Split, Version,
};
#[cfg(feature = "image")]
use civiqr_testkit::skip_without_samples;
use civiqr_testkit::{Distortion, Grid};

fn read(code: &civiqr::QrCode, rotate_deg: f64) -> Vec<Decoded> {
    let d = Distortion {
        rotate_deg,
        ..Distortion::default()
    };
    let img = d.render(
        &Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y)),
        7,
    );
    decode(
        ImageRef::luma(&img.data, img.width, img.height),
        &DecodeOptions::default(),
    )
    .expect("valid image")
}

const VCARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lefèvre;Anaïs\r\nORG:Office de tourisme\r\n\
TEL:+33 1 23 45 67 89\r\nEMAIL:accueil@example.org\r\nADR:;;2 place du Marché;Lyon;;69002;France\r\n\
NOTE:Ouvert tous les jours de 9 h à 18 h, sauf le 1er mai. Visites guidées de la vieille ville \
au départ de l'office, réservation conseillée.\r\nEND:VCARD\r\n";

#[test]
fn split_message_reads_back_in_any_order() {
    for n in [2u8, 3, 5, 16] {
        let codes = encode_text_split(
            VCARD,
            Split::parts(n).expect("n"),
            &EncodeOptions::default(),
        )
        .expect("fits");
        assert_eq!(codes.len(), n as usize);
        // Read in reverse order, turned: merging sorts by index.
        let mut found = Vec::new();
        for (i, c) in codes.iter().enumerate().rev() {
            let got = read(c, 17.0 * i as f64);
            assert_eq!(got.len(), 1, "part {i} of {n} read");
            found.extend(got);
        }
        let merged = merge_structured_append(&found).expect("merges");
        assert_eq!(merged.text(), Some(VCARD), "{n} parts");
        assert_eq!(merged.bytes(), VCARD.as_bytes());
        assert_eq!(merged.count(), n);
        assert_eq!(merged.parity(), VCARD.bytes().fold(0, |a, b| a ^ b));
    }
}

#[test]
fn automatic_split_respects_the_largest_version() {
    let data: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 251) as u8).collect();
    let opts = EncodeOptions::default().max_version(Version::new(20).expect("v"));
    let codes = encode_bytes_split(&data, Split::AUTO, &opts).expect("fits");
    assert!(codes.len() > 1 && codes.len() <= 16);
    assert!(codes.iter().all(|c| c.version().number() <= 20));
    let found: Vec<Decoded> = codes.iter().flat_map(|c| read(c, 0.0)).collect();
    assert_eq!(
        merge_structured_append(&found).expect("merges").bytes(),
        &data[..]
    );
}

#[test]
fn merge_names_missing_and_foreign_parts() {
    let opts = EncodeOptions::default();
    let a = encode_text_split(VCARD, Split::parts(4).expect("4"), &opts).expect("fits");
    let mut found: Vec<Decoded> = a.iter().flat_map(|c| read(c, 0.0)).collect();
    let all = found.clone();
    found.remove(2);
    found.remove(0);
    let e = merge_structured_append(&found).expect_err("incomplete");
    assert_eq!(
        e,
        DecodeError::MissingParts {
            count: 4,
            missing: vec![0, 2]
        }
    );
    assert_eq!(
        e.to_string(),
        "incomplete message: parts 1, 3 of 4 not found"
    );
    // A part of another message.
    let other = encode_text_split(
        "another message, other parity!",
        Split::parts(4).expect("4"),
        &opts,
    )
    .expect("fits");
    let mut mixed = all.clone();
    mixed.extend(read(&other[1], 0.0));
    assert!(matches!(
        merge_structured_append(&mixed),
        Err(DecodeError::MixedMessages { .. })
    ));
    // The same part read twice counts once; plain symbols are ignored.
    let mut twice = all.clone();
    twice.extend(read(&a[3], 30.0));
    let plain = civiqr::encode_text("plain", &opts).expect("fits");
    twice.extend(read(&plain, 0.0));
    assert_eq!(
        merge_structured_append(&twice).expect("merges").text(),
        Some(VCARD)
    );
    assert_eq!(
        merge_structured_append(&read(&plain, 0.0)),
        Err(DecodeError::NotStructuredAppend)
    );
}

#[cfg(feature = "image")]
#[test]
fn sample_message_over_four_images_merges_at_every_rotation() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/samples/qrcode-7");
    let Ok(expected) = std::fs::read(dir.join("01.txt")) else {
        skip_without_samples(
            "sample_message_over_four_images_merges_at_every_rotation",
            &dir,
        );
        return;
    };
    let expected = String::from_utf8(expected).expect("utf-8 sample");
    for turns in 0..4 {
        let mut found = Vec::new();
        for part in 1..=4 {
            let img = image::open(dir.join(format!("01-0{part}.png"))).expect("opens");
            let mut luma = img.into_luma8();
            for _ in 0..turns {
                luma = image::imageops::rotate90(&luma);
            }
            let (w, h) = (luma.width() as usize, luma.height() as usize);
            found.extend(
                decode(
                    ImageRef::luma(luma.as_raw(), w, h),
                    &DecodeOptions::default(),
                )
                .expect("valid image"),
            );
        }
        let merged = merge_structured_append(&found).expect("all four parts");
        assert_eq!(merged.count(), 4);
        assert_eq!(
            merged.text(),
            Some(expected.as_str()),
            "at {} degrees",
            turns * 90
        );
    }
}
