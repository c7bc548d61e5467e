/**
 * Straight-line blocks compiled to JavaScript. A block is a run of instructions with no control
 * transfer (ALU, multiply/divide, loads and stores) that the hart executes with one call instead of
 * one dispatch per instruction. The generated function calls each instruction's own semantic from
 * a call site of its own, so V8 sees every site monomorphic and can inline the semantic, and it
 * applies the timing rules that are known when the block is built (load-use hazards inside the
 * block, fixed latencies) as constants. Everything that depends on run-time values goes through
 * the same TimingModel methods the interpreter uses, so both paths count identical cycles; a test
 * runs programs both ways and compares every counter.
 *
 * What ends a block: an instruction that is not straight-line (branches, jumps, CSR and system
 * instructions, fences, hardware-loop set-up, which all take the interpreter), a store (it may
 * rewrite code further on), the end of an active hardware loop, or MAX_BLOCK_LENGTH.
 *
 * A block also compiles its first instruction alone (`step`, for a cluster core allowed a single
 * instruction) and, when first needed, that instruction for several cores at once (`groupStep`,
 * for cores in lock-step). All three are generated from one per-instruction template.
 */
import { hex } from '../../isa/bits';
import type { DecodedInstruction } from '../../isa/definition';
import type { Addr, Cycles, HwLoopRegs } from '../../isa/types';
import type { CoreStats, TimingModel, TimingProbe } from './timing';
import { hasLoadUseHazard } from './timing';

export const MAX_BLOCK_LENGTH = 64;

/** What a block needs of the hart that runs it. */
export interface BlockHost extends TimingProbe {
  pc: Addr;
  readonly regs: Int32Array;
  readonly stats: CoreStats;
  readonly timing: TimingModel;
  readonly hwloop: HwLoopRegs & { readonly active: boolean; next(sequential: Addr): Addr };
  /**
   * The block returns after any instruction that brings mcycle to this value (the run's cycle
   * limit, or 0 when something outside the core, such as a peripheral, asks the hart to yield).
   */
  stopAt: Cycles;
  /**
   * Loads and stores other than the block's first instruction may issue only before this cycle:
   * in a cluster, other cores may use the memory system earlier (see Hart.runAhead).
   */
  sharedLimit: Cycles;
}

type BlockFunction = (host: BlockHost) => void;
type GroupStep = (hosts: readonly BlockHost[]) => boolean;

/**
 * One version of a region's code. A store that rewrites decoded code ends the epoch, so that a
 * block already running (a loop body iterating inside its function) notices it.
 */
export class CodeEpoch {
  current = true;
}

/** Does the instruction use something another core can see (memory, peripherals)? */
function isMemoryAccess(insn: DecodedInstruction): boolean {
  return insn.timing === 'load' || insn.timing === 'store';
}

/**
 * An instruction whose effects stay inside the core and that cannot fault: a cluster core may run
 * it ahead of the other cores, whatever they do meanwhile.
 */
export function isLocal(insn: DecodedInstruction): boolean {
  return insn.registerOnly;
}

/** May this instruction be part of a block? Register-only instructions, loads and stores. */
export function isStraightLine(insn: DecodedInstruction): boolean {
  return insn.registerOnly || isMemoryAccess(insn);
}

export class Block {
  /** Address of the first instruction. */
  readonly start: Addr;
  /** Address after the last instruction. */
  readonly end: Addr;
  /** How many instructions from the start are local (isLocal). */
  readonly localRun: number;
  readonly run: BlockFunction;
  /** Runs the first instruction only: a core in lock-step with others, allowed one cycle. */
  readonly step: BlockFunction;
  private group: GroupStep | undefined;

  constructor(
    readonly instructions: readonly DecodedInstruction[],
    /** The code of the block's region as it was when the block was built (see CodeEpoch). */
    private readonly epoch: CodeEpoch,
  ) {
    if (instructions.length === 0) throw new Error('block: no instructions');
    this.start = instructions[0]!.pc;
    const last = instructions.at(-1)!;
    this.end = last.pc + last.length;
    const shared = instructions.findIndex((insn) => !isLocal(insn));
    this.localRun = shared < 0 ? instructions.length : shared;
    this.run = compile(this);
    this.step = compileStep(instructions[0]!);
  }

