//! The one error type: a stable code, the JSON path of the offending field, and a message
//! saying what was wrong and what was expected.

use std::fmt;

use serde::Serialize;

/// Stable error codes. They are part of the public API (CLI, wasm, npm): never rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The text is not valid JSON.
    JsonSyntax,
    /// A value has the wrong JSON type.
    InvalidType,
    /// An object has a field the format does not define.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A string is not one of the allowed values.
    InvalidValue,
    /// An amount is not a decimal string with at most two decimals, or is negative.
    InvalidAmount,
    /// A rate is not a decimal between 0 and 1 with at most six decimals.
    InvalidRate,
    /// A date is not a real `YYYY-MM-DD` date.
    InvalidDate,
    /// A JSON number was given where money or a rate is expected (they must be strings).
    NumberNotString,
    /// Money arithmetic overflowed.
    Overflow,
    /// A pack or programme named by the case is neither built in nor given inline.
    UnknownPack,
    /// A reference names a layer, scheme, group, level, source or pool that does not exist.
    UnknownReference,
    /// No edition of a rule is in effect on the encounter's date.
    NotInEffect,
    /// A pack or programme has no layers at all, so nothing could ever pay.
    NoLayers,
    /// `validate` was given a document that is none of a pack, a programme, a case or a plan.
    UnknownDocument,
    /// Dated editions are out of order.
    UnsortedDates,
    /// Dated editions overlap.
    OverlappingDates,
    /// Band thresholds do not ascend.
    BandsNotAscending,
    /// A parameter lacks a source reference.
    MissingSource,
    /// Two items share an id.
    DuplicateId,
    /// A source or an edition breaks the grade policy (`policies/README.md`, *Grades*): a
    /// mirror graded A, a citation of a site root, values resting on grade D alone.
    WeakSource,
    /// A built-in source lacks its validity (from, until or "replaced", review date).
    MissingValidity,
    /// An input is larger than the engine accepts. No longer produced: each limit now has
    /// its own code (`too_large`, `too_deep`, `too_many_*`); kept so that the name stays
    /// stable for code that matches on it.
    LimitExceeded,
    /// The document is longer than [`crate::reading::limits::MAX_BYTES`].
    TooLarge,
    /// The document nests arrays and objects deeper than [`crate::reading::limits::MAX_DEPTH`].
    TooDeep,
    /// More encounters than [`crate::reading::limits::MAX_ENCOUNTERS`] (given, or a plan's expansion).
    TooManyEncounters,
    /// More items than [`crate::reading::limits::MAX_ITEMS_PER_ENCOUNTER`] in one encounter, or than
    /// [`crate::reading::limits::MAX_ITEMS`] in a case.
    TooManyItems,
    /// More programmes than [`crate::reading::limits::MAX_PROGRAMMES`].
    TooManyProgrammes,
    /// A list of names in a case (diagnoses, enrolments, the layer order) longer than
    /// [`crate::reading::limits::MAX_NAMES`].
    TooManyNames,
    /// A list in a pack or programme (layers, editions, benefits, bands, caps, codes,
    /// condition rows…) longer than [`crate::reading::limits::MAX_RULES`], or more entries in all its
    /// lists than [`crate::reading::limits::MAX_RULES_TOTAL`].
    TooManyRules,
    /// More scenario variants than [`crate::planning::scenario::MAX_VARIANTS`].
    TooManyVariants,
    /// More combinations of unknowns than [`crate::planning::range::MAX_COMBINATIONS`].
    TooManyCombinations,
    /// A plan longer than [`crate::planning::plan::MAX_PLAN_MONTHS`] months.
    TooManyMonths,
    /// More plan courses than [`crate::planning::plan::MAX_COURSES`].
    TooManyCourses,
    /// More non-medical costs than [`crate::planning::plan::MAX_NON_MEDICAL`].
    TooManyCosts,
    /// The pack or programme has problems; see `problems`.
    InvalidPack,
    /// The case has problems; see `problems`.
    InvalidCase,
    /// A value is inconsistent with another (e.g. a split that does not sum to one).
    Inconsistent,
    /// An internal invariant failed. Always a bug: please report it.
    Internal,
}

