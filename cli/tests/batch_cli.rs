//! `tiercost batch` as an analyst runs it, on the example template and mapping
//! (examples/batch/): every good row equals `tiercost estimate` of the same case to the fen,
//! each bad row names its row, column and code without stopping the others, the summary adds
//! up the rows, and CSV, JSON Lines and Parquet give the same results. A property test checks
//! the library's rows against single estimates.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// The repository root (this crate is `cli/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tiercost-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir.join(name)
}

/// Runs `tiercost batch INPUT` with the example template and mapping and `extra` options.
fn batch(input: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tiercost"))
        .arg("batch")
        .arg(input)
        .arg("--template")
        .arg(root().join("examples/batch/template.json"))
        .arg("--mapping")
        .arg(root().join("examples/batch/mapping.json"))
        .args(extra)
        .output()
        .expect("the CLI runs")
}

/// Decimal yuan text as fen, exactly.
fn fen(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let neg = whole.starts_with('-');
    let w: i64 = whole.trim_start_matches('-').parse().expect("yuan");
    let f: i64 = format!("{frac:0<2}").parse().expect("fen");
    let v = w * 100 + f;
    if neg {
        -v
    } else {
        v
    }
}

const HEADER: &str = "applicant,admitted,hospital,category,age,class_a,class_b,class_c";

/// The input rows: the first 20 comparison bills (benches/compare/bills.json) with Chinese
/// labels, as examples/batch/applicants.csv has them, then the bad rows.
fn rows() -> Vec<[String; 8]> {
    let bills: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(root().join("benches/compare/bills.json")).expect("bills"),
    )
    .expect("JSON");
    let level = |l: &str| match l {
        "level1" => "一级",
        "level2" => "二级",
        _ => "三级",
    };
    let category = |c: &str| match c {
        "extreme_poverty" => "特困",
        "minimum_living" => "低保",
        "near_minimum_living" => "低保边缘",
        _ => "无",
    };
    let mut rows: Vec<[String; 8]> = bills
        .iter()
        .take(20)
        .enumerate()
        .map(|(i, b)| {
            let s = |k: &str| b[k].as_str().expect("text").to_string();
            [
                format!("A{:03}", i + 1),
                "2025-06-01".to_string(),
                level(&s("level")).to_string(),
                // Applicant 3's category is unknown: a range.
                if i == 2 {
                    String::new()
                } else {
                    category(&s("category")).to_string()
                },
                if i % 4 == 0 {
                    (50 + i).to_string()
                } else {
                    String::new()
                },
                s("a"),
                s("b"),
                s("c"),
            ]
        })
        .collect();
    let bad = |id: &str, f: &dyn Fn(&mut [String; 8])| {
        let mut r = rows_template();
        r[0] = id.to_string();
        f(&mut r);
        r
    };
    // A bad amount (three decimals), an impossible date, a date no rules cover, a missing
    // hospital level.
    rows.insert(4, bad("BAD-AMOUNT", &|r| r[6] = "12.345".into()));
    rows.insert(9, bad("BAD-DATE", &|r| r[1] = "2025-02-30".into()));
    rows.insert(12, bad("OLD-DATE", &|r| r[1] = "2019-03-01".into()));
    rows.insert(15, bad("NO-LEVEL", &|r| r[2] = String::new()));
    rows
}

fn rows_template() -> [String; 8] {
    [
        "X",
        "2025-06-01",
        "二级",
        "低保",
        "",
        "15000.00",
        "3000.50",
        "800.00",
    ]
    .map(String::from)
}

/// The bad rows: (row number, id, code, column, path).
const BAD: &[(u64, &str, &str, &str, &str)] = &[
    (
        5,
        "BAD-AMOUNT",
        "invalid_amount",
        "class_b",
        "$.encounters[0].items[1].amount",
    ),
    (
        10,
        "BAD-DATE",
        "invalid_date",
        "admitted",
        "$.encounters[0].date",
    ),
    (
        13,
        "OLD-DATE",
        "not_in_effect",
        "admitted",
        "$.encounters[0].date",
    ),
    (
        16,
        "NO-LEVEL",
        "missing_field",
        "hospital",
        "$.encounters[0].level",
    ),
];

