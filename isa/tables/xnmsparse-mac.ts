// The Xnmsparse revision 2 instructions (docs/isa-extension.md, Part I) as entries of the
// instruction-set simulator's table. The semantics are the golden model's executeMac4(); only the
// registers and memory are the simulator's. The sums are x28..x31, written by no operand of the
// encoding (the format's implicit writes). Bits 11:10, which must be zero (R2.3), are fixed bits of
// each entry, so the decoder reports every illegal form as an illegal instruction.
import { hex } from '../bits.js';
import { instruction, type InstructionDef } from '../definition.js';
import { Fault, TRAP_CAUSE } from '../fault.js';
import { format } from '../formats.js';
import { executeMac4, MAC_F2, macFunct3, macMnemonic, macOpcode, SUM_COUNT, SUM_FIRST_REGISTER } from '../xnmsparse/mac.js';

const SUM_REGISTERS = Array.from({ length: SUM_COUNT }, (_, p) => SUM_FIRST_REGISTER + p);

const SYNTAX = '{rs1}, {rs2}, {rs3r4}, {offsetHalf}, {weightLane}';
/** nm.mac4 adds to the sums; nm.mul4 only writes them. */
const MAC_FORMAT = format(SYNTAX, ['rs1', 'rs2', 'rs3'], [], { reads: SUM_REGISTERS, writes: SUM_REGISTERS });
const MUL_FORMAT = format(SYNTAX, ['rs1', 'rs2', 'rs3'], [], { writes: SUM_REGISTERS });

/** nm.mul4 reads no sum (executeMac4 starts from zero). */
const NO_SUMS: readonly number[] = [];

function macDef(signed: boolean, start: boolean): InstructionDef {
  const name = macMnemonic({ signed, start });
  const fields = { opcode: macOpcode, funct3: macFunct3, funct2: MAC_F2[name], rdHi2: 0 };
  return instruction(name, 'Xnmsparse', fields, start ? MUL_FORMAT : MAC_FORMAT, 'load', (h, d) => {
    const regs = h.regs;
    const ops = { rs1: regs[d.rs1]!, rs2: regs[d.rs2]!, rs3: regs[d.rs3]! };
    const sums = start ? NO_SUMS : SUM_REGISTERS.map((reg) => regs[reg]!);
    // h.load throws on an access outside memory, before any register is written.
    const outcome = executeMac4({ half: d.imm, lane: d.imm2, signed, start }, ops, sums, (address) => h.load(address, 4, false));
    if (outcome.kind === 'misaligned') throw new Fault('misaligned-access', `${name} at ${hex(outcome.address)}: the activation word must be aligned`, TRAP_CAUSE.loadAddressMisaligned);
    for (let p = 0; p < SUM_COUNT; p++) regs[SUM_FIRST_REGISTER + p] = outcome.sums[p]!;
  }, { faults: true }); // a misaligned address faults whatever the core does with misaligned loads
}

export const XNMSPARSE_MAC: readonly InstructionDef[] = [macDef(false, false), macDef(true, false), macDef(false, true), macDef(true, true)];
