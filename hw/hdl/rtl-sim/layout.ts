// Where each signal and memory of a flat netlist lives at simulation time: one Uint32Array of
// 32-bit words. A value of up to 32 bits is one unsigned word; a wider one takes consecutive words,
// least significant first, so that the generated code computes it with 32-bit integer operations
// (bigint arithmetic allocates and was most of the simulator's time on the core). The words hold
// bit patterns, the top word's unused bits zero: signedness only matters to the operators that read them.
// A signal driven by another signal alone (a port binding through the hierarchy, a renaming) shares
// that signal's words instead of copying them every evaluation; a third of the core's signals are such.
import type { Memory } from '../memory.js';
import type { ModuleIR } from '../netlist.js';
import type { Signal } from '../signal.js';
import type { HdlType } from '../types.js';

const narrowLimit = 32;

export function isNarrow(t: HdlType): boolean {
  return t.width <= narrowLimit;
}

/** The 32-bit words a value of `width` bits takes. */
export function wordCount(width: number): number {
  return Math.ceil(width / narrowLimit);
}

export interface Slot {
  readonly signal: Signal | null;
  readonly path: string;
  readonly type: HdlType;
  readonly narrow: boolean;
  /** Index of its first (least significant) word in the value array. */
  readonly index: number;
  readonly words: number;
  /** The signal whose words this one shares, being driven by it alone. */
  readonly sameAs?: string;
}

export class Layout {
  readonly slots: Slot[] = [];
  readonly bySignal = new Map<Signal, Slot>();
  readonly byPath = new Map<string, Slot>();
  readonly memoryIndex = new Map<Memory, number>();
  /** Signals that share the words of the signal driving them, so nothing computes them. */
  readonly aliases = new Set<Signal>();
  /** The implicit synchronous reset input, present when some register has a reset value. */
  readonly reset: Slot | null;
  /** Words in the value array. */
  size = 0;

  /** Per group given to the constructor, the words its signals take: [start, end). */
  readonly blocks: { readonly start: number; readonly end: number }[];

  /** `groups`: signals to place in one block of words each (memo.ts copies a group's values at once). */
  constructor(
    readonly flat: ModuleIR,
    groups: readonly (readonly Signal[])[] = [],
  ) {
    this.reset = flat.resettable ? this.add(null, 'rst', { width: 1, signed: false }) : null;
    const owners = new Map<Signal, Signal>();
    const ports = new Set(flat.ports);
    for (const s of flat.signals) this.owner(s, owners, ports);
    const indexOf = new Map<Signal, number>();
    const place = (s: Signal): void => {
      indexOf.set(s, this.size);
      this.size += wordCount(s.type.width);
    };
    this.blocks = groups.map((group) => {
      const start = this.size;
      for (const s of group) if (owners.get(s) === s) place(s);
      return { start, end: this.size };
    });
    for (const s of flat.signals) if (owners.get(s) === s && !indexOf.has(s)) place(s);
    for (const s of flat.signals) {
      const owner = owners.get(s)!;
      if (owner !== s) this.aliases.add(s);
      const slot: Slot = { signal: s, path: s.path, type: s.type, narrow: isNarrow(s.type), index: indexOf.get(owner)!, words: wordCount(s.type.width) };
      this.bySignal.set(s, this.push(owner === s ? slot : { ...slot, sameAs: owner.path }));
    }
    flat.memories.forEach((m, i) => this.memoryIndex.set(m, i));
  }

  /**
   * The signal whose words `signal` uses: its own, or, when a plain reference (through casts) to
   * another signal drives it, that signal's owner. Top-level outputs keep their own words and their
   * statement, so that the generated code shows how each is computed.
   */
  private owner(signal: Signal, owners: Map<Signal, Signal>, ports: ReadonlySet<Signal>): Signal {
    const known = owners.get(signal);
    if (known) return known;
    let driver = this.flat.comb.get(signal);
    while (driver?.node.kind === 'cast') driver = driver.node.a;
    const owner = driver?.node.kind === 'ref' && !ports.has(signal) ? this.owner(driver.node.signal, owners, ports) : signal;
    owners.set(signal, owner);
    return owner;
  }

  private add(signal: Signal | null, path: string, type: HdlType): Slot {
    const words = wordCount(type.width);
    const slot = this.push({ signal, path, type, narrow: isNarrow(type), index: this.size, words });
    this.size += words;
    return slot;
  }

  private push(slot: Slot): Slot {
    this.slots.push(slot);
    this.byPath.set(slot.path, slot);
    return slot;
  }
}

/** The bit pattern held in `words` words of `values` from `offset`. */
export function readWords(values: Uint32Array, offset: number, words: number): bigint {
  let bits = 0n;
  for (let i = words - 1; i >= 0; i--) bits = (bits << 32n) | BigInt(values[offset + i]!);
  return bits;
}

/** Stores a non-negative bit pattern into `words` words of `values` from `offset`. */
export function writeWords(values: Uint32Array, offset: number, words: number, bits: bigint): void {
  for (let i = 0; i < words; i++) values[offset + i] = Number(BigInt.asUintN(32, bits >> BigInt(32 * i)));
}
