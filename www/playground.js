// The programme playground: portal staff paste or edit their programme JSON, see the engine's
// validation problems with their JSON paths and a plain explanation, try the programme in a
// live <tiercost-estimate> on sample cases, and copy the embed snippet in both forms.
// Everything runs on this device; the only requests are for this site's own files.
import { loadEngine } from "./widget/tiercost-widget.js";
import { EXPLAIN, describeError, pick, yuan, themeValue } from "./widget/core.js";

const $ = (id) => document.getElementById(id);
const TEMPLATES = [
  ["template-remainder-capped", "剩余费用按比例补助并封顶 · a share of the remainder, capped"],
  ["template-income-tiered", "按收入分档自付 · income-tiered self-pay"],
  ["template-fixed-grant", "定额救助 · fixed grant"],
  ["template-copay-pool", "共付池 · co-payment pool"],
];
const SAMPLES = [
  {
    label: "住院 8 万元，三级医院，城乡居民，3 口之家年收入 6 万 · inpatient ¥80,000, 3 people, income ¥60,000",
    attrs: { scheme: "resident", group: "adult", level: "level3", amount: "80000", "household-size": "3", "household-income": "60000", category: "none" },
  },
  {
    label: "癌症住院 30 万元，低保家庭 2 人年收入 2 万 · cancer, ¥300,000, 低保, 2 people, income ¥20,000",
    attrs: { scheme: "resident", group: "adult", level: "level3", amount: "300000", "household-size": "2", "household-income": "20000", category: "minimum_living", diagnoses: "cancer" },
  },
  {
    label: "老年居民住院 5 万元，二级医院，2 人年收入 15 万 · elderly, ¥50,000, level 2, income ¥150,000",
    attrs: { scheme: "resident", group: "elderly", level: "level2", amount: "50000", "household-size": "2", "household-income": "150000", category: "none" },
  },
  {
    label: "收入未填 · income not given (the programme may need it)",
    attrs: { scheme: "resident", group: "adult", level: "level3", amount: "120000", category: "none" },
  },
];

let engine = null;
let valid = false;
let timer = 0;

function el(tag, text, cls) {
  const n = document.createElement(tag);
  if (text != null) n.textContent = text;
  if (cls) n.className = cls;
  return n;
}

/** Offset in `text` of "line L column C" (1-based), or null. */
function offsetOf(text, message) {
  const m = /line (\d+) column (\d+)/.exec(message || "");
  if (!m) return null;
  const lines = text.split("\n");
  const line = Math.min(Number(m[1]), lines.length);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  return Math.min(offset + Math.max(Number(m[2]) - 1, 0), text.length);
}

function showProblems(err, text) {
  const box = el("div", null, "problems");
  const list = err.problems?.length ? err.problems : [err];
  box.append(el("strong", `发现 ${list.length} 个问题 · ${list.length} problem${list.length === 1 ? "" : "s"}`));
  const ul = el("ul");
  for (const p of list) {
    const li = el("li");
    li.append(el("code", p.path || "$"), document.createTextNode(" — "));
    const plain = EXPLAIN[p.code];
    li.append(document.createTextNode(plain ? `${plain.zh} · ${plain.en}` : p.code));
    li.append(el("br"), el("small", `[${p.code}] ${p.message || ""}`));
    const at = offsetOf(text, p.message);
    if (at != null) {
      const jump = el("button", "跳到此处 show", "link");
      jump.type = "button";
      jump.addEventListener("click", () => {
        const area = $("programme");
        area.focus();
        area.setSelectionRange(at, Math.min(at + 1, area.value.length));
      });
      li.append(document.createTextNode(" "), jump);
    }
    ul.append(li);
  }
  box.append(ul);
  $("validation").replaceChildren(box);
}

function check() {
  const text = $("programme").value;
  const area = $("programme");
  try {
    const summary = engine.validate(text);
    // `validate` recognises packs, programmes, cases and plans: say which one this is.
    const what = summary.document || summary.kind;
    if (what !== "programme") {
      throw Object.assign(new Error(`this is a ${what === "pack" ? `pack (kind "${summary.kind}")` : what}, not a programme`), { code: "not_a_programme", path: "$.kind" });
    }
    valid = true;
    area.removeAttribute("aria-invalid");
    const ok = el("p", null, "ok");
    ok.textContent = `✓ 规则有效 Valid: ${pick(summary.name, "zh")} / ${pick(summary.name, "en")} · ${summary.layers.length} 层 layer(s): ${summary.layers
      .map((l) => `${l.id} (${l.kind})`)
      .join(", ")} · 生效自 from ${summary.coversFrom || "?"} · 最低来源等级 lowest source grade ${summary.lowestGrade || "?"}`;
    $("validation").replaceChildren(ok);
  } catch (e) {
    valid = false;
    area.setAttribute("aria-invalid", "true");
    showProblems(describeError(e), text);
  }
  preview();
  snippets();
}

