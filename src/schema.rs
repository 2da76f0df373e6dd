//! JSON Schemas for the scalar types, which serialize as strings with a fixed shape.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use crate::units::date::{Date, MonthDay};
use crate::units::money::{Money, Rate, RateDelta};

macro_rules! string_schema {
    ($t:ty, $name:literal, $pattern:literal, $desc:literal) => {
        impl JsonSchema for $t {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "pattern": $pattern, "description": $desc })
            }
        }
    };
}

string_schema!(Money, "Money", "^[0-9]{1,13}(\\.[0-9]{1,2})?$", "An amount of yuan as a decimal string with at most two decimals, e.g. \"52000.50\". Never a JSON number.");
string_schema!(
    Rate,
    "Rate",
    "^(0(\\.[0-9]{1,6})?|1(\\.0{1,6})?)$",
    "A rate between 0 and 1 as a decimal string with at most six decimals, e.g. \"0.85\"."
);
string_schema!(
    RateDelta,
    "RateDelta",
    "^[-+]?[01](\\.[0-9]{1,6})?$",
    "A signed change of rate, e.g. \"-0.1\" for ten percentage points down."
);
string_schema!(
    Date,
    "Date",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "A calendar date, YYYY-MM-DD."
);
string_schema!(
    crate::rules::policy::Until,
    "Until",
    "^([0-9]{4}-[0-9]{2}-[0-9]{2}|replaced)$",
    "The last day a source's rules hold (YYYY-MM-DD), or \"replaced\" when they hold until a new rule replaces them."
);
string_schema!(
    MonthDay,
    "MonthDay",
    "^[0-9]{2}-[0-9]{2}$",
    "A month and day, MM-DD (day at most 28)."
);

/// Declares [`Document`] from one list: each kind's name on the command line and its doc
/// comment, which is also what `tiercost schema --help` says of it.
macro_rules! documents {
    ($($(#[doc = $doc:literal])+ $kind:ident = $name:literal,)+) => {
        /// Which document a schema describes (also the CLI's `tiercost schema KIND` argument).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Document {
            $($(#[doc = $doc])+ $kind,)+
        }

        impl Document {
            /// Every kind, in the order the CLI lists them.
            pub const ALL: &'static [Document] = &[$(Document::$kind),+];

            /// The kind's name on the command line (`case`, `max-bill`, …).
            pub fn name(self) -> &'static str {
                match self {
                    $(Document::$kind => $name,)+
                }
            }

            /// What the kind is: its doc comment.
            pub fn about(self) -> &'static str {
                match self {
                    $(Document::$kind => concat!($($doc),+).trim(),)+
                }
            }
        }
    };
}

documents! {
    /// A case (the input to an estimate).
    Case = "case",
    /// A policy pack or programme.
    Pack = "pack",
    /// An estimate (the output).
    Result = "result",
    /// One embedded pack as listed (`listPacks` returns an array of them).
    Packs = "packs",
    /// What `validate` returns for a valid document.
    Summary = "summary",
    /// A scenario comparison.
    Comparison = "comparison",
    /// One variant of a case (`commonVariants` returns an array of them).
    Variants = "variants",
    /// A treatment plan's cash flow.
    Plan = "plan",
    /// The aid needed to reach a target.
    Aid = "aid",
    /// The largest bill under a target.
    MaxBill = "max-bill",
    /// Lowest, typical and highest shares over unknown inputs.
    Range = "range",
    /// The burden on the household.
    Burden = "burden",
    /// Help still available.
    Help = "help",
}

/// The JSON Schema of a document, generated from the Rust types.
pub fn schema_for(doc: Document) -> serde_json::Value {
    let s = match doc {
        Document::Case => schemars::schema_for!(crate::rules::case::Case),
        Document::Pack => schemars::schema_for!(crate::rules::policy::Pack),
        Document::Result => schemars::schema_for!(crate::results::estimate::Estimate),
        Document::Packs => schemars::schema_for!(crate::rules::catalog::PackSummary),
        Document::Summary => schemars::schema_for!(crate::DocumentSummary),
        Document::Comparison => schemars::schema_for!(crate::planning::scenario::Comparison),
        Document::Variants => schemars::schema_for!(crate::planning::scenario::Variant),
        Document::Plan => schemars::schema_for!(crate::planning::plan::PlanResult),
        Document::Aid => schemars::schema_for!(crate::planning::inverse::AidAnswer),
        Document::MaxBill => schemars::schema_for!(crate::planning::inverse::MaxBillAnswer),
        Document::Range => schemars::schema_for!(crate::planning::range::RangeResult),
        Document::Burden => schemars::schema_for!(crate::planning::burden::Burden),
        Document::Help => schemars::schema_for!(crate::planning::help_available::HelpAvailable),
    };
    serde_json::to_value(s).unwrap_or(serde_json::Value::Null)
}
