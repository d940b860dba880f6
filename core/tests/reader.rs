//! The reader end to end: symbols from our encoder drawn with rotation,
//! perspective, blur, noise, uneven light and inversion read back exactly;
//! bad buffers are typed errors.

use civiqr::{
    decode, encode_text, DecodeError, DecodeOptions, EcLevel, EncodeOptions, ImageRef, QrCode,
};
use civiqr_testkit::{Distortion, Gray, Grid, Quad, Rng};

/// `code` drawn with the distortions `d`, noise picked by `seed`.
fn render(code: &QrCode, d: &Distortion, seed: u64) -> Gray {
    d.render(
        &Grid::from_fn(code.width(), code.height(), |x, y| code.get(x, y)),
        seed,
    )
}

/// The symbols decoded from a rendered image.
fn symbols(img: &Gray, opts: &DecodeOptions) -> Vec<civiqr::Decoded> {
    decode(ImageRef::luma(&img.data, img.width, img.height), opts).expect("valid image")
}

fn read(img: &Gray, opts: &DecodeOptions) -> Vec<Vec<u8>> {
    decode(ImageRef::luma(&img.data, img.width, img.height), opts)
        .expect("valid image")
        .iter()
        .map(|d| d.bytes().to_vec())
        .collect()
}

#[test]
fn upright_symbols_of_many_versions_read_back() {
    for (i, len) in [5usize, 30, 80, 200, 500, 1000].into_iter().enumerate() {
        let text: String = (0..len)
            .map(|k| char::from(b'a' + ((k * 7 + i) % 26) as u8))
            .collect();
        let code = encode_text(&text, &EncodeOptions::default()).expect("fits");
        let img = render(
            &code,
            &Distortion {
                module_px: 3.0,
                ..Default::default()
            },
            1,
        );
        assert_eq!(
            read(&img, &DecodeOptions::default()),
            vec![text.into_bytes()],
            "{len} chars, version {}",
            code.version()
        );
    }
}

#[test]
fn rotated_tilted_blurred_noisy_symbols_read_back() {
    let text = "https://example.org/mobilier/banc-0042";
    let code = encode_text(text, &EncodeOptions::default().ec_level(EcLevel::M)).expect("fits");
    let mut failures = Vec::new();
    let mut total = 0;
    for rotate_deg in [0.0, 10.0, 33.0, 45.0, 90.0, 135.0, 200.0, 280.0] {
        for tilt in [0.0, 0.3] {
            for (blur, noise) in [(0, 0), (1, 20)] {
                for module_px in [2.5, 5.0] {
                    let d = Distortion {
                        module_px,
                        rotate_deg,
                        tilt,
                        blur,
                        noise,
                        gradient: 60,
                        ..Default::default()
                    };
                    total += 1;
                    let img = render(&code, &d, total as u64);
                    if read(&img, &DecodeOptions::default()) != vec![text.as_bytes().to_vec()] {
                        if std::env::var_os("CIVIQR_DUMP").is_some() {
                            let path = format!("/tmp/fail-{total}.pgm");
                            let _ = std::fs::write(&path, img.to_pgm());
                            eprintln!("{path}: {d:?}");
                        }
                        failures.push(d);
                    }
                }
            }
        }
    }
    let read = total - failures.len();
    eprintln!("read {read}/{total} distorted images");
    // Ratchet: what the reader reached (the misses are at 2.5 px per module
    // with a blur wider than a module, where zxing-cpp reads almost none).
    // Raise it as the reader improves.
    // (59 once: the 45-degree case at 2.5 px with blur, noise and tilt,
    // which zxing-cpp does not read either, was lost to the diagonal module
    // estimate that gained 45-degree symbols elsewhere; see
    // scripts/make-distortions.py for the wider corpus.)
    assert!(read >= 58, "read only {read}/{total}: {failures:#?}");
}