  /** No active hardware loop ends strictly inside the block (its last instruction may end one). */
  fitsLoops(hwloop: HwLoopRegs): boolean {
    for (let l = 0; l < 2; l++) {
      const end = hwloop.end[l]!;
      if (hwloop.count[l] !== 0 && end > this.start && end < this.end) return false;
    }
    return true;
  }

  /** The first instruction for cores in lock-step (compiled when first needed). */
  get groupStep(): GroupStep {
    this.group ??= compileGroupStep(this.instructions[0]!);
    return this.group;
  }

  /**
   * At the end of the block: when it is the whole body of an active hardware loop with iterations
   * left, take the loop's back edge (as HardwareLoops.next would) so that the generated code can
   * run the next iteration without leaving.
   */
  loopsBack(hwloop: HwLoopRegs): boolean {
    // A store in the body (the block's last instruction) may have rewritten the body itself.
    if (!this.epoch.current) return false;
    for (let l = 0; l < 2; l++) {
      if (hwloop.count[l] !== 0 && hwloop.end[l] === this.end) {
        if (hwloop.count[l]! < 2 || hwloop.start[l] !== this.start) return false;
        hwloop.count[l]!--;
        return true;
      }
    }
    return false;
  }

  /**
   * Called by the generated code after instruction `index` retired with mcycle at `cycles`, the
   * instruction itself having taken `last` cycles after one that loaded `previousLoaded`: commit
   * the counters, the hazard state and the next pc (through the hardware-loop end rule).
   */
  finish(host: BlockHost, index: number, cycles: Cycles, last: Cycles, previousLoaded: number): void {
    const insns = this.instructions;
    host.stats.cycles = cycles;
    host.stats.instret += index + 1;
    host.timing.loadedByPrevious = previousLoaded;
    const insn = insns[index]!;
    host.timing.retire(insn, last);
    const sequential = insn.pc + insn.length;
    host.pc = host.hwloop.active ? host.hwloop.next(sequential) >>> 0 : sequential;
  }

  /**
   * After an instruction of the block faulted (pc names it): count what retired before it. Only
   * loads and stores fault, and mcycle is committed before each of them, so only instret is left.
   */
  abandon(host: BlockHost): void {
    host.stats.instret += this.instructions.findIndex((insn) => insn.pc === host.pc);
  }
}

/**
 * The statement running instruction i: its register operation called directly with constant
 * register numbers when it has one, else its semantic.
 */
function semanticCall(insn: DecodedInstruction, i: number): string {
  const operation = insn.execute.operation;
  if (!operation) return `e${i}(h, d${i});`;
  const args = operation.operands.map((operand) => (operand === 'imm' ? String(insn.imm) : `r[${insn[operand]}]`));
  return `r[${insn.rd}] = o${i}(${args.join(', ')});`;
}

/** Does the semantic possibly write x0 (which must then be forced back to zero)? */
function writesZero(insn: DecodedInstruction): boolean {
  return insn.def.format.writes.some((slot) => insn[slot] === 0);
}

/**
 * The code of instruction i, its cycles in k, mcycle in c. `previous` is the mask of registers the
 * instruction before it loaded, or an expression giving it at run time.
 */
function instructionLines(insn: DecodedInstruction, i: number, previous: number | string): string[] {
  const lines = [`// ${hex(insn.pc)} ${insn.def.mnemonic} (${insn.timing})`, `h.pc = ${insn.pc};`];
  const stalls = typeof previous === 'string' ? insn.sourceMask !== 0 : hasLoadUseHazard(insn, previous);
  lines.push(stalls ? `k = 1 + tm.loadUseStall(d${i}, ${previous});` : 'k = 1;');
  // The divisor must be read before the semantic may overwrite it.
  if (insn.timing === 'mulh' || insn.timing === 'div') lines.push(`k += tm.latencyExtra(d${i}, r);`);
  const memory = isMemoryAccess(insn);
  // The memory system times an access by the cycle its instruction issued in.
  if (memory) lines.push('s.cycles = c;');
  lines.push(semanticCall(insn, i));
  if (memory) lines.push('k += tm.memoryExtra(h);');
  if (writesZero(insn)) lines.push('r[0] = 0;');
  lines.push('c += k;');
  return lines;
}

