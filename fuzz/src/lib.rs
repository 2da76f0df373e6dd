//! What every fuzz target checks on the engine's answer, beyond "no panic": the identity
//! (layers + family = bill, for the case, every encounter and every item), nothing negative,
//! bucket splits that add up, errors that carry a code other than `internal` and a path, and
//! a result that serializes and renders.

use tiercost::estimate::{Buckets, Estimate};
use tiercost::{Error, ErrorCode, Money};

fn sum(b: &Buckets) -> i64 {
    b.in_scope.fen() + b.first_pay.fen() + b.over_limit.fen() + b.out_of_catalogue.fen()
}

fn non_negative(b: &Buckets, what: &str) {
    for (name, m) in [
        ("inScope", b.in_scope),
        ("firstPay", b.first_pay),
        ("overLimit", b.over_limit),
        ("outOfCatalogue", b.out_of_catalogue),
    ] {
        assert!(!m.is_negative(), "{what}.{name} is negative: {m}");
    }
}

fn fen(m: Money) -> i128 {
    m.fen() as i128
}

/// Panics (a fuzz finding) unless the estimate keeps every invariant.
pub fn check_estimate(e: &Estimate) {
    // The case.
    assert_eq!(
        fen(e.covered) + fen(e.patient.total),
        fen(e.total),
        "covered + patient != total"
    );
    assert!(!e.total.is_negative() && !e.covered.is_negative() && !e.patient.total.is_negative());
    assert_eq!(
        fen(e.patient.in_scope) + fen(e.patient.out_of_scope),
        fen(e.patient.total),
        "自付 + 自费 != patient total"
    );
    assert!(!e.patient.in_scope.is_negative() && !e.patient.out_of_scope.is_negative());
    non_negative(&e.patient.by_bucket, "patient.byBucket");
    assert_eq!(
        sum(&e.patient.by_bucket) as i128,
        fen(e.patient.total),
        "patient buckets != patient total"
    );

    // Layers.
    let mut covered = 0i128;
    for l in &e.layers {
        assert!(!l.paid.is_negative(), "layer {} paid {}", l.id, l.paid);
        covered += fen(l.paid);
        let mut settled = 0i128;
        for s in &l.settlements {
            assert!(
                !s.paid.is_negative(),
                "layer {} settlement paid {}",
                l.id,
                s.paid
            );
            assert!(
                s.encounter < e.encounters.len(),
                "settlement encounter out of range"
            );
            settled += fen(s.paid);
        }
        assert_eq!(settled, fen(l.paid), "layer {}: settlements != paid", l.id);
    }
    assert_eq!(covered, fen(e.covered), "sum of layers != covered");

    // Items.
    let mut billed = 0i128;
    let mut by_layer = vec![0i128; e.layers.len()];
    let mut item_patient = 0i128;
    for (k, it) in e.items.iter().enumerate() {
        assert!(!it.amount.is_negative(), "item {k} amount {}", it.amount);
        assert!(!it.patient.is_negative(), "item {k} patient {}", it.patient);
        non_negative(&it.buckets, &format!("items[{k}].buckets"));
        assert_eq!(
            sum(&it.buckets),
            it.amount.fen(),
            "item {k}: buckets != amount"
        );
        assert_eq!(it.paid_by.len(), e.layers.len(), "item {k}: paidBy length");
        let mut paid = 0i128;
        for (i, m) in it.paid_by.iter().enumerate() {
            assert!(!m.is_negative(), "item {k} paid by layer {i}: {m}");
            paid += fen(*m);
            by_layer[i] += fen(*m);
        }
        assert_eq!(
            paid + fen(it.patient),
            fen(it.amount),
            "item {k}: paid + patient != amount"
        );
        assert!(
            it.encounter < e.encounters.len(),
            "item {k}: encounter out of range"
        );
        billed += fen(it.amount);
        item_patient += fen(it.patient);
    }
    assert_eq!(billed, fen(e.total), "sum of items != total");
    assert_eq!(
        item_patient,
        fen(e.patient.total),
        "items' patient != patient total"
    );
    for (i, l) in e.layers.iter().enumerate() {
        assert_eq!(
            by_layer[i],
            fen(l.paid),
            "layer {}: items' paidBy != paid",
            l.id
        );
    }

    // Encounters.
    let (mut total, mut patient) = (0i128, 0i128);
    for (k, enc) in e.encounters.iter().enumerate() {
        assert!(
            !enc.total.is_negative() && !enc.patient.is_negative(),
            "encounter {k}"
        );
        let mut paid = 0i128;
        for (id, m) in &enc.paid_by {
            assert!(!m.is_negative(), "encounter {k} paid by {id}: {m}");
            paid += fen(*m);
        }
        assert_eq!(
            paid + fen(enc.patient),
            fen(enc.total),
            "encounter {k}: paid + patient != total"
        );
        total += fen(enc.total);
        patient += fen(enc.patient);
    }
    assert_eq!(total, fen(e.total), "sum of encounters != total");
    assert_eq!(
        patient,
        fen(e.patient.total),
        "encounters' patient != patient total"
    );

    // It serializes and renders.
    let json = serde_json::to_string(e).expect("an estimate serializes");
    assert!(json.starts_with('{'));
    for lang in ["zh", "en"] {
        let _ = tiercost::explain::render(e, lang);
    }
}

