/**
 * Operand kinds: where an operand lives in the instruction word, which decoded slot it fills, how
 * it is printed, and how it is put back into a word. Decoder, disassembler and assembler all go
 * through these definitions, so an encoding detail is written exactly once.
 */
import { bits, hex, sext } from './bits.js';
import { csrName } from './csr-names.js';
import { regName } from './registers.js';
import type { Addr, OperandSlots } from './types.js';

export type OperandSlot = keyof OperandSlots;

/** How the assembler reads the operand's text. */
export type OperandSyntax = 'reg' | 'imm' | 'pcrel' | 'csr' | 'fence';

export interface OperandKind {
  /** Name used in syntax templates, e.g. `{rd}`, `{imm12}`. */
  readonly name: string;
  readonly slot: OperandSlot;
  readonly syntax: OperandSyntax;
  /** Smallest and largest value `insert` accepts (after any scaling). */
  readonly min: number;
  readonly max: number;
  /** Required alignment of the value (1 when none). */
  readonly align: number;
  /** Assembly text gives the value shifted right by this much (the 20-bit field of lui/auipc). */
  readonly textShift: number;
  /** Value stored in the slot. For pc-relative operands it is the offset, not the target. */
  extract(word: number): number;
  /** Bits to OR into an instruction word; the caller has range-checked `value`. */
  insert(value: number): number;
  render(value: number, pc: Addr): string;
}

type KindSpec = Omit<OperandKind, 'render' | 'align' | 'textShift'> & {
  render?: (value: number, pc: Addr) => string;
  align?: number;
  textShift?: number;
};

function kind(spec: KindSpec): OperandKind {
  return { align: 1, textShift: 0, render: (v) => String(v), ...spec };
}

function register(name: string, slot: OperandSlot, lo: number): OperandKind {
  return kind({
    name,
    slot,
    syntax: 'reg',
    min: 0,
    max: 31,
    extract: (w) => bits(w, lo + 4, lo),
    insert: (v) => (v & 31) << lo,
    render: (v) => regName(v),
  });
}

/** An unsigned field at hi..lo, scaled by `1 << scale` (hardware-loop offsets count words). */
function unsignedField(name: string, slot: OperandSlot, hi: number, lo: number, scale = 0, syntax: OperandSyntax = 'imm'): OperandKind {
  const width = hi - lo + 1;
  return kind({
    name,
    slot,
    syntax,
    min: 0,
    max: ((2 ** width) - 1) * 2 ** scale,
    align: 2 ** scale,
    extract: (w) => bits(w, hi, lo) << scale,
    insert: (v) => ((v >>> scale) & ((2 ** width) - 1)) << lo,
    render: syntax === 'pcrel' ? (v, pc) => hex((pc + v) >>> 0, 1) : (v) => String(v),
  });
}

const pcTarget = (v: number, pc: Addr): string => hex((pc + v) >>> 0, 1);

