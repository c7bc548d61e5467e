// Running an ELF program on the real CV32E40P: the Verilator model of the user's checkout
// (gen/cv32e40p/build.ts) with the project's memory map conventions (the stack pointer a program
// that sets none gets, the tohost mailbox), run and read back through the shared driver protocol
// (gen/rtl-harness/driver-protocol.ts).
import type { TrapPolicy } from '../../isa/fault.js';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { runDriver } from '../rtl-harness/driver-protocol.js';
import type { RtlInput, RtlRunResult } from '../rtl-harness/run-result.js';
import { buildRtlModel } from './build.js';
import { RTL_STARTUP_CYCLES } from './divergence.js';

export interface RtlRunOptions {
  /** The CV32E40P checkout (upstream layout, or the flat copy of ../shared/cv32e40p). */
  readonly rtl: string;
  /** Cycle limit, 0 for none. */
  readonly maxCycles: number;
  /** Data-port grant delay; none unless given. */
  readonly grantDelay?: GrantDelay;
  /** Record every retirement and register write (slower for long programs). */
  readonly trace?: boolean;
  /** Bytes placed in memory before the run, besides the program (e.g. a kernel's inputs). */
  readonly inputs?: readonly RtlInput[];
  /** What exceptions do, as the ISS's option (docs/iss.md#traps): 'auto' unless given. */
  readonly traps?: TrapPolicy;
}

/** Run the ELF executable `elf` on the CV32E40P RTL at `options.rtl`, building its model first if needed. */
export async function runOnRtl(elf: Uint8Array, options: RtlRunOptions): Promise<RtlRunResult> {
  const { executable } = await buildRtlModel(options.rtl);
  // mcycle starts below zero by the start-up cycles, so a program reads the ISS's counts.
  const { result } = await runDriver(executable, 'CV32E40P', elf, { ...options, mcycleStart: -RTL_STARTUP_CYCLES, traps: options.traps ?? 'auto' });
  return result;
}
