/**
 * RV32C. Each compressed instruction is expanded to its 32-bit equivalent, which is then decoded by
 * the main table; the decoded instruction keeps the 16-bit length (for pc + 2 and for link
 * addresses). Field layouts follow the RISC-V unprivileged spec, chapter "C" (RVC quadrants 0-2).
 * Floating-point forms are absent: the CV32E40P configuration we model has no FPU.
 */
import { bits, sext } from './bits.js';
import { encodeInstruction, type OperandValues } from './encoder.js';
import type { InstructionDef } from './definition.js';
import { RV32I } from './tables/rv32i.js';

export interface CompressedDef {
  readonly mnemonic: string;
  readonly match: number;
  readonly mask: number;
  /** The 32-bit equivalent, or undefined when the operand values are reserved (illegal). */
  readonly expand: (half: number) => number | undefined;
}

function base(mnemonic: string): InstructionDef {
  const def = RV32I.find((d) => d.mnemonic === mnemonic);
  if (!def) throw new Error(`compressed: no base instruction '${mnemonic}'`);
  return def;
}

/** Expansion into base instruction `mnemonic` with operands computed from the 16-bit word. */
function as(mnemonic: string, operands: (half: number) => OperandValues | undefined): (half: number) => number | undefined {
  const def = base(mnemonic);
  return (half) => {
    const values = operands(half);
    return values && encodeInstruction(def, values);
  };
}

// Register fields: the 3-bit forms name x8..x15.
const rdFull = (h: number): number => bits(h, 11, 7);
const rs2Full = (h: number): number => bits(h, 6, 2);
const rdPrime = (h: number): number => bits(h, 9, 7) + 8;
const rs2Prime = (h: number): number => bits(h, 4, 2) + 8;

/** CI-format signed 6-bit immediate: imm[5] = [12], imm[4:0] = [6:2]. */
const ciImm = (h: number): number => sext((bits(h, 12, 12) << 5) | bits(h, 6, 2), 6);
/** Shift amount; shamt[5] = [12] must be 0 on RV32. */
const ciShamt = (h: number): number => (bits(h, 12, 12) << 5) | bits(h, 6, 2);

const addi4spnImm = (h: number): number =>
  (bits(h, 12, 11) << 4) | (bits(h, 10, 7) << 6) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 3);
const lwSwImm = (h: number): number => (bits(h, 12, 10) << 3) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 6);
const addi16spImm = (h: number): number =>
  sext((bits(h, 12, 12) << 9) | (bits(h, 6, 6) << 4) | (bits(h, 5, 5) << 6) | (bits(h, 4, 3) << 7) | (bits(h, 2, 2) << 5), 10);
const luiImm = (h: number): number => sext((bits(h, 12, 12) << 5) | bits(h, 6, 2), 6) << 12;
const jumpImm = (h: number): number =>
  sext(
    (bits(h, 12, 12) << 11) | (bits(h, 11, 11) << 4) | (bits(h, 10, 9) << 8) | (bits(h, 8, 8) << 10) |
      (bits(h, 7, 7) << 6) | (bits(h, 6, 6) << 7) | (bits(h, 5, 3) << 1) | (bits(h, 2, 2) << 5),
    12,
  );
const branchImm = (h: number): number =>
  sext((bits(h, 12, 12) << 8) | (bits(h, 11, 10) << 3) | (bits(h, 6, 5) << 6) | (bits(h, 4, 3) << 1) | (bits(h, 2, 2) << 5), 9);
