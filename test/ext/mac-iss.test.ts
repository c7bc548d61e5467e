// Xnmsparse revision 2 in the instruction-set simulator: the assembler and disassembler against the
// golden encoder and formatter, a sparse dot product of four pixels against a computation here, the
// accumulators as CSRs, faults, the timing of R2.6 (load timing, the nm.racc stall), and the
// compiled and run-ahead engines against the reference ones, on one core and on the cluster.
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../isa/disassembler.js';
import { regName } from '../../isa/registers.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { encodeMac, formatMac, type MacInstruction } from '../../isa/xnmsparse/mac.js';
import { PULP_CLUSTER } from '../../sim/cluster/config.js';
import { IllegalInstructionError, MemoryAccessError, MisalignedAccessError } from '../../sim/core/errors.js';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';
import { loadProgram } from '../../sim/program.js';
import { Random } from '../../util/random.js';
import { clusterPrelude, compareCluster, compareSingle, elfOf, type ClusterOutcome, type SingleOutcome } from '../sim/support/engines.js';
import { L1, program } from '../sim/support/single-core-programs.js';
import { dataBase, execute, table } from './iss-support.js';

const [a0, a1, a2, a3, t0, t2] = [10, 11, 12, 13, 5, 7];

/** Runs `source` (then an exit) on a plain CV32E40P, without the extension. */
function runPlain(source: string): void {
  const elf = writeElf(assemble(`  .globl _start\n_start:\n${source}\n  li a7, 93\n  ecall\n`, { table: CV32E40P_TABLE, base: 0x1000, file: 'test.S' }));
  const { hart } = loadProgram(elf, { table: CV32E40P_TABLE, memoryMap: [{ name: 'ram', base: 0, size: 0x10000 }], output: () => {} });
  hart.run(1000);
}

function words(source: string, onTable = table): number[] {
  const image = assemble(source, { table: onTable, base: 0x1000, file: 'test.S' });
  const text = image.sections.find((s) => s.name === '.text')!;
  const view = new DataView(text.bytes.buffer, text.bytes.byteOffset, text.bytes.byteLength);
  return Array.from({ length: text.bytes.byteLength / 4 }, (_, i) => view.getUint32(4 * i, true));
}

const every: MacInstruction[] = [
  ...[false, true].flatMap((signed) => [0, 1].flatMap((half) => [0, 1, 2, 3].flatMap((lane) =>
    [[11, 5, 7], [0, 31, 1], [31, 0, 30]].map(([rs1, rs2, rs3]) => ({ kind: 'mac4' as const, rs1: rs1!, rs2: rs2!, rs3: rs3!, half, lane, signed }))))),
  ...[0, 1, 2, 3].flatMap((k) => [0, 10, 31].map((rd) => ({ kind: 'racc' as const, rd, k }))),
];

describe('assembly', () => {
  it('assembles, disassembles and assembles again every form exactly as the golden encoder and formatter', () => {
    const text = every.map((insn) => formatMac(insn, regName));
    expect(words(text.join('\n'))).toEqual(every.map(encodeMac));
    const disassembled = every.map((insn) => disassemble(table, encodeMac(insn)));
    expect(disassembled).toEqual(text);
    expect(words(disassembled.join('\n'))).toEqual(every.map(encodeMac));
  });

  it('rejects immediates out of range', () => {
    for (const source of ['nm.mac4.u a1, t0, t2, 2, 0', 'nm.mac4.s a1, t0, t2, 0, 4', 'nm.racc a0, 4']) expect(() => words(source), source).toThrow();
  });

  it('illegal encodings disassemble as data', () => {
    const mac = encodeMac({ kind: 'mac4', rs1: 11, rs2: 5, rs3: 7, half: 1, lane: 3, signed: false });
    const racc = encodeMac({ kind: 'racc', rd: 10, k: 1 });
    for (const word of [(mac | (3 << 25)) >>> 0, (mac | (1 << 10)) >>> 0, (racc | (1 << 22)) >>> 0, (racc | (1 << 15)) >>> 0, (racc | (1 << 31)) >>> 0]) {
      expect(disassemble(table, word)).toBe(`.word 0x${word.toString(16).padStart(8, '0')}`);
    }
  });

  it('is not part of a plain CV32E40P', () => {
    expect(() => words('nm.mac4.u a1, t0, t2, 1, 3', CV32E40P_TABLE)).toThrow(/unknown instruction/);
    expect(() => words('nm.racc a0, 2', CV32E40P_TABLE)).toThrow(/unknown instruction/);
    for (const insn of every) expect(disassemble(CV32E40P_TABLE, encodeMac(insn))).toMatch(/^\.word /);
  });
});

