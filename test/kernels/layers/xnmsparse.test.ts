// The Xnmsparse revision-2 layer kernel (nm.mac4, nm.mul4; sums in x28..x31), bit-exact against the golden model on
// the software sparse kernel's awkward shapes (its buffer, split and stream are shared) plus the
// kernel's own edges, every pattern, 1 and 8 cores; its loop, its bound and the bench layers.
import { describe, expect, it } from 'vitest';
import { patternName, patterns, type SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import { benchLayer } from '../../../sw/kernels/bench/cases.js';
import { layerProgram } from '../../../sw/kernels/layers/program.js';
import { xnmsparseGenerator } from '../../../sw/kernels/layers/xnmsparse.js';
import { randomLayerData } from '../../../sw/layers/data.js';
import type { LayerSpec } from '../../../sw/layers/spec.js';
import { AMPLE_SCRATCH, expectBitExact, SPARSE_KERNEL_SHAPES, testLayer } from './support.js';


const SHAPES: readonly LayerSpec[] = [
  ...SPARSE_KERNEL_SHAPES,
  // A 1x1 input: one pixel in lane 0 of the first word, the other lanes' windows all padding.
  testLayer('conv-1-pixel-signed', { inH: 1, inW: 1, inC: 5, outC: 2, inputSigned: true, output: 'int8', relu: false }),
];

const run = (spec: LayerSpec, pattern: SparsityPattern, cores: number, seed: number) => expectBitExact(spec, 'xnmsparse', pattern, cores, seed, 'interpreted');

/** The instruction lines of a program, labels and comments dropped. */
const instructions = (source: string): string[] =>
  source
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '' && !line.endsWith(':'));

