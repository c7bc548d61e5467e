/**
 * One int8 layer as the kernels compute it (docs/kernels.md): its kind, its input tensor (HWC),
 * its filters, window, stride and padding, and what its output is. Convolutions, pointwise
 * convolutions, fully connected layers and token-batched matmuls are one computation (im2col
 * columns times a weight matrix); depthwise convolutions have one filter per channel.
 */
import type { SparsityPattern } from '../../isa/xnmsparse/gather.js';

export type LayerKind = 'conv' | 'pointwise' | 'dw' | 'fc' | 'matmul';
export const LAYER_KINDS: readonly LayerKind[] = ['conv', 'pointwise', 'dw', 'fc', 'matmul'];

/** The implementations of a prunable layer (docs/kernels.md): dense, software sparse, Xnmsparse revision 2 and revision 1. */
export type Variant = 'dense' | 'sparse' | 'xnmsparse' | 'xnmsparse-v1';
export const VARIANTS: readonly Variant[] = ['dense', 'sparse', 'xnmsparse', 'xnmsparse-v1'];

/** Zero rows and columns around the input, in pixels. */
export interface Padding {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/**
 * Output element type: `int8` saturates to [-128, 127]; `uint8` to [0, 255] (what a ReLU feeding
 * an unsigned next layer wants). `relu` with `int8` saturates to [0, 127].
 */
export type OutputType = 'int8' | 'uint8';

export interface LayerSpec {
  /** Name in reports and error messages. */
  readonly name: string;
  readonly kind: LayerKind;
  /** Input tensor, HWC. fc: 1 x 1 x C; matmul: T x 1 x K (one pixel per token). */
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  /** Output channels (dw: equal to inC). */
  readonly outC: number;
  readonly kH: number;
  readonly kW: number;
  readonly stride: number;
  readonly pad: Padding;
  /** Activations are int8 (signed) or uint8; weights are always int8. */
  readonly inputSigned: boolean;
  readonly output: OutputType;
  readonly relu: boolean;
  /**
   * The weight operand is an activation (attention's Q x K^T and scores x V): dense only, and
   * signed like an activation produced by another layer. Stored as rows of the reduction.
   */
  readonly activationWeights?: boolean;
}

/** A parameter of a layer that is out of range or inconsistent; `parameter` names it as the CLI does. */
export class LayerSpecError extends Error {
  override name = 'LayerSpecError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

export const NO_PADDING: Padding = { top: 0, bottom: 0, left: 0, right: 0 };

export function outputHeight(spec: LayerSpec): number {
  return Math.floor((spec.inH + spec.pad.top + spec.pad.bottom - spec.kH) / spec.stride) + 1;
}

export function outputWidth(spec: LayerSpec): number {
  return Math.floor((spec.inW + spec.pad.left + spec.pad.right - spec.kW) / spec.stride) + 1;
}

export function outputPixels(spec: LayerSpec): number {
  return outputHeight(spec) * outputWidth(spec);
}

/** Weights per output channel: kH * kW * inC (dw: kH * kW). The im2col order is (ky, kx, c). */
export function reductionLength(spec: LayerSpec): number {
  return spec.kind === 'dw' ? spec.kH * spec.kW : spec.kH * spec.kW * spec.inC;
}

/** Multiply-accumulates of the dense layer (the sparse variants are measured in dense-equivalent MACs). */
export function denseMacs(spec: LayerSpec): number {
  return outputPixels(spec) * spec.outC * reductionLength(spec);
}

/** Whether `variant` can implement the layer (depthwise and activation x activation layers are dense only). */
export function variantApplies(spec: LayerSpec, variant: Variant): boolean {
  return variant === 'dense' || (spec.kind !== 'dw' && !spec.activationWeights);
}

const positive = (parameter: string, value: number, max: number): void => {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new LayerSpecError(parameter, `must be an integer from 1 to ${max}, not ${value}`);
};

/** Throws a LayerSpecError naming the first parameter that makes `spec` no layer the kernels compute. */
export function validateLayer(spec: LayerSpec, variant: Variant = 'dense', pattern?: SparsityPattern): void {
  positive('input height', spec.inH, 4096);
  positive('input width', spec.inW, 4096);
  positive('input channels', spec.inC, 65_536);
  positive('filters', spec.outC, 65_536);
  positive('kernel height', spec.kH, 64);
  positive('kernel width', spec.kW, 64);
  positive('stride', spec.stride, 16);
  for (const side of ['top', 'bottom', 'left', 'right'] as const) {
    const p = spec.pad[side];
    if (!Number.isInteger(p) || p < 0 || p > 63) throw new LayerSpecError(`pad ${side}`, `must be an integer from 0 to 63, not ${p}`);
  }
  if (spec.pad.top >= spec.kH || spec.pad.bottom >= spec.kH) throw new LayerSpecError('pad', `rows of padding (${spec.pad.top}, ${spec.pad.bottom}) must be fewer than the kernel height ${spec.kH}`);
  if (spec.pad.left >= spec.kW || spec.pad.right >= spec.kW) throw new LayerSpecError('pad', `columns of padding (${spec.pad.left}, ${spec.pad.right}) must be fewer than the kernel width ${spec.kW}`);
  if (spec.inH + spec.pad.top + spec.pad.bottom < spec.kH || spec.inW + spec.pad.left + spec.pad.right < spec.kW) {
    throw new LayerSpecError('kernel', `${spec.kH}x${spec.kW} is larger than the padded input ${spec.inH + spec.pad.top + spec.pad.bottom}x${spec.inW + spec.pad.left + spec.pad.right}`);
  }
  if (spec.kind === 'dw' && spec.outC !== spec.inC) throw new LayerSpecError('filters', `a depthwise convolution has one filter per input channel (${spec.inC}), not ${spec.outC}`);
  if ((spec.kind === 'pointwise' || spec.kind === 'fc' || spec.kind === 'matmul') && (spec.kH !== 1 || spec.kW !== 1 || spec.stride !== 1)) {
    throw new LayerSpecError('kernel', `a ${spec.kind} layer has a 1x1 kernel and stride 1`);
  }
  if (spec.kind === 'fc' && (spec.inH !== 1 || spec.inW !== 1)) throw new LayerSpecError('input', `a fully connected layer takes 1x1xC, not ${spec.inH}x${spec.inW}x${spec.inC} (use matmul for a batch of tokens)`);
  if (spec.kind === 'matmul' && spec.inW !== 1) throw new LayerSpecError('input', `a matmul takes T x 1 x K (one pixel per token), not ${spec.inH}x${spec.inW}x${spec.inC}`);
  if (!variantApplies(spec, variant)) throw new LayerSpecError('variant', `${variant} does not apply to ${spec.activationWeights ? 'an activation x activation matmul' : 'a depthwise convolution'}: it is dense only`);
  if (variant === 'dense' && pattern) throw new LayerSpecError('nm', 'the dense variant takes no N:M pattern');
  if (variant !== 'dense' && !pattern) throw new LayerSpecError('nm', `the ${variant} variant needs an N:M pattern`);
}
