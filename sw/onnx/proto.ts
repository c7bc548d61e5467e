/**
 * The ONNX schema as protobufjs static classes (the onnx-proto package). The package is CommonJS
 * and assigns `module.exports` whole, which Node's ESM loader cannot split into named exports:
 * the default import is the one form that works at run time.
 */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';

/** protobufjs gives an int64 field as a number or, with the `long` package present, a Long. */
export type Int64 = number | bigint | { toString(): string };

/** An int64 field as a number, or undefined when it does not fit 2^53 exactly. */
export function safeInteger(value: Int64): number | undefined {
  const exact = typeof value === 'number' || typeof value === 'bigint' ? BigInt(value) : BigInt(value.toString());
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return exact > max || exact < -max ? undefined : Number(exact);
}
