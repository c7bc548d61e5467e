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
import { quantizationImage } from '../../kernels/layers/requantize-asm.js';
import type { LayerNode, Network } from '../graph.js';
import { measureTile } from './measure.js';
import { partFill, partTransfer } from './regions.js';
import type { ConstantPool } from './constants.js';
import { type DmaModel, KERNEL_OVERHEAD, TILE_OVERHEAD, transferCycles } from './cost.js';
import { type Fill, type L1Range, type Tile, align4, contiguous } from './tile.js';
import { blocks, inputRowsFor, rowWindow } from './window.js';

export interface TilingContext {
  readonly network: Network;
  readonly cores: number;
  /** The part of L1 the network's tiles use. */
  readonly l1: L1Range;
  readonly dma: DmaModel;
  /** The DMA as weights see it: from L3 when the network's weights will not fit L2. */
  readonly weightDma: DmaModel;
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
  const rows = rowWindow(layer, o0, o1);
  const channels = c1 - c0;
  const spec: LayerSpec = {
    ...layer,
    inH: rows.inRows,
    inC: layer.kind === 'dw' ? channels : layer.inC,
    outC: channels,
    pad: { ...layer.pad, top: rows.padTop, bottom: rows.padBottom },
  };
  if (outputHeight(spec) !== o1 - o0) throw new Error(`layer '${layer.name}': tile rows ${o0}..${o1} came out ${outputHeight(spec)} rows`);
  return { spec, inRow: rows.inRow };
}

/** Channel group sizes worth trying: all channels, then halves, in multiples of the kernels' 4-channel block, then 2 and 1. */
function groupCandidates(outC: number): number[] {
  const sizes = new Set<number>([outC]);
  for (let g = outC; g > 4; ) {
    g = Math.max(4, Math.ceil(g / 2 / 4) * 4);
    sizes.add(g);
  }
  // Below a block: slow, but what fits when a wide window's im2col leaves room for little else.
  for (const g of [2, 1]) if (g < outC) sizes.add(g);
  return [...sizes];
}

/**
 * The group's layer data as the generators take it. Weights read from a tensor at run time are
 * zeros here: they only size the image (rows of K bytes padded to whole words, the dense kernel's).
 */
function groupData(node: LayerNode, spec: LayerSpec, c0: number, c1: number): LayerData {
  const k = reductionLength(node.spec);
  return {
    spec,
    input: new Uint8Array(spec.inH * spec.inW * spec.inC),
    weights: node.weightTensor === undefined ? node.weights.subarray(c0 * k, c1 * k) : new Int8Array((c1 - c0) * k),
    quantization: node.quantization.slice(c0, c1),
  };
}

interface Candidate {
  readonly rows: number;
  readonly group: number;
  /** Buffer sets: 2 to overlap transfers with compute, 1 when two do not fit (no overlap). */
  readonly sets: 1 | 2;
  readonly setBytes: number;
  readonly scratchBytes: number;
  /** The most frequent tile shape (a middle row block of the first group) and its scratch per core. */
  readonly typical: { readonly spec: LayerSpec; readonly scratchBytes: number };
  /** The layer's cycles for a tile's compute (the bound's estimate, or a measurement). */
  readonly cyclesFor: (compute: Cycles) => Cycles;
  readonly estimate: Cycles;
}

/** How many group sizes' best tilings (by the bound) are measured on the cluster before one is chosen. */
const MEASURED_CANDIDATES = 5;

/** Byte sizes of one buffer set for tiles of `rows` output rows and `group` channels. */
function setSizes(node: LayerNode, rows: number, group: number, imageBytes: number): { input: number; output: number; weights: number; quantization: number } {
  const layer = node.spec;
  return {
    input: align4(inputRowsFor(layer, rows) * layer.inW * (layer.kind === 'dw' ? group : layer.inC)),
    output: align4(rows * outputWidth(layer) * group),
    weights: align4(imageBytes),
    quantization: group * 12,
  };
}

