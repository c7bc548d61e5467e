import { describe, expect, it } from 'vitest';
import { Tcdm, type BankOccupant } from '../../sim/cluster/tcdm.js';
import { Random } from '../../util/random.js';
import { PULP_L1 } from '../../isa/platform/memory-map.js';

const L1 = PULP_L1.base;
const L1_SIZE = PULP_L1.size;

/**
 * The obvious model: every bank's set of reserved cycles, searched one cycle at a time, skipping
 * the cycles an occupant (the DMA) takes; `dmaWait` is the share of the last wait it caused.
 */
class ReferenceBanks {
  private readonly reservedCycles = new Map<number, Set<number>>();
  dmaWait = 0;

  constructor(
    private readonly banks: number,
    private readonly occupied: (bank: number, cycle: number) => boolean = () => false,
  ) {}

  reserved(bank: number, cycle: number): boolean {
    return this.reservedCycles.get(bank)?.has(cycle) ?? false;
  }

  grant(addr: number, cycle: number): number {
    const bank = ((addr - L1) >>> 2) % this.banks;
    const taken = this.reservedCycles.get(bank) ?? new Set<number>();
    this.reservedCycles.set(bank, taken);
    let grant = cycle;
    this.dmaWait = 0;
    for (;;) {
      if (this.occupied(bank, grant)) this.dmaWait++;
      else if (!taken.has(grant)) break;
      grant++;
    }
    taken.add(grant);
    return grant - cycle;
  }
}

/** An occupant taking bank `bank` in every cycle of [from, until) and every other bank in the cycles divisible by 3. */
function testOccupant(bank: number, from: number, until: number): BankOccupant & { takes: (bank: number, cycle: number) => boolean } {
  const takes = (b: number, cycle: number): boolean => cycle >= from && cycle < until && (b === bank || cycle % 3 === 0);
  const banksAt = (cycle: number): number => {
    let banks = 0;
    for (let b = 0; b < 32; b++) if (takes(b, cycle)) banks |= 1 << b;
    return banks;
  };
  return { busyFrom: from, busyUntil: until, occupies: takes, banksAt, takes, schedule: 0 };
}

