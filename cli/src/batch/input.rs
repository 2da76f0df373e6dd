//! Reading the applicants' table: a CSV or JSON Lines file (or Parquet) opened as a source
//! of rows of cells, bound to the mapping's columns by header name.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use serde_json::Value;
use tiercost::batch::{Batch, Cell, RowError};
use tiercost::ErrorCode;

use super::*;

pub(super) fn open_source<'b>(
    path: &str,
    format: TableFormat,
    batch: &'b Batch<'_>,
    chunk: usize,
) -> Result<Box<dyn Source + 'b>, String> {
    let size = (path != "-")
        .then(|| std::fs::metadata(path).ok().map(|m| m.len()))
        .flatten();
    let reader = || -> Result<Box<dyn Read>, String> {
        if path == "-" {
            Ok(Box::new(std::io::stdin()))
        } else {
            File::open(path)
                .map(|f| Box::new(f) as Box<dyn Read>)
                .map_err(|e| format!("cannot read {path}: {e}"))
        }
    };
    match format {
        TableFormat::Csv => Ok(Box::new(CsvSource::new(reader()?, batch, size, path)?)),
        TableFormat::Jsonl => Ok(Box::new(JsonlSource {
            lines: BufReader::with_capacity(1 << 16, reader()?),
            batch,
            line: String::new(),
            row: 0,
            bytes: 0,
            size,
        })),
        #[cfg(feature = "parquet")]
        TableFormat::Parquet => {
            if path == "-" {
                return Err("Parquet cannot be read from standard input: give a file".into());
            }
            let f = File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            Ok(Box::new(parquet_io::ParquetSource::new(
                f, batch, chunk, path,
            )?))
        }
        #[cfg(not(feature = "parquet"))]
        TableFormat::Parquet => {
            let _ = chunk;
            Err("this tiercost was built without Parquet (the `parquet` feature)".into())
        }
    }
}

/// Where each mapped column is in the input's columns; a required column the input lacks
/// stops the run before any row is read.
pub(super) fn bind(
    batch: &Batch<'_>,
    names: &[String],
    input: &str,
) -> Result<(Vec<Option<usize>>, Option<usize>), String> {
    let find = |name: &str| names.iter().position(|n| n.trim() == name);
    let mut at = Vec::new();
    for c in &batch.mapping().columns {
        let i = find(&c.column);
        if i.is_none() && !c.optional {
            return Err(format!(
                "{input} has no column \"{}\" (the mapping needs it; mark it \"optional\": true to allow its absence); its columns: {}",
                c.column,
                names.join(", ")
            ));
        }
        at.push(i);
    }
    let id = match &batch.mapping().id {
        None => None,
        Some(name) => Some(find(name).ok_or_else(|| {
            format!(
                "{input} has no column \"{name}\" (the mapping's id); its columns: {}",
                names.join(", ")
            )
        })?),
    };
    Ok((at, id))
}

pub(super) struct CsvSource {
    reader: csv::Reader<Box<dyn Read>>,
    at: Vec<Option<usize>>,
    id: Option<usize>,
    record: csv::StringRecord,
    row: u64,
    size: Option<u64>,
}

impl CsvSource {
    fn new(
        input: Box<dyn Read>,
        batch: &Batch<'_>,
        size: Option<u64>,
        path: &str,
    ) -> Result<CsvSource, String> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(input);
        let names: Vec<String> = reader
            .headers()
            .map_err(|e| format!("cannot read the header of {path}: {e}"))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        let (at, id) = bind(batch, &names, path)?;
        Ok(CsvSource {
            reader,
            at,
            id,
            record: csv::StringRecord::new(),
            row: 0,
            size,
        })
    }
}

impl Source for CsvSource {
    fn chunk(&mut self, n: usize) -> Result<Vec<Row>, String> {
        let mut rows = Vec::with_capacity(n);
        while rows.len() < n {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => break,
                Ok(true) => {
                    self.row += 1;
                    let r = &self.record;
                    let cell = |i: Option<usize>| match i.and_then(|i| r.get(i)) {
                        None => Cell::Empty,
                        Some(t) => Cell::Text(t.to_string()),
                    };
                    rows.push(Row {
                        row: self.row,
                        id: self.id.and_then(|i| r.get(i)).map(str::to_string),
                        cells: Ok(self.at.iter().map(|&i| cell(i)).collect()),
                    });
                }
                Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                    self.row += 1;
                    rows.push(Row {
                        row: self.row,
                        id: None,
                        cells: Err(RowError {
                            code: ErrorCode::InvalidValue,
                            column: None,
                            path: "$".into(),
                            message: format!("the row is not valid UTF-8 text: {e}"),
                        }),
                    });
                }
                Err(e) => return Err(format!("cannot read row {}: {e}", self.row + 1)),
            }
        }
        Ok(rows)
    }

    fn progress(&self) -> (u64, Option<u64>) {
        (self.reader.position().byte(), self.size)
    }
}

pub(super) struct JsonlSource<'b> {
    lines: BufReader<Box<dyn Read>>,
    batch: &'b Batch<'b>,
    line: String,
    row: u64,
    bytes: u64,
    size: Option<u64>,
}

/// A JSON value as a cell.
pub(super) fn json_cell(v: Option<&Value>) -> Cell {
    match v {
        None | Some(Value::Null) => Cell::Empty,
        Some(Value::String(s)) => Cell::Text(s.clone()),
        Some(Value::Bool(b)) => Cell::Bool(*b),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Cell::Int(i),
            None => Cell::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(Value::Array(_)) => Cell::Other("an array"),
        Some(Value::Object(_)) => Cell::Other("an object"),
    }
}

impl Source for JsonlSource<'_> {
    fn chunk(&mut self, n: usize) -> Result<Vec<Row>, String> {
        let mut rows = Vec::with_capacity(n);
        while rows.len() < n {
            self.line.clear();
            let got = self
                .lines
                .read_line(&mut self.line)
                .map_err(|e| format!("cannot read row {}: {e}", self.row + 1))?;
            if got == 0 {
                break;
            }
            self.bytes += got as u64;
            if self.line.trim().is_empty() {
                continue;
            }
            self.row += 1;
            let bad = |code, message: String| RowError {
                code,
                column: None,
                path: "$".into(),
                message,
            };
            let row = match serde_json::from_str::<Value>(&self.line) {
                Ok(Value::Object(o)) => Row {
                    row: self.row,
                    id: self
                        .batch
                        .mapping()
                        .id
                        .as_ref()
                        .and_then(|k| match o.get(k) {
                            Some(Value::String(s)) => Some(s.clone()),
                            Some(Value::Null) | None => None,
                            Some(v) => Some(v.to_string()),
                        }),
                    cells: Ok(self
                        .batch
                        .mapping()
                        .columns
                        .iter()
                        .map(|c| json_cell(o.get(&c.column)))
                        .collect()),
                },
                Ok(_) => Row {
                    row: self.row,
                    id: None,
                    cells: Err(bad(
                        ErrorCode::InvalidType,
                        "a row is a JSON object of column names and values".into(),
                    )),
                },
                Err(e) => Row {
                    row: self.row,
                    id: None,
                    cells: Err(bad(ErrorCode::JsonSyntax, e.to_string())),
                },
            };
            rows.push(row);
        }
        Ok(rows)
    }

    fn progress(&self) -> (u64, Option<u64>) {
        (self.bytes, self.size)
    }
}
