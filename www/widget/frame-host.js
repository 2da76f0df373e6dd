// Parent-side half of the iframe height protocol. Include it once on the page that holds
// `<iframe data-tiercost-embed src="…/embed.html?…" (the widget host's address)>`; each such frame then grows and
// shrinks with its content.
//
// Protocol: the frame posts { type: "tiercost:resize", version: 1, height } to the parent,
// with the parent's origin as the target origin. This script accepts a message only when it
// comes from that iframe's window (event.source) AND from the origin of the iframe's src
// (event.origin), and has the expected shape: a plain object with version 1, exactly that
// type and a finite height between 50 and 20000 pixels, and no other key.
// On load it asks each frame for its height with { type: "tiercost:size-request", version: 1 }, sent
// only to the frame's origin. Anything else is ignored. The frame's `tiercost:estimate` and
// `tiercost:error` messages (same checks; the detail a plain object of the documented shape,
// at most 256 KiB of JSON) are re-dispatched as CustomEvents on the iframe.
// Theme: the element's variables set on the <iframe> (or an ancestor) in your CSS —
// --tiercost-accent, -bg, -text, -muted, -border, -font-size, -radius — are sent to the frame
// with the size request as { type: "tiercost:theme", version: 1, theme: { accent, … } }, to the
// frame's origin only; the frame validates each value. After changing them, call
// `tiercostFrameTheme(iframe)`.
(function () {
  "use strict";
  var RESIZE = "tiercost:resize";
  var REQUEST = "tiercost:size-request";
  var ESTIMATE = "tiercost:estimate";
  var ERROR = "tiercost:error";
  var MAX_DETAIL = 256 * 1024;
  var THEME = "tiercost:theme";
  var THEME_KEYS = ["accent", "bg", "text", "muted", "border", "font-size", "radius"];

  function isPlain(v) {
    if (!v || typeof v !== "object" || Array.isArray(v)) return false;
    var proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
  }
  function onlyKeys(v, keys) {
    return Object.keys(v).every(function (k) {
      return keys.indexOf(k) >= 0;
    });
  }
  function isStr(v) {
    return typeof v === "string" && v.length <= 4096;
  }
  // The detail of a forwarded event, as embed.js sends it (docs/EMBED.md, "Events").
  function validDetail(type, d) {
    if (!isPlain(d)) return false;
    try {
      if (JSON.stringify(d).length > MAX_DETAIL) return false;
    } catch (e) {
      return false;
    }
    if (type === ESTIMATE) {
      return (d.pack === null || isStr(d.pack)) && isStr(d.total) && isStr(d.covered) && isStr(d.remainder) && Array.isArray(d.layers) &&
        (d.programme === null || isPlain(d.programme)) && (d.warnings === undefined || Array.isArray(d.warnings));
    }
    return isStr(d.stage) && (d.code === undefined || d.code === null || isStr(d.code)) &&
      (d.problems === undefined || Array.isArray(d.problems));
  }
  // A message of the protocol: its type, or null for anything else.
  function kindOf(data) {
    if (!isPlain(data) || data.version !== 1) return null;
    if (data.type === RESIZE) {
      var h = data.height;
      var ok = onlyKeys(data, ["type", "version", "height"]) && typeof h === "number" && isFinite(h) && h >= 50 && h <= 20000;
      return ok ? RESIZE : null;
    }
    if (data.type === ESTIMATE || data.type === ERROR) {
      return onlyKeys(data, ["type", "version", "detail"]) && validDetail(data.type, data.detail) ? data.type : null;
    }
    return null;
  }

  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-tiercost-embed]"));
  }
  function originOf(frame) {
    try {
      return new URL(frame.src, document.baseURI).origin;
    } catch (e) {
      return null;
    }
  }
  // The iframe's --tiercost-* values, as the theme message's entries (none: null).
  function themeOf(frame) {
    var cs = getComputedStyle(frame);
    var theme = {};
    var any = false;
    THEME_KEYS.forEach(function (k) {
      var v = cs.getPropertyValue("--tiercost-" + k).trim();
      if (v && v.length <= 40) {
        theme[k] = v;
        any = true;
      }
    });
    return any ? theme : null;
  }
  function sendTheme(frame) {
    var origin = originOf(frame);
    var theme = themeOf(frame);
    if (theme && origin && origin !== "null" && frame.contentWindow) {
      frame.contentWindow.postMessage({ type: THEME, version: 1, theme: theme }, origin);
    }
  }
  function ask(frame) {
    var origin = originOf(frame);
    if (origin && origin !== "null" && frame.contentWindow) {
      frame.contentWindow.postMessage({ type: REQUEST, version: 1 }, origin);
      sendTheme(frame);
    }
  }
  window.tiercostFrameTheme = sendTheme;
  function watch(frame) {
    if (frame.__tiercostWatched) return;
    frame.__tiercostWatched = true;
    frame.addEventListener("load", function () {
      ask(frame);
    });
    ask(frame);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    // Not ours at all (most of a busy page's messages): nothing to look up.
    if (!isPlain(data) || typeof data.type !== "string" || data.type.indexOf("tiercost:") !== 0) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (event.source !== frame.contentWindow) continue;
      if (event.origin !== originOf(frame)) return;
      var kind = kindOf(data);
      if (!kind) return;
      if (kind !== RESIZE) {
        // The frame's estimate and error events, re-dispatched on the iframe element.
        frame.dispatchEvent(new CustomEvent(kind, { detail: data.detail, bubbles: true }));
        return;
      }
      var h = data.height;
      // The content box gets the content's height, whatever the host's box-sizing.
      var cs = getComputedStyle(frame);
      var extra = 0;
      if (cs.boxSizing === "border-box") {
        extra = ["borderTopWidth", "borderBottomWidth", "paddingTop", "paddingBottom"].reduce(function (sum, p) {
          return sum + (parseFloat(cs[p]) || 0);
        }, 0);
      }
      frame.style.height = Math.ceil(h + extra) + "px";
      frame.setAttribute("data-tiercost-height", String(Math.ceil(h)));
      return;
    }
  });

  function start() {
    frames().forEach(watch);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // Frames added later (a CMS that renders blocks late).
  if (typeof MutationObserver === "function") {
    new MutationObserver(start).observe(document.documentElement, { childList: true, subtree: true });
  }
})();
