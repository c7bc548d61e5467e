// Every layer-kernel variant and every block kernel on one core, on the project's core (hw/core) and
// on the ISS in lockstep (issue 15, co-simulation): the retired instructions, their cycles, the
// register writes and the exit must agree exactly. The layer programs check themselves against the
// golden model (exit 0 when bit-exact). Small tiles, so each runs in a second or two of RTL
// simulation. xnmsparse runs on the core with the extension; xnmsparse-v1 and the block kernel of
// revision 1 use the gathers (nm.lg*, nm.lgc*), which the core does not implement: the ISS in
// strict-core mode refuses them, which this file checks too.
import { describe, expect, it } from 'vitest';
import { patternName, patterns, type SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { IllegalInstructionError } from '../../sim/core/errors.js';
import { loadProgram } from '../../sim/program.js';
import { instantiate } from '../../sw/kernels/instance.js';
import type { KernelEntry } from '../../sw/kernels/kernel.js';
import { layerProgram } from '../../sw/kernels/layers/program.js';
import { layerElf } from '../../sw/kernels/layers/run.js';
import { kernels } from '../../sw/kernels/registry.js';
import { randomLayerData } from '../../sw/layers/data.js';
import { type LayerSpec, NO_PADDING, type Variant } from '../../sw/layers/spec.js';
import { SPARSE_KERNEL_SHAPES } from '../kernels/layers/support.js';
import { expectLockstep, issLikeCore } from './support.js';

const layer = (name: string, shape: Omit<LayerSpec, 'name' | 'inputSigned' | 'output' | 'relu' | 'stride' | 'pad'> & Partial<LayerSpec>): LayerSpec => ({
  name, stride: 1, pad: NO_PADDING, inputSigned: false, output: 'uint8', relu: true, ...shape,
});

/**
 * One small tile per layer kind, the convolution with stride 2, uneven padding and Cin, Cout not
 * multiples of 4; then awkward shapes of the kernels' own tests (odd widths, a 2x5 kernel, passes).
 */
const SHAPES: readonly LayerSpec[] = [
  layer('conv', { kind: 'conv', inH: 5, inW: 5, inC: 5, outC: 5, kH: 3, kW: 3, stride: 2, pad: { top: 1, bottom: 0, left: 1, right: 1 } }),
  ...SPARSE_KERNEL_SHAPES.filter((spec) => ['conv-odd', 'conv-wide', 'conv-1x1-spatial', 'matmul-24-tokens'].includes(spec.name)),
  layer('pointwise', { kind: 'pointwise', inH: 3, inW: 3, inC: 12, outC: 6, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false }),
  layer('fc', { kind: 'fc', inH: 1, inW: 1, inC: 48, outC: 6, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false }),
  layer('matmul', { kind: 'matmul', inH: 3, inW: 1, inC: 24, outC: 6, kH: 1, kW: 1 }),
  layer('dw', { kind: 'dw', inH: 5, inW: 5, inC: 6, outC: 6, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } }),
];

/** Every sparsity for the first convolution, one of each N for the other shapes. */
const patternsFor = (spec: LayerSpec): readonly SparsityPattern[] => (spec.name === 'conv' ? patterns : [{ n: 1, m: 8 }, { n: 2, m: 4 }]);

interface LayerCase {
  readonly name: string;
  readonly spec: LayerSpec;
  readonly variant: Variant;
  readonly pattern: SparsityPattern | undefined;
}

const cases = (variant: Variant, kinds: readonly string[]): LayerCase[] =>
  SHAPES.filter((spec) => kinds.includes(spec.kind)).flatMap((spec) =>
    (variant === 'dense' ? [undefined] : patternsFor(spec)).map((pattern) => ({ name: `${variant} ${spec.name}${pattern ? ` ${patternName(pattern)}` : ''}`, spec, variant, pattern })),
  );

const ON_THE_CORE: readonly LayerCase[] = [
  ...cases('dense', ['conv', 'pointwise', 'fc', 'matmul', 'dw']),
  ...cases('sparse', ['conv', 'pointwise', 'fc', 'matmul']),
  ...cases('xnmsparse', ['conv', 'pointwise', 'fc', 'matmul']),
];

const elfOf = ({ spec, variant, pattern }: LayerCase): Uint8Array => layerElf(layerProgram(randomLayerData(spec, 7, pattern), variant, pattern, 1, { selfCheck: true }));

/** The instruction the ISS in strict-core mode stops at, or undefined when the program runs to its end. */
function refusedByStrictIss(elf: Uint8Array, extension: boolean): string | undefined {
  const { hart } = loadProgram(elf, issLikeCore(extension));
  try {
    hart.run(10_000_000);
  } catch (error) {
    if (error instanceof IllegalInstructionError) return error.detail;
    throw error;
  }
  return undefined;
}

describe('layer kernels on the core and on the ISS, in lockstep', () => {
  it.each(ON_THE_CORE.map((c) => [c.name, c] as const))('%s', { timeout: 60_000 }, (name, c) => {
    expectLockstep(elfOf(c), { extension: c.variant === 'xnmsparse', maxCycles: 5_000_000 }, name);
  });

  const delayedConvolutions = ON_THE_CORE.filter((c) => c.spec.name === 'conv' && c.pattern?.m !== 16);
  const underDelays = (variant: Variant) => () => {
    for (const c of delayedConvolutions.filter((d) => d.variant === variant)) {
      expectLockstep(elfOf(c), { extension: variant === 'xnmsparse', maxCycles: 5_000_000, grantDelay: { kind: 'random', seed: 5, max: 3 } }, `${c.name}, random grant delays`);
    }
  };
  it('agree under random data-grant delays (the convolution in every variant)', { timeout: 60_000 }, () => {
    for (const variant of ['dense', 'sparse', 'xnmsparse'] as const) underDelays(variant)();
  });

  it('xnmsparse-v1 is not for the core: it needs the revision-1 gathers', () => {
    for (const c of cases('xnmsparse-v1', ['conv', 'fc'])) {
      expect(refusedByStrictIss(elfOf(c), true), c.name).toMatch(/^nm\.lgc?\.[bh] \(Xnmsparse\) is not implemented by the project's core/);
    }
  });
});

describe('block kernels (sw/kernels/registry.ts) on the core and on the ISS, in lockstep', () => {
  const instances = (entry: KernelEntry) => entry.checked.map((params) => ({ name: `${entry.name} ${JSON.stringify(params)}`, instance: instantiate(entry, { params }) }));
  const needsGathers = (entry: KernelEntry): boolean => refusedByStrictIss(instances(entry)[0]!.instance.elf, true) !== undefined;
  const onCore = kernels.filter((entry) => !needsGathers(entry));

  it('every kernel but the revision-1 gather kernel runs on the core', () => {
    expect(kernels.filter(needsGathers).map((entry) => entry.name)).toEqual(['sparse-block-xnmsparse']);
  });

  it.each(onCore.flatMap(instances).map((c) => [c.name, c.instance] as const))('%s', { timeout: 60_000 }, (name, instance) => {
    expectLockstep(instance.elf, { extension: instance.entry.generate(instance.params).instructionSet !== 'cv32e40p', inputs: instance.inputs, maxCycles: 5_000_000 }, name);
  });
});
