//! `tiercost batch`: the file formats around [`tiercost::batch`]. Rows are read in chunks,
//! each chunk settled on all cores (rayon, in order), written, and counted in the summary;
//! memory stays constant but for 8 bytes a settled row (the family's shares, for the exact
//! quantiles). docs/BATCH.md is the user's description.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::Value;
use tiercost::batch::{
    Batch, Cell, Mapping, RowError, RowResult, Summary, SummaryReport, Template,
};
use tiercost::{Error, ErrorCode, Money};

/// A table format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet.
    Parquet,
}

impl TableFormat {
    /// The format a file name's extension says.
    pub fn of(path: &str) -> Option<TableFormat> {
        let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(TableFormat::Csv),
            "jsonl" | "ndjson" => Some(TableFormat::Jsonl),
            "parquet" | "pq" => Some(TableFormat::Parquet),
            _ => None,
        }
    }
}

/// The options of `tiercost batch`.
#[derive(clap::Args)]
pub struct BatchArgs {
    /// The input table (.csv, .jsonl / .ndjson, .parquet), or - for standard input.
    input: String,
    /// The case template (a case document; the columns fill in its fields).
    #[arg(long)]
    template: PathBuf,
    /// The mapping: which column fills which field of the case (docs/BATCH.md).
    #[arg(long)]
    mapping: PathBuf,
    /// Where to write one result per row (default: standard output).
    #[arg(long, short)]
    output: Option<String>,
    /// The input's format (default: from its extension).
    #[arg(long, value_enum)]
    input_format: Option<TableFormat>,
    /// The output's format (default: from its extension, else the input's).
    #[arg(long, value_enum)]
    output_format: Option<TableFormat>,
    /// Write the summary as JSON to this file too.
    #[arg(long)]
    summary: Option<PathBuf>,
    /// Show progress on standard error even when it is not a terminal (as a line every
    /// second); on a terminal a progress bar is shown anyway.
    #[arg(long)]
    progress: bool,
    /// Neither progress nor the summary on standard error.
    #[arg(long, short)]
    quiet: bool,
    /// Rows read and settled at a time.
    #[arg(long, default_value_t = 4096)]
    chunk: usize,
    /// Threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

/// One input row: its number, id and cells (in the mapping's column order), or why the
/// reader could not read it.
struct Row {
    row: u64,
    id: Option<String>,
    cells: Result<Vec<Cell>, RowError>,
}

/// A reader of rows, in chunks.
trait Source {
    /// Up to `n` rows; none at the end. An error here stops the run (input unreadable).
    fn chunk(&mut self, n: usize) -> Result<Vec<Row>, String>;
    /// How far through the input, and out of how much (for the progress bar).
    fn progress(&self) -> (u64, Option<u64>);
}

/// Runs the command; the exit code: 0 every row settled, 1 some rows did not (every other
/// row is written), 2 the run could not be done.
pub fn run(a: BatchArgs) -> std::process::ExitCode {
    match go(a) {
        Ok(0) => std::process::ExitCode::SUCCESS,
        Ok(_) => std::process::ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

fn doc_error(what: &str, e: &Error) -> String {
    let mut s = format!("{what}: error[{}] at {}: {}", e.code, e.path, e.message);
    for p in &e.problems {
        s.push_str(&format!("\n  - [{}] at {}: {}", p.code, p.path, p.message));
    }
    s
}

fn go(a: BatchArgs) -> Result<u64, String> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let template = Template::from_json(&read(&a.template)?, tiercost::Catalog::embedded())
        .map_err(|e| doc_error(&format!("template {}", a.template.display()), &e))?;
    let mapping = Mapping::from_json(&read(&a.mapping)?)
        .map_err(|e| doc_error(&format!("mapping {}", a.mapping.display()), &e))?;
    let batch = Batch::new(template, mapping)
        .map_err(|e| doc_error(&format!("mapping {}", a.mapping.display()), &e))?;

    let in_format = a
        .input_format
        .or_else(|| TableFormat::of(&a.input))
        .ok_or_else(|| {
            format!(
                "cannot tell the format of {}: give --input-format csv, jsonl or parquet",
                a.input
            )
        })?;
    let out_format = a
        .output_format
        .or_else(|| a.output.as_deref().and_then(TableFormat::of))
        .unwrap_or(in_format);
    let chunk = a.chunk.max(1);
    let mut source = open_source(&a.input, in_format, &batch, chunk)?;
    let out: Box<dyn Write + Send> = match &a.output {
        None => Box::new(BufWriter::new(std::io::stdout())),
        Some(p) if p == "-" => Box::new(BufWriter::new(std::io::stdout())),
        Some(p) => Box::new(BufWriter::new(
            File::create(p).map_err(|e| format!("cannot create {p}: {e}"))?,
        )),
    };
    let mut sink = open_sink(out, out_format, &batch)?;

    let pool = {
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = a.threads {
            b = b.num_threads(n);
        }
        b.build()
            .map_err(|e| format!("cannot start the threads: {e}"))?
    };
    let mut summary = Summary::new(batch.layers().len());
    let mut progress = Progress::new(
        !a.quiet && (a.progress || std::io::stderr().is_terminal()),
        a.progress,
    );
    let started = Instant::now();
    loop {
        let rows = source.chunk(chunk)?;
        if rows.is_empty() {
            break;
        }
        let results: Vec<RowResult> = pool.install(|| {
            rows.into_par_iter()
                .map(|r| match r.cells {
                    Ok(cells) => batch.settle(r.row, r.id, &cells),
                    Err(e) => RowResult {
                        row: r.row,
                        id: r.id,
                        outcome: Err(e),
                    },
                })
                .collect()
        });
        for r in &results {
            summary.add(r);
        }
        sink.write(&results)?;
        progress.update(source.progress(), summary.counts());
    }
    sink.finish()?;
    progress.finish();
    let elapsed = started.elapsed();
    let report = summary.report(batch.layers());
    if let Some(p) = &a.summary {
        let text = serde_json::to_string_pretty(&report).unwrap_or_default();
        std::fs::write(p, text + "\n").map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    if !a.quiet {
        eprint!("{}", summary_text(&report, elapsed));
    }
    if report.overflow {
        return Err("a sum in the summary overflowed: the totals are not usable".into());
    }
    Ok(report.errors)
}

/// The summary as the analyst reads it on standard error.
fn summary_text(r: &SummaryReport, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        r.rows as f64 / secs
    } else {
        0.0
    };
    let mut s = format!(
        "{} rows in {:.2} s ({:.0} rows/s): {} settled, {} of them as a range, {} errors\n",
        r.rows,
        secs,
        rate,
        r.ok + r.ranges,
        r.ranges,
        r.errors
    );
    for (code, n) in &r.errors_by_code {
        s.push_str(&format!("  error {code}: {n} rows\n"));
    }
    s.push_str(&format!("bills: {}\n", r.total));
    for l in &r.layers {
        s.push_str(&format!("  {}: {}\n", l.id, l.paid));
    }
    if r.ranges > 0 {
        s.push_str(&format!(
            "family's share: {} (with every undecided layer paying its best: {})\n",
            r.family, r.family_low
        ));
    } else {
        s.push_str(&format!("family's share: {}\n", r.family));
    }
    if let Some(d) = &r.distribution {
        s.push_str(&format!(
            "  per row: min {}, p25 {}, median {}, p75 {}, p90 {}, p99 {}, max {}, mean {}\n",
            d.min, d.p25, d.p50, d.p75, d.p90, d.p99, d.max, d.mean
        ));
        for b in &d.bands {
            match b.below {
                Some(below) => s.push_str(&format!("  {} to {}: {} rows\n", b.from, below, b.rows)),
                None => s.push_str(&format!("  {} and more: {} rows\n", b.from, b.rows)),
            }
        }
    }
    s
}

/// Progress on standard error: an indicatif bar on a terminal, or with `--progress`
/// elsewhere a plain line a second; nothing otherwise.
enum Progress {
    Off,
    Bar(indicatif::ProgressBar),
    Lines { last: Instant, started: Instant },
}

impl Progress {
    fn new(on: bool, forced: bool) -> Progress {
        if !on {
            return Progress::Off;
        }
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(0);
            let style = indicatif::ProgressStyle::with_template(
                "{bar:40} {percent:>3}% {msg} [{elapsed_precise}, {eta} left]",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            Progress::Bar(bar)
        } else if forced {
            let now = Instant::now();
            Progress::Lines {
                last: now,
                started: now,
            }
        } else {
            Progress::Off
        }
    }

    fn update(&mut self, (at, of): (u64, Option<u64>), (rows, errors): (u64, u64)) {
        match self {
            Progress::Off => {}
            Progress::Bar(bar) => {
                if let Some(of) = of {
                    bar.set_length(of);
                }
                bar.set_position(at);
                let secs = bar.elapsed().as_secs_f64().max(1e-9);
                bar.set_message(format!(
                    "{rows} rows, {errors} errors, {:.0} rows/s",
                    rows as f64 / secs
                ));
            }
            Progress::Lines { last, started } => {
                if last.elapsed() >= Duration::from_secs(1) {
                    *last = Instant::now();
                    let secs = started.elapsed().as_secs_f64().max(1e-9);
                    let pct = of
                        .filter(|&o| o > 0)
                        .map(|o| format!(" ({:.0}%)", at as f64 * 100.0 / o as f64))
                        .unwrap_or_default();
                    eprintln!(
                        "{rows} rows{pct}, {errors} errors, {:.0} rows/s",
                        rows as f64 / secs
                    );
                }
            }
        }
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

// ---------------------------------------------------------------------------------------
// Input

fn open_source<'b>(
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
fn bind(
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

struct CsvSource {
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

struct JsonlSource<'b> {
    lines: BufReader<Box<dyn Read>>,
    batch: &'b Batch<'b>,
    line: String,
    row: u64,
    bytes: u64,
    size: Option<u64>,
}

/// A JSON value as a cell.
fn json_cell(v: Option<&Value>) -> Cell {
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

// ---------------------------------------------------------------------------------------
// Output

trait Sink {
    fn write(&mut self, rows: &[RowResult]) -> Result<(), String>;
    fn finish(&mut self) -> Result<(), String>;
}

fn open_sink<'b>(
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

struct CsvSink {
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

struct JsonlSink {
    w: Box<dyn Write + Send>,
    layers: Vec<String>,
}

/// One result line, its fields in this order.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonRow<'a> {
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
struct Paid<'a>(&'a [String], &'a [Money]);

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

#[cfg(feature = "parquet")]
mod parquet_io {
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
                        Some(Err(e)) => {
                            return Err(format!("cannot read row {}: {e}", self.row + 1))
                        }
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
}
