// Memoised groups: the combinational signals that depend on one register alone, when there are many
// of them (a processor's instruction decoder, which reads only the instruction register), are
// computed once per value of that register and copied from a table afterwards, and not touched at
// all while the register keeps its value. The generated code evaluates them as one block before
// the rest (codegen.ts), from words that the layout places together (layout.ts).
import { exprReads } from '../expr.js';
import type { Memory } from '../memory.js';
import type { ModuleIR } from '../netlist.js';
import type { Schedule } from '../schedule.js';
import type { Signal } from '../signal.js';
import { isNarrow, type Layout } from './layout.js';

/**
 * Fewest signals worth a group: below this, a table lookup and a copy cost about what computing
 * the signals does.
 */
const MIN_MEMO_SIGNALS = 64;

export interface MemoGroup {
  /** The register (of up to 32 bits) whose value alone determines the members'. */
  readonly key: Signal;
  /** The comb-driven signals computed from the key alone, in an order that computes each after what it reads. */
  readonly members: readonly Signal[];
}

export interface MemoPlan {
  readonly groups: readonly MemoGroup[];
  /**
   * The schedule reordered: the signals that depend on no state (constants) first, then each
   * group's members, then the rest in schedule order. Valid, since a signal reads only signals
   * whose state sources are a subset of its own.
   */
  readonly order: readonly Signal[];
}

/** The state (registers, inputs, memories) each comb-driven signal's value depends on. */
function stateSources(flat: ModuleIR, sched: Schedule): Map<Signal, Set<Signal | Memory>> {
  const sources = new Map<Signal, Set<Signal | Memory>>();
  for (const signal of sched.order) {
    const reads = exprReads(flat.comb.get(signal)!);
    const found = new Set<Signal | Memory>(reads.memories);
    for (const read of reads.signals) for (const source of sources.get(read) ?? [read]) found.add(source);
    sources.set(signal, found);
  }
  return sources;
}

export function memoPlan(flat: ModuleIR, sched: Schedule): MemoPlan {
  const sources = stateSources(flat, sched);
  const registers = new Set(flat.regs.map((r) => r.reg));
  const byKey = new Map<Signal, Signal[]>();
  const constant: Signal[] = [];
  for (const signal of sched.order) {
    const found = sources.get(signal)!;
    if (found.size === 0) constant.push(signal);
    if (found.size !== 1) continue;
    const key = [...found][0] as Signal;
    if (!registers.has(key) || !isNarrow(key.type)) continue;
    const members = byKey.get(key);
    if (members) members.push(signal);
    else byKey.set(key, [signal]);
  }
  const groups = [...byKey].filter(([, members]) => members.length >= MIN_MEMO_SIGNALS).map(([key, members]) => ({ key, members }));
  const placed = new Set([...constant, ...groups.flatMap((g) => g.members)]);
  return { groups, order: [...constant, ...groups.flatMap((g) => g.members), ...sched.order.filter((signal) => !placed.has(signal))] };
}

/** Values kept per group: bounds the table's memory (4096 values of the core's decoder take 7 MB); a full table starts again. */
const TABLE_LIMIT = 4096;

/**
 * The generated function `memo<i>()` that brings group i's members up to date, with its table; it
 * calls `compute` (the members' statements) for a value of the key not seen yet.
 */
export function memoFunction(i: number, group: MemoGroup, layout: Layout, compute: string): string {
  const { start, end } = layout.blocks[i]!;
  const key = layout.bySignal.get(group.key)!.index;
  const table = `memo${i}Table`;
  const last = `memo${i}Key`;
  return [
    `// The ${group.members.length} signals that depend on ${group.key.path} alone, in s[${start}..${end - 1}], per value of it (memo.ts).`,
    `const ${table} = new Map();`,
    `let ${last} = -1; // the value of ${group.key.path} the words hold (none yet)`,
    `function memo${i}() {`,
    `  const key = s[${key}];`,
    `  if (key === ${last}) return;`,
    `  ${last} = key;`,
    `  const known = ${table}.get(key);`,
    `  if (known !== undefined) return s.set(known, ${start});`,
    `  ${compute}();`,
    `  if (${table}.size === ${TABLE_LIMIT}) ${table}.clear();`,
    `  ${table}.set(key, s.slice(${start}, ${end}));`,
    `}`,
  ].join('\n');
}
