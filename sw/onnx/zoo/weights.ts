/** Deterministic random weights for the model zoo, drawn from the project's seeded generator. */
import type { Random } from '../../../util/random.js';
import type { Tensor } from '../graph.js';
import { elementCount } from '../tensor.js';

/** Normal values of mean `mean` and deviation `std`: Box-Muller, two values from each two uniform draws. */
export function normalTensor(random: Random, dims: readonly number[], std: number, mean = 0): Tensor {
  const data = new Float32Array(elementCount(dims));
  for (let i = 0; i < data.length; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log((random.uint32() + 1) / 2 ** 32));
    const angle = (2 * Math.PI * random.uint32()) / 2 ** 32;
    data[i] = mean + radius * Math.cos(angle);
    if (i + 1 < data.length) data[i + 1] = mean + radius * Math.sin(angle);
  }
  return { type: 'float32', dims: [...dims], data };
}

/** Uniform values in [low, high). */
export function uniformTensor(random: Random, dims: readonly number[], low: number, high: number): Tensor {
  const data = new Float32Array(elementCount(dims));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * (random.uint32() / 2 ** 32);
  return { type: 'float32', dims: [...dims], data };
}

/** He (Kaiming) normal initialization for a layer feeding a ReLU: std = sqrt(2 / fan_in). */
export function kaimingTensor(random: Random, dims: readonly number[], fanIn: number): Tensor {
  return normalTensor(random, dims, Math.sqrt(2 / fanIn));
}
