// The Xnmsparse revision-1 layer kernel (variant xnmsparse-v1), bit-exact against the golden
// model on 1 and 8 cores for every N:M
// pattern and the shapes that exercise its tails: channels not a multiple of the 2-channel block
// nor of the cores, pixels not a multiple of the 4-pixel block, reductions not a multiple of the
// group span, fewer pixels than cores, one channel, padding on every side, stride 2, signed and
// unsigned inputs.
import { describe, expect, it } from 'vitest';
import { patternName, patterns, type SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import { layerProgram } from '../../../sw/kernels/layers/program.js';
import type { Engine } from '../../../sw/kernels/run.js';
import { xnmsparseV1Generator } from '../../../sw/kernels/layers/xnmsparse-v1.js';
import { randomLayerData } from '../../../sw/layers/data.js';
import { type LayerSpec, LayerSpecError, NO_PADDING, outputWidth, reductionLength } from '../../../sw/layers/spec.js';
import { sparseLayout } from '../../../sw/sparse/format.js';
import { expectBitExact } from './support.js';

const layer = (spec: Omit<LayerSpec, 'inputSigned' | 'output' | 'relu' | 'stride' | 'pad'> & Partial<LayerSpec>): LayerSpec => ({
  inputSigned: false,
  output: 'uint8',
  relu: true,
  stride: 1,
  pad: NO_PADDING,
  ...spec,
});

const SHAPES: readonly LayerSpec[] = [
  // 3x3, padding on every side (uneven), odd output width, Cin 6 (bytes, not words), 5 filters.
  layer({ name: 'conv-pad', kind: 'conv', inH: 5, inW: 7, inC: 6, outC: 5, kH: 3, kW: 3, pad: { top: 1, bottom: 2, left: 2, right: 1 }, inputSigned: true, output: 'int8', relu: false }),
  // stride 2, Cin a multiple of 4 (word copies), 3 filters.
  layer({ name: 'conv-stride2', kind: 'conv', inH: 7, inW: 6, inC: 8, outC: 3, kH: 3, kW: 3, stride: 2, pad: { top: 1, bottom: 1, left: 1, right: 1 } }),
  // one output pixel (1x1 spatial, the window all padding but its centre), one filter.
  layer({ name: 'conv-1x1-spatial', kind: 'conv', inH: 1, inW: 1, inC: 13, outC: 1, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } }),
  // kW * inC = 192, whole groups of every pattern: the windows are read in place in a padded slab.
  layer({ name: 'window-stride2', kind: 'conv', inH: 5, inW: 8, inC: 64, outC: 3, kH: 3, kW: 3, stride: 2, pad: { top: 1, bottom: 2, left: 2, right: 1 }, inputSigned: true, output: 'int8', relu: false }),
  layer({ name: 'window-1x1-spatial', kind: 'conv', inH: 1, inW: 1, inC: 64, outC: 1, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } }),
  // 2x2 kernel, one row of padding above and one column right; odd output width.
  layer({ name: 'window-2x2', kind: 'conv', inH: 3, inW: 5, inC: 32, outC: 7, kH: 2, kW: 2, pad: { top: 1, bottom: 0, left: 0, right: 1 } }),
  // 15 pixels (a 3-pixel tail), Cin 22 (K not a multiple of any group span), 9 filters.
  layer({ name: 'pw', kind: 'pointwise', inH: 3, inW: 5, inC: 22, outC: 9, kH: 1, kW: 1 }),
  layer({ name: 'fc', kind: 'fc', inH: 1, inW: 1, inC: 100, outC: 11, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false }),
  // 3 tokens: fewer pixels than cores, the work split by channels.
  layer({ name: 'matmul-3-tokens', kind: 'matmul', inH: 3, inW: 1, inC: 40, outC: 10, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false }),
];

/** Small layers run faster interpreted than compiled (the compiled engine translates every block first). */
const runChecked = (spec: LayerSpec, pattern: SparsityPattern, cores: number, seed: number, engine: Engine = 'interpreted') => expectBitExact(spec, 'xnmsparse-v1', pattern, cores, seed, engine);

