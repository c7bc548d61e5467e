/**
 * A HartContext that records everything an instruction's semantic does: every register write
 * (through a proxy over the register file, so a write of an unchanged value counts too), data
 * accesses, control transfers, CSR accesses, hardware-loop register changes and the
 * system calls.
 * Loads and CSR reads return values from a deterministic stream; nothing faults on its own, so
 * every Fault a semantic throws is its own.
 */
import type { SystemCall } from '../../isa/effects.js';
import type { AccessSize, Addr, CsrAddr, HartContext, HwLoopRegs, Word } from '../../isa/types.js';

/** What one execution of a semantic did. */
export interface Recording {
  /** Register number -> last value written. */
  readonly writes: Map<number, number>;
  /** Every call other than a register write, with its arguments, in order. */
  readonly calls: string[];
  loads: number;
  stores: number;
  jumps: number;
  csrAccesses: number;
  /** Loop indices passed to hwloopChanged, in order. */
  readonly hwloopChanged: number[];
  /** Loop indices whose start, end or count registers changed. */
  readonly hwloopWritten: Set<number>;
  readonly systemCalls: Exclude<SystemCall, 'none'>[];
}

export class RecordingHart implements HartContext {
  /** What semantics see: the register file behind a proxy that records writes. */
  readonly regs: Int32Array;
  /** The register file itself, for the test to read. */
  readonly registers: Int32Array;
  readonly hwloop: HwLoopRegs = { start: new Uint32Array(2), end: new Uint32Array(2), count: new Uint32Array(2) };
  npc: Addr;
  readonly recording: Recording = {
    writes: new Map(), calls: [], loads: 0, stores: 0, jumps: 0, csrAccesses: 0,
    hwloopChanged: [], hwloopWritten: new Set(), systemCalls: [],
  };

  constructor(
    readonly pc: Addr,
    length: number,
    registers: Int32Array,
    loopRegisters: HwLoopRegs,
    /** The values loads and CSR reads return, one per call. */
    private readonly nextValue: () => Word,
  ) {
    this.npc = pc + length;
    for (const key of ['start', 'end', 'count'] as const) this.hwloop[key].set(loopRegisters[key]);
    const recording = this.recording;
    this.registers = registers.slice();
    this.regs = new Proxy(this.registers, {
      set(target, key, value: number) {
        if (typeof key !== 'string' || !/^\d+$/.test(key)) return false;
        target[Number(key)] = value;
        recording.writes.set(Number(key), target[Number(key)]!);
        return true;
      },
    });
  }

  /** Note which loops' registers differ from `before` (call after the semantic ran). */
  compareLoops(before: HwLoopRegs): void {
    for (let l = 0; l < 2; l++) {
      for (const key of ['start', 'end', 'count'] as const) {
        if (this.hwloop[key][l] !== before[key][l]) this.recording.hwloopWritten.add(l);
      }
    }
  }

  jump(target: Addr): void {
    this.recording.jumps++;
    this.recording.calls.push(`jump ${target}`);
    this.npc = target;
  }

  load(addr: Addr, size: AccessSize, signed: boolean): Word {
    this.recording.loads++;
    const shift = 32 - 8 * size;
    const raw = this.nextValue();
    const value = shift === 0 ? raw | 0 : signed ? (raw << shift) >> shift : (raw << shift) >>> shift;
    this.recording.calls.push(`load ${addr} ${size} ${signed} -> ${value}`);
    return value;
  }

  store(addr: Addr, size: AccessSize, value: Word): void {
    this.recording.stores++;
    this.recording.calls.push(`store ${addr} ${size} ${value}`);
  }

  csrRead(csr: CsrAddr): Word {
    this.recording.csrAccesses++;
    const value = this.nextValue() | 0;
    this.recording.calls.push(`csrRead ${csr} -> ${value}`);
    return value;
  }

  csrWrite(csr: CsrAddr, value: Word): void {
    this.recording.csrAccesses++;
    this.recording.calls.push(`csrWrite ${csr} ${value}`);
  }

  hwloopChanged(loop: number): void {
    this.recording.hwloopChanged.push(loop);
    this.recording.calls.push(`hwloopChanged ${loop} start ${this.hwloop.start[loop]} end ${this.hwloop.end[loop]} count ${this.hwloop.count[loop]}`);
  }

  private system(call: Exclude<SystemCall, 'none'>): void {
    this.recording.systemCalls.push(call);
    this.recording.calls.push(call);
  }

  ecall(): void {
    this.system('ecall');
  }

  ebreak(): void {
    this.system('ebreak');
  }

  mret(): void {
    this.system('mret');
  }

  wfi(): void {
    this.system('wfi');
  }

  fence(): void {
    this.system('fence');
  }
}
