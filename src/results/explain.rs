//! Plain sentences for an estimate, in zh-CN or en: the explanation the CLI prints with
//! `--format text` (the page renders the same trace itself).

use std::fmt::Write;

use crate::results::estimate::{Estimate, Outcome, Step};
use crate::rules::policy::{Bucket, Measure, Per};

fn zh(lang: &str) -> bool {
    lang.starts_with("zh")
}

fn bucket_name(b: Bucket, lang: &str) -> &'static str {
    match (b, zh(lang)) {
        (Bucket::InScope, true) => "政策范围内费用",
        (Bucket::InScope, false) => "in-scope cost",
        (Bucket::FirstPay, true) => "乙类先行自付",
        (Bucket::FirstPay, false) => "class-B first pay",
        (Bucket::OverLimit, true) => "超限价部分",
        (Bucket::OverLimit, false) => "amount above price limits",
        (Bucket::OutOfCatalogue, true) => "目录外（丙类）费用",
        (Bucket::OutOfCatalogue, false) => "out-of-catalogue cost",
    }
}

fn pct(r: crate::Rate) -> String {
    crate::units::money::format_ppm(r.ppm() as i64 * 100) + "%"
}

/// Renders the estimate as sentences.
pub fn render(e: &Estimate, lang: &str) -> String {
    let z = zh(lang);
    let mut out = String::new();
    if let Some(r) = &e.range {
        let names: Vec<&str> = r.undecided.iter().map(|u| u.name.get(lang)).collect();
        let floor = r.undecided.iter().any(|u| u.national_floor);
        if z {
            let _ = writeln!(
                out,
                "总费用 ¥{}。个人还需负担约 ¥{}–¥{}：{}的结果尚未确定，不按 0 元计算。最低值按{}估算，最高值按这些项目不支付计算。",
                e.total,
                r.low,
                r.high,
                names.join("、"),
                if floor { "全国一般水平（不是本市规则）或最有利的情形" } else { "最有利的情形" }
            );
        } else {
            let _ = writeln!(
                out,
                "Total ¥{}. The family pays about ¥{}–¥{}: {} {} not decided, and is not counted as ¥0. The low end assumes {}; the high end assumes {} nothing.",
                e.total,
                r.low,
                r.high,
                names.join(", "),
                if names.len() == 1 { "is" } else { "are" },
                if floor { "national typical values (not your city's rules) or the most favourable case" } else { "the most favourable case" },
                if names.len() == 1 { "it pays" } else { "they pay" }
            );
        }
        for u in &r.undecided {
            let _ = writeln!(out, "  · {}", u.what.get(lang));
        }
    } else if z {
        let _ = writeln!(
            out,
            "总费用 ¥{}，各项保障共支付 ¥{}，个人还需负担 ¥{}（其中自付 ¥{}，自费 ¥{}）。",
            e.total, e.covered, e.patient.total, e.patient.in_scope, e.patient.out_of_scope
        );
    } else {
        let _ = writeln!(out, "Total ¥{}; all layers pay ¥{}; the family pays ¥{} (in-scope self-pay ¥{}, out-of-scope ¥{}).", e.total, e.covered, e.patient.total, e.patient.in_scope, e.patient.out_of_scope);
    }
    for l in &e.layers {
        let _ = writeln!(out);
        let name = l.name.get(lang);
        match &l.outcome {
            Outcome::Eligible => {
                let _ = writeln!(
                    out,
                    "{}",
                    if z {
                        format!("【{name}】支付 ¥{}", l.paid)
                    } else {
                        format!("[{name}] pays ¥{}", l.paid)
                    }
                );
            }
            Outcome::NotEnrolled { reason } => {
                let _ = writeln!(
                    out,
                    "{}",
                    if z {
                        format!("【{name}】未参加：{}", reason.zh)
                    } else {
                        format!("[{name}] not enrolled: {}", reason.en)
                    }
                );
                continue;
            }
            Outcome::NoRules { missing, ask } => {
                let _ = writeln!(
                    out,
                    "{}",
                    if z {
                        format!(
                            "【{name}】规则尚未收录（本工具的缺口，不代表不报销）：缺少{}。{}",
                            missing.zh, ask.zh
                        )
                    } else {
                        format!("[{name}] no rules here yet (a gap in this tool, not a refusal): missing {}. {}", missing.en, ask.en)
                    }
                );
                continue;
            }
            Outcome::Ineligible { reason, .. } => {
                let _ = writeln!(
                    out,
                    "{}",
                    if z {
                        format!("【{name}】不适用：{}", reason.zh)
                    } else {
                        format!("[{name}] does not apply: {}", reason.en)
                    }
                );
                continue;
            }
            Outcome::NeedsInformation { input, reason } => {
                let _ = writeln!(
                    out,
                    "{}",
                    if z {
                        format!("【{name}】需要更多信息（{input}）：{}", reason.zh)
                    } else {
                        format!("[{name}] needs more information ({input}): {}", reason.en)
                    }
                );
                continue;
            }
        }
        for s in &l.settlements {
            let _ = writeln!(
                out,
                "  {}",
                if z {
                    format!(
                        "第{}笔就医，{}：¥{}（规则 {} 起生效，来源 {}）",
                        s.encounter + 1,
                        s.name.as_ref().unwrap_or(&l.name).zh,
                        s.paid,
                        s.edition.from,
                        s.edition.sources.join("、")
                    )
                } else {
                    format!(
                        "Encounter {}, {}: ¥{} (rules in effect from {}, sources {})",
                        s.encounter + 1,
                        s.name.as_ref().unwrap_or(&l.name).en,
                        s.paid,
                        s.edition.from,
                        s.edition.sources.join(", ")
                    )
                }
            );
            for st in &s.steps {
                let line = step_sentence(st, lang);
                if !line.is_empty() {
                    let _ = writeln!(out, "    - {line}");
                }
            }
        }
    }
    if !e.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", if z { "注意：" } else { "Please note:" });
        for w in &e.warnings {
            let _ = writeln!(out, "  * {}", w.message.get(lang));
        }
    }
    if !e.sources.is_empty() {
        let _ = writeln!(out, "\n{}", if z { "来源：" } else { "Sources:" });
        for (k, s) in &e.sources {
            let _ = writeln!(
                out,
                "  [{k}] {}{}{} ({}{:?})",
                s.title,
                s.document
                    .as_ref()
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default(),
                s.url.as_ref().map(|u| format!(" {u}")).unwrap_or_default(),
                s.published.map(|p| format!("{p}, ")).unwrap_or_default(),
                s.grade
            );
        }
    }
    out
}

