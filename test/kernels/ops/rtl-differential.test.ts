// One-core operator programs, self-checking, on the ISS and on the CV32E40P RTL (docs/cv32e40p.md,
// "Differential testing"): the same exit, every instruction's cycle and every register write. It
// holds the less common instructions the kernels rely on (cv.macsrn, cv.mulhhsn, the .sci.h
// shifts, cv.packlo.b/packhi.b, register post-increment loads, misaligned words) to the real core.
// Skipped without the RTL and Verilator, as test/cv32e40p/ is.
import { describe, expect, it } from 'vitest';
import { differential } from '../../../cli/differential.js';
import { addCode } from '../../../sw/kernels/ops/add.js';
import { avgPoolCode } from '../../../sw/kernels/ops/avg-pool.js';
import { maxPoolCode } from '../../../sw/kernels/ops/max-pool.js';
import { type OpProgramSpec, opElf, opProgram } from '../../../sw/kernels/ops/run.js';
import { goldenAdd } from '../../../sw/layers/add.js';
import { type AvgPoolScale, type PoolSpec, goldenAvgPool, goldenMaxPool, poolOutputHeight, poolOutputWidth } from '../../../sw/layers/pool.js';
import { Random } from '../../../util/random.js';
import { RTL_PATH, skipUnlessRtl } from '../../cv32e40p/rtl.js';
import { addAddresses, pad, poolAddresses } from './support.js';

const skip = skipUnlessRtl();

function addProgram(count: number, signedA: boolean, signedB: boolean): OpProgramSpec {
  const random = new Random(count);
  const [a, b] = [random.fill(new Uint8Array(count)), random.fill(new Uint8Array(count))];
  const scale = { multiplierA: 23000, multiplierB: 9000, shift: 14, outputType: 'int8', relu: true } as const;
  const at = addAddresses(count, 'misaligned');
  return {
    name: 'add',
    cores: 1,
    code: addCode({ count, signedA, signedB, scale }, at, 1),
    inputs: [{ name: 'a', address: at.a, bytes: a }, { name: 'b', address: at.b, bytes: b }],
    output: { address: at.output, bytes: count },
    expected: goldenAdd(scale, { bytes: a, signed: signedA }, { bytes: b, signed: signedB }),
  };
}

function poolProgram(spec: PoolSpec, scale?: AvgPoolScale): OpProgramSpec {
  const input = new Random(spec.c).fill(new Uint8Array(spec.inH * spec.inW * spec.c));
  const at = poolAddresses(spec, 1);
  return {
    name: scale ? 'avgpool' : 'maxpool',
    cores: 1,
    code: scale ? avgPoolCode(spec, scale, at, 1) : maxPoolCode(spec, at, 1),
    inputs: [{ name: 'input', address: at.input, bytes: input }],
    output: { address: at.output, bytes: poolOutputHeight(spec) * poolOutputWidth(spec) * spec.c },
    expected: scale ? goldenAvgPool(spec, scale, input) : goldenMaxPool(spec, input),
  };
}

const pool: PoolSpec = { name: 'rtl', inH: 5, inW: 6, c: 7, kH: 3, kW: 3, stride: 2, pad: pad(1, 0, 1, 1), signed: true };

const CASES: readonly (readonly [string, OpProgramSpec])[] = [
  ['add int8 + uint8, 39 misaligned elements', addProgram(39, true, false)],
  ['add int8 + int8, 24 elements', addProgram(24, true, true)],
  ['max pool 3x3/2, 7 int8 channels', poolProgram(pool)],
  ['max pool 3x3/2, 8 uint8 channels', poolProgram({ ...pool, c: 8, signed: false })],
  ['average pool 3x3/2, 7 int8 channels', poolProgram(pool, { multiplier: 29000, shift: 18, outputType: 'int8' })],
];

describe.skipIf(skip)('operator programs on the ISS and the CV32E40P RTL', () => {
  it.each(CASES)('%s', { timeout: 120_000 }, async (_, spec) => {
    const result = await differential(opElf(opProgram(spec)), { rtl: RTL_PATH, maxCycles: 1_000_000 });
    expect(result.iss.stop).toBe('exit 0');
    expect(result.same, `ISS and RTL differ:\n${result.report}`).toBe(true);
  });
});
