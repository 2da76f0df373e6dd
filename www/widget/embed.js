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
import "./tiercost-widget.js";

const ATTRS = [
  "pack", "lang", "layout", "programme", "programme-src", "amount", "scheme", "group", "level",
  "date", "household-size", "household-income", "category", "diagnoses", "enrolments", "split",
  "heading",
];
const RESIZE = "tiercost:resize";
const REQUEST = "tiercost:size-request";

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
    }
  });
  for (const type of ["tiercost:estimate", "tiercost:error"]) {
    widget.addEventListener(type, (e) => post({ type, detail: JSON.parse(JSON.stringify(e.detail)) }));
  }
}
