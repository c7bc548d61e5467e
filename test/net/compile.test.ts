// The compiler's back end on small integer networks: every tensor bit-exact against the golden
// layers after a run on the cluster, for dense and sparse kernels, 1 and 8 cores, and an L1 small
// enough to force row tiles, channel groups and many DMA transfers.
import { describe, expect, it } from 'vitest';
import { PULP_L1, PULP_L2, PULP_L3 } from '../../isa/platform/memory-map.js';
import type { SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { type CompileOptions, CompileError, compileNetwork } from '../../sw/net/compile/compile.js';
import { isStagingCopy } from '../../sw/net/compile/schedule.js';
import { runNetwork } from '../../sw/net/run.js';
import type { Variant } from '../../sw/layers/spec.js';
import { chainNetwork } from './network-support.js';

const NM: SparsityPattern = { n: 1, m: 8 };
const pad1 = { top: 1, bottom: 1, left: 1, right: 1 };
const none = { top: 0, bottom: 0, left: 0, right: 0 };

/** conv 3x3, depthwise 3x3 stride 2, pointwise, an 8x8 "valid" conv to 1x1, fc: every kernel kind. */
function network(sparse: boolean) {
  const pattern = sparse ? NM : undefined;
  return chainNetwork('chain', { h: 16, w: 16, c: 8 }, [
    { kind: 'conv', outC: 16, kH: 3, kW: 3, stride: 1, pad: pad1, output: 'uint8', relu: true, pattern },
    { kind: 'dw', outC: 16, kH: 3, kW: 3, stride: 2, pad: pad1, output: 'uint8', relu: true },
    { kind: 'pointwise', outC: 32, kH: 1, kW: 1, stride: 1, pad: none, output: 'uint8', relu: true, pattern },
    { kind: 'conv', outC: 24, kH: 8, kW: 8, stride: 1, pad: none, output: 'int8', relu: false, pattern },
    { kind: 'fc', outC: 10, kH: 1, kW: 1, stride: 1, pad: none, output: 'int8', relu: false },
  ]);
}

function options(cores: number, l1Bytes: number, variant: Variant): CompileOptions {
  return {
    cores,
    implementation: (node) => (variant !== 'dense' && node.spec.kind !== 'dw' && node.spec.kind !== 'fc' ? { variant, pattern: NM } : { variant: 'dense', pattern: undefined }),
    l1: { ...PULP_L1, size: l1Bytes },
    l2: PULP_L2,
    l3: undefined,
    dma: { latency: 10, bandwidth: 8 },
    keepTensors: true,
  };
}

describe('compiled networks run bit-exact on the cluster', () => {
  const cases: [Variant, number, number][] = [
    ['dense', 1, 64 * 1024],
    ['dense', 8, 32 * 1024],
    ['sparse', 8, 64 * 1024],
    ['xnmsparse', 8, 16 * 1024],
  ];
  for (const [variant, cores, l1] of cases) {
    it(`${variant}, ${cores} core(s), ${l1 / 1024} KiB of L1`, () => {
      const { network: net, input, golden } = network(variant !== 'dense');
      const compiled = compileNetwork(net, input, options(cores, l1, variant));
      const run = runNetwork(compiled);
      for (const [tensor, bytes] of golden) expect(run.readTensor(tensor), tensor).toEqual(bytes);
      expect(run.nodes.reduce((s, n) => s + n.cycles, 0)).toBeLessThanOrEqual(run.cycles);
      if (l1 < 64 * 1024) expect(compiled.tiles.length).toBeGreaterThan(net.nodes.length);
    });
  }

  it('gives the same cycles and bytes on a second compilation (determinism)', () => {
    const { network: net, input } = network(true);
    const a = compileNetwork(net, input, options(8, 16 * 1024, 'sparse'));
    const b = compileNetwork(net, input, options(8, 16 * 1024, 'sparse'));
    expect(Buffer.from(a.elf).equals(Buffer.from(b.elf))).toBe(true);
    expect(runNetwork(a).cycles).toBe(runNetwork(b).cycles);
  });

  it('runs another input through the same program', () => {
    const { network: net, input } = network(false);
    const compiled = compileNetwork(net, input, options(8, 64 * 1024, 'dense'));
    const other = network(false);
    expect(runNetwork(compiled, { input: other.input }).outputs.get('y4')).toEqual(other.golden.get('y4'));
  });

  it('rejects an input of the wrong size, naming the tensor', () => {
    const { network: net } = network(false);
    expect(() => compileNetwork(net, new Uint8Array(5), options(8, 64 * 1024, 'dense'))).toThrow(CompileError);
    expect(() => compileNetwork(net, new Uint8Array(5), options(8, 64 * 1024, 'dense'))).toThrow(/tensor 'x' is 16x16x8/);
  });

  it('says which layer cannot fit a tiny L1', () => {
    const { network: net, input } = network(false);
    expect(() => compileNetwork(net, input, options(8, 1024, 'dense'))).toThrow(/layer 'l0'.*L1/);
  });

  it('stages weights from L3 through L2 where a layer has one buffer set, bit-exact', () => {
    const { network: net, input, golden } = network(false);
    // 56 KiB of L2 leave the code, tables and activations, not the weights: they go to L3.
    const compiled = compileNetwork(net, input, { ...options(1, 16 * 1024, 'dense'), l2: { ...PULP_L2, size: 56 * 1024 }, l3: PULP_L3, l3Dma: { latency: 26, bandwidth: 2 } });
    expect(compiled.memory.constantBytes.l3).toBeGreaterThan(0);
    const copies = [...compiled.schedule.prologue, ...compiled.schedule.steps.flatMap((s) => s.queue)].filter(isStagingCopy);
    expect(copies.length).toBeGreaterThan(0);
    expect(compiled.schedule.stagingSlotBytes).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.fill.external.kind).toBe('constant');
      expect(compiled.schedule.stagedFrom.get(copy.fill)).toBe(copy.to);
      expect(copy.to.offset + copy.fill.length).toBeLessThanOrEqual(2 * compiled.schedule.stagingSlotBytes);
    }
    const run = runNetwork(compiled);
    for (const [tensor, bytes] of golden) expect(run.readTensor(tensor), tensor).toEqual(bytes);
  });
});

