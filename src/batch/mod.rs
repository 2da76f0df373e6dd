//! Many applicants against one case template: the settlement behind `tiercost batch`.
//!
//! A [`Template`] is a case document whose packs are resolved once; a [`Mapping`] says
//! which input column fills which field of the case (a JSON pointer) and how to read the
//! cell (an amount, a date, an integer, a string, a boolean or a list). [`Batch::settle`]
//! applies one row's cells to a copy of the template and estimates the case with the
//! template's packs — the same engine as [`crate::estimate`], so a row settles to the fen as
//! `tiercost estimate` of the same case does. A bad cell or an engine error becomes that
//! row's [`RowError`], with the stable code, the JSON path in the case and the column that
//! fed it; it never stops the other rows. [`Summary`] adds the settled rows up exactly.
//!
//! The module knows no file format: the command line reads CSV, JSON Lines or Parquet into
//! [`Cell`]s and writes each [`RowResult`] (docs/BATCH.md); with the `arrow` feature,
//! [`arrow`] reads Arrow record batches into cells (the Python package, docs/PYTHON.md).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use tiercost_derive::Read;

use crate::engine::Packs;
use crate::error::{Error, ErrorCode};
use crate::rules::case::Case;
use crate::rules::catalog::Catalog;
use crate::units::date::Date;
use crate::units::money::Money;

#[cfg(feature = "arrow")]
pub mod arrow;
mod pointer;

use pointer::{json_path, make_parents, pointer_tokens, set};
mod summary;
pub use summary::{Band, Distribution, LayerTotal, Summary, SummaryReport, SHARE_BANDS};

/// How a cell is read into the case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Read)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Yuan as a decimal with at most two places (`"1234.50"`), or a whole number of yuan;
    /// never a binary float. Written into the case as the exact decimal string.
    Amount,
    /// `YYYY-MM-DD`.
    Date,
    /// A whole number (an age, a household size), written as a JSON number.
    Integer,
    /// Text, after the column's `values` recoding if it has one.
    String,
    /// `true`/`false`, `1`/`0`, `yes`/`no`, `是`/`否` (any case).
    Bool,
    /// Names separated by `;` (enrolments, diagnoses), each recoded by `values`; written as
    /// a JSON array of strings.
    List,
}

/// One input column and the case field it fills.
#[derive(Clone, Debug, Serialize, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Column {
    /// The column's name in the input (a CSV header, a JSON Lines key, a Parquet field).
    pub column: String,
    /// The JSON pointer (RFC 6901) of the field in the case: `/member/category`,
    /// `/encounters/0/items/1/amount`. Arrays must already have that element in the
    /// template; missing object members are created.
    pub to: String,
    /// How the cell is read.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// When true, an empty cell (or a column the input lacks) leaves the template's value —
    /// or no value, if the template has none. When false (the default), an empty cell is the
    /// row's `missing_field` error.
    #[serde(default)]
    pub optional: bool,
    /// Recoding of text values before they enter the case (`{"低保": "minimum_living",
    /// "三级": "level3"}`), for string and list columns; values not listed pass unchanged.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
}

/// Which column fills which case field: the batch's mapping document.
#[derive(Clone, Debug, Serialize, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Mapping {
    /// A column copied to each result row as its `id` (an applicant number), not read into
    /// the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The columns read into the case, each once.
    pub columns: Vec<Column>,
}

impl Mapping {
    /// Reads a mapping document; errors carry the path in it (`$.columns[2].type`).
    pub fn from_json(text: &str) -> Result<Mapping, Error> {
        crate::reading::limits::check_size(text)?;
        crate::reading::read::read_str(text)
    }
}

/// A cell of an input row, as the reader found it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// An empty cell, a JSON `null`, a missing key or column.
    Empty,
    /// Text: a CSV cell, a JSON string, a Parquet string; an exact decimal or a date
    /// written out as text by the reader.
    Text(String),
    /// A whole number (a JSON integer, a Parquet integer column).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A binary float (a JSON number with a fraction or exponent, a Parquet float column):
    /// refused for amounts, which must be exact.
    Float(f64),
    /// A JSON array or object, which no column type reads.
    Other(&'static str),
}

