// What needs no RTL: the clear errors for a bad checkout path or a missing Verilator, and the
// comparison's verdicts on hand-made traces.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRtlModel } from '../../gen/cv32e40p/build.js';
import { compareRuns, RTL_STARTUP_CYCLES, type RunSummary } from '../../gen/cv32e40p/divergence.js';
import { RtlPathError, rtlSources } from '../../gen/cv32e40p/rtl-sources.js';
import { ToolMissingError } from '../../gen/tools.js';
import { skipUnlessRtl } from './rtl.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-rtl-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the RTL checkout', () => {
  it('names a path that is no directory', () => {
    expect(() => rtlSources(path.join(work, 'nowhere'))).toThrow(new RtlPathError(`--rtl ${path.join(work, 'nowhere')}: no such directory (expected a checkout of openhwgroup/cv32e40p)`));
  });

  it('names the first file an upstream checkout lacks', () => {
    const checkout = path.join(work, 'upstream');
    mkdirSync(path.join(checkout, 'rtl', 'include'), { recursive: true });
    writeFileSync(path.join(checkout, 'rtl', 'cv32e40p_core.sv'), '');
    expect(() => rtlSources(checkout)).toThrow(`--rtl ${checkout}: rtl/include/cv32e40p_apu_core_pkg.sv is missing (expected a checkout of openhwgroup/cv32e40p v2)`);
  });

  it('says how to install Verilator when it is not on PATH', async () => {
    const flat = path.join(work, 'flat');
    mkdirSync(path.join(flat, 'include'), { recursive: true });
    mkdirSync(path.join(flat, 'bhv'), { recursive: true });
    for (const f of rtlSourcesNames()) writeFileSync(path.join(flat, f), '');
    const saved = process.env.PATH;
    process.env.PATH = work;
    try {
      await expect(buildRtlModel(flat)).rejects.toThrow(new ToolMissingError(['verilator']));
      await expect(buildRtlModel(flat)).rejects.toThrow('apt-get install -y verilator');
    } finally {
      process.env.PATH = saved;
    }
  });
});

/** The flat layout's file names, from the error each missing one gives. */
function rtlSourcesNames(): string[] {
  const names: string[] = [];
  const dir = path.join(work, 'probe');
  mkdirSync(dir, { recursive: true });
  for (;;) {
    try {
      rtlSources(dir);
      return names;
    } catch (error) {
      const missing = /: (\S+) is missing/.exec((error as Error).message)![1]!;
      mkdirSync(path.dirname(path.join(dir, missing)), { recursive: true });
      writeFileSync(path.join(dir, missing), '');
      names.push(missing);
    }
  }
}

describe('the test policy', () => {
  it('skips the RTL tests without Verilator, naming it, and fails under CI=true', () => {
    expect(skipUnlessRtl({ PATH: work })).toContain('verilator not found on PATH (install with: apt-get install -y verilator)');
    expect(() => skipUnlessRtl({ PATH: work, CI: 'true' })).toThrow(/^CI=true requires the differential tests against the RTL to run, but missing: .*verilator not found/);
  });
});

describe('comparing an ISS run with an RTL run', () => {
  /** A run whose instructions end at `cycles` (ISS) or leave decode then (RTL). */
  const run = (cycles: readonly number[], shift = 0): RunSummary => ({
    stop: 'exit 0',
    cycles: cycles.at(-1)! + shift,
    instret: cycles.length,
    retired: cycles.map((cycle, i) => ({ pc: 0x1000 + 4 * i, cycle: cycle + shift })),
  });

  it('accepts a cost the RTL shows at the next instruction (a 5-cycle mulh, then a 3-cycle branch)', () => {
    // ISS: 1, mulh to 6, branch to 9, 10. RTL: the mulh leaves decode one cycle after the first
    // instruction and delays the branch by 4 cycles; the branch delays the last one by 2.
    const iss = run([1, 6, 9, 10]);
    const rtl = run([1, 2, 7, 10], RTL_STARTUP_CYCLES);
    expect(compareRuns(iss, rtl)).toEqual({ same: true, report: '' });
  });

  it('names the instruction where the cycles part and shows both traces around it', () => {
    const iss = run([1, 2, 3, 4, 5]);
    const rtl = run([1, 2, 4, 5, 6], RTL_STARTUP_CYCLES);
    const { same, report, at } = compareRuns(iss, rtl);
    expect(same).toBe(false);
    expect(at).toBe(2);
    expect(report.split('\n').slice(0, 2)).toEqual([
      `cycles: ISS 5, RTL ${6 + RTL_STARTUP_CYCLES} (1 beyond the start-up constant ${RTL_STARTUP_CYCLES})`,
      'instruction 2 (pc 0x00001008): the cycle counts part (at it, or after the instruction before)',
    ]);
    expect(report).toContain('>    2  0x00001008          3  0x00001008          8          1');
  });

  it('reports different results before cycles: stop, output, a register written differently', () => {
    const iss: RunSummary = { ...run([1, 2]), output: 'a', registerWrites: [{ reg: 5, value: 1 }], regs: Array(32).fill(0) };
    const rtl: RunSummary = { ...run([1, 2], RTL_STARTUP_CYCLES), stop: 'exit 1', output: 'b', registerWrites: [{ reg: 5, value: 2 }], regs: Array(32).fill(0) };
    expect(compareRuns(iss, rtl).report.split('\n')).toEqual([
      'stop: ISS exit 0, RTL exit 1',
      'output: ISS "a", RTL "b"',
      'write 0 to x5: ISS 0x00000001, RTL 0x00000002',
    ]);
  });
});
