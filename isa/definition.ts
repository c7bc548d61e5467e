/**
 * One entry of the instruction table (Spike-style): mnemonic, match/mask, operand format, functional
 * semantics, the timing class the core's cycle model applies and the declared effects of the
 * semantics. Nothing else in the simulator knows an encoding.
 */
import { isRegisterAndPcOnly, isRegisterOnly, REGISTERS_ONLY, type Effects } from './effects.js';
import type { Format } from './formats.js';
import type { AccessSize, Addr, HartContext, OperandSlots } from './types.js';
import { SUM_REGISTER_MASK } from './xnmsparse/mac.js';

/**
 * Which row of the CV32E40P timing table (docs/cv32e40p.md#timing) governs an instruction. The functional
 * semantics never look at this; the core's timing model does.
 */
export type TimingClass =
  | 'alu' // 1 cycle
  | 'load' // 1 cycle, misaligned 2, stalls the next instruction if it reads or overwrites the result; calls load() once
  | 'store' // 1 cycle, misaligned 2; calls store() once
  | 'branch' // 1 not taken, 3 taken (4 to a non-word-aligned 32-bit target)
  | 'jump' // 2 (3 to a non-word-aligned 32-bit target); mret 5 (6)
  | 'jumpRegister' // as jump, +1 when rs1 comes from the preceding instruction (or a load just before it), +1 when rd = rs1
  | 'mulh' // 5
  | 'divSigned' // div, rem: 3 + leading zeros of the divisor (2 + those of ~d when negative), 35 on division by zero
  | 'divUnsigned' // divu, remu: 3 + leading zeros of the divisor, 35 on division by zero
  | 'csr' // 1, or 4 for the status CSRs after which the decoder flushes the pipeline
  | 'fence' // a pipeline flush, then a jump to the next instruction: 4
  | 'system'; // ecall/ebreak/wfi/mret: end of simulation or environment call

/** The ISA subsets, for documentation, tests and `--isa` style filtering. */
export type Extension =
  | 'I' | 'M' | 'C' | 'Zicsr' | 'Zifencei'
  | 'Xcvmem' | 'Xcvhwlp' | 'Xcvalu' | 'Xcvmac' | 'Xcvbitmanip' | 'Xcvsimd' | 'Xcvbi'
  /** Project-defined instructions in the free custom-1 space (see extension.ts). */
  | 'Xnmsparse';

/**
 * What a semantic computes when all it does is combine registers (and the immediate) into rd:
 * rd = op(operands...). The interpreter runs the semantic, which calls `op`; the block compiler
 * calls `op` itself with the register numbers as constants, from a call site of its own, where V8
 * can inline it. Both run the same `op`.
 */
export interface RegisterOperation {
  /** The values passed to `op`, in order. */
  readonly operands: readonly ('rs1' | 'rs2' | 'rd' | 'imm')[];
  readonly op: (...operands: number[]) => number;
  /**
   * `op` as a JavaScript expression over its operands named $0, $1, ... (in `operands` order), when
   * compiled code should write it out instead of calling `op`: V8 stops inlining calls once a
   * function holds a dozen large ones (a kernel's block of dot products). `op` must be compiled
   * from the same text.
   */
  readonly expression?: string;
}

/**
 * What a semantic does when all it does is one load or store at rs1 + `offset` (`mode` offset), or
 * at rs1 with rs1 then advanced by `offset` (`postIncrement`; a register offset is read before the
 * access, and rs1 is written before rd, so with rd = rs1 the loaded value wins): a load into rd, a
 * store of rs2. The offset is the immediate or a register (rs2 of a load, rs3 of a store). The
 * block compiler reads and writes memory itself when the access is aligned and falls in the
 * memory's last region (MappedMemory.last), and calls the semantic otherwise; both go through the
 * same region's typed array.
 */
export interface DataAccess {
  readonly kind: 'load' | 'store';
  readonly size: AccessSize;
  readonly signed: boolean;
  readonly mode: 'offset' | 'postIncrement';
  readonly offset: 'imm' | 'rs2' | 'rs3';
}

