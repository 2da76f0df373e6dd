// tiercost page, scenarios side by side: the cases a social worker pinned (up to four; a case
// is a scenario, made by duplicating the current one and changing any field), settled by the
// engine in one compare() call — the first pinned case as the base, every other one as a JSON
// merge patch (RFC 7386) from the base's document to its own — and shown as columns: the bill,
// the family's share, every layer's payment, with the engine's difference against the first.
// Building a patch is structure, not money: this file never adds, subtracts or multiplies an
// amount; it formats what the engine returns. User text is written with textContent.
//
// API: initScenarios(ctx) with ctx = {st, t, L, M, el, buildCase, packOf, cur, planning, engine,
// inputProblems, hasNoBill, splitUnknownWithoutTypical, errorSentence, nameOf, selectCase,
// persist, renderCases}; returns {render({announce}), refresh(), MAX}.

import { compareDecimal, isZero } from "./lib/format.js";
import { fill } from "./lib/explain.js";

export const MAX_PINNED = 4;

const isObj = (v) => !!v && typeof v === "object" && !Array.isArray(v);
function same(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return false;
}

/**
 * The RFC 7386 merge patch that turns document `from` into document `to`: objects key by key,
 * a key `to` lacks set to null (removed), arrays and other values replaced whole. (Case
 * documents hold no nulls, which a merge patch could not set.)
 */
export function mergePatch(from, to) {
  if (!isObj(from) || !isObj(to)) return structuredClone(to);
  const out = {};
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) out[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (!Object.hasOwn(from, k)) out[k] = structuredClone(v);
    else if (isObj(v) && isObj(from[k])) {
      const p = mergePatch(from[k], v);
      if (Object.keys(p).length) out[k] = p;
    } else if (!same(from[k], v)) out[k] = structuredClone(v);
  }
  return out;
}

/**
 * The engine's ready-made change (a common variant's preset, src/planning/scenario.rs) made on the page's
 * own case, so that it becomes a scenario like any other, editable field by field; false for a
 * preset the form has no field for.
 */
export function applyPreset(c, preset) {
  switch (preset?.kind) {
    case "level": for (const e of c.encounters) e.level = preset.level; return true;
    case "locality":
      for (const e of c.encounters) { e.locality = preset.locality; e.filed = preset.filed === true ? "yes" : preset.filed === false ? "no" : ""; }
      return true;
    case "enrol": if (!c.enrolments.includes(preset.product)) c.enrolments.push(preset.product); return true;
    case "unenrol": c.enrolments = c.enrolments.filter((x) => x !== preset.product); return true;
    case "category": c.category = preset.category; return true;
    case "programme": if (!c.programmes.includes(preset.id)) c.programmes.push(preset.id); return true;
    default: return false;
  }
}

