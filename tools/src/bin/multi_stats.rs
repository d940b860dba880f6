//! Reads every image of a folder tree written by `scripts/make-multi.py`
//! (each image has a `.txt` beside it listing the texts it holds, one per
//! line; an empty one means no code) and prints one JSON line per image and
//! rotation: file, rotation, how many texts were expected, how many of them
//! were read, how many symbols read something else (misreads), and the
//! decode time in milliseconds (pixels already in memory).
//! `scripts/multi-compare.py` runs this and zxing-cpp on the same images.
//!
//! Run: cargo run --release -p civiqr-tools --bin multi_stats -- DIR
//! [--rotations] [--repeat N] [--quick]
//!
//! `--rotations` also reads each image turned 90, 180 and 270 degrees;
//! `--repeat N` decodes each image N times and reports the fastest;
//! `--quick` decodes with `DecodeOptions::quick` (a camera scanner's frames
//! between full decodes).

use civiqr::DecodeOptions;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[path = "../stats_common.rs"]
mod stats_common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rotations: &[u32] = if args.iter().any(|a| a == "--rotations") {
        &[0, 90, 180, 270]
    } else {
        &[0]
    };
    let repeat = stats_common::repeat(&args);
    let Some(dir) = stats_common::folder(&args) else {
        eprintln!("usage: multi_stats DIR [--rotations] [--repeat N] [--quick]");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let opts = DecodeOptions::default().quick(args.iter().any(|a| a == "--quick"));
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
            let (found, ms) = stats_common::timed_decode(&luma, &opts, repeat);
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
