/**
 * The structured parts of a random program, one per feature: divides with chosen operand signs,
 * branches whose outcome is known, bounded backward loops, hardware loops (single and nested, by
 * every set-up form, obeying the CV32E40P loop rules), jumps and jalr hazards to word-aligned and
 * halfword-aligned targets, calls, fences and CSR accesses. Each records the features it covers.
 */
import { CSR } from '../../../isa/csr-names.js';
import { FORMATS as F } from '../../../isa/formats.js';
import { regName } from '../../../isa/registers.js';
import { compressed } from '../../../sw/asm/compress.js';
import { BASE, BUFFER_BYTES, SAVE_AREA, type Builder } from './builder.js';
import { BRANCHES, CSR_ACCESSES, FENCES, probe, registerOpsOf, row, TABLE, word } from './instructions.js';
import { compressedRun, registerOp, straightLine } from './straight-line.js';
import { trap } from './traps.js';

const reg = regName;

/** `li` of any 32-bit value (one or two instructions: not for loop bodies). */
function setValue(b: Builder, r: number, value: number): void {
  b.emit(`li ${reg(r)}, ${value | 0}`);
  b.wrote(r);
}

/** Make the next instruction start at an address = 2 mod 4: align, then one compressed instruction. */
function halfwordAlign(b: Builder): void {
  b.emit('.balign 4');
  compressedRun(b, 1);
}

/**
 * Emit a branch or jump, half of the time under `.option rvc` when it has an RVC form (`probe` is
 * its word with a short offset): the assembler then relaxes it to c.j, c.jr, c.jalr, c.beqz or c.bnez.
 */
function maybeCompressed(b: Builder, text: string, probeWord: number): void {
  if (compressed(TABLE, probeWord) === undefined || b.random.chance(0.5)) {
    b.emit(text);
    return;
  }
  b.feature('compressed-control');
  b.emit('.option rvc');
  b.emit(text);
  b.emit('.option norvc');
}

/** Place `label` before the next 32-bit instruction, at 2 mod 4 half of the time. */
function target(b: Builder, label: string): void {
  if (b.random.chance(0.5)) {
    halfwordAlign(b);
    b.feature('unaligned-target');
  }
  b.place(label);
}

// --- arithmetic ----------------------------------------------------------------------------

const DIVIDES = registerOpsOf('divSigned', 'divUnsigned');
const SIGNED_OPERANDS = [0, 1, -1, 7, -7, 0x7fffffff, -0x80000000, 0x12345, -0x12345, 3];

/** A divide or remainder with operands of chosen signs, zero and overflow included. */
export function divide(b: Builder): void {
  b.feature('divide-signs');
  const [dividend, divisor] = [b.dest(), b.dest()];
  setValue(b, dividend, b.random.pick(SIGNED_OPERANDS));
  const by = b.random.pick(SIGNED_OPERANDS);
  setValue(b, divisor, by);
  if (by === 0) b.feature('divide-by-zero');
  if (by < 0) b.feature('divide-negative-divisor');
  b.emit(b.instruction(b.random.pick(DIVIDES), { rs1: dividend, rs2: divisor }));
}

// --- branches ------------------------------------------------------------------------------

/** A forward branch over some code, its operands set so that it is taken or not as drawn. */
export function forwardBranch(b: Builder): void {
  const def = b.random.pick(BRANCHES);
  const [a, c] = [b.dest(), b.dest()];
  const values = new Int32Array(32);
  const first = b.interestingValue();
  values[a] = first;
  values[c] = b.random.chance(0.4) ? first : b.interestingValue(); // when a == c, the second value wins
  setValue(b, a, first);
  setValue(b, c, values[c]!);
  const skip = b.label();
  // Against zero, beq and bne from x8..x15 have RVC forms (c.beqz, c.bnez).
  const operands = def.format === F.branchImm
    ? { rs1: a, imm2: b.random.chance(0.5) ? Math.max(-16, Math.min(15, values[a]!)) : b.random.below(32) - 16 }
    : { rs1: a, rs2: b.random.chance(0.3) ? 0 : c };
  const taken = probe(def, { ...operands, imm: 8 }, values).jumps > 0;
  if (b.random.chance(0.3)) halfwordAlign(b);
  b.feature(taken ? 'branch-taken' : 'branch-not-taken');
  maybeCompressed(b, b.instruction(def, { ...operands, imm: skip }), word(def, { ...operands, imm: 8 }));
  straightLine(b, 1 + b.random.below(3));
  target(b, skip);
}