#[test]
fn a_symbol_seen_steeply_from_its_far_corner_reads_back() {
    // Version 4 with its bottom-right corner near the camera: the alignment
    // pattern's modules there are over twice the finders' mean.
    let text = "geo:50.7500,2.2520?q=5x2pa2m25i-4wlo48e73si5rt";
    let options = EncodeOptions::default()
        .ec_level(EcLevel::M)
        .version(civiqr::Version::new(4).expect("v4"));
    let code = encode_text(text, &options).expect("fits");
    let quad = [(123.0, 128.0), (270.0, 93.0), (438.0, 548.0), (99.0, 277.0)];
    let img = Quad::new(quad).draw(code.width(), |x, y| code.get(x, y), 600);
    assert_eq!(
        read(&img, &DecodeOptions::default()),
        vec![text.as_bytes().to_vec()]
    );
}

#[test]
fn an_inverted_symbol_whose_data_looks_like_three_finders_reads_back() {
    // Three 7 x 7 stamps in the data of a light-on-dark symbol that the
    // dark-on-light scan sees as well-confirmed finders (error correction
    // level H repairs them): they must not stop the light-on-dark scan.
    let text = format!("INVERTED-5-{}", "x".repeat(25));
    let options = EncodeOptions::default()
        .ec_level(EcLevel::H)
        .version(civiqr::Version::new(5).expect("v5"));
    let code = encode_text(&text, &options).expect("fits");
    let n = code.width();
    let c = n / 2 - 4;
    let centres = [(c - 6, c - 6), (c + 6, c - 6), (c - 6, c + 6)];
    let grid = Grid::from_fn(n, n, |x, y| {
        let ring = centres
            .iter()
            .map(|&(cx, cy)| x.abs_diff(cx).max(y.abs_diff(cy)))
            .min()
            .unwrap_or(usize::MAX);
        // Drawn inverted, so a finder's dark rings are light modules here.
        match ring {
            0 | 1 | 3 => false,
            2 => true,
            _ => code.get(x, y),
        }
    });
    let d = Distortion {
        module_px: 5.0,
        invert: true,
        blur: 1,
        ..Default::default()
    };
    let img = d.render(&grid, 3);
    assert_eq!(
        read(&img, &DecodeOptions::default()),
        vec![text.into_bytes()]
    );
}

#[test]
fn inverted_symbol_reads_back_and_says_so() {
    let text = "INVERTED 123";
    let code = encode_text(text, &EncodeOptions::default()).expect("fits");
    let img = render(
        &code,
        &Distortion {
            invert: true,
            rotate_deg: 20.0,
            ..Default::default()
        },
        3,
    );
    let found = symbols(&img, &DecodeOptions::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text(), Some(text));
    assert!(found[0].inverted());
    let none = symbols(&img, &DecodeOptions::default().try_inverted(false));
    assert!(none.is_empty());
}

#[test]
fn result_reports_metadata_and_corners() {
    let code = encode_text(
        "corner test",
        &EncodeOptions::default().ec_level(EcLevel::Q),
    )
    .expect("fits");
    let img = render(
        &code,
        &Distortion {
            module_px: 4.0,
            ..Default::default()
        },
        5,
    );
    let found = symbols(&img, &DecodeOptions::default());
    assert_eq!(found.len(), 1);
    let d = &found[0];
    assert_eq!(d.version(), code.version());
    assert_eq!(d.ec_level(), EcLevel::Q);
    assert_eq!(d.mask(), code.mask());
    assert!(!d.mirrored() && !d.inverted());
    // Upright: TL is up-left of BR, and the side is 21 modules of 4 px.
    let c = d.corners();
    let side = c[1].x - c[0].x;
    assert!((side - 84.0).abs() < 3.0, "{c:?}");
    assert!(
        c[0].x < c[2].x && c[0].y < c[2].y && (c[1].y - c[0].y).abs() < 2.0,
        "{c:?}"
    );
}

