// The ISS speed bench's C workload and its cluster layers, in small: the programs the bench times
// must compute the right thing (the bench itself checks the full runs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureLayerSpeed } from '../../bench/iss-speed.js';
import { buildWorkload, runIss, WORKLOAD_SOURCE } from '../../bench/iss-workload.js';
import { findTool } from '../../gen/tools.js';
import { REPOSITORY_ROOT, crossCompilerMissing } from '../sim/support/gcc.js';

describe.skipIf(crossCompilerMissing)('the C workload', () => {
  const work = mkdtempSync(join(tmpdir(), 'nmsparse-workload-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints on the ISS the checksum it prints natively, in 3 rounds', () => {
    const iss = runIss(buildWorkload(work, 3));
    expect(iss.output).toMatch(/^0x[0-9a-f]{8}\n$/);
    expect(iss.instructions).toBeGreaterThan(3 * 200_000);
    if (findTool('cc') === undefined) return;
    const exe = join(work, 'workload.native');
    execFileSync('cc', ['-O2', '-DROUNDS=3', join(REPOSITORY_ROOT, WORKLOAD_SOURCE), '-o', exe]);
    expect(spawnSync(exe, { encoding: 'utf8' }).stdout).toBe(iss.output);
  });
});

describe('cluster layer speed', () => {
  it('runs a kernel-bench layer on the 8-core cluster, checked against golden', () => {
    const [figure] = measureLayerSpeed([{ layer: 'conv3x3-256-4x4', nm: '1:8', variant: 'xnmsparse' }], 1);
    expect(figure!.label).toBe('conv3x3-256-4x4 1:8 xnmsparse');
    expect(figure!.instructions).toBeGreaterThan(8 * 100);
    expect(figure!.mips).toBeGreaterThan(0);
  });
});
