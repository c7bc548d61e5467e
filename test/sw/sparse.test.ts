// The sparse format end to end: prune, pack, unpack, and the gather sequence of a 4x2 kernel block
// reproducing the dense dot products through the golden model of the extension.
import { describe, expect, it } from 'vitest';
import { executeGather, type ElementBytes, patterns, type SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { sparseLayout } from '../../sw/sparse/format.js';
import { packNM, SparsityError, unpackNM } from '../../sw/sparse/pack.js';
import { type DenseWeights, pruneNM } from '../../sw/sparse/prune.js';
import { Random } from '../../util/random.js';

function randomWeights(channels: number, k: number, bytes: ElementBytes, seed: number): DenseWeights {
  const random = new Random(seed);
  const data = random.fill(bytes === 1 ? new Int8Array(channels * k) : new Int16Array(channels * k));
  return { channels, k, data };
}

describe('layout', () => {
  it('pads K to whole groups and packs whole groups per index word', () => {
    expect(sparseLayout({ n: 1, m: 8 }, 60)).toMatchObject({ kPadded: 64, groupSpan: 32, nonZerosPerChannel: 8, fieldsPerWord: 8, indexWordsPerChannel: 1 });
    expect(sparseLayout({ n: 2, m: 4 }, 27)).toMatchObject({ kPadded: 32, groupSpan: 8, nonZerosPerChannel: 16, fieldsPerWord: 16, indexWordsPerChannel: 1 });
    expect(sparseLayout({ n: 1, m: 16 }, 576)).toMatchObject({ kPadded: 576, nonZerosPerChannel: 36, fieldsPerWord: 8, indexWordsPerChannel: 5 });
    expect(sparseLayout({ n: 1, m: 8 }, 50, 2)).toMatchObject({ groupSpan: 16, kPadded: 64, fieldsPerWord: 10 });
  });

  it('encodes the example of docs/sparse-format.md', () => {
    const data = new Int8Array(60);
    [3, 9, 22, 31, 32, 45, 50, 58].forEach((p, i) => (data[p] = i + 1));
    const packed = packNM({ channels: 1, k: 60, data }, { n: 1, m: 8 });
    expect([...packed.values]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(packed.indices[0]).toBe(0x004a8f8b);
  });
});

describe('prune and pack', () => {
  it.each(patterns.map((p) => [`${p.n}:${p.m}`, p] as const))('%s: prune keeps N per block, pack/unpack round-trips', (_, pattern) => {
    for (const bytes of [1, 2] as const) {
      const pruned = pruneNM(randomWeights(5, 77, bytes, 7), pattern);
      for (let c = 0; c < 5; c++) {
        for (let start = 0; start < 77; start += pattern.m) {
          const block = Array.from(pruned.data.subarray(c * 77 + start, c * 77 + Math.min(start + pattern.m, 77)));
          expect(block.filter((v) => v !== 0).length).toBeLessThanOrEqual(pattern.n);
        }
      }
      expect(unpackNM(packNM(pruned, pattern, bytes)).data).toEqual(pruned.data);
    }
  });

  it('keeps the largest magnitudes', () => {
    const pruned = pruneNM({ channels: 1, k: 8, data: Int8Array.from([1, -7, 3, 7, 0, 2, -2, 5]) }, { n: 2, m: 4 });
    // Block 1 ties |2| = |-2|: the lower position survives.
    expect([...pruned.data]).toEqual([0, -7, 0, 7, 0, 2, 0, 5]);
  });

  it.each(patterns.map((p) => [`${p.n}:${p.m}`, p] as const))('%s: keeps in every block the N largest magnitudes, the lower position of equals (against a sort)', (_, pattern) => {
    // Small values make ties common; k = 77 leaves a short last block.
    const random = new Random(3);
    const data = Int8Array.from({ length: 3 * 77 }, () => random.below(7) - 3);
    const pruned = pruneNM({ channels: 3, k: 77, data }, pattern);
    for (let c = 0; c < 3; c++) {
      for (let start = 0; start < 77; start += pattern.m) {
        const positions = Array.from({ length: Math.min(pattern.m, 77 - start) }, (_, j) => c * 77 + start + j);
        const kept = positions.sort((a, b) => Math.abs(data[b]!) - Math.abs(data[a]!) || a - b).slice(0, pattern.n);
        for (const i of positions) expect(pruned.data[i], `weight ${i}`).toBe(kept.includes(i) ? data[i] : 0);
      }
    }
  });

  it('names the channel and block that break the pattern', () => {
    const data = new Int8Array(16);
    data[9] = 1;
    data[10] = 1;
    expect(() => packNM({ channels: 1, k: 16, data }, { n: 1, m: 8 })).toThrow(SparsityError);
    expect(() => packNM({ channels: 1, k: 16, data }, { n: 1, m: 8 })).toThrow('channel 0, block 1 (positions 8..15) has 2 non-zeros, more than 1:8 allows');
  });
});

/** Runs the gather sequence of docs/isa-extension.md §2 over packed weights, through the golden model. */
function sparseDotProducts(pattern: SparsityPattern, bytes: ElementBytes, seed: number): void {
  const channels = 4;
  const k = 100;
  const weights = pruneNM(randomWeights(channels, k, bytes, seed), pattern);
  const packed = packNM(weights, pattern, bytes);
  const { kPadded, nonZerosPerChannel: nz, fieldsPerWord, indexWordsPerChannel: words, groupSpan } = packed.layout;
  const lanes = 4 / bytes;
  // Two im2col columns side by side in one byte memory, zero-padded to kPadded elements.
  const acts = [randomWeights(1, k, bytes, seed + 1), randomWeights(1, k, bytes, seed + 2)];
  const memory = new DataView(new ArrayBuffer(2 * kPadded * bytes));
  acts.forEach((a, p) => a.data.forEach((v, j) => (bytes === 1 ? memory.setInt8((p * kPadded + j) * bytes, v) : memory.setInt16((p * kPadded + j) * bytes, v, true))));
  const load = (address: number): number => (bytes === 1 ? memory.getUint8(address) : memory.getUint16(address, true));
  const lane = (word: number, l: number): number => (bytes === 1 ? (word << (24 - 8 * l)) >> 24 : (word << (16 - 16 * l)) >> 16);

  for (let c = 0; c < channels; c++) {
    const acc = [0, 0];
    let index = 0;
    for (let g = 0; g < nz / lanes; g++) {
      if ((g * lanes) % fieldsPerWord === 0) index = packed.indices[c * words + (g * lanes) / fieldsPerWord]!;
      const base = [0, kPadded * bytes].map((column) => column + g * groupSpan * bytes);
      const gathered = [0, 0];
      for (let l = 0; l < lanes; l++) {
        for (const p of [0, 1]) {
          const insn = { rd: 10 + p, rs1: 12 + p, rs2: 5, pattern, elementBytes: bytes, lane: l, consume: p === 1 };
          const out = executeGather(insn, { rs1: base[p]!, rs2: index, rd: gathered[p]! }, load);
          if (out.kind !== 'ok') throw new Error(`unexpected ${out.kind}`);
          gathered[p] = out.rd;
          index = out.rs2;
        }
      }
      for (const p of [0, 1]) for (let l = 0; l < lanes; l++) acc[p]! += packed.values[c * nz + g * lanes + l]! * lane(gathered[p]!, l);
    }
    for (const p of [0, 1]) {
      let dense = 0;
      for (let j = 0; j < k; j++) dense += weights.data[c * k + j]! * acts[p]!.data[j]!;
      expect(acc[p], `channel ${c} pixel ${p}`).toBe(dense);
    }
  }
}

describe('gather sequence of a 4-channel x 2-pixel block', () => {
  it.each(patterns.map((p) => [`${p.n}:${p.m}`, p] as const))('%s reproduces the dense dot products (int8 and int16)', (_, pattern) => {
    sparseDotProducts(pattern, 1, 11);
    sparseDotProducts(pattern, 2, 12);
  });
});
