// Drives CoreLsu as the core's pipeline would: each access enters EX after its idle cycles and
// stays there, inputs unchanged, until `ex_ready`; it then sits in WB until `wb_ready`. A fault
// reported in WB flushes the access in EX, which enters again from the start in the next cycle (as
// after the trap handler), so that the unit's side of a precise exception shows. Records what the
// unit did with each access, for the tests to compare with the instruction-set simulator.
import { expect } from 'vitest';
import type { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import type { LsuControl } from '../../hw/core/lsu-ops.js';
import type { Random } from '../../util/random.js';
import type { ObiDataMemory, Transaction } from './obi-data-memory.js';

export interface LsuAccess {
  readonly control: LsuControl;
  readonly base: number;
  readonly offset: number;
  readonly wdata: number;
  /** Idle cycles in EX before the access enters it. */
  readonly bubbles: number;
}

export interface LsuObservation {
  /** Cycles in EX, from entering (the last time, after a flush) to `ex_ready`. */
  exCycles: number;
  /** `next_base` as the access left EX. */
  nextBase: number;
  /** The transactions granted for it. */
  transactions: Transaction[];
  /** `wb_rdata` in the cycle of `wb_valid`, unsigned. */
  rdata: number | undefined;
  fault: { readonly cause: number; readonly tval: number } | undefined;
  /** Cycles in WB, until `wb_ready`. */
  wbCycles: number;
  /** Times a fault in WB flushed it from EX. */
  flushes: number;
}

/** Runs `accesses` in order through the unit in `sim` (reset first) against `memory`. */
export function driveLsu(sim: RtlSimulator, memory: ObiDataMemory, accesses: readonly LsuAccess[], noise: Random): LsuObservation[] {
  const seen: LsuObservation[] = accesses.map(() => ({
    exCycles: 0, nextBase: 0, transactions: [], rdata: undefined, fault: undefined, wbCycles: 0, flushes: 0,
  }));
  let next = 0;
  let idle = accesses[0]?.bubbles ?? 0;
  let ex: { index: number; first: boolean } | undefined;
  let wb: number | undefined;
  const cycleLimit = 100 + accesses.reduce((sum, a) => sum + a.bubbles + 40, 0);
  sim.reset();
  for (let cycle = 0; next < accesses.length || ex || wb !== undefined; cycle++) {
    if (cycle > cycleLimit) throw new Error(`the unit made no progress: access ${ex?.index ?? wb} still in flight after ${cycle} cycles`);
    memory.respond(sim);
    if (!ex && next < accesses.length) {
      if (idle > 0) idle--;
      else ex = { index: next++, first: true };
    }
    present(sim, ex && accesses[ex.index], ex?.first ?? noise.chance(0.5), noise);
    const granted = memory.arbitrate(sim);
    if (granted) seen[ex!.index]!.transactions.push(granted);

    const wbValid = sim.peek('wb_valid') === 1;
    const excValid = sim.peek('exc_valid') === 1;
    if (wb === undefined) {
      expect([wbValid, excValid], 'WB reports nothing when empty').toEqual([false, false]);
    } else {
      const o = seen[wb]!;
      o.wbCycles++;
      if (wbValid) o.rdata = sim.peek('wb_rdata');
      if (excValid) {
        o.fault = { cause: sim.peek('exc_cause'), tval: sim.peek('exc_tval') };
        expect(sim.peek('data_req'), 'no request in the cycle of a fault').toBe(0);
      }
      if (sim.peek('wb_ready') === 1) wb = undefined;
    }
    if (ex) {
      const o = seen[ex.index]!;
      o.exCycles++;
      if (excValid) {
        expect(o.transactions, 'a flushed access reached memory').toEqual([]);
        o.flushes++;
        o.exCycles = 0;
        ex.first = true;
      } else if (sim.peek('ex_ready') === 1) {
        expect(wb, 'an access leaves EX while WB still waits').toBeUndefined();
        o.nextBase = sim.peek('next_base');
        wb = ex.index;
        ex = undefined;
        idle = accesses[next]?.bubbles ?? 0;
      } else {
        ex.first = false;
      }
    }
    sim.step();
  }
  return seen;
}

/** The EX inputs: the access, or arbitrary values with ex_valid low. */
function present(sim: RtlSimulator, access: LsuAccess | undefined, first: boolean, noise: Random): void {
  const control = access?.control;
  sim.poke('ex_valid', Number(access !== undefined));
  sim.poke('ex_first', Number(first));
  sim.poke('we', Number(control?.we ?? noise.chance(0.5)));
  sim.poke('size', control?.size ?? noise.below(4));
  sim.poke('sign_ext', Number(control?.signExt ?? noise.chance(0.5)));
  sim.poke('post_increment', Number(control?.postIncrement ?? noise.chance(0.5)));
  sim.poke('base', access ? access.base >>> 0 : noise.uint32());
  sim.poke('offset', access ? access.offset >>> 0 : noise.uint32());
  sim.poke('wdata', access ? access.wdata >>> 0 : noise.uint32());
}
