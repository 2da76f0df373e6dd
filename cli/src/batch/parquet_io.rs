//! Parquet through Arrow record batches: amounts as decimal128(19, 2), exact.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;

use arrow_array::{ArrayRef, Decimal128Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use tiercost::batch::arrow::Columns;
use tiercost::batch::{Batch, RowResult};
use tiercost::Money;

use super::{Row, Sink, Source};

pub struct ParquetSource {
    reader: ParquetRecordBatchReader,
    /// Where the mapping's columns are in the file's schema (the core's Arrow reading, shared
    /// with the Python package: tiercost::batch::arrow).
    columns: Columns,
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
        let columns =
            Columns::bind(batch, b.schema()).map_err(|e| format!("{path}: {}", e.message))?;
        let reader = b
            .with_batch_size(chunk)
            .build()
            .map_err(|e| format!("cannot read {path} as Parquet: {e}"))?;
        Ok(ParquetSource {
            reader,
            columns,
            pending: None,
            row: 0,
            rows,
        })
    }
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
                let (id, cells) = self.columns.row(&rb, i);
                rows.push(Row {
                    row: self.row,
                    id,
                    cells: Ok(cells),
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