/** The tiles' distinct shapes: first, second and last row block, of the first and of the last group. */
function distinctShapes(layer: LayerSpec, rows: number, group: number): Geometry[] {
  const rowTiles = blocks(outputHeight(layer), rows);
  const groups = blocks(layer.outC, group);
  const shapes = new Map<string, Geometry>();
  for (const [c0, c1] of [groups[0]!, groups.at(-1)!]) {
    for (const [o0, o1] of [rowTiles[0]!, rowTiles[1] ?? rowTiles[0]!, rowTiles.at(-1)!]) {
      const geometry = tileGeometry(layer, o0, o1, c0, c1);
      shapes.set(JSON.stringify(geometry.spec), geometry);
    }
  }
  return [...shapes.values()];
}

function evaluate(node: LayerNode, impl: Implementation, generator: VariantGenerator, context: TilingContext, rows: number, group: number, sets: 1 | 2, imageBytes: number): Candidate | undefined {
  const layer = node.spec;
  const sizes = setSizes(node, rows, group, imageBytes);
  const setBytes = sizes.input + sizes.output + sizes.weights + sizes.quantization;
  const left = context.l1.bytes - sets * setBytes;
  if (left < 0) return undefined;
  const budget = Math.floor(left / context.cores / 4) * 4;
  let scratchBytes = 0;
  let compute = 0;
  const shapes = distinctShapes(layer, rows, group);
  try {
    for (const { spec } of shapes) {
      const scratch = generator.scratchBytes(spec, impl.pattern, budget);
      if (scratch > budget) return undefined;
      scratchBytes = Math.max(scratchBytes, scratch);
      compute = Math.max(compute, generator.bound(spec, impl.pattern, context.cores, scratch) * KERNEL_OVERHEAD);
    }
  } catch (error) {
    if (error instanceof LayerSpecError) return undefined;
    throw error;
  }
  // Every tile brings its input rows; a group's weights come once per buffer set it uses.
  const rowTiles = Math.ceil(outputHeight(layer) / rows);
  const groups = Math.ceil(layer.outC / group);
  const tiles = rowTiles * groups;
  const inputFill = transferCycles(sizes.input, context.dma);
  const weightFill = transferCycles(sizes.weights + sizes.quantization, context.weightDma);
  const groupFills = (groups * Math.min(sets, rowTiles)) / tiles;
  const transfers = inputFill + transferCycles(sizes.output, context.dma) + weightFill * groupFills;
  // One set: the tile waits for its fills, but weights from L3 are staged through L2 while the
  // tile before computes (schedule.ts), so the tile waits for L2's copy, and for L3 only where
  // its copy takes longer than a tile.
  const stagedTransfers = transfers + (transferCycles(sizes.weights + sizes.quantization, context.dma) - weightFill) * groupFills;
  const oneSet = (tile: Cycles): Cycles => Math.max(tile + TILE_OVERHEAD + stagedTransfers, weightFill * groupFills);
  const cyclesFor = (tile: Cycles): Cycles => Math.round(inputFill + weightFill + tiles * (sets === 2 ? Math.max(tile + TILE_OVERHEAD, transfers) : oneSet(tile)));
  // Measured with the scratch buildTiles gives it: what its shape takes of the largest shape's.
  const typical = shapes[Math.min(1, shapes.length - 1)]!.spec;
  return { rows, group, sets, setBytes, scratchBytes, typical: { spec: typical, scratchBytes: generator.scratchBytes(typical, impl.pattern, scratchBytes) }, cyclesFor, estimate: cyclesFor(compute) };
}

