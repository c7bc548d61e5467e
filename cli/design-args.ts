// Resolving `<design> --param name=value ...` into a design and checked parameter values.
import { designs, findDesign } from '../hw/designs.js';
import type { Params } from '../hw/hdl/index.js';
import { type DesignEntry, resolveDesignParams } from '../hw/params.js';
import { UsageError } from './errors.js';

export interface DesignChoice {
  readonly entry: DesignEntry;
  readonly params: Params;
}

export function chooseDesign(name: string, assignments: readonly string[]): DesignChoice {
  const entry = findDesign(name);
  if (!entry) throw new UsageError(`unknown design '${name}' (designs: ${designs.map((d) => d.name).join(', ')})`);
  return { entry, params: resolveDesignParams(entry, assignments) };
}