fn write_csv(path: &Path, rows: &[[String; 8]]) {
    let mut text = format!("{HEADER}\n");
    for r in rows {
        text.push_str(&r.join(","));
        text.push('\n');
    }
    std::fs::write(path, text).expect("written");
}

/// The case a row makes, built here from the template by hand (not by the batch code).
fn case_of(r: &[String; 8]) -> Value {
    let mut c: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/batch/template.json")).expect("template"),
    )
    .expect("JSON");
    let level = match r[2].as_str() {
        "一级" => "level1",
        "二级" => "level2",
        _ => "level3",
    };
    c["encounters"][0]["date"] = json!(r[1]);
    c["encounters"][0]["level"] = json!(level);
    let category = match r[3].as_str() {
        "" => None,
        "特困" => Some("extreme_poverty"),
        "低保" => Some("minimum_living"),
        "低保边缘" => Some("near_minimum_living"),
        _ => Some("none"),
    };
    if let Some(k) = category {
        c["member"]["category"] = json!(k);
    }
    if !r[4].is_empty() {
        c["member"]["age"] = json!(r[4].parse::<u32>().expect("age"));
    }
    for k in 0..3 {
        c["encounters"][0]["items"][k]["amount"] = json!(r[5 + k]);
    }
    c
}

fn read_csv(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .expect("a header")
        .split(',')
        .map(String::from)
        .collect();
    let mut rdr = csv_rows(text);
    rdr.remove(0);
    rdr.into_iter()
        .map(|cells| header.iter().cloned().zip(cells).collect())
        .collect()
}

/// A minimal CSV reader for the output (quoted fields with doubled quotes).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

