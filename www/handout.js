// tiercost page, the printed handout a family keeps (issue 16): at most two A4 pages, the
// answer (or range) first, who pays what, why in plain sentences, the next steps with where
// to apply, the rules' dates and sources in words, and a QR code of the share link so the
// family opens the same case on a phone. It is a print-only section (#handout, style.css
// @media print shows it and nothing else), rebuilt from what the engine returned: the
// estimate (st.result), the year plan (st.planResult), the aid needed (st.aidAnswer) and the
// help available (st.planHelp). Like app.js it never adds or multiplies money: amounts are
// formatted as the engine gave them; rates are rounded for display to two decimals.
// Text is written with textContent; the QR code is SVG elements made with createElementNS
// from the module matrix of the vendored uqr (lib/vendor/uqr.js), on this device.
//
// API: initHandout(ctx) with ctx = {st, t, L, M, el, packOf, cur, shareUrl, sharePayload,
// isStale, helpAvailable}; returns {update(), prepare()}: update() rebuilds the text (cheap; on
// every answer and before printing), prepare() also makes the QR code and, for a bill without
// a year plan, asks the engine for the help still available (awaited by the print button).

import { isZero, compareDecimal, locale, today } from "./lib/format.js";
import { parseAmount } from "./lib/amount.js";
import { DRUG_CODES } from "./lib/drugs.js";
import { encode } from "./lib/vendor/uqr.js";
import { fill, unId } from "./lib/explain.js";

const SVG = "http://www.w3.org/2000/svg";
// The largest QR version printed: 30 is 137 modules + the quiet zone, 4.4 cm at 0.3 mm a
// module, which a phone camera reads off paper; a longer link is said in words instead.
const MAX_VERSION = 30;
const MODULE_MM = 0.3;

