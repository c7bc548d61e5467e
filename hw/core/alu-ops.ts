/**
 * The ALU's op value, and the one table from instruction rows to it.
 *
 * The op is not one opaque number per mnemonic: it is a handful of fields the decoder can OR into
 * its control word and the ALU can use directly to steer its shared circuits (one lane adder, one
 * segmented shifter, one set of lane comparators), the way CV32E40P's decoder drives its ALU:
 *
 * | field     | bits  | meaning |
 * |-----------|-------|---------|
 * | unit      | 3:0   | which circuit produces the result (AluUnit) |
 * | fn        | 6:4   | what that circuit does (per unit, see AluUnit) |
 * | width     | 8:7   | lane width: 0 for 32 bits, 1 for halfwords, 2 for bytes |
 * | signed    | 9     | signed comparison, arithmetic shift, sign-extending extract |
 * | subtract  | 10    | the adder computes x - y (x + ~y + 1) instead of x + y |
 * | x         | 12:11 | first operand: rs1 (a), rd (c), zero, or halves of rs1 and rs2 crossed |
 * | y         | 14:13 | second operand: rs2 (b), imm, imm2 or rs1 (a) |
 * | replicate | 15    | y's lane 0 copied to every lane (.sc and .sci forms) |
 * | param     | 17:16 | where the unit's parameter (shift amount, clip bound, bit field, lane selectors) comes from |
 */
import type { InstructionDef } from '../../isa/definition.js';

/** The circuit that produces the result. */
export const AluUnit = {
  /** AluAddFunction: x + y or x - y per lane, |x| per lane, or x with its high halfword negated. lui is 0 + imm. */
  add: 0,
  /** fn 0 and, 1 or, 2 xor. */
  logic: 1,
  /** Lane-wise shift of x by the amounts in y's lanes: fn 0 right (arithmetic when signed), 1 left, 2 rotate right. */
  shift: 2,
  /** (x +- y [+ rounding]) shifted right per lane: the addN/subN family, the averages, the complex add/sub.divN. */
  normalize: 3,
  /** Lane condition (fn, AluCondition) as all-ones lanes, or as 0/1 for 32-bit lanes; branches too. */
  compare: 4,
  /** fn 0 min, 1 max, per lane. */
  minmax: 5,
  /** Saturate x to the bound: signed [-(bound+1), bound] or unsigned [0, bound]. */
  clip: 6,
  /** Bit field of x: fn 0 extract (sign-extended when signed), 1 insert into rd, 2 clear, 3 set. */
  field: 7,
  /** fn 0 ff1, 1 fl1, 2 clb, 3 cnt. */
  count: 8,
  /** x shifted left by the field position, then its digits reversed (radix from imm2). */
  bitrev: 9,
  /** Lanes of rs1 picked by selectors (param); fn bit 2: shuffle2 (selector's next bit picks rs1 or rd); fn 1:0: byte 3's lane of cv.shuffleIk.sci.b. */
  shuffle: 10,
  /** fn 0 cv.pack, 1 cv.pack.h, 2 cv.packhi.b, 3 cv.packlo.b. */
  pack: 11,
} as const;
export type AluUnitName = keyof typeof AluUnit;

/** Functions of the add unit (fn). */
export const AluAddFunction = { add: 0, abs: 1, conjugate: 2 } as const;

/** Conditions of the compare unit (fn): fn[2:1] picks eq, ge or gt, fn[0] negates it. */
export const AluCondition = { eq: 0, ne: 1, ge: 2, lt: 3, gt: 4, le: 5 } as const;
export type AluConditionName = keyof typeof AluCondition;

export const AluLane = { word: 0, half: 1, byte: 2 } as const;
export type AluLaneName = keyof typeof AluLane;

/** x: rs1, rd, zero, or {rs2[15:0], rs1[31:16]} with y = {rs1[15:0], rs2[31:16]} (cv.subrotmj). */
export const AluX = { a: 0, c: 1, zero: 2, cross: 3 } as const;
export const AluY = { b: 0, imm: 1, imm2: 2, a: 3 } as const;

