/** CORE-V SIMD complex-number instructions (Xcvsimd, custom-3 with F = 1). */
import { instruction, onMultiplier, type FixedFields, type InstructionDef } from '../definition.js';
import { CUSTOM_3 } from './xcv-simd.js';
import { FORMATS as F } from '../formats.js';
import { accumulate, regReg, unary } from './semantics.js';

/**
 * Complex numbers as {imaginary: halfword 1, real: halfword 0} (F = 1). funct3 [14:13] selects
 * the division by 1, 2, 4 or 8 (an extra arithmetic shift right); results wrap to 16 bits.
 */
const re = (x: number): number => (x << 16) >> 16;
const im = (x: number): number => x >> 16;
const halves = (high: number, low: number): number => ((high & 0xffff) << 16) | (low & 0xffff);
/** Arithmetic shift of a 16-bit wrapped value. */
const shift16 = (value: number, by: number): number => re(value) >> by;
const DIVISIONS = [['', 0], ['.div2', 1], ['.div4', 2], ['.div8', 3]] as const;
const complexFields = (funct5: number, div: number, extra: FixedFields = {}): FixedFields =>
  ({ opcode: CUSTOM_3, funct5, f: 1, funct3: div << 1, ...extra });

export const XCV_SIMD_COMPLEX: readonly InstructionDef[] = [
  ...DIVISIONS.flatMap(([suffix, div]) => [
    // The 32-bit products are exact in doubles; the shift is by 15 + div, then the lane wraps.
    onMultiplier(instruction(`cv.cplxmul.r${suffix}`, 'Xcvsimd', complexFields(0b01010, div, { bit25: 0 }), F.rAcc, 'alu',
      accumulate((a, b, rd) => halves(im(rd), Math.floor((re(a) * re(b) - im(a) * im(b)) / 2 ** (15 + div)))))),
    onMultiplier(instruction(`cv.cplxmul.i${suffix}`, 'Xcvsimd', complexFields(0b01010, div, { bit25: 1 }), F.rAcc, 'alu',
      accumulate((a, b, rd) => halves(Math.floor((re(a) * im(b) + im(a) * re(b)) / 2 ** (15 + div)), rd)))),
    // Subtract, then multiply by -j: (real, imaginary) becomes (imaginary, -real).
    instruction(`cv.subrotmj${suffix}`, 'Xcvsimd', complexFields(0b01100, div, { bit25: 0 }), F.r, 'alu',
      regReg((a, b) => halves(shift16(re(b) - re(a), div), shift16(im(a) - im(b), div)))),
  ]),
  instruction('cv.cplxconj', 'Xcvsimd', complexFields(0b01011, 0, { bit25: 0, rs2: 0 }), F.r1, 'alu', unary((a) => halves(-im(a), re(a)))),
  ...DIVISIONS.slice(1).flatMap(([suffix, div]) => [
    instruction(`cv.add${suffix}`, 'Xcvsimd', complexFields(0b01101, div, { bit25: 0 }), F.r, 'alu',
      regReg((a, b) => halves(shift16(im(a) + im(b), div), shift16(re(a) + re(b), div)))),
    instruction(`cv.sub${suffix}`, 'Xcvsimd', complexFields(0b01110, div, { bit25: 0 }), F.r, 'alu',
      regReg((a, b) => halves(shift16(im(a) - im(b), div), shift16(re(a) - re(b), div)))),
  ]),
];
