/**
 * Every row of the instruction tables against its declared effects (isa/effects.ts). The simulator
 * decides from those declarations alone which instructions go into compiled blocks, which a cluster
 * core runs ahead of the others, and which a hardware-loop body may hold, and its timing model
 * takes the load-use hazards from the format's source registers; so each semantic runs here on a
 * RecordingHart over many decoded operand combinations and register values, and
 *  - an effect the row did not declare fails: a data access, control transfer, CSR access,
 *    hardware-loop change, system call or Fault, a register written that is no destination of the
 *    format (its operands' or its implicit ones), an outcome that depends on a register that is no
 *    source of the format (its operands' or its implicit ones);
 *  - so does a declared effect that never shows, and a destination the semantic did not write.
 */
import { describe, expect, it } from 'vitest';
import { hex } from '../../isa/bits.js';
import { DecodedInstruction, instruction, type InstructionDef } from '../../isa/definition.js';
import { isRegisterOnly } from '../../isa/effects.js';
import { encodeInstruction, type OperandValues } from '../../isa/encoder.js';
import { Fault } from '../../isa/fault.js';
import { FORMATS, type RegSlot } from '../../isa/formats.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import type { HwLoopRegs } from '../../isa/types.js';
import { Random } from '../../util/random.js';
import { RecordingHart, type Recording } from './recording-hart.js';

const ROWS: readonly InstructionDef[] = [...new Set([...CV32E40P_TABLE.instructions, ...CV32E40P_XNMSPARSE_TABLE.instructions])];
const rowName = (def: InstructionDef): string => `${def.mnemonic} ${def.format.syntax} (${hex(def.match)})`;

/** Operand combinations per row: the first two are special (see operandValues), the rest random. */
const COMBINATIONS = 40;
/** A register number every register operand takes in combination 1, so that all of them alias. */
const ALIASED = 5;
/** Register values that make comparisons come out equal, signed and unsigned extremes. */
const PALETTE = [0, 1, -1, 2, 0x7fffffff, -0x80000000];

/** Combination 0: every operand 0 (or its minimum); 1: every register operand the same; else random. */
function operandValues(def: InstructionDef, combination: number, random: () => number): OperandValues {
  const values: OperandValues = {};
  for (const operand of def.format.operands) {
    const steps = (operand.max - operand.min) / operand.align + 1;
    const randomValue = operand.min + Math.floor((random() / 2 ** 32) * steps) * operand.align;
    const zero = operand.min <= 0 && operand.max >= 0 ? 0 : operand.min;
    if (combination === 0) values[operand.slot] = zero;
    else if (combination === 1 && operand.syntax === 'reg') values[operand.slot] = ALIASED;
    else values[operand.slot] = randomValue;
  }
  return values;
}

/** Combination 0: all zero; odd ones: values from PALETTE; even ones: random. x0 is zero. */
function registerValues(combination: number, random: () => number): Int32Array {
  const regs = new Int32Array(32);
  if (combination === 0) return regs;
  for (let i = 1; i < 32; i++) regs[i] = combination % 2 === 1 ? PALETTE[random() % PALETTE.length]! : random() | 0;
  return regs;
}

function loopRegisters(random: () => number): HwLoopRegs {
  const words = (): Uint32Array => Uint32Array.from([random(), random()]);
  return { start: words(), end: words(), count: words() };
}

interface Run {
  readonly hart: RecordingHart;
  readonly recording: Recording;
  readonly fault: Fault | undefined;
}

/** Run the semantic once on a fresh RecordingHart; a Fault it throws is part of the outcome. */
function execute(insn: DecodedInstruction, registers: Int32Array, loops: HwLoopRegs, seed: number): Run {
  const values = new Random(seed);
  const hart = new RecordingHart(insn.pc, insn.length, registers, loops, () => values.uint32() | 0);
  let fault: Fault | undefined;
  try {
    insn.execute(hart, insn);
  } catch (error) {
    if (!(error instanceof Fault)) throw error;
    fault = error;
  }
  hart.compareLoops(loops);
  return { hart, recording: hart.recording, fault };
}

