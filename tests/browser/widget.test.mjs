// The embeddable widget (www/widget/, www/embed.html) in headless Chromium, the way a charity
// portal uses it: the widget's files come from one localhost origin (with CORS, like a CDN or
// a tiercost host), the portal's page from another, and a third origin plays a hostile frame.
// The host page has a strict CSP without 'unsafe-eval' and aggressive CSS on `*`, `button`
// and `table`. Needs: www/pkg/ built (make pkg).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { launch, record, offOrigin } from "./chromium.mjs";
import { serve } from "./servers.mjs";

const WWW = resolve(import.meta.dirname, "../../www");
const TEMPLATES = resolve(import.meta.dirname, "../../policies/programmes/templates");

const template = async (name) => JSON.parse(await readFile(join(TEMPLATES, `${name}.json`), "utf8"));

// The same inputs the widgets below are given as attributes.
const MEMBER = { scheme: "resident", group: "adult", category: "none", householdSize: 3, householdIncome: "60000" };
const ENCOUNTER = {
  date: "2026-06-01",
  setting: "inpatient",
  level: "level3",
  total: "80000",
  split: { classA: "0.6", classB: "0.3", classC: "0.1" },
};
const ATTRS = `pack="cn-beijing" scheme="resident" group="adult" category="none" household-size="3" household-income="60000" date="2026-06-01" level="level3" split="0.6,0.3,0.1" amount="80000"`;

const PAYLOAD = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;

let browser, widgetSrv, hostSrv, evilSrv, W, H, E, programmes;
let pasted = ""; // the body of /pasted.html: a snippet copied from the playground