describe('the Vision Transformer operators in a compiled network', () => {
  it('runs matmul, LayerNormalization, GELU and softmax bit-exact on 8 cores and a small L1', async () => {
    const { layerNormParameters, goldenLayerNorm } = await import('../../sw/layers/layernorm.js');
    const { geluParameters, goldenGelu } = await import('../../sw/layers/gelu.js');
    const { softmaxParameters, goldenSoftmax } = await import('../../sw/layers/softmax.js');
    const tokens = 17;
    const features = 64;
    const chain = chainNetwork('tokens', { h: tokens, w: 1, c: 32 }, [
      { kind: 'matmul', outC: features, kH: 1, kW: 1, stride: 1, pad: none, output: 'int8', relu: false },
    ]);
    const gamma = Float32Array.from({ length: features }, (_, i) => 0.5 + (i % 7) / 7);
    const beta = Float32Array.from({ length: features }, (_, i) => ((i % 5) - 2) / 10);
    const norm = layerNormParameters({ inputScale: 0.05, outputScale: 0.03, gamma, beta, epsilon: 1e-5 });
    const gelu = geluParameters(0.03, 0.02);
    const softmax = softmaxParameters(0.02);
    const shape = { h: tokens, w: 1, c: features };
    const tensors = new Map(chain.network.tensors);
    for (const [name, signed] of [['n', true], ['g', true], ['s', false]] as const) tensors.set(name, { name, shape, signed, scale: 1 });
    const network = {
      ...chain.network,
      outputs: ['s'],
      tensors,
      nodes: [
        ...chain.network.nodes,
        { op: 'layernorm' as const, name: 'norm', input: 'y0', output: 'n', params: norm },
        { op: 'gelu' as const, name: 'gelu', input: 'n', output: 'g', params: gelu },
        { op: 'softmax' as const, name: 'softmax', input: 'g', output: 's', params: softmax },
      ],
    };
    const n = goldenLayerNorm(norm, tokens, chain.golden.get('y0')!);
    const g = goldenGelu(gelu, n);
    const s = goldenSoftmax(softmax, tokens, features, g);
    const compiled = compileNetwork(network, chain.input, options(8, 4 * 1024, 'dense'));
    const run = runNetwork(compiled);
    expect(run.readTensor('n')).toEqual(n);
    expect(run.readTensor('g')).toEqual(g);
    expect(run.readTensor('s')).toEqual(s);
    expect(compiled.nodes.slice(1).every((node) => node.tiling.tiles > 1)).toBe(true);
  });
});

