// What a run of an ELF program on an RTL core returns, whichever core and simulator ran it (the
// real CV32E40P under Verilator, gen/cv32e40p/; the project's core in the HDL simulator or under
// Verilator, gen/core/): one shape, so the comparison with the ISS (gen/cv32e40p/divergence.ts)
// and the command line serve all of them.
import { TRAP_CAUSE } from '../../isa/fault.js';

/** How the RTL run ended. `pc` is the instruction that ended it (ecall, ebreak, illegal), else 0. */
export type RtlStop =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'cycle-limit' }
  | { readonly kind: 'ebreak'; readonly pc: number }
  | { readonly kind: 'illegal-instruction'; readonly pc: number; readonly word: number }
  | { readonly kind: 'unsupported-ecall'; readonly pc: number; readonly a7: number }
  /**
   * A fetch, load or store outside the memory map (cause 1, 5 or 7) that the run does not take as
   * a trap: the ISS's MemoryAccessError (docs/iss.md#traps). Only the project's core raises it.
   */
  | { readonly kind: 'access-fault'; readonly pc: number; readonly cause: number }
  /** The core sleeps in wfi and no line mie enables can rise any more (docs/iss.md#interrupts). */
  | { readonly kind: 'wfi' };

export interface RtlRetirement {
  /** Cycle (from the first rising clock edge after reset) at which the instruction left the decode stage. */
  readonly cycle: number;
  readonly pc: number;
}

export interface RtlRegisterWrite {
  readonly cycle: number;
  readonly reg: number;
  readonly value: number;
}

/** Bytes placed in memory before a run, besides the program (e.g. a kernel's inputs). */
export interface RtlInput {
  readonly address: number;
  readonly bytes: Uint8Array;
}

export interface RtlRunResult {
  readonly stop: RtlStop;
  /**
   * Cycles from reset to the end: through the cycle of the store to tohost, or of the exit ecall
   * in the decode stage.
   */
  readonly cycles: number;
  /** Instructions that left decode, ecalls included as the ISS counts them (not the write handler's). */
  readonly instret: number;
  /** The register file at the end, x0..x31. */
  readonly regs: readonly number[];
  /** What the program wrote (ecall write to fd 1 or 2, done by the testbench as on the ISS). */
  readonly output: string;
  /** With `trace` only. */
  readonly retired: readonly RtlRetirement[];
  readonly registerWrites: readonly RtlRegisterWrite[];
}

/** An access fault's cause: a fetch, a load or a store outside the memory map. */
export function isAccessFault(cause: number): boolean {
  return cause === TRAP_CAUSE.instructionAccessFault || cause === TRAP_CAUSE.loadAccessFault || cause === TRAP_CAUSE.storeAccessFault;
}
