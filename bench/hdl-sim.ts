// Simulation speed of the TypeScript simulator against Verilator on the largest design in the
// repository (by flattened netlist size), random inputs every cycle in both.
import { elaborate, type Design } from '../hw/hdl/index.js';
import { operands, type Expr } from '../hw/hdl/expr.js';
import { RtlSimulator } from '../hw/hdl/rtl-sim/index.js';
import { designs } from '../hw/designs.js';
import { formatTable } from '../gen/text-table.js';
import { rate } from './machine.js';
import { verilatorRate } from './verilator-harness.js';

function netlistSize(design: Design): number {
  const seen = new Set<Expr>();
  const visit = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    operands(e.node).forEach(visit);
  };
  const flat = design.flat;
  for (const e of flat.comb.values()) visit(e);
  for (const r of flat.regs) visit(r.next);
  for (const w of flat.memWrites) [w.enable, w.addr, w.data].forEach(visit);
  return seen.size;
}

function largestDesign(): { name: string; params: string; design: Design; size: number } {
  const candidates = designs.flatMap((d) =>
    d.checked.map((params) => {
      const design = elaborate(d.generator, params);
      return { name: d.name, params: JSON.stringify(params), design, size: netlistSize(design) };
    }),
  );
  return candidates.reduce((a, b) => (b.size > a.size ? b : a));
}

function typescriptRate(design: Design): number {
  const sim = new RtlSimulator(design);
  const inputs = design.top.ports.filter((p) => p.role === 'input');
  let state = 2463534242;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  sim.reset();
  return rate((count) => {
    for (let i = 0; i < count; i++) {
      for (const p of inputs) {
        const w = p.type.width;
        if (w > 32) sim.poke(p.name, BigInt(next()) & ((1n << BigInt(w)) - 1n));
        else if (p.type.signed) sim.poke(p.name, ((next() << (32 - w)) >> (32 - w)));
        else sim.poke(p.name, w === 32 ? next() : next() & (2 ** w - 1));
      }
      sim.step();
    }
  });
}

export function benchHdlSimulation(): string {
  const { name, params, design, size } = largestDesign();
  const ts = typescriptRate(design);
  const verilator = verilatorRate(design, Math.max(1_000_000, Math.round(ts * 20)));
  const rows = [
    ['nmsparse (TypeScript, compiled to JS)', (ts / 1e6).toFixed(2), '1.00'],
    [`Verilator -O3 (${verilator.version.split(' ').slice(0, 2).join(' ')})`, (verilator.cyclesPerSecond / 1e6).toFixed(2), (verilator.cyclesPerSecond / ts).toFixed(2)],
  ];
  return [
    `HDL simulation speed: design '${name}' ${params} (top ${design.top.name}, ${size} netlist nodes, ${design.flat.signals.length} signals), random inputs every cycle`,
    formatTable(['simulator', 'Mcycles/s', 'relative'], rows, ['left', 'right', 'right']),
  ].join('\n');
}
