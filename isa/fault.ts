/**
 * What an instruction's semantics raise when it cannot complete: the kind of exception and what
 * went wrong, nothing about where. The simulator that ran the instruction adds the site (core, pc,
 * word, cycle) before a user sees it, or, when the hart takes traps, jumps to the program's
 * handler with the fault's trap cause (sim/core/hart.ts, docs/iss.md#traps).
 */
import { IRQ_LINE } from './csr-values.js';

export type FaultKind =
  | 'illegal-instruction'
  | 'memory-access'
  | 'misaligned-access'
  | 'hwloop-constraint'
  | 'environment';

/**
 * The exception codes (mcause) of the synchronous traps a CV32E40P-class core takes
 * (RISC-V privileged specification, table "Machine cause register values"; cv32e40p_pkg.sv).
 */
export const TRAP_CAUSE = {
  instructionAccessFault: 1,
  illegalInstruction: 2,
  breakpoint: 3,
  /** Only Xnmsparse's nm.mac4 / nm.mul4 raise it: the CV32E40P splits misaligned loads. */
  loadAddressMisaligned: 4,
  loadAccessFault: 5,
  storeAccessFault: 7,
  ecallFromMachineMode: 11,
} as const;

export type TrapCause = (typeof TRAP_CAUSE)[keyof typeof TRAP_CAUSE];

const TRAP_CAUSE_NAMES: Readonly<Record<number, string>> = {
  [TRAP_CAUSE.instructionAccessFault]: 'instruction access fault',
  [TRAP_CAUSE.illegalInstruction]: 'illegal instruction',
  [TRAP_CAUSE.breakpoint]: 'breakpoint',
  [TRAP_CAUSE.loadAddressMisaligned]: 'load address misaligned',
  [TRAP_CAUSE.loadAccessFault]: 'load access fault',
  [TRAP_CAUSE.storeAccessFault]: 'store access fault',
  [TRAP_CAUSE.ecallFromMachineMode]: 'ecall from machine mode',
};

/** The standard interrupt lines by mcause code; 16..31 are the fast lines. */
const INTERRUPT_NAMES: Readonly<Record<number, string>> = {
  [IRQ_LINE.software]: 'software interrupt',
  [IRQ_LINE.timer]: 'timer interrupt',
  [IRQ_LINE.external]: 'external interrupt',
};

/** `illegal instruction (mcause 2)`, `timer interrupt (mcause 0x80000007)`: a trap cause in words. */
export function describeTrapCause(cause: number): string {
  if (cause < 0 || cause >= 2 ** 31) {
    const line = cause & 0x1f;
    return `${INTERRUPT_NAMES[line] ?? `interrupt ${line}`} (mcause 0x${(cause >>> 0).toString(16)})`;
  }
  return `${TRAP_CAUSE_NAMES[cause] ?? 'exception'} (mcause ${cause})`;
}

/**
 * What a hart does with an exception (docs/iss.md#traps). 'stop': the simulation stops with an
 * error naming the pc and instruction (ebreak halts the run). 'take': the hart traps to mtvec as the
 * CV32E40P does. 'auto': 'stop' until the program writes mtvec (installs a handler), 'take' after.
 */
export type TrapPolicy = 'stop' | 'take' | 'auto';

export const TRAP_POLICIES: readonly TrapPolicy[] = ['stop', 'take', 'auto'];

export class Fault extends Error {
  /**
   * The mcause of the trap a core takes for this fault, or undefined for faults that are no trap
   * on the core (a hardware-loop rule broken, a misaligned access under `misaligned: 'fault'`, an
   * ecall the environment claims but cannot serve): those always stop the simulation.
   */
  readonly trapCause: TrapCause | undefined;

  constructor(
    readonly kind: FaultKind,
    readonly detail: string,
    cause?: TrapCause,
  ) {
    super(detail);
    this.name = 'Fault';
    this.trapCause = cause ?? (kind === 'illegal-instruction' ? TRAP_CAUSE.illegalInstruction : undefined);
  }
}
