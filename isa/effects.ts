/**
 * What an instruction's semantic does to the hart besides computing its format's destination
 * registers from its format's source registers. Every row of the instruction table declares it
 * (`InstructionDef.effects`), and the simulator decides from the declaration alone which
 * instructions it may compile into blocks, run ahead of the other cores of a cluster, or accept
 * in a hardware-loop body. test/isa/effects.test.ts runs every row against a recording HartContext
 * and fails on any effect a row did not declare.
 */

/** A data access: none, or one call of HartContext.load or HartContext.store (at most one). */
export type MemoryEffect = 'none' | 'load' | 'store';

/**
 * A control transfer: 'branch' may call jump(), 'jump' transfers control every time (by jump(), or
 * by mret(), which returns to mepc).
 */
export type ControlEffect = 'none' | 'branch' | 'jump';

/** The environment, privileged and ordering calls of HartContext. */
export type SystemCall = 'none' | 'ecall' | 'ebreak' | 'mret' | 'wfi' | 'fence';

export interface Effects {
  readonly memory: MemoryEffect;
  readonly control: ControlEffect;
  /** Reads or writes CSRs (csrRead, csrWrite). */
  readonly csr: boolean;
  /** Writes hardware-loop registers, and reports it through hwloopChanged. */
  readonly hwloop: boolean;
  readonly system: SystemCall;
  /**
   * Throws a Fault itself for some operands (a reserved register combination, a misaligned
   * element), apart from the faults its data access may raise.
   */
  readonly faults: boolean;
}

/** An instruction that only computes registers from registers and immediates. */
export const REGISTERS_ONLY: Effects = { memory: 'none', control: 'none', csr: false, hwloop: false, system: 'none', faults: false };

/**
 * Nothing but registers and the pc: no memory access, CSR, hardware-loop or system call, and no
 * fault; a branch or jump may set the pc. Such an instruction's outcome, and where it goes,
 * depend on the register file alone.
 */
export function isRegisterAndPcOnly(effects: Effects): boolean {
  return effects.memory === 'none' && !effects.csr && !effects.hwloop && effects.system === 'none' && !effects.faults;
}

/** Nothing but registers (isRegisterAndPcOnly, without a control transfer): its outcome depends on the register file alone. */
export function isRegisterOnly(effects: Effects): boolean {
  return effects.control === 'none' && isRegisterAndPcOnly(effects);
}