fn step_sentence(st: &Step, lang: &str) -> String {
    let z = zh(lang);
    match st {
        Step::Base {
            amount,
            parts,
            above_cap_of,
            excluded_deductible,
        } => {
            let mut s = if let Some(src) = above_cap_of {
                if z {
                    format!(
                        "计算基数：{src} 封顶线以上未支付的费用 ¥{}",
                        amount.0.to_yuan_string()
                    )
                } else {
                    format!(
                        "Base: the cost above the cap of {src}, ¥{}",
                        amount.0.to_yuan_string()
                    )
                }
            } else {
                let list: Vec<String> = parts
                    .iter()
                    .map(|p| {
                        if p.weight == crate::Rate::ONE {
                            format!(
                                "{} ¥{}",
                                bucket_name(p.bucket, lang),
                                p.amount.0.to_yuan_string()
                            )
                        } else if z {
                            format!(
                                "{}按 {} 计 ¥{}",
                                bucket_name(p.bucket, lang),
                                pct(p.weight),
                                p.amount.0.to_yuan_string()
                            )
                        } else {
                            format!(
                                "{} counted at {} ¥{}",
                                bucket_name(p.bucket, lang),
                                pct(p.weight),
                                p.amount.0.to_yuan_string()
                            )
                        }
                    })
                    .collect();
                if z {
                    format!(
                        "计算基数 ¥{}：{}",
                        amount.0.to_yuan_string(),
                        list.join("，")
                    )
                } else {
                    format!("Base ¥{}: {}", amount.0.to_yuan_string(), list.join(", "))
                }
            };
            if let Some(x) = excluded_deductible {
                let _ = write!(
                    s,
                    "{}",
                    if z {
                        format!("（已扣除前面层级的起付线 ¥{}）", x.0.to_yuan_string())
                    } else {
                        format!(
                            " (after removing earlier layers' deductibles, ¥{})",
                            x.0.to_yuan_string()
                        )
                    }
                );
            }
            s
        }
        Step::FirstPay { rate, amount, .. } => {
            if z {
                format!(
                    "个人先行自付 {}：¥{}",
                    pct(*rate),
                    amount.0.to_yuan_string()
                )
            } else {
                format!(
                    "The patient first pays {}: ¥{}",
                    pct(*rate),
                    amount.0.to_yuan_string()
                )
            }
        }
        Step::Deductible {
            amount,
            per,
            met_before,
            applied,
            admission,
            offset,
            ..
        } => {
            let per_s = match (per, z) {
                (Per::Year, true) => "年度",
                (Per::Year, false) => "yearly",
                (Per::Encounter, true) => "每次",
                (Per::Encounter, false) => "per-encounter",
            };
            let mut s = if z {
                format!(
                    "{per_s}起付线 ¥{amount}，此前已累计 ¥{}，本次扣除 ¥{}",
                    met_before.0.to_yuan_string(),
                    applied.0.to_yuan_string()
                )
            } else {
                format!(
                    "{per_s} deductible ¥{amount}; ¥{} met before; ¥{} taken from this bill",
                    met_before.0.to_yuan_string(),
                    applied.0.to_yuan_string()
                )
            };
            if let Some(n) = admission {
                let _ = write!(
                    s,
                    "{}",
                    if z {
                        format!("（本年第{n}次住院）")
                    } else {
                        format!(" (admission {n} of the year)")
                    }
                );
            }
            if let Some(o) = offset {
                let _ = write!(
                    s,
                    "{}",
                    if z {
                        format!("（前面层级支付的 ¥{} 计入起付）", o.0.to_yuan_string())
                    } else {
                        format!(
                            " (earlier layers' ¥{} counts toward it)",
                            o.0.to_yuan_string()
                        )
                    }
                );
            }
            s
        }
        Step::CostCap { limit, removed, .. } => {
            if z {
                format!(
                    "进入支付的费用以 ¥{limit} 为限，超出的 ¥{} 不在此层支付",
                    removed.0.to_yuan_string()
                )
            } else {
                format!("Cost entering this layer is limited to ¥{limit}; ¥{} above it is not paid here", removed.0.to_yuan_string())
            }
        }
        Step::Band {
            measure,
            from,
            to,
            rate,
            base_rate,
            adjustments,
            pays,
            ..
        } => {
            let m = match (measure, z) {
                (Some(Measure::Gross), true) => "（按累计总额分段）",
                (Some(Measure::Net), true) => "（按起付线以上金额分段）",
                (Some(Measure::Gross), false) => " (bands counted from zero)",
                (Some(Measure::Net), false) => " (bands counted above the deductible)",
                (None, _) => "",
            };
            let adj = if adjustments.is_empty() {
                String::new()
            } else {
                let reasons: Vec<String> = adjustments
                    .iter()
                    .filter_map(|a| a.reason.as_ref().map(|r| r.get(lang).to_string()))
                    .collect();
                if z {
                    format!(
                        "（基础比例 {}，调整：{}）",
                        pct(*base_rate),
                        reasons.join("；")
                    )
                } else {
                    format!(
                        " (base rate {}, adjusted: {})",
                        pct(*base_rate),
                        reasons.join("; ")
                    )
                }
            };
            if z {
                format!(
                    "¥{} 至 ¥{} 部分按 {} 支付{adj}{m}：¥{}",
                    from.0.to_yuan_string(),
                    to.0.to_yuan_string(),
                    pct(*rate),
                    pays.0.to_yuan_string()
                )
            } else {
                format!(
                    "From ¥{} to ¥{} at {}{adj}{m}: ¥{}",
                    from.0.to_yuan_string(),
                    to.0.to_yuan_string(),
                    pct(*rate),
                    pays.0.to_yuan_string()
                )
            }
        }
        Step::Cap {
            limit,
            per,
            used_before,
            reduction,
            ..
        } => {
            let per_s = match (per, z) {
                (Per::Year, true) => "年度",
                (Per::Year, false) => "yearly",
                (Per::Encounter, true) => "单次",
                (Per::Encounter, false) => "per-encounter",
            };
            if z {
                format!(
                    "{per_s}最高支付 ¥{limit}（此前已用 ¥{}），本次少付 ¥{}",
                    used_before.0.to_yuan_string(),
                    reduction.0.to_yuan_string()
                )
            } else {
                format!(
                    "{per_s} cap ¥{limit} (¥{} used before) cut the payment by ¥{}",
                    used_before.0.to_yuan_string(),
                    reduction.0.to_yuan_string()
                )
            }
        }
        Step::LumpSum { amount, pays } => {
            if z {
                format!("定额给付 ¥{amount}，实付 ¥{}", pays.0.to_yuan_string())
            } else {
                format!("Lump sum ¥{amount}; pays ¥{}", pays.0.to_yuan_string())
            }
        }
        Step::Donation {
            code,
            units,
            free_units,
            units_before,
            all_free,
            amount,
        } => {
            if z {
                format!("药品 {code}：本次 {units} 个单位，其中 {free_units} 个由项目捐赠{}（此前已用 {units_before} 个），价值 ¥{}", if *all_free { "（全额援助）" } else { "" }, amount.0.to_yuan_string())
            } else {
                format!("Drug {code}: {units} units, {free_units} donated{} ({units_before} before), worth ¥{}", if *all_free { " (all free)" } else { "" }, amount.0.to_yuan_string())
            }
        }
        Step::Rounding { exact, rounded } => {
            if exact.0 == rounded.exact() {
                String::new()
            } else if z {
                format!(
                    "精确金额 ¥{}，四舍五入到分：¥{rounded}",
                    exact.0.to_yuan_string()
                )
            } else {
                format!(
                    "Exact ¥{}, rounded half up to the fen: ¥{rounded}",
                    exact.0.to_yuan_string()
                )
            }
        }
    }
}
