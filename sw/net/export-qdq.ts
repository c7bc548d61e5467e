/**
 * An integer network (sw/net/graph.ts) written as the QDQ ONNX model onnxruntime runs
 * (docs/compiler.md#checking-the-golden-network-against-onnxruntime): every tensor a
 * QuantizeLinear output with the tensor's scale and zero point 0 (int8 or uint8), read through a
 * DequantizeLinear; every layer a float Conv of per-channel int8 weights (DequantizeLinear, axis 0)
 * and an int32 bias at input scale times weight scale, or for weights read from a tensor
 * (attention) a MatMul of the two dequantized tensors; adds, pools, ReLUs, Transpose, Softmax,
 * LayerNormalization and Gelu float operators between. This is the model onnxruntime's
 * quantize_static (QuantFormat.QDQ, symmetric activations) writes for the same scales. Views and
 * constant tensors are slices, concatenations and initializers of integers (export-qdq-storage.ts).
 *
 * The model is written from the integer network, not from the canonical graph: the network is
 * what the golden model runs (its pruned weights, its folded biases, its fused ReLUs, its widened
 * output scales, its aliases resolved), so nothing of the quantizer's choices is redone here. The
 * network keeps no weight scales, only each channel's requantization factor multiplier *
 * 2^-(15 + shift) = scale_in * scale_w / scale_out; the weight scales written are those the factor
 * represents, so that onnxruntime applies the very factor the kernels apply and the two differ by
 * their rounding conventions alone. LayerNormalization's gamma, beta and epsilon are likewise those
 * its integer parameters represent. Every tensor is [1, C, H, W] in the model (a token matrix T x
 * 1 x D is [1, D, T, 1]); fully connected and token layers are 1x1 (or whole-input) convolutions.
 */
import type { LayerSpec } from '../layers/spec.js';
import { MEAN_FRACTION_BITS, NORM_FRACTION_BITS, type LayerNormParameters } from '../layers/layernorm.js';
import { OnnxBuilder } from '../onnx/builder.js';
import { makeTensor } from '../onnx/tensor.js';
import { nodeInputs, type LayerNode, type NetTensor, type Network, type PoolWindow } from './graph.js';
import { elementType, onnxDims, QdqStorage, reshape } from './export-qdq-storage.js';
import { convSource } from './quantize/weights.js';

export { onnxDims, toOnnxOrder } from './export-qdq-storage.js';

/** The first opset with the Gelu operator is 20 (per-axis DequantizeLinear since 13, LayerNormalization since 17). */
const QDQ_OPSET = 20;

export interface QdqModel {
  readonly bytes: Uint8Array;
  /**
   * The tensors the model takes as inputs (the network's input, or with `isolated` every tensor a
   * node reads but the constants, views read in place among them), each int8 or uint8, [1, C, H, W],
   * named after the tensor.
   */
  readonly inputs: readonly string[];
  /** For each tensor the model outputs, the name of the model output holding its quantized values. */
  readonly outputs: ReadonlyMap<string, string>;
}

export interface QdqExportOptions {
  /** Make every tensor written by a node a model output, not only the network's outputs (to see where two runs part). */
  readonly everyTensor?: boolean;
  /**
   * Make every tensor a node reads a model input, so that each node computes on given values
   * rather than on its producers' results: fed the golden network's tensors, every node is then
   * compared alone, without the differences of the nodes before it.
   */
  readonly isolated?: boolean;
  /**
   * A layer's own weight scales, one per output channel (for instance quantize_static's max |w| /
   * 127 of the float weights), or undefined to take those its requantization factors represent.
   * Not asked for a layer whose weights are a tensor: their scale is that tensor's.
   */
  readonly weightScales?: (layer: LayerNode) => ArrayLike<number> | undefined;
}

/** The network as a QDQ model taking the network's quantized input (or every tensor a node reads) and giving its quantized outputs (or every tensor a node writes). */
export function exportQdq(network: Network, options: QdqExportOptions = {}): QdqModel {
  const outputs = options.everyTensor ? [...new Set([...network.nodes.map((node) => node.output), ...network.outputs])] : network.outputs;
  // Constants are the model's initializers in either mode: they hold the same bytes in both runs.
  const read = options.isolated ? network.nodes.flatMap(nodeInputs).filter((name) => !network.constants?.has(name)) : [];
  const inputs = [...new Set([network.input, ...read])];
  return new QdqWriter(network, options.weightScales ?? (() => undefined)).run(inputs, outputs);
}

/**
 * Model values are named after the network's: a model input or a constant after its tensor, a
 * node's float result `<node>/<op>_output_0`, its QuantizeLinear `<tensor>/QuantizeLinear_output_0`
 * (the network's node and tensor names come from the ONNX file, where `<node>_output_0` is often a
 * tensor's name: a suffix keeps them apart).
 */
