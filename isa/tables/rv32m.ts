/** RV32M multiply and divide. */
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from '../arith.js';
import { instruction, type InstructionDef, onMultiplier, type TimingClass } from '../definition.js';
import { FORMATS as F } from '../formats.js';
import { regReg, type BinaryOp } from './semantics.js';

function muldiv(mnemonic: string, funct3: number, timing: TimingClass, op: BinaryOp): InstructionDef {
  return instruction(mnemonic, 'M', { opcode: 0x33, funct3, funct7: 0x01 }, F.r, timing, regReg(op));
}

export const RV32M: readonly InstructionDef[] = [
  onMultiplier(muldiv('mul', 0, 'alu', Math.imul)),
  onMultiplier(muldiv('mulh', 1, 'mulh', mulh)),
  onMultiplier(muldiv('mulhsu', 2, 'mulh', mulhsu)),
  onMultiplier(muldiv('mulhu', 3, 'mulh', mulhu)),
  muldiv('div', 4, 'divSigned', div),
  muldiv('divu', 5, 'divUnsigned', divu),
  muldiv('rem', 6, 'divSigned', rem),
  muldiv('remu', 7, 'divUnsigned', remu),
];
