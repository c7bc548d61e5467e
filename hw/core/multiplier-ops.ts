// What the core's multiplier does for each instruction row it executes, as the value of its `op`
// input: a packed control word whose fields the decoder ORs into its control words and the
// multiplier reads directly (MULTIPLIER_OP_FIELDS is the one layout both use). The rows are named
// here once, by their mnemonics, as the tables of isa/tables/ spell them.
import type { InstructionDef } from '../../isa/definition.js';

/**
 * mul32: the low word of a 32 x 32 product (mul, cv.mac, cv.msu); mulh: the high word, over four
 * cycles of one 17 x 17 multiplier; halfword: a 16 x 16 product with rounding and a right shift by
 * Is3 (the cv.mul*n / cv.mac*n family); dot8 / dot16: SIMD dot products of bytes / halfwords;
 * complex: one part of a complex product of halfword pairs, scaled by 2^-15 (cv.cplxmul.r/.i).
 */
export const MULTIPLIER_KINDS = ['mul32', 'mulh', 'halfword', 'dot8', 'dot16', 'complex'] as const;
export type MultiplierKind = (typeof MULTIPLIER_KINDS)[number];

/** Where the dot products take operand b from: rs2, rs2's lane 0 in every lane (.sc), or Imm6 in every lane (.sci). */
export const OPERAND_B_SOURCES = ['register', 'scalar', 'immediate'] as const;
export type OperandBSource = (typeof OPERAND_B_SOURCES)[number];

export interface MultiplierOp {
  readonly kind: MultiplierKind;
  /** rs1's word, halves or lanes are signed (else zero-extended). */
  readonly signedA: boolean;
  readonly signedB: boolean;
  /** c (the rd value) is added: cv.mac, cv.msu, cv.mac*n, the sdot* forms. */
  readonly accumulate: boolean;
  /** The product is subtracted from c (cv.msu). */
  readonly subtract: boolean;
  /** halfword: the upper halves (the hh forms), else the lower ones. */
  readonly upperHalves: boolean;
  /** halfword: add 2^(Is3-1) before the shift (the rn forms). */
  readonly round: boolean;
  readonly operandB: OperandBSource;
  /** complex: the imaginary part (cv.cplxmul.i), else the real part. */
  readonly imaginary: boolean;
  /** complex: the extra division by 2^complexShift (.div2, .div4, .div8). */
  readonly complexShift: number;
}

/** Bit position and width of each field of the op word. */
export const MULTIPLIER_OP_FIELDS = {
  kind: { lsb: 0, width: 3 },
  signedA: { lsb: 3, width: 1 },
  signedB: { lsb: 4, width: 1 },
  accumulate: { lsb: 5, width: 1 },
  subtract: { lsb: 6, width: 1 },
  upperHalves: { lsb: 7, width: 1 },
  round: { lsb: 8, width: 1 },
  operandB: { lsb: 9, width: 2 },
  imaginary: { lsb: 11, width: 1 },
  complexShift: { lsb: 12, width: 2 },
} as const satisfies Record<keyof MultiplierOp, { lsb: number; width: number }>;

export const MULTIPLIER_OP_WIDTH = 14;

/** The op word of `op`. */
function encodeMultiplierOp(op: MultiplierOp): number {
  const values: Record<keyof MultiplierOp, number> = {
    kind: MULTIPLIER_KINDS.indexOf(op.kind),
    signedA: Number(op.signedA),
    signedB: Number(op.signedB),
    accumulate: Number(op.accumulate),
    subtract: Number(op.subtract),
    upperHalves: Number(op.upperHalves),
    round: Number(op.round),
    operandB: OPERAND_B_SOURCES.indexOf(op.operandB),
    imaginary: Number(op.imaginary),
    complexShift: op.complexShift,
  };
  let word = 0;
  for (const [name, { lsb, width }] of Object.entries(MULTIPLIER_OP_FIELDS) as [keyof MultiplierOp, { lsb: number; width: number }][]) {
    const value = values[name];
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) throw new RangeError(`multiplier op field ${name} = ${value} does not fit ${width} bits`);
    word |= value << lsb;
  }
  return word;
}

