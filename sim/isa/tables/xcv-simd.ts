/**
 * CORE-V packed SIMD (Xcvsimd), custom-3: [31:27] funct5, [26] = 0, funct3 selects the lane width
 * and how operand b is formed: .h/.b use rs2, .sc replicates rs2's lane 0, .sci replicates Imm6.
 * Each family below expands to its six forms here, so the table still has one entry per encoding.
 */
import { instruction, type Execute, type FixedFields, type InstructionDef } from '../definition';
import { FORMATS as F, type Format } from '../formats';
import { dotProduct, insertLane, lane, lanewise, replicate, type LaneWidth } from '../simd';

const CUSTOM_3 = 0x7b;

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
  /** rd is a source (the sdot* accumulators). */
  readonly accumulates: boolean;
  /** Imm6 is zero-extended (the unsigned dot products), otherwise sign-extended. */
  readonly unsignedImm: boolean;
}

function operandFormat(family: Family, form: Form): Format {
  const b = form.b;
  if (b !== 'sci') return family.accumulates ? F.rAcc : F.r;
  if (family.shift) return form.width === 16 ? F.simdShiftH : F.simdShiftB;
  if (family.unsignedImm) return family.accumulates ? F.simdSciUAcc : F.simdSciU;
  return family.accumulates ? F.simdSciAcc : F.simdSci;
}

function semantics(op: (a: number, b: number, acc: number) => number, form: Form): Execute {
  const { width } = form;
  switch (form.b) {
    case 'reg':
      return (h, d) => {
        h.regs[d.rd] = op(h.regs[d.rs1]!, h.regs[d.rs2]!, h.regs[d.rd]!);
      };
    case 'sc':
      return (h, d) => {
        h.regs[d.rd] = op(h.regs[d.rs1]!, replicate(h.regs[d.rs2]!, width), h.regs[d.rd]!);
      };
    case 'sci':
      return (h, d) => {
        h.regs[d.rd] = op(h.regs[d.rs1]!, replicate(d.imm, width), h.regs[d.rd]!);
      };
  }
}

function expand(family: Family): InstructionDef[] {
  return FORMS.map((form) => {
    // Register and .sc forms keep bit 25 zero; in .sci forms it is Imm6[0].
    const immediate = form.b === 'sci' ? (family.shift ? (form.width === 16 ? { shiftHiH: 0 } : { shiftHiB: 0 }) : {}) : { bit25: 0 };
    const fields = { opcode: CUSTOM_3, funct5: family.funct5, f: family.f ?? 0, funct3: form.funct3, ...immediate };
    return instruction(`cv.${family.name}${form.suffix}`, 'Xcvsimd', fields, operandFormat(family, form), 'alu',
      semantics(family.op(form.width), form));
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
    return accumulates
      ? (a: number, b: number, acc: number): number => (acc + product(a, b)) | 0
      : (a: number, b: number): number => product(a, b);
  };
  return { name, funct5, accumulates, unsignedImm: !aSigned && !bSigned, op };
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

function absSemantics(width: LaneWidth): Execute {
  const abs = lanewise(width, true, (x) => Math.abs(x));
  return (h, d) => {
    h.regs[d.rd] = abs(h.regs[d.rs1]!, 0);
  };
}

const ABS_FORMS = FORMS.filter((f) => f.b === 'reg').map((form) =>
  instruction(`cv.abs${form.suffix}`, 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b01110, f: 0, funct3: form.funct3, bit25: 0, rs2: 0 },
    F.r1, 'alu', absSemantics(form.width)),
);

/** funct5 10111: lane extract (sign/zero) and insert; the lane index sits where Imm6 would. */
const LANE_OPS: readonly InstructionDef[] = ([16, 8] as const).flatMap((width) => {
  const suffix = width === 16 ? '.h' : '.b';
  const byte = width === 8 ? 1 : 0;
  // .h lanes are 0..1 (index in bit 25 alone), .b lanes 0..3 (bits 20 and 25).
  const laneBits = width === 16 ? { rs2: 0 } : { laneHi: 0 };
  const fields = (funct3: number) => ({ opcode: CUSTOM_3, funct5: 0b10111, f: 0, funct3, ...laneBits });
  const [extractFormat, insertFormat] = width === 16 ? [F.laneExtractH, F.laneInsertH] : [F.laneExtractB, F.laneInsertB];
  return [
    instruction(`cv.extract${suffix}`, 'Xcvsimd', fields(0b000 | byte), extractFormat, 'alu', (h, d) => {
      h.regs[d.rd] = lane(h.regs[d.rs1]!, d.imm, width, true);
    }),
    instruction(`cv.extractu${suffix}`, 'Xcvsimd', fields(0b010 | byte), extractFormat, 'alu', (h, d) => {
      h.regs[d.rd] = lane(h.regs[d.rs1]!, d.imm, width, false);
    }),
    instruction(`cv.insert${suffix}`, 'Xcvsimd', fields(0b100 | byte), insertFormat, 'alu', (h, d) => {
      h.regs[d.rd] = insertLane(h.regs[d.rd]!, h.regs[d.rs1]!, d.imm, width);
    }),
  ];
});

const PACK: readonly InstructionDef[] = [
  instruction('cv.pack', 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b11110, f: 0, bit25: 0, funct3: 0b000 }, F.r, 'alu', (h, d) => {
    h.regs[d.rd] = (h.regs[d.rs1]! << 16) | (h.regs[d.rs2]! & 0xffff);
  }),
  instruction('cv.pack.h', 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b11110, f: 0, bit25: 1, funct3: 0b000 }, F.r, 'alu', (h, d) => {
    h.regs[d.rd] = (h.regs[d.rs1]! & ~0xffff) | (h.regs[d.rs2]! >>> 16);
  }),
  // Byte packing keeps the other half of rd: packhi writes bytes 3..2, packlo bytes 1..0.
  instruction('cv.packhi.b', 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b11111, f: 0, bit25: 1, funct3: 0b001 }, F.rAcc, 'alu', (h, d) => {
    h.regs[d.rd] = ((h.regs[d.rs1]! & 0xff) << 24) | ((h.regs[d.rs2]! & 0xff) << 16) | (h.regs[d.rd]! & 0xffff);
  }),
  instruction('cv.packlo.b', 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b11111, f: 0, bit25: 0, funct3: 0b001 }, F.rAcc, 'alu', (h, d) => {
    h.regs[d.rd] = (h.regs[d.rd]! & ~0xffff) | ((h.regs[d.rs1]! & 0xff) << 8) | (h.regs[d.rs2]! & 0xff);
  }),
];

