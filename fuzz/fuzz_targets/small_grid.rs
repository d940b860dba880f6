//! The Micro QR and rMQR grid decoders (format information in every
//! orientation, codeword placement, Reed-Solomon, their bit-stream dialects)
//! on arbitrary module grids of every size.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&v, rest)) = data.split_first() {
        civiqr::fuzzing::small_grid(v, rest);
    }
});
