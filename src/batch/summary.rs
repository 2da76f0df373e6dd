//! The summary of a batch run: rows settled and failed, totals per layer and for the family,
//! the family's share counted in bands and its exact quantiles, all added up in fen.

use std::collections::BTreeMap;

use serde::Serialize;

use super::RowResult;
use crate::units::money::Money;

/// The family's share bands the summary counts rows in, in yuan: `[0, 1000)`, …, `≥ 100000`
/// (a share of exactly zero is counted in the first).
pub const SHARE_BANDS: &[i64] = &[1_000, 5_000, 10_000, 20_000, 50_000, 100_000];

/// What a run settled, added up exactly in fen. Constant memory but for the family's share
/// of each settled row (8 bytes a row), kept for the exact quantiles.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    rows: u64,
    ok: u64,
    ranges: u64,
    errors: BTreeMap<&'static str, u64>,
    total: Money,
    family: Money,
    family_low: Money,
    paid: Vec<Money>,
    shares: Vec<i64>,
    overflow: bool,
}

/// The summary as written (`--summary FILE`, docs/BATCH.md).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryReport {
    /// Rows read.
    pub rows: u64,
    /// Rows settled to one number.
    pub ok: u64,
    /// Rows settled to a range (a layer undecided).
    pub ranges: u64,
    /// Rows not settled.
    pub errors: u64,
    /// Rows not settled, by error code.
    pub errors_by_code: BTreeMap<&'static str, u64>,
    /// The settled rows' bills, added up.
    pub total: Money,
    /// What each layer paid over the settled rows, by layer id in settlement order.
    pub layers: Vec<LayerTotal>,
    /// The family's share over the settled rows (each range at its high end).
    pub family: Money,
    /// The family's share over the settled rows with each range at its low end.
    pub family_low: Money,
    /// The distribution of the family's share (each range at its high end) over the settled
    /// rows; absent when none settled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// Set when a sum overflowed (then the sums are not to be used).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overflow: bool,
}

/// What one layer paid over the settled rows.
#[derive(Clone, Debug, Serialize)]
pub struct LayerTotal {
    /// Layer id.
    pub id: String,
    /// The sum.
    pub paid: Money,
}

/// The family's share over the settled rows: exact order statistics of the fen values by
/// nearest rank (the value of the ⌈p·n⌉-th smallest row: always some row's share, never an
/// interpolation), the mean rounded half up to the fen, and counts per band.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    /// Smallest.
    pub min: Money,
    /// 25th percentile.
    pub p25: Money,
    /// Median.
    pub p50: Money,
    /// 75th percentile.
    pub p75: Money,
    /// 90th percentile.
    pub p90: Money,
    /// 99th percentile.
    pub p99: Money,
    /// Largest.
    pub max: Money,
    /// Mean, rounded half up to the fen.
    pub mean: Money,
    /// Rows per band of [`SHARE_BANDS`]: `{"from": "0.00", "below": "1000.00", "rows": n}`, the
    /// last band without `below`.
    pub bands: Vec<Band>,
}

/// Rows whose family's share is in `[from, below)`.
#[derive(Clone, Debug, Serialize)]
pub struct Band {
    /// Lower bound, included.
    pub from: Money,
    /// Upper bound, excluded; absent for the last band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub below: Option<Money>,
    /// Rows.
    pub rows: u64,
}

impl Summary {
    /// An empty summary for `layers` layers.
    pub fn new(layers: usize) -> Summary {
        Summary {
            paid: vec![Money::ZERO; layers],
            ..Summary::default()
        }
    }

    /// Rows counted, and of them not settled.
    pub fn counts(&self) -> (u64, u64) {
        (self.rows, self.errors.values().sum())
    }

    /// Counts a row, in any order.
    pub fn add(&mut self, r: &RowResult) {
        self.rows += 1;
        let s = match &r.outcome {
            Err(e) => {
                *self.errors.entry(e.code.as_str()).or_default() += 1;
                return;
            }
            Ok(s) => s,
        };
        if s.family_low.is_some() {
            self.ranges += 1;
        } else {
            self.ok += 1;
        }
        let mut sum = |into: &mut Money, x: Money| match into.checked_add(x) {
            Ok(v) => *into = v,
            Err(_) => self.overflow = true,
        };
        sum(&mut self.total, s.total);
        sum(&mut self.family, s.family);
        sum(&mut self.family_low, s.family_low.unwrap_or(s.family));
        for (into, x) in self.paid.iter_mut().zip(&s.paid) {
            sum(into, *x);
        }
        self.shares.push(s.family.fen());
    }

    /// The report, with each layer's id (`Batch::layers`). Sorts the kept shares.
    pub fn report(&mut self, layers: &[String]) -> SummaryReport {
        self.shares.sort_unstable();
        let v = &self.shares;
        let distribution = (!v.is_empty()).then(|| {
            let n = v.len();
            let rank = |pct: usize| Money::from_fen(v[(n * pct).div_ceil(100).clamp(1, n) - 1]);
            let sum: i128 = v.iter().map(|&f| i128::from(f)).sum();
            let mean = (2 * sum + n as i128) / (2 * n as i128);
            let mut bands = Vec::new();
            let mut from = 0i64;
            for &b in SHARE_BANDS.iter().chain(std::iter::once(&i64::MAX)) {
                let below = (b != i64::MAX).then(|| b * 100);
                let rows = v
                    .iter()
                    .filter(|&&f| f >= from && below.is_none_or(|x| f < x))
                    .count() as u64;
                bands.push(Band {
                    from: Money::from_fen(from),
                    below: below.map(Money::from_fen),
                    rows,
                });
                from = below.unwrap_or(0);
            }
            Distribution {
                min: Money::from_fen(v[0]),
                p25: rank(25),
                p50: rank(50),
                p75: rank(75),
                p90: rank(90),
                p99: rank(99),
                max: Money::from_fen(v[n - 1]),
                mean: Money::from_fen(i64::try_from(mean).unwrap_or(i64::MAX)),
                bands,
            }
        });
        SummaryReport {
            rows: self.rows,
            ok: self.ok,
            ranges: self.ranges,
            errors: self.errors.values().sum(),
            errors_by_code: self.errors.clone(),
            total: self.total,
            layers: layers
                .iter()
                .zip(&self.paid)
                .map(|(id, paid)| LayerTotal {
                    id: id.clone(),
                    paid: *paid,
                })
                .collect(),
            family: self.family,
            family_low: self.family_low,
            distribution,
            overflow: self.overflow,
        }
    }
}
