/**
 * Grant delays on a core's data port (TCDM contention, a slow slave), shared by the ISS
 * (sim/core/delayed-bus.ts) and the CV32E40P testbench (gen/rtl-harness/driver-support.ts), which
 * must delay the same transaction by the same number of cycles. The convention
 * (docs/cv32e40p.md#checking-against-the-rtl): one draw of the project's generator
 * (util/random.ts, sfc32 seeded through splitmix32) per data-port request in program order, a
 * split misaligned access being two requests; the delay is `below(max + 1)`, i.e.
 * floor(draw * (max + 1) / 2^32). Instruction fetches are never delayed.
 */
import { Random } from '../../util/random.js';

/** When the data port grants a request: after a fixed number of cycles, or a seeded random 0..max. */
export type GrantDelay = { readonly kind: 'fixed'; readonly cycles: number } | { readonly kind: 'random'; readonly seed: number; readonly max: number };

/** The delay of each successive data-port request under `delay`. */
export function grantDelays(delay: GrantDelay): () => number {
  if (delay.kind === 'fixed') return () => delay.cycles;
  const random = new Random(delay.seed);
  return () => random.below(delay.max + 1);
}
