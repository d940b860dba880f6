//! Bounded work on hostile input: size limits checked before pixels are
//! decompressed, images built to be full of finder-like patterns, and the
//! reader and encoder shared between threads.

#![cfg(feature = "image")]

use civiqr::{
    decode, decode_image_bytes, encode_text, DecodeError, DecodeOptions, Decoded, EncodeOptions,
    ImageRef, QrCode,
};
use civiqr_testkit::{finder_field, Grid, Raster};

/// A PNG whose header claims `w` x `h` grey pixels, with one compressed
/// row of data: a few hundred bytes that would inflate to gigabytes.
fn claimed_png(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    0xEDB8_8320 ^ (crc >> 1)
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    let mut row = vec![255u8; w as usize + 1];
    row[0] = 0; // filter type
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&row, 9),
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn a_tiny_file_claiming_a_huge_image_is_refused_from_its_header() {
    let bomb = claimed_png(60_000, 60_000);
    assert!(bomb.len() < 4096, "{} bytes", bomb.len());
    match decode_image_bytes(&bomb, &DecodeOptions::default()) {
        Err(DecodeError::ImageTooLarge {
            width: 60_000,
            height: 60_000,
            max_pixels: 64_000_000,
        }) => {}
        other => panic!("{other:?}"),
    }
    // The limit is the caller's: a 2000 x 2000 claim against 1,000,000.
    let opts = DecodeOptions::default().max_pixels(1_000_000);
    let e = decode_image_bytes(&claimed_png(2000, 2000), &opts).expect_err("over the limit");
    assert_eq!(
        e.to_string(),
        "image too large: 2000 x 2000 pixels, limit 1,000,000 pixels"
    );
}

#[test]
fn file_size_limit_is_configurable() {
    let code = encode_text("https://example.org/banc-7", &EncodeOptions::default()).expect("fits");
    let png = civiqr::render::png(&code, &civiqr::render::RenderOptions::default()).expect("png");
    let opts = DecodeOptions::default().max_file_bytes(png.len() as u64 - 1);
    match decode_image_bytes(&png, &opts) {
        Err(DecodeError::FileTooLarge { len, max }) => {
            assert_eq!((len, max), (png.len() as u64, png.len() as u64 - 1));
        }
        other => panic!("{other:?}"),
    }
    let read = decode_image_bytes(&png, &opts.max_file_bytes(png.len() as u64)).expect("fits");
    assert_eq!(read[0].text(), Some("https://example.org/banc-7"));
}

#[test]
fn an_image_full_of_finder_patterns_is_searched_in_bounded_work() {
    // About 1,700 finder patterns in one megapixel. The candidate caps
    // (finders per scan, triples per scan and per image) bound the work;
    // scripts and the criterion bench `decode/adversarial` measure it.
    let (w, h) = (1000, 1000);
    let img = finder_field(w, h, 3);
    for opts in [
        DecodeOptions::default(),
        DecodeOptions::default().try_inverted(false),
    ] {
        let found = decode(ImageRef::luma(&img, w, h), &opts).expect("valid image");
        assert!(
            found.is_empty(),
            "{} symbols in a field of finders",
            found.len()
        );
    }
}

#[test]
fn reader_and_encoder_are_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<QrCode>();
    send_sync::<Decoded>();
    send_sync::<DecodeOptions>();
    send_sync::<EncodeOptions>();
    send_sync::<ImageRef<'static>>();
    send_sync::<DecodeError>();

    // Eight threads encode, render and decode their own codes at once, 25
    // each; every result must be that thread's own text.
    let opts = DecodeOptions::default();
    std::thread::scope(|s| {
        for t in 0..8 {
            let opts = &opts;
            s.spawn(move || {
                for i in 0..25 {
                    let text = format!("https://example.org/t{t}/asset-{i:04}");
                    let code = encode_text(&text, &EncodeOptions::default()).expect("fits");
                    let (px, side) = grey(&code, 3);
                    let found = decode(ImageRef::luma(&px, side, side), opts).expect("valid");
                    assert_eq!(found.len(), 1, "{text}");
                    assert_eq!(found[0].text(), Some(text.as_str()));
                }
            });
        }
    });
}

/// The symbol as grey pixels, `scale` per module, 4-module quiet zone.
fn grey(code: &QrCode, scale: usize) -> (Vec<u8>, usize) {
    let grid = Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y));
    let img = Raster::new(scale).draw(&grid);
    (img.data, img.width)
}
