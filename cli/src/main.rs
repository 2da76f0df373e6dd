//! The tiercost command line: estimate cases, validate packs, print schemas, run case files,
//! settle a table of applicants (`batch`).

mod batch;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::LazyLock;

use clap::builder::PossibleValue;
use clap::{Parser, Subcommand, ValueEnum};
use tiercost::schema::{schema_for, Document};

// build.rs validated the embedded packs (the feature `embedded-prevalidated` skips validating
// them again when first loaded): a compile error if they are not the documents it validated.
tiercost::embedded_validated!();
use tiercost::{explain, Error};

#[derive(Parser)]
#[command(
    name = "tiercost",
    version,
    about = "What a medical bill really costs after every layer that can pay"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Estimate a case (a JSON file, or - for standard input).
    Estimate {
        /// The case file, or `-`.
        case: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Language of the text explanation.
        #[arg(long, default_value = "zh-CN")]
        lang: String,
        /// `full`: every step of every benefit, each item, the sources; `totals`: what each
        /// layer pays, its status, the family's share, its range and the warnings, from the
        /// same settlement without the trace.
        #[arg(long, value_enum, default_value_t = DetailArg::Full)]
        detail: DetailArg,
    },
    /// Validate a document: a policy pack or programme, a case or a plan (recognised by its
    /// fields); every problem is listed with its path and the sentence an author reads.
    Validate {
        /// The document, or `-`.
        pack: String,
    },
    /// Print a JSON Schema generated from the Rust types.
    Schema {
        /// Which document.
        #[arg(value_enum)]
        which: Kind,
    },
    /// List the embedded packs and programmes.
    Packs,
    /// The rollover checklist: every source past its validity or review date, with the
    /// layers that use it; fails when a built-in source has no validity.
    Stale {
        /// The date to check against (YYYY-MM-DD).
        #[arg(long = "as-of")]
        as_of: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the text.
        #[arg(long, default_value = "zh-CN")]
        lang: String,
    },
    /// Run every case file under a directory and report each failure.
    Cases {
        /// The directory (searched recursively for *.json).
        dir: PathBuf,
    },
    /// Settle a treatment plan (a case with `plan` instead of `encounters`): monthly cash flow.
    Plan {
        /// The plan document, or `-`.
        file: String,
        #[command(flatten)]
        out: Out,
    },
    /// Compare variants of a case: `{base, variants, common?}`.
    Compare {
        /// The comparison document, or `-`.
        file: String,
        /// Add the common variants (levels, locality, products, categories, order).
        #[arg(long)]
        common: bool,
        #[command(flatten)]
        out: Out,
    },
    /// The aid that would bring the family's share down to a target.
    Aid {
        /// A case or plan document (or `{case, target}`), or `-`.
        file: String,
        /// The family's share to reach, in yuan (e.g. 5000).
        #[arg(long)]
        target: Option<String>,
        #[command(flatten)]
        out: Out,
    },
    /// The largest bill that keeps the family's share at or under a target.
    MaxBill {
        /// A case or plan document (or `{case, target, scale}`), or `-`.
        file: String,
        /// The family's share not to exceed, in yuan.
        #[arg(long)]
        target: Option<String>,
        /// Vary this encounter (index as given; default 0).
        #[arg(long)]
        encounter: Option<usize>,
        /// Vary only this item of the encounter.
        #[arg(long)]
        item: Option<usize>,
        /// For a plan: vary this course (default 0).
        #[arg(long)]
        course: Option<usize>,
        /// Vary the whole bill (every encounter in proportion).
        #[arg(long)]
        total: bool,
        /// The most to try, in yuan (default 100000000).
        #[arg(long)]
        upper: Option<String>,
        #[command(flatten)]
        out: Out,
    },
    /// Lowest, typical and highest share when the level, split or admissions are unknown.
    Range {
        /// A case or plan document (or `{case, unknowns}`), or `-`.
        file: String,
        #[command(flatten)]
        out: Out,
    },
    /// Programmes, products and assistance categories the family could still apply for.
    HelpAvailable {
        /// A case or plan document, or `-`.
        file: String,
        #[command(flatten)]
        out: Out,
    },
    /// The family's share against household income and capacity to pay.
    Burden {
        /// A case or plan document (with optional `nonMedical` costs), or `-`.
        file: String,
    },
    /// Settle a table of applicants (CSV, JSON Lines or Parquet) against a case template:
    /// one result per row, per-row errors, and a summary (docs/BATCH.md).
    Batch(batch::BatchArgs),
}

