/**
 * The canonical float graph lowered to the integer network (sw/net/graph.ts), node by node in
 * topological order, with the scales of a ScalePlan: Conv, Gemm and MatMul with constant weights
 * become layers (a following constant Add folded into the bias, a constant Mul into the weights, a
 * following ReLU fused), an Add of two activations a residual add, pools pools, and Flatten,
 * Reshape and Transpose aliases of their input's bytes. A Vision Transformer's parts have files of
 * their own: attention.ts (MatMul of two activations), tokens.ts (Concat, the class token's
 * selection, an Add of a constant), nonlinear.ts (Softmax, LayerNormalization, Gelu).
 */
import { patternName, type SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Graph, GraphNode } from '../../onnx/graph.js';
import { LayerSpecError, outputHeight, outputWidth, validateLayer, type LayerKind, type LayerSpec } from '../../layers/spec.js';
import { pruneNM } from '../../sparse/prune.js';
import { floatAttribute, intAttribute, intsAttribute, nodeError, stringAttribute, type GraphNodeError } from '../attributes.js';
import type { NetNode, NetTensor, Network, PoolWindow, TensorShape, TensorView } from '../graph.js';
import { naturalOrder, naturalView, placementOrder, type Placement } from '../layout.js';
import { activationMatMul } from './attention.js';
import type { LoweringContext } from './context.js';
import { channelConstant, foldConstant, type ChannelAxis, type Epilogue } from './epilogue.js';
import { convSourceOf, denseSourceOf, type LayerSource } from './layer-geometry.js';
import { gelu, layerNormalization, softmax } from './nonlinear.js';
import { transposeIndices } from './positions.js';
import { addConstant, concat, planConcatenations, selection, type PlannedView } from './tokens.js';
import type { ActivationType, ScalePlan, WeightScales } from './plan.js';
import { MAX_LAYER_FACTOR, addRescale, avgPoolRescale, layerRescale } from './requantization.js';
import { satisfiedPatterns } from './sparsity.js';
import { channelPeaks, quantizeBias, quantizeWeights, type WeightMatrix } from './weights.js';
import { ModelError } from '../model-error.js';

export interface PruneOptions {
  readonly pattern: SparsityPattern;
  /** Which layers (by their node's name) to prune; `defaultPrunable(graph)` is the usual choice. */
  readonly layers: (name: string) => boolean;
}

export interface QuantizeOptions {
  readonly prune?: PruneOptions;
  /**
   * Calibrate each activation's range to this percentile of its magnitudes (for instance 99.99)
   * instead of their maximum; a float model only.
   */
  readonly percentile?: number;
}

export interface LayerReport {
  readonly name: string;
  readonly kind: LayerKind;
  /** Reduction length (weights per output channel). */
  readonly k: number;
  /** The pattern the quantizer pruned the layer to. */
  readonly pruned?: SparsityPattern;
  /** The N:M patterns the model's own weights satisfy (a model pruned elsewhere), sparsest first. */
  readonly modelPatterns: readonly SparsityPattern[];
}

export interface QuantizedNetwork extends Network {
  /** Where every graph value that the network holds lives: graph inputs, outputs and inner values. */
  readonly placements: ReadonlyMap<string, Placement>;
  readonly layers: readonly LayerReport[];
  /** What the user should know about how the model's quantization was taken (ScalePlan.notes). */
  readonly notes: readonly string[];
}

const UNSUPPORTED = 'is not yet supported by the integer lowering';

export class Lowering implements LoweringContext {
  readonly tensors = new Map<string, NetTensor>();
  readonly nodes: NetNode[] = [];
  readonly placements = new Map<string, Placement>();
  readonly constants = new Map<string, Uint8Array>();
  private readonly fused = new Set<GraphNode>();
  private readonly reports: LayerReport[] = [];
  private readonly consumers = new Map<string, GraphNode[]>();
  private readonly graphOutputs: Set<string>;
  /** Values computed straight into a slice of a concatenation's tensor. */
  private readonly plannedViews: ReadonlyMap<string, PlannedView>;

