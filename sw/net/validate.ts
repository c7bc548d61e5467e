/**
 * Checks that an integer network is one the compiler and the golden model can take: every tensor a
 * node reads exists and is written before (the input by the host, the constants with their bytes),
 * every tensor is written once, views lie inside their parents, and each node's shapes and types
 * agree with its tensors. Each error names the node or the tensor.
 */
import { poolOutputHeight, poolOutputWidth } from '../layers/pool.js';
import { outputHeight, outputWidth, reductionLength, validateLayer } from '../layers/spec.js';
import type { NetNode, NetTensor, Network, TensorShape } from './graph.js';
import { nodeInputs } from './graph.js';

export class NetworkError extends Error {
  override name = 'NetworkError';
}

const shapeText = (s: TensorShape): string => `${s.h}x${s.w}x${s.c}`;
const sameShape = (a: TensorShape, b: TensorShape): boolean => a.h === b.h && a.w === b.w && a.c === b.c;
const elements = (s: TensorShape): number => s.h * s.w * s.c;
const typeText = (signed: boolean): string => (signed ? 'int8' : 'uint8');

/** The shape and signedness a node's output must have, given its inputs. */
function expectedOutput(node: NetNode, inputs: readonly NetTensor[]): { shape: TensorShape; signed: boolean } {
  const [input] = inputs as [NetTensor];
  switch (node.op) {
    case 'layer': {
      const s = node.spec;
      validateLayer(s);
      // A layer may read its input flat (an fc after a Flatten): the same bytes, another shape.
      if (elements(input.shape) !== s.inH * s.inW * s.inC || (input.view && !sameShape(input.shape, { h: s.inH, w: s.inW, c: s.inC }))) {
        throw new Error(`its input ${input.name} is ${shapeText(input.shape)}, the layer takes ${s.inH}x${s.inW}x${s.inC}`);
      }
      if (input.signed !== s.inputSigned) throw new Error(`its input ${input.name} is ${typeText(input.signed)}, the layer takes ${typeText(s.inputSigned)}`);
      if (node.weightTensor !== undefined) {
        const weights = inputs[1]!;
        if (!s.activationWeights) throw new Error('it reads its weights from a tensor but its spec has no activationWeights');
        if (!sameShape(weights.shape, { h: s.outC, w: 1, c: reductionLength(s) })) throw new Error(`its weight tensor ${weights.name} is ${shapeText(weights.shape)}, not ${s.outC}x1x${reductionLength(s)}`);
      } else if (node.weights.length !== s.outC * reductionLength(s)) {
        throw new Error(`it has ${node.weights.length} weights, not ${s.outC} x ${reductionLength(s)}`);
      }
      return { shape: { h: outputHeight(s), w: outputWidth(s), c: s.outC }, signed: s.output === 'int8' };
    }
    case 'add': {
      const [a, b] = inputs as [NetTensor, NetTensor];
      if (!sameShape(a.shape, b.shape)) throw new Error(`its inputs ${a.name} (${shapeText(a.shape)}) and ${b.name} (${shapeText(b.shape)}) differ in shape`);
      return { shape: a.shape, signed: node.scale.outputType === 'int8' };
    }
    case 'maxpool':
    case 'avgpool': {
      const pool = { name: node.name, inH: input.shape.h, inW: input.shape.w, c: input.shape.c, signed: input.signed, ...node.window };
      const shape = { h: poolOutputHeight(pool), w: poolOutputWidth(pool), c: input.shape.c };
      return { shape, signed: node.op === 'maxpool' ? input.signed : node.scale.outputType === 'int8' };
    }
    case 'transpose':
      return { shape: { h: input.shape.c, w: 1, c: input.shape.h * input.shape.w }, signed: input.signed };
    case 'softmax':
    case 'layernorm':
    case 'gelu':
      if (!input.signed) throw new Error(`its input ${input.name} is uint8, the operator takes int8`);
      return { shape: input.shape, signed: node.op !== 'softmax' };
  }
}

function checkView(network: Network, tensor: NetTensor): void {
  const view = tensor.view;
  if (!view) return;
  const where = `network '${network.name}', tensor '${tensor.name}'`;
  const parent = network.tensors.get(view.parent);
  if (!parent) throw new NetworkError(`${where}: it is a view of '${view.parent}', which the network does not have`);
  if (parent.view) throw new NetworkError(`${where}: its parent '${parent.name}' is itself a view`);
  if (parent.signed !== tensor.signed) throw new NetworkError(`${where}: it is ${typeText(tensor.signed)}, its parent '${parent.name}' ${typeText(parent.signed)}`);
  const pixels = tensor.shape.h * tensor.shape.w;
  const inside = view.pixelOffset >= 0 && view.channelOffset >= 0 && view.pixelOffset + pixels <= parent.shape.h * parent.shape.w && view.channelOffset + tensor.shape.c <= parent.shape.c;
  if (!inside) throw new NetworkError(`${where}: ${pixels} pixels from ${view.pixelOffset} and ${tensor.shape.c} channels from ${view.channelOffset} lie outside its parent '${parent.name}' (${shapeText(parent.shape)})`);
}

export function validateNetwork(network: Network): void {
  const constants = network.constants ?? new Map<string, Uint8Array>();
  const written = new Set<string>([network.input]);
  if (!network.tensors.has(network.input)) throw new NetworkError(`network '${network.name}': its input tensor '${network.input}' is not among its tensors`);
  for (const tensor of network.tensors.values()) checkView(network, tensor);
  for (const [name, bytes] of constants) {
    const tensor = network.tensors.get(name);
    if (!tensor) throw new NetworkError(`network '${network.name}': constant '${name}' is not among its tensors`);
    if (bytes.length !== elements(tensor.shape)) throw new NetworkError(`network '${network.name}': constant '${name}' holds ${bytes.length} bytes, its tensor is ${shapeText(tensor.shape)}`);
    written.add(name);
  }
  for (const node of network.nodes) {
    const where = `network '${network.name}', node '${node.name}' (${node.op})`;
    const inputs = nodeInputs(node).map((name) => {
      const tensor = network.tensors.get(name);
      if (!tensor) throw new NetworkError(`${where}: it reads tensor '${name}', which the network does not have`);
      if (!written.has(name) && !(tensor.view && written.has(tensor.view.parent))) throw new NetworkError(`${where}: it reads tensor '${name}' before any node writes it`);
      return tensor;
    });
    const output = network.tensors.get(node.output);
    if (!output) throw new NetworkError(`${where}: it writes tensor '${node.output}', which the network does not have`);
    if (written.has(node.output)) throw new NetworkError(`${where}: tensor '${node.output}' is written twice`);
    written.add(node.output);
    // A parent whose views are all written counts as written (a concatenation).
    if (output.view && [...network.tensors.values()].filter((t) => t.view?.parent === output.view!.parent).every((t) => written.has(t.name))) written.add(output.view.parent);
    let expected: { shape: TensorShape; signed: boolean };
    try {
      expected = expectedOutput(node, inputs);
    } catch (error) {
      throw new NetworkError(`${where}: ${(error as Error).message}`);
    }
    if (!sameShape(expected.shape, output.shape) || expected.signed !== output.signed) {
      throw new NetworkError(`${where}: it computes ${shapeText(expected.shape)} ${typeText(expected.signed)}, its output tensor '${output.name}' is ${shapeText(output.shape)} ${typeText(output.signed)}`);
    }
  }
  for (const name of network.outputs) if (!written.has(name)) throw new NetworkError(`network '${network.name}': output '${name}' is written by no node`);
}
