// Traps on the ISS against the real CV32E40P (docs/iss.md#traps): programs that install a handler
// and trap by every cause the core takes must agree exactly (stop, instructions, register writes,
// every instruction's cycle), and the RTL's own trace gives the trap entry rows of the timing table.
import { describe, expect, it } from 'vitest';
import { differential, runOnRtlSummary, type DifferentialOptions } from '../../cli/differential.js';
import { RTL_STARTUP_CYCLES, type TimedRetirement } from '../../gen/cv32e40p/divergence.js';
import { readElf } from '../../isa/elf/reader.js';
import { CV32E40P_TIMING } from '../../sim/core/timing.js';
import { elfOf } from '../sim/support/engines.js';
import { RTL_PATH, skipUnlessRtl } from './rtl.js';
import { TRAP_PROGRAMS, trapProgram } from './trap-programs.js';
import { program } from '../sim/support/single-core-programs.js';

const skip = skipUnlessRtl();

const settings = (options: Partial<DifferentialOptions> = {}): DifferentialOptions => ({ rtl: RTL_PATH, maxCycles: 1_000_000, ...options });

/**
 * On the RTL, the cycles from the instruction before the first trap leaving decode to the
 * handler's first instruction leaving decode, less the one cycle that instruction takes: the trap
 * entry of the timing table.
 */
function firstEntry(retired: readonly TimedRetirement[], handler: number): number {
  const at = retired.findIndex((r) => r.pc === handler);
  return retired[at]!.cycle - retired[at - 1]!.cycle - 1;
}

describe.skipIf(skip)('traps: the ISS against the CV32E40P RTL', () => {
  it.each(TRAP_PROGRAMS)('%s', { timeout: 120_000 }, async (_, source, traps) => {
    const result = await differential(elfOf(source), settings());
    expect(result.rtl.stop).toBe(`exit ${traps}`);
    expect(result.same, `ISS and RTL differ:\n${result.report}`).toBe(true);
  });

  it.each(TRAP_PROGRAMS)('%s, under fixed data-grant delays of 1 and 2 cycles', { timeout: 120_000 }, async (_, source, traps) => {
    for (const cycles of [1, 2]) {
      const result = await differential(elfOf(source), settings({ grantDelay: { kind: 'fixed', cycles } }));
      expect(result.rtl.stop).toBe(`exit ${traps}`);
      expect(result.same, `ISS and RTL differ (grant delay ${cycles}):\n${result.report}`).toBe(true);
    }
  });

  it('takes 4 cycles from ecall, ebreak or an illegal CSR access in decode to the handler, 5 from a word the decoder rejects', async () => {
    const entry = async (body: string): Promise<number> => {
      const elf = elfOf(trapProgram(`  nop\n${body}`));
      const handler = readElf(elf).symbols.get('trap_handler')!;
      return firstEntry((await runOnRtlSummary(elf, settings())).retired, handler);
    };
    expect(await entry('  ebreak')).toBe(CV32E40P_TIMING.exceptionEntry);
    expect(await entry('  li a7, 9\n  nop\n  ecall')).toBe(CV32E40P_TIMING.exceptionEntry);
    expect(await entry('  csrw mhartid, a1')).toBe(CV32E40P_TIMING.exceptionEntry);
    expect(await entry('  .word 0xffffffff')).toBe(CV32E40P_TIMING.illegalEncodingEntry);
    expect(await entry('  .2byte 0x0000')).toBe(CV32E40P_TIMING.illegalEncodingEntry);
  });

  it('stops at the first illegal instruction with traps \'stop\', handler or not, as the ISS does', async () => {
    const elf = elfOf(trapProgram('  .word 0xffffffff'));
    const rtl = await runOnRtlSummary(elf, settings({ traps: 'stop' }));
    expect(rtl.stop).toBe('illegal-instruction');
    expect((await runOnRtlSummary(elf, settings())).stop).toBe('exit 1');
  });

  it('stops at a fault with traps \'take\' before the program writes mtvec, as the ISS (no handler at its base 0)', async () => {
    const rtl = await runOnRtlSummary(elfOf(program('  nop\n  .word 0xffffffff')), settings({ traps: 'take' }));
    expect(rtl.stop).toBe('illegal-instruction');
  });

  it('keeps the start-up constant with a handler installed', async () => {
    const result = await differential(elfOf(trapProgram('  ebreak')), settings());
    expect(result.rtl.cycles - result.iss.cycles).toBe(RTL_STARTUP_CYCLES);
  });
});