  constructor(
    readonly graph: Graph,
    private readonly plan: ScalePlan,
    private readonly options: QuantizeOptions,
  ) {
    for (const node of graph.nodes) for (const name of node.inputs) if (name) this.consumers.set(name, [...(this.consumers.get(name) ?? []), node]);
    this.graphOutputs = new Set(graph.outputs.map((o) => o.name));
    this.plannedViews = planConcatenations(graph);
  }

  run(): QuantizedNetwork {
    const [input] = this.graph.inputs;
    if (!input || this.graph.inputs.length > 1) throw new ModelError(`${this.graph.source}: the integer network takes one input, the graph has ${this.graph.inputs.length}`);
    const view = naturalView(input.dims);
    if (typeof view === 'string') throw new ModelError(`${this.graph.source}: input '${input.name}' of shape [${input.dims.join(', ')}] has ${view}`);
    this.addTensor(input.name, input.dims, view, this.plan.input(input.name));
    for (const node of this.graph.nodes) if (!this.fused.has(node)) this.lower(node);
    const outputs = this.graph.outputs.map((o) => {
      const placement = this.placements.get(o.name);
      if (!placement) throw new ModelError(`${this.graph.source}: output '${o.name}' is no tensor of the integer network`);
      return placement.tensor;
    });
    const constants = this.constants.size > 0 ? { constants: this.constants } : {};
    return { name: this.graph.source, input: input.name, outputs, tensors: this.tensors, nodes: this.nodes, ...constants, placements: this.placements, layers: this.reports, notes: this.plan.notes ?? [] };
  }

  private lower(node: GraphNode): void {
    switch (node.op) {
      case 'Conv':
        return this.layer(node, convSourceOf(this.graph, node, this.exactPlacement(node, 0)));
      case 'Gemm':
      case 'MatMul': {
        if (node.op === 'MatMul' && this.graph.constants.has(node.inputs[0]!)) return selection(this, node);
        if (node.op === 'MatMul' && !this.graph.constants.has(node.inputs[1]!)) return activationMatMul(this, node);
        // Tokens are read as the tensor's rows; one row is read flat, whatever the tensor's shape.
        const input = this.placement(node, 0).view.h > 1 ? this.exactPlacement(node, 0) : this.placement(node, 0);
        return this.layer(node, denseSourceOf(this.graph, node, input, this.tensors.get(input.tensor)!.shape));
      }
      case 'Add':
        return node.inputs.some((name) => this.graph.constants.has(name)) ? addConstant(this, node) : this.add(node);
      case 'Softmax':
        return softmax(this, node);
      case 'LayerNormalization':
        return layerNormalization(this, node);
      case 'Gelu':
        return gelu(this, node);
      case 'Concat':
        return concat(this, node);
      case 'Transpose':
        return this.transpose(node);
      case 'Mul':
        return this.rescale(node);
      case 'MaxPool':
      case 'AveragePool':
      case 'GlobalAveragePool':
        return this.pool(node);
      case 'Flatten':
      case 'Reshape':
        return this.reshape(node);
      case 'Relu':
      case 'Clip':
        throw this.fail(node, `follows an output it cannot be fused into: a ReLU is fused into the Conv, Gemm, MatMul or Add whose output only it reads, and ${this.reluProblem(node)}`);
      default:
        throw this.fail(node, `${node.op} ${UNSUPPORTED}`);
    }
  }

  private reluProblem(node: GraphNode): string {
    if (node.op === 'Clip' && !this.isRelu(node)) return 'a Clip is a ReLU only with min 0';
    const producer = this.graph.nodes.find((n) => n.outputs.includes(node.inputs[0]!));
    if (!producer) return `'${node.inputs[0]}' is the graph's input`;
    if (!['Conv', 'Gemm', 'MatMul', 'Add'].includes(producer.op)) return `'${node.inputs[0]}' comes from ${producer.op} node '${producer.name}'`;
    return `'${node.inputs[0]}' has other readers than this node`;
  }

