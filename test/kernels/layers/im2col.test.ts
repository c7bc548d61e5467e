// The emitted im2col code, run on the ISS for every output pixel of awkward shapes, writes the same
// columns (padding zeros and tail zeros included) as a TypeScript im2col.
import { describe, expect, it } from 'vitest';
import { writeElf } from '../../../isa/elf/writer.js';
import { PULP_L1 } from '../../../isa/platform/memory-map.js';
import { loadProgram } from '../../../sim/program.js';
import { assemble } from '../../../sw/asm/assembler.js';
import { INSTRUCTION_TABLES } from '../../../sw/kernels/instance.js';
import { im2colColumnLines, im2colNextPixelLines, im2colStartLines, type Im2colRegisters } from '../../../sw/kernels/layers/im2col.js';
import { type LayerSpec, outputHeight, outputPixels, outputWidth, reductionLength } from '../../../sw/layers/spec.js';
import { Random } from '../../../util/random.js';
import { testLayer } from './support.js';

const REGISTERS: Im2colRegisters = { y: 's0', x: 's1', column: 's2', temps: ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 'a1', 'a2', 'a3'] };
const INPUT = PULP_L1.base;
const COLUMNS = PULP_L1.base + 0x4000;
/** What the buffer holds before the copy: the test sees every byte the code should have written. */
const GARBAGE = 0xa5;

/** Every pixel's column, `padded` bytes each, as the kernels expect it. */
function referenceColumns(spec: LayerSpec, input: Uint8Array, padded: number): Uint8Array {
  const out = new Uint8Array(outputPixels(spec) * padded);
  let at = 0;
  for (let oy = 0; oy < outputHeight(spec); oy++) {
    for (let ox = 0; ox < outputWidth(spec); ox++) {
      const column = out.subarray(at, at + padded);
      let j = 0;
      for (let ky = 0; ky < spec.kH; ky++) {
        for (let kx = 0; kx < spec.kW; kx++) {
          const y = oy * spec.stride - spec.pad.top + ky;
          const x = ox * spec.stride - spec.pad.left + kx;
          const inside = y >= 0 && y < spec.inH && x >= 0 && x < spec.inW;
          for (let c = 0; c < spec.inC; c++) column[j++] = inside ? input[(y * spec.inW + x) * spec.inC + c]! : 0;
        }
      }
      at += padded;
    }
  }
  return out;
}

function runIm2col(spec: LayerSpec, input: Uint8Array, padded: number): Uint8Array {
  const source = [
    '  .globl _start',
    '_start:',
    ...im2colStartLines(spec, 0, REGISTERS),
    `  li ${REGISTERS.column}, ${COLUMNS}`,
    `  li s3, ${outputPixels(spec)}`,
    'pixel:',
    ...im2colColumnLines(spec, INPUT, padded, REGISTERS, 'im2col'),
    ...im2colNextPixelLines(spec, REGISTERS, 'step'),
    '  addi s3, s3, -1',
    '  bnez s3, pixel',
    '  li a0, 0',
    '  li a7, 93',
    '  ecall',
  ].join('\n');
  const table = INSTRUCTION_TABLES.cv32e40p;
  const { hart, memory } = loadProgram(writeElf(assemble(source, { table, file: 'im2col.S' })), { table });
  memory.writeBytes(INPUT, input);
  const bytes = outputPixels(spec) * padded;
  memory.writeBytes(COLUMNS, new Uint8Array(bytes).fill(GARBAGE));
  const { stop } = hart.run();
  expect(stop).toEqual({ kind: 'exit', code: 0 });
  return memory.readBytes(COLUMNS, bytes);
}

const conv = (name: string, shape: Partial<LayerSpec>): LayerSpec => testLayer(name, { inW: 6, outC: 4, relu: false, ...shape });

const CASES: readonly (readonly [LayerSpec, number])[] = [
  [conv('same 3x3, words', {}), 72],
  [conv('asymmetric padding, 5x5, odd channels', { inC: 3, kH: 5, kW: 5, pad: { top: 2, bottom: 0, left: 1, right: 4 } }), 80],
  [conv('stride 2, Cin 5, padded to a group span', { inH: 7, inW: 7, inC: 5, stride: 2, pad: { top: 0, bottom: 2, left: 2, right: 1 } }), 48],
  [conv('window wider than the input', { inH: 2, inW: 1, inC: 4, kH: 3, kW: 3, pad: { top: 2, bottom: 1, left: 2, right: 2 } }), 40],
  [conv('3x3 over a 1-channel image, tail of 3', { inH: 4, inW: 9, inC: 1, pad: { top: 0, bottom: 0, left: 1, right: 0 } }), 12],
  [conv('pointwise, Cin 12, padded', { kind: 'pointwise', kH: 1, kW: 1, inC: 12, pad: { top: 0, bottom: 0, left: 0, right: 0 } }), 16],
];

describe('im2col on the ISS', () => {
  it.each(CASES.map(([spec, padded]) => [spec.name, padded, spec] as const))('%s, columns of %i bytes', (_, padded, spec) => {
    expect(padded).toBeGreaterThanOrEqual(reductionLength(spec));
    const input = new Random(7).fill(new Uint8Array(spec.inH * spec.inW * spec.inC));
    expect(runIm2col(spec, input, padded)).toEqual(referenceColumns(spec, input, padded));
  });

  it('refuses a padded length shorter than the column or not whole words', () => {
    const spec = CASES[0]![0];
    expect(() => im2colColumnLines(spec, INPUT, 70, REGISTERS, 'x')).toThrow(/tile: .*at least 72 bytes, a multiple of 4, not 70/);
    expect(() => im2colColumnLines(spec, INPUT, 74, REGISTERS, 'x')).toThrow(/not 74/);
  });
});