/** One channel's stream (R2.2): per group of four non-zeros, a word of two offsets twice, then a word of four weights. */
interface Channel {
  readonly stream: number[];
  /** The four pixels' dot products, computed here from the offsets. */
  readonly expected: number[];
}

function randomChannel(random: Random, activations: Uint8Array, groups: number, signed: boolean): Channel {
  const words = activations.length / 4;
  const stream: number[] = [];
  const expected = [0, 0, 0, 0];
  for (let g = 0; g < groups; g++) {
    const offsets = Array.from({ length: 4 }, () => 4 * random.below(words));
    const weights = Int8Array.from({ length: 4 }, () => random.uint32());
    stream.push((offsets[1]! << 16) | offsets[0]!, (offsets[3]! << 16) | offsets[2]!, new Uint32Array(Uint8Array.from(weights).buffer)[0]!);
    for (let j = 0; j < 4; j++) {
      for (let p = 0; p < 4; p++) {
        const byte = activations[offsets[j]! + p]!;
        expected[p] = (expected[p]! + (signed ? (byte << 24) >> 24 : byte) * weights[j]!) | 0;
      }
    }
  }
  return { stream, expected };
}

const dotProductSetup = (signed: boolean, seed: number, channels: number, groups: number) => {
  const random = new Random(seed);
  const activations = random.fill(new Uint8Array(256));
  const stream = Array.from({ length: channels }, () => randomChannel(random, activations, groups, signed));
  const wordList = (values: readonly number[]) => values.map((v) => `  .word ${v | 0}`).join('\n');
  const data = [
    'activations:', wordList(Array.from(new Int32Array(activations.buffer))),
    'stream:', wordList(stream.flatMap((c) => c.stream)),
    'outputs:', `  .space ${16 * channels}`,
  ].join('\n');
  return { stream, data };
};

/**
 * The inner loop of R2.2 in a hardware loop over `groups` groups, then the four nm.racc right after
 * the last nm.mac4 (the first one waits a cycle), storing the channel's pixels to outputs + 16 * c.
 * The weights are loaded first, so that no nm.mac4 uses the register loaded just before it.
 * Registers: s0 the stream, s1 the channel, s2 the channel count, s3 the outputs.
 */
function channelLoop(mnemonic: 'nm.mac4.u' | 'nm.mac4.s', groups: number, activations = '  la a1, activations'): string {
  return `
${activations}
1:
  cv.setupi 0, ${groups}, 2f
  lw t2, 8(s0)
  cv.lw t0, (s0), 4
  cv.lw t1, (s0), 8
  ${mnemonic} a1, t0, t2, 0, 0
  ${mnemonic} a1, t0, t2, 1, 1
  ${mnemonic} a1, t1, t2, 0, 2
  ${mnemonic} a1, t1, t2, 1, 3
2:
  nm.racc a2, 0
  nm.racc a3, 1
  nm.racc a4, 2
  nm.racc a5, 3
  cv.sw a2, (s3), 4
  cv.sw a3, (s3), 4
  cv.sw a4, (s3), 4
  cv.sw a5, (s3), 4
  addi s1, s1, 1
  blt s1, s2, 1b`;
}

const SINGLE_MAP = [L1, { name: 'l2', base: PULP_CLUSTER.l2Base, size: 0x8000 }];

