// Constrained-random programs (test/cv32e40p/random-program.ts) on the project's core and on the ISS
// in lockstep: stop, instructions, register writes, cycles and each instruction's cycle must agree
// exactly, with single-cycle memory and under random data-grant delays. The generator draws from
// the base CV32E40P table, all of which the core implements (strict-core.test.ts), so it needs no
// restriction; the ISS runs in strict-core mode all the same. `npm test` runs a fixed set of seeds,
// each its own test; `npm run fuzz` sets FUZZ_RUNS (FUZZ_SEED to repeat a run) for a longer run from
// a new first seed, in one test that names every seed that diverges.
//
// Not yet generated: traps (ecall other than the exit, ebreak, illegal instructions, misaligned
// nm.mac4, interrupts) and mret. The core's trap entry and the ISS's trap model are being written
// (branch core-traps); once both take traps, the generator gets a trap snippet (a handler at mtvec
// returning with mret) and this file runs it unchanged.
import { describe, expect, it } from 'vitest';
import { writeElf } from '../../isa/elf/writer.js';
import { assemble } from '../../sw/asm/assembler.js';
import { fuzzParameters, fuzzTimeout } from '../fuzz/support.js';
import { randomProgram } from '../cv32e40p/random-program.js';
import { compareWithIss, type CoreCompareOptions } from './support.js';

const runs = fuzzParameters<unknown>(48);
const SEEDS: readonly number[] = Array.from({ length: runs.numRuns! }, (_, i) => (runs.seed! + i) >>> 0);
/** Every fourth seed also runs under random grant delays (0..3 cycles, seeded by the program's seed). */
const DELAYED_SEEDS = SEEDS.filter((_, i) => i % 4 === 0);
const longRun = process.env.FUZZ_RUNS !== undefined;

/**
 * Seeds of the quick run on which the core diverges, all for one core bug (divergences.test.ts, "a
 * jump held in decode..."): a jump held in decode after redirecting fetch (a jalr whose rd is its
 * rs1, a jal or jalr behind a divide, mulh or delayed access) to a 32-bit instruction at an address =
 * 2 mod 4 lets that instruction leave decode a cycle early. Each is marked as failing, so the fix
 * shows up here as passes to remove.
 */
const KNOWN_DIVERGENT: ReadonlySet<string> = new Set([
  'seed 11, single-cycle memory',
  'seed 11, random grant delays',
  'seed 12, single-cycle memory',
  'seed 14, single-cycle memory',
  'seed 15, single-cycle memory',
  'seed 15, random grant delays',
  'seed 16, single-cycle memory',
  'seed 18, single-cycle memory',
  'seed 21, single-cycle memory',
  'seed 23, single-cycle memory',
  'seed 23, random grant delays',
  'seed 26, single-cycle memory',
  'seed 27, single-cycle memory',
  'seed 27, random grant delays',
  'seed 30, single-cycle memory',
  'seed 31, single-cycle memory',
  'seed 31, random grant delays',
  'seed 35, single-cycle memory',
  'seed 35, random grant delays',
  'seed 40, single-cycle memory',
  'seed 41, single-cycle memory',
  'seed 42, single-cycle memory',
  'seed 43, single-cycle memory',
  'seed 43, random grant delays',
  'seed 44, single-cycle memory',
  'seed 46, single-cycle memory',
  'seed 52, single-cycle memory',
  'seed 54, single-cycle memory',
  'seed 55, random grant delays',
  'seed 57, single-cycle memory',
  'seed 58, single-cycle memory',
]);

function divergence(seed: number, options: CoreCompareOptions): string | undefined {
  const { source } = randomProgram(seed, { exit: seed % 2 === 0 ? 'ecall' : 'tohost' });
  const result = compareWithIss(writeElf(assemble(source, { file: `random-${seed}.S` })), { maxCycles: 1_000_000, ...options });
  expect(result.iss.stop, `seed ${seed}`).toMatch(/^exit /);
  return result.same ? undefined : `seed ${seed}${options.grantDelay ? ' (random grant delays)' : ''}: the ISS and the core differ:\n${result.report}`;
}

const delayed = (seed: number): CoreCompareOptions => ({ grantDelay: { kind: 'random', seed, max: 3 } });

describe.skipIf(longRun)(`random programs on the core and on the ISS (seeds ${SEEDS[0]}..${SEEDS.at(-1)})`, () => {
  const each = [
    ...SEEDS.map((seed) => [`seed ${seed}, single-cycle memory`, seed, {}] as const),
    ...DELAYED_SEEDS.map((seed) => [`seed ${seed}, random grant delays`, seed, delayed(seed)] as const),
  ];
  for (const [name, seed, options] of each) {
    (KNOWN_DIVERGENT.has(name) ? it.fails : it)(name, { timeout: 30_000 }, () => {
      expect(divergence(seed, options)).toBeUndefined();
    });
  }
});

describe.skipIf(!longRun)('random programs on the core and on the ISS, long run', () => {
  it(`agree (${SEEDS.length} programs from seed ${SEEDS[0]}, every fourth also under random grant delays)`, { timeout: fuzzTimeout }, () => {
    const failures: string[] = [];
    for (const [i, seed] of SEEDS.entries()) {
      for (const options of i % 4 === 0 ? [{}, delayed(seed)] : [{}]) {
        const found = divergence(seed, options);
        // The seed and where the runs part, one line each: the whole reports would bury the list.
        if (found !== undefined) failures.push(found.split('\n').filter((line, k) => k === 0 || /^(stop|write|instruction) /.test(line)).join(' '));
      }
    }
    expect(failures, `${failures.length} divergences`).toEqual([]);
  });
});
