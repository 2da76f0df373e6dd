// tiercost page, plan view: a year (or more) of treatment described as courses (a drug every
// month, admissions, monthly visits), its month-by-month cash flow from the engine's plan(),
// the aid needed to reach a target share (aidNeeded / maxBill) and the help still available
// (helpAvailable). Like app.js, this file never adds or multiplies money: it moves strings to
// the engine and formats what comes back. Bar lengths in the chart are computed for display
// only (a CSS width), never shown as amounts. User and pack text is written with textContent.
//
// API: initPlan(ctx) with ctx = {st, t, L, M, el, field, select, input, buildCase, packOf, cur,
// planning, engine, SPLITS, persist}; returns {render(), rerender(), clear()}.

import { isZero } from "./lib/format.js";
import { DRUG_CODES } from "./lib/drugs.js";
import { parseAmount } from "./lib/amount.js";
import { errorSentence } from "./lib/errors.js";

const PATTERNS = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];

export function initPlan(ctx) {
  const { st, t, L, M, el, field, select, input, buildCase, packOf, cur, planning, engine, SPLITS, persist } = ctx;
  const $ = (id) => document.getElementById(id);
  // the last answers, for the case they were computed for (re-rendered on a language switch)
  let last = null;

  function defaultPlan(c) {
    return { start: c.encounters[0]?.date || "", months: "12", courses: [defaultCourse("drug", c)], target: "" };
  }
  function defaultCourse(kind, c) {
    const level = packOf(c)?.levels.at(-1)?.id || "";
    if (kind === "drug") return { kind, code: "", description: "", class: "a", unitPrice: "", unitsPerMonth: "1" };
    if (kind === "admissions") return { kind, count: "1", each: "", split: "unknown", level };
    return { kind: "visits", perMonth: "1", each: "", split: "unknown", setting: "outpatient", level };
  }
  const planOf = (c) => (c.plan ||= defaultPlan(c));
  // A plan is the subject only once a course has its amount: the form opens with an empty drug
  // course, and help or aid for a plain bill must not trip over it.
  const hasCourses = (c) => !!c.plan?.courses?.some((k) => String(k.kind === "drug" ? k.unitPrice : k.each ?? "").trim() !== "");
  // amounts as typed (8万, 1,200): read by lib/amount.js; what it cannot read goes to the
  // engine as typed, which refuses it at its field
  const clean = (s) => { const r = parseAmount(s); return r.ok ? r.value : String(s ?? "").trim(); };
  const int = (s) => (/^\d+$/.test(String(s).trim()) ? Number(s) : String(s));

  // The engine's plan document: the case's situation (member, pack, programmes) plus courses.
  function planDoc(c) {
    const p = planOf(c);
    const doc = buildCase(c);
    delete doc.encounters;
    const pack = packOf(c);
    const split = (s) => (SPLITS[s] ? SPLITS[s] : pack?.hasTypicalSplit ? undefined : SPLITS.a50);
    const courses = p.courses.map((k) => {
      if (k.kind === "drug") {
        const out = { kind: "drug", code: k.code.trim(), class: k.class, unitPrice: clean(k.unitPrice) };
        if (k.description) out.description = k.description;
        if (k.unitsPerMonth !== "" && k.unitsPerMonth !== "1") out.unitsPerMonth = int(k.unitsPerMonth);
        return out;
      }
      if (k.kind === "admissions") {
        const out = { kind: "admissions", count: int(k.count), each: clean(k.each) };
        const sp = split(k.split);
        if (sp) out.split = sp;
        if (k.level) out.level = k.level;
        return out;
      }
      const out = { kind: "visits", perMonth: int(k.perMonth), each: clean(k.each), setting: k.setting };
      const sp = split(k.split);
      if (sp) out.split = sp;
      if (k.level) out.level = k.level;
      return out;
    });
    doc.plan = { start: p.start, months: int(p.months), courses };
    return doc;
  }

  // ---- the form
  function courseFields(c, k, i) {
    const pack = packOf(c);
    const ch = () => { persist(); };
    const levels = (pack?.levels || []).map((l) => ({ value: l.id, label: L(l.name) }));
    const splits = [["unknown", "splitUnknown"], ["a70", "splitA70"], ["a50", "splitA50"], ["a40", "splitA40"]].map(([value, key]) => ({ value, label: t(key) }));
    const path = `$.plan.courses[${i}]`;
    const kids = [];
    kids.push(field(t("planKind"), select([{ value: "drug", label: t("planDrug") }, { value: "admissions", label: t("planAdmissions") }, { value: "visits", label: t("planVisits") }], k.kind, (v) => {
      planOf(c).courses[i] = defaultCourse(v, c); renderForm(); ch();
    })));
    if (k.kind === "drug") {
      const listId = "plan-drug-codes";
      kids.push(field(t("planDrugCode"), input(k.code, (v) => { k.code = v; ch(); }, { list: listId, "data-path": `${path}.code`, autocomplete: "off" }), t("planDrugCodeHint")));
      kids.push(el("div", { class: "row" },
        field(t("planUnitPrice"), input(k.unitPrice, (v) => { k.unitPrice = v; ch(); }, { inputmode: "decimal", "data-path": `${path}.unitPrice` })),
        field(t("planUnitsPerMonth"), input(k.unitsPerMonth, (v) => { k.unitsPerMonth = v; ch(); }, { inputmode: "numeric", "data-path": `${path}.unitsPerMonth` })),
        field(t("itemClass"), select([{ value: "a", label: t("clsA") }, { value: "b", label: t("clsB") }, { value: "c", label: t("clsC") }], k.class, (v) => { k.class = v; ch(); }))));
    } else {
      const countKey = k.kind === "admissions" ? "count" : "perMonth";
      kids.push(el("div", { class: "row" },
        field(t(k.kind === "admissions" ? "planCount" : "planPerMonth"), input(k[countKey], (v) => { k[countKey] = v; ch(); }, { inputmode: "numeric", "data-path": `${path}.${countKey}` })),
        field(t("planEach"), input(k.each, (v) => { k.each = v; ch(); }, { inputmode: "decimal", "data-path": `${path}.each` }))));
      kids.push(el("div", { class: "row" },
        field(t("split"), select(splits, k.split, (v) => { k.split = v; ch(); })),
        levels.length ? field(t("level"), select(levels, k.level, (v) => { k.level = v; ch(); }, { "data-path": `${path}.level` })) : null));
      if (k.kind === "visits") kids.push(field(t("setting"), select([{ value: "outpatient", label: t("outpatient") }, { value: "chronic", label: t("chronic") }], k.setting, (v) => { k.setting = v; ch(); })));
    }
    kids.push(el("button", { type: "button", class: "secondary", text: t("planRemoveCourse", { n: i + 1 }), onclick: () => { planOf(c).courses.splice(i, 1); renderForm(); ch(); } }));
    return el("fieldset", { class: "course", "data-course": String(i) }, el("legend", { text: t("planCourse", { n: i + 1 }) }), ...kids);
  }

  function renderForm() {
    const c = cur();
    const p = planOf(c);
    const dl = el("datalist", { id: "plan-drug-codes" }, ...DRUG_CODES.map((d) => el("option", { value: d.code, label: L(d.name) })));
    $("plan-fields").replaceChildren(
      el("div", { class: "row" },
        field(t("planStart"), input(p.start, (v) => { p.start = v; persist(); }, { type: "date", id: "plan-start", "data-path": "$.plan.start" })),
        field(t("planMonths"), input(p.months, (v) => { p.months = v; persist(); }, { id: "plan-months", inputmode: "numeric", "data-path": "$.plan.months" }))),
      dl,
      ...p.courses.map((k, i) => courseFields(c, k, i)));
    $("aid-target").value = p.target || "";
  }

  // ---- the cash flow
  function monthChart(r, layers) {
    // display only: bar length = bill / largest bill (a CSS width); segments share it by flex-grow
    const max = Math.max(...r.months.map((m) => Number(m.bill)), 0);
    const list = el("ol", { class: "months-chart", "aria-label": t("planChart") });
    for (const m of r.months) {
      const bar = el("div", { class: "bar mbar", "aria-hidden": "true" });
      bar.style.width = max > 0 ? `${Math.max((Number(m.bill) / max) * 100, isZero(m.bill) ? 0 : 1)}%` : "0";
      layers.forEach((l, i) => {
        const a = m.paidBy[l.id];
        if (!a || isZero(a)) return;
        const seg = el("div", { class: `seg ${PATTERNS[i % PATTERNS.length]}` }, el("span", { text: String(i + 1) }));
        seg.style.flexGrow = a;
        bar.append(seg);
      });
      if (!isZero(m.family)) {
        const seg = el("div", { class: "seg family" }, el("span", { text: String(layers.length + 1) }));
        seg.style.flexGrow = m.family;
        bar.append(seg);
      }
      list.append(el("li", {}, el("span", { class: "mlabel", text: t("planMonth", { n: m.month }) }), el("div", { class: "mtrack" }, bar),
        el("span", { class: "mfamily" }, `${t("chartFamily")}: `, el("strong", { text: M(m.family) }), m.events.length ? ` · ${m.events.map((e) => eventShort(e)).join(" · ")}` : "")));
    }
    const key = el("ol", { class: "key" }, ...layers.map((l, i) => el("li", {}, el("span", { class: `swatch ${PATTERNS[i % PATTERNS.length]}`, "aria-hidden": "true" }, el("span", { class: "num", text: String(i + 1) })), ` ${L(l.name)}`)),
      el("li", {}, el("span", { class: "swatch family", "aria-hidden": "true" }, el("span", { class: "num", text: String(layers.length + 1) })), ` ${t("chartFamily")}`));
    return el("div", { class: "plan-chart" }, key, list);
  }
  const eventShort = (e) => t(`ev_${e.kind}`) || e.kind;

  function renderPlan(r) {
    const layers = r.layers.filter((l) => !isZero(l.paid));
    const head = el("tr", {}, el("th", { scope: "col", text: t("planMonthCol") }), el("th", { scope: "col", text: t("planBill") }),
      ...layers.map((l) => el("th", { scope: "col", text: L(l.name) })), el("th", { scope: "col", text: t("familyShare") }), el("th", { scope: "col", text: t("planCumulative") }), el("th", { scope: "col", text: t("planEvents") }));
    const rows = r.months.map((m) => el("tr", { "data-month": String(m.month) }, el("th", { scope: "row", text: `${m.month} · ${m.date}` }), el("td", { class: "money", text: M(m.bill) }),
      ...layers.map((l) => el("td", { class: "money", text: M(m.paidBy[l.id] ?? "0") })), el("td", { class: "money strong", "data-family": m.family, text: M(m.family) }), el("td", { class: "money", text: M(m.cumulativeFamily) }),
      el("td", {}, ...m.events.map((e) => el("div", { "data-event": e.kind, text: L(e.message) })))));
    const total = el("tr", { class: "patient" }, el("th", { scope: "row", text: t("planTotal") }), el("td", { class: "money", text: M(r.total) }),
      ...layers.map((l) => el("td", { class: "money", text: M(l.paid) })), el("td", { class: "money", id: "plan-family", text: M(r.family) }), el("td"), el("td"));
    const years = r.years.length > 1 ? el("table", { class: "plan-years" }, el("caption", { text: t("planYears") }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("planYear") }), el("th", { scope: "col", text: t("planBill") }), ...layers.map((l) => el("th", { scope: "col", text: L(l.name) })), el("th", { scope: "col", text: t("familyShare") }))),
      el("tbody", {}, ...r.years.map((y) => el("tr", {}, el("th", { scope: "row", text: y.policyYear }), el("td", { class: "money", text: M(y.bill) }), ...layers.map((l) => el("td", { class: "money", text: M(y.paidBy[l.id] ?? "0") })), el("td", { class: "money", text: M(y.family) }))))) : null;
    $("plan-out").replaceChildren(
      el("div", { class: "answer" }, el("p", { class: "answer-label", text: t("planFamilyYear", { months: r.plan.months }) }), el("p", { class: "big", id: "plan-answer", text: M(r.family) }),
        el("p", { text: t("ofBill", { total: M(r.total), covered: M(r.covered) }) })),
      el("h3", { id: "h-plan-chart", text: t("planChart") }),
      monthChart(r, layers),
      el("h3", { id: "h-plan-table", text: t("planTable") }),
      el("div", { class: "scroll", tabindex: "0", role: "region", "aria-labelledby": "h-plan-table" }, el("table", { class: "plan-table" }, el("thead", {}, head), el("tbody", { id: "plan-months-body" }, ...rows), el("tfoot", {}, total))),
      years ? el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": t("planYears") }, years) : "",
      r.estimate?.warnings?.length ? el("ul", { class: "note" }, ...r.estimate.warnings.map((w) => el("li", { text: L(w.message) }))) : "");
  }

  // The sentence for an error's code (lib/errors.js), never the engine's own text.
  function errorText(e) { return errorSentence(e.code, st.lang); }
  async function call(fn) {
    try { return fn(); } catch (e) {
      if (e.fatal) await engine.ready().catch(() => {});
      throw e;
    }
  }

  async function runPlan() {
    const c = cur();
    const out = $("plan-out");
    out.replaceChildren(el("p", { text: t("planLoading") }));
    $("plan-section").classList.add("plan-empty");
    try {
      await planning();
      const doc = planDoc(c);
      const r = await call(() => engine.plan(doc));
      last = { c, plan: r, aid: last?.c === c ? last.aid : null, max: last?.c === c ? last.max : null, help: null, helpError: null };
      st.planResult = r;
      renderPlan(r);
      $("plan-section").classList.remove("plan-empty");
      document.documentElement.dataset.planned = String(Number(document.documentElement.dataset.planned || 0) + 1);
      runHelp(doc);
    } catch (e) {
      last = null;
      st.planResult = null;
      out.replaceChildren(el("p", { class: "error", role: "alert", text: errorText(e) }));
    }
  }

  // ---- aid needed and the largest bill
  function subjectDoc(c) { return hasCourses(c) ? planDoc(c) : buildCase(c); }
  async function runAid() {
    const c = cur();
    const p = planOf(c);
    const out = $("aid-out");
    out.replaceChildren(el("p", { text: t("planLoading") }));
    try {
      await planning();
      const target = clean(p.target);
      const doc = subjectDoc(c);
      const aid = await call(() => engine.aidNeeded({ case: doc, target }));
      let max = null;
      try { max = await call(() => engine.maxBill({ case: doc, target })); } catch { max = null; }
      last = { ...(last?.c === c ? last : { c }), aid, max, aidFor: hasCourses(c) ? "plan" : "case" };
      st.aidAnswer = aid;
      renderAid();
      document.documentElement.dataset.aided = String(Number(document.documentElement.dataset.aided || 0) + 1);
    } catch (e) {
      out.replaceChildren(el("p", { class: "error", role: "alert", text: errorText(e) }));
    }
  }
  function renderAid() {
    if (!last?.aid) { $("aid-out").replaceChildren(); return; }
    const a = last.aid;
    const kids = [
      el("p", { class: "aid-answer" }, `${t("aidNeededIs")} `, el("strong", { id: "aid-amount", text: M(a.aidNeeded) })),
      el("p", { text: t(last.aidFor === "plan" ? "aidForPlan" : "aidForCase", { family: M(a.family), target: M(a.target), with: M(a.familyWithAid) }) }),
      el("p", { class: "note", text: a.verified ? t("aidVerified") : t("aidNotVerified") }),
    ];
    if (a.byPolicyYear?.length > 1) kids.push(el("ul", {}, ...a.byPolicyYear.map((y) => el("li", { text: t("aidYear", { year: y.policyYear, family: M(y.family), aid: M(y.aid) }) }))));
    const m = last.max;
    if (m) {
      const what = m.scale === "total" ? t("maxScaleTotal") : m.scale?.course !== undefined ? t("maxScaleCourse", { n: m.scale.course + 1 }) : t("maxScaleEncounter", { n: (m.scale?.encounter ?? 0) + 1 });
      if (m.amount === undefined || m.amount === null) kids.push(el("p", { id: "max-bill", text: t("maxNone", { what }) }));
      else if (!m.bounded) kids.push(el("p", { id: "max-bill", text: t("maxUnbounded", { what, upper: M(m.upper) }) }));
      else kids.push(el("p", { id: "max-bill", text: t("maxBillIs", { what, amount: M(m.amount), current: M(m.currentAmount), family: M(m.familyAtAmount) }) }));
    }
    $("aid-out").replaceChildren(...kids);
  }

  // ---- help still available
  async function runHelp(doc) {
    const c = cur();
    const out = $("help-out");
    out.replaceChildren(el("p", { text: t("planLoading") }));
    try {
      await planning();
      const h = await call(() => engine.helpAvailable(doc || subjectDoc(c)));
      last = { ...(last?.c === c ? last : { c }), help: h, helpError: null };
    } catch (e) {
      last = { ...(last?.c === c ? last : { c }), help: null, helpError: errorText(e) };
    }
    st.planHelp = last.help;
    renderHelp();
    document.documentElement.dataset.helped = String(Number(document.documentElement.dataset.helped || 0) + 1);
  }
  function renderHelp() {
    const out = $("help-out");
    if (last?.helpError) { out.replaceChildren(el("p", { class: "error", text: `${t("helpFailed")} ${last.helpError}` })); return; }
    const h = last?.help;
    if (!h) { out.replaceChildren(); return; }
    if (!h.options.length) { out.replaceChildren(el("p", { text: t("helpNone") })); return; }
    const cats = h.options.filter((o) => o.kind === "category");
    const others = h.options.filter((o) => o.kind !== "category");
    out.replaceChildren(el("ul", { class: "help-list" }, ...others.map(helpItem), cats.length ? categoryItem(cats) : ""));
  }
  // The assistance categories in one item: each certification and what it would save, in a
  // table; then the route they share (shown once when it is the same for all).
  function categoryItem(cats) {
    const table = el("table", { class: "help-categories" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("helpCategoryCol") }), el("th", { scope: "col", class: "money", text: t("helpSavingCol") }), el("th", { scope: "col", class: "money", text: t("helpWithCol") }))),
      el("tbody", {}, ...cats.map((o) => el("tr", { "data-help": o.id, "data-kind": "category" },
        el("th", { scope: "row", text: L(o.name) }), el("td", { class: "money", text: M(o.saving) }), el("td", { class: "money", text: M(o.familyWith) })))));
    const same = (f) => cats.every((o) => JSON.stringify(f(o)) === JSON.stringify(f(cats[0])));
    const li = el("li", { "data-help-group": "category" }, el("strong", { text: t("helpCategoriesTitle") }), el("div", { class: "status conditional", text: t("helpCategoriesIf") }), table);
    if (same((o) => o.apply) && same((o) => o.documents)) li.append(...howToApply(cats[0]));
    else for (const o of cats) li.append(el("div", { class: "help-how", text: L(o.name) }), ...howToApply(o));
    return li;
  }
  // One kind of help: what it saves, what must still be true (never "eligible" without a
  // basis: a category the family has not been certified in reads "if your household is
  // certified …"), and how to apply — step by step, where the rules' data says.
  function helpItem(o) {
    const status = o.outcome?.status || "eligible";
    const li = el("li", { "data-help": o.id, "data-kind": o.kind },
      el("strong", { text: L(o.name) }), ` (${t(`help_${o.kind}`)}) `,
      el("span", { text: t("helpSaving", { saving: M(o.saving), with: M(o.familyWith) }) }));
    if (o.premium) li.append(el("span", { text: ` ${t("helpPremium", { premium: M(o.premium), net: M(o.netSaving ?? "0") })}` }));
    if (o.windowUntil) li.append(el("span", { text: ` ${t("helpWindow", { from: o.windowFrom || "", until: o.windowUntil })}` }));
    const conditions = o.conditions || [];
    if (status === "ineligible") li.append(el("div", { class: "status ineligible", text: t("ineligibleWhy", { reason: L(o.outcome.reason) }) }));
    else if (status !== "eligible") li.append(el("div", { class: `status ${status}`, text: t("needsWhy", { input: o.outcome.input || "", reason: L(o.outcome.reason) }) }));
    if (conditions.length) li.append(el("div", { class: "status conditional", text: t("helpOnlyIf") }), el("ul", { class: "help-conditions" }, ...conditions.map((c) => el("li", { text: L(c) }))));
    else if (status === "eligible") li.append(el("div", { class: "status eligible", text: t("helpEligible") }));
    li.append(...howToApply(o));
    return li;
  }
  // How to apply, step by step, and the documents (the layers' and each step's, once each).
  function howToApply(o) {
    const steps = o.apply || [];
    const docs = [...(o.documents || []), ...steps.flatMap((a) => a.documents || [])].filter((d, i, all) => all.findIndex((x) => x.zh === d.zh) === i);
    const out = steps.length
      ? [el("div", { class: "help-how", text: t("helpHow") }), el("ol", { class: "help-steps" }, ...steps.map((a) =>
        el("li", { "data-apply": "" }, L(a.office), a.when ? el("span", { text: t("helpWhen", { when: L(a.when) }) }) : "")))]
      : [el("div", { class: "help-how note", text: t("helpHowUnknown") })];
    if (docs.length) out.push(el("div", { text: t("helpDocuments") }), el("ul", {}, ...docs.map((d) => el("li", { text: L(d) }))));
    return out;
  }

  function rerender() {
    renderForm();
    if (last?.c !== cur()) { clear(); return; }
    if (last.plan) renderPlan(last.plan);
    renderAid();
    renderHelp();
  }
  function clear() {
    last = null;
    st.planResult = null;
    $("plan-out").replaceChildren();
    $("aid-out").replaceChildren();
    $("help-out").replaceChildren();
    $("plan-section").classList.add("plan-empty");
  }

  $("plan-add").addEventListener("click", () => { const c = cur(); planOf(c).courses.push(defaultCourse($("plan-add-kind").value, c)); renderForm(); persist(); });
  $("plan-run").addEventListener("click", runPlan);
  $("aid-target").addEventListener("input", (e) => { planOf(cur()).target = e.target.value; persist(); });
  $("aid-run").addEventListener("click", runAid);
  $("help-run").addEventListener("click", () => runHelp());

  return { render: rerender, rerender, clear };
}
