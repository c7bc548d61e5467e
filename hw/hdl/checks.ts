// Every kind of design error elaboration can report, in one registry: its id (what `error[<id>]`
// prints), when it is found, the pass that finds it, and a one-line summary. elaborate() runs the
// passes of each stage in registry order, Diagnostic names its check by a registered id, and
// test/hdl/error-docs.test.ts requires a section of docs/hdl-errors.md for each entry (and its
// summary in that page's table), so a check cannot be added without its documentation.

/**
 * When a check runs, in elaboration order:
 * - build: while a generator runs; the mistake is thrown at once, at the line that makes it.
 * - module: on each module when its generator returns.
 * - netlist: on each module once its when/switch scopes are lowered to one driver per signal.
 * - design: on the flattened design, where paths through instances are visible.
 */
export type Stage = 'build' | 'module' | 'netlist' | 'design';

/** The stages that run passes after the generators (build-stage errors are thrown where they happen). */
export type PassStage = Exclude<Stage, 'build'>;

interface CheckEntry {
  readonly id: string;
  readonly stage: Stage;
  /** The pass that reports it (one pass may report several checks); none for the build stage. */
  readonly pass?: string;
  readonly summary: string;
}

/** In the order docs/hdl-errors.md presents them: the passes' checks in elaboration order, then the build-stage errors. */
export const checks = [
  { id: 'names', stage: 'module', pass: 'names', summary: 'a name that cannot reach the Verilog unchanged, or is declared twice' },
  { id: 'drivers', stage: 'module', pass: 'drivers', summary: 'a module assigns a signal that it does not drive' },
  { id: 'conflicting-drivers', stage: 'module', pass: 'drivers', summary: 'two unconditional assignments to one signal in one scope' },
  { id: 'width-mismatch', stage: 'module', pass: 'widths', summary: 'an assigned value whose type differs from its target, or a literal that does not fit' },
  { id: 'foreign-refs', stage: 'module', pass: 'foreign-refs', summary: "a read of another module's signal or memory" },
  { id: 'undriven', stage: 'netlist', pass: 'undriven', summary: 'an output, wire or instance input without a value on some path' },
  { id: 'comb-loops', stage: 'design', pass: 'comb-loops', summary: 'a signal that depends on itself through combinational logic' },
  { id: 'operator', stage: 'build', summary: 'an operator applied to operands it does not accept (types, ranges, when conditions)' },
  { id: 'memory-port', stage: 'build', summary: 'a memory depth that is not a power of two, too many initial words, or a port with the wrong types' },
] as const satisfies readonly CheckEntry[];

type Check = (typeof checks)[number];

/** The id of a registered check: what a Diagnostic names. */
export type CheckId = Check['id'];

type CheckAt<S extends PassStage> = Extract<Check, { readonly stage: S; readonly pass: string }>;

/** The names of the passes that run at `stage`. */
export type PassName<S extends PassStage> = CheckAt<S>['pass'];

/** The passes of `stage`, each once, in registry order. */
export function passNames<S extends PassStage>(stage: S): PassName<S>[] {
  const atStage = checks.filter((c): c is Check & { readonly pass: PassName<S> } => c.stage === stage);
  return [...new Set(atStage.map((c) => c.pass))];
}
