/** Helpers for the ONNX front end's tests: running models with onnxruntime, random inputs. */
import * as ort from 'onnxruntime-web';

// One thread: the machine's cores are shared, and the wasm worker threads would outlive a test.
ort.env.wasm.numThreads = 1;
import { Random } from '../../util/random.js';
import type { Graph } from '../../sw/onnx/graph.js';
import { uniformTensor } from '../../sw/onnx/zoo/weights.js';

/** Runs `bytes` on one float input and returns every output by name. */
export async function runOnnx(bytes: Uint8Array, inputs: Record<string, { dims: readonly number[]; data: Float32Array }>): Promise<Map<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, value] of Object.entries(inputs)) feeds[name] = new ort.Tensor('float32', value.data, [...value.dims]);
  const results = await session.run(feeds);
  await session.release();
  return new Map(Object.entries(results).map(([name, tensor]) => [name, tensor.data as Float32Array]));
}

export function randomInput(graph: Graph, seed: number): Record<string, { dims: readonly number[]; data: Float32Array }> {
  const random = new Random(seed);
  return Object.fromEntries(graph.inputs.map((input) => [input.name, { dims: input.dims, data: uniformTensor(random, input.dims, -1, 1).data as Float32Array }]));
}

export function opCounts(graph: Graph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of graph.nodes) counts[node.op] = (counts[node.op] ?? 0) + 1;
  return counts;
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
