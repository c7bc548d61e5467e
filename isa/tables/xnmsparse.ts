// The Xnmsparse gather instructions as entries of the instruction-set simulator's table. The
// semantics are the golden model's executeGather(); only the register file and memory are the
// simulator's. One entry per mnemonic, element size and N:M pattern: the pattern is printed and
// parsed as literal text (`1:8`), and the reserved block-size field value 11 matches no entry, so
// the decoder reports it as an illegal instruction.
import { format } from '../formats.js';
import { instruction, type InstructionDef } from '../definition.js';
import { buildInstructionTable, type InstructionTable } from '../table.js';
import { Fault } from '../fault.js';
import { hex } from '../bits.js';
import { XNMSPARSE_MAC } from './xnmsparse-mac.js';
import { type ElementBytes, executeGather, gatherFunct3, gatherOpcode, indexBits, mnemonic, patternName, patterns } from '../xnmsparse/gather.js';

function gatherDefs(bytes: ElementBytes, consume: boolean): InstructionDef[] {
  const lane = bytes === 1 ? 'gatherLaneB' : 'gatherLaneH';
  // nm.lgc also writes the index register (through the ALU write port, like a post-increment base).
  const writes = consume ? (['rd', 'rs2'] as const) : (['rd'] as const);
  return patterns.map((pattern) => {
    const fields = {
      opcode: gatherOpcode,
      funct3: gatherFunct3,
      f2: ((bytes - 1) << 1) | (pattern.n - 1),
      hi3: ((indexBits(pattern.m) - 2) << 1) | Number(consume),
      // Halfword elements have lanes 0 and 1 only: bit 26 set is reserved.
      ...(bytes === 2 ? { f: 0 } : {}),
    };
    const syntax = format(`{rd}, {rs2}({rs1}), {${lane}}, ${patternName(pattern)}`, ['rs1', 'rs2', 'rd'], writes);
    const name = mnemonic({ rd: 0, rs1: 0, rs2: 0, pattern, elementBytes: bytes, lane: 0, consume });
    return instruction(name, 'Xnmsparse', fields, syntax, 'load', (h, d) => {
      if (consume && d.rd === d.rs2 && d.rd !== 0) throw new Fault('illegal-instruction', `${name} with rd = rs2 (${d.rd}) is reserved: it would write one register twice`);
      const insn = { rd: d.rd, rs1: d.rs1, rs2: d.rs2, pattern, elementBytes: bytes, lane: d.imm2, consume };
      const ops = { rs1: h.regs[d.rs1]! >>> 0, rs2: h.regs[d.rs2]! >>> 0, rd: h.regs[d.rd]! >>> 0 };
      // An access outside memory makes h.load throw before any register is written, so the golden
      // model's 'access-fault' outcome (a load returning null) cannot arise here.
      const outcome = executeGather(insn, ops, (address, size) => h.load(address, size, false) & (size === 1 ? 0xff : 0xffff));
      if (outcome.kind === 'misaligned') throw new Fault('misaligned-access', `${name} at ${hex(outcome.address)}: halfword elements must be aligned`);
      if (outcome.kind !== 'ok') throw new Error(`internal: ${name} reported ${outcome.kind} without a faulting load`);
      h.regs[d.rd] = outcome.rd | 0;
      if (consume) h.regs[d.rs2] = outcome.rs2 | 0;
    }, { faults: consume || bytes === 2 }); // nm.lgc with rd = rs2 is reserved; halfword elements must be aligned
  });
}

export const XNMSPARSE: readonly InstructionDef[] = ([1, 2] as const).flatMap((bytes) => [false, true].flatMap((consume) => gatherDefs(bytes, consume)));

/** CV32E40P with the Xnmsparse extension: revision 1 (the gathers) and revision 2 (XNMSPARSE_MAC). */
export const CV32E40P_XNMSPARSE_TABLE: InstructionTable = buildInstructionTable([...XNMSPARSE, ...XNMSPARSE_MAC]);
