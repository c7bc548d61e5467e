// Xnmsparse revision 2 in the instruction-set simulator: the assembler and disassembler against the
// golden encoder and formatter, a sparse dot product of four pixels against a computation here, the
// sums in x28..x31, faults, the timing of R2.6 (load timing, the waits of instructions naming
// x28..x31 and of the multiplier), and the compiled and run-ahead engines against the reference
// ones, on one core and on the cluster.
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../isa/disassembler.js';
import { regName } from '../../isa/registers.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { encodeMac, formatMac, type MacInstruction } from '../../isa/xnmsparse/mac.js';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { PULP_CLUSTER } from '../../sim/cluster/config.js';
import { IllegalInstructionError, MemoryAccessError, MisalignedAccessError } from '../../sim/core/errors.js';
import type { RetireEvent } from '../../sim/core/retire.js';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';
import { loadProgram } from '../../sim/program.js';
import { Random } from '../../util/random.js';
import { clusterPrelude, compareCluster, compareSingle, elfOf, type ClusterOutcome, type SingleOutcome } from '../sim/support/engines.js';
import { L1, program } from '../sim/support/single-core-programs.js';
import { dataBase, execute, table } from './iss-support.js';

const [a1, a2, t0, t2, t3, t4, t5, t6] = [11, 12, 5, 7, 28, 29, 30, 31];

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

const every: MacInstruction[] = [false, true].flatMap((start) => [false, true].flatMap((signed) => [0, 1].flatMap((half) => [0, 1, 2, 3].flatMap((lane) =>
  [[11, 5, 7], [0, 31, 1], [31, 0, 30], [28, 29, 30]].map(([rs1, rs2, rs3]) => ({ rs1: rs1!, rs2: rs2!, rs3: rs3!, half, lane, signed, start }))))));

