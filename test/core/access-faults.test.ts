// Loads, stores and jumps outside the program's memory map (docs/iss.md#traps, gen/rtl-harness/
// bus-map.ts): the core's testbenches answer them with bus errors, on which the core raises the
// ISS's access faults (fetch 1, load 5, store 7). With a handler (test/cv32e40p/trap-programs.ts:
// it records mcause, mepc, mtval, mstatus and returns) the ISS, the core's HDL simulation and its
// Verilog under Verilator must agree in stop, instructions, register writes and final registers,
// and in cycles, under grant delays too (the fault waits for the grants of the transactions the
// core sends: TimingModel.trap); without a handler the run stops at the fault on all three.
import { describe, expect, it } from 'vitest';
import { coreDifferential, rtlSummary, runOnIss } from '../../cli/differential.js';
import { CORE_STARTUP_CYCLES, runOnCore, type CoreRunOptions } from '../../gen/core/run.js';
import { runOnCoreVerilator } from '../../gen/core/verilator.js';
import type { RtlRunResult } from '../../gen/rtl-harness/run-result.js';
import { writeElf } from '../../isa/elf/writer.js';
import { TRAP_CAUSE } from '../../isa/fault.js';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { CLINT_BASE, PULP_L1, PULP_L2, regionEnd } from '../../isa/platform/memory-map.js';
import { assemble } from '../../sw/asm/assembler.js';
import { program } from '../sim/support/single-core-programs.js';
import { trapProgram } from '../cv32e40p/trap-programs.js';
import { skipUnlessTools } from '../support/tools.js';
import { expectLockstep, issLikeCore } from './support.js';

const UNMAPPED = 0x4000_0000;
const L2_END = regionEnd(PULP_L2);
const L1_END = regionEnd(PULP_L1);
/** Loads the first two records (mcause, mepc - _start, mtval, mstatus each) into registers, which the comparison checks. */
const READ_RECORDS = `
  la a4, records
  lw a5, 0(a4)
  lw a6, 4(a4)
  lw a7, 16(a4)
  lw t5, 20(a4)`;

/** Programs with a handler: each traps and goes on. */
const TAKEN: readonly (readonly [string, string])[] = [
  ['loads outside the map: unmapped space, address 0 (the testbench handler\'s), past L1', `
  li a1, ${UNMAPPED}
  lw a2, 0(a1)
  lbu a3, 3(zero)
  li a1, ${L1_END}
  lh a2, 0(a1)
  lw a3, -4(a1)${READ_RECORDS}`],
  ['stores outside the map write nothing', `
  li a1, ${UNMAPPED}
  li a2, 0x1234
  sw a2, 0(a1)
  sb a2, 5(a1)
  lw a3, 0(a1)${READ_RECORDS}`],
  ['split loads whose second word is past the end of L2', `
  li a1, ${L2_END}
  lw a2, -2(a1)
  lhu a3, -1(a1)
  lw a3, -4(a1)${READ_RECORDS}`],
  ['split stores whose second word is past the end of L2 write neither half', `
  li a1, ${L2_END}
  li a2, 0x11223344
  sw a2, -4(a1)
  li a3, -1
  sw a3, -2(a1)
  sh a3, -1(a1)
  lw t6, -4(a1)${READ_RECORDS}`],
  ['a split load whose first word is below L2', `
  li a1, ${PULP_L2.base}
  lw a2, -2(a1)
  lw a3, 0(a1)${READ_RECORDS}`],
  ['jumps outside the map and into the CLINT (data only)', `
  la s2, 1f
  li a1, ${UNMAPPED}
  jalr ra, 0(a1)
1:
  la s2, 2f
  li a1, ${CLINT_BASE}
  jr a1
2:${READ_RECORDS}`],
];

/** Programs without a handler: the run stops at the fault, with its cause. */
const STOPPED: readonly (readonly [string, string, number])[] = [
  ['a load outside the map', `  li a1, ${UNMAPPED}\n  lw a2, 0(a1)`, TRAP_CAUSE.loadAccessFault],
  ['a split store past the end of L2', `  li a1, ${L2_END}\n  sw a1, -2(a1)`, TRAP_CAUSE.storeAccessFault],
  ['a jump outside the map', `  li a1, ${UNMAPPED}\n  jr a1`, TRAP_CAUSE.instructionAccessFault],
];

const GRANT_DELAYS: readonly (GrantDelay | undefined)[] = [undefined, { kind: 'fixed', cycles: 2 }, { kind: 'random', seed: 3, max: 3 }];
const elfOf = (source: string): Uint8Array => writeElf(assemble(source, { file: 'access-fault.S' }));
const settings = (grantDelay?: GrantDelay): CoreRunOptions => ({ extension: false, maxCycles: 100_000, trace: true, ...(grantDelay ? { grantDelay } : {}) });

/** A run without a handler stops at the fault: the ISS with its error, the core at the same instruction with the same cause. */
function expectStopAtFault(elf: Uint8Array, core: RtlRunResult, cause: number): void {
  const iss = runOnIss(elf, { maxCycles: 100_000, ...issLikeCore(false) });
  // The ISS's MemoryAccessError under the RTL testbenches' name (cli/differential.ts).
  expect(iss.stop).toBe('access-fault');
  const faulting = core.stop.kind === 'access-fault' ? core.stop : undefined;
  expect(faulting).toMatchObject({ cause });
  expect(core.instret).toBe(iss.instret);
  // The cycles before the faulting instruction, as the ISS counts a fault (less the core's start-up).
  expect(core.cycles - CORE_STARTUP_CYCLES).toBe(iss.cycles);
  expect(rtlSummary(core).retired.map((r) => r.pc)).toEqual(iss.retired.map((r) => r.pc));
  expect(core.regs.map((r) => r >>> 0)).toEqual(iss.regs?.map((r) => r >>> 0));
}

describe('accesses outside the memory map, on the HDL simulation of the core', () => {
  for (const [name, body] of TAKEN) {
    it(`${name}: taken as the ISS takes them, under grant delays too`, () => {
      const elf = elfOf(trapProgram(body));
      for (const grantDelay of GRANT_DELAYS) expectLockstep(elf, grantDelay ? { grantDelay } : {}, `${name}, ${JSON.stringify(grantDelay)}`);
    });
  }
  for (const [name, body, cause] of STOPPED) {
    it(`${name}: stops the run without a handler`, () => {
      const elf = elfOf(program(body));
      expectStopAtFault(elf, runOnCore(elf, settings()), cause);
    });
  }
});

describe.skipIf(skipUnlessTools(['verilator']))('accesses outside the memory map, on the core\'s Verilog under Verilator', () => {
  for (const [name, body] of TAKEN) {
    it(`${name}: as the ISS and the HDL simulation, under grant delays too`, { timeout: 600_000 }, async () => {
      const elf = elfOf(trapProgram(body));
      for (const grantDelay of GRANT_DELAYS) {
        const verilator = await runOnCoreVerilator(elf, settings(grantDelay));
        expect(verilator, JSON.stringify(grantDelay)).toEqual(runOnCore(elf, settings(grantDelay)));
      }
      const result = await coreDifferential(elf, { engine: 'verilator', extension: false, maxCycles: 100_000 });
      expect(result.same, result.report).toBe(true);
    });
  }
  for (const [name, body, cause] of STOPPED) {
    it(`${name}: stops the run without a handler`, { timeout: 600_000 }, async () => {
      const elf = elfOf(program(body));
      expectStopAtFault(elf, await runOnCoreVerilator(elf, settings()), cause);
    });
  }
});
