// www/lib/explain-text.js — every sentence of an explanation, in zh-CN and en: one template per
// settlement step (keyed `step.<step>`, the step's `step` field), the handout's brief words for
// a step (`brief.<step>`), per layer outcome, and the command line's summaries of an estimate
// and of the planning results. The page (lib/explain.js)
// and the CLI (src/results/wording.rs, which compiles this file in) render the same templates
// on the same JSON, so both say the same words. Keep the object below strict JSON (quoted keys,
// no comments or trailing commas inside it): Rust parses it as such.
//
// Template syntax (the two renderers, fill() in lib/explain.js and wording::fill in Rust):
//   {path}             the field's value (dotted path into the JSON; "." is the value itself);
//                      a {zh, en} object gives its text in the language
//   {path|money}       an amount, formatted by the front end (¥)
//   {path|rate}        a rate as a percentage
//   {path|next}        a 0-based index counted from 1
//   {path|word:P}      the template `P.<value>` (e.g. {per|word:per} → `per.year`)
//   {path|join:S}      an array's texts joined with the template S
//   {path|each:K:S}    each element of an array rendered with template K, joined with S
//   {path|pairs}       an object as `k=v, k=v`
//   {?cond}…{/}        rendered only when cond holds (no nesting): `path` (present and not
//                      empty, 0 or false), `!path`, `path=literal`, `path!=literal`, and
//                      `path!=@other` (compares with another field)
//
// API (stable):
//   EXPLAIN_TEXT   { key: { zh, en } }