const PROLOGUE = 'const r = h.regs, s = h.stats, tm = h.timing, hw = h.hwloop;\nlet c = s.cycles, k = 0, p = tm.loadedByPrevious;';

/** Bind each instruction's semantic (e), decoded form (d) and register operation (o) into the generated function. */
function link<F>(name: string, insns: readonly DecodedInstruction[], parameter: string, body: string[], block?: Block): F {
  const names = insns.flatMap((_, i) => [`e${i}`, `d${i}`, `o${i}`]);
  const values = insns.flatMap((insn) => [insn.execute, insn, insn.execute.operation?.op]);
  const source = `return function ${name}(${parameter}) {\n${body.join('\n')}\n};`;
  const factory = new Function('b', ...names, source) as (b: Block | undefined, ...args: unknown[]) => F;
  return factory(block, ...values);
}

function compile(block: Block): BlockFunction {
  const insns = block.instructions;
  const last = insns.length - 1;
  // p: registers loaded by the instruction before the first one (the previous block, or the last
  // instruction of this one when it runs again as a loop body).
  const previous = (i: number): number | string => (i === 0 ? 'p' : insns[i - 1]!.loadedMask);
  const lines: string[] = ['for (;;) {'];
  // Exit after instruction i at the run's cycle limit, or before a load or store past sharedLimit.
  const exitAfter = (i: number): string => {
    const next = insns[(i + 1) % insns.length]!;
    return isMemoryAccess(next) ? 'c >= h.stopAt || c >= h.sharedLimit' : 'c >= h.stopAt';
  };
  insns.forEach((insn, i) => {
    lines.push(...instructionLines(insn, i, previous(i)));
    if (i < last) lines.push(`if (${exitAfter(i)}) return b.finish(h, ${i}, c, k, ${previous(i)});`);
  });
  lines.push(
    `if (${exitAfter(last)} || !(hw.active && b.loopsBack(hw))) return b.finish(h, ${last}, c, k, ${previous(last)});`,
    `s.instret += ${insns.length};`,
    `p = ${insns[last]!.loadedMask};`,
    '}',
  );
  return link(`block_${block.start.toString(16)}`, insns, 'h', [PROLOGUE, ...lines], block);
}

/** The first instruction alone, with nothing of the block's loop and exit machinery. */
function stepLines(insn: DecodedInstruction): string[] {
  const sequential = insn.pc + insn.length;
  return [
    PROLOGUE,
    ...instructionLines(insn, 0, 'p'),
    's.cycles = c;',
    's.instret++;',
    'tm.retire(d0, k);',
    `h.pc = hw.active && (hw.end[0] === ${sequential} || hw.end[1] === ${sequential}) ? hw.next(${sequential}) >>> 0 : ${sequential};`,
  ];
}

function compileStep(insn: DecodedInstruction): BlockFunction {
  return link(`step_${insn.pc.toString(16)}`, [insn], 'h', stepLines(insn));
}

/**
 * The first instruction for each of several cores in one call, in the order given (the cluster's
 * round-robin order for the cycle they all issue in). Returns whether the cores are still in
 * lock-step: the instruction took each the same number of cycles, led each to the same pc, and
 * no core was paused (a peripheral access).
 */
function compileGroupStep(insn: DecodedInstruction): GroupStep {
  return link(`group_${insn.pc.toString(16)}`, [insn], 'H', [
    'let cycles = 0, pc = 0, together = true;',
    'for (let j = 0; j < H.length; j++) {',
    'const h = H[j];',
    ...stepLines(insn),
    'if (j === 0) { cycles = k; pc = h.pc; } else if (k !== cycles || h.pc !== pc) together = false;',
    'if (h.stopAt === 0) together = false;',
    '}',
    'return together;',
  ]);
}
