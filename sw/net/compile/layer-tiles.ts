/**
 * Tiling a multiply-accumulate layer (docs/compiler.md#tiles): output rows in blocks of R, output
 * channels in groups of G, group by group so a group's weights stay in L1 while its row blocks pass.
 * Each tile is a layer of its own for the kernel generators (sw/kernels/layers): its input rows
 * (with the padding only the edge tiles have), the group's weights and quantization, its output.
 * Two buffer sets alternate between tiles, so the DMA fills one while the cores compute on the
 * other; the cores' im2col scratch is shared. The cost model (cost.ts) picks R and G.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerData } from '../../layers/data.js';
import { type LayerSpec, LayerSpecError, type Variant, outputHeight, outputWidth, reductionLength } from '../../layers/spec.js';
import type { VariantGenerator } from '../../kernels/layers/generator.js';
import { generatorFor } from '../../kernels/layers/registry.js';
import { wordsToBytes } from '../../kernels/words.js';
import type { LayerNode } from '../graph.js';
import type { ConstantPool } from './constants.js';
import { type DmaModel, KERNEL_OVERHEAD, TILE_OVERHEAD, transferCycles } from './cost.js';
import { type Fill, type L1Range, type Tile, type Transfer, align4, contiguous } from './tile.js';

export interface TilingContext {
  readonly cores: number;
  /** The part of L1 the network's tiles use. */
  readonly l1: L1Range;
  readonly dma: DmaModel;
  readonly constants: ConstantPool;
}

/** How a layer is computed: its kernel variant and, for the sparse ones, the N:M pattern of its weights. */
export interface Implementation {
  readonly variant: Variant;
  readonly pattern: SparsityPattern | undefined;
}

/** What the tiler chose, for the layer table. */
export interface TilingSummary {
  readonly rowsPerTile: number;
  readonly channelsPerGroup: number;
  readonly tiles: number;
  /** L1 bytes the layer's buffers take. */
  readonly l1Bytes: number;
  readonly estimate: Cycles;
}

export interface TiledLayer {
  readonly tiles: readonly Tile[];
  readonly summary: TilingSummary;
  /** Bytes of the weight images (values and indices) and of the quantization tables. */
  readonly weightBytes: number;
}

interface Geometry {
  readonly spec: LayerSpec;
  /** The first input row the tile reads. */
  readonly inRow: number;
}

/** The tile computing output rows [o0, o1) and channels [c0, c1): its own layer spec and where its input starts. */
function tileGeometry(layer: LayerSpec, o0: number, o1: number, c0: number, c1: number): Geometry {
  const first = o0 * layer.stride - layer.pad.top;
  const last = (o1 - 1) * layer.stride - layer.pad.top + layer.kH - 1;
  const inRow = Math.max(0, first);
  const inRows = Math.min(layer.inH - 1, last) - inRow + 1;
  const channels = c1 - c0;
  const spec: LayerSpec = {
    ...layer,
    inH: inRows,
    inC: layer.kind === 'dw' ? channels : layer.inC,
    outC: channels,
    pad: { ...layer.pad, top: Math.max(0, -first), bottom: Math.max(0, last - (layer.inH - 1)) },
  };
  if (outputHeight(spec) !== o1 - o0) throw new Error(`layer '${layer.name}': tile rows ${o0}..${o1} came out ${outputHeight(spec)} rows`);
  return { spec, inRow };
}

/** Ranges [start, end) of `size` items in blocks of `block`. */
function blocks(count: number, block: number): [number, number][] {
  return Array.from({ length: Math.ceil(count / block) }, (_, i) => [i * block, Math.min(count, (i + 1) * block)]);
}

/** Channel group sizes worth trying: all channels, then halves, in multiples of the kernels' 4-channel block. */
function groupCandidates(outC: number): number[] {
  const sizes = new Set<number>([outC]);
  for (let g = outC; g > 4; ) {
    g = Math.max(4, Math.ceil(g / 2 / 4) * 4);
    sizes.add(g);
  }
  return [...sizes];
}

const quantizationBytes = (node: LayerNode, c0: number, c1: number): Uint8Array =>
  wordsToBytes(node.quantization.slice(c0, c1).flatMap((q) => [q.bias, q.shift, q.multiplier]));

