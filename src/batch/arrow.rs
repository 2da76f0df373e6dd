//! Arrow columns as batch [`Cell`]s (the `arrow` feature): what `tiercost batch` reads from
//! Parquet and the Python package reads from any Arrow table (pyarrow, Polars, DuckDB, Spark).
//!
//! [`Columns::bind`] finds each mapped column in a schema once — a required column the input
//! lacks, or one of a type batch does not read, stops the run before any row — and
//! [`Columns::cells`] reads one row into the mapping's cells. Amounts stay exact: a decimal
//! column becomes its exact decimal text, a date32 its `YYYY-MM-DD`; a float column is read as
//! [`Cell::Float`], which an amount refuses (`number_not_string`).
//!
//! The way back: [`result_schema`] and [`result_batch`] write settled rows as Arrow columns —
//! amounts as exact decimal128 with two places — for the CLI's Parquet and the Python package.

use arrow_array::cast::AsArray;
use arrow_array::types::ArrowDictionaryKeyType;
use arrow_array::types::{
    Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type,
    Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, Decimal128Array, DictionaryArray, Int64Array, RecordBatch, StringArray,
    UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};

use super::{Batch, Cell, RowResult};
use crate::error::{Error, ErrorCode};
use crate::units::money::Money;

/// Whether batch reads a column of this type (any other stops the run before any row). A
/// dictionary-encoded column (a Polars or pandas categorical, a DuckDB enum) is read as its
/// values.
pub fn readable(t: &DataType) -> bool {
    use DataType::*;
    if let Dictionary(key, values) = t {
        return key.is_dictionary_key_type()
            && !matches!(values.as_ref(), Dictionary(_, _))
            && readable(values);
    }
    matches!(
        t,
        Null | Boolean
            | Int8
            | Int16
            | Int32
            | Int64
            | UInt8
            | UInt16
            | UInt32
            | UInt64
            | Float32
            | Float64
            | Utf8
            | LargeUtf8
            | Utf8View
            | Date32
            | Decimal128(_, _)
    )
}

/// The cell at row `i` of a column (a null is [`Cell::Empty`]).
pub fn cell(a: &dyn Array, i: usize) -> Cell {
    use DataType::*;
    if a.is_null(i) {
        return Cell::Empty;
    }
    match a.data_type() {
        Boolean => Cell::Bool(a.as_boolean().value(i)),
        Int8 => Cell::Int(a.as_primitive::<Int8Type>().value(i).into()),
        Int16 => Cell::Int(a.as_primitive::<Int16Type>().value(i).into()),
        Int32 => Cell::Int(a.as_primitive::<Int32Type>().value(i).into()),
        Int64 => Cell::Int(a.as_primitive::<Int64Type>().value(i)),
        UInt8 => Cell::Int(a.as_primitive::<UInt8Type>().value(i).into()),
        UInt16 => Cell::Int(a.as_primitive::<UInt16Type>().value(i).into()),
        UInt32 => Cell::Int(a.as_primitive::<UInt32Type>().value(i).into()),
        UInt64 => {
            let v = a.as_primitive::<UInt64Type>().value(i);
            i64::try_from(v).map_or_else(|_| Cell::Text(v.to_string()), Cell::Int)
        }
        Float32 => Cell::Float(a.as_primitive::<Float32Type>().value(i).into()),
        Float64 => Cell::Float(a.as_primitive::<Float64Type>().value(i)),
        Utf8 => Cell::Text(a.as_string::<i32>().value(i).to_string()),
        LargeUtf8 => Cell::Text(a.as_string::<i64>().value(i).to_string()),
        Utf8View => Cell::Text(a.as_string_view().value(i).to_string()),
        Date32 => Cell::Text(date(a.as_primitive::<Date32Type>().value(i))),
        Decimal128(_, scale) => {
            Cell::Text(decimal(a.as_primitive::<Decimal128Type>().value(i), *scale))
        }
        Dictionary(key, _) => {
            let (values, k) = match key.as_ref() {
                Int8 => entry(a.as_dictionary::<Int8Type>(), i),
                Int16 => entry(a.as_dictionary::<Int16Type>(), i),
                Int32 => entry(a.as_dictionary::<Int32Type>(), i),
                Int64 => entry(a.as_dictionary::<Int64Type>(), i),
                UInt8 => entry(a.as_dictionary::<UInt8Type>(), i),
                UInt16 => entry(a.as_dictionary::<UInt16Type>(), i),
                UInt32 => entry(a.as_dictionary::<UInt32Type>(), i),
                UInt64 => entry(a.as_dictionary::<UInt64Type>(), i),
                _ => return Cell::Empty,
            };
            match k {
                Some(k) if k < values.len() => cell(values.as_ref(), k),
                _ => Cell::Empty,
            }
        }
        _ => Cell::Empty,
    }
}

