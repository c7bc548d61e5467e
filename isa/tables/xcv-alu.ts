/**
 * CORE-V scalar ALU (Xcvalu), multiply-accumulate (Xcvmac) and the register forms of bit
 * manipulation (Xcvbitmanip), all in custom-1 funct3 011 and told apart by funct7.
 */
import {
  clearField, extractSigned, extractUnsigned, insertField, setField,
} from '../bitfield.js';
import { instruction, onMultiplier, type Execute, type Extension, type InstructionDef } from '../definition.js';
import { FORMATS as F, type Format } from '../formats.js';
import { accumulate, regImm, regReg, unary } from './semantics.js';

const PLANE_A = { opcode: 0x2b, funct3: 0b011 } as const;

function op(mnemonic: string, extension: Extension, funct7: number, format: Format, execute: Execute, rs2Zero = false): InstructionDef {
  const fields = rs2Zero ? { ...PLANE_A, funct7, rs2: 0 } : { ...PLANE_A, funct7 };
  return instruction(mnemonic, extension, fields, format, 'alu', execute);
}

const clz = Math.clz32;
/** Leading bits equal to the sign bit, not counting the sign bit itself (0 for 0, 31 for -1). */
const clb = (a: number): number => (a === 0 ? 0 : clz(a < 0 ? ~a : a) - 1);
const popcount = (a: number): number => {
  let x = a - ((a >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
};

/**
 * Saturate to [-(bound + 1), bound]; bound is never negative. Immediate forms pass bound =
 * ((1 << Is2) - 1) >> 1 (cv32e40p_id_stage.sv, imm_clip_type), i.e. 2^(Is2-1) - 1, so cv.clip rd,rs,8 is
 * the int8 range, and 0 for Is2 = 0 (cv.clip: [-1, 0], cv.clipu: 0). Register forms pass rs2 with
 * its bit 31 cleared (the ID stage clears it on the way to EX; docs/cv32e40p.md#encodings).
 */
const clipSigned = (a: number, bound: number): number => (a > bound ? bound : a < ~bound ? ~bound : a);
/** Saturate to [0, bound]. */
const clipUnsigned = (a: number, bound: number): number => (a < 0 ? 0 : a > bound ? bound : a);
const clipBound = (is2: number): number => (((1 << is2) - 1) | 0) >>> 1;
const registerBound = (rs2: number): number => rs2 & 0x7fffffff;

/** Register forms take the field from rs2: length-1 in [9:5], position in [4:0]. */
const fieldOf = (rs2: number): [number, number] => [(rs2 >>> 5) & 31, rs2 & 31];

export const XCV_ALU: readonly InstructionDef[] = [
  op('cv.ror', 'Xcvbitmanip', 0b0100000, F.r, regReg((a, b) => (a >>> (b & 31)) | (a << (32 - (b & 31))))),
  op('cv.ff1', 'Xcvbitmanip', 0b0100001, F.r1, unary((a) => (a === 0 ? 32 : 31 - clz(a & -a))), true),
  op('cv.fl1', 'Xcvbitmanip', 0b0100010, F.r1, unary((a) => (a === 0 ? 32 : 31 - clz(a))), true),
  op('cv.clb', 'Xcvbitmanip', 0b0100011, F.r1, unary(clb), true),
  op('cv.cnt', 'Xcvbitmanip', 0b0100100, F.r1, unary(popcount), true),
  op('cv.extractr', 'Xcvbitmanip', 0b0011000, F.r, regReg((a, b) => extractSigned(a, ...fieldOf(b)))),
  op('cv.extractur', 'Xcvbitmanip', 0b0011001, F.r, regReg((a, b) => extractUnsigned(a, ...fieldOf(b)))),
  op('cv.insertr', 'Xcvbitmanip', 0b0011010, F.rAcc, accumulate((a, b, rd) => insertField(a, rd, ...fieldOf(b)))),
  op('cv.bclrr', 'Xcvbitmanip', 0b0011100, F.r, regReg((a, b) => clearField(a, ...fieldOf(b)))),
  op('cv.bsetr', 'Xcvbitmanip', 0b0011101, F.r, regReg((a, b) => setField(a, ...fieldOf(b)))),

  op('cv.abs', 'Xcvalu', 0b0101000, F.r1, unary((a) => (a < 0 ? -a | 0 : a)), true),
  op('cv.slet', 'Xcvalu', 0b0101001, F.r, regReg((a, b) => (a <= b ? 1 : 0))),
  op('cv.sletu', 'Xcvalu', 0b0101010, F.r, regReg((a, b) => (a >>> 0 <= b >>> 0 ? 1 : 0))),
  op('cv.min', 'Xcvalu', 0b0101011, F.r, regReg((a, b) => (a < b ? a : b))),
  op('cv.minu', 'Xcvalu', 0b0101100, F.r, regReg((a, b) => (a >>> 0 < b >>> 0 ? a : b))),
  op('cv.max', 'Xcvalu', 0b0101101, F.r, regReg((a, b) => (a > b ? a : b))),
  op('cv.maxu', 'Xcvalu', 0b0101110, F.r, regReg((a, b) => (a >>> 0 > b >>> 0 ? a : b))),
  op('cv.exths', 'Xcvalu', 0b0110000, F.r1, unary((a) => (a << 16) >> 16), true),
  op('cv.exthz', 'Xcvalu', 0b0110001, F.r1, unary((a) => a & 0xffff), true),
  op('cv.extbs', 'Xcvalu', 0b0110010, F.r1, unary((a) => (a << 24) >> 24), true),
  op('cv.extbz', 'Xcvalu', 0b0110011, F.r1, unary((a) => a & 0xff), true),
  op('cv.clip', 'Xcvalu', 0b0111000, F.clipImm, regImm((a, is2) => clipSigned(a, clipBound(is2)))),
  op('cv.clipu', 'Xcvalu', 0b0111001, F.clipImm, regImm((a, is2) => clipUnsigned(a, clipBound(is2)))),
  op('cv.clipr', 'Xcvalu', 0b0111010, F.r, regReg((a, b) => clipSigned(a, registerBound(b)))),
  op('cv.clipur', 'Xcvalu', 0b0111011, F.r, regReg((a, b) => clipUnsigned(a, registerBound(b)))),

  onMultiplier(op('cv.mac', 'Xcvmac', 0b1001000, F.rAcc, accumulate((a, b, acc) => (acc + Math.imul(a, b)) | 0))),
  onMultiplier(op('cv.msu', 'Xcvmac', 0b1001001, F.rAcc, accumulate((a, b, acc) => (acc - Math.imul(a, b)) | 0))),
];
