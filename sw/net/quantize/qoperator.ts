/**
 * A QOperator model (onnxruntime's quantize_static with QuantFormat.QOperator) rewritten into the
 * QDQ form that qdq.ts reads: each QLinear operator becomes DequantizeLinear on its quantized
 * inputs, the float operator, and QuantizeLinear of its output at its output scale; an operator
 * that moves quantized values without arithmetic (MaxPool, Flatten, Reshape, Relu on int8) gets the
 * same pair at its input's scale. Nothing is computed here: the QDQ reader and the lowering see the
 * model's own integers and scales.
 */
import type { AttributeValue, CanonicalOp, Graph, GraphNode, Tensor, ValueInfo } from '../../onnx/graph.js';
import { nodeError } from '../attributes.js';

/** Where each quantized operand of a QLinear operator is: its value, scale and zero point inputs. */
interface Operand {
  readonly value: number;
  readonly scale: number;
  readonly zeroPoint: number;
}

interface QLinearForm {
  readonly op: CanonicalOp;
  readonly operands: readonly Operand[];
  /** The output's scale and zero point inputs. */
  readonly output: Omit<Operand, 'value'>;
  /** The int32 bias input (scale: first operand's times second's). */
  readonly bias?: number;
  /** Attributes the QLinear form adds to the float operator's. */
  readonly drop?: readonly string[];
}

const QLINEAR: Partial<Record<CanonicalOp, QLinearForm>> = {
  QLinearConv: { op: 'Conv', operands: [{ value: 0, scale: 1, zeroPoint: 2 }, { value: 3, scale: 4, zeroPoint: 5 }], output: { scale: 6, zeroPoint: 7 }, bias: 8 },
  QLinearMatMul: { op: 'MatMul', operands: [{ value: 0, scale: 1, zeroPoint: 2 }, { value: 3, scale: 4, zeroPoint: 5 }], output: { scale: 6, zeroPoint: 7 } },
  QLinearAdd: { op: 'Add', operands: [{ value: 0, scale: 1, zeroPoint: 2 }, { value: 3, scale: 4, zeroPoint: 5 }], output: { scale: 6, zeroPoint: 7 } },
  QLinearAveragePool: { op: 'AveragePool', operands: [{ value: 0, scale: 1, zeroPoint: 2 }], output: { scale: 3, zeroPoint: 4 }, drop: ['channels_last'] },
  QLinearGlobalAveragePool: { op: 'GlobalAveragePool', operands: [{ value: 0, scale: 1, zeroPoint: 2 }], output: { scale: 3, zeroPoint: 4 }, drop: ['channels_last'] },
};

/** Operators that carry a quantized tensor through at its own scale and zero point. */
const PASS_THROUGH: ReadonlySet<CanonicalOp> = new Set<CanonicalOp>(['MaxPool', 'Flatten', 'Reshape', 'Relu']);

export function qOperatorToQdq(graph: Graph): Graph {
  const constants = new Map<string, Tensor>(graph.constants);
  const values = new Map<string, ValueInfo>(graph.values);
  const nodes: GraphNode[] = [];
  /** The scale and zero point constants of every quantized value. */
  const quantized = new Map<string, { scale: string; zeroPoint: string }>();
  const fail = (node: GraphNode, message: string): Error => nodeError(graph, node, message);
  const floatName = (value: string, node: GraphNode): string => `${value}/dequantized_for/${node.name}`;

  const dequantize = (node: GraphNode, value: string, scale: string, zeroPoint: string, axis?: number): string => {
    const output = floatName(value, node);
    const info = values.get(value) ?? (constants.get(value) && { name: value, type: constants.get(value)!.type, dims: constants.get(value)!.dims });
    if (!info) throw fail(node, `the shape of '${value}' is unknown`);
    values.set(output, { name: output, type: 'float32', dims: info.dims });
    const attributes = new Map<string, AttributeValue>(axis === undefined ? [] : [['axis', axis]]);
    nodes.push({ name: `${node.name}/dequantize_${value}`, op: 'DequantizeLinear', inputs: [value, scale, zeroPoint], outputs: [output], attributes });
    return output;
  };
  /** The float operator writes `${output}/float`, quantized into the node's own output name. */
  const requantize = (node: GraphNode, op: CanonicalOp, inputs: readonly string[], attributes: ReadonlyMap<string, AttributeValue>, scale: string, zeroPoint: string): void => {
    const output = node.outputs[0]!;
    const info = values.get(output);
    if (!info) throw fail(node, `the shape of '${output}' is unknown`);
    const float = `${output}/float`;
    values.set(float, { name: float, type: 'float32', dims: info.dims });
    nodes.push({ name: node.name, op, inputs, outputs: [float], attributes });
    nodes.push({ name: `${node.name}/quantize`, op: 'QuantizeLinear', inputs: [float, scale, zeroPoint], outputs: [output], attributes: new Map() });
    quantized.set(output, { scale, zeroPoint });
  };

  for (const node of graph.nodes) {
    const form = QLINEAR[node.op];
    if (form) {
      const inputs = form.operands.map((operand, i) => {
        const value = node.inputs[operand.value]!;
        // A constant second operand is a weight: per output channel along axis 0 (Conv) or 1 (MatMul's [K, N]).
        const axis = constants.has(value) && i === 1 ? (form.op === 'Conv' ? 0 : 1) : undefined;
        return dequantize(node, value, node.inputs[operand.scale]!, node.inputs[operand.zeroPoint]!, axis);
      });
      if (form.bias !== undefined && node.inputs[form.bias]) inputs.push(dequantizeBias(node, form));
      const attributes = new Map([...node.attributes].filter(([name]) => !form.drop?.includes(name)));
      if (node.attributes.get('channels_last')) throw fail(node, 'channels_last 1 is not supported (the graph is NCHW)');
      requantize(node, form.op, inputs, attributes, node.inputs[form.output.scale]!, node.inputs[form.output.zeroPoint]!);
      continue;
    }
    const source = quantized.get(node.inputs[0] ?? '');
    if (node.op === 'QuantizeLinear') quantized.set(node.outputs[0]!, { scale: node.inputs[1]!, zeroPoint: node.inputs[2] ?? '' });
    if (source && PASS_THROUGH.has(node.op)) {
      const input = dequantize(node, node.inputs[0]!, source.scale, source.zeroPoint);
      requantize(node, node.op, [input, ...node.inputs.slice(1)], node.attributes, source.scale, source.zeroPoint);
      continue;
    }
    const reads = node.op === 'DequantizeLinear' ? undefined : node.inputs.find((name) => quantized.has(name));
    if (reads) throw fail(node, `${node.op} of the quantized '${reads}' is not yet supported by the integer lowering`);
    nodes.push(node);
  }
  return { ...graph, nodes, constants, values };

  /** The int32 bias at the scale input scale x weight scale, which QLinearConv leaves implicit. */
  function dequantizeBias(node: GraphNode, form: QLinearForm): string {
    const [input, weight] = form.operands.map((o) => constants.get(node.inputs[o.scale]!));
    if (!input || !weight) throw fail(node, 'its scales must be constants');
    const scale = `${node.name}/bias_scale`;
    constants.set(scale, { type: 'float32', dims: [weight.data.length], data: Float32Array.from(weight.data, (w) => w * input.data[0]!) });
    return dequantize(node, node.inputs[form.bias!]!, scale, '', 0);
  }
}