/** The words at `address` (in L2) after a run (from the memory the comparison captured). */
function wordsAt(outcome: SingleOutcome | ClusterOutcome, address: number, count: number): number[] {
  const region = outcome.memory.find((r) => r.name === 'l2')!;
  const view = new DataView(region.bytes.buffer, region.bytes.byteOffset + address - PULP_CLUSTER.l2Base);
  return Array.from({ length: count }, (_, i) => view.getInt32(4 * i, true));
}

describe('a sparse dot product of four pixels', () => {
  it.each([['nm.mac4.u', false], ['nm.mac4.s', true]] as const)('%s: 6 channels of 8 groups, compiled and interpreted alike, equal to the computation here', (mnemonic, signed) => {
    const channels = 6;
    const { stream, data } = dotProductSetup(signed, signed ? 7 : 3, channels, 8);
    const source = program(`  la s0, stream\n  la s3, outputs\n  li s1, 0\n  li s2, ${channels}${channelLoop(mnemonic, 8)}`, data);
    const { reference, fast } = compareSingle(elfOf(source, { table }), { table, memoryMap: SINGLE_MAP });
    expect(reference.stop).toEqual({ kind: 'exit', code: expect.any(Number) });
    expect(fast.use.blocks, 'compiled blocks ran').toBeGreaterThan(0);
    expect(fast.use.loopBacks, 'the loop body iterated inside a block').toBeGreaterThan(0);
    expect(wordsAt(reference, reference.symbols.get('outputs')!, 4 * channels)).toEqual(stream.flatMap((c) => c.expected));
    expect(reference.hart.accumulators).toEqual([0, 0, 0, 0]);
    // One stall per channel: the first nm.racc right after the last nm.mac4 (the loads of the stream
    // feed nm.mac4 two and more instructions later).
    expect(reference.hart.stats.loadUseStalls).toBe(channels);
  });

  it('the stalls after nm.mac4 inside one compiled block, compiled and interpreted alike', () => {
    // Per iteration: nm.racc and csrr right after an nm.mac4 in the middle of the block (two stalls),
    // and an nm.racc after a taken branch that follows an nm.mac4 (none). The loop above has its
    // first nm.racc at the start of a block, after the hardware-loop body that ends in nm.mac4.
    const body = `
  la a1, activations
  li t0, 0x00040008
  li t2, 0x7f80ff01
  li s1, 20
  j 2f
1:
  nm.racc a3, 3
  add s4, s4, a3
  nm.mac4.s a1, t0, t2, 0, 1
  nm.racc a2, 1
  nm.mac4.u a1, t0, t2, 1, 2
  csrr a4, nmacc0
  add s2, s2, a2
  add s3, s3, a4
  addi s1, s1, -1
2:
  nm.mac4.u a1, t0, t2, 1, 3
  bnez s1, 1b
  mv a0, s2`;
    const { data } = dotProductSetup(false, 5, 1, 1);
    const { reference, fast } = compareSingle(elfOf(program(body, data), { table }), { table, memoryMap: SINGLE_MAP });
    expect(fast.use.blocks, 'compiled blocks ran').toBeGreaterThan(0);
    expect(reference.hart.stats.loadUseStalls).toBe(2 * 20);
  });

  it.each([8, 3])('on a cluster of %i cores, each core its own channel: run-ahead and blocks give the reference results', (cores) => {
    const { stream, data } = dotProductSetup(true, 11, cores, 6);
    // Core i computes channel i: its stream starts 18 words further on, its outputs 4 words.
    // Each core copies the activations to its own 256 bytes of L1, where the cores' nm.mac4 meet in the banks.
    const copy = `
  slli a1, s1, 8
  li t0, PULP_L1_BASE
  add a1, a1, t0
  la t0, activations
  mv t1, a1
  cv.setupi 0, 64, 3f
  cv.lw t2, (t0), 4
  cv.sw t2, (t1), 4
  nop
3:`;
    const body = `  csrr s1, mhartid\n  addi s2, s1, 1\n  li t0, 72\n  mul t0, t0, s1\n  la s0, stream\n  add s0, s0, t0\n  slli t0, s1, 4\n  la s3, outputs\n  add s3, s3, t0${channelLoop('nm.mac4.s', 6, copy)}`;
    const image = assemble(program(body, data, clusterPrelude(cores)), { table, file: 'cluster.S' });
    const { reference, fast } = compareCluster(writeElf(image), cores, undefined, { table });
    expect(reference.cores.map((c) => c.hart.halted?.kind)).toEqual(Array(cores).fill('exit'));
    expect(fast.use.runAheads, 'cores ran ahead').toBeGreaterThan(0);
    expect(reference.cores.some((c) => c.waits.tcdmContention > 0), 'bank conflicts').toBe(true);
    expect(wordsAt(reference, image.symbols.find((symbol) => symbol.name === 'outputs')!.value, 4 * cores)).toEqual(stream.flatMap((c) => c.expected));
  });
});

