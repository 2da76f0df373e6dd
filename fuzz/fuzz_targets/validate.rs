//! Arbitrary text read as a pack or programme and validated (inheritance resolved against
//! the embedded catalogue). It must give a summary or well-formed errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match tiercost::validate_json(text) {
        Ok(summary) => {
            let _ = serde_json::to_string(&summary).expect("a summary serializes");
        }
        Err(e) => tiercost_fuzz::check_error(&e),
    }
});
