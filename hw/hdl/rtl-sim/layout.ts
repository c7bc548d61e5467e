// Where each signal and memory of a flat netlist lives at simulation time. Values of up to 32 bits
// are unsigned numbers in a Uint32Array; wider values are non-negative bigints in a plain array.
// Both hold bit patterns: signedness only matters to the operators that read them.
import type { Memory } from '../memory.js';
import type { ModuleIR } from '../netlist.js';
import type { Signal } from '../signal.js';
import type { HdlType } from '../types.js';

export const narrowLimit = 32;

export function isNarrow(t: HdlType): boolean {
  return t.width <= narrowLimit;
}

export interface Slot {
  readonly signal: Signal | null;
  readonly path: string;
  readonly type: HdlType;
  readonly narrow: boolean;
  /** Index into the narrow or the wide value array. */
  readonly index: number;
}

export class Layout {
  readonly slots: Slot[] = [];
  readonly bySignal = new Map<Signal, Slot>();
  readonly byPath = new Map<string, Slot>();
  readonly memoryIndex = new Map<Memory, number>();
  /** The implicit synchronous reset input, present when some register has a reset value. */
  readonly reset: Slot | null;
  narrowCount = 0;
  wideCount = 0;

  constructor(readonly flat: ModuleIR) {
    this.reset = flat.resettable ? this.add(null, 'rst', { width: 1, signed: false }) : null;
    for (const s of flat.signals) this.bySignal.set(s, this.add(s, s.path, s.type));
    flat.memories.forEach((m, i) => this.memoryIndex.set(m, i));
  }

  private add(signal: Signal | null, path: string, type: HdlType): Slot {
    const narrow = isNarrow(type);
    const slot: Slot = { signal, path, type, narrow, index: narrow ? this.narrowCount++ : this.wideCount++ };
    this.slots.push(slot);
    this.byPath.set(path, slot);
    return slot;
  }
}