#[test]
fn a_mirrored_symbol_names_its_corners_as_it_is_oriented() {
    // The same symbol drawn upright and mirrored left to right: the
    // mirrored one's top-left finder is at the image's top right, and its
    // corners go round the other way (TL, TR, BR, BL as the symbol reads).
    let code = encode_text("mirror corners", &EncodeOptions::default()).expect("fits");
    let img = render(
        &code,
        &Distortion {
            module_px: 4.0,
            ..Default::default()
        },
        5,
    );
    let mut flipped = img.clone();
    for (row, src) in flipped
        .data
        .chunks_exact_mut(img.width)
        .zip(img.data.chunks_exact(img.width))
    {
        row.copy_from_slice(src);
        row.reverse();
    }
    let upright = symbols(&img, &DecodeOptions::default());
    let mirrored = symbols(&flipped, &DecodeOptions::default());
    assert_eq!((upright.len(), mirrored.len()), (1, 1));
    assert!(!upright[0].mirrored() && mirrored[0].mirrored());
    let w = img.width as f32;
    for (u, m) in upright[0].corners().iter().zip(mirrored[0].corners()) {
        let off = (m.x - (w - u.x)).hypot(m.y - u.y);
        assert!(
            off < 1.5,
            "{:?} vs {:?}",
            upright[0].corners(),
            mirrored[0].corners()
        );
    }
}