export const OPERANDS = {
  rd: register('rd', 'rd', 7),
  rs1: register('rs1', 'rs1', 15),
  rs2: register('rs2', 'rs2', 20),
  /** CORE-V register-offset stores carry their offset register in the rd field. */
  rs3: register('rs3', 'rs3', 7),

  imm12: kind({
    name: 'imm12', slot: 'imm', syntax: 'imm', min: -2048, max: 2047,
    extract: (w) => w >> 20,
    insert: (v) => (v & 0xfff) << 20,
  }),
  store12: kind({
    name: 'store12', slot: 'imm', syntax: 'imm', min: -2048, max: 2047,
    extract: (w) => (sext(bits(w, 31, 25), 7) << 5) | bits(w, 11, 7),
    insert: (v) => (((v >> 5) & 0x7f) << 25) | ((v & 31) << 7),
  }),
  branch13: kind({
    name: 'branch13', slot: 'imm', syntax: 'pcrel', min: -4096, max: 4094, align: 2,
    extract: (w) =>
      (sext(bits(w, 31, 31), 1) << 12) | (bits(w, 7, 7) << 11) | (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1),
    insert: (v) =>
      (((v >> 12) & 1) << 31) | (((v >> 5) & 0x3f) << 25) | (((v >> 1) & 0xf) << 8) | (((v >> 11) & 1) << 7),
    render: pcTarget,
  }),
  jump21: kind({
    name: 'jump21', slot: 'imm', syntax: 'pcrel', min: -(1 << 20), max: (1 << 20) - 2, align: 2,
    extract: (w) =>
      (sext(bits(w, 31, 31), 1) << 20) | (bits(w, 19, 12) << 12) | (bits(w, 20, 20) << 11) | (bits(w, 30, 21) << 1),
    insert: (v) =>
      (((v >> 20) & 1) << 31) | (((v >> 1) & 0x3ff) << 21) | (((v >> 11) & 1) << 20) | (((v >> 12) & 0xff) << 12),
    render: pcTarget,
  }),
  /**
   * U-type immediate. The slot holds the final value (the field shifted left by 12) and so does the
   * encoder; the text shows the 20-bit field, as GNU syntax writes it.
   */
  upper20: kind({
    name: 'upper20', slot: 'imm', syntax: 'imm', min: -0x80000000, max: 0x7ffff000, align: 0x1000, textShift: 12,
    extract: (w) => w & ~0xfff,
    insert: (v) => v & ~0xfff,
    render: (v) => hex(v >>> 12, 1),
  }),
  shamt: unsignedField('shamt', 'imm', 24, 20),
  csr: kind({
    name: 'csr', slot: 'imm', syntax: 'csr', min: 0, max: 4095,
    extract: (w) => bits(w, 31, 20),
    insert: (v) => (v & 0xfff) << 20,
    render: (v) => csrName(v),
  }),
  zimm5: unsignedField('zimm5', 'imm2', 19, 15),
  fencePred: kind({
    name: 'fencePred', slot: 'imm', syntax: 'fence', min: 0, max: 15,
    extract: (w) => bits(w, 27, 24),
    insert: (v) => (v & 15) << 24,
    render: renderFenceSet,
  }),
  fenceSucc: kind({
    name: 'fenceSucc', slot: 'imm2', syntax: 'fence', min: 0, max: 15,
    extract: (w) => bits(w, 23, 20),
    insert: (v) => (v & 15) << 20,
    render: renderFenceSet,
  }),

  // --- CORE-V -------------------------------------------------------------------------------
  /** Hardware-loop index L, bit 7. */
  loop: unsignedField('loop', 'loop', 7, 7),
  /** uimmL as a word offset from the setup instruction (cv.starti/endi/setup). */
  loopOffset12: unsignedField('loopOffset12', 'imm', 31, 20, 2, 'pcrel'),
  /** uimmS as a word offset (cv.setupi end). */
  loopOffset5: unsignedField('loopOffset5', 'imm', 19, 15, 2, 'pcrel'),
  /** uimmL as an iteration count (cv.counti, cv.setupi). */
  loopCount12: unsignedField('loopCount12', 'imm2', 31, 20),
  /** Is2: bit position / clip width, rs2 field. */
  is2: unsignedField('is2', 'imm', 24, 20),
  /** Is3: bit-field length minus one, [29:25]. */
  is3: unsignedField('is3', 'imm2', 29, 25),
  /** Is3 of cv.bitrev: the radix selector, [26:25] ([29:27] are zero by the encoding). */
  radix: unsignedField('radix', 'imm2', 26, 25),
  /** Xnmsparse gather lane (docs/isa-extension.md §3): [26:25] for byte elements, [25] for halfwords. */
  gatherLaneB: unsignedField('gatherLaneB', 'imm2', 26, 25),
  gatherLaneH: unsignedField('gatherLaneH', 'imm2', 25, 25),
  /** Xnmsparse revision 2 (docs/isa-extension.md R2.3): rs3 of the R4 layout, bits 31:27. */
  rs3r4: register('rs3r4', 'rs3', 27),
  /** nm.mac4: which 16-bit offset of rs2 (h, bit 9) and which weight byte of rs3 (l, bits 8:7). */
  offsetHalf: unsignedField('offsetHalf', 'imm', 9, 9),
  weightLane: unsignedField('weightLane', 'imm2', 8, 7),
  /** SIMD Imm6 = {[24:20],[25]}, sign-extended. */
  simm6: kind({
    name: 'simm6', slot: 'imm', syntax: 'imm', min: -32, max: 31,
    extract: (w) => sext((bits(w, 24, 20) << 1) | bits(w, 25, 25), 6),
    insert: (v) => (((v >> 1) & 31) << 20) | ((v & 1) << 25),
  }),
  /** SIMD Imm6 zero-extended (the unsigned dot products use it so). */
  uimm6: kind({
    name: 'uimm6', slot: 'imm', syntax: 'imm', min: 0, max: 63,
    extract: (w) => (bits(w, 24, 20) << 1) | bits(w, 25, 25),
    insert: (v) => (((v >> 1) & 31) << 20) | ((v & 1) << 25),
  }),
  /** cv.beqimm/bneimm comparison value: signed 5 bits in the rs2 field. */
  simm5: kind({
    name: 'simm5', slot: 'imm2', syntax: 'imm', min: -16, max: 15,
    extract: (w) => sext(bits(w, 24, 20), 5),
    insert: (v) => (v & 31) << 20,
  }),
  /** Shift amount of SIMD .sci.h shifts: Imm6 limited to 0..15 ([24:23] zero by the encoding). */
  shamtH: kind({
    name: 'shamtH', slot: 'imm', syntax: 'imm', min: 0, max: 15,
    extract: (w) => (bits(w, 22, 20) << 1) | bits(w, 25, 25),
    insert: (v) => (((v >> 1) & 7) << 20) | ((v & 1) << 25),
  }),
  /** Shift amount of SIMD .sci.b shifts: Imm6 limited to 0..7 ([24:22] zero by the encoding). */
  shamtB: kind({
    name: 'shamtB', slot: 'imm', syntax: 'imm', min: 0, max: 7,
    extract: (w) => (bits(w, 21, 20) << 1) | bits(w, 25, 25),
    insert: (v) => (((v >> 1) & 3) << 20) | ((v & 1) << 25),
  }),
  /** Halfword lane index: bit 25 (where Imm6[0] would be); [24:20] are zero by the encoding. */
  laneH: kind({
    name: 'laneH', slot: 'imm', syntax: 'imm', min: 0, max: 1,
    extract: (w) => bits(w, 25, 25),
    insert: (v) => (v & 1) << 25,
  }),
  /** Byte lane index: {[20],[25]} (Imm6[1:0]); [24:21] are zero by the encoding. */
  laneB: kind({
    name: 'laneB', slot: 'imm', syntax: 'imm', min: 0, max: 3,
    extract: (w) => (bits(w, 20, 20) << 1) | bits(w, 25, 25),
    insert: (v) => (((v >> 1) & 1) << 20) | ((v & 1) << 25),
  }),
} as const satisfies Record<string, OperandKind>;

export type OperandName = keyof typeof OPERANDS;

function renderFenceSet(set: number): string {
  const text = (set & 8 ? 'i' : '') + (set & 4 ? 'o' : '') + (set & 2 ? 'r' : '') + (set & 1 ? 'w' : '');
  return text === '' ? '0' : text;
}
