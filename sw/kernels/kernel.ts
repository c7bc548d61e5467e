/**
 * What a kernel in the registry (sw/kernels/registry.ts) declares: its parameters, an assembly
 * generator, a deterministic input generator, a golden model in TypeScript, where its outputs are
 * read back, and the configurations the test suite checks. sw/kernels/run.ts runs any entry on one
 * core or on the cluster.
 */
import type { Addr } from '../../isa/types.js';
import type { ParamSpec, ParamValues } from '../../util/params.js';

/** Parameter values by name; a kernel declares its own as an object type, e.g. `{ passes: number }`. */
export type KernelParams = ParamValues;

/** The instruction table a kernel is assembled and simulated with (sw/kernels/instance.ts maps it). */
export type InstructionSet = 'cv32e40p' | 'cv32e40p+xnmsparse';

/**
 * Assembly source of a whole program: it defines `_start` (the entry point, by the assembler's
 * rule), places its code in L2 (the assembler's default base), and ends every core with the exit
 * ecall and code 0 once its outputs are complete.
 */
export interface KernelProgram {
  readonly source: string;
  /** File name in assembler error messages and traces. */
  readonly file: string;
  readonly instructionSet: InstructionSet;
}

/** Bytes the kernel reads, placed at `address` before it runs. */
export interface InputRegion {
  readonly name: string;
  readonly address: Addr;
  readonly bytes: Uint8Array;
}

/**
 * Where the outputs are read back after the run, as one sequence of int32 values: the same
 * registers of every core (core 0's first), or consecutive words of memory.
 */
export type OutputLocation =
  | { readonly kind: 'registers'; readonly registers: readonly number[] }
  | { readonly kind: 'memory'; readonly address: Addr; readonly words: number };

/**
 * One kernel. Every function is pure and deterministic; `cores` is the number of cores that run
 * it (1 on a lone core). Methods, not function properties, so that an entry declared with its own
 * parameter type is a `KernelEntry` (method parameters are compared bivariantly).
 */
export interface KernelEntry<P extends KernelParams = KernelParams> {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** The most cores it can split its work over (the cluster has at most 16). */
  readonly maxCores: number;
  /** How the work is divided between cores. */
  readonly split: string;
  generate(params: P): KernelProgram;
  inputs(params: P, cores: number, seed: number): readonly InputRegion[];
  /** The expected outputs, in the order `outputs` reads them back, computed from the input bytes. */
  golden(params: P, cores: number, inputs: readonly InputRegion[]): Int32Array;
  outputs(params: P, cores: number): OutputLocation;
  /** Parameterizations the test suite runs on one core and on the cluster, against the golden model. */
  readonly checked: readonly P[];
}

/** The input region called `name` (a golden model reads its inputs by name). */
export function inputRegion(inputs: readonly InputRegion[], name: string): InputRegion {
  const region = inputs.find((r) => r.name === name);
  if (!region) throw new Error(`kernel input '${name}' is missing (inputs: ${inputs.map((r) => r.name).join(', ')})`);
  return region;
}
