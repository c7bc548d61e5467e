/**
 * Checks that an integer network is one the compiler and the golden model can take: every tensor a
 * node reads exists and is written before (the input by the host), every tensor is written once,
 * and each node's shapes and types agree with its tensors. Each error names the node.
 */
import { outputHeight, outputWidth, validateLayer } from '../layers/spec.js';
import { poolOutputHeight, poolOutputWidth } from '../layers/pool.js';
import type { NetNode, NetTensor, Network, TensorShape } from './graph.js';
import { nodeInputs } from './graph.js';

export class NetworkError extends Error {
  override name = 'NetworkError';
}

const shapeText = (s: TensorShape): string => `${s.h}x${s.w}x${s.c}`;
const sameShape = (a: TensorShape, b: TensorShape): boolean => a.h === b.h && a.w === b.w && a.c === b.c;

/** The shape and signedness a node's output must have, given its inputs. */
function expectedOutput(node: NetNode, inputs: readonly NetTensor[]): { shape: TensorShape; signed: boolean } {
  const [input] = inputs as [NetTensor];
  switch (node.op) {
    case 'layer': {
      const s = node.spec;
      validateLayer(s);
      if (!sameShape(input.shape, { h: s.inH, w: s.inW, c: s.inC })) throw new Error(`its input ${input.name} is ${shapeText(input.shape)}, the layer takes ${s.inH}x${s.inW}x${s.inC}`);
      if (input.signed !== s.inputSigned) throw new Error(`its input ${input.name} is ${input.signed ? 'int8' : 'uint8'}, the layer takes ${s.inputSigned ? 'int8' : 'uint8'}`);
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
    case 'softmax':
    case 'layernorm':
    case 'gelu':
      if (!input.signed) throw new Error(`its input ${input.name} is uint8, the operator takes int8`);
      return { shape: input.shape, signed: node.op !== 'softmax' };
  }
}

export function validateNetwork(network: Network): void {
  const written = new Set<string>([network.input]);
  if (!network.tensors.has(network.input)) throw new NetworkError(`network '${network.name}': its input tensor '${network.input}' is not among its tensors`);
  for (const node of network.nodes) {
    const where = `network '${network.name}', node '${node.name}' (${node.op})`;
    const inputs = nodeInputs(node).map((name) => {
      const tensor = network.tensors.get(name);
      if (!tensor) throw new NetworkError(`${where}: it reads tensor '${name}', which the network does not have`);
      if (!written.has(name)) throw new NetworkError(`${where}: it reads tensor '${name}' before any node writes it`);
      return tensor;
    });
    const output = network.tensors.get(node.output);
    if (!output) throw new NetworkError(`${where}: it writes tensor '${node.output}', which the network does not have`);
    if (written.has(node.output)) throw new NetworkError(`${where}: tensor '${node.output}' is written twice`);
    written.add(node.output);
    let expected: { shape: TensorShape; signed: boolean };
    try {
      expected = expectedOutput(node, inputs);
    } catch (error) {
      throw new NetworkError(`${where}: ${(error as Error).message}`);
    }
    if (!sameShape(expected.shape, output.shape) || expected.signed !== output.signed) {
      throw new NetworkError(`${where}: it computes ${shapeText(expected.shape)} ${expected.signed ? 'int8' : 'uint8'}, its output tensor '${output.name}' is ${shapeText(output.shape)} ${output.signed ? 'int8' : 'uint8'}`);
    }
  }
  for (const name of network.outputs) if (!written.has(name)) throw new NetworkError(`network '${network.name}': output '${name}' is written by no node`);
}
