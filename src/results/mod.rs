//! What an estimate says: the result types, per layer and for the family ([`estimate`]);
//! the explanation of every step in words ([`explain`]); and the sentence a person reads for
//! each error code (`sentences`, native only).

pub mod estimate;
pub mod explain;
#[cfg(not(target_arch = "wasm32"))]
pub mod sentences;