impl ErrorCode {
    /// The code as the stable snake_case string used in JSON, the CLI and JS.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            JsonSyntax => "json_syntax",
            InvalidType => "invalid_type",
            UnknownField => "unknown_field",
            MissingField => "missing_field",
            InvalidValue => "invalid_value",
            InvalidAmount => "invalid_amount",
            InvalidRate => "invalid_rate",
            InvalidDate => "invalid_date",
            NumberNotString => "number_not_string",
            Overflow => "overflow",
            UnknownPack => "unknown_pack",
            UnknownReference => "unknown_reference",
            NotInEffect => "not_in_effect",
            NoLayers => "no_layers",
            UnknownDocument => "unknown_document",
            UnsortedDates => "unsorted_dates",
            OverlappingDates => "overlapping_dates",
            BandsNotAscending => "bands_not_ascending",
            MissingSource => "missing_source",
            DuplicateId => "duplicate_id",
            WeakSource => "weak_source",
            MissingValidity => "missing_validity",
            LimitExceeded => "limit_exceeded",
            TooLarge => "too_large",
            TooDeep => "too_deep",
            TooManyEncounters => "too_many_encounters",
            TooManyItems => "too_many_items",
            TooManyProgrammes => "too_many_programmes",
            TooManyNames => "too_many_names",
            TooManyRules => "too_many_rules",
            TooManyVariants => "too_many_variants",
            TooManyCombinations => "too_many_combinations",
            TooManyMonths => "too_many_months",
            TooManyCourses => "too_many_courses",
            TooManyCosts => "too_many_costs",
            InvalidPack => "invalid_pack",
            InvalidCase => "invalid_case",
            Inconsistent => "inconsistent",
            Internal => "internal",
        }
    }

    /// Every code, for documentation and exhaustive boundary tests.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::JsonSyntax,
        ErrorCode::InvalidType,
        ErrorCode::UnknownField,
        ErrorCode::MissingField,
        ErrorCode::InvalidValue,
        ErrorCode::InvalidAmount,
        ErrorCode::InvalidRate,
        ErrorCode::InvalidDate,
        ErrorCode::NumberNotString,
        ErrorCode::Overflow,
        ErrorCode::UnknownPack,
        ErrorCode::UnknownReference,
        ErrorCode::NotInEffect,
        ErrorCode::NoLayers,
        ErrorCode::UnknownDocument,
        ErrorCode::UnsortedDates,
        ErrorCode::OverlappingDates,
        ErrorCode::BandsNotAscending,
        ErrorCode::MissingSource,
        ErrorCode::DuplicateId,
        ErrorCode::WeakSource,
        ErrorCode::MissingValidity,
        ErrorCode::LimitExceeded,
        ErrorCode::TooLarge,
        ErrorCode::TooDeep,
        ErrorCode::TooManyEncounters,
        ErrorCode::TooManyItems,
        ErrorCode::TooManyProgrammes,
        ErrorCode::TooManyNames,
        ErrorCode::TooManyRules,
        ErrorCode::TooManyVariants,
        ErrorCode::TooManyCombinations,
        ErrorCode::TooManyMonths,
        ErrorCode::TooManyCourses,
        ErrorCode::TooManyCosts,
        ErrorCode::InvalidPack,
        ErrorCode::InvalidCase,
        ErrorCode::Inconsistent,
        ErrorCode::Internal,
    ];
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from reading a case, pack or programme, or from estimating.
///
/// `path` is a JSON path into the document that was read (`$.encounters[0].items[2].amount`),
/// or `$` when the error concerns the whole document. A validation error with several
/// problems carries them in `problems`, each with its own code and path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Error {
    /// The stable code.
    pub code: ErrorCode,
    /// The JSON path of the offending field.
    pub path: String,
    /// What was wrong and what was expected.
    pub message: String,
    /// Individual problems, when the error gathers several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Error>,
}

impl Error {
    /// A new error.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            code,
            path: path.into(),
            message: message.into(),
            problems: Vec::new(),
        }
    }

    /// The overflow error (money arithmetic left the representable range).
    pub fn overflow() -> Error {
        Error::new(
            ErrorCode::Overflow,
            "$",
            "an amount overflowed: the sums in this case are too large to compute exactly",
        )
    }

    /// An error gathering several problems under one code.
    pub fn gather(code: ErrorCode, what: &str, mut problems: Vec<Error>) -> Error {
        if problems.len() == 1 && problems[0].problems.is_empty() && code != ErrorCode::InvalidPack
        {
            return problems.remove(0);
        }
        let n = problems.len();
        let first = problems
            .first()
            .map(|p| format!(": {} at {}", p.message, p.path))
            .unwrap_or_default();
        Error {
            code,
            path: "$".into(),
            message: format!(
                "{what} has {n} problem{}{first}",
                if n == 1 { "" } else { "s" }
            ),
            problems,
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// Prefixes the path with a parent path (for errors found inside an embedded document).
    ///
    /// The summary line of a gathered error names its first problem's path (`… at $.layers[1]`):
    /// that path is prefixed too, so every path the author reads starts from the document
    /// they gave (`$.inlinePack.layers[1]`).
    pub fn under(mut self, prefix: &str) -> Error {
        if prefix == "$" {
            return self;
        }
        if let Some(first) = self.problems.first() {
            // `… at $.layers[1]`: the `$` of the path at the end becomes the prefix.
            let old = first.path.as_str();
            let root = old.len() - old.trim_start_matches('$').len();
            let start = self.message.len().wrapping_sub(old.len());
            if self.message.ends_with(old) && self.message[..start].ends_with(" at ") {
                self.message = [&self.message[..start], prefix, &old[root..]].concat();
            }
        }
        self.path = format!("{prefix}{}", self.path.trim_start_matches('$'));
        for p in &mut self.problems {
            *p = p.clone().under(prefix);
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.code, self.path, self.message)?;
        for p in &self.problems {
            write!(f, "\n  - {} at {}: {}", p.code, p.path, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_prefixes_every_path_and_the_summary_line() {
        let e = Error::gather(
            ErrorCode::InvalidPack,
            "pack \"x\"",
            vec![
                Error::new(ErrorCode::NoLayers, "$.layers", "no layers"),
                Error::new(ErrorCode::InvalidValue, "$.id", "no id"),
            ],
        )
        .under("$.inlinePack");
        assert_eq!(e.path, "$.inlinePack");
        assert_eq!(
            e.message,
            "pack \"x\" has 2 problems: no layers at $.inlinePack.layers"
        );
        let paths: Vec<&str> = e.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["$.inlinePack.layers", "$.inlinePack.id"]);
        // A message that does not end with the first path is left as it is.
        let mut e = e;
        e.message = "something else".into();
        assert_eq!(e.under("$.a").message, "something else");
        // Under `$`, nothing changes.
        let e = Error::new(ErrorCode::InvalidValue, "$.id", "no id").under("$");
        assert_eq!(e.path, "$.id");
    }
}
