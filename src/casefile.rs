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

use serde::{Deserialize, Serialize};

use crate::error::{from_json_str, Error};
use crate::estimate::{Estimate, Outcome};
use crate::money::Money;
use crate::read::read_value;

/// The list of case files compiled in, `(path, text)`, for targets without a file system.
pub const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/case_files.rs"));

/// A case file.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaseFile {
    /// A sentence saying what the case shows.
    pub name: String,
    /// Where the rules and numbers come from.
    pub source: String,
    /// How each expected number was derived by hand.
    #[serde(default)]
    pub derivation: Vec<String>,
    /// The case, as a user would write it (it may be invalid on purpose).
    pub case: serde_json::Value,
    /// What must come out.
    pub expected: Expected,
}

/// Expected results; only what is given is checked.
#[derive(Clone, Debug, Default, Deserialize)]
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
}

/// An expected range of the family's share.
#[derive(Clone, Debug, Default, Deserialize)]
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
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedError {
    /// Its code.
    pub code: String,
    /// Its path (of the error or one of its problems).
    pub path: Option<String>,
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

/// Runs one case file and compares the result with what it expects.
pub fn check(case_file_json: &str) -> Result<CheckReport, Error> {
    let file: CaseFile = from_json_str(case_file_json)?;
    let result = read_value::<crate::Case>(&file.case, "$")
        .and_then(|c| crate::estimate(&c, crate::Catalog::embedded()));
    let mut failures = Vec::new();
    let x = &file.expected;
    let (estimate, error) = match result {
        Ok(e) => (Some(e), None),
        Err(e) => (None, Some(e)),
    };
    match (&x.error, &estimate, &error) {
        (Some(want), _, Some(got)) => {
            let codes: Vec<&str> = std::iter::once(got.code.as_str())
                .chain(got.problems.iter().map(|p| p.code.as_str()))
                .collect();
            if !codes.contains(&want.code.as_str()) {
                failures.push(format!("expected error {}, got {got}", want.code));
            }
            if let Some(path) = &want.path {
                let paths: Vec<&str> = std::iter::once(got.path.as_str())
                    .chain(got.problems.iter().map(|p| p.path.as_str()))
                    .collect();
                if !paths.contains(&path.as_str()) {
                    failures.push(format!("expected error at {path}, got {got}"));
                }
            }
        }
        (Some(want), Some(_), None) => {
            failures.push(format!("expected error {}, got an estimate", want.code))
        }
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
