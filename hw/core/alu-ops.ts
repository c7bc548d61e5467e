/**
 * The ALU's op value, and the one table from instruction rows to it.
 *
 * The op is not one opaque number per mnemonic: it is a handful of fields the decoder can OR into
 * its control word and the ALU uses directly to steer its shared circuits (one lane adder, one
 * segmented shifter, one set of lane comparators), the way CV32E40P's decoder drives its ALU:
 *
 * | field     | bits  | meaning |
 * |-----------|-------|---------|
 * | unit      | 3:0   | which circuit produces the result (AluUnit) |
 * | fn        | 6:4   | what that circuit does (the unit's Alu*Function) |
 * | width     | 8:7   | lane width (AluLane): 32 bits, halfwords or bytes |
 * | signed    | 9     | signed comparison, arithmetic right shift, sign-extending extract |
 * | subtract  | 10    | the adder computes x - y (x + ~y + 1) instead of x + y |
 * | x         | 12:11 | first operand (AluX): rs1, rd, zero, or halves of rs1 and rs2 crossed |
 * | y         | 14:13 | second operand (AluY): rs2, imm, imm2 or rs1 |
 * | replicate | 15    | y's lane 0 copied to every lane (the .sc and .sci forms) |
 * | param     | 17:16 | where the unit's parameter comes from (AluParam) |
 */
import type { InstructionDef } from '../../isa/definition.js';

/** The circuit that produces the result. */
export const AluUnit = {
  /** AluAddFunction, per lane. lui is 0 + imm. */
  add: 0,
  /** AluLogicFunction. */
  logic: 1,
  /** AluShiftFunction: x shifted per lane by the amounts in y's lanes. */
  shift: 2,
  /** (x +- y [+ rounding]) shifted right per lane (AluNormalize): cv.addN family, averages, complex add/sub. */
  normalize: 3,
  /** AluCondition per lane, as all-ones lanes, or as 0/1 for 32-bit lanes; the branch condition. */
  compare: 4,
  /** AluMinMaxFunction, per lane. */
  minmax: 5,
  /** Saturate x to the bound: signed [-(bound+1), bound] or unsigned [0, bound]. */
  clip: 6,
  /** AluFieldFunction: a bit field of x. */
  field: 7,
  /** AluCountFunction: counts bits of x. */
  count: 8,
  /** x shifted left by the field position, then its digits reversed (radix in imm2). */
  bitrev: 9,
  /** AluShuffle: lanes of rs1 (and rd) picked by selectors. */
  shuffle: 10,
  /** AluPackFunction: lanes of rs1 and rs2 (and rd) put together. */
  pack: 11,
} as const;
export type AluUnitName = keyof typeof AluUnit;

export const AluAddFunction = {
  /** x + y, or x - y with `subtract`. */
  add: 0,
  /** |x|. */
  abs: 1,
  /** x with its high halfword negated (cv.cplxconj). */
  conjugate: 2,
} as const;

export const AluLogicFunction = { and: 0, or: 1, xor: 2 } as const;

/** Right shifts are arithmetic when `signed`; rotation is of 32-bit lanes only. */
export const AluShiftFunction = { right: 0, left: 1, rotate: 2 } as const;

/** fn of the normalize unit: bit 2 adds the rounding constant 2^(amount-1); bits 1:0 are the shift of AluParam.constant. */
export const AluNormalize = { round: 4 } as const;

/** Conditions of the compare unit: fn[2:1] picks eq, ge or gt, fn[0] negates it. */
export const AluCondition = { eq: 0, ne: 1, ge: 2, lt: 3, gt: 4, le: 5 } as const;
type AluConditionName = keyof typeof AluCondition;

export const AluMinMaxFunction = { min: 0, max: 1 } as const;

export const AluFieldFunction = {
  /** The field, moved down to bit 0, sign-extended when `signed`. */
  extract: 0,
  /** rd with the field replaced by x's low bits. */
  insert: 1,
  /** x with the field cleared. */
  clear: 2,
  /** x with the field set. */
  set: 3,
} as const;

