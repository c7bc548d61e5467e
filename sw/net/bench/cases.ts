/**
 * The network bench (docs/bench.md#networks): whole networks built by the project's zoo
 * (sw/onnx/zoo, random weights from a fixed seed: cycles do not depend on the values), compiled
 * dense and at each bench sparsity with the software and the Xnmsparse kernels, on the cluster.
 */
import { type SparsityPattern, patternName } from '../../../isa/xnmsparse/gather.js';
import { ZOO } from '../../onnx/zoo/index.js';

export interface BenchNetwork {
  readonly name: string;
  readonly description: string;
  /** Bytes of L2 beyond the default 512 KiB, where the program's code and tables need them. */
  readonly l2?: number;
  /** The ONNX model. */
  onnx(): Uint8Array;
}

/** The zoo's seed for every bench network. */
export const BENCH_SEED = 1;

/**
 * The networks the bench runs, from the zoo (sw/onnx/zoo/index.ts). ImageNet's ResNet18 cuts into
 * about 8,600 tiles, whose code and step table take some 720 KiB: it runs with a GAP9-class L2 of
 * 1.5 MiB (GreenWaves' GAP9 product brief), the others with the default 512 KiB.
 */
const BENCH_NETWORK_NAMES: readonly (readonly [string, number | undefined])[] = [['resnet18-cifar', undefined], ['resnet18-imagenet', 1536 * 1024], ['vit-cifar', undefined]];

export const BENCH_NETWORKS: readonly BenchNetwork[] = BENCH_NETWORK_NAMES.map(([name, l2]) => {
  const model = ZOO.find((m) => m.name === name)!;
  return { name, description: model.description, ...(l2 === undefined ? {} : { l2 }), onnx: () => model.onnx(BENCH_SEED) };
});

export const NETWORK_PATTERNS: readonly SparsityPattern[] = [{ n: 1, m: 8 }, { n: 1, m: 16 }];

export type NetworkVariant = 'dense' | 'sparse' | 'xnmsparse';

export interface NetworkCase {
  readonly network: string;
  /** 'dense' or the pattern, as users write it ("1:8"). */
  readonly nm: string;
  readonly variant: NetworkVariant;
  readonly cores: number;
}

export const networkCaseName = (c: NetworkCase): string => `${c.network} ${c.variant}${c.variant === 'dense' ? '' : ` ${c.nm}`} ${c.cores}c`;

/** Each network dense, then at each pattern with the software and the Xnmsparse kernels, for each core count. */
export function networkCases(networks: readonly BenchNetwork[], cores: readonly number[], patterns: readonly SparsityPattern[] = NETWORK_PATTERNS): NetworkCase[] {
  return networks.flatMap((network) =>
    cores.flatMap((n) => [
      { network: network.name, nm: 'dense', variant: 'dense' as const, cores: n },
      ...patterns.flatMap((p) => (['sparse', 'xnmsparse'] as const).map((variant) => ({ network: network.name, nm: patternName(p), variant, cores: n }))),
    ]),
  );
}
