/**
 * ONNX TensorProto <-> the front end's Tensor. A TensorProto holds its values either packed
 * little-endian in raw_data (what torch.onnx.export writes) or in the typed repeated fields
 * (float_data; int32_data also for int8, uint8 and bool; int64_data); both are read.
 */
import type { ElementType, Tensor } from './graph.js';
import { onnx, safeInteger, type Int64, type OnnxTypes } from './proto.js';

const DataType = onnx.TensorProto.DataType;

const TYPE_OF_CODE = new Map<number, ElementType>([
  [DataType.FLOAT, 'float32'],
  [DataType.INT8, 'int8'],
  [DataType.UINT8, 'uint8'],
  [DataType.INT32, 'int32'],
  [DataType.INT64, 'int64'],
  [DataType.BOOL, 'bool'],
]);

const CODE_OF_TYPE: Record<ElementType, number> = {
  float32: DataType.FLOAT, int8: DataType.INT8, uint8: DataType.UINT8,
  int32: DataType.INT32, int64: DataType.INT64, bool: DataType.BOOL,
};

/** The element type of an ONNX data type code, or undefined for one the compiler does not take. */
export function elementTypeOf(code: number): ElementType | undefined {
  return TYPE_OF_CODE.get(code);
}

export function dataTypeCode(type: ElementType): number {
  return CODE_OF_TYPE[type];
}

/** The name ONNX gives a data type code, for messages ("FLOAT16"). */
export function dataTypeName(code: number): string {
  return DataType[code] ?? `data type ${code}`;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

/** A tensor of `type` holding `values` (int64 and bool as numbers; float32 rounded on store). */
export function makeTensor(type: ElementType, dims: readonly number[], values: ArrayLike<number>): Tensor {
  const count = elementCount(dims);
  if (values.length !== count) {
    throw new Error(`a tensor of dims [${dims.join(',')}] holds ${count} values, not ${values.length}`);
  }
  const data = allocate(type, count);
  for (let i = 0; i < count; i++) data[i] = values[i]!;
  return { type, dims: [...dims], data };
}

function allocate(type: ElementType, count: number): Tensor['data'] {
  switch (type) {
    case 'float32': return new Float32Array(count);
    case 'int8': return new Int8Array(count);
    case 'uint8': case 'bool': return new Uint8Array(count);
    case 'int32': return new Int32Array(count);
    case 'int64': return new Float64Array(count);
  }
}

/**
 * Reads a TensorProto; `problem` receives what is wrong (an unsupported type, external data,
 * a value count that does not match the dims) and must throw, so that the caller words the
 * message with its own context.
 */
export function tensorFromProto(proto: OnnxTypes.ITensorProto, problem: (what: string) => never): Tensor {
  const what = `tensor '${proto.name ?? ''}'`;
  const code = proto.dataType ?? 0;
  const type = elementTypeOf(code);
  if (type === undefined) {
    problem(`${what} has data type ${dataTypeName(code)}; supported: ${[...TYPE_OF_CODE.values()].join(', ')}`);
  }
  if (proto.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    const location = proto.externalData?.find((entry) => entry.key === 'location')?.value;
    problem(`${what} keeps its data in an external file${location ? ` ('${location}')` : ''}; save the model with its weights inside (onnx.save_model(..., save_as_external_data=False))`);
  }
  const dims = (proto.dims ?? []).map((dim) => {
    const value = safeInteger(dim);
    if (value === undefined || value < 0) problem(`${what} has dimension ${dim.toString()}`);
    return value;
  });
  const count = elementCount(dims);
  const raw = proto.rawData;
  const values = raw && raw.length > 0 ? rawValues(type, raw, what, problem) : fieldValues(type, proto, what, problem);
  if (values.length !== count) {
    problem(`${what} of dims [${dims.join(',')}] holds ${values.length} values instead of ${count}`);
  }
  return { type, dims, data: values };
}

const BYTES: Record<ElementType, number> = { float32: 4, int8: 1, uint8: 1, int32: 4, int64: 8, bool: 1 };

/** ONNX's raw_data is little-endian; on a little-endian host float and int32 arrays copy as bytes (weights run to millions of values). */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function rawValues(type: ElementType, raw: Uint8Array, what: string, problem: (what: string) => never): Tensor['data'] {
  const size = BYTES[type];
  if (raw.length % size !== 0) problem(`${what} has ${raw.length} raw bytes, not a whole number of ${type} values`);
  const count = raw.length / size;
  if (LITTLE_ENDIAN_HOST && (type === 'float32' || type === 'int32')) {
    // A copy of its own: protobufjs's bytes may be a view into the file at any alignment (a Node Buffer's slice is no copy).
    const aligned = new Uint8Array(raw.length);
    aligned.set(raw);
    return type === 'float32' ? new Float32Array(aligned.buffer) : new Int32Array(aligned.buffer);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const data = allocate(type, count);
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 'float32': data[i] = view.getFloat32(4 * i, true); break;
      case 'int8': data[i] = view.getInt8(i); break;
      case 'uint8': data[i] = view.getUint8(i); break;
      case 'bool': data[i] = view.getUint8(i) === 0 ? 0 : 1; break;
      case 'int32': data[i] = view.getInt32(4 * i, true); break;
      case 'int64': data[i] = checkedInt64(view.getBigInt64(8 * i, true), what, problem); break;
    }
  }
  return data;
}

function checkedInt64(value: bigint | Int64, what: string, problem: (what: string) => never): number {
  const exact = safeInteger(value);
  if (exact === undefined) problem(`${what} holds the int64 ${value.toString()}, beyond 2^53`);
  return exact;
}

function fieldValues(type: ElementType, proto: OnnxTypes.ITensorProto, what: string, problem: (what: string) => never): Tensor['data'] {
  switch (type) {
    case 'float32': return Float32Array.from(proto.floatData ?? []);
    case 'int64': return Float64Array.from(proto.int64Data ?? [], (value) => checkedInt64(value, what, problem));
    case 'bool': return Uint8Array.from(proto.int32Data ?? [], (value) => (value === 0 ? 0 : 1));
    default: {
      const data = allocate(type, (proto.int32Data ?? []).length);
      data.set(proto.int32Data ?? []);
      return data;
    }
  }
}

/** The TensorProto torch.onnx.export would write: values packed little-endian in raw_data. */
export function tensorToProto(name: string, tensor: Tensor): OnnxTypes.TensorProto {
  const size = BYTES[tensor.type];
  if (LITTLE_ENDIAN_HOST && tensor.type === 'float32') return protoOf(name, tensor, new Uint8Array(Float32Array.from(tensor.data).buffer));
  const raw = new Uint8Array(tensor.data.length * size);
  const view = new DataView(raw.buffer);
  tensor.data.forEach((value, i) => {
    switch (tensor.type) {
      case 'float32': view.setFloat32(4 * i, value, true); break;
      case 'int8': view.setInt8(i, value); break;
      case 'uint8': case 'bool': view.setUint8(i, value); break;
      case 'int32': view.setInt32(4 * i, value, true); break;
      case 'int64': view.setBigInt64(8 * i, BigInt(value), true); break;
    }
  });
  return protoOf(name, tensor, raw);
}

function protoOf(name: string, tensor: Tensor, raw: Uint8Array): OnnxTypes.TensorProto {
  return onnx.TensorProto.create({ name, dims: [...tensor.dims], dataType: CODE_OF_TYPE[tensor.type], rawData: raw });
}
