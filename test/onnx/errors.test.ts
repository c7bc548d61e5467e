/** Every model the front end refuses gives an OnnxError naming the file and, for a node, its name and op. */
import { describe, expect, test } from 'vitest';
import { OnnxBuilder } from '../../sw/onnx/builder.js';
import { OnnxError } from '../../sw/onnx/errors.js';
import { onnx } from '../../sw/onnx/proto.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { makeTensor } from '../../sw/onnx/tensor.js';
import { encodeModel } from '../../sw/onnx/write.js';
import { normalTensor } from '../../sw/onnx/zoo/weights.js';
import { smallResNetOnnx } from '../../sw/onnx/zoo/resnet.js';
import { smallVitOnnx } from '../../sw/onnx/zoo/vit.js';
import { Random } from '../../util/random.js';

function expectError(bytes: Uint8Array, message: RegExp): void {
  let thrown: unknown;
  try {
    readOnnx(bytes, 'model.onnx');
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OnnxError);
  expect((thrown as Error).message).toMatch(/^model\.onnx: /);
  expect((thrown as Error).message).toMatch(message);
}

/** input [batch, 2, 6, 6] -> f -> output. */
function model(f: (b: OnnxBuilder, x: string) => string, dims: (number | string)[] = ['batch', 2, 6, 6], opset = 13): Uint8Array {
  const b = new OnnxBuilder(opset);
  const x = b.input('input', 'float32', dims);
  b.output(f(b, x));
  return b.toBytes();
}

const weight = (b: OnnxBuilder): string => b.initializer('w', normalTensor(new Random(1), [3, 2, 3, 3], 1));

describe('unreadable files', () => {
  const bytes = smallResNetOnnx(1);

  test('truncated', () => expectError(bytes.subarray(0, bytes.length - 100), /is not a readable ONNX file \(protobuf decoding failed: .*\); is it truncated or not an \.onnx model\?/));
  test('garbage', () => expectError(new TextEncoder().encode('this is not protobuf, just text \u00ff\u00fe'), /is not a readable ONNX file/));
  test('empty', () => expectError(new Uint8Array(), /holds no graph with nodes/));

  test('corrupted nodes: read, or refused with an OnnxError naming the file', () => {
    const vit = smallVitOnnx(1);
    // protobufjs writes a graph's nodes before its initializers: the first bytes are op types, names and attributes.
    const weightBytes = onnx.ModelProto.decode(vit).graph!.initializer!.reduce((sum, tensor) => sum + (tensor.rawData?.length ?? 0), 0);
    const nodeBytes = vit.length - weightBytes;
    const random = new Random(12);
    for (let trial = 0; trial < 500; trial++) {
      const corrupted = vit.slice();
      for (let flips = 0; flips < 2; flips++) corrupted[random.below(nodeBytes)] = random.uint32() & 0xff;
      try {
        readOnnx(corrupted, 'model.onnx');
      } catch (error) {
        expect(error).toBeInstanceOf(OnnxError);
        expect((error as Error).message).toMatch(/^model\.onnx: /);
        expect((error as Error).message).not.toMatch(/cannot be read/);
      }
    }
  });
});

