//! Behaviour of the public encoding API: errors users see, options, ECI and
//! Kanji, and compactness against the `qrcode` crate's optimiser.

use civiqr::{
    encode_bytes, encode_segments, encode_text, EcLevel, EncodeError, EncodeOptions, Mask, Mode,
    Segment, SegmentInfo, ValueError, Version,
};

fn v(n: u8) -> Version {
    Version::new(n).expect("valid")
}

#[test]
fn data_too_long_names_bits_and_capacity() {
    let err = encode_bytes(
        &[b'x'; 3000],
        &EncodeOptions::default().ec_level(EcLevel::L),
    )
    .unwrap_err();
    assert_eq!(
        err,
        EncodeError::DataTooLong {
            bits_needed: 4 + 16 + 3000 * 8,
            capacity_bits: 2956 * 8,
            version: v(40),
            ec_level: EcLevel::L
        }
    );
    assert_eq!(
        err.to_string(),
        "data too long: needs 24,020 bits, version 40-L holds 23,648"
    );
    // The limit is the largest *allowed* version.
    let err = encode_text(
        "hello world, this is long",
        &EncodeOptions::default()
            .max_version(v(1))
            .ec_level(EcLevel::H),
    )
    .unwrap_err();
    assert!(err.to_string().contains("version 1-H holds 72"), "{err}");
}

#[test]
fn forced_mode_errors_name_the_character_index() {
    let opts = EncodeOptions::default().mode(Mode::Numeric);
    assert_eq!(
        encode_text("12345x7", &opts).unwrap_err(),
        EncodeError::UnencodableChar {
            mode: Mode::Numeric,
            index: 5,
            ch: 'x'
        }
    );
    // Index counts characters, not bytes.
    let opts = EncodeOptions::default().mode(Mode::Alphanumeric);
    let err = encode_text("ÉCOLE é", &opts).unwrap_err();
    assert_eq!(
        err,
        EncodeError::UnencodableChar {
            mode: Mode::Alphanumeric,
            index: 0,
            ch: 'É'
        }
    );
    let err = encode_bytes(b"ABCa", &opts).unwrap_err();
    assert_eq!(
        err,
        EncodeError::UnencodableByte {
            mode: Mode::Alphanumeric,
            index: 3,
            byte: b'a'
        }
    );
    assert_eq!(
        err.to_string(),
        "byte 0x61 at index 3 cannot be encoded in alphanumeric mode"
    );
}

#[test]
fn forced_mode_is_used() {
    let code = encode_text("0042", &EncodeOptions::default().mode(Mode::Byte)).expect("fits");
    assert_eq!(
        code.segments(),
        &[SegmentInfo::Data {
            mode: Mode::Byte,
            chars: 4
        }]
    );
}

#[test]
fn invalid_values_are_rejected() {
    assert_eq!(Version::new(0), Err(ValueError::Version(0)));
    assert_eq!(Version::new(41), Err(ValueError::Version(41)));
    assert_eq!(Mask::new(8), Err(ValueError::Mask(8)));
    assert!("X".parse::<EcLevel>().is_err());
    assert_eq!("q".parse::<EcLevel>(), Ok(EcLevel::Q));
    let err = encode_text(
        "a",
        &EncodeOptions::default().min_version(v(5)).max_version(v(3)),
    )
    .unwrap_err();
    assert_eq!(
        err,
        EncodeError::InvalidVersionRange {
            min: v(5),
            max: v(3)
        }
    );
}

#[test]
fn version_range_and_forced_version_are_respected() {
    let code = encode_text("a", &EncodeOptions::default().min_version(v(7))).expect("fits");
    assert_eq!(code.version(), v(7));
    assert_eq!(code.size(), 45);
    let code = encode_text("a", &EncodeOptions::default().version(v(27))).expect("fits");
    assert_eq!(code.version(), v(27));
    // Every mask can be forced.
    for m in 0..8 {
        let code = encode_text(
            "mask",
            &EncodeOptions::default().mask(Mask::new(m).expect("mask")),
        )
        .expect("fits");
        assert_eq!(code.mask().number(), m);
    }
}

