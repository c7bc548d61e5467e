// Seeded random stimulus for every input of a top module. Purely uniform values rarely reach deep
// states (a counter that must see hundreds of enables without a clear, an operand equal to the
// most negative value), so inputs switch between modes: fresh random values every cycle, one value
// held for a run, or corner values (0, 1, all ones, the signed extremes, one-hot patterns).
import type { HdlType, ModuleIR } from '../../hw/hdl/index.js';
import { Random } from '../../util/random.js';

export interface StimulusInput {
  readonly name: string;
  readonly type: HdlType;
}

export interface Stimulus {
  readonly seed: number;
  /** The implicit reset `rst` first when the module has one (a register with a reset value), then its inputs in port order. */
  readonly inputs: readonly StimulusInput[];
  /** rows[cycle][i]: the bit pattern of inputs[i] during that cycle. */
  readonly rows: readonly (readonly bigint[])[];
}

/** The implicit reset is pulsed this often on average after the first cycle, so reset is exercised mid-run but rarely interrupts long sequences. */
const resetProbability = 1 / 512;

type Mode = 'random' | 'hold' | 'corner';
/** An input's own modes during a mixed phase: mostly fresh values, so the logic stays busy. */
const mixedModes: readonly Mode[] = ['random', 'random', 'hold', 'corner'];

function cornerValues(t: HdlType): bigint[] {
  const w = BigInt(t.width);
  const ones = (1n << w) - 1n;
  const signBit = 1n << (w - 1n);
  return [0n, 1n, ones, signBit, signBit - 1n, ones - 1n].map((v) => BigInt.asUintN(t.width, v));
}

/** One input's value stream: a mode (and value, for 'hold') kept for a run of cycles. */
class InputStream {
  private mode: Mode = 'random';
  private value = 0n;
  private remaining = 0;
  private readonly corners: bigint[];

  constructor(
    private readonly type: HdlType,
    private readonly random: Random,
  ) {
    this.corners = cornerValues(type);
  }

  /** Holds one fresh value for `cycles` cycles. */
  holdFor(cycles: number): void {
    this.mode = 'hold';
    this.remaining = cycles;
    this.value = this.fresh();
  }

  /** Lets the stream pick its own modes again, in runs of 4 to 256 cycles. */
  wander(): void {
    this.remaining = 0;
  }

  next(): bigint {
    if (this.remaining === 0) {
      this.mode = this.random.pick(mixedModes);
      this.remaining = 4 << this.random.below(7);
      this.value = this.fresh();
    }
    this.remaining--;
    if (this.mode === 'random') return this.random.bits(this.type.width);
    if (this.mode === 'corner') return this.corner();
    return this.value;
  }

  private fresh(): bigint {
    return this.random.chance(0.5) ? this.corner() : this.random.bits(this.type.width);
  }

  private corner(): bigint {
    const oneHot = 1n << BigInt(this.random.below(this.type.width));
    return this.random.chance(0.25) ? oneHot : this.random.pick(this.corners);
  }
}

/**
 * The stimulus alternates phases of 8 to about 1000 cycles. In a mixed phase every input follows its
 * own modes; in a steady phase (one in three) every input holds one value, which is what reaches
 * deep sequential states such as a counter wrapping after hundreds of enables without a clear.
 */
export function randomStimulus(top: ModuleIR, cycles: number, seed: number): Stimulus {
  if (!Number.isInteger(cycles) || cycles < 1) throw new RangeError(`stimulus needs a positive whole number of cycles, got ${cycles}`);
  const random = new Random(seed);
  const ports = top.ports.filter((p) => p.role === 'input').map((p) => ({ name: p.name, type: p.type }));
  const streams = ports.map((p) => new InputStream(p.type, random));
  const rows: bigint[][] = [];
  let phaseLeft = 0;
  for (let cycle = 0; cycle < cycles; cycle++) {
    if (phaseLeft === 0) {
      phaseLeft = (8 << random.below(8)) + random.below(8);
      const steady = random.chance(1 / 3);
      for (const s of streams) {
        if (steady) s.holdFor(phaseLeft);
        else s.wander();
      }
    }
    phaseLeft--;
    const values = streams.map((s) => s.next());
    if (top.resettable) values.unshift(cycle === 0 || random.chance(resetProbability) ? 1n : 0n);
    rows.push(values);
  }
  const inputs = top.resettable ? [{ name: 'rst', type: { width: 1, signed: false } }, ...ports] : ports;
  return { seed, inputs, rows };
}
