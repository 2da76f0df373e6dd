// tiercost and Publicodes give the same amounts, to the fen, on every bill of the
// side-by-side benchmark (benches/compare/: the same three layers written for each engine).
// The same check as the first step of compare-bench.mjs, here in Node on the built package,
// so that a change to the engine that moves a fen on these bills fails `make browser-test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Engine from "publicodes";
import { agreement, load } from "../../benches/compare/bills.mjs";

test("tiercost and Publicodes agree to the fen on every comparison bill", async () => {
  const t = await import(pathToFileURL(resolve(import.meta.dirname, "../../pkg/index.js")).href);
  await t.init();
  const data = await load();
  assert.ok(data.bills.length >= 20, "at least 20 bills");
  const { mismatches } = agreement(t, Engine, data);
  assert.deepEqual(mismatches, []);
});