/**
 * Where the unit's parameter comes from (the shift unit needs none: its amounts are y's lanes).
 * - normalize: the shift amount is rs2[4:0] (`b`), imm2 (`imm`), or the constant fn[1:0] in every
 *   lane (`constant`).
 * - clip: the bound is rs2 with bit 31 cleared (`b`) or 2^(imm-1) - 1 (`imm`).
 * - field, bitrev: length-1 and position are rs2[9:5] and rs2[4:0] (`b`), imm2 and imm (`imm`), a
 *   whole lane whose index is imm (`lane`), or lane 0 (`constant`).
 * - shuffle: the lane selectors are rs2's lanes (`b`), Imm6 as cv.shuffle.sci.h lays them out
 *   (`imm`), or as cv.shuffleIk.sci.b does with k = fn[1:0] (`constant`).
 */
export const AluParam = { b: 0, imm: 1, lane: 2, constant: 3 } as const;

export interface AluControlFields {
  readonly unit: AluUnitName;
  readonly fn?: number;
  readonly width?: AluLaneName;
  readonly signed?: boolean;
  readonly subtract?: boolean;
  readonly x?: keyof typeof AluX;
  readonly y?: keyof typeof AluY;
  readonly replicate?: boolean;
  readonly param?: keyof typeof AluParam;
}

/** Bit position and width of each field of the op. */
export const ALU_OP_FIELDS = {
  unit: [0, 4],
  fn: [4, 3],
  width: [7, 2],
  signed: [9, 1],
  subtract: [10, 1],
  x: [11, 2],
  y: [13, 2],
  replicate: [15, 1],
  param: [16, 2],
} as const satisfies Record<string, readonly [number, number]>;
export type AluOpField = keyof typeof ALU_OP_FIELDS;

export const ALU_OP_WIDTH = 18;

/** The op value of a set of fields. */
export function aluOp(f: AluControlFields): number {
  const values: Record<AluOpField, number> = {
    unit: AluUnit[f.unit],
    fn: f.fn ?? 0,
    width: AluLane[f.width ?? 'word'],
    signed: Number(f.signed ?? false),
    subtract: Number(f.subtract ?? false),
    x: AluX[f.x ?? 'a'],
    y: AluY[f.y ?? 'b'],
    replicate: Number(f.replicate ?? false),
    param: AluParam[f.param ?? 'b'],
  };
  let op = 0;
  for (const [name, [lo, bits]] of Object.entries(ALU_OP_FIELDS) as [AluOpField, readonly [number, number]][]) {
    const value = values[name];
    if (value < 0 || value >= 1 << bits) throw new Error(`aluOp: ${name}=${value} does not fit ${bits} bits`);
    op |= value << lo;
  }
  return op;
}

/** x + y: the pipeline computes auipc's pc + imm with it (a = pc, b = imm). */
export const ALU_OP_ADD = aluOp({ unit: 'add' });

// --- the table -------------------------------------------------------------------------------

const compare = (cond: AluConditionName, signed: boolean): AluControlFields => ({ unit: 'compare', fn: AluCondition[cond], signed, subtract: true });
const branchImm = (cond: AluConditionName): AluControlFields => ({ ...compare(cond, true), y: 'imm2' });
const minmax = (max: boolean, signed: boolean): AluControlFields => ({ unit: 'minmax', fn: Number(max), signed, subtract: true });
const logic = (fn: number): AluControlFields => ({ unit: 'logic', fn });
const shift = (fn: number, signed = false): AluControlFields => ({ unit: 'shift', fn, signed });
const extend = (width: AluLaneName, signed: boolean): AluControlFields => ({ unit: 'field', fn: 0, width, signed, param: 'constant' });
const clip = (signed: boolean, immediate: boolean): AluControlFields =>
  ({ unit: 'clip', signed, subtract: true, param: immediate ? 'imm' : 'b' });

/** RV32I register-register rows and their immediate forms (y = imm). */
const RV32I_PAIRS: readonly (readonly [string, string | undefined, AluControlFields])[] = [
  ['add', 'addi', { unit: 'add' }],
  ['sub', undefined, { unit: 'add', subtract: true }],
  ['slt', 'slti', compare('lt', true)],
  ['sltu', 'sltiu', compare('lt', false)],
  ['xor', 'xori', logic(2)],
  ['or', 'ori', logic(1)],
  ['and', 'andi', logic(0)],
  ['sll', 'slli', shift(1)],
  ['srl', 'srli', shift(0)],
  ['sra', 'srai', shift(0, true)],
];