  fail(node: GraphNode, message: string): GraphNodeError {
    return nodeError(this.graph, node, message);
  }

  /** The placement of the node's input `index`, which must be a tensor of the network. */
  placement(node: GraphNode, index: number): Placement {
    const name = node.inputs[index] ?? '';
    const placement = this.placements.get(name);
    if (placement) return placement;
    const what = this.graph.constants.has(name) ? 'a constant' : 'no tensor of the integer network';
    throw this.fail(node, `input ${index} '${name}' is ${what} (the integer lowering takes activations here)`);
  }

  /**
   * The placement of an input the node reads in natural order with its tensor's own shape: a
   * Flatten in CHW order or a Reshape that changed the HWC shape (not only the ONNX dims) would
   * need a copy, which the network has no node for.
   */
  exactPlacement(node: GraphNode, index: number): Placement {
    const placement = this.placement(node, index);
    if (placement.permuted) {
      throw this.fail(node, `input '${node.inputs[index]}' is in the element order left by node '${placement.permuted.by}' (an image flattened in CHW order, or a Transpose), which only a Gemm or MatMul of one row absorbs`);
    }
    const { shape } = this.tensors.get(placement.tensor)!;
    const { view } = placement;
    if (view.h !== shape.h || view.w !== shape.w || view.c !== shape.c) {
      throw this.fail(node, `input '${node.inputs[index]}' is tensor '${placement.tensor}' (${shape.h}x${shape.w}x${shape.c}) reshaped to ${view.h}x${view.w}x${view.c}: a reshape that changes the HWC shape is not yet supported for ${node.op}`);
    }
    return placement;
  }

  dims(value: string): readonly number[] {
    const info = this.graph.values.get(value);
    if (!info) throw new RangeError(`${this.graph.source}: value '${value}' has no shape`);
    return info.dims;
  }

  addTensor(value: string, dims: readonly number[], shape: TensorShape, type: ActivationType): NetTensor {
    const planned = this.plannedViews.get(value);
    let view: TensorView | undefined;
    if (planned) {
      const parent = this.concatenationTensor(planned.parent);
      if (parent.scale !== type.scale || parent.signed !== type.signed) throw new RangeError(`${this.graph.source}: '${value}' is planned inside '${parent.name}' but has another scale`);
      view = { parent: parent.name, pixelOffset: planned.pixelOffset, channelOffset: planned.channelOffset };
    }
    const tensor: NetTensor = { name: value, shape, signed: type.signed, scale: type.scale, ...(view ? { view } : {}) };
    this.tensors.set(value, tensor);
    this.placements.set(value, { tensor: value, dims, view: shape });
    return tensor;
  }

  /** The tensor of a concatenation's output, made when the first of its parts is. */
  private concatenationTensor(value: string): NetTensor {
    const existing = this.tensors.get(value);
    if (existing) return existing;
    const shape = naturalView(this.dims(value));
    if (typeof shape === 'string') throw new ModelError(`${this.graph.source}: concatenation '${value}' has ${shape}`);
    const type = this.plan.activation(value, false);
    if (!type) throw new ModelError(`${this.graph.source}: the scale of '${value}' is unknown (no calibration range or QuantizeLinear)`);
    return this.addTensor(value, this.dims(value), shape, type);
  }

  elementwiseTensor(value: string, input: Placement, type: ActivationType): NetTensor {
    const tensor = this.addTensor(value, this.dims(value), this.tensors.get(input.tensor)!.shape, type);
    this.placements.set(value, { ...input, tensor: value, dims: this.dims(value) });
    return tensor;
  }

