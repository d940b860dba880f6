//! Round trip through an independent reader: every version 1-40 at every EC
//! level, rendered to pixels and read back by the `rqrr` crate, gives the
//! exact bytes; and mixed-mode text comes back as the same text.

use civiqr::{encode_bytes, encode_text, EcLevel, EncodeOptions, QrCode, Version};
use civiqr_testkit::{Grid, Raster};

/// Reads a symbol drawn at `scale` pixels per module with a 4-module quiet zone.
fn read_with_rqrr(code: &QrCode, scale: usize) -> Vec<Vec<u8>> {
    let grid = Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y));
    let px = Raster::new(scale).draw(&grid);
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(px.width, px.height, |x, y| px.get(x, y));
    img.detect_grids()
        .iter()
        .filter_map(|g| {
            let mut out = Vec::new();
            g.decode_to(&mut out).ok().map(|_| out)
        })
        .collect()
}

/// Largest byte count that fits `v` at `ec` in one byte segment.
fn byte_capacity(v: Version, ec: EcLevel) -> usize {
    let probe = |n: usize| {
        encode_bytes(
            &vec![b'a'; n],
            &EncodeOptions::default().ec_level(ec).version(v),
        )
        .is_ok()
    };
    let (mut lo, mut hi) = (1, 3000);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if probe(mid) {
            lo = mid
        } else {
            hi = mid
        }
    }
    lo
}

#[test]
fn every_version_and_ec_level_reads_back_exactly() {
    let mut seed = 0xDEAD_BEEFu32;
    for n in 1..=40u8 {
        let v = Version::new(n).expect("version");
        for ec in EcLevel::ALL {
            // Fill the symbol: random bytes (no runs of digits to keep one byte segment).
            let len = byte_capacity(v, ec);
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    b'a' + (seed >> 24) as u8 % 26
                })
                .collect();
            let code = encode_bytes(&data, &EncodeOptions::default().ec_level(ec)).expect("fits");
            assert_eq!(
                code.version(),
                v,
                "{len} bytes at {ec} should need version {n}"
            );
            assert_eq!(code.ec_level(), ec);
            let read = read_with_rqrr(&code, 3);
            assert_eq!(read, vec![data], "version {n}-{ec} did not read back");
        }
    }
}

#[test]
fn mixed_mode_text_reads_back() {
    for text in [
        "https://example.org/mobilier/banc-0042",
        "HTTPS://EXAMPLE.ORG/PAY?ID=12345678901234567890",
        "tel:+33123456789",
        "Ticket 000123456789012345 zone B, Montréal",
        "0123456789012345678901234567890123456789abc",
    ] {
        for ec in EcLevel::ALL {
            let code = encode_text(text, &EncodeOptions::default().ec_level(ec)).expect("fits");
            assert_eq!(
                read_with_rqrr(&code, 4),
                vec![text.as_bytes().to_vec()],
                "{text:?} at {ec}"
            );
        }
    }
}

#[test]
fn boost_ec_raises_the_level_without_growing_the_symbol() {
    let text = "https://example.org/s/42";
    let plain = encode_text(text, &EncodeOptions::default().ec_level(EcLevel::L)).expect("fits");
    let boosted = encode_text(
        text,
        &EncodeOptions::default().ec_level(EcLevel::L).boost_ec(true),
    )
    .expect("fits");
    assert_eq!(plain.version(), boosted.version());
    assert!(boosted.ec_level() > EcLevel::L, "{:?}", boosted.ec_level());
    assert_eq!(read_with_rqrr(&boosted, 4), vec![text.as_bytes().to_vec()]);
}
