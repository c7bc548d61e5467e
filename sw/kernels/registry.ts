// Every kernel in the repository, with its parameters. The test suite runs each `checked`
// parameterization on one core and on the cluster against its golden model; `npm run bench`
// measures ISS speed with dot-int8.
import { dotInt8 } from './dot-int8.js';
import type { KernelEntry } from './kernel.js';
import { sparseBlockXnmsparse } from './sparse-block-xnmsparse.js';

export const kernels: readonly KernelEntry[] = [dotInt8, sparseBlockXnmsparse];

export function findKernel(name: string): KernelEntry | undefined {
  return kernels.find((k) => k.name === name);
}