const lwspImm = (h: number): number => (bits(h, 12, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6);
const swspImm = (h: number): number => (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6);

/** match/mask over the quadrant [1:0], funct3 [15:13] and any further fixed bits. */
function enc(quadrant: number, funct3: number, extra: readonly [hi: number, lo: number, value: number][] = []): { match: number; mask: number } {
  let match = quadrant | (funct3 << 13);
  let mask = 0b11 | (0b111 << 13);
  for (const [hi, lo, value] of extra) {
    const fieldMask = ((1 << (hi - lo + 1)) - 1) << lo;
    match |= value << lo;
    mask |= fieldMask;
  }
  return { match, mask };
}

const c = (mnemonic: string, e: { match: number; mask: number }, expand: CompressedDef['expand']): CompressedDef => ({ mnemonic, ...e, expand });

const SP = 2;
const RA = 1;

export const RV32C: readonly CompressedDef[] = [
  // Quadrant 0
  c('c.addi4spn', enc(0, 0b000), as('addi', (h) => (addi4spnImm(h) === 0 ? undefined : { rd: rs2Prime(h), rs1: SP, imm: addi4spnImm(h) }))),
  c('c.lw', enc(0, 0b010), as('lw', (h) => ({ rd: rs2Prime(h), rs1: rdPrime(h), imm: lwSwImm(h) }))),
  c('c.sw', enc(0, 0b110), as('sw', (h) => ({ rs2: rs2Prime(h), rs1: rdPrime(h), imm: lwSwImm(h) }))),

  // Quadrant 1
  c('c.addi', enc(1, 0b000), as('addi', (h) => ({ rd: rdFull(h), rs1: rdFull(h), imm: ciImm(h) }))),
  c('c.jal', enc(1, 0b001), as('jal', (h) => ({ rd: RA, imm: jumpImm(h) }))),
  c('c.li', enc(1, 0b010), as('addi', (h) => ({ rd: rdFull(h), rs1: 0, imm: ciImm(h) }))),
  c('c.addi16sp', enc(1, 0b011, [[11, 7, SP]]), as('addi', (h) => (addi16spImm(h) === 0 ? undefined : { rd: SP, rs1: SP, imm: addi16spImm(h) }))),
  // c.lui: rd = 2 is c.addi16sp, matched first because its mask is more specific.
  c('c.lui', enc(1, 0b011), as('lui', (h) => (luiImm(h) === 0 ? undefined : { rd: rdFull(h), imm: luiImm(h) }))),
  c('c.srli', enc(1, 0b100, [[11, 10, 0b00]]), as('srli', (h) => (ciShamt(h) > 31 ? undefined : { rd: rdPrime(h), rs1: rdPrime(h), imm: ciShamt(h) }))),
  c('c.srai', enc(1, 0b100, [[11, 10, 0b01]]), as('srai', (h) => (ciShamt(h) > 31 ? undefined : { rd: rdPrime(h), rs1: rdPrime(h), imm: ciShamt(h) }))),
  c('c.andi', enc(1, 0b100, [[11, 10, 0b10]]), as('andi', (h) => ({ rd: rdPrime(h), rs1: rdPrime(h), imm: ciImm(h) }))),
  c('c.sub', enc(1, 0b100, [[12, 10, 0b011], [6, 5, 0b00]]), as('sub', (h) => ({ rd: rdPrime(h), rs1: rdPrime(h), rs2: rs2Prime(h) }))),
  c('c.xor', enc(1, 0b100, [[12, 10, 0b011], [6, 5, 0b01]]), as('xor', (h) => ({ rd: rdPrime(h), rs1: rdPrime(h), rs2: rs2Prime(h) }))),
  c('c.or', enc(1, 0b100, [[12, 10, 0b011], [6, 5, 0b10]]), as('or', (h) => ({ rd: rdPrime(h), rs1: rdPrime(h), rs2: rs2Prime(h) }))),
  c('c.and', enc(1, 0b100, [[12, 10, 0b011], [6, 5, 0b11]]), as('and', (h) => ({ rd: rdPrime(h), rs1: rdPrime(h), rs2: rs2Prime(h) }))),
  c('c.j', enc(1, 0b101), as('jal', (h) => ({ rd: 0, imm: jumpImm(h) }))),
  c('c.beqz', enc(1, 0b110), as('beq', (h) => ({ rs1: rdPrime(h), rs2: 0, imm: branchImm(h) }))),
  c('c.bnez', enc(1, 0b111), as('bne', (h) => ({ rs1: rdPrime(h), rs2: 0, imm: branchImm(h) }))),

  // Quadrant 2
  c('c.slli', enc(2, 0b000), as('slli', (h) => (ciShamt(h) > 31 ? undefined : { rd: rdFull(h), rs1: rdFull(h), imm: ciShamt(h) }))),
  c('c.lwsp', enc(2, 0b010), as('lw', (h) => (rdFull(h) === 0 ? undefined : { rd: rdFull(h), rs1: SP, imm: lwspImm(h) }))),
  c('c.ebreak', enc(2, 0b100, [[12, 12, 1], [11, 7, 0], [6, 2, 0]]), as('ebreak', () => ({}))),
  c('c.jr', enc(2, 0b100, [[12, 12, 0], [6, 2, 0]]), as('jalr', (h) => (rdFull(h) === 0 ? undefined : { rd: 0, rs1: rdFull(h), imm: 0 }))),
  c('c.jalr', enc(2, 0b100, [[12, 12, 1], [6, 2, 0]]), as('jalr', (h) => ({ rd: RA, rs1: rdFull(h), imm: 0 }))),
  c('c.mv', enc(2, 0b100, [[12, 12, 0]]), as('add', (h) => ({ rd: rdFull(h), rs1: 0, rs2: rs2Full(h) }))),
  c('c.add', enc(2, 0b100, [[12, 12, 1]]), as('add', (h) => ({ rd: rdFull(h), rs1: rdFull(h), rs2: rs2Full(h) }))),
  c('c.swsp', enc(2, 0b110), as('sw', (h) => ({ rs2: rs2Full(h), rs1: SP, imm: swspImm(h) }))),
];
