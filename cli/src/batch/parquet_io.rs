//! Parquet through Arrow record batches: amounts as decimal128(19, 2), exact.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use tiercost::batch::arrow::{result_batch, result_schema, Columns, ResultTypes};
use tiercost::batch::{Batch, RowResult};

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

/// Amounts as decimal128(19, 2) (any `i64` of fen fits), rows numbered as `UInt64`.
const TYPES: ResultTypes = ResultTypes {
    signed_rows: false,
    precision: 19,
};

impl ParquetSink {
    pub fn new(out: Box<dyn Write + Send>, layers: Vec<String>) -> Result<ParquetSink, String> {
        let schema = result_schema(&layers, TYPES);
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
        let rb = result_batch(&self.schema, TYPES, self.layers, rows)
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