/** cv.addN family: [31:30]/funct7[1:0] variants; the register form takes rd as x, rs1 as y, the shift from rs2. */
function normalizeRows(): [string, AluControlFields][] {
  const rows: [string, AluControlFields][] = [];
  for (const [name, subtract] of [['add', false], ['sub', true]] as const) {
    for (const [suffix, signed, round] of [['n', true, false], ['un', false, false], ['rn', true, true], ['urn', false, true]] as const) {
      const base: AluControlFields = { unit: 'normalize', fn: round ? 4 : 0, signed, subtract };
      rows.push([`cv.${name}${suffix}`, { ...base, param: 'imm' }]);
      rows.push([`cv.${name}${suffix}r`, { ...base, x: 'c', y: 'a', param: 'b' }]);
    }
  }
  return rows;
}

/** Xcvbitmanip bit fields: immediate forms (Is3, Is2) and register forms (rs2[9:5], rs2[4:0]). */
const BIT_FIELDS: readonly (readonly [string, AluControlFields])[] = [
  ['extract', { unit: 'field', fn: 0, signed: true }],
  ['extractu', { unit: 'field', fn: 0 }],
  ['insert', { unit: 'field', fn: 1 }],
  ['bclr', { unit: 'field', fn: 2 }],
  ['bset', { unit: 'field', fn: 3 }],
];

/** The six operand forms of an Xcvsimd family: lane width, and b as rs2, rs2's lane 0 or Imm6 in every lane. */
const SIMD_FORMS: readonly (readonly [string, Omit<AluControlFields, 'unit'>])[] = [
  ['.h', { width: 'half' }],
  ['.b', { width: 'byte' }],
  ['.sc.h', { width: 'half', replicate: true }],
  ['.sc.b', { width: 'byte', replicate: true }],
  ['.sci.h', { width: 'half', replicate: true, y: 'imm' }],
  ['.sci.b', { width: 'byte', replicate: true, y: 'imm' }],
];

/** Xcvsimd element-wise families (each in the six SIMD_FORMS). The averages shift the lane sum right by one. */
const SIMD_FAMILIES: readonly (readonly [string, AluControlFields])[] = [
  ['add', { unit: 'add' }],
  ['sub', { unit: 'add', subtract: true }],
  ['avg', { unit: 'normalize', fn: 1, signed: true, param: 'constant' }],
  ['avgu', { unit: 'normalize', fn: 1, param: 'constant' }],
  ['min', minmax(false, true)],
  ['minu', minmax(false, false)],
  ['max', minmax(true, true)],
  ['maxu', minmax(true, false)],
  ['srl', shift(0)],
  ['sra', shift(0, true)],
  ['sll', shift(1)],
  ['or', logic(1)],
  ['xor', logic(2)],
  ['and', logic(0)],
  ['cmpeq', compare('eq', true)],
  ['cmpne', compare('ne', true)],
  ['cmpgt', compare('gt', true)],
  ['cmpge', compare('ge', true)],
  ['cmplt', compare('lt', true)],
  ['cmple', compare('le', true)],
  ['cmpgtu', compare('gt', false)],
  ['cmpgeu', compare('ge', false)],
  ['cmpltu', compare('lt', false)],
  ['cmpleu', compare('le', false)],
];

/** Lane moves done as bit fields: a whole lane, its index in imm. */
const LANE_FIELDS: readonly (readonly [string, AluControlFields])[] = (['half', 'byte'] as const).flatMap((width) => {
  const suffix = width === 'half' ? '.h' : '.b';
  return [
    [`cv.extract${suffix}`, { unit: 'field', fn: 0, width, signed: true, param: 'lane' }],
    [`cv.extractu${suffix}`, { unit: 'field', fn: 0, width, param: 'lane' }],
    [`cv.insert${suffix}`, { unit: 'field', fn: 1, width, param: 'lane' }],
  ] as const;
});

/**
 * Complex numbers in halfword lanes: add, subtract and cv.subrotmj (subtract, then multiply by -j:
 * the halves of the operands crossed) with a division by 1, 2, 4 or 8 (an arithmetic shift of the
 * wrapped lane), and the conjugate.
 */
const COMPLEX: readonly (readonly [string, AluControlFields])[] = [
  ...[0, 1, 2, 3].flatMap((shiftBy) => {
    const division = shiftBy === 0 ? '' : `.div${1 << shiftBy}`;
    const fields = { unit: 'normalize', fn: shiftBy, width: 'half', signed: true, param: 'constant' } as const;
    const subrotmj: [string, AluControlFields] = [`cv.subrotmj${division}`, { ...fields, subtract: true, x: 'cross' }];
    // cv.add and cv.sub without a division are the SIMD cv.add.h and cv.sub.h.
    return shiftBy === 0 ? [subrotmj] : [
      [`cv.add${division}`, fields], [`cv.sub${division}`, { ...fields, subtract: true }], subrotmj,
    ] satisfies [string, AluControlFields][];
  }),
  ['cv.cplxconj', { unit: 'add', fn: AluAddFunction.conjugate, width: 'half' }],
];

