// Each synthesis test file gets an empty cache, so Yosys really runs (and the cache is exercised).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function useTemporaryCache(): void {
  let dir = '';
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.NMSPARSE_CACHE_DIR;
    dir = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-cache-'));
    process.env.NMSPARSE_CACHE_DIR = dir;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.NMSPARSE_CACHE_DIR;
    else process.env.NMSPARSE_CACHE_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  });
}
