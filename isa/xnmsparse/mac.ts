// Golden model of the Xnmsparse revision 2 instructions (docs/isa-extension.md, Part I): the
// sparse multiply-accumulate nm.mac4.{u,s} and nm.mul4.{u,s}, whose four sums are the general-
// purpose registers x28..x31. The executable definition that the instruction-set simulator calls
// and implementations are checked against. Register operands are 32-bit patterns (any JavaScript
// number; only the low 32 bits count); the sums are int32 values, as the register file holds them.

export const macOpcode = 0x2b;
export const macFunct3 = 0b111;
/** match/mask of the whole revision 2 family (custom-1, funct3 111). */
export const macMatch = (macFunct3 << 12) | macOpcode;
export const macMask = (0b111 << 12) | 0x7f;

/** The sums are the registers SUM_FIRST_REGISTER .. SUM_FIRST_REGISTER + SUM_COUNT - 1 (x28..x31, t3..t6). */
export const SUM_FIRST_REGISTER = 28;
export const SUM_COUNT = 4;
/** The sum registers as a bit mask over x0..x31. */
export const SUM_REGISTER_MASK = ((1 << SUM_COUNT) - 1) << SUM_FIRST_REGISTER;

/**
 * The f2 field (bits 26:25) of each instruction: bit 25 says int8 activations (.s), bit 26 that the
 * sums start from zero (nm.mul4) instead of from x28..x31 (nm.mac4).
 */
export const MAC_F2 = { 'nm.mac4.u': 0b00, 'nm.mac4.s': 0b01, 'nm.mul4.u': 0b10, 'nm.mul4.s': 0b11 } as const;
export type MacMnemonic = keyof typeof MAC_F2;

export interface MacInstruction {
  readonly rs1: number;
  readonly rs2: number;
  readonly rs3: number;
  /** Which 16-bit offset of rs2: 0 bits 15:0, 1 bits 31:16. */
  readonly half: number;
  /** Which int8 weight of rs3, 0..3. */
  readonly lane: number;
  /** .s: int8 activations; .u: uint8. */
  readonly signed: boolean;
  /** nm.mul4: the sums start from zero; nm.mac4: they add to x28..x31. */
  readonly start: boolean;
}

export function macMnemonic(insn: Pick<MacInstruction, 'signed' | 'start'>): MacMnemonic {
  return `nm.${insn.start ? 'mul4' : 'mac4'}.${insn.signed ? 's' : 'u'}`;
}

const isReg = (r: number): boolean => Number.isInteger(r) && r >= 0 && r < 32;
const inRange = (v: number, max: number): boolean => Number.isInteger(v) && v >= 0 && v <= max;

/** Why the instruction cannot be encoded, or null. */
function macProblem(insn: MacInstruction): string | null {
  for (const slot of ['rs1', 'rs2', 'rs3'] as const) if (!isReg(insn[slot])) return `${slot} ${insn[slot]} is no register`;
  if (!inRange(insn.half, 1)) return `offset half ${insn.half} does not exist (h = 0..1)`;
  return inRange(insn.lane, 3) ? null : `weight lane ${insn.lane} does not exist (l = 0..3)`;
}

export function encodeMac(insn: MacInstruction): number {
  const problem = macProblem(insn);
  if (problem) throw new RangeError(`cannot encode ${macMnemonic(insn)}: ${problem}`);
  const f2 = MAC_F2[macMnemonic(insn)] << 25;
  return ((insn.rs3 << 27) | f2 | (insn.rs2 << 20) | (insn.rs1 << 15) | macMatch | (insn.half << 9) | (insn.lane << 7)) >>> 0;
}

export type MacDecodeResult = { readonly ok: true; readonly insn: MacInstruction } | { readonly ok: false; readonly reason: string };

const field = (word: number, hi: number, lo: number): number => (word >>> lo) & ((1 << (hi - lo + 1)) - 1);

