//! Ranges: when an input is unknown — the hospital level, the 甲/乙/丙 split, the number of
//! admissions — settle every choice and report the lowest, typical and highest family share,
//! the concrete choice behind each, and which unknown moves the result most.
//!
//! ```json
//! {"case": { …a case or plan document… },
//!  "unknowns": [{"kind": "level"}, {"kind": "split"}, {"kind": "admissions", "max": 3}]}
//! ```
//!
//! Without `unknowns`, the level is unknown when a non-pharmacy encounter (course) gives none,
//! and the split when a quick total (`each`) gives none. A level choice applies to every
//! non-pharmacy encounter (every admission and visit course); a split choice to every quick
//! total; an admission count repeats the chosen inpatient encounter monthly (or sets a plan's
//! admission course `count`). Every combination is settled (at most 256).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};
use tiercost_derive::Read;

use crate::error::{Error, ErrorCode};
use crate::planning::plan::{evaluate_value, read_subject, region_of};
use crate::reading::read::{read_str, At, Read as _};
use crate::rules::catalog::Catalog;
use crate::rules::policy::Split;
use crate::units::date::Date;
use crate::units::money::{Money, Rate};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The most combinations settled in one call.
pub const MAX_COMBINATIONS: usize = 256;
/// The most admissions tried.
pub const MAX_ADMISSIONS: u32 = 12;

/// An input that is not known.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Unknown {
    /// The hospital level: every level of the pack, or those listed.
    Level {
        /// Levels to try (default: all of the pack's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        levels: Option<Vec<String>>,
    },
    /// The 甲/乙/丙 split of quick totals.
    Split {
        /// Splits to try (default: the pack's typical one, if any, and three brackets).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        splits: Option<Vec<Split>>,
    },
    /// The number of admissions, 1 to `max`.
    Admissions {
        /// The most admissions (default 3, at most 12).
        #[serde(default = "three")]
        max: u32,
        /// The inpatient encounter to repeat (default: the first).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        encounter: Option<usize>,
        /// For a plan: the admissions course (default: the first).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        course: Option<usize>,
    },
}

fn three() -> u32 {
    3
}

/// What `range` reads.
#[derive(Clone, Debug, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RangeInput {
    /// The case or plan document.
    pub case: Value,
    /// The unknowns (inferred when absent).
    #[serde(default)]
    pub unknowns: Option<Vec<Unknown>>,
}

/// One settled combination.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Point {
    /// The family's share.
    pub family: Money,
    /// The bill.
    pub total: Money,
    /// The choice for each unknown (`level` → `level2`, `split` → `0.6/0.3/0.1`,
    /// `admissions` → `2`).
    pub choice: BTreeMap<String, String>,
}

/// How much one unknown moves the result on its own (the others at their typical choice).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Impact {
    /// `level`, `split` or `admissions`.
    pub kind: String,
    /// The choices tried.
    pub options: Vec<String>,
    /// The typical choice.
    pub typical: String,
    /// Lowest share varying this alone.
    pub low: Point,
    /// Highest share varying this alone.
    pub high: Point,
    /// high − low.
    pub spread: Money,
}

/// The range.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RangeResult {
    /// The lowest family share over every combination.
    pub low: Point,
    /// The share with every unknown at its typical choice.
    pub typical: Point,
    /// The highest.
    pub high: Point,
    /// Each unknown's own effect.
    pub unknowns: Vec<Impact>,
    /// The unknown with the largest spread (absent without unknowns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matters_most: Option<String>,
    /// Every combination settled.
    pub points: Vec<Point>,
}

#[derive(Clone, Debug)]
enum Opt {
    Level(String),
    Split(Split),
    Admissions(u32),
}

impl Opt {
    fn label(&self) -> String {
        match self {
            Opt::Level(l) => l.clone(),
            Opt::Split(s) => format!("{}/{}/{}", s.class_a, s.class_b, s.class_c),
            Opt::Admissions(n) => n.to_string(),
        }
    }
}

struct Dim {
    kind: &'static str,
    options: Vec<Opt>,
    typical: usize,
    unknown: Unknown,
}

fn split(a: u32, b: u32, c: u32) -> Split {
    Split {
        class_a: Rate::from_ppm(a),
        class_b: Rate::from_ppm(b),
        class_c: Rate::from_ppm(c),
    }
}

