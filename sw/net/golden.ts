/**
 * The integer network evaluated bit-exactly on the host, node by node, by the golden models the
 * kernels are checked against (goldenLayer, goldenAdd, the pools, the transpose, softmax,
 * LayerNormalization, GELU): the expected value of every tensor of a run on the cluster. Views
 * are read from and written into their parents (sw/net/views.ts), as on the cluster.
 */
import { goldenAdd } from '../layers/add.js';
import { checkLayerData } from '../layers/data.js';
import { goldenGelu } from '../layers/gelu.js';
import { goldenLayer, weightRows, type WeightRows } from '../layers/golden.js';
import { goldenLayerNorm } from '../layers/layernorm.js';
import { goldenAvgPool, goldenMaxPool, type PoolSpec } from '../layers/pool.js';
import { goldenSoftmax } from '../layers/softmax.js';
import { goldenTranspose } from '../layers/transpose.js';
import type { LayerNode, NetNode, NetTensor, Network, PoolWindow } from './graph.js';
import { storageOf } from './graph.js';
import { extractTensor, placeTensor } from './views.js';

const size = (tensor: NetTensor): number => tensor.shape.h * tensor.shape.w * tensor.shape.c;

/**
 * The nonzero weights of each layer with constant weights, made on the network's first run and
 * reused by every later one: a test set's worth of inputs goes through one network
 * (sw/net/accuracy/). The network's nodes are never changed once built, so a node's rows hold.
 */
const ROWS = new WeakMap<LayerNode, WeightRows>();

function constantRows(node: LayerNode): WeightRows {
  let rows = ROWS.get(node);
  if (!rows) {
    rows = weightRows(node.spec, node.weights);
    ROWS.set(node, rows);
  }
  return rows;
}

/** Every tensor of the network (the input and the constants included) for the input tensor's bytes (HWC). */
export function runGolden(network: Network, input: Uint8Array): Map<string, Uint8Array> {
  const tensorOf = (name: string): NetTensor => {
    const tensor = network.tensors.get(name);
    if (!tensor) throw new RangeError(`${network.name}: no tensor '${name}'`);
    return tensor;
  };
  const inputTensor = tensorOf(network.input);
  if (input.length !== size(inputTensor)) throw new RangeError(`${network.name}: the input holds ${input.length} bytes, not ${size(inputTensor)}`);
  const values = new Map<string, Uint8Array>();
  /** The bytes of tensors that have a view written into them, as the cluster's memory holds them. */
  const storages = new Map<string, Uint8Array>();
  const write = (name: string, bytes: Uint8Array): void => {
    values.set(name, bytes);
    const parent = storageOf(network, name);
    if (parent === name) return;
    let storage = storages.get(parent);
    if (!storage) {
      storage = new Uint8Array(size(tensorOf(parent)));
      storages.set(parent, storage);
    }
    placeTensor(network, name, bytes, storage);
    values.set(parent, storage);
  };
  const read = (name: string): Uint8Array => {
    const parent = storageOf(network, name);
    const bytes = values.get(name) ?? (values.has(parent) ? extractTensor(network, name, values.get(parent)!) : undefined);
    if (!bytes) throw new RangeError(`${network.name}: tensor '${name}' is read before it is written`);
    return bytes;
  };
  write(network.input, input);
  for (const [name, bytes] of network.constants ?? []) write(name, bytes);
  for (const node of network.nodes) {
    const out = goldenNode(node, read, tensorOf);
    const expected = size(tensorOf(node.output));
    if (out.length !== expected) throw new RangeError(`${network.name}: node '${node.name}' writes ${out.length} bytes into '${node.output}' of ${expected}`);
    write(node.output, out);
  }
  return values;
}

/** One node's output bytes from its inputs' bytes. */
function goldenNode(node: NetNode, read: (name: string) => Uint8Array, tensorOf: (name: string) => NetTensor): Uint8Array {
  const poolSpec = (inputName: string, window: PoolWindow): PoolSpec => {
    const input = tensorOf(inputName);
    return { name: node.name, inH: input.shape.h, inW: input.shape.w, c: input.shape.c, signed: input.signed, ...window };
  };
  const rows = (name: string): number => tensorOf(name).shape.h * tensorOf(name).shape.w;
  switch (node.op) {
    case 'layer': {
      const weights = node.weightTensor === undefined ? node.weights : new Int8Array(read(node.weightTensor).slice().buffer);
      const data = { spec: node.spec, input: read(node.input), weights, quantization: node.quantization };
      checkLayerData(data);
      return goldenLayer(data, node.weightTensor === undefined ? constantRows(node) : undefined);
    }
    case 'add': {
      const [a, b] = node.inputs.map((name) => ({ bytes: read(name), signed: tensorOf(name).signed }));
      return goldenAdd(node.scale, a!, b!);
    }
    case 'maxpool':
      return goldenMaxPool(poolSpec(node.input, node.window), read(node.input));
    case 'avgpool':
      return goldenAvgPool(poolSpec(node.input, node.window), node.scale, read(node.input));
    case 'transpose':
      return goldenTranspose(rows(node.input), tensorOf(node.input).shape.c, read(node.input));
    case 'softmax':
      return goldenSoftmax(node.params, rows(node.input), tensorOf(node.input).shape.c, read(node.input));
    case 'layernorm':
      return goldenLayerNorm(node.params, rows(node.input), read(node.input));
    case 'gelu':
      return goldenGelu(node.params, read(node.input));
  }
}
