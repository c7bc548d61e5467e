/**
 * The per-node table of a network run (`nmsparse run`, `bench networks`): what each node is, the
 * kernel that computed it, its cycles, its multiply-accumulates per cycle, the cycles the cores
 * waited for the DMA and lost to its bank traffic, and its share of the whole inference.
 */
import { patternName } from '../../isa/xnmsparse/gather.js';
import { denseMacs } from '../layers/spec.js';
import type { CompiledNetwork } from './compile/compile.js';
import type { Implementation } from './compile/layer-tiles.js';
import type { NetNode } from './graph.js';
import type { NetworkRun } from './run.js';

export interface LayerRow {
  readonly name: string;
  /** conv, pointwise, dw, fc, matmul (the layer kinds), or the operator: add, maxpool, ... */
  readonly op: string;
  /** Output tensor, HxWxC. */
  readonly shape: string;
  /** dense, sparse, xnmsparse (with `nm`), or the operator's own kernel. */
  readonly variant: string;
  /** The variant and pattern in one name ("sparse 1:8"), or the operator. */
  readonly kernel: string;
  readonly nm: string;
  readonly tiles: number;
  readonly cycles: number;
  /** Dense-equivalent multiply-accumulates (0 for operators without any). */
  readonly macs: number;
  readonly macPerCycle: number;
  readonly dmaWait: number;
  readonly dmaWaitPercent: number;
  readonly dmaContention: number;
  readonly percentOfTotal: number;
}

/** A node as the tables name it: a layer by its kind (conv, fc, ...), an operator by itself. */
export const opOf = (node: NetNode): string => (node.op === 'layer' ? node.spec.kind : node.op);

/** The kernel that computes a node: the layer's variant and pattern ("sparse 1:8"), or the operator's own. */
export const kernelOf = (node: NetNode, implementation: Implementation | undefined): string =>
  implementation ? `${implementation.variant}${implementation.pattern ? ` ${patternName(implementation.pattern)}` : ''}` : node.op;

export function layerRows(compiled: CompiledNetwork, run: NetworkRun): LayerRow[] {
  return compiled.nodes.map((compiledNode, i) => {
    const { node } = compiledNode;
    const measured = run.nodes[i]!;
    const output = compiled.network.tensors.get(node.output)!.shape;
    const macs = node.op === 'layer' ? denseMacs(node.spec) : 0;
    const impl = compiledNode.implementation;
    return {
      name: node.name,
      op: opOf(node),
      shape: `${output.h}x${output.w}x${output.c}`,
      variant: impl?.variant ?? node.op,
      kernel: kernelOf(node, impl),
      nm: impl?.pattern ? patternName(impl.pattern) : 'dense',
      tiles: compiledNode.tiling.tiles,
      cycles: measured.cycles,
      macs,
      macPerCycle: measured.cycles === 0 ? 0 : macs / measured.cycles,
      dmaWait: Math.round(measured.dmaWait),
      dmaWaitPercent: measured.cycles === 0 ? 0 : (100 * measured.dmaWait) / measured.cycles,
      dmaContention: Math.round(measured.dmaContention),
      percentOfTotal: (100 * measured.cycles) / run.cycles,
    };
  });
}