function groupData(node: LayerNode, spec: LayerSpec, c0: number, c1: number): LayerData {
  const k = reductionLength(node.spec);
  return {
    spec,
    input: new Uint8Array(spec.inH * spec.inW * spec.inC),
    weights: node.weights.subarray(c0 * k, c1 * k),
    quantization: node.quantization.slice(c0, c1),
  };
}

interface Candidate {
  readonly rows: number;
  readonly group: number;
  readonly setBytes: number;
  readonly scratchBytes: number;
  readonly estimate: Cycles;
}

/** Byte sizes of one buffer set for tiles of `rows` output rows and `group` channels. */
function setSizes(node: LayerNode, rows: number, group: number, imageBytes: number): { input: number; output: number; weights: number; quantization: number } {
  const layer = node.spec;
  const inRows = Math.min(layer.inH, (rows - 1) * layer.stride + layer.kH);
  return {
    input: align4(inRows * layer.inW * (layer.kind === 'dw' ? group : layer.inC)),
    output: align4(rows * outputWidth(layer) * group),
    weights: align4(imageBytes),
    quantization: group * 12,
  };
}

function evaluate(node: LayerNode, impl: Implementation, generator: VariantGenerator, context: TilingContext, rows: number, group: number, imageBytes: number): Candidate | undefined {
  const layer = node.spec;
  const outH = outputHeight(layer);
  const sizes = setSizes(node, rows, group, imageBytes);
  const setBytes = sizes.input + sizes.output + sizes.weights + sizes.quantization;
  const rowTiles = blocks(outH, rows);
  const groups = blocks(layer.outC, group);
  const sets = rowTiles.length * groups.length > 1 ? 2 : 1;
  const left = context.l1.bytes - sets * setBytes;
  if (left < 0) return undefined;
  const budget = Math.floor(left / context.cores / 4) * 4;
  // The distinct tile shapes: first, middle and last row block, of a full and of the last group.
  const shapes = new Map<string, { geometry: Geometry; count: number }>();
  for (const [c0, c1] of [groups[0]!, groups.at(-1)!]) {
    for (const [o0, o1] of [rowTiles[0]!, rowTiles[1] ?? rowTiles[0]!, rowTiles.at(-1)!]) {
      const geometry = tileGeometry(layer, o0, o1, c0, c1);
      shapes.set(JSON.stringify(geometry.spec), { geometry, count: 0 });
    }
  }
  let scratchBytes = 0;
  let compute = 0;
  try {
    for (const shape of shapes.values()) {
      const scratch = generator.scratchBytes(shape.geometry.spec, impl.pattern, budget);
      scratchBytes = Math.max(scratchBytes, scratch);
      shape.count = 1;
      compute = Math.max(compute, generator.bound(shape.geometry.spec, impl.pattern, context.cores, scratch) * KERNEL_OVERHEAD);
    }
  } catch (error) {
    if (error instanceof LayerSpecError) return undefined;
    throw error;
  }
  // Every tile brings its input rows; a group's weights come twice (once per buffer set) or once.
  const tiles = rowTiles.length * groups.length;
  const inputFill = transferCycles(sizes.input, context.dma);
  const weightFill = transferCycles(sizes.weights + sizes.quantization, context.dma);
  const weightLoads = groups.length * Math.min(sets, rowTiles.length);
  const drain = transferCycles(sizes.output, context.dma);
  const perTile = Math.max(compute + TILE_OVERHEAD, inputFill + drain + (weightFill * weightLoads) / tiles);
  return { rows, group, setBytes, scratchBytes, estimate: Math.round(inputFill + weightFill + tiles * perTile) };
}

