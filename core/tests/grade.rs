//! Grading against ground truth made here: clean renders, and damage whose
//! effect on each parameter is known in advance (docs/GRADING.md).

use std::collections::HashSet;

use civiqr::grade::{grade, GradeOptions, ModuleKind, SymbolGrade};
use civiqr::{encode_text, EcLevel, EncodeOptions, ImageRef, QrCode, Version};

/// How to draw a symbol: module size per axis, shear, ink growth, levels,
/// a shift of the lower half, and modules drawn the other colour or grey.
#[derive(Clone)]
struct Print {
    sx: f64,
    sy: f64,
    /// Horizontal pixels added per row of pixels (a sheared print).
    shear: f64,
    /// Ink spread on each side, in pixels, along x and along y.
    grow: (f64, f64),
    ink: u8,
    paper: u8,
    /// Pixels the middle third of the rows is shifted right (a band of the
    /// print slipped).
    tear: f64,
    flipped: HashSet<(usize, usize)>,
    grey: Vec<((usize, usize), u8)>,
}

impl Print {
    fn new(scale: f64) -> Print {
        Print {
            sx: scale,
            sy: scale,
            shear: 0.0,
            grow: (0.0, 0.0),
            ink: 0,
            paper: 255,
            tear: 0.0,
            flipped: HashSet::new(),
            grey: Vec::new(),
        }
    }

    fn draw(&self, code: &QrCode) -> (Vec<u8>, usize, usize) {
        let n = code.size();
        let quiet = 4.0;
        let w = ((n as f64 + 2.0 * quiet) * self.sx + self.shear.abs() * 200.0) as usize + 8;
        let h = ((n as f64 + 2.0 * quiet) * self.sy) as usize + 8;
        let dark = |mx: f64, my: f64| -> bool {
            if mx < 0.0 || my < 0.0 || mx >= n as f64 || my >= n as f64 {
                return false;
            }
            let (x, y) = (mx as usize, my as usize);
            code.get(x, y) != self.flipped.contains(&(x, y))
        };
        let mut px = vec![0u8; w * h];
        for py in 0..h {
            for pxx in 0..w {
                let (cx, cy) = (pxx as f64 + 0.5, py as f64 + 0.5);
                let my = cy / self.sy - quiet;
                let band = my >= n as f64 / 3.0 && my < 2.0 * n as f64 / 3.0;
                let tear = if band { self.tear } else { 0.0 };
                let mx = (cx - self.shear * cy - tear) / self.sx - quiet;
                let (gx, gy) = (self.grow.0 / self.sx, self.grow.1 / self.sy);
                let inked = [(0.0, 0.0), (-gx, 0.0), (gx, 0.0), (0.0, -gy), (0.0, gy)]
                    .iter()
                    .any(|(dx, dy)| dark(mx + dx, my + dy));
                let mut level = if inked { self.ink } else { self.paper };
                if mx >= 0.0 && my >= 0.0 {
                    let m = (mx as usize, my as usize);
                    if let Some((_, g)) = self.grey.iter().find(|(at, _)| *at == m) {
                        level = *g;
                    }
                }
                px[py * w + pxx] = level;
            }
        }
        (px, w, h)
    }
}

fn code(text: &str, version: u8, ec: EcLevel) -> QrCode {
    let opts = EncodeOptions::default()
        .ec_level(ec)
        .min_version(Version::new(version).expect("version"));
    encode_text(text, &opts).expect("encodes")
}

fn graded(code: &QrCode, print: &Print) -> SymbolGrade {
    let (px, w, h) = print.draw(code);
    let found = grade(ImageRef::luma(&px, w, h), &GradeOptions::default()).expect("grades");
    assert_eq!(found.len(), 1, "one symbol");
    found[0].report().expect("a QR Code").clone()
}

fn names(g: &SymbolGrade) -> Vec<(&'static str, u8, Option<f64>)> {
    g.parameters()
        .named()
        .iter()
        .map(|(n, m)| (*n, m.grade, m.value))
        .collect()
}