#[test]
fn blank_and_noise_images_give_no_result() {
    let blank = vec![200u8; 300 * 200];
    assert!(
        decode(ImageRef::luma(&blank, 300, 200), &DecodeOptions::default())
            .expect("valid")
            .is_empty()
    );
    let mut rng = Rng::new(99);
    let noise: Vec<u8> = (0..300 * 300).map(|_| rng.byte()).collect();
    let found = decode(
        ImageRef::luma(&noise, 300, 300),
        &DecodeOptions::default().try_harder(true),
    )
    .expect("valid");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn bad_buffers_are_typed_errors() {
    let data = [0u8; 100];
    assert!(matches!(
        decode(ImageRef::luma(&data, 20, 20), &DecodeOptions::default()),
        Err(DecodeError::BufferTooSmall {
            len: 100,
            needed: 400
        })
    ));
    assert!(matches!(
        decode(ImageRef::rgba(&data, 0, 5), &DecodeOptions::default()),
        Err(DecodeError::EmptyImage { .. })
    ));
    assert!(matches!(
        decode(
            ImageRef::luma(&data, 10, 10),
            &DecodeOptions::default().max_pixels(50)
        ),
        Err(DecodeError::ImageTooLarge { .. })
    ));
}

#[test]
fn arbitrary_images_never_panic() {
    // Random sizes (including 1-pixel and very thin images), random pixels,
    // and random blocks of dark squares that look like finder patterns.
    let mut rng = Rng::new(0x5DEE_CE66);
    let mut next = move || rng.next_u64();
    for round in 0..200 {
        let w = 1 + (next() % 300) as usize;
        let h = 1 + (next() % 300) as usize;
        let mut data: Vec<u8> = (0..w * h).map(|_| next() as u8).collect();
        if round % 2 == 0 {
            // Dark squares with light rings, 1:1:3:1:1 at random scales and places.
            for _ in 0..20 {
                let m = 1 + (next() % 4) as usize;
                let (x0, y0) = ((next() as usize) % w, (next() as usize) % h);
                for dy in 0..7 * m {
                    for dx in 0..7 * m {
                        let (x, y) = (x0 + dx, y0 + dy);
                        if x < w && y < h {
                            let ring = ((dx / m) as i32 - 3).abs().max(((dy / m) as i32 - 3).abs());
                            data[y * w + x] = if ring == 2 { 255 } else { 0 };
                        }
                    }
                }
            }
        }
        let opts = DecodeOptions::default().try_harder(round % 3 == 0);
        let found = decode(ImageRef::luma(&data, w, h), &opts).expect("valid buffer");
        // Nothing real is in these images; anything found would be a misread.
        assert!(found.is_empty(), "round {round}: {found:?}");
    }
}

#[test]
fn far_away_codes_in_a_camera_frame_read_back() {
    // Codes 1.5 to 1.9 px per module, noisy and a little tilted, somewhere
    // in a 640 x 480 frame: what a phone sees of a sign across the street.
    // Below 3.5 px per module an unread triple's region is searched again
    // enlarged 2x.
    let mut read_count = 0;
    let mut total = 0;
    let mut rng = Rng::new(7);
    for (i, len) in [20usize, 40, 70, 110].into_iter().enumerate() {
        let text: String = (0..len)
            .map(|k| char::from(b'a' + ((k * 5 + i) % 26) as u8))
            .collect();
        let code =
            encode_text(&text, &EncodeOptions::default().ec_level(EcLevel::M)).expect("fits");
        for module_px in [1.5, 1.7, 1.9] {
            for rotate_deg in [0.0, 30.0, 45.0, 100.0] {
                total += 1;
                let d = Distortion {
                    module_px,
                    rotate_deg,
                    tilt: 0.1,
                    noise: 20,
                    ..Default::default()
                };
                let symbol = render(&code, &d, total as u64);
                let frame = in_camera_frame(&symbol, &mut rng);
                if read(&frame, &DecodeOptions::default()) == vec![text.as_bytes().to_vec()] {
                    read_count += 1;
                }
            }
        }
    }
    eprintln!("read {read_count}/{total} far-away codes");
    // Ratchet: 44 without the enlarged second look at unread regions.
    assert!(read_count >= 46, "read only {read_count}/{total}");
}

/// `symbol` at a random place in a 640 x 480 frame of light grey: what a
/// phone sees of a sign across the street.
/// 1 when `found` is exactly `text`, 0 when nothing was found; anything
/// else is a misread and fails the test.
fn read_or_none(found: Vec<Vec<u8>>, text: &str) -> usize {
    if found.is_empty() {
        return 0;
    }
    assert_eq!(found, vec![text.as_bytes().to_vec()], "a misread");
    1
}

fn in_camera_frame(symbol: &Gray, rng: &mut Rng) -> Gray {
    let mut frame = Gray::new(640, 480, 210);
    let x0 = rng.below(640 - symbol.width);
    let y0 = rng.below(480 - symbol.height);
    frame.paste(symbol, x0, y0);
    frame
}

/// Whether module `(x, y)` of an `n`-module symbol lies in the finder
/// pattern at `corner` (0 top-left, 1 top-right, 2 bottom-left).
fn in_finder(n: usize, corner: usize, x: usize, y: usize) -> bool {
    let (x0, y0) = [(0, 0), (n - 7, 0), (0, n - 7)][corner];
    (x0..x0 + 7).contains(&x) && (y0..y0 + 7).contains(&y)
}

#[test]
fn a_symbol_with_one_finder_covered_reads_back() {
    // A sign with a sticker over one corner: the finder patterns hold no
    // data, so the symbol is all there but for where to find it.
    let text = "https://example.org/mobilier/banc-0042";
    let code = encode_text(text, &EncodeOptions::default().ec_level(EcLevel::M)).expect("fits");
    let n = code.width();
    for corner in 0..3 {
        for rotate_deg in [0.0, 90.0, 200.0] {
            let grid = Grid::from_fn(n, n, |x, y| code.get(x, y) && !in_finder(n, corner, x, y));
            let d = Distortion {
                module_px: 4.0,
                rotate_deg,
                noise: 20,
                ..Default::default()
            };
            assert_eq!(
                read(&d.render(&grid, 3), &DecodeOptions::default()),
                vec![text.as_bytes().to_vec()],
                "finder {corner} covered, turned {rotate_deg} degrees"
            );
        }
    }
}

#[test]
fn a_tilted_symbol_with_one_finder_covered_reads_back() {
    // A sticker over one corner of a sign seen at an angle: one side of
    // the code 0.75 times the other. The two finders left differ in module
    // size by up to 1.3:1, and the lost one's modules are its side's, not
    // their mean: the timing patterns that run towards it place it and say
    // its module (docs/READER.md, "Two finders and an inferred third").
    // Before, 4 of these 24 read.
    let text = "https://www.saint-omer.fr/rs5hqgt";
    let code = encode_text(
        text,
        &EncodeOptions::default()
            .ec_level(EcLevel::H)
            .version(civiqr::Version::new(4).expect("v4")),
    )
    .expect("fits");
    let n = code.width();
    // The symbol's corners (TL, TR, BR, BL) with its right side nearer:
    // turned a quarter at a time, so each finder is the covered one on
    // the near and on the far side.
    let near_right = [(70.0, 60.0), (330.0, 40.0), (345.0, 360.0), (75.0, 320.0)];
    let (mut read_count, mut total) = (0, 0);
    for turn in 0..4 {
        let quad: [(f64, f64); 4] = std::array::from_fn(|i| near_right[(i + turn) % 4]);
        for corner in 0..3 {
            for paint in [false, true] {
                total += 1;
                // The finder and its separator under one patch.
                let (x0, y0) = [(0, 0), (n - 8, 0), (0, n - 8)][corner];
                let under =
                    |x: usize, y: usize| (x0..x0 + 8).contains(&x) && (y0..y0 + 8).contains(&y);
                let img = Quad::new(quad).draw(
                    n,
                    |x, y| if under(x, y) { paint } else { code.get(x, y) },
                    400,
                );
                let found = read(&img, &DecodeOptions::default());
                let got = read_or_none(found, text);
                if got == 0 {
                    std::fs::write(
                        format!("/tmp/tilt_{turn}_{corner}_{paint}.pgm"),
                        img.to_pgm(),
                    )
                    .ok();
                    eprintln!("unread: turn {turn}, finder {corner}, dark {paint}");
                }
                read_count += got;
            }
        }
    }
    eprintln!("read {read_count}/{total} tilted codes with a finder covered");
    assert!(read_count >= total, "read only {read_count}/{total}");
}

#[test]
fn codes_under_a_sticker_read_back() {
    // A sticker, mud or paint over the middle of a sign's code, dark or
    // light, larger than errors alone correct at level Q or H: the reader
    // takes the codewords under a square of one colour as erasures, which
    // correct twice as many (docs/READER.md, step 12). Never another text.
    let text = "https://www.saint-omer.fr/mobilier/abribus-0042-quai-b";
    let mut rng = Rng::new(4242);
    let (mut read_count, mut total) = (0, 0);
    for ec in [EcLevel::Q, EcLevel::H] {
        let code = encode_text(text, &EncodeOptions::default().ec_level(ec)).expect("fits");
        let n = code.width();
        for blot in [n / 2 - 1, n / 2, n / 2 + 1] {
            for paint in [false, true] {
                total += 1;
                let from = (n - blot) / 2;
                let under = |v: usize| (from..from + blot).contains(&v);
                let grid = Grid::from_fn(n, n, |x, y| {
                    if under(x) && under(y) {
                        paint
                    } else {
                        code.get(x, y)
                    }
                });
                let d = Distortion {
                    module_px: 3.0 + rng.below(3) as f64,
                    rotate_deg: rng.below(360) as f64,
                    noise: 12,
                    ..Default::default()
                };
                let found = read(&d.render(&grid, total as u64), &DecodeOptions::default());
                read_count += read_or_none(found, text);
            }
        }
    }
    eprintln!("read {read_count}/{total} codes under a sticker");
    // Ratchet: 3 of 12 when the covered codewords were errors (errors
    // alone, or erasures only off the image and near the threshold).
    assert!(read_count >= 8, "read only {read_count}/{total}");
}

#[test]
fn far_away_codes_with_one_finder_covered_read_back() {
    // A sticker over one corner of a sign across the street: 2 to 2.6 px
    // per module, tilted and noisy, in a 640 x 480 frame. The third finder
    // is inferred from the other two; at this size the timing patterns
    // towards it often look broken, and the symbol reads in the enlarged
    // second look at its region.
    let text = "https://example.org/stationnement/horodateur-17";
    let code = encode_text(text, &EncodeOptions::default().ec_level(EcLevel::M)).expect("fits");
    let n = code.width();
    let mut rng = Rng::new(21);
    let (mut read_count, mut total) = (0, 0);
    for corner in 0..3 {
        let grid = Grid::from_fn(n, n, |x, y| code.get(x, y) && !in_finder(n, corner, x, y));
        for module_px in [2.2, 2.6, 3.0] {
            for rotate_deg in [10.0, 100.0, 190.0, 280.0] {
                total += 1;
                let d = Distortion {
                    module_px,
                    rotate_deg,
                    tilt: 0.12,
                    blur: 1,
                    noise: 20,
                    ..Default::default()
                };
                let symbol = d.render(&grid, total as u64);
                let frame = in_camera_frame(&symbol, &mut rng);
                read_count += read_or_none(read(&frame, &DecodeOptions::default()), text);
            }
        }
    }
    eprintln!("read {read_count}/{total} far-away codes with a finder covered");
    // Ratchet: 12 when only pairs whose timing patterns alternate were tried;
    // 16 before the lost finder was placed along its timing patterns
    // (`lost.rs`), which the tilt here moves off the square.
    assert!(read_count >= 24, "read only {read_count}/{total}");
}

#[test]
fn two_finders_with_timing_patterns_over_noise_read_nothing() {
    // The two-finder search tries a third finder wherever a pair's timing
    // patterns alternate: a symbol's frame over random modules must fail
    // its checks, not read as something.
    let code =
        encode_text("frame only", &EncodeOptions::default().ec_level(EcLevel::L)).expect("fits");
    let n = code.width();
    for seed in 0..8u64 {
        let mut rng = Rng::new(seed);
        let random: Vec<bool> = (0..n * n).map(|_| rng.byte() & 1 == 1).collect();
        // Timing patterns, finders and their separators kept.
        let function = |x: usize, y: usize| {
            let (near_x, near_y) = (x < 8, y < 8);
            x == 6
                || y == 6
                || (near_x && near_y)
                || (x >= n - 8 && near_y)
                || (near_x && y >= n - 8)
        };
        let grid = Grid::from_fn(n, n, |x, y| {
            if in_finder(n, 2, x, y) {
                false
            } else if function(x, y) {
                code.get(x, y)
            } else {
                random[y * n + x]
            }
        });
        let img = Distortion::default().render(&grid, seed);
        assert!(
            read(&img, &DecodeOptions::default().try_harder(true)).is_empty(),
            "seed {seed}"
        );
    }
}

/// `symbol` (a clean render, dark modules low) as a plate engraved with it
/// under a lamp from `light` radians: the grooves a little darker than the
/// plate, each groove wall lit or shaded by its slope towards the light
/// (far more than the grooves are dark), and brushed-metal streaks.
fn engraved(symbol: &Gray, module_px: f32, light: f32, rng: &mut Rng) -> Gray {
    let soft = symbol.box3_blur();
    let (w, h) = (soft.width, soft.height);
    // Groove depth 0..1 at (x, y), edges clamped.
    let depth = |x: usize, y: usize| 1.0 - f32::from(soft.get(x.min(w - 1), y.min(h - 1))) / 255.0;
    let streaks: Vec<f32> = (0..h).map(|_| f32::from(rng.byte() % 24)).collect();
    let mut out = Gray::new(w, h, 0);
    for (y, streak) in streaks.iter().enumerate() {
        for x in 0..w {
            let gx = depth(x + 1, y) - depth(x.saturating_sub(1), y);
            let gy = depth(x, y + 1) - depth(x, y.saturating_sub(1));
            // Per pixel of slope, as steep as the groove is wide.
            let slope = (gx * light.cos() + gy * light.sin()) / 2.0 * module_px;
            let v = 150.0 + streak - 30.0 * depth(x, y) + 30.0 * slope + f32::from(rng.byte() % 7);
            out.data[y * w + x] = v.clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// Engraved codes at 4-6 px per module, five turns and light directions
/// each, on a plate `side` pixels square (or just round the code): how many
/// of the 15 read. A misread fails the test.
fn engraved_reads(side: Option<usize>, seed: u64) -> usize {
    let text = "https://tourisme.example.fr/site/beffroi";
    let code = encode_text(text, &EncodeOptions::default().ec_level(EcLevel::M)).expect("fits");
    let mut rng = Rng::new(seed);
    let (mut read_count, mut total) = (0, 0);
    for module_px in [4.0, 5.0, 6.0] {
        for (i, rotate_deg) in [8.0, 77.0, 143.0, 215.0, 301.0].into_iter().enumerate() {
            total += 1;
            let d = Distortion {
                module_px,
                rotate_deg,
                tilt: 0.1,
                ..Default::default()
            };
            let light = 0.7 + 1.3 * i as f32;
            let symbol = render(&code, &d, total as u64);
            let symbol = match side {
                Some(side) => on_plate(&symbol, side),
                None => symbol,
            };
            let plate = engraved(&symbol, module_px as f32, light, &mut rng);
            let found = read(&plate, &DecodeOptions::default());
            if found.is_empty() {
                continue;
            }
            assert_eq!(found, vec![text.as_bytes().to_vec()], "a misread");
            read_count += 1;
        }
    }
    eprintln!("read {read_count}/{total} engraved codes, plate {side:?}");
    read_count
}

/// `img` centred on a plate `side` pixels square, plate grey round it.
fn on_plate(img: &Gray, side: usize) -> Gray {
    let mut out = Gray::new(side, side, 255);
    let (x0, y0) = ((side - img.width) / 2, (side - img.height) / 2);
    for y in 0..img.height {
        let row = &img.data[y * img.width..(y + 1) * img.width];
        out.data[(y0 + y) * side + x0..][..img.width].copy_from_slice(row);
    }
    out
}

#[test]
fn engraved_plates_read_back() {
    // A code engraved into a brass or steel plate: its modules show as lit
    // and shaded groove walls more than as dark and light areas. They
    // read once smoothed over about a fifth of a module.
    // Ratchet: 8 before the smoothed look.
    let n = engraved_reads(None, 7);
    assert!(n >= 15, "read only {n}/15");
}

#[test]
fn engraved_codes_on_larger_plates_read_back() {
    // The same engraved codes on a 480 px plate photographed whole: larger
    // than the images searched enlarged, smaller than a camera frame. With a
    // finder seen on five rows or more they get the smoothed look whole too.
    // Ratchet: 10 before; those left show no finder on five rows.
    let n = engraved_reads(Some(480), 11);
    assert!(n >= 11, "read only {n}/15");
}

#[test]
fn quick_decodes_read_near_codes_in_a_camera_frame_and_never_more_than_full_ones() {
    // What a camera scanner's quick frames rely on (DecodeOptions::quick):
    // codes of 3 to 5 px per module, turned and tilted, read in the first
    // look; far-away ones may wait for a full decode, and a quick read is
    // always one the full decode makes too.
    let text = "https://ville.example/arret/0417";
    let code = encode_text(text, &EncodeOptions::default().ec_level(EcLevel::M)).expect("fits");
    let quick = DecodeOptions::default().quick(true);
    let mut rng = Rng::new(11);
    let mut seed = 0;
    // The code drawn at `module_px`, turned, tilted and noisy, in a frame.
    let mut frame = |module_px, rotate_deg, tilt, noise| {
        seed += 1;
        let d = Distortion {
            module_px,
            rotate_deg,
            tilt,
            noise,
            ..Default::default()
        };
        (in_camera_frame(&render(&code, &d, seed), &mut rng), d)
    };
    for module_px in [3.0, 4.0, 5.0] {
        for rotate_deg in [0.0, 20.0, 90.0, 150.0, 260.0] {
            let (img, d) = frame(module_px, rotate_deg, 0.15, 15);
            assert_eq!(read(&img, &quick), vec![text.as_bytes().to_vec()], "{d:?}");
        }
    }
    let (mut quick_reads, mut full_reads) = (0, 0);
    for module_px in [1.5, 1.7, 1.9] {
        for rotate_deg in [0.0, 45.0, 100.0] {
            let (img, d) = frame(module_px, rotate_deg, 0.1, 20);
            let q = read(&img, &quick);
            let full = read(&img, &DecodeOptions::default());
            for bytes in q.iter().chain(&full) {
                assert_eq!(bytes.as_slice(), text.as_bytes(), "{d:?}: a misread");
            }
            assert!(
                q.len() <= full.len(),
                "{d:?}: quick read what the full decode did not"
            );
            quick_reads += q.len();
            full_reads += full.len();
        }
    }
    eprintln!("far away: quick {quick_reads}/9, full {full_reads}/9");
}