class QdqWriter {
  private readonly b: OnnxBuilder;
  private readonly storage: QdqStorage;
  /** The QuantizeLinear output of every tensor a node writes. */
  private readonly written = new Map<string, string>();
  /** The model value holding each tensor's real values (its DequantizeLinear), made when first read. */
  private readonly real = new Map<string, string>();
  private readonly withParameters = new Set<string>();

  constructor(
    private readonly network: Network,
    private readonly modelWeightScales: (layer: LayerNode) => ArrayLike<number> | undefined,
  ) {
    this.b = new OnnxBuilder(QDQ_OPSET, network.name);
    this.storage = new QdqStorage(this.b, network, (what) => this.refuse(what));
  }

  run(inputTensors: readonly string[], outputTensors: readonly string[]): QdqModel {
    const { network, b } = this;
    for (const name of inputTensors) {
      const tensor = this.tensor(name);
      this.storage.set(name, b.input(name, elementType(tensor), onnxDims(tensor.shape)));
    }
    for (const node of network.nodes) {
      switch (node.op) {
        case 'layer':
          if (node.weightTensor === undefined) this.layer(node);
          else this.activationWeightLayer(node, node.weightTensor);
          break;
        case 'add': {
          const sum = b.node('Add', node.inputs.map((name) => this.dequantized(name)), {}, { name: `${node.name}/Add` });
          this.quantize(node.output, node.scale.relu ? b.node('Relu', [sum], {}, { name: `${node.name}/Relu` }) : sum);
          break;
        }
        case 'maxpool':
          this.quantize(node.output, b.node('MaxPool', [this.dequantized(node.input)], windowAttributes(node.window), { name: `${node.name}/MaxPool` }));
          break;
        case 'avgpool':
          // The kernels count padding as zeros (count_include_pad 1).
          this.quantize(node.output, b.node('AveragePool', [this.dequantized(node.input)], { ...windowAttributes(node.window), count_include_pad: 1 }, { name: `${node.name}/AveragePool` }));
          break;
        case 'transpose': {
          // P pixels of C channels, [1, C, H, W], become C x 1 x P, [1, P, C, 1].
          const { shape } = this.tensor(node.input);
          const rows = reshape(this.b, this.dequantized(node.input), [1, shape.c, shape.h, shape.w], [1, shape.c, shape.h * shape.w, 1], `${node.name}/input`);
          this.quantize(node.output, b.node('Transpose', [rows], { perm: [0, 2, 1, 3] }, { name: `${node.name}/Transpose` }));
          break;
        }
        case 'softmax':
          // Each pixel's (token's) row of channels: axis 1 of [1, C, H, W].
          this.quantize(node.output, b.node('Softmax', [this.dequantized(node.input)], { axis: 1 }, { name: `${node.name}/Softmax` }));
          break;
        case 'layernorm':
          this.layerNorm(node.name, node.input, node.output, node.params);
          break;
        case 'gelu':
          this.quantize(node.output, b.node('Gelu', [this.dequantized(node.input)], {}, { name: `${node.name}/Gelu` }));
          break;
      }
    }
    const outputs = new Map<string, string>();
    for (const name of outputTensors) {
      const tensor = this.tensor(name);
      const value = this.written.get(name);
      if (!value) throw new RangeError(`${network.name}: output '${name}' is written by no node`);
      b.output(value, elementType(tensor), onnxDims(tensor.shape));
      outputs.set(name, value);
    }
    return { bytes: b.toBytes(), inputs: inputTensors, outputs };
  }