const PLAIN: MultiplierOp = {
  kind: 'mul32', signedA: false, signedB: false, accumulate: false, subtract: false, upperHalves: false, round: false,
  operandB: 'register', imaginary: false, complexShift: 0,
};

const op = (fields: Partial<MultiplierOp>): MultiplierOp => ({ ...PLAIN, ...fields });
const bools = [false, true] as const;

/** cv.{mul,mac}[hh]{s,u}[r]n: halfword products, normalized by Is3 (isa/tables/xcv-fixed-point.ts). */
const halfwordOps = bools.flatMap((accumulate) => bools.flatMap((unsigned) => bools.flatMap((upperHalves) => bools.map((round) => {
  const name = `cv.${accumulate ? 'mac' : 'mul'}${upperHalves ? 'hh' : ''}${unsigned ? 'u' : 's'}${round ? 'rn' : 'n'}`;
  return [name, op({ kind: 'halfword', signedA: !unsigned, signedB: !unsigned, accumulate, upperHalves, round })] as const;
}))));

/** cv.[s]dot{up,usp,sp}{.h,.b,.sc.h,.sc.b,.sci.h,.sci.b} (isa/tables/xcv-simd.ts). */
const DOT_SIGNEDNESS = [['up', false, false], ['usp', false, true], ['sp', true, true]] as const;
const DOT_FORMS = [
  ['.h', 'dot16', 'register'], ['.b', 'dot8', 'register'],
  ['.sc.h', 'dot16', 'scalar'], ['.sc.b', 'dot8', 'scalar'],
  ['.sci.h', 'dot16', 'immediate'], ['.sci.b', 'dot8', 'immediate'],
] as const;
const dotOps = bools.flatMap((accumulate) => DOT_SIGNEDNESS.flatMap(([signedness, signedA, signedB]) => DOT_FORMS.map(([suffix, kind, operandB]) =>
  [`cv.${accumulate ? 's' : ''}dot${signedness}${suffix}`, op({ kind, signedA, signedB, accumulate, operandB })] as const)));

/** cv.cplxmul.{r,i}[.div2,.div4,.div8] (isa/tables/xcv-simd-complex.ts). */
const COMPLEX_DIVISIONS = [['', 0], ['.div2', 1], ['.div4', 2], ['.div8', 3]] as const;
const complexOps = bools.flatMap((imaginary) => COMPLEX_DIVISIONS.map(([suffix, complexShift]) =>
  [`cv.cplxmul.${imaginary ? 'i' : 'r'}${suffix}`, op({ kind: 'complex', signedA: true, signedB: true, imaginary, complexShift })] as const));

/** Every row the multiplier executes, by mnemonic. */
export const MULTIPLIER_OPS: ReadonlyMap<string, MultiplierOp> = new Map<string, MultiplierOp>([
  ['mul', op({})],
  ['mulh', op({ kind: 'mulh', signedA: true, signedB: true })],
  ['mulhsu', op({ kind: 'mulh', signedA: true })],
  ['mulhu', op({ kind: 'mulh' })],
  ['cv.mac', op({ accumulate: true })],
  ['cv.msu', op({ accumulate: true, subtract: true })],
  ...halfwordOps,
  ...dotOps,
  ...complexOps,
]);

/** The extensions of the rows above: a row of the same name elsewhere is not the multiplier's. */
const EXTENSIONS = new Set(['M', 'Xcvmac', 'Xcvsimd']);

/** The multiplier's op word for a row it executes, undefined for any other row. */
export function multiplierControl(def: InstructionDef): number | undefined {
  const found = EXTENSIONS.has(def.extension) ? MULTIPLIER_OPS.get(def.mnemonic) : undefined;
  return found && encodeMultiplierOp(found);
}

/**
 * The op word of nm.mac4 / nm.mul4 (`signed`: the .s form): the byte lanes compute its products as
 * they do a cv.dotusp.sc.b / cv.dotsp.sc.b, each activation byte (unsigned or signed) times the
 * signed weight in operand b's lane 0 (docs/isa-extension.md R2.6, hw/core/mac-writeback.ts).
 */
export function macLanesOp(signed: boolean): number {
  return encodeMultiplierOp(MULTIPLIER_OPS.get(signed ? 'cv.dotsp.sc.b' : 'cv.dotusp.sc.b')!);
}