export function initScenarios(ctx) {
  const { st, t, L, M, el, buildCase, packOf, planning, engine, inputProblems, hasNoBill, splitUnknownWithoutTypical, errorSentence, nameOf, selectCase, persist, renderCases } = ctx;
  const $ = (id) => document.getElementById(id);
  const signed = (d) => (String(d).startsWith("-") ? `−${M(String(d).slice(1))}` : `+${M(d)}`);
  const zero = (d) => isZero(d);

  // ---- what differs from the reference case, in the form's words (values as typed)
  function changes(a, b) {
    const out = [];
    const pa = packOf(a);
    const pb = packOf(b);
    const put = (field, from, to) => { if (from !== to) out.push(t("changeFromTo", { field, from: from || t("changeNone"), to: to || t("changeNone") })); };
    const schemeOf = (p, c) => p?.schemes.find((s) => s.id === c.scheme);
    put(t("pack"), L(pa?.name), L(pb?.name));
    put(t("scheme"), L(schemeOf(pa, a)?.name), L(schemeOf(pb, b)?.name));
    put(t("group"), L(schemeOf(pa, a)?.groups.find((g) => g.id === a.group)?.name), L(schemeOf(pb, b)?.groups.find((g) => g.id === b.group)?.name));
    const cat = (p, c) => (c.category === "" ? t("categoryUnknown") : c.category === "none" ? t("categoryNone") : L(p?.categories.find((k) => k.id === c.category)?.name) || c.category);
    put(t("category"), cat(pa, a), cat(pb, b));
    put(t("age"), a.age, b.age);
    put(t("householdSize"), a.householdSize, b.householdSize);
    put(t("householdIncome"), a.householdIncome, b.householdIncome);
    const layerName = (id) => L((pb?.layers || []).find((l) => l.id === id)?.name || (pa?.layers || []).find((l) => l.id === id)?.name) || id;
    for (const id of new Set([...a.enrolments, ...b.enrolments])) put(layerName(id), t(a.enrolments.includes(id) ? "checked" : "unchecked"), t(b.enrolments.includes(id) ? "checked" : "unchecked"));
    const progName = (id) => L(st.packs.find((p) => p.id === id)?.name) || id;
    for (const id of new Set([...a.programmes, ...b.programmes])) put(progName(id), t(a.programmes.includes(id) ? "checked" : "unchecked"), t(b.programmes.includes(id) ? "checked" : "unchecked"));
    if (a.encounters.length !== b.encounters.length) out.push(t("changeEncounters", { from: String(a.encounters.length), to: String(b.encounters.length) }));
    const tri = (v) => (v === "yes" ? t("optYes") : v === "no" ? t("optNo") : t("notKnown"));
    const splitName = (s) => t(s === "unknown" ? "splitUnknown" : s === "ooc" ? "splitOoc" : `split${s[0].toUpperCase()}${s.slice(1)}`);
    const levelName = (p, id) => L(p?.levels.find((l) => l.id === id)?.name) || id;
    for (let i = 0; i < Math.min(a.encounters.length, b.encounters.length); i++) {
      const ea = a.encounters[i];
      const eb = b.encounters[i];
      const f = (key) => `${t("encounter", { n: i + 1 })} ${t(key)}`;
      put(f("date"), ea.date, eb.date);
      put(f("setting"), t(ea.setting), t(eb.setting));
      put(f("level"), levelName(pa, ea.level), levelName(pb, eb.level));
      put(f("locality"), t(ea.locality), t(eb.locality));
      if (eb.locality !== "in_region" || ea.locality !== "in_region") { put(f("filed"), tri(ea.filed), tri(eb.filed)); put(f("referred"), tri(ea.referred), tri(eb.referred)); }
      if (ea.mode !== eb.mode) put(f("mode"), t(ea.mode === "quick" ? "modeQuick" : "modeItems"), t(eb.mode === "quick" ? "modeQuick" : "modeItems"));
      else if (eb.mode === "quick") {
        put(f("total"), ea.total, eb.total);
        put(f("split"), splitName(ea.split), splitName(eb.split));
        if (ea.split === eb.split && eb.split === "ooc") put(f("oocLabel"), ea.ooc, eb.ooc);
        if (ea.split === eb.split && eb.split === "custom") for (const [k, key] of [["a", "classA"], ["b", "classB"], ["c", "classC"]]) put(`${t("encounter", { n: i + 1 })} ${t(key)}`, ea.custom[k], eb.custom[k]);
      } else if (!same(ea.items, eb.items)) out.push(t("changeItems", { field: t("encounter", { n: i + 1 }) }));
    }
    return out;
  }

  // The reference is the first pinned case: another one becomes it by moving to the front of
  // the cases (the one being edited stays in the form).
  function makeReference(i) {
    const editing = st.cases[st.current];
    const [c] = st.cases.splice(i, 1);
    st.cases.unshift(c);
    st.current = st.cases.indexOf(editing);
    renderCases();
    persist();
    render({ announce: true });
  }

  // ---- the table
  let seq = 0;
  let timer = 0;
  /** Re-renders a quarter-second after the last call (while a pinned case is being typed in). */
  function refresh() { clearTimeout(timer); timer = setTimeout(() => render(), 250); }

  async function render({ announce = false } = {}) {
    const my = ++seq;
    const out = $("pinned-out");
    const pinned = st.cases.map((c, i) => ({ c, i })).filter((x) => x.c.pinned);
    const status = $("pin-count");
    if (status) status.textContent = pinned.length ? t("pinCount", { n: pinned.length, max: MAX_PINNED }) : "";
    $("pinned-link").hidden = pinned.length < 2;
    if (!pinned.length) {
      out.replaceChildren(el("p", { class: "note", text: t("pinnedEmpty") }));
      if (announce) $("pinned-live").textContent = t("pinnedEmpty");
      return;
    }
    const skipped = [];
    const ready = [];
    for (const x of pinned) {
      if (hasNoBill(x.c)) skipped.push(t("pinnedSkipped", { name: nameOf(x.c), why: t("pinnedNoBill") }));
      else if (inputProblems(x.c).length) skipped.push(t("pinnedSkipped", { name: nameOf(x.c), why: t("pinnedFix") }));
      else ready.push(x);
    }
    const notes = skipped.map((s) => el("p", { class: "note pinned-skipped", text: s }));
    if (!ready.length) { out.replaceChildren(...notes); return; }
    try { await planning(); } catch (e) { out.replaceChildren(el("p", { class: "error", text: `${errorSentence(e.code || "internal", st.lang)} (${e.code || "internal"})` })); return; }
    if (my !== seq) return; // a newer render is on its way
    const docs = ready.map((x) => buildCase(x.c));
    let cmp;
    try {
      cmp = engine.compare({ base: docs[0], variants: ready.slice(1).map((x, k) => ({ label: String(x.i), patch: mergePatch(docs[0], docs[k + 1]) })), includeEstimates: true });
    } catch (e) {
      const m = /^\$\.variants\[(\d+)\]/.exec(e.path || "");
      const who = m ? ready[Number(m[1]) + 1] : ready[0];
      out.replaceChildren(...notes, el("p", { class: "error", text: t("pinnedFailed", { name: nameOf(who.c), msg: `${errorSentence(e.code, st.lang)} (${e.code})` }) }));
      return;
    }
    const cols = [{ x: ready[0], r: cmp.base }, ...ready.slice(1).map((x, k) => ({ x, r: cmp.variants[k] }))];
    const ref = nameOf(ready[0].c);
    // a range only where its ends differ (as the answer above shows it)
    const range = (r) => { const g = r.estimate?.range; return g && compareDecimal(g.low, g.high) !== 0 ? g : null; };
    const anyRange = cols.some((col) => range(col.r));
    // every layer any scenario has, in the order they settle
    const layers = [];
    for (const col of cols) for (const l of col.r.summary.layers) if (!layers.some((x) => x.id === l.id)) layers.push(l);
    const anyPremium = cols.some((col) => !zero(col.r.summary.premiums));

    const focusKey = out.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    const head = el("tr", {}, el("th", { scope: "col", class: "item-col", text: t("pinnedItem") }), ...cols.map((col, k) => {
      const c = col.x.c;
      const name = nameOf(c);
      const diffs = k ? changes(ready[0].c, c) : [];
      const editing = col.x.i === st.current;
      return el("th", { scope: "col", class: `scenario-col${editing ? " editing" : ""}`, "data-case": String(col.x.i) },
        el("span", { class: "scenario-name", text: name }),
        k === 0 ? el("span", { class: "tag", text: t("pinnedReference") }) : null,
        editing ? el("span", { class: "tag editing-tag", text: t("pinnedEditing") }) : null,
        k ? (diffs.length ? el("ul", { class: "changes-list" }, ...diffs.slice(0, 6).map((d) => el("li", { text: d })), diffs.length > 6 ? el("li", { text: "…" }) : null) : el("p", { class: "changes-list", text: t("pinnedSame") })) : null,
        el("span", { class: "col-actions" },
          k ? el("button", { type: "button", class: "secondary small", "data-focus": `ref-${col.x.i}`, text: t("pinnedMakeRef"), "aria-label": t("pinnedMakeRefLabel", { name }), onclick: () => makeReference(col.x.i) }) : null,
          editing ? null : el("button", { type: "button", class: "secondary small", "data-focus": `edit-${col.x.i}`, text: t("pinnedEdit", { name: "" }).trim(), "aria-label": t("pinnedEdit", { name }), onclick: () => selectCase(col.x.i) }),
          el("button", { type: "button", class: "secondary small", "data-focus": `unpin-${col.x.i}`, text: t("pinnedUnpin", { name: "" }).trim(), "aria-label": t("pinnedUnpin", { name }), onclick: () => { c.pinned = false; persist(); renderCases(); render({ announce: true }); } })));
    }));
    const money = (v, r) => (r ? fill("amount.range", st.lang, { low: M(r.low), high: M(r.high) }) : M(v));
    const diffLine = (col, k, field) => {
      if (!k) return null;
      const d = col.r.difference[field];
      const about = anyRange && (range(col.r) || range(cols[0].r)) ? `${t("pinnedAbout")} ` : "";
      const key = zero(d) ? "pinnedEqual" : String(d).startsWith("-") ? "pinnedLess" : "pinnedMore";
      return el("span", { class: `diff ${key}`, "data-diff": d, text: `${key === "pinnedEqual" ? "" : about}${t(key, { ref, amount: M(String(d).replace(/^-/, "")) })}` });
    };
    const rows = [];
    rows.push(el("tr", {}, el("th", { scope: "row", text: t("totalBill") }), ...cols.map((col, k) => el("td", { class: "money", "data-amount": col.r.summary.total },
      M(col.r.summary.total), k && !zero(col.r.difference.total) ? el("small", { class: "diff", "data-diff": col.r.difference.total, text: ` (${signed(col.r.difference.total)})` }) : null))));
    rows.push(el("tr", { class: "patient" }, el("th", { scope: "row", text: t("familyShare") }), ...cols.map((col, k) => el("td", { class: "money fam", "data-amount": col.r.summary.family },
      el("strong", { text: money(col.r.summary.family, range(col.r)) }), diffLine(col, k, "family")))));
    for (const l of layers) {
      rows.push(el("tr", { "data-layer": l.id }, el("th", { scope: "row", text: L(l.name) }), ...cols.map((col, k) => {
        const x = col.r.summary.layers.find((y) => y.id === l.id);
        const d = k ? col.r.difference.layers[l.id] : undefined;
        return el("td", { class: "money", "data-amount": x?.paid ?? "" }, x ? M(x.paid) : "—",
          d !== undefined && !zero(d) ? el("small", { class: "diff", "data-diff": d, text: ` (${signed(d)})` }) : null,
          x && x.status !== "eligible" ? el("small", { class: `status ${x.status}`, text: t(x.status) }) : null);
      })));
    }
    if (anyPremium) {
      rows.push(el("tr", {}, el("th", { scope: "row", text: t("pinnedPremiums") }), ...cols.map((col, k) => el("td", { class: "money", "data-amount": col.r.summary.premiums }, M(col.r.summary.premiums),
        k && !zero(col.r.difference.premiums) ? el("small", { class: "diff", "data-diff": col.r.difference.premiums, text: ` (${signed(col.r.difference.premiums)})` }) : null))));
      rows.push(el("tr", { class: "patient" }, el("th", { scope: "row", text: t("pinnedTotalCost") }), ...cols.map((col, k) => el("td", { class: "money", "data-amount": col.r.summary.familyTotalCost },
        el("strong", { text: M(col.r.summary.familyTotalCost) }), diffLine(col, k, "familyTotalCost")))));
    }
    const editingAt = cols.findIndex((col) => col.x.i === st.current);
    if (editingAt >= 0) for (const tr of rows) tr.children[editingAt + 1]?.classList.add("editing");
    // the caption said above the table too, where a phone's sideways scroll does not cut it
    const captionText = cols.length > 1 ? t("pinnedCaption", { ref }) : t("pinnedOne");
    const table = el("table", { class: `side-by-side n${cols.length}` }, el("caption", { class: "sr-only", text: captionText }), el("thead", {}, head), el("tbody", {}, ...rows));
    if (cols.length > 1 && ready.some((x) => splitUnknownWithoutTypical(x.c))) notes.push(el("p", { class: "note", text: t("pinnedSplitNote") }));
    if (anyRange) notes.push(el("p", { class: "note", text: t("pinnedRangeNote") }));
    out.replaceChildren(el("p", { class: "note pinned-caption", "aria-hidden": "true", text: captionText }), el("div", { class: "scroll", tabindex: "0", role: "region", "aria-labelledby": "h-pinned" }, table), ...notes);
    // the focus stays on the control it was on (or the heading when that column went away)
    if (focusKey !== null && focusKey !== undefined) {
      const again = out.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`);
      (again || $("h-pinned")).focus();
    }
    if (announce) $("pinned-live").textContent = t("pinnedUpdated", { summary: cols.map((col) => t("pinnedColumn", { name: nameOf(col.x.c), amount: money(col.r.summary.family, range(col.r)) })).join(t("listSep")) });
  }

  return { render, refresh, changes, MAX: MAX_PINNED };
}