#[test]
fn every_good_row_equals_its_single_estimate_and_bad_rows_say_where() {
    let rows = rows();
    let input = tmp("applicants.csv");
    write_csv(&input, &rows);
    let summary_file = tmp("summary.json");
    let out = batch(
        &input,
        &["--summary", summary_file.to_str().expect("a path")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "some rows failed: exit 1\n{stderr}"
    );
    assert!(stderr.contains("24 rows"), "{stderr}");
    let results = read_csv(&stdout);
    assert_eq!(results.len(), rows.len(), "one result per row, in order");

    let layers = ["basic", "critical_illness", "assistance"];
    let mut sums = [0i64; 5]; // total, family, three layers
    for (i, (r, got)) in rows.iter().zip(&results).enumerate() {
        let n = i as u64 + 1;
        assert_eq!(got["row"], n.to_string());
        assert_eq!(got["id"], r[0]);
        if let Some(&(_, id, code, column, path)) = BAD.iter().find(|b| b.0 == n) {
            assert_eq!(got["id"], id);
            assert_eq!(got["status"], "error", "row {n}");
            assert_eq!(
                (
                    got["error_code"].as_str(),
                    got["error_column"].as_str(),
                    got["error_path"].as_str()
                ),
                (code, column, path),
                "row {n}: {}",
                got["error_message"]
            );
            assert!(got["total"].is_empty() && got["paid_basic"].is_empty());
            continue;
        }
        // The same case through `tiercost estimate`.
        let case = tmp(&format!("case-{n}.json"));
        std::fs::write(&case, case_of(r).to_string()).expect("written");
        let single = Command::new(env!("CARGO_BIN_EXE_tiercost"))
            .arg("estimate")
            .arg(&case)
            .output()
            .expect("the CLI runs");
        assert!(
            single.status.success(),
            "row {n}: {}",
            String::from_utf8_lossy(&single.stderr)
        );
        let e: Value = serde_json::from_slice(&single.stdout).expect("an estimate");
        assert_eq!(got["total"], e["total"].as_str().expect("total"), "row {n}");
        assert_eq!(
            got["family"],
            e["patient"]["total"].as_str().expect("family"),
            "row {n}"
        );
        let low = e["range"]["low"].as_str().unwrap_or("");
        assert_eq!(got["family_low"], low, "row {n}");
        assert_eq!(got["status"], if low.is_empty() { "ok" } else { "range" });
        for l in &e["layers"].as_array().expect("layers")[..] {
            let id = l["id"].as_str().expect("id");
            assert_eq!(
                got[&format!("paid_{id}")],
                l["paid"].as_str().expect("paid"),
                "row {n} {id}"
            );
        }
        sums[0] += fen(&got["total"]);
        sums[1] += fen(&got["family"]);
        for (k, l) in layers.iter().enumerate() {
            sums[2 + k] += fen(&got[&format!("paid_{l}")]);
        }
    }
    assert_eq!(results.iter().filter(|r| r["status"] == "range").count(), 1);

    // The summary adds up the rows exactly.
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary_file).expect("summary"))
        .expect("JSON");
    assert_eq!(s["rows"], 24);
    assert_eq!(s["ok"], 19);
    assert_eq!(s["ranges"], 1);
    assert_eq!(s["errors"], 4);
    assert_eq!(
        s["errorsByCode"],
        json!({"invalid_amount": 1, "invalid_date": 1, "not_in_effect": 1, "missing_field": 1})
    );
    assert_eq!(fen(s["total"].as_str().expect("total")), sums[0]);
    assert_eq!(fen(s["family"].as_str().expect("family")), sums[1]);
    for (k, l) in layers.iter().enumerate() {
        assert_eq!(s["layers"][k]["id"], *l);
        assert_eq!(
            fen(s["layers"][k]["paid"].as_str().expect("paid")),
            sums[2 + k]
        );
    }
    let d = &s["distribution"];
    let mut shares: Vec<i64> = results
        .iter()
        .filter(|r| r["status"] != "error")
        .map(|r| fen(&r["family"]))
        .collect();
    shares.sort_unstable();
    assert_eq!(fen(d["min"].as_str().expect("min")), shares[0]);
    assert_eq!(fen(d["max"].as_str().expect("max")), shares[19]);
    assert_eq!(
        fen(d["p50"].as_str().expect("p50")),
        shares[9],
        "nearest rank: the 10th of 20"
    );
    let banded: u64 = d["bands"]
        .as_array()
        .expect("bands")
        .iter()
        .map(|b| b["rows"].as_u64().expect("rows"))
        .sum();
    assert_eq!(banded, 20);
}

#[test]
fn json_lines_in_and_out_match_csv() {
    let rows = rows();
    let csv_in = tmp("same.csv");
    write_csv(&csv_in, &rows);
    let by_csv = batch(&csv_in, &["--output-format", "jsonl"]);
    let mut jsonl = String::new();
    for r in &rows {
        let mut o = serde_json::Map::new();
        for (k, v) in HEADER.split(',').zip(r) {
            if !v.is_empty() {
                o.insert(k.into(), json!(v));
            }
        }
        jsonl.push_str(&Value::Object(o).to_string());
        jsonl.push('\n');
    }
    // A blank line is not a row; a line that is not JSON, and an amount given as a binary
    // float, are the rows' errors.
    jsonl.push('\n');
    jsonl.push_str("{\"applicant\": \"BROKEN\",\n");
    jsonl.push_str(
        "{\"applicant\": \"FLOAT\", \"admitted\": \"2025-06-01\", \"hospital\": \"三级\", \"class_a\": 100.5, \"class_b\": \"0\", \"class_c\": \"0\"}\n",
    );
    let jsonl_in = tmp("same.jsonl");
    std::fs::write(&jsonl_in, jsonl).expect("written");
    let by_jsonl = batch(&jsonl_in, &[]);
    let a = String::from_utf8_lossy(&by_csv.stdout).to_string();
    let b = String::from_utf8_lossy(&by_jsonl.stdout).to_string();
    let b: Vec<&str> = b.lines().collect();
    assert_eq!(
        a.lines().collect::<Vec<_>>(),
        b[..rows.len()],
        "same results"
    );
    let broken: Value = serde_json::from_str(b[rows.len()]).expect("JSON");
    assert_eq!(broken["row"], rows.len() + 1);
    assert_eq!(broken["error"]["code"], "json_syntax");
    let float: Value = serde_json::from_str(b[rows.len() + 1]).expect("JSON");
    assert_eq!(float["id"], "FLOAT");
    assert_eq!(float["error"]["code"], "number_not_string");
    assert_eq!(float["error"]["column"], "class_a");
    // A good line's shape.
    let first: Value = serde_json::from_str(b[0]).expect("JSON");
    assert_eq!(
        first,
        json!({"row": 1, "id": "A001", "status": "ok", "total": "170.00", "family": "170.00",
               "paid": {"basic": "0.00", "critical_illness": "0.00", "assistance": "0.00"}})
    );
}