#[test]
fn utf8_eci_is_emitted_when_asked() {
    let text = "Café 東京";
    let plain = encode_text(text, &EncodeOptions::default()).expect("fits");
    assert!(!plain
        .segments()
        .iter()
        .any(|s| matches!(s, SegmentInfo::Eci(_))));
    let eci = encode_text(text, &EncodeOptions::default().eci_utf8(true)).expect("fits");
    assert_eq!(eci.segments()[0], SegmentInfo::Eci(26));
    // With ECI the text is UTF-8 bytes only (no Kanji mode).
    assert!(eci.segments()[1..].iter().all(|s| !matches!(
        s,
        SegmentInfo::Data {
            mode: Mode::Kanji,
            ..
        }
    )));
}

#[test]
fn kanji_mode_is_chosen_for_japanese_text() {
    let code = encode_text("東京都庁", &EncodeOptions::default()).expect("fits");
    assert_eq!(
        code.segments(),
        &[SegmentInfo::Data {
            mode: Mode::Kanji,
            chars: 4
        }]
    );
    let off = encode_text("東京都庁", &EncodeOptions::default().kanji(false)).expect("fits");
    assert_eq!(
        off.segments(),
        &[SegmentInfo::Data {
            mode: Mode::Byte,
            chars: 12
        }]
    );
}

#[test]
fn explicit_segments_are_kept_in_order() {
    let segs = [
        Segment::eci(3).expect("eci"),
        Segment::alphanumeric("ID:").expect("alnum"),
        Segment::numeric("0042").expect("digits"),
        Segment::bytes(b"-x"),
        Segment::kanji("点").expect("kanji"),
    ];
    let code = encode_segments(&segs, &EncodeOptions::default()).expect("fits");
    assert_eq!(
        code.segments(),
        &[
            SegmentInfo::Eci(3),
            SegmentInfo::Data {
                mode: Mode::Alphanumeric,
                chars: 3
            },
            SegmentInfo::Data {
                mode: Mode::Numeric,
                chars: 4
            },
            SegmentInfo::Data {
                mode: Mode::Byte,
                chars: 2
            },
            SegmentInfo::Data {
                mode: Mode::Kanji,
                chars: 1
            },
        ]
    );
}

#[test]
fn empty_input_encodes() {
    let code = encode_text("", &EncodeOptions::default()).expect("fits");
    assert_eq!(code.version(), v(1));
    assert!(code.segments().is_empty());
}

// ---- compactness against the `qrcode` crate's optimiser ----

fn qrcode_crate_version(data: &[u8], ec: EcLevel) -> Option<i16> {
    let level = match ec {
        EcLevel::L => qrcode::EcLevel::L,
        EcLevel::M => qrcode::EcLevel::M,
        EcLevel::Q => qrcode::EcLevel::Q,
        EcLevel::H => qrcode::EcLevel::H,
    };
    match qrcode::QrCode::with_error_correction_level(data, level)
        .ok()?
        .version()
    {
        qrcode::Version::Normal(n) => Some(n),
        qrcode::Version::Micro(_) => None,
    }
}

