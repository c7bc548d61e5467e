// What `nmsparse compile` and `nmsparse run` print: the layer table (text, or rows as JSON), the
// memory the program takes at each level, and a classifier's top five.
import { figuresAlign, formatTable } from '../../gen/text-table.js';
import type { CompiledNetwork } from '../../sw/net/compile/compile.js';
import type { LayerRow } from '../../sw/net/layer-table.js';

const HEADER = ['layer', 'op', 'output', 'kernel', 'tiles', 'cycles', 'MAC/cycle', 'DMA wait %', 'DMA bank cycles', '% of total'];

export function layerTable(rows: readonly LayerRow[]): string {
  const cells = rows.map((r) => [
    r.name,
    r.op,
    r.shape,
    r.kernel,
    String(r.tiles),
    String(r.cycles),
    r.macs === 0 ? '' : r.macPerCycle.toFixed(2),
    r.dmaWaitPercent.toFixed(1),
    String(r.dmaContention),
    r.percentOfTotal.toFixed(1),
  ]);
  const align = figuresAlign(HEADER);
  align[1] = 'left';
  align[2] = 'left';
  align[3] = 'left';
  return formatTable(HEADER, cells, align);
}

/** Bytes of each memory level: code and tables, activations at their peak, weights, the staging area. */
export interface MemorySummary {
  readonly codeBytes: number;
  readonly distinctTileCodes: number;
  readonly tiles: number;
  readonly peakActivationBytes: { readonly l2: number; readonly l3: number };
  readonly weightBytes: { readonly l2: number; readonly l3: number };
  /** L2 bytes where weights from L3 wait for their fill (two slots; 0: nothing staged). */
  readonly stagingBytes: number;
}

export function memorySummary(compiled: CompiledNetwork): MemorySummary {
  return {
    codeBytes: compiled.codeBytes,
    distinctTileCodes: compiled.codes,
    tiles: compiled.tiles.length,
    peakActivationBytes: compiled.memory.arena,
    weightBytes: compiled.memory.constantBytes,
    stagingBytes: 2 * compiled.schedule.stagingSlotBytes,
  };
}

export function memoryLines(summary: MemorySummary): string {
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  return [
    `code and tables  ${kib(summary.codeBytes)} in L2 (${summary.distinctTileCodes} distinct tile codes, ${summary.tiles} tiles)`,
    `activations      ${kib(summary.peakActivationBytes.l2)} in L2, ${kib(summary.peakActivationBytes.l3)} in L3 (peak, tensors sharing memory by lifetime)`,
    `weights          ${kib(summary.weightBytes.l2)} in L2, ${kib(summary.weightBytes.l3)} in L3 (values, indices and quantization)`,
    ...(summary.stagingBytes > 0 ? [`staging          ${kib(summary.stagingBytes)} in L2 (weights from L3 on their way to layers with one buffer set)`] : []),
  ].join('\n');
}

export interface Ranked {
  readonly index: number;
  readonly value: number;
}

/** The five largest values, largest first (ties: lower index first). */
export function topFive(values: Float32Array): Ranked[] {
  return Array.from(values, (value, index) => ({ index, value }))
    .sort((a, b) => b.value - a.value || a.index - b.index)
    .slice(0, 5);
}
