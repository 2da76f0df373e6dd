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
//!
//! # Planning
//!
//! Beyond one estimate, the planning functions answer what a social worker asks next. Each
//! takes JSON text and returns a serializable result or an [`Error`]; each reads a *subject*:
//! a case, or a plan document (a case with a `plan` in place of `encounters`).
//!
//! * [`plan_json`] ([`plan`]): a course of treatment expanded into encounters, with the
//!   month-by-month cash flow, the events (deductible met, cap reached, donation rounds, new
//!   policy year), the totals per layer and year, and the [`burden`];
//! * [`compare_json`] ([`scenario`]): variants of a subject (merge patches, presets, settlement
//!   orders) against the base, per layer and for the family, premiums shown separately;
//! * [`aid_needed_json`] and [`max_bill_json`] ([`inverse`]): the aid that brings the share to
//!   a target, and the largest bill that keeps it under one, exact to the fen;
//! * [`range_json`] ([`range`]): lowest, typical and highest share when the level, the split
//!   or the number of admissions is unknown, and which matters most;
//! * [`burden_json`] ([`burden`]): the share against household income and capacity to pay;
//! * [`help_available_json`] ([`help_available`]): programmes, products and assistance categories the
//!   family could still apply for, and what each would save.
//!
//! # Many applicants
//!
//! [`batch`] settles one row per applicant against a case template (the packs resolved
//! once), each row exactly as [`estimate`] would, with per-row errors and an exact summary:
//! `tiercost batch` reads CSV, JSON Lines or Parquet into it (docs/BATCH.md).

#![deny(missing_docs)]

// The layout, by domain (README.md draws it). A folder depends only on those before it in
// this order, never on one after it: error (shared by all) → reading → units → rules →
// results → settle → engine → planning → documents → casefile, batch; schema at the
// boundary. The JavaScript boundary (wasm/, crate `tiercost-wasm`) and the command line
// (cli/, crate `tiercost-cli`) are crates of their own on top of this one.
#[cfg(not(target_arch = "wasm32"))]
pub mod batch;
pub mod casefile;
pub mod documents;
mod engine;
pub mod error;
pub mod planning;
pub mod reading;
pub mod results;
pub mod rules;
#[cfg(feature = "schema")]
pub mod schema;
mod settle;
pub mod units;

// The stable paths: every module keeps the name it had when `src/` was flat
// (`tiercost::policy::Pack`, `tiercost::estimate::Outcome`, `crate::read::read_struct!`…),
// so callers need not know the folders.
pub use planning::{burden, help_available, inverse, plan, range, scenario};
pub use reading::{limits, read};
pub use results::estimate;
#[cfg(not(target_arch = "wasm32"))]
pub use results::{explain, sentences, wording};
#[cfg(not(target_arch = "wasm32"))]
pub use rules::stale;
pub(crate) use rules::validate;
pub use rules::{build_check, case, catalog, choice, condition, policy};
pub use units::{date, money};

pub use burden::burden_json;
pub use case::Case;
pub use catalog::{Catalog, PackSummary};
pub use date::Date;
pub use documents::{data_version, list_packs, validate_json, DocumentKind, DocumentSummary};
pub use engine::{estimate, estimate_json, estimate_json_with, estimate_with, Packs};
pub use engine::{estimate_registered, estimate_registered_json, Registered};
pub use error::{Error, ErrorCode};
pub use estimate::{Detail, Estimate};
pub use help_available::help_available_json;
pub use inverse::{aid_needed_json, max_bill_json};
pub use money::{Money, Rate, Ratio};
pub use plan::plan_json;
pub use policy::Pack;
pub use range::range_json;
pub use scenario::{common_variants_json, compare_json};

/// The engine's version (the crate version).
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
