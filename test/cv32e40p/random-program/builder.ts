/**
 * The state of one program being generated: its lines, labels, the registers it may write, how
 * often the code being emitted will run (inside loops) and how far the post-increment pointer may
 * still travel, so that every access stays inside the data buffer whatever the loop counts.
 */
import type { InstructionDef } from '../../../isa/definition.js';
import type { OperandKind } from '../../../isa/operands.js';
import { regName } from '../../../isa/registers.js';
import type { Random } from '../../../util/random.js';
import { render, type Operands } from './instructions.js';

/**
 * The data region: a buffer every random access stays inside, then a save area for return
 * addresses that only the subroutines' prologues and epilogues touch (s0 reaches both with a
 * 12-bit offset).
 */
export const BUFFER_BYTES = 1792;
export const SAVE_AREA = BUFFER_BYTES;
export const DATA_BYTES = 2048;
/** s0 holds the buffer's base for the whole program. */
export const BASE = 8;
/** s1 is the post-increment pointer, reset to POINTER_HOME before each use. */
export const POINTER = 9;
export const POINTER_HOME = 896;
/**
 * How far (bytes, all iterations together) the pointer may move from home either way; compressed
 * accesses through it add at most 124.
 */
export const POINTER_TRAVEL = 640;
/** sp points into the buffer too, for the compressed sp-relative loads and stores (offsets up to 252). */
export const SP = 2;
export const SP_OFFSET = BUFFER_BYTES - 256;

/** Registers random instructions write: all but x0, sp, s0 and s1. */
export const POOL: readonly number[] = Array.from({ length: 32 }, (_, i) => i).filter((i) => ![0, SP, BASE, POINTER].includes(i));

export class Builder {
  readonly lines: string[] = [];
  /** Code placed after the program's exit (subroutines). */
  readonly tail: string[] = [];
  readonly features = new Set<string>();
  /** Registers written last, most recent first: sources favour them, which makes hazards dense. */
  private recent: number[] = [];
  /** Registers the code being emitted must not write (loop counters...). */
  private readonly pinned = new Set<number>();
  /** A few registers most writes go to, so that results are reused soon. */
  private readonly hot: readonly number[];
  private labels = 0;
  /** How many times the code being emitted runs. */
  private repeat = 1;
  private travel = POINTER_TRAVEL;

  /** Where emitted lines go: the program, or its tail while a subroutine is written. */
  private out = this.lines;

  /**
   * @param traps the program has a trap handler (random-program/traps.ts), so snippets may trap,
   *   also inside hardware-loop bodies.
   */
  constructor(
    readonly random: Random,
    readonly traps = false,
  ) {
    this.hot = Array.from({ length: 6 }, () => random.pick(POOL));
  }

  emit(text: string): void {
    this.out.push(`  ${text}`);
  }

  /** A fresh local label name. */
  label(): string {
    return `.Lr${this.labels++}`;
  }

  place(label: string): void {
    this.out.push(`${label}:`);
  }

  /** Emit `body` after the program's exit (a subroutine), with fresh hazard history. */
  inTail(body: () => void): void {
    const [out, recent] = [this.out, this.recent];
    this.out = this.tail;
    try {
      body();
    } finally {
      [this.out, this.recent] = [out, recent];
    }
  }

  feature(name: string): void {
    this.features.add(name);
  }

  /** The code being emitted may write `reg` (a pool register not pinned). */
  writable(reg: number): boolean {
    return POOL.includes(reg) && !this.pinned.has(reg);
  }

  /** A register to write. */
  dest(): number {
    const free = (r: number): boolean => !this.pinned.has(r);
    const hot = this.hot.filter(free);
    if (hot.length > 0 && this.random.chance(0.7)) return this.random.pick(hot);
    return this.random.pick(POOL.filter(free));
  }

  /** A register to read: often one written just before. */
  source(): number {
    if (this.recent.length > 0 && this.random.chance(0.6)) return this.recent[this.random.below(Math.min(3, this.recent.length))]!;
    return this.random.chance(0.05) ? 0 : this.random.pick(POOL);
  }

  wrote(reg: number): void {
    if (reg === 0) return;
    this.recent = [reg, ...this.recent.filter((r) => r !== reg)].slice(0, 4);
  }

  /** Run `body` with `regs` kept from being written. */
  pinning<T>(regs: readonly number[], body: () => T): T {
    const added = regs.filter((r) => !this.pinned.has(r));
    for (const r of added) this.pinned.add(r);
    try {
      return body();
    } finally {
      for (const r of added) this.pinned.delete(r);
    }
  }

  /** Emit code that runs `times` times (a loop body). */
  repeated<T>(times: number, body: () => T): T {
    const outer = this.repeat;
    this.repeat *= times;
    try {
      return body();
    } finally {
      this.repeat = outer;
    }
  }

  get inLoop(): boolean {
    return this.repeat > 1;
  }

  /** Put the pointer back home (only outside loops, where this runs once). */
  resetPointer(): void {
    if (this.inLoop) throw new Error('random program: the pointer is reset inside a loop');
    this.emit(`addi ${regName(POINTER)}, ${regName(BASE)}, ${POINTER_HOME}`);
    this.travel = POINTER_TRAVEL;
  }

  /** A post-increment step the pointer can still afford (0 when it cannot move any more). */
  pointerStep(limit: number): number {
    const most = Math.min(limit, Math.floor(this.travel / this.repeat));
    const step = most === 0 ? 0 : this.random.below(2 * most + 1) - most;
    this.travel -= Math.abs(step) * this.repeat;
    return step;
  }

  /** The text of `def` with register operands drawn for its format (immediates as given or random). */
  instruction(def: InstructionDef, given: Operands = {}): string {
    const operands: Operands = { ...given };
    for (const kind of def.format.operands) {
      if (operands[kind.slot] !== undefined) continue;
      if (kind.syntax === 'reg') operands[kind.slot] = def.format.writes.includes(kind.slot as never) ? this.dest() : this.source();
      else operands[kind.slot] = this.immediate(kind);
    }
    for (const slot of def.format.writes) this.wrote(operands[slot] as number);
    return render(def, operands);
  }

  /** An immediate in the operand's range, often at an edge. */
  immediate(kind: OperandKind): number {
    const edges = [kind.min, kind.max, 0, 1, -1].filter((v) => v >= kind.min && v <= kind.max);
    const value = this.random.chance(0.25) ? this.random.pick(edges) : kind.min + this.random.below(kind.max - kind.min + 1);
    return value - (((value % kind.align) + kind.align) % kind.align);
  }

  /** A 32-bit value worth computing with: extremes, small numbers, lane boundaries or random bits. */
  interestingValue(): number {
    const special = [0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x01010101, 0x80808080 | 0];
    if (this.random.chance(0.4)) return this.random.pick(special);
    if (this.random.chance(0.3)) return this.random.below(4096) - 2048;
    return this.random.uint32() | 0;
  }
}
