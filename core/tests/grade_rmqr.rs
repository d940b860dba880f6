//! rMQR grading (ISO/IEC 23941) against ground truth made here: clean
//! renders of every size, modules flipped in one block, ink lightened,
//! grey codewords, and the damage map through photo-like distortions
//! (docs/GRADING.md gives the numbers these tests print).

use std::collections::HashSet;

use civiqr::grade::{grade, GradeOptions, ModuleKind, SymbolGrade};
use civiqr::{encode_text, EcLevel, EncodeOptions, ImageRef, QrCode, RmqrVersion, Symbology};
use civiqr_testkit::{Distortion, Gray, Grid, ModuleScore, Raster, Rng};

/// rMQR's quiet zone, in modules.
const QUIET: usize = 2;

fn rmqr(text: &str, v: RmqrVersion, ec: EcLevel) -> QrCode {
    let opts = EncodeOptions::default()
        .symbology(Symbology::Rmqr)
        .ec_level(ec)
        .rmqr_version(v);
    encode_text(text, &opts).expect("encodes")
}

fn version(h: u32, w: u32) -> RmqrVersion {
    RmqrVersion::new(h, w).expect("an rMQR size")
}

/// The symbol with the modules in `flips` drawn the other colour.
fn grid(code: &QrCode, flips: &HashSet<(usize, usize)>) -> Grid {
    Grid::from_fn(code.width(), code.height(), |x, y| {
        code.get(x, y) != flips.contains(&(x, y))
    })
}

fn grade_one(img: &Gray) -> SymbolGrade {
    let found = grade(
        ImageRef::luma(&img.data, img.width, img.height),
        &GradeOptions::default(),
    )
    .expect("grades");
    assert_eq!(found.len(), 1, "one symbol");
    found[0].report().expect("an rMQR symbol is graded").clone()
}

/// Module `(x, y)` of an upright raster set to grey `level`.
fn paint(img: &mut Gray, scale: usize, (x, y): (usize, usize), level: u8) {
    for py in (y + QUIET) * scale..(y + QUIET + 1) * scale {
        for px in (x + QUIET) * scale..(x + QUIET + 1) * scale {
            img.data[py * img.width + px] = level;
        }
    }
}

/// One module of each of the first `count` codewords of `block`, from a
/// clean grade's map.
fn one_module_per_codeword(g: &SymbolGrade, block: u16, count: u16) -> Vec<(usize, usize)> {
    let map = g.damage_map();
    (0..count)
        .map(|index| {
            (0..map.width() * map.height())
                .map(|i| (i % map.width(), i / map.width()))
                .find(|&(x, y)| {
                    map.module(x, y).and_then(|m| m.kind) == Some(ModuleKind::Data { block, index })
                })
                .expect("every codeword has modules")
        })
        .collect()
}

#[test]
fn clean_renders_of_every_size_grade_4_on_every_parameter() {
    for v in RmqrVersion::all() {
        for (ec, scale) in [(EcLevel::M, 4), (EcLevel::H, 7)] {
            let code = rmqr("R7", v, ec);
            let img = Raster::new(scale)
                .quiet(QUIET)
                .draw(&grid(&code, &HashSet::new()));
            let g = grade_one(&img);
            for (name, m) in g.parameters().named() {
                assert_eq!(m.grade, 4, "{v} {ec} x{scale}: {name} = {:?}", m.value);
            }
            assert_eq!(g.overall(), 4);
            assert!(g.damage_map().wrong_modules().is_empty(), "{v}");
            assert_eq!(
                (g.damage_map().width(), g.damage_map().height()),
                (v.width(), v.height())
            );
            let names: Vec<&str> = g.segments().iter().map(|s| s.name).collect();
            let mut want = vec!["ULP", "HCT", "VCT", "ALP", "FI", "SFP", "CFP"];
            if v.width() == 27 {
                want.retain(|s| *s != "ALP");
            }
            assert_eq!(names, want, "{v}");
            let p = g.parameters();
            assert!(p.grid_nonuniformity.value.expect("gn") < 0.05, "{v}");
            assert!(p.axial_nonuniformity.value.expect("an") < 0.01, "{v}");
        }
    }
}

