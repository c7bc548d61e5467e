/**
 * Typed simulation errors. Deep layers (memory, CSR file, loop checker) throw a `Fault` that knows
 * only what went wrong; the hart catches it and rethrows an `IssError` carrying where and
 * when: pc, instruction word, disassembly, cycle and core. Callers never see a raw crash.
 */
import { hex } from '../../isa/bits.js';
import { instructionHex } from '../../isa/disassembler.js';
import type { Addr, Cycles } from '../../isa/types.js';
import type { Fault, FaultKind } from '../../isa/fault.js';

export interface FaultSite {
  readonly core: number;
  readonly pc: Addr;
  /** The instruction word (16 bits for a compressed instruction); undefined if it could not be fetched. */
  readonly word: number | undefined;
  readonly disassembly: string;
  readonly cycle: Cycles;
}

/** `core 0, pc 0x1c000000, insn 0x0000006f 'jal zero, 0x1c000000', cycle 12`: a fault's site, or where a stopped core would go on. */
export function describeSite(site: FaultSite): string {
  const word = site.word === undefined ? '?' : instructionHex(site.word);
  return `core ${site.core}, pc ${hex(site.pc)}, insn ${word} '${site.disassembly}', cycle ${site.cycle}`;
}

export class IssError extends Error {
  readonly kind: FaultKind;
  readonly detail: string;
  readonly site: FaultSite;

  constructor(kind: FaultKind, detail: string, site: FaultSite) {
    super(`${detail} (${describeSite(site)})`);
    this.name = new.target.name;
    this.kind = kind;
    this.detail = detail;
    this.site = site;
  }
}

export class IllegalInstructionError extends IssError {}
export class MemoryAccessError extends IssError {}
export class MisalignedAccessError extends IssError {}
export class HwLoopConstraintError extends IssError {}
export class EnvironmentError extends IssError {}

const ERROR_CLASS: Record<FaultKind, typeof IssError> = {
  'illegal-instruction': IllegalInstructionError,
  'memory-access': MemoryAccessError,
  'misaligned-access': MisalignedAccessError,
  'hwloop-constraint': HwLoopConstraintError,
  'environment': EnvironmentError,
};

export function locateFault(fault: Fault, site: FaultSite): IssError {
  return new ERROR_CLASS[fault.kind](fault.kind, fault.detail, site);
}
