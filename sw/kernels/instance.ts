/**
 * A kernel made ready to run on a target: parameters resolved, program assembled into an ELF
 * file with the instruction table it needs, inputs generated for the number of cores. run.ts loads
 * an instance on one core or on the cluster; its golden model gives the expected outputs.
 */
import { writeElf } from '../../isa/elf/writer.js';
import { CV32E40P_TABLE, type InstructionTable } from '../../isa/table.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { assemble } from '../asm/assembler.js';
import type { InputRegion, InstructionSet, KernelEntry, KernelParams, OutputLocation } from './kernel.js';
import { resolveParams } from '../../util/params.js';

/** One hart alone with the platform memory map (sim/program.ts), or the cluster with this many cores. */
export type KernelTarget = { readonly kind: 'core' } | { readonly kind: 'cluster'; readonly cores: number };

export const INSTRUCTION_TABLES: Readonly<Record<InstructionSet, InstructionTable>> = {
  'cv32e40p': CV32E40P_TABLE,
  'cv32e40p+xnmsparse': CV32E40P_XNMSPARSE_TABLE,
};

export interface KernelInstance {
  readonly entry: KernelEntry;
  readonly params: KernelParams;
  readonly target: KernelTarget;
  /** Cores running the kernel: 1 on a lone core. */
  readonly cores: number;
  readonly elf: Uint8Array;
  readonly table: InstructionTable;
  readonly inputs: readonly InputRegion[];
  readonly outputs: OutputLocation;
}

export interface InstanceOptions {
  /** Overrides of the parameters' defaults. */
  readonly params?: KernelParams;
  /** Default: one core. */
  readonly target?: KernelTarget;
  /** Seed of the input generator (default 1). */
  readonly seed?: number;
}

export function instantiate(entry: KernelEntry, options: InstanceOptions = {}): KernelInstance {
  const params = resolveParams({ kind: 'kernel', name: entry.name, params: entry.params }, options.params ?? {});
  const target = options.target ?? { kind: 'core' };
  const cores = target.kind === 'core' ? 1 : target.cores;
  if (!Number.isInteger(cores) || cores < 1 || cores > entry.maxCores) {
    throw new RangeError(`kernel '${entry.name}' runs on 1 to ${entry.maxCores} cores, not ${cores}`);
  }
  const program = entry.generate(params);
  const table = INSTRUCTION_TABLES[program.instructionSet];
  return {
    entry,
    params,
    target,
    cores,
    elf: writeElf(assemble(program.source, { table, file: program.file })),
    table,
    inputs: entry.inputs(params, cores, options.seed ?? 1),
    outputs: entry.outputs(params, cores),
  };
}

/** What the golden model says the instance's outputs must be. */
export function expectedOutputs(instance: KernelInstance): Int32Array {
  return instance.entry.golden(instance.params, instance.cores, instance.inputs);
}