/// What went wrong with one row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    /// The stable error code (`invalid_amount`, `missing_field`, `not_in_effect`, …).
    pub code: ErrorCode,
    /// The input column that fed the failing field, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The JSON path in the row's case (`$.encounters[0].items[1].amount`).
    pub path: String,
    /// What was wrong, as the engine or the reader says it.
    pub message: String,
}

/// One row settled: the bill, the family's share (a range when a layer is undecided) and
/// what each layer paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    /// The whole bill.
    pub total: Money,
    /// The family's share, counting undecided layers as paying nothing (the estimate's
    /// `patient.total`; the range's high end).
    pub family: Money,
    /// The lowest share when some layer is undecided (the estimate's `range.low`).
    pub family_low: Option<Money>,
    /// What each of [`Batch::layers`] paid, in that order (zero for a layer that did not
    /// settle for this case).
    pub paid: Vec<Money>,
}

/// The result of one row, in input order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowResult {
    /// The row's number: 1 for the first data row (a CSV header is not a row).
    pub row: u64,
    /// The mapping's `id` column, as given.
    pub id: Option<String>,
    /// The settlement, or why there is none.
    pub outcome: Result<Settled, RowError>,
}

impl RowResult {
    /// `ok`, `range` or `error`.
    pub fn status(&self) -> &'static str {
        match &self.outcome {
            Ok(s) if s.family_low.is_some() => "range",
            Ok(_) => "ok",
            Err(_) => "error",
        }
    }
}

/// A case template: the case document each row fills in, its packs resolved once.
pub struct Template<'c> {
    /// The case without its packs (`pack`, `inlinePack`, `programmes`), which `packs` holds.
    case: Value,
    packs: Packs<'c>,
}

impl<'c> Template<'c> {
    /// Reads a template (a case document, whose fields the mapping's columns may leave
    /// out) and resolves its packs in `catalog`. Errors carry paths in the template.
    pub fn from_json(text: &str, catalog: &'c Catalog) -> Result<Template<'c>, Error> {
        crate::reading::limits::check_size(text)?;
        let mut case: Value = serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorCode::JsonSyntax, "$", e.to_string()))?;
        let Some(obj) = case.as_object_mut() else {
            return Err(Error::new(
                ErrorCode::InvalidType,
                "$",
                "a template is a case: a JSON object with `member` and `encounters`",
            ));
        };
        // The packs are read and resolved here, once; each row's case leaves them out.
        let mut packs_only = Map::new();
        for key in ["pack", "inlinePack", "programmes"] {
            if let Some(v) = obj.remove(key) {
                packs_only.insert(key.into(), v);
            }
        }
        packs_only.insert("member".into(), serde_json::json!({"scheme": ""}));
        packs_only.insert("encounters".into(), Value::Array(Vec::new()));
        let stub: Case = crate::reading::read::read_value(&Value::Object(packs_only), "$")?;
        let packs = Packs::resolve(&stub, catalog)?;
        Ok(Template { case, packs })
    }
}

/// A template and a mapping, checked against each other: settles rows.
pub struct Batch<'c> {
    template: Template<'c>,
    mapping: Mapping,
    /// Each column's pointer, split into unescaped tokens.
    tokens: Vec<Vec<String>>,
    /// Each column's field as a JSON path (`$.encounters[0].items[1].amount`).
    paths: Vec<String>,
    /// What the template holds at each column's field (`None`: nothing), put back when a
    /// row leaves an optional column empty.
    originals: Vec<Option<Value>>,
    /// The ids of the layers results are reported for.
    layer_ids: Vec<String>,
}

/// One thread's working copy of a batch's template ([`Batch::scratch`]).
pub struct Scratch {
    case: Value,
}

/// The first token of a pointer a column may fill.
const FILLABLE: &[&str] = &["member", "encounters", "layerOrder"];