#[test]
fn clean_renders_grade_4_on_every_parameter() {
    for (version, ec) in [
        (1, EcLevel::L),
        (2, EcLevel::M),
        (7, EcLevel::Q),
        (15, EcLevel::H),
    ] {
        for scale in [4.0, 7.0, 10.0] {
            let c = code("https://example.org/signs/0042", version, ec);
            let g = graded(&c, &Print::new(scale));
            for (name, grade, value) in names(&g) {
                assert_eq!(grade, 4, "v{version} {ec} x{scale}: {name} = {value:?}");
            }
            assert_eq!(g.overall(), 4);
            assert!(!g.calibrated());
            assert!(g.damage_map().wrong_modules().is_empty());
            assert!(g
                .blocks()
                .iter()
                .all(|b| b.corrected.is_empty() && b.unused == 1.0));
            let p = g.parameters();
            assert!((p.symbol_contrast.value.expect("sc") - 1.0).abs() < 1e-9);
            assert!(p.grid_nonuniformity.value.expect("gn") < 0.05);
            assert!(p.axial_nonuniformity.value.expect("an") < 0.01);
            assert!(p.print_growth.value.expect("growth").abs() < 0.05);
        }
    }
}

/// The modules of codeword `index` of block `block`, from a clean grade.
fn codeword_modules(g: &SymbolGrade, block: u16, index: u16) -> Vec<(usize, usize)> {
    let map = g.damage_map();
    let mut out = Vec::new();
    for y in 0..map.size() {
        for x in 0..map.size() {
            let kind = map.module(x, y).and_then(|m| m.kind);
            if kind == Some(ModuleKind::Data { block, index }) {
                out.push((x, y));
            }
        }
    }
    out
}

#[test]
fn erasing_k_modules_in_one_block_uses_exactly_2k_of_its_budget() {
    // 5-Q: four blocks of 18 EC codewords, no misdecode protection.
    let c = code("Parc des Sports, panneau 17, allée B", 5, EcLevel::Q);
    let clean = graded(&c, &Print::new(6.0));
    let d = clean.blocks()[2].ec_codewords;
    assert_eq!(d, 18);
    for k in 0..=8usize {
        let mut print = Print::new(6.0);
        for i in 0..k {
            // One module of codewords 0, 3, 6, ... of block 2 drawn wrong.
            let modules = codeword_modules(&clean, 2, (3 * i) as u16);
            print.flipped.insert(modules[i % modules.len()]);
        }
        let g = graded(&c, &print);
        let block = &g.blocks()[2];
        assert_eq!(block.corrected.len(), k, "k = {k}");
        let expected = 1.0 - 2.0 * k as f64 / d as f64;
        assert!((block.unused - expected).abs() < 1e-12);
        let uec = g.parameters().unused_error_correction;
        assert!((uec.value.expect("uec") - expected).abs() < 1e-12);
        let band = match expected {
            u if u >= 0.62 => 4,
            u if u >= 0.50 => 3,
            u if u >= 0.37 => 2,
            u if u >= 0.25 => 1,
            _ => 0,
        };
        assert_eq!(uec.grade, band, "k = {k}: UEC {expected}");
        assert!(g
            .blocks()
            .iter()
            .enumerate()
            .all(|(b, u)| b == 2 || u.unused == 1.0));
        // Every drawn-wrong module is found wrong, and nothing else.
        let found: HashSet<_> = g.damage_map().wrong_modules().into_iter().collect();
        assert_eq!(found, print.flipped);
    }
}

