// Unit tests for www/scenarios.js's structure helpers: the merge patch between two case
// documents (RFC 7386, as src/planning/scenario.rs applies it) and a common variant's preset made on the
// page's own case. Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { mergePatch, applyPreset } from "../../www/scenarios.js";

// RFC 7386 MergePatch(Target, Patch), as src/planning/scenario.rs merge_patch.
function apply(target, patch) {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return structuredClone(patch);
  const out = target && typeof target === "object" && !Array.isArray(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = apply(out[k], v);
  }
  return out;
}

const A = {
  pack: "cn-beijing",
  member: { scheme: "resident", group: "adult", category: "none", householdIncome: "60000", enrolments: ["beijing-puhui"] },
  encounters: [
    { date: "2026-03-01", setting: "inpatient", level: "level3", total: "80000", split: { classA: "0.7", classB: "0.2", classC: "0.1" } },
    { date: "2026-05-01", setting: "inpatient", level: "level3", total: "30000", split: { classA: "0.7", classB: "0.2", classC: "0.1" } },
  ],
};

test("the patch from a case to another turns the first into the second", () => {
  const variants = [
    { ...structuredClone(A), encounters: [A.encounters[0], { ...A.encounters[1], level: "level1" }] },
    { ...structuredClone(A), member: { ...A.member, category: "minimum_living", householdIncome: undefined } },
    { pack: "cn-wuhan", member: { scheme: "employee", group: "retired" }, encounters: [{ date: "2026-03-01", setting: "outpatient", items: [{ amount: "100", class: "a" }] }], programmes: [{ id: "pap-x" }] },
    { ...structuredClone(A), inlinePack: { id: "x", layers: [] } },
    structuredClone(A),
  ];
  for (const B of variants) {
    const b = JSON.parse(JSON.stringify(B)); // undefined keys dropped, as buildCase leaves them out
    const p = mergePatch(A, b);
    assert.deepEqual(apply(A, p), b);
  }
  assert.deepEqual(mergePatch(A, structuredClone(A)), {}, "the same case: an empty patch");
  // arrays are replaced whole; a key the variant lacks is removed
  const p = mergePatch(A, { ...structuredClone(A), member: { scheme: "resident", group: "adult", category: "none", enrolments: [] } });
  assert.deepEqual(p, { member: { householdIncome: null, enrolments: [] } });
});

test("a common variant's preset made on the page's case", () => {
  const c = () => ({ category: "none", enrolments: ["a"], programmes: [], encounters: [{ level: "level3", locality: "in_region", filed: "" }, { level: "level2", locality: "in_region", filed: "" }] });
  let x = c();
  assert.equal(applyPreset(x, { kind: "level", level: "level1" }), true);
  assert.deepEqual(x.encounters.map((e) => e.level), ["level1", "level1"]);
  x = c();
  applyPreset(x, { kind: "locality", locality: "out_of_province", filed: false });
  assert.deepEqual(x.encounters.map((e) => [e.locality, e.filed]), [["out_of_province", "no"], ["out_of_province", "no"]]);
  x = c(); applyPreset(x, { kind: "enrol", product: "b" }); assert.deepEqual(x.enrolments, ["a", "b"]);
  x = c(); applyPreset(x, { kind: "unenrol", product: "a" }); assert.deepEqual(x.enrolments, []);
  x = c(); applyPreset(x, { kind: "category", category: "orphan" }); assert.equal(x.category, "orphan");
  x = c(); applyPreset(x, { kind: "programme", id: "pap" }); assert.deepEqual(x.programmes, ["pap"]);
  assert.equal(applyPreset(c(), undefined), false, "a settlement order is not a field of the form");
});