function widgetAttrs() {
  const sample = SAMPLES[Number($("sample").value) || 0];
  return { pack: $("pack").value, lang: $("lang").value, layout: $("layout").value, ...sample.attrs };
}

// The theme a portal tries here: what differs from the defaults, each value as the widget
// accepts it (core.js themeValue: the same check the element and the iframe apply).
const THEME_DEFAULTS = { accent: "#0b6e4f", "font-size": "16", radius: "8" };
function theme() {
  const out = {};
  for (const [key, def] of Object.entries(THEME_DEFAULTS)) {
    const raw = $(`theme-${key}`).value.trim();
    if (raw === "" || raw.toLowerCase() === def) continue;
    const v = themeValue(key, raw);
    if (v) out[key] = raw;
  }
  return out;
}

function preview() {
  const box = $("preview");
  $("preview-event").textContent = "";
  if (!valid) {
    box.replaceChildren(el("p", "修正上面的问题后在此试算。 Fix the problems above to try the programme here.", "help"));
    return;
  }
  const w = document.createElement("tiercost-estimate");
  w.setAttribute("loading", "eager");
  for (const [k, v] of Object.entries(widgetAttrs())) w.setAttribute(k, v);
  for (const [k, v] of Object.entries(theme())) w.style.setProperty(`--tiercost-${k}`, themeValue(k, v));
  // A property, not a JSON <script> child: this page enforces Trusted Types.
  w.programmeJson = $("programme").value;
  w.addEventListener("tiercost:estimate", (e) => {
    const s = e.detail;
    const share = s.programme?.paid != null ? yuan(s.programme.paid) : "—";
    $("preview-event").textContent = `tiercost:estimate → 项目支付 programme pays ${share} · 剩余自付 remainder ${yuan(s.remainder)} · 状态 status ${s.programme?.status ?? "—"}`;
  });
  w.addEventListener("tiercost:error", (e) => {
    $("preview-event").textContent = `tiercost:error → ${e.detail.code} at ${e.detail.path}`;
  });
  box.replaceChildren(w);
}

const attr = (s) => String(s).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** base64url of the text's UTF-8 bytes. */
function base64url(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// The build's manifest of every file the widget loads (www/pkg/integrity.json, written by
// www/widget/sri.mjs): with "pin every file", snippet A starts with an import map giving each
// module's hash, and says which 'sha256-…' the host's CSP must allow for that inline block.
let manifest = null;
async function loadManifest() {
  try {
    const res = await fetch("pkg/integrity.json", { cache: "no-cache" });
    manifest = res.ok ? await res.json() : null;
  } catch {
    manifest = null;
  }
  $("pin").disabled = !manifest;
  snippets();
}

/** The import map's text for files at `base` (the same text `sri.mjs --importmap` prints). */
function importMapText(base) {
  const integrity = {};
  for (const f of manifest.modules) if (f !== "widget/tiercost-widget.js") integrity[new URL(f, `${base}/`).href] = manifest.files[f];
  // "<" as \u003c: nothing in the block can close the <script> (URLs percent-encode it anyway).
  return JSON.stringify({ integrity }, null, 2).replace(/</g, "\\u003c");
}

async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  let bin = "";
  for (const b of new Uint8Array(digest)) bin += String.fromCharCode(b);
  return btoa(bin);
}

let integrity = null;
async function computeIntegrity() {
  try {
    const res = await fetch("widget/tiercost-widget.js", { cache: "no-cache" });
    const digest = await crypto.subtle.digest("SHA-384", await res.arrayBuffer());
    let bin = "";
    for (const b of new Uint8Array(digest)) bin += String.fromCharCode(b);
    integrity = `sha384-${btoa(bin)}`;
  } catch {
    integrity = null; // crypto.subtle needs a secure context (https or localhost)
  }
  snippets();
}