export const EXPLAIN_TEXT = {
  "step.base": {
    "zh": "计入本项的费用为 {amount|money}{?parts}：{parts|each:part:sep.list}{/}{?aboveCapOf}（{aboveCapOf} 封顶线以上部分）{/}{?excludedDeductible}（已扣除前面各层的起付线 {excludedDeductible|money}）{/}。",
    "en": "The cost this benefit sees is {amount|money}{?parts}: {parts|each:part:sep.list}{/}{?aboveCapOf} (the part above {aboveCapOf}'s cap){/}{?excludedDeductible} (after removing earlier layers' deductibles, {excludedDeductible|money}){/}."
  },
  "part": {
    "zh": "{bucket|word:bucket} {amount|money}{?weight!=1}（按 {weight|rate} 计）{/}",
    "en": "{bucket|word:bucket} {amount|money}{?weight!=1} (counted at {weight|rate}){/}"
  },
  "step.first_pay": {
    "zh": "先由个人按 {rate|rate} 先行支付 {amount|money}。",
    "en": "The patient first pays {rate|rate}: {amount|money}."
  },
  "step.deductible": {
    "zh": "起付线 {amount|money}（{per|word:per}{?admission}，本年第 {admission} 次住院{/}），此前已达到 {metBefore|money}，本次扣除 {applied|money}{?offset}，其中 {offset|money} 由前面各层的支付抵扣{/}。",
    "en": "Deductible {amount|money} ({per|word:per}{?admission}, admission {admission} of the year{/}); {metBefore|money} was met before, {applied|money} applied now{?offset}, {offset|money} of it met by earlier layers' payments{/}."
  },
  "step.cost_cap": {
    "zh": "进入本项的费用上限 {limit|money}（{per|word:per}），超出部分 {removed|money} 不计入。",
    "en": "Cost entering this benefit is limited to {limit|money} ({per|word:per}); {removed|money} above it is left out."
  },
  "step.band": {
    "zh": "{from|money} 至 {to|money} 之间的部分按 {rate|rate} 支付{?adjustments}（基本比例 {baseRate|rate}：{adjustments|each:adjustment:sep.reasons}）{/}{?measure}{measure|word:measure}{/}，付 {pays|money}。",
    "en": "The part between {from|money} and {to|money} is paid at {rate|rate}{?adjustments} (base rate {baseRate|rate}: {adjustments|each:adjustment:sep.reasons}){/}{?measure}{measure|word:measure}{/}: {pays|money}."
  },
  "adjustment": { "zh": "{reason}", "en": "{reason}" },
  "step.cap": {
    "zh": "支付限额 {limit|money}（{per|word:per}{?on=cost}，按费用计{/}），此前已用 {usedBefore|money}，因此少付 {reduction|money}。",
    "en": "Cap {limit|money} ({per|word:per}{?on=cost}, on cost{/}); {usedBefore|money} used before, so {reduction|money} less is paid."
  },
  "step.lump_sum": {
    "zh": "一次性给付 {amount|money}，实付 {pays|money}。",
    "en": "A lump sum of {amount|money}; {pays|money} paid."
  },
  "step.donation": {
    "zh": "药品 {code}：共 {units} 单位，其中 {freeUnits} 单位为赠药{?allFree}（全部免费）{/}{?unitsBefore}（此前已用 {unitsBefore} 单位）{/}，价值 {amount|money}。",
    "en": "Drug {code}: {units} units, {freeUnits} donated{?allFree} (all free){/}{?unitsBefore} ({unitsBefore} units before){/}, worth {amount|money}."
  },
  "step.rounding": {
    "zh": "{?exact!=@rounded}精确结果 {exact} 元，四舍五入到分：{rounded|money}。{/}",
    "en": "{?exact!=@rounded}Exact result {exact} yuan, rounded half up to the fen: {rounded|money}.{/}"
  },

  "brief.base": { "zh": "计入 {amount|money}", "en": "counts {amount|money}" },
  "brief.first_pay": { "zh": "乙类先自付 {amount|money}", "en": "class-B items first-paid {amount|money}" },
  "brief.deductible": { "zh": "扣除起付线 {applied|money}", "en": "deductible {applied|money} taken off" },
  "brief.deductibleMet": { "zh": "起付线之前已经扣过", "en": "the deductible was already met" },
  "brief.rates": { "zh": "按 {rates} 支付", "en": "paid at {rates}" },
  "brief.cap": { "zh": "已到封顶线 {limit|money}，少付 {reduction|money}", "en": "the cap of {limit|money} is reached, {reduction|money} less" },
  "brief.cost_cap": { "zh": "超过费用上限的 {removed|money} 不计入", "en": "{removed|money} above the cost limit left out" },
  "brief.lump_sum": { "zh": "一次性给付 {amount|money}", "en": "a lump sum of {amount|money}" },
  "brief.donation": { "zh": "赠药 {freeUnits} 单位（价值 {amount|money}）", "en": "{freeUnits} units donated (worth {amount|money})" },
  "brief.pays": { "zh": "付 {paid|money}", "en": "pays {paid|money}" },

  "per.year": { "zh": "每年", "en": "per year" },
  "per.encounter": { "zh": "每次", "en": "per encounter" },
  "bucket.inScope": { "zh": "政策范围内", "en": "in-scope" },
  "bucket.firstPay": { "zh": "乙类先行自付", "en": "class-B first-pay" },
  "bucket.overLimit": { "zh": "超限价", "en": "above the price limit" },
  "bucket.outOfCatalogue": { "zh": "目录外（丙类）", "en": "out of catalogue (class C)" },
  "measure.gross": { "zh": "（按累计总额分段）", "en": " (bands counted from zero)" },
  "measure.net": { "zh": "（按起付线以上金额分段）", "en": " (bands counted above the deductible)" },
  "sep.list": { "zh": "，", "en": ", " },
  "sep.names": { "zh": "、", "en": ", " },
  "sep.reasons": { "zh": "；", "en": "; " },

  "source.published": { "zh": "发布于 {published}", "en": "published {published}" },
  "source.grade": { "zh": "来源等级 {grade}", "en": "source grade {grade}" },

  "estimate.total": {
    "zh": "总费用 {total|money}，各项保障共支付 {covered|money}，个人还需负担 {patient.total|money}（其中自付 {patient.inScope|money}，自费 {patient.outOfScope|money}）。",
    "en": "Total {total|money}; all layers pay {covered|money}; the family pays {patient.total|money} (in-scope self-pay {patient.inScope|money}, out-of-scope {patient.outOfScope|money})."
  },
  "estimate.rangeTotal": { "zh": "总费用 {total|money}。", "en": "Total {total|money}." },
  "amount.range": { "zh": "约 {low} – {high}", "en": "about {low} – {high}" },
  "undecided.lead": {
    "zh": "{layers}的规则尚未收录或还缺信息：您自付{range}。这不是“不报销”，而是本工具还不能算准。",
    "en": "The rules for {layers} are not held yet or need more information: you pay {range}. This is not a refusal to pay; this tool cannot compute it exactly yet."
  },
  "undecided.leadSame": {
    "zh": "{layers}的规则尚未收录或还缺信息；按它们可能支付的最多金额估算，这次也不会支付，您自付 {range}。这不是“不报销”。",
    "en": "The rules for {layers} are not held yet or need more information; even at the most they could plausibly pay, they would not pay here, so you pay {range}. This is not a refusal to pay."
  },
  "undecided.ends": {
    "zh": "较低的数按这些保障可能支付的最多金额估算，较高的数按它们一分不付计算。",
    "en": "The lower figure assumes those layers pay the most they plausibly could; the higher one that they pay nothing."
  },
  "undecided.nationalFloor": {
    "zh": "其中部分按全国一般水平（不是本市规则）估算。",
    "en": "Part of it uses national typical values, not your city's rules."
  },
  "undecided.askWhere": {
    "zh": "实际报销请到参保地医保经办窗口咨询，或拨打医保服务热线 12393。",
    "en": "For the real amount ask at the medical insurance office (医保窗口) where you are insured, or call 12393."
  },
  "undecided.name": { "zh": "{name}", "en": "{name}" },
  "undecided.what": { "zh": "{what}", "en": "{what}" },
  "layer.eligible": { "zh": "【{name}】支付 {paid|money}", "en": "[{name}] pays {paid|money}" },
  "layer.not_enrolled": { "zh": "【{name}】未参加：{outcome.reason}", "en": "[{name}] not enrolled: {outcome.reason}" },
  "layer.ineligible": { "zh": "【{name}】不适用：{outcome.reason}", "en": "[{name}] does not apply: {outcome.reason}" },
  "layer.needs_information": {
    "zh": "【{name}】需要更多信息（{outcome.input}）：{outcome.reason}",
    "en": "[{name}] needs more information ({outcome.input}): {outcome.reason}"
  },
  "layer.no_rules": {
    "zh": "【{name}】规则尚未收录（本工具的缺口，不代表不报销）：缺少{outcome.missing}。{outcome.ask}",
    "en": "[{name}] no rules here yet (a gap in this tool, not a refusal): missing {outcome.missing}. {outcome.ask}"
  },
  "settlement": {
    "zh": "第{encounter|next}笔就医，{name}：{paid|money}（规则 {edition.from} 起生效，来源 {edition.sources|join:sep.names}）",
    "en": "Encounter {encounter|next}, {name}: {paid|money} (rules in effect from {edition.from}, sources {edition.sources|join:sep.list})"
  },
  "heading.warnings": { "zh": "注意：", "en": "Please note:" },
  "heading.sources": { "zh": "来源：", "en": "Sources:" },

  "plan.month": {
    "zh": "第{month}月（{date}）：费用 {bill|money}，家庭支付 {family|money}，累计 {cumulativeFamily|money}",
    "en": "Month {month} ({date}): bill {bill|money}, the family pays {family|money}, {cumulativeFamily|money} so far"
  },
  "plan.event": { "zh": "{message}", "en": "{message}" },
  "plan.layer": { "zh": "{name}：{paid|money}", "en": "{name}: {paid|money}" },
  "plan.total": {
    "zh": "合计 {total|money}，各项共支付 {covered|money}，家庭支付 {family|money}",
    "en": "Total {total|money}, paid by the layers {covered|money}, left for the family {family|money}"
  },
  "compare.base": {
    "zh": "基准：家庭支付 {base.summary.family|money}（保费 {base.summary.premiums|money}）",
    "en": "Base: the family pays {base.summary.family|money} (premiums {base.summary.premiums|money})"
  },
  "compare.variant": {
    "zh": "{label}{?overridesOrder}（改变结算顺序）{/}：家庭支付 {summary.family|money}{?difference}（相差 {difference.family|money}）{/}，保费 {summary.premiums|money}",
    "en": "{label}{?overridesOrder} (settlement order changed){/}: the family pays {summary.family|money}{?difference} (difference {difference.family|money}){/}, premiums {summary.premiums|money}"
  },
  "aid": {
    "zh": "家庭目前支付 {family|money}；要降到 {target|money}，还需援助 {aidNeeded|money}（复核：援助后 {familyWithAid|money}{?verified}，一致{/}{?!verified}，不一致{/}）",
    "en": "The family now pays {family|money}; to bring it to {target|money}, {aidNeeded|money} of aid is needed (checked: {familyWithAid|money} after aid{?verified}, consistent{/}{?!verified}, INCONSISTENT{/})"
  },
  "maxBill.none": {
    "zh": "即使该费用为零，家庭支付（{familyAtAmount|money}）也超过 {target|money}",
    "en": "Even at zero the family's share ({familyAtAmount|money}) is above {target|money}"
  },
  "maxBill.unbounded": {
    "zh": "直到上限 {amount|money}，家庭支付都不超过 {target|money}",
    "en": "Up to the limit of {amount|money}, the family's share stays at or under {target|money}"
  },
  "maxBill.bounded": {
    "zh": "该费用最多 {amount|money} 时家庭支付 {familyAtAmount|money}，不超过 {target|money}；再多 1 分则为 {familyAtNextFen|money}",
    "en": "At most {amount|money}: the family then pays {familyAtAmount|money}, within {target|money}; one fen more and it pays {familyAtNextFen|money}"
  },
  "range.summary": {
    "zh": "家庭支付：最低 {low.family|money}（{low.choice|pairs}），典型 {typical.family|money}（{typical.choice|pairs}），最高 {high.family|money}（{high.choice|pairs}）",
    "en": "The family pays at least {low.family|money} ({low.choice|pairs}), typically {typical.family|money} ({typical.choice|pairs}), at most {high.family|money} ({high.choice|pairs})"
  },
  "range.mattersMost": { "zh": "影响最大的未知项：{mattersMost}", "en": "The unknown that matters most: {mattersMost}" },
  "help.option": { "zh": "{name} — 可减少 {saving|money}（{status}）", "en": "{name} — saves {saving|money} ({status})" },
  "help.apply": { "zh": "申请：{office}", "en": "apply: {office}" },
  "help.eligible": {
    "zh": "{?conditions}{conditions|join:sep.reasons}{/}{?!conditions}符合条件{/}",
    "en": "{?conditions}{conditions|join:sep.reasons}{/}{?!conditions}eligible{/}"
  },
  "help.ineligible": { "zh": "不符合：{outcome.reason}", "en": "not eligible: {outcome.reason}" },
  "help.not_enrolled": { "zh": "未参加", "en": "not enrolled" },
  "help.no_rules": { "zh": "规则尚未收录：{outcome.missing}", "en": "no rules here: {outcome.missing}" },
  "help.needs_information": { "zh": "需要信息：{outcome.input}", "en": "needs: {outcome.input}" }
};