  viewTensor(source: string, view: Omit<TensorView, 'parent'>, shape: TensorShape): string {
    const tensor = this.tensors.get(source)!;
    const storage = tensor.view?.parent ?? source;
    const parent = this.tensors.get(storage)!;
    const isBlock = (t: NetTensor): boolean =>
      (t.view?.pixelOffset ?? 0) === view.pixelOffset && (t.view?.channelOffset ?? 0) === view.channelOffset && t.shape.h === shape.h && t.shape.w === shape.w && t.shape.c === shape.c;
    if (isBlock(tensor)) return source;
    if (parent.scale === tensor.scale && isBlock(parent)) return storage;
    const pixels = shape.h * shape.w;
    const name = `${source}[${view.pixelOffset}:${view.pixelOffset + pixels},${view.channelOffset}:${view.channelOffset + shape.c}]`;
    if (!this.tensors.has(name)) this.tensors.set(name, { name, shape, signed: parent.signed, scale: tensor.scale, view: { parent: storage, ...view } });
    return name;
  }

  outputType(node: GraphNode, value: string, nonNegative: boolean): ActivationType {
    const planned = this.plannedViews.get(value);
    if (planned) return this.concatenationTensor(planned.parent);
    const type = this.plan.activation(value, nonNegative);
    if (!type) throw this.fail(node, `the scale of '${value}' is unknown (no calibration range or QuantizeLinear)`);
    if (!(type.scale > 0) || !Number.isFinite(type.scale)) throw this.fail(node, `the scale of '${value}' is ${type.scale}`);
    return type;
  }

  private isRelu(node: GraphNode): boolean {
    if (node.op === 'Relu') return true;
    return node.op === 'Clip' && node.attributes.get('min') === 0 && floatAttribute(this.graph, node, 'max', Infinity) > 0;
  }

  /** The node reading `value`, when it is the only reader and the value is no graph output. */
  soleConsumer(value: string): GraphNode | undefined {
    const readers = this.consumers.get(value) ?? [];
    return readers.length === 1 && !this.graphOutputs.has(value) ? readers[0] : undefined;
  }

  epilogue(value: string, channels?: ChannelAxis): Epilogue {
    let result: Epilogue = { value, relu: false };
    let next = this.soleConsumer(value);
    while (channels && (next?.op === 'Add' || next?.op === 'Mul')) {
      const constant = channelConstant(this.graph, next, result.value, this.dims(result.value), channels);
      if (!constant) break;
      this.fused.add(next);
      result = foldConstant(result, next, constant);
      next = this.soleConsumer(result.value);
    }
    if (next && this.isRelu(next)) {
      this.fused.add(next);
      result = { ...result, value: next.outputs[0]!, relu: true };
    }
    return result;
  }

