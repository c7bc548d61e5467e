// Strongly connected components of a directed graph (Tarjan's algorithm, iterative so that deep
// graphs, such as a long combinational chain, cannot overflow the call stack). Used to schedule a
// netlist's combinational logic and find its loops, and to find import cycles between files.

/**
 * Every strongly connected component of the graph whose nodes are `nodes` (in this order of
 * discovery) and whose edges lead from a node to `successors(node)`. Components come out in reverse
 * topological order: a component after every component it has an edge into (dependencies first,
 * when edges point at what a node depends on).
 */
export function stronglyConnectedComponents<T>(nodes: Iterable<T>, successors: (node: T) => readonly T[]): T[][] {
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const components: T[][] = [];
  let counter = 0;
  const enter = (node: T): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
  };

  for (const root of nodes) {
    if (index.has(root)) continue;
    enter(root);
    const work: { node: T; next: number }[] = [{ node: root, next: 0 }];
    while (work.length) {
      const frame = work.at(-1)!;
      const children = successors(frame.node);
      if (frame.next < children.length) {
        const child = children[frame.next++]!;
        if (!index.has(child)) {
          enter(child);
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
      const component: T[] = [];
      let member: T;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      components.push(component);
    }
  }
  return components;
}

/** Is the component a cycle: more than one node, or one node with an edge to itself? */
export function isCycle<T>(component: readonly T[], successors: (node: T) => readonly T[]): boolean {
  return component.length > 1 || successors(component[0]!).includes(component[0]!);
}