export type Execute = ((hart: HartContext, insn: DecodedInstruction) => void) & {
  readonly operation?: RegisterOperation;
  readonly access?: DataAccess;
};

/** Attach the register operation a semantic performs (see RegisterOperation). */
export function withOperation(execute: (hart: HartContext, insn: DecodedInstruction) => void, operation: RegisterOperation): Execute {
  return Object.assign(execute, { operation });
}

/** Attach the data access a semantic performs (see DataAccess). */
export function withAccess(execute: (hart: HartContext, insn: DecodedInstruction) => void, access: DataAccess): Execute {
  return Object.assign(execute, { access });
}

export interface InstructionDef {
  readonly mnemonic: string;
  readonly extension: Extension;
  readonly match: number;
  readonly mask: number;
  readonly format: Format;
  readonly timing: TimingClass;
  readonly execute: Execute;
  /** Everything the semantics do besides the format's register reads and writes. */
  readonly effects: Effects;
  /**
   * Post-increment loads: the incremented base, from the operands, the registers after the
   * instruction and the address it loaded from (the old base). With rd == rs1 the CV32E40P writes
   * that register twice, the incremented base through the ALU port and then the loaded value; the
   * retire record lists both (the registers keep only the second).
   */
  readonly incrementedBase?: (d: OperandSlots, regs: Int32Array, base: number) => number;
  /**
   * The CV32E40P decoder marks rs2 as read although bits [24:20] hold part of an immediate
   * (custom-3 without scalar replication sets regb_used_o), so a load into the register those bits
   * name, x0 aside, stalls this instruction one cycle (cv32e40p_controller.sv, load_stall_o).
   */
  readonly rs2FieldStallsOnLoad?: boolean;
  /**
   * The CV32E40P executes it on its multiplier (mul, mulh*, cv.mac/msu, the fixed-point multiplies,
   * the dot products, the complex multiplies). The Xnmsparse revision-2 block multiplies with the
   * same lanes when the data of an nm.mac4 or nm.mul4 returns, so such an instruction right after
   * one waits a cycle (docs/isa-extension.md R2.6).
   */
  readonly multiplier?: boolean;
}

/** The row, marked as executed on the multiplier (InstructionDef.multiplier). */
export function onMultiplier(def: InstructionDef): InstructionDef {
  return { ...def, multiplier: true };
}

/** An instruction decoded once at a fixed address; the simulator caches these by pc. */
export class DecodedInstruction implements OperandSlots {
  rd = 0;
  rs1 = 0;
  rs2 = 0;
  rs3 = 0;
  imm = 0;
  imm2 = 0;
  loop = 0;
  readonly execute: Execute;
  readonly timing: TimingClass;
  /** Bit i set when register xi (i > 0) is a source operand; the timing model checks hazards with it. */
  readonly sourceMask: number;
  /**
   * Registers written, x0 left out, without duplicates (a load into its own base writes once), the
   * implicit ones (Format.implicitWrites: the sums of nm.mac4) last.
   */
  readonly destinations: readonly number[];
  /**
   * The registers its operands name as destinations (x0 left out), as a bit mask: the jalr
   * dependency. Not the implicit ones: nm.mac4's sums are covered by the sum hazard (namesSums).
   */
  readonly destinationMask: number;
  /**
   * Bit of the register that receives data from memory (a load's rd, x0 included; not a
   * post-incremented base), or SUMS_LOADED for nm.mac4 and nm.mul4.
   */
  readonly loadedMask: number;
  /**
   * It names one of the sum registers x28..x31 in its encoding, as a source or as a destination
   * (any register operand the core's decoder marks as used, as for the load stall, and rd however
   * written): it waits in ID while an nm.mac4 or nm.mul4 is in EX or WB (docs/isa-extension.md R2.6).
   */
  readonly namesSums: boolean;
  /** It runs on the core's multiplier (InstructionDef.multiplier): it waits a cycle right after an nm.mac4 or nm.mul4. */
  readonly onMultiplier: boolean;
  /**
   * Registers that stall this instruction one cycle when the instruction just before it loaded one
   * of them (cv32e40p_controller.sv, load_stall_o): its sources (x0 left out), and the registers it
   * writes from EX, x0 included: the RTL compares the load's destination with the writing address
   * of the instruction in ID without excluding x0. Neither a load's own data register (written by
   * the load-store unit) nor a jump's link register counts: a jump in ID redirects fetch during the
   * stall, which hides it.
   */
  readonly loadStallMask: number;
  /**
   * The part of loadStallMask that the instruction reads (its sources and a stalling rs2 field):
   * the core compares these with a load's destination even for a word it is not decoding.
   */
  readonly loadReadMask: number;
  /** Its declared effects are registers only (isRegisterOnly). */
  readonly registerOnly: boolean;
  /** Its declared effects are registers and the pc only (isRegisterAndPcOnly): a branch or jump may be. */
  readonly registerAndPcOnly: boolean;
  /** It loads or stores (its declared memory effect): a data access that a delayed grant stretches. */
  readonly accessesMemory: boolean;
  /** mulh, div/rem: it holds EX for a latency known before its semantics run (TimingModel.latencyExtra). */
  readonly multiCycle: boolean;