describe('xnmsparse-v1 layer kernel', () => {
  for (const pattern of patterns) {
    it(`is bit-exact at ${patternName(pattern)} on 1 and 8 cores`, () => {
      SHAPES.forEach((spec, i) => {
        for (const cores of [1, 8]) runChecked(spec, pattern, cores, 100 * i + cores);
      });
    });
  }

  it('builds the columns in several passes when the scratch holds only part of them', () => {
    const pattern = { n: 1, m: 8 } as const;
    // A 40 KiB input leaves one core a scratch of about 14 padded rows: 3 passes of the window slab.
    runChecked(layer({ name: 'window-passes', kind: 'conv', inH: 32, inW: 20, inC: 64, outC: 1, kH: 3, kW: 3, stride: 2, pad: { top: 1, bottom: 1, left: 1, right: 1 } }), pattern, 1, 5, 'compiled');
    // 3600 columns of 64 bytes do not fit: im2col passes.
    runChecked(layer({ name: 'im2col-passes', kind: 'conv', inH: 62, inW: 62, inC: 6, outC: 1, kH: 3, kW: 3, pad: NO_PADDING }), pattern, 1, 6, 'compiled');
    // Columns of 2272 bytes, about 3 KiB of scratch per core: passes of fewer pixels than a block.
    const few = runChecked(layer({ name: 'im2col-few', kind: 'conv', inH: 12, inW: 12, inC: 250, outC: 3, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } }), pattern, 8, 7, 'compiled');
    expect(few.program.plan.scratchBytes).toBeLessThan(4 * 2272);
  });

  it('splits few pixels and few channels as a grid, every core busy', () => {
    const spec = layer({ name: 'grid', kind: 'conv', inH: 4, inW: 4, inC: 16, outC: 8, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } });
    const { program } = runChecked(spec, { n: 1, m: 4 }, 8, 9);
    const shares = [...program.source.matchAll(/^core_\d+: +# pixels (\d+)\.\.(\d+), channels (\d+)\.\.(\d+)/gm)].map((m) => m.slice(1).map(Number));
    expect(shares).toHaveLength(8);
    // 16 pixels and 4 channel pairs: 4 pixel parts x 2 channel parts, 4 pixels x 4 channels each.
    for (const [p0, p1, c0, c1] of shares) expect([p1! - p0! + 1, c1! - c0! + 1]).toEqual([4, 4]);
  });

  it('runs kernel rows longer than a loop body as nested loops, or through im2col when rows are not whole index words', () => {
    const pattern = { n: 1, m: 4 } as const;
    const same = { top: 1, bottom: 1, left: 1, right: 1 };
    // 3 x 256 = 48 groups per kernel row at 1:4 (12 index words): the 2 x 4 block's loop 1 runs over
    // rows, its loop 0 over words. 3 x 1024 = 192 groups per row: even the 2 x 1 block nests.
    const nested = layer({ name: 'nested', kind: 'conv', inH: 2, inW: 4, inC: 256, outC: 3, kH: 3, kW: 3, pad: same });
    expect(runChecked(nested, pattern, 1, 10).program.source).toContain('xnm_block_2ch_4px_rows_end:');
    const onePixel = layer({ name: 'nested-1px', kind: 'conv', inH: 1, inW: 1, inC: 1024, outC: 2, kH: 3, kW: 3, pad: same });
    const source = runChecked(onePixel, pattern, 1, 11).program.source;
    expect(source).toContain('xnm_block_2ch_1px_rows_end:');
    expect(source).toContain('nop'); // one pixel's row jump is one addi: loop 1 must end two instructions after loop 0
    // 3 x 240 = 45 groups per row, not whole words of 4 groups: im2col.
    const odd = layer({ name: 'rows-not-words', kind: 'conv', inH: 2, inW: 2, inC: 240, outC: 2, kH: 3, kW: 3, pad: same });
    expect(runChecked(odd, pattern, 1, 12).program.source).toContain('xnm_im2col_column:');
  });

  it('handles weight and index strides beyond an addi immediate', () => {
    // 1:4 of K = 4100: 1028 values per channel, 2056 bytes per channel pair.
    const wide = layer({ name: 'fc-4100', kind: 'fc', inH: 1, inW: 1, inC: 4100, outC: 5, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false });
    for (const cores of [1, 8]) expect(runChecked(wide, { n: 1, m: 4 }, cores, 13).program.source).toMatch(/li t0, 2056/);
    // 700 channels: a 4-pixel block's outputs span 2101 bytes, beyond the stores' immediate offsets.
    const tall = layer({ name: 'pw-700', kind: 'pointwise', inH: 2, inW: 3, inC: 8, outC: 700, kH: 1, kW: 1 });
    expect(runChecked(tall, { n: 1, m: 4 }, 1, 14).program.source).toContain("# next pixel's outputs");
  });

  it('covers odd output widths (a pixel tail in every output row of a window)', () => {
    for (const name of ['window-stride2', 'window-2x2']) expect(outputWidth(SHAPES.find((s) => s.name === name)!) % 4).not.toBe(0);
  });

  it('names the tile when even one pass of its columns does not fit, and generates the same program twice', () => {
    const pattern = { n: 1, m: 8 } as const;
    const window = SHAPES.find((s) => s.name === 'window-stride2')!;
    const im2col = SHAPES.find((s) => s.name === 'conv-pad')!;
    expect(() => xnmsparseV1Generator.scratchBytes(window, pattern, 1000)).toThrow(LayerSpecError);
    expect(() => xnmsparseV1Generator.scratchBytes(window, pattern, 1000)).toThrow(/^tile: the padded input rows/);
    expect(() => xnmsparseV1Generator.scratchBytes(im2col, pattern, 60)).toThrow(/^tile: one im2col column/);
    expect(xnmsparseV1Generator.scratchBytes(im2col, pattern, 1000)).toBe(15 * 64);
    const spec = SHAPES[0]!;
    const again = (): string => layerProgram(randomLayerData(spec, 2, pattern), 'xnmsparse-v1', pattern, 8).source;
    expect(again()).toBe(again());
  });

  it('reads exactly the packed values and index words', () => {
    const spec = SHAPES.find((s) => s.name === 'pw')!;
    const pattern = { n: 1, m: 8 } as const;
    const layout = sparseLayout(pattern, reductionLength(spec));
    const { program } = runChecked(spec, pattern, 1, 7);
    expect(program.weights.valueBytes).toBe(spec.outC * layout.nonZerosPerChannel);
    expect(program.weights.indexBytes).toBe(spec.outC * layout.indexWordsPerChannel * 4);
  });

  it('stays within its bound plus the per-block overhead, and the bound shrinks with the cores', () => {
    const spec = layer({ name: 'pw-bound', kind: 'pointwise', inH: 8, inW: 8, inC: 64, outC: 16, kH: 1, kW: 1 });
    const pattern = { n: 1, m: 4 } as const;
    const one = runChecked(spec, pattern, 1, 3);
    const eight = runChecked(spec, pattern, 8, 3);
    expect(one.run.cycles).toBeGreaterThanOrEqual(one.program.bound);
    expect(one.run.cycles).toBeLessThan(1.5 * one.program.bound);
    expect(eight.program.bound).toBe(one.program.bound / 8);
  });
});
