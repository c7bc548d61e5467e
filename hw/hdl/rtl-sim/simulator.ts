// The simulator facade: compile once, then poke inputs, step the clock and peek any signal by its
// hierarchical name. Combinational values are recomputed lazily, only when read after a change:
// the whole netlist after a clock edge or a backdoor write, only the changed inputs' fan-out cones
// after pokes alone (a poke of the value an input already holds changes nothing).
import { openSync, writeSync, closeSync } from 'node:fs';
import type { Design } from '../elaborate.js';
import { type HdlType, typeName } from '../types.js';
import { compile, type CompiledDesign } from './codegen.js';
import { Layout, readWords, type Slot, wordCount, writeWords } from './layout.js';
import { memoPlan } from './memo.js';
import { VcdWriter } from './vcd.js';

/** A misuse of the simulator API (unknown signal, value out of range, ...). */
export class RtlSimError extends Error {
  override name = 'RtlSimError';
}

/** An input slot with its accepted range as numbers, precomputed for the poke fast path. */
interface InputSlot extends Slot {
  readonly min: number;
  readonly max: number;
  readonly mask: number;
  /** Index of its fan-out cone in the compiled design; the reset (read by the clock edge alone) has none. */
  readonly cone: number | undefined;
}

export interface Trace {
  close(): void;
}

export class RtlSimulator {
  readonly layout: Layout;
  private readonly values: Uint32Array;
  private readonly memories: Uint32Array[];
  private readonly compiled: CompiledDesign;
  private readonly inputs: ReadonlyMap<string, InputSlot>;
  private readonly traces: VcdWriter[] = [];
  /** State (registers, memories) changed since the last evaluation: everything is re-evaluated. */
  private stateChanged = true;
  /** Cones of the inputs poked to a new value since the last evaluation. */
  private readonly changedCones: number[] = [];
  private cycleCount = 0;

  constructor(readonly design: Design) {
    const plan = memoPlan(design.flat, design.schedule);
    this.layout = new Layout(design.flat, plan.groups.map((group) => group.members));
    this.values = new Uint32Array(this.layout.size);
    this.memories = design.flat.memories.map((m) => {
      const words = wordCount(m.type.width);
      const contents = new Uint32Array(m.depth * words);
      m.init.forEach((bits, i) => writeWords(contents, i * words, words, bits));
      return contents;
    });
    const ports = design.flat.ports.filter((p) => p.role === 'input');
    this.compiled = compile(this.layout, design.schedule, plan, ports, this.values, this.memories);
    const inputNames = [...(this.layout.reset ? ['rst'] : []), ...ports.map((p) => p.path)];
    this.inputs = new Map(
      inputNames.map((n) => {
        const slot = this.layout.byPath.get(n)!;
        const { width, signed } = slot.type;
        const range = { min: signed ? -(2 ** (width - 1)) : 0, max: signed ? 2 ** (width - 1) - 1 : 2 ** width - 1, mask: 2 ** width - 1 };
        const cone = slot.signal ? ports.indexOf(slot.signal) : undefined;
        return [n, { ...slot, ...range, cone }];
      }),
    );
  }

  /** Clock edges simulated so far. */
  get cycle(): number {
    return this.cycleCount;
  }

  /** The generated JavaScript, as compiled (also dumped to the folder NMSPARSE_DUMP_CODE names, if set). */
  get generatedSource(): string {
    return this.compiled.source;
  }

  /** Sets a top-level input (or 'rst'). Signed inputs accept negative values. */
  poke(name: string, value: number | bigint): void {
    const slot = this.input(name);
    const { width, signed } = slot.type;
    if (slot.narrow && typeof value === 'number') {
      this.pokeNumber(name, slot, value);
    } else {
      if (typeof value === 'number' && !Number.isSafeInteger(value)) this.outOfRange(name, slot, value);
      const v = BigInt(value);
      const w = BigInt(width);
      if (v < (signed ? -(1n << (w - 1n)) : 0n) || v > (signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n)) this.outOfRange(name, slot, value);
      const bits = BigInt.asUintN(width, v);
      if (slot.narrow) this.changeInput(slot, Number(bits));
      else if (readWords(this.values, slot.index, slot.words) !== bits) {
        writeWords(this.values, slot.index, slot.words, bits);
        this.noteChange(slot);
      }
    }
  }

