// Value Change Dump writer: one $scope per instance, the designer's names, a clock that rises at
// the start of every cycle (when the new register values appear). Viewable in GTKWave.
import type { Slot } from './layout.js';

/** Short printable VCD identifiers: '!', '"', ... then two characters, and so on. */
function vcdId(n: number): string {
  let id = '';
  do {
    id += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return id;
}

interface Probe {
  readonly slot: Slot;
  readonly id: string;
  last: string;
}

export class VcdWriter {
  private readonly probes: Probe[];
  private readonly clockId: string;
  private started = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly topName: string,
    slots: readonly Slot[],
    private readonly read: (slot: Slot) => bigint,
  ) {
    this.probes = slots.map((slot, i) => ({ slot, id: vcdId(i + 1), last: '' }));
    this.clockId = vcdId(0);
  }

  /** Dumps the values of `cycle` at time 10*cycle with the clock rising, and its falling edge halfway. */
  sample(cycle: number): void {
    if (!this.started) this.header();
    const changes: string[] = [`#${cycle * 10}`, `1${this.clockId}`];
    for (const p of this.probes) {
      const value = this.format(p.slot);
      if (value !== p.last) {
        changes.push(p.slot.type.width === 1 ? `${value}${p.id}` : `b${value} ${p.id}`);
        p.last = value;
      }
    }
    changes.push(`#${cycle * 10 + 5}`, `0${this.clockId}`);
    this.write(changes.join('\n') + '\n');
  }

  private format(slot: Slot): string {
    return this.read(slot).toString(2);
  }

  private header(): void {
    this.started = true;
    const lines = ['$version nmsparse $end', '$timescale 1ns $end', `$scope module ${this.topName} $end`, `$var wire 1 ${this.clockId} clk $end`];
    let open: string[] = [];
    const sorted = [...this.probes].sort((a, b) => scopeKey(a.slot).localeCompare(scopeKey(b.slot)));
    for (const p of sorted) {
      const parts = p.slot.path.split('.');
      const name = parts.pop()!;
      let common = 0;
      while (common < open.length && common < parts.length && open[common] === parts[common]) common++;
      for (let i = open.length; i > common; i--) lines.push('$upscope $end');
      for (const scope of parts.slice(common)) lines.push(`$scope module ${scope} $end`);
      open = parts;
      const w = p.slot.type.width;
      lines.push(`$var wire ${w} ${p.id} ${name}${w > 1 ? ` [${w - 1}:0]` : ''} $end`);
    }
    for (let i = open.length; i >= 0; i--) lines.push('$upscope $end');
    lines.push('$enddefinitions $end');
    this.write(lines.join('\n') + '\n');
  }
}

/** Groups signals by instance so each scope is opened once; a scope's own signals come first. */
function scopeKey(slot: Slot): string {
  const parts = slot.path.split('.');
  return [...parts.slice(0, -1).map((p) => `1${p}`), `0${parts.at(-1)}`].join('\u0000');
}
