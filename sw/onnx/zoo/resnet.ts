/**
 * ResNets with random weights, written as torch.onnx.export writes torchvision's (training
 * mode preserved, so each BatchNormalization stays after its Conv): BasicBlocks, a 1x1 Conv and
 * BatchNormalization on the shortcut where a stage halves the size or widens, GlobalAveragePool,
 * Flatten and Gemm. Weights are He-initialized and the BN statistics near (0, 1), with the last
 * BN of each block scaled down as residual networks are initialized so that the sum of a block
 * and its shortcut stays of the input's magnitude through the depth.
 */
import { Random } from '../../../util/random.js';
import { OnnxBuilder } from '../builder.js';
import { kaimingTensor, normalTensor, uniformTensor } from './weights.js';

export interface ResNetConfig {
  /** Input height and width. */
  readonly image: number;
  /** ImageNet stem: 7x7/2 Conv and a 3x3/2 MaxPool; CIFAR stem: 3x3/1 Conv, no pool. */
  readonly stem: 'imagenet' | 'cifar';
  /** Channels of each stage; the stem writes the first stage's width. */
  readonly widths: readonly number[];
  /** BasicBlocks per stage. */
  readonly blocks: readonly number[];
  readonly classes: number;
  /** Input channels: 3 (RGB) unless given, 1 for grey images such as Fashion-MNIST's. */
  readonly channels?: number;
  readonly opset?: number;
}

export const RESNET18_IMAGENET: ResNetConfig = { image: 224, stem: 'imagenet', widths: [64, 128, 256, 512], blocks: [2, 2, 2, 2], classes: 1000 };
export const RESNET18_CIFAR: ResNetConfig = { image: 32, stem: 'cifar', widths: [64, 128, 256, 512], blocks: [2, 2, 2, 2], classes: 10 };
export const SMALL_RESNET: ResNetConfig = { image: 16, stem: 'cifar', widths: [8, 16], blocks: [1, 1], classes: 10 };

class ResNetWriter {
  readonly builder: OnnxBuilder;
  private readonly random: Random;

  constructor(config: ResNetConfig, seed: number) {
    this.builder = new OnnxBuilder(config.opset ?? 13, 'main_graph');
    this.random = new Random(seed);
  }

  /**
   * Conv (no bias, as torchvision's) then BatchNormalization, named after torch's modules
   * `conv` and `bn` ('layer1.0.conv1', 'layer1.0.bn1'); `gamma` is the range of the BN's scale.
   */
  convBn(x: string, conv: string, bn: string, channels: [number, number], kernel: number, stride: number, gamma: [number, number]): string {
    const b = this.builder;
    const [inputs, outputs] = channels;
    const weight = b.initializer(`${conv}.weight`, kaimingTensor(this.random, [outputs, inputs, kernel, kernel], inputs * kernel * kernel));
    const pad = Math.floor(kernel / 2);
    const convolved = b.node('Conv', [x, weight], { dilations: [1, 1], group: 1, kernel_shape: [kernel, kernel], pads: [pad, pad, pad, pad], strides: [stride, stride] }, { name: `/${conv}/Conv` });
    return b.node('BatchNormalization', [
      convolved,
      b.initializer(`${bn}.weight`, uniformTensor(this.random, [outputs], gamma[0], gamma[1])),
      b.initializer(`${bn}.bias`, normalTensor(this.random, [outputs], 0.05)),
      b.initializer(`${bn}.running_mean`, normalTensor(this.random, [outputs], 0.05)),
      b.initializer(`${bn}.running_var`, uniformTensor(this.random, [outputs], 0.8, 1.2)),
    ], { epsilon: 1e-5, momentum: 0.9 }, { name: `/${bn}/BatchNormalization` });
  }

  relu(x: string, path: string): string {
    return this.builder.node('Relu', [x], {}, { name: `/${path}/Relu` });
  }

  block(x: string, path: string, channels: [number, number], stride: number): string {
    const [inputs, outputs] = channels;
    const first = this.relu(this.convBn(x, `${path}.conv1`, `${path}.bn1`, channels, 3, stride, [0.8, 1.2]), `${path}.relu`);
    const second = this.convBn(first, `${path}.conv2`, `${path}.bn2`, [outputs, outputs], 3, 1, [0.3, 0.6]);
    const shortcut = stride !== 1 || inputs !== outputs
      ? this.convBn(x, `${path}.downsample.0`, `${path}.downsample.1`, channels, 1, stride, [0.3, 0.6])
      : x;
    return this.relu(this.builder.node('Add', [second, shortcut], {}, { name: `/${path}/Add` }), `${path}.relu_1`);
  }

  head(x: string, channels: number, classes: number): string {
    const b = this.builder;
    const pooled = b.node('GlobalAveragePool', [x], {}, { name: '/avgpool/GlobalAveragePool' });
    const flat = b.node('Flatten', [pooled], { axis: 1 }, { name: '/Flatten' });
    const weight = b.initializer('fc.weight', normalTensor(this.random, [classes, channels], Math.sqrt(1 / channels)));
    const bias = b.initializer('fc.bias', normalTensor(this.random, [classes], 0.01));
    return b.node('Gemm', [flat, weight, bias], { alpha: 1, beta: 1, transB: 1 }, { name: '/fc/Gemm' });
  }
}

/** A ResNet of BasicBlocks as ONNX bytes: input 'input' [batch, channels, image, image], output [batch, classes]. */
export function resNetOnnx(config: ResNetConfig, seed: number): Uint8Array {
  const writer = new ResNetWriter(config, seed);
  const b = writer.builder;
  const channels = config.channels ?? 3;
  const input = b.input('input', 'float32', ['batch_size', channels, config.image, config.image]);
  const first = config.widths[0]!;
  const stemKernel = config.stem === 'imagenet' ? 7 : 3;
  const stemStride = config.stem === 'imagenet' ? 2 : 1;
  let x = writer.relu(writer.convBn(input, 'conv1', 'bn1', [channels, first], stemKernel, stemStride, [0.8, 1.2]), 'relu');
  if (config.stem === 'imagenet') {
    x = b.node('MaxPool', [x], { ceil_mode: 0, kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, { name: '/maxpool/MaxPool' });
  }
  let width = first;
  config.widths.forEach((stageWidth, stage) => {
    for (let i = 0; i < config.blocks[stage]!; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      x = writer.block(x, `layer${stage + 1}.${i}`, [width, stageWidth], stride);
      width = stageWidth;
    }
  });
  b.output(writer.head(x, width, config.classes), 'float32', ['batch_size', config.classes]);
  return b.toBytes();
}

export function resnet18Onnx(variant: 'cifar' | 'imagenet', seed: number): Uint8Array {
  return resNetOnnx(variant === 'cifar' ? RESNET18_CIFAR : RESNET18_IMAGENET, seed);
}

/** 16x16 input, two stages of one block (8 and 16 channels), 10 classes: small enough for every test. */
export function smallResNetOnnx(seed: number): Uint8Array {
  return resNetOnnx(SMALL_RESNET, seed);
}
