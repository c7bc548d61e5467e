// Constrained-random programs (test/cv32e40p/random-program.ts) on the project's core and on the ISS
// in lockstep: stop, instructions, register writes, cycles and each instruction's cycle must agree
// exactly, with single-cycle memory and under random data-grant delays. The generator draws from
// the base CV32E40P table, all of which the core implements (strict-core.test.ts), so it needs no
// restriction; the ISS runs in strict-core mode all the same. `npm test` runs a fixed set of seeds,
// each its own test; `npm run fuzz` sets FUZZ_RUNS (FUZZ_SEED to repeat a run) for a longer run from
// a new first seed, in one test that names every seed that diverges.
//
// Four families of programs: the base CV32E40P set; with Xnmsparse revision 2 on the core that has
// it (random-program/xnmsparse.ts); with traps (random-program/traps.ts: a handler installed, then
// ebreak, undecodable words, rejected CSR accesses and unserved ecalls, each returning with mret),
// which the ISS and the core both take, inside hardware-loop bodies too; with timer interrupts
// from the CLINT, re-armed by their handler (random-program/interrupts.ts); with traps and
// interrupts in one program (mixed). Not generated: the misaligned nm.mac4 fault (a directed test
// covers it).
import { describe, expect, it } from 'vitest';
import { writeElf } from '../../isa/elf/writer.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { assemble } from '../../sw/asm/assembler.js';
import { fuzzParameters, fuzzTimeout } from '../fuzz/support.js';
import { randomProgram } from '../cv32e40p/random-program.js';
import { compareWithIss, type CoreCompareOptions } from './support.js';

const runs = fuzzParameters<unknown>(48);
const SEEDS: readonly number[] = Array.from({ length: runs.numRuns! }, (_, i) => (runs.seed! + i) >>> 0);
const longRun = process.env.FUZZ_RUNS !== undefined;

/** Which programs: the base set, with Xnmsparse (on the core with the extension), with traps, with timer interrupts, with both. */
type Family = 'base' | 'xnmsparse' | 'traps' | 'interrupts' | 'mixed';
const FAMILIES: readonly Family[] = ['base', 'xnmsparse', 'traps', 'interrupts', 'mixed'];
/**
 * Seeds per family in the quick run: the base set is the largest, the others add what it lacks.
 * Interrupts also run 3073, 3110 and 3176, on which the ISS, the core or both once parted from the
 * CV32E40P (behind a divide, after an mret back to a loop body's last instruction); the mixed family
 * 4154 and 4198, on which the ISS let an interrupt replace a word the core had already sent to its
 * trap (docs/cv32e40p.md#interrupts, hardware loops).
 */
const QUICK_SEEDS: Readonly<Record<Family, readonly number[]>> = {
  base: SEEDS, xnmsparse: SEEDS.slice(0, 16), traps: SEEDS.slice(0, 16), interrupts: [3073, 3110, 3176, ...SEEDS.slice(0, 8)], mixed: [4154, 4198, ...SEEDS.slice(0, 4)],
};


/** The RTL simulation takes up to a second a program: the fuzz suites' hour is too short for 20,000. */
const LONG_RUN_TIMEOUT = Math.max(fuzzTimeout ?? 0, SEEDS.length * 1_000);

const delayed = (seed: number): CoreCompareOptions => ({ grantDelay: { kind: 'random', seed, max: 3 } });
const prefix = (family: Family): string => (family === 'base' ? '' : `${family} `);

/** The ISS and the core on the program of `seed` in `family`: where they part, or undefined. */
function divergence(family: Family, seed: number, options: CoreCompareOptions): string | undefined {
  const xnmsparse = family === 'xnmsparse';
  const { source } = randomProgram(seed, { exit: seed % 2 === 0 ? 'ecall' : 'tohost', xnmsparse, traps: family === 'traps' || family === 'mixed', interrupts: family === 'interrupts' || family === 'mixed' });
  const table = xnmsparse ? { table: CV32E40P_XNMSPARSE_TABLE } : {};
  const result = compareWithIss(writeElf(assemble(source, { file: `random-${seed}.S`, ...table })), { maxCycles: 1_000_000, extension: xnmsparse, ...options });
  expect(result.iss.stop, `seed ${seed}`).toMatch(/^exit /);
  const what = `${prefix(family)}seed ${seed}${options.grantDelay ? ' (random grant delays)' : ''}`;
  return result.same ? undefined : `${what}: the ISS and the core differ:\n${result.report}`;
}

describe.skipIf(longRun)(`random programs on the core and on the ISS (seeds ${SEEDS[0]}..${SEEDS.at(-1)})`, () => {
  // Every fourth seed of a family also runs under random grant delays (0..3 cycles, seeded by the program's seed).
  const each = FAMILIES.flatMap((family) => [
    ...QUICK_SEEDS[family].map((seed) => [`${prefix(family)}seed ${seed}, single-cycle memory`, family, seed, {}] as const),
    ...QUICK_SEEDS[family].filter((_, i) => i % 4 === 0).map((seed) => [`${prefix(family)}seed ${seed}, random grant delays`, family, seed, delayed(seed)] as const),
  ]);
  for (const [name, family, seed, options] of each) {
    it(name, { timeout: 30_000 }, () => {
      expect(divergence(family, seed, options)).toBeUndefined();
    });
  }
});

describe.skipIf(!longRun)('random programs on the core and on the ISS, long run', () => {
  it(`agree (${SEEDS.length} programs from seed ${SEEDS[0]}, the families in turn, every fourth also under random grant delays)`, { timeout: LONG_RUN_TIMEOUT }, () => {
    const failures: string[] = [];
    for (const [i, seed] of SEEDS.entries()) {
      for (const options of i % 4 === 0 ? [{}, delayed(seed)] : [{}]) {
        const found = divergence(FAMILIES[i % FAMILIES.length]!, seed, options);
        // The seed and where the runs part, one line each: the whole reports would bury the list.
        if (found !== undefined) failures.push(found.split('\n').filter((line, k) => k === 0 || /^(stop|write|instruction) /.test(line)).join(' '));
      }
    }
    expect(failures, `${failures.length} divergences`).toEqual([]);
  });
});
