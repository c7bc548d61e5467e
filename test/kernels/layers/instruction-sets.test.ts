// The dense and sparse layer kernels run on a plain CV32E40P: their programs assemble with the
// table without the Xnmsparse gathers, for every layer kind their registered generators implement
// and every N:M pattern. The programs of both Xnmsparse revisions do not (the check can fail), and
// each revision's generator serves every prunable kind.
import { describe, expect, it } from 'vitest';
import { CV32E40P_TABLE } from '../../../isa/table.js';
import { patterns } from '../../../isa/xnmsparse/gather.js';
import { assemble } from '../../../sw/asm/assembler.js';
import { type LayerProgram, layerProgram } from '../../../sw/kernels/layers/program.js';
import { generatorFor } from '../../../sw/kernels/layers/registry.js';
import { randomLayerData } from '../../../sw/layers/data.js';
import { LAYER_KINDS, type LayerKind, type LayerSpec, NO_PADDING, type Variant, variantApplies } from '../../../sw/layers/spec.js';

const SAME = { top: 1, bottom: 1, left: 1, right: 1 };
const common = { inputSigned: false, output: 'uint8', relu: true, stride: 1, pad: NO_PADDING } as const;

/** One small layer of each kind (the 3x3 convolution in both im2col-friendly and window-friendly shapes). */
const LAYERS: Readonly<Record<LayerKind, readonly LayerSpec[]>> = {
  conv: [
    { ...common, name: 'conv-cin6', kind: 'conv', inH: 5, inW: 5, inC: 6, outC: 5, kH: 3, kW: 3, pad: SAME },
    { ...common, name: 'conv-cin64', kind: 'conv', inH: 4, inW: 4, inC: 64, outC: 4, kH: 3, kW: 3, stride: 2, pad: SAME },
  ],
  pointwise: [{ ...common, name: 'pw', kind: 'pointwise', inH: 3, inW: 3, inC: 20, outC: 6, kH: 1, kW: 1 }],
  dw: [{ ...common, name: 'dw', kind: 'dw', inH: 5, inW: 5, inC: 8, outC: 8, kH: 3, kW: 3, pad: SAME }],
  fc: [{ ...common, name: 'fc', kind: 'fc', inH: 1, inW: 1, inC: 48, outC: 10, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false }],
  matmul: [{ ...common, name: 'matmul', kind: 'matmul', inH: 5, inW: 1, inC: 40, outC: 6, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false }],
};

/** Every program of `variant` over the layer kinds and patterns it applies to, on 1 and 8 cores. */
function programs(variant: Variant): LayerProgram[] {
  const result: LayerProgram[] = [];
  for (const kind of LAYER_KINDS) {
    for (const spec of LAYERS[kind].filter((s) => variantApplies(s, variant))) {
      for (const pattern of variant === 'dense' ? [undefined] : patterns) {
        for (const cores of [1, 8]) result.push(layerProgram(randomLayerData(spec, 1, pattern), variant, pattern, cores));
      }
    }
  }
  return result;
}

const assemblePlain = (program: LayerProgram): unknown => assemble(program.source, { table: CV32E40P_TABLE, file: program.file });

describe('instruction sets of the layer kernels', () => {
  for (const variant of ['dense', 'sparse'] as const) {
    it(`${variant}: a registered generator for every kind it applies to, whose programs need no Xnmsparse instruction`, () => {
      for (const kind of LAYER_KINDS) {
        for (const spec of LAYERS[kind].filter((s) => variantApplies(s, variant))) expect(generatorFor(spec, variant).instructionSet).toBe('cv32e40p');
      }
      for (const program of programs(variant)) expect(() => assemblePlain(program), program.file).not.toThrow();
    });
  }

  for (const [variant, mnemonic] of [
    ['xnmsparse', /nm\.m(ul|ac)4/],
    ['xnmsparse-v1', /nm\.lg/],
  ] as const) {
    it(`${variant}: a registered generator for every kind it applies to, whose programs do not assemble without the extension`, () => {
      for (const kind of LAYER_KINDS) {
        for (const spec of LAYERS[kind].filter((s) => variantApplies(s, variant))) expect(generatorFor(spec, variant).instructionSet).toBe('cv32e40p+xnmsparse');
      }
      const spec = LAYERS.pointwise[0]!;
      const program = layerProgram(randomLayerData(spec, 1, { n: 1, m: 8 }), variant, { n: 1, m: 8 }, 1);
      expect(program.instructionSet).toBe('cv32e40p+xnmsparse');
      expect(() => assemblePlain(program)).toThrow(mnemonic);
    });
  }
});
