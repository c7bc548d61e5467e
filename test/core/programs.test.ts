// The project's core against the ISS on whole programs: every hand-written single-core program of
// the engine tests, one program per row of the CV32E40P timing table and one per difference found
// against the real RTL, the trap programs (a handler records every trap) and the performance
// counter's (every event of mhpmcounter3), under single-cycle memory and under data-port grant delays.
import { describe, it } from 'vitest';
import { writeElf } from '../../isa/elf/writer.js';
import { assemble } from '../../sw/asm/assembler.js';
import { TIMING_INDEPENDENT_PROGRAMS } from '../sim/support/single-core-programs.js';
import { KNOWN_DIFFERENCE_PROGRAMS, TIMING_ROW_PROGRAMS } from '../cv32e40p/timing-programs.js';
import { TRAP_PROGRAMS } from '../cv32e40p/trap-programs.js';
import { HPM_ECALL_PROGRAMS, HPM_PROGRAMS } from '../cv32e40p/hpm-programs.js';
import { expectLockstep } from './support.js';

const PROGRAMS = [
  ...TIMING_INDEPENDENT_PROGRAMS, ...TIMING_ROW_PROGRAMS, ...KNOWN_DIFFERENCE_PROGRAMS,
  // The write ecall is not served by the core's harness yet (gen/core/run.ts stops at it).
  ...TRAP_PROGRAMS.filter(([name]) => !name.includes('write')).map(([name, source]) => [`traps: ${name}`, source] as const),
  ...HPM_PROGRAMS.map(([name, source]) => [`mhpmcounter3: ${name}`, source] as const),
  ...HPM_ECALL_PROGRAMS.map(([name, source]) => [`mhpmcounter3 ${name}`, source] as const),
];
const elfOf = (source: string, name: string): Uint8Array => writeElf(assemble(source, { file: `${name}.S` }));

describe('the core against the ISS', () => {
  for (const [name, source] of PROGRAMS) {
    it(name, () => expectLockstep(elfOf(source, 'program'), {}, name));
  }

  it('under fixed and random data-grant delays', { timeout: 120_000 }, () => {
    for (const [name, source] of PROGRAMS) {
      for (const grantDelay of [{ kind: 'fixed', cycles: 2 }, { kind: 'random', seed: 3, max: 3 }] as const) {
        expectLockstep(elfOf(source, 'program'), { grantDelay }, `${name}, ${JSON.stringify(grantDelay)}`);
      }
    }
  });
});
