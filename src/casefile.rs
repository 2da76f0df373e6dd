//! Data-driven case files: a case, the amounts expected to the fen, and where they come from.
//!
//! The same files run natively (`cargo test`, `tiercost cases DIR`) and in wasm.
//!
//! ```json
//! { "name": "…", "source": "…", "derivation": ["(11,000 − 1,000) × 70% = 7,000"],
//!   "case": { … },
//!   "expected": { "total": "11000.00", "patient": "4000.00", "layers": { "basic": "7000.00" } } }
//! ```

use std::collections::BTreeMap;

use serde::Serialize;
use tiercost_derive::Read;

use crate::error::Error;
use crate::reading::read::{read_str, read_value};
use crate::results::estimate::{Detail, Estimate, Outcome};
use crate::units::money::Money;

/// The list of case files compiled in, `(path, text)`, for targets without a file system.
pub const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/case_files.rs"));

/// A case file.
#[derive(Clone, Debug, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaseFile {
    /// A sentence saying what the case shows.
    pub name: String,
    /// Where the rules and numbers come from.
    pub source: String,
    /// How each expected number was derived by hand.
    #[serde(default)]
    pub derivation: Vec<String>,
    /// The case, as a user would write it (it may be invalid on purpose); it is estimated.
    #[serde(default)]
    pub case: serde_json::Value,
    /// Instead of a case: a document (pack, programme, case or plan) given to `validate`, as
    /// an author would write it; the bad-input corpus (`tests/cases/bad-input/`) uses this.
    #[serde(default)]
    pub document: Option<serde_json::Value>,
    /// What must come out.
    pub expected: Expected,
}

/// Expected results; only what is given is checked.
#[derive(Clone, Debug, Default, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expected {
    /// The whole bill.
    pub total: Option<Money>,
    /// What is left for the family.
    pub patient: Option<Money>,
    /// 自付.
    pub in_scope: Option<Money>,
    /// 自费.
    pub out_of_scope: Option<Money>,
    /// Payment by layer id.
    #[serde(default)]
    pub layers: BTreeMap<String, Money>,
    /// Outcome status by layer id (`eligible`, `not_enrolled`, `ineligible`, `needs_information`, `no_rules`).
    #[serde(default)]
    pub outcomes: BTreeMap<String, String>,
    /// Input named by a `needs_information` outcome, by layer id.
    #[serde(default)]
    pub needs: BTreeMap<String, String>,
    /// Payment by `layer/benefit` summed over encounters.
    #[serde(default)]
    pub benefits: BTreeMap<String, Money>,
    /// What the family pays per encounter, in date order.
    #[serde(default)]
    pub encounter_patient: Vec<Money>,
    /// Warning codes that must be present.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// The family's share as a range; `"none"` (as `exact: true`) when it must be a single number.
    pub range: Option<ExpectedRange>,
    /// The error expected instead of a result.
    pub error: Option<ExpectedError>,
    /// Further problems the same error must report (every unknown field, every
    /// contradiction), each with its code and path.
    #[serde(default)]
    pub problems: Vec<ExpectedError>,
}

/// An expected range of the family's share.
#[derive(Clone, Debug, Default, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedRange {
    /// The lowest share.
    pub low: Option<Money>,
    /// The highest share.
    pub high: Option<Money>,
    /// Undecided layers and their status (`no_rules`, `needs_information`, `out_of_area`).
    #[serde(default)]
    pub undecided: BTreeMap<String, String>,
    /// What each undecided layer pays in the lowest share.
    #[serde(default)]
    pub best: BTreeMap<String, Money>,
    /// `true`: the answer must be a single number (no range).
    #[serde(default)]
    pub exact: bool,
}

/// An expected error.
#[derive(Clone, Debug, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedError {
    /// Its code.
    pub code: String,
    /// Its path (of the error or one of its problems).
    pub path: Option<String>,
    /// Text its message must contain (the field named, the nearest known name…).
    pub message: Option<String>,
    /// The sentence the author reads for its code in zh-CN (`www/lib/errors.js`; checked
    /// natively, and by the browser tests in the page and the playground).
    pub zh: Option<String>,
    /// The same sentence in English.
    pub en: Option<String>,
}

