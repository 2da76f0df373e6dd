//! Writing each row's result: a CSV or JSON Lines sink (or Parquet), one line a row, with
//! what each layer paid and the family's share, or the row's error.

use std::io::Write;

use tiercost::batch::{Batch, RowError, RowResult};
use tiercost::Money;

use super::*;

pub(super) trait Sink {
    fn write(&mut self, rows: &[RowResult]) -> Result<(), String>;
    fn finish(&mut self) -> Result<(), String>;
}

pub(super) fn open_sink<'b>(
    out: Box<dyn Write + Send>,
    format: TableFormat,
    batch: &'b Batch<'_>,
) -> Result<Box<dyn Sink + 'b>, String> {
    let layers: Vec<String> = batch.layers().to_vec();
    match format {
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let mut header: Vec<String> = ["row", "id", "status", "total", "family", "family_low"]
                .map(String::from)
                .to_vec();
            header.extend(layers.iter().map(|l| format!("paid_{l}")));
            header.extend(
                ["error_code", "error_column", "error_path", "error_message"].map(String::from),
            );
            w.write_record(&header)
                .map_err(|e| format!("cannot write: {e}"))?;
            Ok(Box::new(CsvSink {
                w,
                layers: layers.len(),
            }))
        }
        TableFormat::Jsonl => Ok(Box::new(JsonlSink { w: out, layers })),
        #[cfg(feature = "parquet")]
        TableFormat::Parquet => Ok(Box::new(parquet_io::ParquetSink::new(out, layers)?)),
        #[cfg(not(feature = "parquet"))]
        TableFormat::Parquet => {
            Err("this tiercost was built without Parquet (the `parquet` feature)".into())
        }
    }
}

pub(super) struct CsvSink {
    w: csv::Writer<Box<dyn Write + Send>>,
    layers: usize,
}

impl Sink for CsvSink {
    fn write(&mut self, rows: &[RowResult]) -> Result<(), String> {
        let mut fields: Vec<String> = Vec::new();
        for r in rows {
            fields.clear();
            fields.push(r.row.to_string());
            fields.push(r.id.clone().unwrap_or_default());
            fields.push(r.status().to_string());
            match &r.outcome {
                Ok(s) => {
                    fields.push(s.total.to_string());
                    fields.push(s.family.to_string());
                    fields.push(s.family_low.map(|m| m.to_string()).unwrap_or_default());
                    fields.extend(s.paid.iter().map(Money::to_string));
                    fields.extend(std::iter::repeat_n(String::new(), 4));
                }
                Err(e) => {
                    let blanks = 3 + self.layers;
                    fields.extend(std::iter::repeat_n(String::new(), blanks));
                    fields.push(e.code.to_string());
                    fields.push(e.column.clone().unwrap_or_default());
                    fields.push(e.path.clone());
                    fields.push(e.message.clone());
                }
            }
            self.w
                .write_record(&fields)
                .map_err(|e| format!("cannot write: {e}"))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), String> {
        self.w.flush().map_err(|e| format!("cannot write: {e}"))
    }
}

pub(super) struct JsonlSink {
    w: Box<dyn Write + Send>,
    layers: Vec<String>,
}

/// One result line, its fields in this order.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct JsonRow<'a> {
    row: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_low: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paid: Option<Paid<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a RowError>,
}

/// What each layer paid, as an object in settlement order.
pub(super) struct Paid<'a>(&'a [String], &'a [Money]);

impl serde::Serialize for Paid<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (id, paid) in self.0.iter().zip(self.1) {
            m.serialize_entry(id, paid)?;
        }
        m.end()
    }
}

impl Sink for JsonlSink {
    fn write(&mut self, rows: &[RowResult]) -> Result<(), String> {
        for r in rows {
            let ok = r.outcome.as_ref().ok();
            let line = JsonRow {
                row: r.row,
                id: r.id.as_deref(),
                status: r.status(),
                total: ok.map(|s| s.total),
                family: ok.map(|s| s.family),
                family_low: ok.and_then(|s| s.family_low),
                paid: ok.map(|s| Paid(&self.layers, &s.paid)),
                error: r.outcome.as_ref().err(),
            };
            serde_json::to_writer(&mut self.w, &line).map_err(|e| format!("cannot write: {e}"))?;
            self.w
                .write_all(b"\n")
                .map_err(|e| format!("cannot write: {e}"))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), String> {
        self.w.flush().map_err(|e| format!("cannot write: {e}"))
    }
}