/** rd lane i = rs1 lane sel(i), where sel(i) is lane i's selector (low bits of `selectors` lane i). */
function shuffle(width: LaneWidth, rs1: number, selectors: number): number {
  let result = 0;
  for (let i = 0; i < 32 / width; i++) {
    const from = lane(selectors, i, width, false) & (width === 16 ? 1 : 3);
    result = insertLane(result, lane(rs1, from, width, false), i, width);
  }
  return result;
}

/** As shuffle, but the next selector bit up picks the source: 1 for rs1, 0 for rd. */
function shuffle2(width: LaneWidth, rs1: number, selectors: number, rd: number): number {
  let result = 0;
  const lanes = 32 / width;
  for (let i = 0; i < lanes; i++) {
    const selector = lane(selectors, i, width, false);
    const source = selector & (width === 16 ? 2 : 4) ? rs1 : rd;
    result = insertLane(result, lane(source, selector & (lanes - 1), width, false), i, width);
  }
  return result;
}

const shuffleFields = (funct5: number, funct3: number, extra: FixedFields = {}): FixedFields => ({ opcode: CUSTOM_3, funct5, f: 0, funct3, ...extra });

const SHUFFLE: readonly InstructionDef[] = [
  instruction('cv.shuffle.h', 'Xcvsimd', shuffleFields(0b11000, 0b000, { bit25: 0 }), F.r, 'alu', (h, d) => {
    h.regs[d.rd] = shuffle(16, h.regs[d.rs1]!, h.regs[d.rs2]!);
  }),
  instruction('cv.shuffle.b', 'Xcvsimd', shuffleFields(0b11000, 0b001, { bit25: 0 }), F.r, 'alu', (h, d) => {
    h.regs[d.rd] = shuffle(8, h.regs[d.rs1]!, h.regs[d.rs2]!);
  }),
  // Imm6 bit 0 selects the source of lane 0, bit 1 that of lane 1.
  instruction('cv.shuffle.sci.h', 'Xcvsimd', shuffleFields(0b11000, 0b110, { laneHi: 0 }), F.shuffleSciH, 'alu', (h, d) => {
    h.regs[d.rd] = shuffle(16, h.regs[d.rs1]!, ((d.imm >> 1) << 16) | (d.imm & 1));
  }),
  // cv.shuffleIk.sci.b: byte 3 comes from rs1 byte k (k in funct5[1:0]), bytes 2..0 as Imm6 says, 2 bits each.
  ...[0, 1, 2, 3].map((k) =>
    instruction(`cv.shufflei${k}.sci.b`, 'Xcvsimd', shuffleFields(0b11000 | k, 0b111), F.simdSciU, 'alu', (h, d) => {
      h.regs[d.rd] = shuffle(8, h.regs[d.rs1]!, (k << 24) | ((d.imm >> 4) << 16) | (((d.imm >> 2) & 3) << 8) | (d.imm & 3));
    }),
  ),
  instruction('cv.shuffle2.h', 'Xcvsimd', shuffleFields(0b11100, 0b000, { bit25: 0 }), F.rAcc, 'alu', (h, d) => {
    h.regs[d.rd] = shuffle2(16, h.regs[d.rs1]!, h.regs[d.rs2]!, h.regs[d.rd]!);
  }),
  instruction('cv.shuffle2.b', 'Xcvsimd', shuffleFields(0b11100, 0b001, { bit25: 0 }), F.rAcc, 'alu', (h, d) => {
    h.regs[d.rd] = shuffle2(8, h.regs[d.rs1]!, h.regs[d.rs2]!, h.regs[d.rd]!);
  }),
];

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