  constructor(
    readonly pc: Addr,
    /** The instruction as fetched: 16 bits for a compressed instruction, else 32. */
    readonly word: number,
    readonly length: 2 | 4,
    readonly def: InstructionDef,
    /** The 32-bit equivalent (the word itself unless compressed). */
    readonly expanded: number,
  ) {
    this.execute = def.execute;
    this.timing = def.timing;
    for (const operand of def.format.operands) this[operand.slot] = operand.extract(expanded);
    let mask = 0;
    for (const slot of def.format.reads) mask |= 1 << this[slot];
    this.sourceMask = mask & ~1;
    const written: number[] = [];
    for (const slot of def.format.writes) {
      const reg = this[slot];
      if (reg !== 0 && !written.includes(reg)) written.push(reg);
    }
    this.destinationMask = written.reduce((m, reg) => m | (1 << reg), 0);
    this.destinations = [...written, ...def.format.implicitWrites.filter((reg) => !written.includes(reg))];
    this.loadedMask = def.timing !== 'load' ? 0 : writesSumsInWb(def) ? SUMS_LOADED : 1 << this.rd;
    const rs2Field = def.rs2FieldStallsOnLoad ? (1 << ((expanded >>> 20) & 31)) & ~1 : 0;
    this.loadReadMask = this.sourceMask | rs2Field;
    this.loadStallMask = this.loadReadMask | writtenFromEx(this, def);
    this.namesSums = ((this.loadStallMask | this.destinationMask) & SUM_REGISTER_MASK) !== 0;
    this.onMultiplier = def.multiplier === true;
    this.registerOnly = isRegisterOnly(def.effects);
    this.registerAndPcOnly = isRegisterAndPcOnly(def.effects);
    this.accessesMemory = def.effects.memory !== 'none';
    this.multiCycle = def.timing === 'mulh' || def.timing === 'divSigned' || def.timing === 'divUnsigned';
  }
}

/**
 * The loadedMask of nm.mac4 and nm.mul4, which write x28..x31 at the end of WB: 2^32, a bit beyond
 * the 32 registers, so that every 32-bit register mask operation (&, |) sees no register loaded
 * (no load-use stall, no jalr dependency), and only the timing model's comparison with it (the sum
 * hazard, for namesSums and onMultiplier) does.
 */
export const SUMS_LOADED = 2 ** 32;

/** A load row whose data goes into fixed registers, written at the end of WB: nm.mac4 and nm.mul4. */
function writesSumsInWb(def: InstructionDef): boolean {
  return def.format.implicitWrites.length > 0;
}

