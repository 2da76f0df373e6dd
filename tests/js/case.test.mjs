// www/lib/case.js: the one builder of the engine's case document, used by the page (app.js)
// and the widget (widget/core.js). The same bill typed into either is the same case.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCase, SPLITS, IN_CATALOGUE } from "../../www/lib/case.js";
import { buildCase as widgetCase } from "../../www/widget/core.js";

// The page's state for one quick bill (app.js newEncounter/normaliseCase shape).
const pageForm = (e = {}, c = {}) => ({
  pack: "cn-wuhan", scheme: "resident", group: "adult", age: "", category: "", householdSize: "", householdIncome: "",
  enrolments: [], programmes: [],
  encounters: [{ date: "2025-03-01", setting: "inpatient", level: "level3", locality: "in_region", filed: "", referred: "", mode: "quick", total: "", split: "unknown", ooc: "", custom: { a: "", b: "", c: "" }, items: [], ...e }],
  ...c,
});
// What the engine receives: JSON (undefined members dropped).
const sent = (doc) => JSON.parse(JSON.stringify(doc));

test("amounts and household facts as people type them", () => {
  const doc = sent(buildCase(pageForm({ total: " 8万 元" }, { age: "66岁", householdSize: "4口人", householdIncome: "3.6万", category: "minimum_living", enrolments: ["hmb"] })));
  assert.deepEqual(doc, {
    pack: "cn-wuhan",
    member: { scheme: "resident", group: "adult", age: 66, category: "minimum_living", householdSize: 4, householdIncome: "36000", enrolments: ["hmb"] },
    encounters: [{ date: "2025-03-01", setting: "inpatient", level: "level3", total: "80000" }],
  });
});

test("what cannot be read goes to the engine as typed (it refuses it at its field)", () => {
  const doc = sent(buildCase(pageForm({ total: "about ten thousand" }, { householdIncome: "lots" })));
  assert.equal(doc.encounters[0].total, "about ten thousand");
  assert.equal(doc.member.householdIncome, "lots");
});

test("splits: typical when the pack has none, typed percentages, the self-pay part", () => {
  const noTypical = { hasTypicalSplit: false };
  assert.equal(sent(buildCase(pageForm({ total: "1000" }))).encounters[0].split, undefined, "the pack's own typical split");
  assert.deepEqual(buildCase(pageForm({ total: "1000" }), noTypical).encounters[0].split, SPLITS.a50);
  assert.deepEqual(buildCase(pageForm({ total: "1000" }), { ...noTypical, splitFor: "a70" }).encounters[0].split, SPLITS.a70);
  assert.deepEqual(buildCase(pageForm({ total: "1000", split: "a40" })).encounters[0].split, SPLITS.a40);
  assert.deepEqual(buildCase(pageForm({ total: "1000", split: "custom", custom: { a: "60%", b: "30", c: "10" } })).encounters[0].split, { classA: "0.6", classB: "0.3", classC: "0.1" });
  const ooc = buildCase(pageForm({ total: "1000", split: "ooc", ooc: "20%" }), noTypical).encounters[0];
  assert.deepEqual([ooc.outOfCatalogue, ooc.split], [{ share: "0.2" }, IN_CATALOGUE.a50]);
  assert.deepEqual(buildCase(pageForm({ total: "1000", split: "ooc", ooc: "1万" })).encounters[0].outOfCatalogue, { amount: "10000" });
});

test("itemised bills, 异地 care, programmes by id or as documents, rules entered by an organisation", () => {
  const items = [{ description: "CT", class: "b", amount: "1,200", code: "ct", quantity: 2 }, { description: "", class: "a", amount: "300" }];
  const e = sent(buildCase(pageForm({ mode: "items", items, locality: "out_of_province", filed: "yes", referred: "no" }))).encounters[0];
  assert.deepEqual(e, {
    date: "2025-03-01", setting: "inpatient", level: "level3", locality: "out_of_province", filed: true, referred: false,
    items: [{ amount: "1200", class: "b", description: "CT", code: "ct", quantity: 2 }, { amount: "300", class: "a" }],
  });
  const programme = { id: "my-programme", kind: "programme" };
  assert.deepEqual(buildCase(pageForm({ total: "1" }, { programmes: ["pap-cqcf", programme] })).programmes, [{ id: "pap-cqcf" }, { inline: programme }]);
  const own = buildCase(pageForm({ total: "1" }, { inlinePack: { id: "entered" } }));
  assert.deepEqual([own.pack, own.inlinePack], [undefined, { id: "entered" }]);
});

test("the widget's form builds the page's case for the same bill", () => {
  const values = { pack: "cn-wuhan", scheme: "resident", group: "adult", level: "level3", date: "2025-03-01", amount: "5万", split: "0.6, 0.3, 0.1", householdSize: "3", householdIncome: "2.4万", category: "minimum_living", diagnoses: [], enrolments: ["hmb"] };
  const page = buildCase(pageForm({ total: "5万", split: "custom", custom: { a: "60", b: "30", c: "10" } }, { householdSize: "3", householdIncome: "2.4万", category: "minimum_living", enrolments: ["hmb"], programmes: ["pap-cqcf"] }));
  assert.deepEqual(sent(widgetCase(values, "pap-cqcf")), sent(page));
});