export function initHandout(ctx) {
  const { st, t, L, M, el, packOf, cur, shareUrl, sharePayload, isStale, helpAvailable } = ctx;
  const $ = (id) => document.getElementById(id);
  const lang = () => st.lang;
  const zh = () => st.lang === "zh";
  // the last QR made: for which payload, and the link it encodes (or why none)
  let qr = { key: null, url: null, matrix: null, tooLong: false };
  let qrTimer = 0;
  // the help available for the bill (no year plan asked), for the case state it was asked for
  let billHelp = { key: null, help: null };

  // ---- words for dates and rates (display only)
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  function dateWords(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ""));
    if (!m) return String(iso ?? "");
    return zh() ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  }
  function monthWords(iso) {
    const m = /^(\d{4})-(\d{2})/.exec(String(iso ?? ""));
    if (!m) return String(iso ?? "");
    return zh() ? `${m[1]}年${Number(m[2])}月` : `${MONTHS[Number(m[2]) - 1].slice(0, 3)} ${m[1]}`;
  }
  // "2025-02-15", "2025-06-15" → "2025年2–6月" / "Feb–Jun 2025"
  function monthSpan(a, b) {
    const x = /^(\d{4})-(\d{2})/.exec(a);
    const y = /^(\d{4})-(\d{2})/.exec(b);
    if (!x || !y || x[1] !== y[1]) return `${monthWords(a)} – ${monthWords(b)}`;
    return zh() ? `${x[1]}年${Number(x[2])}–${Number(y[2])}月` : `${MONTHS[Number(x[2]) - 1].slice(0, 3)}–${MONTHS[Number(y[2]) - 1].slice(0, 3)} ${x[1]}`;
  }
  const pctFormats = new Map();
  // "0.746917" → "74.69%" (at most two decimals: a rate as people read it)
  function pct(decimal) {
    let f = pctFormats.get(lang());
    if (!f) pctFormats.set(lang(), (f = new Intl.NumberFormat(locale(lang()), { style: "percent", maximumFractionDigits: 2 })));
    return f.format(String(decimal));
  }
  // A rate that is not a round figure gets words beside it: "74.69%（约四分之三）".
  function rateWords(decimal) {
    const shown = pct(decimal);
    const x = Number(decimal);
    if (!Number.isFinite(x) || x <= 0 || x >= 1) return shown;
    const hundredths = Math.round(x * 10000) / 100; // display only
    if (Number.isInteger(hundredths) && hundredths % 5 === 0) return shown;
    const words = [[0.25, "hoW_quarter"], [1 / 3, "hoW_third"], [0.5, "hoW_half"], [2 / 3, "hoW_twoThirds"], [0.75, "hoW_threeQuarters"]].find(([v]) => Math.abs(x - v) <= 0.015);
    let w = words ? t(words[1]) : null;
    if (!w) {
      const tenth = Math.round(x * 10);
      if (tenth >= 1 && tenth <= 9 && Math.abs(x - tenth / 10) <= 0.015) w = t("hoW_tenths", { n: zh() ? "一二三四五六七八九"[tenth - 1] : String(tenth) });
    }
    return w ? `${shown}${zh() ? "（" : " ("}${t("hoAbout", { words: w })}${zh() ? "）" : ")"}` : shown;
  }
  const rateList = (rates) => rates.map(rateWords).join(zh() ? "、" : ", ");
  // a string whose key is made from engine data (a status, an event kind): "" when the page
  // has no words for it, never the key itself
  const tk = (key) => { const s = t(key); return s === key ? "" : s; };
  const join = (xs) => xs.filter(Boolean).join(t("listSep"));

  // ---- the case in words: region, scheme, category, visits (#handout-inputs)
  function inputs(c, r) {
    const pack = packOf(c);
    const scheme = pack?.schemes.find((s) => s.id === c.scheme);
    const group = scheme?.groups.find((g) => g.id === c.group);
    const cat = c.category === "" ? t("categoryUnknown") : c.category === "none" ? t("categoryNone") : L(pack?.categories.find((k) => k.id === c.category)?.name);
    // the handout's own short labels (the form's carry hints meant for the screen)
    const rows = [[t("hoInRegion"), L(pack?.name)], [t("hoInScheme"), join([L(scheme?.name), L(group?.name)])], [t("hoInCategory"), cat]];
    if (pack?.custom) rows.push([t("enteredTag"), t("packEntered", { org: pack.enteredBy })]);
    const income = parseAmount(c.householdIncome);
    if (c.householdIncome) rows.push([t("hoInIncome"), income.ok && income.value ? M(income.value) : c.householdIncome]);
    const byInput = new Map((r?.encounters || []).map((e, i) => [e.inputIndex ?? i, e]));
    c.encounters.forEach((e, i) => {
      const level = L(pack?.levels.find((l) => l.id === e.level)?.name);
      rows.push([t("encounter", { n: i + 1 }), [dateWords(e.date), t(e.setting), level, t(e.locality), byInput.get(i) ? M(byInput.get(i).total) : ""].filter(Boolean).join(" · ")]);
    });
    return rows;
  }

  // ---- the answer first
  function answer(c, r) {
    const kids = [];
    const span = st.range?.layers && compareDecimal(st.range.low, st.range.high) !== 0;
    const amount = span ? fill("amount.range", lang(), { low: M(st.range.low), high: M(st.range.high) }) : M(r.patient.total);
    kids.push(el("div", { class: "ho-answer", id: "handout-answer" },
      el("p", { class: "ho-label", text: t("hoAnswerBill", { visits: t("hoVisits", { n: c.encounters.length }), total: M(r.total) }) }),
      el("p", { class: "ho-big", id: "handout-amount", text: amount }),
      span ? el("p", { text: t("hoRangeWhy", { layers: (r.range?.undecided || []).map((u) => L(u.name)).join(t("listSep")) || "—" }) }) : el("p", { text: t("hoCoveredNoShare", { covered: M(r.covered) }) }),
      st.range?.split ? el("p", { text: t("splitNoTypical") }) : null,
      burden(st.burden)));
    const p = st.planResult;
    if (p) {
      kids.push(el("div", { class: "ho-answer", id: "handout-plan-answer" },
        el("p", { class: "ho-label", text: t("hoAnswerPlan", { months: p.plan.months, start: monthWords(p.plan.start) }) }),
        el("p", { class: "ho-big", text: M(p.family) }),
        el("p", { text: t("hoPlanOf", { total: M(p.total), covered: M(p.covered) }) }),
        burden(p.burden)));
    }
    return kids;
  }

  // The family's share of its income (the engine's burden), with the thresholds it reaches.
  function burden(b) {
    if (!b?.shareOfIncome || !b.householdIncome) return null;
    // the highest threshold reached says it all (25% of income implies 10%)
    const reached = (b.flags || []).filter((f) => f.reached && f.id?.startsWith("income")).sort((x, y) => compareDecimal(y.threshold, x.threshold)).slice(0, 1)
      .concat((b.flags || []).filter((f) => f.reached && !f.id?.startsWith("income"))).map((f) => L(f.message))
      .map((m) => (zh() ? m : m.charAt(0).toUpperCase() + m.slice(1)));
    return el("p", { class: "ho-burden", text: `${t("hoBurden", { amount: M(b.medical), income: M(b.householdIncome), share: rateWords(b.shareOfIncome) })}${reached.length ? ` ${t("hoBurdenFlags", { flags: reached.join(zh() ? "；" : "; ") })}` : ""}` });
  }

  // ---- who pays what: one row per layer, the bill and the family's share
  function whoPays(r) {
    const span = st.range?.layers && compareDecimal(st.range.low, st.range.high) !== 0;
    const rows = r.layers.map((l) => {
      const status = l.outcome?.status || "eligible";
      const rates = [];
      for (const s of l.settlements || []) for (const x of s.steps || []) if (x.step === "band" && !rates.includes(x.rate)) rates.push(x.rate);
      const note = status === "eligible" ? (rates.length && !isZero(l.paid) ? t("hoRates", { rates: rateList(rates) }) : t("hoSt_eligible")) : tk(`hoSt_${status}`) || tk(status);
      return el("tr", { "data-layer": l.id }, el("th", { scope: "row", text: L(l.name) }), el("td", { class: "money", text: M(l.paid) }), el("td", { text: note }));
    });
    return el("table", { class: "ho-table" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("colLayer") }), el("th", { scope: "col", class: "money", text: t("hoColPaid") }), el("th", { scope: "col", text: t("hoColNote") }))),
      el("tbody", {},
        el("tr", {}, el("th", { scope: "row", text: t("totalBill") }), el("td", { class: "money", text: M(r.total) }), el("td")),
        ...rows,
        el("tr", { class: "ho-family" }, el("th", { scope: "row", text: t("hoRowFamily") }), el("td", { class: "money", text: span ? fill("amount.range", lang(), { low: M(st.range.low), high: M(st.range.high) }) : M(r.patient.total) }), el("td"))));
  }

  // ---- why: per layer, one plain sentence per visit it paid on
  function settlementSentence(c, r, s) {
    // a settlement names its visit by its place in the form (inputIndex), as app.js reads it
    const e = r.encounters.find((x) => (x.inputIndex ?? 0) === s.encounter);
    const idx = s.encounter;
    const visit = t("hoVisit", { n: idx + 1, setting: t(c.encounters[idx]?.setting || "inpatient"), date: dateWords(e?.date) });
    const parts = [];
    const rates = [];
    const RATES = {}; // where the rates go: after the deductible, before a cap
    // the words are the brief templates of lib/explain-text.js (the explanation's one table)
    const brief = (key, v) => fill(`brief.${key}`, lang(), v, { money: M, rate: pct });
    const SAID = { base: true, lump_sum: true, donation: true, first_pay: "amount", cost_cap: "removed", cap: "reduction" };
    for (const x of s.steps || []) {
      const said = SAID[x.step];
      if (x.step === "deductible") parts.push(isZero(x.applied) ? (isZero(x.amount) ? null : brief("deductibleMet", x)) : brief("deductible", x));
      else if (x.step === "band") { if (!rates.length) parts.push(RATES); if (!rates.includes(x.rate)) rates.push(x.rate); }
      else if (said === true || (said && !isZero(x[said]))) parts.push(brief(x.step, x));
    }
    parts.push(brief("pays", s));
    const words = parts.map((p) => (p === RATES ? brief("rates", { rates: rateList(rates) }) : p));
    return `${visit}${zh() ? "：" : ": "}${words.filter(Boolean).join(t("hoSep"))}${t("hoEnd")}`;
  }
  function why(c, r) {
    const items = [];
    for (const l of r.layers) {
      const status = l.outcome?.status || "eligible";
      const name = L(l.name);
      if (status === "eligible") {
        const paid = (l.settlements || []).filter((s) => !isZero(s.paid) || (s.steps || []).some((x) => x.step === "band"));
        if (!paid.length && isZero(l.paid)) continue;
        items.push(el("li", { "data-layer": l.id }, el("strong", { text: t("hoWhyPaid", { layer: name, paid: M(l.paid) }) }), " ",
          ...paid.map((s, i) => [i ? " " : "", settlementSentence(c, r, s)]).flat()));
      } else if (status === "no_rules") items.push(el("li", { "data-layer": l.id, text: t("hoWhyNoRules", { layer: name, missing: unId(L(l.outcome.missing), r.sources) }) }));
      else if (status === "ineligible") items.push(el("li", { "data-layer": l.id, text: t("hoWhyIneligible", { layer: name, reason: unId(L(l.outcome.reason), r.sources) }) }));
      else if (status === "needs_information") items.push(el("li", { "data-layer": l.id, text: t("hoWhyNeeds", { layer: name, reason: unId(L(l.outcome.reason), r.sources) }) }));
    }
    const span = st.range?.layers && compareDecimal(st.range.low, st.range.high) !== 0;
    if (!span && !isZero(r.patient.outOfScope)) items.push(el("li", { text: t("hoWhyOut", { patient: M(r.patient.total), out: M(r.patient.outOfScope), in: M(r.patient.inScope) }) }));
    return el("ul", { class: "ho-why", id: "handout-why" }, ...items);
  }

  // ---- next steps: what to check, where, with which papers; the help still to apply for
  // How to apply, from the engine's help still available: `apply` is a list of steps
  // ({office, documents, when}: first be certified, then how the assistance is paid) and
  // `documents` the layers' own papers; a layer of the estimate has `documents` only.
  const routeOf = (x) => x?.apply || [];
  const whereOf = (x) => routeOf(x).map((a) => L(a.office)).filter(Boolean).join(zh() ? "；然后" : "; then ");
  const deadlineOf = (x) => routeOf(x).map((a) => (a.when ? L(a.when) : "")).filter(Boolean).join(t("listSep"));
  const docsOf = (x) => [...(x?.documents || []), ...routeOf(x).flatMap((a) => a.documents || [])].map((d) => L(d)).filter((d, i, all) => d && all.indexOf(d) === i).join(zh() ? "、" : "; ");
  // The answers of the plan view are for the case they were asked for: one whose family share
  // is neither this bill's nor this plan's is another case's, and is left off the paper.
  const forThisCase = (family, r) => !!family && [r.patient.total, st.planResult?.family].some((x) => x && compareDecimal(x, family) === 0);
  function nextSteps(r) {
    const steps = [];
    // layers without rules here, grouped by where to ask (one office, one step)
    const asks = new Map();
    for (const l of r.layers) {
      if (l.outcome?.status !== "no_rules") continue;
      const ask = unId(L(l.outcome.ask), r.sources) || fill("undecided.askWhere", lang(), {});
      asks.set(ask, [...(asks.get(ask) || []), L(l.name)]);
    }
    for (const [ask, names] of asks) steps.push(el("li", { "data-step": "check", text: t("hoNextCheck", { layer: names.join(t("listSep")), ask }) }));
    for (const l of r.layers) {
      const status = l.outcome?.status;
      if (status === "needs_information") {
        steps.push(el("li", { "data-step": "needs", text: t("hoNextNeeds", { layer: L(l.name), reason: unId(L(l.outcome.reason), r.sources) }) }));
      }
      const docs = docsOf(l);
      if (docs && status !== "ineligible" && status !== "not_enrolled") {
        const where = whereOf(l);
        const until = deadlineOf(l);
        steps.push(el("li", { "data-step": "documents", text: [t("hoNextDocs", { layer: L(l.name), docs }), where ? t("hoNextWhere", { where }) : "", until ? t("hoNextDeadline", { until }) : ""].filter(Boolean).join(" ") }));
      }
    }
    // help still available (www/plan.js): never "eligible" on paper, always the condition
    const source = forThisCase(st.planHelp?.family, r) ? st.planHelp : billHelp.key === JSON.stringify(sharePayload()) ? billHelp.help : null;
    const useful = (source?.options || []).filter((o) => compareDecimal(o.saving ?? "0", "0") > 0 && o.outcome?.status !== "ineligible");
    // assistance statuses in one step ("if the household is certified as A (saves x), B (y)…"),
    // with the route they share (the same certification office for every category)
    const statuses = useful.filter((o) => o.kind === "category").slice(0, 4);
    if (statuses.length) {
      const bits = [t("hoHelpCategories", { list: statuses.map((o) => t("hoHelpItem", { name: L(o.name), saving: M(o.saving) })).join(zh() ? "；" : "; ") })];
      const where = whereOf(statuses[0]);
      if (where) bits.push(t("hoNextWhere", { where }));
      const docs = docsOf(statuses[0]);
      if (docs) bits.push(t("hoBring", { docs }));
      steps.push(el("li", { "data-step": "help", "data-help": statuses.map((o) => o.id).join(" "), text: bits.join(" ") }));
    }
    for (const o of useful.filter((x) => !statuses.includes(x)).slice(0, 3)) {
      const key = o.kind === "category" ? "hoHelpCategory" : o.kind === "product" ? "hoHelpProduct" : "hoHelpProgramme";
      const bits = [t(key, { name: L(o.name), saving: M(o.saving) })];
      if (o.premium) bits.push(t("hoHelpPremium", { premium: M(o.premium) }));
      if (o.outcome?.status === "needs_information" && o.outcome.reason) bits.push(t("hoHelpCond", { reason: unId(L(o.outcome.reason), r.sources) }));
      for (const c of o.conditions || []) bits.push(t("hoHelpCond", { reason: L(c) }));
      const docs = docsOf(o);
      if (docs) bits.push(t("hoBring", { docs }));
      const where = whereOf(o);
      if (where) bits.push(t("hoNextWhere", { where }));
      if (o.windowUntil) bits.push(t("hoNextWindow", { from: dateWords(o.windowFrom || ""), until: dateWords(o.windowUntil) }));
      const until = deadlineOf(o);
      if (until) bits.push(t("hoNextDeadline", { until }));
      steps.push(el("li", { "data-step": "help", "data-help": o.id, text: bits.join(" ") }));
    }
    const aid = st.aidAnswer;
    if (aid && !isZero(aid.aidNeeded) && forThisCase(aid.family, r)) steps.push(el("li", { "data-step": "aid", text: t("hoNextAid", { target: M(aid.target), aid: M(aid.aidNeeded) }) }));
    steps.push(el("li", { "data-step": "keep", text: t("hoNextKeep") }));
    return el("ol", { class: "ho-steps", id: "handout-next" }, ...steps);
  }

  // ---- the year plan, condensed: months alike in a row share a line; months with changes
  // (an admission, a deductible met, a donation starting) stand alone
  function plan(p) {
    const layers = new Map(p.layers.map((l) => [l.id, L(l.name)]));
    const groups = [];
    for (const m of p.months) {
      const prev = groups.at(-1);
      const alike = prev && !m.events.length && !prev.last.events.length && compareDecimal(prev.last.bill, m.bill) === 0 && compareDecimal(prev.last.family, m.family) === 0;
      if (alike) { prev.last = m; prev.n++; } else groups.push({ first: m, last: m, n: 1 });
    }
    const events = (m) => m.events.filter((e) => tk(`ev_${e.kind}`)).map((e) => [tk(`ev_${e.kind}`), e.layer && layers.get(e.layer) ? `${zh() ? "（" : " ("}${layers.get(e.layer)}${zh() ? "）" : ")"}` : ""].join("")).join(t("listSep"));
    const rows = groups.map((g) => g.n === 1
      ? el("tr", { "data-month": String(g.first.month) }, el("th", { scope: "row", text: t("hoMonth", { n: g.first.month, date: monthWords(g.first.date) }) }), el("td", { class: "money", text: M(g.first.bill) }), el("td", { class: "money", text: M(g.first.family) }), el("td", { text: events(g.first) }))
      : el("tr", { "data-month": `${g.first.month}-${g.last.month}` }, el("th", { scope: "row", text: t("hoMonths", { from: g.first.month, to: g.last.month, span: monthSpan(g.first.date, g.last.date) }) }),
        el("td", { class: "money", text: t("hoEach", { amount: M(g.first.bill) }) }), el("td", { class: "money", text: t("hoEach", { amount: M(g.first.family) }) }), el("td")));
    // what the year assumes, as the family typed it (amounts formatted, never multiplied)
    const amount = (x) => { const a = parseAmount(x); return a.ok && a.value ? M(a.value) : String(x ?? ""); };
    const courses = (cur()?.plan?.courses || []).map((k) => {
      if (k.kind === "drug") return t("hoCourseDrug", { drug: L(DRUG_CODES.find((d) => d.code === k.code.trim())?.name) || k.description || k.code, units: k.unitsPerMonth || "1", price: amount(k.unitPrice) });
      if (k.kind === "admissions") return t("hoCourseAdmissions", { n: k.count, each: amount(k.each) });
      return t("hoCourseVisits", { n: k.perMonth, each: amount(k.each) });
    });
    const kids = [el("h2", { text: t("hoPlan") }),
      courses.length ? el("p", { id: "handout-courses", text: t("hoCourses", { courses: courses.join(zh() ? "；" : "; ") }) }) : null,
      el("table", { class: "ho-table ho-months", id: "handout-months" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("hoColMonth") }), el("th", { scope: "col", class: "money", text: t("hoColBill") }), el("th", { scope: "col", class: "money", text: t("hoColFamily") }), el("th", { scope: "col", text: t("hoColEvents") }))),
        el("tbody", {}, ...rows),
        el("tfoot", {}, el("tr", { class: "ho-family" }, el("th", { scope: "row", text: t("planTotal") }), el("td", { class: "money", text: M(p.total) }), el("td", { class: "money", text: M(p.family) }), el("td"))))];
    if (p.years?.length > 1) kids.push(el("ul", { class: "ho-years" }, ...p.years.map((y) => el("li", { text: t("hoYear", { year: dateWords(y.policyYear), bill: M(y.bill), family: M(y.family) }) }))));
    return kids;
  }

  // ---- notes (the engine's warnings, once each, without ids) and the sources in words
  function notes(r) {
    const seen = new Set();
    const out = [];
    for (const w of [...(r.warnings || []), ...(st.planResult?.estimate?.warnings || [])]) {
      // the sources' grades are said under "where the rules come from"
      const s = w.code === "low_grade_source" ? t("hoLowGrade") : unId(L(w.message), { ...r.sources, ...st.planResult?.estimate?.sources });
      if (s && !seen.has(s)) { seen.add(s); out.push(s.replace(/[。.；;\s]+$/, "")); }
    }
    return out;
  }
  function host(url) { try { return new URL(url).host; } catch { return ""; } }
  function sources(r) {
    const all = { ...(st.planResult?.estimate?.sources || {}), ...r.sources };
    const packs = [...r.packs, ...(st.planResult?.estimate?.packs || [])].filter((p, i, a) => a.findIndex((q) => q.id === p.id) === i);
    const items = packs.map((p) => el("p", { text: t("hoPackAsOf", { pack: L(st.packs.find((x) => x.id === p.id)?.name) || t("enteredTag"), date: dateWords(p.rulesAsOf), version: p.version }) }));
    const entered = r.packs.find((p) => p.enteredBy);
    if (entered) items.push(el("p", { text: t("enteredBy", { org: entered.enteredBy.organisation, sources: entered.enteredBy.sources.join(t("listSep")) }) }));
    for (const s of Object.values(all)) {
      const title = unId(s.title, all);
      const bits = [s.document ? `${title}${zh() ? "（" : " ("}${s.document}${zh() ? "）" : ")"}` : title];
      if (s.published) bits.push(t("hoPublished", { date: dateWords(s.published) }));
      if (s.grade) bits.push(t(`hoGrade_${s.grade}`));
      const h = host(s.url);
      items.push(el("li", { class: "ho-source", text: `${bits.filter(Boolean).join(zh() ? "，" : ", ")}${h ? ` · ${h}` : ""}${zh() ? "。" : "."}` }));
    }
    return el("div", { class: "ho-sources", id: "handout-sources" }, ...items.filter((n) => n.tagName === "P"), el("ol", {}, ...items.filter((n) => n.tagName === "LI")));
  }

  // ---- the QR code of the share link
  function qrFigure() {
    const fig = el("figure", { class: "ho-qr", id: "handout-qr" });
    const key = JSON.stringify(sharePayload());
    if (qr.key !== key) {
      fig.append(el("figcaption", { text: t("hoQrPending") }));
      scheduleQr();
      return fig;
    }
    if (qr.tooLong) { fig.append(el("figcaption", { text: t("hoQrLong") })); return fig; }
    const m = qr.matrix;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${m.length} ${m.length}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", t("hoQr"));
    svg.setAttribute("shape-rendering", "crispEdges");
    // display only: the size follows the modules, MODULE_MM each
    svg.setAttribute("width", `${(m.length * MODULE_MM).toFixed(1)}mm`);
    svg.setAttribute("height", `${(m.length * MODULE_MM).toFixed(1)}mm`);
    const bg = document.createElementNS(SVG, "rect");
    bg.setAttribute("width", String(m.length));
    bg.setAttribute("height", String(m.length));
    bg.setAttribute("fill", "#fff");
    const path = document.createElementNS(SVG, "path");
    let d = "";
    m.forEach((row, y) => row.forEach((on, x) => { if (on) d += `M${x},${y}h1v1h-1z`; }));
    path.setAttribute("d", d);
    path.setAttribute("fill", "#000");
    svg.append(bg, path);
    fig.dataset.url = qr.url;
    fig.append(svg, el("figcaption", { text: t("hoQr") }));
    return fig;
  }
  async function makeQr() {
    const key = JSON.stringify(sharePayload());
    if (qr.key === key) return false;
    const url = await shareUrl();
    let matrix = null;
    let tooLong = false;
    try {
      const res = encode(url, { ecc: "L", border: 4, maxVersion: MAX_VERSION });
      matrix = res.data;
    } catch {
      tooLong = true; // longer than a version-30 code holds
    }
    qr = { key, url, matrix, tooLong };
    return true;
  }
  // Made ahead, for Ctrl+P, only where that happens (a desktop with a mouse) and only when the
  // page is idle a while after the last answer: a code takes 50–100 ms to make on a desktop,
  // longer on a phone, which makes it when its print button is pressed (prepare()).
  function scheduleQr() {
    clearTimeout(qrTimer);
    if (!matchMedia("(pointer: fine)").matches) return;
    const idle = (f) => (globalThis.requestIdleCallback ? requestIdleCallback(f, { timeout: 3000 }) : f());
    qrTimer = setTimeout(() => idle(async () => { if (await makeQr().catch(() => false)) update(); }), 1500);
  }

  // ---- the whole handout
  function update() {
    const box = $("handout");
    if (!box) return;
    const c = cur();
    const r = st.result;
    box.lang = zh() ? "zh-CN" : "en";
    const head = el("header", { class: "ho-head" },
      r ? qrFigure() : null,
      el("div", { class: "ho-title" },
        el("h1", { id: "handout-title", text: `${t("handout")}${c?.name ? ` — ${c.name}` : ""}` }),
        el("p", { class: "ho-sub", text: [t("hoFor"), t("hoPrinted", { date: dateWords(today()) }), st.versions ? t("hoMade", { engine: st.versions.engine }) : ""].filter(Boolean).join(" · ") }),
        el("dl", { id: "handout-inputs" }, ...(c ? inputs(c, r) : []).flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]))));
    const kids = [head];
    if (!r) {
      kids.push(el("p", { class: "ho-label", text: t("hoNone") }));
      box.replaceChildren(...kids);
      return;
    }
    if (isStale()) kids.push(el("p", { class: "ho-stale", text: t("hoStale") }));
    kids.push(...answer(c, r));
    kids.push(el("section", { class: "ho-part" }, el("h2", { text: t("hoWho") }), whoPays(r)));
    kids.push(el("section", { class: "ho-part" }, el("h2", { text: t("hoWhy") }), why(c, r)));
    kids.push(el("section", { class: "ho-part" }, el("h2", { text: t("hoNext") }), nextSteps(r)));
    if (st.planResult) kids.push(el("section", { class: "ho-part ho-plan" }, ...plan(st.planResult)));
    const n = notes(r);
    // the assumptions in one paragraph, each closed by its own full stop
    if (n.length) kids.push(el("section", { class: "ho-part" }, el("h2", { text: t("hoNotes") }), el("p", { class: "ho-notes", id: "handout-notes", text: n.map((x) => `${x}${t("hoEnd")}`).join(zh() ? "" : " ") })));
    kids.push(el("section", { class: "ho-part" }, el("h2", { text: t("hoSources") }), sources(r)));
    kids.push(el("p", { class: "ho-foot", text: t("handoutNote") }));
    box.replaceChildren(...kids);
  }
  // Before printing (the print button): the text and the QR code of the current case.
  async function prepare() {
    await makeQr().catch(() => {});
    const key = JSON.stringify(sharePayload());
    if (st.result && !forThisCase(st.planHelp?.family, st.result) && billHelp.key !== key) {
      try { billHelp = { key, help: await helpAvailable() }; } catch { billHelp = { key, help: null }; }
    }
    update();
    document.documentElement.dataset.handout = String(Number(document.documentElement.dataset.handout || 0) + 1);
  }
  // Ctrl+P (or the browser's menu) prints too: the text is rebuilt at once; the QR code is
  // the one made for this case (made ahead on a desktop), else the paper says to use the button.
  addEventListener("beforeprint", update);
  return { update, prepare };
}
