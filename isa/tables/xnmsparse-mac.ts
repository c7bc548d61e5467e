// The Xnmsparse revision 2 instructions (docs/isa-extension.md, Part I) as entries of the
// instruction-set simulator's table. The semantics are the golden model's (executeMac4's address,
// alignment rule, weight and lane sums: mac4Address, mac4Weight, mac4Lane), called without
// allocating: only the registers and memory are the simulator's. The sums are x28..x31, written by no operand of the
// encoding (the format's implicit writes). Bits 11:10, which must be zero (R2.3), are fixed bits of
// each entry, so the decoder reports every illegal form as an illegal instruction.
import { hex } from '../bits.js';
import { instruction, type InstructionDef } from '../definition.js';
import { Fault, TRAP_CAUSE } from '../fault.js';
import { format } from '../formats.js';
import { MAC_F2, mac4Address, mac4Lane, mac4Weight, macFunct3, macMnemonic, macOpcode, SUM_COUNT, SUM_FIRST_REGISTER } from '../xnmsparse/mac.js';

const SUM_REGISTERS = Array.from({ length: SUM_COUNT }, (_, p) => SUM_FIRST_REGISTER + p);

const SYNTAX = '{rs1}, {rs2}, {rs3r4}, {offsetHalf}, {weightLane}';
/** nm.mac4 adds to the sums; nm.mul4 only writes them. */
const MAC_FORMAT = format(SYNTAX, ['rs1', 'rs2', 'rs3'], [], { reads: SUM_REGISTERS, writes: SUM_REGISTERS });
const MUL_FORMAT = format(SYNTAX, ['rs1', 'rs2', 'rs3'], [], { writes: SUM_REGISTERS });

function macDef(signed: boolean, start: boolean): InstructionDef {
  const name = macMnemonic({ signed, start });
  const fields = { opcode: macOpcode, funct3: macFunct3, funct2: MAC_F2[name], rdHi2: 0 };
  return instruction(name, 'Xnmsparse', fields, start ? MUL_FORMAT : MAC_FORMAT, 'load', (h, d) => {
    const regs = h.regs;
    const address = mac4Address(regs[d.rs1]!, regs[d.rs2]!, d.imm);
    if ((address & 3) !== 0) throw new Fault('misaligned-access', `${name} at ${hex(address)}: the activation word must be aligned`, TRAP_CAUSE.loadAddressMisaligned);
    // h.load throws on an access outside memory, before any register is written.
    const word = h.load(address, 4, false);
    const weight = mac4Weight(regs[d.rs3]!, d.imm2);
    for (let p = 0; p < SUM_COUNT; p++) regs[SUM_FIRST_REGISTER + p] = mac4Lane(start ? 0 : regs[SUM_FIRST_REGISTER + p]!, word, p, weight, signed);
  }, { faults: true }); // a misaligned address faults whatever the core does with misaligned loads
}

export const XNMSPARSE_MAC: readonly InstructionDef[] = [macDef(false, false), macDef(true, false), macDef(false, true), macDef(true, true)];
