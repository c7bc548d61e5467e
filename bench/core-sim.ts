// Simulation speed of the project's core (hw/core/core.ts, without the extension) on a kernel: the
// TypeScript HDL simulator (gen/core/run.ts) against Verilator on the core's emitted Verilog
// (gen/core/verilator.ts), the same program and the same run (the same testbench, cycle for cycle),
// in simulated cycles per second of wall time. The TypeScript figure is the best of three runs after
// one to compile and warm up; Verilator's is the best of three runs less a run of the same program
// stopped after one cycle (process start, image load), and excludes the model's (cached) build.
// Also the bare simulator: the same design stepped with its inputs held, no testbench. With its
// memories silent the core waits for its first instruction, so the instruction register never
// changes and the decoder's memoised signals are never recomputed (hw/hdl/rtl-sim/memo.ts): the
// figure is the rest of the netlist and the clock edge, an upper bound rather than the run's cost.
import { execFileSync } from 'node:child_process';
import { runOnCore } from '../gen/core/run.js';
import { buildCoreModel, runOnCoreVerilator } from '../gen/core/verilator.js';
import { figuresAlign, formatTable } from '../gen/text-table.js';
import { Core } from '../hw/core/core.js';
import { elaborate } from '../hw/hdl/index.js';
import type { Design } from '../hw/hdl/elaborate.js';
import { RtlSimulator } from '../hw/hdl/rtl-sim/index.js';
import { memoPlan } from '../hw/hdl/rtl-sim/memo.js';
import { layerProgram } from '../sw/kernels/layers/program.js';
import { layerElf } from '../sw/kernels/layers/run.js';
import { randomLayerData } from '../sw/layers/data.js';
import { type LayerSpec, NO_PADDING } from '../sw/layers/spec.js';
import { rate } from './machine.js';

const SPEC: LayerSpec = { name: 'bench-matmul', kind: 'matmul', inH: 96, inW: 1, inC: 64, outC: 32, kH: 1, kW: 1, stride: 1, pad: NO_PADDING, inputSigned: true, output: 'int8', relu: false };
const RUNS = 3;
/** The target for the TypeScript simulator, as a fraction of Verilator's speed. */
const TARGET = 0.3;

const seconds = async (body: () => unknown): Promise<number> => {
  const start = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

async function best(body: () => unknown): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) fastest = Math.min(fastest, await seconds(body));
  return fastest;
}

/** Cycles per second of the core's netlist alone, waiting for its first fetch: every cycle one evaluation and one clock edge. */
function bareRate(design: Design): number {
  const sim = new RtlSimulator(design);
  sim.reset();
  return rate((count) => sim.step(count));
}

/** The memoised groups of the core's netlist, as words: '417 of its 1093 combinational signals, which id_instr alone determines'. */
function memoised(design: Design): string {
  const total = design.flat.comb.size;
  return memoPlan(design.flat, design.schedule).groups.map((group) => `${group.members.length} of its ${total} combinational signals, which ${group.key.path} alone determines`).join('; ');
}

export async function benchCoreSimulation(): Promise<string> {
  const elf = layerElf(layerProgram(randomLayerData(SPEC, 5, undefined), 'dense', undefined, 1, { selfCheck: true }));
  const run = runOnCore(elf, { extension: false, maxCycles: 0 });
  if (run.stop.kind !== 'exit' || run.stop.code !== 0) throw new Error(`the bench kernel did not pass on the core: ${JSON.stringify(run.stop)}`);
  const { cycles, instret } = run;
  const typescript = cycles / (await best(() => runOnCore(elf, { extension: false, maxCycles: 0 })));
  await buildCoreModel(false);
  const startup = await best(() => runOnCoreVerilator(elf, { extension: false, maxCycles: 1 }));
  const verilatorRun = await best(() => runOnCoreVerilator(elf, { extension: false, maxCycles: 0 }));
  const verilator = cycles / Math.max(verilatorRun - startup, 1e-6);
  const design = elaborate(Core, { extension: 0 });
  const bare = bareRate(design);
  const version = execFileSync('verilator', ['--version'], { encoding: 'utf8' }).trim().split(' ').slice(0, 2).join(' ');
  const header = ['simulator', 'kcycles/s', 'vs Verilator'];
  const rows = [
    ['TypeScript HDL simulator, with the testbench (gen/core/run.ts)', (typescript / 1e3).toFixed(1), `${(typescript / verilator).toFixed(3)}x`],
    ['TypeScript HDL simulator, netlist alone (no testbench, core waiting to fetch)', (bare / 1e3).toFixed(1), `${(bare / verilator).toFixed(3)}x`],
    [`${version} -O3, with the testbench (gen/core/verilator.ts)`, (verilator / 1e3).toFixed(1), '1.000x'],
  ];
  return [
    `Core simulation speed: the nmsparse core (no extension) on a dense int8 matmul layer (${SPEC.inH}x${SPEC.inC} by ${SPEC.inC}x${SPEC.outC}, self-checking), ${cycles} cycles, ${instret} instructions, the same run on both, best of ${RUNS}`,
    formatTable(header, rows, figuresAlign(header)),
    `target: the TypeScript simulator at least ${TARGET}x Verilator: ${typescript / verilator >= TARGET ? 'met' : 'not met'}. What limits it: every cycle the testbench has the netlist evaluated once after the clock edge, then only the fan-out cones of the data and fetch grants it gives within the cycle (the fetch request depends on the data grant); the decoder (${memoised(design)}) comes from a table per instruction word. What remains, in a profile of this run (December 2026): the rest of the netlist (execute units, load-store unit, CSRs, controller, all evaluated every cycle) about half the time, the clock edge a fifteenth, the decoder's table a twenty-fifth, and the testbench's own work (memory, grants, trace and stall-signal reads, in TypeScript) about a quarter. Verilator compiles the netlist to optimised C++ and re-evaluates only what changed inputs reach.`,
  ].join('\n');
}