/// The error, or one of its problems, that `want` describes; or why none is.
fn matching<'e>(got: &'e Error, want: &ExpectedError) -> Result<&'e Error, String> {
    let all = || std::iter::once(got).chain(got.problems.iter());
    let same_code = |e: &&Error| e.code.as_str() == want.code;
    let same_path = |e: &&Error| want.path.as_ref().is_none_or(|p| e.path == *p);
    if let Some(e) = all().find(|e| same_code(e) && same_path(e)) {
        return Ok(e);
    }
    Err(if !all().any(|e| same_code(&e)) {
        format!("expected error {}, got {got}", want.code)
    } else {
        format!(
            "expected error {} at {}, got {got}",
            want.code,
            want.path.as_deref().unwrap_or("$")
        )
    })
}

/// Checks the message and the sentences of the error `e` that `want` describes.
fn check_error(e: &Error, want: &ExpectedError, failures: &mut Vec<String>) {
    if let Some(m) = &want.message {
        if !e.message.contains(m.as_str()) {
            failures.push(format!(
                "error {} at {}: the message should contain {m:?}, it is {:?}",
                e.code, e.path, e.message
            ));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let s = crate::results::sentences::sentence(e.code.as_str());
        for (lang, want, got) in [
            ("zh", &want.zh, s.map(|s| &s.zh)),
            ("en", &want.en, s.map(|s| &s.en)),
        ] {
            if let Some(w) = want {
                if got != Some(w) {
                    failures.push(format!(
                        "error {}: the {lang} sentence (www/lib/errors.js) is {got:?}, the case file says {w:?}",
                        e.code
                    ));
                }
            }
        }
    }
}

/// The outcome of checking one case file.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    /// The case's name.
    pub name: String,
    /// Every mismatch, as a sentence.
    pub failures: Vec<String>,
    /// The estimate, when one was produced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// The error, when one was produced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Error>,
}

/// Every `.json` file under `dir` and its subfolders, in path order (a folder that cannot be
/// read is passed over): the case files `tiercost cases` and the tests run.
#[cfg(not(target_arch = "wasm32"))]
pub fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

/// Runs one case file and compares the result with what it expects.
pub fn check(case_file_json: &str) -> Result<CheckReport, Error> {
    let file: CaseFile = read_str(case_file_json)?;
    let mut failures = Vec::new();
    let (estimate, error) = match &file.document {
        None => match read_value::<crate::Case>(&file.case, "$").and_then(|c| {
            let full = crate::estimate(&c, crate::Catalog::embedded())?;
            // Every case file settles a second time without the trace: the totals must be
            // the full estimate's to the fen, statuses, range and warnings included.
            let totals = crate::estimate_with(&c, crate::Catalog::embedded(), Detail::Totals)?;
            if let Some(diff) = totals_differ(&full, &totals) {
                failures.push(diff);
            }
            Ok(full)
        }) {
            Ok(e) => (Some(e), None),
            Err(e) => (None, Some(e)),
        },
        Some(doc) => {
            if !file.case.is_null() {
                failures
                    .push("give a `case` to estimate or a `document` to validate, not both".into());
            }
            match crate::validate_json(&doc.to_string()) {
                Ok(_) => (None, None),
                Err(e) => (None, Some(e)),
            }
        }
    };
    let x = &file.expected;
    match (&x.error, &estimate, &error) {
        (Some(want), _, Some(got)) => {
            for want in std::iter::once(want).chain(&x.problems) {
                match matching(got, want) {
                    Ok(e) => check_error(e, want, &mut failures),
                    Err(f) => failures.push(f),
                }
            }
        }
        (Some(want), Some(_), None) => {
            failures.push(format!("expected error {}, got an estimate", want.code))
        }
        (Some(want), None, None) => failures.push(format!(
            "expected error {}, the document is valid",
            want.code
        )),
        (None, _, Some(got)) => failures.push(format!("unexpected error: {got}")),
        (None, Some(e), None) => compare(x, e, &mut failures),
        (_, None, None) => {}
    }
    Ok(CheckReport {
        name: file.name,
        failures,
        estimate,
        error,
    })
}

