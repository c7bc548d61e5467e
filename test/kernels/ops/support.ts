// What the operator-kernel tests share: random tensors placed in L1, each operator run on the
// cluster through runOp, and the comparison with its golden model naming the first wrong byte.
import { expect } from 'vitest';
import { PULP_L1 } from '../../../isa/platform/memory-map.js';
import { type AddOp, addCode } from '../../../sw/kernels/ops/add.js';
import { avgPoolCode } from '../../../sw/kernels/ops/avg-pool.js';
import { maxPoolCode } from '../../../sw/kernels/ops/max-pool.js';
import type { PoolAddresses } from '../../../sw/kernels/ops/pool-windows.js';
import { type OpRun, runOp } from '../../../sw/kernels/ops/run.js';
import { goldenAdd } from '../../../sw/layers/add.js';
import { type AvgPoolScale, type PoolSpec, goldenAvgPool, goldenMaxPool, poolOutputHeight, poolOutputWidth } from '../../../sw/layers/pool.js';
import type { Padding } from '../../../sw/layers/spec.js';
import { Random } from '../../../util/random.js';

export const L1 = PULP_L1.base;

export const pad = (top: number, bottom: number, left: number, right: number): Padding => ({ top, bottom, left, right });
export const NO_PAD = pad(0, 0, 0, 0);

/** Fails naming the first byte that differs and how many do. */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const wrong = expected.reduce((n, e, i) => n + (e === actual[i] ? 0 : 1), 0);
  const first = expected.findIndex((e, i) => e !== actual[i]);
  expect(first === -1 ? 'bit-exact' : `byte ${first} is ${actual[first]}, the golden model says ${expected[first]} (${wrong} of ${expected.length} differ)`, what).toBe('bit-exact');
}

/** Where the add's tensors go: one after the other (gaps of a byte, so misaligned), word-aligned, or the output over operand a. */
export type AddLayout = 'aligned' | 'misaligned' | 'in-place';

export function addAddresses(count: number, layout: AddLayout): { a: number; b: number; output: number } {
  const words = Math.ceil(count / 4) * 4;
  if (layout === 'aligned') return { a: L1, b: L1 + words, output: L1 + 2 * words };
  if (layout === 'misaligned') return { a: L1 + 1, b: L1 + count + 3, output: L1 + 2 * count + 6 };
  return { a: L1, b: L1 + words, output: L1 };
}

/** Runs the add on `cores` cores over random operands of `seed`, checked against goldenAdd. */
export function expectAddBitExact(op: AddOp, cores: number, seed: number, layout: AddLayout = 'aligned'): OpRun {
  const random = new Random(seed);
  const a = random.fill(new Uint8Array(op.count));
  const b = random.fill(new Uint8Array(op.count));
  const at = addAddresses(op.count, layout);
  const run = runOp({
    name: 'add',
    cores,
    code: addCode(op, at, cores),
    inputs: [{ name: 'a', address: at.a, bytes: a }, { name: 'b', address: at.b, bytes: b }],
    output: { address: at.output, bytes: op.count },
  });
  expectBytes(run.output, goldenAdd(op.scale, { bytes: a, signed: op.signedA }, { bytes: b, signed: op.signedB }), `add of ${op.count} on ${cores} cores (${layout})`);
  return run;
}

const outputBytes = (spec: PoolSpec): number => poolOutputHeight(spec) * poolOutputWidth(spec) * spec.c;

/** The input at the start of L1 (plus `offset` bytes), the output right after it. */
export function poolAddresses(spec: PoolSpec, offset = 0): PoolAddresses {
  const input = L1 + offset;
  return { input, output: input + spec.inH * spec.inW * spec.c };
}

function runPool(spec: PoolSpec, code: (at: PoolAddresses) => string[], golden: (input: Uint8Array) => Uint8Array, cores: number, seed: number, offset: number, what: string): OpRun {
  const input = new Random(seed).fill(new Uint8Array(spec.inH * spec.inW * spec.c));
  const at = poolAddresses(spec, offset);
  const run = runOp({ name: what, cores, code: code(at), inputs: [{ name: 'input', address: at.input, bytes: input }], output: { address: at.output, bytes: outputBytes(spec) } });
  expectBytes(run.output, golden(input), `${what} '${spec.name}' on ${cores} cores`);
  return run;
}

export function expectMaxPoolBitExact(spec: PoolSpec, cores: number, seed: number, offset = 0): OpRun {
  return runPool(spec, (at) => maxPoolCode(spec, at, cores), (input) => goldenMaxPool(spec, input), cores, seed, offset, 'maxpool');
}

export function expectAvgPoolBitExact(spec: PoolSpec, scale: AvgPoolScale, cores: number, seed: number, offset = 0): OpRun {
  return runPool(spec, (at) => avgPoolCode(spec, scale, at, cores), (input) => goldenAvgPool(spec, scale, input), cores, seed, offset, 'avgpool');
}
