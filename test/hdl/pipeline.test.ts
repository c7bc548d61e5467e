// The example pipeline: a hand-traced program covering every forwarding path, a stall and register
// x0, then random programs under random stalls, compared retirement by retirement with the
// instruction-level model.
import { describe, expect, it } from 'vitest';
import { AluOp } from '../../hw/examples/alu.js';
import { type PipelineParams, Pipeline, Unit } from '../../hw/examples/pipeline.js';
import { elaborate, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { type Instruction, PipelineModel, type Retirement } from './models/pipeline.js';
import { peekBits, pokeBits } from './support/io.js';
import { Random } from '../../util/random.js';
import { randomBits } from './support/values.js';
import { runVectors } from './support/vectors.js';

const { ALU, ALUI, DOT, SDOT } = Unit;
const { ADD, SUB, SRA, MUL } = AluOp;
const fields = ['unit', 'op', 'rd', 'rs1', 'rs2', 'imm'] as const;
const header = { inputs: ['stall', 'in_valid', ...fields], outputs: ['retire', 'retire_rd', 'retire_data'] };
const idle = [0, 0, 0, 0, 0, 0] as const;
const none = [0, null, null] as const;

describe('pipeline, 4 lanes, 32 registers', () => {
  it('runs a hand-traced program: forwarding from EX and WB, a stall, x0 never forwarded', () => {
    const sim = new RtlSimulator(elaborate(Pipeline, { lanes: 4, depth: 32 }));
    sim.reset();
    // An instruction offered in cycle t (not stalled) retires in cycle t+2 plus the stalled cycles.
    runVectors(sim, header, [
      // stall valid  unit  op   rd rs1 rs2 imm                  retire rd data
      [0, 1, /**/ ALUI, ADD, 1, 0, 0, 5, /*                   */ ...none], // x1 = 5
      [0, 1, /**/ ALUI, ADD, 2, 0, 0, 0x0102_0304, /*         */ ...none], // x2 = 0x01020304
      [0, 1, /**/ ALU, ADD, 3, 1, 2, 0, /*                    */ 1, 1, 5], // x3 = x1 (from WB) + x2 (from EX)
      [0, 1, /**/ ALUI, SUB, 4, 3, 0, 9, /*                   */ 1, 2, 0x0102_0304], // x4 = x3 (from EX) - 9
      [0, 1, /**/ DOT, 0, 5, 2, 4, 0, /*                      */ 1, 3, 0x0102_0309], // x5 = 0*4 + 3*3 + 2*2 + 1*1
      [1, 1, /**/ ALUI, ADD, 6, 0, 0, 77, /*                  */ ...none], // stalled: nothing retires, x6 not taken
      [0, 0, /**/ ...idle, /*                                 */ 1, 4, 0x0102_0300],
      [0, 1, /**/ SDOT, 0, 5, 2, 2, 0, /*                     */ 1, 5, 14], // x5 (from WB) += 4*4 + 3*3 + 2*2 + 1*1
      [0, 1, /**/ ALUI, ADD, 7, 0, 0, 0xffff_ff80, /*         */ ...none], // x7 = -128
      [0, 1, /**/ ALU, SRA, 8, 7, 1, 0, /*                    */ 1, 5, 44], // x8 = x7 (from EX) >> 5 = -4
      [0, 1, /**/ ALU, MUL, 9, 7, 8, 0, /*                    */ 1, 7, 0xffff_ff80], // x9 = x7 (WB) * x8 (EX) = 512
      [0, 1, /**/ ALUI, ADD, 0, 9, 0, 1, /*                   */ 1, 8, 0xffff_fffc], // x0 = x9 + 1: retires, not kept
      [0, 1, /**/ ALU, ADD, 10, 0, 9, 0, /*                   */ 1, 9, 512], // x10 = x0 (not forwarded) + x9 (WB)
      [0, 1, /**/ ALUI, ADD, 10, 0, 0, 7, /*                  */ 1, 0, 513], // x10 = 7 while x10 = 512 is in EX
      [0, 1, /**/ ALU, ADD, 11, 10, 0, 0, /*                  */ 1, 10, 512], // x11 = x10: EX (7) is newer than WB (512)
      [0, 0, /**/ ...idle, /*                                 */ 1, 10, 7],
      [0, 0, /**/ ...idle, /*                                 */ 1, 11, 7],
      [0, 0, /**/ ...idle, /*                                 */ ...none],
    ]);
    const expected = [0, 5, 0x0102_0304, 0x0102_0309, 0x0102_0300, 44, 0, 0xffff_ff80, 0xffff_fffc, 512, 7, 7];
    expected.forEach((value, i) => {
      // Word 0 holds the discarded write to x0 (513); the register file hides it from reads.
      if (i > 0) expect(sim.peekMemory('u_rf.regs', i), `x${i}`).toBe(BigInt(value));
    });
  });
});

describe('pipeline internals', () => {
  it('shows the EX stage through hierarchical names', () => {
    const sim = new RtlSimulator(elaborate(Pipeline, { lanes: 4, depth: 32 }));
    sim.reset();
    const offer = { stall: 0, in_valid: 1, unit: ALUI, op: SUB, rd: 3, rs1: 0, rs2: 0, imm: 5 };
    for (const [name, value] of Object.entries(offer)) sim.poke(name, value);
    sim.step();
    sim.poke('in_valid', 0);
    expect(sim.peek('ex_valid')).toBe(1);
    expect(sim.peek('u_alu.op')).toBe(SUB);
    expect(sim.peek('u_alu.b')).toBe(5);
    expect(sim.peek('u_alu.sum')).toBe(0xffff_fffb); // 0 - 5
    expect(sim.peek('u_alu.result')).toBe(sim.peek('ex_result'));
  });
});

function randomInstruction(rng: Random, p: PipelineParams): Instruction {
  // Few distinct registers, so most instructions depend on one of the two before them.
  const reg = (): number => (rng.chance(0.7) ? rng.below(4) : rng.below(p.depth));
  return { unit: rng.below(4), op: rng.below(16), rd: reg(), rs1: reg(), rs2: reg(), imm: randomBits(rng, 8 * p.lanes) };
}

/** Feeds `program` under random stalls (junk on the inputs whenever nothing is taken); returns what retired, in order. */
function runRandomProgram(p: PipelineParams, program: readonly Instruction[], rng: Random) {
  const sim = new RtlSimulator(elaborate(Pipeline, p));
  const width = 8 * p.lanes;
  const regIndex = UInt(Math.log2(p.depth));
  const types = { unit: UInt(2), op: UInt(4), rd: regIndex, rs1: regIndex, rs2: regIndex, imm: UInt(width) };
  const retired: Retirement[] = [];
  sim.reset();
  let next = 0;
  while (next < program.length || retired.length < program.length) {
    const stall = rng.chance(0.2);
    const offer = next < program.length && rng.chance(0.8);
    // While stalled, or with no valid instruction, the inputs carry junk that must be ignored.
    const shown = offer && !stall ? program[next]! : randomInstruction(rng, p);
    sim.poke('stall', stall ? 1 : 0);
    sim.poke('in_valid', offer || (stall && rng.chance(0.5)) ? 1 : 0);
    for (const f of fields) pokeBits(sim, f, types[f], BigInt(shown[f]));
    if (sim.peek('retire')) retired.push({ rd: sim.peek('retire_rd'), data: peekBits(sim, 'retire_data', UInt(width)) });
    sim.step();
    if (offer && !stall) next++;
    if (sim.cycle > 10 * program.length + 100) throw new Error(`pipeline stopped retiring: ${retired.length} of ${program.length}`);
  }
  return { sim, retired };
}

describe.each<PipelineParams>([
  { lanes: 4, depth: 32 },
  { lanes: 2, depth: 8 },
  { lanes: 1, depth: 4 },
  { lanes: 8, depth: 16 },
])('pipeline with %o', (p) => {
  it('retires random programs under random stalls exactly as the instruction-level model', () => {
    const rng = new Random(p.lanes * 100 + p.depth);
    const program = Array.from({ length: 600 }, () => randomInstruction(rng, p));
    const model = new PipelineModel(8 * p.lanes, p.depth);
    const expected = program.map((i) => model.execute(i));
    const { sim, retired } = runRandomProgram(p, program, rng);
    retired.forEach((r, k) => expect(r, `retirement ${k}: ${JSON.stringify(program[k], (_, v) => (typeof v === 'bigint' ? String(v) : v))}`).toEqual(expected[k]));
    for (let i = 1; i < p.depth; i++) expect(sim.peekMemory('u_rf.regs', i), `x${i}`).toBe(model.regs.read(i));
  });
});