/// Where a totals estimate differs from the full one without its trace (`None`: nowhere).
/// Compared as JSON, field by field, so every amount, status and warning counts.
pub fn totals_differ(full: &Estimate, totals: &Estimate) -> Option<String> {
    let want = serde_json::to_value(full.clone().without_trace()).ok()?;
    let got = serde_json::to_value(totals).ok()?;
    (want != got).then(|| {
        format!("the totals-only estimate differs from the full one: full {want}, totals {got}")
    })
}

fn compare(x: &Expected, e: &Estimate, failures: &mut Vec<String>) {
    fn eq(failures: &mut Vec<String>, what: &str, want: Option<Money>, got: Money) {
        if let Some(w) = want {
            if w != got {
                failures.push(format!("{what}: expected {w}, got {got}"));
            }
        }
    }
    eq(failures, "total", x.total, e.total);
    eq(failures, "patient", x.patient, e.patient.total);
    eq(
        failures,
        "in-scope self-pay (自付)",
        x.in_scope,
        e.patient.in_scope,
    );
    eq(
        failures,
        "out-of-scope (自费)",
        x.out_of_scope,
        e.patient.out_of_scope,
    );
    for (id, want) in &x.layers {
        match e.layers.iter().find(|l| l.id == *id) {
            Some(l) => eq(failures, &format!("layer {id}"), Some(*want), l.paid),
            None => failures.push(format!("layer {id}: not in the estimate")),
        }
    }
    for (key, want) in &x.benefits {
        let (lid, bid) = key.split_once('/').unwrap_or((key, ""));
        let got = e
            .layers
            .iter()
            .filter(|l| l.id == lid)
            .flat_map(|l| l.settlements.iter())
            .filter(|s| s.benefit == bid)
            .fold(Money::ZERO, |a, s| Money::from_fen(a.fen() + s.paid.fen()));
        eq(failures, &format!("benefit {key}"), Some(*want), got);
    }
    for (id, want) in &x.outcomes {
        match e.layers.iter().find(|l| l.id == *id) {
            Some(l) => {
                let got = l.outcome.status();
                if got != want {
                    failures.push(format!("layer {id}: expected outcome {want}, got {got}"));
                }
            }
            None => failures.push(format!("layer {id}: not in the estimate")),
        }
    }
    if let Some(want) = &x.range {
        match (&e.range, want.exact) {
            (Some(r), true) => failures.push(format!(
                "expected a single number, got a range {}–{}",
                r.low, r.high
            )),
            (None, false) => failures.push("expected a range, got a single number".into()),
            (None, true) => {}
            (Some(r), false) => {
                eq(failures, "range low", want.low, r.low);
                eq(failures, "range high", want.high, r.high);
                for (id, status) in &want.undecided {
                    match r.undecided.iter().find(|u| u.layer == *id) {
                        Some(u) if u.status == *status => {}
                        other => failures.push(format!(
                            "undecided {id}: expected {status}, got {:?}",
                            other.map(|u| &u.status)
                        )),
                    }
                }
                for (id, best) in &want.best {
                    let got = r.undecided.iter().find(|u| u.layer == *id).map(|u| u.best);
                    match got {
                        Some(g) => eq(failures, &format!("undecided {id} best"), Some(*best), g),
                        None => failures.push(format!("undecided {id}: not in the range")),
                    }
                }
            }
        }
    }
    for (id, want) in &x.needs {
        match e.layers.iter().find(|l| l.id == *id).map(|l| &l.outcome) {
            Some(Outcome::NeedsInformation { input, .. }) if input == want => {}
            other => failures.push(format!(
                "layer {id}: expected to need {want}, got {other:?}"
            )),
        }
    }
    if !x.encounter_patient.is_empty() {
        let got: Vec<Money> = e.encounters.iter().map(|c| c.patient).collect();
        if got != x.encounter_patient {
            failures.push(format!(
                "family's share per encounter: expected {:?}, got {:?}",
                x.encounter_patient
                    .iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>(),
                got.iter().map(|m| m.to_string()).collect::<Vec<_>>()
            ));
        }
    }
    for w in &x.warnings {
        if !e.warnings.iter().any(|g| g.code == *w) {
            failures.push(format!(
                "expected warning {w}; got {:?}",
                e.warnings.iter().map(|g| &g.code).collect::<Vec<_>>()
            ));
        }
    }
}
