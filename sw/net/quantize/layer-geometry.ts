/**
 * What a Conv, Gemm or MatMul with constant weights becomes as a layer: its kind and geometry (a
 * LayerSpec without the types), its float weights in im2col order and its float bias. A layer's
 * geometry is its input tensor's shape. A Gemm or MatMul of one row reads whatever tensor holds
 * the row, in whatever order (a flattened image): over a 1 x 1 x K tensor it is an fc layer, over
 * an H x W x C tensor a conv whose kernel is the whole input (its im2col order is the tensor's
 * byte order), and its weight columns are permuted to the buffer's order. The lowering hands a
 * Conv or a token MatMul its input in natural order, its view the tensor's shape.
 */
import type { Graph, GraphNode, Tensor } from '../../onnx/graph.js';
import type { TensorShape } from '../graph.js';
import type { LayerSpec } from '../../layers/spec.js';
import { constantInput, intAttribute, intsAttribute, nodeError, stringAttribute } from '../attributes.js';
import { placementOrder, type Placement } from '../layout.js';
import { convSource, denseSource, gather, type WeightMatrix } from './weights.js';

export type LayerGeometry = Omit<LayerSpec, 'name' | 'inputSigned' | 'output' | 'relu'>;

export interface LayerSource {
  readonly geometry: LayerGeometry;
  /** The weight constant's name (a QDQ model fixes its scales). */
  readonly weightName: string;
  /** The axis of the ONNX weight that runs over output channels. */
  readonly channelAxis: number;
  readonly weights: WeightMatrix<Float32Array>;
  readonly bias: Float64Array;
  /**
   * A grouped convolution's groups (1 otherwise): the geometry is one group's (inC and outC its
   * share), the weights and bias are all channels', group after group.
   */
  readonly groups: number;
}

function floatConstant(graph: Graph, node: GraphNode, index: number, what: string): Tensor {
  const tensor = constantInput(graph, node, index);
  if (!tensor) {
    const problem = node.op === 'Conv' ? 'must be a constant' : 'must be a constant (a MatMul of two activations is not yet supported by the integer lowering)';
    throw nodeError(graph, node, `${what} '${node.inputs[index]}' ${problem}`);
  }
  if (tensor.type !== 'float32') throw nodeError(graph, node, `${what} '${node.inputs[index]}' is ${tensor.type}, not float32`);
  return tensor;
}

function biasOf(graph: Graph, node: GraphNode, index: number, channels: number): Float64Array {
  if (!node.inputs[index]) return new Float64Array(channels);
  const tensor = floatConstant(graph, node, index, 'the bias');
  const size = tensor.data.length;
  // One value per output channel: [N] or [1, N] (a bias per token as well is no layer's bias).
  if (size !== channels || tensor.dims.slice(0, -1).some((d) => d !== 1)) {
    throw nodeError(graph, node, `the bias of shape [${tensor.dims.join(', ')}] is not one value per output channel (${channels})`);
  }
  return Float64Array.from(tensor.data);
}