  private layer(node: GraphNode, source: LayerSource): void {
    const input = this.placement(node, 0);
    const inTensor = this.tensors.get(input.tensor)!;
    const { geometry } = source;
    const prune = this.options.prune?.layers(node.name) ? this.options.prune.pattern : undefined;
    if (prune && geometry.kind === 'dw') throw this.fail(node, `a depthwise convolution cannot be pruned to ${patternName(prune)}: its kernels are dense only`);
    const after = this.epilogue(node.outputs[0]!, 'image');
    const weights = scaleChannels(prune ? pruneNM(source.weights, prune) : source.weights, after.scale);
    const bias = source.bias.map((b, o) => b * (after.scale?.[o] ?? 1) + (after.bias?.[o] ?? 0));
    let outType = this.outputType(node, after.value, after.relu);
    const fixed = this.plan.weightScales(source.weightName);
    // A model's own weight scales follow the weights a folded Mul scaled.
    const weightScales = fixed ? this.fixedScales(node, source, fixed).map((s, o) => s * Math.abs(after.scale?.[o] ?? 1)) : channelPeaks(weights).map((p) => p / 127);
    // An output range smaller than one accumulator step times MAX_LAYER_FACTOR is not representable: widen it.
    const largestFactor = (inTensor.scale * Math.max(...weightScales)) / outType.scale;
    if (largestFactor > MAX_LAYER_FACTOR) outType = { ...outType, scale: (inTensor.scale * Math.max(...weightScales)) / MAX_LAYER_FACTOR };
    // An all-zero channel's output is its bias alone: any weight scale serves, one giving the factor 1/2 keeps the bias precise.
    const scales = weightScales.map((s) => (s > 0 ? s : outType.scale / (2 * inTensor.scale)));
    const quantized = quantizeWeights(weights, scales, fixed ? -128 : -127);
    const biasSteps = quantizeBias(bias, inTensor.scale, scales);
    if (!Array.isArray(biasSteps)) {
      throw this.fail(node, `the bias of channel ${biasSteps.overflow} (${bias[biasSteps.overflow]}) is beyond int32 at the accumulator's scale ${inTensor.scale * scales[biasSteps.overflow]!}`);
    }
    const spec: LayerSpec = { name: node.name, ...geometry, inputSigned: inTensor.signed, output: outType.signed ? 'int8' : 'uint8', relu: after.relu };
    try {
      validateLayer(spec);
    } catch (error) {
      if (error instanceof LayerSpecError) throw this.fail(node, `is no layer the kernels compute: ${error.message}`);
      throw error;
    }
    const quantization = biasSteps.map((b, o) => ({ bias: b, ...layerRescale((inTensor.scale * scales[o]!) / outType.scale, spec.output, spec.relu) }));
    const groups = source.groups;
    const outShape: TensorShape = { h: outputHeight(spec), w: outputWidth(spec), c: geometry.outC * groups };
    this.checkShape(node, after.value, outShape);
    const output = this.addTensor(after.value, this.dims(after.value), outShape, outType);
    if (groups === 1) {
      this.nodes.push({ op: 'layer', name: node.name, input: input.tensor, output: after.value, spec, weights: quantized.data, quantization });
    } else {
      // Group g reads input channels [g * inC, (g + 1) * inC) and writes its output channels into
      // the output tensor: views on both sides, no data moved.
      if (inTensor.view || output.view) throw this.fail(node, 'a grouped convolution reads and writes whole tensors (here one is a slice of another)');
      const slice = (tensor: NetTensor, c: number, g: number): string => {
        const name = `${tensor.name}#group${g}`;
        this.tensors.set(name, { name, shape: { ...tensor.shape, c }, signed: tensor.signed, scale: tensor.scale, view: { parent: tensor.name, pixelOffset: 0, channelOffset: g * c } });
        return name;
      };
      const k = weights.k;
      for (let g = 0; g < groups; g++) {
        const channels = [g * geometry.outC, (g + 1) * geometry.outC] as const;
        this.nodes.push({
          op: 'layer',
          name: `${node.name}#group${g}`,
          input: slice(inTensor, geometry.inC, g),
          output: slice(output, geometry.outC, g),
          spec: { ...spec, name: `${node.name}#group${g}` },
          weights: quantized.data.slice(channels[0] * k, channels[1] * k),
          quantization: quantization.slice(...channels),
        });
      }
    }
    this.reports.push({
      name: node.name,
      kind: geometry.kind,
      k: weights.k,
      ...(prune ? { pruned: prune } : {}),
      modelPatterns: satisfiedPatterns(source.weights.data, source.weights.k),
    });
  }

  /** A model's own weight scales, one per output channel. */
  private fixedScales(node: GraphNode, source: LayerSource, fixed: WeightScales): Float64Array {
    const channels = source.geometry.outC;
    if (fixed.axis === undefined) return new Float64Array(channels).fill(fixed.scales[0]!);
    if (fixed.axis !== source.channelAxis || fixed.scales.length !== channels) {
      throw this.fail(node, `the weight '${source.weightName}' has ${fixed.scales.length} scales along axis ${fixed.axis}, not one per output channel (axis ${source.channelAxis})`);
    }
    return fixed.scales;
  }

  /** The node's output shape must be the natural view of the graph's value (the front end's shapes and ours agree). */
  private checkShape(node: GraphNode, value: string, shape: TensorShape): void {
    const view = naturalView(this.dims(value));
    if (typeof view === 'string') throw this.fail(node, `output '${value}' has ${view}`);
    if (view.h !== shape.h || view.w !== shape.w || view.c !== shape.c) {
      throw this.fail(node, `computes ${shape.h}x${shape.w}x${shape.c}, but '${value}' is [${this.dims(value).join(', ')}]`);
    }
  }

