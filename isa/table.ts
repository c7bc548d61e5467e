/**
 * The instruction table: every supported 32-bit instruction, plus the RVC expansions, with a lookup
 * structure for decoding. Built once; the decoder, the disassembler and the assembler all read it.
 */
import type { InstructionDef } from './definition.js';
import { RV32C, type CompressedDef } from './compressed.js';
import { inExtensionSpace } from './extension.js';
import { RV32I } from './tables/rv32i.js';
import { RV32M } from './tables/rv32m.js';
import { XCV_ALU } from './tables/xcv-alu.js';
import { XCV_BITMANIP } from './tables/xcv-bitmanip.js';
import { XCV_BRANCH } from './tables/xcv-branch.js';
import { XCV_FIXED_POINT } from './tables/xcv-fixed-point.js';
import { XCV_HWLOOP } from './tables/xcv-hwloop.js';
import { XCV_MEM } from './tables/xcv-mem.js';
import { XCV_SIMD } from './tables/xcv-simd.js';
import { XCV_SIMD_COMPLEX } from './tables/xcv-simd-complex.js';
import { XCV_SIMD_LANES } from './tables/xcv-simd-lanes.js';
import { ZICSR } from './tables/zicsr.js';

export const BASE_INSTRUCTIONS: readonly InstructionDef[] = [
  ...RV32I, ...RV32M, ...ZICSR, ...XCV_MEM, ...XCV_HWLOOP, ...XCV_ALU, ...XCV_FIXED_POINT, ...XCV_BITMANIP, ...XCV_BRANCH, ...XCV_SIMD, ...XCV_SIMD_LANES, ...XCV_SIMD_COMPLEX,
];

const popcount = (x: number): number => {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
};

/** Two entries overlap when some word matches both. */
export function overlaps(a: { match: number; mask: number }, b: { match: number; mask: number }): boolean {
  return ((a.match ^ b.match) & a.mask & b.mask) === 0;
}

export class InstructionTable {
  readonly instructions: readonly InstructionDef[];
  readonly compressed: readonly CompressedDef[];
  /** Candidates per major opcode (bits 6:0), most specific mask first. */
  private readonly byOpcode = new Map<number, InstructionDef[]>();
  private readonly byMnemonic = new Map<string, InstructionDef[]>();

  constructor(instructions: readonly InstructionDef[], compressed: readonly CompressedDef[]) {
    this.instructions = instructions;
    this.compressed = [...compressed].sort((a, b) => popcount(b.mask) - popcount(a.mask));
    for (const def of instructions) {
      const opcode = def.match & 0x7f;
      const bucket = this.byOpcode.get(opcode) ?? [];
      bucket.push(def);
      this.byOpcode.set(opcode, bucket);
      const named = this.byMnemonic.get(def.mnemonic) ?? [];
      named.push(def);
      this.byMnemonic.set(def.mnemonic, named);
    }
    for (const bucket of this.byOpcode.values()) bucket.sort((a, b) => popcount(b.mask) - popcount(a.mask));
  }

  /** The entry matching a 32-bit word, or undefined for an illegal instruction. */
  lookup(word: number): InstructionDef | undefined {
    const bucket = this.byOpcode.get(word & 0x7f);
    if (!bucket) return undefined;
    for (const def of bucket) if (((word ^ def.match) & def.mask) === 0) return def;
    return undefined;
  }

  /** The RVC entry matching a 16-bit word. */
  lookupCompressed(half: number): CompressedDef | undefined {
    for (const def of this.compressed) if (((half ^ def.match) & def.mask) === 0) return def;
    return undefined;
  }

  /** All encodings of a mnemonic (CORE-V loads/stores have several operand forms). */
  forms(mnemonic: string): readonly InstructionDef[] {
    return this.byMnemonic.get(mnemonic) ?? [];
  }
}

/**
 * The base table plus project extensions. Extensions must lie in the free custom-1 space and may
 * overlap nothing; the base table itself is checked for overlaps by the tests.
 */
export function buildInstructionTable(extensions: readonly InstructionDef[] = []): InstructionTable {
  for (const ext of extensions) {
    if (!inExtensionSpace(ext)) {
      throw new Error(`extension instruction ${ext.mnemonic} lies outside custom-1 funct3 110/111`);
    }
    const clash = [...BASE_INSTRUCTIONS, ...extensions].find((other) => other !== ext && overlaps(ext, other));
    if (clash) throw new Error(`extension instruction ${ext.mnemonic} overlaps ${clash.mnemonic}`);
  }
  return new InstructionTable([...BASE_INSTRUCTIONS, ...extensions], RV32C);
}

/** The table of the stock CV32E40P (no project extensions). */
export const CV32E40P_TABLE: InstructionTable = buildInstructionTable();
