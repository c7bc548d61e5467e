/**
 * Zalando's Fashion-MNIST (github.com/zalandoresearch/fashion-mnist): 28x28 grey images of ten
 * kinds of clothing, 60,000 for training and 10,000 for testing, in MNIST's IDX files (idx.ts). On
 * Debian they come with the package `dataset-fashion-mnist`, in /usr/share/datasets/fashion-mnist.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DatasetError, idxBytes, parseIdx } from './idx.js';

export const FASHION_MNIST_DIRECTORY = '/usr/share/datasets/fashion-mnist';
/** The environment variable naming another directory holding the four files. */
export const FASHION_MNIST_ENV = 'NMSPARSE_FASHION_MNIST';

/** The labels 0 to 9 in the data set's order. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

export type Split = 'train' | 'test';

/** Images and their labels, one byte per pixel (0 white to 255 black ink, as the files store them). */
export interface ImageSet {
  readonly source: string;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** count x height x width bytes, image after image, row-major. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

const PREFIX: Readonly<Record<Split, string>> = { train: 'train', test: 't10k' };

/** The files' directory: the one given, else $NMSPARSE_FASHION_MNIST, else Debian's. */
export function fashionMnistDirectory(given?: string, env: NodeJS.ProcessEnv = process.env): string {
  return given ?? env[FASHION_MNIST_ENV] ?? FASHION_MNIST_DIRECTORY;
}

const filesOf = (split: Split, directory: string): { images: string; labels: string } => ({
  images: path.join(directory, `${PREFIX[split]}-images-idx3-ubyte.gz`),
  labels: path.join(directory, `${PREFIX[split]}-labels-idx1-ubyte.gz`),
});

/** The data set's four files in `directory`: training images and labels, then test images and labels. */
export function fashionMnistFiles(directory: string): string[] {
  return (['train', 'test'] as const).flatMap((split) => Object.values(filesOf(split, directory)));
}

function readDatasetFile(file: string): Uint8Array {
  try {
    return idxBytes(new Uint8Array(readFileSync(file)), file);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${(error as Error).message})`;
    throw new DatasetError(`Fashion-MNIST file ${file} is ${reason}: install the data set with \`apt-get install dataset-fashion-mnist\`, or name a directory holding its four IDX files with $${FASHION_MNIST_ENV}`);
  }
}

/** One split's images and labels, checked against each other. */
export function readFashionMnist(split: Split, directory: string = fashionMnistDirectory()): ImageSet {
  const { images: imagesFile, labels: labelsFile } = filesOf(split, directory);
  const images = parseIdx(readDatasetFile(imagesFile), imagesFile, 3);
  const labels = parseIdx(readDatasetFile(labelsFile), labelsFile, 1);
  const [count, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new DatasetError(`${labelsFile}: ${labels.dims[0]} labels for the ${count} images of ${imagesFile}`);
  const wrong = labels.data.findIndex((label) => label >= FASHION_MNIST_CLASSES.length);
  if (wrong >= 0) throw new DatasetError(`${labelsFile}: label ${labels.data[wrong]} of image ${wrong} is not a class from 0 to ${FASHION_MNIST_CLASSES.length - 1}`);
  return { source: imagesFile, count, height, width, pixels: images.data, labels: labels.data };
}

/** Image `index` as a model's input: NCHW [1, 1, height, width], each pixel / 255 (torchvision's ToTensor). */
export function imageInput(set: ImageSet, index: number): Float32Array {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) throw new RangeError(`${set.source}: no image ${index} (it holds ${set.count})`);
  const size = set.height * set.width;
  return Float32Array.from(set.pixels.subarray(index * size, (index + 1) * size), (pixel) => pixel / 255);
}
