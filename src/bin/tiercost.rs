//! The tiercost command line: estimate cases, validate packs, print schemas, run case files.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tiercost::schema::{schema_for, Document};
use tiercost::Error;

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
    },
    /// Validate a policy pack or programme.
    Validate {
        /// The pack file, or `-`.
        pack: String,
    },
    /// Print a JSON Schema generated from the Rust types.
    Schema {
        /// Which document.
        #[arg(value_enum)]
        which: Which,
    },
    /// List the embedded packs and programmes.
    Packs,
    /// Run every case file under a directory and report each failure.
    Cases {
        /// The directory (searched recursively for *.json).
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
enum Which {
    Case,
    Pack,
    Result,
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

fn report(e: &Error) -> ExitCode {
    eprintln!("error[{}] at {}: {}", e.code, e.path, e.message);
    for p in &e.problems {
        eprintln!("  - [{}] at {}: {}", p.code, p.path, p.message);
    }
    ExitCode::from(1)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut v: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Estimate { case, format, lang } => {
            let text = match read(&case) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            match tiercost::estimate_json(&text) {
                Ok(e) => {
                    match format {
                        Format::Json => println!("{}", json(&e)),
                        Format::Text => print!("{}", tiercost::explain::render(&e, &lang)),
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
        Command::Schema { which } => {
            let doc = match which {
                Which::Case => Document::Case,
                Which::Pack => Document::Pack,
                Which::Result => Document::Result,
            };
            println!("{}", json(&schema_for(doc)));
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
        Command::Cases { dir } => {
            let mut files = Vec::new();
            collect(&dir, &mut files);
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
