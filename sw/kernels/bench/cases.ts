/**
 * The layer set of `nmsparse bench kernels` (docs/kernels.md#bench): tiles of ResNet18-style 3x3
 * convolutions, pointwise convolutions, a depthwise convolution, and the linear layers and
 * attention matmul of a small ViT (192 dims, 64 tokens), each sized to fit the cluster's 64 KiB L1
 * in every variant as the compiler will hand it, at every sparsity and on 1 and 8 cores.
 */
import { patternName, type SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import { type LayerSpec, NO_PADDING, type Variant, variantApplies } from '../../layers/spec.js';

/** The sparsities of the bench, in docs/sparse-format.md's notation. */
export const BENCH_PATTERNS: readonly SparsityPattern[] = [
  { n: 1, m: 4 },
  { n: 1, m: 8 },
  { n: 1, m: 16 },
  { n: 2, m: 8 },
  { n: 2, m: 16 },
];

export const BENCH_CORES: readonly number[] = [1, 8];

const SAME_3X3 = { top: 1, bottom: 1, left: 1, right: 1 };

const layer = (spec: Omit<LayerSpec, 'inputSigned' | 'output' | 'relu'> & Partial<LayerSpec>): LayerSpec => ({
  inputSigned: false,
  output: 'uint8',
  relu: true,
  ...spec,
});

export const BENCH_LAYERS: readonly LayerSpec[] = [
  layer({ name: 'conv3x3-64-16x16', kind: 'conv', inH: 16, inW: 16, inC: 64, outC: 16, kH: 3, kW: 3, stride: 1, pad: SAME_3X3 }),
  layer({ name: 'conv3x3-64-8x8', kind: 'conv', inH: 8, inW: 8, inC: 64, outC: 64, kH: 3, kW: 3, stride: 1, pad: SAME_3X3 }),
  layer({ name: 'conv3x3-128-8x8', kind: 'conv', inH: 8, inW: 8, inC: 128, outC: 16, kH: 3, kW: 3, stride: 1, pad: SAME_3X3 }),
  layer({ name: 'conv3x3-256-4x4', kind: 'conv', inH: 4, inW: 4, inC: 256, outC: 8, kH: 3, kW: 3, stride: 1, pad: SAME_3X3 }),
  layer({ name: 'pw-32-64-16x16', kind: 'pointwise', inH: 16, inW: 16, inC: 32, outC: 64, kH: 1, kW: 1, stride: 1, pad: NO_PADDING }),
  layer({ name: 'pw-128-64-8x8', kind: 'pointwise', inH: 8, inW: 8, inC: 128, outC: 64, kH: 1, kW: 1, stride: 1, pad: NO_PADDING }),
  layer({ name: 'dw3x3-64-16x16', kind: 'dw', inH: 16, inW: 16, inC: 64, outC: 64, kH: 3, kW: 3, stride: 1, pad: SAME_3X3 }),
  layer({ name: 'fc-512-64', kind: 'fc', inH: 1, inW: 1, inC: 512, outC: 64, kH: 1, kW: 1, stride: 1, pad: NO_PADDING, inputSigned: true, output: 'int8', relu: false }),
  layer({ name: 'vit-qkv-32x192-192', kind: 'matmul', inH: 32, inW: 1, inC: 192, outC: 192, kH: 1, kW: 1, stride: 1, pad: NO_PADDING, inputSigned: true, output: 'int8', relu: false }),
  layer({ name: 'vit-mlp-down-16x768-48', kind: 'matmul', inH: 16, inW: 1, inC: 768, outC: 48, kH: 1, kW: 1, stride: 1, pad: NO_PADDING, inputSigned: true, output: 'int8', relu: false }),
  layer({ name: 'vit-attn-qk-64x32-64', kind: 'matmul', inH: 64, inW: 1, inC: 32, outC: 64, kH: 1, kW: 1, stride: 1, pad: NO_PADDING, inputSigned: true, output: 'int8', relu: false, activationWeights: true }),
];

/** One simulation of the bench: a layer, a variant, a sparsity ("dense" for dense) and a core count. */
export interface BenchCase {
  readonly layer: string;
  readonly variant: Variant;
  readonly nm: string;
  readonly cores: number;
}

/** Every case of the bench, in report order (layer, cores, dense first, then sparsity and variant). */
export function benchCases(layers: readonly LayerSpec[] = BENCH_LAYERS, cores: readonly number[] = BENCH_CORES): BenchCase[] {
  return layers.flatMap((spec) =>
    cores.flatMap((n) => [
      { layer: spec.name, variant: 'dense' as const, nm: 'dense', cores: n },
      ...BENCH_PATTERNS.flatMap((pattern) =>
        (['sparse', 'xnmsparse', 'xnmsparse-v1'] as const).filter((v) => variantApplies(spec, v)).map((variant) => ({ layer: spec.name, variant, nm: patternName(pattern), cores: n })),
      ),
    ]),
  );
}

export function benchLayer(name: string): LayerSpec {
  const spec = BENCH_LAYERS.find((l) => l.name === name);
  if (!spec) throw new RangeError(`no bench layer '${name}' (layers: ${BENCH_LAYERS.map((l) => l.name).join(', ')})`);
  return spec;
}
