//! Reads every image of a folder tree written by `scripts/make-multi.py`
//! (each image has a `.txt` beside it listing the texts it holds, one per
//! line; an empty one means no code) and prints one JSON line per image and
//! rotation: file, rotation, how many texts were expected, how many of them
//! were read, how many symbols read something else (misreads), and the
//! decode time in milliseconds (pixels already in memory).
//! `scripts/multi-compare.py` runs this and zxing-cpp on the same images.
//!
//! Run: cargo run --release -p civiqr-tools --bin multi_stats -- DIR
//! [--rotations] [--repeat N]
//!
//! `--rotations` also reads each image turned 90, 180 and 270 degrees;
//! `--repeat N` decodes each image N times and reports the fastest.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use civiqr::{decode, DecodeOptions, ImageRef};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rotations: &[u32] = if args.iter().any(|a| a == "--rotations") {
        &[0, 90, 180, 270]
    } else {
        &[0]
    };
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .max(1);
    let Some(dir) = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[*i - 1] != "--repeat"))
        .map(|(_, a)| PathBuf::from(a))
    else {
        eprintln!("usage: multi_stats DIR [--rotations] [--repeat N]");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let opts = DecodeOptions::default();
    for path in files {
        let Ok(listed) = std::fs::read_to_string(path.with_extension("txt")) else {
            continue;
        };
        let expected: HashSet<&str> = listed.lines().filter(|l| !l.is_empty()).collect();
        let Ok(img) = image::open(&path) else {
            eprintln!("cannot open {}", path.display());
            continue;
        };
        let mut luma = img.into_luma8();
        let mut turned = 0;
        for &rotation in rotations {
            while turned < rotation {
                luma = image::imageops::rotate90(&luma);
                turned += 90;
            }
            let (w, h) = (luma.width() as usize, luma.height() as usize);
            let mut ms = f64::INFINITY;
            let mut found = Vec::new();
            for _ in 0..repeat {
                let start = Instant::now();
                found = decode(ImageRef::luma(luma.as_raw(), w, h), &opts).unwrap_or_default();
                ms = ms.min(start.elapsed().as_secs_f64() * 1000.0);
            }
            let texts: HashSet<String> = found
                .iter()
                .map(|d| {
                    d.text()
                        .map_or_else(|| format!("{:?}", d.bytes()), str::to_owned)
                })
                .collect();
            let ok = expected.iter().filter(|t| texts.contains(**t)).count();
            let wrong = texts
                .iter()
                .filter(|t| !expected.contains(t.as_str()))
                .count();
            println!(
                "{{\"file\":{:?},\"rotation\":{rotation},\"expected\":{},\"ok\":{ok},\"wrong\":{wrong},\"ms\":{ms:.4}}}",
                path.display().to_string(),
                expected.len()
            );
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("png" | "jpg" | "jpeg" | "webp")
        ) {
            out.push(p);
        }
    }
}
