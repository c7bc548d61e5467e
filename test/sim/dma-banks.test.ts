import { describe, expect, it } from 'vitest';
import { l1SideBanks, l1SideTakesBank, type L1Side, type Stream } from '../../sim/cluster/dma-banks.js';
import { PULP_L1 } from '../../isa/platform/memory-map.js';
import { Random } from '../../util/random.js';

const L1 = PULP_L1.base;

/** The obvious model: walk the stream byte by byte; a word is accessed when its first byte of a row moves. */
function banksByStep(side: L1Side, stream: Stream, banks: number): Set<number>[] {
  const steps: Set<number>[] = [];
  for (let row = 0; row < stream.rows; row++) {
    let lastWord = -1;
    for (let column = 0; column < stream.length; column++) {
      const word = ((side.base + row * side.stride + column) - L1) >>> 2;
      if (word === lastWord) continue;
      lastWord = word;
      const step = Math.floor((row * stream.length + column) / stream.bandwidth);
      (steps[step] ??= new Set()).add(word % banks);
    }
  }
  return steps;
}

describe('the TCDM banks a DMA transfer takes', () => {
  it('takes bandwidth / 4 consecutive banks per cycle on a word-aligned 1D transfer', () => {
    const side = { base: L1 + 8, stride: 0 };
    const stream = { length: 64, rows: 1, bandwidth: 8 };
    const taken = (step: number) => Array.from({ length: 16 }, (_, bank) => bank).filter((bank) => l1SideTakesBank(side, stream, step, L1, 16, bank));
    expect([0, 1, 2, 7].map(taken)).toEqual([[2, 3], [4, 5], [6, 7], [0, 1]]);
  });

  it('at 2 bytes per cycle, takes each word once, every other cycle', () => {
    const side = { base: L1, stride: 0 };
    const stream = { length: 16, rows: 1, bandwidth: 2 };
    const taken = (step: number) => Array.from({ length: 16 }, (_, bank) => bank).filter((bank) => l1SideTakesBank(side, stream, step, L1, 16, bank));
    expect([0, 1, 2, 3].map(taken)).toEqual([[0], [], [1], []]);
  });

  it.each([16, 12])('agrees with a byte-by-byte walk on random 2D transfers, bank by bank and as a mask, %i banks', (banks) => {
    const random = new Random(banks);
    for (let trial = 0; trial < 300; trial++) {
      const stream = { length: 1 + random.below(40), rows: 1 + random.below(6), bandwidth: 1 + random.below(20) };
      const side = { base: L1 + random.below(256), stride: random.below(200) };
      const expected = banksByStep(side, stream, banks);
      const steps = Math.ceil((stream.length * stream.rows) / stream.bandwidth);
      for (let step = 0; step < steps; step++) {
        const taken = Array.from({ length: banks }, (_, bank) => bank).filter((bank) => l1SideTakesBank(side, stream, step, L1, banks, bank));
        expect(taken, JSON.stringify({ stream, side, step })).toEqual([...(expected[step] ?? [])].sort((a, b) => a - b));
        // The same banks as one mask (a batch window's question).
        const mask = l1SideBanks(side, stream, step, L1, banks);
        expect(Array.from({ length: banks }, (_, bank) => bank).filter((bank) => (mask & (1 << bank)) !== 0)).toEqual(taken);
      }
    }
  });
});
