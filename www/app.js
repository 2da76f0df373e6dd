// The minimal page: pick an embedded pack, run one estimate, show each layer and what the
// patient pays. Plain ES module, no bundler. The engine does all money arithmetic; this file
// only moves strings between the form and the engine and formats them for display.

import { init, ready, estimate, listPacks, versions } from "./pkg/index.js";

// ---- constants
const LANG = "zh";
const STATUS_TEXT = {
  eligible: "",
  ineligible: "不符合条件 not eligible",
  needs_information: "需要更多信息 needs information",
};

// ---- DOM
const $ = (id) => document.getElementById(id);
const form = $("case-form");
const packSelect = $("pack");
const schemeSelect = $("scheme");
const groupSelect = $("group");
const levelSelect = $("level");
const dateInput = $("date");
const amountInput = $("amount");
const runButton = $("run");
const statusLine = $("status");
const resultSection = $("result");

let packs = [];

// ---- helpers
function name(text) {
  return (text && (text[LANG] || text.en)) || "";
}

// Formats a decimal string such as "45400.00" with thousands separators, by splitting the
// string: no number parsing, so no rounding can creep in.
function yuan(decimal) {
  const [whole, frac = "00"] = String(decimal).split(".");
  return `¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac.padEnd(2, "0")}`;
}

function fillSelect(select, options) {
  select.replaceChildren(
    ...options.map(({ value, label }) => {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = label;
      return o;
    }),
  );
}

function setStatus(text, isError = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", isError);
}

// ---- render
function renderPackChoices() {
  const regions = packs.filter((p) => p.kind === "region");
  fillSelect(
    packSelect,
    regions.map((p) => ({ value: p.id, label: `${name(p.name)}（${p.id}）` })),
  );
  renderPack();
}

function currentPack() {
  return packs.find((p) => p.id === packSelect.value);
}

function renderPack() {
  const pack = currentPack();
  if (!pack) return;
  $("pack-note").textContent =
    `规则截至 rules as of ${pack.rulesAsOf} · 数据版本 ${pack.version}` +
    (pack.lowestGrade ? ` · 最低来源等级 lowest source grade ${pack.lowestGrade}` : "");
  fillSelect(schemeSelect, pack.schemes.map((s) => ({ value: s.id, label: name(s.name) })));
  fillSelect(levelSelect, pack.levels.map((l) => ({ value: l.id, label: name(l.name) })));
  dateInput.value = pack.coversFrom && pack.coversFrom > pack.rulesAsOf ? pack.coversFrom : pack.rulesAsOf;
  renderGroups();
}

function renderGroups() {
  const scheme = currentPack()?.schemes.find((s) => s.id === schemeSelect.value);
  fillSelect(groupSelect, (scheme?.groups || []).map((g) => ({ value: g.id, label: name(g.name) })));
}

function renderEstimate(e) {
  $("total").textContent = yuan(e.total);
  $("patient").textContent = yuan(e.patient.total);
  $("in-scope").textContent = yuan(e.patient.inScope);
  $("out-of-scope").textContent = yuan(e.patient.outOfScope);
  $("layers").replaceChildren(
    ...e.layers.map((layer) => {
      const tr = document.createElement("tr");
      tr.dataset.layer = layer.id;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name(layer.name);
      const note = STATUS_TEXT[layer.outcome?.status] || "";
      if (note) {
        const span = document.createElement("span");
        span.className = "outcome";
        const reason = name(layer.outcome.reason);
        span.textContent = ` · ${note}${reason ? `：${reason}` : ""}`;
        th.append(span);
      }
      const td = document.createElement("td");
      td.className = "money";
      td.textContent = `−${yuan(layer.paid)}`;
      tr.append(th, td);
      return tr;
    }),
  );
  resultSection.hidden = false;
}

// ---- actions
function buildCase() {
  const encounter = {
    date: dateInput.value,
    setting: "inpatient",
    items: [{ amount: amountInput.value.trim(), class: "a" }],
  };
  if (levelSelect.value) encounter.level = levelSelect.value;
  return {
    pack: packSelect.value,
    member: { scheme: schemeSelect.value, group: groupSelect.value },
    encounters: [encounter],
  };
}

async function run(event) {
  event.preventDefault();
  try {
    const result = estimate(buildCase());
    renderEstimate(result);
    setStatus("");
  } catch (e) {
    resultSection.hidden = true;
    if (e.fatal) {
      setStatus("计算引擎出错，正在重新加载，请再试一次。The engine crashed and is reloading; please try again.", true);
      await ready();
      setStatus("已重新加载 Reloaded.");
    } else {
      setStatus(`无法估算 Cannot estimate: ${e.code || ""} ${e.path || ""} — ${e.detail || e.message}`, true);
    }
  }
}

async function start() {
  try {
    await init();
  } catch (e) {
    setStatus(`计算引擎加载失败 The engine failed to load: ${e.message}`, true);
    return;
  }
  packs = listPacks();
  const v = versions();
  $("versions").textContent = `engine ${v.engine} · data ${v.data}`;
  renderPackChoices();
  packSelect.addEventListener("change", renderPack);
  schemeSelect.addEventListener("change", renderGroups);
  form.addEventListener("submit", run);
  runButton.disabled = false;
  setStatus("");
  document.documentElement.dataset.ready = "true";
}

start();
