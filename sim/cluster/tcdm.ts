/**
 * TCDM bank arbitration. Each bank serves one access per cycle; a request finds the bank's next
 * free cycle and waits until then. Cores issuing in the same cycle are visited in round-robin
 * order (the cluster rotates the first core every cycle), so the waits fall on each core in turn.
 */
import type { Addr, Cycles } from '../isa/types';

export class Tcdm {
  private readonly nextFree: Float64Array;

  constructor(
    readonly base: Addr,
    readonly banks: number,
  ) {
    this.nextFree = new Float64Array(banks);
  }

  bankOf(addr: Addr): number {
    return ((addr - this.base) >>> 2) % this.banks;
  }

  /** Grant an access issued at `cycle`; returns how many cycles it waited. */
  access(addr: Addr, cycle: Cycles): Cycles {
    const bank = this.bankOf(addr);
    const grant = Math.max(cycle, this.nextFree[bank]!);
    this.nextFree[bank] = grant + 1;
    return grant - cycle;
  }
}