  /**
   * Conv(DequantizeLinear(input), DequantizeLinear(int8 weights), DequantizeLinear(int32 bias)),
   * a ReLU when the layer has one, then the output's QuantizeLinear.
   */
  private layer(node: LayerNode): void {
    const { spec } = node;
    const [inScale, outScale] = [this.tensor(node.input).scale, this.tensor(node.output).scale];
    // By default the weight scale whose factor scale_in * scale_w / scale_out is the one the kernels apply.
    const weightScales = Array.from(this.modelWeightScales(node) ?? node.quantization.map((q) => (factorOf(q) * outScale) / inScale));
    if (weightScales.length !== spec.outC) throw new RangeError(`${this.network.name}: layer '${node.name}' has ${spec.outC} output channels, and ${weightScales.length} weight scales were given`);
    const depthwise = spec.kind === 'dw';
    const dims = [spec.outC, depthwise ? 1 : spec.inC, spec.kH, spec.kW];
    const weights = new Int8Array(node.weights.length);
    if (depthwise) weights.set(node.weights);
    else convSource(dims).forEach((from, i) => (weights[from] = node.weights[i]!));
    const channels = [spec.outC];
    const w = this.b.node('DequantizeLinear', [
      this.b.initializer(`${node.name}/weight`, makeTensor('int8', dims, weights)),
      this.b.initializer(`${node.name}/weight_scale`, makeTensor('float32', channels, weightScales)),
      this.b.initializer(`${node.name}/weight_zero_point`, makeTensor('int8', channels, new Int8Array(spec.outC))),
    ], { axis: 0 }, { name: `${node.name}/weight/DequantizeLinear` });
    const bias = this.b.node('DequantizeLinear', [
      this.b.initializer(`${node.name}/bias`, makeTensor('int32', channels, node.quantization.map((q) => q.bias))),
      this.b.initializer(`${node.name}/bias_scale`, makeTensor('float32', channels, weightScales.map((s) => s * inScale))),
      this.b.initializer(`${node.name}/bias_zero_point`, makeTensor('int32', channels, new Int32Array(spec.outC))),
    ], { axis: 0 }, { name: `${node.name}/bias/DequantizeLinear` });
    const window: PoolWindow = { kH: spec.kH, kW: spec.kW, stride: spec.stride, pad: spec.pad };
    const conv = this.b.node('Conv', [this.layerInput(node.input, spec), w, bias], { ...windowAttributes(window), group: depthwise ? spec.inC : 1 }, { name: `${node.name}/Conv` });
    this.quantize(node.output, spec.relu ? this.b.node('Relu', [conv], {}, { name: `${node.name}/Relu` }) : conv);
  }

  /**
   * A matmul whose weights are a tensor's bytes (outC rows of K, the tensor outC x 1 x K, int8):
   * W^T X of the dequantized tensors as K x outC and K x T matrices, plus the int32 bias at
   * scale_in * scale_w, times each channel's factor over scale_in * scale_w / scale_out (the
   * constants the quantizer folded into the requantization, 1 / sqrt(d) for the scores), a ReLU
   * when the layer has one, then the output's QuantizeLinear.
   */
  private activationWeightLayer(node: LayerNode, weightTensor: string): void {
    const { spec } = node;
    const [weights, output] = [this.tensor(weightTensor), this.tensor(node.output)];
    const [tokens, k, channels] = [spec.inH * spec.inW, spec.inC, spec.outC];
    if (!weights.signed || weights.shape.h * weights.shape.w !== channels || weights.shape.c !== k) {
      throw this.refuse(`layer '${node.name}', whose weights '${weightTensor}' (${weights.shape.h}x${weights.shape.w}x${weights.shape.c}, ${elementType(weights)}) are not ${channels} int8 rows of ${k}`);
    }
    const accumulatorScale = this.tensor(node.input).scale * weights.scale;
    const x = reshape(this.b, this.layerInput(node.input, spec), [1, k, spec.inH, spec.inW], [k, tokens], `${node.name}/input`);
    const rows = reshape(this.b, this.dequantized(weightTensor), onnxDims(weights.shape), [k, channels], `${node.name}/weight`);
    const w = this.b.node('Transpose', [rows], { perm: [1, 0] }, { name: `${node.name}/weight/Transpose` });
    const product = this.b.node('MatMul', [w, x], {}, { name: `${node.name}/MatMul` });
    const column = [channels, 1];
    const bias = this.b.node('DequantizeLinear', [
      this.b.initializer(`${node.name}/bias`, makeTensor('int32', column, node.quantization.map((q) => q.bias))),
      this.b.initializer(`${node.name}/bias_scale`, makeTensor('float32', [], [accumulatorScale])),
      this.b.initializer(`${node.name}/bias_zero_point`, makeTensor('int32', [], [0])),
    ], {}, { name: `${node.name}/bias/DequantizeLinear` });
    const biased = this.b.node('Add', [product, bias], {}, { name: `${node.name}/Add` });
    const gains = node.quantization.map((q) => (factorOf(q) * output.scale) / accumulatorScale);
    const scaled = this.b.node('Mul', [biased, this.b.initializer(`${node.name}/gain`, makeTensor('float32', column, gains))], {}, { name: `${node.name}/Mul` });
    const result = reshape(this.b, scaled, [channels, tokens], onnxDims(output.shape), `${node.name}/output`);
    this.quantize(node.output, spec.relu ? this.b.node('Relu', [result], {}, { name: `${node.name}/Relu` }) : result);
  }

