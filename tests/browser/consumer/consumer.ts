// Compiled with `tsc --noEmit` against the packed package: the published types must let a
// TypeScript user write this without casts.
import {
  init,
  estimate,
  compare,
  validate,
  listPacks,
  versions,
  errorCodes,
  commonVariants,
  plan,
  burden,
  range,
  aidNeeded,
  maxBill,
  helpAvailable,
  registerPack,
  unregisterPack,
  type Comparison,
  type PlanResult,
  type PackSummary,
  type Case,
  type Estimate,
  type TiercostError,
  type ErrorCode,
} from "tiercost";
import { packSchema } from "tiercost/schemas";

await init({ planning: true });

const c: Case = {
  pack: "cn-wuhan",
  member: { scheme: "resident", group: "adult" },
  encounters: [{ date: "2025-05-10", setting: "inpatient", items: [{ amount: "50000", class: "a" }] }],
};

const e: Estimate = estimate(c);
const total: string = e.total;
const patient: string = e.patient.total;
const layerNames: string[] = e.layers.map((l) => `${l.id}: ${l.paid}`);
console.log(total, patient, layerNames, versions().engine, listPacks().length, errorCodes()[0]);

const registered: PackSummary = registerPack({ id: "my-pack" });
const totals: Estimate = estimate({ ...c, pack: registered.id }, { detail: "totals" });
const forgot: boolean = unregisterPack(registered.id);
console.log(totals.detail, forgot);
// @ts-expect-error detail is "full" or "totals"
estimate(c, { detail: "everything" });

const cmp: Comparison = compare(c, [{ label: "bigger", patch: { encounters: [] } }]);
const cmp2: Comparison = compare({ base: c, variants: commonVariants(c), includeEstimates: true });
const p: PlanResult = plan({ ...c });
const packs: PackSummary[] = listPacks();
console.log(cmp, cmp2, p, packs, Object.keys(packSchema()), burden, range, aidNeeded, maxBill, helpAvailable);

try {
  estimate("{");
} catch (err) {
  const te = err as TiercostError;
  const code: ErrorCode = te.code;
  console.log(code, te.path, te.problems.length, validate);
}

// @ts-expect-error money is a decimal string, never a number
const wrong: Case = { ...c, encounters: [{ date: "2025-05-10", setting: "inpatient", items: [{ amount: 50000 }] }] };
console.log(wrong);