impl<'c> Batch<'c> {
    /// Checks the mapping against the template: every pointer is well formed, fills the
    /// member, an encounter or the layer order (the packs are the template's), names an
    /// array element the template has, and no two columns fill the same field or share a
    /// name. Errors carry paths in the mapping (`$.columns[1].to`).
    pub fn new(mut template: Template<'c>, mapping: Mapping) -> Result<Batch<'c>, Error> {
        let mut tokens = Vec::with_capacity(mapping.columns.len());
        let mut paths = Vec::with_capacity(mapping.columns.len());
        let mut originals = Vec::with_capacity(mapping.columns.len());
        for (i, c) in mapping.columns.iter().enumerate() {
            let at = format!("$.columns[{i}]");
            if mapping.columns[..i].iter().any(|d| d.column == c.column) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{at}.column"),
                    format!("column \"{}\" is mapped twice", c.column),
                ));
            }
            if mapping.id.as_deref() == Some(c.column.as_str()) {
                return Err(Error::new(
                    ErrorCode::Inconsistent,
                    format!("{at}.column"),
                    format!(
                        "column \"{}\" is the mapping's `id`, which is copied to the results, not read into the case",
                        c.column
                    ),
                ));
            }
            let t = pointer_tokens(&c.to)
                .map_err(|m| Error::new(ErrorCode::InvalidValue, format!("{at}.to"), m))?;
            if !FILLABLE.contains(&t[0].as_str()) {
                return Err(Error::new(
                    ErrorCode::InvalidValue,
                    format!("{at}.to"),
                    format!(
                        "\"{}\" is not a field a column can fill: columns fill /member/…, /encounters/… or /layerOrder; the packs and programmes are the template's",
                        c.to
                    ),
                ));
            }
            if let Some(j) = tokens.iter().position(|u: &Vec<String>| *u == t) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{at}.to"),
                    format!(
                        "\"{}\" is filled by column \"{}\" already",
                        c.to, mapping.columns[j].column
                    ),
                ));
            }
            make_parents(&mut template.case, &t)
                .map_err(|m| Error::new(ErrorCode::UnknownReference, format!("{at}.to"), m))?;
            originals.push(template.case.pointer(&c.to).cloned());
            paths.push(json_path(&t));
            tokens.push(t);
        }
        let layer_ids = template
            .packs
            .layers()
            .iter()
            .map(|l| l.id.clone())
            .collect();
        Ok(Batch {
            template,
            mapping,
            tokens,
            paths,
            originals,
            layer_ids,
        })
    }

    /// The mapping.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// The ids of the layers each [`Settled::paid`] reports, in the packs' settlement order.
    pub fn layers(&self) -> &[String] {
        &self.layer_ids
    }

    /// A working copy of the template for one thread's rows: [`Batch::settle_in`] fills it
    /// row after row instead of copying the whole template for each.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            case: self.template.case.clone(),
        }
    }

    /// The case a row makes: the template with each column's cell in its field. `cells`
    /// are in the mapping's column order.
    pub fn case_for(&self, cells: &[Cell]) -> Result<Value, RowError> {
        let mut s = self.scratch();
        self.fill(&mut s.case, cells)?;
        Ok(s.case)
    }

    /// Writes a row into `case` (the template, or the case an earlier row made from it):
    /// every column's field is set, or put back as the template has it when the row leaves
    /// an optional column empty, so nothing of the earlier row remains. On an error the
    /// fields are left half-written; the next row writes every one of them again.
    fn fill(&self, case: &mut Value, cells: &[Cell]) -> Result<(), RowError> {
        for (i, c) in self.mapping.columns.iter().enumerate() {
            let cell = cells.get(i).unwrap_or(&Cell::Empty);
            let fail = |code: ErrorCode, message: String| RowError {
                code,
                column: Some(c.column.clone()),
                path: self.paths[i].clone(),
                message,
            };
            let value = match read_cell(c, cell) {
                Ok(Some(v)) => Some(v),
                Ok(None) if c.optional => self.originals[i].clone(),
                Ok(None) => {
                    return Err(fail(
                        ErrorCode::MissingField,
                        format!("column \"{}\" is empty", c.column),
                    ))
                }
                Err((code, m)) => return Err(fail(code, format!("column \"{}\": {m}", c.column))),
            };
            if !set(case, &self.tokens[i], value) {
                return Err(fail(
                    ErrorCode::Internal,
                    "the template has no place for this field".into(),
                ));
            }
        }
        Ok(())
    }

    /// Settles one row: `cells` in the mapping's column order. Never panics on input; a bad
    /// cell, a case the engine refuses or an overflow is the row's error.
    pub fn settle(&self, row: u64, id: Option<String>, cells: &[Cell]) -> RowResult {
        self.settle_in(&mut self.scratch(), row, id, cells)
    }

    /// [`Batch::settle`] with a thread's working copy of the template (rayon's `map_init`):
    /// the same result, without copying and dropping the template for every row.
    pub fn settle_in(
        &self,
        scratch: &mut Scratch,
        row: u64,
        id: Option<String>,
        cells: &[Cell],
    ) -> RowResult {
        let outcome = self
            .fill(&mut scratch.case, cells)
            .and_then(|()| self.estimate(&scratch.case).map_err(|e| self.row_error(e)));
        RowResult { row, id, outcome }
    }

    fn estimate(&self, case: &Value) -> Result<Settled, Error> {
        let case: Case = crate::reading::read::read_value(case, "$")?;
        // A row needs the totals only: the same settlement without its trace.
        let e = self
            .template
            .packs
            .estimate_with(&case, crate::results::estimate::Detail::Totals)?;
        let mut paid = vec![Money::ZERO; self.layer_ids.len()];
        for l in &e.layers {
            match self.layer_ids.iter().position(|id| *id == l.id) {
                Some(k) => paid[k] = l.paid,
                None => {
                    return Err(Error::new(
                        ErrorCode::Internal,
                        "$",
                        format!("layer \"{}\" is not among the packs' layers", l.id),
                    ))
                }
            }
        }
        Ok(Settled {
            total: e.total,
            family: e.patient.total,
            family_low: e.range.as_ref().map(|r| r.low),
            paid,
        })
    }

    /// An engine error as a row's error: a gathered error reports its first problem; the
    /// column is the one whose field is the error's path or contains it.
    fn row_error(&self, e: Error) -> RowError {
        let more = e.problems.len().saturating_sub(1);
        let e = e.problems.into_iter().next().unwrap_or(Error {
            problems: Vec::new(),
            ..e
        });
        let column = self
            .paths
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                e.path == **p
                    || (e.path.starts_with(p.as_str())
                        && matches!(e.path.as_bytes().get(p.len()), Some(b'.' | b'[')))
            })
            .max_by_key(|(_, p)| p.len())
            .map(|(i, _)| self.mapping.columns[i].column.clone());
        let message = if more > 0 {
            format!("{} (and {more} more problems)", e.message)
        } else {
            e.message
        };
        RowError {
            code: e.code,
            column,
            path: e.path,
            message,
        }
    }
}

