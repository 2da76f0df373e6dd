//! Parquet through Arrow record batches: amounts as decimal128(19, 2), exact.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type,
    Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, Decimal128Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use tiercost::batch::{Batch, Cell, RowResult};
use tiercost::Money;

use super::{bind, Row, Sink, Source};

pub struct ParquetSource {
    reader: ParquetRecordBatchReader,
    at: Vec<Option<usize>>,
    id: Option<usize>,
    pending: Option<(RecordBatch, usize)>,
    row: u64,
    rows: u64,
}

impl ParquetSource {
    pub fn new(
        f: File,
        batch: &Batch<'_>,
        chunk: usize,
        path: &str,
    ) -> Result<ParquetSource, String> {
        let b = ParquetRecordBatchReaderBuilder::try_new(f)
            .map_err(|e| format!("cannot read {path} as Parquet: {e}"))?;
        let rows = u64::try_from(b.metadata().file_metadata().num_rows()).unwrap_or(0);
        let schema = b.schema().clone();
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let (at, id) = bind(batch, &names, path)?;
        for i in at.iter().chain(std::iter::once(&id)).flatten() {
            let f = schema.field(*i);
            if !readable(f.data_type()) {
                return Err(format!(
                    "column \"{}\" of {path} is {}, which batch does not read: use text, a whole number, a boolean, a decimal or a date",
                    f.name(),
                    f.data_type()
                ));
            }
        }
        let reader = b
            .with_batch_size(chunk)
            .build()
            .map_err(|e| format!("cannot read {path} as Parquet: {e}"))?;
        Ok(ParquetSource {
            reader,
            at,
            id,
            pending: None,
            row: 0,
            rows,
        })
    }
}

fn readable(t: &DataType) -> bool {
    use DataType::*;
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

/// The cell at row `i` of a column.
fn cell(a: &dyn Array, i: usize) -> Cell {
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
        _ => Cell::Empty,
    }
}

/// A decimal's exact text, trailing fractional zeros past two places dropped
/// (`12.3400` → `12.34`).
pub(super) fn decimal(v: i128, scale: i8) -> String {
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
pub(super) fn date(days: i32) -> String {
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

impl Source for ParquetSource {
    fn chunk(&mut self, n: usize) -> Result<Vec<Row>, String> {
        let mut rows = Vec::with_capacity(n);
        while rows.len() < n {
            let (rb, start) = match self.pending.take() {
                Some(p) => p,
                None => match self.reader.next() {
                    None => break,
                    Some(Ok(rb)) => (rb, 0),
                    Some(Err(e)) => return Err(format!("cannot read row {}: {e}", self.row + 1)),
                },
            };
            let end = rb.num_rows().min(start + (n - rows.len()));
            for i in start..end {
                self.row += 1;
                let text = |c: Cell| match c {
                    Cell::Empty => None,
                    Cell::Text(t) => Some(t),
                    Cell::Int(n) => Some(n.to_string()),
                    Cell::Bool(b) => Some(b.to_string()),
                    Cell::Float(x) => Some(x.to_string()),
                    Cell::Other(w) => Some(w.to_string()),
                };
                rows.push(Row {
                    row: self.row,
                    id: self.id.and_then(|k| text(cell(rb.column(k).as_ref(), i))),
                    cells: Ok(self
                        .at
                        .iter()
                        .map(|k| match k {
                            Some(k) => cell(rb.column(*k).as_ref(), i),
                            None => Cell::Empty,
                        })
                        .collect()),
                });
            }
            if end < rb.num_rows() {
                self.pending = Some((rb, end));
            }
        }
        Ok(rows)
    }

    fn progress(&self) -> (u64, Option<u64>) {
        (self.row, Some(self.rows))
    }
}

pub struct ParquetSink {
    w: Option<ArrowWriter<Box<dyn Write + Send>>>,
    schema: Arc<Schema>,
    layers: usize,
}

/// Amounts: decimal128 with two places, wide enough for any `i64` of fen.
const MONEY: DataType = DataType::Decimal128(19, 2);

impl ParquetSink {
    pub fn new(out: Box<dyn Write + Send>, layers: Vec<String>) -> Result<ParquetSink, String> {
        let mut fields = vec![
            Field::new("row", DataType::UInt64, false),
            Field::new("id", DataType::Utf8, true),
            Field::new("status", DataType::Utf8, false),
            Field::new("total", MONEY, true),
            Field::new("family", MONEY, true),
            Field::new("family_low", MONEY, true),
        ];
        fields.extend(
            layers
                .iter()
                .map(|l| Field::new(format!("paid_{l}"), MONEY, true)),
        );
        for f in ["error_code", "error_column", "error_path", "error_message"] {
            fields.push(Field::new(f, DataType::Utf8, true));
        }
        let schema = Arc::new(Schema::new(fields));
        let props = parquet::file::properties::WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            // A row group is held in memory until written: 65,536 rows (a few MB) keeps
            // memory constant where the default, 2²⁰ rows, would grow with the table.
            .set_max_row_group_row_count(Some(1 << 16))
            .build();
        let w = ArrowWriter::try_new(out, schema.clone(), Some(props))
            .map_err(|e| format!("cannot write Parquet: {e}"))?;
        Ok(ParquetSink {
            w: Some(w),
            schema,
            layers: layers.len(),
        })
    }
}

impl Sink for ParquetSink {
    fn write(&mut self, rows: &[RowResult]) -> Result<(), String> {
        let money = |f: &dyn Fn(&RowResult) -> Option<Money>| -> Result<ArrayRef, String> {
            let a: Decimal128Array = rows
                .iter()
                .map(|r| f(r).map(|m| i128::from(m.fen())))
                .collect();
            Ok(Arc::new(
                a.with_precision_and_scale(19, 2)
                    .map_err(|e| format!("cannot write Parquet: {e}"))?,
            ))
        };
        let text = |f: &dyn Fn(&RowResult) -> Option<String>| -> ArrayRef {
            Arc::new(rows.iter().map(f).collect::<StringArray>())
        };
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(rows.iter().map(|r| r.row).collect::<UInt64Array>()),
            text(&|r| r.id.clone()),
            text(&|r| Some(r.status().to_string())),
            money(&|r| r.outcome.as_ref().ok().map(|s| s.total))?,
            money(&|r| r.outcome.as_ref().ok().map(|s| s.family))?,
            money(&|r| r.outcome.as_ref().ok().and_then(|s| s.family_low))?,
        ];
        for k in 0..self.layers {
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
        let rb = RecordBatch::try_new(self.schema.clone(), cols)
            .map_err(|e| format!("cannot write Parquet: {e}"))?;
        match &mut self.w {
            Some(w) => w
                .write(&rb)
                .map_err(|e| format!("cannot write Parquet: {e}")),
            None => Ok(()),
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        match self.w.take() {
            Some(w) => {
                let mut out = w
                    .into_inner()
                    .map_err(|e| format!("cannot write Parquet: {e}"))?;
                out.flush()
                    .map_err(|e| format!("cannot write Parquet: {e}"))
            }
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_and_dates_are_written_exactly() {
        assert_eq!(super::decimal(123_400, 4), "12.34");
        assert_eq!(super::decimal(-5, 2), "-0.05");
        assert_eq!(super::decimal(12, -2), "1200");
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(20_240), "2025-06-01");
    }
}
