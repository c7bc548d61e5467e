// Combinational scheduling: orders the driven signals of a flat netlist so that each is computed
// after everything it reads, and finds the strongly connected components that make that impossible
// (combinational loops). Registers, inputs and memory contents are state, so they cut every path.
import { exprReads } from './expr.js';
import type { ModuleIR } from './netlist.js';
import type { Signal } from './signal.js';
import { isCycle, stronglyConnectedComponents } from '../../util/graph.js';

export interface Schedule {
  /** Comb-driven signals, dependencies first. */
  readonly order: readonly Signal[];
  /** Each combinational loop, as its signals in declaration order. */
  readonly loops: readonly (readonly Signal[])[];
}

function combDependencies(flat: ModuleIR): Map<Signal, Signal[]> {
  const deps = new Map<Signal, Signal[]>();
  for (const [signal, value] of flat.comb) deps.set(signal, [...exprReads(value).signals].filter((read) => flat.comb.has(read)));
  return deps;
}

/** Comb-driven signals in dependency order, and the combinational loops (see util/graph.ts). */
export function schedule(flat: ModuleIR): Schedule {
  const deps = combDependencies(flat);
  const successors = (signal: Signal): readonly Signal[] => deps.get(signal)!;
  const declOrder = new Map(flat.signals.map((s, i) => [s, i]));
  const components = stronglyConnectedComponents(flat.comb.keys(), successors);
  const loops = components
    .filter((component) => isCycle(component, successors))
    .map((component) => component.sort((a, b) => declOrder.get(a)! - declOrder.get(b)!));
  return { order: components.flat(), loops };
}
