/**
 * What a variant of a layer kernel provides (docs/kernels.md): the weight image it reads, the
 * scratch memory each core needs, the per-core code, and the bound of its inner loop.
 * program.ts wraps the code into a whole self-contained program; registry.ts lists the variants.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Addr, Cycles } from '../../../isa/types.js';
import type { LayerData } from '../../layers/data.js';
import type { LayerKind, LayerSpec, Variant } from '../../layers/spec.js';
import type { InstructionSet } from '../kernel.js';

/** The weights as the kernel reads them from L1, and how many bytes are values and how many indices. */
export interface WeightImage {
  readonly bytes: Uint8Array;
  /** Bytes of weight values (dense: all of them, padding included). */
  readonly valueBytes: number;
  /** Bytes of sparse indices or offsets (0 for dense). */
  readonly indexBytes: number;
}

/** Where program.ts placed the layer's data in L1 (every address word-aligned). */
export interface LayerPlan {
  readonly input: Addr;
  readonly weights: Addr;
  /** Per output channel, three words: bias, shift, multiplier (sw/layers/requantize.ts). */
  readonly quantization: Addr;
  /** Core i's scratch starts at scratch + i * scratchBytes. */
  readonly scratch: Addr;
  readonly scratchBytes: number;
  /** Output tensor, HWC bytes. */
  readonly output: Addr;
}

export interface CodeContext {
  readonly data: LayerData;
  readonly pattern: SparsityPattern | undefined;
  readonly cores: number;
  readonly plan: LayerPlan;
}

/** The share of the work one core does (split.ts), for the bound and for the code. */
export interface VariantGenerator {
  readonly variant: Variant;
  /** The layer kinds it implements. */
  readonly kinds: readonly LayerKind[];
  readonly instructionSet: InstructionSet;
  weightImage(data: LayerData, pattern: SparsityPattern | undefined): WeightImage;
  /**
   * Scratch bytes per core (im2col buffers), a multiple of 4 and at most `budget` (what L1 leaves
   * per core once the tensors are placed): a kernel with a choice of pixels per pass takes the
   * most that fit, and code() derives the same choice from plan.scratchBytes. Throws a
   * LayerSpecError('tile', ...) when even its smallest buffers do not fit.
   */
  scratchBytes(spec: LayerSpec, pattern: SparsityPattern | undefined, budget: number): number;
  /**
   * Assembly lines of every core's work. They must define `core_0` .. `core_<cores-1>` (program.ts
   * jumps there with the core's hart id in a0), and every core must end with `j kernel_end`.
   * All registers but sp are free; nothing may be stored outside the output and the core's scratch.
   */
  code(context: CodeContext): string[];
  /**
   * Cycles of the whole layer if every core ran only its inner loops at their bound
   * (docs/kernels.md), for the split the code makes with `scratchBytes` of scratch per core.
   */
  bound(spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number, scratchBytes: number): Cycles;
}
