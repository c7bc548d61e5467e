// Golden model of the Xnmsparse gather instructions (docs/isa-extension.md): the executable
// definition that the instruction-set simulator calls and the HDL units are checked against.
// Values are unsigned 32-bit patterns (JavaScript numbers in 0..2^32-1).
import { insertLane, type LaneWidth } from '../simd.js';

export type BlockSize = 4 | 8 | 16;
export type NonZeros = 1 | 2;
export type ElementBytes = 1 | 2;

export interface SparsityPattern {
  readonly n: NonZeros;
  readonly m: BlockSize;
}

export interface GatherInstruction {
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly pattern: SparsityPattern;
  readonly elementBytes: ElementBytes;
  readonly lane: number;
  /** nm.lgc: shift the index register after use. */
  readonly consume: boolean;
}

export const gatherOpcode = 0x2b;
export const gatherFunct3 = 0b110;
/** match/mask of the whole nm.lg family (custom-1, funct3 110). */
export const gatherMatch = (gatherFunct3 << 12) | gatherOpcode;
export const gatherMask = (0b111 << 12) | 0x7f;

export const patterns: readonly SparsityPattern[] = [1, 2].flatMap((n) => [4, 8, 16].map((m) => ({ n, m }) as SparsityPattern));

export function patternName(p: SparsityPattern): string {
  return `${p.n}:${p.m}`;
}

/** Bits per packed index: log2(M). */
export function indexBits(m: BlockSize): number {
  return Math.log2(m);
}

/** Lanes of one 32-bit SIMD operand. */
export function lanesPerWord(bytes: ElementBytes): number {
  return 4 / bytes;
}

export function mnemonic(insn: GatherInstruction): string {
  return `nm.${insn.consume ? 'lgc' : 'lg'}.${insn.elementBytes === 1 ? 'b' : 'h'}`;
}

export function encodeGather(insn: GatherInstruction): number {
  const problem = gatherProblem(insn);
  if (problem) throw new RangeError(`cannot encode ${mnemonic(insn)}: ${problem}`);
  const funct7 =
    ((insn.elementBytes - 1) << 6) | ((insn.pattern.n - 1) << 5) | ((indexBits(insn.pattern.m) - 2) << 3) | (Number(insn.consume) << 2) | insn.lane;
  return ((funct7 << 25) | (insn.rs2 << 20) | (insn.rs1 << 15) | gatherMatch | (insn.rd << 7)) >>> 0;
}

/** Why an otherwise well-formed instruction is reserved (illegal), or null. */
function gatherProblem(insn: GatherInstruction): string | null {
  if (insn.lane >= lanesPerWord(insn.elementBytes)) return `lane ${insn.lane} does not exist for ${insn.elementBytes}-byte elements`;
  if (insn.consume && insn.rd === insn.rs2 && insn.rd !== 0) return 'nm.lgc with rd = rs2 writes one register twice';
  return null;
}

export type DecodeResult = { readonly ok: true; readonly insn: GatherInstruction } | { readonly ok: false; readonly reason: string };

/** Decodes a word of the nm.lg family; reserved encodings come back with the reason they are illegal. */
export function decodeGather(word: number): DecodeResult {
  if (((word & gatherMask) >>> 0) !== gatherMatch) return { ok: false, reason: 'not an nm.lg instruction (custom-1, funct3 110)' };
  const funct7 = word >>> 25;
  const mField = (funct7 >> 3) & 3;
  if (mField === 3) return { ok: false, reason: 'reserved block size field m = 11' };
  const insn: GatherInstruction = {
    rd: (word >>> 7) & 31,
    rs1: (word >>> 15) & 31,
    rs2: (word >>> 20) & 31,
    elementBytes: (((funct7 >> 6) & 1) + 1) as ElementBytes,
    pattern: { n: (((funct7 >> 5) & 1) + 1) as NonZeros, m: (4 << mField) as BlockSize },
    consume: ((funct7 >> 2) & 1) === 1,
    lane: funct7 & 3,
  };
  const problem = gatherProblem(insn);
  return problem ? { ok: false, reason: problem } : { ok: true, insn };
}

/** Index decompression: the lowest packed index, and the index word after consuming it. */
export function decompressIndex(indexWord: number, m: BlockSize): { readonly index: number; readonly rest: number } {
  const bits = indexBits(m);
  return { index: indexWord & (m - 1), rest: indexWord >>> bits };
}

/** Indirect-load address: base + (block of the lane * M + index) * element size, modulo 2^32. */
export function gatherAddress(base: number, index: number, lane: number, pattern: SparsityPattern, bytes: ElementBytes): number {
  const block = Math.floor(lane / pattern.n);
  return (base + (block * pattern.m + index) * bytes) >>> 0;
}

/** The SIMD lane width, in bits, that holds one element. */
export function elementLaneWidth(bytes: ElementBytes): LaneWidth {
  return bytes === 1 ? 8 : 16;
}

export type GatherOutcome =
  | { readonly kind: 'ok'; readonly address: number; readonly rd: number; readonly rs2: number }
  | { readonly kind: 'misaligned'; readonly address: number }
  | { readonly kind: 'access-fault'; readonly address: number };

export interface GatherOperands {
  readonly rs1: number;
  readonly rs2: number;
  /** Current value of rd: its other lanes are kept. */
  readonly rd: number;
}

/**
 * One nm.lg/nm.lgc. `load(address, bytes)` returns the element's raw bits, or null for an access
 * fault. On any fault nothing is written (the returned rd/rs2 exist only for 'ok'); with consume
 * off, the returned rs2 equals the operand.
 */
export function executeGather(insn: GatherInstruction, ops: GatherOperands, load: (address: number, bytes: ElementBytes) => number | null): GatherOutcome {
  const { index, rest } = decompressIndex(ops.rs2, insn.pattern.m);
  const address = gatherAddress(ops.rs1, index, insn.lane, insn.pattern, insn.elementBytes);
  if (insn.elementBytes === 2 && (address & 1) !== 0) return { kind: 'misaligned', address };
  const data = load(address, insn.elementBytes);
  if (data === null) return { kind: 'access-fault', address };
  // Lane insertion: the element's raw bits replace lane `insn.lane` of rd (the SIMD lane insert, as cv.insert.b/h).
  const rd = insertLane(ops.rd, data, insn.lane, elementLaneWidth(insn.elementBytes)) >>> 0;
  return { kind: 'ok', address, rd, rs2: insn.consume ? rest : ops.rs2 };
}

/** Assembly text as the spec writes it: `nm.lgc.b a0, t0(a2), 3, 1:8` (register numbers as xN). */
export function formatGather(insn: GatherInstruction, reg: (n: number) => string = (n) => `x${n}`): string {
  return `${mnemonic(insn)} ${reg(insn.rd)}, ${reg(insn.rs2)}(${reg(insn.rs1)}), ${insn.lane}, ${patternName(insn.pattern)}`;
}