describe('the accumulators as CSRs nmacc0..nmacc3', () => {
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => i + 1);

  it('save with csrr, clear with nm.racc, restore with csrw: the accumulation goes on as if uninterrupted', () => {
    const mac = '  nm.mac4.s a1, t0, t2, 1, 3';
    const saveClearRestore = `
${mac}
  csrr s2, nmacc0
  csrr s3, nmacc1
  csrr s4, nmacc2
  csrr s5, nmacc3
  nm.racc zero, 0
  nm.racc zero, 1
  nm.racc zero, 2
  nm.racc zero, 3
  csrw nmacc0, s2
  csrw nmacc1, s3
  csrw nmacc2, s4
  csrw nmacc3, s5
${mac}`;
    const regs = { [a1]: dataBase, [t0]: 0x00080004, [t2]: 0x7f000000 };
    const interrupted = execute(saveClearRestore, bytes, regs);
    const straight = execute(`${mac}\n${mac}`, bytes, regs);
    interrupted.run();
    straight.run();
    expect(Array.from(interrupted.hart.accumulators)).toEqual(Array.from(straight.hart.accumulators));
    // The word at dataBase + 8 (9, 10, 11, 12) times 127, twice.
    expect(Array.from(straight.hart.accumulators)).toEqual([9, 10, 11, 12].map((a) => 2 * 127 * a));
    expect(interrupted.hart.regs.slice(18, 22)).toEqual(Int32Array.from([9, 10, 11, 12].map((a) => 127 * a)));
  });

  it('csrw sets what nm.racc reads; csrrs and csrrc change single bits', () => {
    const { hart, run } = execute(`
  li t3, -77
  csrw nmacc2, t3
  csrrsi zero, nmacc1, 5
  csrrci zero, nmacc2, 1
  nm.racc a0, 2
  nm.racc a2, 1
  csrr a3, nmacc2`, bytes);
    run();
    expect([hart.regs[a0], hart.regs[a2], hart.regs[a3]]).toEqual([-78, 5, 0]);
  });

  it('are illegal CSRs on a plain CV32E40P', () => {
    for (const source of ['  csrr a0, nmacc0', '  csrw nmacc3, a0', '  csrr a0, 0x7c1']) expect(() => runPlain(source), source).toThrow(IllegalInstructionError);
    // The same CSR instructions run on the extended core.
    for (const source of ['  csrr a0, nmacc0', '  csrw nmacc3, a0', '  csrr a0, 0x7c1']) expect(execute(source, new Uint8Array(4)).run().stop.kind).toBe('exit');
  });
});

