// The core's `--stats` rows (gen/core/stall-stats.ts, counted from its signals) against the ISS's
// statistics, row by row, on the programs of programs.test.ts without and with grant delays: the
// same events must be charged to the same rows, not only add up to the same cycles.
import { describe, expect, it } from 'vitest';
import { runOnCore } from '../../gen/core/run.js';
import type { StallRow } from '../../gen/core/stall-stats.js';
import { readElf } from '../../isa/elf/reader.js';
import { writeElf } from '../../isa/elf/writer.js';
import { singleCoreMemoryMap } from '../../isa/platform/memory-map.js';
import { loadProgram } from '../../sim/program.js';
import { assemble } from '../../sw/asm/assembler.js';
import { GRANT_DELAYS, PROGRAMS } from './core-programs.js';

describe("the core's stall counts against the ISS's statistics", () => {
  it.each(PROGRAMS)('%s', { timeout: 120_000 }, (name, source) => {
    const elf = writeElf(assemble(source, { file: 'program.S' }));
    for (const grantDelay of GRANT_DELAYS) {
      const { hart } = loadProgram(elf, { memoryMap: singleCoreMemoryMap(readElf(elf).entry), ...(grantDelay ? { grantDelay } : {}) });
      hart.run(10_000_000);
      const s = hart.stats;
      const iss: Record<StallRow, number> = {
        'load-use stalls': s.loadUseStalls,
        'branch penalty': s.branchPenalty,
        'jump penalty': s.jumpPenalty + s.jalrStalls,
        'mulh/div extra': s.multiCycle,
        misaligned: s.splitAccessStalls,
        'csr/fence flush': s.csrFlushStalls + s.fenceStalls,
        'memory wait': s.memoryWait,
        other: 0,
      };
      const core = runOnCore(elf, { extension: false, maxCycles: 10_000_000, ...(grantDelay ? { grantDelay } : {}) });
      expect(core.stalls, `${name}, ${JSON.stringify(grantDelay)}`).toEqual(iss);
    }
  });
});