const COMPLEX: readonly InstructionDef[] = [
  ...DIVISIONS.flatMap(([suffix, div]) => [
    // The 32-bit products are exact in doubles; the shift is by 15 + div, then the lane wraps.
    instruction(`cv.cplxmul.r${suffix}`, 'Xcvsimd', complexFields(0b01010, div, { bit25: 0 }), F.rAcc, 'alu', (h, d) => {
      const a = h.regs[d.rs1]!;
      const b = h.regs[d.rs2]!;
      h.regs[d.rd] = halves(im(h.regs[d.rd]!), Math.floor((re(a) * re(b) - im(a) * im(b)) / 2 ** (15 + div)));
    }),
    instruction(`cv.cplxmul.i${suffix}`, 'Xcvsimd', complexFields(0b01010, div, { bit25: 1 }), F.rAcc, 'alu', (h, d) => {
      const a = h.regs[d.rs1]!;
      const b = h.regs[d.rs2]!;
      h.regs[d.rd] = halves(Math.floor((re(a) * im(b) + im(a) * re(b)) / 2 ** (15 + div)), h.regs[d.rd]!);
    }),
    // Subtract, then multiply by -j: (real, imaginary) becomes (imaginary, -real).
    instruction(`cv.subrotmj${suffix}`, 'Xcvsimd', complexFields(0b01100, div, { bit25: 0 }), F.r, 'alu', (h, d) => {
      const a = h.regs[d.rs1]!;
      const b = h.regs[d.rs2]!;
      h.regs[d.rd] = halves(shift16(re(b) - re(a), div), shift16(im(a) - im(b), div));
    }),
  ]),
  instruction('cv.cplxconj', 'Xcvsimd', complexFields(0b01011, 0, { bit25: 0, rs2: 0 }), F.r1, 'alu', (h, d) => {
    const a = h.regs[d.rs1]!;
    h.regs[d.rd] = halves(-im(a), re(a));
  }),
  ...DIVISIONS.slice(1).flatMap(([suffix, div]) => [
    instruction(`cv.add${suffix}`, 'Xcvsimd', complexFields(0b01101, div, { bit25: 0 }), F.r, 'alu', (h, d) => {
      const a = h.regs[d.rs1]!;
      const b = h.regs[d.rs2]!;
      h.regs[d.rd] = halves(shift16(im(a) + im(b), div), shift16(re(a) + re(b), div));
    }),
    instruction(`cv.sub${suffix}`, 'Xcvsimd', complexFields(0b01110, div, { bit25: 0 }), F.r, 'alu', (h, d) => {
      const a = h.regs[d.rs1]!;
      const b = h.regs[d.rs2]!;
      h.regs[d.rd] = halves(shift16(im(a) - im(b), div), shift16(re(a) - re(b), div));
    }),
  ]),
];

export const XCV_SIMD: readonly InstructionDef[] = [...FAMILIES.flatMap(expand), ...ABS_FORMS, ...LANE_OPS, ...PACK, ...SHUFFLE, ...COMPLEX];
