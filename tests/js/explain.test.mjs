// The page and the CLI say the same sentences: every settlement step of every case in
// tests/cases (and the README's example), rendered by www/lib/explain.js from the CLI's JSON,
// must equal the step lines of the CLI's `--format text` (src/results/wording.rs renders the same
// templates of www/lib/explain-text.js). Amounts are formatted as the CLI writes them (¥ and the
// decimal), so only the words and the template rules are compared.
// Run: node --test tests/js/   (builds the CLI once with cargo, or uses $TIERCOST_BIN)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stepSentence, fill, sourceLine } from "../../www/lib/explain.js";
import { EXPLAIN_TEXT } from "../../www/lib/explain-text.js";
import { rate } from "../../www/lib/format.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const cliFormat = { money: (d) => `¥${d}`, rate };

function cli() {
  if (process.env.TIERCOST_BIN) return process.env.TIERCOST_BIN;
  execFileSync("cargo", ["build", "-q", "-p", "tiercost-cli", "--bin", "tiercost"], { cwd: root, stdio: "inherit" });
  return join(process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target"), "debug", "tiercost");
}

function files(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== "bad-input") files(p, out); }
    else if (name.endsWith(".json")) out.push(p);
  }
  return out;
}

test("the CLI's step sentences are the page's, for every case file, in both languages", () => {
  const bin = cli();
  const cases = [["examples/inline-pack-case.json", readFileSync(join(root, "examples/inline-pack-case.json"), "utf8")]];
  for (const f of files(join(root, "tests/cases"))) {
    const doc = JSON.parse(readFileSync(f, "utf8"));
    if (doc.case && !doc.expected?.error) cases.push([f.slice(root.length + 1), JSON.stringify(doc.case)]);
  }
  const seen = new Set();
  let compared = 0;
  for (const [name, input] of cases) {
    const run = (...args) => {
      try { return execFileSync(bin, ["estimate", "-", ...args], { input, encoding: "utf8", stdio: ["pipe", "pipe", "ignore"] }); }
      catch { return null; } // a case the engine refuses: nothing to compare
    };
    const json = run();
    if (json === null) continue;
    const estimate = JSON.parse(json);
    for (const lang of ["en", "zh"]) {
      const printed = run("--format", "text", "--lang", lang).split("\n").filter((l) => l.startsWith("    - ")).map((l) => l.slice(6));
      const rendered = [];
      for (const l of estimate.layers) {
        if (l.outcome.status !== "eligible") continue;
        for (const s of l.settlements) for (const step of s.steps) {
          const sentence = stepSentence(step, lang, cliFormat);
          if (sentence) { rendered.push(sentence); seen.add(step.step); }
        }
      }
      assert.deepEqual(rendered, printed, `${name} (${lang})`);
      compared += rendered.length;
    }
  }
  assert.ok(compared > 100, `only ${compared} sentences compared`);
  const kinds = Object.keys(EXPLAIN_TEXT).filter((k) => k.startsWith("step.")).map((k) => k.slice(5));
  assert.deepEqual(kinds.filter((k) => !seen.has(k)), [], "step kinds no case file exercises (with something to say)");
});

test("templates: fields, optional fragments, words, lists and conditions", () => {
  const f = { money: (d) => `¥${d}`, rate };
  const deductible = { step: "deductible", amount: "1300.00", per: "encounter", metBefore: "0.00", applied: "1300.00", admission: 2, offset: "100.00" };
  assert.equal(stepSentence(deductible, "en", f), "Deductible ¥1300.00 (per encounter, admission 2 of the year); ¥0.00 was met before, ¥1300.00 applied now, ¥100.00 of it met by earlier layers' payments.");
  assert.equal(stepSentence({ ...deductible, admission: undefined, offset: undefined }, "zh", f), "起付线 ¥1300.00（每次），此前已达到 ¥0.00，本次扣除 ¥1300.00。");
  assert.equal(stepSentence({ step: "rounding", exact: "10.00", rounded: "10.00" }, "en", f), "");
  assert.equal(stepSentence({ step: "cap", limit: "100.00", per: "year", on: "cost", usedBefore: "0.00", reduction: "5.00" }, "en", f), "Cap ¥100.00 (per year, on cost); ¥0.00 used before, so ¥5.00 less is paid.");
  // the page's own formatting of amounts
  assert.equal(stepSentence({ step: "lump_sum", amount: "45400.00", pays: "45400.00" }, "en"), "A lump sum of ¥45,400.00; ¥45,400.00 paid.");
  assert.equal(fill("no.such.key", "en", {}), "");
  assert.equal(sourceLine("k", { k: { title: "T", published: "2025-01-01", grade: "A" } }, "zh"), "T，发布于 2025-01-01，来源等级 A");
});

test("unId: a source key becomes its title only where it stands whole, and other ids go", async () => {
  const { unId } = await import("../../www/lib/explain.js");
  const sources = { "cn-beijing/bj-s1": { title: "A" }, "cn-beijing/bj-s13": { title: "B13" }, "cn-beijing/bj-s14": { title: "C14" } };
  assert.equal(
    unId("核实：cn-beijing/bj-s13 (C)，cn-beijing/bj-s14 (C)，cn-beijing/bj-s1 (B)；见 bj-s13", sources),
    "核实：“B13” (C)，“C14” (C)，“A” (B)；见 “B13”",
  );
  assert.equal(unId("ask cn-wuhan/wh-x（pap-gipap）", {}), "ask ");
});
