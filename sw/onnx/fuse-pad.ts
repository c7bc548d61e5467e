/**
 * A Pad before a Conv or pool becomes that node's own padding: torch writes one for
 * nn.ZeroPad2d and for padding the pooling layers cannot express. Only zero (constant mode)
 * padding of the spatial axes qualifies; a MaxPool's padding reads as -infinity, which equals
 * zero padding only when its input is a Relu's output (never negative).
 */
import { constantOf, intsAttribute, stringAttribute, type WorkGraph, type WorkNode } from './model.js';
import { scalarOf } from './patterns.js';

export function fusePads(graph: WorkGraph): void {
  for (const pad of graph.nodes.filter((node) => node.op === 'Pad')) fuse(graph, pad);
}

function fuse(graph: WorkGraph, pad: WorkNode): void {
  const x = pad.inputs[0]!;
  const rank = graph.info(pad, x).dims.length;
  const mode = stringAttribute(pad, 'mode') ?? 'constant';
  if (mode !== 'constant') throw graph.nodeError(pad, `mode ${mode} is not supported: only constant (zero) padding before a Conv or pool`);
  if (pad.inputs[2] && scalarOf(graph, pad.inputs[2]) !== 0) throw graph.nodeError(pad, 'pads with a value other than 0; only zero padding is supported');
  const pads = padsOf(graph, pad, rank);
  if (pads.some((value) => value < 0)) throw graph.nodeError(pad, `negative pads [${pads.join(',')}] (cropping) are not supported`);
  if ([0, 1, rank, rank + 1].some((index) => pads[index] !== 0)) throw graph.nodeError(pad, `pads [${pads.join(',')}] the batch or channel axis; only spatial padding is supported`);
  const readers = graph.consumers(pad.outputs[0]!);
  const reader = readers.length === 1 ? readers[0] : undefined;
  if (reader === undefined || graph.isGraphOutput(pad.outputs[0]!) || !absorbs(graph, reader, x)) {
    throw graph.nodeError(pad, `is supported only before a single Conv, AveragePool, or MaxPool of a Relu output, into whose pads it folds; here it is read by ${readers.map((node) => `${node.op} '${node.name}'`).join(', ') || 'nothing'}`);
  }
  const spatial = rank - 2;
  const own = intsAttribute(reader, 'pads')!;
  const combined = own.map((value, i) => value + pads[i < spatial ? i + 2 : i + 4]!);
  const kernel = intsAttribute(reader, 'kernel_shape')!;
  // ONNX pools pad less than a window on each side (a window of padding alone has no value).
  if (reader.op !== 'Conv' && combined.some((value, i) => value >= kernel[i % spatial]!)) {
    throw graph.nodeError(pad, `pads [${pads.join(',')}] would give ${reader.op} '${reader.name}' pads [${combined.join(',')}], not all smaller than its kernel [${kernel.join(',')}]`);
  }
  reader.attributes.set('pads', combined);
  if (reader.op === 'AveragePool') reader.attributes.set('count_include_pad', 1);
  graph.bypass(pad, pad.outputs[0]!, x);
}

function padsOf(graph: WorkGraph, pad: WorkNode, rank: number): number[] {
  const pads = intsAttribute(pad, 'pads')?.slice() ?? Array.from(constantOf(graph, pad.inputs[1] ?? '')?.data ?? []);
  if (pad.inputs[3]) {
    // Opset 18's axes input: pads name only the listed axes.
    const axes = Array.from(constantOf(graph, pad.inputs[3])?.data ?? []).map((axis) => (axis < 0 ? axis + rank : axis));
    const full = new Array<number>(2 * rank).fill(0);
    axes.forEach((axis, i) => { full[axis] = pads[i]!; full[axis + rank] = pads[i + axes.length]!; });
    return full;
  }
  if (pads.length !== 2 * rank) throw graph.nodeError(pad, `pads [${pads.join(',')}] are not constant or not two per axis`);
  return pads;
}

/** Whether `reader` can take zero padding of its input `x` as its own. */
function absorbs(graph: WorkGraph, reader: WorkNode, x: string): boolean {
  switch (reader.op) {
    case 'Conv': return true;
    // Without count_include_pad the pool would divide border windows by fewer elements than the Pad's zeros make.
    case 'AveragePool': return intsAttribute(reader, 'pads')!.every((value) => value === 0) || reader.attributes.get('count_include_pad') === 1;
    case 'MaxPool': return graph.producer(x)?.op === 'Relu';
    default: return false;
  }
}
