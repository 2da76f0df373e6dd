//! What an estimate says: the result types, per layer and for the family ([`estimate`]);
//! the explanation of every step in words (`explain`, through the page's table of templates
//! `wording`); and the sentence a person reads for each error code (`sentences`). The last
//! three are native only: in the browser the page's own modules render the words.

pub mod estimate;
#[cfg(not(target_arch = "wasm32"))]
pub mod explain;
#[cfg(not(target_arch = "wasm32"))]
pub mod sentences;
#[cfg(not(target_arch = "wasm32"))]
pub mod wording;
