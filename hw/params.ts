// The registry entry of a design: its generator and declared parameters (util/params.ts), what
// `nmsparse list` shows and how `--param name=value` is checked.
import type { ModuleGenerator, Params, Ports } from './hdl/index.js';
import { resolveParamAssignments, type ParamSpec } from '../util/params.js';

export interface DesignEntry {
  readonly name: string;
  readonly description: string;
  // Generators differ in their parameter and port types; the registry only passes them through.
  readonly generator: ModuleGenerator<any, Ports>;
  readonly params: readonly ParamSpec[];
  /** Parameterizations that the test suite lints, synthesizes and cross-checks against Icarus Verilog. */
  readonly checked: readonly Params[];
}

/** The design's defaults overridden by `name=value` assignments; every problem is named. */
export function resolveDesignParams(entry: DesignEntry, assignments: readonly string[]): Params {
  return resolveParamAssignments({ kind: 'design', name: entry.name, params: entry.params }, assignments);
}