/** Everything observable about a run, for comparing two. */
function outcome(run: Run): string {
  const writes = [...run.recording.writes].sort(([a], [b]) => a - b);
  return JSON.stringify({ writes, calls: run.recording.calls, npc: run.hart.npc, loops: run.hart.hwloop, fault: run.fault?.message });
}

/** The registers the operands in `slots` name, and the `implicit` ones. */
const registersOf = (insn: DecodedInstruction, slots: readonly RegSlot[], implicit: readonly number[]): Set<number> =>
  new Set([...slots.map((slot) => insn[slot]), ...implicit]);

/** One decoded instruction of the row with its register state. */
interface Trial {
  readonly insn: DecodedInstruction;
  readonly registers: Int32Array;
  readonly run: Run;
}

function trials(def: InstructionDef): Trial[] {
  const generator = new Random(def.match ^ def.mask);
  const random = (): number => generator.uint32();
  return Array.from({ length: COMBINATIONS }, (_, combination) => {
    const word = encodeInstruction(def, operandValues(def, combination, random));
    const insn = new DecodedInstruction(0x1c000000 + 4 * combination, word, 4, def, word);
    const registers = registerValues(combination, random);
    const loops = loopRegisters(random);
    const seed = random();
    const run = execute(insn, registers, loops, seed);
    // The same again with every register that is no source of the format changed.
    const sources = registersOf(insn, def.format.reads, def.format.implicitReads);
    const others = registers.map((value, reg) => (reg === 0 || sources.has(reg) ? value : value ^ (random() | 1)));
    const rerun = execute(insn, others, loops, seed);
    if (outcome(rerun) !== outcome(run)) throw new Error(`${formatTrial(insn)}: the outcome depends on a register that is no source of its format`);
    return { insn, registers, run };
  });
}

const formatTrial = (insn: DecodedInstruction): string => `${insn.def.mnemonic} rd=${insn.rd} rs1=${insn.rs1} rs2=${insn.rs2} rs3=${insn.rs3} imm=${insn.imm} imm2=${insn.imm2} loop=${insn.loop}`;

/** The effects of one run the row did not declare. */
function undeclared({ insn, run }: Trial): string[] {
  const declared = insn.def.effects;
  const { recording, fault } = run;
  const problems: string[] = [];
  const destinations = registersOf(insn, insn.def.format.writes, insn.def.format.implicitWrites);
  for (const reg of recording.writes.keys()) if (!destinations.has(reg)) problems.push(`writes x${reg}, no destination of its format`);
  if (!fault) for (const reg of destinations) if (!recording.writes.has(reg)) problems.push(`does not write x${reg}, a destination of its format`);
  if (recording.loads > (declared.memory === 'load' ? 1 : 0)) problems.push(`loads ${recording.loads} time(s)`);
  if (recording.stores > (declared.memory === 'store' ? 1 : 0)) problems.push(`stores ${recording.stores} time(s)`);
  const transfers = recording.jumps + recording.systemCalls.filter((call) => call === 'mret').length;
  if (transfers > (declared.control === 'none' ? 0 : 1)) problems.push(`transfers control ${transfers} time(s)`);
  if (declared.control === 'jump' && transfers === 0 && !fault) problems.push('declares a jump but did not transfer control');
  if (!declared.csr && recording.csrAccesses > 0) problems.push('accesses a CSR');
  if (!declared.hwloop && (recording.hwloopWritten.size > 0 || recording.hwloopChanged.length > 0)) problems.push('changes hardware-loop registers');
  for (const loop of recording.hwloopWritten) {
    if (loop !== insn.loop) problems.push(`changes loop ${loop}, not its operand loop ${insn.loop}`);
    if (recording.hwloopChanged.at(-1) !== loop) problems.push(`changes loop ${loop} without reporting it last through hwloopChanged`);
  }
  for (const call of recording.systemCalls) if (call !== declared.system) problems.push(`calls ${call}()`);
  if (fault && !declared.faults) problems.push(`throws: ${fault.message}`);
  return problems.map((problem) => `${formatTrial(insn)}: ${problem}`);
}