#[test]
fn symbol_contrast_falls_at_the_bands() {
    let c = code("CONTRAST", 2, EcLevel::M);
    // Paper fixed at 255; ink raised so that SC crosses each limit.
    // Limits included: SC = (255 - ink) / 255 against 0.70 / 0.55 / 0.40 / 0.20.
    for (ink, grade) in [
        (76, 4),
        (77, 3),
        (114, 3),
        (115, 2),
        (153, 2),
        (154, 1),
        (204, 1),
        (205, 0),
    ] {
        let mut print = Print::new(6.0);
        print.ink = ink;
        let (px, w, h) = print.draw(&c);
        let found = grade_all(&px, w, h);
        let Some(g) = found else {
            assert_eq!(grade, 0, "ink {ink}: unread only when SC is below D");
            continue;
        };
        let sc = g.parameters().symbol_contrast;
        let expected = (255.0 - f64::from(ink)) / 255.0;
        assert!((sc.value.expect("sc") - expected).abs() < 1e-9);
        assert_eq!(sc.grade, grade, "ink {ink}: SC {expected}");
        // Even contrast loss leaves modulation whole: it is relative to SC.
        assert_eq!(g.parameters().modulation.grade, 4);
        assert_eq!(g.overall(), grade);
    }
}

fn grade_all(px: &[u8], w: usize, h: usize) -> Option<SymbolGrade> {
    let found = grade(ImageRef::luma(px, w, h), &GradeOptions::default()).expect("grades");
    found.first().and_then(|g| g.report().ok().cloned())
}

#[test]
fn grey_codewords_lower_modulation_through_the_overlay() {
    // 1-H: one block, 17 EC codewords, p = 1: d - p = 16.
    let c = code("GREY", 1, EcLevel::H);
    let clean = graded(&c, &Print::new(8.0));
    // Modulation 2|R - GT| / SC of a module drawn at grey level g (SC = 1,
    // GT = 0.5): 0.35 at g = 83 or 172 (grade 2).
    for (count, expected) in [(0usize, 4u8), (6, 4), (7, 3), (8, 3), (9, 2), (12, 2)] {
        let mut print = Print::new(8.0);
        for i in 0..count {
            for m in codeword_modules(&clean, 0, i as u16) {
                let ink = c.get(m.0, m.1);
                print.grey.push((m, if ink { 83 } else { 172 }));
            }
        }
        let g = graded(&c, &print);
        // Levels 4 and 3 count the grade-2 codewords as erasures of 16:
        // 1 - count/16 holds level 4 up to 6 (0.625), level 3 up to 8 (0.5);
        // level 2 does not count them.
        let p = g.parameters();
        assert_eq!(p.modulation.grade, expected, "{count} grey codewords");
        assert_eq!(p.reflectance_margin.grade, expected);
        if count > 0 {
            assert!((p.modulation.value.expect("mod") - 0.35).abs() < 0.01);
        }
        assert_eq!(p.unused_error_correction.grade, 4, "grey is not wrong");
    }
}

#[test]
fn print_growth_and_stretch_show_in_their_parameters() {
    let c = code("https://example.org/g", 3, EcLevel::M);
    // 2 px of ink on each side horizontally at 10 px per module: +0.4 X.
    let mut print = Print::new(10.0);
    print.grow = (2.0, 0.0);
    let g = graded(&c, &print);
    let (h, v) = g.print_growth_axes();
    assert!((h.expect("h") - 0.4).abs() < 0.05, "{h:?}");
    assert!(v.expect("v").abs() < 0.05, "{v:?}");
    let pg = g.parameters().print_growth;
    assert!((pg.value.expect("pg") - 0.4).abs() < 0.05);
    assert_eq!(pg.grade, 2, "|D'| = 0.8 is within C's 0.85");
    // 11 x 10 px modules: AN = 1 / 10.5 = 0.095 (grade 2).
    let mut print = Print::new(10.0);
    print.sx = 11.0;
    let g = graded(&c, &print);
    let an = g.parameters().axial_nonuniformity;
    assert!((an.value.expect("an") - 1.0 / 10.5).abs() < 0.005, "{an:?}");
    assert_eq!(an.grade, 2);
    // A shear is affine: the fitted grid follows it, GN stays 4; the
    // column spacing grows by sqrt(1 + s^2).
    let mut print = Print::new(10.0);
    print.shear = 0.3;
    let g = graded(&c, &print);
    let p = g.parameters();
    assert_eq!(p.grid_nonuniformity.grade, 4, "{:?}", p.grid_nonuniformity);
    let want = (1.09f64.sqrt() - 1.0) / ((1.09f64.sqrt() + 1.0) / 2.0);
    assert!((p.axial_nonuniformity.value.expect("an") - want).abs() < 0.005);
    // A band of rows printed off by part of a module: no single grid fits.
    // Version 10 has six alignment patterns to show it.
    let c = code("https://example.org/torn", 10, EcLevel::M);
    let mut last = 0.0;
    for (tear, grade) in [(0.0, 4), (3.0, 4), (6.0, 3), (9.0, 0)] {
        let mut print = Print::new(10.0);
        print.tear = tear;
        let g = graded(&c, &print);
        let gn = g.parameters().grid_nonuniformity;
        let value = gn.value.expect("gn");
        assert!(value >= last, "GN grows with the tear");
        last = value;
        assert_eq!(gn.grade, grade, "tear {tear} px: GN {value}");
    }
}

