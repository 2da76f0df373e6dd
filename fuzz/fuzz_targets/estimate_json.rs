//! Arbitrary text read as a case and estimated: a result that keeps every invariant, or a
//! well-formed error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    tiercost_fuzz::check_result(&tiercost::estimate_json(text));
});
