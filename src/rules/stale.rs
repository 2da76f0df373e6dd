//! The annual rollover checklist (`tiercost stale --as-of DATE`): every source whose rules
//! have ended, or whose review date has passed, with the layers that rest on it — and every
//! built-in source that does not say how long it holds.

use serde::Serialize;

use crate::error::{Error, ErrorCode};
use crate::rules::catalog::Catalog;
use crate::rules::policy::{Grade, LayerKind, Pack, Staleness};
use crate::units::date::Date;

/// One source to check again.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaleSource {
    /// The pack that cites it.
    pub pack: String,
    /// The source id in that pack.
    pub source: String,
    /// Its title.
    pub title: String,
    /// Its grade.
    pub grade: Grade,
    /// Where to read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The document number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// `expired` (its rules ended) or `review_due` (it was to be checked again).
    pub reason: &'static str,
    /// The day it ended or was due.
    pub date: Date,
    /// The layers whose editions cite it (`general` for region-wide parameters).
    pub used_by: Vec<String>,
}

/// The checklist.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaleReport {
    /// The date checked against.
    pub as_of: Date,
    /// Sources to check again, by pack, then date.
    pub stale: Vec<StaleSource>,
    /// Sources checked and still current.
    pub current: usize,
    /// Sources past their validity that only closed editions cite (past rules, kept as a
    /// record).
    pub historical: usize,
    /// Built-in sources without a validity, products without a product year.
    pub missing: Vec<Error>,
}

/// The checklist of every pack in the catalogue on `as_of`. A source inherited from the pack
/// a region extends is listed once, under the pack that defines it.
pub fn stale_report(catalog: &Catalog, as_of: Date) -> StaleReport {
    let mut report = StaleReport {
        as_of,
        stale: Vec::new(),
        current: 0,
        historical: 0,
        missing: Vec::new(),
    };
    for pack in catalog.packs() {
        let base = pack.extends.as_deref().and_then(|b| catalog.get(b));
        for (i, l) in pack.layers.iter().enumerate() {
            let own = base.is_none_or(|b| !b.layers.iter().any(|x| x == l));
            if own && l.kind == LayerKind::Commercial && l.year_start.is_none() {
                report.missing.push(Error::new(
                    ErrorCode::MissingValidity,
                    format!("{}:$.layers[{i}].yearStart", pack.id),
                    format!(
                        "say when the product year of \"{}\" starts (\"MM-DD\")",
                        l.id
                    ),
                ));
            }
        }
        for (id, src) in catalog.own_sources(pack) {
            let Some(v) = &src.validity else {
                report.missing.push(Error::new(
                    ErrorCode::MissingValidity,
                    format!("{}:$.sources.{id}.validity", pack.id),
                    "say how long the source's rules hold: {\"from\", \"until\" (a date or \"replaced\"), \"review\"}",
                ));
                continue;
            };
            let Some(why) = v.stale_on(as_of) else {
                report.current += 1;
                continue;
            };
            let used_by = used_by(pack, id, as_of);
            if used_by.is_empty() {
                // Only closed editions cite it: a record of past rules, nothing to roll over.
                report.historical += 1;
                continue;
            }
            let (reason, date) = match why {
                Staleness::Expired(d) => ("expired", d),
                Staleness::ReviewDue(d) => ("review_due", d),
            };
            report.stale.push(StaleSource {
                pack: pack.id.clone(),
                source: id.clone(),
                title: src.title.clone(),
                grade: src.grade,
                url: src.url.clone(),
                document: src.document.clone(),
                reason,
                date,
                used_by,
            });
        }
    }
    report
}

/// The layers (and `general`) whose editions still in use on `as_of` — open, covering the
/// date, or the last one held — cite source `id`.
fn used_by(pack: &Pack, id: &str, as_of: Date) -> Vec<String> {
    let cites = |e: &crate::rules::policy::Effective, last: bool| {
        (last || e.until.is_none_or(|u| u >= as_of)) && e.cited().any(|s| s == id)
    };
    let mut out: Vec<String> = Vec::new();
    let n = pack.general.len();
    if pack
        .general
        .iter()
        .enumerate()
        .any(|(i, g)| cites(&g.effective, i + 1 == n))
    {
        out.push("general".into());
    }
    for l in &pack.layers {
        let n = l.editions.len();
        let cited = l
            .editions
            .iter()
            .enumerate()
            .any(|(i, e)| cites(&e.effective, i + 1 == n));
        if cited && !out.contains(&l.id) {
            out.push(l.id.clone());
        }
    }
    out
}

impl StaleReport {
    /// The checklist as text, in English or Chinese.
    pub fn to_text(&self, zh: bool) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}",
            if zh {
                format!("规则复核清单（截至 {}）：{} 个来源需要复核，{} 个仍在有效期内，{} 个只用于已结束的版本", self.as_of, self.stale.len(), self.current, self.historical)
            } else {
                format!("Rules to check again as of {}: {} sources need checking, {} are current, {} only back closed editions", self.as_of, self.stale.len(), self.current, self.historical)
            }
        );
        let mut last_pack = "";
        for x in &self.stale {
            if x.pack != last_pack {
                let _ = writeln!(s, "\n{}", x.pack);
                last_pack = &x.pack;
            }
            let why = match (x.reason, zh) {
                ("expired", true) => format!("规则已于 {} 截止", x.date),
                ("expired", false) => format!("rules ended {}", x.date),
                (_, true) => format!("应于 {} 前复核", x.date),
                (_, false) => format!("review was due {}", x.date),
            };
            let used = if x.used_by.is_empty() {
                String::new()
            } else if zh {
                format!("；用于 {}", x.used_by.join("、"))
            } else {
                format!("; used by {}", x.used_by.join(", "))
            };
            let _ = writeln!(
                s,
                "  {} ({:?}) {} — {why}{used}",
                x.source, x.grade, x.title
            );
            if let Some(d) = &x.document {
                let _ = writeln!(s, "      {d}");
            }
            if let Some(u) = &x.url {
                let _ = writeln!(s, "      {u}");
            }
        }
        if !self.missing.is_empty() {
            let _ = writeln!(
                s,
                "\n{}",
                if zh {
                    format!("缺少有效期（{} 处）：", self.missing.len())
                } else {
                    format!("Missing validity ({}):", self.missing.len())
                }
            );
            for e in &self.missing {
                let _ = writeln!(s, "  {} — {}", e.path, e.message);
            }
        }
        s
    }
}