/// Precision and recall of the damage map's wrong modules against modules
/// flipped on purpose, through the testkit's photo-like distortions.
#[test]
fn damage_map_finds_the_flipped_modules_through_distortions() {
    use civiqr_testkit::{Distortion, Grid, ModuleScore, Rng};
    let c = code("https://example.org/signs/damage-map-0042", 6, EcLevel::M);
    let clean = graded(&c, &Print::new(6.0));
    let data: Vec<(usize, usize)> = (0..c.size() * c.size())
        .map(|i| (i % c.size(), i / c.size()))
        .filter(|&(x, y)| {
            matches!(
                clean.damage_map().module(x, y).and_then(|m| m.kind),
                Some(ModuleKind::Data { .. })
            )
        })
        .collect();
    let cases: [(&str, Distortion); 4] = [
        (
            "upright",
            Distortion {
                module_px: 6.0,
                ..Distortion::default()
            },
        ),
        (
            "rotated 17 deg",
            Distortion {
                module_px: 6.0,
                rotate_deg: 17.0,
                ..Distortion::default()
            },
        ),
        (
            "tilt 0.15, blur 1",
            Distortion {
                module_px: 7.0,
                tilt: 0.15,
                blur: 1,
                ..Distortion::default()
            },
        ),
        (
            "noise 30, light loss 40",
            Distortion {
                module_px: 6.0,
                noise: 30,
                gradient: 40,
                ..Distortion::default()
            },
        ),
    ];
    let mut rng = Rng::new(23);
    for (name, d) in cases {
        let mut score = ModuleScore::default();
        for seed in 0..4u64 {
            // 12 modules of 6-M's 172 codewords: well within its budget.
            let flips: HashSet<(usize, usize)> = rng
                .distinct(12, data.len())
                .into_iter()
                .map(|i| data[i])
                .collect();
            let grid = Grid::from_fn(c.size(), c.size(), |x, y| {
                c.get(x, y) != flips.contains(&(x, y))
            });
            let img = d.render(&grid, seed);
            let g = grade_all(&img.data, img.width, img.height).expect("graded");
            let wrong: HashSet<(usize, usize)> =
                g.damage_map().wrong_modules().into_iter().collect();
            score.add(&flips, &wrong);
        }
        eprintln!("{}", score.describe(&format!("damage map, {name}")));
        assert!(
            score.precision() >= 0.95 && score.recall() >= 0.95,
            "{}",
            score.describe(name)
        );
    }
}

#[test]
fn mirrored_and_light_on_dark_symbols_grade_like_the_originals() {
    let c = code("https://example.org/mirror", 4, EcLevel::M);
    // Mirrored: drawn transposed.
    let n = c.size();
    let mut mirrored = Print::new(6.0);
    for y in 0..n {
        for x in 0..n {
            if c.get(x, y) != c.get(y, x) {
                mirrored.flipped.insert((x, y));
            }
        }
    }
    let g = graded(&c, &mirrored);
    assert_eq!(g.overall(), 4, "{:?}", names(&g));
    assert!(g.damage_map().wrong_modules().is_empty());
    // Light on dark: ink 255 on paper 0, a dark quiet zone.
    let mut inverted = Print::new(6.0);
    inverted.ink = 255;
    inverted.paper = 0;
    let g = graded(&c, &inverted);
    assert_eq!(g.overall(), 4, "{:?}", names(&g));
    assert!(g.print_growth_axes().0.expect("h").abs() < 0.05);
}

