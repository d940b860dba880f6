//! Criterion benches: matrix generation and SVG rendering, civiqr against the
//! fast_qr, qrcodegen and qrcode crates on the same payloads and EC levels.
//! `scripts/bench-table.py` turns the results into the table in docs/BENCHMARKS.md.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};

/// The four payloads of the benchmark: name, bytes, EC level.
fn payloads() -> Vec<(&'static str, Vec<u8>, civiqr::EcLevel)> {
    // Deterministic lower-case text, so every encoder writes one byte segment.
    let text = |n: usize| -> Vec<u8> {
        let mut s = 7u32;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                b"abcdefghijklmnopqrstuvwxyz ,.-"[(s >> 16) as usize % 30]
            })
            .collect()
    };
    let digits: Vec<u8> = (0..7000u32)
        .map(|i| b'0' + ((i * 7 + i / 13) % 10) as u8)
        .collect();
    vec![
        (
            "url_M",
            b"https://example.org/mobilier/banc-0042".to_vec(),
            civiqr::EcLevel::M,
        ),
        ("bytes500_Q", text(500), civiqr::EcLevel::Q),
        ("bytes2900_L", text(2900), civiqr::EcLevel::L),
        ("digits7000_L", digits, civiqr::EcLevel::L),
    ]
}

fn fast_ecl(ec: civiqr::EcLevel) -> fast_qr::ECL {
    match ec {
        civiqr::EcLevel::L => fast_qr::ECL::L,
        civiqr::EcLevel::M => fast_qr::ECL::M,
        civiqr::EcLevel::Q => fast_qr::ECL::Q,
        civiqr::EcLevel::H => fast_qr::ECL::H,
    }
}

fn nayuki_ecl(ec: civiqr::EcLevel) -> qrcodegen::QrCodeEcc {
    match ec {
        civiqr::EcLevel::L => qrcodegen::QrCodeEcc::Low,
        civiqr::EcLevel::M => qrcodegen::QrCodeEcc::Medium,
        civiqr::EcLevel::Q => qrcodegen::QrCodeEcc::Quartile,
        civiqr::EcLevel::H => qrcodegen::QrCodeEcc::High,
    }
}

fn kenny_ecl(ec: civiqr::EcLevel) -> qrcode::EcLevel {
    match ec {
        civiqr::EcLevel::L => qrcode::EcLevel::L,
        civiqr::EcLevel::M => qrcode::EcLevel::M,
        civiqr::EcLevel::Q => qrcode::EcLevel::Q,
        civiqr::EcLevel::H => qrcode::EcLevel::H,
    }
}

fn civiqr_encode(data: &[u8], ec: civiqr::EcLevel) -> civiqr::QrCode {
    let opts = civiqr::EncodeOptions::default().ec_level(ec);
    match std::str::from_utf8(data) {
        Ok(text) => civiqr::encode_text(text, &opts),
        Err(_) => civiqr::encode_bytes(data, &opts),
    }
    .expect("bench payloads fit")
}

fn matrix(c: &mut Criterion) {
    for (name, data, ec) in payloads() {
        let mut g = c.benchmark_group(format!("matrix/{name}"));
        g.bench_function(BenchmarkId::from_parameter("civiqr"), |b| {
            b.iter(|| civiqr_encode(black_box(&data), ec))
        });
        g.bench_function(BenchmarkId::from_parameter("fast_qr"), |b| {
            b.iter(|| {
                fast_qr::QRBuilder::new(black_box(data.clone()))
                    .ecl(fast_ecl(ec))
                    .build()
                    .expect("fits")
            })
        });
        g.bench_function(BenchmarkId::from_parameter("qrcodegen"), |b| {
            b.iter(|| match std::str::from_utf8(black_box(&data)) {
                Ok(t) => qrcodegen::QrCode::encode_text(t, nayuki_ecl(ec)).expect("fits"),
                Err(_) => qrcodegen::QrCode::encode_binary(&data, nayuki_ecl(ec)).expect("fits"),
            })
        });
        g.bench_function(BenchmarkId::from_parameter("qrcode"), |b| {
            b.iter(|| {
                qrcode::QrCode::with_error_correction_level(black_box(&data), kenny_ecl(ec))
                    .expect("fits")
            })
        });
        g.finish();
    }
}

fn svg(c: &mut Criterion) {
    for (name, data, ec) in payloads() {
        let ours = civiqr_encode(&data, ec);
        let theirs_fast = fast_qr::QRBuilder::new(data.clone())
            .ecl(fast_ecl(ec))
            .build()
            .expect("fits");
        let theirs_kenny =
            qrcode::QrCode::with_error_correction_level(&data, kenny_ecl(ec)).expect("fits");
        let opts = civiqr::render::RenderOptions::default();
        let mut g = c.benchmark_group(format!("svg/{name}"));
        g.bench_function(BenchmarkId::from_parameter("civiqr"), |b| {
            b.iter(|| civiqr::render::svg(black_box(&ours), &opts).expect("renders"))
        });
        g.bench_function(BenchmarkId::from_parameter("fast_qr"), |b| {
            let builder = fast_qr::convert::svg::SvgBuilder::default();
            b.iter(|| builder.to_str(black_box(&theirs_fast)))
        });
        g.bench_function(BenchmarkId::from_parameter("qrcode"), |b| {
            b.iter(|| {
                black_box(&theirs_kenny)
                    .render::<qrcode::render::svg::Color<'_>>()
                    .build()
            })
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = matrix, svg
}
criterion_main!(benches);