function snippets() {
  const base = ($("base").value || "").replace(/\/+$/, "");
  const { pack, lang, layout } = widgetAttrs();
  const text = $("programme").value.trim();
  // Inside <script type="application/json">, "<" is written \u003c so no "</script>" or
  // "<!--" in a string can end the block; JSON reads it back as the same character.
  const json = text.replace(/</g, "\\u003c");
  const sri = integrity ? ` integrity="${integrity}" crossorigin="anonymous"` : ` crossorigin="anonymous"`;
  let pin = "";
  let mapText = null;
  if (valid && $("pin").checked && manifest) {
    try {
      mapText = importMapText(base);
      pin = `<script type="importmap">${mapText}</script>\n`;
    } catch {
      pin = "<!-- 先填写有效的文件地址 Enter a valid address for the files first -->\n";
    }
  }
  const host = $("host").value.trim();
  let hostOrigin = "";
  try {
    hostOrigin = host ? new URL(host).origin : "";
  } catch {
    hostOrigin = "";
  }
  const q = new URLSearchParams({ pack, lang, layout });
  if (hostOrigin) q.set("host", hostOrigin);
  const th = theme();
  for (const [k, v] of Object.entries(th)) q.set(k, v);
  // The element takes the theme from the host's stylesheet (CSS custom properties).
  const css = Object.entries(th).map(([k, v]) => `--tiercost-${k}: ${themeValue(k, v)};`).join(" ");
  const cssNote = css ? `<!-- 在贵网站的样式表里加上 Add to your stylesheet: tiercost-estimate { ${css} } -->\n` : "";
  let minified = text;
  try {
    minified = JSON.stringify(JSON.parse(text));
  } catch {
    /* invalid: the snippet is not shown */
  }
  const src = `${base}/embed.html?${q}#programme=${base64url(minified)}`;
  // Fallback content: shown by the browser until the element upgrades, and for good when its
  // module cannot load (no CORS on the files' server, offline, blocked): a way to the iframe form.
  const fallback =
    lang === "en"
      ? `<p>The cost calculator is loading. If it does not appear, <a href="${attr(src)}" target="_blank" rel="noopener">open it here</a>.</p>`
      : `<p>医疗费用计算器正在加载。如果没有出现，<a href="${attr(src)}" target="_blank" rel="noopener">请在这里打开</a>。</p>`;
  $("snippet-element").value = valid
    ? cssNote +
      pin +
      `<script type="module" src="${attr(base)}/widget/tiercost-widget.js"${sri}></script>\n` +
      `<tiercost-estimate pack="${attr(pack)}" lang="${attr(lang)}" layout="${attr(layout)}">\n` +
      `  <script type="application/json">\n${json}\n  </script>\n` +
      // Shown until the element upgrades (and for good if its files cannot load here).
      `  ${fallback}\n</tiercost-estimate>`
    : "（规则有误，先修正 Fix the rules first）";
  if (mapText) {
    // The CSP hash of the inline import map, added once computed (if nothing changed since).
    const shown = $("snippet-element").value;
    sha256(mapText).then(
      (h) => {
        if ($("snippet-element").value === shown) {
          $("snippet-element").value = `<!-- CSP: script-src 'sha256-${h}' (this import map is an inline script) -->\n${shown}`;
        }
      },
      () => {},
    );
  }
  $("snippet-iframe").value = valid
    ? `<iframe data-tiercost-embed src="${attr(src)}" title="医疗费用估算" loading="lazy" width="100%" height="640" frameborder="0"></iframe>\n` +
      `<script src="${attr(base)}/widget/frame-host.js" defer></script>` +
      (hostOrigin ? "" : `\n<!-- 填写“贵网站的来源”后，iframe 才能按内容调整高度。 Fill in your site's origin so the frame can fit its content. -->`)
    : "（规则有误，先修正 Fix the rules first）";
}

async function copy(id) {
  const area = $(id);
  try {
    await navigator.clipboard.writeText(area.value);
  } catch {
    area.focus();
    area.select();
    document.execCommand("copy");
  }
  $("copy-status").textContent = "已复制 Copied.";
}

async function loadTemplate(id) {
  const res = await fetch(`widget/templates/${id}.json`, { cache: "no-cache" });
  $("programme").value = await res.text();
  check();
}

async function main() {
  for (const [id, label] of TEMPLATES) {
    const o = el("option", label);
    o.value = id;
    $("template").append(o);
  }
  SAMPLES.forEach((s, i) => {
    const o = el("option", s.label);
    o.value = String(i);
    $("sample").append(o);
  });
  $("base").value = new URL(".", location.href).href.replace(/\/+$/, "");
  $("validation").textContent = "正在加载计算引擎… Loading the engine…";
  try {
    engine = await loadEngine();
  } catch (e) {
    $("validation").textContent = `无法加载计算引擎 The engine could not be loaded: ${e?.message || e}`;
    return;
  }
  for (const p of engine.listPacks().filter((p) => p.kind !== "programme")) {
    const o = el("option", `${p.name.zh} ${p.name.en} (${p.id})`);
    o.value = p.id;
    $("pack").append(o);
  }
  if ([...$("pack").options].some((o) => o.value === "cn-beijing")) $("pack").value = "cn-beijing";

  $("programme").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
  $("template").addEventListener("change", () => loadTemplate($("template").value));
  for (const id of ["pack", "lang", "layout", "sample"]) $(id).addEventListener("change", () => (preview(), snippets()));
  for (const id of ["base", "host"]) $(id).addEventListener("input", snippets);
  for (const id of ["theme-accent", "theme-font-size", "theme-radius"]) $(id).addEventListener("input", () => (preview(), snippets()));
  $("pin").addEventListener("change", snippets);
  loadManifest();
  for (const b of document.querySelectorAll("button.copy")) b.addEventListener("click", () => copy(b.dataset.copy));

  await loadTemplate(TEMPLATES[0][0]);
  computeIntegrity();
  document.documentElement.dataset.ready = "true";
}

main();
