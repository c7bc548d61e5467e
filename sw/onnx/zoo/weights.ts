/** Deterministic random weights for the model zoo, drawn from the project's seeded generator. */
import type { Random } from '../../../util/random.js';
import type { Tensor } from '../graph.js';
import { elementCount } from '../tensor.js';

/** A standard normal draw (Box-Muller on two uniform draws in (0, 1]). */
export function normal(random: Random): number {
  const u = (random.uint32() + 1) / 2 ** 32;
  const v = random.uint32() / 2 ** 32;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Normal values of mean `mean` and deviation `std`. */
export function normalTensor(random: Random, dims: readonly number[], std: number, mean = 0): Tensor {
  const data = new Float32Array(elementCount(dims));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * normal(random);
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
