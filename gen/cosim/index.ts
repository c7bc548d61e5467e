// Differential simulation: one seeded random stimulus through the TypeScript simulator and through
// the emitted Verilog under Icarus Verilog, every output compared every cycle.
import type { Design } from '../../hw/hdl/index.js';
import { emitVerilog, type VerilogFile } from '../verilog/index.js';
import { runIcarus } from './icarus.js';
import { runReference } from './reference.js';
import { randomStimulus, type Stimulus } from './stimulus.js';

export { randomStimulus, type Stimulus } from './stimulus.js';

export interface CosimOptions {
  readonly cycles: number;
  readonly seed: number;
  /** The Verilog to check; by default the design's own emitted modules. */
  readonly files?: readonly VerilogFile[];
}

export interface Mismatch {
  readonly cycle: number;
  readonly output: string;
  /** Hex, as the TypeScript simulator computed it. */
  readonly typescript: string;
  /** Hex as Icarus printed it, possibly with x or z digits. */
  readonly icarus: string;
  /** The inputs applied during that cycle, as name=hex. */
  readonly inputs: string;
}

export interface CosimReport {
  readonly top: string;
  readonly seed: number;
  readonly cycles: number;
  /** Every differing output of every cycle, in cycle order. */
  readonly mismatches: readonly Mismatch[];
}

function hex(bits: bigint, width: number): string {
  return bits.toString(16).padStart(Math.ceil(width / 4), '0');
}

function describeInputs(stimulus: Stimulus, cycle: number): string {
  return stimulus.inputs.map((input, i) => `${input.name}=${hex(stimulus.rows[cycle]![i]!, input.type.width)}`).join(' ');
}

export async function cosimulate(design: Design, options: CosimOptions): Promise<CosimReport> {
  const top = design.top;
  const stimulus = randomStimulus(top, options.cycles, options.seed);
  const outputs = top.ports.filter((p) => p.role === 'output');
  const icarus = await runIcarus(options.files ?? emitVerilog(design), top, stimulus);
  const reference = runReference(design, stimulus);
  const mismatches: Mismatch[] = [];
  reference.forEach((expected, cycle) => {
    const actual = icarus[cycle]!;
    outputs.forEach((port, i) => {
      const text = actual[i] ?? '<missing>';
      const value = /^[0-9a-f]+$/.test(text) ? BigInt(`0x${text}`) : null;
      if (value === expected[i]) return;
      const typescript = hex(expected[i]!, port.type.width);
      mismatches.push({ cycle, output: port.name, typescript, icarus: text, inputs: describeInputs(stimulus, cycle) });
    });
  });
  return { top: top.name, seed: options.seed, cycles: options.cycles, mismatches };
}

/** A readable summary naming the first mismatches, with the seed to reproduce them. */
export function formatCosimReport(report: CosimReport, shown = 10): string {
  const head = `${report.top}, seed ${report.seed}, ${report.cycles} cycles: `;
  if (report.mismatches.length === 0) return `${head}no mismatch`;
  const lines = report.mismatches.slice(0, shown).map((m) => `  cycle ${m.cycle}, output '${m.output}': TypeScript ${m.typescript}, Icarus ${m.icarus} (inputs ${m.inputs})`);
  const more = report.mismatches.length > shown ? [`  ... and ${report.mismatches.length - shown} more`] : [];
  return [`${head}${report.mismatches.length} mismatches (values in hex)`, ...lines, ...more].join('\n');
}
