// The decoder's outputs that steer the pipeline itself (operand reads, write-backs, hazards, control
// transfers, the controller's sequences), each a function of an instruction row. The execution
// units add their own op fields (control.ts). Everything here follows from what the row declares:
// its format's register reads and writes, its timing class and its effects, the same facts the
// ISS's timing model reads (isa/definition.ts, DecodedInstruction), so the two cannot disagree on
// which register an instruction waits for.
import type { InstructionDef } from '../../isa/definition.js';
import type { ControlField } from './decode-table.js';
import { macControl } from './mac-ops.js';

const flag = (name: string, test: (def: InstructionDef) => boolean): ControlField => ({ name, width: 1, value: (def) => Number(test(def)) });

const reads = (def: InstructionDef, slot: 'rs1' | 'rs2' | 'rd' | 'rs3'): boolean => def.format.reads.includes(slot);
const writes = (def: InstructionDef, slot: 'rs1' | 'rd'): boolean => def.format.writes.includes(slot);
const isJump = (def: InstructionDef): boolean => (def.timing === 'jump' || def.timing === 'jumpRegister') && def.effects.system === 'none';
/** Loads whose data goes to rd in writeback (not nm.mac4 / nm.mul4, whose data goes to the sum adders). */
const loadsRd = (def: InstructionDef): boolean => def.timing === 'load' && writes(def, 'rd') && !macControl(def);
/** The third read port reads rs3 from bits [31:27] (the R4 layout of nm.mac4) rather than [11:7]. */
const rs3High = (def: InstructionDef): boolean => def.format.operands.some((o) => o.slot === 'rs3' && o.name === 'rs3r4');

export const PIPELINE_FIELDS: readonly ControlField[] = [
  flag('uses_rs1', (def) => reads(def, 'rs1')),
  // The rs2 field also counts when it holds an immediate the CV32E40P decoder marks as read.
  flag('uses_rs2', (def) => reads(def, 'rs2') || def.rs2FieldStallsOnLoad === true),
  flag('uses_rc', (def) => reads(def, 'rd') || reads(def, 'rs3')),
  flag('rc_high', rs3High),
  /** rd written from execute (ALU, multiplier, divider, CSR, jump link). */
  flag('rd_we_ex', (def) => writes(def, 'rd') && def.timing !== 'load'),
  /** rs1 written from execute: the incremented base of a post-increment access. */
  flag('rs1_we_ex', (def) => writes(def, 'rs1')),
  flag('rd_we_wb', loadsRd),
  flag('is_branch', (def) => def.timing === 'branch'),
  flag('is_jal', (def) => def.timing === 'jump' && def.effects.system === 'none'),
  flag('is_jalr', (def) => def.timing === 'jumpRegister'),
  /** rs1 = pc for the ALU (auipc, and the link of jal/jalr: pc + length). */
  flag('a_is_pc', (def) => def.mnemonic === 'auipc' || isJump(def)),
  /** rs2 = the immediate (auipc) or the instruction's length (a jump's link). */
  flag('b_is_imm', (def) => def.mnemonic === 'auipc'),
  flag('b_is_length', isJump),
  flag('is_mret', (def) => def.effects.system === 'mret'),
  flag('is_ecall', (def) => def.effects.system === 'ecall'),
  flag('is_ebreak', (def) => def.effects.system === 'ebreak'),
  flag('is_wfi', (def) => def.effects.system === 'wfi'),
  flag('is_fence', (def) => def.timing === 'fence'),
  flag('is_csr', (def) => def.timing === 'csr'),
];
