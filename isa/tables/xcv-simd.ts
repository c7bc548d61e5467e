/**
 * CORE-V packed SIMD arithmetic (Xcvsimd), custom-3: [31:27] funct5, [26] = 0, funct3 selects the lane width
 * and how operand b is formed: .h/.b use rs2, .sc replicates rs2's lane 0, .sci replicates Imm6.
 * Each family below expands to its six forms here, so the table still has one entry per encoding.
 */
import { instruction, onMultiplier, type Execute, type InstructionDef } from '../definition.js';
import { FORMATS as F, type Format } from '../formats.js';
import { dotProduct, dotProductExpression, lanewise, replicate, type LaneWidth } from '../simd.js';
import { accumulate, accumulateImm, unary } from './semantics.js';

export const CUSTOM_3 = 0x7b;

type OperandB = 'reg' | 'sc' | 'sci';

interface Form {
  readonly suffix: string;
  readonly funct3: number;
  readonly width: LaneWidth;
  readonly b: OperandB;
}

const FORMS: readonly Form[] = [
  { suffix: '.h', funct3: 0b000, width: 16, b: 'reg' },
  { suffix: '.b', funct3: 0b001, width: 8, b: 'reg' },
  { suffix: '.sc.h', funct3: 0b100, width: 16, b: 'sc' },
  { suffix: '.sc.b', funct3: 0b101, width: 8, b: 'sc' },
  { suffix: '.sci.h', funct3: 0b110, width: 16, b: 'sci' },
  { suffix: '.sci.b', funct3: 0b111, width: 8, b: 'sci' },
];

interface Family {
  readonly name: string;
  readonly funct5: number;
  /** Bit 26: set for the comparisons. */
  readonly f?: 0 | 1;
  /** Shifts limit their .sci immediate to the lane's shift amounts. */
  readonly shift?: boolean;
  /** The operation for one lane width: (a, b, rd) => new rd. */
  readonly op: (width: LaneWidth) => (a: number, b: number, acc: number) => number;
  /** The same as a JavaScript expression over a = $0, b = $1, rd = $2 (RegisterOperation.expression), for the register forms. */
  readonly expression?: (width: LaneWidth) => string;
  /** rd is a source (the sdot* accumulators). */
  readonly accumulates: boolean;
  /** Imm6 is zero-extended (the unsigned dot products), otherwise sign-extended. */
  readonly unsignedImm: boolean;
  /** Executed on the multiplier (the dot products). */
  readonly multiplier?: boolean;
}

function operandFormat(family: Family, form: Form): Format {
  const b = form.b;
  if (b !== 'sci') return family.accumulates ? F.rAcc : F.r;
  if (family.shift) return form.width === 16 ? F.simdShiftH : F.simdShiftB;
  if (family.unsignedImm) return family.accumulates ? F.simdSciUAcc : F.simdSciU;
  return family.accumulates ? F.simdSciAcc : F.simdSci;
}

function semantics(family: Family, form: Form): Execute {
  const { width } = form;
  const op = family.op(width);
  switch (form.b) {
    case 'reg':
      return accumulate(op, family.expression?.(width));
    case 'sc':
      return accumulate((a, b, acc) => op(a, replicate(b, width), acc));
    case 'sci':
      return accumulateImm((a, imm, acc) => op(a, replicate(imm, width), acc));
  }
}

function expand(family: Family): InstructionDef[] {
  return FORMS.map((form) => {
    // Register and .sc forms keep bit 25 zero; in .sci forms it is Imm6[0].
    const immediate = form.b === 'sci' ? (family.shift ? (form.width === 16 ? { shiftHiH: 0 } : { shiftHiB: 0 }) : {}) : { bit25: 0 };
    const fields = { opcode: CUSTOM_3, funct5: family.funct5, f: family.f ?? 0, funct3: form.funct3, ...immediate };
    const row = instruction(`cv.${family.name}${form.suffix}`, 'Xcvsimd', fields, operandFormat(family, form), 'alu',
      semantics(family, form));
    return family.multiplier ? onMultiplier(row) : row;
  });
}

/** A lane-by-lane operation; `op` also gets the lane width (for wrap-around and shift masks). */
function elementwise(name: string, funct5: number, signed: boolean, op: (x: number, y: number, width: LaneWidth) => number, extra: Partial<Family> = {}): Family {
  return { name, funct5, accumulates: false, unsignedImm: !signed, op: (w) => lanewise(w, signed, (x, y) => op(x, y, w)), ...extra };
}

