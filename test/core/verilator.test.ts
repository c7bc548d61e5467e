// The core's emitted Verilog under Verilator (gen/core/verilator.ts) against the ISS and against the
// HDL simulation of the same core: the programs of programs.test.ts, grant delays, the ecall write
// with the counters (mhpmcounter3 too) read after it, and three layer kernels (one with the extension). Verilator missing: skipped, or failed under
// CI=true (test/support/tools.ts).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreDifferential, rtlSummary } from '../../cli/differential.js';
import { runOnCore, type CoreRunOptions } from '../../gen/core/run.js';
import { buildCoreModel, runOnCoreVerilator } from '../../gen/core/verilator.js';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import type { SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { writeElf } from '../../isa/elf/writer.js';
import { assemble } from '../../sw/asm/assembler.js';
import { layerProgram } from '../../sw/kernels/layers/program.js';
import { layerElf } from '../../sw/kernels/layers/run.js';
import { randomLayerData } from '../../sw/layers/data.js';
import { type LayerSpec, NO_PADDING } from '../../sw/layers/spec.js';
import { skipUnlessTools } from '../support/tools.js';
import { TRAP_PROGRAMS } from '../cv32e40p/trap-programs.js';
import { HPM_ECALL_PROGRAMS } from '../cv32e40p/hpm-programs.js';
import { randomProgram } from '../cv32e40p/random-program.js';
import { GRANT_DELAYS, PROGRAMS } from './core-programs.js';

const matmul: LayerSpec = { name: 'core-matmul', kind: 'matmul', inH: 3, inW: 1, inC: 24, outC: 6, kH: 1, kW: 1, stride: 1, pad: NO_PADDING, inputSigned: true, output: 'int8', relu: false };
const conv: LayerSpec = { name: 'core-conv', kind: 'conv', inH: 5, inW: 5, inC: 5, outC: 5, kH: 3, kW: 3, stride: 2, pad: { top: 1, bottom: 0, left: 1, right: 1 }, inputSigned: false, output: 'uint8', relu: true };
const denseLayer = (spec: LayerSpec): Uint8Array => layerElf(layerProgram(randomLayerData(spec, 5, undefined), 'dense', undefined, 1, { selfCheck: true }));
const elfOf = (source: string): Uint8Array => writeElf(assemble(source, { file: 'program.S' }));

/** Both simulations of the core, traced: they must agree on everything, cycle for cycle. */
async function expectSameAsHdl(elf: Uint8Array, options: Partial<CoreRunOptions> = {}): Promise<void> {
  const settings = { extension: false, maxCycles: 2_000_000, trace: true, ...options };
  const hdl = runOnCore(elf, settings);
  const verilator = await runOnCoreVerilator(elf, settings);
  expect(verilator).toEqual(hdl);
}

async function expectSameAsIss(elf: Uint8Array, grantDelay?: GrantDelay): Promise<void> {
  const result = await coreDifferential(elf, { engine: 'verilator', extension: false, maxCycles: 2_000_000, ...(grantDelay ? { grantDelay } : {}) });
  expect(result.iss.stop).toMatch(/^exit /);
  expect(result.same, `the ISS and the core's Verilog differ:\n${result.report}`).toBe(true);
}

describe.skipIf(skipUnlessTools(['verilator']))("the core's Verilog under Verilator", () => {
  it('is built into the cache directory, keyed by a hash, once per process and configuration', { timeout: 600_000 }, async () => {
    const model = await buildCoreModel(false);
    expect(model.executable).toMatch(/core[/\\][0-9a-f]{64}[/\\]VCore_extension0$/);
    expect(existsSync(model.executable)).toBe(true);
    expect(await buildCoreModel(false)).toBe(model);
  });

  describe('agrees with the ISS', () => {
    it.each(PROGRAMS)('%s', { timeout: 120_000 }, async (_, source) => expectSameAsIss(elfOf(source)));

    it('under fixed and random data-grant delays', { timeout: 300_000 }, async () => {
      for (const [name, source] of PROGRAMS) {
        for (const grantDelay of GRANT_DELAYS.filter((delay) => delay !== undefined)) {
          await expectSameAsIss(elfOf(source), grantDelay).catch((error: Error) => Promise.reject(new Error(`${name}, ${JSON.stringify(grantDelay)}: ${error.message}`)));
        }
      }
    });

    it('on one-core dense matrix-multiplication and convolution layers, self-checking', { timeout: 300_000 }, async () => {
      await expectSameAsIss(denseLayer(matmul));
      await expectSameAsIss(denseLayer(conv));
    });

    it('with the extension, on a one-core Xnmsparse 1:8 layer, self-checking', { timeout: 300_000 }, async () => {
      const pattern: SparsityPattern = { n: 1, m: 8 };
      const spec = { ...matmul, inC: 32, outC: 8 };
      const elf = layerElf(layerProgram(randomLayerData(spec, 5, pattern), 'xnmsparse', pattern, 1, { selfCheck: true }));
      const result = await coreDifferential(elf, { engine: 'verilator', extension: true, maxCycles: 2_000_000, table: CV32E40P_XNMSPARSE_TABLE });
      expect(result.iss.stop).toBe('exit 0');
      expect(result.same, `the ISS and the core's Verilog differ:\n${result.report}`).toBe(true);
    });
  });

  describe('runs exactly like the HDL simulation of the core', () => {
    it.each(PROGRAMS)('%s, under no, fixed and random grant delays', { timeout: 300_000 }, async (_, source) => {
      for (const grantDelay of GRANT_DELAYS) await expectSameAsHdl(elfOf(source), grantDelay ? { grantDelay } : {});
    });

    it('with the extension, and stopped by the cycle limit', { timeout: 600_000 }, async () => {
      const [, kernels] = PROGRAMS.find(([name]) => name === 'hardware-loop kernels')!;
      await expectSameAsHdl(elfOf(kernels), { extension: true });
      await expectSameAsHdl(elfOf(kernels), { maxCycles: 500 });
    });

    it('on a one-core dense convolution layer', { timeout: 300_000 }, async () => expectSameAsHdl(denseLayer(conv)));

    // The write ecall of a program with a handler of its own is served by neither testbench.
    const trapPrograms = TRAP_PROGRAMS.filter(([name]) => !name.includes('write'));
    it.each(trapPrograms)('taking the traps of "%s" into the program\'s handler, or stopping at the first', { timeout: 300_000 }, async (_, source) => {
      const elf = elfOf(source);
      for (const traps of ['auto', 'take', 'stop'] as const) await expectSameAsHdl(elf, { traps, grantDelay: { kind: 'random', seed: 5, max: 2 } });
    });

    it('on random programs that trap (undecodable words, ebreak, CSR accesses refused in EX)', { timeout: 300_000 }, async () => {
      for (const seed of [1, 2, 3, 4]) {
        const { source } = randomProgram(seed, { exit: 'ecall', xnmsparse: false, traps: true });
        for (const traps of ['auto', 'stop'] as const) await expectSameAsHdl(elfOf(source), { traps });
      }
    });
  });

  it('ends at a store to tohost like the ISS: the instruction after the store does not count', { timeout: 120_000 }, async () => {
    const source = [
      '  .globl _start', '_start:', '  li t0, 5', '  add t2, t0, t0', '  la t3, tohost', '  li t4, 7', '  sw t4, 0(t3)', '  addi t5, t5, 1', '1: j 1b',
      '  .data', '  .globl tohost', '  .align 3', 'tohost: .word 0, 0', '',
    ].join('\n');
    for (const grantDelay of GRANT_DELAYS) await expectSameAsIss(elfOf(source), grantDelay);
    await expectSameAsHdl(elfOf(source));
  });

  it("services ecall write like the ISS: the output, a0, and the counters read after it", { timeout: 120_000 }, async () => {
    const write = (fd: number, length: number): string => `  li a0, ${fd}\n  la a1, message\n  li a2, ${length}\n  li a7, 64\n  ecall\n`;
    const source = [
      '  .globl _start', '_start:',
      write(1, 6), '  mv s0, a0', '  csrr s1, mcycle', '  csrr s2, minstret',
      write(2, 3), '  mv s3, a0', '  csrr s4, mcycle', '  csrr s5, minstreth', '  lw t1, 0(a1)', '  addi t1, t1, 1',
      '  li a0, 7', '  li a7, 93', '  ecall',
      '  .data', 'message: .ascii "hello\\n"', '',
    ].join('\n');
    const elf = elfOf(source);
    await expectSameAsIss(elf);
    const run = await runOnCoreVerilator(elf, { extension: false, maxCycles: 0 });
    expect(run.output).toBe('hello\nhel');
    expect(rtlSummary(run).regs!.slice(8, 10)).toEqual([6, 7]);
    await expectSameAsHdl(elf);
  });

  it.each(HPM_ECALL_PROGRAMS)('leaves its write handler out of mhpmcounter3 like the ISS: %s', { timeout: 120_000 }, async (_, source) => {
    await expectSameAsIss(elfOf(source));
    await expectSameAsHdl(elfOf(source));
  });
});