export const AluCountFunction = { ff1: 0, fl1: 1, clb: 2, cnt: 3 } as const;

/** fn of the shuffle unit: bit 2 lets the selector's next bit pick rs1 (1) or rd (0) (cv.shuffle2); bits 1:0 are k of cv.shuffleIk.sci.b. */
export const AluShuffle = { twoSources: 4 } as const;

export const AluPackFunction = { pack: 0, packHigh: 1, packHighBytes: 2, packLowBytes: 3 } as const;

export const AluLane = { word: 0, half: 1, byte: 2 } as const;
type AluLaneName = keyof typeof AluLane;

/** x: rs1, rd, zero, or {rs2[15:0], rs1[31:16]} with y = {rs1[15:0], rs2[31:16]} (cv.subrotmj). */
export const AluX = { a: 0, c: 1, zero: 2, cross: 3 } as const;
export const AluY = { b: 0, imm: 1, imm2: 2, a: 3 } as const;

/**
 * Where the unit's parameter comes from (the shift unit needs none: its amounts are y's lanes).
 * - normalize: the shift amount is rs2[4:0] (`b`), imm2 (`imm`), or fn[1:0] in every lane (`constant`).
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

/** Lowest bit and width of each field of the op. */
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

/** The op value of a set of fields (those left out are 0: rs1, rs2, 32-bit lanes, unsigned, add). */
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
    if (!Number.isInteger(value) || value < 0 || value >= 1 << bits) throw new Error(`aluOp: ${name}=${value} does not fit ${bits} bits`);
    op |= value << lo;
  }
  return op;
}

/** x + y: the pipeline computes auipc's pc + imm with it (a = pc, b = imm). */
export const ALU_OP_ADD = aluOp({ unit: 'add' });

// --- the table -------------------------------------------------------------------------------

type Row = readonly [mnemonic: string, fields: AluControlFields];

const compare = (cond: AluConditionName, signed: boolean): AluControlFields => ({ unit: 'compare', fn: AluCondition[cond], signed, subtract: true });
const minmax = (fn: keyof typeof AluMinMaxFunction, signed: boolean): AluControlFields => ({ unit: 'minmax', fn: AluMinMaxFunction[fn], signed, subtract: true });
const logic = (fn: keyof typeof AluLogicFunction): AluControlFields => ({ unit: 'logic', fn: AluLogicFunction[fn] });
const shift = (fn: keyof typeof AluShiftFunction, signed = false): AluControlFields => ({ unit: 'shift', fn: AluShiftFunction[fn], signed });
const field = (fn: keyof typeof AluFieldFunction, signed = false): AluControlFields => ({ unit: 'field', fn: AluFieldFunction[fn], signed });
const count = (fn: keyof typeof AluCountFunction): AluControlFields => ({ unit: 'count', fn: AluCountFunction[fn] });
const pack = (fn: keyof typeof AluPackFunction, width: AluLaneName): AluControlFields => ({ unit: 'pack', fn: AluPackFunction[fn], width });
/** An arithmetic shift of each wrapped lane sum by a constant. */
const divide = (shiftBy: number, subtract: boolean): AluControlFields =>
  ({ unit: 'normalize', fn: shiftBy, width: 'half', signed: true, subtract, param: 'constant' });

/** RV32I register-register rows and their immediate forms (y = imm). */
const RV32I_PAIRS: readonly (readonly [string, string | undefined, AluControlFields])[] = [
  ['add', 'addi', { unit: 'add' }],
  ['sub', undefined, { unit: 'add', subtract: true }],
  ['slt', 'slti', compare('lt', true)],
  ['sltu', 'sltiu', compare('lt', false)],
  ['xor', 'xori', logic('xor')],
  ['or', 'ori', logic('or')],
  ['and', 'andi', logic('and')],
  ['sll', 'slli', shift('left')],
  ['srl', 'srli', shift('right')],
  ['sra', 'srai', shift('right', true)],
];