const TABLE: ReadonlyMap<string, AluControlFields> = new Map<string, AluControlFields>([
  ['lui', { unit: 'add', x: 'zero', y: 'imm' }],
  ...RV32I_PAIRS.flatMap(([reg, imm, fields]): [string, AluControlFields][] =>
    imm ? [[reg, fields], [imm, { ...fields, y: 'imm' }]] : [[reg, fields]]),
  ['beq', compare('eq', false)],
  ['bne', compare('ne', false)],
  ['blt', compare('lt', true)],
  ['bge', compare('ge', true)],
  ['bltu', compare('lt', false)],
  ['bgeu', compare('ge', false)],
  ['cv.beqimm', branchImm('eq')],
  ['cv.bneimm', branchImm('ne')],

  ['cv.abs', { unit: 'add', fn: AluAddFunction.abs }],
  ['cv.slet', compare('le', true)],
  ['cv.sletu', compare('le', false)],
  ['cv.min', minmax(false, true)],
  ['cv.minu', minmax(false, false)],
  ['cv.max', minmax(true, true)],
  ['cv.maxu', minmax(true, false)],
  ['cv.exths', extend('half', true)],
  ['cv.exthz', extend('half', false)],
  ['cv.extbs', extend('byte', true)],
  ['cv.extbz', extend('byte', false)],
  ['cv.clip', clip(true, true)],
  ['cv.clipu', clip(false, true)],
  ['cv.clipr', clip(true, false)],
  ['cv.clipur', clip(false, false)],
  ...normalizeRows(),

  ['cv.ror', shift(2)],
  ...BIT_FIELDS.flatMap(([name, fields]): [string, AluControlFields][] => [
    [`cv.${name}`, { ...fields, param: 'imm' }],
    [`cv.${name}r`, { ...fields, param: 'b' }],
  ]),

  ...SIMD_FAMILIES.flatMap(([name, fields]) => SIMD_FORMS.map(([suffix, form]): [string, AluControlFields] => [`cv.${name}${suffix}`, { ...fields, ...form }])),
  ['cv.abs.h', { unit: 'add', fn: AluAddFunction.abs, width: 'half' }],
  ['cv.abs.b', { unit: 'add', fn: AluAddFunction.abs, width: 'byte' }],
  ...LANE_FIELDS,
  ...COMPLEX,

  ['cv.ff1', { unit: 'count', fn: 0 }],
  ['cv.fl1', { unit: 'count', fn: 1 }],
  ['cv.clb', { unit: 'count', fn: 2 }],
  ['cv.cnt', { unit: 'count', fn: 3 }],
  ['cv.bitrev', { unit: 'bitrev', param: 'imm' }],

  ['cv.shuffle.h', { unit: 'shuffle', width: 'half' }],
  ['cv.shuffle.b', { unit: 'shuffle', width: 'byte' }],
  ['cv.shuffle.sci.h', { unit: 'shuffle', width: 'half', param: 'imm' }],
  ...[0, 1, 2, 3].map((k): [string, AluControlFields] => [`cv.shufflei${k}.sci.b`, { unit: 'shuffle', fn: k, width: 'byte', param: 'constant' }]),
  ['cv.shuffle2.h', { unit: 'shuffle', fn: 4, width: 'half' }],
  ['cv.shuffle2.b', { unit: 'shuffle', fn: 4, width: 'byte' }],
  ['cv.pack', { unit: 'pack', fn: 0, width: 'half' }],
  ['cv.pack.h', { unit: 'pack', fn: 1, width: 'half' }],
  ['cv.packhi.b', { unit: 'pack', fn: 2, width: 'byte' }],
  ['cv.packlo.b', { unit: 'pack', fn: 3, width: 'byte' }],
]);

/**
 * The ALU op of an instruction row, or undefined when the row is not the ALU's (or not
 * supported). auipc is not a row of the ALU: the pipeline computes pc + imm with ALU_OP_ADD.
 */
export function aluControl(def: InstructionDef): number | undefined {
  const fields = TABLE.get(def.mnemonic);
  return fields && aluOp(fields);
}

/** The mnemonics aluControl accepts (for tests and documentation). */
export const ALU_MNEMONICS: readonly string[] = [...TABLE.keys()];