#[test]
fn flipping_k_modules_in_one_block_uses_exactly_2k_of_its_budget() {
    // R17x139 at H: 6 blocks of 26 EC codewords, p = 0.
    let v = version(17, 139);
    let code = rmqr("https://example.org/lamp/17/unused-ec", v, EcLevel::H);
    let scale = 5;
    let clean = grade_one(
        &Raster::new(scale)
            .quiet(QUIET)
            .draw(&grid(&code, &HashSet::new())),
    );
    assert_eq!(clean.blocks().len(), 6);
    let targets = one_module_per_codeword(&clean, 2, 13);
    for k in 0..=13usize {
        let flips: HashSet<(usize, usize)> = targets[..k].iter().copied().collect();
        let g = grade_one(&Raster::new(scale).quiet(QUIET).draw(&grid(&code, &flips)));
        for (b, block) in g.blocks().iter().enumerate() {
            let (d, p) = (block.ec_codewords, block.misdecode_protection);
            assert_eq!((d, p), (26, 0));
            let t = if b == 2 { k } else { 0 };
            assert_eq!(block.corrected.len(), t, "k = {k}, block {b}");
            let want = 1.0 - (2 * t) as f64 / (d - p) as f64;
            assert!(
                (block.unused - want).abs() < 1e-12,
                "k = {k}: {}",
                block.unused
            );
        }
        let uec = g.parameters().unused_error_correction;
        let want = 1.0 - 2.0 * k as f64 / 26.0;
        assert!((uec.value.expect("uec") - want).abs() < 1e-12);
        let band = [0.62, 0.50, 0.37, 0.25]
            .iter()
            .position(|&l| want >= l)
            .map_or(0, |i| 4 - i as u8);
        assert_eq!(uec.grade, band, "k = {k}");
        let wrong: HashSet<(usize, usize)> = g.damage_map().wrong_modules().into_iter().collect();
        assert_eq!(
            wrong, flips,
            "k = {k}: the damage map is the flipped modules"
        );
    }
}

#[test]
fn lighter_ink_lowers_symbol_contrast_at_the_bands_and_not_modulation() {
    let code = rmqr("R-17", version(11, 59), EcLevel::M);
    // Ink grey levels either side of SC = 0.70, 0.55, 0.40, 0.20 (of 255).
    for (ink, want) in [
        (76u8, 4u8),
        (77, 3),
        (114, 3),
        (115, 2),
        (153, 2),
        (154, 1),
        (204, 1),
        (205, 0),
    ] {
        let img = Raster::new(6)
            .quiet(QUIET)
            .levels(ink, 255)
            .draw(&grid(&code, &HashSet::new()));
        let found = grade(
            ImageRef::luma(&img.data, img.width, img.height),
            &GradeOptions::default(),
        )
        .expect("grades");
        let Some(g) = found.first().and_then(|f| f.report().ok()) else {
            assert_eq!(want, 0, "ink {ink}: only an F symbol may go unread");
            continue;
        };
        let p = g.parameters();
        let sc = p.symbol_contrast.value.expect("sc");
        assert!(
            (sc - f64::from(255 - ink) / 255.0).abs() < 1e-9,
            "ink {ink}: {sc}"
        );
        assert_eq!(p.symbol_contrast.grade, want, "ink {ink}: SC {sc}");
        assert_eq!(
            p.modulation.grade, 4,
            "ink {ink}: modulation is relative to SC"
        );
        assert_eq!(g.overall(), want, "ink {ink}");
    }
}

#[test]
fn grey_codewords_lower_modulation_through_the_overlay() {
    // R7x43 at M: one block, 7 EC codewords, p = 1, so d - p = 6. A module
    // drawn at modulation 0.35 grades 2; n such codewords leave 1 - n/6:
    // level 4 holds for n <= 2, level 3 for n = 3, level 2 from then on.
    let code = rmqr("R7", version(7, 43), EcLevel::M);
    let scale = 8;
    let clean_img = Raster::new(scale)
        .quiet(QUIET)
        .draw(&grid(&code, &HashSet::new()));
    let clean = grade_one(&clean_img);
    assert_eq!(clean.blocks()[0].misdecode_protection, 1);
    let targets = one_module_per_codeword(&clean, 0, 6);
    for (n, want) in [(0usize, 4u8), (1, 4), (2, 4), (3, 3), (4, 2), (6, 2)] {
        let mut img = clean_img.clone();
        for &(x, y) in &targets[..n] {
            // Reflectance 0.5 -/+ 0.175: modulation 0.35 on the right side.
            paint(
                &mut img,
                scale,
                (x, y),
                if code.get(x, y) { 83 } else { 172 },
            );
        }
        let g = grade_one(&img);
        let p = g.parameters();
        assert_eq!(p.modulation.grade, want, "{n} grey codewords");
        assert_eq!(p.reflectance_margin.grade, want, "{n} grey codewords");
        assert_eq!(
            p.unused_error_correction.grade, 4,
            "grey but right: nothing corrected"
        );
        if n > 0 {
            let m = p.modulation.value.expect("modulation");
            assert!((m - 0.35).abs() < 0.01, "{n}: lowest modulation {m}");
        }
    }
}

