/**
 * Vision Transformers with random weights, written as torch.onnx.export writes a ViT whose
 * attention reshapes with `x.shape` (timm's and most hand-written ones): the batch and token
 * counts come from Shape/Gather/Unsqueeze/Concat subgraphs that only folding makes static, the
 * class token is Expanded to the batch, LayerNorm is the ReduceMean pattern before opset 17 and
 * Gelu the Erf pattern. The front end must fold and fuse all of it.
 */
import { Random } from '../../../util/random.js';
import { OnnxBuilder } from '../builder.js';
import type { Tensor } from '../graph.js';
import { makeTensor } from '../tensor.js';
import { normalTensor, uniformTensor } from './weights.js';

export interface VitConfig {
  readonly image: number;
  readonly patch: number;
  /** Embedding width; a multiple of `heads`. */
  readonly dim: number;
  readonly depth: number;
  readonly heads: number;
  /** Hidden width of the MLP over `dim`. */
  readonly mlpRatio: number;
  readonly classes: number;
  /** Input channels: 3 (RGB) unless given, 1 for grey images such as Fashion-MNIST's. */
  readonly channels?: number;
  /** How the attention scores are scaled: Mul by 1/sqrt(d) or Div by sqrt(d), as models differ. */
  readonly scale?: 'mul' | 'div';
  /** 13 to 16 write LayerNorm as its ReduceMean pattern, 17 as the LayerNormalization op. */
  readonly opset?: number;
}

export const VIT_CIFAR: VitConfig = { image: 32, patch: 4, dim: 192, depth: 6, heads: 3, mlpRatio: 2, classes: 10 };
export const SMALL_VIT: VitConfig = { image: 16, patch: 4, dim: 32, depth: 1, heads: 2, mlpRatio: 2, classes: 10 };

const int64 = (values: readonly number[]): Tensor => makeTensor('int64', [values.length], values);
const int64Scalar = (value: number): Tensor => makeTensor('int64', [], [value]);
const floatScalar = (value: number): Tensor => makeTensor('float32', [], [value]);

class VitWriter {
  readonly builder: OnnxBuilder;
  readonly random: Random;
  private readonly opset: number;

  constructor(readonly config: VitConfig, seed: number) {
    this.opset = config.opset ?? 13;
    this.builder = new OnnxBuilder(this.opset, 'main_graph');
    this.random = new Random(seed);
  }

  private constant(tensor: Tensor): string {
    return this.builder.constant(tensor);
  }

  private unsqueeze0(x: string): string {
    // Unsqueeze's axes became an input in opset 13.
    return this.opset >= 13
      ? this.builder.node('Unsqueeze', [x, this.constant(int64([0]))])
      : this.builder.node('Unsqueeze', [x], { axes: [0] });
  }

  /** x.shape[axis] as a 1-element tensor: Shape, Gather of a scalar index, Unsqueeze. */
  dimOf(x: string, axis: number): string {
    const shape = this.builder.node('Shape', [x]);
    return this.unsqueeze0(this.builder.node('Gather', [shape, this.constant(int64Scalar(axis))], { axis: 0 }));
  }

  /** nn.Linear on a [B, N, in] value: MatMul by the transposed weight then Add the bias. */
  linear(x: string, module: string, inputs: number, outputs: number): string {
    const b = this.builder;
    const weight = b.initializer(`${module}.weight_t`, normalTensor(this.random, [inputs, outputs], Math.sqrt(1 / inputs)));
    const bias = b.initializer(`${module}.bias`, normalTensor(this.random, [outputs], 0.02));
    return b.node('Add', [b.node('MatMul', [x, weight], {}, { name: `/${module}/MatMul` }), bias], {}, { name: `/${module}/Add` });
  }

