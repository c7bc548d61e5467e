// Where each signal and memory of a flat netlist lives at simulation time: one Uint32Array of
// 32-bit words. A value of up to 32 bits is one unsigned word; a wider one takes consecutive words,
// least significant first, so that the generated code computes it with 32-bit integer operations
// (bigint arithmetic allocates and was most of the simulator's time on the core). The words hold
// bit patterns, the top word's unused bits zero: signedness only matters to the operators that read them.
import type { Memory } from '../memory.js';
import type { ModuleIR } from '../netlist.js';
import type { Signal } from '../signal.js';
import type { HdlType } from '../types.js';

export const narrowLimit = 32;

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
}

export class Layout {
  readonly slots: Slot[] = [];
  readonly bySignal = new Map<Signal, Slot>();
  readonly byPath = new Map<string, Slot>();
  readonly memoryIndex = new Map<Memory, number>();
  /** The implicit synchronous reset input, present when some register has a reset value. */
  readonly reset: Slot | null;
  /** Words in the value array. */
  size = 0;

  constructor(readonly flat: ModuleIR) {
    this.reset = flat.resettable ? this.add(null, 'rst', { width: 1, signed: false }) : null;
    for (const s of flat.signals) this.bySignal.set(s, this.add(s, s.path, s.type));
    flat.memories.forEach((m, i) => this.memoryIndex.set(m, i));
  }

  private add(signal: Signal | null, path: string, type: HdlType): Slot {
    const words = wordCount(type.width);
    const slot: Slot = { signal, path, type, narrow: isNarrow(type), index: this.size, words };
    this.size += words;
    this.slots.push(slot);
    this.byPath.set(path, slot);
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