#[test]
fn the_example_runs_clean() {
    let out = batch(&root().join("examples/batch/applicants.csv"), &["-q"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "--quiet: nothing on standard error");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 21);
}

#[test]
fn a_bad_mapping_stops_before_any_row_with_its_path() {
    let mapping = tmp("bad-mapping.json");
    std::fs::write(
        &mapping,
        r#"{"columns": [{"column": "a", "to": "/inlinePack/id", "type": "string"}]}"#,
    )
    .expect("written");
    let out = Command::new(env!("CARGO_BIN_EXE_tiercost"))
        .args(["batch", "-", "--input-format", "csv", "--template"])
        .arg(root().join("examples/batch/template.json"))
        .arg("--mapping")
        .arg(&mapping)
        .output()
        .expect("the CLI runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[invalid_value] at $.columns[0].to"),
        "{err}"
    );

    // A column the mapping needs and the input lacks.
    let input = tmp("short.csv");
    std::fs::write(&input, "applicant,admitted\nA,2025-06-01\n").expect("written");
    let out = batch(&input, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no column \"hospital\""));
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_in_and_out_match_csv() {
    use std::sync::Arc;

    use arrow_array::{Array, ArrayRef, Date32Array, Decimal128Array, RecordBatch, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::arrow::ArrowWriter;

    let rows: Vec<[String; 8]> = rows().into_iter().filter(|r| !r[0].contains('-')).collect();
    let csv_in = tmp("pq.csv");
    write_csv(&csv_in, &rows);
    let by_csv = read_csv(&String::from_utf8_lossy(&batch(&csv_in, &[]).stdout));

    // The same rows as Parquet: dates as date32, amounts as decimal128(12, 2), text as text.
    let text = |k: usize| -> ArrayRef {
        Arc::new(
            rows.iter()
                .map(|r| (!r[k].is_empty()).then(|| r[k].clone()))
                .collect::<StringArray>(),
        )
    };
    let amount = |k: usize| -> ArrayRef {
        let a: Decimal128Array = rows.iter().map(|r| Some(i128::from(fen(&r[k])))).collect();
        Arc::new(a.with_precision_and_scale(12, 2).expect("decimal"))
    };
    let days = Date32Array::from(vec![20_240; rows.len()]); // 2025-06-01
    let rb = RecordBatch::try_from_iter([
        ("applicant", text(0)),
        ("admitted", Arc::new(days) as ArrayRef),
        ("hospital", text(2)),
        ("category", text(3)),
        ("age", text(4)),
        ("class_a", amount(5)),
        ("class_b", amount(6)),
        ("class_c", amount(7)),
    ])
    .expect("a record batch");
    let input = tmp("in.parquet");
    let mut w = ArrowWriter::try_new(
        std::fs::File::create(&input).expect("created"),
        rb.schema(),
        None,
    )
    .expect("a writer");
    w.write(&rb).expect("written");
    w.close().expect("closed");

    let output = tmp("out.parquet");
    let out = batch(
        &input,
        &["-o", output.to_str().expect("a path"), "--chunk", "7"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&output).expect("the output"))
            .expect("Parquet")
            .build()
            .expect("a reader");
    let mut n = 0;
    for rb in reader {
        let rb = rb.expect("a batch");
        let col = |name: &str| rb.column(rb.schema().index_of(name).expect(name)).clone();
        let family = col("family");
        let family = family
            .as_any()
            .downcast_ref::<Decimal128Array>()
            .expect("decimal");
        assert_eq!(family.precision(), 19);
        assert_eq!(family.scale(), 2);
        let basic = col("paid_basic");
        let basic = basic
            .as_any()
            .downcast_ref::<Decimal128Array>()
            .expect("decimal");
        let status = col("status");
        let status = status.as_any().downcast_ref::<StringArray>().expect("text");
        for i in 0..rb.num_rows() {
            let want = &by_csv[n];
            assert_eq!(status.value(i), want["status"]);
            assert_eq!(
                i64::try_from(family.value(i)).ok(),
                Some(fen(&want["family"]))
            );
            assert_eq!(
                i64::try_from(basic.value(i)).ok(),
                Some(fen(&want["paid_basic"]))
            );
            n += 1;
        }
    }
    assert_eq!(n, rows.len());
}

mod properties {
    use proptest::prelude::*;
    use serde_json::{json, Value};
    use tiercost::batch::{Batch, Cell, Mapping, Template};

    fn template() -> String {
        std::fs::read_to_string(super::root().join("examples/batch/template.json"))
            .expect("template")
    }

    fn amount() -> impl Strategy<Value = i64> {
        prop_oneof![Just(0i64), 0i64..100_000, 0i64..200_000_000]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A row settles exactly as the single estimate of the case it makes.
        #[test]
        fn a_row_settles_as_its_single_estimate(
            level in prop::sample::select(vec!["level1", "level2", "level3"]),
            category in prop::sample::select(vec!["", "none", "extreme_poverty", "minimum_living", "near_minimum_living"]),
            a in amount(), b in amount(), c in amount(),
        ) {
            let mapping = Mapping::from_json(include_str!("../../benches/batch/mapping.json")).unwrap();
            let mut mapping = mapping;
            mapping.columns[1].optional = true;
            let text = template();
            let batch = Batch::new(
                Template::from_json(&text, tiercost::Catalog::embedded()).unwrap(),
                mapping,
            )
            .unwrap();
            let yuan = |f: i64| format!("{}.{:02}", f / 100, f % 100);
            let cells = [
                Cell::Text(level.into()),
                Cell::Text(category.into()),
                Cell::Text(yuan(a)),
                Cell::Text(yuan(b)),
                Cell::Text(yuan(c)),
            ];
            let got = batch.settle(1, None, &cells).outcome.expect("settled");

            let mut case: Value = serde_json::from_str(&text).unwrap();
            case["encounters"][0]["level"] = json!(level);
            if !category.is_empty() {
                case["member"]["category"] = json!(category);
            }
            for (k, f) in [a, b, c].into_iter().enumerate() {
                case["encounters"][0]["items"][k]["amount"] = json!(yuan(f));
            }
            let e = tiercost::estimate_json(&case.to_string()).expect("an estimate");
            prop_assert_eq!(got.total, e.total);
            prop_assert_eq!(got.family, e.patient.total);
            prop_assert_eq!(got.family_low, e.range.as_ref().map(|r| r.low));
            for l in &e.layers {
                let k = batch.layers().iter().position(|id| *id == l.id).unwrap();
                prop_assert_eq!(got.paid[k], l.paid);
            }
        }
    }
}
