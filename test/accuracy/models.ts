// Models of Fashion-MNIST's shape ([1, 1, 28, 28] in, 10 logits out) for the accuracy tests, built
// in TypeScript: a ResNet with random weights (what the compiler and the cluster do to it matters,
// not its accuracy), and a nearest-class-mean classifier whose accuracy shows that images and
// labels are read in step.
import type { ImageSet } from '../../sw/datasets/fashion-mnist.js';
import { OnnxBuilder } from '../../sw/onnx/builder.js';
import { makeTensor } from '../../sw/onnx/tensor.js';
import { resNetOnnx } from '../../sw/onnx/zoo/resnet.js';
import { normalTensor } from '../../sw/onnx/zoo/weights.js';
import { Random } from '../../util/random.js';

/** Two stages of one block, 4 and 8 channels, on a 28x28 grey image. */
export const tinyResNetOnnx = (seed: number): Uint8Array => resNetOnnx({ image: 28, stem: 'cifar', widths: [4, 8], blocks: [1, 1], classes: 10, channels: 1 }, seed);

/**
 * Flatten and one Gemm whose rows are the mean image of each class over the first `count` training
 * images, biased by -|mean|^2 / 2: the largest logit is the nearest class mean.
 */
export function classMeanOnnx(train: ImageSet, count: number): Uint8Array {
  const size = train.height * train.width;
  const sums = new Float64Array(10 * size);
  const members = new Float64Array(10);
  for (let i = 0; i < count; i++) {
    const label = train.labels[i]!;
    members[label]!++;
    for (let p = 0; p < size; p++) sums[label * size + p] = sums[label * size + p]! + train.pixels[i * size + p]! / 255;
  }
  const means = Float32Array.from(sums, (sum, j) => sum / Math.max(1, members[Math.floor(j / size)]!));
  const bias = Float32Array.from({ length: 10 }, (_, c) => -0.5 * means.subarray(c * size, (c + 1) * size).reduce((a, m) => a + m * m, 0));
  const b = new OnnxBuilder(13);
  const input = b.input('input', 'float32', [1, 1, train.height, train.width]);
  const flat = b.node('Flatten', [input], { axis: 1 }, { name: '/Flatten' });
  const logits = b.node('Gemm', [flat, b.initializer('means', makeTensor('float32', [10, size], means)), b.initializer('bias', makeTensor('float32', [10], bias))], { alpha: 1, beta: 1, transB: 1 }, { name: '/fc/Gemm' });
  b.output(logits, 'float32', [1, 10]);
  return b.toBytes();
}

/** Flatten, then 784 -> 32 -> 32 -> 10 fully connected with ReLUs, random weights: the middle layer is the one the compiler prunes. */
export function tinyMlpOnnx(seed: number): Uint8Array {
  const random = new Random(seed);
  const b = new OnnxBuilder(13);
  let x = b.node('Flatten', [b.input('input', 'float32', [1, 1, 28, 28])], { axis: 1 }, { name: '/Flatten' });
  const widths = [784, 32, 32, 10];
  for (let i = 1; i < widths.length; i++) {
    const [inputs, outputs] = [widths[i - 1]!, widths[i]!];
    const weight = b.initializer(`fc${i}.weight`, normalTensor(random, [outputs, inputs], Math.sqrt(2 / inputs)));
    const bias = b.initializer(`fc${i}.bias`, normalTensor(random, [outputs], 0.05));
    x = b.node('Gemm', [x, weight, bias], { alpha: 1, beta: 1, transB: 1 }, { name: `/fc${i}/Gemm` });
    if (i < widths.length - 1) x = b.node('Relu', [x], {}, { name: `/relu${i}/Relu` });
  }
  b.output(x, 'float32', [1, 10]);
  return b.toBytes();
}
