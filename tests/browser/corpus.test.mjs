// The bad-input corpus (tests/cases/bad-input/) through the three front ends an author meets:
// the CLI (`tiercost validate` / `estimate`), the npm package's wasm (`validate` / `estimate`)
// and the programme playground (www/playground.html). For every file, each must name the
// expected code at the expected path, with the part of the message the file gives, and the
// page's sentence for the code (www/lib/errors.js) must be the zh-CN and en the file records.
// tests/corpus_cli.rs checks the CLI's own lines natively; here the three are compared.
// Needs: pkg/ and www/pkg/ built (make pkg) and the native CLI built (cargo build).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, record, offOrigin } from "./chromium.mjs";
import { serve } from "./servers.mjs";
import { errorSentence } from "../../www/lib/errors.js";

const ROOT = resolve(import.meta.dirname, "../..");
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, "target");
const CLI = join(TARGET, "debug", "tiercost");
const DIR = join(ROOT, "tests/cases/bad-input");

const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => {
    const file = JSON.parse(readFileSync(join(DIR, f), "utf8"));
    const doc = file.document ?? file.case;
    const expected = [file.expected.error, ...(file.expected.problems || [])];
    return { name: f, validate: Boolean(file.document), doc, expected };
  });

/** The error (or one of its problems) with `want`'s code and path. */
function find(err, want) {
  return [err, ...(err.problems || [])].find((p) => p.code === want.code && p.path === want.path);
}

let browser, srv, tiercost;

before(async () => {
  tiercost = await import(pathToFileURL(join(ROOT, "pkg", "index.js")).href);
  await tiercost.init();
  browser = await launch();
  srv = await serve({ dir: join(ROOT, "www") });
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

test("every corpus file records the page's sentences for its codes", () => {
  assert.ok(corpus.length >= 20, `only ${corpus.length} corpus files`);
  for (const { name, expected } of corpus) {
    for (const want of expected) {
      if (want.zh) assert.equal(errorSentence(want.code, "zh"), want.zh, `${name}: zh sentence of ${want.code}`);
      if (want.en) assert.equal(errorSentence(want.code, "en"), want.en, `${name}: en sentence of ${want.code}`);
    }
  }
});

test("the CLI and the npm package name the same code, path and message for every corpus file", () => {
  const differ = [];
  for (const { name, validate, doc, expected } of corpus) {
    let thrown = null;
    try {
      (validate ? tiercost.validate : tiercost.estimate)(doc);
    } catch (e) {
      thrown = e;
    }
    let stderr = "";
    try {
      execFileSync(CLI, [validate ? "validate" : "estimate", "-"], { input: JSON.stringify(doc), encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
    } catch (e) {
      stderr = e.stderr || "";
    }
    if (!thrown) {
      differ.push(`${name}: the package accepted it`);
      continue;
    }
    for (const want of expected) {
      const p = find({ code: thrown.code, path: thrown.path, message: thrown.detail, problems: thrown.problems }, want);
      if (!p) {
        differ.push(`${name}: the package has no ${want.code} at ${want.path}: ${thrown.message}`);
        continue;
      }
      if (want.message && !p.message.includes(want.message)) differ.push(`${name}: the package's message ${JSON.stringify(p.message)} lacks ${JSON.stringify(want.message)}`);
      // The CLI: the same line, then the same two sentences.
      const lines = stderr.split("\n");
      const i = lines.findIndex((l) => l === `error[${want.code}] at ${want.path}: ${p.message}` || l === `  - [${want.code}] at ${want.path}: ${p.message}`);
      if (i < 0) {
        differ.push(`${name}: the CLI does not say [${want.code}] at ${want.path}: ${p.message}\n${stderr}`);
        continue;
      }
      const said = lines.slice(i + 1, i + 3).map((l) => l.trim());
      for (const [lang, key] of [["zh-CN", "zh"], ["en", "en"]]) {
        if (!said.includes(`= ${lang}: ${errorSentence(want.code, key)}`)) differ.push(`${name}: the CLI's ${lang} sentence differs: ${said.join(" / ")}`);
      }
    }
  }
  assert.deepEqual(differ, []);
});

test("the playground shows every corpus problem with its path, both sentences, code and message", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${srv.origin}/playground.html`);
  await page.waitForSelector("html[data-ready=true]", { timeout: 30000 });
  const missing = [];
  for (const { name, doc, expected } of corpus) {
    await page.fill("#programme", JSON.stringify(doc, null, 2));
    // The list the author reads: one <li> per problem (the gathered error itself is the heading).
    const shown = expected.filter((w) => !(w.code === "invalid_pack" || w.code === "invalid_case"));
    const first = shown[0] || expected[0];
    try {
      await page.waitForFunction(
        ([path, code]) => [...document.querySelectorAll("#validation .problems li")].some((li) => li.textContent.startsWith(`${path} — `) && li.textContent.includes(`[${code}]`)),
        [first.path, first.code],
        { timeout: 10000 },
      );
    } catch {
      missing.push(`${name}: the playground never showed [${first.code}] at ${first.path}: ${await page.textContent("#validation")}`);
      continue;
    }
    const items = await page.$$eval("#validation .problems li", (lis) => lis.map((li) => li.textContent));
    for (const want of shown) {
      const li = items.find((t) => t.startsWith(`${want.path} — `) && t.includes(`[${want.code}]`));
      if (!li) {
        missing.push(`${name}: no item for [${want.code}] at ${want.path}: ${items.join(" | ")}`);
        continue;
      }
      for (const part of [want.zh, want.en, want.message].filter(Boolean)) {
        if (!li.includes(part)) missing.push(`${name}: the item for ${want.path} lacks ${JSON.stringify(part)}: ${li}`);
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.deepEqual(offOrigin(log, [srv.origin]), []);
  assert.deepEqual(log.pageErrors, []);
  await context.close();
});
