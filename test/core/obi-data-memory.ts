// A data memory on a simulated unit's OBI data port (data_req/gnt, then data_rvalid/err/rdata):
// each request waits for its grant the number of cycles the delay source gives it (one draw per
// request, in order, as sim/core/delayed-bus.ts draws per transaction), is performed at its grant,
// and is answered in the next cycle (or later, by the latency source), with an error when its word
// is not mapped. It checks the
// requester's side of the protocol: a request stays up, unchanged, until granted, on a word address
// with some byte enabled.
import { expect } from 'vitest';
import type { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import type { MappedMemory } from '../../sim/core/memory.js';
import type { Random } from '../../util/random.js';

export interface Transaction {
  readonly addr: number;
  readonly we: boolean;
  readonly be: number;
  readonly wdata: number;
}

export class ObiDataMemory {
  /** Every granted transaction, in order. */
  readonly granted: Transaction[] = [];
  private waiting: { readonly transaction: Transaction; cyclesLeft: number } | undefined;
  /** Responses of granted transactions, in order, each with the cycles it still waits. */
  private readonly responses: { readonly rdata: number; readonly err: boolean; wait: number }[] = [];

  constructor(
    readonly memory: MappedMemory,
    private readonly nextDelay: () => number,
    /** Drives the data lines when they carry nothing, so that a unit reading them then shows. */
    private readonly noise: Random,
    /** Cycles a response comes later than the one after its grant (a slower memory than the TCDM). */
    private readonly extraLatency: () => number = () => 0,
  ) {}

  /** Start of a cycle: the oldest response, when its time has come. */
  respond(sim: RtlSimulator): void {
    const due = this.responses[0]?.wait === 0 ? this.responses.shift() : undefined;
    for (const r of this.responses) r.wait = Math.max(0, r.wait - 1);
    sim.poke('data_rvalid', Number(due !== undefined));
    sim.poke('data_err', Number(due?.err ?? this.noise.chance(0.5)));
    sim.poke('data_rdata', due?.rdata ?? this.noise.uint32());
  }

  /** After the unit's inputs for this cycle are set: grant its request or not. Returns the grant. */
  arbitrate(sim: RtlSimulator): Transaction | undefined {
    if (sim.peek('data_req') === 0) {
      expect(this.waiting, 'data_req dropped before its grant').toBeUndefined();
      sim.poke('data_gnt', 0);
      return undefined;
    }
    const transaction: Transaction = {
      addr: sim.peek('data_addr'), we: sim.peek('data_we') === 1, be: sim.peek('data_be'), wdata: sim.peek('data_wdata'),
    };
    expect(transaction.addr % 4, 'data_addr is a word address').toBe(0);
    expect(transaction.be, 'data_be enables a byte').not.toBe(0);
    if (this.waiting) expect(transaction, 'a waiting request is unchanged').toEqual(this.waiting.transaction);
    else this.waiting = { transaction, cyclesLeft: this.nextDelay() };
    const grant = this.waiting.cyclesLeft === 0;
    sim.poke('data_gnt', Number(grant));
    if (!grant) {
      this.waiting.cyclesLeft--;
      return undefined;
    }
    this.waiting = undefined;
    this.granted.push(transaction);
    this.responses.push({ ...this.perform(transaction), wait: this.extraLatency() });
    return transaction;
  }

  private perform({ addr, we, be, wdata }: Transaction): { rdata: number; err: boolean } {
    if (!this.memory.find(addr, 4)) return { rdata: this.noise.uint32(), err: true };
    if (!we) return { rdata: this.memory.read(addr, 4, false) >>> 0, err: false };
    for (let lane = 0; lane < 4; lane++) {
      if ((be >> lane) & 1) this.memory.write(addr + lane, 1, wdata >>> (8 * lane));
    }
    return { rdata: this.noise.uint32(), err: false };
  }
}