const BRANCHES: readonly Row[] = [
  ['beq', compare('eq', false)],
  ['bne', compare('ne', false)],
  ['blt', compare('lt', true)],
  ['bge', compare('ge', true)],
  ['bltu', compare('lt', false)],
  ['bgeu', compare('ge', false)],
  // The decoder puts the 5-bit comparison value in imm2 (imm is the offset).
  ['cv.beqimm', { ...compare('eq', false), y: 'imm2' }],
  ['cv.bneimm', { ...compare('ne', false), y: 'imm2' }],
];

const XCV_ALU: readonly Row[] = [
  ['cv.abs', { unit: 'add', fn: AluAddFunction.abs }],
  ['cv.slet', compare('le', true)],
  ['cv.sletu', compare('le', false)],
  ['cv.min', minmax('min', true)],
  ['cv.minu', minmax('min', false)],
  ['cv.max', minmax('max', true)],
  ['cv.maxu', minmax('max', false)],
  // Sign or zero extension is the extraction of lane 0.
  ['cv.exths', { ...field('extract', true), width: 'half', param: 'constant' }],
  ['cv.exthz', { ...field('extract'), width: 'half', param: 'constant' }],
  ['cv.extbs', { ...field('extract', true), width: 'byte', param: 'constant' }],
  ['cv.extbz', { ...field('extract'), width: 'byte', param: 'constant' }],
  ['cv.clip', { unit: 'clip', signed: true, subtract: true, param: 'imm' }],
  ['cv.clipu', { unit: 'clip', subtract: true, param: 'imm' }],
  ['cv.clipr', { unit: 'clip', signed: true, subtract: true, param: 'b' }],
  ['cv.clipur', { unit: 'clip', subtract: true, param: 'b' }],
  // cv.addN and its variants: the immediate form shifts by Is3 (imm2); the register form adds rs1
  // to rd and shifts by rs2.
  ...(['add', 'sub'] as const).flatMap((name) =>
    ([['n', true, false], ['un', false, false], ['rn', true, true], ['urn', false, true]] as const).flatMap(([suffix, signed, round]): Row[] => {
      const base: AluControlFields = { unit: 'normalize', fn: round ? AluNormalize.round : 0, signed, subtract: name === 'sub' };
      return [[`cv.${name}${suffix}`, { ...base, param: 'imm' }], [`cv.${name}${suffix}r`, { ...base, x: 'c', y: 'a', param: 'b' }]];
    })),
];

