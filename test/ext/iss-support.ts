// Shared by the ISS tests of the extension: running assembly on a hart with Xnmsparse, and a
// 4-channel x 2-pixel block of a 1:8-sparse layer written with the gather instructions.
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse';
import { loadProgram } from '../../sim/program';
import { assemble } from '../../sw/asm/assembler';
import { writeElf } from '../../isa/elf/writer';
import { packNM } from '../../sw/sparse/pack';
import { pruneNM } from '../../sw/sparse/prune';
import { Random } from '../../util/random';

export const table = CV32E40P_XNMSPARSE_TABLE;
export const dataBase = 0x8000;
const memoryMap = [{ name: 'ram', base: 0, size: 0x10000 }];

/** Assembles `body` (then an exit), loads it with `bytes` at dataBase and registers preset; `run` runs it. */
export function execute(body: string, bytes: Uint8Array, regs: Readonly<Record<number, number>> = {}) {
  const elf = writeElf(assemble(`  .globl _start\n_start:\n${body}\n  li a7, 93\n  ecall\n`, { table, base: 0x1000, file: 'test.S' }));
  const { hart, memory } = loadProgram(elf, { table, memoryMap, output: () => {} });
  memory.writeBytes(dataBase, bytes);
  for (const [reg, value] of Object.entries(regs)) hart.regs[Number(reg)] = value;
  const before = Int32Array.from(hart.regs);
  return { hart, memory, before, run: () => hart.run(100_000) };
}

export interface KernelBlock {
  readonly source: string;
  readonly bytes: Uint8Array;
  /** Dense dot product of channel c and pixel p, and the register (x18 + 2c + p) that holds it. */
  readonly expected: (c: number, p: number) => number;
}

/** Channels x 2 pixels, K = 64 (two groups of four non-zeros per channel, one index word). */
export function kernelBlock(seed: number, channels = 4): KernelBlock {
  const k = 64;
  const random = new Random(seed);
  const dense = random.fill(new Int8Array(channels * k));
  const weights = pruneNM({ channels, k, data: dense }, { n: 1, m: 8 });
  const packed = packNM(weights, { n: 1, m: 8 });
  const columns = [random.fill(new Uint8Array(k)), random.fill(new Uint8Array(k))];

  // Memory: two im2col columns, then the values, then the index words.
  const valuesAt = dataBase + 2 * k;
  const indicesAt = valuesAt + packed.values.length;
  const bytes = new Uint8Array(indicesAt - dataBase + packed.indices.length * 4);
  bytes.set(columns[0]!, 0);
  bytes.set(columns[1]!, k);
  bytes.set(new Uint8Array(packed.values.buffer), 2 * k);
  bytes.set(new Uint8Array(packed.indices.buffer), indicesAt - dataBase);

  // Accumulators s2..s9: channel c, pixel p in s(2 + 2c + p), that is x(18 + 2c + p).
  const lines: string[] = [];
  for (let c = 0; c < channels; c++) {
    lines.push(`  li a2, ${dataBase}`, `  li a3, ${dataBase + k}`, `  li t0, ${indicesAt + 4 * c}`, '  lw t0, 0(t0)', `  li t2, ${valuesAt + 8 * c}`);
    for (let g = 0; g < 2; g++) {
      for (let lane = 0; lane < 4; lane++) lines.push(`  nm.lg.b a0, t0(a2), ${lane}, 1:8`, `  nm.lgc.b a1, t0(a3), ${lane}, 1:8`);
      lines.push('  cv.lw t1, (t2), 4', `  cv.sdotusp.b s${2 + 2 * c}, a0, t1`, `  cv.sdotusp.b s${3 + 2 * c}, a1, t1`, '  addi a2, a2, 32', '  addi a3, a3, 32');
    }
  }
  const expected = (c: number, p: number): number => {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += weights.data[c * k + j]! * columns[p]![j]!;
    return sum;
  };
  return { source: lines.join('\n'), bytes, expected };
}
