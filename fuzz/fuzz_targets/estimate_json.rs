//! Arbitrary text read as a case and estimated: a result that keeps every invariant, or a
//! well-formed error; and the totals-only estimate of the same text agrees with it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let full = tiercost::estimate_json(text);
    tiercost_fuzz::check_result(&full);
    let totals = tiercost::estimate_json_with(text, tiercost::Detail::Totals);
    tiercost_fuzz::check_totals(&full, &totals);
});
