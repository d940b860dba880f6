//! Round trips through images for every Micro QR version x EC level and
//! every rMQR version x EC level: encode, draw with the test generator's
//! distortions (rotation, tilt, blur, noise, uneven light, inversion), read
//! with `decode`, compare.

use civiqr::{
    decode, encode_text, DecodeOptions, EcLevel, EncodeOptions, ImageRef, MicroVersion, QrCode,
    RmqrVersion, Symbology,
};
use civiqr_testkit::{Distortion, Grid};

/// The distortions cycled through, one per symbol.
fn distortions() -> Vec<Distortion> {
    let d = Distortion::default();
    vec![
        Distortion {
            rotate_deg: 0.0,
            ..d
        },
        Distortion {
            rotate_deg: 23.0,
            ..d
        },
        Distortion {
            rotate_deg: 97.0,
            tilt: 0.15,
            ..d
        },
        Distortion {
            rotate_deg: 181.0,
            blur: 1,
            module_px: 5.0,
            ..d
        },
        Distortion {
            rotate_deg: 275.0,
            noise: 30,
            ..d
        },
        Distortion {
            rotate_deg: -40.0,
            gradient: 60,
            ..d
        },
        Distortion {
            rotate_deg: 12.0,
            invert: true,
            ..d
        },
        Distortion {
            rotate_deg: 143.0,
            module_px: 3.0,
            ..d
        },
    ]
}

fn read(code: &QrCode, d: &Distortion, seed: u64) -> Vec<(Symbology, Option<String>)> {
    let img = d.render(
        &Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y)),
        seed,
    );
    if let Ok(dir) = std::env::var("CIVIQR_DUMP") {
        // Debugging aid: the image as a PGM file.
        let name = format!(
            "{dir}/{}-{}-{seed}.pgm",
            code.symbol_version(),
            code.ec_level()
        );
        let _ = std::fs::write(name, img.to_pgm());
    }
    decode(
        ImageRef::luma(&img.data, img.width, img.height),
        &DecodeOptions::default(),
    )
    .expect("valid image")
    .iter()
    .map(|c| (c.symbology(), c.text().map(str::to_string)))
    .collect()
}

/// Text for a symbol: digits, letters and lower case, about `n` long.
fn text(n: usize, seed: usize) -> String {
    let pool = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz-./:";
    pool.chars().cycle().skip(seed * 7).take(n).collect()
}

/// The longest prefix of `text(.., seed)` the options hold, at most 60 chars.
fn fill(opts: &EncodeOptions, seed: usize, digits_only: bool) -> String {
    let mut best = String::new();
    for n in 1..=60 {
        let t = if digits_only {
            "31415926535897932384626433832795028841971693993751058209749445923"[..n].to_string()
        } else {
            text(n, seed)
        };
        if encode_text(&t, opts).is_err() {
            break;
        }
        best = t;
    }
    best
}

#[test]
fn every_micro_qr_size_and_level_reads_back_distorted() {
    let ds = distortions();
    let mut k = 0;
    let mut failures = Vec::new();
    for n in 1..=4 {
        let v = MicroVersion::new(n).expect("v");
        for ec in [EcLevel::L, EcLevel::M, EcLevel::Q] {
            let opts = EncodeOptions::default()
                .symbology(Symbology::MicroQr)
                .micro_version(v)
                .ec_level(ec);
            if encode_text("1", &opts).is_err() {
                continue; // M1 has only L; Q only in M4
            }
            let t = fill(&opts, k, n == 1);
            let code = encode_text(&t, &opts).expect("fits");
            for (j, d) in ds.iter().enumerate() {
                let got = read(&code, d, (k * 31 + j) as u64);
                if got != vec![(Symbology::MicroQr, Some(t.clone()))] {
                    failures.push(format!("M{n}-{ec} {d:?}: {got:?}"));
                }
            }
            k += 1;
        }
    }
    assert_eq!(k, 8, "8 Micro QR version-level pairs");
    assert!(
        failures.is_empty(),
        "{} of {} failed: {failures:#?}",
        failures.len(),
        k * ds.len()
    );
}

#[test]
fn every_rmqr_size_and_level_reads_back_distorted() {
    let ds = distortions();
    let mut failures = Vec::new();
    let mut total = 0;
    for (k, v) in RmqrVersion::all().enumerate() {
        for (e, ec) in [EcLevel::M, EcLevel::H].into_iter().enumerate() {
            let opts = EncodeOptions::default()
                .symbology(Symbology::Rmqr)
                .rmqr_version(v)
                .ec_level(ec);
            let t = fill(&opts, k, false);
            let code = encode_text(&t, &opts).expect("fits");
            // Two distortions per symbol, cycling through the list.
            for j in 0..2 {
                let d = &ds[(2 * k + e + 3 * j) % ds.len()];
                total += 1;
                let got = read(&code, d, (k * 7 + j) as u64);
                if got != vec![(Symbology::Rmqr, Some(t.clone()))] {
                    failures.push(format!("{v}-{ec} {d:?}: {got:?}"));
                }
            }
        }
    }
    eprintln!("rMQR: {} of {total} read back", total - failures.len());
    // Ratchet: the misses are long symbols under strong tilt (the transform
    // from the finder, its corners and the sub-finder does not follow the
    // perspective along 77 to 139 modules).
    assert!(
        failures.len() <= RMQR_MISSES,
        "{} of {total} failed: {failures:#?}",
        failures.len()
    );
}

const RMQR_MISSES: usize = 3;

/// Every renderer draws rMQR's rectangle and Micro QR's 2-module quiet zone:
/// sizes follow width and height, and the PNG reads back.
#[test]
fn renderers_draw_rectangles_and_small_quiet_zones() {
    use civiqr::render::{self, Format, RenderOptions};
    let rmqr = encode_text(
        "https://example.org/lamp/17",
        &EncodeOptions::default()
            .symbology(Symbology::Rmqr)
            .max_height(9),
    )
    .expect("fits");
    let (w, h) = (rmqr.width(), rmqr.height());
    assert!(w > 3 * h, "{w} x {h}");
    let opts = RenderOptions::default().scale(3);
    let svg =
        String::from_utf8(render::render(&rmqr, Format::Svg, &opts).expect("svg")).expect("utf-8");
    assert!(
        svg.contains(&format!("viewBox=\"-2 -2 {} {}\"", w + 4, h + 4)),
        "{}",
        &svg[..200.min(svg.len())]
    );
    let text = render::text(&rmqr, &RenderOptions::default());
    assert_eq!(text.lines().count(), h + 4);
    assert!(text.lines().all(|l| l.chars().count() == w + 4));
    for format in [Format::Pdf, Format::Eps] {
        assert!(!render::render(&rmqr, format, &opts)
            .expect("renders")
            .is_empty());
    }
    #[cfg(feature = "image")]
    {
        let png = render::png(&rmqr, &opts).expect("png");
        let found = civiqr::decode_image_bytes(&png, &DecodeOptions::default()).expect("opens");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text(), Some("https://example.org/lamp/17"));
        assert_eq!(found[0].symbol_version(), rmqr.symbol_version());
    }
    let micro = encode_text(
        "42",
        &EncodeOptions::default().symbology(Symbology::MicroQr),
    )
    .expect("fits");
    let text = render::text(&micro, &RenderOptions::default());
    assert_eq!(text.lines().count(), micro.height() + 4);
    let text = render::text(&micro, &RenderOptions::default().quiet_zone(4));
    assert_eq!(text.lines().count(), micro.height() + 8);
}
