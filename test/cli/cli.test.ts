// The command line as a user runs it: output, files written, and a clear message with exit
// status 1 (no stack trace) for every user mistake.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nmsparse as runNmsparse, type CliResult } from './run-nmsparse.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const nmsparse = (...args: string[]): Promise<CliResult> => runNmsparse(args, { env: { NMSPARSE_CACHE_DIR: path.join(scratch, 'cache') } });

describe('nmsparse list', () => {
  it('lists every design with its parameters, also as JSON', async () => {
    const text = await nmsparse('list');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^counter\s+up-counter .*width=8\s+1\.\.64/m);
    const json = JSON.parse((await nmsparse('list', '--json')).stdout) as { name: string; params: { name: string }[] }[];
    expect(json.find((d) => d.name === 'nm-gather')?.params.map((p) => p.name)).toEqual(['m', 'n', 'bytes']);
  });
});

describe('nmsparse gen', () => {
  it('prints Verilog, or writes one file per module', async () => {
    const printed = await nmsparse('gen', 'counter', '--param', 'width=4');
    expect(printed.stdout).toContain('module Counter_width4 (');
    const out = path.join(scratch, 'gen');
    const written = await nmsparse('gen', 'nm-gather', '-p', 'm=16', '-o', out);
    expect(written.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['GatherAddress_bytes1_m16_n1.v', 'GatherUnit_bytes1_m16_n1.v', 'IndexDecompressor_m16.v', 'LaneInserter_bytes1.v']);
    expect(written.stdout).toContain('top module: GatherUnit_bytes1_m16_n1');
    expect(readFileSync(path.join(out, 'GatherUnit_bytes1_m16_n1.v'), 'utf8')).toContain('IndexDecompressor_m16 u_decompressor (');
  });

  it('flattens on request', async () => {
    const flat = await nmsparse('gen', 'nm-gather', '--flatten');
    expect(flat.stdout.match(/^module /gm)).toHaveLength(1);
    expect(flat.stdout).toContain('u_address__address');
  });

  it.each([
    [['gen', 'nosuch'], "nmsparse: unknown design 'nosuch' (designs: counter,"],
    [['gen', 'counter', '-p', 'width=0'], "nmsparse: parameter 'width' of design 'counter' must be between 1 and 64, got 0"],
    [['gen', 'counter', '-p', 'depth=3'], "nmsparse: design 'counter' has no parameter 'depth' (parameters: width)"],
    [['gen', 'counter', '-p', 'width=abc'], "nmsparse: parameter 'width' of design 'counter' must be an integer in decimal digits, got 'abc'"],
    [['gen', 'nm-gather', '-p', 'm=12'], "nmsparse: parameter 'm' of design 'nm-gather' must be a power of two, got 12"],
    [['synth', 'counter', '--liberty', '/nonexistent.lib'], "nmsparse: cannot read Liberty file '/nonexistent.lib'"],
    [['sim', 'docs/examples/gather.S'], "nmsparse: docs/examples/gather.S:6: unknown instruction 'nm.lgc.b'\n    nm.lgc.b a0, t0(a2), 0, 1:8\n"],
  ])('%j fails with a clear message', async (args, message) => {
    const result = await nmsparse(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('nmsparse synth', () => {
  it('reports area as a table, then instantly from the cache, and as JSON', async () => {
    const first = await nmsparse('synth', 'counter', '-p', 'width=6');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^total\s+\d+\s+6\s+[\d.]+\s+\d+$/m);
    expect(first.stdout).toMatch(/wall time [\d.]+ s\n$/);
    const second = await nmsparse('synth', 'counter', '-p', 'width=6');
    expect(second.stdout).toContain('(cached result)');
    const json = JSON.parse((await nmsparse('synth', 'counter', '-p', 'width=6', '--json')).stdout) as { total: { flipFlops: number } };
    expect(json.total.flipFlops).toBe(6);
  });
});

describe('nmsparse sim', () => {
  it('assembles and runs the README example, the program\'s exit code becoming the process\'s', async () => {
    const result = await nmsparse('sim', 'docs/examples/gather.S', '--xnmsparse', '--stats');
    expect(result.code).toBe(73);
    expect(result.stderr).toMatch(/^core\s+0\ncycles\s+19\n/);
    expect(result.stderr).toMatch(/\nnmsparse: exit 73 after 19 cycles, 16 instructions\n$/);
  });
});
