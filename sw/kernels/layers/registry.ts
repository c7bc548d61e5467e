/** The code generator of each variant of a layer (docs/kernels.md lists them). */
import { type LayerSpec, type Variant } from '../../layers/spec.js';
import { denseGenerator } from './dense.js';
import { depthwiseGenerator } from './depthwise.js';
import type { VariantGenerator } from './generator.js';
import { sparseGenerator } from './sparse.js';
import { sparseGatherGenerator } from './sparse-gather.js';
import { xnmsparseGenerator } from './xnmsparse.js';
import { xnmsparseV1Generator } from './xnmsparse-v1.js';

const GENERATORS: readonly VariantGenerator[] = [denseGenerator, depthwiseGenerator, sparseGatherGenerator, sparseGenerator, xnmsparseGenerator, xnmsparseV1Generator];

export function generatorFor(spec: LayerSpec, variant: Variant): VariantGenerator {
  const generator = GENERATORS.find((g) => g.variant === variant && g.kinds.includes(spec.kind));
  if (!generator) throw new Error(`no ${variant} kernel for a ${spec.kind} layer`);
  return generator;
}
