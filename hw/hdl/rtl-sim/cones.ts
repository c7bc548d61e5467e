// The combinational fan-out cone of each top-level input: the comb-driven signals whose value can
// change when only that input does, in schedule order. A testbench that answers the design within
// a cycle (a grant given after reading the request) changes one input between two reads; the
// simulator then re-evaluates that input's cone instead of the whole netlist.
import { exprReads } from '../expr.js';
import type { ModuleIR } from '../netlist.js';
import type { Schedule } from '../schedule.js';
import type { Signal } from '../signal.js';

/** For every signal, the comb-driven signals whose driver reads it directly. */
function directReaders(flat: ModuleIR): Map<Signal, Signal[]> {
  const readers = new Map<Signal, Signal[]>();
  for (const [signal, value] of flat.comb) {
    for (const source of exprReads(value).signals) {
      const list = readers.get(source);
      if (list) list.push(signal);
      else readers.set(source, [signal]);
    }
  }
  return readers;
}

/** Each input's cone, in the order of `inputs`, each cone in schedule order. */
export function inputCones(flat: ModuleIR, sched: Schedule, inputs: readonly Signal[]): Signal[][] {
  const readers = directReaders(flat);
  return inputs.map((input) => {
    const cone = new Set<Signal>();
    const stack = [input];
    while (stack.length) {
      for (const reader of readers.get(stack.pop()!) ?? []) {
        if (cone.has(reader)) continue;
        cone.add(reader);
        stack.push(reader);
      }
    }
    return sched.order.filter((signal) => cone.has(signal));
  });
}
