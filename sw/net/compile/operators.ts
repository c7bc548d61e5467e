/**
 * Each node of the integer network as tiles: multiply-accumulate layers by layer-tiles.ts with
 * the kernel the options pick, the other operators by op-tiles.ts with their kernels
 * (sw/kernels/ops/).
 */
import { geluCode, geluTableImage } from '../../kernels/ops/gelu.js';
import { layerNormCode, layerNormParameterImage } from '../../kernels/ops/layernorm.js';
import { softmaxCode, softmaxScratchBytes } from '../../kernels/ops/softmax.js';
import { transposeCode } from '../../kernels/ops/transpose.js';
import type { PoolSpec } from '../../layers/pool.js';
import { addCode } from '../../kernels/ops/add.js';
import { avgPoolCode } from '../../kernels/ops/avg-pool.js';
import { maxPoolCode } from '../../kernels/ops/max-pool.js';
import type { PoolAddresses } from '../../kernels/ops/pool-windows.js';
import type { LayerNode, NetNode, NetTensor, Network } from '../graph.js';
import { type Implementation, type TiledLayer, type TilingContext, tileLayer } from './layer-tiles.js';
import { type RowOperator, tensorOf, tilePool, tileRows, tileTranspose } from './op-tiles.js';

export interface TiledNode extends TiledLayer {
  readonly implementation: Implementation | undefined;
}

export function tileNode(network: Network, node: NetNode, implementation: (node: LayerNode) => Implementation, context: TilingContext): TiledNode {
  const cores = context.cores;
  if (node.op === 'layer') {
    const chosen = implementation(node);
    return { implementation: chosen, ...tileLayer(node, chosen, context) };
  }
  const output = tensorOf(network, node.output);
  const cols = output.shape.c;
  /** A row operator's tiles: its inputs, table or parameters, scratch, and code at a tile's addresses. */
  const rows = (operator: Omit<RowOperator, 'node' | 'output'>): TiledNode => ({ implementation: undefined, ...tileRows({ node, output, ...operator }, context) });
  const single = (name: string): NetTensor[] => [tensorOf(network, name)];
  switch (node.op) {
    case 'softmax':
      return rows({
        inputs: single(node.input),
        scratchPerCore: softmaxScratchBytes(cols),
        code: (count, plan) => softmaxCode(node.params, { rows: count, cols }, { input: plan.inputs[0]!, output: plan.output, scratch: plan.scratch }, cores),
      });
    case 'layernorm':
      return rows({
        inputs: single(node.input),
        constant: layerNormParameterImage(node.params),
        code: (count, plan) => layerNormCode(node.params, { rows: count, cols }, { input: plan.inputs[0]!, output: plan.output, parameters: plan.constant }, cores),
      });
    case 'gelu':
      return rows({
        inputs: single(node.input),
        constant: geluTableImage(node.params),
        code: (count, plan) => geluCode({ rows: count, cols }, { input: plan.inputs[0]!, output: plan.output, table: plan.constant }, cores),
      });
    case 'add': {
      const [a, b] = node.inputs.map((name) => tensorOf(network, name)) as [NetTensor, NetTensor];
      return rows({
        inputs: [a, b],
        code: (count, plan) => addCode({ count: count * cols, signedA: a.signed, signedB: b.signed, scale: node.scale }, { a: plan.inputs[0]!, b: plan.inputs[1]!, output: plan.output }, cores),
      });
    }
    case 'transpose':
      return {
        implementation: undefined,
        ...tileTranspose(node, tensorOf(network, node.input), output, (rows, cols, plan) => transposeCode({ rows, cols }, plan, cores), context),
      };
    case 'maxpool':
    case 'avgpool': {
      const pooling = { node, input: tensorOf(network, node.input), output, window: node.window };
      const code = node.op === 'maxpool'
        ? (spec: PoolSpec, plan: PoolAddresses) => maxPoolCode(spec, plan, cores)
        : (spec: PoolSpec, plan: PoolAddresses) => avgPoolCode(spec, node.scale, plan, cores);
      return { implementation: undefined, ...tilePool({ ...pooling, code }, context) };
    }
  }
}
