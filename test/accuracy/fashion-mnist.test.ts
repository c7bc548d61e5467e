// The IDX reader on Fashion-MNIST's real files (sizes, labels, the class balance of the published
// set) and on broken ones: each refusal names the file and what is wrong with it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_ENV, fashionMnistDirectory, imageInput, readFashionMnist } from '../../sw/datasets/fashion-mnist.js';
import { DatasetError, parseIdx } from '../../sw/datasets/idx.js';
import { datasetMissing } from './dataset.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file of unsigned bytes: magic, big-endian dimensions, values. */
function idx(dims: readonly number[], values: ArrayLike<number>, type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header.set([0, 0, type, dims.length]);
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return Uint8Array.from([...header, ...Array.from(values)]);
}

/** A directory holding a test split of `count` 2x3 images with these labels. */
function split(name: string, count: number, labels: readonly number[], images?: Uint8Array): string {
  const folder = path.join(dir, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  writeFileSync(path.join(folder, 't10k-images-idx3-ubyte.gz'), gzipSync(images ?? idx([count, 2, 3], Array.from({ length: count * 6 }, (_, i) => (i * 37) % 256))));
  writeFileSync(path.join(folder, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([labels.length], labels)));
  return folder;
}

describe.skipIf(datasetMissing())('Fashion-MNIST as installed', () => {
  it('reads 10,000 test and 60,000 training images of 28x28 with balanced labels', () => {
    const test = readFashionMnist('test');
    expect([test.count, test.height, test.width]).toEqual([10_000, 28, 28]);
    expect(test.pixels).toHaveLength(10_000 * 784);
    // The published set has 1,000 test and 6,000 training images of each class; its first test image is an ankle boot.
    const perClass = (labels: Uint8Array): number[] => Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);
    expect(perClass(test.labels)).toEqual(Array(10).fill(1000));
    expect(test.labels[0]).toBe(9);
    const train = readFashionMnist('train');
    expect(train.count).toBe(60_000);
    expect(perClass(train.labels)).toEqual(Array(10).fill(6000));
  });

  it('gives an image as the model input: NCHW [1, 1, 28, 28], pixel / 255', () => {
    const test = readFashionMnist('test');
    const input = imageInput(test, 3);
    expect(input).toHaveLength(784);
    expect(input[100]).toBeCloseTo(test.pixels[3 * 784 + 100]! / 255, 6);
    expect(Math.max(...input)).toBeLessThanOrEqual(1);
    expect(() => imageInput(test, 10_000)).toThrow(/no image 10000 \(it holds 10000\)/);
  });
});

describe('the IDX reader', () => {
  it('reads a gzip-compressed or a plain file alike', () => {
    const folder = split('good', 3, [0, 9, 4]);
    const set = readFashionMnist('test', folder);
    expect([set.count, set.height, set.width]).toEqual([3, 2, 3]);
    expect(Array.from(set.labels)).toEqual([0, 9, 4]);
    expect(set.pixels[7]).toBe((7 * 37) % 256);
    expect(parseIdx(idx([2], [5, 6]), 'plain', 1).data).toEqual(Uint8Array.from([5, 6]));
  });

  it('says which file is missing and how to install the data set', () => {
    expect(() => readFashionMnist('test', path.join(dir, 'nowhere'))).toThrow(DatasetError);
    expect(() => readFashionMnist('train', path.join(dir, 'nowhere'))).toThrow(/train-images-idx3-ubyte\.gz is missing: install the data set with `apt-get install dataset-fashion-mnist`, or name a directory .* \$NMSPARSE_FASHION_MNIST/);
  });

  it('takes the directory from the option, then the environment, then Debian', () => {
    expect(fashionMnistDirectory('/given', { [FASHION_MNIST_ENV]: '/env' })).toBe('/given');
    expect(fashionMnistDirectory(undefined, { [FASHION_MNIST_ENV]: '/env' })).toBe('/env');
    expect(fashionMnistDirectory(undefined, {})).toBe('/usr/share/datasets/fashion-mnist');
  });

  it.each([
    ['a wrong magic number', idx([1, 2, 3], new Array(6).fill(0)).map((b, i) => (i === 0 ? 8 : b)), /not an IDX file/],
    ['values that are not bytes', idx([1, 2, 3], new Array(6).fill(0), 0x0d), /IDX values of type 0x0d, not unsigned bytes/],
    ['a wrong number of dimensions', idx([6], new Array(6).fill(0)), /an IDX array of 1 dimensions, not 3/],
    ['fewer values than the header announces', idx([2, 2, 3], new Array(6).fill(0)), /announces 2 x 2 x 3 = 12 values, the file holds 6/],
    ['a cut header', Uint8Array.from([0, 0, 8, 3, 0, 0]), /the IDX header is cut short \(6 bytes of 16\)/],
  ])('refuses an images file with %s, naming it', (_, bytes, reason) => {
    const folder = split('bad', 1, [0], bytes);
    expect(() => readFashionMnist('test', folder)).toThrow(reason);
    expect(() => readFashionMnist('test', folder)).toThrow(/t10k-images-idx3-ubyte\.gz: /);
  });

  it('refuses labels that do not match the images, and a broken gzip stream', () => {
    expect(() => readFashionMnist('test', split('count', 3, [0, 1]))).toThrow(/t10k-labels-idx1-ubyte\.gz: 2 labels for the 3 images/);
    expect(() => readFashionMnist('test', split('range', 2, [0, 10]))).toThrow(/label 10 of image 1 is not a class from 0 to 9/);
    const folder = split('gzip', 1, [0]);
    writeFileSync(path.join(folder, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([1], [0])).subarray(0, 12));
    expect(() => readFashionMnist('test', folder)).toThrow(/t10k-labels-idx1-ubyte\.gz: not a readable gzip file/);
  });
});
