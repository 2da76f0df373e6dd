// The iframe embed (embed.html): builds a <tiercost-estimate> from the query parameters and
// keeps the parent informed of its height.
//
//   embed.html?pack=cn-wuhan&lang=zh&layout=full&host=https%3A%2F%2Fportal.example#programme=<base64url JSON>
//
// Query parameters are the element's attributes (pack, lang, layout, programme, programme-src,
// amount, scheme, group, level, date, household-size, household-income, category, diagnoses,
// enrolments, split, heading), plus `host`: the parent page's origin. The portal's own
// programme goes in the fragment (#programme=…, base64url of its UTF-8 JSON): a fragment is
// never sent to any server.
//
// Height protocol (docs/EMBED.md): a ResizeObserver on the body posts
// { type: "tiercost:resize", version: 1, height } to window.parent, with the parent's origin
// as the target origin (from `host`, else location.ancestorOrigins, else the referrer). The
// frame answers { type: "tiercost:size-request" } only from window.parent at that origin.
// The estimate and error events are forwarded the same way as
// { type: "tiercost:estimate" | "tiercost:error", version: 1, detail }.
//
// Theme (docs/EMBED.md, "Theming the iframe"): the element's theme variables without their
// `--tiercost-` prefix — accent, bg, text, muted, border (#rgb, #rrggbb or rgb()), font-size
// (12–24 px), radius (0–24 px) — as query parameters, or later as
// { type: "tiercost:theme", version: 1, theme: { accent: "#7a1f2b", … } } from window.parent
// at the parent's origin (frame-host.js sends the iframe element's --tiercost-* values so).
// Each value is validated and rebuilt (core.js themeValue); invalid ones are ignored. They
// are set as custom properties through the CSSOM (style.setProperty), which this page's CSP
// (style-src 'self') allows; no CSS text is ever written.
import "./tiercost-widget.js";
import { themeProperties } from "./core.js";

const ATTRS = [
  "pack", "lang", "layout", "programme", "programme-src", "amount", "scheme", "group", "level",
  "date", "household-size", "household-income", "category", "diagnoses", "enrolments", "split",
  "heading",
];
const RESIZE = "tiercost:resize";
const REQUEST = "tiercost:size-request";
const THEME = "tiercost:theme";

/** base64url (or base64) of UTF-8 bytes → text; null if it cannot be decoded. */
export function decodeProgramme(encoded) {
  try {
    const b64 = encoded.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Exactly { type: "tiercost:size-request", version: 1 } (a plain object, no other key). */
export function isSizeRequest(data) {
  if (!data || typeof data !== "object" || Array.isArray(data)) return false;
  const proto = Object.getPrototypeOf(data);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(data).sort().join(",");
  return keys === "type,version" && data.type === REQUEST && data.version === 1;
}

/** Exactly { type: "tiercost:theme", version: 1, theme: {…} } (plain objects, no other key). */
export function isThemeMessage(data) {
  const plain = (v) => !!v && typeof v === "object" && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));
  if (!plain(data) || !plain(data.theme)) return false;
  const keys = Object.keys(data).sort().join(",");
  return keys === "theme,type,version" && data.type === THEME && data.version === 1;
}

function parentOrigin(params) {
  const given = params.get("host");
  if (given) {
    try {
      const o = new URL(given).origin;
      if (o !== "null") return o;
    } catch {
      /* fall through */
    }
  }
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length && ancestors[0] !== "null") return ancestors[0];
  try {
    if (document.referrer) return new URL(document.referrer).origin;
  } catch {
    /* no referrer */
  }
  return null;
}

const params = new URLSearchParams(location.search);
const widget = document.createElement("tiercost-estimate");
widget.setAttribute("loading", "eager");
for (const name of ATTRS) {
  const v = params.get(name);
  if (v != null && v !== "") widget.setAttribute(name, v);
}
if (params.get("lang")) document.documentElement.lang = params.get("lang").startsWith("en") ? "en" : "zh-CN";

const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get("programme")) {
  const text = decodeProgramme(fragment.get("programme"));
  // An undecodable fragment becomes text the engine rejects with a visible error. (A
  // property, not a <script type="application/json"> child: this page enforces Trusted
  // Types, under which script may not write a script element's text.)
  widget.programmeJson = text ?? "(the #programme fragment is not valid base64url UTF-8)";
}
/** Sets the valid entries of a theme on the element (null entries back to the default). */
function applyTheme(source) {
  const props = themeProperties(source);
  for (const [name, value] of Object.entries(props)) {
    if (value === null) widget.style.removeProperty(name);
    else widget.style.setProperty(name, value);
  }
  if (Object.keys(props).length) widget.refreshTheme();
}
applyTheme(params);
document.body.append(widget);

const inFrame = window.parent !== window;
const target = inFrame ? parentOrigin(params) : null;

function post(message) {
  if (target) window.parent.postMessage({ version: 1, ...message }, target);
}

let lastHeight = 0;
function sendHeight(force) {
  const h = Math.ceil(document.body.getBoundingClientRect().height);
  if (!force && h === lastHeight) return;
  lastHeight = h;
  post({ type: RESIZE, height: h });
}

if (target) {
  new ResizeObserver(() => sendHeight(false)).observe(document.body);
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || event.origin !== target) return;
    if (isSizeRequest(event.data)) {
      document.documentElement.classList.add("fitted");
      sendHeight(true);
    } else if (isThemeMessage(event.data)) {
      applyTheme(event.data.theme);
    }
  });
  for (const type of ["tiercost:estimate", "tiercost:error"]) {
    widget.addEventListener(type, (e) => post({ type, detail: JSON.parse(JSON.stringify(e.detail)) }));
  }
}