fn places(doc: &Value) -> Vec<&serde_json::Map<String, Value>> {
    let list = if doc.get("plan").is_some() {
        doc.pointer("/plan/courses")
    } else {
        doc.get("encounters")
    };
    list.and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

fn is_pharmacy(m: &serde_json::Map<String, Value>) -> bool {
    match m.get("setting").and_then(Value::as_str) {
        Some(s) => s == "pharmacy",
        None => m.get("kind").and_then(Value::as_str) == Some("drug"),
    }
}

fn is_quick(m: &serde_json::Map<String, Value>) -> bool {
    m.contains_key("total") || m.contains_key("each")
}

fn apply(doc: &mut Value, unknown: &Unknown, opt: &Opt) -> Result<(), Error> {
    let is_plan = doc.get("plan").is_some();
    let list = if is_plan {
        doc.pointer_mut("/plan/courses")
    } else {
        doc.get_mut("encounters")
    };
    let Some(Value::Array(list)) = list else {
        return Ok(());
    };
    match (unknown, opt) {
        (Unknown::Level { .. }, Opt::Level(l)) => {
            for m in list.iter_mut().filter_map(Value::as_object_mut) {
                if !is_pharmacy(m) {
                    m.insert("level".into(), json!(l));
                }
            }
        }
        (Unknown::Split { .. }, Opt::Split(s)) => {
            for m in list.iter_mut().filter_map(Value::as_object_mut) {
                if is_quick(m) {
                    m.insert("split".into(), json!(s));
                }
            }
        }
        (
            Unknown::Admissions {
                encounter, course, ..
            },
            Opt::Admissions(n),
        ) => {
            if is_plan {
                let i = match course {
                    Some(i) => *i,
                    None => list
                        .iter()
                        .position(|c| c.get("kind").and_then(Value::as_str) == Some("admissions"))
                        .ok_or_else(|| {
                            Error::new(
                                ErrorCode::MissingField,
                                "$.case.plan.courses",
                                "the plan has no admissions course to vary",
                            )
                        })?,
                };
                let Some(Value::Object(c)) = list.get_mut(i) else {
                    return Err(Error::new(
                        ErrorCode::UnknownReference,
                        "$.unknowns",
                        format!("the plan has no course {i}"),
                    ));
                };
                c.insert("count".into(), json!(n));
                c.remove("months");
            } else {
                let i = match encounter {
                    Some(i) => *i,
                    None => list
                        .iter()
                        .position(|e| e.get("setting").and_then(Value::as_str) == Some("inpatient"))
                        .ok_or_else(|| {
                            Error::new(
                                ErrorCode::MissingField,
                                "$.case.encounters",
                                "the case has no inpatient encounter to repeat",
                            )
                        })?,
                };
                let Some(orig) = list.get(i).cloned() else {
                    return Err(Error::new(
                        ErrorCode::UnknownReference,
                        "$.unknowns",
                        format!("the case has no encounter {i}"),
                    ));
                };
                let date: Date = orig
                    .get("date")
                    .and_then(Value::as_str)
                    .and_then(|d| d.parse().ok())
                    .ok_or_else(|| {
                        Error::new(
                            ErrorCode::InvalidDate,
                            format!("$.case.encounters[{i}].date"),
                            "expected a date",
                        )
                    })?;
                for j in (1..*n).rev() {
                    let mut copy = orig.clone();
                    copy["date"] = json!(date.add_months(j).to_string());
                    list.insert(i + 1, copy);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn dims(doc: &Value, unknowns: Option<Vec<Unknown>>) -> Result<Vec<Dim>, Error> {
    let (case, plan, _, _) = read_subject(doc, "$.case")?;
    let region = region_of(&case, Catalog::embedded())?;
    let ps = places(doc);
    let unknowns = match unknowns {
        Some(u) => u,
        None => {
            let mut u = Vec::new();
            if !region.levels.is_empty()
                && ps
                    .iter()
                    .any(|m| !is_pharmacy(m) && !m.contains_key("level"))
            {
                u.push(Unknown::Level { levels: None });
            }
            if ps.iter().any(|m| is_quick(m) && !m.contains_key("split")) {
                u.push(Unknown::Split { splits: None });
            }
            u
        }
    };
    let first_date = case
        .encounters
        .iter()
        .map(|e| e.date)
        .min()
        .or(plan.as_ref().map(|p| p.start));
    let mut out = Vec::new();
    for (ui, u) in unknowns.into_iter().enumerate() {
        let path = format!("$.unknowns[{ui}]");
        let dim = match &u {
            Unknown::Level { levels } => {
                let mut lv: Vec<(u32, String)> = match levels {
                    Some(v) => {
                        let mut r = Vec::new();
                        for (k, l) in v.iter().enumerate() {
                            match region.levels.iter().find(|x| x.id == *l) {
                                Some(x) => r.push((x.rank, x.id.clone())),
                                None => {
                                    return Err(Error::new(
                                        ErrorCode::UnknownReference,
                                        format!("{path}.levels[{k}]"),
                                        format!("level \"{l}\" is not in pack \"{}\"", region.id),
                                    ))
                                }
                            }
                        }
                        r
                    }
                    None => region
                        .levels
                        .iter()
                        .map(|x| (x.rank, x.id.clone()))
                        .collect(),
                };
                lv.sort();
                if lv.is_empty() {
                    return Err(Error::new(
                        ErrorCode::MissingField,
                        path,
                        format!("pack \"{}\" lists no hospital levels", region.id),
                    ));
                }
                let given = ps
                    .iter()
                    .find(|m| !is_pharmacy(m))
                    .and_then(|m| m.get("level"))
                    .and_then(Value::as_str);
                let typical = given
                    .and_then(|g| lv.iter().position(|(_, id)| id == g))
                    .unwrap_or((lv.len() - 1) / 2);
                Dim {
                    kind: "level",
                    options: lv.into_iter().map(|(_, id)| Opt::Level(id)).collect(),
                    typical,
                    unknown: u,
                }
            }
            Unknown::Split { splits } => {
                let pack_typical = first_date.and_then(|d| {
                    region
                        .general
                        .iter()
                        .find(|g| g.effective.covers(d))
                        .and_then(|g| g.typical_split)
                });
                let given: Option<Split> = ps
                    .iter()
                    .find_map(|m| m.get("split"))
                    .and_then(|v| Split::read(v, At::Root("$")).ok());
                let mut opts: Vec<Split> = match splits {
                    Some(v) => v.clone(),
                    None => vec![
                        split(800_000, 150_000, 50_000),
                        split(600_000, 300_000, 100_000),
                        split(400_000, 300_000, 300_000),
                    ],
                };
                for (k, s) in opts.iter().enumerate() {
                    if s.class_a.ppm() as u64 + s.class_b.ppm() as u64 + s.class_c.ppm() as u64
                        != 1_000_000
                    {
                        return Err(Error::new(
                            ErrorCode::Inconsistent,
                            format!("{path}.splits[{k}]"),
                            "a split must sum to 1",
                        ));
                    }
                }
                let preferred = pack_typical.or(given);
                let typical = match preferred {
                    Some(t) => match opts.iter().position(|s| *s == t) {
                        Some(i) => i,
                        None => {
                            opts.insert(0, t);
                            0
                        }
                    },
                    None => (opts.len().max(1) - 1) / 2,
                };
                if opts.is_empty() {
                    return Err(Error::new(
                        ErrorCode::MissingField,
                        format!("{path}.splits"),
                        "give at least one split",
                    ));
                }
                Dim {
                    kind: "split",
                    options: opts.into_iter().map(Opt::Split).collect(),
                    typical,
                    unknown: u,
                }
            }
            Unknown::Admissions { max, course, .. } => {
                if *max == 0 || *max > MAX_ADMISSIONS {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{path}.max"),
                        format!("try 1 to {MAX_ADMISSIONS} admissions"),
                    ));
                }
                let current: u32 = if doc.get("plan").is_some() {
                    let courses = doc.pointer("/plan/courses").and_then(Value::as_array);
                    let c = match course {
                        Some(i) => courses.and_then(|v| v.get(*i)),
                        None => courses.and_then(|v| {
                            v.iter().find(|c| {
                                c.get("kind").and_then(Value::as_str) == Some("admissions")
                            })
                        }),
                    };
                    c.and_then(|c| c.get("count"))
                        .and_then(Value::as_u64)
                        .unwrap_or(1)
                        .min(u32::MAX as u64) as u32
                } else {
                    1
                };
                Dim {
                    kind: "admissions",
                    options: (1..=*max).map(Opt::Admissions).collect(),
                    typical: (current.clamp(1, *max) - 1) as usize,
                    unknown: u,
                }
            }
        };
        if out.iter().any(|d: &Dim| d.kind == dim.kind) {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                path,
                format!("the {} is listed as unknown twice", dim.kind),
            ));
        }
        out.push(dim);
    }
    Ok(out)
}

/// Settles every combination of the unknowns.
pub fn range(input: RangeInput) -> Result<RangeResult, Error> {
    let doc = &input.case;
    let dims = dims(doc, input.unknowns)?;
    let mut combos: usize = 1;
    for d in &dims {
        combos = combos.saturating_mul(d.options.len());
    }
    if combos > MAX_COMBINATIONS {
        return Err(Error::new(
            ErrorCode::TooManyCombinations,
            "$.unknowns",
            format!("{combos} combinations; the limit is {MAX_COMBINATIONS} settled at once"),
        ));
    }
    let eval = |pick: &[usize]| -> Result<Point, Error> {
        let mut d = doc.clone();
        let mut choice = BTreeMap::new();
        for (dim, &k) in dims.iter().zip(pick) {
            apply(&mut d, &dim.unknown, &dim.options[k])?;
            choice.insert(dim.kind.to_string(), dim.options[k].label());
        }
        let ev = evaluate_value(&d, "$.case")?;
        Ok(Point {
            family: ev.estimate.patient.total,
            total: ev.estimate.total,
            choice,
        })
    };
    let mut points = Vec::with_capacity(combos);
    let typical_pick: Vec<usize> = dims.iter().map(|d| d.typical).collect();
    let mut typical = None;
    for c in 0..combos {
        // Mixed-radix digits of `c`, the last unknown varying fastest.
        let mut rest = c;
        let mut pick = vec![0usize; dims.len()];
        for (i, d) in dims.iter().enumerate().rev() {
            pick[i] = rest % d.options.len();
            rest /= d.options.len();
        }
        let p = eval(&pick)?;
        if pick == typical_pick {
            typical = Some(p.clone());
        }
        points.push(p);
    }
    let low = points
        .iter()
        .min_by_key(|p| p.family)
        .cloned()
        .ok_or_else(|| Error::new(ErrorCode::Internal, "$", "no combination settled"))?;
    let high = points
        .iter()
        .max_by_key(|p| p.family)
        .cloned()
        .ok_or_else(|| Error::new(ErrorCode::Internal, "$", "no combination settled"))?;
    let typical = typical.unwrap_or_else(|| low.clone());
    let mut impacts = Vec::new();
    for (di, d) in dims.iter().enumerate() {
        let alone: Vec<&Point> = points
            .iter()
            .filter(|p| {
                dims.iter().enumerate().all(|(dj, o)| {
                    dj == di || p.choice.get(o.kind) == Some(&o.options[o.typical].label())
                })
            })
            .collect();
        let lo = alone.iter().min_by_key(|p| p.family).map(|p| (*p).clone());
        let hi = alone.iter().max_by_key(|p| p.family).map(|p| (*p).clone());
        if let (Some(lo), Some(hi)) = (lo, hi) {
            impacts.push(Impact {
                kind: d.kind.to_string(),
                options: d.options.iter().map(Opt::label).collect(),
                typical: d.options[d.typical].label(),
                spread: hi.family.checked_sub(lo.family)?,
                low: lo,
                high: hi,
            });
        }
    }
    let mut matters_most: Option<(&str, Money)> = None;
    for i in &impacts {
        if matters_most.is_none_or(|(_, s)| i.spread > s) {
            matters_most = Some((&i.kind, i.spread));
        }
    }
    Ok(RangeResult {
        matters_most: matters_most.map(|(k, _)| k.to_string()),
        low,
        typical,
        high,
        unknowns: impacts,
        points,
    })
}

/// The range, from JSON text `{case, unknowns?}`.
pub fn range_json(text: &str) -> Result<RangeResult, Error> {
    crate::reading::limits::check_size(text)?;
    range(read_str(text)?)
}