export function convSourceOf(graph: Graph, node: GraphNode, input: Placement): LayerSource {
  if (input.dims.length !== 4) throw nodeError(graph, node, `input '${node.inputs[0]}' of shape [${input.dims.join(', ')}] is no image`);
  const weight = floatConstant(graph, node, 1, 'the weight');
  const [outC, groupC, kH, kW] = weight.dims as [number, number, number, number];
  const { h: inH, w: inW, c: inC } = input.view;
  const group = intAttribute(graph, node, 'group', 1);
  const autoPad = stringAttribute(graph, node, 'auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET') throw nodeError(graph, node, `auto_pad ${autoPad} should have been resolved to pads by the front end`);
  const dilations = intsAttribute(graph, node, 'dilations', [1, 1]);
  if (dilations.some((d) => d !== 1)) throw nodeError(graph, node, `dilations [${dilations.join(', ')}] are not supported (the kernels read dense windows)`);
  const strides = intsAttribute(graph, node, 'strides', [1, 1]);
  if (strides[0] !== strides[1]) throw nodeError(graph, node, `strides [${strides.join(', ')}] differ between the axes (the kernels take one stride)`);
  const [top, left, bottom, right] = intsAttribute(graph, node, 'pads', [0, 0, 0, 0]) as [number, number, number, number];
  const pad = { top, left, bottom, right };
  const stride = strides[0]!;
  const depthwise = group > 1 && group === inC && outC === inC && groupC === 1;
  // Other groupings become one layer per group, reading and writing channel slices (views).
  const groups = depthwise ? 1 : group;
  if (groups > 1 && (inC % groups !== 0 || outC % groups !== 0 || groupC !== inC / groups)) {
    throw nodeError(graph, node, `a grouped convolution of ${group} groups over ${inC} channels into ${outC} (weights of ${groupC} input channels) does not divide its channels evenly`);
  }
  const pointwise = kH === 1 && kW === 1 && stride === 1 && top + left + bottom + right === 0;
  const kind: LayerGeometry['kind'] = depthwise ? 'dw' : pointwise ? 'pointwise' : 'conv';
  const source = kind === 'dw' ? undefined : convSource(weight.dims);
  const data = Float32Array.from(weight.data);
  return {
    geometry: { kind, inH, inW, inC: inC / groups, outC: outC / groups, kH, kW, stride, pad },
    weightName: node.inputs[1]!,
    channelAxis: 0,
    weights: { channels: outC, k: data.length / outC, data: source ? gather(data, source) : data },
    bias: biasOf(graph, node, 2, outC),
    groups,
  };
}

/** Gemm (A x B + C, B constant, optionally transposed) and MatMul with a constant 2-D B, over `tensor`, the input's buffer. */
export function denseSourceOf(graph: Graph, node: GraphNode, input: Placement, tensor: TensorShape): LayerSource {
  if (node.op === 'Gemm' && intAttribute(graph, node, 'transA', 0) !== 0) throw nodeError(graph, node, 'transA is not supported (the activation is the left operand, untransposed)');
  const weight = floatConstant(graph, node, 1, 'the weight');
  const transposed = node.op === 'Gemm' && intAttribute(graph, node, 'transB', 0) !== 0;
  if (weight.dims.length !== 2) throw nodeError(graph, node, `the weight of shape [${weight.dims.join(', ')}] is not a matrix (batched constant weights are not supported)`);
  const [k, n] = (transposed ? [weight.dims[1], weight.dims[0]] : weight.dims) as [number, number];
  const features = input.dims[input.dims.length - 1]!;
  // Every dimension before the features counts tokens: [1, T, D] and PyTorch's [T, 1, D] alike.
  const tokens = input.dims.slice(0, -1).reduce((a, b) => a * b, 1);
  if (features !== k) throw nodeError(graph, node, `input '${node.inputs[0]}' has ${features} features, the weight ${k}`);
  const pad = { top: 0, left: 0, bottom: 0, right: 0 };
  let geometry: LayerGeometry;
  if (tokens > 1) geometry = { kind: 'matmul', inH: tokens, inW: 1, inC: k, outC: n, kH: 1, kW: 1, stride: 1, pad };
  else if (tensor.h === 1 && tensor.w === 1) geometry = { kind: 'fc', inH: 1, inW: 1, inC: k, outC: n, kH: 1, kW: 1, stride: 1, pad };
  else geometry = { kind: 'conv', inH: tensor.h, inW: tensor.w, inC: tensor.c, outC: n, kH: tensor.h, kW: tensor.w, stride: 1, pad };
  // One row: the weight columns follow the buffer's order (the identity for tokens, which are in natural order).
  const columns = tokens === 1 ? placementOrder(input) : Int32Array.from({ length: k }, (_, j) => j);
  return {
    geometry,
    weightName: node.inputs[1]!,
    channelAxis: transposed ? 0 : 1,
    weights: { channels: n, k, data: gather(Float32Array.from(weight.data), denseSource(k, n, transposed, columns)) },
    bias: node.op === 'Gemm' ? biasOf(graph, node, 2, n) : new Float64Array(n),
    groups: 1,
  };
}
