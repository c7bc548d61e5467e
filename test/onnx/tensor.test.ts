/** TensorProto <-> Tensor: raw_data and the typed fields, every element type. */
import { describe, expect, test } from 'vitest';
import type { ElementType } from '../../sw/onnx/graph.js';
import { onnx, type OnnxTypes } from '../../sw/onnx/proto.js';
import { makeTensor, tensorFromProto, tensorToProto } from '../../sw/onnx/tensor.js';

const fail = (problem: string): never => { throw new Error(problem); };
/** Through the wire format, as a file holds it. */
const roundTrip = (proto: OnnxTypes.TensorProto): OnnxTypes.TensorProto => onnx.TensorProto.decode(onnx.TensorProto.encode(proto).finish());

describe('tensors', () => {
  const cases: [ElementType, number[]][] = [
    ['float32', [1.5, -2.25, Math.fround(3e-8), 0]],
    ['int8', [-128, 127, 0, -1]],
    ['uint8', [0, 255, 7, 128]],
    ['int32', [-(2 ** 31), 2 ** 31 - 1, 0, 5]],
    ['int64', [-(2 ** 53) + 1, 2 ** 53 - 1, -1, 0]],
    ['bool', [1, 0, 1, 1]],
  ];
  for (const [type, values] of cases) {
    test(`${type} through raw_data`, () => {
      const tensor = tensorFromProto(roundTrip(tensorToProto('t', makeTensor(type, [2, 2], values))), fail);
      expect(tensor.type).toBe(type);
      expect(tensor.dims).toEqual([2, 2]);
      expect(Array.from(tensor.data)).toEqual(values);
    });
  }

  test('typed fields: float_data, int32_data for int8 and bool, int64_data', () => {
    const DataType = onnx.TensorProto.DataType;
    const read = (fields: OnnxTypes.ITensorProto): number[] => Array.from(tensorFromProto(roundTrip(onnx.TensorProto.create({ dims: [3], ...fields })), fail).data);
    expect(read({ dataType: DataType.FLOAT, floatData: [0.5, -1, 2] })).toEqual([0.5, -1, 2]);
    expect(read({ dataType: DataType.INT8, int32Data: [-3, 4, 127] })).toEqual([-3, 4, 127]);
    expect(read({ dataType: DataType.BOOL, int32Data: [0, 2, 1] })).toEqual([0, 1, 1]);
    expect(read({ dataType: DataType.INT64, int64Data: [7, -(2 ** 40), 0] })).toEqual([7, -(2 ** 40), 0]);
  });

  test('a scalar has dims [] and one value', () => {
    const tensor = tensorFromProto(roundTrip(tensorToProto('s', makeTensor('float32', [], [4]))), fail);
    expect(tensor.dims).toEqual([]);
    expect(Array.from(tensor.data)).toEqual([4]);
  });

  test('a value count that does not match the dims is refused', () => {
    const proto = onnx.TensorProto.create({ name: 'w', dims: [2, 3], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [1, 2] });
    expect(() => tensorFromProto(roundTrip(proto), fail)).toThrow("tensor 'w' of dims [2,3] holds 2 values instead of 6");
  });
});
