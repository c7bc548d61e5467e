// The operator programs' frame (runOp): inputs at the addresses given, core 0's self-check against
// the golden bytes in both outcomes, and the refusals of inputs that cannot be placed.
import { describe, expect, it } from 'vitest';
import { maxPoolCode } from '../../../sw/kernels/ops/max-pool.js';
import { opProgram, runOp } from '../../../sw/kernels/ops/run.js';
import { goldenMaxPool, type PoolSpec } from '../../../sw/layers/pool.js';
import { Random } from '../../../util/random.js';
import { L1, pad } from './support.js';

const spec: PoolSpec = { name: 'stem', inH: 6, inW: 6, c: 8, kH: 3, kW: 3, stride: 2, pad: pad(1, 1, 1, 1), signed: true };
const input = new Random(3).fill(new Uint8Array(6 * 6 * 8));
const at = { input: L1 + 0x2001, output: L1 + 0x40 };

const program = (expected?: Uint8Array) => ({
  name: 'maxpool',
  cores: 4,
  code: maxPoolCode(spec, at, 4),
  inputs: [{ name: 'input', address: at.input, bytes: input }],
  output: { address: at.output, bytes: 3 * 3 * 8 },
  expected,
});

describe('operator programs', () => {
  it('place the inputs where the code expects them, and self-check the output', () => {
    const golden = goldenMaxPool(spec, input);
    expect(Array.from(runOp(program(golden)).output)).toEqual(Array.from(golden));
    const wrong = golden.slice();
    wrong[71] = wrong[71]! ^ 1;
    expect(() => runOp(program(wrong))).toThrow(/operator 'maxpool' \(maxpool-4c\.S\): core 0 ended with .*"code":1/);
  });

  it('refuse inputs outside L1, names that are not labels, and a wrong number of expected bytes', () => {
    expect(() => opProgram({ ...program(), inputs: [{ name: 'input', address: L1 + 0xfff0, bytes: input }] })).toThrow(/maxpool: input \(0x1000fff0, 288 bytes\) does not lie in L1/);
    expect(() => opProgram({ ...program(), inputs: [{ name: 'in put', address: at.input, bytes: input }] })).toThrow(/input name 'in put' is not a unique label/);
    expect(() => opProgram(program(new Uint8Array(3)))).toThrow(/3 expected bytes for an output of 72/);
  });
});