  private add(node: GraphNode): void {
    const constant = node.inputs.find((name) => this.graph.constants.has(name));
    if (constant) {
      throw this.fail(node, `adds the constant '${constant}' to a value that is not a Conv, Gemm or MatMul output read by this Add alone: only a layer's bias takes a constant`);
    }
    const [a, b] = [this.exactPlacement(node, 0), this.exactPlacement(node, 1)];
    if (a.dims.join() !== b.dims.join()) throw this.fail(node, `adds [${a.dims.join(', ')}] and [${b.dims.join(', ')}]: broadcasting two activations is not supported`);
    const after = this.epilogue(node.outputs[0]!);
    const outType = this.outputType(node, after.value, after.relu);
    const [ta, tb] = [this.tensors.get(a.tensor)!, this.tensors.get(b.tensor)!];
    const rescale = addRescale(ta.scale / outType.scale, tb.scale / outType.scale);
    if (!rescale) throw this.fail(node, `the output scale ${outType.scale} is too small for the input scales ${ta.scale} and ${tb.scale}`);
    this.addTensor(after.value, this.dims(after.value), a.view, outType);
    const scale = { ...rescale, outputType: outType.signed ? ('int8' as const) : ('uint8' as const), relu: after.relu };
    this.nodes.push({ op: 'add', name: node.name, inputs: [a.tensor, b.tensor], output: after.value, scale });
  }

  /**
   * A Mul by a positive constant that no layer before it takes (timm's `q * scale` after the head
   * split): the same bytes read at the scale times the constant, as a view of the whole input
   * tensor (a view of the storage, so views of it are found as for any other tensor).
   */
  private rescale(node: GraphNode): void {
    const index = this.graph.constants.has(node.inputs[0]!) ? 1 : 0;
    const constant = this.graph.constants.get(node.inputs[1 - index]!);
    const factor = constant?.type === 'float32' && constant.data.every((v) => v === constant.data[0]) ? constant.data[0]! : NaN;
    if (!(factor > 0) || this.graph.constants.has(node.inputs[index]!)) {
      throw this.fail(node, `multiplies '${node.inputs[0]}' by '${node.inputs[1]}': only a Mul by a per-channel constant folded into the Conv, Gemm or MatMul whose output only it reads, or by one positive constant, is supported`);
    }
    const input = this.placement(node, index);
    const source = this.tensors.get(input.tensor)!;
    const output = node.outputs[0]!;
    const view = source.view ?? { parent: input.tensor, pixelOffset: 0, channelOffset: 0 };
    this.tensors.set(output, { ...source, name: output, scale: source.scale * factor, view });
    this.placements.set(output, { ...input, tensor: output, dims: this.dims(output) });
  }

  /** A Transpose moves no byte: its output is an alias of its input, in the permuted order (the natural one when it undoes a Reshape). */
  private transpose(node: GraphNode): void {
    const input = this.placement(node, 0);
    const perm = intsAttribute(this.graph, node, 'perm');
    const toOutput = transposeIndices(input.dims, perm);
    const inputOrder = placementOrder(input);
    const order = new Int32Array(inputOrder.length);
    toOutput.forEach((out, i) => (order[out] = inputOrder[i]!));
    this.alias(node, input, order);
  }