describe('TCDM bank arbitration', () => {
  it('serves one access per bank and cycle, in request order', () => {
    const tcdm = new Tcdm(L1, L1_SIZE, 16);
    expect([0, 0, 0].map(() => tcdm.access(L1, 10))).toEqual([0, 1, 2]);
    expect(tcdm.access(L1 + 4, 10)).toBe(0);
    // The bank is busy until cycle 12: a request in cycle 11 waits for 13.
    expect(tcdm.access(L1, 11)).toBe(2);
    expect(tcdm.access(L1 + 64, 20)).toBe(0); // bank 0 again, long after
  });

  it('lets an earlier request use a bank before a later transaction reserved in it', () => {
    const tcdm = new Tcdm(L1, L1_SIZE, 16);
    expect(tcdm.access(L1, 5)).toBe(0);
    expect(tcdm.accessLater(L1 + 4, 6)).toBe(0); // bank 1, cycle 6
    expect(tcdm.access(L1 + 4, 5)).toBe(0); // bank 1 is free in cycle 5
    expect(tcdm.access(L1 + 4, 5)).toBe(2); // cycle 6 is taken: 7
  });

  it('keeps reservations 64 cycles ahead in its window, and further ones apart', () => {
    const tcdm = new Tcdm(L1, L1_SIZE, 16);
    const reference = new ReferenceBanks(16);
    for (const [cycle, count] of [[100, 25], [101, 5], [140, 20], [170, 1], [300, 3]] as const) {
      for (let i = 0; i < count; i++) {
        expect(tcdm.access(L1, cycle)).toBe(reference.grant(L1, cycle));
        expect(tcdm.accessLater(L1, cycle + 2)).toBe(reference.grant(L1, cycle + 2));
      }
    }
    // Past the 64-cycle window: granted in order all the same, and still known when the window moves on.
    for (let i = 0; i < 70; i++) expect(tcdm.access(L1 + 4, 400)).toBe(reference.grant(L1 + 4, 400));
    for (let i = 0; i < 10; i++) expect(tcdm.access(L1 + 4, 430)).toBe(reference.grant(L1 + 4, 430));
  });

  it('gives the DMA its banks first, and counts the cycles it took apart', () => {
    // Bank 0 is the DMA's in cycles 10..19, every bank in cycles 12 and 15 and 18.
    const occupant = testOccupant(0, 10, 20);
    const tcdm = new Tcdm(L1, L1_SIZE, 16, occupant);
    expect(tcdm.access(L1, 9)).toBe(0);
    expect(tcdm.access(L1, 10)).toBe(10); // cycle 20
    expect(tcdm.lastDmaWait).toBe(10);
    expect(tcdm.access(L1, 10)).toBe(11); // 20 is taken by the core before: 21, after 10 DMA cycles
    expect(tcdm.lastDmaWait).toBe(10);
    expect(tcdm.access(L1 + 4, 12)).toBe(1); // bank 1 is the DMA's in cycle 12 only
    expect(tcdm.lastDmaWait).toBe(1);
    expect(tcdm.access(L1 + 4, 13)).toBe(1); // the core before has cycle 13: a wait the DMA did not cause
    expect(tcdm.lastDmaWait).toBe(0);
  });

  it.each([16, 12])('grants what the obvious model grants with the DMA in the banks, %i banks', (banks) => {
    const random = new Random(100 + banks);
    // A transfer that keeps bank 3 for 300 cycles: waits beyond the 64-cycle window.
    const occupant = testOccupant(3, 50, 350);
    const tcdm = new Tcdm(L1, L1_SIZE, banks, occupant);
    const reference = new ReferenceBanks(banks, occupant.takes);
    const nextIssue = Array.from({ length: 8 }, () => random.below(4));
    let longestWait = 0;
    for (let i = 0; i < 5_000; i++) {
      const cycle = Math.min(...nextIssue);
      const core = nextIssue.indexOf(cycle);
      const addr = L1 + 4 * random.below(random.chance(0.5) ? 4 : banks * 4);
      const wait = tcdm.access(addr, cycle);
      expect([wait, tcdm.lastDmaWait]).toEqual([reference.grant(addr, cycle), reference.dmaWait]);
      longestWait = Math.max(longestWait, wait);
      let granted = cycle + wait;
      if (random.chance(0.3)) {
        const later = granted + 1;
        const secondWait = tcdm.accessLater(addr + 4, later);
        expect([secondWait, tcdm.lastDmaWait]).toEqual([reference.grant(addr + 4, later), reference.dmaWait]);
        granted = later + secondWait;
      }
      nextIssue[core] = granted + 1 + random.below(3);
    }
    expect(longestWait).toBeGreaterThan(64);
  });

  it.each([16, 12])('tells its reservations from the cycle of the latest request on, as a batch window asks (%i banks)', (banks) => {
    const random = new Random(7 + banks);
    const tcdm = new Tcdm(L1, L1_SIZE, banks);
    const reference = new ReferenceBanks(banks);
    const nextIssue = Array.from({ length: 8 }, () => random.below(4));
    const cycles = 40;
    let told = 0;
    let reservedSeen = 0;
    for (let i = 0; i < 3_000; i++) {
      const cycle = Math.min(...nextIssue);
      const core = nextIssue.indexOf(cycle);
      const addr = L1 + 4 * random.below(random.chance(0.6) ? 3 : banks * 4);
      nextIssue[core] = cycle + tcdm.access(addr, cycle) + 1 + random.below(3);
      reference.grant(addr, cycle);
      const taken = new Int32Array(cycles);
      if (!tcdm.reservedFrom(cycle, cycles, taken)) continue;
      told++;
      for (let k = 0; k < cycles; k++) {
        for (let bank = 0; bank < banks; bank++) {
          const reserved = reference.reserved(bank, cycle + k);
          if (reserved) reservedSeen++;
          expect((taken[k]! & (1 << bank)) !== 0, `bank ${bank}, cycle ${cycle + k}`).toBe(reserved);
        }
      }
    }
    expect(told).toBeGreaterThan(2_000);
    expect(reservedSeen).toBeGreaterThan(10_000);
  });

  it('asks the DMA again about a cycle once its schedule changed (a transfer queued or completed)', () => {
    // Bank 1 is taken in cycle 10; then the schedule changes and bank 3 is taken instead.
    let taken = 1 << 1;
    const banksAt = (cycle: number): number => (cycle === 10 ? taken : 0);
    const occupant = { busyFrom: 0, busyUntil: 100, schedule: 0, banksAt, occupies: (bank: number, cycle: number) => ((banksAt(cycle) >>> bank) & 1) !== 0 };
    const tcdm = new Tcdm(L1, L1_SIZE, 16, occupant);
    expect(tcdm.access(L1 + 2 * 4, 10)).toBe(0);
    expect(tcdm.dmaBanks(10)).toBe(1 << 1);
    taken = 1 << 3;
    occupant.schedule++;
    expect(tcdm.dmaBanks(10)).toBe(1 << 3);
    expect(tcdm.access(L1 + 3 * 4, 10)).toBe(1);
    expect(tcdm.lastDmaWait).toBe(1);
  });

  it('tells whether the DMA may take a bank in a span of cycles', () => {
    const tcdm = new Tcdm(L1, L1_SIZE, 16, testOccupant(0, 10, 20));
    expect([tcdm.dmaBusy(0, 10), tcdm.dmaBusy(0, 11), tcdm.dmaBusy(19, 30), tcdm.dmaBusy(20, 30)]).toEqual([false, true, true, false]);
    expect(new Tcdm(L1, L1_SIZE, 16).dmaBusy(0, 1_000)).toBe(false);
  });

  it.each([16, 12])('grants what the obvious model grants, %i banks, 16 cores of random traffic', (banks) => {
    const random = new Random(banks);
    const tcdm = new Tcdm(L1, L1_SIZE, banks);
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
