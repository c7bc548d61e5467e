// Constrained-random programs (random-program.ts) on the ISS and on the real CV32E40P RTL: stop,
// instructions, register writes, cycles and each instruction's cycle must agree exactly, with
// single-cycle memory and under random data-grant delays, also with traps taken, and with timer
// interrupts (random-program/interrupts.ts) taken all through the program. `npm test` runs a
// fixed set of seeds; `npm run fuzz` sets FUZZ_RUNS (FUZZ_SEED to repeat a run) for a longer one,
// whose first seed a failure names.
import { describe, expect, it } from 'vitest';
import { differential, type DifferentialOptions } from '../../cli/differential.js';
import { writeElf } from '../../isa/elf/writer.js';
import { assemble } from '../../sw/asm/assembler.js';
import { fuzzParameters, fuzzTimeout } from '../fuzz/support.js';
import { randomProgram } from './random-program.js';
import { RTL_PATH, skipUnlessRtl } from './rtl.js';

const skip = skipUnlessRtl();
const runs = fuzzParameters<unknown>(40);
const SEEDS: readonly number[] = Array.from({ length: runs.numRuns! }, (_, i) => (runs.seed! + i) >>> 0);

async function expectAgreement(seed: number, options: Partial<DifferentialOptions>, traps = false, interrupts = false): Promise<void> {
  const { source } = randomProgram(seed, { exit: seed % 2 === 0 ? 'ecall' : 'tohost', traps, interrupts });
  const elf = writeElf(assemble(source, { file: `random-${seed}.S` }));
  const result = await differential(elf, { rtl: RTL_PATH, maxCycles: 1_000_000, ...options });
  expect(result.iss.stop, `seed ${seed}`).toMatch(/^exit /);
  expect(result.same, `seed ${seed}: ISS and RTL differ:\n${result.report}`).toBe(true);
}

describe.skipIf(skip)('random programs on the ISS and on the CV32E40P RTL', () => {
  it(`agree with single-cycle memory (${SEEDS.length} programs from seed ${SEEDS[0]})`, { timeout: fuzzTimeout ?? 300_000 }, async () => {
    for (const seed of SEEDS) await expectAgreement(seed, {});
  });

  it(`agree under random data-grant delays (${SEEDS.length / 4} programs)`, { timeout: fuzzTimeout ?? 300_000 }, async () => {
    for (const seed of SEEDS.filter((_, i) => i % 4 === 0)) await expectAgreement(seed, { grantDelay: { kind: 'random', seed, max: 3 } });
  });

  it(`agree with a trap handler installed and traps taken (${SEEDS.length / 4} programs, half under random grant delays)`, { timeout: fuzzTimeout ?? 300_000 }, async () => {
    for (const [i, seed] of SEEDS.filter((_, k) => k % 4 === 1).entries()) await expectAgreement(seed, i % 2 === 0 ? {} : { grantDelay: { kind: 'random', seed, max: 3 } }, true);
  });

  // Not yet with traps as well: an exception right after an instruction holding EX enters its
  // handler a cycle sooner on the RTL than the ISS says, which interrupts then expose.
  it(`agree with timer interrupts taken (${SEEDS.length / 4} programs, half under random grant delays)`, { timeout: fuzzTimeout ?? 300_000 }, async () => {
    for (const [i, seed] of SEEDS.filter((_, k) => k % 4 === 2).entries()) await expectAgreement(seed, i % 2 === 0 ? {} : { grantDelay: { kind: 'random', seed, max: 3 } }, false, true);
  });
});