/** Every tiling that fits, cheapest first (then fewer tiles, then fewer sets: the order is total). */
function candidates(node: LayerNode, impl: Implementation, generator: VariantGenerator, context: TilingContext): Candidate[] {
  const layer = node.spec;
  const outH = outputHeight(layer);
  const found: Candidate[] = [];
  for (const group of groupCandidates(layer.outC)) {
    // Sized on a tile of two rows: a one-row tile of a matmul is a single pixel, whose sparse image differs (buildTiles checks every tile's).
    const imageBytes = generator.weightImage(groupData(node, tileGeometry(layer, 0, Math.min(2, outH), 0, group).spec, 0, group), impl.pattern).bytes.length;
    for (let rows = outH; rows >= 1; rows--) {
      const single = rows === outH && group === layer.outC;
      for (const sets of single ? ([1] as const) : ([2, 1] as const)) {
        const candidate = evaluate(node, impl, generator, context, rows, group, sets, imageBytes);
        if (candidate) found.push(candidate);
      }
    }
  }
  const tiles = (c: Candidate): number => Math.ceil(outH / c.rows) * Math.ceil(layer.outC / c.group);
  return found.sort((a, b) => a.estimate - b.estimate || tiles(a) - tiles(b) || b.sets - a.sets || b.group - a.group);
}

/** The tiles of one candidate; throws a LayerSpecError when a kernel cannot generate one of them. */
function buildTiles(node: LayerNode, impl: Implementation, generator: VariantGenerator, context: TilingContext, choice: Candidate): TiledLayer {
  const layer = node.spec;
  const outW = outputWidth(layer);
  const { rows, group, setBytes, scratchBytes, sets } = choice;
  const scratch = context.l1.start + sets * setBytes;
  const tiles: Tile[] = [];
  const codes = new Map<string, readonly string[]>();
  let weightBytes = 0;
  const imageCapacity = setSizes(node, rows, group, 0);
  for (const [c0, c1] of blocks(layer.outC, group)) {
    const quantization = quantizationImage(node.quantization.slice(c0, c1));
    weightBytes += quantization.length;
    const quantizationBlob = context.constants.add(node.name, `quantization ${c0}..${c1 - 1}`, quantization);
    // A kernel's weight image may depend on the tile's shape (a sparse matmul's one-token tile):
    // each distinct image of the group is one blob.
    const images: { bytes: Uint8Array; blob: number | undefined }[] = [];
    const imageFor = (spec: LayerSpec): { bytes: Uint8Array; blob: number | undefined } => {
      const bytes = generator.weightImage(groupData(node, spec, c0, c1), impl.pattern).bytes;
      const known = images.find((i) => Buffer.from(i.bytes.buffer, i.bytes.byteOffset, i.bytes.length).equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)));
      if (known) return known;
      if (bytes.length > choice.setBytes - imageCapacity.input - imageCapacity.output - imageCapacity.quantization) {
        throw new LayerSpecError('tile', `layer '${layer.name}': a tile's weight image of ${bytes.length} bytes is larger than the tiling planned`);
      }
      const image = { bytes, blob: node.weightTensor === undefined ? context.constants.add(node.name, `weights ${c0}..${c1 - 1}${images.length > 0 ? ` (${images.length + 1})` : ''}`, bytes) : undefined };
      if (node.weightTensor === undefined) weightBytes += bytes.length;
      images.push(image);
      return image;
    };
    for (const [o0, o1] of blocks(outputHeight(layer), rows)) {
      const { spec, inRow } = tileGeometry(layer, o0, o1, c0, c1);
      const { bytes: image, blob: imageBlob } = imageFor(spec);
      const sizes = setSizes(node, rows, group, choice.setBytes - imageCapacity.input - imageCapacity.output - imageCapacity.quantization);
      const base = context.l1.start + (tiles.length % sets) * setBytes;
      const plan = {
        input: base,
        weights: base + sizes.input,
        quantization: base + sizes.input + sizes.weights,
        output: base + sizes.input + sizes.weights + sizes.quantization,
        scratch,
        scratchBytes: generator.scratchBytes(spec, impl.pattern, scratchBytes),
      };
      const k = reductionLength(layer);
      const weights: Fill = imageBlob === undefined
        // Rows of K bytes into the image's rows of whole words: the bytes between are never used,
        // since the activations' columns are zero there (im2col pads them).
        ? partFill(context.network, { tensor: node.weightTensor!, width: k, firstRow: c0, rows: c1 - c0, firstByte: 0, bytes: k }, plan.weights, image.length / (c1 - c0))
        : { ...contiguous({ kind: 'constant', blob: imageBlob, offset: 0 }, plan.weights, image.length), content: `blob ${imageBlob}` };
      const fills: Fill[] = [
        partFill(context.network, { tensor: node.input, width: layer.inC, firstRow: inRow * layer.inW, rows: spec.inH * spec.inW, firstByte: layer.kind === 'dw' ? c0 : 0, bytes: spec.inC }, plan.input),
        weights,
        { ...contiguous({ kind: 'constant', blob: quantizationBlob, offset: 0 }, plan.quantization, quantization.length), content: `blob ${quantizationBlob}` },
      ];
      const pixels = (o1 - o0) * outW;
      const drain = partTransfer(context.network, { tensor: node.output, width: layer.outC, firstRow: o0 * outW, rows: pixels, firstByte: c0, bytes: spec.outC }, plan.output);
      const key = JSON.stringify({ variant: impl.variant, pattern: impl.pattern, spec: { ...spec, name: '' }, plan, cores: context.cores });
      // Generated now, so that a kernel refusing the tile rules the candidate out.
      let lines = codes.get(key);
      if (!lines) {
        lines = generator.code({ data: groupData(node, spec, c0, c1), pattern: impl.pattern, cores: context.cores, plan });
        codes.set(key, lines);
      }
      const code = lines;
      tiles.push({
        node: node.name,
        fills,
        scratch: [{ start: plan.output, bytes: pixels * spec.outC }, { start: scratch, bytes: plan.scratchBytes * context.cores }],
        code: { key, lines: () => code },
        drains: [drain],
      });
    }
  }
  return {
    tiles,
    weightBytes,
    summary: { rowsPerTile: rows, channelsPerGroup: group, tiles: tiles.length, l1Bytes: scratch - context.l1.start + scratchBytes * context.cores, estimate: choice.estimate },
  };
}

