// `import { packSchema } from "tiercost/schemas"`: the JSON Schemas generated from the Rust
// types, as a separate entry so that a page estimating a bill does not download them.
/** JSON Schema of a policy pack or programme (a fresh copy each call). */
export function packSchema(): Record<string, unknown>;
/** JSON Schema of a case (a fresh copy each call). */
export function caseSchema(): Record<string, unknown>;
/** JSON Schema of an estimate (a fresh copy each call). */
export function resultSchema(): Record<string, unknown>;