/** A loop closed by a backward branch, 1 to 5 iterations, its counter kept from the body. */
export function branchLoop(b: Builder): void {
  b.feature('branch-loop');
  const counter = b.dest();
  const times = 1 + b.random.below(5);
  b.resetPointer();
  setValue(b, counter, times);
  const top = b.label();
  b.pinning([counter], () => {
    target(b, top);
    b.repeated(times, () => straightLine(b, 2 + b.random.below(4)));
  });
  b.emit(`addi ${reg(counter)}, ${reg(counter)}, -1`);
  const [def, operands] = b.random.pick([
    [row('bne'), { rs1: counter, rs2: 0 }],
    [row('blt'), { rs1: 0, rs2: counter }],
    [row('cv.bneimm'), { rs1: counter, imm2: 0 }],
  ] as const);
  b.emit(b.instruction(def, { ...operands, imm: top }));
}

// --- hardware loops --------------------------------------------------------------------------

/**
 * The body of a hardware loop: `draws` (at least 3) pieces of straight-line code, each one to
 * four 32-bit instructions, none a control transfer. In a program with traps, a third of the
 * bodies also hold a trapping instruction (one or two instructions: within cv.setupi's reach),
 * trapping in every iteration, anywhere but at the body's end: the handler returns past the
 * trapping instruction, which there would leave the loop with its count (trap-programs.ts has
 * that case, with a handler that returns elsewhere).
 */
function loopBody(b: Builder, times: number, draws: number): void {
  b.repeated(times, () => {
    if (!b.traps || !b.random.chance(1 / 3)) return straightLine(b, draws);
    b.feature('trap-in-loop-body');
    const before = b.random.below(draws);
    straightLine(b, before);
    trap(b, false);
    straightLine(b, draws - before);
  });
}

/** cv.setupi reaches 31 words: bodies of at most 7 draws (28 instructions) may use it. */
export const SHORT_BODY = 7;

/** Arm loop `l` for `times` iterations of the code up to `end`, by one of the four set-up forms. */
export function setUpLoop(b: Builder, l: number, times: number, end: string, short: boolean): void {
  const form = b.random.pick(short ? ['setupi', 'setup', 'split', 'split-register'] : ['setup', 'split', 'split-register']);
  b.feature(`hwloop-${form}`);
  const count = b.dest();
  if (form === 'setupi') {
    b.emit(b.instruction(row('cv.setupi'), { loop: l, imm2: times, imm: end }));
  } else if (form === 'setup') {
    setValue(b, count, times);
    b.emit(b.instruction(row('cv.setup'), { loop: l, rs1: count, imm: end }));
  } else {
    const start = b.label();
    if (form === 'split') {
      b.emit(b.instruction(row('cv.starti'), { loop: l, imm: start }));
      b.emit(b.instruction(row('cv.endi'), { loop: l, imm: end }));
      b.emit(b.instruction(row('cv.counti'), { loop: l, imm2: times }));
    } else {
      const address = b.dest();
      b.emit(`la ${reg(address)}, ${start}`);
      b.emit(b.instruction(row('cv.start'), { loop: l, rs1: address }));
      b.emit(`la ${reg(address)}, ${end}`);
      b.emit(b.instruction(row('cv.end'), { loop: l, rs1: address }));
      setValue(b, count, times);
      b.emit(b.instruction(row('cv.count'), { loop: l, rs1: count }));
    }
    b.place(start);
  }
}

/** One hardware loop (loop 0 or 1) of 1 to 8 iterations. */
export function hardwareLoop(b: Builder): void {
  b.feature('hwloop');
  const times = 1 + b.random.below(8);
  const end = b.label();
  const draws = 3 + b.random.below(12);
  b.resetPointer();
  b.emit('.balign 4');
  setUpLoop(b, b.random.below(2), times, end, draws <= SHORT_BODY);
  loopBody(b, times, draws);
  b.place(end);
}

