// The dense layer kernel on the cluster, bit-exact against the golden model for awkward shapes on
// one and eight cores, one bench layer of each kind on eight cores, and the program's self-check.
import { describe, expect, it } from 'vitest';
import { benchLayer } from '../../../sw/kernels/bench/cases.js';
import { denseGenerator } from '../../../sw/kernels/layers/dense.js';
import { layerProgram } from '../../../sw/kernels/layers/program.js';
import { checkLayerOutput, runLayerProgram } from '../../../sw/kernels/layers/run.js';
import { randomLayerData } from '../../../sw/layers/data.js';
import { denseMacs, type LayerSpec, NO_PADDING } from '../../../sw/layers/spec.js';
import { AMPLE_SCRATCH, expectBitExact, testLayer } from './support.js';


const layer = testLayer;

const ASYMMETRIC = { top: 2, bottom: 0, left: 1, right: 2 };
const linear = { kH: 1, kW: 1, stride: 1, pad: NO_PADDING } as const;

const AWKWARD: readonly LayerSpec[] = [
  layer('3x3, Cin 3 (K 27), odd width, asymmetric padding', { inC: 3, pad: ASYMMETRIC }),
  layer('5x5 stride 2, Cin 5, 9 channels, int8 in and out', { inH: 9, inW: 8, inC: 5, outC: 9, kH: 5, kW: 5, stride: 2, pad: ASYMMETRIC, inputSigned: true, output: 'int8', relu: false }),
  layer('3x3, one output channel, int8 input', { inH: 4, inW: 5, outC: 1, inputSigned: true }),
  layer('3x3 over a 1x1 input, 12 channels, int8 output with relu', { inH: 1, inW: 1, inC: 16, outC: 12, output: 'int8' }),
  layer('3x3 stride 2, 4 channels, 3 output pixels wide', { inH: 6, inW: 6, inC: 12, outC: 4, stride: 2, pad: { top: 0, bottom: 1, left: 1, right: 0 }, relu: false }),
  layer('pointwise, Cin 6 (im2col)', { kind: 'pointwise', inH: 3, inW: 5, inC: 6, outC: 10, ...linear }),
  layer('pointwise, Cin 8 (direct), 13 channels', { kind: 'pointwise', inH: 4, inW: 3, inC: 8, outC: 13, ...linear, inputSigned: true, output: 'int8', relu: false }),
  layer('fc, one pixel, 11 channels', { kind: 'fc', inH: 1, inW: 1, inC: 40, outC: 11, ...linear, inputSigned: true, output: 'int8', relu: false }),
  layer('fc, Cin 7', { kind: 'fc', inH: 1, inW: 1, inC: 7, outC: 5, ...linear }),
  layer('matmul, 3 tokens, activation weights', { kind: 'matmul', inH: 3, inW: 1, inC: 20, outC: 7, ...linear, inputSigned: true, output: 'int8', relu: false, activationWeights: true }),
  layer('matmul, 5 tokens, uint8 input', { kind: 'matmul', inH: 5, inW: 1, inC: 36, outC: 20, ...linear }),
  layer('matmul, 4 tokens x 700 channels (output offsets past 2047)', { kind: 'matmul', inH: 4, inW: 1, inC: 4, outC: 700, ...linear }),
];

const expectDenseBitExact = (spec: LayerSpec, cores: number): unknown => expectBitExact(spec, 'dense', undefined, cores, 17);

describe('dense kernel against the golden model', () => {
  it.each(AWKWARD.flatMap((spec) => [1, 8].map((cores) => [spec.name, cores, spec] as const)))('%s on %i cores', (_, cores, spec) => {
    expectDenseBitExact(spec, cores);
  });

  // Inputs large enough that L1 leaves each of 8 cores room for only 2 or 1 im2col columns.
  it.each([
    [28, 2],
    [29, 1],
  ])('a square input of side %i, 64 channels, on 8 cores: passes of %i pixels', (size, pixels) => {
    const spec = layer(`conv over ${size}x${size}x64`, { inH: size, inW: size, inC: 64, outC: 4 });
    const data = randomLayerData(spec, 5);
    const program = layerProgram(data, 'dense', undefined, 8);
    expect(program.plan.scratchBytes).toBe(denseGenerator.scratchBytes(spec, undefined, 40 + pixels * 576));
    checkLayerOutput(program, data, runLayerProgram(program).output);
  });

  it.each(['conv3x3-256-4x4', 'pw-128-64-8x8', 'fc-512-64', 'vit-attn-qk-64x32-64'])('bench layer %s on 8 cores', (name) => {
    expectDenseBitExact(benchLayer(name), 8);
  });
});

describe('dense programs', () => {
  const spec = AWKWARD[0]!;
  const data = randomLayerData(spec, 3);

  it('check themselves: exit code 0 when the output is right, 1 when an expected byte is wrong', () => {
    const program = layerProgram(data, 'dense', undefined, 8, { selfCheck: true });
    expect(runLayerProgram(program).perCore).toHaveLength(8);
    const corrupted = program.source.replace(/^expected_output:\n {2}\.word 0x(..)/m, (_, byte: string) => `expected_output:\n  .word 0x${((parseInt(byte, 16) + 1) & 0xff).toString(16).padStart(2, '0')}`);
    expect(corrupted).not.toBe(program.source);
    expect(() => runLayerProgram({ ...program, source: corrupted })).toThrow(/"code":1/);
  });

  it('are the same for the same layer', () => {
    expect(layerProgram(data, 'dense', undefined, 8).source).toBe(layerProgram(data, 'dense', undefined, 8).source);
  });

  it('bound the inner loops at 0.375 cycles per MAC for whole 4 x 4 blocks', () => {
    const conv = benchLayer('conv3x3-64-8x8');
    expect(denseGenerator.bound(conv, undefined, 8, AMPLE_SCRATCH)).toBe((denseMacs(conv) * 0.375) / 8);
    expect(denseGenerator.bound(conv, undefined, 1, AMPLE_SCRATCH)).toBe(denseMacs(conv) * 0.375);
  });

  it('take the most columns the scratch budget holds, and refuse one without room for a column', () => {
    expect(() => denseGenerator.scratchBytes(benchLayer('conv3x3-64-8x8'), undefined, 500)).toThrow(/^tile: .*576 bytes/);
    const conv = benchLayer('conv3x3-64-8x8');
    expect([5000, 1400, 700].map((budget) => denseGenerator.scratchBytes(conv, undefined, budget))).toEqual([40 + 4 * 576, 40 + 2 * 576, 40 + 576]);
  });
});
