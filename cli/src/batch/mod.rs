//! `tiercost batch`: the file formats around [`tiercost::batch`]. Rows are read in chunks,
//! each chunk settled on all cores (rayon, in order), written, and counted in the summary;
//! memory stays constant but for 8 bytes a settled row (the family's shares, for the exact
//! quantiles). docs/BATCH.md is the user's description.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tiercost::batch::{
    Batch, Cell, Mapping, RowError, RowResult, Summary, SummaryReport, Template,
};
use tiercost::Error;

mod input;
mod output;
#[cfg(feature = "parquet")]
mod parquet_io;
use input::*;
use output::*;

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
                .map_init(
                    || batch.scratch(),
                    |scratch, r| match r.cells {
                        Ok(cells) => batch.settle_in(scratch, r.row, r.id, &cells),
                        Err(e) => RowResult {
                            row: r.row,
                            id: r.id,
                            outcome: Err(e),
                        },
                    },
                )
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