/** Loop 1 around loop 0, loop 1 ending at least two instructions after loop 0. */
export function nestedLoops(b: Builder): void {
  b.feature('hwloop-nested');
  const [outer, inner] = [1 + b.random.below(4), 1 + b.random.below(5)];
  const [outerEnd, innerEnd] = [b.label(), b.label()];
  b.resetPointer();
  b.emit('.balign 4');
  setUpLoop(b, 1, outer, outerEnd, false);
  b.repeated(outer, () => {
    straightLine(b, b.random.below(3));
    const draws = 3 + b.random.below(SHORT_BODY - 2);
    setUpLoop(b, 0, inner, innerEnd, true);
    loopBody(b, inner, draws);
    b.place(innerEnd);
    straightLine(b, 2 + b.random.below(3));
  });
  b.place(outerEnd);
}

// --- jumps and calls ------------------------------------------------------------------------

/** jal over some code, linking in x0, ra or another register. */
export function jump(b: Builder): void {
  b.feature('jal');
  const over = b.label();
  if (b.random.chance(0.3)) halfwordAlign(b);
  const rd = b.random.pick([0, 1, b.dest()]);
  maybeCompressed(b, b.instruction(row('jal'), { rd, imm: over }), word(row('jal'), { rd, imm: 8 }));
  straightLine(b, 1 + b.random.below(3));
  target(b, over);
}

/**
 * jalr right after the instruction that produced its base (rd == rs1 sometimes), or with the base
 * loaded one or two instructions before, to a target that may be halfword-aligned.
 */
export function jalrHazard(b: Builder): void {
  const over = b.label();
  const base = b.dest();
  const rd = b.random.pick([0, 1, base, b.dest()]);
  const [bias, offset] = b.random.pick([[0, 0], [4, -4], [-8, 8], [1, 0]]);
  b.emit(`la ${reg(base)}, ${over}${bias === 0 ? '' : bias > 0 ? `+${bias}` : bias}`);
  b.wrote(base);
  let rs1 = base;
  if (b.random.chance(0.4)) {
    b.feature('jalr-after-load');
    const slot = b.random.below(BUFFER_BYTES / 4) * 4;
    b.emit(`sw ${reg(base)}, ${slot}(${reg(BASE)})`);
    rs1 = b.dest();
    b.emit(`lw ${reg(rs1)}, ${slot}(${reg(BASE)})`);
    // 0, 1 or 2 instructions between the load and the jalr: each has its own stall.
    const between = b.random.below(3);
    b.pinning([rs1], () => Array.from({ length: between }, () => registerOp(b)));
  } else {
    b.feature('jalr-hazard');
  }
  if (rd === rs1) b.feature('jalr-rd-is-rs1');
  maybeCompressed(b, b.instruction(row('jalr'), { rd, rs1, imm: offset }), word(row('jalr'), { rd, rs1, imm: offset }));
  straightLine(b, 1 + b.random.below(2));
  target(b, over);
}

/**
 * A call (jal, or call: auipc + jalr through ra) to a subroutine placed after the exit, which
 * saves ra, runs compressed and plain code and returns with the `lw ra; op; ret` epilogue in RVC.
 */
export function call(b: Builder): void {
  b.feature('call');
  const name = b.label();
  // The save area is beyond every random access, so nothing in the body overwrites the saved ra.
  const slot = `${SAVE_AREA + b.random.below(64) * 4}(${reg(BASE)})`;
  b.inTail(() => {
    b.place(name);
    b.emit(`sw ra, ${slot}`);
    straightLine(b, 1 + b.random.below(3));
    compressedRun(b, 1 + b.random.below(4));
    b.emit(`lw ra, ${slot}`);
    if (b.random.chance(0.6)) b.pinning([1], () => registerOp(b, b.random.pick(registerOpsOf('alu'))));
    b.emit('.option rvc');
    b.emit('ret');
    b.emit('.option norvc');
  });
  if (b.random.chance(0.4)) halfwordAlign(b);
  b.emit(b.random.chance(0.5) ? `jal ra, ${name}` : `call ${name}`);
  b.wrote(1);
}