/** The cheapest tiling of the layer that fits, and its tiles. */
export function tileLayer(node: LayerNode, impl: Implementation, context: TilingContext): TiledLayer {
  const layer = node.spec;
  const generator = generatorFor(layer, impl.variant);
  const outH = outputHeight(layer);
  const outW = outputWidth(layer);
  const imageBytes = new Map<number, number>();
  const imageOf = (group: number): number => {
    let bytes = imageBytes.get(group);
    if (bytes === undefined) {
      const spec = tileGeometry(layer, 0, 1, 0, group).spec;
      bytes = generator.weightImage(groupData(node, spec, 0, group), impl.pattern).bytes.length;
      imageBytes.set(group, bytes);
    }
    return bytes;
  };
  let best: Candidate | undefined;
  for (const group of groupCandidates(layer.outC)) {
    for (let rows = outH; rows >= 1; rows--) {
      const candidate = evaluate(node, impl, generator, context, rows, group, imageOf(group));
      if (candidate && (!best || candidate.estimate < best.estimate)) best = candidate;
    }
  }
  if (!best) {
    throw new LayerSpecError('tile', `layer '${layer.name}' (${impl.variant}): not even one output row of 4 channels fits the ${context.l1.bytes} bytes of L1: give the cluster more L1 (--l1)`);
  }
  const { rows, group, setBytes, scratchBytes } = best;
  const rowTiles = blocks(outH, rows);
  const groups = blocks(layer.outC, group);
  const scratch = context.l1.start + (rowTiles.length * groups.length > 1 ? 2 : 1) * setBytes;
  const tiles: Tile[] = [];
  let weightBytes = 0;
  for (const [c0, c1] of groups) {
    const groupSpec = tileGeometry(layer, 0, 1, c0, c1).spec;
    const image = generator.weightImage(groupData(node, groupSpec, c0, c1), impl.pattern).bytes;
    const quantization = quantizationBytes(node, c0, c1);
    weightBytes += image.length + quantization.length;
    const imageBlob = context.constants.add(node.name, `weights ${c0}..${c1 - 1}`, image);
    const quantizationBlob = context.constants.add(node.name, `quantization ${c0}..${c1 - 1}`, quantization);
    for (const [o0, o1] of rowTiles) {
      const { spec, inRow } = tileGeometry(layer, o0, o1, c0, c1);
      const sizes = setSizes(node, rows, group, image.length);
      const base = context.l1.start + (tiles.length % 2) * setBytes;
      const plan = {
        input: base,
        output: base + sizes.input,
        weights: base + sizes.input + sizes.output,
        quantization: base + sizes.input + sizes.output + sizes.weights,
        scratch,
        scratchBytes: generator.scratchBytes(spec, impl.pattern, scratchBytes),
      };
      const inputBytes = spec.inH * spec.inW * spec.inC;
      const inputOffset = inRow * layer.inW * layer.inC;
      const input: Transfer = layer.kind === 'dw' && spec.inC !== layer.inC
        ? { external: { kind: 'tensor', tensor: node.input, offset: inputOffset + c0 }, l1: plan.input, length: spec.inC, rows: spec.inH * spec.inW, externalStride: layer.inC, l1Stride: spec.inC }
        : contiguous({ kind: 'tensor', tensor: node.input, offset: inputOffset }, plan.input, inputBytes);
      const fills: Fill[] = [
        { ...input, content: `${node.input}@${inputOffset + (layer.kind === 'dw' ? c0 : 0)}:${inputBytes}` },
        { ...contiguous({ kind: 'constant', blob: imageBlob, offset: 0 }, plan.weights, image.length), content: `blob ${imageBlob}` },
        { ...contiguous({ kind: 'constant', blob: quantizationBlob, offset: 0 }, plan.quantization, quantization.length), content: `blob ${quantizationBlob}` },
      ];
      const outputOffset = o0 * outW * layer.outC + c0;
      const pixels = (o1 - o0) * outW;
      const drain: Transfer = spec.outC === layer.outC
        ? contiguous({ kind: 'tensor', tensor: node.output, offset: outputOffset }, plan.output, pixels * spec.outC)
        : { external: { kind: 'tensor', tensor: node.output, offset: outputOffset }, l1: plan.output, length: spec.outC, rows: pixels, externalStride: layer.outC, l1Stride: spec.outC };
      const data = groupData(node, spec, c0, c1);
      tiles.push({
        node: node.name,
        fills,
        scratch: [{ start: plan.output, bytes: pixels * spec.outC }, { start: scratch, bytes: plan.scratchBytes * context.cores }],
        code: {
          key: JSON.stringify({ variant: impl.variant, pattern: impl.pattern, spec: { ...spec, name: '' }, plan, cores: context.cores }),
          lines: () => generator.code({ data, pattern: impl.pattern, cores: context.cores, plan }),
        },
        drains: [drain],
      });
    }
  }
  return {
    tiles,
    weightBytes,
    summary: { rowsPerTile: rows, channelsPerGroup: group, tiles: tiles.length, l1Bytes: scratch - context.l1.start + scratchBytes * context.cores, estimate: best.estimate },
  };
}