describe('assembly', () => {
  it('assembles, disassembles and assembles again every form exactly as the golden encoder and formatter', () => {
    const text = every.map((insn) => formatMac(insn, regName));
    expect(words(text.join('\n'))).toEqual(every.map(encodeMac));
    const disassembled = every.map((insn) => disassemble(table, encodeMac(insn)));
    expect(disassembled).toEqual(text);
    expect(words(disassembled.join('\n'))).toEqual(every.map(encodeMac));
  });

  it('nm.mul4.s a1, t0, t2, 1, 3: the encoding R2.3 gives, and back', () => {
    // rs3 t2 = 7, f2 = 11, rs2 t0 = 5, rs1 a1 = 11, funct3 111, h = 1, l = 3, custom-1.
    const word = ((7 << 27) | (0b11 << 25) | (5 << 20) | (11 << 15) | (0b111 << 12) | (1 << 9) | (3 << 7) | 0x2b) >>> 0;
    expect(words('nm.mul4.s a1, t0, t2, 1, 3')).toEqual([word]);
    expect(disassemble(table, word)).toBe('nm.mul4.s a1, t0, t2, 1, 3');
  });

  it('rejects immediates out of range, and the instructions that are gone', () => {
    for (const source of ['nm.mac4.u a1, t0, t2, 2, 0', 'nm.mul4.s a1, t0, t2, 0, 4', 'nm.racc a0, 0', 'csrr a0, nmacc0']) expect(() => words(source), source).toThrow();
  });

  it('illegal encodings (bits 11:10 set) disassemble as data', () => {
    for (const insn of every.filter((_, i) => i % 16 === 0)) {
      for (const bits of [1, 2, 3]) {
        const word = (encodeMac(insn) | (bits << 10)) >>> 0;
        expect(disassemble(table, word)).toBe(`.word 0x${word.toString(16).padStart(8, '0')}`);
      }
    }
  });

  it('is not part of a plain CV32E40P', () => {
    expect(() => words('nm.mac4.u a1, t0, t2, 1, 3', CV32E40P_TABLE)).toThrow(/unknown instruction/);
    expect(() => words('nm.mul4.u a1, t0, t2, 1, 3', CV32E40P_TABLE)).toThrow(/unknown instruction/);
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
 * The inner loop of R2.2 for `groups` groups: the first group starts the sums with nm.mul4, the
 * others add in a hardware loop; then the four sums t3..t6 (x28..x31) are stored to outputs + 16 * c,
 * the first store right after the last nm.mac4 (it waits two cycles). The weights are loaded
 * first, so that no nm.mac4 uses the register loaded just before it.
 * Registers: s0 the stream, s1 the channel, s2 the channel count, s3 the outputs.
 */
function channelLoop(signed: boolean, groups: number, activations = '  la a1, activations'): string {
  const [mul, mac] = signed ? ['nm.mul4.s', 'nm.mac4.s'] : ['nm.mul4.u', 'nm.mac4.u'];
  const group = (first: string) => `
  lw t2, 8(s0)
  cv.lw t0, (s0), 4
  cv.lw t1, (s0), 8
  ${first} a1, t0, t2, 0, 0
  ${mac} a1, t0, t2, 1, 1
  ${mac} a1, t1, t2, 0, 2
  ${mac} a1, t1, t2, 1, 3`;
  return `
${activations}
1:${group(mul)}
  cv.setupi 0, ${groups - 1}, 2f${group(mac)}
2:
  cv.sw t3, (s3), 4
  cv.sw t4, (s3), 4
  cv.sw t5, (s3), 4
  cv.sw t6, (s3), 4
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
  it.each([['unsigned', false], ['signed', true]] as const)('%s: 6 channels of 8 groups, compiled and interpreted alike, equal to the computation here', (_, signed) => {
    const channels = 6;
    const { stream, data } = dotProductSetup(signed, signed ? 7 : 3, channels, 8);
    const source = program(`  la s0, stream\n  la s3, outputs\n  li s1, 0\n  li s2, ${channels}${channelLoop(signed, 8)}`, data);
    const { reference, fast } = compareSingle(elfOf(source, { table }), { table, memoryMap: SINGLE_MAP });
    expect(reference.stop).toEqual({ kind: 'exit', code: expect.any(Number) });
    expect(fast.use.blocks, 'compiled blocks ran').toBeGreaterThan(0);
    expect(fast.use.loopBacks, 'the loop body iterated inside a block').toBeGreaterThan(0);
    expect(wordsAt(reference, reference.symbols.get('outputs')!, 4 * channels)).toEqual(stream.flatMap((c) => c.expected));
    expect(Array.from(reference.hart.regs.slice(t3, t6 + 1))).toEqual(stream.at(-1)!.expected);
    // Per channel, the first store of t3 right after the last nm.mac4 waits two cycles (the loads
    // of the stream feed nm.mac4 two and more instructions later).
    expect(reference.hart.stats.loadUseStalls).toBe(2 * channels);
  });

  it('the waits after nm.mac4 and nm.mul4 inside compiled blocks, at their starts and across a hardware loop\'s back edge, compiled and interpreted alike', () => {
    const body = `
  la a1, activations
  li t0, 0x00040008
  li t2, 0x7f80ff01
  li s1, 20
  j 2f
1:
  add s4, s4, t3               # after a taken branch that follows nm.mac4: no wait
  nm.mac4.s a1, t0, t2, 0, 1
  add s2, s2, t4               # right after: 2
  nm.mul4.u a1, t0, t2, 1, 2
  addi s5, s5, 1
  add s3, s3, t5               # one single-cycle instruction between: 1
  nm.mac4.u a1, t0, t2, 0, 0
  nm.mac4.s a1, t0, t2, 1, 1   # nm.mac4 after nm.mac4, naming no sum: none
  mul s6, s6, t2               # the multiplier right after: 1
  nm.mac4.u a1, t0, t2, 0, 3
  nm.mac4.s a1, t0, t3, 0, 0   # naming t3 as rs3 right after: 2
  lw s7, 0(a1)
  sub t6, s5, s4               # rd t6, a single-cycle load between: 1
  addi s1, s1, -1
2:
  nm.mac4.u a1, t0, t2, 1, 3
  bnez s1, 1b
  mv s8, t3                    # a not-taken branch between: 1
  cv.setupi 0, 10, 3f
  addi s5, s5, 1               # the body's start right after its end's nm.mac4: no sum named
  add s3, s3, t5               # one between, from the second iteration on: 1
  nm.mac4.u a1, t0, t2, 0, 0
3:
  add s2, s2, t6               # right after the loop's last nm.mac4: 2
  cv.setupi 0, 10, 4f
  add s3, s3, t5               # the body's nm.mac4 two back, from the second iteration on: 1
  nm.mac4.u a1, t0, t2, 0, 0
  addi s5, s5, 1
4:
  mv a0, s2`;
    const { data } = dotProductSetup(false, 5, 1, 1);
    const { reference, fast } = compareSingle(elfOf(program(body, data), { table }), { table, memoryMap: SINGLE_MAP });
    expect(fast.use.blocks, 'compiled blocks ran').toBeGreaterThan(0);
    expect(fast.use.loopBacks, 'the hardware loop iterated inside a block').toBeGreaterThan(0);
    expect(reference.hart.stats.loadUseStalls).toBe(20 * (2 + 1 + 1 + 2 + 1) + 1 + 9 + 2 + 9);
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
    const body = `  csrr s1, mhartid\n  addi s2, s1, 1\n  li t0, 72\n  mul t0, t0, s1\n  la s0, stream\n  add s0, s0, t0\n  slli t0, s1, 4\n  la s3, outputs\n  add s3, s3, t0${channelLoop(true, 6, copy)}`;
    const image = assemble(program(body, data, clusterPrelude(cores)), { table, file: 'cluster.S' });
    const { reference, fast } = compareCluster(writeElf(image), cores, undefined, { table });
    expect(reference.cores.map((c) => c.hart.halted?.kind)).toEqual(Array(cores).fill('exit'));
    expect(fast.use.runAheads, 'cores ran ahead').toBeGreaterThan(0);
    expect(fast.use.regionRuns, 'cores took turns inside a loop body (LoopRegion)').toBeGreaterThan(0);
    expect(reference.cores.some((c) => c.waits.tcdmContention > 0), 'bank conflicts').toBe(true);
    expect(wordsAt(reference, image.symbols.find((symbol) => symbol.name === 'outputs')!.value, 4 * cores)).toEqual(stream.flatMap((c) => c.expected));
  });
});

describe('the sums are x28..x31', () => {
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => i + 1);
  // The word at dataBase + 8: bytes 9, 10, 11, 12; weight lane 0 of t5 = 127.
  const regs = { [t3]: dataBase, [t4]: 8, [t5]: 0x7f, [t6]: -5 };

  it('nm.mac4 adds to them; its operands may be sum registers, read before the sums are written', () => {
    const { hart, run } = execute('  nm.mac4.u t3, t4, t5, 0, 0', bytes, regs);
    run();
    expect(Array.from(hart.regs.slice(t3, t6 + 1))).toEqual([dataBase + 9 * 127, 8 + 10 * 127, 0x7f + 11 * 127, -5 + 12 * 127]);
  });

  it('nm.mul4 starts them from zero; the retire record lists the four writes and the load', () => {
    const { hart, run } = execute('  nm.mul4.s t3, t4, t5, 0, 0', bytes, regs);
    const events: RetireEvent[] = [];
    hart.onRetire = (event) => events.push(event);
    run();
    const sums = [9 * 127, 10 * 127, 11 * 127, 12 * 127];
    expect(Array.from(hart.regs.slice(t3, t6 + 1))).toEqual(sums);
    expect(events[0]!.regWrites).toEqual(sums.map((value, p) => ({ reg: t3 + p, value })));
    expect(events[0]!.dataAccesses).toEqual([{ addr: dataBase + 8, size: 4, value: 0x0c0b0a09, write: false }]);
  });

  it('the CSRs of the accumulators are gone: 0x7c0..0x7c3 are illegal, with the extension or without', () => {
    for (const csr of [0x7c0, 0x7c1, 0x7c2, 0x7c3]) {
      for (const source of [`  csrr a0, ${csr}`, `  csrw ${csr}, a0`]) {
        expect(() => runPlain(source), source).toThrow(IllegalInstructionError);
        expect(() => execute(source, new Uint8Array(4)).run(), source).toThrow(IllegalInstructionError);
      }
    }
  });
});

describe('faults', () => {
  const bytes = new Uint8Array(64);

  it('a misaligned or out-of-memory nm.mac4 or nm.mul4 stops with every register unchanged', () => {
    const cases: [string, Record<number, number>, unknown][] = [
      ['nm.mac4.u a1, t0, t2, 0, 0', { [a1]: dataBase, [t0]: 2 }, MisalignedAccessError],
      ['nm.mul4.s a1, t0, t2, 1, 0', { [a1]: dataBase + 1, [t0]: 0x00040000 }, MisalignedAccessError],
      ['nm.mac4.u a1, t0, t2, 0, 0', { [a1]: 0x20000, [t0]: 0 }, MemoryAccessError],
      ['nm.mul4.u a1, t0, t2, 0, 0', { [a1]: 0x20000, [t0]: 0 }, MemoryAccessError],
    ];
    for (const [source, regs, error] of cases) {
      const { hart, before, run } = execute(`  ${source}`, bytes, { ...regs, [t2]: 0x01010101, [t3]: 3, [t4]: -1, [t5]: 7, [t6]: 9 });
      expect(run, source).toThrow(error as never);
      expect(Array.from(hart.regs)).toEqual(Array.from(before));
      expect(Array.from(hart.regs.slice(t3, t6 + 1))).toEqual([3, -1, 7, 9]);
    }
  });

  it('the encodings are illegal instructions on a plain CV32E40P; set must-be-zero bits with the extension too', () => {
    for (const insn of every.filter((_, i) => i % 8 === 0)) {
      const word = encodeMac(insn);
      expect(() => runPlain(`  .word ${word}`)).toThrow(IllegalInstructionError);
      for (const bits of [1, 2, 3]) expect(() => execute(`  .word ${(word | (bits << 10)) >>> 0}`, bytes).run()).toThrow(IllegalInstructionError);
    }
  });
});

describe('timing (R2.6)', () => {
  const bytes = new Uint8Array(64);
  const regs = { [a1]: dataBase, [t0]: 0x00080004, [t2]: 0x01020304, [a2]: dataBase, [t3]: 0, [t4]: 4 };
  const measure = (body: string) => {
    const { hart, run } = execute(body, bytes, regs);
    const { cycles } = run();
    return { cycles, stalls: hart.stats.loadUseStalls };
  };
  const mac = '  nm.mac4.u a1, t0, t2, 1, 3';
  const mul = '  nm.mul4.s a1, t0, t2, 0, 2';
  /** Instructions that name one of x28..x31: each source slot, rd-as-source, a destination written from EX, by a load, by the multiplier. */
  const naming = [
    '  add a0, t3, zero', '  add a0, zero, t6', '  addi t5, zero, 1', '  lw t4, 0(a1)', '  sw t3, 0(a2)', '  cv.mac t6, a0, a0',
    '  cv.lw a0, (t3), 4', '  nm.mac4.u a1, t0, t3, 0, 0', '  nm.mul4.u t3, zero, t2, 0, 0', '  csrr t4, mscratch',
  ];
  /** The same instructions, renamed to registers outside x28..x31. */
  const renamed = naming.map((insn) => insn.replace(/\bt[3-6]\b/g, (reg) => ({ t3: 'a2', t4: 'a3', t5: 'a4', t6: 'a5' })[reg]!));

  it('nm.mac4 and nm.mul4 take one cycle, as a load does', () => {
    const load = measure('  lw t1, 0(a1)\n  nop');
    expect(measure(`${mac}\n  nop`)).toEqual(load);
    expect(measure(`${mul}\n  nop`)).toEqual(load);
  });

  it('an instruction naming x28..x31 right after one waits two cycles, counted as load-use stalls', () => {
    naming.forEach((next, i) => {
      for (const first of [mac, mul]) {
        const alone = measure(`${first}\n${renamed[i]}`);
        expect(alone.stalls, renamed[i]).toBe(renamed[i]!.includes('cv.mac') ? 1 : 0);
        expect(measure(`${first}\n${next}`), `${first} then ${next}`).toEqual({ cycles: alone.cycles - alone.stalls + 2, stalls: 2 });
      }
    });
  });

  it('one single-cycle instruction between: one cycle; two, or one taking longer: none', () => {
    naming.forEach((next, i) => {
      const between = (gap: string) => {
        const alone = measure(`${mac}\n${gap}\n${renamed[i]}`);
        const named = measure(`${mac}\n${gap}\n${next}`);
        return { cycles: named.cycles - alone.cycles, stalls: named.stalls - alone.stalls };
      };
      expect(between('  nop'), next).toEqual({ cycles: 1, stalls: 1 });
      expect(between('  lw s9, 0(a2)'), next).toEqual({ cycles: 1, stalls: 1 });
      expect(between('  nop\n  nop'), next).toEqual({ cycles: 0, stalls: 0 });
      // The multiplier waits a cycle after nm.mac4: by then nm.mac4 has left WB.
      expect(between('  mul s9, s9, s9'), next).toEqual({ cycles: 0, stalls: 0 });
      expect(between('  mulh s9, s9, s9'), next).toEqual({ cycles: 0, stalls: 0 });
    });
  });

  it('nm.mac4 after nm.mac4 or nm.mul4 does not wait for its implicit use of the sums', () => {
    const alone = measure(`${mac}\n  nop`);
    for (const [first, second] of [[mac, mac], [mul, mac], [mac, mul], [mul, mul]]) {
      expect(measure(`${first}\n${second}`), `${first} then ${second}`).toEqual({ cycles: alone.cycles, stalls: 0 });
    }
  });

  it('an instruction on the multiplier right after one waits a cycle', () => {
    for (const first of [mac, mul]) {
      for (const next of ['  mul a0, a1, a2', '  mulh a0, a1, a2', '  cv.mac a0, a1, a2', '  cv.sdotsp.b a0, a1, a2']) {
        const apart = measure(`${first}\n  nop\n${next}`);
        expect(measure(`${first}\n${next}\n  nop`), next).toEqual({ cycles: apart.cycles + 1, stalls: 1 });
      }
    }
  });

  it('nothing else waits: readers of its operands, the register its h and l bits name, CSRs', () => {
    const alone = measure(`${mac}\n  nop`);
    // h = 1, l = 3 put 01011 in the rd field: a1, which is also rs1.
    for (const next of ['  addi a1, a1, 4', '  add t0, t0, t2', '  lw zero, 0(a1)', '  mv a0, a1', '  csrr a0, mscratch', '  sw a0, 0(a2)']) {
      expect(measure(`${mac}\n${next}`), next).toEqual({ cycles: alone.cycles, stalls: 0 });
    }
  });

  it('under grant delays the waits count from the cycle nm.mac4 leaves EX, as a load\'s stall does', () => {
    const retired = (body: string, grantDelay: GrantDelay) => {
      const { hart, run } = execute(body, bytes, regs, grantDelay);
      const cycles: number[] = [];
      hart.onRetire = (event) => cycles.push(event.cycles);
      run();
      return { cycles: cycles.slice(0, body.split('\n').length), memoryWait: hart.stats.memoryWait, stalls: hart.stats.loadUseStalls };
    };
    const delayed: GrantDelay = { kind: 'fixed', cycles: 3 };
    expect(retired(`${mac}\n  add a0, t3, zero`, delayed)).toEqual({ cycles: [1 + 3, 1 + 2], memoryWait: 3, stalls: 2 });
    expect(retired(`${mul}\n  nop\n  sw t4, 0(a2)`, delayed)).toEqual({ cycles: [1 + 3, 1, 1 + 3 + 1], memoryWait: 6, stalls: 1 });
    expect(retired(`${mac}\n  mul a0, a1, a1`, delayed)).toEqual({ cycles: [1 + 3, 1 + 1], memoryWait: 3, stalls: 1 });
  });

  it('the compiled blocks wait as the interpreter under random grant delays', () => {
    const body = `
  la a1, activations
  li t0, 0x00040008
  li t2, 0x7f80ff01
  cv.setupi 0, 30, 3f
  nm.mac4.s a1, t0, t2, 0, 1
  add s2, s2, t4
  nm.mul4.u a1, t0, t2, 1, 2
  addi s5, s5, 1
  add s3, s3, t5
  nm.mac4.u a1, t0, t2, 1, 3
  nm.mac4.s a1, t0, t3, 0, 0
  lw s7, 0(a1)
  sub t6, s5, s4
  nm.mac4.u a1, t0, t2, 0, 0
3:
  mv a0, t3`;
    const { data } = dotProductSetup(false, 5, 1, 1);
    const run = (grantDelay: GrantDelay) => {
      const { reference, fast } = compareSingle(elfOf(program(body, data), { table }), { table, memoryMap: SINGLE_MAP, grantDelay });
      expect(fast.use.loopBacks, 'the hardware loop iterated inside a block').toBeGreaterThan(0);
      expect(reference.hart.stats.memoryWait).toBeGreaterThan(0);
      return reference.hart.stats.loadUseStalls;
    };
    // Per iteration: add t4 right after (2), add t5 one between (1), nm.mac4 naming t3 right after
    // (2), sub t6 none (the load between takes 3 cycles); and mv a0, t3 right after the last nm.mac4 (2).
    expect(run({ kind: 'fixed', cycles: 2 })).toBe(30 * (2 + 1 + 2) + 2);
    // Random delays: sub t6 waits whenever the load between was granted at once.
    expect(run({ kind: 'random', seed: 3, max: 3 })).toBeGreaterThan(30 * (2 + 1 + 2) + 2);
  });

  it('nm.mac4 waits for a load of its offsets or weights, as any instruction reading a loaded register', () => {
    const after = (reg: string) => measure(`  lw ${reg}, 0(a2)\n  nm.mac4.u a1, t0, t2, 0, 0`);
    expect(after('t0').stalls).toBe(1);
    expect(after('t2').stalls).toBe(1);
    expect(after('t1').stalls).toBe(0);
    // A load into a sum register does not hold nm.mac4 back: it reads the sums in WB.
    expect(after('t3').stalls).toBe(0);
  });
});