  /**
   * poke(name, value) for numbers, the name looked up once: for a testbench that drives the input
   * every cycle.
   */
  writer(name: string): (value: number) => void {
    const slot = this.input(name);
    if (!slot.narrow) throw new RtlSimError(`'${name}' is ${typeName(slot.type)}, wider than 32 bits: use poke with a bigint`);
    return (value) => this.pokeNumber(name, slot, value);
  }

  private input(name: string): InputSlot {
    const slot = this.inputs.get(name);
    if (!slot) throw new RtlSimError(`'${name}' is not an input of ${this.design.top.name} (inputs: ${[...this.inputs.keys()].join(', ')})`);
    return slot;
  }

  /** Masking turns a negative value into its w-bit pattern; the typed array then stores it unsigned. */
  private pokeNumber(name: string, slot: InputSlot, value: number): void {
    if (!(value >= slot.min && value <= slot.max && Number.isInteger(value))) this.outOfRange(name, slot, value);
    this.changeInput(slot, value & slot.mask);
  }

  /** Stores a narrow input's new bit pattern and notes what must be re-evaluated, if it differs. */
  private changeInput(slot: InputSlot, bits: number): void {
    if (this.values[slot.index] === bits) return;
    this.values[slot.index] = bits;
    this.noteChange(slot);
  }

  /** Notes what the next read must re-evaluate: nothing more when everything will be. */
  private noteChange(slot: InputSlot): void {
    if (slot.cone === undefined) this.stateChanged = true;
    else if (!this.stateChanged && !this.changedCones.includes(slot.cone)) this.changedCones.push(slot.cone);
  }

  private outOfRange(name: string, slot: Slot, value: number | bigint): never {
    throw new RtlSimError(`value ${value} does not fit input '${name}' of type ${typeName(slot.type)}`);
  }

  /** Unsigned bit pattern of a signal of up to 32 bits, by hierarchical name ('u_alu.sum'). */
  peek(name: string): number {
    return this.readNarrow(this.narrowSlot(name));
  }

  /** peek(name), the name looked up once: for a testbench that reads the signal every cycle. */
  reader(name: string): () => number {
    const slot = this.narrowSlot(name);
    return () => this.readNarrow(slot);
  }

  private narrowSlot(name: string): Slot {
    const slot = this.slot(name);
    if (!slot.narrow) throw new RtlSimError(`'${name}' is ${typeName(slot.type)}, wider than 32 bits: use peekBig`);
    return slot;
  }

  private readNarrow(slot: Slot): number {
    this.settle();
    return this.values[slot.index]!;
  }

  /** Two's complement value of a signal of up to 32 bits. */
  peekSigned(name: string): number {
    const slot = this.slot(name);
    const bits = this.peek(name);
    const shift = 32 - slot.type.width;
    return (bits << shift) >> shift;
  }

  /** Two's complement value of a signal of any width. */
  peekSignedBig(name: string): bigint {
    const slot = this.slot(name);
    return BigInt.asIntN(slot.type.width, this.peekBig(name));
  }

  /** Unsigned bit pattern of a signal of any width. */
  peekBig(name: string): bigint {
    const slot = this.slot(name);
    this.settle();
    return this.read(slot);
  }

  /** Word `index` of a memory (hierarchical name), as an unsigned bit pattern. */
  peekMemory(name: string, index: number): bigint {
    const { contents, words } = this.memoryWords(name, index);
    return readWords(contents, index * words, words);
  }