/// A cell as the JSON value of its field; `None` for an empty cell.
fn read_cell(c: &Column, cell: &Cell) -> Result<Option<Value>, (ErrorCode, String)> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(t) if t.trim().is_empty() => return Ok(None),
        Cell::Text(t) => Some(t.trim()),
        _ => None,
    };
    let kind = |found: &str| {
        (
            ErrorCode::InvalidType,
            format!("expected {}, found {found}", expected(c.kind)),
        )
    };
    let found = || match cell {
        Cell::Int(_) => "an integer",
        Cell::Bool(_) => "a boolean",
        Cell::Float(_) => "a floating-point number",
        Cell::Other(what) => what,
        _ => "text",
    };
    let recode = |t: &str| c.values.get(t).cloned().unwrap_or_else(|| t.to_string());
    match c.kind {
        Kind::Amount => {
            let m = match (text, cell) {
                (Some(t), _) => {
                    Money::parse_decimal(t).map_err(|m| (ErrorCode::InvalidAmount, m))?
                }
                (None, Cell::Int(y)) => y
                    .checked_mul(100)
                    .map(Money::from_fen)
                    .ok_or((ErrorCode::Overflow, format!("{y} yuan is too large")))?,
                (None, Cell::Float(x)) => {
                    return Err((
                        ErrorCode::NumberNotString,
                        format!(
                            "{x} is a binary floating-point number, which cannot hold an amount exactly: give amounts as decimal text (\"1234.56\") or a decimal column"
                        ),
                    ))
                }
                _ => return Err(kind(found())),
            };
            if m.is_negative() {
                return Err((
                    ErrorCode::InvalidAmount,
                    format!("{m} is negative: amounts are zero or more"),
                ));
            }
            Ok(Some(Value::String(m.to_string())))
        }
        Kind::Date => match text {
            Some(t) => Date::parse(t)
                .map(|d| Some(Value::String(d.to_string())))
                .map_err(|m| (ErrorCode::InvalidDate, m)),
            None => Err(kind(found())),
        },
        Kind::Integer => match (text, cell) {
            (Some(t), _) => t.parse::<i64>().map(|n| Some(Value::from(n))).map_err(|_| {
                (
                    ErrorCode::InvalidValue,
                    format!("\"{t}\" is not a whole number"),
                )
            }),
            (None, Cell::Int(n)) => Ok(Some(Value::from(*n))),
            _ => Err(kind(found())),
        },
        Kind::String => match (text, cell) {
            (Some(t), _) => Ok(Some(Value::String(recode(t)))),
            (None, Cell::Int(n)) => Ok(Some(Value::String(recode(&n.to_string())))),
            _ => Err(kind(found())),
        },
        Kind::Bool => match (text, cell) {
            (Some(t), _) => match t.to_lowercase().as_str() {
                "true" | "1" | "yes" | "y" | "是" => Ok(Some(Value::Bool(true))),
                "false" | "0" | "no" | "n" | "否" => Ok(Some(Value::Bool(false))),
                _ => Err((
                    ErrorCode::InvalidValue,
                    format!(
                        "\"{t}\" is not a yes or no: expected true/false, 1/0, yes/no or 是/否"
                    ),
                )),
            },
            (None, Cell::Bool(b)) => Ok(Some(Value::Bool(*b))),
            (None, Cell::Int(n @ (0 | 1))) => Ok(Some(Value::Bool(*n == 1))),
            _ => Err(kind(found())),
        },
        Kind::List => match text {
            Some(t) => Ok(Some(Value::Array(
                t.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(recode(s)))
                    .collect(),
            ))),
            None => Err(kind(found())),
        },
    }
}

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Amount => "an amount (decimal text such as \"1234.56\")",
        Kind::Date => "a date (YYYY-MM-DD)",
        Kind::Integer => "a whole number",
        Kind::String => "text",
        Kind::Bool => "a yes or no",
        Kind::List => "names separated by ;",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_the_engines_paths() {
        let t = pointer_tokens("/encounters/0/items/1/amount").unwrap();
        assert_eq!(json_path(&t), "$.encounters[0].items[1].amount");
        assert_eq!(pointer_tokens("/a~1b/c~0d").unwrap(), ["a/b", "c~d"]);
        assert!(pointer_tokens("member/age").is_err());
        assert!(pointer_tokens("/member//age").is_err());
    }

    #[test]
    fn quantiles_are_nearest_rank_on_fen() {
        let mut s = Summary::new(0);
        for fen in [500, 100, 400, 200, 300] {
            s.add(&RowResult {
                row: 1,
                id: None,
                outcome: Ok(Settled {
                    total: Money::from_fen(fen),
                    family: Money::from_fen(fen),
                    family_low: None,
                    paid: Vec::new(),
                }),
            });
        }
        let r = s.report(&[]);
        let d = r.distribution.unwrap();
        assert_eq!(
            [d.min, d.p25, d.p50, d.p75, d.p90, d.p99, d.max, d.mean].map(Money::fen),
            [100, 200, 300, 400, 500, 500, 500, 300]
        );
        assert_eq!(d.bands[0].rows, 5);
        assert_eq!(r.family.fen(), 1500);
    }

    /// A working copy reused row after row gives each row what a fresh copy gives: an
    /// optional column left empty is the template's value again (or absent when the template
    /// has none), and a row that failed half-way leaves nothing behind.
    #[test]
    fn a_reused_working_copy_keeps_nothing_of_the_earlier_row() {
        let catalog = Catalog::embedded();
        let template =
            Template::from_json(include_str!("../../examples/batch/template.json"), catalog)
                .unwrap();
        let mapping = Mapping::from_json(
            r#"{"columns": [
                {"column": "a", "to": "/encounters/0/items/0/amount", "type": "amount"},
                {"column": "level", "to": "/encounters/0/level", "type": "string", "optional": true},
                {"column": "category", "to": "/member/category", "type": "string", "optional": true},
                {"column": "b", "to": "/encounters/0/items/1/amount", "type": "amount"},
                {"column": "c", "to": "/encounters/0/items/2/amount", "type": "amount"}
            ]}"#,
        )
        .unwrap();
        let batch = Batch::new(template, mapping).unwrap();
        let t = |s: &str| Cell::Text(s.into());
        let rows = [
            vec![
                t("30000"),
                t("level1"),
                t("minimum_living"),
                t("5000"),
                t("800"),
            ],
            vec![t("30000"), Cell::Empty, Cell::Empty, t("5000"), t("800")],
            vec![
                t("12000"),
                t("level2"),
                t("extreme_poverty"),
                t("not money"),
                t("1"),
            ],
            vec![
                t("12000"),
                Cell::Empty,
                t("minimum_living"),
                t("100"),
                t("0"),
            ],
            vec![t("100"), t("level3"), Cell::Empty, t("200"), t("3")],
        ];
        let mut scratch = batch.scratch();
        for (i, cells) in rows.iter().enumerate() {
            let fresh = batch.settle(i as u64, None, cells);
            let reused = batch.settle_in(&mut scratch, i as u64, None, cells);
            assert_eq!(
                format!("{:?}", reused.outcome),
                format!("{:?}", fresh.outcome),
                "row {i}"
            );
            if i == 2 {
                assert!(fresh.outcome.is_err(), "row 2's amount is refused");
            }
        }
        // The rows differ, so the comparison above compares something.
        let out = |i: usize| format!("{:?}", batch.settle(0, None, &rows[i]).outcome);
        assert_ne!(out(0), out(1));
    }

    #[test]
    fn cells_are_read_exactly_or_refused() {
        let col = |kind| Column {
            column: "x".into(),
            to: "/member/x".into(),
            kind,
            optional: false,
            values: BTreeMap::from([("低保".to_string(), "minimum_living".to_string())]),
        };
        let text = |s: &str| Cell::Text(s.into());
        let a = col(Kind::Amount);
        assert_eq!(
            read_cell(&a, &text(" 12.5 ")).unwrap(),
            Some("12.50".into())
        );
        assert_eq!(read_cell(&a, &Cell::Int(3)).unwrap(), Some("3.00".into()));
        assert_eq!(read_cell(&a, &text("")).unwrap(), None);
        assert_eq!(
            read_cell(&a, &text("1.234")).unwrap_err().0,
            ErrorCode::InvalidAmount
        );
        assert_eq!(
            read_cell(&a, &Cell::Float(1.5)).unwrap_err().0,
            ErrorCode::NumberNotString
        );
        assert_eq!(
            read_cell(&col(Kind::Date), &text("2025-02-30"))
                .unwrap_err()
                .0,
            ErrorCode::InvalidDate
        );
        assert_eq!(
            read_cell(&col(Kind::String), &text("低保")).unwrap(),
            Some("minimum_living".into())
        );
        assert_eq!(
            read_cell(&col(Kind::Bool), &text("是")).unwrap(),
            Some(Value::Bool(true))
        );
        assert_eq!(
            read_cell(&col(Kind::List), &text("a; 低保;")).unwrap(),
            Some(serde_json::json!(["a", "minimum_living"]))
        );
        assert_eq!(
            read_cell(&col(Kind::Integer), &text("4x")).unwrap_err().0,
            ErrorCode::InvalidValue
        );
    }
}