describe('unsupported content', () => {
  test('an op with no canonical form, listing the supported ones', () => {
    expectError(model((b, x) => b.node('Sigmoid', [x], {}, { name: 'act' })),
      /node 'act' \(Sigmoid\): op Sigmoid is not supported; supported: Conv, Gemm, MatMul, .*QLinearConv.*; also accepted where they fold or fuse: BatchNormalization/);
  });

  test('an op of an unknown domain', () => {
    const bytes = model((b, x) => b.node('Relu', [x], {}, { name: 'custom' }));
    const message = onnx.ModelProto.decode(bytes);
    message.graph!.node![0]!.domain = 'org.example';
    expectError(encodeModel(message), /node 'custom' \(Relu\): op Relu of domain org\.example is not supported/);
  });

  test('dilated Conv', () => {
    expectError(model((b, x) => b.node('Conv', [x, weight(b)], { dilations: [2, 2] }, { name: 'Conv_12' })),
      /node 'Conv_12' \(Conv\): attribute dilations \[2,2\] is not supported: only 1/);
  });

  test('auto_pad SAME_UPPER', () => {
    expectError(model((b, x) => b.node('Conv', [x, weight(b)], { auto_pad: 'SAME_UPPER' })),
      /node 'Conv_0' \(Conv\): attribute auto_pad SAME_UPPER is not supported: only NOTSET \(explicit pads\) or VALID/);
  });

  test('a Conv whose weights are computed', () => {
    // Weights scaled per input channel by the input's own channel means.
    expectError(model((b, x) => b.node('Conv', [x, b.node('Mul', [weight(b), b.node('GlobalAveragePool', [x])])])),
      /node 'Conv_0' \(Conv\): input 1 \('Mul_0_output_0'\) is computed at run time; only constant weights/);
  });

  test('a BatchNormalization that follows no Conv', () => {
    const random = new Random(2);
    expectError(model((b, x) => b.node('BatchNormalization', [b.node('Relu', [x]), ...['g', 'b', 'm', 'v'].map((name) => b.initializer(name, normalTensor(random, [2], 1)))], {}, { name: 'bn' })),
      /node 'bn' \(BatchNormalization\): follows Relu 'Relu_0'; a BatchNormalization is supported only directly after a Conv/);
  });

  test('ceil_mode that adds a partial window', () => {
    expectError(model((b, x) => b.node('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 })),
      /node 'MaxPool_0' \(MaxPool\): attribute ceil_mode 1 adds a partial window here/);
  });

  test('a Reshape whose shape is computed from values', () => {
    expectError(model((b, x) => b.node('Reshape', [x, b.node('Cast', [b.node('ReduceMax', [x], { keepdims: 0, axes: [0, 1, 2] })], { to: 7 })])),
      /node 'Reshape_0' \(Reshape\): input 1 \(shape, 'Cast_0_output_0'\) is computed at run time and did not fold to a constant/);
  });

  test('a FLOAT16 initializer', () => {
    const bytes = model((b, x) => b.node('Mul', [x, b.initializer('half', makeTensor('float32', [], [0.5]))]));
    const message = onnx.ModelProto.decode(bytes);
    const tensor = message.graph!.initializer![0]!;
    tensor.dataType = onnx.TensorProto.DataType.FLOAT16;
    tensor.rawData = new Uint8Array([0, 0x38]);
    expectError(encodeModel(message), /initializer 'half': tensor 'half' has data type FLOAT16; supported: float32, int8, uint8, int32, int64, bool/);
  });

  test('an initializer kept in an external file', () => {
    const bytes = model((b, x) => b.node('Conv', [x, weight(b)]));
    const message = onnx.ModelProto.decode(bytes);
    const tensor = message.graph!.initializer![0]!;
    tensor.rawData = new Uint8Array();
    tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    tensor.externalData = [onnx.StringStringEntryProto.create({ key: 'location', value: 'model.onnx.data' })];
    expectError(encodeModel(message), /initializer 'w': tensor 'w' keeps its data in an external file \('model\.onnx\.data'\); save the model with its weights inside/);
  });

  test('an int64 beyond 2^53', () => {
    const bytes = model((b, x) => b.node('Reshape', [x, b.initializer('shape', makeTensor('int64', [1], [-1]))]));
    const message = onnx.ModelProto.decode(bytes);
    const raw = new Uint8Array(8);
    new DataView(raw.buffer).setBigInt64(0, 2n ** 60n, true);
    message.graph!.initializer![0]!.rawData = raw;
    expectError(encodeModel(message), /initializer 'shape': tensor 'shape' holds the int64 1152921504606846976, beyond 2\^53/);
  });

  test('an opset before 11', () => {
    expectError(model((b, x) => b.node('Relu', [x]), ['batch', 2, 6, 6], 9), /uses opset 9; supported: 11 to 21/);
  });
});

describe('shapes that are not static', () => {
  test('a symbolic dimension other than the batch names the input and the dimension', () => {
    expectError(model((b, x) => b.node('Relu', [x]), ['batch', 2, 'height', 6]),
      /graph input 'input' dimension 2 is symbolic \('height'\); only the batch dimension may be/);
  });

  test('a batch of 4', () => {
    expectError(model((b, x) => b.node('Relu', [x]), [4, 2, 6, 6]), /graph input 'input' has batch size 4; only batch 1 is supported/);
  });

  test('an output declared with another shape', () => {
    const b = new OnnxBuilder(13);
    const x = b.input('input', 'float32', [1, 2, 6, 6]);
    b.output(b.node('GlobalAveragePool', [x]), 'float32', [1, 2, 6, 6]);
    expectError(b.toBytes(), /graph output 'GlobalAveragePool_0_output_0' is declared float32 \[1,2,6,6\] but computes float32 \[1,2,1,1\]/);
  });

  test('a node reading a value nothing defines', () => {
    expectError(model((b, x) => b.node('Add', [x, 'nowhere'])), /node 'Add_0' \(Add\): reads 'nowhere', which no graph input, initializer or earlier node defines/);
  });
});
