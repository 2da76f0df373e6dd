// <tiercost-estimate>: what a bill costs a patient after every paying layer, with a charity
// portal's own programme on top, in a Shadow DOM the host page's CSS cannot reach.
//
//   <script type="module" src="/tiercost/widget/tiercost-widget.js"></script>
//   <tiercost-estimate pack="cn-wuhan" lang="zh" layout="full" amount="80000">
//     <script type="application/json">{ "id": "…", "kind": "programme", … }</script>
//   </tiercost-estimate>
//
// Attributes, events and theme variables: docs/EMBED.md. The engine (../pkg/) is loaded when
// the element first comes near the viewport. Everything is computed on this device; the only
// requests are for the widget's own files (and a same-origin `programme-src`, if given).
// All text goes in through textContent; nothing here evaluates code.

import { CSS } from "./styles.js";
import {
  TEXT,
  langOf,
  pick,
  yuan,
  today,
  buildCase,
  summarise,
  describeError,
  errorLines,
  inputProblems,
  inputMessage,
  contrast,
  readableOn,
  SPLITS,
  fill,
} from "./core.js";

const ENGINE_URL = new URL("../pkg/index.js", import.meta.url).href;
const EMBED_URL = new URL("../embed.html", import.meta.url).href;
let enginePromise = null;

/** Loads the engine once for every widget on the page. */
export function loadEngine() {
  enginePromise ??= import(ENGINE_URL).then(async (m) => {
    await m.init();
    return m;
  });
  enginePromise.catch(() => {
    enginePromise = null; // let a later widget try again
  });
  return enginePromise;
}

