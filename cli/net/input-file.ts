// A network's input from a file: a NumPy array (.npy, any numeric dtype), a PNG image (its pixels
// scaled to [0, 1], channels first, as torchvision's ToTensor makes them; optionally normalized
// with ImageNet's mean and deviation), or raw little-endian float32 (.raw). The element count must
// be the model input's; the batch dimension may be left out.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseNpy } from 'npyjs';
import { PNG } from 'pngjs';
import { UsageError } from '../errors.js';

export const INPUT_EXTENSIONS: readonly string[] = ['.npy', '.png', '.raw'];

/** torchvision's ImageNet normalization (its models' documentation, `transforms.Normalize`). */
const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function fromPng(bytes: Buffer, file: string, dims: readonly number[], normalize: boolean): Float32Array {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    throw new UsageError(`${file}: not a readable PNG image (${(error as Error).message})`);
  }
  const [channels, height, width] = dims.slice(-3) as [number, number, number];
  if (png.width !== width || png.height !== height || (channels !== 3 && channels !== 1)) {
    throw new UsageError(`${file}: a ${png.width}x${png.height} image, the model takes ${dims.join('x')} (resize it first)`);
  }
  const out = new Float32Array(channels * height * width);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < height * width; i++) {
      const value = png.data[i * 4 + c]! / 255;
      out[c * height * width + i] = normalize ? (value - IMAGENET.mean[c]!) / IMAGENET.std[c]! : value;
    }
  }
  return out;
}

export function readInputFile(file: string, dims: readonly number[], normalizeImages = false): Float32Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read input '${file}': ${(error as Error).message}`);
  }
  const extension = path.extname(file).toLowerCase();
  let values: Float32Array;
  if (extension === '.png') return fromPng(bytes, file, dims, normalizeImages);
  if (extension === '.npy') {
    try {
      const array = parseNpy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      values = Float32Array.from(array.data as unknown as ArrayLike<number | bigint>, Number);
    } catch (error) {
      throw new UsageError(`${file}: not a readable .npy array (${(error as Error).message})`);
    }
  } else if (extension === '.raw') {
    if (bytes.length % 4 !== 0) throw new UsageError(`${file}: ${bytes.length} bytes are no whole number of float32 values`);
    values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } else {
    throw new UsageError(`${file}: an input is ${INPUT_EXTENSIONS.join(', ')}, not '${extension || 'no extension'}'`);
  }
  if (values.length !== count(dims)) throw new UsageError(`${file}: ${values.length} values, the model's input is ${dims.join('x')} = ${count(dims)}`);
  return values;
}