/// A dictionary array's values and the index of row `i`'s value in them.
fn entry<K: ArrowDictionaryKeyType>(
    d: &DictionaryArray<K>,
    i: usize,
) -> (&ArrayRef, Option<usize>) {
    (d.values(), d.key(i))
}

/// A cell as the text an `id` column is copied as (`None` for an empty cell).
pub fn text(c: Cell) -> Option<String> {
    match c {
        Cell::Empty => None,
        Cell::Text(t) => Some(t),
        Cell::Int(n) => Some(n.to_string()),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::Float(x) => Some(x.to_string()),
        Cell::Other(w) => Some(w.to_string()),
    }
}

/// A decimal's exact text, trailing fractional zeros past two places dropped
/// (`12.3400` → `12.34`).
pub fn decimal(v: i128, scale: i8) -> String {
    let neg = v < 0;
    let abs = v.unsigned_abs();
    let mut s = if scale <= 0 {
        let mut s = abs.to_string();
        if abs != 0 {
            s.extend(std::iter::repeat_n('0', usize::from(scale.unsigned_abs())));
        }
        s
    } else {
        let p = 10u128.pow(u32::from(scale.unsigned_abs()));
        let mut frac = format!("{:0w$}", abs % p, w = usize::from(scale.unsigned_abs()));
        while frac.len() > 2 && frac.ends_with('0') {
            frac.pop();
        }
        format!("{}.{frac}", abs / p)
    };
    if neg {
        s.insert(0, '-');
    }
    s
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (the civil calendar, proleptic Gregorian).
pub fn date(days: i32) -> String {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Where each of a mapping's columns is in an Arrow schema, found once for a whole table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    /// For each mapped column, in the mapping's order, its index in the schema (`None`: an
    /// optional column the input lacks, read as empty).
    pub at: Vec<Option<usize>>,
    /// The index of the mapping's `id` column.
    pub id: Option<usize>,
}

impl Columns {
    /// Finds the mapping's columns in `schema`. A required column (or the `id` column) the
    /// schema lacks is `missing_field`, a column of a type batch does not read
    /// `invalid_type`; paths are in the mapping (`$.columns[2].column`, `$.id`).
    pub fn bind(batch: &Batch<'_>, schema: &Schema) -> Result<Columns, Error> {
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let find = |name: &str| names.iter().position(|n| n.trim() == name);
        let check = |i: usize, at: String| {
            let f = schema.field(i);
            if readable(f.data_type()) {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorCode::InvalidType,
                    at,
                    format!(
                        "column \"{}\" is {}, which batch does not read: use text, a whole number, a boolean, a decimal or a date",
                        f.name(),
                        f.data_type()
                    ),
                ))
            }
        };
        let mut at = Vec::new();
        for (k, c) in batch.mapping().columns.iter().enumerate() {
            let path = format!("$.columns[{k}].column");
            let i = find(&c.column);
            match i {
                Some(i) => check(i, path)?,
                None if c.optional => {}
                None => {
                    return Err(Error::new(
                        ErrorCode::MissingField,
                        path,
                        format!(
                            "the table has no column \"{}\" (the mapping needs it; mark it \"optional\": true to allow its absence); its columns: {}",
                            c.column,
                            names.join(", ")
                        ),
                    ))
                }
            }
            at.push(i);
        }
        let id = match &batch.mapping().id {
            None => None,
            Some(name) => {
                let i = find(name).ok_or_else(|| {
                    Error::new(
                        ErrorCode::MissingField,
                        "$.id",
                        format!(
                            "the table has no column \"{name}\" (the mapping's id); its columns: {}",
                            names.join(", ")
                        ),
                    )
                })?;
                check(i, "$.id".into())?;
                Some(i)
            }
        };
        Ok(Columns { at, id })
    }

    /// Row `i` of a record batch (of the bound schema) as its `id` and the mapping's cells.
    pub fn row(&self, rb: &RecordBatch, i: usize) -> (Option<String>, Vec<Cell>) {
        let id = self.id.and_then(|k| text(cell(rb.column(k).as_ref(), i)));
        let cells = self
            .at
            .iter()
            .map(|k| match k {
                Some(k) => cell(rb.column(*k).as_ref(), i),
                None => Cell::Empty,
            })
            .collect();
        (id, cells)
    }
}