let sheet = null;
function adoptStyles(root) {
  try {
    sheet ??= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    style.textContent = CSS;
    root.append(style);
  }
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

const ATTRS = [
  "pack",
  "lang",
  "layout",
  "programme",
  "programme-src",
  "amount",
  "scheme",
  "group",
  "level",
  "date",
  "household-size",
  "household-income",
  "category",
  "diagnoses",
  "enrolments",
  "split",
  "heading",
];

let counter = 0;

export class TiercostEstimate extends HTMLElement {
  static observedAttributes = ATTRS;

  #root;
  #started = false;
  #observer = null;
  #generation = 0;
  #programme = null; // { doc | id, name, notes[] }
  #packInfo = null;
  #engine = null;
  #ui = null;
  #uid = ++counter;
  /** The last summary sent with `tiercost:estimate` (null before the first). */
  lastSummary = null;
  /** The last error sent with `tiercost:error` (null if none). */
  lastError = null;
  #programmeJson = null;

  /**
   * The programme as JSON text, set from script (embed.html, the playground). Takes
   * precedence over a JSON child and the attributes; setting it again re-renders. A page that
   * enforces Trusted Types cannot write a <script> child from script, so this is the way.
   */
  get programmeJson() {
    return this.#programmeJson;
  }

  set programmeJson(text) {
    const next = text == null ? null : String(text);
    if (next === this.#programmeJson) return;
    this.#programmeJson = next;
    if (this.#started) this.#setup();
  }

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    adoptStyles(this.#root);
  }

  connectedCallback() {
    if (this.#started) return;
    this.#dropFallback();
    this.#placeholder(TEXT[this.#lang].waiting);
    if (this.getAttribute("loading") === "eager" || typeof IntersectionObserver !== "function") {
      this.#start();
      return;
    }
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) this.#start();
      },
      { rootMargin: "300px" },
    );
    this.#observer.observe(this);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    this.#observer = null; // connectedCallback observes again if it is put back unstarted
  }

  attributeChangedCallback(name, before, after) {
    if (!this.#started || before === after) return;
    this.#setup();
  }

  /** Runs the estimate with the form's current values (as the button does). */
  run() {
    this.#estimate();
  }

  /** Re-reads the theme variables (after the host page changes them). */
  refreshTheme() {
    this.#applyTheme();
  }

  // What the host page put inside the element for browsers where it never upgrades (its module
  // could not load, scripts are off): a message, a link to the iframe form, a <noscript>. It
  // shows until this upgrade; now the element draws its own box, so it goes. The programme's
  // JSON child stays (it is read later).
  #dropFallback() {
    for (const node of [...this.childNodes]) {
      const json = node.nodeType === Node.ELEMENT_NODE && node.localName === "script" && (node.type || "").toLowerCase() === "application/json";
      if (!json) node.remove();
    }
  }

  /**
   * The iframe form of this element (embed.html beside the widget's files, with the same
   * attributes and the programme in the fragment): where the visitor can still get an
   * estimate when this page cannot load the engine. (A `programme-src` is on this page's
   * origin, which the frame cannot read: it is left out.)
   */
  frameUrl() {
    const url = new URL(EMBED_URL);
    for (const name of ATTRS) {
      const v = this.getAttribute(name);
      if (name !== "programme-src" && v != null && v !== "") url.searchParams.set(name, v);
    }
    if (!this.getAttribute("lang")) url.searchParams.set("lang", this.#lang);
    const child = [...this.children].find((c) => c.localName === "script" && (c.type || "").toLowerCase() === "application/json");
    let text = this.#programmeJson ?? child?.textContent ?? null;
    if (text != null) {
      try {
        text = JSON.stringify(JSON.parse(text));
      } catch {
        /* sent as written: the frame shows what is wrong with it */
      }
      const bytes = new TextEncoder().encode(text);
      let bin = "";
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      url.hash = `programme=${btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
    }
    return url.href;
  }

  get #lang() {
    return langOf(this.getAttribute("lang") || this.closest("[lang]")?.getAttribute("lang"));
  }

  get #compact() {
    return this.getAttribute("layout") === "compact";
  }

  #start() {
    if (this.#started) return;
    this.#started = true;
    this.#observer?.disconnect();
    this.#observer = null;
    this.#setup();
  }

  #placeholder(message) {
    const box = el("div", { class: "tc", lang: this.#lang === "en" ? "en" : "zh-CN" });
    box.append(el("p", { class: "muted", text: message }));
    this.#root.replaceChildren(box);
  }

  async #setup() {
    const generation = ++this.#generation;
    const t = TEXT[this.#lang];
    this.#placeholder(t.loading);
    this.setAttribute("aria-busy", "true");
    this.lastError = null;
    try {
      this.#engine = await loadEngine();
    } catch (e) {
      if (generation !== this.#generation) return;
      this.#fail("engine", { code: "engine_unavailable", path: "$", message: String(e?.message || e), problems: [] });
      return;
    }
    let programme;
    try {
      programme = await this.#readProgramme();
    } catch (e) {
      if (generation !== this.#generation) return;
      this.#fail("programme", describeError(e));
      return;
    }
    if (generation !== this.#generation) return;
    this.#programme = programme;
    const packId = this.getAttribute("pack") || "cn-national";
    const packs = this.#engine.listPacks();
    this.#packInfo = packs.find((p) => p.id === packId && p.kind !== "programme") || null;
    if (!this.#packInfo) {
      this.#fail("input", {
        code: "unknown_pack",
        path: "pack",
        message: `no regional pack "${packId}"; available: ${packs
          .filter((p) => p.kind !== "programme")
          .map((p) => p.id)
          .join(", ")}`,
        problems: [],
      });
      return;
    }
    this.#render();
    this.removeAttribute("aria-busy");
    if (this.getAttribute("amount")) this.#estimate();
  }

  // The programme: a built-in id, a same-origin URL, or a JSON child. Validated by the engine;
  // throws a TiercostError-like object with code and path.
  async #readProgramme() {
    const id = this.getAttribute("programme");
    const src = this.getAttribute("programme-src");
    const child = [...this.children].find(
      (c) => c.localName === "script" && (c.type || "").toLowerCase() === "application/json",
    );
    let text = null;
    if (this.#programmeJson != null) {
      text = this.#programmeJson;
    } else if (child) {
      text = child.textContent;
    } else if (src) {
      const url = new URL(src, document.baseURI);
      if (url.origin !== location.origin) {
        throw Object.assign(new Error(`programme-src must be on this page's origin (${location.origin}), not ${url.origin}`), {
          code: "not_same_origin",
          path: "programme-src",
        });
      }
      let res;
      try {
        res = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
      } catch (e) {
        throw Object.assign(new Error(String(e)), { code: "fetch_failed", path: "programme-src" });
      }
      if (!res.ok) {
        throw Object.assign(new Error(`${res.status} ${url.pathname}`), { code: "fetch_failed", path: "programme-src" });
      }
      // A same-origin URL that redirected elsewhere (an open redirect on the host) is refused too.
      if (res.url && new URL(res.url).origin !== location.origin) {
        throw Object.assign(new Error(`programme-src redirected off this page's origin, to ${new URL(res.url).origin}`), {
          code: "not_same_origin",
          path: "programme-src",
        });
      }
      text = await res.text();
    } else if (id) {
      const found = this.#engine.listPacks().find((p) => p.id === id && p.kind === "programme");
      if (!found) {
        throw Object.assign(new Error(`no built-in programme "${id}"`), { code: "unknown_pack", path: "programme" });
      }
      return { id, ref: id, name: found.name, notes: [] };
    } else {
      return null;
    }
    // The engine reads the text itself, so a syntax error comes back with its position.
    const summary = this.#engine.validate(text);
    if (summary?.kind && summary.kind !== "programme") {
      throw Object.assign(new Error(`kind is "${summary.kind}"`), { code: "not_a_programme", path: "$.kind" });
    }
    const doc = JSON.parse(text);
    if (!doc || typeof doc !== "object" || doc.kind !== "programme") {
      throw Object.assign(new Error(`kind is "${doc?.kind}"`), { code: "not_a_programme", path: "$.kind" });
    }
    const notes = (Array.isArray(doc.layers) ? doc.layers : []).map((l) => ({ name: l.name, note: l.note }));
    return { id: doc.id, ref: doc, name: doc.name, notes };
  }

  #fail(stage, err) {
    this.removeAttribute("aria-busy");
    const t = TEXT[this.#lang];
    const lead = stage === "programme" ? t.programmeError : stage === "engine" ? t.engineError : t.inputError;
    const box = el("div", { class: "tc", lang: this.#lang === "en" ? "en" : "zh-CN" });
    const alert = el("div", { class: "error", role: "alert" });
    alert.append(el("strong", { text: `${t.error}: ${stage === "engine" ? lead.replace(/[:：]\s*$/, "") : lead}` }));
    if (stage !== "engine") {
      const list = el("ul");
      for (const line of errorLines(err, this.#lang, { author: stage === "programme" })) list.append(el("li", { text: line }));
      alert.append(list);
    } else {
      // Nothing the visitor typed is wrong (the details go to the console and the event).
      // Never a silently missing calculator: say so, and offer the iframe form.
      const p = el("p", { class: "unavailable", text: `${t.unavailable} ` });
      p.append(el("a", { href: this.frameUrl(), target: "_blank", rel: "noopener", text: t.openFrame }));
      alert.append(p);
    }
    box.append(alert);
    this.#root.replaceChildren(box);
    this.#ui = null;
    this.#reportError(stage, err);
  }

  #reportError(stage, err) {
    const detail = { stage, ...err };
    this.lastError = detail;
    console.error(`<tiercost-estimate> ${stage} error: ${err.code} at ${err.path}: ${err.message}`, detail);
    this.dispatchEvent(new CustomEvent("tiercost:error", { detail, bubbles: true, composed: true }));
  }

  #render() {
    const lang = this.#lang;
    const t = TEXT[lang];
    const pack = this.#packInfo;
    const compact = this.#compact;
    const id = (n) => `tc${this.#uid}-${n}`;
    const box = el("div", { class: compact ? "tc compact" : "tc", lang: lang === "en" ? "en" : "zh-CN" });

    const heading = this.getAttribute("heading") || (this.#programme ? pick(this.#programme.name, lang) : "");
    if (heading) box.append(el("h2", { text: heading }));

    const form = el("form", { novalidate: true, autocomplete: "off" });
    const field = (name, label, control) => {
      control.id = id(name);
      control.name = name;
      const wrap = el("div", { class: "field" });
      wrap.append(el("label", { for: id(name), text: label }), control);
      form.append(wrap);
      return control;
    };
    const ui = { form };
    ui.amount = field(
      "amount",
      t.amount,
      el("input", { type: "text", inputmode: "decimal", value: this.getAttribute("amount") || "", required: true }),
    );

    // Scheme and group as one choice.
    const schemeSel = el("select");
    for (const s of pack.schemes || []) {
      for (const g of s.groups || []) {
        const opt = el("option", { value: `${s.id}/${g.id}`, text: `${pick(s.name, lang)} · ${pick(g.name, lang)}` });
        schemeSel.append(opt);
      }
    }
    const wantScheme = `${this.getAttribute("scheme") || ""}/${this.getAttribute("group") || ""}`;
    const match = [...schemeSel.options].find(
      (o) => o.value === wantScheme || (this.getAttribute("scheme") && o.value.startsWith(`${this.getAttribute("scheme")}/`) && !this.getAttribute("group")),
    );
    // The page's default: the resident scheme where the pack has it, its first group.
    const resident = [...schemeSel.options].find((o) => o.value.startsWith("resident/"));
    if (match) schemeSel.value = match.value;
    else if (resident) schemeSel.value = resident.value;
    ui.scheme = schemeSel;

    const levelSel = el("select");
    for (const l of pack.levels || []) levelSel.append(el("option", { value: l.id, text: pick(l.name, lang) }));
    const levels = (pack.levels || []).map((l) => l.id);
    const wantLevel = this.getAttribute("level");
    levelSel.value = levels.includes(wantLevel) ? wantLevel : levels[levels.length - 1] || "";
    ui.level = levelSel;

    ui.date = el("input", { type: "date", value: this.getAttribute("date") || today() });
    ui.size = el("input", { type: "text", inputmode: "numeric", value: this.getAttribute("household-size") || "" });
    ui.income = el("input", { type: "text", inputmode: "decimal", value: this.getAttribute("household-income") || "" });

    const catSel = el("select");
    catSel.append(el("option", { value: "", text: t.categoryUnknown }), el("option", { value: "none", text: t.categoryNone }));
    for (const c of pack.categories || []) catSel.append(el("option", { value: c.id, text: pick(c.name, lang) }));
    const wantCat = this.getAttribute("category") ?? "none";
    if ([...catSel.options].some((o) => o.value === wantCat)) catSel.value = wantCat;
    ui.category = catSel;

    const splitSel = el("select");
    const wantSplit = (this.getAttribute("split") || "").replace(/\s/g, "");
    // Default as on the page: the pack's typical split, or a typical stay (50/35/15) without one.
    const splits = [{ value: "", zh: TEXT.zh.splitTypical, en: TEXT.en.splitTypical }, ...SPLITS];
    if (wantSplit && !splits.some((x) => x.value === wantSplit)) {
      splits.unshift({ value: wantSplit, zh: `甲/乙/丙 = ${wantSplit}`, en: `A/B/C = ${wantSplit}` });
    }
    for (const x of splits) splitSel.append(el("option", { value: x.value, text: x[lang] }));
    if (wantSplit) splitSel.value = wantSplit;
    ui.split = splitSel;

    if (!compact) {
      field("split", t.split, splitSel);
      field("scheme", t.scheme, schemeSel);
      field("level", t.level, levelSel);
      field("date", t.date, ui.date);
      field("category", t.category, catSel);
      field("household-size", t.householdSize, ui.size);
    }
    field("household-income", t.householdIncome, ui.income);

    // Products the family may hold (惠民保 and the like).
    ui.enrol = [];
    const preset = (this.getAttribute("enrolments") || "").split(",").map((x) => x.trim()).filter(Boolean);
    const enrollable = (pack.layers || []).filter((l) => l.enrol);
    if (!compact && enrollable.length) {
      const checks = el("div", { class: "checks" });
      for (const l of enrollable) {
        const box2 = el("input", { type: "checkbox", value: l.id });
        box2.checked = preset.includes(l.id);
        ui.enrol.push(box2);
        const lab = el("label");
        lab.append(box2, document.createTextNode(`${t.enrol} ${pick(l.name, lang)}`));
        checks.append(lab);
      }
      form.append(checks);
    }

    ui.button = el("button", { type: "submit", text: t.run });
    form.append(ui.button);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.#estimate();
    });
    box.append(form);

    ui.error = el("div", { class: "error", role: "alert", hidden: true });
    box.append(ui.error);

    ui.result = el("section", { class: "result", hidden: true, "aria-live": "polite" });
    box.append(ui.result);

    if (!compact && this.#programme?.notes?.length) {
      const notes = el("div", { class: "notes" });
      for (const n of this.#programme.notes) {
        if (!n.note) continue;
        notes.append(el("p", { class: "note", text: `${pick(n.name, lang)}: ${pick(n.note, lang)}` }));
      }
      if (notes.childElementCount) box.append(notes);
    }

    box.append(
      el("p", {
        class: "privacy",
        text: `${t.privacy} ${t.estimateNote} ${t.rulesAsOf} ${pack.rulesAsOf || ""} (${pick(pack.name, lang)} ${pack.version || ""})`,
      }),
    );
    this.#root.replaceChildren(box);
    this.#ui = ui;
    this.#applyTheme();
  }

  #values() {
    const ui = this.#ui;
    const [scheme, group] = (ui.scheme.value || "/").split("/");
    const list = (name) => (this.getAttribute(name) || "").split(",").map((x) => x.trim()).filter(Boolean);
    const enrolments = this.#compact ? list("enrolments") : ui.enrol.filter((c) => c.checked).map((c) => c.value);
    return {
      pack: this.#packInfo.id,
      scheme,
      group,
      level: ui.level.value,
      date: ui.date.value || today(),
      amount: ui.amount.value,
      split: this.#ui.split.value || (this.#packInfo.hasTypicalSplit ? "" : "0.5,0.35,0.15"),
      householdSize: ui.size.value,
      householdIncome: ui.income.value,
      category: ui.category.value,
      diagnoses: list("diagnoses"),
      enrolments,
    };
  }

  #estimate() {
    const ui = this.#ui;
    if (!ui || !this.#engine) return;
    const lang = this.#lang;
    const t = TEXT[lang];
    for (const input of [ui.amount, ui.income, ui.size]) input.removeAttribute("aria-invalid");
    ui.error.hidden = true;
    const values = this.#values();
    // What cannot be read as typed is said at its field, in the reader's words; the engine is
    // not asked, and the last answer is hidden (never shown as if it were current).
    const problems = inputProblems(values);
    if (problems.length) {
      const inputs = { amount: ui.amount, householdIncome: ui.income, householdSize: ui.size };
      for (const p of problems) inputs[p.field]?.setAttribute("aria-invalid", "true");
      ui.error.replaceChildren(el("strong", { text: t.inputError }), el("ul", {}, ...problems.map((p) => el("li", { text: inputMessage(p.error, lang) }))));
      ui.error.hidden = false;
      ui.result.hidden = true;
      const first = problems[0];
      this.#reportError("input", { code: first.field === "householdSize" ? "invalid_value" : "invalid_amount", path: first.field === "amount" ? "$.encounters[0].total" : `$.member.${first.field}`, message: inputMessage(first.error, "en"), problems: [] });
      return;
    }
    const theCase = buildCase(values, this.#programme?.ref ?? null);
    let result;
    try {
      result = this.#engine.estimate(theCase);
    } catch (e) {
      const err = describeError(e);
      const where = err.path || "";
      const bad = where.includes(".total") ? ui.amount : where.includes("householdIncome") ? ui.income : where.includes("householdSize") ? ui.size : null;
      bad?.setAttribute("aria-invalid", "true");
      ui.error.replaceChildren(el("strong", { text: t.inputError }));
      const list = el("ul");
      for (const line of errorLines(err, lang)) list.append(el("li", { text: line }));
      ui.error.append(list);
      ui.error.hidden = false;
      ui.result.hidden = true;
      this.#reportError(err.code === "internal" ? "engine" : "input", err);
      return;
    }
    const summary = summarise(result, this.#programme?.id ?? null);
    this.#showResult(summary);
    this.lastSummary = summary;
    this.lastError = null;
    this.dispatchEvent(new CustomEvent("tiercost:estimate", { detail: summary, bubbles: true, composed: true }));
  }

  #showResult(s) {
    const ui = this.#ui;
    const lang = this.#lang;
    const t = TEXT[lang];
    const statusText = (l) =>
      l.status === "ineligible"
        ? `${t.ineligible}${l.reason ? `: ${pick(l.reason, lang)}` : ""}`
        : l.status === "needs_information"
          ? `${t.needsInformation}${l.reason ? `: ${pick(l.reason, lang)}` : l.input ? `: ${l.input}` : ""}`
          : l.status === "not_enrolled"
            ? t.notEnrolled
            : l.status === "no_rules"
              ? `${t.noRules}${l.missing ? `: ${pick(l.missing, lang)}` : ""}`
              : "";

    const dl = el("dl", { class: "totals" });
    const row = (cls, label, value) => {
      dl.append(el("dt", { class: cls, text: label }), el("dd", { "data-value": cls, text: value }));
    };
    row("total", t.total, yuan(s.total, lang));
    if (!this.#compact) row("covered", t.covered, yuan(s.covered, lang));
    if (s.programme) {
      const mine = s.programme.paid != null ? yuan(s.programme.paid, lang) : s.programme.layers.map((l) => yuan(l.paid, lang)).join(" + ");
      row("share", t.programmeShare, mine);
    }
    const ranged = s.range && s.range.low !== s.range.high;
    const answer = ranged ? fill("amount.range", lang, { low: yuan(s.range.low, lang), high: yuan(s.range.high, lang) }) : yuan(s.remainder, lang);
    row("remainder", t.remainder, answer);
    const parts = [dl];
    if (s.range) {
      const names = s.range.undecided.map((u) => pick(u.name, lang)).join(t.listSep);
      // The page's sentences (lib/explain-text.js), so a family reads the same words in both.
      const words = [fill(ranged ? "undecided.lead" : "undecided.leadSame", lang, { layers: names, range: answer })];
      if (ranged) words.push(fill("undecided.ends", lang, {}));
      if (s.range.undecided.some((u) => u.nationalFloor)) words.push(fill("undecided.nationalFloor", lang, {}));
      words.push(fill("undecided.askWhere", lang, {}));
      parts.push(el("p", { class: "note undecided", "data-undecided": s.range.undecided.map((u) => u.layer).join(" "), text: words.join(lang === "zh" ? "" : " ") }));
    }

    if (s.programme && s.programme.status && s.programme.status !== "eligible") {
      const mineLayer = s.layers.find((l) => l.pack === s.programme.id);
      parts.push(el("p", { class: "note", text: statusText(mineLayer) }));
    }

    if (!this.#compact) {
      const table = el("table");
      const head = el("tr");
      head.append(el("th", { scope: "col", text: t.layer }), el("th", { scope: "col", class: "num", text: t.paid }), el("th", { scope: "col", text: t.status }));
      table.append(el("thead", {}, head));
      const body = el("tbody");
      for (const l of s.layers) {
        const tr = el("tr", { class: s.programme && l.pack === s.programme.id ? "mine" : null, "data-layer": l.id });
        tr.append(el("td", { text: pick(l.name, lang) }), el("td", { class: "num", text: yuan(l.paid, lang) }), el("td", { text: statusText(l) }));
        body.append(tr);
      }
      table.append(body);
      parts.push(table);
      if (s.warnings.length) {
        const ul = el("ul", { class: "warnings", "aria-label": t.warnings });
        for (const w of s.warnings) ul.append(el("li", { text: pick(w.message, lang) }));
        parts.push(ul);
      }
    }
    ui.result.replaceChildren(...parts);
    ui.result.hidden = false;
  }

  // Keeps the theme readable: wherever a foreground/background pair the portal chose is below
  // 4.5:1, the foreground becomes black or white, whichever reads better.
  #applyTheme() {
    const box = this.#root.querySelector(".tc");
    if (!box) return;
    for (const v of ["--_text", "--_muted", "--_on-accent", "--_accent-text"]) box.style.removeProperty(v);
    const cs = getComputedStyle(box);
    const get = (name) => cs.getPropertyValue(name).trim();
    const bg = get("--_bg") || "#ffffff";
    const text = get("--_text");
    const muted = get("--_muted");
    const accent = get("--_accent");
    if ((contrast(text, bg) ?? 21) < 4.5) box.style.setProperty("--_text", readableOn(bg));
    const textNow = getComputedStyle(box).getPropertyValue("--_text").trim();
    if ((contrast(muted, bg) ?? 21) < 4.5) box.style.setProperty("--_muted", textNow);
    box.style.setProperty("--_on-accent", readableOn(accent));
    if ((contrast(accent, bg) ?? 21) < 4.5) box.style.setProperty("--_accent-text", textNow);
  }
}

if (!customElements.get("tiercost-estimate")) {
  customElements.define("tiercost-estimate", TiercostEstimate);
}