before(async () => {
  const capped = await template("template-remainder-capped");
  const tiered = await template("template-income-tiered");
  const hostile = structuredClone(capped);
  hostile.id = "hostile";
  hostile.name = { zh: `名称${PAYLOAD}`, en: `Name${PAYLOAD}` };
  hostile.layers[0].id = "hostile";
  hostile.layers[0].name = { zh: `<b onmouseover="window.__pwned=3">层</b>`, en: `<svg onload="window.__pwned=4">` };
  hostile.layers[0].note = { zh: `说明${PAYLOAD}<iframe src="javascript:window.__pwned=5">`, en: PAYLOAD };
  programmes = { capped, tiered, hostile };
  const json = (doc) => JSON.stringify(doc).replace(/</g, "\\u003c");

  widgetSrv = await serve({ dir: WWW, cors: true });
  W = widgetSrv.origin;
  evilSrv = await serve({
    routes: {
      "/evil.html": [
        "text/html; charset=utf-8",
        `<!doctype html><script src="/evil.js"></script>`,
      ],
      "/evil.js": [
        "text/javascript",
        // A hostile frame on the portal's page: fake resize messages to the parent, and a size
        // request to the embed frame (whose answer would go to the parent's origin only).
        `parent.postMessage({ type: "tiercost:resize", version: 1, height: 1234 }, "*");
         parent.postMessage({ type: "tiercost:estimate", version: 1, detail: { total: "1" } }, "*");
         for (let i = 0; i < parent.frames.length; i++) {
           try { parent.frames[i].postMessage({ type: "tiercost:size-request", version: 1 }, "*"); } catch {}
         }
         parent.postMessage({ type: "evil-done" }, "*");`,
      ],
    },
  });
  E = evilSrv.origin;

  const csp = () => ({
    "Content-Security-Policy": `default-src 'self'; script-src 'self' ${W} 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ${W}; img-src 'self'; frame-src ${W} ${E}; object-src 'none'; base-uri 'none'`,
  });
  hostSrv = await serve({
    routes: {
      "/favicon.ico": ["image/x-icon", ""],
      "/programme.json": () => ["application/json", JSON.stringify(programmes.capped)],
      "/pasted.html": () => [
        "text/html; charset=utf-8",
        `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/host.css"><script src="/host.js"></script></head>
         <body><button id="host-button">host button</button>${pasted}</body></html>`,
        csp(),
      ],
      "/host.css": [
        "text/css",
        `* { font-family: serif !important; color: rgb(255, 0, 0); letter-spacing: 5px; line-height: 3; text-transform: uppercase; }
         button { background: rgb(255, 105, 180) !important; border: 4px dashed lime !important; font-size: 40px !important; padding: 30px; }
         table { border: 3px solid red; font-size: 9px; border-collapse: separate; }
         td, th { padding: 20px; background: yellow; }
         .spacer { height: 3000px; }
         #embed { box-sizing: border-box; width: 600px; height: 150px; border: 3px solid navy; padding: 2px; }
         #themed { --tiercost-accent: rgb(0, 0, 200); --tiercost-radius: 0px; --tiercost-font: monospace; }
         #lowcontrast { --tiercost-accent: #ffff00; --tiercost-text: #eeeeee; --tiercost-bg: #ffffff; }`,
      ],
      "/host.js": [
        "text/javascript",
        `window.__events = [];
         window.__errors = [];
         document.addEventListener("tiercost:estimate", (e) => window.__events.push({ id: e.target.id, detail: e.detail }));
         document.addEventListener("tiercost:error", (e) => window.__errors.push({ id: e.target.id, detail: e.detail }));
         window.__clicks = 0;
         document.addEventListener("DOMContentLoaded", () => {
           document.getElementById("host-button").addEventListener("click", () => { window.__clicks += 1; });
         });`,
      ],
      "/host.html": () => [
        "text/html; charset=utf-8",
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
         <link rel="stylesheet" href="/host.css">
         <script src="/host.js"></script>
         <script type="module" src="${W}/widget/tiercost-widget.js"></script>
         </head><body>
         <button id="host-button">host button</button>
         <table id="host-table"><tr><td>host table</td></tr></table>
         <tiercost-estimate id="themed" loading="eager" ${ATTRS}>
           <script type="application/json">${json(capped)}</script>
         </tiercost-estimate>
         <tiercost-estimate id="second" loading="eager" ${ATTRS}>
           <script type="application/json">${json(tiered)}</script>
         </tiercost-estimate>
         <tiercost-estimate id="hostile" loading="eager" lang="en" ${ATTRS}>
           <script type="application/json">${json(hostile)}</script>
         </tiercost-estimate>
         <tiercost-estimate id="broken" loading="eager" ${ATTRS}>
           <script type="application/json">{ "id": "broken", "kind": "programme", "layers": [ </script>
         </tiercost-estimate>
         <tiercost-estimate id="lowcontrast" loading="eager" layout="compact" ${ATTRS}></tiercost-estimate>
         <tiercost-estimate id="fromurl" loading="eager" ${ATTRS} programme-src="/programme.json"></tiercost-estimate>
         <tiercost-estimate id="foreign" loading="eager" ${ATTRS} programme-src="${W}/widget/templates/template-fixed-grant.json"></tiercost-estimate>
         <div class="spacer"></div>
         <tiercost-estimate id="lazy" ${ATTRS}></tiercost-estimate>
         </body></html>`,
        csp(),
      ],
      "/frame.html": () => [
        "text/html; charset=utf-8",
        `<!doctype html><html><head><meta charset="utf-8">
         <link rel="stylesheet" href="/host.css">
         <script src="/host.js"></script>
         <script src="${W}/widget/frame-host.js"></script>
         </head><body>
         <button id="host-button">host button</button>
         <iframe id="embed" data-tiercost-embed
           src="${W}/embed.html?${new URLSearchParams({
             pack: "cn-beijing",
             lang: "en",
             layout: "full",
             scheme: "resident",
             group: "adult",
             category: "none",
             "household-size": "3",
             "household-income": "60000",
             date: "2026-06-01",
             level: "level3",
             split: "0.6,0.3,0.1",
             amount: "80000",
             host: "__HOST__",
           })}#programme=${Buffer.from(JSON.stringify(capped)).toString("base64url")}"></iframe>
         </body></html>`.replace("__HOST__", encodeURIComponent(H)),
        csp(),
      ],
    },
  });
  H = hostSrv.origin;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await Promise.all([widgetSrv?.close(), hostSrv?.close(), evilSrv?.close()]);
});

// Shadow-root helpers, evaluated in the page.
const shadowText = (page, id, sel) =>
  page.evaluate(([id, sel]) => document.getElementById(id).shadowRoot.querySelector(sel)?.textContent ?? null, [id, sel]);

test("custom element on a cross-origin host: isolation, theme, events, independence, XSS, errors, lazy init", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${H}/host.html`);
  await page.waitForFunction(() => window.__events.length >= 5 && window.__errors.length >= 2, null, { timeout: 30000 });

  // --- the event carries exactly what estimate() returns for the same case.
  const events = await page.evaluate(() => window.__events);
  const byId = Object.fromEntries(events.map((e) => [e.id, e.detail]));
  assert.deepEqual(Object.keys(byId).sort(), ["fromurl", "hostile", "lowcontrast", "second", "themed"]);
  const direct = await page.evaluate(
    async ([W, member, encounter, capped, tiered]) => {
      const t = await import(`${W}/pkg/index.js`);
      await t.init();
      const run = (p) => t.estimate({ pack: "cn-beijing", member, encounters: [encounter], ...(p ? { programmes: [{ inline: p }] } : {}) });
      return { capped: run(capped), tiered: run(tiered), none: run(null) };
    },
    [W, MEMBER, ENCOUNTER, programmes.capped, programmes.tiered],
  );
  const check = (summary, result, programmeId) => {
    assert.equal(summary.total, result.total);
    assert.equal(summary.covered, result.covered);
    assert.equal(summary.remainder, result.patient.total);
    assert.deepEqual(
      summary.layers.map((l) => [l.id, l.paid, l.status]),
      result.layers.map((l) => [l.id, l.paid, l.outcome.status]),
    );
    if (programmeId) {
      const layer = result.layers.find((l) => l.pack === programmeId);
      assert.equal(summary.programme.id, programmeId);
      assert.equal(summary.programme.paid, layer.paid);
      assert.notEqual(layer.paid, "0.00", "the programme pays something in this case");
    } else {
      assert.equal(summary.programme, null);
    }
  };
  check(byId.themed, direct.capped, "template-remainder-capped");
  check(byId.second, direct.tiered, "template-income-tiered");
  check(byId.lowcontrast, direct.none, null);
  check(byId.fromurl, direct.capped, "template-remainder-capped"); // programme-src on the page's origin
  assert.equal(byId.themed.total, "80000.00");
  // Independence: each widget ran its own programme only.
  assert.notEqual(byId.themed.programme.paid, byId.second.programme.paid);
  assert.ok(!byId.second.layers.some((l) => l.pack === "template-remainder-capped"));
  assert.ok(!byId.themed.layers.some((l) => l.pack === "template-income-tiered"));
  // What a person sees matches the event.
  assert.equal(await shadowText(page, "themed", '[data-value="remainder"]'), `¥${byId.themed.remainder.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`);

  // Changing one widget's input leaves the other alone.
  const secondBefore = await page.evaluate(() => document.getElementById("second").lastSummary);
  await page.evaluate(() => {
    const w = document.getElementById("themed");
    const input = w.shadowRoot.querySelector('input[name="amount"]');
    input.value = "120000";
    w.shadowRoot.querySelector("button").click();
  });
  await page.waitForFunction(() => document.getElementById("themed").lastSummary.total === "120000.00");
  assert.deepEqual(await page.evaluate(() => document.getElementById("second").lastSummary), secondBefore);
  assert.equal(await shadowText(page, "second", '[data-value="total"]'), "¥80,000.00");

  // --- host CSS on *, button, table does not reach the widget; theme variables do.
  const styles = await page.evaluate(() => {
    const pick = (el, props) => {
      const cs = getComputedStyle(el);
      return Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
    };
    const root = (id) => document.getElementById(id).shadowRoot;
    const props = ["background-color", "border-top-style", "font-size", "font-family", "letter-spacing", "text-transform", "color", "border-top-left-radius"];
    return {
      hostButton: pick(document.getElementById("host-button"), props),
      themedButton: pick(root("themed").querySelector("button"), props),
      secondButton: pick(root("second").querySelector("button"), props),
      secondCell: pick(root("second").querySelector("td"), [...props, "padding-top"]),
      secondTable: pick(root("second").querySelector("table"), ["border-top-style", "border-top-width", "border-collapse"]),
      secondBox: pick(root("second").querySelector(".tc"), props),
      lowButton: pick(root("lowcontrast").querySelector("button"), props),
      lowBox: pick(root("lowcontrast").querySelector(".tc"), props),
    };
  });
  assert.equal(styles.hostButton["background-color"], "rgb(255, 105, 180)", "the host CSS is in force on the host's own button");
  for (const b of [styles.themedButton, styles.secondButton]) {
    assert.notEqual(b["background-color"], "rgb(255, 105, 180)");
    assert.equal(b["border-top-style"], "solid");
    assert.notEqual(b["font-size"], "40px");
    assert.equal(b["letter-spacing"], "normal");
    assert.equal(b["text-transform"], "none");
  }
  assert.notEqual(styles.secondCell["font-size"], "9px");
  assert.notEqual(styles.secondCell["padding-top"], "20px");
  assert.notEqual(styles.secondCell["background-color"], "rgb(255, 255, 0)");
  assert.notEqual(styles.secondCell.color, "rgb(255, 0, 0)");
  assert.notEqual(styles.secondTable["border-top-style"], "solid");
  assert.equal(styles.secondTable["border-collapse"], "collapse");
  assert.notEqual(styles.secondBox.color, "rgb(255, 0, 0)");
  assert.ok(!/^serif/.test(styles.secondBox["font-family"]), styles.secondBox["font-family"]);
  assert.equal(styles.secondBox["letter-spacing"], "normal");
  // Theme: the accent, radius and font given on the element.
  assert.equal(styles.themedButton["background-color"], "rgb(0, 0, 200)");
  assert.equal(styles.themedButton.color, "rgb(255, 255, 255)");
  assert.equal(styles.themedButton["border-top-left-radius"], "0px");
  assert.match(styles.themedButton["font-family"], /monospace/);
  assert.equal(styles.secondButton["background-color"], "rgb(11, 110, 79)", "default accent");
  // Contrast kept readable: yellow accent gets dark text; near-white text on white becomes dark.
  assert.equal(styles.lowButton["background-color"], "rgb(255, 255, 0)");
  assert.equal(styles.lowButton.color, "rgb(17, 17, 17)");
  assert.equal(styles.lowBox.color, "rgb(17, 17, 17)");

  // --- HTML and script in the programme's name, layer name and notes are text; nothing ran.
  const hostile = await page.evaluate(() => {
    const root = document.getElementById("hostile").shadowRoot;
    return {
      pwned: window.__pwned ?? null,
      elements: root.querySelectorAll("img, script, svg, iframe, b").length,
      heading: root.querySelector("h2").textContent,
      rows: [...root.querySelectorAll("tbody tr")].map((r) => r.cells[0].textContent),
      notes: [...root.querySelectorAll(".notes p")].map((p) => p.textContent),
    };
  });
  assert.equal(hostile.pwned, null);
  assert.equal(hostile.elements, 0);
  assert.equal(hostile.heading, `Name${PAYLOAD}`);
  assert.ok(hostile.rows.includes(`<svg onload="window.__pwned=4">`), JSON.stringify(hostile.rows));
  assert.ok(hostile.notes.some((n) => n.includes(PAYLOAD)), JSON.stringify(hostile.notes));
  await page.hover("#hostile");
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null);

  // --- a malformed programme: a visible error in the widget, in the console and as an event.
  const broken = await page.evaluate(() => {
    const alert = document.getElementById("broken").shadowRoot.querySelector('[role="alert"]');
    const box = alert?.getBoundingClientRect();
    return {
      text: alert?.textContent ?? "",
      visible: !!box && box.height > 0 && box.width > 0,
      form: !!document.getElementById("broken").shadowRoot.querySelector("form"),
    };
  });
  assert.ok(broken.visible, "the error is visible");
  assert.match(broken.text, /json_syntax/);
  assert.match(broken.text, /\$/);
  assert.equal(broken.form, false, "no estimate without the programme it was given");
  assert.ok(log.console.some((m) => m.startsWith("error: <tiercost-estimate> programme error: json_syntax")), log.console.join("\n"));
  const errors = await page.evaluate(() => window.__errors);
  assert.deepEqual(
    errors.map((e) => [e.id, e.detail.stage, e.detail.problems[0]?.code ?? e.detail.code]).sort(),
    [["broken", "programme", "json_syntax"], ["foreign", "programme", "not_same_origin"]],
  );
  assert.match(await shadowText(page, "foreign", '[role="alert"]'), /programme-src/);
  // ... and the page keeps working: the host's button, and the other widgets.
  await page.click("#host-button");
  assert.equal(await page.evaluate(() => window.__clicks), 1);
  await page.evaluate(() => {
    const w = document.getElementById("second");
    w.shadowRoot.querySelector('input[name="amount"]').value = "90000";
    w.shadowRoot.querySelector("button").click();
  });
  await page.waitForFunction(() => document.getElementById("second").lastSummary.total === "90000.00");

  // A bad amount typed by the visitor: an error next to the form, the widget stays usable.
  await page.evaluate(() => {
    const w = document.getElementById("second");
    w.shadowRoot.querySelector('input[name="amount"]').value = "12.345";
    w.shadowRoot.querySelector("button").click();
  });
  await page.waitForFunction(() => document.getElementById("second").lastError?.code === "invalid_amount");
  assert.equal(
    await page.evaluate(() => document.getElementById("second").shadowRoot.querySelector('input[name="amount"]').getAttribute("aria-invalid")),
    "true",
  );

  // --- lazy initialisation: the widget below the fold starts when scrolled to.
  assert.equal(await page.evaluate(() => !!document.getElementById("lazy").shadowRoot.querySelector("form")), false);
  await page.evaluate(() => document.getElementById("lazy").scrollIntoView());
  await page.waitForFunction(() => document.getElementById("lazy").lastSummary?.total === "80000.00", null, { timeout: 10000 });

  // --- no request off the two origins, no page errors (the CSP has no 'unsafe-eval'), no dialogs.
  assert.deepEqual(offOrigin(log, [H, W]), []);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.dialogs, []);
  const unexpected = log.console.filter((m) => m.startsWith("error:") && !m.includes("<tiercost-estimate> "));
  assert.deepEqual(unexpected, []);
  await context.close();
});

