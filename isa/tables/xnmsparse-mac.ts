// The Xnmsparse revision 2 instructions (docs/isa-extension.md, Part I) as entries of the
// instruction-set simulator's table. The semantics are the golden model's executeMac4() and
// executeRacc(); only the registers, the accumulators and memory are the simulator's. The
// must-be-zero fields of R2.3 are fixed bits of each entry and f2 = 11 matches no entry, so the
// decoder reports every illegal form as an illegal instruction.
import { hex } from '../bits.js';
import { instruction, type InstructionDef } from '../definition.js';
import { Fault } from '../fault.js';
import { format } from '../formats.js';
import { executeMac4, executeRacc, MAC_F2, macFunct3, macOpcode } from '../xnmsparse/mac.js';

const base = { opcode: macOpcode, funct3: macFunct3 };

function mac4Def(signed: boolean): InstructionDef {
  const name = signed ? 'nm.mac4.s' : 'nm.mac4.u';
  // No register is written: the load's data goes into the accumulators.
  const syntax = format('{rs1}, {rs2}, {rs3r4}, {offsetHalf}, {weightLane}', ['rs1', 'rs2', 'rs3'], []);
  return instruction(name, 'Xnmsparse', { ...base, funct2: MAC_F2[name], rdHi2: 0 }, syntax, 'load', (h, d) => {
    const ops = { rs1: h.regs[d.rs1]!, rs2: h.regs[d.rs2]!, rs3: h.regs[d.rs3]! };
    // h.load throws on an access outside memory, before the accumulators are written.
    const outcome = executeMac4({ half: d.imm, lane: d.imm2, signed }, ops, h.accumulators, (address) => h.load(address, 4, false));
    if (outcome.kind === 'misaligned') throw new Fault('misaligned-access', `${name} at ${hex(outcome.address)}: the activation word must be aligned`);
    h.accumulators.set(outcome.accumulators);
  }, { accumulators: true, faults: true }); // a misaligned address faults whatever the core does with misaligned loads
}

const raccDef = instruction('nm.racc', 'Xnmsparse', { ...base, funct2: MAC_F2['nm.racc'], funct5: 0, rs2Hi3: 0, rs1: 0 }, format('{rd}, {accumulator}', [], ['rd']), 'alu', (h, d) => {
  const outcome = executeRacc(d.imm, h.accumulators);
  h.regs[d.rd] = outcome.rd;
  h.accumulators.set(outcome.accumulators);
}, { accumulators: true });

export const XNMSPARSE_MAC: readonly InstructionDef[] = [mac4Def(false), mac4Def(true), raccDef];
