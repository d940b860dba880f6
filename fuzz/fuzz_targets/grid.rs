//! The grid decoder (format and version information, codeword placement,
//! Reed-Solomon with erasures, bit stream) on arbitrary module grids.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&v, rest)) = data.split_first() {
        civiqr::fuzzing::grid(v, rest);
    }
});
