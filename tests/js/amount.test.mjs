// Unit tests for www/lib/amount.js: amounts, percentages and counts as people type them.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAmount, parsePercent, parseCount, inputMessage, AMOUNT_MESSAGES } from "../../www/lib/amount.js";

const ok = (typed, value, opts) => {
  const r = parseAmount(typed, opts);
  assert.deepEqual(r, { ok: true, value }, `${JSON.stringify(typed)} should read as ${value}, got ${JSON.stringify(r)}`);
};
const refused = (typed, code, opts) => {
  const r = parseAmount(typed, opts);
  assert.equal(r.ok, false, `${JSON.stringify(typed)} should be refused, got ${JSON.stringify(r)}`);
  assert.equal(r.code, code, `${JSON.stringify(typed)}: ${r.code}`);
  return r;
};

test("amounts as people write them", () => {
  ok("80000", "80000");
  ok("8万", "80000");
  ok("8.5万", "85000");
  ok("8千", "8000");
  ok("8万5千", "85000");
  ok("1万2千3百", "12300");
  ok("1.234567万", "12345.67");
  ok("5.5万元", "55000");
  ok("5k", "5000");
  ok("8w", "80000");
  ok("0.3亿", "30000000");
  ok("约5万", "50000");
  ok("８００００", "80000");
  ok("１２３，４５６．７８", "123456.78");
  ok("80,000", "80000");
  ok("80，000", "80000");
  ok("1,000,000", "1000000");
  ok("50000元", "50000");
  ok("50000 元", "50000");
  ok("¥8,000.50", "8000.50");
  ok("￥8000", "8000");
  ok("RMB 8000", "8000");
  ok(" 80 000 ", "80000");
  ok("3000块", "3000");
  ok("00120", "120");
  ok("0", "0");
  ok(".5", "0.5");
  ok("12.", "12");
});

test("an empty field: nothing, or a request for the bill", () => {
  ok("", "");
  ok("   ", "");
  refused("", "amount_empty", { required: true });
  const r = refused(" ", "bill_empty", { required: true, bill: true });
  assert.match(inputMessage(r, "en"), /Please enter the bill/);
  assert.match(inputMessage(r, "zh"), /请填写这次的医疗费用总额/);
});

test("refusals say why", () => {
  let r = refused("-500", "amount_negative");
  assert.match(inputMessage(r, "en"), /cannot be negative/);
  refused("−300", "amount_negative"); // U+2212 minus sign
  refused("－300", "amount_negative"); // full-width hyphen
  r = refused("1e15", "amount_too_large");
  assert.match(inputMessage(r, "en"), /“1e15” is more than any bill.*did you type too many zeros\?/);
  r = refused("1e5", "amount_exponent");
  assert.match(inputMessage(r, "en"), /did you mean 100000\?/);
  r = refused("1.5E3", "amount_exponent");
  assert.equal(r.vars.suggestion, "1500");
  refused("200000000", "amount_too_large");
  ok("100000000", "100000000");
  refused("100000000.01", "amount_too_large");
  refused("20000万", "amount_too_large");
  r = refused("8,00", "amount_grouping");
  assert.match(inputMessage(r, "en"), /did you mean 800 or 8\.00\?/);
  assert.match(inputMessage(r, "zh"), /是否想填 800 还是 8\.00？/);
  refused("80,00,000", "amount_grouping");
  r = refused("8.000", "amount_decimals");
  assert.match(inputMessage(r, "en"), /did you mean 8000 or 8\.00\?/);
  r = refused("12.345", "amount_decimals");
  assert.equal(r.vars.suggestion, "12345");
  r = refused("8万5", "amount_unit_mixed");
  assert.match(inputMessage(r, "en"), /did you mean 85000 or 80005\?/);
  refused("8万12千", "amount_units");
  for (const bad of ["abc", "八万", "8..0", "80000.5.3", "5万abc", "1,000.5,0", "¥", "元"]) refused(bad, "amount_not_number");
});

test("every refusal has a sentence in both languages, with nothing left unfilled", () => {
  assert.deepEqual(Object.keys(AMOUNT_MESSAGES.zh).sort(), Object.keys(AMOUNT_MESSAGES.en).sort());
  for (const typed of ["", "-1", "1e15", "1e5", "8,00", "8.000", "8万5", "8万12千", "abc"]) {
    const r = parseAmount(typed, { required: true });
    for (const lang of ["zh", "en"]) {
      const s = inputMessage(r, lang);
      assert.ok(s.length > 10, s);
      assert.doesNotMatch(s, /\{|\}|undefined/, s);
    }
  }
});

test("percentages", () => {
  const pct = (typed) => parsePercent(typed);
  assert.deepEqual(pct("85"), { ok: true, value: "0.85" });
  assert.deepEqual(pct("85%"), { ok: true, value: "0.85" });
  assert.deepEqual(pct("７０％"), { ok: true, value: "0.7" });
  assert.deepEqual(pct("85.5"), { ok: true, value: "0.855" });
  assert.deepEqual(pct("100"), { ok: true, value: "1" });
  assert.deepEqual(pct("5"), { ok: true, value: "0.05" });
  assert.deepEqual(pct("0"), { ok: true, value: "0" });
  assert.deepEqual(pct(""), { ok: true, value: "" });
  assert.equal(pct("100.5").code, "percent_too_large");
  assert.equal(pct("250").code, "percent_too_large");
  assert.equal(pct("-5").code, "percent_negative");
  assert.equal(pct("abc").code, "percent_not_number");
  assert.match(inputMessage(pct("250"), "en"), /more than 100%/);
});

test("counts: age and household size with limits", () => {
  assert.deepEqual(parseCount("65", { min: 0, max: 120 }), { ok: true, value: 65 });
  assert.deepEqual(parseCount("65岁", { min: 0, max: 120 }), { ok: true, value: 65 });
  assert.deepEqual(parseCount("３人", { min: 1, max: 30 }), { ok: true, value: 3 });
  assert.deepEqual(parseCount("", { min: 0, max: 120 }), { ok: true, value: null });
  const abc = parseCount("abc", { min: 0, max: 120 });
  assert.equal(abc.code, "count_not_number");
  assert.match(inputMessage(abc, "zh"), /“abc”不是整数/);
  const old = parseCount("200", { min: 0, max: 120 });
  assert.equal(old.code, "count_range");
  assert.match(inputMessage(old, "en"), /“200” is not between 0 and 120/);
  assert.equal(parseCount("0", { min: 1, max: 30 }).code, "count_range");
  assert.equal(parseCount("2.5", { min: 1, max: 30 }).code, "count_not_number");
});
