/**
 * The random programs the ISS-vs-RTL differential suite runs (random-program.ts) must be fit for
 * it: each assembles, is the same text for the same seed, runs to its exit on the ISS within a
 * cycle budget without a fault, touches no memory outside its data region (so it cannot rewrite
 * its own code), and gives identical registers, memory and counters on the interpreter and the
 * compiled engine. Across the seed set every feature and every timing-table row with a statistic
 * must show up. `npm test` runs a fixed set of seeds; `npm run fuzz` sets FUZZ_RUNS (and
 * FUZZ_SEED to repeat a run) for a longer one, from a new first seed that a failure names.
 */
import { describe, expect, it } from 'vitest';
import { writeElf } from '../../isa/elf/writer.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { loadProgram } from '../../sim/program.js';
import { assemble } from '../../sw/asm/assembler.js';
import { fuzzParameters, fuzzTimeout } from '../fuzz/support.js';
import { compareSingle } from '../sim/support/engines.js';
import { randomProgram } from './random-program.js';
import { DATA_BYTES } from './random-program/builder.js';

const runs = fuzzParameters<unknown>(200);
const SEEDS: readonly number[] = Array.from({ length: runs.numRuns! }, (_, i) => (runs.seed! + i) >>> 0);
/** Generous for the default 24 snippets (the longest of 2000 seeds took under 9,000 cycles). */
const CYCLE_BUDGET = 50_000;

/** Every feature the generator reports: each must appear in the seed set. */
const FEATURES = [
  'branch-loop', 'branch-not-taken', 'branch-taken', 'call', 'compressed', 'compressed-control', 'csr', 'csr-flush', 'csr-write', 'divide-by-zero',
  'divide-negative-divisor', 'divide-signs', 'fence', 'hpm', 'hpm-select', 'hwloop', 'hwloop-nested', 'hwloop-setup', 'hwloop-setupi',
  'hwloop-split', 'hwloop-split-register', 'indexed', 'jal', 'jalr-after-load', 'jalr-hazard', 'jalr-rd-is-rs1',
  'load-overwrite', 'load-use', 'misaligned', 'multiply-divide', 'post-increment', 'post-increment-rd-is-base', 'unaligned-target',
];

/** The trap snippets' features (random-program/traps.ts): each must appear. */
const TRAP_FEATURES = ['trap-ebreak', 'trap-c.ebreak', 'trap-ecall', 'trap-illegal-word', 'trap-illegal-csr', 'trap-read-only-csr', 'trap-in-loop-body'];

/** Timing-table rows with a statistic of their own: each must cost cycles somewhere in the seed set. */
const STALLS = ['loadUseStalls', 'branchPenalty', 'jumpPenalty', 'jalrStalls', 'multiCycle', 'splitAccessStalls', 'csrFlushStalls', 'fenceStalls'] as const;

/** Data accesses outside [data, data + DATA_BYTES), as text; the retire hook sees each one. */
function strayAccesses(elf: Uint8Array): string[] {
  const { hart, image } = loadProgram(elf, { blocks: false });
  const data = image.symbols.get('data')!;
  const stray: string[] = [];
  hart.onRetire = (event) => {
    for (const access of event.dataAccesses) {
      const tohost = access.write && access.addr === image.symbols.get('tohost');
      if (!tohost && (access.addr < data || access.addr + access.size > data + DATA_BYTES)) stray.push(`pc ${event.pc.toString(16)} addr ${access.addr.toString(16)}`);
    }
  };
  hart.run(CYCLE_BUDGET);
  return stray;
}

describe(`random programs for the differential suite (seeds ${SEEDS[0]}..${SEEDS.at(-1)})`, () => {
  it('are deterministic per seed, and differ between seeds', () => {
    expect(randomProgram(7).source).toBe(randomProgram(7).source);
    expect(randomProgram(7).source).not.toBe(randomProgram(8).source);
  });

  it('run to their exit within the budget on both engines, alike, inside their data region, covering every feature', () => {
    const features = new Map<string, number>();
    const stalls = Object.fromEntries(STALLS.map((s) => [s, 0])) as Record<(typeof STALLS)[number], number>;
    for (const seed of SEEDS) {
      const exit = seed % 8 === 0 ? 'tohost' : 'ecall';
      const program = randomProgram(seed, { exit });
      const where = `seed ${seed} (exit ${exit})`;
      const elf = writeElf(assemble(program.source, { file: `random-${seed}.S` }));
      const { reference } = compareSingle(elf, { maxCycles: CYCLE_BUDGET });
      expect({ where, error: reference.error, stop: reference.stop?.kind }).toEqual({ where, error: undefined, stop: 'exit' });
      expect(strayAccesses(elf), where).toEqual([]);
      for (const feature of program.features) features.set(feature, (features.get(feature) ?? 0) + 1);
      for (const stall of STALLS) stalls[stall] += reference.hart.stats[stall];
    }
    // A quick run has enough programs to require every feature; FUZZ_RUNS=1 need not.
    if (SEEDS.length >= 100) {
      expect(FEATURES.filter((f) => !features.has(f)), 'features no program exercised').toEqual([]);
      expect(STALLS.filter((s) => stalls[s] === 0), 'timing rows no program exercised').toEqual([]);
    }
    expect([...features.keys()].filter((f) => !FEATURES.includes(f)), 'features this test does not know').toEqual([]);
  }, fuzzTimeout ?? 60_000);

  it('with Xnmsparse (the project\'s core): run to their exit on both engines, alike, with every Xnmsparse feature', () => {
    const features = new Set<string>();
    for (const seed of SEEDS.slice(0, 50)) {
      const program = randomProgram(seed, { xnmsparse: true });
      const elf = writeElf(assemble(program.source, { file: `random-${seed}.S`, table: CV32E40P_XNMSPARSE_TABLE }));
      const { reference } = compareSingle(elf, { maxCycles: CYCLE_BUDGET, table: CV32E40P_XNMSPARSE_TABLE });
      expect({ seed, error: reference.error, stop: reference.stop?.kind }).toEqual({ seed, error: undefined, stop: 'exit' });
      for (const feature of program.features) features.add(feature);
    }
    if (SEEDS.length >= 50) expect(['mac4', 'mul4', 'mac4-hwloop', 'mac4-sum-operand', 'sum-use'].filter((f) => !features.has(f))).toEqual([]);
  }, fuzzTimeout ?? 60_000);

  it('with traps: run to their exit on both engines, alike, with every kind of trap', () => {
    const features = new Set<string>();
    for (const seed of SEEDS.slice(0, 50)) {
      const program = randomProgram(seed, { traps: true });
      const elf = writeElf(assemble(program.source, { file: `random-${seed}.S` }));
      const { reference } = compareSingle(elf, { maxCycles: CYCLE_BUDGET });
      expect({ seed, error: reference.error, stop: reference.stop?.kind }).toEqual({ seed, error: undefined, stop: 'exit' });
      // The ISS took the traps (their entry cycles counted) exactly when the program has some.
      expect(reference.hart.stats.trapCycles > 0, `seed ${seed}`).toBe([...program.features].some((f) => f.startsWith('trap-')));
      for (const feature of program.features) features.add(feature);
    }
    if (SEEDS.length >= 50) expect(TRAP_FEATURES.filter((f) => !features.has(f))).toEqual([]);
  }, fuzzTimeout ?? 60_000);
});
