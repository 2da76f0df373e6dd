// www/lib/explain.js — plain sentences (zh / en) for an estimate's settlement steps, and the
// per-settlement summary a layer table shows (base, deductible, rate, cap). Only formats
// what the engine returned; no arithmetic on money.
//
// API (stable):
//   stepSentence(step, lang)            → string (one sentence for one step)
//   settlementSummary(settlement)       → { base, deductible, rates: [rate], cap, capReduction }
//   sourceLine(sourceKey, sources, lang)→ "title (document), published …, grade X"

import { money, rate, text } from "./format.js";

const PER = { zh: { encounter: "每次", year: "每年" }, en: { encounter: "per encounter", year: "per year" } };
const BUCKET = {
  zh: { inScope: "政策范围内", firstPay: "乙类先行自付", overLimit: "超限价", outOfCatalogue: "目录外（丙类）" },
  en: { inScope: "in-scope", firstPay: "class-B first-pay", overLimit: "above the price limit", outOfCatalogue: "out of catalogue (class C)" },
};

export function stepSentence(s, lang = "zh") {
  const m = (x) => money(x, lang);
  const r = (x) => rate(x, lang);
  const zh = lang === "zh";
  const per = (p) => PER[zh ? "zh" : "en"][p] || p || "";
  switch (s.step) {
    case "base": {
      const parts = (s.parts || [])
        .map((p) => `${BUCKET[zh ? "zh" : "en"][p.bucket] || p.bucket} ${m(p.amount)}${p.weight && p.weight !== "1" ? (zh ? `（按 ${r(p.weight)} 计）` : ` (counted at ${r(p.weight)})`) : ""}`)
        .join(zh ? "，" : ", ");
      return zh
        ? `计入本项的费用为 ${m(s.amount)}${parts ? `：${parts}` : ""}${s.aboveCapOf ? `（${s.aboveCapOf} 封顶线以上部分）` : ""}。`
        : `The cost this benefit sees is ${m(s.amount)}${parts ? `: ${parts}` : ""}${s.aboveCapOf ? ` (the part above ${s.aboveCapOf}'s cap)` : ""}.`;
    }
    case "first_pay":
      return zh ? `先由个人按 ${r(s.rate)} 先行支付 ${m(s.amount)}。` : `The patient first pays ${r(s.rate)}: ${m(s.amount)}.`;
    case "deductible":
      return zh
        ? `起付线 ${m(s.amount)}（${per(s.per)}${s.admission ? `，第 ${s.admission} 次住院` : ""}），此前已达到 ${m(s.metBefore)}，本次扣除 ${m(s.applied)}${s.offset ? `，其中 ${m(s.offset)} 由前面各层支付抵扣` : ""}。`
        : `Deductible ${m(s.amount)} (${per(s.per)}${s.admission ? `, admission ${s.admission}` : ""}); ${m(s.metBefore)} was met before, ${m(s.applied)} applied now${s.offset ? `, ${m(s.offset)} offset by earlier layers' payments` : ""}.`;
    case "cost_cap":
      return zh
        ? `进入本项的费用上限 ${m(s.limit)}（${per(s.per)}），超出部分 ${m(s.removed)} 不计入。`
        : `Cost entering this benefit is limited to ${m(s.limit)} (${per(s.per)}); ${m(s.removed)} above it is left out.`;
    case "band": {
      const adj = (s.adjustments || []).map((a) => text(a.reason, lang)).filter(Boolean).join(zh ? "；" : "; ");
      const changed = s.baseRate && s.rate !== s.baseRate;
      return zh
        ? `${m(s.from)} 至 ${m(s.to)} 之间的部分按 ${r(s.rate)} 支付${changed ? `（基本比例 ${r(s.baseRate)}${adj ? `，${adj}` : ""}）` : ""}，付 ${m(s.pays)}。`
        : `The part between ${m(s.from)} and ${m(s.to)} is paid at ${r(s.rate)}${changed ? ` (base rate ${r(s.baseRate)}${adj ? `; ${adj}` : ""})` : ""}: ${m(s.pays)}.`;
    }
    case "cap":
      return zh
        ? `支付限额 ${m(s.limit)}（${per(s.per)}${s.on === "cost" ? "，按费用计" : ""}），此前已用 ${m(s.usedBefore)}，因此减少 ${m(s.reduction)}。`
        : `Cap ${m(s.limit)} (${per(s.per)}${s.on === "cost" ? ", on cost" : ""}); ${m(s.usedBefore)} used before, so ${m(s.reduction)} less is paid.`;
    case "lump_sum":
      return zh ? `一次性给付 ${m(s.amount)}，实付 ${m(s.pays)}。` : `A lump sum of ${m(s.amount)}; ${m(s.pays)} paid.`;
    case "donation":
      return zh
        ? `药品 ${s.code}：共 ${s.units} 单位，其中 ${s.freeUnits} 单位为赠药${s.allFree ? "（全部免费）" : ""}，价值 ${m(s.amount)}。`
        : `Drug ${s.code}: ${s.units} units, ${s.freeUnits} donated${s.allFree ? " (all free)" : ""}, worth ${m(s.amount)}.`;
    case "rounding":
      return zh ? `精确结果 ${s.exact} 元，四舍五入到分：${m(s.rounded)}。` : `Exact result ${s.exact} yuan, rounded half-up to the fen: ${m(s.rounded)}.`;
    default:
      return `${s.step}`;
  }
}

export function settlementSummary(st) {
  const out = { base: "", deductible: "", rates: [], cap: "", capReduction: "", per: "" };
  for (const s of st.steps || []) {
    if (s.step === "base") out.base = s.amount;
    else if (s.step === "deductible") out.deductible = s.applied;
    else if (s.step === "band") { if (!out.rates.includes(s.rate)) out.rates.push(s.rate); }
    else if (s.step === "cap") { out.cap = s.limit; out.capReduction = s.reduction; out.per = s.per; }
  }
  return out;
}

export function sourceLine(key, sources, lang = "zh") {
  const s = sources?.[key];
  if (!s) return key;
  const zh = lang === "zh";
  const bits = [s.title];
  if (s.document) bits.push(s.document);
  if (s.published) bits.push(zh ? `发布于 ${s.published}` : `published ${s.published}`);
  if (s.grade) bits.push(zh ? `来源等级 ${s.grade}` : `source grade ${s.grade}`);
  return bits.filter(Boolean).join(zh ? "，" : ", ");
}
