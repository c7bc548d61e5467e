/**
 * Operand formats: the assembly syntax of an instruction and which register slots it reads and
 * writes. The syntax template names operand kinds in braces; everything else is literal text, so
 * the template serves printing (disassembler) and parsing (assembler) alike.
 */
import { OPERANDS, type OperandKind, type OperandName } from './operands.js';

/** Slots that can hold a register number. */
export type RegSlot = 'rd' | 'rs1' | 'rs2' | 'rs3';

export interface Format {
  readonly syntax: string;
  readonly operands: readonly OperandKind[];
  readonly reads: readonly RegSlot[];
  readonly writes: readonly RegSlot[];
  /**
   * Registers read that no operand names, fixed by the instruction (nm.mac4 adds to x28..x31). They
   * are no sources for the timing model's hazards: the core reads them where the instruction
   * needs them, after any earlier write.
   */
  readonly implicitReads: readonly number[];
  /** Registers written that no operand names, fixed by the instruction (nm.mac4 and nm.mul4: x28..x31). */
  readonly implicitWrites: readonly number[];
}

/** The fixed registers an instruction reads and writes besides its operands (Format.implicitReads, implicitWrites). */
export interface ImplicitRegisters {
  readonly reads?: readonly number[];
  readonly writes?: readonly number[];
}

const OPERAND_REF = /\{(\w+)\}/g;

export function format(syntax: string, reads: readonly RegSlot[], writes: readonly RegSlot[], implicit: ImplicitRegisters = {}): Format {
  const operands = [...syntax.matchAll(OPERAND_REF)].map((m) => {
    const name = m[1] as OperandName;
    const operand: OperandKind | undefined = OPERANDS[name];
    if (!operand) throw new Error(`format '${syntax}': unknown operand '${name}'`);
    return operand;
  });
  return { syntax, operands, reads, writes, implicitReads: implicit.reads ?? [], implicitWrites: implicit.writes ?? [] };
}

/** The formats of the base ISA and the CORE-V extensions, named after their shape. */
export const FORMATS = {
  none: format('', [], []),
  r: format('{rd}, {rs1}, {rs2}', ['rs1', 'rs2'], ['rd']),
  /** rd is also a source: accumulators (cv.mac, cv.sdot*), cv.insert, cv.packhi/lo. */
  rAcc: format('{rd}, {rs1}, {rs2}', ['rs1', 'rs2', 'rd'], ['rd']),
  r1: format('{rd}, {rs1}', ['rs1'], ['rd']),
  i: format('{rd}, {rs1}, {imm12}', ['rs1'], ['rd']),
  shift: format('{rd}, {rs1}, {shamt}', ['rs1'], ['rd']),
  load: format('{rd}, {imm12}({rs1})', ['rs1'], ['rd']),
  store: format('{rs2}, {store12}({rs1})', ['rs1', 'rs2'], []),
  branch: format('{rs1}, {rs2}, {branch13}', ['rs1', 'rs2'], []),
  u: format('{rd}, {upper20}', [], ['rd']),
  jal: format('{rd}, {jump21}', [], ['rd']),
  jalr: format('{rd}, {imm12}({rs1})', ['rs1'], ['rd']),
  csr: format('{rd}, {csr}, {rs1}', ['rs1'], ['rd']),
  csrImm: format('{rd}, {csr}, {zimm5}', [], ['rd']),
  fence: format('{fencePred}, {fenceSucc}', [], []),

  // CORE-V memory access, in the syntax of the CORE-V binutils and LLVM: `(rs1), inc` post-increments.
  loadPostImm: format('{rd}, ({rs1}), {imm12}', ['rs1'], ['rd', 'rs1']),
  loadPostReg: format('{rd}, ({rs1}), {rs2}', ['rs1', 'rs2'], ['rd', 'rs1']),
  loadIndexed: format('{rd}, {rs2}({rs1})', ['rs1', 'rs2'], ['rd']),
  storePostImm: format('{rs2}, ({rs1}), {store12}', ['rs1', 'rs2'], ['rs1']),
  storePostReg: format('{rs2}, ({rs1}), {rs3}', ['rs1', 'rs2', 'rs3'], ['rs1']),
  storeIndexed: format('{rs2}, {rs3}({rs1})', ['rs1', 'rs2', 'rs3'], []),

  // CORE-V hardware loops
  loopImm: format('{loop}, {loopOffset12}', [], []),
  loopReg: format('{loop}, {rs1}', ['rs1'], []),
  loopCountImm: format('{loop}, {loopCount12}', [], []),
  loopSetupImm: format('{loop}, {loopCount12}, {loopOffset5}', [], []),
  loopSetupReg: format('{loop}, {rs1}, {loopOffset12}', ['rs1'], []),

  // CORE-V ALU / bit manipulation
  clipImm: format('{rd}, {rs1}, {is2}', ['rs1'], ['rd']),
  bitField: format('{rd}, {rs1}, {is3}, {is2}', ['rs1'], ['rd']),
  bitFieldAcc: format('{rd}, {rs1}, {is3}, {is2}', ['rs1', 'rd'], ['rd']),
  bitrev: format('{rd}, {rs1}, {radix}, {is2}', ['rs1'], ['rd']),

  // CORE-V fixed-point: a register pair and a shift (Is3)
  rrShift: format('{rd}, {rs1}, {rs2}, {is3}', ['rs1', 'rs2'], ['rd']),
  rrShiftAcc: format('{rd}, {rs1}, {rs2}, {is3}', ['rs1', 'rs2', 'rd'], ['rd']),
  branchImm: format('{rs1}, {simm5}, {branch13}', ['rs1'], []),

  // CORE-V SIMD
  simdSci: format('{rd}, {rs1}, {simm6}', ['rs1'], ['rd']),
  simdSciAcc: format('{rd}, {rs1}, {simm6}', ['rs1', 'rd'], ['rd']),
  simdSciU: format('{rd}, {rs1}, {uimm6}', ['rs1'], ['rd']),
  simdSciUAcc: format('{rd}, {rs1}, {uimm6}', ['rs1', 'rd'], ['rd']),
  /** cv.shuffle.sci.h: a 2-bit lane selector in Imm6[1:0] = {[20],[25]}. */
  shuffleSciH: format('{rd}, {rs1}, {laneB}', ['rs1'], ['rd']),
  simdShiftH: format('{rd}, {rs1}, {shamtH}', ['rs1'], ['rd']),
  simdShiftB: format('{rd}, {rs1}, {shamtB}', ['rs1'], ['rd']),
  laneExtractH: format('{rd}, {rs1}, {laneH}', ['rs1'], ['rd']),
  laneExtractB: format('{rd}, {rs1}, {laneB}', ['rs1'], ['rd']),
  laneInsertH: format('{rd}, {rs1}, {laneH}', ['rs1', 'rd'], ['rd']),
  laneInsertB: format('{rd}, {rs1}, {laneB}', ['rs1', 'rd'], ['rd']),
} as const satisfies Record<string, Format>;
