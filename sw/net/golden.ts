/**
 * The integer network evaluated bit-exactly on the host, node by node, by the golden models the
 * kernels are checked against (goldenLayer, goldenAdd, goldenMaxPool, goldenAvgPool): the expected
 * value of every tensor of a run on the cluster.
 */
import { goldenAdd } from '../layers/add.js';
import { checkLayerData } from '../layers/data.js';
import { goldenLayer } from '../layers/golden.js';
import { goldenAvgPool, goldenMaxPool, type PoolSpec } from '../layers/pool.js';
import type { NetNode, NetTensor, Network, PoolWindow } from './graph.js';

const size = (tensor: NetTensor): number => tensor.shape.h * tensor.shape.w * tensor.shape.c;

/** Every tensor of the network (the input included) for the input tensor's bytes (HWC). */
export function runGolden(network: Network, input: Uint8Array): Map<string, Uint8Array> {
  const tensorOf = (name: string): NetTensor => {
    const tensor = network.tensors.get(name);
    if (!tensor) throw new RangeError(`${network.name}: no tensor '${name}'`);
    return tensor;
  };
  const inputTensor = tensorOf(network.input);
  if (input.length !== size(inputTensor)) throw new RangeError(`${network.name}: the input holds ${input.length} bytes, not ${size(inputTensor)}`);
  const values = new Map<string, Uint8Array>([[network.input, input]]);
  const read = (name: string): Uint8Array => {
    const bytes = values.get(name);
    if (!bytes) throw new RangeError(`${network.name}: tensor '${name}' is read before it is written`);
    return bytes;
  };
  for (const node of network.nodes) {
    const out = goldenNode(node, read, tensorOf);
    const expected = size(tensorOf(node.output));
    if (out.length !== expected) throw new RangeError(`${network.name}: node '${node.name}' writes ${out.length} bytes into '${node.output}' of ${expected}`);
    values.set(node.output, out);
  }
  return values;
}

/** One node's output bytes from its inputs' bytes. */
function goldenNode(node: NetNode, read: (name: string) => Uint8Array, tensorOf: (name: string) => NetTensor): Uint8Array {
  const poolSpec = (inputName: string, window: PoolWindow): PoolSpec => {
    const input = tensorOf(inputName);
    return { name: node.name, inH: input.shape.h, inW: input.shape.w, c: input.shape.c, signed: input.signed, ...window };
  };
  switch (node.op) {
    case 'layer': {
      const data = { spec: node.spec, input: read(node.input), weights: node.weights, quantization: node.quantization };
      checkLayerData(data);
      return goldenLayer(data);
    }
    case 'add': {
      const [a, b] = node.inputs.map((name) => ({ bytes: read(name), signed: tensorOf(name).signed }));
      return goldenAdd(node.scale, a!, b!);
    }
    case 'maxpool':
      return goldenMaxPool(poolSpec(node.input, node.window), read(node.input));
    case 'avgpool':
      return goldenAvgPool(poolSpec(node.input, node.window), node.scale, read(node.input));
  }
}
