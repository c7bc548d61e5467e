// Resolving `<design> --param name=value ...` into an elaborated design.
import { elaborate, type Design } from '../hw/hdl/index.js';
import { designs, findDesign } from '../hw/designs.js';
import { type DesignEntry, resolveDesignParams } from '../hw/params.js';
import { UsageError } from './errors.js';

export function lookupDesign(name: string): DesignEntry {
  const entry = findDesign(name);
  if (!entry) throw new UsageError(`unknown design '${name}' (designs: ${designs.map((d) => d.name).join(', ')})`);
  return entry;
}

export function elaborateFromArgs(name: string, params: readonly string[]): Design {
  const entry = lookupDesign(name);
  return elaborate(entry.generator, resolveDesignParams(entry, params));
}

/** commander collector for repeatable `--param name=value`. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