  layerNorm(x: string, module: string): string {
    const b = this.builder;
    const dim = this.config.dim;
    const gamma = b.initializer(`${module}.weight`, uniformTensor(this.random, [dim], 0.8, 1.2));
    const beta = b.initializer(`${module}.bias`, normalTensor(this.random, [dim], 0.05));
    if (this.opset >= 17) return b.node('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: 1e-6 });
    const reduce = (value: string): string => b.node('ReduceMean', [value], { axes: [-1], keepdims: 1 });
    const centred = b.node('Sub', [x, reduce(x)]);
    const variance = reduce(b.node('Pow', [centred, this.constant(floatScalar(2))]));
    const deviation = b.node('Sqrt', [b.node('Add', [variance, this.constant(floatScalar(1e-6))])]);
    return b.node('Add', [b.node('Mul', [b.node('Div', [centred, deviation]), gamma]), beta]);
  }

  /** F.gelu as torch writes it before opset 20: x * 0.5 * (1 + erf(x / sqrt(2))). */
  gelu(x: string): string {
    const b = this.builder;
    const erf = b.node('Erf', [b.node('Div', [x, this.constant(floatScalar(Math.SQRT2))])]);
    const product = b.node('Mul', [x, b.node('Add', [erf, this.constant(floatScalar(1))])]);
    return b.node('Mul', [product, this.constant(floatScalar(0.5))]);
  }

  attention(x: string, module: string): string {
    const b = this.builder;
    const { dim, heads } = this.config;
    const headDim = dim / heads;
    const batch = this.dimOf(x, 0);
    const tokens = this.dimOf(x, 1);
    const split = b.node('Concat', [batch, tokens, this.constant(int64([heads])), this.constant(int64([headDim]))], { axis: 0 });
    const toHeads = (name: string, perm: number[]): string =>
      b.node('Transpose', [b.node('Reshape', [this.linear(x, `${module}.${name}`, dim, dim), split])], { perm });
    const q = toHeads('q', [0, 2, 1, 3]);
    const kT = toHeads('k', [0, 2, 3, 1]);
    const v = toHeads('v', [0, 2, 1, 3]);
    const scores = b.node('MatMul', [q, kT]);
    const scaled = this.config.scale === 'div'
      ? b.node('Div', [scores, this.constant(floatScalar(Math.sqrt(headDim)))])
      : b.node('Mul', [scores, this.constant(floatScalar(1 / Math.sqrt(headDim)))]);
    const weights = b.node('Softmax', [scaled], { axis: -1 });
    const mixed = b.node('Transpose', [b.node('MatMul', [weights, v])], { perm: [0, 2, 1, 3] });
    const merge = b.node('Concat', [batch, tokens, this.constant(int64([dim]))], { axis: 0 });
    return this.linear(b.node('Reshape', [mixed, merge]), `${module}.proj`, dim, dim);
  }

  block(x: string, module: string): string {
    const b = this.builder;
    const { dim, mlpRatio } = this.config;
    const attended = b.node('Add', [x, this.attention(this.layerNorm(x, `${module}.norm1`), `${module}.attn`)]);
    const hidden = this.gelu(this.linear(this.layerNorm(attended, `${module}.norm2`), `${module}.mlp.fc1`, dim, dim * mlpRatio));
    return b.node('Add', [attended, this.linear(hidden, `${module}.mlp.fc2`, dim * mlpRatio, dim)]);
  }

  /** Conv with kernel and stride `patch`, flatten(2) through a Shape/Slice/Concat Reshape, transpose to tokens. */
  patchEmbedding(image: string): string {
    const b = this.builder;
    const { dim, patch } = this.config;
    const channels = this.config.channels ?? 3;
    const weight = b.initializer('patch_embed.proj.weight', normalTensor(this.random, [dim, channels, patch, patch], Math.sqrt(1 / (channels * patch * patch))));
    const bias = b.initializer('patch_embed.proj.bias', normalTensor(this.random, [dim], 0.02));
    const conv = b.node('Conv', [image, weight, bias], { dilations: [1, 1], group: 1, kernel_shape: [patch, patch], pads: [0, 0, 0, 0], strides: [patch, patch] }, { name: '/patch_embed/proj/Conv' });
    const leading = b.node('Slice', [b.node('Shape', [conv]), this.constant(int64([0])), this.constant(int64([2])), this.constant(int64([0]))]);
    const flat = b.node('Reshape', [conv, b.node('Concat', [leading, this.constant(int64([-1]))], { axis: 0 })]);
    return b.node('Transpose', [flat], { perm: [0, 2, 1] });
  }

  /** cls_token.expand(B, -1, -1): torch resolves the -1s with Equal/Where against a ConstantOfShape. */
  classToken(tokens: string): string {
    const b = this.builder;
    const token = b.initializer('cls_token', normalTensor(this.random, [1, 1, this.config.dim], 0.02));
    const target = b.node('Concat', [this.dimOf(tokens, 0), this.constant(int64([-1, -1]))], { axis: 0 });
    const ones = b.node('ConstantOfShape', [this.constant(int64([3]))], { value: makeTensor('int64', [1], [1]) });
    const keep = b.node('Equal', [target, this.constant(int64Scalar(-1))]);
    return b.node('Expand', [token, b.node('Where', [keep, ones, target])]);
  }
}

/** A ViT as ONNX bytes: input 'input' [batch, channels, image, image], output 'output' [batch, classes]. */
export function vitOnnx(config: VitConfig, seed: number): Uint8Array {
  if (config.dim % config.heads !== 0) throw new Error(`vitOnnx: dim ${config.dim} is not a multiple of heads ${config.heads}`);
  const writer = new VitWriter(config, seed);
  const b = writer.builder;
  const { image, patch, dim, classes } = config;
  const tokensPerImage = (image / patch) ** 2;
  const input = b.input('input', 'float32', ['batch_size', config.channels ?? 3, image, image]);
  const patches = writer.patchEmbedding(input);
  const sequence = b.node('Concat', [writer.classToken(patches), patches], { axis: 1 });
  const position = b.initializer('pos_embed', normalTensor(writer.random, [1, tokensPerImage + 1, dim], 0.02));
  let x = b.node('Add', [sequence, position]);
  for (let i = 0; i < config.depth; i++) x = writer.block(x, `blocks.${i}`);
  const normed = writer.layerNorm(x, 'norm');
  const classToken = b.node('Gather', [normed, b.constant(int64Scalar(0))], { axis: 1 });
  const head = b.initializer('head.weight', normalTensor(writer.random, [classes, dim], Math.sqrt(1 / dim)));
  const headBias = b.initializer('head.bias', normalTensor(writer.random, [classes], 0.02));
  const output = b.node('Gemm', [classToken, head, headBias], { alpha: 1, beta: 1, transB: 1 }, { name: '/head/Gemm' });
  b.output(output, 'float32', ['batch_size', classes]);
  return b.toBytes();
}

export function smallVitOnnx(seed: number): Uint8Array {
  return vitOnnx(SMALL_VIT, seed);
}
