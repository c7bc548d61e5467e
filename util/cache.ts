// Results kept on disk (synthesis reports, built simulators, trained models) under a hash of
// everything that determines them (for synthesis: Verilog, script, library, Yosys version), so a
// repeated run is instant. Entries are written atomically; a damaged entry is ignored and recomputed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

export function cacheDir(): string {
  return process.env.NMSPARSE_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'nmsparse');
}

export function cacheKey(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(`${p.length}:`).update(p);
  return hash.digest('hex');
}

export function readCache<T>(kind: string, key: string): T | null {
  try {
    return JSON.parse(readFileSync(path.join(cacheDir(), kind, `${key}.json`), 'utf8')) as T;
  } catch {
    return null;
  }
}

export function writeCache(kind: string, key: string, value: unknown): void {
  writeFileAtomic(path.join(cacheDir(), kind, `${key}.json`), JSON.stringify(value));
}