/** Decodes a word of the revision 2 family; illegal encodings come back with the reason (R2.3). */
export function decodeMac(word: number): MacDecodeResult {
  if (((word & macMask) >>> 0) !== macMatch) return { ok: false, reason: 'not an nm.mac4/nm.mul4 instruction (custom-1, funct3 111)' };
  const f2 = field(word, 26, 25);
  const mnemonic = f2 & 0b10 ? 'nm.mul4' : 'nm.mac4';
  if (field(word, 11, 10) !== 0) return { ok: false, reason: `${mnemonic} with bits 11:10 set (must be zero)` };
  return {
    ok: true,
    insn: {
      rs1: field(word, 19, 15),
      rs2: field(word, 24, 20),
      rs3: field(word, 31, 27),
      half: field(word, 9, 9),
      lane: field(word, 8, 7),
      signed: (f2 & 0b01) !== 0,
      start: (f2 & 0b10) !== 0,
    },
  };
}

/** The address nm.mac4 loads from: rs1 + the selected 16-bit offset (zero-extended), modulo 2^32. */
export function mac4Address(rs1: number, rs2: number, half: number): number {
  return (rs1 + ((rs2 >>> (16 * half)) & 0xffff)) >>> 0;
}

export interface Mac4Operands {
  readonly rs1: number;
  readonly rs2: number;
  readonly rs3: number;
}

export type Mac4Outcome =
  | { readonly kind: 'ok'; readonly address: number; readonly sums: readonly number[] }
  | { readonly kind: 'misaligned'; readonly address: number };

/**
 * One nm.mac4 or nm.mul4: sum[p] = (start ? 0 : sums[p]) + lane p of the word at the address
 * (uint8, or int8 when signed) times int8 lane `lane` of rs3, each in 32-bit wrap-around, where
 * `sums` are x28..x31 before the instruction. `load(address)` returns the aligned word, or throws
 * for a load that faults; a misaligned address comes back as 'misaligned' before anything is
 * loaded. The caller writes the returned sums into x28..x31, so a fault changes no register.
 */
export function executeMac4(
  insn: Pick<MacInstruction, 'half' | 'lane' | 'signed' | 'start'>,
  ops: Mac4Operands,
  sums: ArrayLike<number>,
  load: (address: number) => number,
): Mac4Outcome {
  const address = mac4Address(ops.rs1, ops.rs2, insn.half);
  if ((address & 3) !== 0) return { kind: 'misaligned', address };
  const word = load(address);
  const weight = mac4Weight(ops.rs3, insn.lane);
  const result = Array.from({ length: SUM_COUNT }, (_, p) => mac4Lane(insn.start ? 0 : sums[p]!, word, p, weight, insn.signed));
  return { kind: 'ok', address, sums: result };
}

/** The int8 weight of lane `lane` (0..3) of rs3, sign-extended. */
export function mac4Weight(rs3: number, lane: number): number {
  return (rs3 << (24 - 8 * lane)) >> 24;
}

/**
 * Sum p after one nm.mac4 / nm.mul4: `sum` (0 for nm.mul4) plus lane p of the loaded word (uint8,
 * or int8 when signed) times `weight`. |activation * weight| < 2^15: the product is exact, the sum
 * wraps at 32 bits. The simulator's semantic calls this per lane, allocating nothing.
 */
export function mac4Lane(sum: number, word: number, p: number, weight: number, signed: boolean): number {
  const activation = signed ? (word << (24 - 8 * p)) >> 24 : (word >>> (8 * p)) & 0xff;
  return (sum + activation * weight) | 0;
}

/** Assembly text as the spec writes it: `nm.mac4.u x11, x5, x7, 1, 3`. */
export function formatMac(insn: MacInstruction, reg: (n: number) => string = (n) => `x${n}`): string {
  return `${macMnemonic(insn)} ${reg(insn.rs1)}, ${reg(insn.rs2)}, ${reg(insn.rs3)}, ${insn.half}, ${insn.lane}`;
}
