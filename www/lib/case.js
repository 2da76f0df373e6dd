// The engine's case document from what a person filled in: one builder for the page (app.js,
// plan.js, scenarios.js) and the widget (widget/core.js), so a bill typed in either is the same
// case. Amounts and rates are read by lib/amount.js ("8万", "1,200", "85%"); what it cannot
// read goes to the engine as typed, which refuses it at its field (the forms check
// lib/amount.js first and do not ask the engine while anything is unreadable). Builds
// structure only: no money is added or multiplied here.
import { parseAmount, parsePercent, parseCount } from "./amount.js";

/** Typical class splits of a bill (甲/乙/丙) offered when the pack gives none. */
export const SPLITS = {
  a70: { classA: "0.7", classB: "0.2", classC: "0.1" },
  a50: { classA: "0.5", classB: "0.35", classC: "0.15" },
  a40: { classA: "0.4", classB: "0.3", classC: "0.3" },
};
/**
 * The 甲:乙 proportion of each split's in-catalogue part (70:20, 50:35, 40:30, rounded to
 * hundredths), for a bill whose self-pay (out-of-catalogue) part the family gives themselves
 * when the pack has no typical split: the engine divides the rest in this proportion.
 */
export const IN_CATALOGUE = {
  a70: { classA: "0.78", classB: "0.22", classC: "0" },
  a50: { classA: "0.59", classB: "0.41", classC: "0" },
  a40: { classA: "0.57", classB: "0.43", classC: "0" },
};
/** Limits for what a person types about the household (lib/amount.js parseCount). */
export const AGE = { min: 0, max: 120 };
export const HOUSEHOLD = { min: 1, max: 30 };

/** "1万" is an amount, "20%" a share: whichever the family knows of the self-pay part. */
export const isShare = (s) => /[%％]\s*$/.test(String(s ?? ""));
/** An amount as typed, as the engine reads it: the value, or the text as typed. */
export const amountOf = (s) => { const r = parseAmount(s); return r.ok ? r.value : String(s ?? "").trim(); };
/** A percentage as typed ("85", "85%"), as a rate ("0.85"), or the text as typed. */
export const rateOf = (s) => { const r = parsePercent(s); return r.ok ? r.value : String(s ?? "").trim(); };

/**
 * The case document.
 *
 * `form`: { pack, inlinePack?, scheme, group?, age?, category?, householdSize?,
 * householdIncome?, diagnoses?: [], enrolments?: [], programmes?: [id | programme document],
 * encounters: [{ date, setting, level?, locality?, filed?: "yes"|"no", referred?: "yes"|"no",
 * mode: "quick"|"items", total?, split?, custom?: {a, b, c}, ooc?, items?: [{amount, class,
 * description?, code?, quantity?}] }] }. A quick bill's `split` is a key of SPLITS,
 * "custom" (the typed percentages in `custom`), "ooc" (the out-of-catalogue part in `ooc`),
 * a split object as the engine reads it ({classA, classB, classC}), or empty.
 *
 * `options.hasTypicalSplit`: whether the pack has a typical split (else a quick bill without
 * one gets SPLITS[options.splitFor || "a50"]).
 */
export function buildCase(form, { hasTypicalSplit = true, splitFor } = {}) {
  const member = { scheme: form.scheme, group: form.group };
  const age = parseCount(form.age, AGE);
  if (age.ok && age.value !== null) member.age = age.value;
  if (form.category) member.category = form.category;
  const size = parseCount(form.householdSize, HOUSEHOLD);
  if (size.ok && size.value !== null) member.householdSize = size.value;
  const income = amountOf(form.householdIncome);
  if (income !== "") member.householdIncome = income;
  if (form.diagnoses?.length) member.diagnoses = [...form.diagnoses];
  if (form.enrolments?.length) member.enrolments = [...form.enrolments];
  const encounters = form.encounters.map((e) => encounterOf(e, hasTypicalSplit, splitFor));
  // Rules an organisation entered (rules.html) travel with the case as an inline pack.
  const doc = form.inlinePack ? { inlinePack: form.inlinePack, member, encounters } : { pack: form.pack, member, encounters };
  if (form.programmes?.length) {
    doc.programmes = form.programmes.map((p) => (typeof p === "string" ? { id: p } : { inline: p }));
  }
  return doc;
}

function encounterOf(e, hasTypicalSplit, splitFor) {
  const out = { date: e.date, setting: e.setting };
  if (e.level) out.level = e.level;
  if (e.locality && e.locality !== "in_region") {
    out.locality = e.locality;
    if (e.filed) out.filed = e.filed === "yes";
    if (e.referred) out.referred = e.referred === "yes";
  }
  if (e.mode === "items") {
    out.items = e.items.map((i) => {
      const it = { amount: amountOf(i.amount), class: i.class };
      if (i.description) it.description = i.description;
      if (i.code) it.code = i.code;
      if (i.quantity) it.quantity = i.quantity;
      return it;
    });
    return out;
  }
  out.total = amountOf(e.total);
  const typical = (table) => (hasTypicalSplit ? undefined : table[splitFor || "a50"]);
  let split;
  if (e.split && typeof e.split === "object") split = e.split;
  else if (e.split === "custom") split = { classA: rateOf(e.custom.a), classB: rateOf(e.custom.b), classC: rateOf(e.custom.c) };
  else if (e.split === "ooc") {
    out.outOfCatalogue = isShare(e.ooc) ? { share: rateOf(e.ooc) } : { amount: amountOf(e.ooc) };
    split = typical(IN_CATALOGUE);
  } else split = SPLITS[e.split] ?? typical(SPLITS);
  if (split) out.split = split;
  return out;
}