// --- fences and CSRs --------------------------------------------------------------------------

export function fence(b: Builder): void {
  b.feature('fence');
  const def = b.random.pick(FENCES);
  b.emit(b.instruction(def, { imm: b.random.below(16), imm2: b.random.below(16) }));
}

/**
 * CSRs whose value the ISS and the core agree on from reset (no fixed counters: they include the
 * start-up cycles; not mtvec or mip, which depend on the testbench's boot address and interrupt
 * lines). mhpmcounter3 counts only once mhpmevent3 selects an event, from that write on.
 */
const READABLE_CSRS = [
  CSR.mstatus, CSR.misa, CSR.mie, CSR.mscratch, CSR.mepc, CSR.mcause, CSR.mtval, CSR.mhartid, CSR.mvendorid,
  CSR.marchid, CSR.mimpid, CSR.uhartid, CSR.privlv, CSR.lpstart0, CSR.lpend0, CSR.lpcount0, CSR.lpstart1, CSR.lpend1, CSR.lpcount1,
  CSR.mhpmcounter3, CSR.mhpmcounter3h, CSR.hpmcounter3, CSR.hpmcounter3h, CSR.mhpmevent3,
];

/** The programmable performance counter's CSRs (docs/cv32e40p.md#performance-counter). */
const HPM_CSRS: readonly number[] = [CSR.mhpmcounter3, CSR.mhpmcounter3h, CSR.hpmcounter3, CSR.hpmcounter3h, CSR.mhpmevent3];

/** The readable CSRs after whose access the decoder flushes the pipeline (4 cycles in the ISS). */
const FLUSHING_CSRS: readonly number[] = [CSR.mstatus, CSR.mepc, CSR.mcause, ...HPM_CSRS];

/**
 * CSRs written too: their WARL masks are compared with the core's, and writing them is harmless
 * (without the interrupts option mstatus.MIE stays clear, so an mie bit enables no interrupt; with
 * it, a write masks or unmasks the timer, through mie's bypass, for the code that follows, and the
 * other lines stay low; a trap's entry sets mepc before its handler reads it; any selection of
 * events only makes mhpmcounter3 count).
 */
const WRITABLE_CSRS = [CSR.mscratch, CSR.mie, CSR.mepc, CSR.mcause, CSR.mtval, CSR.mhpmevent3, CSR.mhpmcounter3, CSR.mhpmcounter3h];

/**
 * Select random events for mhpmcounter3 (any of the 16 bits: the cycle, the pipeline's events,
 * the inactive ones), sometimes after clearing the counter, and read it: from then on it counts
 * through the snippets that follow, which csrAccess reads.
 */
export function performanceCounter(b: Builder): void {
  b.feature('hpm-select');
  const selection = b.dest();
  setValue(b, selection, b.random.below(1 << 16));
  if (b.random.chance(0.3)) b.emit('csrw mhpmcounter3, zero');
  b.emit(`csrw mhpmevent3, ${reg(selection)}`);
  const reading = b.dest();
  b.emit(`csrr ${reg(reading)}, mhpmcounter3`);
  b.wrote(reading);
}

/** Read a safe CSR by any form that does not write it (probed), or read-modify-write a writable one. */
export function csrAccess(b: Builder): void {
  b.feature('csr');
  const def = b.random.pick(CSR_ACCESSES);
  const write = b.random.chance(0.4);
  const csr = b.random.pick(write ? WRITABLE_CSRS : READABLE_CSRS);
  const operands = def.format === F.csrImm
    ? { rd: b.dest(), imm: csr, imm2: write ? b.random.below(32) : 0 }
    : { rd: b.dest(), imm: csr, rs1: write ? b.source() : 0 };
  const writes = probe(def, operands).calls.some((c) => c.startsWith('csrWrite'));
  if (writes && !write) return; // this form writes even with a zero operand (csrrw): not for these CSRs
  if (writes) b.feature('csr-write');
  if (FLUSHING_CSRS.includes(csr)) b.feature('csr-flush');
  if (HPM_CSRS.includes(csr)) b.feature(writes && csr === CSR.mhpmevent3 ? 'hpm-select' : 'hpm');
  b.emit(b.instruction(def, operands));
}
