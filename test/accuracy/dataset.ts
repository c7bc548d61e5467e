// Whether Fashion-MNIST is installed (Debian's dataset-fashion-mnist, which .ci/run installs): the
// tests that read it are skipped without it, except under CI=true, where that is an error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fashionMnistDirectory } from '../../sw/datasets/fashion-mnist.js';

export const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

export function datasetMissing(): string | false {
  const directory = fashionMnistDirectory();
  const missing = FILES.filter((f) => !existsSync(path.join(directory, f)));
  if (missing.length === 0) return false;
  const reason = `Fashion-MNIST is not in ${directory} (${missing.join(', ')} missing): apt-get install dataset-fashion-mnist`;
  if (process.env['CI'] === 'true') throw new Error(`CI=true requires the data set: ${reason}`);
  return reason;
}
