// Combinational scheduling: orders the driven signals of a flat netlist so that each is computed
// after everything it reads, and finds the strongly connected components that make that impossible
// (combinational loops). Registers, inputs and memory contents are state, so they cut every path.
import { type Expr, operands } from './expr';
import type { ModuleIR } from './netlist';
import type { Signal } from './signal';

export interface Schedule {
  /** Comb-driven signals, dependencies first. */
  readonly order: readonly Signal[];
  /** Each combinational loop, as its signals in declaration order. */
  readonly loops: readonly (readonly Signal[])[];
}

function combDependencies(flat: ModuleIR): Map<Signal, Signal[]> {
  const deps = new Map<Signal, Signal[]>();
  for (const [signal, value] of flat.comb) {
    const found = new Set<Signal>();
    const seen = new Set<Expr>();
    const stack: Expr[] = [value];
    while (stack.length) {
      const e = stack.pop()!;
      if (seen.has(e)) continue;
      seen.add(e);
      if (e.node.kind === 'ref') {
        if (flat.comb.has(e.node.signal)) found.add(e.node.signal);
      } else {
        stack.push(...operands(e.node));
      }
    }
    deps.set(signal, [...found]);
  }
  return deps;
}

/** Tarjan's algorithm, iterative: components come out dependencies first. */
export function schedule(flat: ModuleIR): Schedule {
  const deps = combDependencies(flat);
  const index = new Map<Signal, number>();
  const low = new Map<Signal, number>();
  const onStack = new Set<Signal>();
  const stack: Signal[] = [];
  const order: Signal[] = [];
  const loops: Signal[][] = [];
  const declOrder = new Map(flat.signals.map((s, i) => [s, i]));
  let counter = 0;

  for (const root of flat.comb.keys()) {
    if (index.has(root)) continue;
    const work: { node: Signal; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work.at(-1)!;
      const children = deps.get(frame.node)!;
      if (frame.next < children.length) {
        const child = children[frame.next++]!;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, next: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: Signal[] = [];
      let member: Signal;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && deps.get(frame.node)!.includes(frame.node);
      if (component.length > 1 || selfLoop) {
        loops.push(component.sort((a, b) => declOrder.get(a)! - declOrder.get(b)!));
      }
      order.push(...component);
    }
  }
  return { order, loops };
}
