import { describe, expect, it } from 'vitest';
import { Tcdm } from '../../sim/cluster/tcdm.js';
import { Random } from '../../util/random.js';
import { PULP_L1 } from '../../isa/platform/memory-map.js';

const L1 = PULP_L1.base;

/** The obvious model: every bank's set of reserved cycles, searched one cycle at a time. */
class ReferenceBanks {
  private readonly reserved = new Map<number, Set<number>>();

  constructor(private readonly banks: number) {}

  grant(addr: number, cycle: number): number {
    const bank = ((addr - L1) >>> 2) % this.banks;
    const taken = this.reserved.get(bank) ?? new Set<number>();
    this.reserved.set(bank, taken);
    let grant = cycle;
    while (taken.has(grant)) grant++;
    taken.add(grant);
    return grant - cycle;
  }
}

describe('TCDM bank arbitration', () => {
  it('serves one access per bank and cycle, in request order', () => {
    const tcdm = new Tcdm(L1, 16);
    expect([0, 0, 0].map(() => tcdm.access(L1, 10))).toEqual([0, 1, 2]);
    expect(tcdm.access(L1 + 4, 10)).toBe(0);
    // The bank is busy until cycle 12: a request in cycle 11 waits for 13.
    expect(tcdm.access(L1, 11)).toBe(2);
    expect(tcdm.access(L1 + 64, 20)).toBe(0); // bank 0 again, long after
  });

  it('lets an earlier request use a bank before a later transaction reserved in it', () => {
    const tcdm = new Tcdm(L1, 16);
    expect(tcdm.access(L1, 5)).toBe(0);
    expect(tcdm.accessLater(L1 + 4, 6)).toBe(0); // bank 1, cycle 6
    expect(tcdm.access(L1 + 4, 5)).toBe(0); // bank 1 is free in cycle 5
    expect(tcdm.access(L1 + 4, 5)).toBe(2); // cycle 6 is taken: 7
  });

  it('keeps reservations up to 64 cycles ahead, across both words of its window', () => {
    const tcdm = new Tcdm(L1, 16);
    const reference = new ReferenceBanks(16);
    for (const [cycle, count] of [[100, 25], [101, 5], [140, 20], [170, 1], [300, 3]] as const) {
      for (let i = 0; i < count; i++) {
        expect(tcdm.access(L1, cycle)).toBe(reference.grant(L1, cycle));
        expect(tcdm.accessLater(L1, cycle + 2)).toBe(reference.grant(L1, cycle + 2));
      }
    }
    expect(() => {
      for (let i = 0; i < 70; i++) tcdm.access(L1 + 4, 400);
    }).toThrow(/no free cycle within 64 cycles/);
  });

  it.each([16, 12])('grants what the obvious model grants, %i banks, 16 cores of random traffic', (banks) => {
    const random = new Random(banks);
    const tcdm = new Tcdm(L1, banks);
    const reference = new ReferenceBanks(banks);
    // As in the cluster: a core issues its next access after the last one was granted, and the
    // cores' issue cycles are visited in order.
    const nextIssue = Array.from({ length: 16 }, () => random.below(4));
    let longestWait = 0;
    for (let i = 0; i < 20_000; i++) {
      const cycle = Math.min(...nextIssue);
      const core = nextIssue.indexOf(cycle);
      // Mostly two hot banks, so that waits grow long and reservations reach far ahead.
      const addr = L1 + 4 * random.below(random.chance(0.7) ? 2 : banks * 4);
      const wait = tcdm.access(addr, cycle);
      expect(wait).toBe(reference.grant(addr, cycle));
      longestWait = Math.max(longestWait, wait);
      let granted = cycle + wait;
      if (random.chance(0.3)) {
        const later = granted + 1;
        const secondWait = tcdm.accessLater(addr + 4, later);
        expect(secondWait).toBe(reference.grant(addr + 4, later));
        granted = later + secondWait;
      }
      nextIssue[core] = granted + 1 + random.below(random.chance(0.05) ? 100 : 3);
    }
    // The hot banks made cores queue.
    expect(longestWait).toBeGreaterThan(8);
  });
});