describe('faults', () => {
  const bytes = new Uint8Array(64);

  it('a misaligned or out-of-memory nm.mac4 stops with the accumulators and registers unchanged', () => {
    const cases: [string, Record<number, number>, unknown][] = [
      ['nm.mac4.u a1, t0, t2, 0, 0', { [a1]: dataBase, [t0]: 2 }, MisalignedAccessError],
      ['nm.mac4.s a1, t0, t2, 1, 0', { [a1]: dataBase + 1, [t0]: 0x00040000 }, MisalignedAccessError],
      ['nm.mac4.u a1, t0, t2, 0, 0', { [a1]: 0x20000, [t0]: 0 }, MemoryAccessError],
    ];
    for (const [source, regs, error] of cases) {
      const { hart, before, run } = execute(`  csrwi nmacc0, 3\n  csrwi nmacc3, 9\n  ${source}`, bytes, { ...regs, [t2]: 0x01010101 });
      expect(run, source).toThrow(error as never);
      expect(Array.from(hart.accumulators)).toEqual([3, 0, 0, 9]);
      expect(Array.from(hart.regs)).toEqual(Array.from(before));
    }
  });

  it('the encodings are illegal instructions on a plain CV32E40P; f2 = 11 and set must-be-zero bits with the extension too', () => {
    const mac = encodeMac({ kind: 'mac4', rs1: 0, rs2: 0, rs3: 0, half: 0, lane: 0, signed: false });
    const racc = encodeMac({ kind: 'racc', rd: 10, k: 0 });
    for (const word of [mac, racc]) expect(() => runPlain(`  .word ${word}`)).toThrow(IllegalInstructionError);
    for (const word of [(mac | (3 << 25)) >>> 0, (mac | (1 << 11)) >>> 0, (racc | (1 << 23)) >>> 0]) {
      expect(() => execute(`  .word ${word}`, bytes).run()).toThrow(IllegalInstructionError);
    }
  });
});

describe('timing (R2.6)', () => {
  const bytes = new Uint8Array(64);
  const regs = { [a1]: dataBase, [t0]: 0x00080004, [t2]: 0x01020304, [a2]: dataBase };
  const measure = (body: string) => {
    const { hart, run } = execute(body, bytes, regs);
    const { cycles } = run();
    return { cycles, stalls: hart.stats.loadUseStalls };
  };
  const mac = '  nm.mac4.u a1, t0, t2, 1, 3';

  it('nm.mac4 takes one cycle; nm.racc right after it waits one, counted as a load-use stall', () => {
    const alone = measure(`${mac}\n  nop`);
    const racc = measure(`${mac}\n  nm.racc a0, 0`);
    const apart = measure(`${mac}\n  nop\n  nm.racc a0, 0`);
    expect(racc).toEqual({ cycles: alone.cycles + 1, stalls: 1 });
    expect(apart).toEqual({ cycles: alone.cycles + 1, stalls: 0 });
  });

  it('nothing else waits: the next nm.mac4, readers of its operands, the register its h and l bits name', () => {
    const alone = measure(`${mac}\n  nop`);
    // h = 1, l = 3 put 01011 in the rd field: a1, which is also rs1.
    for (const next of [mac, '  addi a1, a1, 4', '  add t0, t0, t2', '  lw zero, 0(a1)', '  mv a0, a1']) {
      expect(measure(`${mac}\n${next}`), next).toEqual({ cycles: alone.cycles, stalls: 0 });
    }
  });

  it('a CSR access to the accumulators right after nm.mac4 waits as nm.racc does', () => {
    const alone = measure(`${mac}\n  nop`);
    expect(measure(`${mac}\n  csrr a0, nmacc2`)).toEqual({ cycles: alone.cycles + 1, stalls: 1 });
    expect(measure(`${mac}\n  csrr a0, mscratch`)).toEqual({ cycles: alone.cycles, stalls: 0 });
  });

  it('nm.mac4 waits for a load of its offsets or weights, as any instruction reading a loaded register', () => {
    const after = (reg: string) => measure(`  lw ${reg}, 0(a2)\n  nm.mac4.u a1, t0, t2, 0, 0`);
    expect(after('t0').stalls).toBe(1);
    expect(after('t2').stalls).toBe(1);
    expect(after('t1').stalls).toBe(0);
  });

  it('its load costs what a load costs (memory waits on the cluster are compared above)', () => {
    const load = measure('  lw t1, 0(a1)\n  nop');
    expect(measure(`${mac}\n  nop`).cycles).toBe(load.cycles);
  });
});
