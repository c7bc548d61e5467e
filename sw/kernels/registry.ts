// Every kernel in the repository, with its parameters. The test suite runs each `checked`
// parameterization on one core and on the cluster against its golden model; `npm run bench`
// measures ISS speed with dot-int8.
import { dotInt8 } from './dot-int8';
import type { KernelEntry } from './kernel';
import { sparseBlockXnmsparse } from './sparse-block-xnmsparse';

export const kernels: readonly KernelEntry[] = [dotInt8, sparseBlockXnmsparse];

export function findKernel(name: string): KernelEntry | undefined {
  return kernels.find((k) => k.name === name);
}