  private pool(node: GraphNode): void {
    const input = this.exactPlacement(node, 0);
    if (input.dims.length !== 4) throw this.fail(node, `input '${node.inputs[0]}' of shape [${input.dims.join(', ')}] is no image`);
    const inTensor = this.tensors.get(input.tensor)!;
    const window = this.window(node, input.view);
    const output = node.outputs[0]!;
    const shape: TensorShape = {
      h: Math.floor((input.view.h + window.pad.top + window.pad.bottom - window.kH) / window.stride) + 1,
      w: Math.floor((input.view.w + window.pad.left + window.pad.right - window.kW) / window.stride) + 1,
      c: input.view.c,
    };
    this.checkShape(node, output, shape);
    if (node.op === 'MaxPool') {
      // The maximum commutes with a positive scale: the output keeps the input's type and scale.
      this.addTensor(output, this.dims(output), shape, inTensor);
      this.nodes.push({ op: 'maxpool', name: node.name, input: input.tensor, output, window });
      return;
    }
    const padded = window.pad.top + window.pad.left + window.pad.bottom + window.pad.right > 0;
    if (padded && node.op === 'AveragePool' && intAttribute(this.graph, node, 'count_include_pad', 0) === 0) {
      throw this.fail(node, 'count_include_pad 0 with padding is not supported: the pooling kernels divide every window by its full size');
    }
    const outType = this.outputType(node, output, !inTensor.signed);
    const size = window.kH * window.kW;
    const rescale = avgPoolRescale(inTensor.scale / (outType.scale * size), size * (inTensor.signed ? 128 : 255));
    if (!rescale) throw this.fail(node, `the output scale ${outType.scale} is too small for the input scale ${inTensor.scale}`);
    this.addTensor(output, this.dims(output), shape, outType);
    this.nodes.push({ op: 'avgpool', name: node.name, input: input.tensor, output, window, scale: { ...rescale, outputType: outType.signed ? 'int8' : 'uint8' } });
  }

  private window(node: GraphNode, view: TensorShape): PoolWindow {
    if (node.op === 'GlobalAveragePool') return { kH: view.h, kW: view.w, stride: 1, pad: { top: 0, left: 0, bottom: 0, right: 0 } };
    const autoPad = stringAttribute(this.graph, node, 'auto_pad', 'NOTSET');
    if (autoPad !== 'NOTSET') throw this.fail(node, `auto_pad ${autoPad} should have been resolved to pads by the front end`);
    if (intAttribute(this.graph, node, 'ceil_mode', 0) !== 0) throw this.fail(node, 'ceil_mode 1 is not supported');
    const dilations = intsAttribute(this.graph, node, 'dilations', [1, 1]);
    if (dilations.some((d) => d !== 1)) throw this.fail(node, `dilations [${dilations.join(', ')}] are not supported`);
    const [kH, kW] = intsAttribute(this.graph, node, 'kernel_shape') as [number, number];
    const strides = intsAttribute(this.graph, node, 'strides', [1, 1]);
    if (strides[0] !== strides[1]) throw this.fail(node, `strides [${strides.join(', ')}] differ between the axes (the kernels take one stride)`);
    const [top, left, bottom, right] = intsAttribute(this.graph, node, 'pads', [0, 0, 0, 0]) as [number, number, number, number];
    return { kH, kW, stride: strides[0]!, pad: { top, left, bottom, right } };
  }

  /** Flatten and Reshape keep the buffer; the output is an alias, in a recorded order when it is not the natural one. */
  private reshape(node: GraphNode): void {
    const input = this.placement(node, 0);
    this.alias(node, input, placementOrder(input));
  }

  /** The node's output as the bytes of its input's tensor, element i at buffer position order[i]. */
  private alias(node: GraphNode, input: Placement, order: Int32Array): void {
    const output = node.outputs[0]!;
    const dims = this.dims(output);
    const view = naturalView(dims);
    if (typeof view === 'string') throw this.fail(node, `output '${output}' of shape [${dims.join(', ')}] has ${view}`);
    const natural = naturalOrder(dims);
    const same = order.every((position, i) => position === natural[i]);
    const permuted = same ? undefined : { order, by: input.permuted?.by ?? node.name };
    this.placements.set(output, { tensor: input.tensor, dims, view, ...(permuted ? { permuted } : {}) });
  }
}

/** Each output channel's weights times its factor (a folded Mul), or the weights themselves. */
function scaleChannels(weights: WeightMatrix<Float32Array>, scale: Float64Array | undefined): WeightMatrix<Float32Array> {
  if (!scale) return weights;
  return { ...weights, data: weights.data.map((w, i) => w * scale[Math.floor(i / weights.k)]!) };
}
