// The requantization the kernels emit (four XCV instructions after the bias) computes exactly the
// shared TypeScript function, on extreme and random accumulators and parameters, for every output type.
import { describe, expect, it } from 'vitest';
import { writeElf } from '../../isa/elf/writer.js';
import { PULP_L1 } from '../../isa/platform/memory-map.js';
import { runElf } from '../../sim/program.js';
import { assemble } from '../../sw/asm/assembler.js';
import { requantizeLines } from '../../sw/kernels/layers/requantize-asm.js';
import { bytesToWords } from '../../sw/kernels/words.js';
import { MAX_MULTIPLIER, MAX_SHIFT, outputRange, shiftRoundQ15Requantize } from '../../sw/layers/requantize.js';
import { type LayerSpec, NO_PADDING, type OutputType } from '../../sw/layers/spec.js';
import { Random } from '../../util/random.js';

const layer = (output: OutputType, relu: boolean): LayerSpec => ({
  name: 'q', kind: 'fc', inH: 1, inW: 1, inC: 1, outC: 1, kH: 1, kW: 1, stride: 1, pad: NO_PADDING, inputSigned: true, output, relu,
});

interface Vector { readonly acc: number; readonly bias: number; readonly shift: number; readonly multiplier: number }

function vectors(): Vector[] {
  const random = new Random(7);
  const out: Vector[] = [];
  for (const acc of [-(2 ** 31), 2 ** 31 - 1, 0, -1, 1, 0x7fff, -0x8000, 0x10000]) {
    for (const shift of [0, 1, 15, MAX_SHIFT]) out.push({ acc, bias: 0, shift, multiplier: MAX_MULTIPLIER });
  }
  // Accumulator and bias magnitudes over the whole range, the bias sum wrapping now and then.
  for (let i = 0; i < 400; i++) {
    out.push({ acc: (random.uint32() | 0) >> random.below(24), bias: (random.uint32() | 0) >> random.below(32), shift: random.below(MAX_SHIFT + 1), multiplier: random.below(MAX_MULTIPLIER + 1) });
  }
  return out;
}

/** Runs the kernels' sequence over every vector on one hart; records of four words in, one word out. */
function onIss(spec: LayerSpec, input: readonly Vector[], biasInRegister: boolean): Int32Array {
  const results = PULP_L1.base + 16 * input.length;
  const source = [
    '  .globl _start',
    '_start:',
    '  la a0, records',
    `  li a1, ${results}`,
    `  li a2, ${input.length}`,
    '1:',
    '  lw t0, 0(a0)',
    '  lw t3, 4(a0)',
    // Either the accumulator starts at the bias, or cv.addrnr adds it.
    ...(biasInRegister ? [] : ['  add t0, t0, t3']),
    '  lw t1, 8(a0)',
    '  lw t2, 12(a0)',
    ...requantizeLines(spec, 't0', 't1', 't2', biasInRegister ? 't3' : 'zero'),
    '  sw t0, 0(a1)',
    '  addi a0, a0, 16',
    '  addi a1, a1, 4',
    '  addi a2, a2, -1',
    '  bnez a2, 1b',
    '  li a0, 0',
    '  li a7, 93',
    '  ecall',
    '  .section .l1, "aw"',
    'records:',
    ...input.map((v) => `  .word ${v.acc}, ${v.bias}, ${v.shift}, ${v.multiplier}`),
  ].join('\n');
  const { memory, stop } = runElf(writeElf(assemble(source, { file: 'requantize.S' })));
  expect(stop).toEqual({ kind: 'exit', code: 0 });
  return new Int32Array(bytesToWords(memory.readBytes(results, 4 * input.length)).buffer);
}

describe('requantization', () => {
  const input = vectors();
  it.each([['int8', false, false], ['int8', true, false], ['uint8', false, false], ['int8', false, true]] as const)('the kernels\' instructions equal shiftRoundQ15Requantize (%s, relu %s, bias in a register %s)', (output, relu, biasInRegister) => {
    const expected = input.map((v) => shiftRoundQ15Requantize(v.acc, v, output, relu));
    expect(Array.from(onIss(layer(output, relu), input, biasInRegister))).toEqual(expected);
    // The vectors reach both ends of the range and values in between.
    const { min, max } = outputRange(output, relu);
    expect(expected).toContain(min);
    expect(expected).toContain(max);
    expect(expected.some((x) => x > min && x < max)).toBe(true);
  });

  it('rounds half up at the shift and at the multiplication', () => {
    const half = { bias: 0, shift: 1, multiplier: 0x4000 };
    expect(shiftRoundQ15Requantize(3, half, 'int8', false)).toBe(1); // 3/2 = 1.5 -> 2; 2 * 0.5 = 1
    expect(shiftRoundQ15Requantize(-3, half, 'int8', false)).toBe(0); // -1.5 -> -1; -0.5 -> 0
    expect(shiftRoundQ15Requantize(100, { bias: 28, shift: 0, multiplier: 0x4000 }, 'int8', false)).toBe(64);
  });
});
