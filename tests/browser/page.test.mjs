// Smoke test of the page in www/ (make serve's page) in headless Chromium: it loads the
// engine, lists the embedded packs, runs one estimate and shows each layer and what the
// patient pays, with no request off its own origin and no console error.
// Needs: www/pkg/ built (make pkg).
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch, watch } from "./chromium.mjs";

const WWW = resolve(import.meta.dirname, "../../www");

test("the page estimates a bill with an embedded pack", async () => {
  const server = await startServer(WWW);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = watch(page, server.url);
    await page.goto(server.url);
    await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });

    const packs = await page.$$eval("#pack option", (os) => os.map((o) => o.value));
    assert.ok(packs.length > 0, "no region packs listed");
    if (packs.includes("cn-wuhan")) await page.selectOption("#pack", "cn-wuhan");
    await page.fill("#amount", "50000");
    await page.click("#run");
    await page.waitForSelector("#result:not([hidden])", { timeout: 10000 });

    const total = await page.textContent("#total");
    const patient = await page.textContent("#patient");
    const layers = await page.$$eval("#layers tr", (rows) => rows.map((r) => r.textContent));
    assert.equal(total, "¥50,000.00");
    assert.match(patient, /^¥[\d,]+\.\d\d$/);
    assert.ok(layers.length > 0, "no layers shown");
    assert.equal(await page.textContent("#status"), "");

    // A bad amount is reported with the engine's code and path, not a crash.
    await page.fill("#amount", "12.345");
    await page.click("#run");
    await page.waitForFunction(() => document.querySelector("#status").textContent.includes("invalid_amount"));
    assert.match(await page.textContent("#status"), /\$\.encounters\[0\]\.items\[0\]\.amount/);

    // The engine recovers from a crash: reload() gives a fresh instance that works.
    const after = await page.evaluate(async () => {
      const t = await import("./pkg/index.js");
      await t.reload();
      return t.estimate({
        pack: document.querySelector("#pack").value,
        member: { scheme: document.querySelector("#scheme").value, group: document.querySelector("#group").value },
        encounters: [{ date: document.querySelector("#date").value, setting: "inpatient", items: [{ amount: "100", class: "a" }] }],
      }).total;
    });
    assert.equal(after, "100.00");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
