// Small integer networks for the compiler's tests, with their golden outputs (sw/layers/golden.ts).
import { randomLayerData } from '../../sw/layers/data.js';
import { goldenLayer } from '../../sw/layers/golden.js';
import type { LayerSpec } from '../../sw/layers/spec.js';
import { outputHeight, outputWidth, reductionLength } from '../../sw/layers/spec.js';
import type { SparsityPattern } from '../../isa/xnmsparse/gather.js';
import type { LayerNode, NetTensor, Network } from '../../sw/net/graph.js';

export interface ChainNetwork {
  readonly network: Network;
  readonly input: Uint8Array;
  /** Every tensor's golden bytes. */
  readonly golden: ReadonlyMap<string, Uint8Array>;
}

type LayerShape = Omit<LayerSpec, 'name' | 'inH' | 'inW' | 'inC' | 'inputSigned'>;

/**
 * Layers applied one after the other to an input of `inH x inW x inC` (uint8), random weights
 * (pruned to `pattern` where given) and quantization from the seed.
 */
export function chainNetwork(name: string, input: { h: number; w: number; c: number }, layers: readonly (LayerShape & { pattern?: SparsityPattern })[], seed = 1): ChainNetwork {
  const tensors = new Map<string, NetTensor>([['x', { name: 'x', shape: input, signed: false, scale: 1 }]]);
  const nodes: LayerNode[] = [];
  const golden = new Map<string, Uint8Array>();
  let shape = input;
  let signed = false;
  let current = 'x';
  let bytes: Uint8Array | undefined;
  layers.forEach((layer, i) => {
    const { pattern, ...rest } = layer;
    const spec: LayerSpec = { ...rest, name: `l${i}`, inH: shape.h, inW: shape.w, inC: shape.c, inputSigned: signed };
    const data = randomLayerData(spec, seed * 100 + i, pattern);
    if (i === 0) {
      bytes = data.input;
      golden.set('x', bytes);
    }
    const out = goldenLayer({ ...data, input: bytes! });
    const output = `y${i}`;
    shape = { h: outputHeight(spec), w: outputWidth(spec), c: spec.outC };
    signed = spec.output === 'int8';
    tensors.set(output, { name: output, shape, signed, scale: 1 });
    nodes.push({ op: 'layer', name: spec.name, input: current, output, spec, weights: data.weights, quantization: data.quantization });
    golden.set(output, out);
    if (reductionLength(spec) < 1) throw new Error('empty layer');
    current = output;
    bytes = out;
  });
  return { network: { name, input: 'x', outputs: [current], tensors, nodes }, input: golden.get('x')!, golden };
}
