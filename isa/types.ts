/**
 * Shared vocabulary of the instruction-set layer. The aliases are plain numbers at run time; they
 * exist so that signatures say what a number means.
 */

/** A byte address on the 32-bit bus (always held as an unsigned value, 0..2^32-1). */
export type Addr = number;
/** A 32-bit register or memory value, held as a signed int32 (what `| 0` produces). */
export type Word = number;
/** A count of core clock cycles. */
export type Cycles = number;
/** An integer register number, 0..31. */
export type RegIndex = number;
/** A control and status register address, 0..4095. */
export type CsrAddr = number;
/** Size of one data access in bytes. */
export type AccessSize = 1 | 2 | 4;

/**
 * The architectural state an instruction's semantics may touch. The ISA table is written against
 * this interface only; the simulator core implements it (and adds timing, caches, hooks).
 */
export interface HartContext {
  /** x0..x31; x0 may be written by a semantic and is forced back to zero after every instruction. */
  readonly regs: Int32Array;
  /** Address of the executing instruction. */
  readonly pc: Addr;
  /** Address of the next instruction: pc + length unless the instruction jumped. */
  readonly npc: Addr;
  /** Transfer control (taken branch, jump, mret); timing and loop logic see it even for a target of pc + 4. */
  jump(target: Addr): void;
  load(addr: Addr, size: AccessSize, signed: boolean): Word;
  store(addr: Addr, size: AccessSize, value: Word): void;
  csrRead(csr: CsrAddr): Word;
  csrWrite(csr: CsrAddr, value: Word): void;
  /** Hardware-loop register file (loop 0 is the inner loop). */
  readonly hwloop: HwLoopRegs;
  /** Called after a semantic changed a loop's registers, so the core can check the loop rules. */
  hwloopChanged(loop: number): void;
  ecall(): void;
  ebreak(): void;
  mret(): void;
  wfi(): void;
  fence(): void;
}

/** The two CORE-V hardware loops: start address, end address (first instruction after the body), count. */
export interface HwLoopRegs {
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly count: Uint32Array;
}

/**
 * Operand values pulled out of an instruction word once, at decode time. Every format stores its
 * operands into these slots; semantics read them by name.
 */
export interface OperandSlots {
  rd: RegIndex;
  rs1: RegIndex;
  rs2: RegIndex;
  rs3: RegIndex;
  /** Main immediate, already sign- or zero-extended and scaled as the semantics need it. */
  imm: number;
  /** Second immediate (bit-field length, loop count, CSR immediate, ...). */
  imm2: number;
  /** Hardware-loop index (0 inner, 1 outer). */
  loop: number;
}
