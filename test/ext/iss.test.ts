// The gather instructions in the instruction-set simulator: assembler and disassembler against the
// golden encoder, execution against the golden model, faults, load-use timing, and a 4-channel x
// 2-pixel block of a 1:8-sparse layer written in assembly over weights from the packer (the
// sparse-block-xnmsparse kernel).
import { describe, expect, it } from 'vitest';
import { encodeGather, executeGather, formatGather, type GatherInstruction, lanesPerWord, patterns } from '../../isa/xnmsparse/gather.js';
import { disassemble } from '../../isa/disassembler.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { regName } from '../../isa/registers.js';
import { IllegalInstructionError, MemoryAccessError, MisalignedAccessError } from '../../sim/core/errors.js';
import { assemble } from '../../sw/asm/assembler.js';
import { dataBase, execute, table } from './iss-support.js';
import { sparseBlockXnmsparse } from '../../sw/kernels/sparse-block-xnmsparse.js';
import { expectedOutputs, instantiate } from '../../sw/kernels/instance.js';
import { runKernel } from '../../sw/kernels/run.js';
import { Random } from '../../util/random.js';

const [a0, a2, a3, t0] = [10, 12, 13, 5];

function words(source: string): number[] {
  const image = assemble(source, { table, base: 0x1000, file: 'test.S' });
  const text = image.sections.find((s) => s.name === '.text')!;
  const view = new DataView(text.bytes.buffer, text.bytes.byteOffset, text.bytes.byteLength);
  return Array.from({ length: text.bytes.byteLength / 4 }, (_, i) => view.getUint32(4 * i, true));
}

const every: GatherInstruction[] = ([1, 2] as const).flatMap((elementBytes) =>
  patterns.flatMap((pattern) =>
    [false, true].flatMap((consume) =>
      Array.from({ length: lanesPerWord(elementBytes) }, (_, lane) => ({ rd: a0, rs1: a2, rs2: t0, pattern, elementBytes, lane, consume })),
    ),
  ),
);

describe('assembly', () => {
  it('assembles and disassembles every form exactly as the golden encoder and formatter', () => {
    expect(words(every.map((insn) => formatGather(insn, regName)).join('\n'))).toEqual(every.map(encodeGather));
    for (const insn of every) expect(disassemble(table, encodeGather(insn))).toBe(formatGather(insn, regName));
  });

  it('is not part of a plain CV32E40P', () => {
    expect(() => assemble('nm.lg.b a0, t0(a2), 0, 1:8', { table: CV32E40P_TABLE })).toThrow();
  });
});

describe('execution', () => {
  it.each(every.filter((i) => i.lane === lanesPerWord(i.elementBytes) - 1).map((i) => [formatGather(i, regName), i] as const))('%s matches the golden model', (_, insn) => {
    const random = new Random(encodeGather(insn));
    for (let trial = 0; trial < 10; trial++) {
      const bytes = random.fill(new Uint8Array(64));
      const ops = { rs1: dataBase + random.below(16) * insn.elementBytes, rs2: random.uint32(), rd: random.uint32() };
      const { hart, run } = execute(`  ${formatGather(insn, regName)}`, bytes, { [a2]: ops.rs1, [t0]: ops.rs2, [a0]: ops.rd });
      expect(run().stop).toEqual({ kind: 'exit', code: expect.any(Number) });
      const load = (address: number, size: number): number => bytes[address - dataBase]! | (size === 2 ? bytes[address - dataBase + 1]! << 8 : 0);
      const expected = executeGather(insn, ops, load);
      if (expected.kind !== 'ok') throw new Error(expected.kind);
      expect(hart.regs[a0]! >>> 0).toBe(expected.rd);
      expect(hart.regs[t0]! >>> 0).toBe(expected.rs2);
    }
  });

  it('stops on the reserved and faulting cases without writing a register', () => {
    const bytes = new Uint8Array(64);
    const cases: [string, Record<number, number>, unknown][] = [
      ['nm.lgc.b t0, t0(a2), 0, 1:8', { [a2]: dataBase }, IllegalInstructionError],
      ['nm.lg.h a0, t0(a2), 1, 1:8', { [a2]: dataBase + 1 }, MisalignedAccessError],
      ['nm.lgc.b a0, t0(a2), 0, 1:8', { [a2]: 0x20000 }, MemoryAccessError],
    ];
    for (const [source, regs, error] of cases) {
      const { hart, before, run } = execute(`  ${source}`, bytes, { ...regs, [t0]: 0x1234, [a0]: 0x55 });
      expect(run).toThrow(error as never);
      expect(Array.from(hart.regs)).toEqual(Array.from(before));
    }
    // Block-size field 11 is reserved: no instruction matches it.
    const reserved = (encodeGather(every[0]!) | (0b11 << 28)) >>> 0;
    expect(() => execute(`  .word ${reserved}`, bytes).run()).toThrow(IllegalInstructionError);
  });

  it('costs one cycle, plus one load-use stall when the next instruction reads rd', () => {
    const bytes = new Uint8Array(64);
    const regs = { [a2]: dataBase, [a3]: dataBase };
    const cycles = (body: string): number => execute(body, bytes, regs).run().cycles;
    const dependent = cycles('  nm.lg.b a0, t0(a2), 0, 1:8\n  nm.lg.b a0, t0(a2), 1, 1:8');
    const interleaved = cycles('  nm.lg.b a0, t0(a2), 0, 1:8\n  nm.lg.b a1, t0(a3), 0, 1:8');
    expect(dependent - interleaved).toBe(1);
  });
});

describe('a 4-channel x 2-pixel block of a 1:8-sparse layer', () => {
  it('computes the dense dot products, in assembly, through the gather instructions', () => {
    const block = instantiate(sparseBlockXnmsparse, { params: { channels: 4, repeats: 1 }, seed: 18 });
    const expected = expectedOutputs(block);
    const { outputs } = runKernel(block);
    for (let c = 0; c < 4; c++) {
      for (let p = 0; p < 2; p++) expect(outputs[2 * c + p], `channel ${c} pixel ${p}`).toBe(expected[2 * c + p]);
    }
  });
});
