//! The bad-input corpus (`tests/cases/bad-input/`) through the command line, as an author
//! runs it: each document with `tiercost validate FILE`, each case with `tiercost estimate
//! FILE`. The CLI must name the expected code and path, the part of the message the corpus
//! gives, and the sentence in zh-CN and en that the page and the playground show
//! (`tests/browser/corpus.test.mjs` checks those two front ends, `wasm/tests/web.rs` the wasm).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The corpus files, in name order.
fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases/bad-input");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_cli_says_what_the_corpus_expects() {
    let tmp = std::env::temp_dir().join(format!("tiercost-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("a temporary directory");
    let files = corpus_files();
    let mut failures = Vec::new();
    for f in &files {
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).expect("readable")).expect("JSON");
        let (command, doc) = match file.get("document") {
            Some(d) => ("validate", d),
            None => ("estimate", &file["case"]),
        };
        let input = tmp.join(f.file_name().expect("a file name"));
        std::fs::write(&input, doc.to_string()).expect("written");
        let out = Command::new(env!("CARGO_BIN_EXE_tiercost"))
            .arg(command)
            .arg(&input)
            .output()
            .expect("the CLI runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(1) {
            failures.push(format!("{}: exit {:?}", f.display(), out.status.code()));
            continue;
        }
        let x = &file["expected"];
        let empty = Vec::new();
        let also = x["problems"].as_array().unwrap_or(&empty);
        for want in std::iter::once(&x["error"]).chain(also) {
            let code = want["code"].as_str().unwrap_or_default();
            let path = want["path"].as_str().unwrap_or("$");
            // The error's own line, or one of its problems', then its two sentences.
            let line = stderr.lines().enumerate().find(|(_, l)| {
                l.starts_with(&format!("error[{code}] at {path}: "))
                    || l.starts_with(&format!("  - [{code}] at {path}: "))
            });
            let Some((i, line)) = line else {
                failures.push(format!(
                    "{}: no [{code}] at {path} in\n{stderr}",
                    f.display()
                ));
                continue;
            };
            if let Some(m) = want["message"].as_str() {
                if !line.contains(m) {
                    failures.push(format!("{}: {line:?} lacks {m:?}", f.display()));
                }
            }
            let next: Vec<&str> = stderr.lines().skip(i + 1).take(2).collect();
            for (lang, key) in [("zh-CN", "zh"), ("en", "en")] {
                let Some(s) = want[key].as_str() else {
                    continue;
                };
                if !next
                    .iter()
                    .any(|l| l.trim_start() == format!("= {lang}: {s}"))
                {
                    failures.push(format!(
                        "{}: no {lang} sentence {s:?} after {line:?}",
                        f.display()
                    ));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(files.len() >= 20, "only {} corpus files", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The "Common mistakes" table of docs/FORMATS.md: one row per corpus file that names a part
/// of the message (the documented mistakes), in file order.
fn common_mistakes() -> String {
    let files = corpus_files();
    let mut out = String::from(
        "| mistake | code | path | the message says | file |\n|---|---|---|---|---|\n",
    );
    for f in files {
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).expect("readable")).expect("JSON");
        let e = &file["expected"]["error"];
        let Some(message) = e["message"].as_str() else {
            continue;
        };
        let cell = |s: &str| s.replace('|', "\\|");
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        out.push_str(&format!(
            "| {} | `{}` | `{}` | {} | [{name}](../tests/cases/bad-input/{name}) |\n",
            cell(file["name"].as_str().unwrap_or_default()),
            e["code"].as_str().unwrap_or_default(),
            e["path"].as_str().unwrap_or("$"),
            if message.contains('`') {
                cell(message)
            } else {
                format!("“{}”", cell(message))
            },
        ));
    }
    out
}

#[test]
fn formats_md_lists_the_common_mistakes_of_the_corpus() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/FORMATS.md");
    let doc = std::fs::read_to_string(&path).expect("docs/FORMATS.md");
    let (begin, end) = (
        "<!-- common-mistakes:begin -->\n",
        "<!-- common-mistakes:end -->",
    );
    let start = doc.find(begin).expect("the begin marker") + begin.len();
    let stop = doc.find(end).expect("the end marker");
    let table = common_mistakes();
    if doc[start..stop] == table {
        return;
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{table}{}", &doc[..start], &doc[stop..]);
        std::fs::write(&path, updated).expect("docs/FORMATS.md written");
        return;
    }
    panic!(
        "docs/FORMATS.md's common mistakes differ from tests/cases/bad-input/: run UPDATE_DOCS=1 cargo test --test corpus_cli\n{table}"
    );
}
