// What the operator-kernel tests share: a generated kernel wrapped into a whole cluster program
// (the `_start` dispatch to `core_<hartid>`, a barrier and exit at `kernel_end`, as
// sw/kernels/layers/program.ts builds a layer's), its L1 data placed before the run, and the
// output read back with the cycles.
import { readElf } from '../../../isa/elf/reader.js';
import { writeElf } from '../../../isa/elf/writer.js';
import { PULP_L1 } from '../../../isa/platform/memory-map.js';
import { assemblerEquates } from '../../../isa/platform/symbols.js';
import type { Addr, Cycles } from '../../../isa/types.js';
import { Cluster } from '../../../sim/cluster/cluster.js';
import { assemble } from '../../../sw/asm/assembler.js';
import { INSTRUCTION_TABLES } from '../../../sw/kernels/instance.js';
import type { InputRegion } from '../../../sw/kernels/kernel.js';
import { placeInputs } from '../../../sw/kernels/run.js';

export interface OpRun {
  readonly output: Uint8Array;
  /** Cycles until the last core halted. */
  readonly cycles: Cycles;
}

/** L1 regions one after another from L1's base, each word-aligned: the addresses of `sizes` in order. */
export function layOut(...sizes: number[]): Addr[] {
  let next = PULP_L1.base;
  return sizes.map((size) => {
    const at = next;
    next += Math.ceil(size / 4) * 4;
    if (next > PULP_L1.base + PULP_L1.size) throw new RangeError(`L1 holds ${PULP_L1.size} bytes, not ${next - PULP_L1.base}`);
    return at;
  });
}

function wrap(code: readonly string[], cores: number): string {
  const dispatch = ['  .globl _start', '_start:', '  csrr a0, mhartid'];
  for (let core = 0; core < cores - 1; core++) dispatch.push(`  li t0, ${core}`, `  bne a0, t0, dispatch_${core + 1}`, `  j core_${core}`, `dispatch_${core + 1}:`);
  dispatch.push(`  j core_${cores - 1}`);
  const barrier = cores > 1 ? ['  li t0, PERIPHERAL_BARRIER', '  lw zero, 0(t0)'] : [];
  return [assemblerEquates(), '  .text', ...dispatch, ...code, 'kernel_end:', ...barrier, '  li a0, 0', '  li a7, 93', '  ecall'].join('\n') + '\n';
}

/** A stretch of L1 the kernel may store to. */
export interface Region {
  readonly address: Addr;
  readonly bytes: number;
}

/** Throws unless every L1 byte outside `writable` holds what was placed there (inputs) or 0. */
function checkStores(after: Uint8Array, inputs: readonly InputRegion[], writable: readonly Region[]): void {
  const expected = new Uint8Array(PULP_L1.size);
  for (const region of inputs) expected.set(region.bytes, region.address - PULP_L1.base);
  for (const region of writable) {
    const start = region.address - PULP_L1.base;
    expected.set(after.subarray(start, start + region.bytes), start);
  }
  const wrong = expected.findIndex((byte, i) => after[i] !== byte);
  if (wrong >= 0) throw new Error(`the kernel changed L1 at 0x${(PULP_L1.base + wrong).toString(16)}, outside its output and scratch`);
}

/**
 * Runs `code` on `cores` cores with `inputs` in L1; every core must exit with 0 and store nowhere
 * in L1 but the output and the scratch.
 */
export function runOp(code: readonly string[], cores: number, inputs: readonly InputRegion[], output: Region, scratch?: Region): OpRun {
  const table = INSTRUCTION_TABLES.cv32e40p;
  const elf = writeElf(assemble(wrap(code, cores), { table, file: 'op.S' }));
  const cluster = new Cluster({ table, config: { cores }, blocks: true, runAhead: true });
  cluster.load(readElf(elf));
  placeInputs(cluster.memory, inputs);
  const { cycles } = cluster.run();
  cluster.reports.forEach(({ core, stop }) => {
    if (stop?.kind !== 'exit' || stop.code !== 0) throw new Error(`core ${core} ended with ${JSON.stringify(stop)}, not exit code 0`);
  });
  checkStores(cluster.memory.readBytes(PULP_L1.base, PULP_L1.size), inputs, scratch ? [output, scratch] : [output]);
  return { output: cluster.memory.readBytes(output.address, output.bytes), cycles };
}
