// PyMTL-style test vectors: a header naming inputs and outputs, then one row per clock cycle. Each
// row pokes its inputs, checks its outputs (the values of that cycle, before the clock edge), then
// steps one cycle. `null` in an output column means "don't care". Values may be negative for signed
// signals and bigints for wide ones.
import { expect } from 'vitest';
import type { RtlSimulator } from '../../../hw/hdl/rtl-sim/index.js';
import { peekBits, pokeBits } from './io.js';

export type Cell = number | bigint | null;

export interface VectorHeader {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

function typeOf(sim: RtlSimulator, name: string) {
  const slot = sim.layout.byPath.get(name);
  if (!slot) throw new Error(`no signal '${name}' in ${sim.design.top.name}`);
  return slot.type;
}

export function runVectors(sim: RtlSimulator, header: VectorHeader, rows: readonly (readonly Cell[])[]): void {
  const width = header.inputs.length + header.outputs.length;
  rows.forEach((row, r) => {
    if (row.length !== width) throw new Error(`vector row ${r} has ${row.length} cells, the header names ${width}`);
    header.inputs.forEach((name, i) => {
      const type = typeOf(sim, name);
      pokeBits(sim, name, type, BigInt.asUintN(type.width, BigInt(row[i]!)));
    });
    header.outputs.forEach((name, j) => {
      const want = row[header.inputs.length + j];
      if (want === null || want === undefined) return;
      const type = typeOf(sim, name);
      expect(peekBits(sim, name, type), `row ${r} (cycle ${sim.cycle}): ${name}`).toBe(BigInt.asUintN(type.width, BigInt(want)));
    });
    sim.step();
  });
}
