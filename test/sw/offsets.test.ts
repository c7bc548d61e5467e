// The second weight layout: byte offsets and values in one stream (sw/sparse/offsets.ts).
import { describe, expect, it } from 'vitest';
import { patternName, patterns } from '../../isa/xnmsparse/gather.js';
import { OFFSET_GROUP_BYTES, packOffsets, unpackOffsets } from '../../sw/sparse/offsets.js';
import { SparsityError } from '../../sw/sparse/pack.js';
import { pruneNM } from '../../sw/sparse/prune.js';
import { Random } from '../../util/random.js';

/** A buffer with rows of 40 bytes per position, as a kernel's would be. */
const offsetOf = (position: number): number => position * 40 + 3;

describe('offset stream', () => {
  it.each(patterns.map((p) => [patternName(p), p] as const))('%s: pack and unpack round-trip, with K not a multiple of M', (_, pattern) => {
    const k = 77;
    const dense = pruneNM({ channels: 5, k, data: new Random(3).fill(new Int8Array(5 * k)) }, pattern);
    const packed = packOffsets(dense, pattern, offsetOf);
    expect(packed.bytes.length).toBe(5 * (packed.layout.nonZerosPerChannel / 4) * OFFSET_GROUP_BYTES);
    expect(unpackOffsets(packed, offsetOf)).toEqual(dense);
  });

  it('encodes the example of docs/sparse-format.md', () => {
    const data = new Int8Array(60);
    [3, 9, 22, 31, 32, 45, 50, 58].forEach((p, i) => (data[p] = i + 1));
    const { bytes } = packOffsets({ channels: 1, k: 60, data }, { n: 1, m: 8 }, (position) => position * 16);
    expect([...bytes]).toEqual([0x30, 0, 0x90, 0, 0x60, 1, 0xf0, 1, 1, 2, 3, 4, 0, 2, 0xd0, 2, 0x20, 3, 0xa0, 3, 5, 6, 7, 8]);
  });

  it('gives padding entries the offset of position 0 and refuses offsets beyond 16 bits or too many non-zeros', () => {
    const data = new Int8Array(10);
    data[9] = -7;
    const { bytes } = packOffsets({ channels: 1, k: 10, data }, { n: 1, m: 4 }, (position) => 100 + position);
    // Blocks 0..3 (K pads to 16): zero, zero, the -7 at position 9, padding.
    expect([...bytes]).toEqual([100, 0, 100, 0, 109, 0, 100, 0, 0, 0, 0xf9, 0]);
    expect(() => packOffsets({ channels: 1, k: 10, data }, { n: 1, m: 4 }, (position) => position * 10_000)).toThrow(/16 bits/);
    expect(() => packOffsets({ channels: 1, k: 4, data: Int8Array.from([1, 2, 0, 0]) }, { n: 1, m: 4 }, offsetOf)).toThrow(SparsityError);
    expect(() => unpackOffsets(packOffsets({ channels: 1, k: 4, data: new Int8Array(4) }, { n: 1, m: 4 }, offsetOf), () => 0)).toThrow(/share offset/);
  });
});