/** The registers an instruction writes from EX (see DecodedInstruction.loadStallMask), x0 included. */
function writtenFromEx(insn: DecodedInstruction, def: InstructionDef): number {
  if (def.timing === 'jump' || def.timing === 'jumpRegister') return 0;
  let mask = 0;
  for (const slot of def.format.writes) {
    if (!(def.timing === 'load' && slot === 'rd')) mask |= 1 << insn[slot];
  }
  return mask;
}

// --- encoding helpers for the table files --------------------------------------------------

/** Instruction-word fields that tables fix to constants. */
const FIELDS = {
  opcode: [6, 0],
  rd: [11, 7],
  funct3: [14, 12],
  rs1: [19, 15],
  rs2: [24, 20],
  funct7: [31, 25],
  imm12: [31, 20],
  funct5: [31, 27],
  f: [26, 26],
  bit25: [25, 25],
  f2: [31, 30],
  funct4: [11, 8],
  hi3: [29, 27],
  /** The R4 layout's f2, bits 26:25 (Xnmsparse revision 2: nm.mac4.u/.s, nm.mul4.u/.s). */
  funct2: [26, 25],
  /** Bits 11:10, zero in nm.mac4 (h and l sit in bits 9:7). */
  rdHi2: [11, 10],
  /** Upper bits of a SIMD lane index; zero in the byte-lane forms (lane = {[24:20],[25]} < 4). */
  laneHi: [24, 21],
  /** Upper Imm6 bits that SIMD .sci shifts keep zero: [24:23] for halfwords, [24:22] for bytes. */
  shiftHiH: [24, 23],
  shiftHiB: [24, 22],
} as const satisfies Record<string, readonly [number, number]>;

export type FieldName = keyof typeof FIELDS;
export type FixedFields = Partial<Record<FieldName, number>>;

/** match and mask for an instruction whose listed fields hold the given values. */
export function encoding(fields: FixedFields): { match: number; mask: number } {
  let match = 0;
  let mask = 0;
  for (const [name, value] of Object.entries(fields) as [FieldName, number][]) {
    const [hi, lo] = FIELDS[name];
    const fieldMask = (hi - lo === 31 ? 0xffffffff : ((1 << (hi - lo + 1)) - 1)) << lo;
    if ((mask & fieldMask) !== 0) throw new Error(`encoding: field ${name} overlaps another fixed field`);
    if (value < 0 || value >= 2 ** (hi - lo + 1)) throw new Error(`encoding: ${name}=${value} does not fit`);
    match |= value << lo;
    mask |= fieldMask;
  }
  return { match: match >>> 0, mask: mask >>> 0 };
}

/**
 * The effects each timing class implies. A row declares on top of them what its class does not
 * settle (a hardware-loop set-up among the 'alu' rows, mret among the jumps, a gather that faults);
 * a 'system' row must name its call. The effects test holds every row to its declaration.
 */
const CLASS_EFFECTS: Record<TimingClass, Partial<Effects>> = {
  alu: {},
  mulh: {},
  divSigned: {},
  divUnsigned: {},
  load: { memory: 'load' },
  store: { memory: 'store' },
  branch: { control: 'branch' },
  jump: { control: 'jump' },
  jumpRegister: { control: 'jump' },
  csr: { csr: true },
  fence: { system: 'fence' },
  system: {},
};

/**
 * One table row. `effects` declares what the semantics do that the timing class does not settle
 * (CLASS_EFFECTS); everything not declared is registers only.
 */
export function instruction(
  mnemonic: string,
  extension: Extension,
  fields: FixedFields,
  format: Format,
  timing: TimingClass,
  execute: Execute,
  effects: Partial<Effects> = {},
): InstructionDef {
  const declared: Effects = { ...REGISTERS_ONLY, ...CLASS_EFFECTS[timing], ...effects };
  if (timing === 'system' && declared.system === 'none') throw new Error(`instruction ${mnemonic}: a 'system' row must declare its system call`);
  return { mnemonic, extension, ...encoding(fields), format, timing, execute, effects: declared };
}