#[derive(clap::Args)]
struct Out {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Language of the text output.
    #[arg(long, default_value = "zh-CN")]
    lang: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

/// `--detail` (tiercost::Detail).
#[derive(Clone, Copy, ValueEnum)]
enum DetailArg {
    Full,
    Totals,
}

/// `tiercost schema KIND`: the core's [`Document`] kinds, named and described by the core.
#[derive(Clone, Copy)]
struct Kind(Document);

impl ValueEnum for Kind {
    fn value_variants<'a>() -> &'a [Self] {
        static KINDS: LazyLock<Vec<Kind>> =
            LazyLock::new(|| Document::ALL.iter().map(|&d| Kind(d)).collect());
        &KINDS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        // As clap's derive shows a one-line doc comment: without its final period.
        let about = self.0.about();
        Some(PossibleValue::new(self.0.name()).help(about.strip_suffix('.').unwrap_or(about)))
    }
}

fn read(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

/// Prints an error: each problem's code, path and message, and under it the sentence the
/// page, the widget and the playground show for its code (`www/lib/errors.js`), in zh-CN and
/// en, so that an author reads the same words in every front end.
fn report(e: &Error) -> ExitCode {
    let sentence = |code: tiercost::ErrorCode, indent: &str| {
        if let Some(s) = tiercost::sentences::sentence(code.as_str()) {
            eprintln!("{indent}zh-CN: {}", s.zh);
            eprintln!("{indent}en: {}", s.en);
        }
    };
    eprintln!("error[{}] at {}: {}", e.code, e.path, e.message);
    sentence(e.code, "  = ");
    for p in &e.problems {
        eprintln!("  - [{}] at {}: {}", p.code, p.path, p.message);
        sentence(p.code, "      = ");
    }
    ExitCode::from(1)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Prints a planning result as JSON or as sentences (`tiercost::explain`, the page's words).
fn emit<T: serde::Serialize>(
    r: Result<T, Error>,
    out: &Out,
    text: fn(&serde_json::Value, &str) -> String,
) -> ExitCode {
    match r {
        Ok(v) => {
            match out.format {
                Format::Json => println!("{}", json(&v)),
                Format::Text => print!(
                    "{}",
                    text(&serde_json::to_value(&v).unwrap_or_default(), &out.lang)
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

/// Wraps a subject document as `{case, …}` unless it already is one, and sets the flags given.
fn wrap(text: &str, fields: &[(&str, Option<serde_json::Value>)]) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.to_string(); // the library reports the syntax error with its position
    };
    let mut obj = if value.get("case").is_some() {
        value
    } else {
        serde_json::json!({ "case": value })
    };
    for (k, v) in fields {
        if let (Some(v), Some(m)) = (v, obj.as_object_mut()) {
            m.insert((*k).to_string(), v.clone());
        }
    }
    serde_json::to_string(&obj).unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let input = |file: &str| -> Result<String, ExitCode> {
        read(file).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })
    };
    let s = |x: &Option<String>| x.as_ref().map(|t| serde_json::Value::String(t.clone()));
    match cli.command {
        Command::Batch(args) => batch::run(args),
        Command::Plan { file, out } => {
            let text = match input(&file) {
                Ok(t) => t,
                Err(c) => return c,
            };
            emit(tiercost::plan_json(&text), &out, explain::plan_text)
        }
        Command::Compare { file, common, out } => {
            let mut text = match input(&file) {
                Ok(t) => t,
                Err(c) => return c,
            };
            if common {
                if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&text) {
                    if let Some(m) = v.as_object_mut() {
                        m.insert("common".into(), serde_json::Value::Bool(true));
                    }
                    text = v.to_string();
                }
            }
            emit(tiercost::compare_json(&text), &out, explain::compare_text)
        }
        Command::Aid { file, target, out } => {
            let text = match input(&file) {
                Ok(t) => t,
                Err(c) => return c,
            };
            let text = wrap(&text, &[("target", s(&target))]);
            emit(tiercost::aid_needed_json(&text), &out, explain::aid_text)
        }
        Command::MaxBill {
            file,
            target,
            encounter,
            item,
            course,
            total,
            upper,
            out,
        } => {
            let text = match input(&file) {
                Ok(t) => t,
                Err(c) => return c,
            };
            let scale = if total {
                Some(serde_json::json!("total"))
            } else if let Some(c) = course {
                Some(serde_json::json!({ "course": c }))
            } else if encounter.is_some() || item.is_some() {
                let mut v = serde_json::json!({ "encounter": encounter.unwrap_or(0) });
                if let Some(i) = item {
                    v["item"] = serde_json::json!(i);
                }
                Some(v)
            } else {
                None
            };
            let text = wrap(
                &text,
                &[
                    ("target", s(&target)),
                    ("scale", scale),
                    ("upper", s(&upper)),
                ],
            );
            emit(tiercost::max_bill_json(&text), &out, explain::max_bill_text)
        }
        Command::Range { file, out } => {
            let text = match input(&file) {
                Ok(t) => t,
                Err(c) => return c,
            };
            let text = wrap(&text, &[]);
            emit(tiercost::range_json(&text), &out, explain::range_text)
        }
        Command::HelpAvailable { file, out } => {
            let text = match input(&file) {
                Ok(t) => t,
                Err(c) => return c,
            };
            emit(
                tiercost::help_available_json(&text),
                &out,
                explain::help_available_text,
            )
        }
        Command::Burden { file } => {
            let text = match input(&file) {
                Ok(t) => t,
                Err(c) => return c,
            };
            match tiercost::burden_json(&text) {
                Ok(b) => {
                    println!("{}", json(&b));
                    ExitCode::SUCCESS
                }
                Err(e) => report(&e),
            }
        }
        Command::Estimate {
            case,
            format,
            lang,
            detail,
        } => {
            let text = match read(&case) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let detail = match detail {
                DetailArg::Full => tiercost::Detail::Full,
                DetailArg::Totals => tiercost::Detail::Totals,
            };
            match tiercost::estimate_json_with(&text, detail) {
                Ok(e) => {
                    match format {
                        Format::Json => println!("{}", json(&e)),
                        Format::Text => print!("{}", explain::render(&e, &lang)),
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => report(&e),
            }
        }
        Command::Validate { pack } => {
            let text = match read(&pack) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            match tiercost::validate_json(&text) {
                Ok(s) => {
                    println!("{}", json(&s));
                    ExitCode::SUCCESS
                }
                Err(e) => report(&e),
            }
        }
        Command::Schema { which: Kind(which) } => {
            println!("{}", json(&schema_for(which)));
            ExitCode::SUCCESS
        }
        Command::Packs => {
            let problems = tiercost::Catalog::embedded().problems();
            for p in problems {
                eprintln!("warning: embedded pack failed to load: {p}");
            }
            println!("{}", json(&tiercost::list_packs()));
            if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Stale {
            as_of,
            format,
            lang,
        } => {
            let date = match tiercost::Date::parse(&as_of) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("error[invalid_date] at --as-of: {e}");
                    return ExitCode::from(2);
                }
            };
            let report = tiercost::stale::stale_report(tiercost::Catalog::embedded(), date);
            match format {
                Format::Json => println!("{}", json(&report)),
                Format::Text => print!("{}", report.to_text(lang.starts_with("zh"))),
            }
            if report.missing.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Cases { dir } => {
            let files = tiercost::casefile::json_files(&dir);
            let (mut passed, mut failed) = (0usize, 0usize);
            for f in &files {
                let text = match std::fs::read_to_string(f) {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("FAIL {}: cannot read: {e}", f.display());
                        failed += 1;
                        continue;
                    }
                };
                match tiercost::casefile::check(&text) {
                    Ok(r) if r.failures.is_empty() => passed += 1,
                    Ok(r) => {
                        failed += 1;
                        eprintln!("FAIL {} — {}", f.display(), r.name);
                        for x in r.failures {
                            eprintln!("    {x}");
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("FAIL {}: not a case file: {e}", f.display());
                    }
                }
            }
            println!("{passed} passed, {failed} failed");
            if failed == 0 && passed > 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}
