//! Documents at the front door: which kind a JSON document is (pack, programme, case or
//! plan), whether it is valid (`validate`), and what data the engine carries (the embedded
//! packs and their versions). It sits above planning, since a plan is validated by settling
//! it.

use crate::error::{Error, ErrorCode};
use crate::rules::case::Case;
use crate::rules::catalog::Catalog;
use crate::rules::policy::Pack;
use crate::{estimate, limits::check_size};

/// What `validate` reports for a valid document.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DocumentSummary {
    /// What the document is: a pack, a programme, a case or a plan.
    pub document: DocumentKind,
    /// The summary of the pack validated, or of the regional pack a case or plan uses.
    #[serde(flatten)]
    pub summary: crate::rules::catalog::PackSummary,
    /// Layers and editions counted.
    pub editions: usize,
}

/// The kinds of document `validate` recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A regional (or national) policy pack.
    Pack,
    /// A charity or commercial programme.
    Programme,
    /// A case: a member and encounters.
    Case,
    /// A plan: a member and a course of treatment (`plan`).
    Plan,
}

impl DocumentKind {
    /// What a document is, from its fields: a pack or programme has `kind`, `layers` or
    /// `sources`; a plan has `plan`; a case has `member` or `encounters`. `None`: none of
    /// these (the caller says what it got).
    pub fn of(doc: &serde_json::Value) -> Option<DocumentKind> {
        let has = |k: &str| doc.get(k).is_some();
        if has("plan") {
            Some(DocumentKind::Plan)
        } else if has("member") || has("encounters") || has("inlinePack") {
            Some(DocumentKind::Case)
        } else if has("kind") || has("layers") || has("sources") || has("rulesAsOf") {
            match doc.get("kind").and_then(|k| k.as_str()) {
                Some("programme") => Some(DocumentKind::Programme),
                _ => Some(DocumentKind::Pack),
            }
        } else {
            None
        }
    }
}

/// What a document that is none of the four looks like, for the message.
fn looks_like(doc: &serde_json::Value) -> String {
    let has = |k: &str| doc.get(k).is_some();
    let what = if has("case") || has("expected") {
        "a case file (`case` and `expected`): validate its `case`, or run it with `tiercost cases`"
    } else if has("base") && has("variants") {
        "a comparison (`base` and `variants`): validate its `base`"
    } else {
        match doc {
            serde_json::Value::Object(m) if m.is_empty() => "an empty object",
            serde_json::Value::Object(_) => "an object with none of their fields",
            serde_json::Value::Array(_) => "an array",
            _ => "not an object",
        }
    };
    let mut message = format!("validate takes a pack or programme (`kind`, `layers`), a case (`member`, `encounters`) or a plan (`member`, `plan`); this is {what}");
    // Its first fields, by hand: `join` would add its own code to the wasm.
    if let serde_json::Value::Object(m) = doc {
        for (i, k) in m.keys().take(8).enumerate() {
            message.push_str(if i == 0 { " (fields: `" } else { ", `" });
            message.push_str(k);
            message.push('`');
        }
        if !m.is_empty() {
            message.push(')');
        }
    }
    message
}

/// Validates a document given as JSON text: a pack or programme (inheritance resolved
/// against the embedded catalogue), a case or a plan (read, its packs resolved and checked,
/// and settled, so that every problem an estimate would meet is found). Returns what the
/// document is and the summary of its pack, or every problem found, with paths from the
/// document given.
pub fn validate_json(doc_json: &str) -> Result<DocumentSummary, Error> {
    check_size(doc_json)?;
    let value: serde_json::Value = serde_json::from_str(doc_json)
        .map_err(|e| Error::new(ErrorCode::JsonSyntax, "$", e.to_string()))?;
    let Some(document) = DocumentKind::of(&value) else {
        return Err(Error::new(
            ErrorCode::UnknownDocument,
            "$",
            looks_like(&value),
        ));
    };
    let catalog = Catalog::embedded();
    let region = match document {
        DocumentKind::Pack | DocumentKind::Programme => {
            let pack: Pack = crate::reading::read::read_value(&value, "$").map_err(|e| {
                let problems = if e.problems.is_empty() {
                    vec![e]
                } else {
                    e.problems
                };
                Error::gather(ErrorCode::InvalidPack, "the document", problems)
            })?;
            catalog.resolve(pack)?
        }
        DocumentKind::Case | DocumentKind::Plan => {
            if document == DocumentKind::Case {
                let case: Case = crate::reading::read::read_value(&value, "$")?;
                estimate(&case, catalog)?;
            } else {
                validate_plan(doc_json)?;
            }
            match (
                value.get("inlinePack"),
                value.get("pack").and_then(|p| p.as_str()),
            ) {
                (Some(inline), _) => {
                    let pack: Pack = crate::reading::read::read_value(inline, "$.inlinePack")?;
                    catalog
                        .resolve_inline(pack)
                        .map_err(|e| e.under("$.inlinePack"))?
                }
                (None, Some(id)) => catalog.get(id).cloned().ok_or_else(|| {
                    Error::new(
                        ErrorCode::UnknownPack,
                        "$.pack",
                        format!("no built-in pack is called \"{id}\""),
                    )
                })?,
                (None, None) => {
                    return Err(Error::new(
                        ErrorCode::MissingField,
                        "$.pack",
                        "name a built-in pack (`pack`) or give one inline (`inlinePack`)",
                    ))
                }
            }
        }
    };
    let editions = region.layers.iter().map(|l| l.editions.len()).sum();
    let summary = catalog.summaries_of(&region);
    Ok(DocumentSummary {
        document,
        summary,
        editions,
    })
}

/// Settles a plan document, for `validate`.
#[cfg(feature = "planning")]
fn validate_plan(text: &str) -> Result<(), Error> {
    crate::plan_json(text).map(|_| ())
}

/// The core wasm module (the feature `planning` off) leaves the planning code out (it would
/// grow the module by a third): it recognises a plan and says where to validate it.
#[cfg(not(feature = "planning"))]
fn validate_plan(_: &str) -> Result<(), Error> {
    Err(Error::new(
        ErrorCode::UnknownDocument,
        "$",
        "this is a plan (`member`, `plan`): the core module does not read plans; validate it with the planning module (`init({planning: true})`) or `tiercost validate`",
    ))
}

/// Summaries of the embedded packs and programmes.
pub fn list_packs() -> Vec<crate::rules::catalog::PackSummary> {
    Catalog::embedded().summaries()
}

/// The data version: every embedded pack's id and version, joined.
pub fn data_version() -> String {
    Catalog::embedded()
        .versions()
        .into_iter()
        .map(|(id, version)| format!("{id}@{version}"))
        .collect::<Vec<_>>()
        .join(",")
}