/** The cheapest tiling of the layer that fits and that its kernel generates, and its tiles. */
export function tileLayer(node: LayerNode, impl: Implementation, context: TilingContext): TiledLayer {
  const generator = generatorFor(node.spec, impl.variant);
  if (node.weightTensor !== undefined && impl.variant !== 'dense') throw new LayerSpecError('variant', `layer '${node.spec.name}' multiplies two activations: dense only, not ${impl.variant}`);
  let refusal: LayerSpecError | undefined;
  const blobs = context.constants.blobs.length;
  const ranked = candidates(node, impl, generator, context);
  // The bound misses what a kernel spends outside its inner loops (filling its buffers, a pass per
  // group, requantizing), which differs between tilings: the best ones by the bound are measured.
  // The group size matters most to that (each group passes over the input again), so the best
  // tiling of each group size that its kernel generates is measured.
  const measured: Candidate[] = [];
  for (const c of ranked) {
    if (measured.length === MEASURED_CANDIDATES) break;
    if (measured.some((m) => m.group === c.group)) continue;
    try {
      measured.push({ ...c, estimate: c.cyclesFor(measureTile(generator, c.typical.spec, impl.pattern, context.cores, c.typical.scratchBytes)) });
    } catch (error) {
      if (!(error instanceof LayerSpecError)) throw error;
    }
  }
  measured.sort((a, b) => a.estimate - b.estimate);
  const tried = new Set(measured.map((m) => `${m.group} ${m.rows} ${m.sets}`));
  for (const choice of [...measured, ...ranked.filter((c) => !tried.has(`${c.group} ${c.rows} ${c.sets}`))]) {
    try {
      return buildTiles(node, impl, generator, context, choice);
    } catch (error) {
      if (!(error instanceof LayerSpecError)) throw error;
      context.constants.truncate(blobs);
      refusal ??= error;
    }
  }
  throw new LayerSpecError('tile', `layer '${node.spec.name}' (${impl.variant}): no tiling fits the ${context.l1.bytes} bytes of L1${refusal ? ` (${refusal.message})` : ''}: give the cluster more L1 (--l1)`);
}