/** The declared effects that no run showed. */
function neverShown(def: InstructionDef, runs: readonly Run[]): string[] {
  const declared = def.effects;
  const shown = (seen: (run: Run) => boolean): boolean => runs.some(seen);
  const missing: string[] = [];
  if (declared.memory === 'load' && !shown((r) => r.recording.loads > 0)) missing.push('load');
  if (declared.memory === 'store' && !shown((r) => r.recording.stores > 0)) missing.push('store');
  if (declared.control !== 'none' && !shown((r) => r.recording.jumps > 0 || r.recording.systemCalls.includes('mret'))) missing.push(declared.control);
  if (declared.csr && !shown((r) => r.recording.csrAccesses > 0)) missing.push('csr');
  if (declared.hwloop && !shown((r) => r.recording.hwloopWritten.size > 0)) missing.push('hwloop');
  if (declared.system !== 'none' && !shown((r) => r.recording.systemCalls.some((call) => call === declared.system))) missing.push(declared.system);
  if (declared.faults && !shown((r) => r.fault !== undefined)) missing.push('faults');
  return missing;
}

describe('every table row declares its effects', () => {
  it('a system row must name its call: its timing class does not say which', () => {
    expect(() => instruction('nm.sys', 'Xnmsparse', { opcode: 0x2b, funct3: 0b110 }, FORMATS.none, 'system', (h) => h.ecall())).toThrow(/must declare its system call/);
  });

  it.each(ROWS.map((def) => [rowName(def), def] as const))('%s', (_name, def) => {
    const rowTrials = trials(def);
    expect(rowTrials.flatMap(undeclared)).toEqual([]);
    expect(neverShown(def, rowTrials.map((t) => t.run)), 'declared but never shown').toEqual([]);
  });
});

/**
 * Register-only rows whose semantic compiled blocks call as a whole, for want of a RegisterOperation
 * (rd = op(registers, one immediate)) that could say what they compute.
 */
const WITHOUT_OPERATION: readonly { readonly mnemonics: RegExp; readonly why: string }[] = [
  { mnemonics: /^auipc$/, why: 'reads the pc, no register' },
  { mnemonics: /^lui$/, why: 'a constant: no register operand' },
  { mnemonics: /^cv\.(add|sub)u?r?n$|^cv\.(mul|mac)(hh)?(s|u)r?n$/, why: 'fixed-point forms with Is3: a second immediate (imm2)' },
  { mnemonics: /^cv\.(extractu?|insert|bclr|bset|bitrev)$/, why: 'bit-field immediates: a second immediate (imm2)' },
];

describe('compiled blocks get a register-only row\'s operation', () => {
  const registerOnly = ROWS.filter((def) => isRegisterOnly(def.effects));
  const exception = (def: InstructionDef) => WITHOUT_OPERATION.find((entry) => entry.mnemonics.test(def.mnemonic));

  it('every register-only row has one, or is a listed exception', () => {
    expect(registerOnly.filter((def) => !def.execute.operation && !exception(def)).map(rowName)).toEqual([]);
    // An exception that matches no row without an operation is stale.
    const used = new Set(registerOnly.filter((def) => !def.execute.operation).map(exception));
    expect(WITHOUT_OPERATION.filter((entry) => !used.has(entry)).map((entry) => entry.mnemonics.source)).toEqual([]);
  });

  const withOperation = ROWS.filter((def) => def.execute.operation);
  it.each(withOperation.map((def) => [rowName(def), def] as const))('%s: the operation computes what the semantic writes to rd', (_name, def) => {
    const operation = def.execute.operation!;
    // The block writes rd alone, from the result of the operation.
    expect(def.format.writes).toEqual(['rd']);
    for (const { insn, registers, run } of trials(def)) {
      const operands = operation.operands.map((operand) => (operand === 'imm' ? insn.imm : registers[insn[operand]]!));
      expect(operation.op(...operands) | 0, formatTrial(insn)).toBe(run.recording.writes.get(insn.rd));
    }
  });
});