  /**
   * Sets word `index` of a memory (hierarchical name) between clock edges, as a testbench's
   * backdoor does (e.g. a register the program expects preset): `value` is the unsigned pattern.
   */
  pokeMemory(name: string, index: number, value: number | bigint): void {
    const { contents, words, type } = this.memoryWords(name, index);
    writeWords(contents, index * words, words, BigInt.asUintN(type.width, BigInt(value)));
    this.stateChanged = true;
  }

  /**
   * Sets a register's current value between clock edges (a simulator's "deposit"), as a
   * testbench's backdoor does; the value holds until the register's next update.
   */
  deposit(name: string, value: number | bigint): void {
    const slot = this.slot(name);
    if (!this.design.flat.regs.some((update) => update.reg.path === name)) throw new RtlSimError(`'${name}' is not a register of ${this.design.top.name}`);
    writeWords(this.values, slot.index, slot.words, BigInt.asUintN(slot.type.width, BigInt(value)));
    this.stateChanged = true;
  }

  /** A memory's storage, the words each of its entries takes and its type; `index` checked against its depth. */
  private memoryWords(name: string, index: number): { contents: Uint32Array; words: number; type: HdlType } {
    const i = this.design.flat.memories.findIndex((m) => m.path === name);
    if (i < 0) throw new RtlSimError(`no memory named '${name}' in ${this.design.top.name}`);
    const { depth, type } = this.design.flat.memories[i]!;
    if (!Number.isInteger(index) || index < 0 || index >= depth) throw new RtlSimError(`index ${index} is outside memory '${name}' (depth ${depth})`);
    return { contents: this.memories[i]!, words: wordCount(type.width), type };
  }

  /** Advances `cycles` rising clock edges. */
  step(cycles = 1): void {
    for (let i = 0; i < cycles; i++) {
      this.settle();
      for (const t of this.traces) t.sample(this.cycleCount);
      this.compiled.commit();
      this.stateChanged = true;
      this.cycleCount++;
    }
  }

  /** Holds the synchronous reset for `cycles` edges, then releases it. */
  reset(cycles = 1): void {
    if (!this.layout.reset) return;
    this.poke('rst', 1);
    this.step(cycles);
    this.poke('rst', 0);
  }

  /** Records every signal, every cycle, as VCD into a file or through a callback. */
  traceVcd(target: string | ((text: string) => void)): Trace {
    let close = (): void => {};
    let write = target as (text: string) => void;
    if (typeof target === 'string') {
      const fd = openSync(target, 'w');
      write = (text) => writeSync(fd, text);
      close = () => closeSync(fd);
    }
    const vcd = new VcdWriter(write, this.design.top.name, this.layout.slots, (slot) => this.read(slot));
    this.traces.push(vcd);
    return {
      close: () => {
        this.settle();
        vcd.sample(this.cycleCount);
        this.traces.splice(this.traces.indexOf(vcd), 1);
        close();
      },
    };
  }

  /**
   * Brings every combinational value up to date. Cones run one after another are exact, in any
   * order: a signal that two changed inputs reach is in both cones, so the later one recomputes it
   * after everything it reads; a signal in one cone alone reads nothing that the other cone changes.
   */
  private settle(): void {
    const cones = this.changedCones;
    if (this.stateChanged) {
      this.compiled.comb();
      this.stateChanged = false;
      // Setting an array's length is slow in V8 even when it does not change: only when needed.
      if (cones.length !== 0) cones.length = 0;
    } else {
      while (cones.length !== 0) this.compiled.cones[cones.pop()!]!();
    }
  }

  private slot(name: string): Slot {
    const slot = this.layout.byPath.get(name);
    if (!slot) throw new RtlSimError(`no signal named '${name}' in ${this.design.top.name}`);
    return slot;
  }

  private read(slot: Slot): bigint {
    return readWords(this.values, slot.index, slot.words);
  }
}