/// How the results' columns are typed: the CLI's Parquet has `row` as `UInt64` and amounts as
/// decimal128(19, 2) (any `i64` of fen fits); the Python package has `row` as `Int64` (Spark
/// has no unsigned type) and decimal128(18, 2) (what pandas and Spark read as exact decimals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResultTypes {
    /// `row` as `Int64` rather than `UInt64`.
    pub signed_rows: bool,
    /// The amounts' decimal precision (their scale is 2).
    pub precision: u8,
}

/// The results' schema: `row`, `id`, `status`, `total`, `family`, `family_low`, `paid_<layer>`
/// for each layer, then the error's `error_code`, `error_column`, `error_path`,
/// `error_message` (docs/BATCH.md).
pub fn result_schema(layers: &[String], types: ResultTypes) -> SchemaRef {
    let money = DataType::Decimal128(types.precision, 2);
    let row = if types.signed_rows {
        DataType::Int64
    } else {
        DataType::UInt64
    };
    let mut fields = vec![
        Field::new("row", row, false),
        Field::new("id", DataType::Utf8, true),
        Field::new("status", DataType::Utf8, false),
        Field::new("total", money.clone(), true),
        Field::new("family", money.clone(), true),
        Field::new("family_low", money.clone(), true),
    ];
    fields.extend(
        layers
            .iter()
            .map(|l| Field::new(format!("paid_{l}"), money.clone(), true)),
    );
    for f in ["error_code", "error_column", "error_path", "error_message"] {
        fields.push(Field::new(f, DataType::Utf8, true));
    }
    std::sync::Arc::new(Schema::new(fields))
}