#[test]
fn micro_qr_clean_renders_grade_4_and_flips_are_found() {
    use civiqr::{MicroVersion, Symbology};
    for n in 1..=4u8 {
        let opts = EncodeOptions::default()
            .symbology(Symbology::MicroQr)
            .ec_level(EcLevel::L)
            .micro_version(MicroVersion::new(n).expect("version"));
        let c = encode_text("2024", &opts).expect("encodes");
        let g = graded(&c, &Print::new(8.0));
        for (name, grade, value) in names(&g) {
            assert_eq!(grade, 4, "M{n}: {name} = {value:?}");
        }
        assert_eq!(g.blocks().len(), 1);
        // Every fixed pattern of ISO/IEC 18004's Micro QR is a segment: the
        // finder with its separator (8 x 8), timing along row 0 and column 0
        // past it, and the 15 format modules.
        let size = c.size();
        let segments: Vec<(&str, usize)> =
            g.segments().iter().map(|s| (s.name, s.modules)).collect();
        assert_eq!(
            segments,
            [
                ("ULP", 64),
                ("HCT", size - 8),
                ("VCT", size - 8),
                ("FI", 15)
            ],
            "M{n}"
        );
        if n == 1 {
            // M1 only detects errors: no correction budget to spend.
            let b = &g.blocks()[0];
            assert_eq!(b.ec_codewords, b.misdecode_protection);
        }
    }
    // M4-L: one data module drawn wrong costs one codeword of 8 EC (p = 2).
    let opts = EncodeOptions::default()
        .symbology(Symbology::MicroQr)
        .micro_version(MicroVersion::new(4).expect("M4"))
        .ec_level(EcLevel::L);
    let c = encode_text("https://e.org", &opts).expect("encodes");
    let clean = graded(&c, &Print::new(8.0));
    let module = codeword_modules(&clean, 0, 3)[2];
    let mut print = Print::new(8.0);
    print.flipped.insert(module);
    // And one format module flipped is the FI segment's one wrong module.
    print.flipped.insert((8, 3));
    let g = graded(&c, &print);
    let wrong: HashSet<(usize, usize)> = g.damage_map().wrong_modules().into_iter().collect();
    assert_eq!(wrong, HashSet::from([(8, 3), module]));
    let fi = g.segments().iter().find(|s| s.name == "FI").expect("FI");
    assert_eq!((fi.wrong, fi.grade), (1, 3));
    let b = &g.blocks()[0];
    assert_eq!(b.corrected, vec![3]);
    let expected = 1.0 - 2.0 / (b.ec_codewords - b.misdecode_protection) as f64;
    assert!((b.unused - expected).abs() < 1e-12, "{b:?}");
}

#[test]
fn a_light_gradient_fails_decode_at_gt_but_the_rest_is_measured() {
    // The paper falls from 255 on the left to 70 on the right: the global
    // threshold reads the right side's paper as ink, the local one does not.
    let c = code("https://example.org/light/3", 3, EcLevel::M);
    let (mut px, w, h) = Print::new(6.0).draw(&c);
    for (i, p) in px.iter_mut().enumerate() {
        let fall = 1.0 - 0.73 * (i % w) as f64 / w as f64;
        *p = (f64::from(*p) * fall).round() as u8;
    }
    let g = grade_all(&px, w, h).expect("the reader reads it and it is graded");
    let p = g.parameters();
    assert_eq!(p.decode.grade, 0, "the reference decode at GT fails");
    assert_eq!(g.overall(), 0);
    assert_eq!(
        p.unused_error_correction.value,
        Some(1.0),
        "rebuilt, nothing corrected"
    );
    assert!(p.fixed_pattern_damage.value.is_some());
    assert!(!g.damage_map().wrong_modules().is_empty(), "wrong at GT");
}
