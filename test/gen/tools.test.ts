// Locating external tools and the CI policy for missing ones, against a private PATH.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTool, ToolMissingError } from '../../gen/tools.js';
import { skipUnlessTools } from '../support/tools.js';

describe('external tools', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nmsparse-tools-'));
    await writeFile(join(dir, 'fake-sim'), '#!/bin/sh\n');
    await chmod(join(dir, 'fake-sim'), 0o755);
    await writeFile(join(dir, 'not-executable'), '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds executables on PATH and only those', () => {
    const env = { PATH: dir };
    expect(findTool('fake-sim', env)).toBe(join(dir, 'fake-sim'));
    expect(findTool('not-executable', env)).toBeUndefined();
    expect(findTool('iverilog', env)).toBeUndefined();
  });

  it('runs a test when every tool is present', () => {
    expect(skipUnlessTools(['fake-sim'], { PATH: dir, CI: 'true' })).toBe(false);
  });

  it('skips outside CI, naming the missing tools and how to install them', () => {
    expect(skipUnlessTools(['fake-sim', 'iverilog', 'vvp'], { PATH: dir })).toBe(
      'iverilog, vvp not found on PATH (install with: apt-get install -y iverilog)',
    );
  });

  it('fails under CI=true instead of skipping', () => {
    expect(() => skipUnlessTools(['verilator'], { PATH: dir, CI: 'true' })).toThrow(
      'CI=true requires every external tool: verilator not found on PATH (install with: apt-get install -y verilator)',
    );
  });

  it('names the tool when a run needs one that is missing', () => {
    expect(new ToolMissingError(['vvp']).message).toBe('vvp not found on PATH (install with: apt-get install -y iverilog)');
  });
});
