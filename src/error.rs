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

    fn from_prefix(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
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

    /// Converts a `serde_json` error met at `path`, recovering our own codes from messages
    /// raised by custom deserializers (`invalid_amount: …`).
    pub(crate) fn from_json(err: &serde_json::Error, path: String) -> Error {
        use serde_json::error::Category;
        let full = err.to_string();
        // serde_json appends " at line L column C"; keep it, it helps people editing by hand.
        let (code, message) = match err.classify() {
            Category::Syntax | Category::Eof => (ErrorCode::JsonSyntax, full.clone()),
            Category::Io => (ErrorCode::JsonSyntax, full.clone()),
            Category::Data => {
                if let Some((prefix, rest)) = full.split_once(": ") {
                    // `code@$.inner.path: …` comes from `read::bridge`: the path is inside
                    // the value that was being read at `path`.
                    let (code, inner) = prefix.split_once('@').unwrap_or((prefix, "$"));
                    if let Some(code) = ErrorCode::from_prefix(code) {
                        return Error::new(code, inner, rest.to_string()).under(&path);
                    }
                }
                if full.starts_with("invalid length") && full.contains("expected struct") {
                    let line = full.find(" at line").map(|i| &full[i..]).unwrap_or("");
                    return Error::new(
                        ErrorCode::InvalidType,
                        path,
                        format!("expected an object, found an array{line}"),
                    );
                }
                let code = if full.starts_with("unknown field") {
                    ErrorCode::UnknownField
                } else if full.starts_with("missing field") {
                    ErrorCode::MissingField
                } else if full.starts_with("invalid type") {
                    ErrorCode::InvalidType
                } else if full.starts_with("unknown variant") || full.starts_with("invalid value") {
                    ErrorCode::InvalidValue
                } else if full.contains("recursion limit") {
                    ErrorCode::TooDeep
                } else {
                    ErrorCode::InvalidValue
                };
                (code, full)
            }
        };
        Error::new(code, path, message)
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

/// Deserializes JSON text into `T`, reporting the JSON path of the first problem.
///
/// serde_json reports where a problem was found (line and column); the path is recovered by
/// scanning the text up to that point. This costs nothing on valid input and keeps the wasm
/// free of a path-tracking wrapper around every deserialized type.
pub(crate) fn from_json_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| {
        let path = match e.classify() {
            serde_json::error::Category::Data => json_path_at(text, e.line(), e.column()),
            _ => "$".to_string(),
        };
        Error::from_json(&e, path)
    })
}

/// Deserializes an already-parsed JSON value into `T`, reporting paths under `prefix`.
pub(crate) fn from_json_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, Error> {
    match serde_json::from_value(value.clone()) {
        Ok(v) => Ok(v),
        // Re-read the value as text to find where the problem is.
        Err(_) => from_json_str(&value.to_string()).map_err(|e| e.under(prefix)),
    }
}

enum Frame {
    Object {
        key: Option<String>,
        after_colon: bool,
    },
    Array {
        index: usize,
    },
}

/// The JSON path of the value being read at `line`/`column` (1-based; the column of the
/// last byte serde_json consumed).
fn json_path_at(text: &str, line: usize, column: usize) -> String {
    let bytes = text.as_bytes();
    let mut offset = 0usize;
    for _ in 1..line {
        match bytes[offset..].iter().position(|&b| b == b'\n') {
            Some(p) => offset += p + 1,
            None => break,
        }
    }
    json_path_at_offset(text, offset + column.saturating_sub(1))
}

/// The JSON path of the value at byte `offset` (an opening bracket names the value it opens).
pub(crate) fn json_path_at_offset(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let target = offset.min(bytes.len().saturating_sub(1));
    let mut stack: Vec<Frame> = Vec::new();
    let mut at_close = false;
    let mut i = 0usize;
    while i <= target && i < bytes.len() {
        match bytes[i] {
            // A problem reported at an opening bracket concerns the value it opens.
            b'{' | b'[' if i == target => break,
            b'{' => stack.push(Frame::Object {
                key: None,
                after_colon: false,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                if i == target {
                    at_close = true;
                    break;
                }
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key, after_colon }) => {
                    *key = None;
                    *after_colon = false;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { after_colon, .. }) = stack.last_mut() {
                    *after_colon = true;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object {
                    key,
                    after_colon: false,
                }) = stack.last_mut()
                {
                    let raw = text.get(start..j.min(bytes.len())).unwrap_or("");
                    *key = Some(match serde_json::from_str(&format!("\"{raw}\"")) {
                        Ok(serde_json::Value::String(k)) => k,
                        _ => raw.to_string(),
                    });
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::from("$");
    let n = stack.len();
    for (k, frame) in stack.iter().enumerate() {
        let innermost = k + 1 == n;
        match frame {
            Frame::Object { key: Some(key), .. } if !(innermost && at_close) => {
                out.push('.');
                out.push_str(key);
            }
            Frame::Array { index } if !(innermost && at_close) => {
                out.push_str(&format!("[{index}]"))
            }
            _ => {}
        }
    }
    out
}

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

    // A derived type shaped like a case (the planning documents are read this way; the case
    // itself is read by `crate::read`).
    #[allow(dead_code)]
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        pack: String,
        member: Member,
        encounters: Vec<Encounter>,
    }
    #[allow(dead_code)]
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Member {
        scheme: String,
    }
    #[allow(dead_code)]
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Encounter {
        date: crate::Date,
        setting: crate::rules::case::Setting,
        items: Vec<Item>,
    }
    #[allow(dead_code)]
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        amount: crate::Money,
        class: crate::rules::case::Class,
    }

    fn path_of(text: &str) -> String {
        let e = serde_json::from_str::<Doc>(text).unwrap_err();
        json_path_at(text, e.line(), e.column())
    }

    #[test]
    fn paths_are_recovered_from_positions() {
        let base = r#"{"pack": "x", "member": {"scheme": "a"}, "encounters": [{"date": "2025-01-01", "setting": "inpatient", "items": [{"amount": "1", "class": "a"}, ITEM]}]}"#;
        let at = |item: &str| path_of(&base.replace("ITEM", item));
        assert_eq!(
            at(r#"{"amount": 5, "class": "a"}"#),
            "$.encounters[0].items[1].amount"
        );
        assert_eq!(
            at(r#"{"amount": "5", "class": "a", "colour": 1}"#),
            "$.encounters[0].items[1].colour"
        );
        assert_eq!(at(r#"{"amount": "5"}"#), "$.encounters[0].items[1]");
        assert_eq!(
            at(r#"{"amount": "5.123", "class": "a"}"#),
            "$.encounters[0].items[1].amount"
        );
        assert_eq!(
            at(r#"{"amount": "5", "class": "z"}"#),
            "$.encounters[0].items[1].class"
        );
        let multi =
            "{\n  \"pack\": \"x\",\n  \"member\": {\"scheme\": 7},\n  \"encounters\": []\n}";
        assert_eq!(path_of(multi), "$.member.scheme");
        assert_eq!(
            path_of(r#"{"pack": "x", "member": {"scheme": "a", "note\"s": 1}, "encounters": []}"#),
            "$.member.note\"s"
        );
    }
}
