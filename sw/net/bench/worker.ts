/**
 * The module each worker thread of the network bench loads (sw/kernels/bench/sweep.ts runPool):
 * one task is one case. Worker threads load plain JavaScript, so the sweep points them at this
 * file's compiled twin in dist/.
 */
import type { NetworkCase } from './cases.js';
import { type NetworkRow, runNetworkCase } from './measure.js';

export default function runCase(c: NetworkCase): NetworkRow {
  return runNetworkCase(c);
}

/** This module as the pool loads it: the build's copy when run from the TypeScript sources. */
export const NETWORK_WORKER: URL = import.meta.url.endsWith('.ts')
  ? new URL('../../../dist/sw/net/bench/worker.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);