const XCV_BITMANIP: readonly Row[] = [
  // Immediate forms take the field from Is3 (imm2) and Is2 (imm), register forms from rs2.
  ...([['extract', field('extract', true)], ['extractu', field('extract')], ['insert', field('insert')], ['bclr', field('clear')], ['bset', field('set')]] as const)
    .flatMap(([name, fields]): Row[] => [[`cv.${name}`, { ...fields, param: 'imm' }], [`cv.${name}r`, { ...fields, param: 'b' }]]),
  ['cv.ror', shift('rotate')],
  ['cv.ff1', count('ff1')],
  ['cv.fl1', count('fl1')],
  ['cv.clb', count('clb')],
  ['cv.cnt', count('cnt')],
  ['cv.bitrev', { unit: 'bitrev', param: 'imm' }],
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

/** Xcvsimd element-wise families, each in the six SIMD_FORMS. */
const SIMD_FAMILIES: readonly Row[] = [
  ['add', { unit: 'add' }],
  ['sub', { unit: 'add', subtract: true }],
  // The averages shift the wrapped lane sum right by one.
  ['avg', { unit: 'normalize', fn: 1, signed: true, param: 'constant' }],
  ['avgu', { unit: 'normalize', fn: 1, param: 'constant' }],
  ['min', minmax('min', true)],
  ['minu', minmax('min', false)],
  ['max', minmax('max', true)],
  ['maxu', minmax('max', false)],
  ['srl', shift('right')],
  ['sra', shift('right', true)],
  ['sll', shift('left')],
  ['or', logic('or')],
  ['xor', logic('xor')],
  ['and', logic('and')],
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

const XCV_SIMD: readonly Row[] = [
  ...SIMD_FAMILIES.flatMap(([name, fields]) => SIMD_FORMS.map(([suffix, form]): Row => [`cv.${name}${suffix}`, { ...fields, ...form }])),
  ['cv.abs.h', { unit: 'add', fn: AluAddFunction.abs, width: 'half' }],
  ['cv.abs.b', { unit: 'add', fn: AluAddFunction.abs, width: 'byte' }],
];

const XCV_SIMD_LANES: readonly Row[] = [
  // Lane extract and insert are bit fields: a whole lane, its index in imm.
  ...(['half', 'byte'] as const).flatMap((width): Row[] => {
    const suffix = width === 'half' ? '.h' : '.b';
    return [
      [`cv.extract${suffix}`, { ...field('extract', true), width, param: 'lane' }],
      [`cv.extractu${suffix}`, { ...field('extract'), width, param: 'lane' }],
      [`cv.insert${suffix}`, { ...field('insert'), width, param: 'lane' }],
    ];
  }),
  ['cv.pack', pack('pack', 'half')],
  ['cv.pack.h', pack('packHigh', 'half')],
  ['cv.packhi.b', pack('packHighBytes', 'byte')],
  ['cv.packlo.b', pack('packLowBytes', 'byte')],
  ['cv.shuffle.h', { unit: 'shuffle', width: 'half' }],
  ['cv.shuffle.b', { unit: 'shuffle', width: 'byte' }],
  ['cv.shuffle.sci.h', { unit: 'shuffle', width: 'half', param: 'imm' }],
  ...[0, 1, 2, 3].map((k): Row => [`cv.shufflei${k}.sci.b`, { unit: 'shuffle', fn: k, width: 'byte', param: 'constant' }]),
  ['cv.shuffle2.h', { unit: 'shuffle', fn: AluShuffle.twoSources, width: 'half' }],
  ['cv.shuffle2.b', { unit: 'shuffle', fn: AluShuffle.twoSources, width: 'byte' }],
];

/**
 * Complex numbers in halfword lanes, with a division by 1, 2, 4 or 8 (an arithmetic shift of the
 * wrapped lane): add, subtract (without a division they are cv.add.h and cv.sub.h), cv.subrotmj
 * (subtract, then multiply by -j: the halves of the operands crossed); and the conjugate. The
 * complex multiplies are the multiplier's.
 */
const XCV_SIMD_COMPLEX: readonly Row[] = [
  ...[0, 1, 2, 3].flatMap((shiftBy): Row[] => {
    const division = shiftBy === 0 ? '' : `.div${1 << shiftBy}`;
    const subrotmj: Row = [`cv.subrotmj${division}`, { ...divide(shiftBy, true), x: 'cross' }];
    return shiftBy === 0 ? [subrotmj] : [[`cv.add${division}`, divide(shiftBy, false)], [`cv.sub${division}`, divide(shiftBy, true)], subrotmj];
  }),
  ['cv.cplxconj', { unit: 'add', fn: AluAddFunction.conjugate, width: 'half' }],
];

const TABLE: ReadonlyMap<string, AluControlFields> = new Map<string, AluControlFields>([
  ['lui', { unit: 'add', x: 'zero', y: 'imm' }],
  ...RV32I_PAIRS.flatMap(([reg, imm, fields]): Row[] => (imm ? [[reg, fields], [imm, { ...fields, y: 'imm' }]] : [[reg, fields]])),
  ...BRANCHES,
  ...XCV_ALU,
  ...XCV_BITMANIP,
  ...XCV_SIMD,
  ...XCV_SIMD_LANES,
  ...XCV_SIMD_COMPLEX,
]);

/**
 * The ALU op of an instruction row, or undefined when the row is not the ALU's: auipc (the
 * pipeline computes pc + imm with ALU_OP_ADD), multiplies, dot products and multiply-accumulates,
 * divisions, hardware-loop set-up, memory, CSR, jump and system rows.
 */
export function aluControl(def: InstructionDef): number | undefined {
  const fields = TABLE.get(def.mnemonic);
  return fields && aluOp(fields);
}

/** The mnemonics aluControl accepts. */
export const ALU_MNEMONICS: readonly string[] = [...TABLE.keys()];
