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
  /** The ONNX model. */
  onnx(): Uint8Array;
}

/** The zoo's seed for every bench network. */
export const BENCH_SEED = 1;

/** The networks the bench runs, from the zoo (sw/onnx/zoo/index.ts). */
const BENCH_NETWORK_NAMES = ['resnet18-cifar', 'resnet18-imagenet', 'vit-cifar'];

export const BENCH_NETWORKS: readonly BenchNetwork[] = BENCH_NETWORK_NAMES.map((name) => {
  const model = ZOO.find((m) => m.name === name)!;
  return { name, description: model.description, onnx: () => model.onnx(BENCH_SEED) };
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
