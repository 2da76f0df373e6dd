// tiercost service worker: after the first visit, the page opens from this device at once —
// offline too — and a new build is fetched in the background, never mixed with the old one.
//
// - The page's files are kept as one set per build, in a cache named
//   `tiercost-page-<time>-<version>` (the version is pkg/page-version.json's, written by the
//   build: a hash of every file of the page). A set is complete or absent: it is filled in
//   full (the shell below and the engine files page-version.json lists) before it replaces
//   the one before.
// - Requests are answered from the newest set (cache first). A file not in it is fetched and
//   added. When the page itself is opened, page-version.json is fetched in the background;
//   if the build changed, the new set is filled, the old one removed, and the open pages are
//   told ("updated"), so the family can reload when it suits them.
// Only same-origin GET requests are handled; nothing else is ever fetched.
const PREFIX = "tiercost-page-";
const VERSION_URL = "./pkg/page-version.json";
const SHELL = [
  "./", "./index.html", "./start-engine.js", "./app.js", "./style.css", "./sw.js",
  "./lib/format.js", "./lib/strings.js", "./lib/explain.js", "./lib/explain-text.js", "./lib/share.js", "./lib/csv.js", "./lib/rules-form.js", "./lib/amount.js", "./lib/case.js", "./lib/errors.js", "./lib/glossary.js", "./lib/drugs.js", "./plan.js", "./scenarios.js", "./handout.js", "./lib/vendor/uqr.js",
  "./rules.html", "./rules.js", "./rules.css", "./playground.css", "./widget/core.js",
]; // and the engine's files, which pkg/page-version.json lists (their names are the build's)

// A set's name: PREFIX, the time it was filled (13 digits until 2286, so names sort by age), the build.
const isSet = (name) => /^tiercost-page-\d{13}-/.test(name);

/** The newest complete set, or null. */
async function currentSet() {
  const names = (await caches.keys()).filter(isSet).sort();
  return names.length ? { name: names.at(-1), cache: await caches.open(names.at(-1)) } : null;
}

const fresh = (url) => new Request(url, { cache: "no-store" });

let filling = null;
/** Fills a new set from the network; on success it replaces every older set. */
function fill() {
  filling ??= (async () => {
    const res = await fetch(fresh(VERSION_URL));
    if (!res.ok) throw new Error(`${VERSION_URL}: ${res.status}`);
    const { version, files = [] } = await res.clone().json();
    const name = `${PREFIX}${Date.now()}-${version}`;
    const cache = await caches.open(name);
    try {
      await cache.addAll([...new Set([...SHELL, ...files])].map(fresh));
      await cache.put(VERSION_URL, res);
    } catch (e) {
      await caches.delete(name);
      throw e;
    }
    for (const k of await caches.keys()) if (k.startsWith(PREFIX) && k !== name) await caches.delete(k);
    return name;
  })().finally(() => { filling = null; });
  return filling;
}

/** Fetches page-version.json; fills a new set when the build changed and tells the pages. */
async function checkForUpdate(set) {
  const [res, held] = await Promise.all([fetch(fresh(VERSION_URL)).catch(() => null), set.cache.match(VERSION_URL)]);
  if (!res?.ok) return; // offline, or no build: keep what we have
  const version = (await res.json().catch(() => ({}))).version;
  const heldVersion = held ? (await held.json().catch(() => ({}))).version : null;
  if (!version || version === heldVersion) return;
  await fill();
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ type: "updated" });
}

self.addEventListener("install", (event) => {
  event.waitUntil(fill().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // Sets of an earlier worker (or a cache of its own naming) that are not the newest go.
  event.waitUntil((async () => {
    const set = await currentSet();
    for (const k of await caches.keys()) if (k.startsWith(PREFIX) && k !== set?.name) await caches.delete(k);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const set = await currentSet();
    const hit = set && (await set.cache.match(req, { ignoreSearch: true }));
    if (hit) {
      if (req.mode === "navigate") event.waitUntil(checkForUpdate(set).catch(() => {}));
      return hit;
    }
    try {
      const res = await fetch(req);
      if (res.ok && set) event.waitUntil(set.cache.put(req, res.clone()).catch(() => {}));
      return res;
    } catch (e) {
      if (req.mode === "navigate" && set) {
        const shell = await set.cache.match("./index.html");
        if (shell) return shell;
      }
      throw e;
    }
  })());
});

// The page sends the same-origin URLs it loaded, so anything the lists above missed is kept too.
self.addEventListener("message", (event) => {
  const urls = (event.data?.type === "cache" && Array.isArray(event.data.urls) ? event.data.urls : [])
    .filter((u) => new URL(u, self.location.href).origin === self.location.origin);
  event.waitUntil(currentSet().then((set) => set && Promise.all(urls.map(async (u) => {
    if (!(await set.cache.match(u, { ignoreSearch: true }))) await set.cache.add(u).catch(() => {});
  }))));
});
