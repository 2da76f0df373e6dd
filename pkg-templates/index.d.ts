// Types for the tiercost package. The data types (Case, Estimate, Pack, EngineErrorCode) are
// generated from the Rust types into ./types/ at build time; only the function signatures
// of the JS wrapper (index.js) are written here.

import type {
  Case,
  Estimate,
  Pack,
  EngineErrorCode,
  PackSummary,
  DocumentSummary,
  Comparison,
  Variant,
  PlanResult,
  AidAnswer,
  MaxBillAnswer,
  RangeResult,
  Burden,
  HelpAvailable,
} from "./types/index.js";

export type {
  Case,
  Estimate,
  Pack,
  EngineErrorCode,
  PackSummary,
  DocumentSummary,
  Comparison,
  Variant,
  PlanResult,
  AidAnswer,
  MaxBillAnswer,
  RangeResult,
  Burden,
  HelpAvailable,
};

/** Error codes: the engine's, plus `not_initialized` from this wrapper (init() not awaited,
 * or a planning function called on the core module). */
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
  /** True when the engine crashed (a bug) and is being reloaded: await ready() and retry. */
  fatal?: boolean;
}

/** What compare() reads when given one argument. */
export interface CompareInput {
  /** The base case or plan document. */
  base: Case | Record<string, unknown>;
  variants?: Variant[];
  /** Append the common variants. */
  common?: boolean;
  /** Return each variant's full estimate too. */
  includeEstimates?: boolean;
}

/** A document for the planning functions: a case, or a case with a `plan`, and their options. */
export type PlanningInput = Record<string, unknown>;

export interface Versions {
  engine: string;
  data: string;
}

export interface InitOptions {
  /** Load the larger module that also has compare() and the planning functions. */
  planning?: boolean;
  /** Where to load that module's .wasm from (default: beside index.js). */
  wasm?: string | URL | Request | Response | BufferSource | WebAssembly.Module;
}

/** Loads the engine; call once and await before anything else. */
export function init(options?: InitOptions): Promise<void>;
/** Resolves when the engine is usable (after init, or after a crash once reloaded). */
export function ready(): Promise<void>;
/** Re-instantiates the engine (fresh memory). */
export function reload(): Promise<void>;

/** Options of estimate(). */
export interface EstimateOptions {
  /**
   * "full" (the default): every benefit's steps, each item's split, the sources cited.
   * "totals": what each layer pays, its status, the family's share, its range and the
   * warnings, from the same settlement without its trace (`layers[].settlements`, `items`
   * and `sources` are empty, and `detail` is "totals").
   */
  detail?: "full" | "totals";
}

/** Estimates a case (an object, or its JSON text). Throws TiercostError. */
export function estimate(caseInput: Case | string, options?: EstimateOptions): Estimate;
/**
 * Registers a pack or programme (an object, or its JSON text): read, resolved and validated
 * once; cases then name it by `id` (`pack`, or a programme's `id`) instead of carrying it
 * inline. The same id again replaces it; a built-in pack's id is refused (`duplicate_id`).
 * Throws TiercostError.
 */
export function registerPack(pack: object | string): PackSummary;
/**
 * (planning module) Many cases in one call: a Float64Array of fen, for each case
 * `[n, total, family, familyLow, paid × n]` (n layers in settlement order). Throws TiercostError.
 */
export function estimateFen(cases: Case[] | string, options?: EstimateOptions): Float64Array;
/** Forgets a registered pack; whether one was registered under `id`. */
export function unregisterPack(id: string): boolean;
/** Compares variants of a case or plan with it. Throws TiercostError. */
export function compare(input: CompareInput | string): Comparison;
export function compare(base: Case | Record<string, unknown> | string, variants: Variant[] | string): Comparison;
/** Ready-made variants of a case or plan. */
export function commonVariants(subject: Case | PlanningInput | string): Variant[];
/** A course of treatment expanded into encounters, with cash flow, events, totals, burden. */
export function plan(doc: PlanningInput | string): PlanResult;
/** The aid that brings the family's share to a target. */
export function aidNeeded(doc: PlanningInput | string): AidAnswer;
/** The largest bill that keeps the family's share under a target. */
export function maxBill(doc: PlanningInput | string): MaxBillAnswer;
/** Lowest, typical and highest share when some inputs are unknown. */
export function range(doc: PlanningInput | string): RangeResult;
/** The family's share against household income and capacity to pay. */
export function burden(doc: PlanningInput | string): Burden;
/** Programmes, products and assistance categories the family could still apply for. */
export function helpAvailable(doc: PlanningInput | string): HelpAvailable;
/** Validates a policy pack or charity programme; returns its summary. Throws TiercostError. */
export function validate(doc: Pack | Record<string, unknown> | string): DocumentSummary;
/** The embedded policy packs and programmes. */
export function listPacks(): PackSummary[];
/** The engine and data versions. */
export function versions(): Versions;
/** Every stable error code the engine can throw. */
export function errorCodes(): EngineErrorCode[];
/** Debugging: bytes of the engine's WebAssembly linear memory (its peak use), or null before init(). */
export function memoryBytes(): number | null;