#[test]
fn never_larger_than_the_qrcode_crate_on_mixed_content() {
    let mut seed = 0x51ED_2701u32;
    let mut rnd = |n: u32| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 8) % n
    };
    let (mut smaller, mut total) = (0, 0);
    for _ in 0..1500 {
        // Runs drawn from digits, upper-case alphanumerics and lower-case text.
        let mut s = String::new();
        let runs = 1 + rnd(12);
        for _ in 0..runs {
            let long = rnd(4) == 0;
            let len = 1 + rnd(if long { 200 } else { 25 });
            let kind = rnd(3);
            for _ in 0..len {
                s.push(match kind {
                    0 => char::from(b'0' + rnd(10) as u8),
                    1 => char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"[rnd(35) as usize]),
                    _ => char::from(b"abcdefghijklmnopqrstuvwxyz?=&_"[rnd(30) as usize]),
                });
            }
        }
        let ec = EcLevel::ALL[rnd(4) as usize];
        let Some(theirs) = qrcode_crate_version(s.as_bytes(), ec) else {
            continue;
        };
        let ours =
            encode_text(&s, &EncodeOptions::default().ec_level(ec)).expect("fits when qrcode fits");
        total += 1;
        assert!(
            ours.version().number() as i16 <= theirs,
            "{s:?} at {ec}: ours {} theirs {theirs}",
            ours.version()
        );
        smaller += usize::from((ours.version().number() as i16) < theirs);
    }
    eprintln!(
        "civiqr smaller than the qrcode crate on {smaller}/{total} mixed inputs, never larger"
    );
    assert!(total > 1000);
}

#[test]
fn kanji_and_ascii_beats_the_qrcode_crate_even_given_shift_jis() {
    let text = "東京都千代田区丸の内一丁目 https://example.jp/map?id=1234567890123";
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad);
    for ec in EcLevel::ALL {
        let theirs = qrcode_crate_version(&sjis, ec).expect("fits");
        let ours = encode_text(text, &EncodeOptions::default().ec_level(ec)).expect("fits");
        assert!(
            ours.version().number() as i16 <= theirs,
            "{ec}: ours {} theirs {theirs}",
            ours.version()
        );
    }
}

#[test]
fn japanese_text_uses_shift_jis_bytes_when_that_gives_a_smaller_symbol() {
    // A few Kanji inside ASCII cost 16 bits each as Shift JIS bytes, against 24
    // as UTF-8 or a Kanji segment that splits the byte run in two.
    let text = "mod?a=ceanigmahffbpik?=gjal?nilnp?lj=&nc=mlgl東前前都9cjc?bcaemj?&fombgmhnmnlbpajg&fepb?nlnnhedfgkhnfk=nn東東駅東都駅駅京前東前京京駅前駅都都都前駅京駅東前都京駅駅東";
    let code = encode_text(text, &EncodeOptions::default().ec_level(EcLevel::H)).expect("fits");
    assert_eq!(code.version(), v(12));
    // Text that cannot round-trip through Shift JIS (é) stays UTF-8.
    let code = encode_text("Café 東京", &EncodeOptions::default()).expect("fits");
    assert_eq!(code.version(), v(1));
    // The yen sign would come back as a backslash: never sent as Shift JIS.
    assert!(civiqr::encode_text("¥東京", &EncodeOptions::default()).is_ok());
}

#[test]
fn narrowed_symbologies_leave_the_others_unread() {
    use civiqr::{decode, DecodeOptions, ImageRef, Symbology};
    let code = civiqr::encode_text(
        "https://example.org/banc-3",
        &civiqr::EncodeOptions::default(),
    )
    .expect("fits");
    // A clean render: the fast path for computer-made symbols must obey the
    // list too.
    let side = (code.size() + 8) * 4;
    let mut px = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / 4).wrapping_sub(4), (y / 4).wrapping_sub(4));
            if code.get(mx, my) {
                px[y * side + x] = 0;
            }
        }
    }
    let image = ImageRef::luma(&px, side, side);
    for pure in [false, true] {
        let others = DecodeOptions::default()
            .pure(pure)
            .symbologies(&[Symbology::MicroQr, Symbology::Rmqr]);
        assert!(decode(image, &others).expect("valid").is_empty());
        let qr = DecodeOptions::default()
            .pure(pure)
            .symbologies(&[Symbology::Qr]);
        assert_eq!(decode(image, &qr).expect("valid").len(), 1);
    }
}
