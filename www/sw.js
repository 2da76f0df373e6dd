// tiercost service worker: the page works offline after the first visit. Network first (so
// a rebuilt page or engine is always picked up when online), falling back to a versioned
// cache. Only same-origin GET requests are handled; nothing else is ever fetched.
const VERSION = "tiercost-page-v1";
const SHELL = [
  "./", "./index.html", "./app.js", "./style.css", "./sw.js",
  "./lib/format.js", "./lib/strings.js", "./lib/explain.js", "./lib/share.js", "./lib/csv.js", "./lib/rules-form.js", "./lib/amount.js", "./lib/errors.js", "./lib/glossary.js", "./lib/drugs.js", "./plan.js",
  "./rules.html", "./rules.js", "./rules.css", "./playground.css", "./widget/core.js",
  "./pkg/index.js", "./pkg/tiercost.js", "./pkg/tiercost_planning.js", "./pkg/tiercost_bg.wasm", "./pkg/schemas.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()).catch(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("tiercost-page-") && k !== VERSION).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(VERSION);
    try {
      const res = await fetch(req);
      if (res.ok) cache.put(req, res.clone());
      return res;
    } catch (e) {
      const hit = await cache.match(req, { ignoreSearch: true });
      if (hit) return hit;
      if (req.mode === "navigate") { const shell = await cache.match("./index.html"); if (shell) return shell; }
      throw e;
    }
  })());
});

// The page sends the same-origin URLs it loaded (the engine glue's snippet paths change with
// each build), so they are cached too.
self.addEventListener("message", (event) => {
  const urls = (event.data?.type === "cache" && Array.isArray(event.data.urls) ? event.data.urls : [])
    .filter((u) => new URL(u, self.location.href).origin === self.location.origin);
  event.waitUntil(caches.open(VERSION).then((c) => Promise.all(urls.map((u) => c.add(u).catch(() => {})))));
});