/** Sign- or zero-extend the low `width` bits (a lane sum that overflowed its lane). */
const wrap = (x: number, width: LaneWidth, signed: boolean): number => (signed ? (x << (32 - width)) >> (32 - width) : x & ((1 << width) - 1));

function compare(name: string, funct5: number, signed: boolean, holds: (x: number, y: number) => boolean): Family {
  return elementwise(name, funct5, signed, (x, y) => (holds(x, y) ? -1 : 0), { f: 1 });
}

function dot(name: string, funct5: number, aSigned: boolean, bSigned: boolean, accumulates: boolean): Family {
  const op = (w: LaneWidth) => {
    const product = dotProduct(w, aSigned, bSigned);
    return accumulates ? product : (a: number, b: number): number => product(a, b, 0);
  };
  // Compiled blocks write the register forms' sums out (dotProductExpression); the others call op.
  const expression = (w: LaneWidth) => {
    const text = dotProductExpression(w, aSigned, bSigned);
    return accumulates ? text : text.replace('$2', '0');
  };
  return { name, funct5, accumulates, unsignedImm: !aSigned && !bSigned, op, expression, multiplier: true };
}

const FAMILIES: readonly Family[] = [
  elementwise('add', 0b00000, true, (x, y) => x + y),
  elementwise('sub', 0b00001, true, (x, y) => x - y),
  // The average shifts the lane-wide (wrapped) sum, as the ALU does.
  elementwise('avg', 0b00010, true, (x, y, w) => wrap(x + y, w, true) >> 1),
  elementwise('avgu', 0b00011, false, (x, y, w) => wrap(x + y, w, false) >>> 1),
  elementwise('min', 0b00100, true, (x, y) => Math.min(x, y)),
  elementwise('minu', 0b00101, false, (x, y) => Math.min(x, y)),
  elementwise('max', 0b00110, true, (x, y) => Math.max(x, y)),
  elementwise('maxu', 0b00111, false, (x, y) => Math.max(x, y)),
  elementwise('srl', 0b01000, false, (x, y, w) => x >>> (y & (w - 1)), { shift: true }),
  elementwise('sra', 0b01001, true, (x, y, w) => x >> (y & (w - 1)), { shift: true }),
  elementwise('sll', 0b01010, true, (x, y, w) => x << (y & (w - 1)), { shift: true }),
  elementwise('or', 0b01011, true, (x, y) => x | y),
  elementwise('xor', 0b01100, true, (x, y) => x ^ y),
  elementwise('and', 0b01101, true, (x, y) => x & y),
  compare('cmpeq', 0b00000, true, (x, y) => x === y),
  compare('cmpne', 0b00001, true, (x, y) => x !== y),
  compare('cmpgt', 0b00010, true, (x, y) => x > y),
  compare('cmpge', 0b00011, true, (x, y) => x >= y),
  compare('cmplt', 0b00100, true, (x, y) => x < y),
  compare('cmple', 0b00101, true, (x, y) => x <= y),
  compare('cmpgtu', 0b00110, false, (x, y) => x > y),
  compare('cmpgeu', 0b00111, false, (x, y) => x >= y),
  compare('cmpltu', 0b01000, false, (x, y) => x < y),
  compare('cmpleu', 0b01001, false, (x, y) => x <= y),
  dot('dotup', 0b10000, false, false, false),
  dot('dotusp', 0b10001, false, true, false),
  dot('dotsp', 0b10010, true, true, false),
  dot('sdotup', 0b10011, false, false, true),
  dot('sdotusp', 0b10100, false, true, true),
  dot('sdotsp', 0b10101, true, true, true),
];

const ABS_FORMS = FORMS.filter((f) => f.b === 'reg').map((form) => {
  const abs = lanewise(form.width, true, (x) => Math.abs(x));
  return instruction(`cv.abs${form.suffix}`, 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b01110, f: 0, funct3: form.funct3, bit25: 0, rs2: 0 },
    F.r1, 'alu', unary((a) => abs(a, 0)));
});

export const XCV_SIMD: readonly InstructionDef[] = [...FAMILIES.flatMap(expand), ...ABS_FORMS];