/// Panics unless an error is well formed: not `internal`, a JSON path, a message.
pub fn check_error(err: &Error) {
    assert_ne!(err.code, ErrorCode::Internal, "internal error: {err}");
    assert!(err.path.starts_with('$'), "path {:?} of {err}", err.path);
    assert!(!err.message.is_empty(), "empty message: {err:?}");
    for p in &err.problems {
        check_error(p);
    }
    let _ = serde_json::to_string(err).expect("an error serializes");
}

/// Checks either side of a result.
pub fn check_result(r: &Result<Estimate, Error>) {
    match r {
        Ok(e) => check_estimate(e),
        Err(err) => check_error(err),
    }
}

/// Panics unless the totals-only estimate of the same input is the full one without its
/// trace (the same error when the full estimate failed).
pub fn check_totals(full: &Result<Estimate, Error>, totals: &Result<Estimate, Error>) {
    match (full, totals) {
        (Ok(f), Ok(t)) => {
            if let Some(diff) = tiercost::casefile::totals_differ(f, t) {
                panic!("{diff}");
            }
        }
        (Err(a), Err(b)) => assert_eq!(
            (a.code, &a.path),
            (b.code, &b.path),
            "the totals-only estimate fails differently"
        ),
        (f, t) => panic!(
            "one detail estimates, the other fails: full {:?}, totals {:?}",
            f.as_ref().err(),
            t.as_ref().err()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate() -> Estimate {
        tiercost::estimate_json(include_str!("../../examples/inline-pack-case.json"))
            .expect("the example estimates")
    }

    fn fails(f: impl FnOnce(&mut Estimate)) -> bool {
        let mut e = estimate();
        f(&mut e);
        std::panic::catch_unwind(|| check_estimate(&e)).is_err()
    }

    #[test]
    fn the_checks_pass_on_a_good_estimate_and_catch_each_broken_invariant() {
        check_estimate(&estimate());
        assert!(fails(|e| e.covered = Money::from_fen(e.covered.fen() + 1)));
        assert!(fails(
            |e| e.patient.in_scope = Money::from_fen(e.patient.in_scope.fen() - 1)
        ));
        assert!(fails(
            |e| e.layers[0].paid = Money::from_fen(e.layers[0].paid.fen() + 1)
        ));
        assert!(fails(|e| e.items[0].paid_by[0] = Money::from_fen(-1)));
        assert!(fails(|e| e.items[0].buckets.over_limit = Money::from_fen(5)));
        assert!(fails(
            |e| e.encounters[0].patient = Money::from_fen(e.encounters[0].patient.fen() + 1)
        ));
        let err = tiercost::Error::new(ErrorCode::Internal, "$", "x");
        assert!(std::panic::catch_unwind(|| check_error(&err)).is_err());
        check_error(&tiercost::Error::new(ErrorCode::InvalidValue, "$.a", "x"));
    }
}
