//! `--format text`: the sentences of `tiercost::explain` (the page's templates,
//! `www/lib/explain-text.js`) for an estimate and for the planning commands, in both languages.

use std::path::Path;
use std::process::{Command, Stdio};

fn run(args: &[&str], input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiercost"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("written");
    let out = child.wait_with_output().expect("the CLI ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(path)
}

#[test]
fn an_estimate_in_words() {
    let case = read("../examples/inline-pack-case.json");
    let en = run(
        &["estimate", "-", "--format", "text", "--lang", "en"],
        &case,
    );
    assert!(
        en.starts_with("Total ¥245000.00; all layers pay ¥184216.80; the family pays ¥60783.20"),
        "{en}"
    );
    assert!(
        en.contains("\n[Employee basic insurance] pays ¥154542.00\n"),
        "{en}"
    );
    assert!(
        en.contains("    - Deductible ¥1300.00 (per encounter); ¥0.00 was met before, ¥1300.00 applied now.\n"),
        "{en}"
    );
    let zh = run(
        &["estimate", "-", "--format", "text", "--lang", "zh"],
        &case,
    );
    assert!(zh.contains("  第1笔就医，职工基本医疗保险：¥154542.00（规则 2025-01-01 起生效，来源 example-city/S1）\n"), "{zh}");
}

#[test]
fn a_plan_and_its_planning_questions_in_words() {
    let file: serde_json::Value =
        serde_json::from_str(&read("../tests/plans/donation-year.json")).expect("JSON");
    let plan = file["plan"].to_string();
    let text = |args: &[&str], lang: &str| {
        let mut a = args.to_vec();
        a.extend(["-", "--format", "text", "--lang", lang]);
        run(&a, &plan)
    };
    let en = text(&["plan"], "en");
    assert!(
        en.starts_with(
            "Month 1 (2025-01-15): bill ¥3000.00, the family pays ¥1500.00, ¥1500.00 so far\n"
        ),
        "{en}"
    );
    assert!(
        en.contains(
            "  · Glivec (imatinib) donation programme: from this month imatinib is donated\n"
        ),
        "{en}"
    );
    assert!(text(&["plan"], "zh")
        .starts_with("第1月（2025-01-15）：费用 ¥3000.00，家庭支付 ¥1500.00，累计 ¥1500.00\n"));
    assert_eq!(
        text(&["aid", "--target", "1000"], "en"),
        "The family now pays ¥4500.00; to bring it to ¥1000.00, ¥3500.00 of aid is needed (checked: ¥1000.00 after aid, consistent)\n"
    );
    assert_eq!(
        text(&["max-bill", "--target", "1000", "--course", "0"], "zh"),
        "该费用最多 ¥666.67 时家庭支付 ¥1000.00，不超过 ¥1000.00；再多 1 分则为 ¥1000.02\n"
    );
    assert!(text(&["help-available"], "zh")
        .starts_with("低保 — 可减少 ¥4500.00（如果您家经认定为低保）\n"));
    assert!(text(&["range"], "en").starts_with("The family pays at least ¥4500.00"));
}