describe('a residual block with pooling in a compiled network', () => {
  it('runs conv, max pool, residual add and global average pool bit-exact', async () => {
    const { goldenMaxPool, goldenAvgPool } = await import('../../sw/layers/pool.js');
    const { goldenAdd } = await import('../../sw/layers/add.js');
    const { randomLayerData } = await import('../../sw/layers/data.js');
    const { goldenLayer } = await import('../../sw/layers/golden.js');
    const conv = (name: string, h: number, c: number, outC: number) => randomLayerData({ name, kind: 'conv', inH: h, inW: h, inC: c, outC, kH: 3, kW: 3, stride: 1, pad: pad1, inputSigned: false, output: 'uint8', relu: true }, name.length * 7);
    const c0 = conv('c0', 16, 3, 16);
    const pool = { kH: 3, kW: 3, stride: 2, pad: pad1 };
    const y0 = goldenLayer(c0);
    const p0 = goldenMaxPool({ name: 'mp', inH: 16, inW: 16, c: 16, signed: false, ...pool }, y0);
    const c1 = conv('c1x', 8, 16, 16);
    const y1 = goldenLayer({ ...c1, input: p0 });
    const c2 = conv('c2xx', 8, 16, 16);
    const y2 = goldenLayer({ ...c2, input: y1 });
    const addScale = { multiplierA: 20000, multiplierB: 13000, shift: 15, outputType: 'uint8' as const, relu: true };
    const sum = goldenAdd(addScale, { bytes: p0, signed: false }, { bytes: y2, signed: false });
    const gapScale = { multiplier: 16384, shift: 20, outputType: 'uint8' as const };
    const gap = goldenAvgPool({ name: 'gap', inH: 8, inW: 8, c: 16, signed: false, kH: 8, kW: 8, stride: 1, pad: none }, gapScale, sum);
    const t = (name: string, h: number, c: number) => [name, { name, shape: { h, w: h, c }, signed: false, scale: 1 }] as const;
    const network = {
      name: 'residual',
      input: 'x',
      outputs: ['gap'],
      tensors: new Map([t('x', 16, 3), t('y0', 16, 16), t('p0', 8, 16), t('y1', 8, 16), t('y2', 8, 16), t('sum', 8, 16), t('gap', 1, 16)]),
      nodes: [
        { op: 'layer' as const, name: 'c0', input: 'x', output: 'y0', spec: c0.spec, weights: c0.weights, quantization: c0.quantization },
        { op: 'maxpool' as const, name: 'mp', input: 'y0', output: 'p0', window: pool },
        { op: 'layer' as const, name: 'c1', input: 'p0', output: 'y1', spec: c1.spec, weights: c1.weights, quantization: c1.quantization },
        { op: 'layer' as const, name: 'c2', input: 'y1', output: 'y2', spec: c2.spec, weights: c2.weights, quantization: c2.quantization },
        { op: 'add' as const, name: 'add', inputs: ['p0', 'y2'] as const, output: 'sum', scale: addScale },
        { op: 'avgpool' as const, name: 'gap', input: 'sum', output: 'gap', window: { kH: 8, kW: 8, stride: 1, pad: none }, scale: gapScale },
      ],
    };
    for (const [cores, l1] of [[1, 64 * 1024], [8, 6 * 1024]] as const) {
      const compiled = compileNetwork(network, c0.input, options(cores, l1, 'dense'));
      const run = runNetwork(compiled);
      for (const [name, bytes] of [['y0', y0], ['p0', p0], ['y2', y2], ['sum', sum], ['gap', gap]] as const) expect(run.readTensor(name), `${name}, ${cores} cores`).toEqual(bytes);
    }
  });
});
