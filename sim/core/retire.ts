/** The per-retired-instruction record given to trace, lockstep and test hooks, and the record of a trap taken. */
import type { DecodedInstruction } from '../../isa/definition.js';
import type { AccessSize, Addr, Cycles, RegIndex, Word } from '../../isa/types.js';

export interface RegisterWrite {
  readonly reg: RegIndex;
  readonly value: Word;
}

export interface DataAccess {
  readonly addr: Addr;
  readonly size: AccessSize;
  /** The value loaded (as the load extended it) or stored (the full source register). */
  readonly value: Word;
  readonly write: boolean;
}

export interface RetireEvent {
  readonly core: number;
  readonly pc: Addr;
  /** As fetched: 16 bits for a compressed instruction. */
  readonly word: number;
  readonly insn: DecodedInstruction;
  /** mcycle after the instruction retired. */
  readonly cycle: Cycles;
  /** Cycles this instruction took, stalls included. */
  readonly cycles: Cycles;
  readonly regWrites: readonly RegisterWrite[];
  readonly dataAccesses: readonly DataAccess[];
}

/** Events are built only when a hook is installed, so an unhooked run allocates nothing per step. */
export type RetireHook = (event: RetireEvent) => void;

/** A trap taken (docs/iss.md#traps): the instruction at pc did not retire; the hart goes on in the handler. */
export interface TrapEvent {
  readonly core: number;
  readonly pc: Addr;
  /** The instruction word (16 bits for a compressed one); undefined when its fetch faulted. */
  readonly word: number | undefined;
  readonly disassembly: string;
  /** mcause. */
  readonly cause: number;
  /** mcycle after the trap entry. */
  readonly cycle: Cycles;
  /** Cycles of the trap entry, the instruction's load-use stall included. */
  readonly cycles: Cycles;
  /** Where the handler starts: mtvec's base. */
  readonly handler: Addr;
}

export type TrapHook = (event: TrapEvent) => void;
