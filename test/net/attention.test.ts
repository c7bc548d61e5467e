// Attention as the compiler runs it: Q, K and V as token matmuls, each head a channel view of them,
// scores Q_h K_h^T with K_h read as the weights at run time, softmax, V_h transposed, P_h V_h
// written into its channel slice of one output (a concatenation without a copy); and a class
// token given as a constant view of the token matrix, the patch tokens written after it, a
// position embedding added from a constant. Every tensor bit-exact against the golden layers.
import { describe, expect, it } from 'vitest';
import { PULP_L1, PULP_L2 } from '../../isa/platform/memory-map.js';
import { goldenAdd } from '../../sw/layers/add.js';
import { type LayerData, randomLayerData } from '../../sw/layers/data.js';
import { goldenLayer } from '../../sw/layers/golden.js';
import { goldenSoftmax, softmaxParameters } from '../../sw/layers/softmax.js';
import type { LayerSpec } from '../../sw/layers/spec.js';
import { goldenTranspose } from '../../sw/layers/transpose.js';
import { compileNetwork } from '../../sw/net/compile/compile.js';
import type { NetNode, NetTensor, Network, TensorView } from '../../sw/net/graph.js';
import { runGolden } from '../../sw/net/golden.js';
import { runNetwork } from '../../sw/net/run.js';
import { extractTensor } from '../../sw/net/views.js';
import { Random } from '../../util/random.js';

const T = 9;
const D = 16;
const HEADS = 2;
const d = D / HEADS;
const none = { top: 0, bottom: 0, left: 0, right: 0 };

const matmul = (name: string, tokens: number, inC: number, outC: number, inputSigned: boolean, activationWeights = false): LayerSpec => ({
  name, kind: 'matmul', inH: tokens, inW: 1, inC, outC, kH: 1, kW: 1, stride: 1, pad: none, inputSigned, output: 'int8', relu: false, ...(activationWeights ? { activationWeights } : {}),
});

/** The channels [c0, c0 + c) of each of the rows of a row-major matrix of `width` bytes. */
function columns(bytes: Uint8Array, width: number, c0: number, c: number): Uint8Array {
  const rows = bytes.length / width;
  const out = new Uint8Array(rows * c);
  for (let r = 0; r < rows; r++) out.set(bytes.subarray(r * width + c0, r * width + c0 + c), r * c);
  return out;
}

describe('attention and the class token in a compiled network', () => {
  it('runs every head bit-exact on 1 and 8 cores', () => {
    const tensors = new Map<string, NetTensor>();
    const tensor = (name: string, h: number, c: number, signed: boolean, view?: TensorView): void => {
      tensors.set(name, { name, shape: { h, w: 1, c }, signed, scale: 1, ...(view ? { view } : {}) });
    };
    const nodes: NetNode[] = [];
    const golden = new Map<string, Uint8Array>();
    const layer = (data: LayerData, input: string, output: string, weightTensor?: string): void => {
      nodes.push({ op: 'layer', name: data.spec.name, input, output, spec: data.spec, weights: weightTensor ? new Int8Array(0) : data.weights, quantization: data.quantization, ...(weightTensor ? { weightTensor } : {}) });
      const weights = weightTensor ? new Int8Array(golden.get(weightTensor)!.buffer.slice(0)) : data.weights;
      golden.set(output, goldenLayer({ ...data, input: golden.get(input)!, weights }));
    };

    // Patch tokens after a constant class token, plus a constant position embedding.
    tensor('patches', T - 1, 8, false);
    tensor('tokens', T, D, true);
    tensor('cls', 1, D, true, { parent: 'tokens', pixelOffset: 0, channelOffset: 0 });
    tensor('embedded', T - 1, D, true, { parent: 'tokens', pixelOffset: 1, channelOffset: 0 });
    tensor('position', T, D, true);
    tensor('x', T, D, true);
    const random = new Random(7);
    const cls = random.fill(new Uint8Array(D));
    const position = random.fill(new Uint8Array(T * D));
    const embed = randomLayerData(matmul('embed', T - 1, 8, D, false), 1);
    golden.set('patches', embed.input);
    golden.set('cls', cls);
    layer(embed, 'patches', 'embedded');
    golden.set('tokens', new Uint8Array([...cls, ...golden.get('embedded')!]));
    const addScale = { multiplierA: 16384, multiplierB: 8192, shift: 15, outputType: 'int8' as const, relu: false };
    nodes.push({ op: 'add', name: 'position', inputs: ['tokens', 'position'], output: 'x', scale: addScale });
    golden.set('x', goldenAdd(addScale, { bytes: golden.get('tokens')!, signed: true }, { bytes: position, signed: true }));

    for (const which of ['q', 'k', 'v']) {
      tensor(which, T, D, true);
      layer(randomLayerData(matmul(which, T, D, D, true), which.charCodeAt(0)), 'x', which);
    }
    tensor('o', T, D, true);
    const softmax = softmaxParameters(0.05);
    const heads: Uint8Array[] = [];
    for (let h = 0; h < HEADS; h++) {
      for (const which of ['q', 'k', 'v']) {
        tensor(`${which}${h}`, T, d, true, { parent: which, pixelOffset: 0, channelOffset: h * d });
        golden.set(`${which}${h}`, columns(golden.get(which)!, D, h * d, d));
      }
      tensor(`s${h}`, T, T, true);
      layer(randomLayerData(matmul(`scores${h}`, T, d, T, true, true), 10 + h), `q${h}`, `s${h}`, `k${h}`);
      tensor(`p${h}`, T, T, false);
      nodes.push({ op: 'softmax', name: `softmax${h}`, input: `s${h}`, output: `p${h}`, params: softmax });
      golden.set(`p${h}`, goldenSoftmax(softmax, T, T, golden.get(`s${h}`)!));
      tensor(`vt${h}`, d, T, true);
      nodes.push({ op: 'transpose', name: `transpose${h}`, input: `v${h}`, output: `vt${h}` });
      golden.set(`vt${h}`, goldenTranspose(T, d, golden.get(`v${h}`)!));
      tensor(`o${h}`, T, d, true, { parent: 'o', pixelOffset: 0, channelOffset: h * d });
      layer(randomLayerData(matmul(`context${h}`, T, T, d, false, true), 20 + h), `p${h}`, `o${h}`, `vt${h}`);
      heads.push(golden.get(`o${h}`)!);
    }
    const network: Network = { name: 'attention', input: 'patches', outputs: ['o'], tensors, nodes, constants: new Map([['cls', cls], ['position', position]]) };
    for (const cores of [1, 8]) {
      const compiled = compileNetwork(network, golden.get('patches')!, { cores, implementation: () => ({ variant: 'dense', pattern: undefined }), l1: PULP_L1, l2: PULP_L2, l3: undefined, dma: { latency: 10, bandwidth: 8 }, keepTensors: true });
      const run = runNetwork(compiled);
      for (const name of ['tokens', 'x', 'q', 's0', 'p1', 'vt0', 'o0', 'o1']) expect(run.readTensor(name), `${name}, ${cores} cores`).toEqual(golden.get(name));
      const reference = runGolden(network, golden.get('patches')!);
      for (const name of tensors.keys()) expect(run.readTensor(name), `${name} against runGolden, ${cores} cores`).toEqual(reference.get(name) ?? extractTensor(network, name, reference.get(tensors.get(name)!.view!.parent)!));
      const o = run.readTensor('o');
      for (let h = 0; h < HEADS; h++) expect(columns(o, D, h * d, d)).toEqual(heads[h]);
    }
  });
});
