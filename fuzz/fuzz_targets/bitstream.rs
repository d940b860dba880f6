//! The bit-stream parser (segments, ECI, FNC1, structured append, text
//! conversion) on arbitrary data codewords of any version.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&v, rest)) = data.split_first() {
        civiqr::fuzzing::bitstream(v, rest);
    }
});