#[test]
fn damaging_a_fixed_pattern_lowers_its_segment() {
    let v = version(13, 77);
    let code = rmqr("R-17", v, EcLevel::H);
    let scale = 6;
    let (w, h) = (v.width(), v.height());
    // Two modules of the sub-finder's ring, one corner-finder module.
    let flips: HashSet<(usize, usize)> = [(w - 5, h - 3), (w - 3, h - 5), (w - 1, 1)].into();
    let g = grade_one(&Raster::new(scale).quiet(QUIET).draw(&grid(&code, &flips)));
    let seg = |name: &str| {
        g.segments()
            .iter()
            .find(|s| s.name == name)
            .cloned()
            .expect(name)
    };
    assert_eq!((seg("SFP").wrong, seg("SFP").grade), (2, 2));
    assert_eq!((seg("CFP").wrong, seg("CFP").grade), (1, 3));
    assert_eq!(seg("ULP").grade, 4);
    assert_eq!(
        g.parameters().fixed_pattern_damage.grade,
        2,
        "the worst segment"
    );
}

/// Precision and recall of the damage map's wrong modules against modules
/// flipped on purpose, through the testkit's photo-like distortions.
#[test]
fn damage_map_finds_the_flipped_modules_through_distortions() {
    let v = version(15, 99);
    let code = rmqr("https://example.org/lamp/17/damage-map", v, EcLevel::M);
    let clean = grade_one(
        &Raster::new(6)
            .quiet(QUIET)
            .draw(&grid(&code, &HashSet::new())),
    );
    let map = clean.damage_map();
    let data: Vec<(usize, usize)> = (0..map.width() * map.height())
        .map(|i| (i % map.width(), i / map.width()))
        .filter(|&(x, y)| {
            matches!(
                map.module(x, y).and_then(|m| m.kind),
                Some(ModuleKind::Data { .. })
            )
        })
        .collect();
    let case =
        |module_px: f64, rotate_deg: f64, tilt: f64, blur: usize, noise: u8, gradient: u8| {
            Distortion {
                module_px,
                rotate_deg,
                tilt,
                blur,
                noise,
                gradient,
                ..Distortion::default()
            }
        };
    let cases = [
        ("upright, 6 px", case(6.0, 0.0, 0.0, 0, 0, 0), 1.0),
        ("rotated 17 deg", case(6.0, 17.0, 0.0, 0, 0, 0), 0.95),
        (
            "tilt 0.15, blur 1, 7 px",
            case(7.0, 0.0, 0.15, 1, 0, 0),
            0.95,
        ),
        (
            "noise 30, light loss 40",
            case(6.0, 0.0, 0.0, 0, 30, 40),
            0.95,
        ),
        ("4 px per module", case(4.0, 0.0, 0.0, 0, 0, 0), 0.95),
    ];
    let mut rng = Rng::new(2394);
    for (name, d, floor) in cases {
        let mut score = ModuleScore::default();
        for seed in 0..4u64 {
            // 10 modules of R15x99-M's 136 codewords (2 blocks of 24 EC).
            let flips: HashSet<(usize, usize)> = rng
                .distinct(10, data.len())
                .into_iter()
                .map(|i| data[i])
                .collect();
            let g = grade_one(&d.render(&grid(&code, &flips), seed));
            let wrong: HashSet<(usize, usize)> =
                g.damage_map().wrong_modules().into_iter().collect();
            score.add(&flips, &wrong);
        }
        eprintln!("{}", score.describe(&format!("rMQR damage map, {name}")));
        assert!(
            score.precision() >= floor && score.recall() >= floor,
            "{}",
            score.describe(name)
        );
    }
}
