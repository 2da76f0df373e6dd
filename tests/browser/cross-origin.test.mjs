// The widget where portals are: the host page on one origin, tiercost's files on another,
// served by scripts/serve.mjs's own headers (no test-added CORS). The playground's snippets
// are taken from the playground and pasted as they are. Then the same with a files' server
// that sends no CORS at all (the element's module cannot load: the snippet's fallback content
// shows, with a link to the iframe form) and one that sends CORS for widget/ but not pkg/
// (the element loads, its engine does not: the element's own visible message with that link).
// And the iframe's theme: URL parameters and theme messages (origin-checked, validated).
// Needs: www/pkg/ built (make pkg).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { launch, record, offOrigin } from "./chromium.mjs";
import { serve } from "./servers.mjs";

const WWW = resolve(import.meta.dirname, "../../www");

let browser, W, N, P, H, E;
const servers = [];
let pasted = ""; // the body of /pasted.html
let framed = ""; // the body of /themed.html

before(async () => {
  const add = async (opts) => {
    const s = await serve(opts);
    servers.push(s);
    return s.origin;
  };
  W = await add({ dir: WWW }); // serve.mjs's headers only
  N = await add({ dir: WWW, stripCors: true }); // a host that sends no CORS/CORP at all
  P = await add({ dir: WWW, stripCors: /^\/pkg\// }); // CORS for widget/ and lib/, not for pkg/
  E = await add({
    routes: {
      "/evil.html": ["text/html; charset=utf-8", `<!doctype html><script src="/evil.js"></script>`],
      "/evil.js": [
        "text/javascript",
        // A hostile frame on the portal's page: theme messages to every frame of its parent.
        `for (let i = 0; i < parent.frames.length; i++) {
           try { parent.frames[i].postMessage({ type: "tiercost:theme", version: 1, theme: { accent: "#ff0000", bg: "#000000", radius: "20" } }, "*"); } catch {}
         }
         parent.postMessage({ type: "evil-done" }, "*");`,
      ],
    },
  });
  const csp = () => ({
    "Content-Security-Policy": `default-src 'self'; script-src 'self' ${W} ${N} ${P} 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ${W} ${N} ${P}; img-src 'self'; frame-src ${W} ${N} ${P} ${E}; object-src 'none'; base-uri 'none'`,
  });
  const page = (body) => [
    "text/html; charset=utf-8",
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="/host.css"><script src="/host.js"></script></head><body>${body}</body></html>`,
    csp(),
  ];
  H = await add({
    routes: {
      "/favicon.ico": ["image/x-icon", ""],
      "/host.css": [
        "text/css",
        `body { background: #f4ece4; font-family: serif; margin: 16px; }
         iframe { width: 640px; border: 0; }
         tiercost-estimate { --tiercost-accent: #7a1f2b; --tiercost-bg: #fffdf8; --tiercost-radius: 2px; }
         #maroon { --tiercost-accent: #7a1f2b; --tiercost-bg: #fffdf8; --tiercost-text: #2b1a1c; --tiercost-radius: 2px; --tiercost-font-size: 18px; }`,
      ],
      "/host.js": [
        "text/javascript",
        `window.__events = [];
         document.addEventListener("tiercost:estimate", (e) => window.__events.push({ id: e.target.id, detail: e.detail }));`,
      ],
      "/pasted.html": () => page(pasted),
      "/themed.html": () => page(framed),
    },
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

/** The playground on `origin`, with the portal's origin filled in: its two snippets. */
async function snippetsFrom(origin, lang = "zh") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/playground.html`);
  await page.waitForSelector("html[data-ready=true]", { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector("tiercost-estimate")?.lastSummary, null, { timeout: 30000 });
  await page.waitForFunction(() => document.getElementById("snippet-element").value.includes('integrity="sha384-'));
  await page.selectOption("#lang", lang);
  await page.fill("#host", H);
  await page.waitForFunction((l) => document.getElementById("snippet-element").value.includes(`lang="${l}"`) && document.getElementById("snippet-iframe").value.includes("host="), lang);
  const a = await page.inputValue("#snippet-element");
  const b = await page.inputValue("#snippet-iframe");
  await context.close();
  return { a, b };
}

test("serve.mjs sends CORS and CORP for every file the widget loads, and not for pages", async () => {
  const widgetFiles = ["widget/tiercost-widget.js", "widget/core.js", "widget/styles.js", "widget/embed.js", "widget/frame-host.js", "lib/format.js", "lib/amount.js", "lib/errors.js", "pkg/index.js", "pkg/tiercost.js", "pkg/tiercost_bg.wasm", "pkg/integrity.json", "widget/templates/template-fixed-grant.json"];
  for (const f of widgetFiles) {
    for (const enc of ["identity", "br", "gzip"]) {
      const res = await fetch(`${W}/${f}`, { headers: { "Accept-Encoding": enc } });
      assert.equal(res.status, 200, f);
      assert.equal(res.headers.get("access-control-allow-origin"), "*", `${f} (${enc})`);
      assert.equal(res.headers.get("cross-origin-resource-policy"), "cross-origin", `${f} (${enc})`);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      await res.arrayBuffer();
    }
  }
  // Still precompressed, with its type (a wasm compiled while it downloads).
  const wasm = await fetch(`${W}/pkg/tiercost_bg.wasm`, { headers: { "Accept-Encoding": "br" } });
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  assert.equal(wasm.headers.get("vary"), "Accept-Encoding");
  await wasm.arrayBuffer();
  for (const f of ["", "index.html", "embed.html", "playground.html", "demo-host/", "app.js", "sw.js"]) {
    const res = await fetch(`${W}/${f}`);
    assert.equal(res.status, 200, f);
    assert.equal(res.headers.get("access-control-allow-origin"), null, f);
    assert.equal(res.headers.get("cross-origin-resource-policy"), null, f);
    await res.arrayBuffer();
  }
});

test("the playground's snippets, pasted on a portal's page on another origin: both forms estimate", async () => {
  const { a, b } = await snippetsFrom(W);
  assert.match(a, /<tiercost-estimate[^>]*>\s*<script type="application\/json">[\s\S]*<\/script>\s*<p>[^<]*<a href="[^"]*\/embed\.html\?/);

  const context = await browser.newContext();
  const page = await context.newPage();
  const log = record(page);
  const headers = new Map();
  page.on("response", (r) => {
    if (r.url().startsWith(W)) headers.set(new URL(r.url()).pathname, r.headers());
  });
  pasted = a;
  await page.goto(`${H}/pasted.html`);
  await page.waitForFunction(() => customElements.get("tiercost-estimate") && document.querySelector("tiercost-estimate").shadowRoot?.querySelector("form"), null, { timeout: 30000 });
  // The fallback content went when the element upgraded; the programme's JSON stayed.
  assert.deepEqual(await page.evaluate(() => [...document.querySelector("tiercost-estimate").children].map((c) => c.localName)), ["script"]);
  // A visitor types a bill and presses the button.
  await page.locator("tiercost-estimate input[name=amount]").fill("80000");
  await page.locator("tiercost-estimate button[type=submit]").click();
  await page.waitForFunction(() => window.__events.length > 0, null, { timeout: 30000 });
  const { detail } = (await page.evaluate(() => window.__events))[0];
  assert.equal(detail.total, "80000.00");
  assert.equal(detail.programme.id, "template-remainder-capped");
  assert.ok(await page.locator("tiercost-estimate .result").isVisible());
  await page.screenshot({ path: "/tmp/tiercost-cross-origin-element.png", fullPage: true });
  // Every file came from the widget's origin with CORS and CORP (module scripts and the wasm).
  const seen = [...headers.keys()];
  for (const path of ["/widget/tiercost-widget.js", "/widget/core.js", "/lib/format.js", "/pkg/index.js", "/pkg/tiercost_bg.wasm"]) {
    assert.ok(seen.includes(path), `${path} not loaded: ${seen.join(" ")}`);
  }
  for (const [path, h] of headers) {
    assert.equal(h["access-control-allow-origin"], "*", path);
    assert.equal(h["cross-origin-resource-policy"], "cross-origin", path);
  }
  assert.deepEqual(offOrigin(log, [H, W]), []);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.console.filter((m) => m.startsWith("error:")), []);

  // Snippet B, the iframe.
  pasted = b;
  await page.goto(`${H}/pasted.html`);
  await page.waitForFunction(() => document.querySelector("iframe").clientHeight > 300 && document.querySelector("iframe").clientHeight !== 640, null, { timeout: 30000 });
  const frame = page.frameLocator("iframe");
  await frame.locator("tiercost-estimate input[name=amount]").fill("80000");
  await frame.locator("tiercost-estimate button[type=submit]").click();
  await page.waitForFunction(() => window.__events.length > 0, null, { timeout: 30000 });
  assert.equal((await page.evaluate(() => window.__events))[0].detail.total, "80000.00");
  assert.deepEqual(offOrigin(log, [H, W]), []);
  await page.screenshot({ path: "/tmp/tiercost-cross-origin-iframe.png", fullPage: true });
  await context.close();
});

test("files' server without CORS: snippet A's fallback content stays visible, with the iframe link", async () => {
  const { a } = await snippetsFrom(N);
  const context = await browser.newContext();
  const page = await context.newPage();
  pasted = a;
  const failed = page.waitForEvent("requestfailed", (r) => r.url().endsWith("/widget/tiercost-widget.js"));
  await page.goto(`${H}/pasted.html`);
  await failed;
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => !!customElements.get("tiercost-estimate")), false, "the module should not load without CORS");
  const link = page.locator("tiercost-estimate p a");
  assert.ok(await link.isVisible(), "the fallback link is visible");
  assert.match(await page.locator("tiercost-estimate p").textContent(), /如果没有出现/);
  const href = await link.getAttribute("href");
  const url = new URL(href);
  assert.equal(url.origin, N);
  assert.equal(url.pathname, "/embed.html");
  assert.equal(url.searchParams.get("pack"), "cn-beijing");
  assert.ok(url.hash.startsWith("#programme="));
  await page.screenshot({ path: "/tmp/tiercost-no-cors-fallback.png" });
  // The link works: the iframe form on its own page (its own origin) estimates.
  await page.goto(href);
  await page.locator("tiercost-estimate input[name=amount]").fill("50000");
  await page.locator("tiercost-estimate button[type=submit]").click();
  await page.waitForFunction(() => document.querySelector("tiercost-estimate").lastSummary?.total === "50000.00", null, { timeout: 30000 });
  await context.close();
});

for (const lang of ["zh", "en"]) {
  test(`engine not loadable (no CORS on pkg/): the element shows a visible message with the iframe link (${lang})`, async () => {
    const { a } = await snippetsFrom(P, lang);
    const context = await browser.newContext();
    const page = await context.newPage();
    pasted = a;
    await page.goto(`${H}/pasted.html`);
    await page.waitForFunction(() => document.querySelector("tiercost-estimate")?.lastError?.stage === "engine", null, { timeout: 30000 });
    // The fallback content went on upgrade; the element's own box says what happened.
    assert.deepEqual(await page.evaluate(() => [...document.querySelector("tiercost-estimate").children].map((c) => c.localName)), ["script"]);
    const alert = page.locator("tiercost-estimate [role=alert]");
    assert.ok(await alert.isVisible());
    const box = await alert.boundingBox();
    assert.ok(box.height > 60 && box.width > 200, JSON.stringify(box));
    assert.match(await alert.textContent(), lang === "en" ? /cannot run on this page/ : /暂时无法在本页运行/);
    const link = page.locator("tiercost-estimate [role=alert] a");
    assert.ok(await link.isVisible());
    assert.equal(await link.textContent(), lang === "en" ? "Open the calculator (new window)" : "打开计算器（新窗口）");
    const url = new URL(await link.getAttribute("href"));
    assert.equal(url.origin, P);
    assert.equal(url.pathname, "/embed.html");
    assert.equal(url.searchParams.get("pack"), "cn-beijing");
    assert.equal(url.searchParams.get("lang"), lang);
    assert.equal(url.searchParams.get("layout"), "full");
    // The same programme, in the fragment.
    const json = Buffer.from(url.hash.slice("#programme=".length), "base64url").toString("utf8");
    assert.equal(JSON.parse(json).id, "template-remainder-capped");
    await page.screenshot({ path: `/tmp/tiercost-engine-failed-${lang}.png` });
    await context.close();
  });
}

test("the iframe's theme: URL parameters, messages from the parent's origin only, values validated", async () => {
  const base = { pack: "cn-beijing", lang: "zh", layout: "full", scheme: "resident", group: "adult", category: "none", "household-size": "3", "household-income": "60000", date: "2026-06-01", level: "level3", split: "0.6,0.3,0.1", amount: "80000", host: "" };
  const src = (extra) => `${W}/embed.html?${new URLSearchParams({ ...base, host: H, ...extra })}`;
  framed = `
    <iframe id="url" data-tiercost-embed height="640" src="${src({ accent: "#7a1f2b", bg: "#fffdf8", text: "rgb(43, 26, 28)", "font-size": "18", radius: "2px" })}"></iframe>
    <iframe id="bad" data-tiercost-embed height="640" src="${src({ accent: "red;background:url(//evil)", bg: "url(x)", text: "expression(alert(1))", "font-size": "400px", radius: "-3" })}"></iframe>
    <iframe id="maroon" data-tiercost-embed height="640" src="${src({})}"></iframe>
    <script src="${W}/widget/frame-host.js"></script>`;
  const context = await browser.newContext({ viewport: { width: 700, height: 900 } });
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${H}/themed.html`);
  await page.waitForFunction(() => window.__events.length >= 3, null, { timeout: 60000 });
  const frames = {};
  for (const id of ["url", "bad", "maroon"]) {
    const handle = await page.$(`#${id}`);
    frames[id] = await handle.contentFrame();
  }
  const styles = (f) =>
    f.evaluate(() => {
      const root = document.querySelector("tiercost-estimate").shadowRoot;
      const box = getComputedStyle(root.querySelector(".tc"));
      const button = getComputedStyle(root.querySelector("button"));
      return { bg: box.backgroundColor, color: box.color, fontSize: box.fontSize, radius: box.borderTopLeftRadius, button: button.backgroundColor, buttonText: button.color };
    });
  const url = await styles(frames.url);
  assert.deepEqual(url, { bg: "rgb(255, 253, 248)", color: "rgb(43, 26, 28)", fontSize: "18px", radius: "2px", button: "rgb(122, 31, 43)", buttonText: "rgb(255, 255, 255)" });
  const defaults = { bg: "rgb(255, 255, 255)", color: "rgb(29, 37, 33)", fontSize: "16px", radius: "8px", button: "rgb(11, 110, 79)", buttonText: "rgb(255, 255, 255)" };
  assert.deepEqual(await styles(frames.bad), defaults, "invalid values are ignored");
  // No CSS text was written anywhere: only the validated custom properties.
  assert.deepEqual(await frames.bad.evaluate(() => document.querySelector("tiercost-estimate").getAttribute("style")), null);
  // frame-host.js sends the iframe's own --tiercost-* values (the element's vocabulary).
  await frames.maroon.waitForFunction(() => getComputedStyle(document.querySelector("tiercost-estimate").shadowRoot.querySelector("button")).backgroundColor === "rgb(122, 31, 43)");
  const maroon = await styles(frames.maroon);
  assert.deepEqual(maroon, { bg: "rgb(255, 253, 248)", color: "rgb(43, 26, 28)", fontSize: "18px", radius: "2px", button: "rgb(122, 31, 43)", buttonText: "rgb(255, 255, 255)" });
  await page.evaluate(() => document.getElementById("url").scrollIntoView());
  await page.screenshot({ path: "/tmp/tiercost-themed-iframe.png" });

  // A theme message from the parent's origin applies; invalid values in it are ignored.
  await page.evaluate((W) => {
    document.getElementById("url").contentWindow.postMessage({ type: "tiercost:theme", version: 1, theme: { accent: "#123", radius: "100px", bg: "hsl(0 0% 0%)" } }, W);
  }, W);
  await frames.url.waitForFunction(() => getComputedStyle(document.querySelector("tiercost-estimate").shadowRoot.querySelector("button")).backgroundColor === "rgb(17, 34, 51)");
  let s = await styles(frames.url);
  assert.equal(s.radius, "2px");
  assert.equal(s.bg, "rgb(255, 253, 248)");
  // Wrong shapes from the right origin are ignored.
  await page.evaluate((W) => {
    const w = document.getElementById("url").contentWindow;
    for (const m of [
      { type: "tiercost:theme", version: 2, theme: { accent: "#ff0000" } },
      { type: "tiercost:theme", version: 1, theme: { accent: "#ff0000" }, extra: 1 },
      { type: "tiercost:theme", version: 1, theme: [["accent", "#ff0000"]] },
      { type: "tiercost:theme", version: 1, theme: "accent: #ff0000" },
      { type: "tiercost:theme", version: 1, theme: { accent: ["#ff0000"] } },
      "tiercost:theme",
    ]) w.postMessage(m, W);
  }, W);
  // A hostile frame on the portal's page (another origin) sends theme messages to every frame.
  await page.evaluate((E) => {
    window.__evilDone = false;
    window.addEventListener("message", (e) => {
      if (e.data?.type === "evil-done") window.__evilDone = true;
    });
    const evil = document.createElement("iframe");
    evil.src = `${E}/evil.html`;
    document.body.append(evil);
  }, E);
  await page.waitForFunction(() => window.__evilDone === true);
  await page.waitForTimeout(400);
  s = await styles(frames.url);
  assert.equal(s.button, "rgb(17, 34, 51)", "a message of the wrong shape or origin was applied");
  assert.equal(s.bg, "rgb(255, 253, 248)");
  assert.equal(s.radius, "2px");
  assert.deepEqual(await styles(frames.maroon), maroon);
  assert.deepEqual(offOrigin(log, [H, W, E]), []);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.console.filter((m) => m.startsWith("error:")), []);
  await context.close();
});
