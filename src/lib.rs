//! # tiercost
//!
//! What a medical bill, or a year of treatment, really costs a patient in mainland China
//! after every layer that can pay: basic medical insurance (职工 / 城乡居民医保), critical
//! illness insurance (大病保险 / 职工大额), medical assistance (医疗救助), commercial cover
//! (惠民保, 百万医疗) and charity (慈善, drug-donation programmes).
//!
//! The rules are data ([`policy::Pack`]): dated editions, each citing its sources. A
//! [`case::Case`] names a pack (or carries one inline), the patient and the encounters; the
//! [`estimate::Estimate`] says what each layer paid, why (a trace of steps with parameter
//! values, dates and sources), and what is left for the family — exactly, in fen.
//!
//! ```
//! let e = tiercost::estimate_json(include_str!("../examples/inline-pack-case.json")).unwrap();
//! // Every fen is accounted for: layers + family = total.
//! assert_eq!(e.covered.fen() + e.patient.total.fen(), e.total.fen());
//! ```
//!
//! # Money
//!
//! [`Money`] is integer fen; [`Rate`] is an exact decimal; quantities that are not whole fen
//! are exact [`Ratio`]s until each benefit's payment is rounded once, half up.

#![deny(missing_docs)]

pub mod case;
pub mod casefile;
pub mod catalog;
pub mod choice;
pub mod condition;
pub mod date;
mod engine;
pub mod error;
pub mod estimate;
pub mod explain;
pub mod money;
pub mod policy;
#[cfg(feature = "schema")]
pub mod schema;
mod settle;
mod validate;

pub use case::Case;
pub use catalog::{Catalog, PackSummary};
pub use date::Date;
pub use engine::{
    data_version, estimate, estimate_json, limits, list_packs, validate_json, DocumentSummary,
};
pub use error::{Error, ErrorCode};
pub use estimate::Estimate;
pub use money::{Money, Rate, Ratio};
pub use policy::Pack;

/// The engine's version (the crate version).
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