describe('xnmsparse layer kernel (revision 2)', () => {
  for (const pattern of patterns) {
    it.each(SHAPES.map((spec) => [spec.name, spec] as const))(`${patternName(pattern)} %s, 1 and 8 cores, bit-exact`, (_, spec) => {
      for (const cores of [1, 8]) run(spec, pattern, cores, 21);
    });
  }

  it('runs a long stream\'s middle chunks in pairs in hardware loop 0, the first, an odd middle one and the last outside it', () => {
    // 1:4 of K = 2800: 175 groups per channel, 35 chunks of 5: the first, 33 middle ones (16 pairs and one), the last.
    const spec = testLayer('matmul-long-stream', { kind: 'matmul', inH: 5, inW: 1, inC: 2800, outC: 2, kH: 1, kW: 1, pad: { top: 0, bottom: 0, left: 0, right: 0 } });
    const { program } = run(spec, { n: 1, m: 4 }, 1, 4);
    expect(program.source).toContain('li t0, 16 ');
    expect(program.source).toMatch(/cv\.setup 0, t0, \S+_pairs_end/);
  });

  it.each([1, 2, 4, 5, 6, 9, 10, 11, 15, 16, 20, 21, 25, 26, 30, 31])('%i groups per channel (every count of chunks 1..7, with and without the pair loop), bit-exact', (groups) => {
    // 1:4 of K = 16 x groups: 9 tokens, a pass of two words and a one-word pass; int8 input.
    const spec = testLayer(`matmul-${groups}-groups`, { kind: 'matmul', inH: 9, inW: 1, inC: 16 * groups, outC: 3, kH: 1, kW: 1, pad: { top: 0, bottom: 0, left: 0, right: 0 }, inputSigned: true, output: 'int8', relu: false });
    const { program } = run(spec, { n: 1, m: 4 }, 1, groups);
    // Chunks of 5: from 26 groups on, 6 chunks or more, two pairs of middle ones or more, looped.
    expect(program.source.includes('_pairs_end:')).toBe(groups >= 26);
  });

  it('reads a pass\'s stream once for both words: 11 instructions per group, four per switch, no wait on the sums', () => {
    const spec = benchLayer('conv3x3-128-8x8');
    const pattern = { n: 1, m: 16 } as const;
    const { program, run: result } = run(spec, pattern, 1, 3);
    // K = 1152: 72 non-zeros, 18 groups per channel: chunks of 3, 5, 5, 5.
    const routine = program.source.match(/nm4_pass_4_4:.*\n((?:.*\n)*?)nm4_pass_4_4_end:/)![1]!;
    const count = (mnemonic: string): number => instructions(routine).filter((line) => line.startsWith(`${mnemonic} `)).length;
    expect(count('nm.mul4.u')).toBe(1);
    expect(count('nm.mac4.u')).toBe(18 * 8 - 1);
    expect(count('cv.lw') + count('lw')).toBe(18 * 3 + 3);
    // The first switch copies the sums, the three others subtract; the last also takes word 0's sum out of the total.
    expect(count('mv')).toBe(4);
    expect(count('sub')).toBe(3 * 4 + 4);
    expect(routine).not.toMatch(/csrrw|nm\.racc|nmacc/);
    // Every instruction naming x28..x31 stands at least two instructions after an nm.mac4/nm.mul4.
    expect(result.perCore[0]!.loadUse).toBe(0);
    expect(result.cycles).toBeGreaterThan(program.bound);
  });

  it('names x28..x31 nowhere within two instructions after an nm.mac4/nm.mul4', () => {
    const sums = /\b(t[3-6]|x(2[89]|3[01]))\b/;
    for (const spec of [benchLayer('conv3x3-64-16x16'), ...SHAPES]) {
      for (const pattern of [{ n: 1, m: 4 }, { n: 1, m: 16 }] as const) {
        const lines = instructions(layerProgram(randomLayerData(spec, 1, pattern), 'xnmsparse', pattern, 8).source);
        lines.forEach((line, i) => {
          if (!/^nm\.m(ac|ul)4/.test(line)) return;
          for (const next of lines.slice(i + 1, i + 3)) expect(next, `${spec.name}: ${line}, then ${next}`).not.toMatch(sums);
        });
      }
    }
  });

  it('starts a one-word pass\'s channel with nm.mul4, reads no sum right after nm.mac4, and never stalls there', () => {
    // One output column: each pass holds its pixel in lane 0 of its first word.
    const spec = testLayer('one-word-passes', { inH: 5, inW: 1, inC: 8, outC: 4 });
    const { program, run: result } = run(spec, { n: 1, m: 8 }, 1, 3);
    const group = (first: string): string[] => ['cv.lw t0, (s0), 12', 'lw t2, -4(s0)', 'lw t1, -8(s0)', `${first} a1, t0, t2, 0, 0`, 'nm.mac4.u a1, t0, t2, 1, 1', 'nm.mac4.u a1, t1, t2, 0, 2', 'nm.mac4.u a1, t1, t2, 1, 3'];
    const peeled = program.source.match(/cv\.setup 1, gp, \S+\n((?:.*\n)*?)\s*cv\.setup 0, s2,/)![1]!;
    expect(instructions(peeled)).toEqual(group('nm.mul4.u'));
    const body = program.source.match(/cv\.setup 0, s2, (\S+)\n((?:.*\n)*?)\1:/)![2]!;
    expect(instructions(body)).toEqual(group('nm.mac4.u'));
    expect(result.perCore[0]!.loadUse).toBe(0);
    expect(result.cycles).toBeGreaterThan(program.bound);
  });

  it('bounds the layer by its busiest core: per group 11 instructions over two words and 4 per switch, 7 over one', () => {
    const spec = testLayer('bound', { inH: 8, inW: 8, inC: 64, outC: 32 });
    // 8 passes of two words (8 x 8 outputs, laneStep 2); 576 / 8 = 72 non-zeros = 18 groups per channel,
    // 4 chunks (3, 5, 5, 5): 4 switches and the last chunk's 4 more.
    expect(xnmsparseGenerator.bound(spec, { n: 1, m: 8 }, 1, AMPLE_SCRATCH)).toBe(8 * 32 * (18 * 11 + 5 * 4));
    expect(xnmsparseGenerator.bound(spec, { n: 1, m: 8 }, 8, AMPLE_SCRATCH)).toBe(32 * (18 * 11 + 5 * 4));
    // One pixel: one word of one pass per channel.
    const fc = testLayer('fc', { kind: 'fc', inH: 1, inW: 1, inC: 512, outC: 64, kH: 1, kW: 1, pad: { top: 0, bottom: 0, left: 0, right: 0 } });
    expect(xnmsparseGenerator.bound(fc, { n: 1, m: 16 }, 8, AMPLE_SCRATCH)).toBe(8 * 8 * 7);
  });

  it.each(['conv3x3-64-16x16', 'fc-512-64'])('%s on 8 cores, bit-exact, within twice its bound', (name) => {
    const { program, run: result } = expectBitExact(benchLayer(name), 'xnmsparse', { n: 1, m: 8 }, 8, 5);
    expect(result.cycles).toBeLessThan(2 * program.bound);
  });

  it('generates the same program twice', () => {
    const spec = SHAPES[0]!;
    const again = (): string => layerProgram(randomLayerData(spec, 2, { n: 2, m: 8 }), 'xnmsparse', { n: 2, m: 8 }, 8).source;
    expect(again()).toBe(again());
  });
});