test("iframe embed: fits its content, forwards events, ignores other origins", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${H}/frame.html`);
  await page.waitForFunction(() => window.__events.length >= 1, null, { timeout: 30000 });
  const frame = page.frameLocator("#embed");
  await frame.locator("tiercost-estimate").waitFor();

  const sizes = async () => {
    const outer = await page.evaluate(() => document.getElementById("embed").clientHeight - 4);
    const inner = await page.frames().find((f) => f.url().startsWith(W)).evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
    return { outer, inner };
  };
  await page.waitForFunction(() => document.getElementById("embed").clientHeight - 4 > 300);
  // Settles on the content's height (within a few frames of the last layout change).
  const settle = async () => {
    let s;
    for (let i = 0; i < 50; i++) {
      s = await sizes();
      if (s.outer === s.inner) return s;
      await page.waitForTimeout(50);
    }
    return s;
  };
  let s = await settle();
  assert.equal(s.outer, s.inner, "the frame is as tall as its content");
  assert.ok(s.outer > 300 && s.outer < 2000, `height ${s.outer}`);

  // The forwarded event matches the element form's summary for the same case.
  const [ev] = await page.evaluate(() => window.__events);
  assert.equal(ev.id, "embed");
  assert.equal(ev.detail.total, "80000.00");
  assert.equal(ev.detail.programme.id, "template-remainder-capped");

  // It shrinks with its content: switch the frame's widget to compact.
  const inner = page.frames().find((f) => f.url().startsWith(W));
  await inner.evaluate(() => document.querySelector("tiercost-estimate").setAttribute("layout", "compact"));
  await inner.waitForFunction(() => !!document.querySelector("tiercost-estimate").shadowRoot.querySelector(".compact form"));
  await inner.evaluate(() => document.querySelector("tiercost-estimate").run());
  await page.waitForFunction((h) => document.getElementById("embed").clientHeight - 4 < h, s.outer);
  s = await settle();
  assert.equal(s.outer, s.inner);
  const settled = s.outer;

  // Messages from another origin (a hostile frame) and from the host page itself are ignored.
  await page.evaluate((E) => {
    window.__evilDone = false;
    window.addEventListener("message", (e) => {
      if (e.data?.type === "evil-done") window.__evilDone = true;
    });
    const evil = document.createElement("iframe");
    evil.src = `${E}/evil.html`;
    document.body.append(evil);
    window.postMessage({ type: "tiercost:resize", version: 1, height: 999 }, "*");
  }, E);
  await page.waitForFunction(() => window.__evilDone === true);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.getElementById("embed").clientHeight - 4), settled);
  assert.ok(!(await page.evaluate(() => window.__events)).some((e) => e.detail.total === "1"), "a forged estimate event was accepted");

  assert.deepEqual(offOrigin(log, [H, W, E]), []);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.console.filter((m) => m.startsWith("error:")), []);
  await context.close();
});

test("playground: problems with paths and explanations, live preview, snippets that work when pasted", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${W}/playground.html`);
  await page.waitForSelector("html[data-ready=true]", { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector("tiercost-estimate")?.lastSummary);
  assert.match(await page.textContent("#validation"), /template-remainder-capped/);
  await page.waitForFunction(() => document.getElementById("snippet-element").value.includes("integrity=\"sha384-"));

  // The SRI hash in the snippet is the file's SHA-384.
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha384").update(await readFile(join(WWW, "widget/tiercost-widget.js"))).digest("base64");
  const elementSnippet = await page.inputValue("#snippet-element");
  assert.ok(elementSnippet.includes(`integrity="sha384-${hash}"`));

  // A typo in a field name, then a float rate: the problem with its path and an explanation.
  const text = await page.inputValue("#programme");
  const typo = JSON.parse(text);
  typo.layers[0].nmae = "typo";
  await page.fill("#programme", JSON.stringify(typo, null, 2));
  await page.waitForFunction(() => /nmae/.test(document.getElementById("validation").textContent));
  let problems = await page.$$eval("#validation .problems li", (lis) => lis.map((li) => li.textContent));
  assert.ok(problems.some((p) => p.includes("$.layers[0]") && p.includes("unknown_field") && p.includes("a typo?")), problems.join("\n"));
  assert.match(await page.inputValue("#snippet-element"), /Fix the rules first/);
  const float = JSON.parse(text);
  float.layers[0].editions[0].benefits[0].rate.flat = 0.5;
  await page.fill("#programme", JSON.stringify(float, null, 2));
  await page.waitForFunction(() => /number_not_string/.test(document.getElementById("validation").textContent));
  problems = await page.$$eval("#validation .problems li", (lis) => lis.map((li) => li.textContent));
  assert.ok(problems.some((p) => p.startsWith("$.layers[0].editions[0].benefits[0].rate.flat") && p.includes("quoted text")), problems.join("\n"));

  // Broken JSON syntax: the problem says where, and "show" selects that spot.
  await page.fill("#programme", '{\n  "id": "x",\n  "kind": "programme",\n  "name": { "zh": "x" "en": "x" }\n}');
  await page.waitForFunction(() => /json_syntax|line 4/.test(document.getElementById("validation").textContent));
  await page.click("#validation button.link");
  const caret = await page.evaluate(() => document.getElementById("programme").selectionStart);
  assert.ok(caret > 30, `caret ${caret}`);

  // Back to a valid programme (the fixed grant, on the 低保 cancer sample), then paste both
  // snippets on the portal's page (another origin) and see them work.
  await page.selectOption("#template", "template-fixed-grant");
  await page.selectOption("#sample", "1");
  await page.fill("#host", H);
  await page.waitForFunction(() => document.querySelector("#preview tiercost-estimate")?.lastSummary?.programme?.id === "template-fixed-grant");
  await page.waitForFunction(() => document.getElementById("snippet-element").value.includes("template-fixed-grant"));
  // The portal's theme, tried in the preview and carried by both snippets.
  await page.fill("#theme-accent", "#7a1f2b");
  await page.fill("#theme-radius", "2");
  await page.waitForFunction(() => document.getElementById("snippet-iframe").value.includes("accent=%237a1f2b"));
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("#preview tiercost-estimate")).getPropertyValue("--tiercost-accent").trim()), "#7a1f2b");
  assert.match(await page.inputValue("#snippet-element"), /tiercost-estimate \{ --tiercost-accent: #7a1f2b; --tiercost-radius: 2px; \}/);
  assert.match(await page.inputValue("#snippet-iframe"), /radius=2[&#]/);
  const snippetA = await page.inputValue("#snippet-element");
  const snippetB = await page.inputValue("#snippet-iframe");
  assert.deepEqual(offOrigin(log, [W]), []);
  assert.deepEqual(log.pageErrors, []);
  await context.close();

  const host = await (await browser.newContext()).newPage();
  const hostLog = record(host);
  pasted = snippetA.replace("<tiercost-estimate ", '<tiercost-estimate id="pasted" amount="300000" household-size="2" household-income="20000" diagnoses="cancer" category="none" scheme="resident" group="adult" ');
  await host.goto(`${H}/pasted.html`);
  await host.waitForFunction(() => document.getElementById("pasted")?.lastSummary, null, { timeout: 30000 });
  const summary = await host.evaluate(() => document.getElementById("pasted").lastSummary);
  assert.equal(summary.programme.id, "template-fixed-grant");
  assert.equal(summary.programme.paid, "10000.00");

  pasted = snippetB;
  await host.goto(`${H}/pasted.html`);
  await host.waitForFunction(() => window.__events.length > 0 || document.querySelector("iframe").clientHeight > 300, null, { timeout: 30000 });
  await host.waitForFunction(() => document.querySelector("iframe").clientHeight > 300 && document.querySelector("iframe").clientHeight !== 640);
  const frame = host.frames().find((f) => f.url().includes("embed.html"));
  assert.equal(await frame.evaluate(() => getComputedStyle(document.querySelector("tiercost-estimate")).getPropertyValue("--tiercost-accent").trim()), "#7a1f2b", "the pasted iframe wears the portal's accent");
  assert.deepEqual(offOrigin(hostLog, [H, W]), []);
  assert.deepEqual(hostLog.pageErrors, []);
  assert.deepEqual(hostLog.console.filter((m) => m.startsWith("error:")), []);
  await host.context().close();
});

test("the demo charity page runs both forms on its own origin", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${W}/demo-host/`);
  await page.waitForFunction(() => document.getElementById("widget").lastSummary?.programme?.paid, null, { timeout: 30000 });
  await page.evaluate(() => document.getElementById("frame").scrollIntoView());
  await page.waitForFunction(() => document.getElementById("frame").clientHeight > 250 && /tiercost:estimate/.test(document.getElementById("event-log").textContent), null, { timeout: 30000 });
  const s = await page.evaluate(() => document.getElementById("widget").lastSummary);
  assert.equal(s.total, "80000.00");
  assert.equal(s.programme.id, "template-remainder-capped");
  assert.notEqual(s.programme.paid, "0.00");
  assert.deepEqual(offOrigin(log, [W]), []);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.console.filter((m) => m.startsWith("error:")), []);
  await context.close();
});

test("docs/EMBED.md gives the current SRI hash of the widget", async () => {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha384").update(await readFile(join(WWW, "widget/tiercost-widget.js"))).digest("base64");
  const doc = await readFile(resolve(WWW, "../docs/EMBED.md"), "utf8");
  const block = /<!-- sri:tiercost-widget.js -->\s*`([^`]+)`/.exec(doc)?.[1];
  assert.equal(block, `sha384-${hash}`, "update docs/EMBED.md: node www/widget/sri.mjs --update-doc");
});

test("the playground's templates are the policy templates", async () => {
  for (const f of (await readdir(TEMPLATES)).filter((f) => f.endsWith(".json"))) {
    assert.equal(await readFile(join(WWW, "widget/templates", f), "utf8"), await readFile(join(TEMPLATES, f), "utf8"), `${f} differs: cp policies/programmes/templates/*.json www/widget/templates/`);
  }
});

test("the widget's code writes text only and evaluates nothing", async () => {
  const dir = join(WWW, "widget");
  const files = [
    ...(await readdir(dir)).filter((f) => f.endsWith(".js")).map((f) => join(dir, f)),
    join(WWW, "playground.js"),
  ];
  for (const file of files) {
    const src = await readFile(file, "utf8").catch(() => "");
    for (const bad of [/\beval\s*\(/, /new\s+Function\b/, /\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /setTimeout\s*\(\s*["'`]/]) {
      assert.ok(!bad.test(src), `${file} uses ${bad}`);
    }
  }
});

// Every embedded region × scheme, as the element and as the iframe embed: a layer without
// rules is never counted as ¥0 in what the family reads.
const REGIONS = ["cn-beijing", "cn-bengbu", "cn-chongqing-yubei", "cn-guangzhou", "cn-mianyang", "cn-shanghai", "cn-suqian", "cn-weifang", "cn-beijing"];
const RANGE = /^约 ¥[\d,]+\.\d\d – ¥[\d,]+\.\d\d$/;
const SINGLE = /^¥[\d,]+\.\d\d$/;
function judge(label, summary, shown, note) {
  const open = summary.layers.filter((l) => l.status === "no_rules" || l.status === "needs_information");
  if (open.length || summary.range) {
    assert.ok(summary.range, `${label}: undecided layers but no range`);
    // Low = high: even at the most they could pay, the undecided layers pay nothing here;
    // one number, with the layers still named.
    assert.match(shown, summary.range.low === summary.range.high ? SINGLE : RANGE, `${label}: "${shown}" while ${open.map((l) => l.id).join(", ")} undecided`);
    for (const u of summary.range.undecided) assert.ok(note.includes(u.name.zh), `${label}: the note does not name ${u.name.zh}`);
    assert.match(note, /12393/, label);
    return true;
  }
  assert.match(shown, SINGLE, `${label}: "${shown}"`);
  return false;
}

test("the widget never shows one number while a layer has no rules: every region × scheme, element and iframe", async () => {
  const page = await browser.newPage();
  const elements = REGIONS.flatMap((p) => ["resident", "employee"].map((s) => `<tiercost-estimate id="${p}-${s}" loading="eager" pack="${p}" scheme="${s}" amount="80000"></tiercost-estimate>`)).join("\n");
  await page.setContent(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>${elements}</body></html>`);
  await page.addScriptTag({ type: "module", url: `${W}/widget/tiercost-widget.js` });
  let ranges = 0;
  for (const p of REGIONS) for (const s of ["resident", "employee"]) {
    const id = `${p}-${s}`;
    await page.waitForFunction((id) => document.getElementById(id).lastSummary, id, { timeout: 20000 });
    const summary = await page.evaluate((id) => document.getElementById(id).lastSummary, id);
    const shown = (await shadowText(page, id, '[data-value="remainder"]')).trim();
    const note = (await shadowText(page, id, ".undecided")) ?? "";
    ranges += judge(`element ${id}`, summary, shown, note) ? 1 : 0;
  }
  assert.ok(ranges > 0, "some region × scheme pairs have no rules for a layer");
  await page.close();

  const frame = await browser.newPage();
  for (const p of REGIONS) for (const s of ["resident", "employee"]) {
    await frame.goto(`${W}/embed.html?${new URLSearchParams({ pack: p, scheme: s, amount: "80000", layout: "compact" })}`);
    await frame.waitForFunction(() => document.querySelector("tiercost-estimate")?.lastSummary, null, { timeout: 20000 });
    const summary = await frame.evaluate(() => document.querySelector("tiercost-estimate").lastSummary);
    const text = (sel) => frame.evaluate((sel) => document.querySelector("tiercost-estimate").shadowRoot.querySelector(sel)?.textContent ?? "", sel);
    judge(`iframe ${p} ${s}`, summary, (await text('[data-value="remainder"]')).trim(), await text(".undecided"));
  }
  await frame.close();
});
