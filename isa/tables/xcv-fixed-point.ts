/**
 * CORE-V fixed-point arithmetic: add/sub with normalization (shift right by Is3) and rounding
 * (add 2^(Is3-1) first), in immediate (custom-2 funct3 01x) and register (custom-1 funct3 011,
 * funct7 1000xxx, shift in rs2[4:0], rd as first operand) forms, and the 16x16-bit multiplies and
 * multiply-accumulates with normalization (custom-2 funct3 1xx). Signed forms shift
 * arithmetically, unsigned ones logically; sums wrap at 32 bits as in the 32-bit adder.
 */
import { instruction, onMultiplier, type Execute, type InstructionDef } from '../definition.js';
import { FORMATS as F } from '../formats.js';
import { accumulate } from './semantics.js';

const CUSTOM_1 = 0x2b;
const CUSTOM_2 = 0x5b;

/** 2^(shift-1), or 0 for a zero shift (the manual's rule for the rounding forms). */
const roundingOf = (shift: number): number => (shift === 0 ? 0 : 1 << (shift - 1));

/** (value [+ rounding]) >> shift, arithmetic or logical, with 32-bit wrap-around before the shift. */
function normalize(value: number, shift: number, round: boolean, unsigned: boolean): number {
  const sum = (value + (round ? roundingOf(shift) : 0)) | 0;
  return unsigned ? (sum >>> shift) | 0 : sum >> shift;
}

interface Variant {
  readonly suffix: string;
  /** [31:30] of the immediate form / funct7[1:0] of the register form. */
  readonly code: number;
  readonly unsigned: boolean;
  readonly round: boolean;
}

const VARIANTS: readonly Variant[] = [
  { suffix: 'n', code: 0b00, unsigned: false, round: false },
  { suffix: 'un', code: 0b01, unsigned: true, round: false },
  { suffix: 'rn', code: 0b10, unsigned: false, round: true },
  { suffix: 'urn', code: 0b11, unsigned: true, round: true },
];

const ADD_SUB = [
  { name: 'add', sub: 0, op: (a: number, b: number): number => (a + b) | 0 },
  { name: 'sub', sub: 1, op: (a: number, b: number): number => (a - b) | 0 },
] as const;

const addSub: InstructionDef[] = ADD_SUB.flatMap(({ name, sub, op }) =>
  VARIANTS.flatMap(({ suffix, code, unsigned, round }) => [
    instruction(`cv.${name}${suffix}`, 'Xcvalu', { opcode: CUSTOM_2, funct3: 0b010 | sub, f2: code }, F.rrShift, 'alu', (h, d) => {
      h.regs[d.rd] = normalize(op(h.regs[d.rs1]!, h.regs[d.rs2]!), d.imm2, round, unsigned);
    }),
    // rd is the first operand, rs2[4:0] the shift.
    instruction(`cv.${name}${suffix}r`, 'Xcvalu', { opcode: CUSTOM_1, funct3: 0b011, funct7: 0b1000000 | (sub << 2) | code }, F.rAcc, 'alu',
      accumulate((a, shift, rd) => normalize(op(rd, a), shift & 31, round, unsigned))),
  ]),
);

/** Halfword 0 or 1 of a register, sign- or zero-extended. */
const half = (x: number, high: boolean, unsigned: boolean): number =>
  high ? (unsigned ? x >>> 16 : x >> 16) : unsigned ? x & 0xffff : (x << 16) >> 16;

function mulMac(accumulate: boolean, unsigned: boolean, high: boolean, round: boolean): Execute {
  return (h, d) => {
    // The unsigned product can reach 0xfffe0001: keep it exact, the sum wraps in normalize.
    const product = half(h.regs[d.rs1]!, high, unsigned) * half(h.regs[d.rs2]!, high, unsigned);
    h.regs[d.rd] = normalize((accumulate ? h.regs[d.rd]! : 0) + product, d.imm2, round, unsigned);
  };
}

const mulMacs: InstructionDef[] = [false, true].flatMap((accumulate) =>
  [false, true].flatMap((unsigned) =>
    [false, true].flatMap((high) =>
      [false, true].map((round) => {
        const name = `cv.${accumulate ? 'mac' : 'mul'}${high ? 'hh' : ''}${unsigned ? 'u' : 's'}${round ? 'rn' : 'n'}`;
        const funct3 = 0b100 | (accumulate ? 0b010 : 0) | (unsigned ? 0b001 : 0);
        const f2 = (round ? 0b10 : 0) | (high ? 0b01 : 0);
        return onMultiplier(instruction(name, 'Xcvmac', { opcode: CUSTOM_2, funct3, f2 }, accumulate ? F.rrShiftAcc : F.rrShift, 'alu',
          mulMac(accumulate, unsigned, high, round)));
      }),
    ),
  ),
);

export const XCV_FIXED_POINT: readonly InstructionDef[] = [...addSub, ...mulMacs];
