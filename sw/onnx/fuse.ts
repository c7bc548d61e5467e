/**
 * The fusions and rewrites after folding, in the order their patterns need: pass-through nodes
 * go first (they sit inside torch's patterns), Gelu and LayerNormalization before Sub and Div
 * are rewritten (both patterns contain them), BatchNormalization and Pad into their neighbours,
 * then the node-by-node canonical rewrites.
 */
import { canonicalize } from './canonicalize.js';
import { foldBatchNorms } from './fuse-batchnorm.js';
import { fuseGelu } from './fuse-gelu.js';
import { fuseLayerNorm } from './fuse-layernorm.js';
import { fusePads } from './fuse-pad.js';
import type { WorkGraph } from './model.js';

export function fuse(graph: WorkGraph): void {
  removePassThrough(graph);
  fuseGelu(graph);
  fuseLayerNorm(graph);
  foldBatchNorms(graph);
  fusePads(graph);
  canonicalize(graph);
}

/** Identity, inference-mode Dropout and a Cast to the type the value already has copy their input. */
function removePassThrough(graph: WorkGraph): void {
  for (const node of [...graph.nodes]) {
    const input = node.inputs[0] ?? '';
    const sameType = node.op === 'Cast' && graph.info(node, input).type === graph.info(node, node.outputs[0]!).type;
    if (node.op === 'Identity' || node.op === 'Dropout' || sameType) graph.bypass(node, node.outputs[0]!, input);
  }
}
