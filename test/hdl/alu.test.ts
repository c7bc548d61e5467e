// The example ALU: RV32 reference results by hand, then random and corner operands at several widths
// against the model built from the operations' definitions.
import { describe, expect, it } from 'vitest';
import { Alu, AluOp } from '../../hw/examples/alu.js';
import { elaborate, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { aluModel } from './models/alu.js';
import { peekBits, pokeBits } from './support/io.js';
import { Random } from '../../util/random.js';
import { randomBits } from './support/values.js';
import { runVectors } from './support/vectors.js';

const { ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND, MUL, MULH, MULHSU, MULHU } = AluOp;

describe('ALU, 32 bits', () => {
  it('computes the RV32IM reference results', () => {
    const sim = new RtlSimulator(elaborate(Alu, { width: 32 }));
    runVectors(sim, { inputs: ['op', 'a', 'b'], outputs: ['result'] }, [
      [ADD, 5, 7, /**/ 12],
      [ADD, 0xffff_ffff, 1, /**/ 0],
      [SUB, 0, 1, /**/ 0xffff_ffff],
      [SUB, 0x8000_0000, 1, /**/ 0x7fff_ffff],
      [SLL, 1, 31, /**/ 0x8000_0000],
      [SLL, 1, 32, /**/ 1], // only b[4:0] is the shift amount
      [SLT, 0xffff_ffff, 1, /**/ 1], // -1 < 1
      [SLT, 1, 0xffff_ffff, /**/ 0],
      [SLT, 0x8000_0000, 0x7fff_ffff, /**/ 1], // most negative < most positive: the subtraction overflows
      [SLT, 0x7fff_ffff, 0x8000_0000, /**/ 0],
      [SLT, 5, 5, /**/ 0],
      [SLTU, 0xffff_ffff, 1, /**/ 0],
      [SLTU, 0, 1, /**/ 1],
      [SLTU, 7, 7, /**/ 0],
      [XOR, 0xff00_ff00, 0x0ff0_0ff0, /**/ 0xf0f0_f0f0],
      [SRL, 0x8000_0000, 31, /**/ 1],
      [SRA, 0x8000_0000, 31, /**/ 0xffff_ffff],
      [SRA, 0x8000_0000, 4, /**/ 0xf800_0000],
      [SRA, 0x4000_0000, 4, /**/ 0x0400_0000],
      [OR, 0xf0, 0x0f, /**/ 0xff],
      [AND, 0xf0, 0x3c, /**/ 0x30],
      [MUL, 0xffff_ffff, 0xffff_ffff, /**/ 1],
      [MUL, 0x1_0001, 0x1_0001, /**/ 0x2_0001],
      [MULH, 0xffff_ffff, 0xffff_ffff, /**/ 0], // -1 * -1 = 1
      [MULH, 0x8000_0000, 0x8000_0000, /**/ 0x4000_0000], // 2^62
      [MULH, 0x8000_0000, 1, /**/ 0xffff_ffff],
      [MULHSU, 0xffff_ffff, 0xffff_ffff, /**/ 0xffff_ffff], // -1 * (2^32 - 1)
      [MULHSU, 0x8000_0000, 0xffff_ffff, /**/ 0x8000_0000],
      [MULHSU, 1, 0xffff_ffff, /**/ 0],
      [MULHU, 0xffff_ffff, 0xffff_ffff, /**/ 0xffff_fffe],
      [MULHU, 0x8000_0000, 2, /**/ 1],
      [14, 0x1234, 0x5678, /**/ 0], // unused codes produce 0
      [15, 0xffff_ffff, 0xffff_ffff, /**/ 0],
    ]);
  });

  it('exposes its named intermediate values', () => {
    const sim = new RtlSimulator(elaborate(Alu, { width: 32 }));
    sim.poke('op', SUB);
    sim.poke('a', 3);
    sim.poke('b', 5);
    expect(sim.peek('sum')).toBe(0xffff_fffe);
    expect(sim.peek('less_unsigned')).toBe(1);
    expect(sim.peek('less_signed')).toBe(1);
    // mulhsu widens a with its sign and b with zeros into the 33-bit multiplier operands.
    sim.poke('op', MULHSU);
    sim.poke('a', 0xffff_ffff);
    sim.poke('b', 0xffff_ffff);
    expect(sim.peekBig('mul_a')).toBe((1n << 33n) - 1n);
    expect(sim.peekBig('mul_b')).toBe(0xffff_ffffn);
  });
});

// 5 is not a power of two (shift amounts reach 7); 33 and 64 cross the simulator's 32-bit boundary.
describe.each([1, 5, 8, 32, 33, 64])('ALU, %i bits', (width) => {
  it('matches the model on random and corner operands for every op code', () => {
    const sim = new RtlSimulator(elaborate(Alu, { width }));
    const word = UInt(width);
    const rng = new Random(width);
    for (let i = 0; i < 1500; i++) {
      const op = i % 16;
      const a = randomBits(rng, width);
      // Small b half the time: in-range shift amounts and small multipliers.
      const b = rng.chance(0.5) ? BigInt(rng.below(Math.min(2 ** width, 2 * width))) : randomBits(rng, width);
      sim.poke('op', op);
      pokeBits(sim, 'a', word, a);
      pokeBits(sim, 'b', word, b);
      expect(peekBits(sim, 'result', word), `op ${op} a=${a} b=${b}`).toBe(aluModel(op, a, b, width));
    }
  });
});