  /**
   * LayerNormalization over each pixel's channels: ONNX's normalizes the last axes, so the
   * [1, D, T, 1] token matrix goes through [1, T, 1, D] and back.
   */
  private layerNorm(name: string, input: string, output: string, params: LayerNormParameters): void {
    const affine = representedLayerNorm(params, this.tensor(input).scale, this.tensor(output).scale);
    const features = [params.features];
    const last = this.b.node('Transpose', [this.dequantized(input)], { perm: [0, 2, 3, 1] }, { name: `${name}/ToChannelsLast` });
    const normalized = this.b.node('LayerNormalization', [
      last,
      this.b.initializer(`${name}/gamma`, makeTensor('float32', features, affine.gamma)),
      this.b.initializer(`${name}/beta`, makeTensor('float32', features, affine.beta)),
    ], { axis: -1, epsilon: affine.epsilon }, { name: `${name}/LayerNormalization` });
    this.quantize(output, this.b.node('Transpose', [normalized], { perm: [0, 3, 1, 2] }, { name: `${name}/ToChannelsFirst` }));
  }

  /**
   * The layer's input as its spec sees it. A fully connected layer may read a tensor's bytes with
   * another HWC shape (a flattened image as 1 x 1 x K): the bytes are reinterpreted, which in
   * NCHW is a transpose to NHWC, a reshape, and a transpose back.
   */
  private layerInput(name: string, spec: LayerSpec): string {
    const { shape } = this.tensor(name);
    const x = this.dequantized(name);
    if (shape.h === spec.inH && shape.w === spec.inW && shape.c === spec.inC) return x;
    const nhwc = this.b.node('Transpose', [x], { perm: [0, 2, 3, 1] }, { name: `${spec.name}/input/ToNHWC` });
    const target = this.b.initializer(`${spec.name}/input/shape`, makeTensor('int64', [4], [1, spec.inH, spec.inW, spec.inC]));
    const reshaped = this.b.node('Reshape', [nhwc, target], {}, { name: `${spec.name}/input/Reshape` });
    return this.b.node('Transpose', [reshaped], { perm: [0, 3, 1, 2] }, { name: `${spec.name}/input/ToNCHW` });
  }

  private quantize(name: string, value: string): void {
    const tensor = this.tensor(name);
    const [scale, zeroPoint] = this.parameters(tensor);
    const quantized = this.b.node('QuantizeLinear', [value, scale, zeroPoint], {}, { name: `${name}/QuantizeLinear` });
    this.written.set(name, quantized);
    this.storage.set(name, quantized);
  }

  private dequantized(name: string): string {
    const known = this.real.get(name);
    if (known) return known;
    const quantized = this.storage.get(name);
    const [scale, zeroPoint] = this.parameters(this.tensor(name));
    const real = this.b.node('DequantizeLinear', [quantized, scale, zeroPoint], {}, { name: `${name}/DequantizeLinear` });
    this.real.set(name, real);
    return real;
  }

  /** The tensor's scale and zero point (0, of the tensor's type) constants, made once. */
  private parameters(tensor: NetTensor): [string, string] {
    const [scale, zeroPoint] = [`${tensor.name}/scale`, `${tensor.name}/zero_point`];
    if (!this.withParameters.has(tensor.name)) {
      this.withParameters.add(tensor.name);
      this.b.initializer(scale, makeTensor('float32', [], [tensor.scale]));
      this.b.initializer(zeroPoint, makeTensor(elementType(tensor), [], [0]));
    }
    return [scale, zeroPoint];
  }

  private tensor(name: string): NetTensor {
    return this.storage.tensor(name);
  }

  private refuse(what: string): Error {
    return new RangeError(`${this.network.name}: the QDQ export does not support ${what}`);
  }
}

/** The requantization factor multiplier * 2^-(15 + shift) a channel's integers stand for. */
const factorOf = (q: { readonly multiplier: number; readonly shift: number }): number => q.multiplier * 2 ** -(15 + q.shift);

/**
 * The float gamma, beta and epsilon a LayerNormNode's integers stand for (the inverse of
 * layerNormParameters, sw/layers/layernorm.ts): G_j = gamma_j * sqrt(D / 2^s) / (s_out * 2^10) and
 * B_j = beta_j / s_out, both in units of 2^-outputShift; epsilon in units of s_in^2 * D * 2^(14 - s)
 * (what the integers add, at least 1).
 */
export function representedLayerNorm(params: LayerNormParameters, inputScale: number, outputScale: number): { gamma: Float64Array; beta: Float64Array; epsilon: number } {
  const unit = outputScale / 2 ** params.outputShift;
  const normScale = 2 ** NORM_FRACTION_BITS / Math.sqrt(params.features / 2 ** params.squareShift);
  return {
    gamma: Float64Array.from(params.gamma, (g) => g * unit * normScale),
    beta: Float64Array.from(params.beta, (b) => b * unit),
    epsilon: (params.epsilon * inputScale ** 2) / (params.features * 2 ** (2 * MEAN_FRACTION_BITS - params.squareShift)),
  };
}

function windowAttributes(window: PoolWindow): Record<string, readonly number[]> {
  const { top, left, bottom, right } = window.pad;
  return { kernel_shape: [window.kH, window.kW], strides: [window.stride, window.stride], pads: [top, left, bottom, right] };
}