/// Settled rows as a record batch of `schema` ([`result_schema`] with the same `types` and
/// `layers` layers). An amount beyond the precision is an Arrow error.
pub fn result_batch(
    schema: &SchemaRef,
    types: ResultTypes,
    layers: usize,
    rows: &[RowResult],
) -> Result<RecordBatch, ArrowError> {
    use std::sync::Arc;
    let money = |f: &dyn Fn(&RowResult) -> Option<Money>| -> Result<ArrayRef, ArrowError> {
        let a: Decimal128Array = rows
            .iter()
            .map(|r| f(r).map(|m| i128::from(m.fen())))
            .collect();
        Ok(Arc::new(a.with_precision_and_scale(types.precision, 2)?))
    };
    let text = |f: &dyn Fn(&RowResult) -> Option<String>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let row: ArrayRef = if types.signed_rows {
        Arc::new(
            rows.iter()
                .map(|r| i64::try_from(r.row).unwrap_or(i64::MAX))
                .collect::<Int64Array>(),
        )
    } else {
        Arc::new(rows.iter().map(|r| r.row).collect::<UInt64Array>())
    };
    let mut cols: Vec<ArrayRef> = vec![
        row,
        text(&|r| r.id.clone()),
        text(&|r| Some(r.status().to_string())),
        money(&|r| r.outcome.as_ref().ok().map(|s| s.total))?,
        money(&|r| r.outcome.as_ref().ok().map(|s| s.family))?,
        money(&|r| r.outcome.as_ref().ok().and_then(|s| s.family_low))?,
    ];
    for k in 0..layers {
        cols.push(money(&|r| {
            r.outcome.as_ref().ok().and_then(|s| s.paid.get(k).copied())
        })?);
    }
    cols.push(text(&|r| {
        r.outcome.as_ref().err().map(|e| e.code.to_string())
    }));
    cols.push(text(&|r| {
        r.outcome.as_ref().err().and_then(|e| e.column.clone())
    }));
    cols.push(text(&|r| r.outcome.as_ref().err().map(|e| e.path.clone())));
    cols.push(text(&|r| {
        r.outcome.as_ref().err().map(|e| e.message.clone())
    }));
    RecordBatch::try_new(schema.clone(), cols)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Date32Array, Decimal128Array, Float64Array, StringArray};
    use arrow_schema::Field;

    use super::*;

    #[test]
    fn decimals_and_dates_are_read_exactly() {
        assert_eq!(decimal(123_400, 4), "12.34");
        assert_eq!(decimal(-5, 2), "-0.05");
        assert_eq!(decimal(12, -2), "1200");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(20_240), "2025-06-01");
        let d: ArrayRef = Arc::new(
            Decimal128Array::from(vec![Some(12_345), None])
                .with_precision_and_scale(18, 2)
                .unwrap(),
        );
        assert_eq!(cell(d.as_ref(), 0), Cell::Text("123.45".into()));
        assert_eq!(cell(d.as_ref(), 1), Cell::Empty);
        let f: ArrayRef = Arc::new(Float64Array::from(vec![1.5]));
        assert_eq!(cell(f.as_ref(), 0), Cell::Float(1.5));
        let t: ArrayRef = Arc::new(Date32Array::from(vec![20_240]));
        assert_eq!(cell(t.as_ref(), 0), Cell::Text("2025-06-01".into()));
        // A categorical column: its values, a null key an empty cell.
        let c: DictionaryArray<arrow_array::types::UInt32Type> =
            vec![Some("三级"), None, Some("一级"), Some("三级")]
                .into_iter()
                .collect();
        assert!(readable(c.data_type()));
        let c: ArrayRef = Arc::new(c);
        let cells: Vec<Cell> = (0..4).map(|i| cell(c.as_ref(), i)).collect();
        assert_eq!(
            cells,
            [
                Cell::Text("三级".into()),
                Cell::Empty,
                Cell::Text("一级".into()),
                Cell::Text("三级".into())
            ]
        );
    }

    #[test]
    fn columns_are_bound_once() {
        let catalog = crate::Catalog::embedded();
        let template = super::super::Template::from_json(
            include_str!("../../examples/batch/template.json"),
            catalog,
        )
        .unwrap();
        let mapping =
            super::super::Mapping::from_json(include_str!("../../examples/batch/mapping.json"))
                .unwrap();
        let batch = Batch::new(template, mapping).unwrap();
        let schema = |names: &[&str]| {
            Schema::new(
                names
                    .iter()
                    .map(|n| Field::new(*n, DataType::Utf8, true))
                    .collect::<Vec<_>>(),
            )
        };
        let all = [
            "applicant",
            "admitted",
            "hospital",
            "category",
            "age",
            "class_a",
            "class_b",
            "class_c",
        ];
        let c = Columns::bind(&batch, &schema(&all)).unwrap();
        assert_eq!(c.id, Some(0));
        assert_eq!(c.at, [1, 2, 3, 4, 5, 6, 7].map(Some));
        // An optional column may be absent; a required one may not.
        let c = Columns::bind(
            &batch,
            &schema(&[
                "applicant",
                "admitted",
                "hospital",
                "class_a",
                "class_b",
                "class_c",
            ]),
        )
        .unwrap();
        assert_eq!(c.at[2], None);
        let e = Columns::bind(&batch, &schema(&["applicant", "admitted", "hospital"])).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            (ErrorCode::MissingField, "$.columns[4].column")
        );
        let rb = RecordBatch::try_new(
            Arc::new(schema(&all)),
            all.iter()
                .map(|n| Arc::new(StringArray::from(vec![Some(*n)])) as ArrayRef)
                .collect(),
        )
        .unwrap();
        let (id, cells) = Columns::bind(&batch, rb.schema().as_ref())
            .unwrap()
            .row(&rb, 0);
        assert_eq!(id.as_deref(), Some("applicant"));
        assert_eq!(cells[0], Cell::Text("admitted".into()));
    }
}
