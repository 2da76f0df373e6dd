// Types for the tiercost package. The data types (Case, Estimate, Pack, EngineErrorCode) are
// generated from the Rust types into ./types/ at build time; only the function signatures
// of the JS wrapper (index.js) are written here.

import type { Case, Estimate, Pack, EngineErrorCode } from "./types/index.js";

export type { Case, Estimate, Pack, EngineErrorCode };

/** Error codes: the engine's, plus `not_initialized` from this wrapper. */
export type ErrorCode = EngineErrorCode | "not_initialized";

/** One problem found in a document, as carried in `TiercostError.problems`. */
export interface Problem {
  code: EngineErrorCode;
  path: string;
  message: string;
  problems?: Problem[];
}

/** Everything the engine throws. */
export interface TiercostError extends Error {
  name: "TiercostError";
  /** Stable code, e.g. "invalid_amount". */
  code: ErrorCode;
  /** JSON path of the field at fault, e.g. "$.encounters[0].items[2].amount". */
  path: string;
  /** The engine's message without the code and path. */
  detail: string;
  /** Individual problems when a document has several. */
  problems: Problem[];
  /** For compare(): the index of the variant that failed. */
  variant?: number;
  /** True when the engine crashed (a bug) and is being reloaded: await ready() and retry. */
  fatal?: boolean;
}

/** A scenario for compare(): a JSON merge patch (RFC 7386) applied to the case. */
export interface Variant {
  label: string;
  patch: Record<string, unknown>;
}

export interface Comparison {
  base: Estimate;
  variants: { label: string; estimate: Estimate }[];
}

export interface Versions {
  engine: string;
  data: string;
}

export interface InitOptions {
  /** Where to load the .wasm from (default: beside index.js). */
  wasm?: string | URL | Request | Response | BufferSource | WebAssembly.Module;
}

/** Loads the engine; call once and await before anything else. */
export function init(options?: InitOptions): Promise<void>;
/** Resolves when the engine is usable (after init, or after a crash once reloaded). */
export function ready(): Promise<void>;
/** Re-instantiates the engine (fresh memory). */
export function reload(): Promise<void>;

/** Estimates a case (an object, or its JSON text). Throws TiercostError. */
export function estimate(caseInput: Case | string): Estimate;
/** Estimates a case and variants of it. Throws TiercostError (with `variant` when one fails). */
export function compare(caseInput: Case | string, variants: Variant[]): Comparison;
/** Validates a policy pack or charity programme; returns its summary. Throws TiercostError. */
export function validate(doc: Pack | string | object): Record<string, unknown>;
/** The embedded policy packs. */
export function listPacks(): Record<string, unknown>[];
/** The engine and data versions. */
export function versions(): Versions;
/** Every stable error code the engine can throw. */
export function errorCodes(): EngineErrorCode[];
/** JSON Schema of a policy pack or programme. */
export function packSchema(): Record<string, unknown>;
/** JSON Schema of a case. */
export function caseSchema(): Record<string, unknown>;
/** JSON Schema of an estimate. */
export function resultSchema(): Record<string, unknown>;
